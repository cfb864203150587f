#include "solver/expr.hpp"

#include <algorithm>
#include <cctype>

#include "model/date.hpp"
#include "model/diagnostic.hpp"

namespace xborder {
namespace {

enum class Tok {
  kIdent,
  kString,
  kNumber,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kOp,
  kEnd
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  std::size_t column = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  std::variant<std::vector<Token>, ExprError> run() {
    std::vector<Token> out;
    while (true) {
      while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      const std::size_t col = pos_ + 1;
      if (pos_ >= text_.size()) {
        out.push_back({Tok::kEnd, "", col});
        return out;
      }
      const char c = text_[pos_];
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        std::size_t start = pos_;
        while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                       text_[pos_] == '_' || text_[pos_] == '.')) {
          ++pos_;
        }
        out.push_back({Tok::kIdent, std::string(text_.substr(start, pos_ - start)), col});
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        std::size_t start = pos_;
        while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
        out.push_back({Tok::kNumber, std::string(text_.substr(start, pos_ - start)), col});
      } else if (c == '\'' || c == '"') {
        std::size_t start = ++pos_;
        while (pos_ < text_.size() && text_[pos_] != c) ++pos_;
        if (pos_ >= text_.size())
          return ExprError{col, "unterminated string", "close it with " + std::string(1, c)};
        out.push_back({Tok::kString, std::string(text_.substr(start, pos_ - start)), col});
        ++pos_;
      } else if (c == '(') {
        out.push_back({Tok::kLParen, "(", col});
        ++pos_;
      } else if (c == ')') {
        out.push_back({Tok::kRParen, ")", col});
        ++pos_;
      } else if (c == '[') {
        out.push_back({Tok::kLBracket, "[", col});
        ++pos_;
      } else if (c == ']') {
        out.push_back({Tok::kRBracket, "]", col});
        ++pos_;
      } else if (c == ',') {
        out.push_back({Tok::kComma, ",", col});
        ++pos_;
      } else {
        static const char* const ops[] = {"==", "!=", "<=", ">=", "<", ">"};
        bool matched = false;
        for (const char* op : ops) {
          const std::string_view o(op);
          if (text_.substr(pos_, o.size()) == o) {
            out.push_back({Tok::kOp, std::string(o), col});
            pos_ += o.size();
            matched = true;
            break;
          }
        }
        if (!matched) {
          std::string hint =
              "operators are == != < <= > >= and, or, not, in, not in, intersects, implies";
          if (c == '&' || c == '|' || c == '!') hint = "write `and`, `or` and `not` as words";
          if (c == '=') hint = "compare with `==`";
          return ExprError{col, "unexpected character `" + std::string(1, c) + "`", hint};
        }
      }
    }
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Every function returns the expression with its depth (nodes on the longest path to a leaf),
// so that no expression deeper than kMaxExprDepth is ever built: the parser, the type checker,
// the compilers and the destructor of Expr all recurse over the tree.
struct Parsed {
  Expr e;
  std::size_t depth = 1;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : toks_(std::move(tokens)) {}

  std::variant<Expr, ExprError> run() {
    auto p = implies();
    if (error_) return *error_;
    if (peek().kind != Tok::kEnd)
      return ExprError{peek().column, "unexpected `" + peek().text + "`",
                       "is an operator missing?"};
    return std::move(p.e);
  }

 private:
  const Token& peek() const { return toks_[pos_]; }
  bool at_word(std::string_view w) const { return peek().kind == Tok::kIdent && peek().text == w; }
  Token next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  void fail(std::size_t col, std::string message, std::string hint = "") {
    if (!error_) error_ = ExprError{col, std::move(message), std::move(hint)};
  }
  // A node over `args`; fails (once) when it would be deeper than the limit.
  Parsed node(ExprOp op, std::size_t col, std::vector<Parsed> args = {}) {
    Parsed p;
    p.e.op = op;
    p.e.column = col;
    for (auto& a : args) {
      p.depth = std::max(p.depth, a.depth + 1);
      p.e.args.push_back(std::move(a.e));
    }
    check_depth(p.depth, col);
    return p;
  }
  void check_depth(std::size_t depth, std::size_t col) {
    if (depth > kMaxExprDepth) {
      fail(col,
           "the expression nests deeper than " + std::to_string(kMaxExprDepth) +
               " levels (parentheses, `not`s, or a chain of `and`/`or`)",
           "split it into definitions, or write a long list as `x in [...]`");
    }
  }
  // Entering a nested part (parentheses, `not`, arguments, a list): the recursion of the parser
  // itself is bounded by the same limit.
  struct Nesting {
    explicit Nesting(Parser& p) : parser(p) { ++parser.nesting_; }
    ~Nesting() { --parser.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    Parser& parser;
  };
  bool too_nested() {
    if (nesting_ <= kMaxExprDepth) return false;
    check_depth(nesting_, peek().column);
    return true;
  }

