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
#include "solver/rule_catalog.hpp"

namespace xborder {
namespace {

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

// --- what a finding depends on --------------------------------------------------------------

// One selection, judged: at every date its bad findings (violations, and undetermined findings
// when they are forbidden), each with the choice points it depends on.
struct BadFinding {
  Finding finding;
  Date at;
  std::vector<std::size_t> depends;  // indices of choice points, sorted
};

struct Outcome {
  bool loads = true;
  Diagnostics load_errors;
  std::vector<std::size_t> load_depends;
  std::vector<DateCheck> checks;
  std::vector<BadFinding> bad;
  [[nodiscard]] bool clean() const { return loads && bad.empty(); }
};

// The choice points whose targets a witness path touches: the flows it follows, the remote
// accesses it reaches, and every system it passes through with the systems they run on. Any
// selection that agrees with this one on those points keeps the path and the state it carries
// to the finding's event, so the finding stays (the rules are a function of the event's context
// and that state). A data set taken to start where nothing brings it (XB-CHECK-001) could start
// elsewhere under another selection: then every point counts.
class Dependencies {
 public:
  Dependencies(const std::vector<ChoicePoint>& points, const TransferModel& model,
               const TransferGraph& graph)
      : points_(points), model_(model) {
    const auto& g = graph.graph();
    for (auto [it, end] = boost::vertices(g); it != end; ++it) nodes_[g[*it].id] = &g[*it];
    for (auto [it, end] = boost::edges(g); it != end; ++it)
      edges_[g[*it].id] = {&g[*it], &g[boost::source(*it, g)]};
  }

  std::vector<std::size_t> of(const Finding& f, bool implicit_starts) const {
    std::vector<std::size_t> all;
    if (implicit_starts) {
      for (std::size_t i = 0; i < points_.size(); ++i) all.push_back(i);
      return all;
    }
    std::set<Id> systems, flows;
    std::set<std::pair<Id, Id>> accesses;  // (system, party)
    auto node = [&](const std::string& id) {
      auto it = nodes_.find(id);
      if (it == nodes_.end()) return;
      const GraphNode& n = *it->second;
      if (n.system) systems.insert(*n.system);
      if (n.kind == NodeKind::kRemoteAccess && n.system) accesses.insert({*n.system, n.holder});
    };
    auto edge = [&](const std::string& id) {
      auto it = edges_.find(id);
      if (it == edges_.end()) return;
      const auto& [e, from] = it->second;
      if (e->flow) flows.insert(e->flow->id);
      if (from->system) systems.insert(*from->system);
      if (e->access && from->system) accesses.insert({*from->system, e->access->party});
    };
    for (const auto& step : f.path) {
      node(step.node);
      if (!step.edge.empty()) edge(step.edge);
    }
    node(f.from_node);
    node(f.to_node);
    edge(f.edge);
    // The systems they run on: hosting puts data there, and a system without regions takes
    // the placements of its host.
    std::vector<Id> todo(systems.begin(), systems.end());
    while (!todo.empty()) {
      const Id id = todo.back();
      todo.pop_back();
      const System* s = model_.system(id);
      if (s && s->runs_on && systems.insert(*s->runs_on).second) todo.push_back(*s->runs_on);
    }
    for (std::size_t i = 0; i < points_.size(); ++i) {
      const ChoicePoint& p = points_[i];
      const bool hit =
          (p.target == ChoiceTarget::kSystem && systems.count(p.system)) ||
          (p.target == ChoiceTarget::kFlow && flows.count(p.flow)) ||
          (p.target == ChoiceTarget::kRemoteAccess && accesses.count({p.system, p.party}));
      if (hit) all.push_back(i);
    }
    return all;
  }

