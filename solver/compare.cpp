#include "solver/compare.hpp"

#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>

#include "solver/rule_compiler.hpp"

namespace xborder {

const GapTable* CompareResult::table(std::size_t allows, std::size_t forbids) const {
  for (const auto& t : tables) {
    if (t.allows == allows && t.forbids == forbids) return &t;
  }
  return nullptr;
}

// ------------------------------------------------------------------------------ regimes

namespace {

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool is_country_code(const std::string& s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

std::vector<std::string> home_of(const RuleBase& rules, const Place& place, Date at,
                                 const std::vector<std::string>& country_codes) {
  std::vector<std::string> out;
  if (!place.home.empty()) {
    auto it = rules.facts.find(place.home);
    if (it != rules.facts.end()) {
      for (const auto& e : it->second->entries) {
        if (e.valid.contains(at)) out.push_back(e.value);
      }
    }
  } else if (is_country_code(place.jurisdiction) &&
             (country_codes.empty() || std::find(country_codes.begin(), country_codes.end(),
                                                 place.jurisdiction) != country_codes.end())) {
    out.push_back(place.jurisdiction);
  }
  return out;
}

}  // namespace

namespace {

// A regime none of whose rules is in force at the date forbids nothing: warn (XB-COMPARE-006), so
// that a comparison at a date before its law (or after it lapsed) does not read as "allows all".
void warn_regime_not_in_force(const RuleBase& rules, const Regime& regime,
                              const std::string& pointer, Diagnostics& diags) {
  const std::filesystem::path where = "<command line>";
  std::optional<Date> first;
  bool has_rules = false, in_force = false;
  for (const auto& id : regime.places) {
    for (const auto& pack : rules.packs) {
      if (pack.place.id != id) continue;
      for (const auto& rule : pack.rules) {
        has_rules = true;
        if (rule.valid.contains(regime.at)) in_force = true;
        if (rule.valid.from && (!first || *rule.valid.from < *first)) first = rule.valid.from;
      }
    }
  }
  if (has_rules && !in_force) {
    diags.warning("XB-COMPARE-006", where, pointer,
                  "regime `" + regime.label + "`: none of its rules is in force on " +
                      regime.at.to_string() + ", so it forbids nothing",
                  first && regime.at < *first
                      ? "its rules start on " + first->to_string() +
                            ": compare at a later date, or add the law before it to the pack"
                      : std::string("its rules have all lapsed by that date"));
  }
}

}  // namespace

std::optional<Regime> resolve_regime(const RuleBase& rules, std::string_view text, Date default_at,
                                     const std::string& pointer, Diagnostics& diags,
                                     const RegimeSelection& selection) {
  const std::filesystem::path where = "<command line>";
  Regime regime;
  regime.label = std::string(text);
  regime.at = default_at;
  std::string body(text);
  if (auto at = body.find('@'); at != std::string::npos) {
    const std::string date = body.substr(at + 1);
    auto parsed = Date::parse(date);
    if (!parsed) {
      diags.error("XB-COMPARE-001", where, pointer,
                  "`" + date + "` in regime `" + regime.label + "` is not a date",
                  "write the date as YYYY-MM-DD, e.g. EU@2020-07-15");
      return std::nullopt;
    }
    regime.at = *parsed;
    body = body.substr(0, at);
  }
  std::vector<std::string> ids, jurisdictions;
  for (const auto& pack : rules.packs) {
    ids.push_back(pack.place.id);
    jurisdictions.push_back(pack.place.jurisdiction);
  }
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t plus = body.find('+', start);
    if (plus == std::string::npos) plus = body.size();
    const std::string token = body.substr(start, plus - start);
    start = plus + 1;
    if (token.empty()) {
      diags.error("XB-COMPARE-002", where, pointer,
                  "regime `" + regime.label + "` has an empty part",
                  "write places or jurisdictions joined by `+`, e.g. EU+US");
      return std::nullopt;
    }
    std::vector<std::string> found;
    bool other_category = false;
    const std::string jurisdiction = upper(token) == "UK" ? "GB" : upper(token);
    for (const auto& pack : rules.packs) {
      if (pack.place.id == token) {
        found.push_back(pack.place.id);
      } else if (upper(pack.place.jurisdiction) == jurisdiction) {
        const auto& cats = selection.categories;
        if (cats.empty() || std::find(cats.begin(), cats.end(), pack.place.category) != cats.end())
          found.push_back(pack.place.id);
        else
          other_category = true;
      }
    }
    if (found.empty()) {
      std::vector<std::string> all = ids;
      all.insert(all.end(), jurisdictions.begin(), jurisdictions.end());
      diags.error("XB-COMPARE-003", where, pointer,
                  "no place or jurisdiction `" + token + "` in the rule base" +
                      (other_category ? " for the categories selected" : ""),
                  other_category ? "its places are of another category: use --category (e.g. "
                                   "--category export_control, or all) or name a place id"
                                 : suggestion_hint(token, all));
      return std::nullopt;
    }
    for (const auto& id : found) {
      if (std::find(regime.places.begin(), regime.places.end(), id) == regime.places.end())
        regime.places.push_back(id);
    }
  }
  warn_regime_not_in_force(rules, regime, pointer, diags);
  std::set<std::string> home;
  for (const auto& id : regime.places) {
    for (const auto& c : home_of(rules, *rules.place(id), regime.at, selection.country_codes))
      home.insert(c);
  }
  regime.home.assign(home.begin(), home.end());
  return regime;
}

// ------------------------------------------------------------------------------ the engine

namespace {

constexpr int kShared = -1;

// The variables that say where the exporter stands. In the home frame each regime gets its own
// copy of them, placed in its home; everything else about the flow is shared.
const std::vector<std::string> kExporterSide = {
    "exporter.country", "exporter.established", "exporter.group_countries",
    "data.subjects",    "data.visited",         "data.authorities"};

// A solver whose queries are conjunctions of conditions, each behind a proxy literal created
// once, so that queries are check(assumptions) and unsat cores name conditions.
class Tracked {
 public:
  Tracked(z3::context& ctx, std::uint64_t& queries) : ctx_(ctx), solver_(ctx), queries_(queries) {
    z3::params params(ctx);
    // Cores are not minimised by Z3: the cover minimises its own cores by deletion, and a
    // minimised core per round of the quiet witness made a comparison six to seven times slower
    // (EU@2020-07-15 vs EU@2020-07-16: 26.6 → 3.8 s) for witnesses hardly any quieter
    // (bench/README.md, session 9).
    params.set("core.minimize", false);
    params.set("timeout", 60000u);
    solver_.set(params);
  }
  void add(const z3::expr& e) { solver_.add(e); }
  z3::expr proxy(const z3::expr& condition) {
    auto it = proxies_.find(condition.id());
    if (it != proxies_.end()) return it->second;
    z3::expr p = ctx_.bool_const(("q!" + std::to_string(proxies_.size())).c_str());
    solver_.add(z3::implies(p, condition));
    proxies_.emplace(condition.id(), p);
    conditions_.emplace(condition.id(), condition);  // keeps the AST (and its id) alive
    return p;
  }
  z3::check_result check(const std::vector<z3::expr>& conditions) {
    ++queries_;
    z3::expr_vector v(ctx_);
    for (const auto& c : conditions) v.push_back(proxy(c));
    const auto r = solver_.check(v);
    if (r == z3::unknown)
      throw std::runtime_error("the solver could not decide a comparison query (" +
                               solver_.reason_unknown() + ")");
    return r;
  }
  // Indexes (into the last query's conditions) of an unsat core.
  std::vector<std::size_t> core(const std::vector<z3::expr>& conditions) {
    z3::expr_vector c = solver_.unsat_core();
    std::vector<std::size_t> out;
    for (unsigned k = 0; k < c.size(); ++k) {
      for (std::size_t i = 0; i < conditions.size(); ++i) {
        if (z3::eq(proxy(conditions[i]), c[k])) out.push_back(i);
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  z3::model model() { return solver_.get_model(); }

 private:
  z3::context& ctx_;
  z3::solver solver_;
  std::uint64_t& queries_;
  std::map<unsigned, z3::expr> proxies_;
  std::map<unsigned, z3::expr> conditions_;
};

// A term of the space cells are written over: a context variable's atom (on the shared flow or
// one side's own copy), or a rule-level predicate (a rule applies, a route holds) of one side.
struct Term {
  z3::expr e;
  std::size_t atom = 0;
  int side = kShared;
  bool predicate = false;
  std::string rule;   // predicates: the rule id
  std::string route;  // predicates: the route id, "" for "the rule applies"
};

const VarSpec kPredicateSpec{"(rule)", {VarKind::kBool, Domain::kNone}, false, ""};

// One conjunct of a cell: a term restricted to a set of enum values, an integer range, or a
// boolean value.
struct Literal {
  std::size_t term = 0;
  bool truth = false;             // bool and set-element terms
  std::vector<int> values;        // enum terms: the allowed indexes
  std::optional<long long> low;   // int and date terms: inclusive bounds
  std::optional<long long> high;  //   (nullopt = unbounded)
};

struct Side {
  const Regime* regime = nullptr;
  std::vector<std::size_t> rules;  // rule indexes of the compiled rule base
  z3::expr_vector src;
  z3::expr_vector dst;
  std::vector<z3::expr> applies, violated;
  std::vector<std::vector<z3::expr>> routes;
  z3::expr background;
  explicit Side(z3::context& ctx) : src(ctx), dst(ctx), background(ctx.bool_val(true)) {}
};

class Comparer {
 public:
  Comparer(const RuleBase& rules, const std::vector<Regime>& regimes, const CompareOptions& options,
           CompareFrame frame, const std::optional<Expr>& scope,
           const std::vector<std::optional<Expr>>& wheres)
      : rules_(rules), regimes_(regimes), options_(options), frame_(frame) {
    build_universe(scope, wheres);
    compiled_ = std::make_unique<CompiledRules>(rules_, universe_);
    ctx_ = &compiled_->context();
    collect_breakpoints();
    collect_named_sets();
    collect_country_classes(scope, wheres);
    build_sides(scope, wheres);
  }

  std::vector<GapTable> run(CompareStats& stats) {
    std::vector<GapTable> out;
    for (std::size_t a = 0; a < sides_.size(); ++a) {
      for (std::size_t b = 0; b < sides_.size(); ++b) {
        if (a != b) out.push_back(table(a, b));
      }
    }
    stats.solver_queries = queries_;
    for (const auto& t : out) stats.cells += t.cells.size();
    return out;
  }

 private:
  const RuleBase& rules_;
  const std::vector<Regime>& regimes_;
  const CompareOptions& options_;
  CompareFrame frame_;
  Universe universe_;
  std::unique_ptr<CompiledRules> compiled_;
  z3::context* ctx_ = nullptr;
  std::vector<Side> sides_;
  std::vector<Term> terms_;
  std::map<std::pair<std::size_t, int>, std::size_t> term_index_;  // (atom, side) → term
  std::set<std::size_t> mirrored_vars_;
  std::vector<long long> breakpoints_;
  std::map<std::string, std::vector<int>> named_sets_;  // fact set → country indexes
  // Per country index, the first country no condition tells apart from it (see
  // collect_country_classes); a country any condition names is its own class.
  std::vector<int> country_class_;
  std::uint64_t queries_ = 0;

  // ------------------------------------------------------------------ setup
  void build_universe(const std::optional<Expr>& scope,
                      const std::vector<std::optional<Expr>>& wheres) {
    add_rule_base_values(rules_, universe_);
    // Abstract parties, so that "the exporter", "the importer" and "someone else" can differ.
    for (const char* p : {"exporter", "importer", "third_party"}) universe_.add(Domain::kParty, p);
    auto literals = [&](const Expr& e) {
      visit(e, [&](const Expr& x) {
        if (x.op == ExprOp::kStringLit && domain_is_open(x.type.domain))
          universe_.add(x.type.domain, x.text);
      });
    };
    if (scope) literals(*scope);
    for (const auto& w : wheres) {
      if (w) literals(*w);
    }
    for (const auto& r : regimes_) {
      for (const auto& c : r.home) universe_.add(Domain::kCountry, c);
    }
    universe_.seal();
  }

  void collect_breakpoints() {
    std::set<long long> points;
    auto from = [&](const Expr& e) {
      visit(e, [&](const Expr& x) {
        if (x.op == ExprOp::kIntLit || x.op == ExprOp::kDateLit) points.insert(x.number);
      });
    };
    for (const auto& [name, d] : rules_.definitions) from(d->expr);
    for (const Rule* r : rules_.rules) {
      from(r->applies);
      for (const auto& route : r->requires_any) from(route.expr);
    }
    for (const auto& [name, fs] : rules_.facts) {
      for (const auto& e : fs->entries) {
        if (e.when) from(*e.when);
      }
    }
    breakpoints_.assign(points.begin(), points.end());
  }

  void collect_named_sets() {
    for (const auto& [name, fs] : rules_.facts) {
      if (fs->domain != Domain::kCountry) continue;
      std::optional<std::set<int>> members;
      bool nameable = true;
      for (const auto& r : regimes_) {
        std::set<int> at;
        for (const auto& e : fs->entries) {
          if (e.when) nameable = false;
          if (e.valid.contains(r.at))
            at.insert(universe_.index_or_other(Domain::kCountry, e.value));
        }
        if (members && *members != at) nameable = false;
        members = at;
      }
      if (nameable && members && !members->empty())
        named_sets_[name] = std::vector<int>(members->begin(), members->end());
    }
  }
  // Countries that no formula of the comparison tells apart: no rule, definition, fact condition,
  // scope, `--where`, reach entry or home names them, and they belong to the same fact sets over
  // the same intervals (unconditionally). Swapping two such countries everywhere maps every query
  // onto an equisatisfiable one (the background treats every country but `none` alike), so
  // widening a country literal asks about one country per class instead of each country. A
  // country the cube being widened names is asked about on its own (see widen). Tested by
  // CompareCountryClasses in tests/compare_test.cpp, with every table re-checked.
  void collect_country_classes(const std::optional<Expr>& scope,
                               const std::vector<std::optional<Expr>>& wheres) {
    std::set<std::string> named;
    auto literals = [&](const Expr& e) {
      visit(e, [&](const Expr& x) {
        if (x.op == ExprOp::kStringLit && x.type.domain == Domain::kCountry) named.insert(x.text);
      });
    };
    for (const auto& [name, d] : rules_.definitions) literals(d->expr);
    for (const Rule* r : rules_.rules) {
      literals(r->applies);
      for (const auto& route : r->requires_any) literals(route.expr);
    }
    for (const auto& reach : rules_.reach) {
      named.insert(reach.authority);
      named.insert(reach.control_countries.begin(), reach.control_countries.end());
    }
    if (scope) literals(*scope);
    for (const auto& w : wheres) {
      if (w) literals(*w);
    }
    for (const auto& r : regimes_) named.insert(r.home.begin(), r.home.end());
    const auto& countries = universe_.values(Domain::kCountry);
    std::vector<std::string> signature(countries.size());
    std::vector<bool> alone(countries.size(), false);
    for (const auto& [name, fs] : rules_.facts) {
      for (const auto& e : fs->entries) {
        if (e.when) literals(*e.when);
        if (fs->domain != Domain::kCountry) continue;
        const int k = universe_.index_or_other(Domain::kCountry, e.value);
        if (e.when) alone[static_cast<std::size_t>(k)] = true;
        signature[static_cast<std::size_t>(k)] += name + "@" + e.valid.to_string() + ";";
      }
    }
    for (const auto& n : named) {
      if (auto k = universe_.index(Domain::kCountry, n)) alone[static_cast<std::size_t>(*k)] = true;
    }
    alone[static_cast<std::size_t>(universe_.none_index(Domain::kCountry))] = true;
    alone[static_cast<std::size_t>(universe_.index_or_other(Domain::kCountry, kOtherValue))] = true;
    std::map<std::string, int> first;
    country_class_.resize(countries.size());
    for (std::size_t k = 0; k < countries.size(); ++k) {
      const int me = static_cast<int>(k);
      country_class_[k] = alone[k] ? me : first.emplace(signature[k], me).first->second;
    }
  }

  const AtomTable& atoms() const { return compiled_->atoms(); }
  const VarSpec& spec_of(std::size_t atom) const {
    return context_variables()[atoms().var_of(atom)];
  }
  const VarSpec& spec_for(const Term& t) const {
    return t.predicate ? kPredicateSpec : spec_of(t.atom);
  }
  std::size_t var(const std::string& name) const { return *find_variable(name); }
  z3::expr shared(const std::string& name) {
    return compiled_->atom_constant(atoms().scalar(var(name)));
  }
  z3::expr shared_element(const std::string& name, int value) {
    return compiled_->atom_constant(atoms().element(var(name), value));
  }
  static z3::expr on_side(z3::expr e, Side& s) {
    return s.src.empty() ? e : e.substitute(s.src, s.dst);
  }
  int country(const std::string& code) const {
    return universe_.index_or_other(Domain::kCountry, code);
  }

  // What holds of every context the transfer graph can produce (vocabulary, not law).
  z3::expr coherence() {
    z3::context& c = *ctx_;
    z3::expr_vector all(c);
    const z3::expr scc = shared("safeguard.scc");
    const z3::expr module = shared("safeguard.scc_module");
    all.push_back(module >= 0 && module <= 4);
    all.push_back((module == 0) == !scc);
    all.push_back(
        (shared("safeguard.scc_set") ==
         compiled_->enum_constant(Domain::kSccSet, universe_.none_index(Domain::kSccSet))) == !scc);
    all.push_back(z3::implies(shared("safeguard.consent_informed"), shared("safeguard.consent")));
    all.push_back(z3::implies(shared("safeguard.consent_explicit"), shared("safeguard.consent")));
    all.push_back(shared("data.subject_count") >= 0);
    all.push_back(shared("exporter.persons_held") >= 0);
    // Only a public body can be an international organisation (the model loader's XB-MODEL-038).
    all.push_back(z3::implies(
        shared("importer.international_organisation") !=
            compiled_->enum_constant(Domain::kOrganisation,
                                     universe_.none_index(Domain::kOrganisation)),
        shared("importer.kind") ==
            compiled_->enum_constant(Domain::kPartyKind,
                                     *universe_.index(Domain::kPartyKind, "public_body"))));
    all.push_back(
        z3::implies(shared("exporter.party") == shared("importer.party"), shared("same_group")));
    // Rules only compare parties with each other (or name a party of their own), so the parties
    // can be named canonically: the exporter is "exporter", the importer is the exporter itself
    // or "importer", anyone else is "third_party". This keeps renamings out of the table.
    const auto& parties = universe_.values(Domain::kParty);
    auto party_in = [&](const z3::expr& t, std::vector<std::string> names, bool may_be_none) {
      for (const auto& p : parties) {
        if (p != "exporter" && p != "importer" && p != "third_party" && p != kOtherValue &&
            p != kNoneValue)
          names.push_back(p);  // named in a pack
      }
      if (may_be_none) names.emplace_back(kNoneValue);
      z3::expr_vector any(c);
      for (const auto& n : names)
        any.push_back(
            t == compiled_->enum_constant(Domain::kParty, *universe_.index(Domain::kParty, n)));
      return z3::mk_or(any);
    };
    all.push_back(party_in(shared("exporter.party"), {"exporter"}, false));
    all.push_back(party_in(shared("importer.party"), {"exporter", "importer"}, false));
    all.push_back(
        party_in(shared("data.controller"), {"exporter", "importer", "third_party"}, false));
    all.push_back(
        party_in(shared("measures.key_holder"), {"exporter", "importer", "third_party"}, true));
    all.push_back(!shared_element("data.scope", universe_.index_or_other(Domain::kParty, "other")));
    all.push_back(!shared_element("data.scope", universe_.none_index(Domain::kParty)));

    const auto& countries = universe_.values(Domain::kCountry);
    const int none = universe_.none_index(Domain::kCountry);
    for (int k = 0; k < static_cast<int>(countries.size()); ++k) {
      const z3::expr is_k = compiled_->enum_constant(Domain::kCountry, k);
      if (k == none) {
        for (const char* set :
             {"exporter.group_countries", "importer.group_countries", "importer.reach",
              "data.subjects", "data.authorities", "data.visited", "flow.transit_countries",
              "exporter.targets", "importer.nationalities"})
          all.push_back(!shared_element(set, k));
        continue;
      }
      // Territorial reach and the parties' own establishment are always there.
      all.push_back(
          z3::implies(shared("importer.country") == is_k, shared_element("importer.reach", k)));
      all.push_back(
          z3::implies(shared("importer.established") == is_k, shared_element("importer.reach", k)));
      all.push_back(z3::implies(shared("importer.established") == is_k,
                                shared_element("importer.group_countries", k)));
      all.push_back(z3::implies(shared("exporter.established") == is_k,
                                shared_element("exporter.group_countries", k)));
      all.push_back(
          z3::implies(shared("exporter.country") == is_k, shared_element("data.visited", k)));
    }
    return z3::mk_and(all);
  }

  // The exporter of this side: a company at home, its data about people there, nowhere else yet.
  z3::expr home_constraint(Side& s) {
    z3::context& c = *ctx_;
    z3::expr_vector all(c);
    const auto& countries = universe_.values(Domain::kCountry);
    z3::expr where = on_side(shared("exporter.country"), s);
    z3::expr_vector at_home(c);
    for (const auto& h : s.regime->home)
      at_home.push_back(where == compiled_->enum_constant(Domain::kCountry, country(h)));
    all.push_back(at_home.empty() ? c.bool_val(true) : z3::mk_or(at_home));
    all.push_back(on_side(shared("exporter.established"), s) == where);
    all.push_back(shared("exporter.kind") ==
                  compiled_->enum_constant(Domain::kPartyKind,
                                           *universe_.index(Domain::kPartyKind, "company")));
    for (int k = 0; k < static_cast<int>(countries.size()); ++k) {
      const z3::expr here = where == compiled_->enum_constant(Domain::kCountry, k);
      for (const char* set :
           {"exporter.group_countries", "data.subjects", "data.visited", "data.authorities"})
        all.push_back(on_side(shared_element(set, k), s) == here);
    }
    return z3::mk_and(all);
  }

  void mirror_vars_of(const Expr& e) {
    visit(e, [&](const Expr& x) {
      if (x.op == ExprOp::kVar) mirrored_vars_.insert(x.var);
    });
  }

  void build_sides(const std::optional<Expr>& scope,
                   const std::vector<std::optional<Expr>>& wheres) {
    z3::context& c = *ctx_;
    if (frame_ == CompareFrame::kHome) {
      for (const auto& name : kExporterSide) mirrored_vars_.insert(var(name));
    }
    for (const auto& w : wheres) {
      if (w) mirror_vars_of(*w);
    }
    const std::size_t date_atom = atoms().scalar(var("date"));
    std::vector<std::size_t> support;
    z3::expr scope_expr = scope ? compiled_->compile_condition(*scope, support) : c.bool_val(true);
    z3::expr_vector wf(c);
    for (const auto& e : compiled_->well_formedness()) wf.push_back(e);
    const z3::expr common = z3::mk_and(wf) && coherence() && scope_expr;

    std::set<std::size_t> candidate_atoms(support.begin(), support.end());
    for (std::size_t i = 0; i < regimes_.size(); ++i) {
      Side s(c);
      s.regime = &regimes_[i];
      // This side's own copies of the mirrored variables, its date, and every fact in force.
      for (std::size_t atom = 0; atom < atoms().size(); ++atom) {
        if (atom == date_atom) continue;
        if (!mirrored_vars_.count(atoms().var_of(atom))) continue;
        z3::expr original = compiled_->atom_constant(atom);
        s.src.push_back(original);
        s.dst.push_back(
            c.constant(("side" + std::to_string(i) + "!" + atoms().describe(atom)).c_str(),
                       original.get_sort()));
      }
      s.src.push_back(compiled_->atom_constant(date_atom));
      s.dst.push_back(c.int_val(regimes_[i].at.days()));
      for (const auto& guard : compiled_->fact_guards()) {
        s.src.push_back(guard);
        s.dst.push_back(c.bool_val(true));
      }
      // Rules in force at the side's date first, so that a route shared with a rule out of force
      // (the same definition) is named after the one in force.
      std::vector<std::size_t> order;
      for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t k = 0; k < compiled_->rule_count(); ++k) {
          if (compiled_->rule(k).valid.contains(regimes_[i].at) == (pass == 0)) order.push_back(k);
        }
      }
      for (std::size_t k : order) {
        const Rule& rule = compiled_->rule(k);
        if (std::find(s.regime->places.begin(), s.regime->places.end(), rule.place) ==
            s.regime->places.end())
          continue;
        if (options_.basis_only && rule.kind != "basis") continue;
        s.rules.push_back(k);
        const auto& f = compiled_->formulas(k);
        s.applies.push_back(on_side(f.applies, s));
        s.violated.push_back(on_side(f.violated, s));
        std::vector<z3::expr> routes;
        for (const auto& r : f.routes) routes.push_back(on_side(r, s));
        s.routes.push_back(std::move(routes));
        for (std::size_t atom : compiled_->support(k)) candidate_atoms.insert(atom);
      }
      s.background = on_side(common, s);
      if (wheres[i]) {
        std::vector<std::size_t> own;
        s.background = s.background && on_side(compiled_->compile_condition(*wheres[i], own), s);
        candidate_atoms.insert(own.begin(), own.end());
      }
      if (frame_ == CompareFrame::kHome) s.background = s.background && home_constraint(s);
      sides_.push_back(std::move(s));
    }
    // Rule-level predicates of each side: the rule applies; each of its routes holds. A route
    // that is the very same formula as an earlier one (two rules sharing a definition) is
    // named once, after the first rule that has it.
    for (std::size_t i = 0; i < sides_.size(); ++i) {
      const Side& side = sides_[i];
      std::set<unsigned> seen;
      auto add = [&](const z3::expr& e, const std::string& rule, const std::string& route) {
        if (!seen.insert(e.id()).second) return;
        terms_.push_back({e, 0, static_cast<int>(i), true, rule, route});
      };
      for (std::size_t r = 0; r < side.rules.size(); ++r) {
        const Rule& rule = compiled_->rule(side.rules[r]);
        add(side.applies[r], rule.id, "");
        for (std::size_t j = 0; j < side.routes[r].size(); ++j)
          add(side.routes[r][j], rule.id, rule.requires_any[j].id);
      }
    }
    // Candidate terms: every atom a rule or condition looks at, per side where it is mirrored.
    const std::size_t exporter_country = atoms().scalar(var("exporter.country"));
    if (frame_ == CompareFrame::kHome) candidate_atoms.insert(exporter_country);
    for (std::size_t atom : candidate_atoms) {
      if (atom == date_atom) continue;
      if (spec_of(atom).type.kind == VarKind::kSet &&
          atom == atoms().element(atoms().var_of(atom),
                                  universe_.none_index(spec_of(atom).type.domain)))
        continue;  // the `none` element of a set is never there
      if (mirrored_vars_.count(atoms().var_of(atom))) {
        for (std::size_t i = 0; i < sides_.size(); ++i) {
          term_index_[{atom, static_cast<int>(i)}] = terms_.size();
          terms_.push_back({on_side(compiled_->atom_constant(atom), sides_[i]), atom,
                            static_cast<int>(i), false, "", ""});
        }
      } else {
        term_index_[{atom, kShared}] = terms_.size();
        terms_.push_back({compiled_->atom_constant(atom), atom, kShared, false, "", ""});
      }
    }
  }

  // ------------------------------------------------------------------ literals
  z3::expr condition(const Literal& l) {
    z3::context& c = *ctx_;
    const Term& t = terms_[l.term];
    const auto& spec = spec_for(t);
    switch (spec.type.kind) {
      case VarKind::kBool:
      case VarKind::kSet:
        return l.truth ? t.e : !t.e;
      case VarKind::kEnum: {
        z3::expr_vector any(c);
        for (int v : l.values) any.push_back(t.e == compiled_->enum_constant(spec.type.domain, v));
        return z3::mk_or(any);
      }
      case VarKind::kInt:
      case VarKind::kDate: {
        z3::expr out = c.bool_val(true);
        if (l.low) out = out && t.e >= c.int_val(static_cast<int64_t>(*l.low));
        if (l.high) out = out && t.e <= c.int_val(static_cast<int64_t>(*l.high));
        return out;
      }
    }
    return c.bool_val(true);
  }

  Literal literal_from(const z3::model& m, std::size_t term) {
    const Term& t = terms_[term];
    const auto& spec = spec_for(t);
    Literal l;
    l.term = term;
    z3::expr v = m.eval(t.e, true);
    switch (spec.type.kind) {
      case VarKind::kBool:
      case VarKind::kSet:
        l.truth = v.is_true();
        break;
      case VarKind::kEnum: {
        std::string name = v.decl().name().str();
        name = name.substr(name.find('!') + 1);
        l.values = {*universe_.index(spec.type.domain, name)};
        break;
      }
      case VarKind::kInt:
      case VarKind::kDate: {
        long long n = v.get_numeral_int64();
        l.low = n;
        l.high = n;
        break;
      }
    }
    return l;
  }

  std::vector<z3::expr> conditions(const std::vector<Literal>& cube, std::size_t skip) {
    std::vector<z3::expr> out;
    for (std::size_t k = 0; k < cube.size(); ++k) {
      if (k != skip) out.push_back(condition(cube[k]));
    }
    return out;
  }

  // The segments of the integer line on which no rule's comparison changes its value.
  std::vector<std::pair<std::optional<long long>, std::optional<long long>>> segments() const {
    std::vector<std::pair<std::optional<long long>, std::optional<long long>>> out;
    std::optional<long long> low;
    for (long long b : breakpoints_) {
      if (!low || *low <= b - 1) out.push_back({low, b - 1});
      out.push_back({b, b});
      low = b + 1;
    }
    out.push_back({low, std::nullopt});
    return out;
  }

  // The countries the cube's literals other than `skip` name: values of country terms and
  // elements of country sets. The value of the literal widened is not among them: it is known
  // good, and widening asks about every other value.
  std::set<int> countries_named(const std::vector<Literal>& cube, std::size_t skip) const {
    std::set<int> out;
    for (std::size_t i = 0; i < cube.size(); ++i) {
      if (i == skip) continue;
      const Term& t = terms_[cube[i].term];
      if (t.predicate) continue;
      const auto& spec = spec_for(t);
      if (spec.type.domain != Domain::kCountry) continue;
      if (spec.type.kind == VarKind::kEnum) {
        out.insert(cube[i].values.begin(), cube[i].values.end());
      } else if (spec.type.kind == VarKind::kSet) {
        const std::size_t var = atoms().var_of(t.atom);
        out.insert(static_cast<int>(t.atom - atoms().scalar(var)));
      }
    }
    return out;
  }

  // Widens each literal as far as it goes while the cube still implies the gap.
  void widen(std::vector<Literal>& cube, Tracked& not_gap, Tracked& possible) {
    for (std::size_t k = 0; k < cube.size(); ++k) {
      Literal& l = cube[k];
      const auto& spec = spec_for(terms_[l.term]);
      if (spec.type.kind == VarKind::kEnum) {
        const int value = l.values.front();
        const int none = universe_.none_index(spec.type.domain);
        std::vector<int> values{value};
        const auto& all = universe_.values(spec.type.domain);
        // Countries: one question per class of countries nothing tells apart, except those
        // this cube names elsewhere (collect_country_classes).
        const bool by_class = spec.type.domain == Domain::kCountry && !country_class_.empty();
        std::set<int> named_here;
        if (by_class) named_here = countries_named(cube, k);
        std::map<int, bool> class_good;
        for (int w = 0; w < static_cast<int>(all.size()); ++w) {
          if (w == value || (w == none && !spec.optional)) continue;
          const int cls =
              by_class && !named_here.count(w) ? country_class_[static_cast<std::size_t>(w)] : -1;
          if (cls >= 0) {
            if (auto it = class_good.find(cls); it != class_good.end()) {
              if (it->second) values.push_back(w);
              continue;
            }
          }
          Literal probe = l;
          probe.values = {w};
          auto query = conditions(cube, k);
          query.push_back(condition(probe));
          // Good: the cube with this value still implies the gap; kept only if it can happen.
          const bool good = not_gap.check(query) == z3::unsat && possible.check(query) == z3::sat;
          if (good) values.push_back(w);
          if (cls >= 0) class_good.emplace(cls, good);
        }
        std::sort(values.begin(), values.end());
        l.values = values;
      } else if (spec.type.kind == VarKind::kInt || spec.type.kind == VarKind::kDate) {
        const auto segs = segments();
        const long long v = *l.low;
        std::size_t at = 0;
        while (at < segs.size() && segs[at].second && *segs[at].second < v) ++at;
        auto good = [&](std::size_t s) {
          Literal probe = l;
          probe.low = segs[s].first;
          probe.high = segs[s].second;
          auto query = conditions(cube, k);
          query.push_back(condition(probe));
          return not_gap.check(query) == z3::unsat || possible.check(query) == z3::unsat;
        };
        std::size_t lo = at, hi = at;
        while (lo > 0 && good(lo - 1)) --lo;
        while (hi + 1 < segs.size() && good(hi + 1)) ++hi;
        l.low = segs[lo].first;
        l.high = segs[hi].second;
      }
    }
  }

  // A witness inside the cell that leaves everything the cell does not mention at its plainest
  // (false, empty, none, 0), so that a reader sees only what matters.
  z3::model quiet_witness(Tracked& solver, const std::vector<Literal>& cube,
                          const std::vector<std::size_t>& relevant, const z3::model& fallback) {
    std::set<std::size_t> in_cube;
    for (const auto& l : cube) in_cube.insert(l.term);
    std::vector<z3::expr> defaults;
    for (std::size_t t : relevant) {
      if (in_cube.count(t)) continue;
      const auto& spec = spec_for(terms_[t]);
      Literal l;
      l.term = t;
      if (spec.type.kind == VarKind::kBool || spec.type.kind == VarKind::kSet) {
        l.truth = false;
      } else if (spec.type.kind == VarKind::kEnum && spec.optional) {
        l.values = {universe_.none_index(spec.type.domain)};
      } else if (spec.type.kind == VarKind::kInt) {
        l.low = 0;
        l.high = 0;
      } else {
        continue;
      }
      defaults.push_back(condition(l));
    }
    const auto cell = conditions(cube, cube.size());
    // Each round drops the defaults of an unsat core (not minimised: see Tracked).
    for (int round = 0; round < 20; ++round) {
      std::vector<z3::expr> query = cell;
      query.insert(query.end(), defaults.begin(), defaults.end());
      if (solver.check(query) == z3::sat) return solver.model();
      std::set<std::size_t> drop;
      for (std::size_t i : solver.core(query)) {
        if (i >= cell.size()) drop.insert(i - cell.size());
      }
      if (drop.empty()) break;
      std::vector<z3::expr> kept;
      for (std::size_t i = 0; i < defaults.size(); ++i) {
        if (!drop.count(i)) kept.push_back(defaults[i]);
      }
      defaults = std::move(kept);
    }
    return fallback;
  }

  // A later, wider cell may cover earlier ones, alone or together with others: keep an
  // irredundant cover (each cell has flows no other cell has), the union unchanged.
  std::vector<bool> irredundant(const std::vector<std::vector<Literal>>& cubes, Tracked& possible) {
    std::vector<z3::expr> outside;  // ¬cell, per cell
    for (const auto& cube : cubes) {
      z3::expr_vector conj(*ctx_);
      for (const auto& l : cube) conj.push_back(condition(l));
      outside.push_back(conj.empty() ? ctx_->bool_val(false) : !z3::mk_and(conj));
    }
    std::vector<bool> kept(cubes.size(), true);
    // Narrow cells (more conditions) first: they are the likeliest to be covered.
    std::vector<std::size_t> order(cubes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return cubes[x].size() > cubes[y].size();
    });
    for (std::size_t i : order) {
      auto query = conditions(cubes[i], cubes[i].size());
      for (std::size_t j = 0; j < cubes.size(); ++j) {
        if (j != i && kept[j]) query.push_back(outside[j]);
      }
      if (possible.check(query) == z3::unsat) kept[i] = false;
    }
    return kept;
  }

