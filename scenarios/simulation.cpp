#include "scenarios/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>
#include <stdexcept>
#include <thread>

#include "model/model_loader.hpp"
#include "scenarios/markov.hpp"
#include "solver/rule_catalog.hpp"

namespace xborder {

namespace {
constexpr double kZ95 = 1.959963984540054;
}  // namespace

// One world state: its model, its rule base (when events edit it) and its checker.
struct Simulator::World {
  std::mutex mutex;
  std::unique_ptr<TransferModel> model;
  std::unique_ptr<RuleBase> rules;  // null: the base rule base
  std::unique_ptr<PathChecker> checker;
  std::map<std::size_t, std::unique_ptr<StateOutcome>> outcomes;  // by segment
};

Simulator::Simulator(const Scenario& scenario, const RuleBase& rules,
                     const ReferenceData& reference)
    : scenario_(scenario), rules_(rules), reference_(reference) {
  // Segment boundaries: the horizon, the timeline, every validity boundary of the rule base and
  // of the certifications in the model (with every event applied, so fragments count too).
  std::set<Date> cuts{scenario.start, scenario.end};
  auto cut = [&](const std::optional<Date>& d) {
    if (d && *d > scenario.start && *d < scenario.end) cuts.insert(*d);
  };
  for (const auto& t : scenario.timeline) {
    cut(t.at);
    cut(t.until);
  }
  for (const auto& item : catalogue(rules)) {
    cut(item.valid.from);
    cut(item.valid.to);
  }
  const auto all = apply_model_edits(scenario, (std::uint64_t{1} << scenario.event_count()) - 1);
  rule_edit_events_ = rule_edit_events(scenario);
  for (const Json* doc : {&scenario.model_json, &all.document}) {
    auto loaded = load_model_json(*doc, scenario.model_file, reference);
    if (loaded.model)
      universe_models_.push_back(std::make_unique<TransferModel>(std::move(*loaded.model)));
  }
  for (const Json* doc : {&scenario.model_json, &all.document}) {
    if (!doc->contains("parties")) continue;
    for (const auto& p : (*doc)["parties"]) {
      if (!p.contains("certifications")) continue;
      for (const auto& c : p["certifications"]) {
        for (const char* key : {"from", "to"}) {
          if (c.contains(key) && c[key].is_string()) cut(Date::parse(c[key].get<std::string>()));
        }
      }
    }
  }
  const std::vector<Date> dates(cuts.begin(), cuts.end());
  for (std::size_t k = 0; k + 1 < dates.size(); ++k) {
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < scenario.timeline.size(); ++i) {
      const auto& t = scenario.timeline[i];
      if (t.at <= dates[k] && (!t.until || dates[k] < *t.until)) mask |= std::uint64_t{1} << i;
    }
    segments_.push_back(Segment{dates[k], dates[k + 1], mask});
  }
}

Simulator::~Simulator() = default;

std::size_t Simulator::world_states() const {
  std::lock_guard lock(mutex_);
  return worlds_.size();
}

std::size_t Simulator::checks() const {
  std::vector<World*> worlds;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [mask, w] : worlds_) worlds.push_back(w.get());
  }
  // outcome() takes a world's lock, then mutex_; never hold mutex_ while waiting for a world.
  std::size_t n = 0;
  for (World* w : worlds) {
    std::lock_guard wl(w->mutex);
    n += w->outcomes.size();
  }
  return n;
}

