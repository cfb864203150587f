// The rule expression language: precedence, syntax errors with their column, type errors with
// their hint.
#include "solver/expr.hpp"

#include <gtest/gtest.h>

#include "tests/test_support.hpp"

namespace xborder::expr_test {
namespace {

ExprEnvironment env() {
  ExprEnvironment e;
  e.fact_domain = [](const std::string& name) -> std::optional<Domain> {
    if (name == "eea") return Domain::kCountry;
    if (name == "schemes") return Domain::kScheme;
    return std::nullopt;
  };
  e.is_definition = [](const std::string& name) { return name == "gdpr_transfer"; };
  e.names = [] { return std::vector<std::string>{"gdpr_transfer"}; };
  e.check_literal = [](Domain d, const std::string& v) -> std::string {
    if (d != Domain::kCountry) return "";
    const auto& codes = testing::reference().country_codes();
    if (std::find(codes.begin(), codes.end(), v) == codes.end())
      return "unknown country code `" + v + "`";
    return "";
  };
  return e;
}

Expr parse_ok(const std::string& text) {
  auto r = parse_expression(text);
  if (auto* err = std::get_if<ExprError>(&r)) {
    ADD_FAILURE() << text << ": " << err->message << " at " << err->column;
    return {};
  }
  return std::get<Expr>(std::move(r));
}

ExprError parse_error(const std::string& text) {
  auto r = parse_expression(text);
  if (auto* err = std::get_if<ExprError>(&r)) return *err;
  ADD_FAILURE() << "expected a syntax error in: " << text;
  return {};
}

// Parses (must succeed) and type-checks; returns the type error if any.
std::optional<ExprError> type_check(const std::string& text) {
  Expr e = parse_ok(text);
  return check_expression(e, env());
}

ExprError type_error(const std::string& text) {
  auto err = type_check(text);
  if (!err) {
    ADD_FAILURE() << "expected a type error in: " << text;
    return {};
  }
  return *err;
}

TEST(ExprParse, AndBindsTighterThanOr) {
  Expr e = parse_ok("safeguard.scc or safeguard.bcr and same_group");
  ASSERT_EQ(e.op, ExprOp::kOr);
  EXPECT_EQ(e.args[0].op, ExprOp::kVar);
  EXPECT_EQ(e.args[1].op, ExprOp::kAnd);

  Expr f = parse_ok("safeguard.scc and safeguard.bcr or same_group");
  ASSERT_EQ(f.op, ExprOp::kOr);
  EXPECT_EQ(f.args[0].op, ExprOp::kAnd);
  EXPECT_EQ(f.args[1].text, "same_group");
}

TEST(ExprParse, NotBindsTighterThanAnd) {
  Expr e = parse_ok("not safeguard.scc and same_group");
  ASSERT_EQ(e.op, ExprOp::kAnd);
  ASSERT_EQ(e.args[0].op, ExprOp::kNot);
  EXPECT_EQ(e.args[0].args[0].text, "safeguard.scc");
}

TEST(ExprParse, NotAppliesToAWholeComparison) {
  Expr e = parse_ok("not importer.country in fact('eea')");
  ASSERT_EQ(e.op, ExprOp::kNot);
  EXPECT_EQ(e.args[0].op, ExprOp::kIn);
}

TEST(ExprParse, NotInIsOneOperator) {
  Expr e = parse_ok("importer.country not in fact('eea')");
  ASSERT_EQ(e.op, ExprOp::kNotIn);
  EXPECT_EQ(e.args[0].text, "importer.country");
  EXPECT_EQ(e.args[1].op, ExprOp::kFact);
  EXPECT_EQ(e.args[1].text, "eea");
  EXPECT_FALSE(type_check("importer.country not in fact('eea')"));
}

TEST(ExprParse, ParenthesesOverridePrecedence) {
  Expr e = parse_ok("(safeguard.scc or safeguard.bcr) and same_group");
  ASSERT_EQ(e.op, ExprOp::kAnd);
  EXPECT_EQ(e.args[0].op, ExprOp::kOr);
}

TEST(ExprParse, ImpliesIsWeakest) {
  Expr e = parse_ok("safeguard.scc implies safeguard.tia or same_group");
  ASSERT_EQ(e.op, ExprOp::kImplies);
  EXPECT_EQ(e.args[1].op, ExprOp::kOr);
}

TEST(ExprParse, ListsDatesAndColumns) {
  Expr e = parse_ok("event in ['transfer', 'store']");
  ASSERT_EQ(e.op, ExprOp::kIn);
  ASSERT_EQ(e.args[1].op, ExprOp::kList);
  EXPECT_EQ(e.args[1].args.size(), 2u);
  EXPECT_EQ(e.args[1].column, 10u);
  EXPECT_EQ(e.column, 7u);

  Expr d = parse_ok("date >= date('2020-07-16')");
  ASSERT_EQ(d.op, ExprOp::kGe);
  EXPECT_EQ(d.args[1].op, ExprOp::kDateLit);
  EXPECT_EQ(d.args[1].number, Date::parse("2020-07-16")->days());
  EXPECT_FALSE(type_check("date >= date('2020-07-16')"));
}

TEST(ExprSyntax, CStyleOperatorsAreRejectedWithColumn) {
  auto err = parse_error("safeguard.scc && same_group");
  EXPECT_EQ(err.column, 15u);
  EXPECT_NE(err.hint.find("`and`"), std::string::npos) << err.hint;
}

TEST(ExprSyntax, SingleEqualsSign) {
  auto err = parse_error("event = 'transfer'");
  EXPECT_EQ(err.column, 7u);
  EXPECT_NE(err.hint.find("=="), std::string::npos);
}

TEST(ExprSyntax, MissingOperand) {
  auto err = parse_error("event ==");
  EXPECT_EQ(err.column, 9u);
  EXPECT_NE(err.message.find("end of expression"), std::string::npos) << err.message;
}

TEST(ExprSyntax, UnbalancedParenthesis) {
  auto err = parse_error("(safeguard.scc or same_group");
  EXPECT_EQ(err.column, 29u);
  EXPECT_NE(err.message.find("`)`"), std::string::npos);
}

TEST(ExprSyntax, TwoOperandsWithoutOperator) {
  auto err = parse_error("safeguard.scc same_group");
  EXPECT_EQ(err.column, 15u);
  EXPECT_NE(err.message.find("same_group"), std::string::npos);
}

TEST(ExprSyntax, UnterminatedString) {
  auto err = parse_error("event == 'transfer");
  EXPECT_EQ(err.column, 10u);
  EXPECT_NE(err.message.find("unterminated"), std::string::npos);
}

TEST(ExprSyntax, UnknownFunctionAndBadDate) {
  auto err = parse_error("size(data.categories) > 1");
  EXPECT_EQ(err.column, 1u);
  EXPECT_NE(err.message.find("size"), std::string::npos);
  auto d = parse_error("date < date('2020-13-01')");
  EXPECT_EQ(d.column, 8u);
  EXPECT_NE(d.message.find("not a date"), std::string::npos);
}

TEST(ExprTypes, UnknownVariableSuggestsTheRightName) {
  auto err = type_error("importer.contry == 'DE'");
  EXPECT_EQ(err.column, 1u);
  EXPECT_NE(err.message.find("importer.contry"), std::string::npos);
  EXPECT_NE(err.hint.find("did you mean `importer.country`"), std::string::npos) << err.hint;
}

TEST(ExprTypes, UnknownNameCanSuggestADefinition) {
  auto err = type_error("safeguard.scc and gdpr_transfr");
  EXPECT_EQ(err.column, 19u);
  EXPECT_NE(err.hint.find("gdpr_transfer"), std::string::npos) << err.hint;
  EXPECT_FALSE(type_check("safeguard.scc and gdpr_transfer"));
}

TEST(ExprTypes, SetsCannotBeComparedWithEquals) {
  auto err = type_error("data.categories == 'personal_data'");
  EXPECT_NE(err.message.find("sets cannot be compared"), std::string::npos) << err.message;
  EXPECT_NE(err.hint.find("in"), std::string::npos);
}

TEST(ExprTypes, InNeedsASetOnTheRight) {
  auto err = type_error("'DE' in importer.country");
  EXPECT_EQ(err.column, 9u);
  EXPECT_NE(err.message.find("must be a set"), std::string::npos) << err.message;
}

TEST(ExprTypes, MisspelledEnumLiteral) {
  auto err = type_error("event == 'transfr'");
  EXPECT_EQ(err.column, 10u);
  EXPECT_NE(err.message.find("transfr"), std::string::npos);
  EXPECT_NE(err.hint.find("did you mean `transfer`"), std::string::npos) << err.hint;
  // Also inside a list.
  auto list = type_error("event in ['transfer', 'stroe']");
  EXPECT_EQ(list.column, 23u);
  EXPECT_NE(list.hint.find("`store`"), std::string::npos) << list.hint;
}

TEST(ExprTypes, CountryLiteralIsChecked) {
  auto err = type_error("importer.country == 'UK'");
  EXPECT_NE(err.message.find("UK"), std::string::npos);
  EXPECT_FALSE(type_check("importer.country == 'GB'"));
}

TEST(ExprTypes, NonBooleanCondition) {
  auto err = type_error("importer.country");
  EXPECT_NE(err.message.find("not a condition"), std::string::npos) << err.message;
  auto and_err = type_error("safeguard.scc and data.subject_count");
  EXPECT_NE(and_err.message.find("expected a condition"), std::string::npos) << and_err.message;
}

TEST(ExprTypes, MixedTypesAndOrdering) {
  auto err = type_error("importer.country == exporter.kind");
  EXPECT_NE(err.message.find("cannot compare"), std::string::npos) << err.message;
  auto ord = type_error("importer.country < 'DE'");
  EXPECT_NE(ord.message.find("`<`"), std::string::npos) << ord.message;
  EXPECT_FALSE(type_check("data.value >= 'high' and data.subject_count > 5000"));
}

TEST(ExprTypes, UnknownFactAndWrongDomainFact) {
  auto err = type_error("importer.country in fact('adequate')");
  EXPECT_NE(err.message.find("unknown fact set `adequate`"), std::string::npos) << err.message;
  auto dom = type_error("importer.country in fact('schemes')");
  EXPECT_NE(dom.message.find("membership"), std::string::npos) << dom.message;
}

TEST(ExprTypes, IntersectsNeedsSetsOfOneKind) {
  EXPECT_FALSE(type_check("data.visited intersects fact('eea')"));
  auto err = type_error("data.categories intersects fact('eea')");
  EXPECT_NE(err.message.find("intersects"), std::string::npos);
}

TEST(ExprMisc, CaretExcerptPointsAtTheColumn) {
  EXPECT_EQ(caret_excerpt("a && b", 3), "a && b\n    ^");
}

std::string repeat(const std::string& text, std::size_t n) {
  std::string out;
  for (std::size_t k = 0; k < n; ++k) out += text;
  return out;
}

std::size_t depth(const Expr& e) {
  std::size_t d = 0;
  for (const auto& a : e.args) d = std::max(d, depth(a));
  return d + 1;
}

// Issue 12: thousands of nested parentheses or chained `not`s overflowed the stack (SIGSEGV).
TEST(ExprLimits, NestingBeyondTheLimitIsALocatedError) {
  for (const std::size_t n : {std::size_t{5000}, std::size_t{100000}}) {
    auto parens = parse_error(repeat("(", n) + "event == 'transfer'" + repeat(")", n));
    EXPECT_NE(parens.message.find("nests deeper than 200 levels"), std::string::npos)
        << parens.message;
    EXPECT_GT(parens.column, 0u);
    EXPECT_LE(parens.column, kMaxExprDepth + 2);
    auto nots = parse_error(repeat("not ", n) + "event == 'transfer'");
    EXPECT_NE(nots.message.find("nests deeper"), std::string::npos) << nots.message;
    EXPECT_FALSE(nots.hint.empty());
    auto list = parse_error("event in " + repeat("[", n) + repeat("]", n));
    EXPECT_NE(list.message.find("nests deeper"), std::string::npos) << list.message;
    auto call = parse_error(repeat("empty(", n) + "data.categories" + repeat(")", n));
    EXPECT_NE(call.message.find("nests deeper"), std::string::npos) << call.message;
  }
  // A chain of `and`s builds a tree as deep as it is long: the same limit, no recursion needed.
  auto chain = parse_error("event == 'transfer'" + repeat(" and event == 'transfer'", 100000));
  EXPECT_NE(chain.message.find("nests deeper"), std::string::npos) << chain.message;
  auto ors = parse_error("event == 'transfer'" + repeat(" or event == 'transfer'", 3000));
  EXPECT_NE(ors.message.find("nests deeper"), std::string::npos) << ors.message;
}

TEST(ExprLimits, NestingUpToTheLimitParsesAndChecks) {
  // 150 parentheses around a comparison, 190 `not`s, a chain of 150 `and`s: all within 200.
  Expr parens = parse_ok(repeat("(", 150) + "importer.country == 'JP'" + repeat(")", 150));
  EXPECT_FALSE(check_expression(parens, env()));
  Expr nots = parse_ok(repeat("not ", 190) + "importer.country == 'JP'");
  EXPECT_EQ(depth(nots), 192u);
  EXPECT_FALSE(check_expression(nots, env()));
  Expr chain = parse_ok("importer.country == 'JP'" + repeat(" and importer.country == 'JP'", 150));
  EXPECT_EQ(depth(chain), 152u);  // 150 `and`s, the comparison, its operands
  EXPECT_FALSE(check_expression(chain, env()));
  // Exactly at the limit, and one beyond it.
  EXPECT_EQ(depth(parse_ok(repeat("not ", kMaxExprDepth - 2) + "a == 'b'")), kMaxExprDepth);
  parse_error(repeat("not ", kMaxExprDepth - 1) + "a == 'b'");
}

TEST(ExprMisc, CaretExcerptOfALongTextIsAWindow) {
  const std::string text = repeat("x", 1000000) + " é and \x1b[2J";
  const std::string out = caret_excerpt(text, 1000001);
  EXPECT_LT(out.size(), 400u);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);  // escape sequences are shown as `?`
  // The caret sits under the column: after "…", 60 characters, then the one pointed at.
  const auto first = out.substr(0, out.find('\n'));
  const auto caret = out.substr(out.find('\n') + 3);
  EXPECT_EQ(caret, std::string(61, ' ') + "^");
  EXPECT_EQ(first.substr(0, 3), "…");
  EXPECT_EQ(first.substr(3 + 60, 1), " ");
}

}  // namespace
}  // namespace xborder::expr_test
