#include "planner/plan.hpp"

#include <z3++.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

#include "model/model_loader.hpp"
#include "model/transfer_graph.hpp"
#include "planner/dependencies.hpp"
#include "planner/robust.hpp"
#include "scenarios/markov.hpp"
#include "solver/rule_catalog.hpp"

namespace xborder {
namespace {

using planning::Dependencies;
using planning::load_dependencies;
using planning::Term;
using planning::Terms;

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// A number as Z3 reads it exactly (no exponent: "0.1", not "1e-01").
std::string decimal(double x) {
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

// --- dates ---------------------------------------------------------------------------------

void expr_dates(const Expr& e, std::set<Date>& out) {
  if (e.op == ExprOp::kDateLit) {
    out.insert(Date::from_days(static_cast<int>(e.number)));
    out.insert(Date::from_days(static_cast<int>(e.number) + 1));
  }
  for (const auto& a : e.args) expr_dates(a, out);
}

void json_dates(const Json& j, std::set<Date>& out) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s.size() == 10) {
      if (auto d = Date::parse(s)) out.insert(*d);
    }
  } else if (j.is_structured()) {
    for (const auto& v : j) json_dates(v, out);
  }
}

// One selection, judged: at every date its bad findings (violations, and undetermined findings
// when they are forbidden), each with what it depends on.
struct BadFinding {
  Finding finding;
  Date at;
  Terms depends;
};

struct Outcome {
  bool loads = true;
  Diagnostics load_errors;
  Terms load_depends;
  std::vector<DateCheck> checks;
  std::vector<BadFinding> bad;
  [[nodiscard]] bool clean() const { return loads && bad.empty(); }
};

// --- the planner ----------------------------------------------------------------------------

struct Nogood {
  Terms terms;  // not one of `keeps` at every point at once
  Requirement requirement;
};

class Planner {
 public:
  Planner(const Json& document, const std::filesystem::path& file, const ReferenceData& reference,
          const RuleBase& rules, const PlanRequest& request, std::vector<ChoicePoint> points,
          std::vector<Date> dates)
      : document_(document),
        file_(file),
        reference_(reference),
        rules_(rules),
        request_(request),
        points_(std::move(points)),
        dates_(std::move(dates)),
        opt_(ctx_) {
    for (std::size_t i = 0; i < points_.size(); ++i) {
      std::vector<z3::expr> row;
      z3::expr_vector vec(ctx_);
      for (std::size_t j = 0; j < points_[i].options.size(); ++j) {
        row.push_back(
            ctx_.bool_const(("x_" + std::to_string(i) + "_" + std::to_string(j)).c_str()));
        vec.push_back(row.back());
      }
      add_hard(z3::atleast(vec, 1));
      add_hard(z3::atmost(vec, 1));
      x_.push_back(std::move(row));
    }
    z3::expr cost = ctx_.real_val(0);
    for (std::size_t i = 0; i < points_.size(); ++i) {
      for (std::size_t j = 0; j < points_[i].options.size(); ++j) {
        const ChoiceOption& o = points_[i].options[j];
        cost = cost + z3::ite(x_[i][j], ctx_.real_val(decimal(o.cost).c_str()), ctx_.real_val(0));
        if (o.latency_ms && request_.max_latency_ms && *o.latency_ms > *request_.max_latency_ms)
          add_hard(!x_[i][j]);
      }
    }
    // Cheapest first; among plans of one cost, the lowest latency (fastest_at_cost).
    cost_ = cost;
    opt_.minimize(cost);
  }

