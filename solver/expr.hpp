// The rule language: a small boolean expression language over the context variables
// (see jurisdictions/README.md). Parsed and type-checked once when a pack is loaded.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "solver/vocabulary.hpp"

namespace xborder {

enum class ExprOp {
  kBoolLit,
  kIntLit,
  kDateLit,
  kStringLit,
  kList,
  kVar,
  kDefinition,
  kFact,
  kNot,
  kAnd,
  kOr,
  kImplies,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kNotIn,
  kIntersects,
  kEmpty,
};

struct Expr {
  ExprOp op = ExprOp::kBoolLit;
  std::vector<Expr> args;
  std::string text;        // literal, definition or fact name
  long long number = 0;    // int literal, bool literal (0/1), date literal (days)
  std::size_t var = 0;     // kVar: index into context_variables()
  std::size_t column = 0;  // 1-based position in the source text
  VarType type;            // after type checking; a string literal gets its domain from context
  bool is_set = false;     // kList and kFact and set variables
};

struct ExprError {
  std::size_t column = 0;
  std::string message;
  std::string hint;
};

// What an expression may refer to besides the context variables.
struct ExprEnvironment {
  std::function<std::optional<Domain>(const std::string&)> fact_domain;  // fact name → domain
  std::function<bool(const std::string&)> is_definition;                 // boolean definitions
  std::function<std::vector<std::string>()> names;                       // for "did you mean"
  // Validates a literal of a domain (e.g. an ISO country code); returns an error text or "".
  std::function<std::string(Domain, const std::string&)> check_literal;
};

// The deepest expression the parser accepts (nodes on the longest path from the root to a leaf:
// parentheses, `not`s, operands of a chain of `and`/`or`). Everything that walks an expression
// recurses, so the limit is what keeps a hostile rule or `--scope` from exhausting the stack.
inline constexpr std::size_t kMaxExprDepth = 200;

std::variant<Expr, ExprError> parse_expression(std::string_view text);
// Resolves names and types; the result is a boolean expression or an error.
std::optional<ExprError> check_expression(Expr& e, const ExprEnvironment& env);

// Calls `f` on every node.
void visit(const Expr& e, const std::function<void(const Expr&)>& f);

// For messages: the text with a caret under column `column`.
std::string caret_excerpt(std::string_view text, std::size_t column);

}  // namespace xborder
