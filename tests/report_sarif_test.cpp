// SARIF: the JSON-pointer locator, focused checks on a real scenario, and golden files for every
// scenario (XBORDER_UPDATE_GOLDEN=1 rewrites tests/golden/report/<scenario>/report.sarif).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "reports/report_input.hpp"
#include "reports/sarif_report.hpp"
#include "tests/test_support.hpp"

namespace xborder::report_sarif_test {
namespace {

using nlohmann::json;
using testing::expect_golden;
using testing::read_text;
using testing::scenario_names;

// ---- locate_pointer --------------------------------------------------------------------------

TEST(SarifLocatePointer, RootAndTopLevelMembers) {
  const std::string text = "{\n  \"a\": 1,\n  \"b\": \"x\"\n}";
  EXPECT_EQ(locate_pointer(text, "")->line, 1);
  EXPECT_EQ(locate_pointer(text, "")->column, 1);
  const auto b = locate_pointer(text, "/b");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->line, 3);
  EXPECT_EQ(b->column, 8);
}

TEST(SarifLocatePointer, NestedObjectsAndArrays) {
  const std::string text =
      "{\"flows\": [\n"
      "  {\"id\": \"a\", \"x\": {\"y\": [1, 2]}},\n"
      "  {\"id\": \"b\",\n"
      "   \"safeguards\": [{\"type\": \"scc\"}, {\"type\": \"bcr\"}]}\n"
      "]}";
  const auto f1 = locate_pointer(text, "/flows/1");
  ASSERT_TRUE(f1);
  EXPECT_EQ(f1->line, 3);
  EXPECT_EQ(f1->column, 3);
  const auto sg = locate_pointer(text, "/flows/1/safeguards/1/type");
  ASSERT_TRUE(sg);
  EXPECT_EQ(sg->line, 4);
  EXPECT_EQ(sg->column, 45);
  const auto y1 = locate_pointer(text, "/flows/0/x/y/1");
  ASSERT_TRUE(y1);
  EXPECT_EQ(y1->line, 2);
  EXPECT_EQ(y1->column, 30);
}

TEST(SarifLocatePointer, SkipsStringsWithEscapesAndBrackets) {
  // Braces, brackets, commas and escaped quotes inside strings must not confuse the scanner.
  const std::string text = R"({"a": "x\"}],{[\\", "b": ["\"", "]", {"c\"d": 1}], "e": true})";
  const auto e = locate_pointer(text, "/e");
  ASSERT_TRUE(e);
  EXPECT_EQ(text.substr(static_cast<std::size_t>(e->column - 1), 4), "true");
  const auto cd = locate_pointer(text, "/b/2/c\"d");
  ASSERT_TRUE(cd);
  EXPECT_EQ(text[static_cast<std::size_t>(cd->column - 1)], '1');
}

TEST(SarifLocatePointer, UnicodeEscapesInKeysAndCharacterColumns) {
  // "\u00e9" in the text is the key "é"; columns count characters, not UTF-8 bytes.
  const std::string text = "{\"\\u00e9\": 1, \"日本\": 2, \"\\ud83d\\ude00\": 3}";
  const auto e = locate_pointer(text, "/\xc3\xa9");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->column, 12);
  const auto jp = locate_pointer(text, "/日本");
  ASSERT_TRUE(jp);
  EXPECT_EQ(jp->column, 21);
  EXPECT_TRUE(locate_pointer(text, "/\xf0\x9f\x98\x80"));
}

TEST(SarifLocatePointer, TildeEscapes) {
  const std::string text = "{\"a/b\": 1, \"m~n\": 2, \"~1\": 3}";
  EXPECT_EQ(locate_pointer(text, "/a~1b")->column, 9);
  EXPECT_EQ(locate_pointer(text, "/m~0n")->column, 19);
  EXPECT_EQ(locate_pointer(text, "/~01")->column, 28);  // ~01 is "~1", not "/"
  EXPECT_FALSE(locate_pointer(text, "/a~2b"));          // invalid escape
}

