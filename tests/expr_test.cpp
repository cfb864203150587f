// The rule expression language: precedence, syntax errors with their column, type errors with
// their hint.
#include "solver/expr.hpp"

#include <gtest/gtest.h>

#include "tests/test_support.hpp"

namespace xborder {
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

}  // namespace
}  // namespace xborder