  // Among the selections as cheap as `cheapest`'s, one whose latency (the largest of its options')
  // is the least: a binary search over the latencies the options give, each step the cheapest
  // selection without the options slower than the bound. (Z3 4.8's lexicographic optimisation
  // is not optimal for a second objective, and optimising the latency directly is slow.)
  z3::model fastest_at_cost(const z3::model& cheapest) {
    const z3::expr cost = cheapest.eval(cost_, true);
    std::vector<double> values{0};
    for (const auto& p : points_)
      for (const auto& o : p.options)
        if (o.latency_ms) values.push_back(*o.latency_ms);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    z3::model best = cheapest;
    std::size_t lo = 0, hi = values.size() - 1;  // values[hi] is always achievable
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      opt_.push();
      forbid_slower_than(values[mid], false);
      bool same_cost = false;
      if (opt_.check() == z3::sat) {
        const z3::model m = opt_.get_model();
        same_cost = (m.eval(cost_, true) == cost).simplify().is_true();
        if (same_cost) best = m;
      }
      opt_.pop();
      if (same_cost) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return best;
  }

  // No option with a latency above `bound` (or at it, when `strict`).
  void forbid_slower_than(double bound, bool strict) {
    for (std::size_t i = 0; i < points_.size(); ++i) {
      for (std::size_t j = 0; j < points_[i].options.size(); ++j) {
        const double l = points_[i].options[j].latency_ms.value_or(0);
        if (l > bound || (strict && l >= bound)) opt_.add(!x_[i][j]);
      }
    }
  }

  void add_hard(const z3::expr& e) { opt_.add(e); }

  PlanResult run() {
    PlanResult result;
    result.dates = dates_;
    for (const auto& p : points_) {
      const std::uint64_t n = p.options.size();
      result.stats.combinations = (n != 0 && result.stats.combinations > UINT64_MAX / n)
                                      ? UINT64_MAX
                                      : result.stats.combinations * n;
    }
    auto best = next_feasible();
    if (!best) {
      result.status = PlanStatus::kInfeasible;
      result.core = core();
    } else {
      result.status = PlanStatus::kOptimal;
      result.best = make_plan(*best);
      explain(*result.best);
      if (has_latencies() && request_.pareto) result.pareto = pareto(*best);
      ChoiceSelection last = *best;
      for (std::size_t k = 0; k < request_.alternatives; ++k) {
        block(last);
        auto alt = next_feasible();
        if (!alt) break;
        result.alternatives.push_back(make_plan(*alt));
        last = *alt;
      }
    }
    stats_.nogoods = nogoods_.size();
    result.stats = merge(result.stats);
    result.points = std::move(points_);
    return result;
  }

 private:
  static ChoiceSelection selection_of(const Plan& p) {
    ChoiceSelection s(p.choices.size());
    for (std::size_t i = 0; i < p.choices.size(); ++i) s[i] = p.choices[i].option;
    return s;
  }

  PlanStats merge(PlanStats s) const {
    s.iterations = stats_.iterations;
    s.selections = stats_.selections;
    s.checks = stats_.checks;
    s.future_checks = stats_.future_checks;
    s.nogoods = stats_.nogoods;
    s.optimise_ms = stats_.optimise_ms;
    s.check_ms = stats_.check_ms;
    return s;
  }

  bool has_latencies() const {
    for (const auto& p : points_)
      for (const auto& o : p.options)
        if (o.latency_ms) return true;
    return false;
  }

  void progress(std::string_view phase) const {
    if (request_.progress) request_.progress(phase, stats_.selections, 0);
  }

