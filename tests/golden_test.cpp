// Golden tests: every scenarios/<name>/ with an expected.json is checked at each of the dates
// it lists, and the verdicts must match exactly. XBORDER_UPDATE_GOLDEN=1 rewrites the files
// (review the diff before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "reports/check_report.hpp"
#include "tests/test_support.hpp"

namespace xborder::golden_test {
namespace {

using nlohmann::json;

// What a golden file pins down: the summary and each finding's verdict, rule, data set and edge.
json project(const CheckResult& result) {
  json findings = json::array();
  for (const auto& f : result.findings) {
    findings.push_back({{"verdict", std::string(to_string(f.verdict))},
                        {"rule", f.rule_id},
                        {"dataset", f.dataset},
                        {"edge", f.edge}});
  }
  return json{{"at", result.at.to_string()},
              {"summary",
               {{"violations", result.summary.violations},
                {"undetermined", result.summary.undetermined},
                {"compliant", result.summary.compliant},
                {"paths", result.summary.paths}}},
              {"findings", findings}};
}

class GoldenScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenScenario, VerdictsMatchExpected) {
  const auto dir = testing::source_dir() / "scenarios" / GetParam();
  auto loaded = load_model(dir / "model.json", testing::reference());
  for (const auto& d : loaded.diagnostics.items()) ADD_FAILURE() << render_diagnostic(d);
  ASSERT_TRUE(loaded.model);
  std::ifstream in(dir / "expected.json");
  json expected = json::parse(in);
  ASSERT_TRUE(expected.contains("checks")) << "expected.json needs a `checks` array";
  // A scenario may add an organisation's own packs, as `--policies` does (paths relative to it).
  std::optional<RuleBase> with_policies;
  if (expected.contains("policies")) {
    std::vector<std::filesystem::path> files;
    for (const auto& p : expected["policies"]) files.push_back(dir / p.get<std::string>());
    auto r = load_rule_base(testing::source_dir() / "jurisdictions",
                            testing::reference().country_codes(), {}, files);
    ASSERT_TRUE(r.rules) << testing::render_all(r.diagnostics);
    with_policies = std::move(*r.rules);
  }
  PathChecker checker(*loaded.model, with_policies ? *with_policies : testing::shipped_rules());
  json actual_checks = json::array();
  for (const auto& check : expected["checks"]) {
    const auto at = Date::parse(check["at"].get<std::string>());
    ASSERT_TRUE(at) << check["at"];
    const json actual = project(checker.check(*at));
    actual_checks.push_back(actual);
    if (!std::getenv("XBORDER_UPDATE_GOLDEN")) {
      EXPECT_EQ(check["summary"], actual["summary"]) << "at " << check["at"];
      EXPECT_EQ(check["findings"].dump(2), actual["findings"].dump(2)) << "at " << check["at"];
    }
  }
  if (std::getenv("XBORDER_UPDATE_GOLDEN")) {
    expected["checks"] = actual_checks;
    std::ofstream(dir / "expected.json") << expected.dump(2) << "\n";
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, GoldenScenario, ::testing::ValuesIn(testing::scenario_names()),
                         [](const auto& info) { return testing::param_name(info.param); });

}  // namespace
}  // namespace xborder::golden_test
