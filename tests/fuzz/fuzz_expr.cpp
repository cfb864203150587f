// libFuzzer harness: the rule language. Any text must parse and type-check against the shipped
// rule base, or fail with a located error; never crash (deep nesting included) or throw.
#include <cstddef>
#include <cstdint>
#include <set>
#include <variant>

#include "solver/expr.hpp"
#include "solver/rule_pack.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace xborder;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto codes = fuzz::reference().country_codes();
  static const std::set<std::string> countries(codes.begin(), codes.end());
  const auto text = fuzz::text(data, size);
  auto parsed = parse_expression(text);
  if (auto* err = std::get_if<ExprError>(&parsed)) {
    if (err->message.empty() || err->column == 0 || err->column > text.size() + 1)
      __builtin_trap();  // an error always says what and where
    caret_excerpt(text, err->column);
    return 0;
  }
  // The same text through the path every pack and `compare --scope` take.
  auto compiled = compile_condition(fuzz::shipped_rules(), countries, text);
  if (auto* e = std::get_if<Expr>(&compiled)) {
    std::size_t nodes = 0;
    visit(*e, [&](const Expr&) { ++nodes; });
    if (nodes == 0) __builtin_trap();
  }
  return 0;
}