  // Independent re-check of a cover: every cell implies the target (sound) and the cells kept
  // leave no flow of the target out (complete). For tests; a failure is a bug.
  void verify(const z3::expr& background, const z3::expr& target,
              const std::vector<std::vector<Literal>>& cubes, const std::vector<bool>& kept) {
    z3::solver check(*ctx_);
    check.add(background);
    z3::expr_vector none_of(*ctx_);
    for (std::size_t i = 0; i < cubes.size(); ++i) {
      z3::expr_vector conj(*ctx_);
      for (const auto& l : cubes[i]) conj.push_back(condition(l));
      const z3::expr cell = conj.empty() ? ctx_->bool_val(true) : z3::mk_and(conj);
      check.push();
      check.add(cell && !target);
      if (check.check() != z3::unsat) throw std::logic_error("compare: a cell is not sound");
      check.pop();
      if (kept[i]) none_of.push_back(!cell);
    }
    check.add(target);
    if (!none_of.empty()) check.add(z3::mk_and(none_of));
    if (check.check() != z3::unsat) throw std::logic_error("compare: the cells are not complete");
  }

  struct Cover {
    std::vector<std::vector<Literal>> cubes;
    std::vector<z3::model> witnesses;
    bool complete = true;
  };

  // All-SAT with generalisation: every flow of `background ∧ target` lies in some cube over
  // `over`; each cube is a minimal set of the terms' values that implies the target, widened
  // (enum sets, integer ranges) as far as it still does, with a quiet witness inside it.
  Cover cover(const z3::expr& background, const z3::expr& target,
              const std::vector<std::size_t>& over, const std::vector<std::size_t>& quiet_terms,
              std::size_t limit) {
    z3::context& c = *ctx_;
    Tracked region(c, queries_), outside(c, queries_), possible(c, queries_), quiet(c, queries_);
    region.add(background && target);
    quiet.add(background && target);
    outside.add(background && !target);
    possible.add(background);
    Cover out;
    while (true) {
      if (region.check({}) == z3::unsat) break;
      if (out.cubes.size() >= limit) {
        out.complete = false;
        break;
      }
      const z3::model m = region.model();
      std::vector<Literal> cube;
      for (std::size_t t : over) cube.push_back(literal_from(m, t));
      auto query = conditions(cube, cube.size());
      if (outside.check(query) != z3::unsat)
        throw std::logic_error("a comparison witness does not imply its own gap");
      std::vector<Literal> core;
      for (std::size_t i : outside.core(query)) core.push_back(cube[i]);
      // Deletion: a literal whose removal keeps the query unsat goes, and with it every literal
      // outside that query's own core (the literals before k are needed, so they stay in it).
      for (std::size_t k = 0; k < core.size();) {
        const auto without = conditions(core, k);
        if (outside.check(without) == z3::unsat) {
          std::vector<Literal> smaller;
          for (std::size_t i : outside.core(without)) smaller.push_back(core[i < k ? i : i + 1]);
          core = std::move(smaller);
        } else {
          ++k;
        }
      }
      widen(core, outside, possible);
      out.witnesses.push_back(quiet_witness(quiet, core, quiet_terms, m));
      z3::expr_vector conj(c);
      for (const auto& l : core) conj.push_back(condition(l));
      region.add(conj.empty() ? c.bool_val(false) : !z3::mk_and(conj));
      out.cubes.push_back(std::move(core));
      if (out.cubes.back().empty()) break;  // the whole space is one cell
    }
    const auto kept = irredundant(out.cubes, possible);
    if (options_.verify && out.complete) verify(background, target, out.cubes, kept);
    Cover pruned;
    pruned.complete = out.complete;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (!kept[i]) continue;
      pruned.cubes.push_back(std::move(out.cubes[i]));
      pruned.witnesses.push_back(out.witnesses[i]);
    }
    return pruned;
  }

