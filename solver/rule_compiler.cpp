#include "solver/rule_compiler.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <unordered_set>

#include "model/date.hpp"

namespace xborder {

// ------------------------------------------------------------------------------------ atoms

AtomTable::AtomTable(const Universe& universe) : universe_(universe) {
  for (const auto& v : context_variables()) {
    offset_.push_back(size_);
    size_ += v.type.kind == VarKind::kSet ? universe.values(v.type.domain).size() : 1;
  }
}

std::size_t AtomTable::var_of(std::size_t atom) const {
  auto it = std::upper_bound(offset_.begin(), offset_.end(), atom);
  return static_cast<std::size_t>(it - offset_.begin()) - 1;
}

std::string AtomTable::describe(std::size_t atom) const {
  const std::size_t var = var_of(atom);
  const auto& spec = context_variables()[var];
  if (spec.type.kind != VarKind::kSet) return spec.name;
  return spec.name + "[" + universe_.values(spec.type.domain)[atom - offset_[var]] + "]";
}

std::string AtomTable::describe_value(std::size_t atom, int value) const {
  if (value == kUnknown) return "unknown";
  const auto& spec = context_variables()[var_of(atom)];
  switch (spec.type.kind) {
    case VarKind::kBool:
    case VarKind::kSet:
      return value ? "true" : "false";
    case VarKind::kInt:
      return std::to_string(value);
    case VarKind::kDate:
      return Date::from_days(value).to_string();
    case VarKind::kEnum: {
      const auto& values = universe_.values(spec.type.domain);
      return value >= 0 && static_cast<std::size_t>(value) < values.size() ? values[value] : "?";
    }
  }
  return "?";
}

// ------------------------------------------------------------------------------ compilation

namespace {
void collect_literals(const Expr& e, Universe& u) {
  visit(e, [&](const Expr& x) {
    if (x.op == ExprOp::kStringLit && domain_is_open(x.type.domain)) u.add(x.type.domain, x.text);
  });
}
}  // namespace

void add_rule_base_values(const RuleBase& rules, Universe& universe) {
  for (const auto& [name, fs] : rules.facts) {
    for (const auto& e : fs->entries) {
      if (domain_is_open(fs->domain)) universe.add(fs->domain, e.value);
      if (e.when) collect_literals(*e.when, universe);
    }
  }
  for (const auto& [name, d] : rules.definitions) collect_literals(d->expr, universe);
  for (const Rule* r : rules.rules) {
    collect_literals(r->applies, universe);
    for (const auto& route : r->requires_any) collect_literals(route.expr, universe);
  }
  for (const auto& reach : rules.reach) {
    universe.add(Domain::kCountry, reach.authority);
    for (const auto& c : reach.control_countries) universe.add(Domain::kCountry, c);
  }
}

namespace {
void add_support(std::vector<std::size_t>& support, std::size_t atom) {
  support.push_back(atom);
}
void normalise(std::vector<std::size_t>& support) {
  std::sort(support.begin(), support.end());
  support.erase(std::unique(support.begin(), support.end()), support.end());
}
}  // namespace

CompiledRules::CompiledRules(const RuleBase& rules, const Universe& universe)
    : ctx_(std::make_unique<z3::context>()), base_(rules), universe_(universe), atoms_(universe) {
  solver_ = std::make_unique<z3::solver>(*ctx_);
  scratch_.assign(atoms_.size(), kUnknown);
  z3::params params(*ctx_);
  params.set("timeout", 20000u);  // ms per query; a timeout is undetermined, never a pass
  // Cores are not minimised (issue 11: explanations without minimisation): Z3's minimisation
  // made each unsat query about seven times as costly, and its cores on the shipped packs are
  // mostly minimal anyway (bench/README.md, session 10). A core is sufficient either way: with
  // only the reasons it names known, the verdict is the same (checked in debug builds).
  params.set("core.minimize", false);
  solver_->set(params);

  // One enumeration sort per domain a scalar can take (every domain up to `category`, and the
  // TIA conclusions); the other domains appear only in sets, which are bit vectors.
  for (int k = 1; k < static_cast<int>(enum_count<Domain>()); ++k) {
    const Domain d = static_cast<Domain>(k);
    if (k > static_cast<int>(Domain::kCategory) && d != Domain::kTiaConclusion) continue;
    const auto& values = universe_.values(d);
    std::vector<std::string> names;
    for (const auto& v : values) names.push_back(std::string(domain_name(d)) + "!" + v);
    std::vector<const char*> cnames;
    for (const auto& n : names) cnames.push_back(n.c_str());
    z3::func_decl_vector consts(*ctx_), testers(*ctx_);
    z3::sort sort = ctx_->enumeration_sort(std::string(domain_name(d)).c_str(),
                                           static_cast<unsigned>(cnames.size()), cnames.data(),
                                           consts, testers);
    sorts_.emplace(d, sort);
    enum_consts_.emplace(d, consts);
  }
  atom_exprs_.resize(atoms_.size());
  date_atom_ = atoms_.scalar(*find_variable("date"));
  // Required enums never take the value `none`.
  const auto& vars = context_variables();
  for (std::size_t v = 0; v < vars.size(); ++v) {
    if (vars[v].type.kind == VarKind::kEnum && !vars[v].optional) {
      well_formed_.push_back(
          atom_expr(atoms_.scalar(v)) !=
          enum_value(vars[v].type.domain, universe_.none_index(vars[v].type.domain)));
      solver_->add(well_formed_.back());
    }
  }

  cache_.resize(base_.rules.size());
  for (const Rule* rule : base_.rules) {
    std::vector<std::size_t> support;
    z3::expr applies = validity(rule->valid, support) && compile(rule->applies, support);
    std::vector<z3::expr> routes;
    z3::expr_vector any(*ctx_);
    for (const auto& route : rule->requires_any) {
      routes.push_back(compile(route.expr, support));
      any.push_back(routes.back());
    }
    const std::vector<z3::expr> routes_unnamed = routes;
    normalise(support);
    // Each formula is asserted once behind a named literal; queries only flip literals.
    const std::string prefix = "rule!" + rule->id + "!";
    auto name_it = [&](const std::string& suffix, const z3::expr& formula) {
      z3::expr literal = ctx_->bool_const((prefix + suffix).c_str());
      solver_->add(literal == formula);
      return literal;
    };
    RuleFormulas formulas{applies, applies && !z3::mk_or(any), routes};
    z3::expr applies_literal = name_it("applies", applies);
    z3::expr violated = name_it("violated", formulas.violated);
    for (std::size_t k = 0; k < routes.size(); ++k)
      routes[k] = name_it("route" + std::to_string(k), routes[k]);
    bool symmetric = !names_a_party(rule->applies);
    for (const auto& route : rule->requires_any)
      symmetric = symmetric && !names_a_party(route.expr);
    for (std::size_t atom : support) {
      const auto& type = context_variables()[atoms_.var_of(atom)].type;
      if (type.kind == VarKind::kSet && type.domain == Domain::kParty) symmetric = false;
    }
    std::vector<z3::expr> all = routes_unnamed;
    all.push_back(applies);
    auto breakpoints = date_breakpoints(all);
    std::vector<std::pair<std::size_t, int>> support_vars;
    for (std::size_t atom : support) {
      const std::size_t var = atoms_.var_of(atom);
      support_vars.emplace_back(var, context_variables()[var].type.kind == VarKind::kSet
                                         ? static_cast<int>(atom - atoms_.scalar(var))
                                         : -1);
    }
    rules_.push_back(CompiledRule{rule, applies_literal, violated, routes, std::move(formulas),
                                  support, std::move(support_vars), symmetric,
                                  breakpoints.value_or(std::vector<long long>{}),
                                  breakpoints.has_value()});
  }
}

// Collects the constants the date is compared with; nullopt when the date occurs anywhere else.
// A comparison `date OP c` is constant on each interval between the breakpoints c and c + 1, so a
// rule's answer is the same for all dates of one interval and can be cached by the interval.
std::optional<std::vector<long long>> CompiledRules::date_breakpoints(
    const std::vector<z3::expr>& formulas) {
  const z3::expr date = atom_expr(date_atom_);
  std::set<long long> points;
  std::unordered_set<unsigned> seen;
  bool other_use = false;
  std::vector<z3::expr> pending(formulas.begin(), formulas.end());
  while (!pending.empty() && !other_use) {
    z3::expr e = pending.back();
    pending.pop_back();
    if (!seen.insert(e.id()).second) continue;
    if (z3::eq(e, date)) {
      other_use = true;
      break;
    }
    if (!e.is_app()) continue;
    const Z3_decl_kind kind = e.decl().decl_kind();
    const bool comparison = kind == Z3_OP_LE || kind == Z3_OP_LT || kind == Z3_OP_GE ||
                            kind == Z3_OP_GT || kind == Z3_OP_EQ || kind == Z3_OP_DISTINCT;
    auto date_against_constant = [&] {
      if (!comparison || e.num_args() != 2) return false;
      for (unsigned side = 0; side < 2; ++side) {
        int64_t value = 0;
        if (z3::eq(e.arg(side), date) && e.arg(1 - side).is_numeral_i64(value)) {
          points.insert(value);
          points.insert(value + 1);
          return true;
        }
      }
      return false;
    };
    if (date_against_constant()) continue;
    for (unsigned k = 0; k < e.num_args(); ++k) pending.push_back(e.arg(k));
  }
  if (other_use) return std::nullopt;
  return std::vector<long long>(points.begin(), points.end());
}

z3::expr CompiledRules::enum_value(Domain d, int index) {
  return enum_consts_.at(d)[static_cast<unsigned>(index)]();
}

z3::expr CompiledRules::atom_expr(std::size_t atom) {
  if (atom_exprs_[atom]) return *atom_exprs_[atom];
  const auto& spec = context_variables()[atoms_.var_of(atom)];
  const std::string name = atoms_.describe(atom);
  z3::expr e(*ctx_);
  switch (spec.type.kind) {
    case VarKind::kBool:
    case VarKind::kSet:
      e = ctx_->bool_const(name.c_str());
      break;
    case VarKind::kInt:
    case VarKind::kDate:
      e = ctx_->int_const(name.c_str());
      break;
    case VarKind::kEnum:
      e = ctx_->constant(name.c_str(), sorts_.at(spec.type.domain));
      break;
  }
  atom_exprs_[atom] = e;
  return e;
}

std::optional<int> CompiledRules::literal_index(const Expr& lit, Domain d) const {
  return universe_.index(d, lit.text);
}

z3::expr CompiledRules::validity(const Validity& v, std::vector<std::size_t>& support) {
  z3::expr out = ctx_->bool_val(true);
  if (!v.from && !v.to) return out;
  const std::size_t date = atoms_.scalar(*find_variable("date"));
  add_support(support, date);
  if (v.from) out = out && atom_expr(date) >= ctx_->int_val(v.from->days());
  if (v.to) out = out && atom_expr(date) < ctx_->int_val(v.to->days());
  return out;
}

z3::expr CompiledRules::fact_member(const FactSet& fs, const z3::expr& /*unused*/,
                                    const std::string& literal, bool literal_mode,
                                    std::vector<std::size_t>& support,
                                    const std::function<z3::expr(int)>& member_of) {
  z3::expr_vector any(*ctx_);
  for (std::size_t k = 0; k < fs.entries.size(); ++k) {
    const FactEntry& e = fs.entries[k];
    if (literal_mode && e.value != literal) continue;
    const std::string guard_name = "fact!" + fs.name + "!" + std::to_string(k);
    z3::expr guard = ctx_->bool_const(guard_name.c_str());
    if (!guard_meaning_.count(guard_name)) {
      guard_meaning_[guard_name] = "fact " + fs.name + ": " + e.value + " " + e.valid.to_string() +
                                   " (" + e.citation.label() + ")";
      fact_guards_.push_back(guard);
    }
    z3::expr entry = guard && validity(e.valid, support);
    if (e.when) entry = entry && compile(*e.when, support);
    if (!literal_mode) {
      const auto idx = universe_.index(fs.domain, e.value);
      if (!idx) continue;
      entry = entry && member_of(*idx);
    }
    any.push_back(entry);
  }
  return any.empty() ? ctx_->bool_val(false) : z3::mk_or(any);
}

z3::expr CompiledRules::compile_set_membership(const Expr& element, const Expr& set,
                                               std::vector<std::size_t>& support) {
  const Domain d = set.type.domain;
  const bool literal = element.op == ExprOp::kStringLit;
  auto element_equals = [&](int idx) -> z3::expr {
    if (literal) {
      auto own = literal_index(element, d);
      return ctx_->bool_val(own && *own == idx);
    }
    return compile(element, support) == enum_value(d, idx);
  };
  switch (set.op) {
    case ExprOp::kVar: {
      if (literal) {
        auto idx = literal_index(element, d);
        if (!idx) return ctx_->bool_val(false);
        const std::size_t atom = atoms_.element(set.var, *idx);
        add_support(support, atom);
        return atom_expr(atom);
      }
      z3::expr_vector any(*ctx_);
      const auto& values = universe_.values(d);
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] == kNoneValue) continue;
        const std::size_t atom = atoms_.element(set.var, static_cast<int>(i));
        add_support(support, atom);
        any.push_back(element_equals(static_cast<int>(i)) && atom_expr(atom));
      }
      return z3::mk_or(any);
    }
    case ExprOp::kFact: {
      const FactSet& fs = *base_.facts.at(set.text);
      return fact_member(fs, ctx_->bool_val(true), element.text, literal, support, element_equals);
    }
    case ExprOp::kList: {
      z3::expr_vector any(*ctx_);
      for (const auto& item : set.args) {
        auto idx = literal_index(item, d);
        if (idx) any.push_back(element_equals(*idx));
      }
      return any.empty() ? ctx_->bool_val(false) : z3::mk_or(any);
    }
    default:
      throw std::logic_error("membership in a non-set expression");
  }
}

