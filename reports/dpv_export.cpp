#include "reports/dpv_export.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reports/input_view.hpp"

namespace xborder {
namespace {

using input::array_member;
using input::member;
using input::str;
using nlohmann::json;

// Our own items: URNs under urn:xborder: (ids are letters, digits and - _ . : @ /, all allowed in
// a URN's specific string; other characters of implicit edge ids are percent-encoded).
std::string urn(const std::string& kind, const std::string& id) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "urn:xborder:" + kind + ":";
  for (const unsigned char c : id) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '@' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

json id_ref(const std::string& iri) {
  return json{{"@id", iri}};
}

json country_ref(const json& code) {
  return code.is_string() ? id_ref("loc:" + code.get<std::string>()) : json();
}

// The model's categories as DPV data concepts (dpv: terms of DPV 2.3).
json data_types(const json& categories) {
  static const std::map<std::string, std::string> types = {
      {"personal_data", "dpv:PersonalData"},
      {"special_category", "dpv:SpecialCategoryPersonalData"},
      {"pseudonymised", "dpv:PseudonymisedData"},
      {"anonymised", "dpv:AnonymisedData"},
      {"non_personal", "dpv:NonPersonalData"}};
  json out = json::array();
  for (const auto& c : categories) {
    if (!c.is_string()) continue;
    if (auto it = types.find(c.get<std::string>()); it != types.end()) out.push_back(it->second);
  }
  if (out.empty()) out.push_back("dpv:Data");
  return out;
}

std::string processing(const std::string& event, bool cross_border) {
  if (event == "transfer") return cross_border ? "dpv:CrossBorderTransfer" : "dpv:Transfer";
  if (event == "store") return "dpv:Store";
  if (event == "remote_access") return "dpv:Access";
  if (event == "collect") return "dpv:Collect";
  if (event == "dispose") return "dpv:Erase";
  return "dpv:Processing";
}

std::string compliance(const std::string& verdict) {
  if (verdict == "violation") return "dpv:ComplianceViolation";
  if (verdict == "compliant") return "dpv:Compliant";
  return "dpv:ComplianceIndeterminate";
}

std::string lawfulness(const std::string& verdict) {
  if (verdict == "violation") return "dpv:Unlawful";
  if (verdict == "compliant") return "dpv:Lawful";
  return "dpv:LawfulnessUnknown";
}

int severity(const std::string& verdict) {
  return verdict == "violation" ? 2 : verdict == "undetermined" ? 1 : 0;
}

}  // namespace

json dpv_document(const json& input) {
  const json& model = member(input, "model");
  const json& graph = member(input, "graph");
  const json& check = member(input, "check");
  json nodes = json::array();

  for (const auto& p : array_member(model, "parties")) {
    const std::string id = str(p, "id");
    const bool subjects = str(p, "kind") == "data_subjects";
    json n{{"@id", urn("party", id)},
           {"@type", subjects ? "dpv:DataSubject" : "dpv:LegalEntity"},
           {"xb:id", id}};
    if (!str(p, "name").empty()) n["dpv:hasName"] = str(p, "name");
    if (const json c = country_ref(member(p, "country")); !c.is_null())
      n["dpv:hasCountry"] = c;
    else
      n["xb:countryUnknown"] = true;
    nodes.push_back(std::move(n));
  }
  std::map<std::string, json> dataset_categories;
  for (const auto& d : array_member(model, "datasets")) {
    const std::string id = str(d, "id");
    dataset_categories[id] = array_member(d, "categories");
    json n{{"@id", urn("data", id)},
           {"@type", data_types(array_member(d, "categories"))},
           {"xb:id", id},
           {"rdfs:label", str(d, "name", id)},
           {"xb:categories", array_member(d, "categories")},
           {"xb:categoriesUnknown", array_member(d, "categories_unknown")}};
    json purposes = json::array();
    for (const auto& purpose : array_member(d, "purposes"))
      if (purpose.is_string())
        purposes.push_back({{"@type", "dpv:Purpose"}, {"rdfs:label", purpose}});
    if (!purposes.empty()) n["dpv:hasPurpose"] = purposes;
    if (member(d, "controller").is_string() && str(d, "controller") != "unknown")
      n["dpv:hasDataController"] = id_ref(urn("party", str(d, "controller")));
    nodes.push_back(std::move(n));
  }

  // The graph's nodes: who holds each and in which country.
  std::map<std::string, const json*> graph_nodes;
  for (const auto& n : array_member(graph, "nodes")) graph_nodes[str(n, "id")] = &n;
  // The data on each edge: a flow's data sets, and those the findings name (implicit edges).
  std::map<std::string, std::set<std::string>> edge_data;
  std::map<std::string, std::string> edge_worst;
  for (const auto& f : array_member(check, "findings")) {
    const std::string edge = str(member(f, "edge"), "id");
    if (!str(f, "dataset").empty()) edge_data[edge].insert(str(f, "dataset"));
    const std::string verdict = str(f, "verdict", "undetermined");
    auto [it, inserted] = edge_worst.try_emplace(edge, verdict);
    if (!inserted && severity(verdict) > severity(it->second)) it->second = verdict;
  }
  for (const auto& e : array_member(graph, "edges")) {
    const std::string id = str(e, "id");
    for (const auto& d : array_member(e, "datasets"))
      if (d.is_string()) edge_data[id].insert(d.get<std::string>());
    const json* from = graph_nodes.count(str(e, "from")) ? graph_nodes[str(e, "from")] : nullptr;
    const json* to = graph_nodes.count(str(e, "to")) ? graph_nodes[str(e, "to")] : nullptr;
    const json from_country = from ? member(*from, "country") : json();
    const json to_country = to ? member(*to, "country") : json();
    const bool cross =
        !from_country.is_string() || !to_country.is_string() || from_country != to_country;
    json n{{"@id", urn("edge", id)},
           {"@type", "dpv:Process"},
           {"xb:id", id},
           {"xb:event", str(e, "event")},
           {"xb:implicit", member(e, "implicit").is_boolean() && e["implicit"].get<bool>()},
           {"dpv:hasProcessing", id_ref(processing(str(e, "event"), cross))}};
    json data = json::array(), personal = json::array();
    for (const auto& d : edge_data[id]) {
      data.push_back(id_ref(urn("data", d)));
      const json& cats = dataset_categories[d];
      if (std::find(cats.begin(), cats.end(), "personal_data") != cats.end())
        personal.push_back(id_ref(urn("data", d)));
    }
    if (!data.empty()) n["dpv:hasData"] = data;
    if (!personal.empty()) n["dpv:hasPersonalData"] = personal;
    if (from && !str(*from, "holder").empty())
      n["dpv:hasDataExporter"] = id_ref(urn("party", str(*from, "holder")));
    if (to && !str(*to, "holder").empty()) {
      n["dpv:hasDataImporter"] = id_ref(urn("party", str(*to, "holder")));
      n["dpv:hasRecipient"] = id_ref(urn("party", str(*to, "holder")));
    }
    json countries = json::array();
    if (from_country.is_string()) countries.push_back(country_ref(from_country));
    if (to_country.is_string() && to_country != from_country)
      countries.push_back(country_ref(to_country));
    if (!countries.empty()) n["dpv:hasCountry"] = countries;
    if (from_country.is_string()) n["xb:fromCountry"] = country_ref(from_country);
    if (to_country.is_string()) n["xb:toCountry"] = country_ref(to_country);
    if (to && member(*to, "country").is_string())
      n["dpv:hasLocation"] = {{"@type", "dpv:StorageLocation"},
                              {"rdfs:label", str(*to, "id")},
                              {"dpv:hasCountry", country_ref(to_country)}};
    if (auto it = edge_worst.find(id); it != edge_worst.end())
      n["dpv:hasLawfulness"] = id_ref(lawfulness(it->second));
    nodes.push_back(std::move(n));
  }

  std::size_t k = 0;
  for (const auto& f : array_member(check, "findings")) {
    const std::string rule = str(f, "rule"), dataset = str(f, "dataset");
    const std::string edge = str(member(f, "edge"), "id");
    const std::string verdict = str(f, "verdict", "undetermined");
    json n{{"@id", urn("finding", std::to_string(++k))},
           {"@type", "xb:Finding"},
           {"xb:rule", rule},
           {"xb:verdict", verdict},
           {"dpv:hasComplianceStatus", id_ref(compliance(verdict))},
           {"xb:about", id_ref(urn("edge", edge))}};
    if (!dataset.empty()) n["dpv:hasData"] = id_ref(urn("data", dataset));
    const json& title = member(f, "title");
    if (title.is_object() && title.contains("en"))
      n["rdfs:label"] = title["en"];
    else if (title.is_string())
      n["rdfs:label"] = title;
    const std::string cite = input::citation_text(member(f, "citation"));
    if (!cite.empty()) n["xb:citation"] = cite;
    if (!str(f, "place").empty()) n["xb:place"] = str(f, "place");
    nodes.push_back(std::move(n));
  }

  json context{{"dpv", "https://w3id.org/dpv#"},
               {"loc", "https://w3id.org/dpv/loc#"},
               {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
               {"xb", "urn:xborder:vocab:"}};
  return json{{"@context", context},
              {"@id", urn("map", str(model, "name", "model"))},
              {"xb:format", kDpvExportFormat},
              {"xb:dpvVersion", std::string("https://w3id.org/dpv/") + kDpvVersion},
              {"rdfs:label", str(model, "name")},
              {"xb:checkedAt", str(check, "at")},
              {"@graph", nodes}};
}

}  // namespace xborder