  static void sort_cells(std::vector<GapCell>& cells) {
    std::sort(cells.begin(), cells.end(), [](const GapCell& x, const GapCell& y) {
      auto key = [](const GapCell& g) {
        std::vector<std::string> k;
        for (const auto& cnd : g.conditions) k.push_back(cnd.side + "|" + cnd.text);
        return k;
      };
      return key(x) < key(y);
    });
  }

  // ------------------------------------------------------------------ one table
  // Two levels: classes over the rules' own predicates (which rules apply, which routes hold),
  // compact and readable; and, on request, the flows of each class as cells over the context
  // variables.
  GapTable table(std::size_t a, std::size_t b) {
    z3::context& c = *ctx_;
    Side& allow = sides_[a];
    Side& forbid = sides_[b];
    GapTable out;
    out.allows = a;
    out.forbids = b;
    z3::expr_vector none_violated(c), some_violated(c);
    for (const auto& v : allow.violated) none_violated.push_back(!v);
    for (const auto& v : forbid.violated) some_violated.push_back(v);
    const z3::expr allowed = none_violated.empty() ? c.bool_val(true) : z3::mk_and(none_violated);
    const z3::expr forbidden = some_violated.empty() ? c.bool_val(false) : z3::mk_or(some_violated);
    const z3::expr background = allow.background && forbid.background;
    const z3::expr gap = allowed && forbidden;

    std::vector<std::size_t> variables, predicates;
    for (std::size_t t = 0; t < terms_.size(); ++t) {
      const int side = terms_[t].side;
      const bool ours =
          side == kShared || side == static_cast<int>(a) || side == static_cast<int>(b);
      if (!ours) continue;
      (terms_[t].predicate ? predicates : variables).push_back(t);
    }
    // A class's witness is quiet in the rules' predicates too: no rule or route holds that the
    // class does not name, so that it shows the class's own way through.
    std::vector<std::size_t> quiet_terms = predicates;
    quiet_terms.insert(quiet_terms.end(), variables.begin(), variables.end());
    Cover classes = cover(background, gap, predicates, quiet_terms, options_.max_cells);
    out.complete = classes.complete;
    for (std::size_t k = 0; k < classes.cubes.size(); ++k) {
      GapCell cell = describe(classes.cubes[k], classes.witnesses[k], allow, forbid);
      if (options_.detail) {
        z3::expr_vector conj(c);
        for (const auto& l : classes.cubes[k]) conj.push_back(condition(l));
        const z3::expr inside = conj.empty() ? c.bool_val(true) : z3::mk_and(conj);
        Cover flows = cover(background, inside, variables, variables, options_.max_cells);
        cell.flows_complete = flows.complete;
        for (std::size_t f = 0; f < flows.cubes.size(); ++f)
          cell.flows.push_back(describe(flows.cubes[f], flows.witnesses[f], allow, forbid));
        sort_cells(cell.flows);
      }
      out.cells.push_back(std::move(cell));
    }
    sort_cells(out.cells);
    return out;
  }

