#include "solver/rule_evaluator.hpp"

#include <algorithm>
#include <climits>
#include <functional>
#include <stdexcept>

namespace xborder {

namespace {
constexpr int kUnknownValue = INT_MIN;  // the Valuation's kUnknown (rule_compiler.hpp)

// A construct this evaluator does not compile: the rule is left to the solver.
struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};
}  // namespace

RuleEvaluator::RuleEvaluator(const RuleBase& rules, const Universe& universe)
    : base_(rules), universe_(universe), date_var_(*find_variable("date")) {
  const auto& vars = context_variables();
  split_.resize(vars.size());
  for (const Rule* rule : base_.rules) {
    CompiledRule out;
    read_vars_.clear();
    try {
      const int valid = validity(rule->valid);
      const int applies = compile(rule->applies);
      out.applies = add(make_node(Kind::kAnd, [&](Node& n) {
        n.children = std::vector<int>{valid, applies};
      }));
      Node any = make_node(Kind::kOr);
      for (const auto& route : rule->requires_any) any.children.push_back(compile(route.expr));
      out.routes = any.children;
      out.any_route = any.children.empty() ? constant(false) : add(std::move(any));
      const int none_holds =
          add(make_node(Kind::kNot, [&](Node& n) { n.children = {out.any_route}; }));
      out.violated = add(make_node(Kind::kAnd, [&](Node& n) {
        n.children = {out.applies, none_holds};
      }));
    } catch (const Unsupported&) {
      out.applies = out.any_route = -1;  // always the solver
    }
    std::sort(read_vars_.begin(), read_vars_.end());
    read_vars_.erase(std::unique(read_vars_.begin(), read_vars_.end()), read_vars_.end());
    for (std::size_t v : read_vars_) {
      if (vars[v].type.kind == VarKind::kEnum && !vars[v].optional)
        out.required_enums.emplace_back(v, universe_.none_index(vars[v].type.domain));
    }
    if (out.applies >= 0) {
      std::vector<bool> seen(nodes_.size(), false);
      collect_reads(out.violated, out.reads, seen);
      for (const auto& [var, none] : out.required_enums) out.reads.push_back(var);
      std::sort(out.reads.begin(), out.reads.end());
      out.reads.erase(std::unique(out.reads.begin(), out.reads.end()), out.reads.end());
    }
    rules_.push_back(std::move(out));
  }
  finish_split_values();
}

void RuleEvaluator::collect_reads(int index, std::vector<std::size_t>& out,
                                  std::vector<bool>& seen) const {
  if (seen[static_cast<std::size_t>(index)]) return;  // definitions are shared nodes
  seen[static_cast<std::size_t>(index)] = true;
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  auto operand = [&](const Operand& o) {
    if (o.kind == Operand::Kind::kScalar) out.push_back(static_cast<std::size_t>(o.value));
    if (o.kind == Operand::Kind::kNode) collect_reads(o.value, out, seen);
  };
  auto entries = [&] {
    for (const Entry& e : n.entries) {
      if (e.from || e.to) out.push_back(date_var_);
      if (e.when >= 0) collect_reads(e.when, out, seen);
    }
  };
  switch (n.kind) {
    case Kind::kConst:
      return;
    case Kind::kNot:
    case Kind::kAnd:
    case Kind::kOr:
      for (int child : n.children) collect_reads(child, out, seen);
      return;
    case Kind::kCompare:
    case Kind::kOrdinal:
      operand(n.lhs);
      operand(n.rhs);
      return;
    case Kind::kElement:
    case Kind::kSetEmpty:
      out.push_back(n.var);
      return;
    case Kind::kScalarInSet:
    case Kind::kSetMeetsSet:
      out.push_back(n.var);
      out.push_back(n.var2);
      return;
    case Kind::kValueInList:
      operand(n.lhs);
      return;
    case Kind::kFactValue:
      operand(n.lhs);
      entries();
      return;
    case Kind::kFactLiteral:
      entries();
      return;
    case Kind::kFactSetMember:
      out.push_back(n.var);
      entries();
      return;
    case Kind::kDateWithin:
      out.push_back(date_var_);
      return;
  }
}

void RuleEvaluator::note_constant(const Operand& a, const Operand& b) {
  for (const auto& pair : {std::pair{&a, &b}, std::pair{&b, &a}}) {
    const Operand& var = *pair.first;
    const Operand& other = *pair.second;
    if (var.kind != Operand::Kind::kScalar) continue;
    auto& split = split_[static_cast<std::size_t>(var.value)];
    if (other.kind == Operand::Kind::kConst) {
      split.constants.push_back(other.value);
    } else {
      split.only_constants = false;
    }
  }
}

