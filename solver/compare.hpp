// Gap analysis between regimes, "on the same scale" (ルール間のギャップ分析): over the symbolic
// space of flows, every class of flows that one regime allows and another forbids, as a table of
// generalised cells, each with a witness flow and the rules responsible on either side.
// Z3 stays behind this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/date.hpp"
#include "model/diagnostic.hpp"
#include "solver/checker.hpp"
#include "solver/rule_pack.hpp"

namespace xborder {

// One side of a comparison: the places (rule packs) of a regime, at a date, optionally under a
// condition that holds for this side only (e.g. `importer.country == 'US'`).
struct Regime {
  std::string label;  // as the user wrote it: "EU", "JP@2020-07-15", "eu-gdpr+us-access"
  std::vector<std::string> places;  // place ids
  Date at;
  std::string where;              // rule-language condition on this side ("" for none)
  std::vector<std::string> home;  // countries the regime is at home in, at `at`
};

// Which places a jurisdiction token selects, and what counts as a country.
struct RegimeSelection {
  // Place categories a jurisdiction token selects (a place id is taken whatever its category);
  // empty: every category.
  std::vector<std::string> categories = {"personal_data"};
  // ISO codes: a jurisdiction that is one of them is its own home. Empty: any two capitals.
  std::vector<std::string> country_codes;
};

// Resolves a regime written as `TOKEN[+TOKEN…][@YYYY-MM-DD]`, where a token is a place id or a
// jurisdiction ("EU", "JP", "GB"; "UK" is read as "GB"). Errors go to `diags` (XB-COMPARE-0xx)
// with `pointer` naming the argument.
std::optional<Regime> resolve_regime(const RuleBase& rules, std::string_view text, Date default_at,
                                     const std::string& pointer, Diagnostics& diags,
                                     const RegimeSelection& selection = {});

// How the exporter side of a flow is read. kHome: each regime sees the flow from its own home —
// the exporter is a company established and located there, the data is about people there and
// has been nowhere else (so "EU vs JP" compares an EU exporter with a Japanese one sending the
// same data to the same importer); the default when every regime has a home. kShared: every
// regime sees the very same flow, exporter included (the default when a regime has no home,
// e.g. an organisation's policy).
enum class CompareFrame { kHome, kShared };
XBORDER_ENUM_NAMES(CompareFrame, "home", "shared")

struct CompareOptions {
  std::optional<CompareFrame> frame;  // default: home when every regime has a home
  std::string scope;                  // rule-language condition on the flows compared
  std::size_t max_cells = 500;        // per direction; beyond it the table is marked incomplete
  bool basis_only = false;            // only rules of kind basis decide "allows"
  bool detail = false;                // also write each class over the context variables
  bool verify = false;  // re-check every table independently (sound and complete); for tests
  std::vector<std::string> country_codes;  // to check country literals in conditions
};

// One conjunct of a cell, written in the rule language so that it can be pasted into --scope.
struct CellCondition {
  std::string side;      // "" for the shared flow; a regime label for that side's own view
  std::string variable;  // "importer.country", "importer.reach"
  std::string text;      // "importer.country not in ['CH', 'JP']"
};

// A rule at the witness: on the allowing side, a rule that applies and the routes that hold; on
// the forbidding side, a rule that is broken (no route holds) and the routes it offers.
struct CellRule {
  std::string rule_id;
  std::string kind;
  Text title;
  Citation citation;
  std::string place;
  std::vector<std::string> routes;
};

// At the top level, a class of flows written over the rules' predicates ("EU-GDPR-44 applies",
// "JP-APPI-28: standard_system holds"); its `flows`, when asked for, are the same class written
// over the context variables.
struct GapCell {
  std::vector<CellCondition> conditions;                     // their conjunction implies the gap
  std::vector<std::pair<std::string, std::string>> witness;  // variable → value, one concrete flow
  std::vector<CellRule> allowing;
  std::vector<CellRule> forbidding;
  std::vector<GapCell> flows;  // CompareOptions::detail: the class as cells over variables
  bool flows_complete = true;
};

// Everything regime `allows` allows and regime `forbids` forbids, as cells (which may overlap)
// whose union is exactly that set of flows when `complete`.
struct GapTable {
  std::size_t allows = 0;  // indexes into CompareResult::regimes
  std::size_t forbids = 0;
  std::vector<GapCell> cells;
  bool complete = true;  // false when max_cells stopped the enumeration
};

struct CompareStats {
  std::uint64_t solver_queries = 0;
  std::uint64_t cells = 0;
  double seconds = 0;
};

struct CompareResult {
  std::vector<Regime> regimes;
  CompareFrame frame = CompareFrame::kHome;
  std::string scope;
  std::vector<GapTable> tables;  // for every ordered pair (i allows, j forbids), i != j
  CompareStats stats;
  // XB-COMPARE-006 for each regime none of whose rules is in force at its date (it forbids
  // nothing there): shown in every format of the result, whatever the exit code.
  Diagnostics warnings;
  [[nodiscard]] const GapTable* table(std::size_t allows, std::size_t forbids) const;
};

// Errors in the conditions (scope, a regime's `where`) go to `diags` and yield nullopt.
std::optional<CompareResult> compare_regimes(const RuleBase& rules,
                                             const std::vector<Regime>& regimes,
                                             const CompareOptions& options, Diagnostics& diags);

// `check --regimes`: on a model, the events where regimes that apply at the same time disagree
// (one finds a violation, another finds nothing wrong or no rule of its own applying).

struct RegimeVerdict {
  std::string regime;              // label
  std::optional<Verdict> verdict;  // the worst verdict of its rules; nullopt: none applies
  std::vector<std::string> rules;  // "EU-GDPR-44: violation"
};

struct RegimeDisagreement {
  std::string edge;
  std::string dataset;
  Event event = Event::kTransfer;
  EdgeKind edge_kind = EdgeKind::kFlow;
  std::string from_node, to_node, from_country, to_country;
  std::vector<PathStep> path;           // a witness path to the event
  std::vector<RegimeVerdict> verdicts;  // one per regime, in the order given
};

// Per edge and data set (the checker merges states there), each regime's worst verdict; kept
// where one regime finds a violation or undetermined verdict and another does not.
std::vector<RegimeDisagreement> regime_disagreements(const CheckResult& result,
                                                     const std::vector<Regime>& regimes);

}  // namespace xborder