 private:
  const std::vector<ChoicePoint>& points_;
  const TransferModel& model_;
  std::map<std::string, const GraphNode*> nodes_;
  std::map<std::string, std::pair<const GraphEdge*, const GraphNode*>> edges_;
};

// The choice points a model that does not load depends on: the systems named by the errors'
// pointers and those they run on (hosting regions, tier order, cycles); anything else, all.
std::vector<std::size_t> load_dependencies(const std::vector<ChoicePoint>& points,
                                           const Json& patched, const Diagnostics& errors) {
  std::set<Id> systems;
  bool all = false;
  const Json* list = patched.contains("systems") ? &patched["systems"] : nullptr;
  for (const auto& d : errors.items()) {
    if (d.severity != Severity::kError) continue;
    const std::string prefix = "/systems/";
    std::size_t index = 0;
    bool ok = d.pointer.rfind(prefix, 0) == 0 && list && list->is_array();
    if (ok) {
      try {
        index = std::stoul(d.pointer.substr(prefix.size()));
        ok = index < list->size() && (*list)[index].contains("id");
      } catch (const std::exception&) {
        ok = false;
      }
    }
    if (!ok) {
      all = true;
      break;
    }
    systems.insert((*list)[index]["id"].get<std::string>());
  }
  std::vector<std::size_t> out;
  if (!all) {
    std::map<Id, Id> runs_on;
    for (const auto& s : *list) {
      if (s.contains("id") && s.contains("runs_on") && s["runs_on"].is_string())
        runs_on[s["id"].get<std::string>()] = s["runs_on"].get<std::string>();
    }
    std::vector<Id> todo(systems.begin(), systems.end());
    while (!todo.empty()) {
      const Id id = todo.back();
      todo.pop_back();
      auto it = runs_on.find(id);
      if (it != runs_on.end() && systems.insert(it->second).second) todo.push_back(it->second);
    }
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (all || systems.count(points[i].system)) out.push_back(i);
  }
  return out;
}

// --- the planner ----------------------------------------------------------------------------

struct Nogood {
  std::vector<PlannedChoice> choices;  // not all of these at once
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
      opt_.add(z3::atleast(vec, 1));
      opt_.add(z3::atmost(vec, 1));
      x_.push_back(std::move(row));
    }
    z3::expr cost = ctx_.real_val(0);
    latency_ = ctx_.real_const("latency");
    opt_.add(latency_ >= 0);
    for (std::size_t i = 0; i < points_.size(); ++i) {
      for (std::size_t j = 0; j < points_[i].options.size(); ++j) {
        const ChoiceOption& o = points_[i].options[j];
        cost = cost + z3::ite(x_[i][j], ctx_.real_val(decimal(o.cost).c_str()), ctx_.real_val(0));
        if (o.latency_ms) {
          opt_.add(
              z3::implies(x_[i][j], latency_ >= ctx_.real_val(decimal(*o.latency_ms).c_str())));
          if (request_.max_latency_ms && *o.latency_ms > *request_.max_latency_ms)
            opt_.add(!x_[i][j]);
        }
      }
    }
    // Cheapest first; among plans of one cost, the lowest latency.
    opt_.minimize(cost);
    opt_.minimize(latency_);
  }

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
      const z3::model m = opt_.get_model();
      ChoiceSelection sel(points_.size(), 0);
      for (std::size_t i = 0; i < points_.size(); ++i) {
        for (std::size_t j = 0; j < points_[i].options.size(); ++j) {
          if (m.eval(x_[i][j], true).is_true()) sel[i] = j;
        }
      }
      progress("checking a selection");
      const Outcome& o = evaluate(sel);
      if (o.clean()) return sel;
      std::size_t added = 0;
      if (!o.loads) {
        added += learn(sel, o.load_depends,
                       Requirement{std::nullopt, dates_.front(), {}, {}, o.load_errors});
      }
      for (const auto& b : o.bad)
        added += learn(sel, b.depends, Requirement{b.finding, b.at, {}, {}, {}});
      if (added == 0) {
        // Cannot happen when the dependencies are right (a nogood always cuts the selection
        // it came from); never loop on it.
        throw std::logic_error("the planner learned nothing from a failing selection");
      }
    }
  }

  // Adds the nogood "not all of sel on `depends`"; returns 1 when it is new.
  std::size_t learn(const ChoiceSelection& sel, const std::vector<std::size_t>& depends,
                    Requirement requirement) {
    std::vector<PlannedChoice> choices;
    for (std::size_t i : depends) choices.push_back({i, sel[i]});
    std::vector<std::pair<std::size_t, std::size_t>> key;
    for (const auto& c : choices) key.emplace_back(c.point, c.option);
    if (!seen_nogoods_.insert(key).second) return 0;
    requirement.selection = choices;
    requirement.points = depends;
    opt_.add(clause(choices));
    nogoods_.push_back({std::move(choices), std::move(requirement)});
    return 1;
  }

  z3::expr clause(const std::vector<PlannedChoice>& choices) {
    z3::expr_vector lits(ctx_);
    for (const auto& c : choices) lits.push_back(!x_[c.point][c.option]);
    return lits.empty() ? ctx_.bool_val(false) : z3::mk_or(lits);
  }

  void block(const ChoiceSelection& sel) {
    std::vector<PlannedChoice> all;
    for (std::size_t i = 0; i < sel.size(); ++i) all.push_back({i, sel[i]});
    opt_.add(clause(all));
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
      out.load_depends = load_dependencies(points_, patched, out.load_errors);
    } else {
      PathChecker checker(*loaded.model, rules_);
      Dependencies deps(points_, *loaded.model, checker.graph());
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
      Plan::Reason reason{i, {}, dates_.front()};
      std::set<std::string> seen;  // one example per rule
      for (const auto& b : o.bad) {
        if (reason.avoids.size() >= 3) break;
        if (!seen.insert(b.finding.rule_id).second) continue;
        if (reason.avoids.empty()) reason.at = b.at;
        reason.avoids.push_back(b.finding);
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
      for (std::size_t i = 0; i < points_.size(); ++i)
        for (std::size_t j = 0; j < points_[i].options.size(); ++j)
          if (points_[i].options[j].latency_ms.value_or(0) >= bound) opt_.add(!x_[i][j]);
      auto next = next_feasible();
      if (!next) break;
      front.push_back(make_plan(*next));
    }
    opt_.pop();
    // Nogoods learned inside the scope are facts about the model: keep them.
    for (const auto& n : nogoods_) opt_.add(clause(n.choices));
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
      s.add(z3::implies(guards.back(), clause(nogoods_[k].choices)));
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
        if (!any) out.push_back(Requirement{std::nullopt, dates_.front(), {}, {i}, {}});
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
  z3::optimize opt_;
  z3::expr latency_{ctx_};
  std::vector<std::vector<z3::expr>> x_;
  std::map<ChoiceSelection, Outcome> cache_;
  std::vector<Nogood> nogoods_;
  std::set<std::vector<std::pair<std::size_t, std::size_t>>> seen_nogoods_;
  PlanStats stats_;
};

}  // namespace

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
  auto base = load_model_json(document, file, reference);
  if (!base.model) {
    for (const auto& d : base.diagnostics.items())
      if (d.severity == Severity::kError) throw InputError(d);
    throw std::invalid_argument("the model does not load");
  }
  Diagnostics diags;
  auto points = read_choices(document, *base.model, file, reference, diags, false);
  Planner planner(document, file, reference, rules, request, std::move(points),
                  plan_dates(rules, document, request.at, request.until));
  return planner.run();
}

}  // namespace xborder