TEST(SarifLocatePointer, MissingAndInvalid) {
  const std::string text = "{\"a\": [10, 20], \"s\": \"str\", \"n\": null}";
  EXPECT_FALSE(locate_pointer(text, "/x"));
  EXPECT_FALSE(locate_pointer(text, "/a/2"));
  EXPECT_FALSE(locate_pointer(text, "/a/-"));
  EXPECT_FALSE(locate_pointer(text, "/a/01"));
  EXPECT_FALSE(locate_pointer(text, "/a/x"));
  EXPECT_FALSE(locate_pointer(text, "/s/0"));  // scalars have no children
  EXPECT_FALSE(locate_pointer(text, "/n/a"));
  EXPECT_FALSE(locate_pointer(text, "a"));  // must start with '/'
  EXPECT_FALSE(locate_pointer("", "/a"));
  EXPECT_FALSE(locate_pointer("{\"a\": [1, 2", "/a/5"));  // truncated text
  EXPECT_EQ(locate_pointer(text, "/a/1")->column, 12);
  EXPECT_EQ(locate_pointer(text, "/n")->column, 34);
}

TEST(SarifLocatePointer, EmptyKeyAndDuplicateTakesFirst) {
  const std::string text = "{\"\": 1, \"k\": 2, \"k\": 3}";
  EXPECT_EQ(locate_pointer(text, "/")->column, 6);
  EXPECT_EQ(locate_pointer(text, "/k")->column, 14);
}