  // The cheapest selection the learned constraints allow that checks clean; nullopt when none.
  std::optional<ChoiceSelection> next_feasible() {
    for (;;) {
      const auto t = Clock::now();
      ++stats_.iterations;
      const z3::check_result r = opt_.check();
      stats_.optimise_ms += ms_since(t);
      if (r == z3::unsat) return std::nullopt;
      if (r == z3::unknown)
        throw std::runtime_error(
            "the optimiser gave up after " + std::to_string(stats_.iterations) +
            " rounds: " + std::string(Z3_optimize_get_reason_unknown(ctx_, opt_)));
      z3::model m = opt_.get_model();
      if (has_latencies()) m = fastest_at_cost(m);
      ChoiceSelection sel(points_.size(), 0);
      for (std::size_t i = 0; i < points_.size(); ++i) {
        for (std::size_t j = 0; j < points_[i].options.size(); ++j) {
          if (m.eval(x_[i][j], true).is_true()) sel[i] = j;
        }
      }
      progress("checking a selection");
      const Outcome& o = evaluate(sel);
      std::size_t added = 0;
      if (o.clean()) {
        if (!request_.robust) return sel;
        progress("judging a selection in the scenario's futures");
        const planning::RobustVerdict& v = robust(sel);
        if (v.met) return sel;
        Requirement q;
        q.at = dates_.front();
        q.probability_at_most = v.error.empty() ? v.bound : 0.0;
        q.futures = v.witnesses;
        q.future_error = v.error;
        if (!v.witnesses.empty()) {
          q.finding = v.witnesses.front().finding;
          q.at = v.witnesses.front().from;
        }
        if (learn(sel, v.depends, std::move(q)) == 0)
          throw std::logic_error("the planner learned nothing from a selection that is not robust");
        continue;
      }
      if (!o.loads) {
        Requirement q;
        q.at = dates_.front();
        q.load_errors = o.load_errors;
        added += learn(sel, o.load_depends, std::move(q));
      }
      for (const auto& b : o.bad) {
        Requirement q;
        q.finding = b.finding;
        q.at = b.at;
        added += learn(sel, b.depends, std::move(q));
      }
      if (added == 0) {
        // Cannot happen when the dependencies are right (a nogood always cuts the selection
        // it came from); never loop on it.
        throw std::logic_error("the planner learned nothing from a failing selection");
      }
    }
  }

  // Adds the nogood `terms` (learned from `sel`); returns 1 when it is new.
  std::size_t learn(const ChoiceSelection& sel, const Terms& terms, Requirement requirement) {
    std::vector<std::pair<std::size_t, std::vector<std::size_t>>> key;
    for (const auto& t : terms) key.emplace_back(t.point, t.keeps);
    if (!seen_nogoods_.insert(key).second) return 0;
    for (const auto& t : terms) {
      requirement.selection.push_back({t.point, sel[t.point]});
      requirement.points.push_back(t.point);
      requirement.keeps.push_back(t.keeps);
    }
    add_hard(clause(terms));
    nogoods_.push_back({terms, std::move(requirement)});
    return 1;
  }

  // At least one point takes an option outside its `keeps`.
  z3::expr clause(const Terms& terms) {
    z3::expr_vector lits(ctx_);
    for (const auto& t : terms) {
      for (std::size_t o = 0; o < x_[t.point].size(); ++o)
        if (std::find(t.keeps.begin(), t.keeps.end(), o) == t.keeps.end())
          lits.push_back(x_[t.point][o]);
    }
    return lits.empty() ? ctx_.bool_val(false) : z3::mk_or(lits);
  }

  void block(const ChoiceSelection& sel) {
    Terms all;
    for (std::size_t i = 0; i < sel.size(); ++i) all.push_back({i, {sel[i]}});
    add_hard(clause(all));
  }

  // How likely the selection's model (clean in the window) stays compliant in the scenario's
  // futures.
  const planning::RobustVerdict& robust(const ChoiceSelection& sel) {
    if (auto it = robust_cache_.find(sel); it != robust_cache_.end()) return it->second;
    const auto t = Clock::now();
    const Json patched = document_.patch(selection_patch(document_, points_, sel));
    auto v = planning::judge_robust(patched, points_, sel, reference_, rules_, *request_.robust,
                                    request_.forbid_undetermined, request_.threads);
    stats_.future_checks += v.robustness.world_states;
    stats_.check_ms += ms_since(t);
    return robust_cache_.emplace(sel, std::move(v)).first->second;
  }