const StateOutcome& Simulator::outcome(std::size_t segment, std::uint64_t stochastic_mask) {
  const Segment& seg = segments_.at(segment);
  const std::uint64_t mask = seg.timeline_mask | (stochastic_mask << scenario_.timeline.size());
  World* world = nullptr;
  {
    std::lock_guard lock(mutex_);
    auto& slot = worlds_[mask];
    if (!slot) slot = std::make_unique<World>();
    world = slot.get();
  }
  std::lock_guard lock(world->mutex);
  if (auto it = world->outcomes.find(segment); it != world->outcomes.end()) return *it->second;
  if (!world->checker) {
    const auto edited = apply_model_edits(scenario_, mask);
    auto loaded = load_model_json(edited.document, scenario_.model_file, reference_);
    if (!loaded.model) {
      std::string what;
      for (const auto& d : loaded.diagnostics.sorted()) what += "\n" + render_diagnostic(d);
      throw std::runtime_error("the model with events " + std::to_string(mask) +
                               " applied does not load:" + what);
    }
    world->model = std::make_unique<TransferModel>(std::move(*loaded.model));
    if (edits_rules(scenario_, mask))
      world->rules = std::make_unique<RuleBase>(apply_rule_edits(scenario_, rules_, mask));
    const CheckerSharing* sharing = nullptr;
    {
      std::lock_guard lock(mutex_);
      CheckerSharing& shared = sharing_[mask & rule_edit_events_];
      if (!shared.answers) {
        shared.answers = new_shared_answers();
        for (const auto& m : universe_models_) shared.universe_models.push_back(m.get());
      }
      sharing = &shared;
    }
    world->checker = std::make_unique<PathChecker>(*world->model,
                                                   world->rules ? *world->rules : rules_, sharing);
  }
  CheckOptions options;
  options.keep_compliant = false;
  const CheckResult result = world->checker->check(seg.from, options);
  auto out = std::make_unique<StateOutcome>();
  std::set<FindingKey> keys;
  for (const auto& f : result.findings) {
    if (f.verdict == Verdict::kCompliant) continue;
    keys.insert(FindingKey{f.rule_id, f.place, f.dataset, f.edge, f.verdict});
    if (f.verdict != Verdict::kViolation) continue;
    out->violated = true;
    const DataSet* ds = world->model->dataset(f.dataset);
    std::optional<long long> count;
    if (ds && ds->subject_count.known()) count = ds->subject_count.value();
    out->exposed[f.dataset] = count;
  }
  out->findings.assign(keys.begin(), keys.end());
  {
    std::lock_guard ids(mutex_);
    std::set<std::uint32_t> edge_ids;
    for (const auto& k : out->findings) {
      if (k.verdict != Verdict::kViolation) continue;
      auto [it, fresh] = finding_ids_.emplace(k, static_cast<std::uint32_t>(findings_.size()));
      if (fresh) findings_.push_back(k);
      out->violation_ids.push_back(it->second);
      auto [eit, efresh] = edge_ids_.emplace(k.edge, static_cast<std::uint32_t>(edges_.size()));
      if (efresh) edges_.push_back(k.edge);
      edge_ids.insert(eit->second);
    }
    out->edge_ids.assign(edge_ids.begin(), edge_ids.end());
  }
  return *world->outcomes.emplace(segment, std::move(out)).first->second;
}

FindingKey Simulator::finding(std::uint32_t id) const {
  std::lock_guard lock(mutex_);
  return findings_.at(id);
}

std::string Simulator::edge(std::uint32_t id) const {
  std::lock_guard lock(mutex_);
  return edges_.at(id);
}

ReplayResult replay(Simulator& simulator) {
  ReplayResult result;
  const auto& segments = simulator.segments();
  const Scenario& sc = simulator.scenario();
  std::map<FindingKey, std::vector<TimelineInterval>> open;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const StateOutcome& o = simulator.outcome(s, 0);
    ReplaySegment rs{segments[s].from, segments[s].to, {}, 0, 0};
    for (std::size_t i = 0; i < sc.timeline.size(); ++i) {
      if (segments[s].timeline_mask & (std::uint64_t{1} << i))
        rs.active.push_back(sc.timeline[i].id);
    }
    for (const auto& key : o.findings) {
      (key.verdict == Verdict::kViolation ? rs.violations : rs.undetermined)++;
      auto& list = open[key];
      if (!list.empty() && list.back().to == segments[s].from) {
        list.back().to = segments[s].to;
      } else {
        list.push_back(TimelineInterval{key, segments[s].from, segments[s].to});
      }
    }
    result.violated |= o.violated;
    // Consecutive segments with the same events and counts read as one in the output.
    if (!result.segments.empty() && result.segments.back().active == rs.active &&
        result.segments.back().violations == rs.violations &&
        result.segments.back().undetermined == rs.undetermined &&
        simulator.outcome(s - 1, 0).findings == o.findings) {
      result.segments.back().to = rs.to;
    } else {
      result.segments.push_back(std::move(rs));
    }
  }
  for (auto& [key, list] : open) {
    for (auto& interval : list) result.intervals.push_back(std::move(interval));
  }
  return result;
}

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double SplitMix64::uniform() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

