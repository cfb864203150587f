// Deciding a rule without the solver. The rules the compiler gives to Z3 are compiled a second
// time, here, into a small program evaluated directly over an event context in Kleene's
// three-valued logic (false, true, unknown). Kleene evaluation is sound: when it answers true or
// false, every completion of the unknowns gives that answer, so the verdict is exact; when every
// input the rule reads is known it always answers. Only when it answers unknown (unknowns remain
// and the logic alone cannot settle them) does the checker ask Z3. The checker re-checks every
// reported finding against Z3's answer, so a disagreement is an internal error, never a quiet
// wrong verdict.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "solver/checker.hpp"
#include "solver/rule_pack.hpp"
#include "solver/vocabulary.hpp"

namespace xborder {

// What an event context holds, as the rules see it: a scalar variable's value (bool 0/1, enum
// index, int, date in days) or one element of a set variable (0/1), kUnknown when unknown — the
// same encoding as a Valuation (rule_compiler.hpp).
class ContextReader {
 public:
  virtual ~ContextReader() = default;
  [[nodiscard]] virtual int scalar(std::size_t var) const = 0;
  [[nodiscard]] virtual int element(std::size_t var, int index) const = 0;
};

// A rule decided without the solver.
struct DirectDecision {
  bool applicable = false;
  Verdict verdict = Verdict::kCompliant;
  // Decided by trying the values of unknowns (three-valued evaluation alone left it open).
  bool by_cases = false;
  // By cases: the status of each route, and, undetermined, one completion that violates the rule
  // and one that does not — the unknowns they set, as (variable, element or -1, value).
  std::vector<RouteStatus> routes;
  std::vector<std::tuple<std::size_t, int, int>> violating, holding;
};

class RuleEvaluator {
 public:
  // The same rule base and universe as the CompiledRules it stands beside.
  RuleEvaluator(const RuleBase& rules, const Universe& universe);

  [[nodiscard]] std::size_t rule_count() const { return rules_.size(); }
  // The decision, or nullopt when the unknowns leave it to the solver.
  [[nodiscard]] std::optional<DirectDecision> decide(std::size_t rule,
                                                     const ContextReader& context) const;
  // False when the rule does not apply to any context that agrees with `context` on what it
  // knows: with the data set and state left unknown, the rules an edge can never trigger.
  [[nodiscard]] bool may_apply(std::size_t rule, const ContextReader& context) const;

  // Why a directly decided rule has its verdict: the known inputs that force it, as an unsat core
  // would give them — variable reads (variable, element or -1 for a scalar) and fact entries in
  // the words of the solver's reasons. With only these known, the evaluation still decides.
  struct Justification {
    std::vector<std::pair<std::size_t, int>> reads;
    std::vector<std::string> facts;
  };
  [[nodiscard]] Justification justify(std::size_t rule, Verdict verdict,
                                      const ContextReader& context) const;
  // The same for a verdict decided by cases (violation or compliant although unknowns remain):
  // in every case tried, the known inputs that force the verdict there, together — sufficient
  // (with only these known, every completion of the unknowns gives the verdict), not minimised.
  // Nullopt past the case budget (the solver explains instead).
  [[nodiscard]] std::optional<Justification> justify_by_cases(std::size_t rule, Verdict verdict,
                                                              const ContextReader& context) const;
  // Route k: 1 when it holds in every completion, 0 in none, kDependsOnUnknowns when in some,
  // kUnknown when the evaluation cannot say (the solver must).
  static constexpr int kDependsOnUnknowns = 2;
  [[nodiscard]] int route(std::size_t rule, std::size_t k, const ContextReader& context) const;

  // Unknowns tried per decision before the solver is asked instead.
  static constexpr int kCaseBudget = 4096;

  // Every context variable the decision of `rule` can read (sorted): two contexts that agree on
  // these get the same decision, which is what lets the checker reuse one across events.
  [[nodiscard]] const std::vector<std::size_t>& reads(std::size_t rule) const {
    return rules_[rule].reads;
  }

  // The program size (nodes), for --stats.
  [[nodiscard]] std::size_t size() const { return nodes_.size(); }