z3::expr CompiledRules::compile_intersects(const Expr& a, const Expr& b,
                                           std::vector<std::size_t>& support) {
  const Expr* var = a.op == ExprOp::kVar ? &a : (b.op == ExprOp::kVar ? &b : nullptr);
  const Expr* other = var == &a ? &b : &a;
  const Domain d = a.type.domain;
  if (!var) {  // a fact against a list
    const Expr& fact = a.op == ExprOp::kFact ? a : b;
    const Expr& list = a.op == ExprOp::kFact ? b : a;
    z3::expr_vector any(*ctx_);
    for (const auto& item : list.args) {
      any.push_back(fact_member(*base_.facts.at(fact.text), ctx_->bool_val(true), item.text, true,
                                support, nullptr));
    }
    return any.empty() ? ctx_->bool_val(false) : z3::mk_or(any);
  }
  auto member = [&](int idx) {
    const std::size_t atom = atoms_.element(var->var, idx);
    add_support(support, atom);
    return atom_expr(atom);
  };
  switch (other->op) {
    case ExprOp::kVar: {
      z3::expr_vector any(*ctx_);
      const auto& values = universe_.values(d);
      for (std::size_t i = 0; i < values.size(); ++i) {
        const std::size_t atom = atoms_.element(other->var, static_cast<int>(i));
        add_support(support, atom);
        any.push_back(member(static_cast<int>(i)) && atom_expr(atom));
      }
      return z3::mk_or(any);
    }
    case ExprOp::kFact:
      return fact_member(*base_.facts.at(other->text), ctx_->bool_val(true), "", false, support,
                         member);
    case ExprOp::kList: {
      z3::expr_vector any(*ctx_);
      for (const auto& item : other->args) {
        if (auto idx = literal_index(item, d)) any.push_back(member(*idx));
      }
      return any.empty() ? ctx_->bool_val(false) : z3::mk_or(any);
    }
    default:
      throw std::logic_error("intersects with a non-set expression");
  }
}