  const Outcome& evaluate(const ChoiceSelection& sel) {
    if (auto it = cache_.find(sel); it != cache_.end()) return it->second;
    const auto t = Clock::now();
    ++stats_.selections;
    Outcome out;
    const Json patched = document_.patch(selection_patch(document_, points_, sel));
    auto loaded = load_model_json(patched, file_, reference_);
    if (!loaded.model) {
      out.loads = false;
      for (const auto& d : loaded.diagnostics.items())
        if (d.severity == Severity::kError) out.load_errors.add(d);
      out.load_depends = load_dependencies(points_, sel, patched, out.load_errors);
    } else {
      PathChecker checker(*loaded.model, rules_);
      Dependencies deps(points_, sel, document_, *loaded.model, checker.graph());
      CheckOptions options;
      options.keep_compliant = false;
      options.threads = request_.threads;
      options.solver_resource_limit = request_.solver_resource_limit;
      for (Date at : dates_) {
        ++stats_.checks;
        const CheckResult r = checker.check(at, options);
        out.checks.push_back({at, r.summary});
        bool implicit_starts = false;
        for (const auto& w : r.warnings.items()) implicit_starts |= w.code == "XB-CHECK-001";
        for (const auto& f : r.findings) {
          const bool bad = f.verdict == Verdict::kViolation ||
                           (request_.forbid_undetermined && f.verdict == Verdict::kUndetermined);
          if (bad) out.bad.push_back({f, at, deps.of(f, implicit_starts)});
        }
      }
    }
    stats_.check_ms += ms_since(t);
    return cache_.emplace(sel, std::move(out)).first->second;
  }

  Plan make_plan(const ChoiceSelection& sel) {
    Plan p;
    std::optional<double> latency;
    for (std::size_t i = 0; i < sel.size(); ++i) {
      p.choices.push_back({i, sel[i]});
      const ChoiceOption& o = points_[i].options[sel[i]];
      p.cost += o.cost;
      if (o.latency_ms) latency = std::max(latency.value_or(0), *o.latency_ms);
    }
    p.latency_ms = latency;
    p.patch = selection_patch(document_, points_, sel);
    p.checks = evaluate(sel).checks;
    if (request_.robust) p.robustness = robust(sel).robustness;
    return p;
  }

  // For every choice that costs more than its point's cheapest option: what the cheapest one
  // would break, with everything else as planned.
  void explain(Plan& plan) {
    for (std::size_t i = 0; i < plan.choices.size(); ++i) {
      const auto& options = points_[i].options;
      std::size_t cheapest = 0;
      for (std::size_t j = 1; j < options.size(); ++j)
        if (options[j].cost < options[cheapest].cost) cheapest = j;
      if (options[cheapest].cost >= options[plan.choices[i].option].cost) continue;
      ChoiceSelection sel = selection_of(plan);
      sel[i] = cheapest;
      const Outcome& o = evaluate(sel);
      Plan::Reason reason{i, {}, dates_.front(), std::nullopt, {}, {}};
      std::set<std::string> seen;  // one example per rule
      for (const auto& b : o.bad) {
        if (reason.avoids.size() >= 3) break;
        if (!seen.insert(b.finding.rule_id).second) continue;
        if (reason.avoids.empty()) reason.at = b.at;
        reason.avoids.push_back(b.finding);
      }
      if (o.clean() && request_.robust) {
        // Clean in the window: what the scenario's futures bring instead.
        const planning::RobustVerdict& v = robust(sel);
        if (!v.met) {
          reason.probability = v.robustness.probability;
          reason.future_error = v.error;
          for (const auto& w : v.witnesses) {
            if (reason.avoids.size() >= 3) break;
            if (!seen.insert(w.finding.rule_id).second) continue;
            if (reason.avoids.empty()) {
              reason.at = w.from;
              reason.events = w.events;
            }
            reason.avoids.push_back(w.finding);
          }
        }
      }
      plan.reasons.push_back(std::move(reason));
    }
  }