  Parsed implies() {
    Parsed left = disjunction();
    if (!error_ && at_word("implies")) {
      const auto col = next().column;
      Parsed right = disjunction();
      return node(ExprOp::kImplies, col, vec(std::move(left), std::move(right)));
    }
    return left;
  }
  Parsed disjunction() {
    Parsed left = conjunction();
    while (!error_ && at_word("or")) {
      const auto col = next().column;
      Parsed right = conjunction();
      left = node(ExprOp::kOr, col, vec(std::move(left), std::move(right)));
    }
    return left;
  }
  Parsed conjunction() {
    Parsed left = negation();
    while (!error_ && at_word("and")) {
      const auto col = next().column;
      Parsed right = negation();
      left = node(ExprOp::kAnd, col, vec(std::move(left), std::move(right)));
    }
    return left;
  }
  Parsed negation() {
    if (at_word("not")) {
      const auto col = next().column;
      Nesting n(*this);
      if (too_nested()) return leaf(col);
      std::vector<Parsed> args;
      args.push_back(negation());
      return node(ExprOp::kNot, col, std::move(args));
    }
    return comparison();
  }
  Parsed comparison() {
    Parsed left = term();
    if (error_) return left;
    const Token& t = peek();
    std::optional<ExprOp> op;
    if (t.kind == Tok::kOp) {
      if (t.text == "==") op = ExprOp::kEq;
      if (t.text == "!=") op = ExprOp::kNe;
      if (t.text == "<") op = ExprOp::kLt;
      if (t.text == "<=") op = ExprOp::kLe;
      if (t.text == ">") op = ExprOp::kGt;
      if (t.text == ">=") op = ExprOp::kGe;
    } else if (at_word("in")) {
      op = ExprOp::kIn;
    } else if (at_word("intersects")) {
      op = ExprOp::kIntersects;
    } else if (at_word("not") && pos_ + 1 < toks_.size() && toks_[pos_ + 1].kind == Tok::kIdent &&
               toks_[pos_ + 1].text == "in") {
      next();
      op = ExprOp::kNotIn;
    }
    if (!op) return left;
    const auto col = next().column;
    Parsed right = term();
    return node(*op, col, vec(std::move(left), std::move(right)));
  }
  Parsed term() {
    const Token t = next();
    switch (t.kind) {
      case Tok::kString: {
        Parsed p = leaf(t.column, ExprOp::kStringLit);
        p.e.text = t.text;
        return p;
      }
      case Tok::kNumber: {
        Parsed p = leaf(t.column, ExprOp::kIntLit);
        p.e.number = std::stoll(t.text.substr(0, 15));
        p.e.type = {VarKind::kInt, Domain::kNone};
        return p;
      }
      case Tok::kLParen: {
        Nesting n(*this);
        if (too_nested()) return leaf(t.column);
        Parsed p = implies();
        if (error_) return p;
        if (peek().kind != Tok::kRParen)
          fail(peek().column, "expected `)`", "parentheses must balance");
        next();
        return p;
      }
      case Tok::kLBracket: {
        Nesting n(*this);
        if (too_nested()) return leaf(t.column);
        std::vector<Parsed> items;
        while (!error_ && peek().kind != Tok::kRBracket) {
          items.push_back(term());
          if (error_) break;
          if (peek().kind == Tok::kComma) {
            next();
          } else if (peek().kind != Tok::kRBracket) {
            fail(peek().column, "expected `,` or `]` in a list");
            break;
          }
        }
        next();
        Parsed list = node(ExprOp::kList, t.column, std::move(items));
        list.e.is_set = true;
        return list;
      }
      case Tok::kIdent: {
        if (t.text == "true" || t.text == "false") {
          Parsed p = leaf(t.column, ExprOp::kBoolLit);
          p.e.number = t.text == "true" ? 1 : 0;
          p.e.type = {VarKind::kBool, Domain::kNone};
          return p;
        }
        if (peek().kind == Tok::kLParen) return call(t);
        Parsed p = leaf(t.column, ExprOp::kVar);
        p.e.text = t.text;
        return p;
      }
      default:
        fail(t.column,
             t.kind == Tok::kEnd ? "unexpected end of expression" : "unexpected `" + t.text + "`");
        return leaf(t.column);
    }
  }
  Parsed call(const Token& name) {
    next();  // (
    Nesting n(*this);
    if (too_nested()) return leaf(name.column);
    std::vector<Parsed> args;
    while (!error_ && peek().kind != Tok::kRParen) {
      args.push_back(implies());
      if (error_) break;
      if (peek().kind == Tok::kComma) {
        next();
      } else if (peek().kind != Tok::kRParen) {
        fail(peek().column, "expected `,` or `)` in the arguments of `" + name.text + "`");
        break;
      }
    }
    next();
    auto string_arg = [&]() -> std::optional<std::string> {
      if (args.size() != 1 || args[0].e.op != ExprOp::kStringLit) {
        fail(name.column, "`" + name.text + "` takes one quoted argument",
             "e.g. " + name.text + "('…')");
        return std::nullopt;
      }
      return args[0].e.text;
    };
    if (name.text == "fact") {
      Parsed p = leaf(name.column, ExprOp::kFact);
      p.e.text = string_arg().value_or("");
      p.e.is_set = true;
      return p;
    }
    if (name.text == "date") {
      Parsed p = leaf(name.column, ExprOp::kDateLit);
      const auto text = string_arg().value_or("");
      if (auto d = Date::parse(text)) {
        p.e.number = d->days();
      } else if (!error_) {
        fail(name.column, "`" + text + "` is not a date", "write date('YYYY-MM-DD')");
      }
      p.e.type = {VarKind::kDate, Domain::kNone};
      return p;
    }
    if (name.text == "empty") {
      if (args.size() != 1) fail(name.column, "`empty` takes one set");
      return node(ExprOp::kEmpty, name.column, std::move(args));
    }
    fail(name.column, "unknown function `" + name.text + "`",
         "functions are fact('name'), date('YYYY-MM-DD') and empty(set)");
    return leaf(name.column);
  }

