// Private to solver/: compiles a RuleBase to Z3 once, then answers three-valued questions
// about one event context at a time with check(assumptions) on a single solver.
#pragma once

#include <z3++.h>

#include <climits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "solver/checker.hpp"
#include "solver/rule_evaluator.hpp"
#include "solver/rule_pack.hpp"
#include "solver/vocabulary.hpp"

namespace xborder {

inline constexpr int kUnknown = INT_MIN;

// Every context variable is split into atoms: one per scalar variable, one per element of a set
// variable. A valuation gives each atom a value (bool 0/1, enum index, int, date days) or kUnknown.
class AtomTable {
 public:
  explicit AtomTable(const Universe& universe);
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t scalar(std::size_t var) const { return offset_[var]; }
  [[nodiscard]] std::size_t element(std::size_t var, int element) const {
    return offset_[var] + static_cast<std::size_t>(element);
  }
  [[nodiscard]] std::size_t var_of(std::size_t atom) const;
  [[nodiscard]] std::string describe(std::size_t atom) const;  // "data.categories[personal_data]"
  [[nodiscard]] std::string describe_value(std::size_t atom,
                                           int value) const;  // "US", "true", "2020-08-01"
  [[nodiscard]] const Universe& universe() const { return universe_; }

 private:
  const Universe& universe_;
  std::vector<std::size_t> offset_;
  std::size_t size_ = 0;
};

using Valuation = std::vector<int>;  // indexed by atom

// A Valuation read as an event context.
class ValuationReader : public ContextReader {
 public:
  ValuationReader(const AtomTable& atoms, const Valuation& values)
      : atoms_(atoms), values_(values) {}
  [[nodiscard]] int scalar(std::size_t var) const override { return values_[atoms_.scalar(var)]; }
  [[nodiscard]] int element(std::size_t var, int index) const override {
    return values_[atoms_.element(var, index)];
  }

 private:
  const AtomTable& atoms_;
  const Valuation& values_;
};

// One reason from an unsat core: a known atom's value (rendered with the asking context's value,
// since a cached answer may serve contexts that differ in party names) or a fact entry.
struct Reason {
  std::optional<std::size_t> atom;
  std::string text;  // fact entries and literals that are not atoms
};

struct RuleAnswer {
  bool applicable = false;
  Verdict verdict = Verdict::kCompliant;
  std::vector<RouteFinding> routes;
  std::vector<Reason> because;
  std::vector<DecidingFact> deciding;
  // The solver ran out of its resource limit or time: the answer is undetermined, and its
  // deciding fact says so (never a pass, never a crash).
  bool gave_up = false;
};

// Adds to `universe` every value of an open domain (countries, parties, purposes) that the rule
// base mentions: fact values, literals in rules, definitions and fact conditions, reach.
void add_rule_base_values(const RuleBase& rules, Universe& universe);

struct IntVectorHash {
  std::size_t operator()(const std::vector<int>& key) const;
};

class SharedAnswers {
 public:
  // The first caller fixes the universe; later callers join only with the same one.
  bool join(const std::string& universe_signature);
  std::optional<RuleAnswer> find(std::size_t rule, const std::vector<int>& key) const;
  void store(std::size_t rule, const std::vector<int>& key, const RuleAnswer& answer);

 private:
  mutable std::mutex mutex_;
  std::optional<std::string> signature_;
  std::map<std::size_t, std::unordered_map<std::vector<int>, RuleAnswer, IntVectorHash>> answers_;
};

// Every value of every domain, in order: two universes with the same signature give every atom
// the same meaning.
std::string universe_signature(const Universe& universe);

class CompiledRules {
 public:
  CompiledRules(const RuleBase& rules, const Universe& universe);
  CompiledRules(const CompiledRules&) = delete;
  CompiledRules& operator=(const CompiledRules&) = delete;

  [[nodiscard]] const AtomTable& atoms() const { return atoms_; }
  [[nodiscard]] std::size_t rule_count() const { return rules_.size(); }
  [[nodiscard]] const Rule& rule(std::size_t k) const { return *rules_[k].rule; }
  // The atoms a rule mentions (through definitions and fact conditions too).
  [[nodiscard]] const std::vector<std::size_t>& support(std::size_t k) const {
    return rules_[k].support;
  }

  // The solver's whole answer (verdict, routes, reasons, deciding unknowns), cached by the rule's
  // support (the atoms it mentions). A rule that names no party compares parties only with each
  // other, so its answer depends on which party atoms are equal, not on their names: those are
  // cached by that pattern.
  const RuleAnswer& evaluate(std::size_t rule, const ContextReader& context);
  // The reasons of an answer, with the values of the context that asked.
  [[nodiscard]] std::vector<std::string> render(const std::vector<Reason>& because,
                                                const ContextReader& context) const;

  std::uint64_t solver_queries = 0;
  std::uint64_t cache_hits = 0;  // answers found in this compiler's cache or the shared one
  std::uint64_t gave_up = 0;     // queries the solver could not decide within its limits

  // A deterministic limit on the solver's work per query (Z3's rlimit; 0: none beyond the time
  // limit). A query beyond it gives an undetermined answer that names the solver.
  void set_resource_limit(unsigned limit);