  // The cost/latency front: the cheapest plan, then the cheapest plan strictly faster than the
  // last one found, until none is. Each point is the cheapest at its latency (lexicographic
  // optimisation breaks cost ties by latency), so no point dominates another.
  std::vector<Plan> pareto(const ChoiceSelection& best) {
    std::vector<Plan> front;
    front.push_back(make_plan(best));
    opt_.push();
    for (;;) {
      const double bound = front.back().latency_ms.value_or(0);
      if (bound <= 0) break;
      forbid_slower_than(bound, true);
      auto next = next_feasible();
      if (!next) break;
      front.push_back(make_plan(*next));
    }
    opt_.pop();
    // Nogoods learned inside the scope are facts about the model: keep them.
    for (const auto& n : nogoods_) add_hard(clause(n.terms));
    return front;
  }

  // A minimal set of learned requirements that no selection meets at once (deletion-based
  // minimisation of Z3's unsat core), with the latency limit and one option per point.
  std::vector<Requirement> core() {
    z3::solver s(ctx_);
    for (std::size_t i = 0; i < points_.size(); ++i) {
      z3::expr_vector vec(ctx_);
      for (const auto& v : x_[i]) vec.push_back(v);
      s.add(z3::atleast(vec, 1));
      s.add(z3::atmost(vec, 1));
      for (std::size_t j = 0; j < points_[i].options.size(); ++j) {
        const auto& o = points_[i].options[j];
        if (o.latency_ms && request_.max_latency_ms && *o.latency_ms > *request_.max_latency_ms)
          s.add(!x_[i][j]);
      }
    }
    std::vector<z3::expr> guards;
    z3::expr_vector assumptions(ctx_);
    for (std::size_t k = 0; k < nogoods_.size(); ++k) {
      guards.push_back(ctx_.bool_const(("g_" + std::to_string(k)).c_str()));
      s.add(z3::implies(guards.back(), clause(nogoods_[k].terms)));
      assumptions.push_back(guards.back());
    }
    if (s.check(assumptions) != z3::unsat) {
      throw std::logic_error("the planner found no plan, yet its constraints are satisfiable");
    }
    std::vector<std::size_t> in_core;
    {
      const z3::expr_vector c = s.unsat_core();
      for (std::size_t k = 0; k < guards.size(); ++k) {
        for (unsigned m = 0; m < c.size(); ++m) {
          if (z3::eq(c[m], guards[k])) {
            in_core.push_back(k);
            break;
          }
        }
      }
    }
    for (std::size_t pos = 0; pos < in_core.size();) {
      z3::expr_vector trial(ctx_);
      for (std::size_t q = 0; q < in_core.size(); ++q)
        if (q != pos) trial.push_back(guards[in_core[q]]);
      if (s.check(trial) == z3::unsat) {
        in_core.erase(in_core.begin() + static_cast<long>(pos));
      } else {
        ++pos;
      }
    }
    std::vector<Requirement> out;
    for (std::size_t k : in_core) out.push_back(nogoods_[k].requirement);
    if (out.empty()) {
      // Only the latency limit: the points it leaves without an option.
      for (std::size_t i = 0; i < points_.size(); ++i) {
        bool any = false;
        for (const auto& o : points_[i].options)
          any |= !(o.latency_ms && request_.max_latency_ms &&
                   *o.latency_ms > *request_.max_latency_ms);
        if (!any) {
          Requirement q;
          q.at = dates_.front();
          q.points = {i};
          out.push_back(std::move(q));
        }
      }
    }
    return out;
  }

  const Json& document_;
  const std::filesystem::path& file_;
  const ReferenceData& reference_;
  const RuleBase& rules_;
  const PlanRequest& request_;
  std::vector<ChoicePoint> points_;
  std::vector<Date> dates_;
  z3::context ctx_;
  z3::optimize opt_;  // minimises the cost
  z3::expr cost_{ctx_};
  std::vector<std::vector<z3::expr>> x_;
  std::map<ChoiceSelection, Outcome> cache_;
  std::map<ChoiceSelection, planning::RobustVerdict> robust_cache_;
  std::vector<Nogood> nogoods_;
  std::set<std::vector<std::pair<std::size_t, std::vector<std::size_t>>>> seen_nogoods_;
  PlanStats stats_;
};

}  // namespace