z3::expr CompiledRules::compile(const Expr& e, std::vector<std::size_t>& support) {
  switch (e.op) {
    case ExprOp::kBoolLit:
      return ctx_->bool_val(e.number != 0);
    case ExprOp::kIntLit:
    case ExprOp::kDateLit:
      return ctx_->int_val(static_cast<int64_t>(e.number));
    case ExprOp::kStringLit: {
      auto idx = literal_index(e, e.type.domain);
      if (!idx) throw std::logic_error("literal outside its domain: " + e.text);
      return enum_value(e.type.domain, *idx);
    }
    case ExprOp::kVar: {
      const std::size_t atom = atoms_.scalar(e.var);
      add_support(support, atom);
      return atom_expr(atom);
    }
    case ExprOp::kDefinition: {
      auto it = definitions_.find(e.text);
      if (it == definitions_.end()) {
        std::vector<std::size_t> own;
        z3::expr body = compile(base_.definitions.at(e.text)->expr, own);
        it = definitions_.emplace(e.text, std::make_pair(body, own)).first;
      }
      support.insert(support.end(), it->second.second.begin(), it->second.second.end());
      return it->second.first;
    }
    case ExprOp::kNot:
      return !compile(e.args[0], support);
    case ExprOp::kAnd:
      return compile(e.args[0], support) && compile(e.args[1], support);
    case ExprOp::kOr:
      return compile(e.args[0], support) || compile(e.args[1], support);
    case ExprOp::kImplies:
      return z3::implies(compile(e.args[0], support), compile(e.args[1], support));
    case ExprOp::kEq:
    case ExprOp::kNe: {
      const Expr& l = e.args[0];
      const Expr& r = e.args[1];
      // A literal that names nothing in this model (a party of another organisation) equals
      // nothing.
      for (const Expr* side : {&l, &r}) {
        if (side->op == ExprOp::kStringLit && !literal_index(*side, side->type.domain)) {
          return ctx_->bool_val(e.op == ExprOp::kNe);
        }
      }
      z3::expr eq = compile(l, support) == compile(r, support);
      return e.op == ExprOp::kEq ? eq : !eq;
    }
    case ExprOp::kLt:
    case ExprOp::kLe:
    case ExprOp::kGt:
    case ExprOp::kGe: {
      const Expr& l = e.args[0];
      const Expr& r = e.args[1];
      auto cmp = [&](const z3::expr& a, const z3::expr& b) {
        switch (e.op) {
          case ExprOp::kLt:
            return a < b;
          case ExprOp::kLe:
            return a <= b;
          case ExprOp::kGt:
            return a > b;
          default:
            return a >= b;
        }
      };
      if (l.type.kind != VarKind::kEnum) return cmp(compile(l, support), compile(r, support));
      // Ordinal enums (value levels) compare by position: expand over the values.
      const Domain d = l.type.domain;
      const auto& values = universe_.values(d);
      z3::expr_vector any(*ctx_);
      z3::expr lv = compile(l, support);
      z3::expr rv = compile(r, support);
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] == kNoneValue) continue;
        for (std::size_t j = 0; j < values.size(); ++j) {
          if (values[j] == kNoneValue) continue;
          const bool holds =
              cmp(ctx_->int_val(static_cast<int>(i)), ctx_->int_val(static_cast<int>(j)))
                  .simplify()
                  .is_true();
          if (holds)
            any.push_back(lv == enum_value(d, static_cast<int>(i)) &&
                          rv == enum_value(d, static_cast<int>(j)));
        }
      }
      return any.empty() ? ctx_->bool_val(false) : z3::mk_or(any);
    }
    case ExprOp::kIn:
      return compile_set_membership(e.args[0], e.args[1], support);
    case ExprOp::kNotIn:
      return !compile_set_membership(e.args[0], e.args[1], support);
    case ExprOp::kIntersects:
      return compile_intersects(e.args[0], e.args[1], support);
    case ExprOp::kEmpty: {
      const Expr& s = e.args[0];
      if (s.op == ExprOp::kList) return ctx_->bool_val(s.args.empty());
      if (s.op == ExprOp::kFact) {
        return !fact_member(*base_.facts.at(s.text), ctx_->bool_val(true), "", false, support,
                            [&](int) { return ctx_->bool_val(true); });
      }
      z3::expr_vector all(*ctx_);
      const auto& values = universe_.values(s.type.domain);
      for (std::size_t i = 0; i < values.size(); ++i) {
        const std::size_t atom = atoms_.element(s.var, static_cast<int>(i));
        add_support(support, atom);
        all.push_back(!atom_expr(atom));
      }
      return z3::mk_and(all);
    }
    case ExprOp::kList:
    case ExprOp::kFact:
      throw std::logic_error("a set used as a condition");
  }
  throw std::logic_error("unhandled expression");
}