  static Parsed leaf(std::size_t col, ExprOp op = ExprOp::kBoolLit) {
    Parsed p;
    p.e.op = op;
    p.e.column = col;
    return p;
  }
  static std::vector<Parsed> vec(Parsed a, Parsed b) {
    std::vector<Parsed> v;
    v.push_back(std::move(a));
    v.push_back(std::move(b));
    return v;
  }

  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  std::size_t nesting_ = 0;
  std::optional<ExprError> error_;
};

// ---------------------------------------------------------------- type checking

class Checker {
 public:
  explicit Checker(const ExprEnvironment& env) : env_(env) {}
  std::optional<ExprError> error;

  void fail(const Expr& e, std::string message, std::string hint = "") {
    if (!error) error = ExprError{e.column, std::move(message), std::move(hint)};
  }

  // Types `e`; `expected` gives string literals and lists their domain.
  void check(Expr& e) {
    if (error) return;
    switch (e.op) {
      case ExprOp::kBoolLit:
      case ExprOp::kIntLit:
      case ExprOp::kDateLit:
        return;
      case ExprOp::kStringLit:
        fail(e, "a quoted value `" + e.text + "` cannot stand alone",
             "compare it: e.g. importer.country == '" + e.text + "'");
        return;
      case ExprOp::kList:
        fail(e, "a list can only appear after `in` or `intersects`");
        return;
      case ExprOp::kVar: {
        if (auto k = find_variable(e.text)) {
          e.var = *k;
          e.type = context_variables()[*k].type;
          e.is_set = e.type.kind == VarKind::kSet;
          return;
        }
        if (env_.is_definition && env_.is_definition(e.text)) {
          e.op = ExprOp::kDefinition;
          e.type = {VarKind::kBool, Domain::kNone};
          return;
        }
        std::vector<std::string> names = variable_names();
        if (env_.names) {
          auto more = env_.names();
          names.insert(names.end(), more.begin(), more.end());
        }
        fail(e, "unknown name `" + e.text + "`", suggestion_hint(e.text, names));
        return;
      }
      case ExprOp::kDefinition:
        return;
      case ExprOp::kFact: {
        auto d = env_.fact_domain ? env_.fact_domain(e.text) : std::nullopt;
        if (!d) {
          fail(e, "unknown fact set `" + e.text + "`",
               "fact sets are declared under `facts` in a rule pack");
          return;
        }
        e.type = {VarKind::kSet, *d};
        return;
      }
      case ExprOp::kNot:
        check(e.args[0]);
        expect_bool(e.args[0]);
        e.type = {VarKind::kBool, Domain::kNone};
        return;
      case ExprOp::kAnd:
      case ExprOp::kOr:
      case ExprOp::kImplies:
        for (auto& a : e.args) {
          check(a);
          expect_bool(a);
        }
        e.type = {VarKind::kBool, Domain::kNone};
        return;
      case ExprOp::kEq:
      case ExprOp::kNe:
      case ExprOp::kLt:
      case ExprOp::kLe:
      case ExprOp::kGt:
      case ExprOp::kGe:
        check_comparison(e);
        return;
      case ExprOp::kIn:
      case ExprOp::kNotIn:
        check_membership(e);
        return;
      case ExprOp::kIntersects:
        check_intersects(e);
        return;
      case ExprOp::kEmpty:
        check(e.args[0]);
        if (!error && e.args[0].type.kind != VarKind::kSet) fail(e.args[0], "`empty` needs a set");
        e.type = {VarKind::kBool, Domain::kNone};
        return;
    }
  }

