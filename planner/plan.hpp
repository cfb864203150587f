// Planning (`xborder plan`): the least-cost selection of the model's choice points under which
// no finding is a violation (nor, if asked, undetermined) at any date of a window. Exact, and
// never by trying every combination: Z3 Optimize picks the cheapest selection that the
// constraints learned so far allow; the checker judges it at every date; each violation it finds
// becomes a learned constraint ("nogood") over the choice points that the violating path depends
// on; repeat until a selection checks clean. Z3 stays behind this header.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/choices.hpp"
#include "model/json_reader.hpp"
#include "model/reference_data.hpp"
#include "scenarios/scenario.hpp"
#include "solver/checker.hpp"
#include "solver/rule_pack.hpp"

namespace xborder {

// `plan --scenario SIM.json --min-probability P`: the plan must also stay compliant (no violation;
// with forbid_undetermined, nothing undetermined either) throughout the scenario's horizon in at
// least share P of its futures. The scenario's events are applied to each candidate's model.
struct RobustRequest {
  const Scenario* scenario = nullptr;  // must outlive the planning
  double min_probability = 0;          // in [0, 1]
  // More stochastic events than kExactMaxEvents (scenarios/markov.hpp): the futures are the `runs`
  // Monte Carlo runs of `seed` (those `simulate --runs N --seed S` samples), the same for every
  // candidate, and the probability is the share of them that stay compliant.
  std::size_t runs = 1000;
  std::uint64_t seed = 1;
};

// How likely a selection's model stays compliant over the scenario's horizon.
struct Robustness {
  double probability = 0;
  bool exact = true;  // the Markov chain's answer; false: the share of `runs` sampled futures
  std::size_t runs = 0;
  std::uint64_t seed = 0;
  std::size_t compliant_runs = 0;  // sampled: the runs that stay compliant
  std::size_t world_states = 0;    // (world state, segment) pairs checked
};

// A stretch of a scenario's future (some events active) in which a selection's model has a bad
// finding.
struct FutureWorld {
  Date from;
  Date to;                          // exclusive
  std::vector<std::string> events;  // the active events' ids: timeline first, then stochastic
  Finding finding;
};

struct PlanRequest {
  Date at;
  Date until;                        // inclusive; == at: one date
  bool forbid_undetermined = false;  // --no-undetermined
  std::size_t alternatives = 0;      // next-best plans after the best one
  std::optional<double> max_latency_ms;
  bool pareto = true;  // the cost/latency front, when any option gives a latency
  // `plan --repair`: besides the model's own choice points, one per change that could repair a
  // flow or remote access the model as written violates a rule on (each safeguard the model
  // format knows, encrypted-only access, dropping it), each of cost 1: the fewest changes.
  bool repair = false;
  std::optional<RobustRequest> robust;
  unsigned threads = 1;
  unsigned solver_resource_limit = 0;
  // Called now and then with the phase and a count (total 0: unknown). Never for results.
  std::function<void(std::string_view phase, std::uint64_t done, std::uint64_t total)> progress;
};

struct PlannedChoice {
  std::size_t point = 0;   // index in PlanResult::points
  std::size_t option = 0;  // index in that point's options
};

// How a selection's model checks at one date.
struct DateCheck {
  Date at;
  CheckSummary summary;
};

struct Plan {
  std::vector<PlannedChoice> choices;  // one per choice point, in the model's order
  double cost = 0;
  std::optional<double> latency_ms;      // the largest latency of the chosen options that give one
  Json patch;                            // RFC 6902, against the model document
  std::vector<DateCheck> checks;         // the patched model at every date of the window
  std::optional<Robustness> robustness;  // with PlanRequest::robust
  // The choices whose option differs from the cheapest of its point, each with the finding it
  // avoids (rule, citation, path): why the plan pays for it. Empty findings: nothing found.
  struct Reason {
    std::size_t point = 0;
    std::vector<Finding> avoids;  // with the cheapest option instead: one finding per rule (≤ 3)
    Date at;
    // When the cheapest option instead checks clean in the window but is not robust: its
    // probability of staying compliant, and the events active where `avoids` were found.
    std::optional<double> probability;
    std::vector<std::string> events;
    std::string future_error;  // a world of the scenario does not load with the cheapest option
  };
  std::vector<Reason> reasons;
};

// One requirement of an infeasibility core: a finding that every selection agreeing with
// `options` on `points` has (a violation, or undetermined with forbid_undetermined), or a
// selection whose model does not load (`load_errors`).
struct Requirement {
  std::optional<Finding> finding;
  Date at;
  std::vector<PlannedChoice> selection;  // the choices the finding depends on, as tried
  std::vector<std::size_t> points;       // every choice point it depends on
  // For each of `points`, the options under which the finding stays (the one tried, and those
  // that change nothing its path uses).
  std::vector<std::vector<std::size_t>> keeps;
  Diagnostics load_errors;
  // A robustness requirement (PlanRequest::robust): every selection agreeing with `keeps` on
  // `points` has these bad findings in these futures, and so stays compliant with a probability
  // of at most `probability_at_most`, below the minimum. `future_error`: a world of the scenario
  // whose model does not load under the selection (then `futures` is empty).
  std::optional<double> probability_at_most;
  std::vector<FutureWorld> futures;
  std::string future_error;
};

struct PlanStats {
  std::uint64_t iterations = 0;     // optimisations
  std::uint64_t selections = 0;     // selections checked (each at every date)
  std::uint64_t checks = 0;         // checks (selection × date)
  std::uint64_t future_checks = 0;  // with a scenario: checks of (world state, segment)
  std::uint64_t nogoods = 0;        // constraints learned
  std::uint64_t combinations = 1;   // product of the options per point (saturating): the space
  double optimise_ms = 0;
  double check_ms = 0;
};

enum class PlanStatus { kOptimal, kInfeasible };
XBORDER_ENUM_NAMES(PlanStatus, "optimal", "infeasible")

struct PlanResult {
  PlanStatus status = PlanStatus::kInfeasible;
  std::vector<ChoicePoint> points;
  std::vector<Date> dates;  // the dates judged: --at and every rule-change boundary after
  std::optional<Plan> best;
  std::vector<Plan> alternatives;  // next-best, cheapest first
  std::vector<Plan> pareto;        // cost ascending, latency descending; empty without latencies
  std::vector<Requirement> core;   // kInfeasible: a minimal set no selection meets at once
  PlanStats stats;
};

// The dates at which a check can change between `at` and `until` (inclusive): `at`, then every
// validity boundary and date literal of the rule base and every date written in the model
// document (certifications, signatures, options), and the day after each date literal.
std::vector<Date> plan_dates(const RuleBase& rules, const Json& document, Date at, Date until);

// The choice points `--repair` adds (PlanRequest::repair), for the flows and remote accesses that
// the model as written violates a rule on at one of `dates` and that no point of `existing`
// already chooses for.
std::vector<ChoicePoint> repair_points(const Json& document, const TransferModel& model,
                                       const RuleBase& rules, const std::vector<Date>& dates,
                                       const PlanRequest& request,
                                       const std::vector<ChoicePoint>& existing);

// `document` is the model file's JSON (with `choices`), `file` its name for diagnostics. Throws
// InputError when the document does not load.
PlanResult plan(const Json& document, const std::filesystem::path& file,
                const ReferenceData& reference, const RuleBase& rules, const PlanRequest& request);

}  // namespace xborder