  // ------------------------------------------------------------------ rendering
  static std::string quote(const std::string& s) { return "'" + s + "'"; }

  std::string list(Domain d, const std::vector<int>& values) const {
    std::string out = "[";
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (k) out += ", ";
      out += quote(universe_.values(d)[static_cast<std::size_t>(values[k])]);
    }
    return out + "]";
  }

  // Parties are canonical ("exporter", "importer", "third_party"): say it relationally.
  std::string party_text(const std::string& name, const std::vector<int>& values,
                         const std::vector<int>& rest) const {
    const auto& all = universe_.values(Domain::kParty);
    auto says = [&](int v, bool equal) {
      const std::string& p = all[static_cast<std::size_t>(v)];
      const std::string op = equal ? " == " : " != ";
      if (p == "exporter" && name != "exporter.party") return name + op + "exporter.party";
      if (p == "importer" && name == "importer.party")
        return name + (equal ? " != " : " == ") + "exporter.party";
      if (p == "importer") return name + op + "importer.party";
      if (p == "third_party")
        return equal ? name + " is neither party" : name + " is one of the parties";
      return name + op + quote(p);
    };
    std::vector<int> allowed_rest;
    for (int v : rest) {
      const std::string& p = all[static_cast<std::size_t>(v)];
      if (p != kOtherValue && (p != kNoneValue || name == "measures.key_holder"))
        allowed_rest.push_back(v);
    }
    if (values.size() == 1) return says(values[0], true);
    if (allowed_rest.size() == 1) return says(allowed_rest[0], false);
    return name + " in " + list(Domain::kParty, values);
  }

