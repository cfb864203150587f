// The exact answer for the Markov part of a scenario: each stochastic event is a two-state
// continuous-time Markov chain (inactive → active at its rate, back at its recovery rate), so the
// world state is a chain on 2^S states whose generator is constant between segment boundaries.
// Transient probabilities come from the matrix exponential (Eigen's MatrixFunctions), expected
// times from the exponential of the generator augmented with a reward column, and the probability
// of at least one violation from the chain whose violating states are made absorbing. Used to
// cross-check the Monte Carlo estimates. Eigen stays behind this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scenarios/simulation.hpp"

namespace xborder {

struct EventAnalytics {
  std::string id;
  double p_active_at_end = 0;  // probability the event is active at the end of the horizon
  double active_days = 0;      // expected days active within the horizon
};

struct AnalyticResult {
  bool available = false;
  std::string reason;  // why not, when unavailable
  double p_violation = 0;
  double violated_days = 0;
  std::vector<EventAnalytics> events;
};

// The number of stochastic events up to which `simulate` and `plan --scenario` give the exact
// answer (2^6 world states per segment).
inline constexpr std::size_t kExactMaxEvents = 6;
// Scenario rates are per year; time is counted in days.
inline constexpr double kDaysPerYear = 365.25;

// The exact probability that the chain (every stochastic event inactive at the start) is, at some
// time within the horizon, in a world state that `bad(segment, stochastic mask)` calls bad: the
// chain with the bad states of each segment made absorbing. Needs 2^S states (S stochastic
// events).
double p_reach(const Scenario& scenario, const std::vector<Segment>& segments,
               const std::function<bool(std::size_t segment, std::uint64_t mask)>& bad);

// Checks every world state in every segment (2^S of them): only for S <= max_events.
AnalyticResult analytic(Simulator& simulator, std::size_t max_events = 8);

}  // namespace xborder
