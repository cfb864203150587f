#include "planner/robust.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>

#include "model/model_loader.hpp"
#include "scenarios/markov.hpp"
#include "scenarios/simulation.hpp"

namespace xborder::planning {
namespace {

// Probabilities from the matrix exponential carry rounding errors of about 1e-15: a selection
// meets the minimum when its probability is at most this far below it.
constexpr double kTolerance = 1e-9;

using State = std::pair<std::size_t, std::uint64_t>;  // (segment, stochastic mask)

// How likely the chain enters one of `states`: exactly, or as the share of the sampled runs that
// pass through one.
class Futures {
 public:
  Futures(const Scenario& scenario, const std::vector<Segment>& segments,
          const RobustRequest& request)
      : scenario_(scenario), segments_(segments) {
    exact_ = scenario.stochastic.size() <= kExactMaxEvents;
    if (exact_) return;
    runs_.resize(request.runs);
    for (std::size_t r = 0; r < request.runs; ++r) {
      walk_run(scenario, segments, request.seed, r, [&](std::size_t k, std::uint64_t m, double) {
        runs_[r].insert({k, m});
      });
    }
  }

  [[nodiscard]] bool exact() const { return exact_; }
  [[nodiscard]] std::size_t runs() const { return runs_.size(); }

  // The world states the futures can be in (exact: every one; sampled: those the runs visit).
  [[nodiscard]] std::vector<State> states() const {
    std::set<State> out;
    if (exact_) {
      const std::uint64_t n = std::uint64_t{1} << scenario_.stochastic.size();
      for (std::size_t k = 0; k < segments_.size(); ++k)
        for (std::uint64_t m = 0; m < n; ++m) out.insert({k, m});
    } else {
      for (const auto& run : runs_) out.insert(run.begin(), run.end());
    }
    return {out.begin(), out.end()};
  }

  [[nodiscard]] double reach(const std::set<State>& bad) const {
    if (bad.empty()) return 0;
    if (exact_) {
      return p_reach(scenario_, segments_, [&](std::size_t k, std::uint64_t m) {
        return bad.count({k, m}) > 0;
      });
    }
    return static_cast<double>(hits(bad)) / static_cast<double>(runs_.size());
  }

  [[nodiscard]] std::size_t hits(const std::set<State>& bad) const {
    std::size_t n = 0;
    for (const auto& run : runs_) {
      for (const auto& s : run) {
        if (bad.count(s)) {
          ++n;
          break;
        }
      }
    }
    return n;
  }