 private:
  unsigned resource_limit_ = 0;

 public:
  // Answers are looked up in, and given to, `answers` too (same rule base, same universe).
  void share(std::shared_ptr<SharedAnswers> answers) { shared_ = std::move(answers); }
  [[nodiscard]] bool shares() const { return shared_ != nullptr; }

  // For symbolic analyses over the whole space of contexts (compare): the formulas themselves,
  // over the atoms' constants, in this compiler's context. The fact guards must be assumed true
  // and the well-formedness constraints added (required enums are never `none`).
  struct RuleFormulas {
    z3::expr applies;
    z3::expr violated;
    std::vector<z3::expr> routes;
  };
  [[nodiscard]] const RuleFormulas& formulas(std::size_t k) const { return rules_[k].formulas; }
  [[nodiscard]] z3::context& context() { return *ctx_; }
  [[nodiscard]] z3::expr atom_constant(std::size_t atom) { return atom_expr(atom); }
  [[nodiscard]] z3::expr enum_constant(Domain d, int index) { return enum_value(d, index); }
  [[nodiscard]] const std::vector<z3::expr>& fact_guards() const { return fact_guards_; }
  [[nodiscard]] const std::vector<z3::expr>& well_formedness() const { return well_formed_; }
  // A condition written outside the packs (a scope), type-checked against this rule base.
  z3::expr compile_condition(const Expr& e, std::vector<std::size_t>& support) {
    return compile(e, support);
  }

 private:
  struct CompiledRule {
    const Rule* rule = nullptr;
    z3::expr applies;
    z3::expr violated;
    std::vector<z3::expr> routes;
    RuleFormulas formulas;
    std::vector<std::size_t> support;                       // sorted atoms
    std::vector<std::pair<std::size_t, int>> support_vars;  // the same as (variable, element or -1)
    bool party_symmetric = false;  // names no party: renaming parties keeps the answer
    // The dates the rule compares the check date with (validity of the rule and of the fact
    // entries it reads, date literals), sorted; between two of them the answer cannot change.
    // Empty when the date is used otherwise (compared with another variable), or not at all.
    std::vector<long long> date_breakpoints;
    bool date_by_interval = false;
  };

  z3::expr compile(const Expr& e, std::vector<std::size_t>& support);
  z3::expr compile_set_membership(const Expr& element, const Expr& set,
                                  std::vector<std::size_t>& support);
  z3::expr compile_intersects(const Expr& a, const Expr& b, std::vector<std::size_t>& support);
  z3::expr fact_member(const FactSet& fs, const z3::expr& element_is, const std::string& literal,
                       bool literal_mode, std::vector<std::size_t>& support,
                       const std::function<z3::expr(int)>& member_of);
  z3::expr validity(const Validity& v, std::vector<std::size_t>& support);
  z3::expr enum_value(Domain d, int index);
  z3::expr atom_expr(std::size_t atom);
  std::optional<int> literal_index(const Expr& lit, Domain d) const;
  z3::expr literal_for(std::size_t atom, int value);
  z3::check_result check(const std::vector<z3::expr>& assumptions);
  std::vector<z3::expr> assumptions_for(const CompiledRule& r, const Valuation& values);
  std::vector<Reason> explain_core(const z3::expr_vector& core);
  bool names_a_party(const Expr& e) const;
  std::optional<std::vector<long long>> date_breakpoints(const std::vector<z3::expr>& formulas);
  RuleAnswer answer(const CompiledRule& r, const Valuation& values);  // decide(), or gave up
  RuleAnswer decide(const CompiledRule& r, const Valuation& values);

  // Declared first: every expr below refers to it.
  std::unique_ptr<z3::context> ctx_;
  const RuleBase& base_;
  const Universe& universe_;
  AtomTable atoms_;
  std::unique_ptr<z3::solver> solver_;
  std::map<Domain, z3::sort> sorts_;
  std::map<Domain, z3::func_decl_vector> enum_consts_;
  std::vector<std::optional<z3::expr>> atom_exprs_;
  std::size_t date_atom_ = 0;                                 // the check date
  std::map<std::pair<std::size_t, int>, z3::expr> literals_;  // (atom, value) → tracking literal
  std::map<std::string, std::pair<std::size_t, int>> literal_meaning_;
  std::vector<z3::expr> fact_guards_;  // one per fact entry, always assumed
  std::vector<z3::expr> well_formed_;
  std::map<std::string, std::string> guard_meaning_;  // guard name → "fact eu_adequacy: JP (…)"
  std::map<std::string, std::pair<z3::expr, std::vector<std::size_t>>> definitions_;
  std::vector<CompiledRule> rules_;
  std::vector<std::unordered_map<std::vector<int>, RuleAnswer, IntVectorHash>> cache_;
  Valuation scratch_;  // the asking context's support, for a query (other atoms are stale)
  [[nodiscard]] int read(const ContextReader& c, const std::pair<std::size_t, int>& atom) const {
    return atom.second < 0 ? c.scalar(atom.first) : c.element(atom.first, atom.second);
  }
  std::shared_ptr<SharedAnswers> shared_;
};

}  // namespace xborder