double SplitMix64::exponential(double rate) {
  return -std::log1p(-uniform()) / rate;
}

Estimate wilson_interval(std::size_t successes, std::size_t n) {
  if (n == 0) return {0, 0, 1};
  const double p = static_cast<double>(successes) / static_cast<double>(n);
  const double z2 = kZ95 * kZ95;
  const double nn = static_cast<double>(n);
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = kZ95 * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

void walk_run(
    const Scenario& sc, const std::vector<Segment>& segments, std::uint64_t seed, std::size_t run,
    const std::function<void(std::size_t segment, std::uint64_t mask, double days)>& visit) {
  SplitMix64 rng(seed ^ (0xD1B54A32D192ED03ULL * (static_cast<std::uint64_t>(run) + 1)));
  const double horizon = sc.end.days() - sc.start.days();
  std::vector<std::pair<double, std::size_t>> toggles;  // (day offset, stochastic event)
  for (std::size_t i = 0; i < sc.stochastic.size(); ++i) {
    const auto& ev = sc.stochastic[i];
    double t = 0;
    bool active = false;
    for (;;) {
      if (!active) {
        t += rng.exponential(ev.rate / kDaysPerYear);
      } else if (ev.recovery) {
        t += rng.exponential(*ev.recovery / kDaysPerYear);
      } else {
        break;
      }
      if (t >= horizon) break;
      toggles.emplace_back(t, i);
      active = !active;
    }
  }
  std::sort(toggles.begin(), toggles.end());
  std::uint64_t mask = 0;
  std::size_t next_toggle = 0;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    double t = segments[s].from.days() - sc.start.days();
    const double seg_end = segments[s].to.days() - sc.start.days();
    while (t < seg_end) {
      double stop = seg_end;
      if (next_toggle < toggles.size() && toggles[next_toggle].first < seg_end)
        stop = std::max(t, toggles[next_toggle].first);
      const double len = stop - t;
      if (len > 0) visit(s, mask, len);
      t = stop;
      if (next_toggle < toggles.size() && toggles[next_toggle].first <= t &&
          toggles[next_toggle].first < seg_end) {
        mask ^= std::uint64_t{1} << toggles[next_toggle].second;
        ++next_toggle;
      }
    }
  }
}

namespace {

struct RunStats {
  // The distinct violating outcomes the run spent time in, with the days spent in each.
  std::vector<std::pair<const StateOutcome*, double>> visits;
};

// One run: the distinct violating outcomes it spent time in (walk_run's visits).
RunStats simulate_run(Simulator& sim, std::uint64_t seed, std::size_t run) {
  RunStats stats;
  walk_run(sim.scenario(), sim.segments(), seed, run,
           [&](std::size_t s, std::uint64_t mask, double len) {
             const StateOutcome& o = sim.outcome(s, mask);
             if (!o.violated) return;
             auto it = std::find_if(stats.visits.begin(), stats.visits.end(),
                                    [&](const auto& v) { return v.first == &o; });
             if (it == stats.visits.end()) {
               stats.visits.emplace_back(&o, len);
             } else {
               it->second += len;
             }
           });
  return stats;
}

// Sums of one quantity over runs (runs without it count as 0), for a mean and its interval.
struct Moments {
  std::size_t hits = 0;
  double sum = 0;
  double sum_sq = 0;
};

Estimate moments_interval(const Moments& m, std::size_t n) {
  if (n == 0) return {};
  const double nn = static_cast<double>(n);
  const double mean = m.sum / nn;
  const double var = n > 1 ? std::max(0.0, (m.sum_sq - nn * mean * mean) / (nn - 1)) : 0.0;
  const double half = kZ95 * std::sqrt(var / nn);
  return {mean, std::max(0.0, mean - half), mean + half};
}

Estimate mean_interval(const std::vector<double>& xs) {
  const double n = static_cast<double>(xs.size());
  if (xs.empty()) return {};
  double sum = 0;
  for (double x : xs) sum += x;
  const double mean = sum / n;
  double ss = 0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  const double sd = xs.size() > 1 ? std::sqrt(ss / (n - 1)) : 0;
  const double half = kZ95 * sd / std::sqrt(n);
  return {mean, std::max(0.0, mean - half), mean + half};
}

}  // namespace

