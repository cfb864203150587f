// The JSON of `rules list` and `rules diff` (and of the Python package's `rules.list/diff`): the
// rule catalogue's items in force at a date, and what changes between two dates.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "solver/rule_catalog.hpp"

namespace xborder {

// One item: kind, place, id, title, validity, citation, file and pointer; `sources_disagree` and
// `follows` only on items whose sources disagree.
nlohmann::json catalogue_item_to_json(const CatalogueItem& item);
// `{at, items}`: the items in force at `at`.
nlohmann::json rules_in_force_to_json(const std::vector<CatalogueItem>& items, Date at);
// `{from, to, changes}`: each item that starts or ends between the dates, with `change`.
nlohmann::json rule_changes_to_json(const std::vector<CatalogueChange>& changes, Date from,
                                    Date to);

}  // namespace xborder
