// The simulation core: a deterministic replay of a scenario's timeline (which paths are
// non-compliant from when to when, under which rule), Monte Carlo runs over its stochastic events,
// and the exact answer of the Markov part (markov.hpp) to cross-check them.
//
// A world state is the set of active events (a bit set): the model and rule base of a state are
// the base ones with those events' edits applied. Time is cut into segments at every date where
// the rule base, a certification or the timeline changes; within a segment a state's verdicts do
// not change, so each (state, segment) is checked once and memoized (thread-safe), and each state
// keeps one PathChecker whose cache serves all the segments it is checked in.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "solver/checker.hpp"

namespace xborder {

// What a finding is about, without its explanation: the unit of the timeline.
struct FindingKey {
  std::string rule;
  std::string place;
  std::string dataset;
  std::string edge;
  Verdict verdict = Verdict::kViolation;
  auto operator<=>(const FindingKey&) const = default;
};

// One world state's verdicts in one segment.
struct StateOutcome {
  std::vector<FindingKey> findings;  // violations and undetermined, sorted
  bool violated = false;
  // Data sets on violating paths, with their subject counts (nullopt: unknown).
  std::map<std::string, std::optional<long long>> exposed;
  // Interned ids (Simulator::finding / Simulator::edge) of the violations and of their edges, so
  // Monte Carlo runs add up days per id instead of per string.
  std::vector<std::uint32_t> violation_ids;
  std::vector<std::uint32_t> edge_ids;
};

struct Segment {
  Date from;
  Date to;                      // exclusive
  std::uint64_t timeline_mask;  // timeline events active on the segment
};

class Simulator {
 public:
  // `scenario` and `rules` (already restricted to the scenario's places) must outlive it.
  Simulator(const Scenario& scenario, const RuleBase& rules, const ReferenceData& reference);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  [[nodiscard]] const Scenario& scenario() const { return scenario_; }
  [[nodiscard]] const std::vector<Segment>& segments() const { return segments_; }
  // The verdicts of the state where the timeline events of `segment` and the stochastic events
  // in `stochastic_mask` (bit i: stochastic event i) are active. Memoized; thread-safe.
  const StateOutcome& outcome(std::size_t segment, std::uint64_t stochastic_mask);
  [[nodiscard]] std::size_t world_states() const;  // distinct states built so far
  [[nodiscard]] std::size_t checks() const;        // (state, segment) pairs checked so far
  // The finding and edge behind an interned id (ids depend on the order states were first met).
  [[nodiscard]] FindingKey finding(std::uint32_t id) const;
  [[nodiscard]] std::string edge(std::uint32_t id) const;

 private:
  struct World;
  const Scenario& scenario_;
  const RuleBase& rules_;
  const ReferenceData& reference_;
  std::vector<Segment> segments_;
  // World states with the same rule-base edits share solver answers; their checkers' universes
  // include the values of the base model and of the model with every event applied.
  std::vector<std::unique_ptr<TransferModel>> universe_models_;
  std::uint64_t rule_edit_events_ = 0;
  std::map<std::uint64_t, CheckerSharing> sharing_;  // by the rule-base edits active
  mutable std::mutex mutex_;
  std::map<std::uint64_t, std::unique_ptr<World>> worlds_;
  std::map<FindingKey, std::uint32_t> finding_ids_;
  std::vector<FindingKey> findings_;
  std::map<std::string, std::uint32_t> edge_ids_;
  std::vector<std::string> edges_;
};

// --- replay

struct TimelineInterval {
  FindingKey key;
  Date from;
  Date to;  // exclusive
};

struct ReplaySegment {
  Date from;
  Date to;
  std::vector<std::string> active;  // timeline event ids
  std::size_t violations = 0;
  std::size_t undetermined = 0;
};

struct ReplayResult {
  std::vector<ReplaySegment> segments;
  std::vector<TimelineInterval> intervals;  // sorted by key, then from
  bool violated = false;
};

// The timeline with no stochastic event active.
ReplayResult replay(Simulator& simulator);

// --- Monte Carlo

struct Estimate {
  double value = 0;
  double low = 0;  // 95% confidence interval
  double high = 0;
};

struct RiskRow {
  std::string edge;
  std::optional<FindingKey> finding;  // empty: the row is about the edge as a whole
  Estimate probability;               // of at least one violation there in a run (Wilson)
  Estimate days;                      // expected days in violation (normal approximation)
};

struct MonteCarloOptions {
  std::size_t runs = 1000;
  std::uint64_t seed = 1;
  unsigned threads = 0;  // 0: every core
};

struct MonteCarloResult {
  std::size_t runs = 0;
  std::uint64_t seed = 0;
  Estimate p_violation;
  Estimate violated_days;
  // People on violating paths in a run (subject counts of the data sets exposed at any time).
  double people_mean = 0;
  std::map<std::string, long long> people_quantiles;  // "p50", "p90", "p99", "max"
  std::size_t runs_with_unknown_counts = 0;  // runs that exposed a data set of unknown count
  std::vector<RiskRow> edges;                // by expected days, then probability
  std::vector<RiskRow> findings;
  std::size_t world_states = 0;
  std::size_t checks = 0;
};

// Run `run` of the Monte Carlo runs with `seed`: the world states it passes through, in order, as
// (segment, stochastic mask, days spent) for every stretch of positive length. The same futures
// whatever is checked in them: `plan --scenario` judges every candidate in the runs that
// `simulate --runs N --seed S` samples.
void walk_run(
    const Scenario& scenario, const std::vector<Segment>& segments, std::uint64_t seed,
    std::size_t run,
    const std::function<void(std::size_t segment, std::uint64_t mask, double days)>& visit);

// Results are identical for the same seed whatever the number of threads: each run draws from its
// own generator seeded from (seed, run index), and runs are summed in index order.
MonteCarloResult monte_carlo(Simulator& simulator, const MonteCarloOptions& options);

// splitmix64: a small, portable generator (std distributions differ between libraries).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  double uniform();                 // [0, 1)
  double exponential(double rate);  // rate > 0

 private:
  std::uint64_t state_;
};

Estimate wilson_interval(std::size_t successes, std::size_t n);

}  // namespace xborder
