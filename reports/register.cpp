#include "reports/register.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "reports/input_view.hpp"

namespace xborder {
namespace {

using input::citation_text;
using input::find_by_id;
using nlohmann::json;

bool crosses_border(const json& edge) {
  const auto from = edge.value("from_country", json());
  const auto to = edge.value("to_country", json());
  if (!from.is_string() || !to.is_string()) return true;  // unknown on either side
  return from != to;
}

int severity(const std::string& verdict) {
  if (verdict == "violation") return 2;
  if (verdict == "undetermined") return 1;
  return 0;
}

json string_or_null(const json& value) {
  return value.is_string() ? value : json();
}

void push_unique(json& array, const json& value) {
  if (std::find(array.begin(), array.end(), value) == array.end()) array.push_back(value);
}

}  // namespace

json transfer_register(const json& input) {
  static const std::set<std::string> events{"transfer", "store", "remote_access"};
  const json empty = json::array();
  const auto& check = input.contains("check") ? input["check"] : json::object();
  const auto& findings = check.contains("findings") ? check["findings"] : empty;
  const auto& model = input.contains("model") ? input["model"] : json::object();
  const auto& parties = model.contains("parties") ? model["parties"] : empty;
  const auto& datasets = model.contains("datasets") ? model["datasets"] : empty;

  // (dataset, edge id) -> row under construction
  std::map<std::pair<std::string, std::string>, json> rows;
  for (const auto& f : findings) {
    const auto& edge = f.contains("edge") ? f["edge"] : json::object();
    const auto event = f.value("event", edge.value("kind", ""));
    if (!events.count(event) || !crosses_border(edge)) continue;
    const auto edge_id = edge.value("id", "");
    const auto dataset = f.value("dataset", "");
    auto [it, inserted] = rows.try_emplace({dataset, edge_id});
    json& row = it->second;
    if (inserted) {
      const json* ds = find_by_id(datasets, dataset);
      const auto exporter = string_or_null(edge.value("exporter", json()));
      const auto importer = string_or_null(edge.value("importer", json()));
      const json* exp =
          exporter.is_string() ? find_by_id(parties, exporter.get<std::string>()) : nullptr;
      const json* imp =
          importer.is_string() ? find_by_id(parties, importer.get<std::string>()) : nullptr;
      row = json{
          {"edge", edge_id},
          {"implicit", edge.value("implicit", false)},
          {"kind", edge.value("kind", "")},
          {"event", event},
          {"dataset", dataset},
          {"dataset_name", ds ? ds->value("name", dataset) : dataset},
          {"categories",
           ds && (*ds)["categories"].is_array() ? (*ds)["categories"] : json::array()},
          {"categories_unknown",
           ds && ds->contains("categories_unknown") && (*ds)["categories_unknown"].is_array()
               ? (*ds)["categories_unknown"]
               : json::array()},
          {"exporter", exporter},
          {"exporter_name", exp ? exp->value("name", "") : std::string()},
          {"exporter_country", string_or_null(edge.value("from_country", json()))},
          {"exporter_established", exp ? string_or_null(exp->value("country", json())) : json()},
          {"importer", importer},
          {"importer_name", imp ? imp->value("name", "") : std::string()},
          {"importer_country", string_or_null(edge.value("to_country", json()))},
          {"importer_established", imp ? string_or_null(imp->value("country", json())) : json()},
          {"mechanism", json::array()},
          {"mechanism_ja", json::array()},
          {"mechanism_detail", json::array()},
          {"legal_basis", json::array()},
          {"status", f.value("verdict", "undetermined")},
          {"rules", json::array()},
          {"findings", json::array()},
          {"model_pointer", f.value("model_pointer", "")}};
    }
    const auto verdict = f.value("verdict", "undetermined");
    if (severity(verdict) > severity(row["status"].get<std::string>())) row["status"] = verdict;
    const auto rule = f.value("rule", "");
    push_unique(row["rules"], rule);
    row["findings"].push_back(
        {{"rule", rule}, {"verdict", verdict}, {"place", f.value("place", "")}});
    // Only the routes of basis rules are mechanisms; duties add conditions on top of them.
    if (f.value("rule_kind", "") != "basis" || !f.contains("routes")) continue;
    for (const auto& route : f["routes"]) {
      const auto status = route.value("status", "");
      if (status != "available" && status != "depends_on_unknowns") continue;
      const auto& title = route.contains("title") ? route["title"] : json::object();
      const auto en = title.value("en", route.value("id", ""));
      push_unique(row["mechanism"], en);
      push_unique(row["mechanism_ja"], title.value("ja", en));
      const auto cite = citation_text(route.value("citation", json()));
      row["mechanism_detail"].push_back({{"rule", rule},
                                         {"route", route.value("id", "")},
                                         {"status", status},
                                         {"citation", cite}});
      if (!cite.empty()) push_unique(row["legal_basis"], cite);
    }
  }

  json out = json::array();
  for (auto& [key, row] : rows) {
    std::sort(row["rules"].begin(), row["rules"].end());
    std::sort(row["findings"].begin(), row["findings"].end(), [](const json& a, const json& b) {
      return a["rule"].get<std::string>() < b["rule"].get<std::string>();
    });
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace xborder
