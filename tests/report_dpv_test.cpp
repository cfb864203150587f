// `report --format dpv`: every scenario as DPV 2.3 JSON-LD with the documented context, one node
// per party, data set, graph edge and finding, only DPV terms that exist (docs/export-dpv.md), and
// the check's violations as dpv:ComplianceViolation about their edges.
#include <gtest/gtest.h>

#include <set>

#include "reports/dpv_export.hpp"
#include "reports/render.hpp"
#include "tests/test_support.hpp"

namespace xborder::report_dpv_test {
namespace {

using nlohmann::json;

// The DPV 2.3 terms docs/export-dpv.md lists (each checked in 2.3/dpv/dpv.ttl).
const std::set<std::string> kDpvTerms = {"dpv:LegalEntity",
                                         "dpv:DataSubject",
                                         "dpv:hasName",
                                         "dpv:hasCountry",
                                         "dpv:PersonalData",
                                         "dpv:SpecialCategoryPersonalData",
                                         "dpv:PseudonymisedData",
                                         "dpv:AnonymisedData",
                                         "dpv:NonPersonalData",
                                         "dpv:Data",
                                         "dpv:hasPurpose",
                                         "dpv:Purpose",
                                         "dpv:hasDataController",
                                         "dpv:Process",
                                         "dpv:hasProcessing",
                                         "dpv:CrossBorderTransfer",
                                         "dpv:Transfer",
                                         "dpv:Store",
                                         "dpv:Access",
                                         "dpv:Collect",
                                         "dpv:Erase",
                                         "dpv:Processing",
                                         "dpv:hasData",
                                         "dpv:hasPersonalData",
                                         "dpv:hasDataExporter",
                                         "dpv:hasDataImporter",
                                         "dpv:hasRecipient",
                                         "dpv:hasLocation",
                                         "dpv:StorageLocation",
                                         "dpv:hasLawfulness",
                                         "dpv:Lawful",
                                         "dpv:Unlawful",
                                         "dpv:LawfulnessUnknown",
                                         "dpv:hasComplianceStatus",
                                         "dpv:ComplianceViolation",
                                         "dpv:Compliant",
                                         "dpv:ComplianceIndeterminate"};

// Every dpv: word used as a key, a type or a referenced id.
void collect_terms(const json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key.rfind("dpv:", 0) == 0) out.insert(key);
      if ((key == "@type" || key == "@id") && value.is_string() &&
          value.get<std::string>().rfind("dpv:", 0) == 0)
        out.insert(value.get<std::string>());
      collect_terms(value, out);
    }
  } else if (j.is_array()) {
    for (const auto& e : j) {
      if (e.is_string() && e.get<std::string>().rfind("dpv:", 0) == 0) out.insert(e);
      collect_terms(e, out);
    }
  }
}

class DpvExport : public ::testing::TestWithParam<std::string> {};

TEST_P(DpvExport, IsJsonLdWithTheDocumentedContextAndNodes) {
  const json input = testing::scenario_report_input(GetParam());
  const std::string text = render_report(input, "dpv", nullptr);
  const json doc = json::parse(text);  // valid JSON, or the test fails here
  EXPECT_EQ(doc["@context"]["dpv"], "https://w3id.org/dpv#");
  EXPECT_EQ(doc["@context"]["loc"], "https://w3id.org/dpv/loc#");
  EXPECT_EQ(doc["xb:format"], kDpvExportFormat);
  EXPECT_EQ(doc["xb:dpvVersion"], "https://w3id.org/dpv/2.3");
  std::map<std::string, const json*> by_id;
  std::size_t parties = 0, data = 0, edges = 0, findings = 0;
  for (const auto& n : doc["@graph"]) {
    ASSERT_TRUE(n.contains("@id") && n.contains("@type")) << n.dump();
    EXPECT_TRUE(by_id.emplace(n["@id"], &n).second) << "two nodes " << n["@id"];
    const std::string id = n["@id"];
    parties += id.rfind("urn:xborder:party:", 0) == 0;
    data += id.rfind("urn:xborder:data:", 0) == 0;
    edges += id.rfind("urn:xborder:edge:", 0) == 0;
    findings += id.rfind("urn:xborder:finding:", 0) == 0;
    for (const auto* key : {"dpv:hasCountry", "xb:fromCountry", "xb:toCountry"}) {
      if (!n.contains(key)) continue;
      const json list = n[key].is_array() ? n[key] : json::array({n[key]});
      for (const auto& c : list) {
        const std::string code = c["@id"];
        ASSERT_EQ(code.rfind("loc:", 0), 0u) << code;
        EXPECT_NE(testing::reference().country(code.substr(4)), nullptr) << code;
      }
    }
  }
  EXPECT_EQ(parties, input["model"]["parties"].size());
  EXPECT_EQ(data, input["model"]["datasets"].size());
  EXPECT_EQ(edges, input["graph"]["edges"].size());
  EXPECT_EQ(findings, input["check"]["findings"].size());
  std::set<std::string> used;
  collect_terms(doc, used);
  for (const auto& term : used) EXPECT_TRUE(kDpvTerms.count(term)) << "not a listed term: " << term;
  // Each finding's status matches its verdict, and it is about an edge of the export.
  std::size_t k = 0;
  for (const auto& f : input["check"]["findings"]) {
    const json* node = by_id["urn:xborder:finding:" + std::to_string(++k)];
    ASSERT_NE(node, nullptr);
    EXPECT_EQ((*node)["xb:rule"], f["rule"]);
    const std::string verdict = f["verdict"];
    const std::string status = (*node)["dpv:hasComplianceStatus"]["@id"];
    EXPECT_EQ(status, verdict == "violation"   ? "dpv:ComplianceViolation"
                      : verdict == "compliant" ? "dpv:Compliant"
                                               : "dpv:ComplianceIndeterminate");
    const json* edge = by_id[(*node)["xb:about"]["@id"].get<std::string>()];
    ASSERT_NE(edge, nullptr) << (*node)["xb:about"];
    EXPECT_EQ((*edge)["@type"], "dpv:Process");
    if (verdict == "violation") {
      EXPECT_EQ((*edge)["dpv:hasLawfulness"]["@id"], "dpv:Unlawful");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, DpvExport, ::testing::ValuesIn(testing::scenario_names()),
                         [](const auto& info) { return testing::param_name(info.param); });

}  // namespace
}  // namespace xborder::report_dpv_test
