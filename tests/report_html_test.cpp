// The HTML report: a golden file per shipped scenario (checked at the first date of its
// expected.json; XBORDER_UPDATE_GOLDEN=1 rewrites tests/golden/report/<scenario>/report.html),
// and the properties every report must have: no resource loaded from the network, all text
// escaped, one SVG group per graph node.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "reports/html_report.hpp"
#include "reports/report_input.hpp"
#include "tests/test_support.hpp"

namespace xborder::report_html_test {
namespace {

using nlohmann::json;
using testing::expect_golden;
using testing::read_text;
using testing::scenario_names;

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + needle.size()))
    ++n;
  return n;
}

// Anything the browser would fetch by itself: <script src>, <link href>, <img src>, <iframe src>,
// CSS url(...) and @import. Citation links (<a href>) are only followed on a click and are fine.
std::vector<std::string> network_loads(const std::string& html) {
  std::vector<std::string> out;
  const std::regex loads(
      R"((<(script|link|img|iframe|embed|object|source|video|audio|image|use)\b[^>]*\b(src|href|data|xlink:href)\s*=\s*["']?\s*(https?:)?//)|(url\(\s*["']?\s*(https?:)?//)|(@import))",
      std::regex::icase);
  for (std::sregex_iterator it(html.begin(), html.end(), loads), end; it != end; ++it)
    out.push_back(it->str());
  return out;
}

class HtmlGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(HtmlGolden, MatchesGoldenFile) {
  const std::string html = render_html(testing::scenario_report_input(GetParam()));
  const auto golden =
      testing::source_dir() / "tests" / "golden" / "report" / GetParam() / "report.html";
  if (std::getenv("XBORDER_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << html;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden))
      << golden << " is missing; run with XBORDER_UPDATE_GOLDEN=1";
  EXPECT_TRUE(read_text(golden) == html)
      << "the HTML report of " << GetParam() << " differs from " << golden
      << "; review and rewrite with XBORDER_UPDATE_GOLDEN=1";
}

TEST_P(HtmlGolden, SelfContainedAndComplete) {
  const json input = testing::scenario_report_input(GetParam());
  const std::string html = render_html(input);
  EXPECT_EQ(html, render_html(input)) << "rendering must be deterministic";
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  for (const auto& load : network_loads(html)) ADD_FAILURE() << "loads a resource: " << load;
  // One SVG group per graph node, tagged with its id.
  const auto& nodes = input["graph"]["nodes"];
  EXPECT_EQ(count(html, "<g class=\"node "), nodes.size());
  EXPECT_NE(html.find("data-nodes=\"" + std::to_string(nodes.size()) + "\""), std::string::npos);
  // One table row per finding, with the verdict the filter reads.
  const auto& findings = input["check"]["findings"];
  EXPECT_EQ(count(html, "<tr class=\"finding "), findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    EXPECT_NE(html.find("id=\"finding-" + std::to_string(i + 1) + "\""), std::string::npos);
  }
  EXPECT_NE(html.find("id=\"lang-switch\""), std::string::npos);
  EXPECT_NE(html.find("id=\"selftest\""), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, HtmlGolden, ::testing::ValuesIn(scenario_names()),
                         [](const auto& info) { return testing::param_name(info.param); });

TEST(HtmlReport, EscapesModelTextAndAttributes) {
  json input = testing::scenario_report_input("eu-jp-us-transfer");
  input["check"]["model"]["name"] = "Acme <script>alert(1)</script> & \"Co\"";
  input["model"]["name"] = input["check"]["model"]["name"];
  input["graph"]["nodes"][0]["label"] = "x\"><img src=y onerror=alert(2)>";
  input["check"]["findings"][0]["place"] = "p\"onmouseover=\"alert(3)";
  const std::string html = render_html(input);
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("Acme &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"),
            std::string::npos);
  EXPECT_EQ(html.find("<img src=y"), std::string::npos);
  EXPECT_EQ(html.find("\"onmouseover=\""), std::string::npos);
  EXPECT_NE(html.find("p&quot;onmouseover=&quot;alert(3)"), std::string::npos);
  EXPECT_EQ(count(html, "<script>"), 1u) << "only the report's own inline script";
}

TEST(HtmlReport, NetworkCheckCatchesLoadsButNotCitationLinks) {
  EXPECT_EQ(network_loads("<a href=\"https://laws.e-gov.go.jp/\">Art. 28</a>").size(), 0u);
  EXPECT_EQ(network_loads("<path marker-end=\"url(#arrow-flow)\"/>").size(), 0u);
  EXPECT_EQ(network_loads("<script src=\"https://cdn.example/x.js\"></script>").size(), 1u);
  EXPECT_EQ(network_loads("<link rel=stylesheet href='//fonts.example/css'>").size(), 1u);
  EXPECT_EQ(network_loads("body{background:url( \"http://x/y.png\")}").size(), 1u);
}

TEST(HtmlReport, HighlightsViolatingPathAndDashesImplicitEdges) {
  const json input = testing::scenario_report_input("multi-tier-cloud");
  const std::string html = render_html(input);
  EXPECT_NE(html.find("class=\"node party violation\" data-node=\"party:studio-customers\""),
            std::string::npos);
  EXPECT_NE(html.find("class=\"edge remote_access implicit violation\""), std::string::npos);
  EXPECT_NE(html.find("class=\"edge hosting implicit\""), std::string::npos);
  EXPECT_NE(html.find("<title>hosting:"), std::string::npos);
  // Rule titles and UI labels in both languages.
  EXPECT_NE(html.find("外国にある第三者への提供"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"ja\" lang=\"ja\">概要</span>"), std::string::npos);
}

TEST(HtmlReport, SimulationTimelineWhenPresent) {
  json input = testing::scenario_report_input("eu-jp-us-transfer");
  EXPECT_EQ(render_html(input).find("id=\"simulation\""), std::string::npos);
  input["simulation"] = json::array(
      {{{"from", "2020-01-01"},
        {"to", "2020-07-16"},
        {"label", "Privacy Shield"},
        {"verdict", "compliant"}},
       {{"from", "2020-07-16"},
        {"to", "2023-07-10"},
        {"label", "gap <none>"},
        {"verdict", "violation"}},
       {{"from", "2023-07-10"}, {"to", nullptr}, {"label", "DPF"}, {"verdict", "compliant"}}});
  const std::string html = render_html(input);
  EXPECT_NE(html.find("id=\"simulation\""), std::string::npos);
  EXPECT_EQ(count(html, "<g class=\"sim "), 3u);
  EXPECT_NE(html.find("gap &lt;none&gt;"), std::string::npos);
}

TEST(HtmlReport, RendersAModelWithoutFindings) {
  const json input = {{"format", kReportInputFormat},
                      {"check",
                       {{"at", "2024-01-01"},
                        {"findings", json::array()},
                        {"places", json::array()},
                        {"summary", json::object()}}},
                      {"graph", {{"nodes", json::array()}, {"edges", json::array()}}},
                      {"model",
                       {{"name", "empty"},
                        {"parties", json::array()},
                        {"systems", json::array()},
                        {"datasets", json::array()},
                        {"flows", json::array()}}},
                      {"countries", json::object()}};
  const std::string html = render_html(input);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

}  // namespace
}  // namespace xborder::report_html_test
