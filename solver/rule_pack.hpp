// Rule packs: one file per place (場) — a jurisdiction, a contract or an internal policy —
// holding facts with validity intervals, definitions, reach declarations and rules, each with
// its citation. Loaded and validated here; compiled to Z3 by the rule compiler.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/date.hpp"
#include "model/diagnostic.hpp"
#include "model/transfer_graph.hpp"
#include "solver/expr.hpp"

namespace xborder {

inline constexpr const char* kRulePackFormat = "xborder-rules/1";

// How a provision was cited during an earlier interval (before a renumbering): `by_date` in a
// citation. Empty `instrument` keeps the citation's own.
struct DatedCitation {
  Validity valid;
  std::string instrument;
  std::string article;
  std::string note;
  std::string pointer;
};

struct Citation {
  std::string instrument;  // "Regulation (EU) 2016/679 (GDPR)"
  std::string article;     // "Art. 44"
  std::string url;
  std::string verified;  // YYYY-MM-DD the source was last checked
  std::string note;
  // The day from which `article` carries the number it is cited by (`numbering_from`), and the
  // citations in force before (`by_date`); `rules lint` checks that they cover the rule's interval.
  std::optional<Date> numbering_from;
  std::vector<DatedCitation> by_date;
  [[nodiscard]] std::string label() const {
    return instrument + (article.empty() ? "" : ", " + article);
  }
  // The citation as it reads at `at`: the `by_date` variant in force then, or this one.
  [[nodiscard]] Citation at(Date at) const {
    for (const auto& d : by_date) {
      if (!d.valid.contains(at)) continue;
      Citation c = *this;
      if (!d.instrument.empty()) c.instrument = d.instrument;
      c.article = d.article;
      if (!d.note.empty()) c.note = d.note + (note.empty() ? "" : " " + note);
      c.by_date.clear();
      return c;
    }
    return *this;
  }
};

struct Text {
  std::string en;
  std::string ja;
};

// A source that says something else than the one an entry or rule follows (another date, another
// number, another reading). Recorded beside the entry with `follows`, which says which one the pack
// follows and why; shown by `xborder rules list` and linted like any citation.
struct Disagreement {
  Citation citation;
  std::string says;  // what this source says, in a sentence
  std::string pointer;
};

struct FactEntry {
  std::string value;
  Validity valid;
  std::optional<Expr> when;  // further condition (e.g. the importer is DPF-certified)
  std::string when_text;
  Citation citation;
  std::string note;
  std::string confidence;  // "verified" (default) or "unverified" while a source is missing
  std::vector<Disagreement> disagreements;  // `sources_disagree`
  std::string follows;                      // which source the entry follows, and why
  std::string pointer;
};

struct FactSet {
  std::string name;
  Domain domain = Domain::kCountry;
  std::string description;
  std::vector<FactEntry> entries;
  std::string pack;  // place id of the declaring pack
  std::string pointer;
};

struct Definition {
  std::string name;
  Expr expr;
  std::string text;  // the source
  Text description;
  std::string pack;
  std::string pointer;
};

struct Route {
  std::string id;
  Text title;
  Expr expr;
  std::string text;
  std::optional<Citation> citation;
  std::string pointer;
};

struct Rule {
  std::string id;
  Text title;
  Text text;
  Citation citation;
  Validity valid;
  Expr applies;
  std::string applies_text;
  std::vector<Route> requires_any;  // the rule holds when any route holds
  // "basis": the rule decides whether the data may go there at all, and its routes are the
  // transfer mechanisms (adequacy, SCCs, consent…); "duty": an obligation added on top of a basis
  // (SCC module, TIA, periodic checks). Registers list the mechanisms of basis rules.
  std::string kind = "duty";
  std::vector<Disagreement> disagreements;  // `sources_disagree`
  std::string follows;                      // which source the rule follows, and why
  std::string place;                        // place id of the pack
  std::string pointer;
  std::filesystem::path file;
};

struct Place {
  std::string id;
  Text name;
  std::string category;  // personal_data | intellectual_property | export_control | social_function
                         // | organisation
  std::string jurisdiction;  // "EU", "JP", "US", or an organisation's name
  std::string description;
  // The countries where the regime is at home, as a fact set of countries ("eea_members"); when
  // empty and the jurisdiction is a country code, that country. Used by `compare`.
  std::string home;
};

// The place categories a pack may declare (`place.category`).
const std::vector<std::string>& place_categories();

struct RulePack {
  std::filesystem::path file;
  Place place;
  std::map<std::string, FactSet> facts;
  std::map<std::string, Definition> definitions;
  std::vector<ReachDeclaration> reach;
  std::map<std::string, Citation> reach_citations;
  std::vector<Rule> rules;
};

// All packs of a directory (recursively, `*.json`, sorted by path), resolved together: fact
// sets and definitions are shared between packs, so a contract pack can use `fact('eea')`.
struct RuleBase {
  RuleBase() = default;
  RuleBase(RuleBase&&) = default;
  RuleBase& operator=(RuleBase&&) = default;
  RuleBase(const RuleBase&) = delete;  // the indexes below point into `packs`
  RuleBase& operator=(const RuleBase&) = delete;

  std::vector<RulePack> packs;
  std::map<std::string, const FactSet*> facts;
  std::map<std::string, const Definition*> definitions;
  std::vector<const Rule*> rules;
  std::vector<ReachDeclaration> reach;
  [[nodiscard]] const Place* place(const std::string& id) const;
  [[nodiscard]] const Rule* rule(const std::string& id) const;
  // The fact sets the rules of a place read, directly or through definitions and the conditions
  // of fact entries; an edit of any other fact cannot change that place's verdicts.
  [[nodiscard]] std::set<std::string> facts_read_by(const std::string& place_id) const;
};

struct RuleLoadResult {
  std::optional<RuleBase> rules;
  Diagnostics diagnostics;
};

// `only`: place ids to keep (empty keeps all). Countries are checked against `country_codes`.
// `policies`: the user's own packs (files, or directories read like `dir`), loaded after the
// packs of `dir` and sharing their facts and definitions. `dir/examples/` is never loaded.
RuleLoadResult load_rule_base(const std::filesystem::path& dir,
                              const std::vector<std::string>& country_codes,
                              const std::vector<std::string>& only = {},
                              const std::vector<std::filesystem::path>& policies = {});
std::filesystem::path default_rules_dir();

// Warning XB-CHECK-003 for each place none of whose rules is in force at `at` while some start
// later (a check at a date before its law, or in a gap): such a place checks nothing there, and the
// output says so rather than reading as "nothing wrong". Places without rules (reach only) and
// places whose rules have all lapsed (a repealed regime such as the Directive) are not named.
void warn_places_not_in_force(const RuleBase& rules, Date at, Diagnostics& out);

// What an expression may refer to in this rule base, for conditions written outside packs (such
// as `compare --scope`). Both arguments must outlive the result; empty `countries` accepts any
// code.
ExprEnvironment expression_environment(const RuleBase& base,
                                       const std::set<std::string>& countries);
// Parses and type-checks a condition against the rule base: the expression, or an error message
// with the column and a caret excerpt.
std::variant<Expr, std::string> compile_condition(const RuleBase& base,
                                                  const std::set<std::string>& countries,
                                                  std::string_view text);

}  // namespace xborder