 private:
  void expect_bool(const Expr& e) {
    if (!error && e.type.kind != VarKind::kBool) {
      fail(e, "expected a condition (true or false), found " + type_name(e.type),
           e.type.kind == VarKind::kSet ? "test membership with `in` or `intersects`"
                                        : "compare it with `==`");
    }
  }
  // A literal gets the domain of the other side; fixed domains check spelling here.
  void type_literal(Expr& lit, Domain d) {
    if (lit.op == ExprOp::kList) {
      for (auto& item : lit.args) type_literal(item, d);
      lit.type = {VarKind::kSet, d};
      return;
    }
    if (lit.op != ExprOp::kStringLit) {
      check(lit);
      return;
    }
    lit.type = {VarKind::kEnum, d};
    if (!domain_is_open(d)) {
      const auto& values = fixed_domain_values(d);
      if (std::find(values.begin(), values.end(), lit.text) == values.end() &&
          lit.text != kNoneValue) {
        fail(lit, "`" + lit.text + "` is not a " + std::string(domain_name(d)),
             suggestion_hint(lit.text, values));
      }
    } else if (env_.check_literal) {
      if (auto problem = env_.check_literal(d, lit.text); !problem.empty()) fail(lit, problem);
    }
  }
  static bool is_literal(const Expr& e) {
    return e.op == ExprOp::kStringLit || e.op == ExprOp::kList;
  }

  void check_comparison(Expr& e) {
    Expr& l = e.args[0];
    Expr& r = e.args[1];
    if (is_literal(l) && is_literal(r)) {
      fail(e, "comparing two quoted values is always true or always false");
      return;
    }
    if (!is_literal(l)) check(l);
    if (!is_literal(r)) check(r);
    if (error) return;
    if (is_literal(l)) type_literal(l, r.type.domain);
    if (is_literal(r)) type_literal(r, l.type.domain);
    if (error) return;
    if (l.type.kind == VarKind::kSet || r.type.kind == VarKind::kSet) {
      fail(e, "sets cannot be compared with `==` or `<`", "use `in`, `intersects` or `empty(…)`");
      return;
    }
    if (!(l.type == r.type)) {
      fail(e, "cannot compare " + type_name(l.type) + " with " + type_name(r.type));
      return;
    }
    const bool ordered =
        e.op == ExprOp::kLt || e.op == ExprOp::kLe || e.op == ExprOp::kGt || e.op == ExprOp::kGe;
    if (ordered && !(l.type.kind == VarKind::kInt || l.type.kind == VarKind::kDate ||
                     (l.type.kind == VarKind::kEnum && l.type.domain == Domain::kValueLevel))) {
      fail(e, "`<` and `>` apply to numbers, dates and value levels, not to " + type_name(l.type));
      return;
    }
    e.type = {VarKind::kBool, Domain::kNone};
  }