namespace {

// The SCC module a relationship calls for (docs/model-format.md: 1 C→C, 2 C→P, 3 P→P, 4 P→C).
int scc_module(const Unknowable<Relationship>& r) {
  if (!r.known()) return 2;
  switch (r.value()) {
    case Relationship::kControllerToController:
      return 1;
    case Relationship::kProcessorToProcessor:
      return 3;
    case Relationship::kProcessorToController:
      return 4;
    default:
      return 2;
  }
}

// Every safeguard a repair may add, written as the model format wants it. Which of them a rule
// accepts is the rule packs' business: the checker judges each selection.
std::vector<Json> safeguard_templates(int module) {
  std::vector<Json> out;
  out.push_back({{"type", "scc"}, {"set", "2021/914"}, {"module", module}});
  for (const char* type :
       {"tia", "bcr", "ad_hoc_clauses", "code_of_conduct", "certification", "provision_record",
        "receipt_record", "transfer_notice", "entrustee_supervision"})
    out.push_back({{"type", type}});
  out.push_back({{"type", "consent"}, {"informed", true}, {"explicit", true}});
  out.push_back(
      {{"type", "appi_standard_system"}, {"basis", "contract"}, {"periodic_check", true}});
  return out;
}

ChoicePoint binary_point(const std::string& id, const std::string& name, ChoiceTarget target,
                         const std::string& target_pointer, ChoiceOption change) {
  ChoicePoint p;
  p.id = id;
  p.name = name;
  p.target = target;
  p.target_pointer = target_pointer;
  p.pointer = "";
  ChoiceOption keep;
  keep.id = "keep";
  change.cost = 1;
  p.options = {keep, std::move(change)};
  return p;
}

}  // namespace

