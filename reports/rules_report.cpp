#include "reports/rules_report.hpp"

namespace xborder {

using nlohmann::json;

namespace {
json catalogue_citation(const Citation& c) {
  return {{"instrument", c.instrument},
          {"article", c.article},
          {"url", c.url},
          {"verified", c.verified}};
}
json optional_date(const std::optional<Date>& d) {
  return d ? json(d->to_string()) : json(nullptr);
}
}  // namespace

json catalogue_item_to_json(const CatalogueItem& item) {
  json j = {
      {"kind", item.kind},
      {"place", item.place},
      {"id", item.id},
      {"title", item.title},
      {"valid", {{"from", optional_date(item.valid.from)}, {"to", optional_date(item.valid.to)}}},
      {"citation", catalogue_citation(item.citation)},
      {"file", item.file.generic_string()},
      {"pointer", item.pointer}};
  if (!item.disagreements.empty()) {
    json list = json::array();
    for (const auto& d : item.disagreements)
      list.push_back({{"citation", catalogue_citation(d.citation)}, {"says", d.says}});
    j["sources_disagree"] = std::move(list);
    j["follows"] = item.follows;
  }
  return j;
}

json rules_in_force_to_json(const std::vector<CatalogueItem>& items, Date at) {
  json out = json::array();
  for (const auto& item : items) out.push_back(catalogue_item_to_json(item));
  return {{"at", at.to_string()}, {"items", std::move(out)}};
}

json rule_changes_to_json(const std::vector<CatalogueChange>& changes, Date from, Date to) {
  json out = json::array();
  for (const auto& c : changes) {
    json j = catalogue_item_to_json(c.item);
    j["change"] = c.started ? "started" : "ended";
    out.push_back(std::move(j));
  }
  return {{"from", from.to_string()}, {"to", to.to_string()}, {"changes", std::move(out)}};
}

}  // namespace xborder
