// The rule base seen as a catalogue a lawyer can review: what is in force at a date, what changed
// between two dates, and a lint of provenance and validity intervals (`xborder rules …`).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/date.hpp"
#include "model/diagnostic.hpp"
#include "solver/rule_pack.hpp"

namespace xborder {

// One rule, fact entry or reach declaration, with what a reviewer needs to find its source.
struct CatalogueItem {
  std::string kind;   // "rule" | "fact" | "reach"
  std::string place;  // place id of the pack
  std::string id;     // rule id, "fact_set:value", or reach id
  std::string title;  // rule title (en), fact set description, reach label
  Citation citation;
  Validity valid;
  std::string pointer;
  std::filesystem::path file;
  std::vector<Disagreement> disagreements;  // sources that say otherwise (rules and facts)
  std::string follows;                      // which source the item follows
};

// Everything in the rule base, sorted by kind, place and id.
std::vector<CatalogueItem> catalogue(const RuleBase& rules);
// The items in force at `at`.
std::vector<CatalogueItem> in_force(const RuleBase& rules, Date at);

struct CatalogueChange {
  CatalogueItem item;
  bool started = false;  // true: in force at `to` but not at `from`; false: the reverse
};
// What came into or went out of force between two dates.
std::vector<CatalogueChange> changes_between(const RuleBase& rules, Date from, Date to);

// Provenance and time: missing or empty citation parts, a verification date in the future or
// before the instrument could exist, non-https sources (warning), overlapping intervals of the
// same fact (same set, value and instrument), facts marked unverified (warning).
Diagnostics lint(const RuleBase& rules, Date today);

// Unknown vocabulary: the loader already rejects a pack that spells a variable, a value of a
// closed kind (event, SCC set, derogation, certification scheme, tier, …) or a country the
// vocabulary does not know (XB-RULES-003, -041, -042). For `rules lint` those load errors are
// lint defects: each becomes XB-LINT-008 with the loader's code in its hint; other load errors
// are returned unchanged.
Diagnostics lint_load_errors(const Diagnostics& load);

// Regression vectors: a pack under `rules_dir` that has rules and fewer than five vectors of kind
// `official_example` in its folder's `vectors/` (`source.kind`, jurisdictions/README.md) gets
// XB-LINT-009, a warning: its rules are not yet tested against enough of a regulator's own
// examples. Packs outside `rules_dir` (an organisation's `--policies`) are not counted.
Diagnostics vector_coverage(const RuleBase& rules, const std::filesystem::path& rules_dir);

}  // namespace xborder
