// Markdown and the CSV transfer register: focused checks (table escaping, RFC 4180 quoting) and
// golden files for every scenario (XBORDER_UPDATE_GOLDEN=1 rewrites
// tests/golden/report/<scenario>/report.md and register.csv).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "reports/register.hpp"
#include "reports/report_input.hpp"
#include "reports/tabular_report.hpp"
#include "tests/test_support.hpp"

namespace xborder::report_tabular_test {
namespace {

using nlohmann::json;
using testing::expect_golden;
using testing::read_text;
using testing::scenario_names;

// Splits CSV text (RFC 4180, CRLF) into records of fields.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (quoted) {
      if (c == '"' && k + 1 < text.size() && text[k + 1] == '"') {
        records.back().back() += '"';
        ++k;
      } else if (c == '"') {
        quoted = false;
      } else {
        records.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().emplace_back();
    } else if (c == '\r' && k + 1 < text.size() && text[k + 1] == '\n') {
      records.emplace_back(1);
      ++k;
    } else {
      records.back().back() += c;
    }
  }
  if (records.back().size() == 1 && records.back()[0].empty()) records.pop_back();
  return records;
}

const std::string kHeader =
    "edge,implicit,event,dataset,categories,exporter,exporter_country,importer,importer_country,"
    "mechanism,legal_basis,status,rules,exporter_established,importer_established,categories_"
    "unknown";

TEST(TabularCsv, HeaderAndOneRecordPerRegisterRow) {
  const json input = testing::scenario_report_input("offshore-operations", "2024-06-01");
  const std::string csv = render_register_csv(input);
  ASSERT_EQ(csv.rfind(kHeader + "\r\n", 0), 0u) << csv;
  const auto records = parse_csv(csv);
  const json reg = transfer_register(input);
  ASSERT_EQ(records.size(), reg.size() + 1);
  for (std::size_t k = 0; k < reg.size(); ++k) {
    ASSERT_EQ(records[k + 1].size(), 16u);
    EXPECT_EQ(records[k + 1][0], reg[k]["edge"]);
    EXPECT_EQ(records[k + 1][11], reg[k]["status"]);
    // Appended for the round trip (docs/import-register.md): the parties' establishments.
    EXPECT_EQ(records[k + 1][13], reg[k]["exporter_established"].is_string()
                                      ? reg[k]["exporter_established"].get<std::string>()
                                      : std::string());
    EXPECT_EQ(records[k + 1][14], reg[k]["importer_established"].is_string()
                                      ? reg[k]["importer_established"].get<std::string>()
                                      : std::string());
  }
}

TEST(TabularCsv, QuotesCommasAndQuotesAndJoinsLists) {
  // Rename a data set and its exporter so the register carries a comma and a quote.
  json input = testing::scenario_report_input("eu-jp-us-transfer", "2020-08-01");
  const json reg = transfer_register(input);
  ASSERT_FALSE(reg.empty());
  const std::string csv = render_register_csv(input);
  const auto records = parse_csv(csv);
  ASSERT_EQ(records.size(), reg.size() + 1);
  // Lists are joined with "; ".
  std::vector<std::string> cats;
  for (const auto& c : reg[0]["categories"]) cats.push_back(c);
  std::string joined;
  for (std::size_t k = 0; k < cats.size(); ++k) joined += (k ? "; " : "") + cats[k];
  EXPECT_EQ(records[1][4], joined);

  // A field with a comma and a quote is quoted, the quote doubled.
  for (auto& d : input["model"]["datasets"]) d["id"] = std::string(d["id"]);
  for (auto& f : input["check"]["findings"]) f["edge"]["id"] = "to \"us\", really";
  for (auto& e : input["graph"]["edges"]) e["id"] = "to \"us\", really";
  for (auto& f : input["model"]["flows"]) f["id"] = "to \"us\", really";
  const std::string odd = render_register_csv(input);
  EXPECT_NE(odd.find("\"to \"\"us\"\", really\","), std::string::npos) << odd;
  const auto odd_records = parse_csv(odd);
  ASSERT_GE(odd_records.size(), 2u);
  EXPECT_EQ(odd_records[1][0], "to \"us\", really");
  EXPECT_EQ(odd_records[1].size(), 16u);
}

TEST(TabularMarkdown, EscapesPipesInCells) {
  json input = testing::scenario_report_input("eu-jp-us-transfer", "2020-08-01");
  for (auto& f : input["check"]["findings"]) f["title"]["en"] = "needs A | B";
  for (auto& d : input["model"]["datasets"]) d["name"] = "customers | prospects";
  const std::string md = render_markdown(input);
  EXPECT_NE(md.find("needs A \\| B"), std::string::npos) << md;
  EXPECT_NE(md.find("customers \\| prospects"), std::string::npos) << md;
  // No table row has an unescaped pipe beyond its column separators.
  std::istringstream lines(md);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("|", 0) == 0) {
      EXPECT_EQ(line.find("A | B"), std::string::npos) << line;
    }
  }
}

TEST(TabularMarkdown, SummaryFindingsPathsAndRegister) {
  const json input = testing::scenario_report_input("eu-jp-us-transfer", "2020-08-01");
  const std::string md = render_markdown(input);
  EXPECT_EQ(md.rfind("# Cross-border transfer report: ", 0), 0u);
  EXPECT_NE(md.find("- Checked at: 2020-08-01"), std::string::npos) << md;
  EXPECT_NE(md.find("## Summary"), std::string::npos);
  EXPECT_NE(md.find("| 2 | 1 | 0 | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("[Regulation (EU) 2016/679 (GDPR), Art. "
                    "44](https://eur-lex.europa.eu/eli/reg/2016/679/oj)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Germany (DE) → United States (US)"), std::string::npos) << md;
  EXPECT_NE(md.find("### 1. violation — EU-GDPR-44"), std::string::npos) << md;
  EXPECT_NE(md.find("**missing** — none of these holds: adequacy decision (Art. 45)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("disclosure scope: parties:"), std::string::npos) << md;
  EXPECT_NE(md.find("## Transfer register"), std::string::npos) << md;
}

// ---- goldens ---------------------------------------------------------------------------------

class TabularGolden : public ::testing::TestWithParam<std::string> {};

void compare_golden(const std::filesystem::path& golden, const std::string& actual) {
  if (std::getenv("XBORDER_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden))
      << golden << " missing; run with XBORDER_UPDATE_GOLDEN=1";
  EXPECT_EQ(read_text(golden), actual)
      << golden << ": rewrite with XBORDER_UPDATE_GOLDEN=1 and review the diff";
}

TEST_P(TabularGolden, MarkdownMatchesGoldenFile) {
  const json input = testing::scenario_report_input(GetParam());
  compare_golden(testing::source_dir() / "tests" / "golden" / "report" / GetParam() / "report.md",
                 render_markdown(input));
}

TEST_P(TabularGolden, RegisterCsvMatchesGoldenFile) {
  const json input = testing::scenario_report_input(GetParam());
  compare_golden(
      testing::source_dir() / "tests" / "golden" / "report" / GetParam() / "register.csv",
      render_register_csv(input));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, TabularGolden, ::testing::ValuesIn(scenario_names()),
                         [](const auto& info) { return testing::param_name(info.param); });

}  // namespace
}  // namespace xborder::report_tabular_test
