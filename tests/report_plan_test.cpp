// The plan section of every report format (`xborder report --plan PLAN.json`): the multi-tier
// cloud plan example, planned and rendered in Markdown and HTML against golden files
// (tests/golden/report/plan/; XBORDER_UPDATE_GOLDEN=1 rewrites them), the same plan in the
// register CSV, SARIF and the drafts, the infeasible example's reasons, and the plan document's
// validation.
#include <gtest/gtest.h>

#include <set>

#include "model/json_reader.hpp"
#include "model/model_loader.hpp"
#include "planner/plan.hpp"
#include "reports/html_report.hpp"
#include "reports/plan_report.hpp"
#include "reports/plan_section.hpp"
#include "reports/render.hpp"
#include "reports/report_input.hpp"
#include "reports/sarif_report.hpp"
#include "reports/tabular_report.hpp"
#include "tests/test_support.hpp"

namespace xborder::report_plan_test {
namespace {

using nlohmann::json;
using testing::expect_golden;

const std::string kDir = "scenarios/multi-tier-cloud/";

// The report input of `file` (a plan example) checked at `at`, with the plan of that file over
// [at, until] attached as `xborder report --plan` attaches it.
json input_with_plan(const std::string& file, const std::string& at, const std::string& until) {
  const auto path = testing::source_dir() / kDir / file;
  const json doc = json::parse(testing::read_text(path));
  auto loaded = load_model_json(doc, kDir + file, testing::reference());
  EXPECT_TRUE(loaded.model);
  PathChecker checker(*loaded.model, testing::shipped_rules());
  const auto result = checker.check(*Date::parse(at));
  const ReportContext context{kDir + file, loaded.model->name, "jurisdictions"};
  json input =
      make_report_input(result, context, checker.graph(), *loaded.model, testing::reference());
  PlanRequest request;
  request.at = *Date::parse(at);
  request.until = *Date::parse(until);
  const auto planned =
      plan(doc, kDir + file, testing::reference(), testing::shipped_rules(), request);
  const PlanReportContext plan_context{kDir + file, loaded.model->name, &request, ""};
  input["plan"] = plan_result_to_json(planned, plan_context);
  return input;
}

const json& optimal_input() {
  static const json input = input_with_plan("plan-model.json", "2024-06-01", "2026-12-31");
  return input;
}

std::filesystem::path golden(const std::string& name) {
  return testing::source_dir() / "tests" / "golden" / "report" / "plan" / name;
}

TEST(PlanSection, MarkdownGolden) {
  const std::string md =
      render_report(optimal_input(), "md", [](const std::string&) { return std::string(); });
  expect_golden(golden("multi-tier-cloud.md"), md);
  // Before and after, the changes with the rule and citation they are needed for, the patch.
  EXPECT_NE(md.find("## Plan"), std::string::npos);
  EXPECT_NE(md.find("| Before: the model as written (this report) | 2024-06-01 |"),
            std::string::npos);
  EXPECT_NE(
      md.find("| After: the plan's patch applied | 2024-06-01 .. 2026-03-02 (14 dates) | 0 | 0 |"),
      std::string::npos)
      << md.substr(0, 3000);
  EXPECT_NE(md.find("**violation** JP-APPI-28 — Provision to a third party in a foreign country"),
            std::string::npos);
  EXPECT_NE(md.find("### Patch (RFC 6902"), std::string::npos);
}

TEST(PlanSection, HtmlGolden) {
  const std::string html =
      render_report(optimal_input(), "html", [](const std::string&) { return std::string(); });
  expect_golden(golden("multi-tier-cloud.html"), html);
  EXPECT_NE(html.find("<section id=\"plan\">"), std::string::npos);
  EXPECT_LT(html.find("<section id=\"plan\">"), html.find("<section id=\"graph\">"));
}

TEST(PlanSection, EveryOtherFormatCarriesThePlan) {
  const json& input = optimal_input();
  // The register: one more column, filled on the transfers a paid change is needed for.
  const std::string csv =
      render_report(input, "csv", [](const std::string&) { return std::string(); });
  EXPECT_NE(csv.substr(0, csv.find("\r\n")).find(",planned_change"), std::string::npos);
  EXPECT_NE(csv.find("storage-operations=ppc-standard-contract: JP-APPI-28"), std::string::npos)
      << csv;
  // Without a plan, the register is as before.
  json without = input;
  without.erase("plan");
  EXPECT_EQ(render_report(without, "csv", [](const std::string&) { return std::string(); })
                .find("planned_change"),
            std::string::npos);
  EXPECT_EQ(render_report(without, "md", [](const std::string&) { return std::string(); })
                .find("## Plan"),
            std::string::npos);
  // SARIF: a property of the run.
  const json sarif =
      json::parse(render_report(input, "sarif", [](const std::string&) { return std::string(); }));
  const json& plan = sarif["runs"][0]["properties"]["plan"];
  EXPECT_EQ(plan["status"], "optimal");
  EXPECT_EQ(plan["cost"], 110);
  EXPECT_FALSE(plan["patch"].empty());
  // The drafts end with the plan section; the report input is the document itself.
  for (const char* format : {"appi-notice", "tia"}) {
    const std::string text =
        render_report(input, format, [](const std::string&) { return std::string(); });
    EXPECT_NE(text.find("## Plan"), std::string::npos) << format;
  }
  EXPECT_EQ(json::parse(render_report(input, "json",
                                      [](const std::string&) { return std::string(); }))["plan"],
            input["plan"]);
}

TEST(PlanSection, InfeasiblePlanSaysWhy) {
  const json input = input_with_plan("plan-infeasible.json", "2024-06-01", "2024-06-01");
  const std::string md =
      render_report(input, "md", [](const std::string&) { return std::string(); });
  EXPECT_NE(md.find("**infeasible**"), std::string::npos);
  EXPECT_NE(md.find("### Why no plan exists"), std::string::npos);
  EXPECT_NE(md.find("JP-APPI-28"), std::string::npos);
  // One requirement per rule, edge and data set: JP-APPI-28 on the US parent's access to the
  // photos.
  const auto appi28 = md.find("**violation** JP-APPI-28");
  ASSERT_NE(appi28, std::string::npos) << md;
  EXPECT_EQ(md.find("**violation** JP-APPI-28", appi28 + 1), std::string::npos) << md;
  const std::string line = md.substr(appi28, md.find('\n', appi28) - appi28);
  EXPECT_NE(line.find("Choice points: "), std::string::npos) << line;
  EXPECT_NE(line.find("storage-operations"), std::string::npos) << line;
  const std::string html =
      render_report(input, "html", [](const std::string&) { return std::string(); });
  EXPECT_NE(html.find("Why no plan exists"), std::string::npos);
}

TEST(PlanSection, BadPlanDocumentsAreNamed) {
  EXPECT_TRUE(plan_document_problems(optimal_input()["plan"]).empty());
  json plan = optimal_input()["plan"];
  plan["schema_version"] = "2.0.0";
  plan["plan"]["patch"] = "add";
  plan["plan"]["reasons"][0]["avoids"] = json::array({1});
  const auto problems = plan_document_problems(plan, "/plan");
  std::set<std::string> where;
  for (const auto& [pointer, message] : problems) where.insert(pointer);
  EXPECT_TRUE(where.count("/plan/schema_version"));
  EXPECT_TRUE(where.count("/plan/plan/patch"));
  EXPECT_TRUE(where.count("/plan/plan/reasons/0/avoids/0"));
  EXPECT_FALSE(plan_document_problems(json::array()).empty());
  // A saved report input with a broken plan is refused like any other broken member.
  json input = optimal_input();
  input["plan"] = json{{"tool", "other"}};
  bool named = false;
  for (const auto& [pointer, message] : report_input_problems(input))
    named |= pointer == "/plan/tool";
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace xborder::report_plan_test