 private:
  enum class Tri : std::int8_t { kFalse = 0, kTrue = 1, kUnknown = 2 };
  // An integer operand: a constant, a scalar variable, or a boolean node read as 0/1.
  struct Operand {
    enum class Kind : std::uint8_t { kConst, kScalar, kNode } kind = Kind::kConst;
    int value = 0;  // the constant, the variable, or the node
  };
  // One fact entry as a membership test reads it.
  struct Entry {
    std::optional<long long> from, to;  // validity, in days
    int when = -1;                      // node, or -1
    int value = 0;                      // the entry's value's index in its domain
    std::string reason;                 // "fact eu_adequacy: JP [2019-01-23, …) (…)"
  };
  enum class Kind : std::uint8_t {
    kConst,          // tri
    kNot,            // a
    kAnd,            // children
    kOr,             // children
    kCompare,        // cmp, lhs, rhs (ints, enum indices)
    kOrdinal,        // cmp, lhs, rhs: ordinal enums by position; `none` compares false
    kElement,        // var[index]
    kScalarInSet,    // lhs(var) in var2: element of a set variable named by an enum variable
    kValueInList,    // lhs in values
    kFactValue,      // entries whose value equals lhs (lhs unknown: unknown where any may hold)
    kFactLiteral,    // entries (already those of the literal): holds where one is valid
    kFactSetMember,  // entries whose value is an element of set variable var
    kSetMeetsSet,    // var and var2 share an element (over the whole domain)
    kSetEmpty,       // var has no element (over the whole domain)
    kDateWithin,     // from <= date < to
  };
  enum class Cmp : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
  struct Node {
    Kind kind = Kind::kConst;
    Tri tri = Tri::kFalse;
    Cmp cmp = Cmp::kEq;
    Operand lhs, rhs;
    std::size_t var = 0, var2 = 0;
    int index = 0;
    int domain_size = 0;
    int none = -1;  // the `none` index of the domain, where it matters
    std::vector<int> children;
    std::vector<int> values;
    std::vector<Entry> entries;
    std::optional<long long> from, to;
  };
  struct CompiledRule {
    int violated = -1;  // applies and no route
    int applies = -1;
    int any_route = -1;
    std::vector<int> routes;
    // Required enums the rule reads, with their `none` (ill-formed there: the solver decides).
    std::vector<std::pair<std::size_t, int>> required_enums;
    std::vector<std::size_t> reads;  // every variable its nodes read
  };
  // Adds to `out` the variables node `index` and the nodes below it read.
  void collect_reads(int index, std::vector<std::size_t>& out, std::vector<bool>& seen) const;

  static Node make_node(Kind kind, const std::function<void(Node&)>& fill = nullptr);
  int add(Node n);
  int constant(bool value);
  int compile(const Expr& e);
  int compile_membership(const Expr& element, const Expr& set);
  int compile_intersects(const Expr& a, const Expr& b);
  int fact_node(const FactSet& fs, const Expr* element, const std::string* literal);
  int validity(const Validity& v);
  std::optional<Operand> operand(const Expr& e);

  [[nodiscard]] Tri eval(int node, const ContextReader& c) const;

  // Case splitting: the values an unknown may take that can make a difference (every value of a
  // small domain; for a variable only compared with constants, the constants, their neighbours
  // and one other value). Empty: not split (the solver decides).
  struct SplitValues {
    bool only_constants = true;  // compared only with constants (else: whole domain)
    std::vector<int> constants;
    std::vector<int> values;  // computed after compilation
  };
  std::vector<SplitValues> split_;  // by scalar variable
  void note_constant(const Operand& var, const Operand& other);
  void finish_split_values();
  class Overlay;
  // A read with an unknown value that the unknown result of `node` depends on, or nullopt.
  [[nodiscard]] std::optional<std::pair<std::size_t, int>> unknown_read(
      int node, const ContextReader& c) const;
  // Bit 1: some completion makes `node` false; bit 2: some makes it true; -1: out of budget or a
  // value the search cannot try. `witness` receives the first completion found for `want`.
  int outcomes(int node, Overlay& o, int& budget, int want,
               std::vector<std::tuple<std::size_t, int, int>>* witness) const;
  [[nodiscard]] int value(const Operand& o, const ContextReader& c) const;
  [[nodiscard]] Tri entry_holds(const Entry& e, const ContextReader& c) const;
  // Adds to `out` the inputs that make `node` evaluate to `value` (true or false) in `c`.
  void justify(int node, Tri value, const ContextReader& c, Justification& out) const;
  void justify_entry(const Entry& e, Tri value, const ContextReader& c, Justification& out) const;
  void justify_entries(const std::vector<Entry>& entries, int only_value, Tri value,
                       const ContextReader& c, Justification& out) const;
  void justify_operand(const Operand& o, const ContextReader& c, Justification& out) const;
  // Splits the unknowns of `node` until each case evaluates to `value`, justifying each case.
  // False past the budget or where a case evaluates otherwise.
  bool justify_cases(int node, Tri value, Overlay& o, int& budget, Justification& out) const;

  const RuleBase& base_;
  const Universe& universe_;
  std::size_t date_var_ = 0;
  std::vector<Node> nodes_;
  std::vector<CompiledRule> rules_;
  std::map<std::string, std::pair<int, std::vector<std::size_t>>> definitions_;  // node, reads
  std::vector<std::size_t> read_vars_;  // while compiling one rule: the variables it reads
};

}  // namespace xborder