 private:
  const Scenario& scenario_;
  const std::vector<Segment>& segments_;
  bool exact_ = true;
  std::vector<std::set<State>> runs_;
};

bool is_bad(const StateOutcome& o, bool forbid_undetermined) {
  for (const auto& k : o.findings) {
    if (k.verdict == Verdict::kViolation ||
        (forbid_undetermined && k.verdict == Verdict::kUndetermined))
      return true;
  }
  return false;
}

Terms every_point(const std::vector<ChoicePoint>& points, const ChoiceSelection& selection) {
  Terms out;
  for (std::size_t i = 0; i < points.size(); ++i)
    out.push_back({i, same_effect_options(points[i], selection[i])});
  return out;
}

}  // namespace

RobustVerdict judge_robust(const Json& patched, const std::vector<ChoicePoint>& points,
                           const ChoiceSelection& selection, const ReferenceData& reference,
                           const RuleBase& rules, const RobustRequest& request,
                           bool forbid_undetermined, unsigned threads) {
  RobustVerdict out;
  Scenario scenario = *request.scenario;
  scenario.model_json = patched;
  Simulator sim(scenario, rules, reference);
  const auto& segments = sim.segments();
  const Futures futures(scenario, segments, request);
  out.robustness.exact = futures.exact();
  if (!futures.exact()) {
    out.robustness.runs = request.runs;
    out.robustness.seed = request.seed;
  }

  // The bad world states.
  std::vector<State> bad;
  try {
    for (const State& s : futures.states())
      if (is_bad(sim.outcome(s.first, s.second), forbid_undetermined)) bad.push_back(s);
  } catch (const std::runtime_error& e) {
    // A world whose model does not load under this selection (Simulator::outcome).
    out.error = e.what();
    out.depends = every_point(points, selection);
    out.robustness.world_states = sim.checks();
    return out;
  }
  out.robustness.world_states = sim.checks();
  const std::set<State> all(bad.begin(), bad.end());
  const double reach = futures.reach(all);
  out.robustness.probability = 1 - reach;
  if (!futures.exact()) out.robustness.compliant_runs = futures.runs() - futures.hits(all);
  const double floor = request.min_probability - kTolerance;
  out.met = out.robustness.probability >= floor;
  if (out.met) return out;

  // Witnesses: the likeliest states first (fewest events active, earliest), until they alone
  // keep the probability below the minimum; then drop every one that is not needed.
  std::sort(bad.begin(), bad.end(), [](const State& a, const State& b) {
    const int pa = std::popcount(a.second), pb = std::popcount(b.second);
    return pa != pb ? pa < pb : a < b;
  });
  std::vector<State> chosen;
  std::set<State> chosen_set;
  for (const State& s : bad) {
    chosen.push_back(s);
    chosen_set.insert(s);
    if (1 - futures.reach(chosen_set) < floor) break;
  }
  for (std::size_t i = chosen.size(); i-- > 0 && chosen.size() > 1;) {
    std::set<State> trial = chosen_set;
    trial.erase(chosen[i]);
    if (1 - futures.reach(trial) < floor) {
      chosen_set = std::move(trial);
      chosen.erase(chosen.begin() + static_cast<long>(i));
    }
  }
  out.bound = 1 - futures.reach(chosen_set);

  // Each witness world checked again, for a bad finding with its path and what it depends on.
  std::map<std::size_t, std::vector<std::size_t>> keeps;  // point → options keeping every witness
  bool everything = false;
  for (const State& s : chosen) {
    const Segment& seg = segments[s.first];
    const std::uint64_t mask = seg.timeline_mask | (s.second << scenario.timeline.size());
    const auto edited = apply_model_edits(scenario, mask);
    auto loaded = load_model_json(edited.document, scenario.model_file, reference);
    if (!loaded.model) {  // Simulator::outcome loaded it: cannot happen
      everything = true;
      continue;
    }
    std::unique_ptr<RuleBase> edited_rules;
    if (edits_rules(scenario, mask))
      edited_rules = std::make_unique<RuleBase>(apply_rule_edits(scenario, rules, mask));
    PathChecker checker(*loaded.model, edited_rules ? *edited_rules : rules);
    CheckOptions options;
    options.keep_compliant = false;
    options.threads = threads;
    const CheckResult r = checker.check(seg.from, options);
    bool implicit_starts = false;
    for (const auto& w : r.warnings.items()) implicit_starts |= w.code == "XB-CHECK-001";
    const Dependencies deps(points, selection, patched, *loaded.model, checker.graph());
    std::optional<std::size_t> best;  // index in r.findings
    Terms best_terms;
    for (std::size_t k = 0; k < r.findings.size(); ++k) {
      const FindingRef f = r.findings[k];
      if (!(f.verdict == Verdict::kViolation ||
            (forbid_undetermined && f.verdict == Verdict::kUndetermined)))
        continue;
      Terms t = deps.of(f, implicit_starts, true);
      if (!best || t.size() < best_terms.size()) {
        best = k;
        best_terms = std::move(t);
      }
    }
    if (!best) {  // the memo said bad; a fresh check must agree, but never learn from nothing
      everything = true;
      continue;
    }
    FutureWorld world{seg.from, seg.to, {}, r.findings[*best]};
    for (std::size_t i = 0; i < scenario.event_count(); ++i)
      if (mask & (std::uint64_t{1} << i)) world.events.push_back(scenario.event_id(i));
    out.witnesses.push_back(std::move(world));
    for (auto& t : best_terms) {
      auto [it, fresh] = keeps.emplace(t.point, t.keeps);
      if (!fresh) {
        std::vector<std::size_t> both;
        std::set_intersection(it->second.begin(), it->second.end(), t.keeps.begin(), t.keeps.end(),
                              std::back_inserter(both));
        it->second = std::move(both);
      }
    }
  }
  if (everything) {
    out.depends = every_point(points, selection);
  } else {
    for (auto& [point, k] : keeps) out.depends.push_back({point, std::move(k)});
  }
  return out;
}

}  // namespace xborder::planning
