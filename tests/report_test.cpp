// The text a lawyer reads and the JSON contract, rendered from a real check of the shipped
// EU→Japan/US scenario.
#include <gtest/gtest.h>

#include <sstream>

#include "reports/check_report.hpp"
#include "tests/test_support.hpp"

namespace xborder::report_test {
namespace {

CheckResult eu_us_at(const char* date) {
  auto loaded = load_model(testing::source_dir() / "scenarios" / "eu-jp-us-transfer" / "model.json",
                           testing::reference());
  if (!loaded.model) throw std::runtime_error("scenario failed to load");
  PathChecker checker(*loaded.model, testing::shipped_rules());
  return checker.check(*Date::parse(date));
}

TEST(Report, TextSaysWhatIsMissingAndGroupsReasons) {
  const auto text = check_result_to_text(eu_us_at("2020-08-01"), {"model.json", "EU", ""}, false);
  EXPECT_NE(text.find("1 violation,"), std::string::npos) << text;
  EXPECT_NE(text.find("VIOLATION  EU-GDPR-44"), std::string::npos) << text;
  EXPECT_NE(text.find("missing — none of these holds: adequacy decision (Art. 45)"),
            std::string::npos);
  // The derogations the routes read are grouped into one reason (the contract derogations are
  // read from the flow's purpose, so 49(1)(b)/(c) are not among them).
  EXPECT_NE(text.find("safeguard.derogations has none of 49(1)(a), 49(1)(d)"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("safeguard.derogations[49(1)(a)]"), std::string::npos) << text;
  EXPECT_NE(text.find("purpose = customer_management"), std::string::npos) << text;
  EXPECT_NE(text.find("1 compliant finding hidden"), std::string::npos) << text;
  EXPECT_NE(text.find("authorities: DE, US"), std::string::npos) << text;
}

// `check --format json` streams the document finding by finding: it must parse to exactly the
// document check_result_to_json builds, with the extra keys beside it.
TEST(Report, StreamedJsonEqualsTheDocument) {
  const auto result = eu_us_at("2020-08-01");
  const ReportContext context{"model.json", "EU", ""};
  std::ostringstream streamed;
  write_check_result_json(result, context, nlohmann::json{{"regimes", {"EU", "JP"}}}, streamed);
  auto expected = check_result_to_json(result, context);
  expected["regimes"] = {"EU", "JP"};
  EXPECT_EQ(nlohmann::json::parse(streamed.str()), expected);
  // What `check --format json` prints by default: the issues without the compliant ones, no
  // findings; the same as the document built with those options.
  CheckJsonOptions issues_only;
  issues_only.findings = false;
  issues_only.compliant = false;
  std::ostringstream shorter;
  write_check_result_json(result, context, nlohmann::json::object(), shorter, issues_only);
  const auto short_doc = nlohmann::json::parse(shorter.str());
  EXPECT_EQ(short_doc, check_result_to_json(result, context, issues_only));
  EXPECT_FALSE(short_doc.contains("findings"));
  ASSERT_EQ(short_doc["issues"].size(), 1u);
  EXPECT_EQ(short_doc["issues"][0]["verdict"], "violation");
  EXPECT_EQ(short_doc["summary"]["issues"]["compliant"], 1);
  CheckResult empty = result;
  empty.findings.clear();
  empty.issues.clear();
  std::ostringstream none;
  write_check_result_json(empty, context, nlohmann::json::object(), none);
  EXPECT_EQ(nlohmann::json::parse(none.str())["findings"], nlohmann::json::array());
  EXPECT_EQ(nlohmann::json::parse(none.str())["issues"], nlohmann::json::array());
}

TEST(Report, JsonCarriesTheContractFields) {
  const auto j = check_result_to_json(eu_us_at("2020-08-01"), {"model.json", "EU", ""});
  EXPECT_EQ(j["schema_version"], kCheckSchemaVersion);
  EXPECT_EQ(j["at"], "2020-08-01");
  EXPECT_EQ(j["summary"]["violations"], 1);
  EXPECT_EQ(j["summary"]["compliant"], 1);
  ASSERT_EQ(j["findings"].size(), 2u);
  const auto& v = j["findings"][0];
  EXPECT_EQ(v["verdict"], "violation");
  EXPECT_EQ(v["rule"], "EU-GDPR-44");
  // The rule's text is given once, in `rules`; the finding names the rule.
  EXPECT_FALSE(v.contains("citation"));
  EXPECT_EQ(j["rules"]["EU-GDPR-44"]["citation"]["article"], "Art. 44");
  EXPECT_EQ(j["rules"]["EU-GDPR-44"]["kind"], "basis");
  EXPECT_EQ(v["place"], "eu-gdpr");
  EXPECT_EQ(v["event"], "transfer");
  EXPECT_EQ(v["edge"]["id"], "to-us");
  EXPECT_FALSE(v["edge"]["implicit"]);
  EXPECT_EQ(v["path"].size(), 3u);
  EXPECT_TRUE(std::find(v["missing"].begin(), v["missing"].end(), "scc") != v["missing"].end());
  EXPECT_EQ(v["disclosure_scope"]["authorities"], nlohmann::json::array({"DE", "US"}));
  ASSERT_EQ(j["place_details"].size(), j["places"].size());
  for (const auto& p : j["place_details"]) {
    EXPECT_FALSE(p["name"]["en"].get<std::string>().empty()) << p;
    if (p["id"] == "eu-gdpr") {
      EXPECT_EQ(p["category"], "personal_data");
    }
  }
}

// Every rule and route an issue or finding names has its text in `rules`, and expanding the
// texts gives each finding its rule's kind, title, citation and place name and each route its
// title and citation (what report renderers read), the same as a second expansion.
TEST(Report, RulesTableCoversEveryIssueAndExpandsIntoEachFinding) {
  for (const auto& name : testing::scenario_names()) {
    auto loaded =
        load_model(testing::source_dir() / "scenarios" / name / "model.json", testing::reference());
    ASSERT_TRUE(loaded.model) << name;
    const auto result =
        PathChecker(*loaded.model, testing::shipped_rules()).check(*Date::parse("2024-06-01"));
    auto j = check_result_to_json(result, {"model.json", name, ""});
    const auto& rules = j["rules"];
    ASSERT_TRUE(rules.is_object()) << name;
    for (const char* list : {"issues", "findings"}) {
      for (const auto& item : j[list]) {
        ASSERT_TRUE(rules.contains(item["rule"].get<std::string>())) << name << " " << item["rule"];
        const auto& rule = rules[item["rule"].get<std::string>()];
        EXPECT_EQ(rule["place"], item["place"]);
        for (const auto& route : item["routes"]) {
          bool found = false;
          for (const auto& text : rule["routes"]) found = found || text["id"] == route["id"];
          EXPECT_TRUE(found) << name << " " << item["rule"] << " route " << route["id"];
          EXPECT_FALSE(route.contains("title"));
        }
      }
    }
    expand_rule_texts(j);
    const auto once = j;
    expand_rule_texts(j);
    EXPECT_EQ(once, j);
    for (std::size_t k = 0; k < result.findings.size(); ++k) {
      const Finding& f = result.findings[k];
      const auto& item = j["findings"][k];
      EXPECT_EQ(item["rule_kind"], f.rule_kind);
      EXPECT_EQ(item["title"]["en"], f.rule_title.en);
      EXPECT_EQ(item["citation"]["article"], f.citation.at(result.at).article);
      EXPECT_EQ(item["place_name"]["en"], f.place_name.en);
      ASSERT_EQ(item["routes"].size(), f.routes.size());
      for (std::size_t r = 0; r < f.routes.size(); ++r)
        EXPECT_EQ(item["routes"][r]["title"]["en"], f.routes[r].title.en) << f.rule_id;
    }
  }
}

// check --format json writes each issue without building its JSON first: byte for byte what
// issue_to_json gives, on every scenario at dates on both sides of the packs' boundaries, and with
// ids that need escaping.
TEST(Report, IssuesWrittenDirectlyEqualTheirJson) {
  std::size_t compared = 0;
  for (const auto& name : testing::scenario_names()) {
    auto loaded =
        load_model(testing::source_dir() / "scenarios" / name / "model.json", testing::reference());
    ASSERT_TRUE(loaded.model) << name;
    PathChecker checker(*loaded.model, testing::shipped_rules());
    for (const char* at : {"2015-10-05", "2020-08-01", "2024-06-01"}) {
      auto result = checker.check(*Date::parse(at));
      for (const auto& issue : result.issues) {
        std::string direct;
        write_issue_json(direct, issue, result);
        EXPECT_EQ(direct, issue_to_json(issue, result).dump()) << name << " " << issue.rule_id;
        ++compared;
      }
      if (result.issues.empty()) continue;
      // Quotes, backslashes, control characters and non-ASCII text in the strings.
      for (std::size_t k : result.issues[0].findings) {
        result.findings.full(k).to_node += "\"q\\\n\t\x01 場";
        result.findings.full(k).exporter += "\x1f";
      }
      result.issues[0].recipient += "\"";
      std::string direct;
      write_issue_json(direct, result.issues[0], result);
      EXPECT_EQ(direct, issue_to_json(result.issues[0], result).dump()) << name;
    }
  }
  EXPECT_GT(compared, 50u);
}

}  // namespace
}  // namespace xborder::report_test