MonteCarloResult monte_carlo(Simulator& sim, const MonteCarloOptions& options) {
  MonteCarloResult result;
  result.runs = options.runs;
  result.seed = options.seed;
  std::vector<RunStats> runs(options.runs);
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(
      1u,
      std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, options.runs))));
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      for (std::size_t i = next++; i < options.runs; i = next++)
        runs[i] = simulate_run(sim, options.seed, i);
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = options.runs;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

  // Reduce in run order, so sums do not depend on the threads.
  std::size_t violated = 0;
  std::vector<double> days;
  std::vector<long long> people;
  std::vector<Moments> by_finding, by_edge;
  std::vector<double> finding_days, edge_days;  // scratch, per run
  std::vector<std::uint32_t> touched_findings, touched_edges;
  auto add = [](std::vector<double>& acc, std::vector<std::uint32_t>& touched, std::uint32_t id,
                double d) {
    if (acc.size() <= id) acc.resize(id + 1, 0.0);
    if (acc[id] == 0.0) touched.push_back(id);
    acc[id] += d;
  };
  auto flush = [](std::vector<double>& acc, std::vector<std::uint32_t>& touched,
                  std::vector<Moments>& out) {
    for (std::uint32_t id : touched) {
      if (out.size() <= id) out.resize(id + 1);
      out[id].hits++;
      out[id].sum += acc[id];
      out[id].sum_sq += acc[id] * acc[id];
      acc[id] = 0.0;
    }
    touched.clear();
  };
  for (const RunStats& r : runs) {
    double total = 0;
    std::map<std::string, std::optional<long long>> exposed;
    for (const auto& [o, d] : r.visits) {
      total += d;
      for (const auto& [ds, count] : o->exposed) exposed.emplace(ds, count);
      for (std::uint32_t id : o->violation_ids) add(finding_days, touched_findings, id, d);
      for (std::uint32_t id : o->edge_ids) add(edge_days, touched_edges, id, d);
    }
    flush(finding_days, touched_findings, by_finding);
    flush(edge_days, touched_edges, by_edge);
    violated += r.visits.empty() ? 0 : 1;
    days.push_back(total);
    long long count = 0;
    bool unknown = false;
    for (const auto& [ds, c] : exposed) {
      if (c) {
        count += *c;
      } else {
        unknown = true;
      }
    }
    people.push_back(count);
    result.runs_with_unknown_counts += unknown ? 1 : 0;
  }
  result.p_violation = wilson_interval(violated, options.runs);
  result.violated_days = mean_interval(days);
  for (std::uint32_t id = 0; id < by_finding.size(); ++id) {
    if (!by_finding[id].hits) continue;
    const FindingKey k = sim.finding(id);
    result.findings.push_back(RiskRow{k.edge, k, wilson_interval(by_finding[id].hits, options.runs),
                                      moments_interval(by_finding[id], options.runs)});
  }
  for (std::uint32_t id = 0; id < by_edge.size(); ++id) {
    if (!by_edge[id].hits) continue;
    result.edges.push_back(RiskRow{sim.edge(id), std::nullopt,
                                   wilson_interval(by_edge[id].hits, options.runs),
                                   moments_interval(by_edge[id], options.runs)});
  }
  auto by_risk = [](const RiskRow& a, const RiskRow& b) {
    if (a.days.value != b.days.value) return a.days.value > b.days.value;
    if (a.probability.value != b.probability.value)
      return a.probability.value > b.probability.value;
    if (a.edge != b.edge) return a.edge < b.edge;
    return a.finding < b.finding;
  };
  std::sort(result.findings.begin(), result.findings.end(), by_risk);
  std::sort(result.edges.begin(), result.edges.end(), by_risk);
  if (!people.empty()) {
    double sum = 0;
    for (long long p : people) sum += static_cast<double>(p);
    result.people_mean = sum / static_cast<double>(people.size());
    std::sort(people.begin(), people.end());
    auto q = [&](double f) {
      const std::size_t idx = std::min(
          people.size() - 1, static_cast<std::size_t>(std::ceil(f * people.size())) - (f > 0));
      return people[idx];
    };
    result.people_quantiles = {
        {"p50", q(0.5)}, {"p90", q(0.9)}, {"p99", q(0.99)}, {"max", people.back()}};
  }
  result.world_states = sim.world_states();
  result.checks = sim.checks();
  return result;
}

}  // namespace xborder