  // A set of countries by the fact sets it leaves out: "importer.country not in
  // fact('eea_members') and importer.country not in ['JP']". Only fact sets whose members are
  // unconditional and the same at every regime's date can be named this way.
  std::string named_complement(const std::string& name, const std::vector<int>& rest) const {
    if (rest.size() < 4) return "";
    std::vector<int> left = rest;
    std::vector<std::string> parts;
    while (true) {
      const std::pair<const std::string, std::vector<int>>* best = nullptr;
      for (const auto& entry : named_sets_) {
        const auto& members = entry.second;
        if (members.size() < 2 ||
            !std::includes(left.begin(), left.end(), members.begin(), members.end()))
          continue;
        if (!best || members.size() > best->second.size()) best = &entry;
      }
      if (!best) break;
      parts.push_back(name + " not in fact(" + quote(best->first) + ")");
      std::vector<int> remaining;
      std::set_difference(left.begin(), left.end(), best->second.begin(), best->second.end(),
                          std::back_inserter(remaining));
      left = std::move(remaining);
    }
    if (parts.empty()) return "";
    if (!left.empty()) {
      parts.push_back(left.size() == 1
                          ? name + " != " + quote(universe_.values(Domain::kCountry)[left[0]])
                          : name + " not in " + list(Domain::kCountry, left));
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " and ") + p;
    return out;
  }