// --------------------------------------------------------------------------------- queries

z3::expr CompiledRules::literal_for(std::size_t atom, int value) {
  const auto& spec = context_variables()[atoms_.var_of(atom)];
  if (spec.type.kind == VarKind::kBool || spec.type.kind == VarKind::kSet) {
    return value ? atom_expr(atom) : !atom_expr(atom);
  }
  auto key = std::make_pair(atom, value);
  if (auto it = literals_.find(key); it != literals_.end()) return it->second;
  const std::string name = "is!" + atoms_.describe(atom) + "=" + atoms_.describe_value(atom, value);
  z3::expr lit = ctx_->bool_const(name.c_str());
  z3::expr val =
      spec.type.kind == VarKind::kEnum ? enum_value(spec.type.domain, value) : ctx_->int_val(value);
  solver_->add(z3::implies(lit, atom_expr(atom) == val));
  literals_.emplace(key, lit);
  literal_meaning_[name] = key;
  return lit;
}

std::vector<z3::expr> CompiledRules::assumptions_for(const CompiledRule& r,
                                                     const Valuation& values) {
  std::vector<z3::expr> out = fact_guards_;
  for (std::size_t atom : r.support) {
    if (values[atom] != kUnknown) out.push_back(literal_for(atom, values[atom]));
  }
  return out;
}