void RuleEvaluator::finish_split_values() {
  constexpr std::size_t kSmallDomain = 64;
  const auto& vars = context_variables();
  for (std::size_t v = 0; v < vars.size(); ++v) {
    SplitValues& split = split_[v];
    const VarType& type = vars[v].type;
    std::vector<int> out;
    switch (type.kind) {
      case VarKind::kBool:
      case VarKind::kSet:
        out = {0, 1};
        break;
      case VarKind::kInt:
      case VarKind::kDate:
        // Only comparisons with constants: every class of values has a member among the
        // constants and their neighbours.
        if (!split.only_constants) break;
        out.push_back(0);
        for (int c : split.constants) {
          for (long long x : {static_cast<long long>(c) - 1, static_cast<long long>(c),
                              static_cast<long long>(c) + 1}) {
            if (x > INT_MIN && x <= INT_MAX) out.push_back(static_cast<int>(x));
          }
        }
        break;
      case VarKind::kEnum: {
        const int size = static_cast<int>(universe_.values(type.domain).size());
        const int none = universe_.none_index(type.domain);
        const bool required = !vars[v].optional;
        if (split.only_constants) {
          // The constants, and one value none of them names (all such values act alike).
          for (int c : split.constants) {
            if (!(required && c == none)) out.push_back(c);
          }
          for (int x = 0; x < size; ++x) {
            if ((required && x == none) || std::find(split.constants.begin(), split.constants.end(),
                                                     x) != split.constants.end())
              continue;
            out.push_back(x);
            break;
          }
        } else if (static_cast<std::size_t>(size) <= kSmallDomain) {
          for (int x = 0; x < size; ++x) {
            if (!(required && x == none)) out.push_back(x);
          }
        }
        break;
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    split.values = std::move(out);
  }
}

// ------------------------------------------------------------------------------ compilation

RuleEvaluator::Node RuleEvaluator::make_node(Kind kind, const std::function<void(Node&)>& fill) {
  Node n;
  n.kind = kind;
  if (fill) fill(n);
  return n;
}

int RuleEvaluator::add(Node n) {
  nodes_.push_back(std::move(n));
  return static_cast<int>(nodes_.size()) - 1;
}

int RuleEvaluator::constant(bool value) {
  return add(make_node(Kind::kConst, [&](Node& n) { n.tri = value ? Tri::kTrue : Tri::kFalse; }));
}

int RuleEvaluator::validity(const Validity& v) {
  if (!v.from && !v.to) return constant(true);
  read_vars_.push_back(date_var_);
  Node n = make_node(Kind::kDateWithin);
  if (v.from) n.from = v.from->days();
  if (v.to) n.to = v.to->days();
  return add(std::move(n));
}

std::optional<RuleEvaluator::Operand> RuleEvaluator::operand(const Expr& e) {
  switch (e.op) {
    case ExprOp::kStringLit: {
      auto idx = universe_.index(e.type.domain, e.text);
      if (!idx) throw Unsupported("literal outside its domain");
      return Operand{Operand::Kind::kConst, *idx};
    }
    case ExprOp::kIntLit:
    case ExprOp::kDateLit:
      if (e.number < INT_MIN + 1 || e.number > INT_MAX) throw Unsupported("number out of range");
      return Operand{Operand::Kind::kConst, static_cast<int>(e.number)};
    case ExprOp::kBoolLit:
      return Operand{Operand::Kind::kConst, e.number != 0 ? 1 : 0};
    case ExprOp::kVar:
      if (e.type.kind == VarKind::kSet) throw Unsupported("a set as a value");
      read_vars_.push_back(e.var);
      return Operand{Operand::Kind::kScalar, static_cast<int>(e.var)};
    default:
      if (e.type.kind != VarKind::kBool) throw Unsupported("a value of another shape");
      return Operand{Operand::Kind::kNode, compile(e)};
  }
}

int RuleEvaluator::compile(const Expr& e) {
  switch (e.op) {
    case ExprOp::kBoolLit:
      return constant(e.number != 0);
    case ExprOp::kVar: {
      if (e.type.kind != VarKind::kBool) throw Unsupported("a non-boolean variable as a condition");
      read_vars_.push_back(e.var);
      return add(make_node(Kind::kCompare, [&](Node& n) {
        n.cmp = Cmp::kEq;
        n.lhs = Operand{Operand::Kind::kScalar, static_cast<int>(e.var)};
        n.rhs = Operand{Operand::Kind::kConst, 1};
      }));
    }
    case ExprOp::kDefinition: {
      // Compiled once; its variables count for every rule that uses it.
      auto it = definitions_.find(e.text);
      if (it == definitions_.end()) {
        auto saved = std::move(read_vars_);
        read_vars_.clear();
        const int node = compile(base_.definitions.at(e.text)->expr);
        it = definitions_.emplace(e.text, std::make_pair(node, std::move(read_vars_))).first;
        read_vars_ = std::move(saved);
      }
      read_vars_.insert(read_vars_.end(), it->second.second.begin(), it->second.second.end());
      return it->second.first;
    }
    case ExprOp::kNot:
      return add(make_node(Kind::kNot,
                           [&](Node& n) { n.children = std::vector<int>{compile(e.args[0])}; }));
    case ExprOp::kAnd:
      return add(make_node(Kind::kAnd, [&](Node& n) {
        n.children = std::vector<int>{compile(e.args[0]), compile(e.args[1])};
      }));
    case ExprOp::kOr:
      return add(make_node(Kind::kOr, [&](Node& n) {
        n.children = std::vector<int>{compile(e.args[0]), compile(e.args[1])};
      }));
    case ExprOp::kImplies: {
      const int premise = add(make_node(
          Kind::kNot, [&](Node& n) { n.children = std::vector<int>{compile(e.args[0])}; }));
      return add(make_node(Kind::kOr, [&](Node& n) {
        n.children = std::vector<int>{premise, compile(e.args[1])};
      }));
    }
    case ExprOp::kEq:
    case ExprOp::kNe: {
      // A literal that names nothing in this model equals nothing (as in the Z3 compiler).
      for (const Expr* side : {&e.args[0], &e.args[1]}) {
        if (side->op == ExprOp::kStringLit && !universe_.index(side->type.domain, side->text))
          return constant(e.op == ExprOp::kNe);
      }
      Node n = make_node(Kind::kCompare);
      n.cmp = e.op == ExprOp::kEq ? Cmp::kEq : Cmp::kNe;
      n.lhs = *operand(e.args[0]);
      n.rhs = *operand(e.args[1]);
      note_constant(n.lhs, n.rhs);
      return add(std::move(n));
    }
    case ExprOp::kLt:
    case ExprOp::kLe:
    case ExprOp::kGt:
    case ExprOp::kGe: {
      const Cmp cmp = e.op == ExprOp::kLt   ? Cmp::kLt
                      : e.op == ExprOp::kLe ? Cmp::kLe
                      : e.op == ExprOp::kGt ? Cmp::kGt
                                            : Cmp::kGe;
      const bool ordinal = e.args[0].type.kind == VarKind::kEnum;
      Node n = make_node(ordinal ? Kind::kOrdinal : Kind::kCompare);
      n.cmp = cmp;
      n.lhs = *operand(e.args[0]);
      n.rhs = *operand(e.args[1]);
      note_constant(n.lhs, n.rhs);
      if (ordinal) {
        n.none = universe_.none_index(e.args[0].type.domain);
        for (const Operand* o : {&n.lhs, &n.rhs}) {
          if (o->kind == Operand::Kind::kScalar)
            split_[static_cast<std::size_t>(o->value)].only_constants = false;
        }
      }
      return add(std::move(n));
    }
    case ExprOp::kIn:
      return compile_membership(e.args[0], e.args[1]);
    case ExprOp::kNotIn:
      return add(make_node(Kind::kNot, [&](Node& n) {
        n.children = std::vector<int>{compile_membership(e.args[0], e.args[1])};
      }));
    case ExprOp::kIntersects:
      return compile_intersects(e.args[0], e.args[1]);
    case ExprOp::kEmpty: {
      const Expr& s = e.args[0];
      if (s.op == ExprOp::kList) return constant(s.args.empty());
      if (s.op == ExprOp::kFact) {
        // Empty when no entry whose value this universe knows holds.
        const FactSet& fs = *base_.facts.at(s.text);
        Node n = make_node(Kind::kFactLiteral);
        for (const auto& entry : fs.entries) {
          if (!universe_.index(fs.domain, entry.value)) continue;
          n.entries.push_back(Entry{});
          Entry& out = n.entries.back();
          if (entry.valid.from) out.from = entry.valid.from->days();
          if (entry.valid.to) out.to = entry.valid.to->days();
          if (entry.valid.from || entry.valid.to) read_vars_.push_back(date_var_);
          if (entry.when) out.when = compile(*entry.when);
          out.reason = "fact " + fs.name + ": " + entry.value + " " + entry.valid.to_string() +
                       " (" + entry.citation.label() + ")";
        }
        const int member = add(std::move(n));
        return add(make_node(Kind::kNot, [&](Node& x) { x.children = {member}; }));
      }
      if (s.op != ExprOp::kVar) throw Unsupported("empty() of another shape");
      read_vars_.push_back(s.var);
      return add(make_node(Kind::kSetEmpty, [&](Node& n) {
        n.var = s.var;
        n.domain_size = static_cast<int>(universe_.values(s.type.domain).size());
      }));
    }
    case ExprOp::kIntLit:
    case ExprOp::kDateLit:
    case ExprOp::kStringLit:
    case ExprOp::kList:
    case ExprOp::kFact:
      throw Unsupported("a value used as a condition");
  }
  throw Unsupported("unhandled expression");
}

// Entries of a fact set as a membership reads them. `literal`: only the entries of that value
// (the Z3 compiler's literal mode); otherwise the entries whose value this universe knows.
int RuleEvaluator::fact_node(const FactSet& fs, const Expr* element, const std::string* literal) {
  Node n = make_node(literal ? Kind::kFactLiteral : Kind::kFactValue);
  if (element) n.lhs = *operand(*element);
  for (const auto& entry : fs.entries) {
    int value = 0;
    if (literal) {
      if (entry.value != *literal) continue;
    } else {
      auto idx = universe_.index(fs.domain, entry.value);
      if (!idx) continue;
      value = *idx;
    }
    Entry out;
    if (entry.valid.from) out.from = entry.valid.from->days();
    if (entry.valid.to) out.to = entry.valid.to->days();
    if (entry.valid.from || entry.valid.to) read_vars_.push_back(date_var_);
    if (entry.when) out.when = compile(*entry.when);
    out.value = value;
    out.reason = "fact " + fs.name + ": " + entry.value + " " + entry.valid.to_string() + " (" +
                 entry.citation.label() + ")";
    n.entries.push_back(out);
    if (!literal) note_constant(n.lhs, Operand{Operand::Kind::kConst, value});
  }
  return add(std::move(n));
}

int RuleEvaluator::compile_membership(const Expr& element, const Expr& set) {
  const Domain d = set.type.domain;
  if (element.op == ExprOp::kStringLit) {
    auto own = universe_.index(d, element.text);
    switch (set.op) {
      case ExprOp::kVar:
        if (!own) return constant(false);
        read_vars_.push_back(set.var);
        return add(make_node(Kind::kElement, [&](Node& n) {
          n.var = set.var;
          n.index = *own;
        }));
      case ExprOp::kFact:
        return fact_node(*base_.facts.at(set.text), nullptr, &element.text);
      case ExprOp::kList: {
        bool any = false;
        for (const auto& item : set.args) {
          auto idx = universe_.index(d, item.text);
          any = any || (idx && own && *idx == *own);
        }
        return constant(any);
      }
      default:
        throw Unsupported("membership in another shape");
    }
  }
  if (element.op != ExprOp::kVar) throw Unsupported("an element of another shape");
  switch (set.op) {
    case ExprOp::kVar: {
      read_vars_.push_back(element.var);
      read_vars_.push_back(set.var);
      split_[element.var].only_constants = false;
      return add(make_node(Kind::kScalarInSet, [&](Node& n) {
        n.var = element.var;
        n.var2 = set.var;
        n.domain_size = static_cast<int>(universe_.values(d).size());
        n.none = universe_.none_index(d);
      }));
    }
    case ExprOp::kFact:
      return fact_node(*base_.facts.at(set.text), &element, nullptr);
    case ExprOp::kList: {
      Node n = make_node(Kind::kValueInList);
      n.lhs = *operand(element);
      for (const auto& item : set.args) {
        if (auto idx = universe_.index(d, item.text)) {
          n.values.push_back(*idx);
          note_constant(n.lhs, Operand{Operand::Kind::kConst, *idx});
        }
      }
      return add(std::move(n));
    }
    default:
      throw Unsupported("membership in another shape");
  }
}

int RuleEvaluator::compile_intersects(const Expr& a, const Expr& b) {
  const Expr* var = a.op == ExprOp::kVar ? &a : (b.op == ExprOp::kVar ? &b : nullptr);
  const Domain d = a.type.domain;
  if (!var) {  // a fact against a list
    const Expr& fact = a.op == ExprOp::kFact ? a : b;
    const Expr& list = a.op == ExprOp::kFact ? b : a;
    Node any = make_node(Kind::kOr);
    for (const auto& item : list.args)
      any.children.push_back(fact_node(*base_.facts.at(fact.text), nullptr, &item.text));
    return any.children.empty() ? constant(false) : add(std::move(any));
  }
  const Expr& other = var == &a ? b : a;
  read_vars_.push_back(var->var);
  switch (other.op) {
    case ExprOp::kVar:
      read_vars_.push_back(other.var);
      return add(make_node(Kind::kSetMeetsSet, [&](Node& n) {
        n.var = var->var;
        n.var2 = other.var;
        n.domain_size = static_cast<int>(universe_.values(d).size());
      }));
    case ExprOp::kFact: {
      const int node = fact_node(*base_.facts.at(other.text), nullptr, nullptr);
      nodes_[static_cast<std::size_t>(node)].kind = Kind::kFactSetMember;
      nodes_[static_cast<std::size_t>(node)].var = var->var;
      return node;
    }
    case ExprOp::kList: {
      Node any = make_node(Kind::kOr);
      for (const auto& item : other.args) {
        if (auto idx = universe_.index(d, item.text))
          any.children.push_back(add(make_node(Kind::kElement, [&](Node& n) {
            n.var = var->var;
            n.index = *idx;
          })));
      }
      return any.children.empty() ? constant(false) : add(std::move(any));
    }
    default:
      throw Unsupported("intersects with another shape");
  }
}

// ------------------------------------------------------------------------------- evaluation

int RuleEvaluator::value(const Operand& o, const ContextReader& c) const {
  switch (o.kind) {
    case Operand::Kind::kConst:
      return o.value;
    case Operand::Kind::kScalar:
      return c.scalar(static_cast<std::size_t>(o.value));
    case Operand::Kind::kNode: {
      const Tri t = eval(o.value, c);
      return t == Tri::kUnknown ? kUnknownValue : static_cast<int>(t);
    }
  }
  return kUnknownValue;
}

RuleEvaluator::Tri RuleEvaluator::entry_holds(const Entry& e, const ContextReader& c) const {
  if (e.from || e.to) {
    const int date = c.scalar(date_var_);
    if (date == kUnknownValue) {
      if (e.when < 0) return Tri::kUnknown;
      return eval(e.when, c) == Tri::kFalse ? Tri::kFalse : Tri::kUnknown;
    }
    if ((e.from && date < *e.from) || (e.to && date >= *e.to)) return Tri::kFalse;
  }
  return e.when < 0 ? Tri::kTrue : eval(e.when, c);
}

namespace {
// Kleene: false absorbs conjunction, true absorbs disjunction.
struct KleeneOr {
  bool unknown = false;
  bool add(std::int8_t t) {  // returns true once the result is true
    if (t == 1) return true;
    if (t == 2) unknown = true;
    return false;
  }
};
}  // namespace

RuleEvaluator::Tri RuleEvaluator::eval(int index, const ContextReader& c) const {
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  auto tri_of = [](bool b) { return b ? Tri::kTrue : Tri::kFalse; };
  auto element = [&](std::size_t var, int i) {
    const int v = c.element(var, i);
    return v == kUnknownValue ? Tri::kUnknown : tri_of(v != 0);
  };
  auto conj = [](Tri a, Tri b) {
    if (a == Tri::kFalse || b == Tri::kFalse) return Tri::kFalse;
    if (a == Tri::kUnknown || b == Tri::kUnknown) return Tri::kUnknown;
    return Tri::kTrue;
  };
  switch (n.kind) {
    case Kind::kConst:
      return n.tri;
    case Kind::kNot: {
      const Tri t = eval(n.children[0], c);
      return t == Tri::kUnknown ? t : tri_of(t == Tri::kFalse);
    }
    case Kind::kAnd: {
      bool unknown = false;
      for (int child : n.children) {
        const Tri t = eval(child, c);
        if (t == Tri::kFalse) return Tri::kFalse;
        unknown = unknown || t == Tri::kUnknown;
      }
      return unknown ? Tri::kUnknown : Tri::kTrue;
    }
    case Kind::kOr: {
      KleeneOr any;
      for (int child : n.children) {
        if (any.add(static_cast<std::int8_t>(eval(child, c)))) return Tri::kTrue;
      }
      return any.unknown ? Tri::kUnknown : Tri::kFalse;
    }
    case Kind::kCompare:
    case Kind::kOrdinal: {
      const int l = value(n.lhs, c);
      const int r = value(n.rhs, c);
      if (l == kUnknownValue || r == kUnknownValue) return Tri::kUnknown;
      if (n.kind == Kind::kOrdinal && (l == n.none || r == n.none)) return Tri::kFalse;
      switch (n.cmp) {
        case Cmp::kEq:
          return tri_of(l == r);
        case Cmp::kNe:
          return tri_of(l != r);
        case Cmp::kLt:
          return tri_of(l < r);
        case Cmp::kLe:
          return tri_of(l <= r);
        case Cmp::kGt:
          return tri_of(l > r);
        case Cmp::kGe:
          return tri_of(l >= r);
      }
      return Tri::kUnknown;
    }
    case Kind::kElement:
      return element(n.var, n.index);
    case Kind::kScalarInSet: {
      const int x = c.scalar(n.var);
      if (x == kUnknownValue) {
        for (int i = 0; i < n.domain_size; ++i) {
          if (i != n.none && element(n.var2, i) != Tri::kFalse) return Tri::kUnknown;
        }
        return Tri::kFalse;
      }
      if (x == n.none || x < 0 || x >= n.domain_size) return Tri::kFalse;
      return element(n.var2, x);
    }
    case Kind::kValueInList: {
      const int x = this->value(n.lhs, c);
      if (x == kUnknownValue) return n.values.empty() ? Tri::kFalse : Tri::kUnknown;
      return tri_of(std::find(n.values.begin(), n.values.end(), x) != n.values.end());
    }
    case Kind::kFactValue: {
      const int x = this->value(n.lhs, c);
      KleeneOr any;
      for (const Entry& e : n.entries) {
        if (x != kUnknownValue && e.value != x) continue;
        Tri t = entry_holds(e, c);
        if (x == kUnknownValue) t = conj(t, Tri::kUnknown);
        if (any.add(static_cast<std::int8_t>(t))) return Tri::kTrue;
      }
      return any.unknown ? Tri::kUnknown : Tri::kFalse;
    }
    case Kind::kFactLiteral: {
      KleeneOr any;
      for (const Entry& e : n.entries) {
        if (any.add(static_cast<std::int8_t>(entry_holds(e, c)))) return Tri::kTrue;
      }
      return any.unknown ? Tri::kUnknown : Tri::kFalse;
    }
    case Kind::kFactSetMember: {
      KleeneOr any;
      for (const Entry& e : n.entries) {
        const Tri member = element(n.var, e.value);
        if (member == Tri::kFalse) continue;
        if (any.add(static_cast<std::int8_t>(conj(member, entry_holds(e, c))))) return Tri::kTrue;
      }
      return any.unknown ? Tri::kUnknown : Tri::kFalse;
    }
    case Kind::kSetMeetsSet: {
      KleeneOr any;
      for (int i = 0; i < n.domain_size; ++i) {
        if (any.add(static_cast<std::int8_t>(conj(element(n.var, i), element(n.var2, i)))))
          return Tri::kTrue;
      }
      return any.unknown ? Tri::kUnknown : Tri::kFalse;
    }
    case Kind::kSetEmpty: {
      bool unknown = false;
      for (int i = 0; i < n.domain_size; ++i) {
        const Tri t = element(n.var, i);
        if (t == Tri::kTrue) return Tri::kFalse;
        unknown = unknown || t == Tri::kUnknown;
      }
      return unknown ? Tri::kUnknown : Tri::kTrue;
    }
    case Kind::kDateWithin: {
      const int date = c.scalar(date_var_);
      if (date == kUnknownValue) return Tri::kUnknown;
      return tri_of((!n.from || date >= *n.from) && (!n.to || date < *n.to));
    }
  }
  return Tri::kUnknown;
}

class RuleEvaluator::Overlay : public ContextReader {
 public:
  explicit Overlay(const ContextReader& base) : base_(base) {}
  [[nodiscard]] int scalar(std::size_t var) const override { return lookup(var, -1); }
  [[nodiscard]] int element(std::size_t var, int index) const override {
    return lookup(var, index);
  }
  void push(std::size_t var, int element, int value) { set_.emplace_back(var, element, value); }
  void pop() { set_.pop_back(); }
  [[nodiscard]] const std::vector<std::tuple<std::size_t, int, int>>& assignments() const {
    return set_;
  }

 private:
  [[nodiscard]] int lookup(std::size_t var, int element) const {
    for (const auto& [v, e, value] : set_) {
      if (v == var && e == element) return value;
    }
    return element < 0 ? base_.scalar(var) : base_.element(var, element);
  }
  const ContextReader& base_;
  std::vector<std::tuple<std::size_t, int, int>> set_;
};

std::optional<std::pair<std::size_t, int>> RuleEvaluator::unknown_read(
    int index, const ContextReader& c) const {
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  using Read = std::optional<std::pair<std::size_t, int>>;
  auto of_operand = [&](const Operand& o) -> Read {
    if (o.kind == Operand::Kind::kScalar &&
        c.scalar(static_cast<std::size_t>(o.value)) == kUnknownValue)
      return std::pair{static_cast<std::size_t>(o.value), -1};
    if (o.kind == Operand::Kind::kNode && eval(o.value, c) == Tri::kUnknown)
      return unknown_read(o.value, c);
    return std::nullopt;
  };
  auto of_entry = [&](const Entry& e) -> Read {
    if ((e.from || e.to) && c.scalar(date_var_) == kUnknownValue) return std::pair{date_var_, -1};
    if (e.when >= 0 && eval(e.when, c) == Tri::kUnknown) return unknown_read(e.when, c);
    return std::nullopt;
  };
  auto unknown_element = [&](std::size_t var, int i) { return c.element(var, i) == kUnknownValue; };
  switch (n.kind) {
    case Kind::kConst:
      return std::nullopt;
    case Kind::kNot:
    case Kind::kAnd:
    case Kind::kOr:
      for (int child : n.children) {
        if (eval(child, c) == Tri::kUnknown) return unknown_read(child, c);
      }
      return std::nullopt;
    case Kind::kCompare:
    case Kind::kOrdinal:
      if (auto r = of_operand(n.lhs)) return r;
      return of_operand(n.rhs);
    case Kind::kElement:
      return std::pair{n.var, n.index};
    case Kind::kScalarInSet: {
      const int x = c.scalar(n.var);
      if (x == kUnknownValue) return std::pair{n.var, -1};
      return std::pair{n.var2, x};
    }
    case Kind::kValueInList:
      return of_operand(n.lhs);
    case Kind::kFactValue: {
      if (auto r = of_operand(n.lhs)) return r;
      const int x = value(n.lhs, c);
      for (const Entry& e : n.entries) {
        if (e.value != x) continue;
        if (auto r = of_entry(e)) return r;
      }
      return std::nullopt;
    }
    case Kind::kFactLiteral:
      for (const Entry& e : n.entries) {
        if (auto r = of_entry(e)) return r;
      }
      return std::nullopt;
    case Kind::kFactSetMember:
      for (const Entry& e : n.entries) {
        if (unknown_element(n.var, e.value)) return std::pair{n.var, e.value};
        if (auto r = of_entry(e)) return r;
      }
      return std::nullopt;
    case Kind::kSetMeetsSet:
      for (int i = 0; i < n.domain_size; ++i) {
        if (unknown_element(n.var, i)) return std::pair{n.var, i};
        if (unknown_element(n.var2, i)) return std::pair{n.var2, i};
      }
      return std::nullopt;
    case Kind::kSetEmpty:
      for (int i = 0; i < n.domain_size; ++i) {
        if (unknown_element(n.var, i)) return std::pair{n.var, i};
      }
      return std::nullopt;
    case Kind::kDateWithin:
      return std::pair{date_var_, -1};
  }
  return std::nullopt;
}

int RuleEvaluator::outcomes(int node, Overlay& o, int& budget, int want,
                            std::vector<std::tuple<std::size_t, int, int>>* witness) const {
  if (--budget < 0) return -1;
  const Tri t = eval(node, o);
  if (t != Tri::kUnknown) {
    const int mask = t == Tri::kTrue ? 2 : 1;
    if (witness && (mask & want) && witness->empty()) *witness = o.assignments();
    return mask;
  }
  const auto read = unknown_read(node, o);
  if (!read) return -1;
  const auto& [var, element] = *read;
  static const std::vector<int> kBoolean{0, 1};
  const std::vector<int>& values = element >= 0 ? kBoolean : split_[var].values;
  if (values.empty()) return -1;
  int mask = 0;
  for (int v : values) {
    o.push(var, element, v);
    const int m = outcomes(node, o, budget, want, witness);
    o.pop();
    if (m < 0) return -1;
    mask |= m;
    if (mask == 3) break;
  }
  return mask;
}

std::optional<DirectDecision> RuleEvaluator::decide(std::size_t rule,
                                                    const ContextReader& context) const {
  const CompiledRule& r = rules_[rule];
  if (r.applies < 0) return std::nullopt;
  // A required enum at `none` contradicts the well-formedness the solver assumes: let it answer.
  for (const auto& [var, none] : r.required_enums) {
    if (context.scalar(var) == none) return std::nullopt;
  }
  const Tri applies = eval(r.applies, context);
  if (applies == Tri::kFalse) return DirectDecision{};
  if (applies == Tri::kTrue) {
    const Tri route = eval(r.any_route, context);
    if (route != Tri::kUnknown) {
      DirectDecision d;
      d.applicable = true;
      d.verdict = route == Tri::kTrue ? Verdict::kCompliant : Verdict::kViolation;
      return d;
    }
  }
  // Unknowns the logic alone cannot settle: try their values (exact, like the solver, within a
  // budget; past it, or for a value that cannot be enumerated, the solver decides).
  Overlay o(context);
  int budget = kCaseBudget;
  DirectDecision d;
  d.by_cases = true;
  const int can_apply = applies == Tri::kTrue ? 2 : outcomes(r.applies, o, budget, 2, nullptr);
  if (can_apply < 0) return std::nullopt;
  if (!(can_apply & 2)) return d;
  d.applicable = true;
  const int violated = outcomes(r.violated, o, budget, 2, &d.violating);
  if (violated < 0) return std::nullopt;
  if (!(violated & 2)) {
    d.verdict = Verdict::kCompliant;
  } else if (!(violated & 1)) {
    d.verdict = Verdict::kViolation;
  } else {
    d.verdict = Verdict::kUndetermined;
    if (outcomes(r.violated, o, budget, 1, &d.holding) < 0) return std::nullopt;
  }
  for (int route : r.routes) {
    const int m = outcomes(route, o, budget, 0, nullptr);
    if (m < 0) return std::nullopt;
    d.routes.push_back(m == 3   ? RouteStatus::kDependsOnUnknowns
                       : m == 2 ? RouteStatus::kAvailable
                                : RouteStatus::kUnavailable);
  }
  return d;
}

bool RuleEvaluator::may_apply(std::size_t rule, const ContextReader& context) const {
  const CompiledRule& r = rules_[rule];
  return r.applies < 0 || eval(r.applies, context) != Tri::kFalse;
}

// ----------------------------------------------------------------------------- explanation

int RuleEvaluator::route(std::size_t rule, std::size_t k, const ContextReader& context) const {
  const CompiledRule& r = rules_[rule];
  if (r.applies < 0) return kUnknownValue;
  const Tri t = eval(r.routes[k], context);
  if (t != Tri::kUnknown) return static_cast<int>(t);
  Overlay o(context);
  int budget = kCaseBudget;
  const int m = outcomes(r.routes[k], o, budget, 0, nullptr);
  if (m == 1 || m == 2) return m == 2 ? 1 : 0;
  return m == 3 ? kDependsOnUnknowns : kUnknownValue;
}

RuleEvaluator::Justification RuleEvaluator::justify(std::size_t rule, Verdict verdict,
                                                    const ContextReader& context) const {
  const CompiledRule& r = rules_[rule];
  Justification out;
  if (r.applies < 0) return out;
  if (verdict == Verdict::kViolation) {
    justify(r.applies, Tri::kTrue, context, out);
    justify(r.any_route, Tri::kFalse, context, out);
  } else if (verdict == Verdict::kCompliant) {
    justify(r.any_route, Tri::kTrue, context, out);
  }
  std::sort(out.reads.begin(), out.reads.end());
  out.reads.erase(std::unique(out.reads.begin(), out.reads.end()), out.reads.end());
  std::sort(out.facts.begin(), out.facts.end());
  out.facts.erase(std::unique(out.facts.begin(), out.facts.end()), out.facts.end());
  return out;
}

std::optional<RuleEvaluator::Justification> RuleEvaluator::justify_by_cases(
    std::size_t rule, Verdict verdict, const ContextReader& context) const {
  const CompiledRule& r = rules_[rule];
  if (r.applies < 0 || verdict == Verdict::kUndetermined) return std::nullopt;
  Overlay o(context);
  int budget = kCaseBudget;
  Justification out;
  if (!justify_cases(r.violated, verdict == Verdict::kViolation ? Tri::kTrue : Tri::kFalse, o,
                     budget, out))
    return std::nullopt;
  // The values the cases gave the unknowns are not inputs: keep what the context knows.
  std::erase_if(out.reads, [&](const std::pair<std::size_t, int>& read) {
    const auto [var, element] = read;
    return (element < 0 ? context.scalar(var) : context.element(var, element)) == kUnknownValue;
  });
  std::sort(out.reads.begin(), out.reads.end());
  out.reads.erase(std::unique(out.reads.begin(), out.reads.end()), out.reads.end());
  std::sort(out.facts.begin(), out.facts.end());
  out.facts.erase(std::unique(out.facts.begin(), out.facts.end()), out.facts.end());
  return out;
}

bool RuleEvaluator::justify_cases(int node, Tri value, Overlay& o, int& budget,
                                  Justification& out) const {
  if (--budget < 0) return false;
  const Tri t = eval(node, o);
  if (t == value) {
    justify(node, value, o, out);
    return true;
  }
  if (t != Tri::kUnknown) return false;
  const auto read = unknown_read(node, o);
  if (!read) return false;
  const auto& [var, element] = *read;
  static const std::vector<int> kBoolean{0, 1};
  const std::vector<int>& values = element >= 0 ? kBoolean : split_[var].values;
  if (values.empty()) return false;
  for (int v : values) {
    o.push(var, element, v);
    const bool ok = justify_cases(node, value, o, budget, out);
    o.pop();
    if (!ok) return false;
  }
  return true;
}

void RuleEvaluator::justify_operand(const Operand& o, const ContextReader& c,
                                    Justification& out) const {
  if (o.kind == Operand::Kind::kScalar) out.reads.emplace_back(o.value, -1);
  if (o.kind == Operand::Kind::kNode) justify(o.value, eval(o.value, c), c, out);
}

void RuleEvaluator::justify_entry(const Entry& e, Tri value, const ContextReader& c,
                                  Justification& out) const {
  const bool dated = e.from || e.to;
  if (value == Tri::kTrue) {
    out.facts.push_back(e.reason);
    if (dated) out.reads.emplace_back(date_var_, -1);
    if (e.when >= 0) justify(e.when, Tri::kTrue, c, out);
    return;
  }
  // False: outside its validity, or its condition fails.
  if (dated) {
    const int date = c.scalar(date_var_);
    if (date != kUnknownValue && ((e.from && date < *e.from) || (e.to && date >= *e.to))) {
      out.reads.emplace_back(date_var_, -1);
      return;
    }
  }
  if (e.when >= 0) justify(e.when, Tri::kFalse, c, out);
}

void RuleEvaluator::justify_entries(const std::vector<Entry>& entries, int only_value, Tri value,
                                    const ContextReader& c, Justification& out) const {
  // True: the first entry that holds; false: why each one fails. `only_value`: the entries of
  // that value (kUnknown: all).
  for (const Entry& e : entries) {
    if (only_value != kUnknownValue && e.value != only_value) continue;
    if (value == Tri::kFalse) {
      justify_entry(e, Tri::kFalse, c, out);
    } else if (entry_holds(e, c) == Tri::kTrue) {
      justify_entry(e, Tri::kTrue, c, out);
      return;
    }
  }
}

void RuleEvaluator::justify(int index, Tri value, const ContextReader& c,
                            Justification& out) const {
  if (value == Tri::kUnknown) return;
  const Node& n = nodes_[static_cast<std::size_t>(index)];
  auto read_element = [&](std::size_t var, int i) { out.reads.emplace_back(var, i); };
  auto element_tri = [&](std::size_t var, int i) {
    const int v = c.element(var, i);
    return v == kUnknownValue ? Tri::kUnknown : (v != 0 ? Tri::kTrue : Tri::kFalse);
  };
  const bool want = value == Tri::kTrue;
  switch (n.kind) {
    case Kind::kConst:
      return;
    case Kind::kNot:
      justify(n.children[0], want ? Tri::kFalse : Tri::kTrue, c, out);
      return;
    case Kind::kAnd:
    case Kind::kOr: {
      // The absorbing value needs one child that has it; the other value needs every child.
      const Tri absorbing = n.kind == Kind::kAnd ? Tri::kFalse : Tri::kTrue;
      for (int child : n.children) {
        if (value == absorbing) {
          if (eval(child, c) == absorbing) {
            justify(child, absorbing, c, out);
            return;
          }
        } else {
          justify(child, value, c, out);
        }
      }
      return;
    }
    case Kind::kCompare:
    case Kind::kOrdinal:
      justify_operand(n.lhs, c, out);
      justify_operand(n.rhs, c, out);
      return;
    case Kind::kElement:
      read_element(n.var, n.index);
      return;
    case Kind::kScalarInSet: {
      const int x = c.scalar(n.var);
      if (x == kUnknownValue) {  // false: no element can be in the set
        for (int i = 0; i < n.domain_size; ++i) {
          if (i != n.none) read_element(n.var2, i);
        }
        return;
      }
      out.reads.emplace_back(n.var, -1);
      if (x != n.none && x >= 0 && x < n.domain_size) read_element(n.var2, x);
      return;
    }
    case Kind::kValueInList:
      justify_operand(n.lhs, c, out);
      return;
    case Kind::kFactValue: {
      justify_operand(n.lhs, c, out);
      justify_entries(n.entries, this->value(n.lhs, c), value, c, out);
      return;
    }
    case Kind::kFactLiteral:
      justify_entries(n.entries, kUnknownValue, value, c, out);
      return;
    case Kind::kFactSetMember:
      for (const Entry& e : n.entries) {
        const Tri member = element_tri(n.var, e.value);
        const Tri holds = entry_holds(e, c);
        if (want) {
          if (member == Tri::kTrue && holds == Tri::kTrue) {
            read_element(n.var, e.value);
            justify_entry(e, Tri::kTrue, c, out);
            return;
          }
        } else if (member == Tri::kFalse) {
          read_element(n.var, e.value);
        } else {
          justify_entry(e, Tri::kFalse, c, out);
        }
      }
      return;
    case Kind::kSetMeetsSet:
      for (int i = 0; i < n.domain_size; ++i) {
        const Tri a = element_tri(n.var, i);
        const Tri b = element_tri(n.var2, i);
        if (want) {
          if (a == Tri::kTrue && b == Tri::kTrue) {
            read_element(n.var, i);
            read_element(n.var2, i);
            return;
          }
        } else {
          read_element(a == Tri::kFalse ? n.var : n.var2, i);
        }
      }
      return;
    case Kind::kSetEmpty:
      for (int i = 0; i < n.domain_size; ++i) {
        if (!want && element_tri(n.var, i) == Tri::kTrue) {
          read_element(n.var, i);
          return;
        }
        if (want) read_element(n.var, i);
      }
      return;
    case Kind::kDateWithin:
      out.reads.emplace_back(date_var_, -1);
      return;
  }
}

}  // namespace xborder