  // "(exporter.country in fact('eea_members') or exporter.country == 'GB')"
  std::string named_superset(const std::string& name, const std::vector<int>& values) const {
    for (const auto& [set, members] : named_sets_) {
      if (members.size() < 2 ||
          !std::includes(values.begin(), values.end(), members.begin(), members.end()))
        continue;
      std::vector<int> extra;
      std::set_difference(values.begin(), values.end(), members.begin(), members.end(),
                          std::back_inserter(extra));
      if (extra.size() > 3) continue;
      std::string out = name + " in fact(" + quote(set) + ")";
      if (extra.empty()) return out;
      return "(" + out + " or " +
             (extra.size() == 1
                  ? name + " == " + quote(universe_.values(Domain::kCountry)[extra[0]])
                  : name + " in " + list(Domain::kCountry, extra)) +
             ")";
    }
    return "";
  }

  std::string number(const VarSpec& spec, long long n) const {
    return spec.type.kind == VarKind::kDate
               ? "date('" + Date::from_days(static_cast<int>(n)).to_string() + "')"
               : std::to_string(n);
  }

  CellCondition render(const Literal& l) const {
    const Term& t = terms_[l.term];
    const auto& spec = spec_for(t);
    CellCondition out;
    out.side = t.side == kShared ? "" : regimes_[static_cast<std::size_t>(t.side)].label;
    out.variable = spec.name;
    if (t.predicate) {
      out.variable = t.rule;
      out.text = t.route.empty() ? t.rule + (l.truth ? " applies" : " does not apply")
                                 : t.rule + " applies and its route `" + t.route + "`" +
                                       (l.truth ? " holds" : " does not hold");
      return out;
    }
    switch (spec.type.kind) {
      case VarKind::kBool:
        out.text = (l.truth ? "" : "not ") + spec.name;
        break;
      case VarKind::kSet: {
        const std::size_t first = atoms().element(atoms().var_of(t.atom), 0);
        const std::string element = universe_.values(spec.type.domain)[t.atom - first];
        out.text = quote(element) + (l.truth ? " in " : " not in ") + spec.name;
        break;
      }
      case VarKind::kEnum: {
        const auto& all = universe_.values(spec.type.domain);
        std::vector<int> rest;
        const int none = universe_.none_index(spec.type.domain);
        for (int w = 0; w < static_cast<int>(all.size()); ++w) {
          if (w == none && !spec.optional) continue;
          if (!std::binary_search(l.values.begin(), l.values.end(), w)) rest.push_back(w);
        }
        if (spec.type.domain == Domain::kParty) {
          out.text = party_text(spec.name, l.values, rest);
        } else if (l.values.size() == 1) {
          out.text = spec.name + " == " + quote(all[static_cast<std::size_t>(l.values[0])]);
        } else if (auto named = named_complement(spec.name, rest); !named.empty()) {
          out.text = named;
        } else if (auto positive = named_superset(spec.name, l.values); !positive.empty()) {
          out.text = positive;
        } else if (rest.size() == 1) {
          out.text = spec.name + " != " + quote(all[static_cast<std::size_t>(rest[0])]);
        } else if (rest.size() <= l.values.size()) {
          out.text = spec.name + " not in " + list(spec.type.domain, rest);
        } else {
          out.text = spec.name + " in " + list(spec.type.domain, l.values);
        }
        break;
      }
      case VarKind::kInt:
      case VarKind::kDate: {
        if (l.low && l.high && *l.low == *l.high) {
          out.text = spec.name + " == " + number(spec, *l.low);
        } else if (l.low && l.high) {
          out.text = spec.name + " >= " + number(spec, *l.low) + " and " + spec.name +
                     " <= " + number(spec, *l.high);
        } else if (l.low) {
          out.text = spec.name + " >= " + number(spec, *l.low);
        } else if (l.high) {
          out.text = spec.name + " <= " + number(spec, *l.high);
        } else {
          out.text = "true";
        }
        break;
      }
    }
    return out;
  }