TEST(SarifLocatePointer, MatchesNlohmannOnAScenarioModel) {
  const auto text =
      read_text(testing::source_dir() / "scenarios" / "offshore-operations" / "model.json");
  const json doc = json::parse(text);
  for (const char* p : {"/flows/2", "/flows/5", "/systems/2/remote_access/1", "/datasets/0/name"}) {
    const auto pos = locate_pointer(text, p);
    ASSERT_TRUE(pos) << p;
    // Re-find the byte offset of (line, column) and parse the value found there.
    std::size_t offset = 0;
    for (int line = 1; line < pos->line; ++line) offset = text.find('\n', offset) + 1;
    for (int col = 1; col < pos->column; ++col) {
      ++offset;
      while ((static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) ++offset;
    }
    const json expected = doc.at(json::json_pointer(p));
    const std::string dumped = expected.is_string() ? "\"" : expected.is_array() ? "[" : "{";
    EXPECT_EQ(text.substr(offset, 1), dumped) << p;
  }
}

// ---- render_sarif ----------------------------------------------------------------------------

TEST(SarifReport, OneResultPerViolationAtTheRightLine) {
  const json input = testing::scenario_report_input("offshore-operations", "2024-06-01");
  const auto model_text =
      read_text(testing::source_dir() / "scenarios" / "offshore-operations" / "model.json");
  const json sarif = render_sarif(input, model_text);
  EXPECT_EQ(sarif["version"], "2.1.0");
  EXPECT_EQ(sarif["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(sarif["runs"].size(), 1u);
  const json& run = sarif["runs"][0];
  std::size_t violations = 0, undetermined = 0;
  for (const auto& f : input["check"]["findings"]) {
    violations += f["verdict"] == "violation";
    undetermined += f["verdict"] == "undetermined";
  }
  ASSERT_GT(violations, 0u);
  ASSERT_EQ(run["results"].size(), violations + undetermined);
  std::size_t k = 0;
  for (const auto& f : input["check"]["findings"]) {
    if (f["verdict"] == "compliant") continue;
    const json& r = run["results"][k++];
    EXPECT_EQ(r["ruleId"], f["rule"]);
    EXPECT_EQ(r["level"], f["verdict"] == "violation" ? "error" : "warning");
    EXPECT_EQ(run["tool"]["driver"]["rules"][r["ruleIndex"].get<std::size_t>()]["id"], f["rule"]);
    const auto pos = locate_pointer(model_text, f["model_pointer"]);
    ASSERT_TRUE(pos) << f["model_pointer"];
    const json& loc = r["locations"][0];
    EXPECT_EQ(loc["physicalLocation"]["region"]["startLine"], pos->line);
    EXPECT_EQ(loc["physicalLocation"]["region"]["startColumn"], pos->column);
    EXPECT_EQ(loc["physicalLocation"]["artifactLocation"]["uri"],
              "scenarios/offshore-operations/model.json");
    EXPECT_EQ(loc["logicalLocations"][0]["fullyQualifiedName"], f["model_pointer"]);
    EXPECT_EQ(r["properties"]["verdict"], f["verdict"]);
    EXPECT_EQ(r["properties"]["dataset"], f["dataset"]);
  }
  // /flows/2 (store-media-kr) opens on its own line in the model file.
  bool found = false;
  for (const auto& r : run["results"]) {
    if (r["properties"]["edge"]["id"] != "store-media-kr") continue;
    if (r["ruleId"] != "JP-APPI-28-3") continue;
    found = true;
    const int line = r["locations"][0]["physicalLocation"]["region"]["startLine"];
    std::istringstream lines(model_text);
    std::string text;
    for (int n = 0; n < line; ++n) std::getline(lines, text);
    EXPECT_NE(text.find('{'), std::string::npos) << text;
    const std::string message = r["message"]["text"];
    EXPECT_NE(message.find("JP-APPI-28-3"), std::string::npos) << message;
    EXPECT_NE(message.find("South Korea (KR)"), std::string::npos) << message;
  }
  EXPECT_TRUE(found);
}

TEST(SarifReport, RulesCarryCitationsAndFingerprintsAreStable) {
  const json input = testing::scenario_report_input("eu-jp-us-transfer", "2020-08-01");
  const json a = render_sarif(input, "");
  const json b = render_sarif(input, "");
  EXPECT_EQ(a.dump(), b.dump());
  const json& rules = a["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0]["id"], "EU-GDPR-44");
  EXPECT_EQ(rules[0]["helpUri"], "https://eur-lex.europa.eu/eli/reg/2016/679/oj");
  EXPECT_EQ(rules[0]["properties"]["place"], "eu-gdpr");
  EXPECT_EQ(rules[0]["properties"]["citation"]["article"], "Art. 44");
  const json& results = a["runs"][0]["results"];
  ASSERT_EQ(results.size(), 1u);  // the compliant to-japan finding is skipped
  EXPECT_EQ(results[0]["properties"]["edge"]["id"], "to-us");
  // Without the model text the location falls back to line 1.
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
  const std::string fp = results[0]["partialFingerprints"]["xborderFinding/v1"];
  EXPECT_EQ(fp.size(), 16u);
  // The fingerprint depends on rule, edge and data set only, not on the date or the verdict.
  json later = input;
  later["check"]["at"] = "2030-01-01";
  EXPECT_EQ(render_sarif(later, "")["runs"][0]["results"][0]["partialFingerprints"],
            results[0]["partialFingerprints"]);
  const std::string message = results[0]["message"]["text"];
  EXPECT_NE(message.find("violates EU-GDPR-44"), std::string::npos) << message;
  EXPECT_NE(message.find("United States (US)"), std::string::npos) << message;
  EXPECT_NE(message.find("adequacy decision (Art. 45)"), std::string::npos) << message;
}

TEST(SarifReport, UndeterminedIsAWarningNamingTheDecidingFacts) {
  const json input = testing::scenario_report_input("elderly-support-platform", "2024-06-01");
  const json sarif = render_sarif(input, "");
  std::size_t warnings = 0;
  for (const auto& r : sarif["runs"][0]["results"]) {
    if (r["level"] != "warning") continue;
    ++warnings;
    const std::string message = r["message"]["text"];
    EXPECT_NE(message.find("may violate"), std::string::npos) << message;
    EXPECT_NE(message.find("safeguard.consent"), std::string::npos) << message;
  }
  EXPECT_GT(warnings, 0u);
}

// ---- goldens ---------------------------------------------------------------------------------

class SarifGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(SarifGolden, MatchesGoldenFile) {
  const auto scenario = GetParam();
  const json input = testing::scenario_report_input(scenario);
  const auto model_text = read_text(testing::source_dir() / "scenarios" / scenario / "model.json");
  const std::string actual = render_sarif(input, model_text).dump(2) + "\n";
  const auto golden =
      testing::source_dir() / "tests" / "golden" / "report" / scenario / "report.sarif";
  if (std::getenv("XBORDER_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden))
      << golden << " missing; run with XBORDER_UPDATE_GOLDEN=1";
  EXPECT_EQ(read_text(golden), actual)
      << "rewrite with XBORDER_UPDATE_GOLDEN=1 and review the diff";
}

INSTANTIATE_TEST_SUITE_P(Scenarios, SarifGolden, ::testing::ValuesIn(scenario_names()),
                         [](const auto& info) { return testing::param_name(info.param); });

}  // namespace
}  // namespace xborder::report_sarif_test