std::vector<ChoicePoint> repair_points(const Json& document, const TransferModel& model,
                                       const RuleBase& rules, const std::vector<Date>& dates,
                                       const PlanRequest& request,
                                       const std::vector<ChoicePoint>& existing) {
  // The flows and remote accesses where the model as written breaks a rule at some date.
  std::set<std::string> failing;
  // Per system a failing flow goes into from another country: the countries the data comes from
  // (moving the system there makes the flow domestic; the rules judge whether that needs a tool).
  std::map<Id, std::set<Id>> moves;
  {
    PathChecker checker(model, rules);
    std::map<std::string, const GraphNode*> nodes;
    const auto& g = checker.graph().graph();
    for (auto [it, end] = boost::vertices(g); it != end; ++it) nodes[g[*it].id] = &g[*it];
    CheckOptions options;
    options.keep_compliant = false;
    options.explain = Explain::kOnePerIssue;
    options.threads = request.threads;
    for (Date at : dates) {
      const CheckResult r = checker.check(at, options);
      for (const auto& f : r.findings) {
        if (!(f.verdict == Verdict::kViolation ||
              (request.forbid_undetermined && f.verdict == Verdict::kUndetermined)))
          continue;
        failing.insert(f.model_pointer);
        const auto n = nodes.find(f.to_node);
        if (f.edge_kind != EdgeKind::kFlow || n == nodes.end() || !n->second->system ||
            n->second->kind != NodeKind::kSystemRegion || f.from_country.empty() ||
            f.from_country == f.to_country)
          continue;
        moves[*n->second->system].insert(f.from_country);
      }
    }
  }
  std::set<std::string> taken;
  for (const auto& p : existing) taken.insert(p.target_pointer);
  std::vector<ChoicePoint> out;
  auto add_points = [&](ChoiceTarget target, const std::string& pointer, const std::string& label,
                        const std::vector<Safeguard>* present, bool unknown_safeguards, int module,
                        const RemoteAccess* access) {
    if (taken.count(pointer)) return;  // the model's own choice point decides it
    const std::string base = "repair:" + pointer.substr(1);
    if (!unknown_safeguards) {
      for (const Json& s : safeguard_templates(module)) {
        const std::string type = s["type"];
        bool has = false;
        for (const auto& g : *present) has |= to_string(g.type) == type;
        if (has) continue;
        ChoiceOption add;
        add.id = "add-" + type;
        add.add_safeguards = Json::array({s});
        out.push_back(binary_point(base + ":" + type, "add `" + type + "` to " + label, target,
                                   pointer, std::move(add)));
      }
    }
    if (access && !(access->clear_text.known() && !access->clear_text.value())) {
      ChoiceOption encrypted;
      encrypted.id = "encrypted-only";
      encrypted.set["clear_text"] = false;
      out.push_back(binary_point(base + ":clear_text", "encrypted-only access for " + label, target,
                                 pointer, std::move(encrypted)));
    }
    ChoiceOption drop;
    drop.id = "drop";
    drop.drop = true;
    out.push_back(binary_point(base + ":drop", "drop " + label, target, pointer, std::move(drop)));
  };
  for (const auto& f : model.flows) {
    if (!failing.count(f.pointer)) continue;
    add_points(ChoiceTarget::kFlow, f.pointer, "flow `" + f.id + "`", &f.safeguards,
               f.safeguards_unknown, scc_module(f.relationship), nullptr);
    for (auto& p : out)
      if (p.target_pointer == f.pointer) p.flow = f.id;
  }
  for (const auto& s : model.systems) {
    for (const auto& a : s.remote_access) {
      if (!failing.count(a.pointer)) continue;
      add_points(ChoiceTarget::kRemoteAccess, a.pointer,
                 "remote access of `" + a.party + "` to `" + s.id + "`", &a.safeguards, false, 2,
                 &a);
      for (auto& p : out) {
        if (p.target_pointer != a.pointer) continue;
        p.system = s.id;
        p.party = a.party;
      }
    }
  }
  // Moving a system that failing flows go into to a country they come from: its primary
  // regions replaced by that country (copies elsewhere kept). Only for systems that neither run
  // on another nor host one, whose regions are theirs to choose.
  std::set<Id> hosts;
  for (const auto& s : model.systems)
    if (s.runs_on) hosts.insert(*s.runs_on);
  auto move_options = [&](const System& s, const Json& regions) {
    std::vector<ChoiceOption> out;
    const auto it = moves.find(s.id);
    if (it == moves.end() || s.runs_on || hosts.count(s.id)) return out;
    for (const Id& country : it->second) {
      const std::string location = "country:" + country;
      Json moved = Json::array();
      bool changed = false;
      for (const auto& r : regions) {
        if (r.is_object() && r.value("role", "primary") == "primary" &&
            r.value("location", "") != location) {
          Json m = Json::object();
          m["location"] = location;
          if (r.contains("role")) m["role"] = r["role"];
          moved.push_back(std::move(m));
          changed = true;
        } else {
          moved.push_back(r);
        }
      }
      if (!changed) continue;
      // One placement per location.
      Json unique = Json::array();
      std::set<std::string> seen;
      for (const auto& r : moved)
        if (seen.insert(r.value("location", "") + "/" + r.value("role", "primary")).second)
          unique.push_back(r);
      ChoiceOption o;
      o.id = "move-to-" + country;
      o.cost = 1;
      o.set["regions"] = unique;
      out.push_back(std::move(o));
    }
    return out;
  };
  // Copies into replica, backup and failover regions: one point per system, whose options add
  // one safeguard to every such region, or keep only the primary regions; and the moves above.
  for (const auto& s : model.systems) {
    if (taken.count(s.pointer)) continue;
    const Json::json_pointer where(s.pointer + "/regions");
    if (!document.contains(where) || !document.at(where).is_array()) continue;
    const Json& regions = document.at(where);
    auto moved = move_options(s, regions);
    if (!failing.count(s.pointer + "/regions") && moved.empty()) continue;
    ChoicePoint p;
    p.id = "repair:" + s.pointer.substr(1) + ":regions";
    p.name = failing.count(s.pointer + "/regions")
                 ? "what covers the copies of system `" + s.id + "`"
                 : "where system `" + s.id + "` is";
    p.target = ChoiceTarget::kSystem;
    p.system = s.id;
    p.target_pointer = s.pointer;
    ChoiceOption keep;
    keep.id = "keep";
    p.options.push_back(keep);
    for (auto& o : moved) p.options.push_back(std::move(o));
    if (!failing.count(s.pointer + "/regions")) {
      out.push_back(std::move(p));
      continue;
    }
    for (const Json& t : safeguard_templates(2)) {
      const std::string type = t["type"];
      Json changed = regions;
      bool any = false;
      for (auto& r : changed) {
        if (!r.is_object() || r.value("role", "primary") == "primary") continue;
        Json& list = r["safeguards"];
        if (!list.is_array()) list = Json::array();
        bool has = false;
        for (const auto& g : list) has |= g.is_object() && g.value("type", "") == type;
        if (has) continue;
        list.push_back(t);
        any = true;
      }
      if (!any) continue;
      ChoiceOption o;
      o.id = "copies-" + type;
      o.cost = 1;
      o.set["regions"] = changed;
      p.options.push_back(std::move(o));
    }
    Json primaries = Json::array();
    for (const auto& r : regions)
      if (r.is_object() && r.value("role", "primary") == "primary") primaries.push_back(r);
    if (!primaries.empty() && primaries.size() < regions.size()) {
      ChoiceOption o;
      o.id = "primary-regions-only";
      o.cost = 1;
      o.set["regions"] = primaries;
      p.options.push_back(std::move(o));
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Date> plan_dates(const RuleBase& rules, const Json& document, Date at, Date until) {
  std::set<Date> cuts;
  for (const auto& item : catalogue(rules)) {
    if (item.valid.from) cuts.insert(*item.valid.from);
    if (item.valid.to) cuts.insert(*item.valid.to);
  }
  for (const Rule* r : rules.rules) {
    expr_dates(r->applies, cuts);
    for (const auto& route : r->requires_any) expr_dates(route.expr, cuts);
  }
  for (const auto& [name, d] : rules.definitions) expr_dates(d->expr, cuts);
  for (const auto& [name, f] : rules.facts)
    for (const auto& e : f->entries)
      if (e.when) expr_dates(*e.when, cuts);
  json_dates(document, cuts);
  std::vector<Date> out{at};
  for (Date d : cuts)
    if (d > at && d <= until) out.push_back(d);
  return out;
}

PlanResult plan(const Json& document, const std::filesystem::path& file,
                const ReferenceData& reference, const RuleBase& rules, const PlanRequest& request) {
  if (request.until < request.at)
    throw std::invalid_argument("the planning window ends (" + request.until.to_string() +
                                ") before it starts (" + request.at.to_string() + ")");
  if (request.robust) {
    if (!request.robust->scenario) throw std::invalid_argument("a robust plan needs a scenario");
    const double p = request.robust->min_probability;
    if (!(p >= 0 && p <= 1))
      throw std::invalid_argument("the minimum probability " + std::to_string(p) +
                                  " is not between 0 and 1");
    if (request.robust->runs == 0 && request.robust->scenario->stochastic.size() > kExactMaxEvents)
      throw std::invalid_argument("sampled futures need at least one run");
  }
  auto base = load_model_json(document, file, reference);
  if (!base.model) {
    for (const auto& d : base.diagnostics.items())
      if (d.severity == Severity::kError) throw InputError(d);
    throw std::invalid_argument("the model does not load");
  }
  Diagnostics diags;
  auto points = read_choices(document, *base.model, file, reference, diags, false);
  auto dates = plan_dates(rules, document, request.at, request.until);
  if (request.repair) {
    auto more = repair_points(document, *base.model, rules, dates, request, points);
    points.insert(points.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
  }
  Planner planner(document, file, reference, rules, request, std::move(points), std::move(dates));
  return planner.run();
}

}  // namespace xborder