  std::string value_text(const z3::model& m, const Term& t) const {
    const auto& spec = spec_for(t);
    z3::expr v = m.eval(t.e, true);
    switch (spec.type.kind) {
      case VarKind::kBool:
      case VarKind::kSet:
        return v.is_true() ? "true" : "false";
      case VarKind::kEnum: {
        std::string name = v.decl().name().str();
        return name.substr(name.find('!') + 1);
      }
      case VarKind::kInt:
        return std::to_string(v.get_numeral_int64());
      case VarKind::kDate:
        return Date::from_days(static_cast<int>(v.get_numeral_int64())).to_string();
    }
    return "?";
  }

  CellRule rule_ref(std::size_t k) const {
    const Rule& r = compiled_->rule(k);
    return CellRule{r.id, r.kind, r.title, r.citation, r.place, {}};
  }

  GapCell describe(const std::vector<Literal>& cube, const z3::model& m, const Side& allow,
                   const Side& forbid) {
    GapCell cell;
    // Predicates are told per rule: "JP-APPI-28 applies, without designated_country or …".
    struct RuleState {
      std::optional<bool> applies;
      std::vector<std::string> by, without;
    };
    std::map<std::pair<int, std::string>, RuleState> rules;
    for (const auto& l : cube) {
      const Term& t = terms_[l.term];
      if (!t.predicate) {
        cell.conditions.push_back(render(l));
        continue;
      }
      RuleState& state = rules[{t.side, t.rule}];
      if (t.route.empty()) {
        state.applies = l.truth;
      } else {
        (l.truth ? state.by : state.without).push_back(t.route);
      }
    }
    auto joined = [](const std::vector<std::string>& v, const char* last) {
      std::string out;
      for (std::size_t k = 0; k < v.size(); ++k)
        out += (k == 0 ? "" : (k + 1 == v.size() ? std::string(" ") + last + " " : ", ")) + v[k];
      return out;
    };
    for (const auto& [key, state] : rules) {
      CellCondition c;
      c.side = regimes_[static_cast<std::size_t>(key.first)].label;
      c.variable = key.second;
      if (state.applies && !*state.applies) {
        c.text = key.second + " does not apply";
      } else {
        c.text = key.second + (state.applies ? " applies" : " (where it applies)");
        if (!state.by.empty()) c.text += ", by " + joined(state.by, "and");
        if (!state.without.empty()) c.text += ", without " + joined(state.without, "or");
      }
      cell.conditions.push_back(c);
    }
    std::sort(cell.conditions.begin(), cell.conditions.end(),
              [](const CellCondition& x, const CellCondition& y) {
                return std::tie(x.side, x.variable, x.text) < std::tie(y.side, y.variable, y.text);
              });
    // The witness: every variable the rules look at, sets as their members.
    std::map<std::string, std::string> witness;
    std::map<std::string, std::vector<std::string>> members;
    for (const auto& t : terms_) {
      if (t.predicate) continue;
      if (t.side != kShared && &sides_[static_cast<std::size_t>(t.side)] != &allow &&
          &sides_[static_cast<std::size_t>(t.side)] != &forbid)
        continue;
      const auto& spec = spec_for(t);
      const std::string name =
          (t.side == kShared ? "" : regimes_[static_cast<std::size_t>(t.side)].label + ": ") +
          spec.name;
      if (spec.type.kind == VarKind::kSet) {
        auto& list = members[name];
        if (m.eval(t.e, true).is_true()) {
          const std::size_t first = atoms().element(atoms().var_of(t.atom), 0);
          list.push_back(universe_.values(spec.type.domain)[t.atom - first]);
        }
      } else {
        witness[name] = value_text(m, t);
      }
    }
    for (auto& [name, list] : members) {
      std::string text = "[";
      for (std::size_t k = 0; k < list.size(); ++k) text += (k ? ", " : "") + list[k];
      witness[name] = text + "]";
    }
    cell.witness.assign(witness.begin(), witness.end());
    for (std::size_t i = 0; i < allow.rules.size(); ++i) {
      if (!m.eval(allow.applies[i], true).is_true()) continue;
      CellRule r = rule_ref(allow.rules[i]);
      const Rule& rule = compiled_->rule(allow.rules[i]);
      for (std::size_t j = 0; j < allow.routes[i].size(); ++j) {
        if (m.eval(allow.routes[i][j], true).is_true()) r.routes.push_back(rule.requires_any[j].id);
      }
      cell.allowing.push_back(std::move(r));
    }
    for (std::size_t i = 0; i < forbid.rules.size(); ++i) {
      if (!m.eval(forbid.violated[i], true).is_true()) continue;
      CellRule r = rule_ref(forbid.rules[i]);
      for (const auto& route : compiled_->rule(forbid.rules[i]).requires_any)
        r.routes.push_back(route.id);
      cell.forbidding.push_back(std::move(r));
    }
    return cell;
  }
};

}  // namespace

