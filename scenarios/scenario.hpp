// Scenario files (`xborder-scenario/1`): a base transfer model plus a timeline of dated events and
// stochastic events with rates, each event an edit of the model or of the rule base. Loaded
// strictly: every problem becomes a diagnostic (XB-SIM-0xx) with the scenario file's JSON pointer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/date.hpp"
#include "model/diagnostic.hpp"
#include "model/json_reader.hpp"
#include "model/reference_data.hpp"
#include "model/transfer_model.hpp"
#include "solver/rule_pack.hpp"

namespace xborder {

inline constexpr const char* kScenarioFormat = "xborder-scenario/1";
// A world state is a bit set over the scenario's events (timeline first, then stochastic).
inline constexpr std::size_t kMaxScenarioEvents = 62;

enum class EditKind {
  kRegionFailover,       // systems placed in `region` move to `to` (or to their failover region)
  kAdd,                  // a model fragment (parties, locations, systems, datasets, flows) is added
  kAddSafeguard,         // a safeguard is added to a flow (new SCCs, a TIA)
  kFactEnds,             // fact set `fact` no longer holds `value` (a decision falls)
  kFactStarts,           // fact set `fact` holds `value` (a new decision, a law change)
  kCertificationEnds,    // party's certification `scheme` lapses (and its subsidiaries')
  kCertificationStarts,  // party gains certification `scheme`
};
XBORDER_ENUM_NAMES(EditKind, "region_failover", "add", "add_safeguard", "fact_ends", "fact_starts",
                   "certification_ends", "certification_starts")

// One edit of the base model or rule base, applied to a copy while its event is active.
struct Edit {
  EditKind kind = EditKind::kAdd;
  std::string pointer;  // JSON pointer of the event object in the scenario file
  // region_failover
  Id region;
  std::optional<Id> to;
  std::vector<Id> systems;  // empty: every system placed in `region`
  // add (the fragment's arrays) and add_safeguard
  Json fragment;
  Id flow;
  std::optional<std::string> replaces;  // add_safeguard: drop the flow's safeguards of this type
  // fact_ends / fact_starts
  std::string fact;
  std::string value;
  std::string note;
  // certification_ends / certification_starts
  Id party;
  std::string scheme;
  bool subsidiaries = false;  // certification_ends: also every party whose parent chain has `party`
};

// Active from `at` (until `until`, if given).
struct TimelineEvent {
  std::string id;
  Date at;
  std::optional<Date> until;
  std::string description;
  Edit edit;
};

// A two-state Markov process per event: inactive → active with `rate` per year, active → inactive
// with `recovery` per year (none: permanent). Every run starts with all of them inactive.
struct StochasticEvent {
  std::string id;
  std::string description;
  double rate = 0;  // per year
  std::optional<double> recovery;
  Edit edit;
};

struct Scenario {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::filesystem::path model_file;
  Json model_json;  // the base model as read
  Date start;
  Date end;                         // exclusive: start + horizon
  std::vector<std::string> places;  // rule packs to use (empty: all)
  std::vector<TimelineEvent> timeline;
  std::vector<StochasticEvent> stochastic;

  [[nodiscard]] std::size_t event_count() const { return timeline.size() + stochastic.size(); }
  [[nodiscard]] const std::string& event_id(std::size_t i) const;
  [[nodiscard]] const Edit& edit(std::size_t i) const;
};

struct ScenarioLoadResult {
  std::optional<Scenario> scenario;  // empty when any error was found
  Diagnostics diagnostics;
};

// Reads and validates a scenario: its base model, every event against the model and the rule base
// (dangling ids, bad fragments — whose model errors are reported at their place in the scenario).
ScenarioLoadResult load_scenario(const std::filesystem::path& file, const ReferenceData& reference,
                                 const RuleBase& rules);

// "5y", "18m", "365d" added to a date; nullopt on anything else.
std::optional<Date> add_horizon(Date start, const std::string& horizon);

// The model document with the edits of the active events applied, in scenario order.
struct EditedModel {
  Json document;
  // Pointer prefixes in `document` that came from the scenario file, with their origin there.
  std::vector<std::pair<std::string, std::string>> origins;
};
EditedModel apply_model_edits(const Scenario& scenario, std::uint64_t active);

// A deep copy of a rule base with the fact edits of the active events applied.
RuleBase apply_rule_edits(const Scenario& scenario, const RuleBase& base, std::uint64_t active);
// Whether any active event edits the rule base.
bool edits_rules(const Scenario& scenario, std::uint64_t active);
// The events (bit i: event i, timeline then stochastic) that edit the rule base.
std::uint64_t rule_edit_events(const Scenario& scenario);

}  // namespace xborder
