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
#include "solver/checker.hpp"
#include "solver/rule_pack.hpp"

namespace xborder {

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
  std::optional<double> latency_ms;  // the largest latency of the chosen options that give one
  Json patch;                        // RFC 6902, against the model document
  std::vector<DateCheck> checks;     // the patched model at every date of the window
  // The choices whose option differs from the cheapest of its point, each with the finding it
  // avoids (rule, citation, path): why the plan pays for it. Empty findings: nothing found.
  struct Reason {
    std::size_t point = 0;
    std::vector<Finding> avoids;  // with the cheapest option instead: one finding per rule (≤ 3)
    Date at;
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
};

struct PlanStats {
  std::uint64_t iterations = 0;    // optimisations
  std::uint64_t selections = 0;    // selections checked (each at every date)
  std::uint64_t checks = 0;        // checks (selection × date)
  std::uint64_t nogoods = 0;       // constraints learned
  std::uint64_t combinations = 1;  // product of the options per point (saturating): the space
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