namespace {
// Thrown by check() when the solver answers `unknown`; answer() turns it into an undetermined
// answer, so it never leaves this file.
struct SolverGaveUp {
  std::string reason;
};
}  // namespace

void CompiledRules::set_resource_limit(unsigned limit) {
  if (limit == resource_limit_) return;
  resource_limit_ = limit;
  // An answer the solver gave up on under the old limit may be decided under the new one.
  for (auto& answers : cache_)
    std::erase_if(answers, [](const auto& kv) { return kv.second.gave_up; });
  z3::params params(*ctx_);
  params.set("rlimit", limit);
  solver_->set(params);
}

z3::check_result CompiledRules::check(const std::vector<z3::expr>& assumptions) {
  ++solver_queries;
  z3::expr_vector v(*ctx_);
  for (const auto& a : assumptions) v.push_back(a);
  const z3::check_result result = solver_->check(v);
  if (result == z3::unknown) throw SolverGaveUp{solver_->reason_unknown()};
  return result;
}

std::vector<Reason> CompiledRules::explain_core(const z3::expr_vector& core) {
  std::vector<Reason> out;
  for (unsigned k = 0; k < core.size(); ++k) {
    z3::expr lit = core[k];
    bool negated = false;
    if (lit.is_app() && lit.decl().decl_kind() == Z3_OP_NOT) {
      negated = true;
      lit = lit.arg(0);
    }
    const std::string name = lit.decl().name().str();
    if (name.rfind("rule!", 0) == 0) continue;  // the question asked, not a reason
    if (auto it = guard_meaning_.find(name); it != guard_meaning_.end()) {
      out.push_back({std::nullopt, it->second});
    } else if (auto jt = literal_meaning_.find(name); jt != literal_meaning_.end()) {
      out.push_back({jt->second.first, ""});
    } else {
      out.push_back({std::nullopt, name + " = " + (negated ? "false" : "true")});
    }
  }
  return out;
}