std::optional<CompareResult> compare_regimes(const RuleBase& rules,
                                             const std::vector<Regime>& regimes,
                                             const CompareOptions& options, Diagnostics& diags) {
  const auto started = std::chrono::steady_clock::now();
  const std::filesystem::path where = "<command line>";
  const std::set<std::string> countries(options.country_codes.begin(), options.country_codes.end());
  if (regimes.size() < 2) {
    diags.error("XB-COMPARE-004", where, "/regimes", "compare needs at least two regimes",
                "e.g. xborder compare EU JP, or EU@2020-07-15 EU@2020-07-17");
    return std::nullopt;
  }
  auto parse = [&](const std::string& text, const std::string& pointer) -> std::optional<Expr> {
    if (text.empty()) return std::nullopt;
    auto parsed = compile_condition(rules, countries, text);
    if (auto* message = std::get_if<std::string>(&parsed)) {
      diags.error("XB-COMPARE-010", where, pointer, "in `" + text + "`: " + *message,
                  "conditions use the rule language of jurisdictions/README.md §4");
      return std::nullopt;
    }
    return std::get<Expr>(std::move(parsed));
  };
  std::optional<Expr> scope = parse(options.scope, "/scope");
  std::vector<std::optional<Expr>> wheres;
  for (std::size_t i = 0; i < regimes.size(); ++i)
    wheres.push_back(parse(regimes[i].where, "/regimes/" + std::to_string(i) + "/where"));
  if (diags.has_errors()) return std::nullopt;

  // Each regime seen from its own home when every regime has one; else the very same flow.
  CompareFrame frame = CompareFrame::kHome;
  if (options.frame) {
    frame = *options.frame;
  } else {
    for (const auto& r : regimes) {
      if (r.home.empty()) frame = CompareFrame::kShared;
    }
  }
  if (frame == CompareFrame::kHome) {
    for (std::size_t i = 0; i < regimes.size(); ++i) {
      if (regimes[i].home.empty()) {
        diags.error(
            "XB-COMPARE-005", where, "/regimes/" + std::to_string(i),
            "regime `" + regimes[i].label + "` has no home country to place its exporter in",
            "give its pack a `place.home` fact set, or compare with --frame shared");
      }
    }
    if (diags.has_errors()) return std::nullopt;
  }

  CompareResult result;
  result.regimes = regimes;
  for (std::size_t i = 0; i < regimes.size(); ++i)
    warn_regime_not_in_force(rules, regimes[i], "/regimes/" + std::to_string(i), result.warnings);
  result.frame = frame;
  result.scope = options.scope;
  Comparer comparer(rules, result.regimes, options, frame, scope, wheres);
  result.tables = comparer.run(result.stats);
  result.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

std::vector<RegimeDisagreement> regime_disagreements(const CheckResult& result,
                                                     const std::vector<Regime>& regimes) {
  auto severity = [](std::optional<Verdict> v) {
    if (!v || *v == Verdict::kCompliant) return 0;
    return *v == Verdict::kUndetermined ? 1 : 2;
  };
  std::map<std::pair<std::string, std::string>, RegimeDisagreement> events;
  for (const auto& f : result.findings) {
    auto& d = events[{f.edge, f.dataset}];
    if (d.verdicts.empty()) {
      d.edge = f.edge;
      d.dataset = f.dataset;
      d.event = f.event;
      d.edge_kind = f.edge_kind;
      d.from_node = f.from_node;
      d.to_node = f.to_node;
      d.from_country = f.from_country;
      d.to_country = f.to_country;
      d.path = f.path;
      for (const auto& r : regimes) d.verdicts.push_back({r.label, std::nullopt, {}});
    }
    for (std::size_t i = 0; i < regimes.size(); ++i) {
      const auto& places = regimes[i].places;
      if (std::find(places.begin(), places.end(), f.place) == places.end()) continue;
      auto& v = d.verdicts[i];
      const std::string line = f.rule_id + ": " + std::string(to_string(f.verdict));
      if (std::find(v.rules.begin(), v.rules.end(), line) == v.rules.end()) v.rules.push_back(line);
      if (!v.verdict || severity(f.verdict) > severity(v.verdict)) v.verdict = f.verdict;
    }
  }
  std::vector<RegimeDisagreement> out;
  for (auto& [key, d] : events) {
    int low = 2, high = 0;
    for (const auto& v : d.verdicts) {
      low = std::min(low, severity(v.verdict));
      high = std::max(high, severity(v.verdict));
    }
    if (low != high) {
      for (auto& v : d.verdicts) std::sort(v.rules.begin(), v.rules.end());
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace xborder