  void check_membership(Expr& e) {
    Expr& l = e.args[0];
    Expr& r = e.args[1];
    if (!is_literal(r)) check(r);
    if (error) return;
    if (r.op == ExprOp::kList) {
      if (is_literal(l)) {
        fail(e, "`in` needs a variable on one side");
        return;
      }
      check(l);
      if (error) return;
      if (l.type.kind != VarKind::kEnum) {
        fail(
            l, "only a single value can be tested with `in`, found " + type_name(l.type),
            l.type.kind == VarKind::kSet ? "to test sets against each other use `intersects`" : "");
        return;
      }
      type_literal(r, l.type.domain);
    } else {
      if (r.type.kind != VarKind::kSet) {
        fail(r, "the right side of `in` must be a set, found " + type_name(r.type));
        return;
      }
      if (is_literal(l)) {
        type_literal(l, r.type.domain);
      } else {
        check(l);
      }
      if (error) return;
      if (l.type.kind != VarKind::kEnum || l.type.domain != r.type.domain) {
        fail(e, "cannot test " + type_name(l.type) + " for membership in a " + type_name(r.type));
        return;
      }
    }
    e.type = {VarKind::kBool, Domain::kNone};
  }

  void check_intersects(Expr& e) {
    Expr& l = e.args[0];
    Expr& r = e.args[1];
    if (!is_literal(l)) check(l);
    if (!is_literal(r)) check(r);
    if (error) return;
    if (is_literal(l) && is_literal(r)) {
      fail(e, "`intersects` needs a set variable or fact on one side");
      return;
    }
    if (is_literal(l)) type_literal(l, r.type.domain);
    if (is_literal(r)) type_literal(r, l.type.domain);
    if (error) return;
    if (l.type.kind != VarKind::kSet || r.type.kind != VarKind::kSet ||
        l.type.domain != r.type.domain) {
      fail(e, "`intersects` needs two sets of the same kind, found " + type_name(l.type) + " and " +
                  type_name(r.type));
      return;
    }
    if (l.op == ExprOp::kFact && r.op == ExprOp::kFact) {
      fail(e, "`intersects` between two fact sets does not depend on the data",
           "test a variable against a fact set");
      return;
    }
    e.type = {VarKind::kBool, Domain::kNone};
  }

  const ExprEnvironment& env_;
};

}  // namespace

std::variant<Expr, ExprError> parse_expression(std::string_view text) {
  auto tokens = Lexer(text).run();
  if (auto* err = std::get_if<ExprError>(&tokens)) return *err;
  return Parser(std::get<std::vector<Token>>(std::move(tokens))).run();
}

std::optional<ExprError> check_expression(Expr& e, const ExprEnvironment& env) {
  Checker c(env);
  c.check(e);
  if (!c.error && e.type.kind != VarKind::kBool) {
    return ExprError{e.column, "the expression is a " + type_name(e.type) + ", not a condition",
                     ""};
  }
  return c.error;
}

void visit(const Expr& e, const std::function<void(const Expr&)>& f) {
  f(e);
  for (const auto& a : e.args) visit(a, f);
}

std::string caret_excerpt(std::string_view text, std::size_t column) {
  // A window around the column, so that a megabyte-long expression is not echoed whole; control
  // characters (a terminal's escape sequences) are shown as `?`.
  constexpr std::size_t kBefore = 60, kAfter = 60;
  const std::size_t at = column == 0 ? 0 : std::min(column - 1, text.size());
  auto continuation = [&](std::size_t k) {
    return k < text.size() && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80;
  };
  std::size_t start = at > kBefore ? at - kBefore : 0;
  while (start < at && continuation(start)) ++start;  // never cut a UTF-8 sequence
  std::size_t end = std::min(text.size(), at + kAfter);
  while (end > at && continuation(end)) --end;
  std::string out = start > 0 ? "…" : "";
  for (std::size_t k = start; k < end; ++k) {
    const auto c = static_cast<unsigned char>(text[k]);
    out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
  }
  if (end < text.size()) out += "…";
  out += "\n  ";
  for (std::size_t k = start > 0 ? start - 1 : 0; k < at; ++k) out += ' ';
  out += '^';
  return out;
}

}  // namespace xborder