std::vector<std::string> CompiledRules::render(const std::vector<Reason>& because,
                                               const ContextReader& context) const {
  std::vector<std::string> out;
  for (const auto& reason : because) {
    if (!reason.atom) {
      out.push_back(reason.text);
      continue;
    }
    const std::size_t var = atoms_.var_of(*reason.atom);
    const int value =
        context_variables()[var].type.kind == VarKind::kSet
            ? context.element(var, static_cast<int>(*reason.atom - atoms_.scalar(var)))
            : context.scalar(var);
    out.push_back(atoms_.describe(*reason.atom) + " = " +
                  atoms_.describe_value(*reason.atom, value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool CompiledRules::names_a_party(const Expr& e) const {
  bool named = false;
  visit(e, [&](const Expr& x) {
    if (named) return;
    if (x.op == ExprOp::kStringLit && x.type.domain == Domain::kParty) named = true;
    if (x.op == ExprOp::kDefinition) named = names_a_party(base_.definitions.at(x.text)->expr);
    if (x.op == ExprOp::kFact) {
      const FactSet& fs = *base_.facts.at(x.text);
      named = fs.domain == Domain::kParty;
      for (const auto& entry : fs.entries)
        named = named || (entry.when && names_a_party(*entry.when));
    }
  });
  return named;
}

RuleAnswer CompiledRules::answer(const CompiledRule& r, const Valuation& values) {
  try {
    return decide(r, values);
  } catch (const SolverGaveUp& e) {
    // Whether the rule applies is not known either: an undetermined finding that says why, with
    // every route open, is the honest answer.
    ++gave_up;
    RuleAnswer a;
    a.applicable = true;
    a.verdict = Verdict::kUndetermined;
    a.gave_up = true;
    a.deciding.push_back({std::string(kSolverGaveUp) + " (" + e.reason + ")", "", ""});
    for (const Route& route : r.rule->requires_any)
      a.routes.push_back({route.id, route.title, RouteStatus::kDependsOnUnknowns, route.citation});
    return a;
  }
}

RuleAnswer CompiledRules::decide(const CompiledRule& r, const Valuation& values) {
  RuleAnswer a;
  std::vector<z3::expr> base = assumptions_for(r, values);
  auto with = [&](const z3::expr& extra) {
    auto v = base;
    v.push_back(extra);
    return v;
  };
  if (check(with(r.applies)) == z3::unsat) return a;  // the rule does not apply in any completion
  a.applicable = true;
  std::optional<z3::model> violating, holding;
  if (check(with(r.violated)) == z3::unsat) {
    a.verdict = Verdict::kCompliant;
    a.because = explain_core(solver_->unsat_core());
  } else {
    violating = solver_->get_model();
    if (check(with(!r.violated)) == z3::unsat) {
      a.verdict = Verdict::kViolation;
      a.because = explain_core(solver_->unsat_core());
    } else {
      a.verdict = Verdict::kUndetermined;
      holding = solver_->get_model();
    }
  }
  if (a.verdict == Verdict::kUndetermined) {
    for (std::size_t atom : r.support) {
      if (values[atom] != kUnknown) continue;
      z3::expr x = atom_expr(atom);
      auto value_in = [&](const z3::model& m) {
        z3::expr v = m.eval(x, true);
        const auto& spec = context_variables()[atoms_.var_of(atom)];
        if (spec.type.kind == VarKind::kBool || spec.type.kind == VarKind::kSet)
          return std::string(v.is_true() ? "true" : "false");
        if (spec.type.kind == VarKind::kEnum) {
          std::string s = v.decl().name().str();
          auto bang = s.find('!');
          return bang == std::string::npos ? s : s.substr(bang + 1);
        }
        return v.to_string();
      };
      const std::string bad = value_in(*violating);
      const std::string good = value_in(*holding);
      if (bad != good) a.deciding.push_back({atoms_.describe(atom), bad, good});
    }
    if (a.deciding.empty()) {  // the models happened to agree on every unknown: name them all
      for (std::size_t atom : r.support) {
        if (values[atom] == kUnknown) a.deciding.push_back({atoms_.describe(atom), "", ""});
      }
    }
  }
  for (std::size_t k = 0; k < r.routes.size(); ++k) {
    const Route& route = r.rule->requires_any[k];
    RouteFinding rf{route.id, route.title, RouteStatus::kUnavailable, route.citation};
    if (check(with(r.routes[k])) == z3::sat) {
      rf.status = check(with(!r.routes[k])) == z3::unsat ? RouteStatus::kAvailable
                                                         : RouteStatus::kDependsOnUnknowns;
    }
    a.routes.push_back(rf);
  }
  return a;
}

std::size_t IntVectorHash::operator()(const std::vector<int>& key) const {
  std::size_t h = 1469598103934665603ull;
  for (int v : key) h = (h ^ static_cast<std::size_t>(static_cast<unsigned>(v))) * 1099511628211ull;
  return h;
}

const RuleAnswer& CompiledRules::evaluate(std::size_t rule, const ContextReader& context) {
  const CompiledRule& r = rules_[rule];
  std::vector<int> key;
  key.reserve(r.support.size());
  std::vector<std::pair<int, int>> renamed;  // party index → its place in order of appearance
  constexpr int kRenamedBase = 1 << 24;
  for (std::size_t k = 0; k < r.support.size(); ++k) {
    const std::size_t atom = r.support[k];
    int v = read(context, r.support_vars[k]);
    const auto& type = context_variables()[r.support_vars[k].first].type;
    if (r.party_symmetric && type.kind == VarKind::kEnum && type.domain == Domain::kParty &&
        v != kUnknown && v != universe_.none_index(Domain::kParty)) {
      auto it =
          std::find_if(renamed.begin(), renamed.end(), [&](const auto& p) { return p.first == v; });
      if (it == renamed.end())
        it = renamed.insert(renamed.end(), {v, kRenamedBase + static_cast<int>(renamed.size())});
      v = it->second;
    }
    if (r.date_by_interval && atom == date_atom_ && v != kUnknown) {
      v = static_cast<int>(std::upper_bound(r.date_breakpoints.begin(), r.date_breakpoints.end(),
                                            static_cast<long long>(v)) -
                           r.date_breakpoints.begin());
    }
    key.push_back(v);
  }
  auto& cache = cache_[rule];
  if (auto it = cache.find(key); it != cache.end()) {
    ++cache_hits;
    return it->second;
  }
  if (shared_) {
    if (auto known = shared_->find(rule, key)) {
      ++cache_hits;
      return cache.emplace(std::move(key), std::move(*known)).first->second;
    }
  }
  for (std::size_t k = 0; k < r.support.size(); ++k)
    scratch_[r.support[k]] = read(context, r.support_vars[k]);
  RuleAnswer fresh = answer(r, scratch_);
  if (shared_ && !fresh.gave_up) shared_->store(rule, key, fresh);
  return cache.emplace(std::move(key), std::move(fresh)).first->second;
}

bool SharedAnswers::join(const std::string& universe_signature) {
  std::lock_guard lock(mutex_);
  if (!signature_) signature_ = universe_signature;
  return *signature_ == universe_signature;
}

std::optional<RuleAnswer> SharedAnswers::find(std::size_t rule, const std::vector<int>& key) const {
  std::lock_guard lock(mutex_);
  auto r = answers_.find(rule);
  if (r == answers_.end()) return std::nullopt;
  auto it = r->second.find(key);
  if (it == r->second.end()) return std::nullopt;
  return it->second;
}

void SharedAnswers::store(std::size_t rule, const std::vector<int>& key, const RuleAnswer& answer) {
  std::lock_guard lock(mutex_);
  answers_[rule].emplace(key, answer);
}

std::string universe_signature(const Universe& universe) {
  std::string out;
  for (int k = 1; k < static_cast<int>(enum_count<Domain>()); ++k) {
    out += std::string(domain_name(static_cast<Domain>(k))) + ":";
    for (const auto& v : universe.values(static_cast<Domain>(k))) out += v + ",";
    out += ";";
  }
  return out;
}

}  // namespace xborder
