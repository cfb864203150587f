#include "solver/rule_pack.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "model/json_reader.hpp"

#ifndef XBORDER_SOURCE_DIR
#define XBORDER_SOURCE_DIR "."
#endif

namespace xborder {

std::filesystem::path default_rules_dir() {
  if (const char* env = std::getenv("XBORDER_RULES_DIR"); env && *env) return env;
  return std::filesystem::path(XBORDER_SOURCE_DIR) / "jurisdictions";
}

const Place* RuleBase::place(const std::string& id) const {
  for (const auto& p : packs) {
    if (p.place.id == id) return &p.place;
  }
  return nullptr;
}

std::set<std::string> RuleBase::facts_read_by(const std::string& place_id) const {
  std::set<std::string> found, definitions_seen;
  std::vector<const Expr*> pending;
  for (const Rule* r : rules) {
    if (r->place != place_id) continue;
    pending.push_back(&r->applies);
    for (const auto& route : r->requires_any) pending.push_back(&route.expr);
  }
  while (!pending.empty()) {
    const Expr* e = pending.back();
    pending.pop_back();
    if (e->op == ExprOp::kFact && found.insert(e->text).second) {
      if (auto it = facts.find(e->text); it != facts.end()) {
        for (const auto& entry : it->second->entries) {
          if (entry.when) pending.push_back(&*entry.when);
        }
      }
    } else if (e->op == ExprOp::kDefinition && definitions_seen.insert(e->text).second) {
      if (auto it = definitions.find(e->text); it != definitions.end())
        pending.push_back(&it->second->expr);
    }
    for (const auto& arg : e->args) pending.push_back(&arg);
  }
  return found;
}

const std::vector<std::string>& place_categories() {
  static const std::vector<std::string> categories = {"personal_data", "intellectual_property",
                                                      "export_control", "social_function",
                                                      "organisation"};
  return categories;
}

const Rule* RuleBase::rule(const std::string& id) const {
  for (const Rule* r : rules) {
    if (r->id == id) return r;
  }
  return nullptr;
}

namespace {

class PackReader {
 public:
  PackReader(const std::filesystem::path& file, Diagnostics& diags)
      : ctx_{file, &diags, "XB-RULES"} {}

  std::optional<RulePack> read(const Json& doc) {
    ObjectReader top(doc, "", ctx_);
    if (!top.ok()) return std::nullopt;
    RulePack pack;
    pack.file = ctx_.file;
    if (auto f = top.string("format", true); f && *f != kRulePackFormat) {
      ctx_.error("013", "/format", "unsupported rule pack format `" + *f + "`",
                 std::string("this version reads `") + kRulePackFormat + "`");
    }
    if (const Json* place = top.get("place", true)) read_place(*place, "/place", pack.place);
    if (const Json* facts = top.get("facts", false)) {
      ObjectReader fr(*facts, "/facts", ctx_);
      if (fr.ok()) {
        for (auto it = facts->begin(); it != facts->end(); ++it) {
          fr.get(it.key(), false);
          FactSet fs;
          fs.name = it.key();
          fs.pack = pack.place.id;
          fs.pointer = fr.pointer(it.key());
          if (!is_identifier(fs.name))
            ctx_.error("008", fs.pointer, "`" + fs.name + "` is not a valid fact set name");
          read_fact_set(it.value(), fs);
          pack.facts[fs.name] = std::move(fs);
        }
      }
    }
    if (const Json* defs = top.get("definitions", false)) {
      ObjectReader dr(*defs, "/definitions", ctx_);
      if (dr.ok()) {
        for (auto it = defs->begin(); it != defs->end(); ++it) {
          dr.get(it.key(), false);
          Definition d;
          d.name = it.key();
          d.pack = pack.place.id;
          d.pointer = dr.pointer(it.key());
          if (find_variable(d.name)) {
            ctx_.error("020", d.pointer,
                       "definition `" + d.name + "` hides a context variable of the same name");
          }
          ObjectReader r(it.value(), d.pointer, ctx_);
          if (r.ok()) {
            d.text = r.string("expr", true).value_or("true");
            d.description = read_text(r, "description", false);
            r.finish();
            pack.definitions[d.name] = std::move(d);
          }
        }
      }
    }
    top.array("reach", false,
              [&](const Json& j, const std::string& ptr) { read_reach(j, ptr, pack); });
    top.array("rules", false,
              [&](const Json& j, const std::string& ptr) { read_rule(j, ptr, pack); });
    top.finish();
    return pack;
  }

  Text read_text(ObjectReader& parent, std::string_view key, bool required) {
    Text t;
    const Json* v = parent.get(key, required);
    if (!v) return t;
    ObjectReader r(*v, parent.pointer(key), ctx_);
    t.en = r.string("en", true).value_or("");
    t.ja = r.string("ja", true).value_or("");
    r.finish();
    return t;
  }

  Citation read_citation(ObjectReader& parent, std::string_view key) {
    Citation c;
    const Json* v = parent.get(key, true);
    if (!v) return c;
    ObjectReader r(*v, parent.pointer(key), ctx_);
    c.instrument = r.string("instrument", true).value_or("");
    c.article = r.string("article", true).value_or("");
    c.url = r.string("url", true).value_or("");
    if (auto d = r.date("verified", true)) c.verified = d->to_string();
    c.note = r.string("note", false).value_or("");
    if (r.has("numbering_from")) c.numbering_from = r.date("numbering_from", false);
    r.array("by_date", false, [&](const Json& dj, const std::string& dptr) {
      ObjectReader dr(dj, dptr, ctx_);
      if (!dr.ok()) return;
      DatedCitation d;
      d.pointer = dptr;
      d.valid = read_validity(dr, "valid", true);
      d.instrument = dr.string("instrument", false).value_or("");
      d.article = dr.string("article", true).value_or("");
      d.note = dr.string("note", false).value_or("");
      dr.finish();
      c.by_date.push_back(std::move(d));
    });
    r.finish();
    if (!c.url.empty() && c.url.rfind("https://", 0) != 0 && c.url.rfind("http://", 0) != 0) {
      ctx_.error("021", r.pointer("url"), "the source URL must start with https:// or http://");
    }
    return c;
  }

  // `"sources_disagree": [{"citation": {…}, "says": "…"}]` with `"follows": "…"`: both or neither.
  void read_disagreements(ObjectReader& parent, std::vector<Disagreement>& out,
                          std::string& follows) {
    const bool listed = parent.has("sources_disagree");
    if (listed) {
      parent.array("sources_disagree", true, [&](const Json& dj, const std::string& dptr) {
        ObjectReader r(dj, dptr, ctx_);
        if (!r.ok()) return;
        Disagreement d;
        d.pointer = dptr;
        d.citation = read_citation(r, "citation");
        d.says = r.string("says", true).value_or("");
        if (r.finish()) {
          if (d.says.empty()) {
            ctx_.error("024", r.pointer("says"), "`says` is empty",
                       "say in a sentence what this source says that the followed one does not");
          }
          out.push_back(std::move(d));
        }
      });
      if (out.empty()) {
        ctx_.error("024", parent.pointer("sources_disagree"), "`sources_disagree` lists no source",
                   "list each disagreeing source with its citation and what it says, or drop the "
                   "key");
      }
    }
    follows = parent.string("follows", listed).value_or("");
    if (!listed && parent.has("follows")) {
      ctx_.error("024", parent.pointer("follows"), "`follows` without `sources_disagree`",
                 "`follows` says which of several disagreeing sources the pack follows; list the "
                 "others under `sources_disagree`");
    } else if (listed && follows.empty() && parent.has("follows")) {
      ctx_.error("024", parent.pointer("follows"), "`follows` is empty",
                 "say which source the pack follows and why");
    }
  }

  Validity read_validity(ObjectReader& parent, std::string_view key, bool required) {
    Validity v;
    const Json* j = parent.get(key, required);
    if (!j) return v;
    ObjectReader r(*j, parent.pointer(key), ctx_);
    v.from = r.date("from", true);
    if (const Json* to = r.get("to", true); to && !to->is_null()) v.to = r.date("to", true);
    // `until`: the last day in force as the instrument words it ("until D", D included). The
    // packs read such an "until" inclusively, so `to` must be the next day.
    const std::optional<Date> until = r.has("until") ? r.date("until", false) : std::nullopt;
    r.finish();
    if (until && (!v.to || v.to->days() != until->days() + 1)) {
      ctx_.error(
          "025", r.pointer("until"),
          "`until` " + until->to_string() + " is the last day in force, so `to` must be " +
              Date::from_days(until->days() + 1).to_string(),
          "an instrument's \"until D\" includes D; `to` is the first day no longer in force");
    }
    if (v.from && v.to && *v.to <= *v.from) {
      ctx_.error("022", r.pointer("to"),
                 "validity ends on or before it starts (" + v.to_string() + ")",
                 "`to` is the first day the fact no longer holds, or null while it is in force");
    }
    return v;
  }

 private:
  void read_place(const Json& j, const std::string& ptr, Place& place) {
    ObjectReader r(j, ptr, ctx_);
    place.id = r.identifier("id", true).value_or("");
    place.name = read_text(r, "name", true);
    place.category = r.one_of("category", true, place_categories(), "place category").value_or("");
    place.jurisdiction = r.string("jurisdiction", true).value_or("");
    place.description = r.string("description", false).value_or("");
    place.home = r.string("home", false).value_or("");
    r.finish();
  }

  void read_fact_set(const Json& j, FactSet& fs) {
    ObjectReader r(j, fs.pointer, ctx_);
    if (!r.ok()) return;
    std::vector<std::string> domains;
    for (int k = 1; k < static_cast<int>(enum_count<Domain>()); ++k)
      domains.emplace_back(domain_name(static_cast<Domain>(k)));
    if (auto of = r.one_of("of", true, domains, "domain")) fs.domain = *parse_domain(*of);
    fs.description = r.string("description", true).value_or("");
    r.array("entries", true, [&](const Json& ej, const std::string& eptr) {
      ObjectReader er(ej, eptr, ctx_);
      FactEntry e;
      e.pointer = eptr;
      e.value = er.string("value", true).value_or("");
      e.valid = read_validity(er, "valid", true);
      e.when_text = er.string("when", false).value_or("");
      e.citation = read_citation(er, "citation");
      e.note = er.string("note", false).value_or("");
      e.confidence = er.one_of("confidence", false, {"verified", "unverified"}, "confidence")
                         .value_or("verified");
      er.string("condition_note", false);
      read_disagreements(er, e.disagreements, e.follows);
      if (er.finish()) fs.entries.push_back(std::move(e));
    });
    r.finish();
  }

  void read_reach(const Json& j, const std::string& ptr, RulePack& pack) {
    ObjectReader r(j, ptr, ctx_);
    if (!r.ok()) return;
    ReachDeclaration d;
    d.id = r.identifier("id", true).value_or("");
    d.authority = r.string("authority", true).value_or("");
    d.control_countries = r.strings("control_countries", true);
    d.tiers = r.enumerations<Tier>("tiers", false);
    d.valid = read_validity(r, "valid", true);
    Text text = read_text(r, "text", true);
    Citation c = read_citation(r, "citation");
    d.label = c.label();
    r.finish();
    pack.reach_citations[d.id] = c;
    pack.reach.push_back(std::move(d));
    (void)text;
  }

  void read_rule(const Json& j, const std::string& ptr, RulePack& pack) {
    ObjectReader r(j, ptr, ctx_);
    if (!r.ok()) return;
    Rule rule;
    rule.pointer = ptr;
    rule.file = ctx_.file;
    rule.place = pack.place.id;
    rule.id = r.identifier("id", true).value_or("");
    rule.title = read_text(r, "title", true);
    rule.text = read_text(r, "text", true);
    rule.citation = read_citation(r, "citation");
    rule.valid = read_validity(r, "valid", true);
    rule.kind = r.one_of("kind", false, {"basis", "duty"}, "rule kind").value_or("duty");
    read_disagreements(r, rule.disagreements, rule.follows);
    rule.applies_text = r.string("applies", true).value_or("true");
    if (const Json* req = r.get("requires", true)) {
      if (req->is_string()) {
        Route route;
        route.id = "requirement";
        route.text = req->get<std::string>();
        route.pointer = r.pointer("requires");
        route.title = rule.title;
        rule.requires_any.push_back(std::move(route));
      } else if (req->is_array()) {
        r.array("requires", true, [&](const Json& rj, const std::string& rptr) {
          ObjectReader rr(rj, rptr, ctx_);
          Route route;
          route.pointer = rptr;
          route.id = rr.identifier("id", true).value_or("");
          route.title = read_text(rr, "title", true);
          route.text = rr.string("expr", true).value_or("true");
          if (rr.has("citation")) route.citation = read_citation(rr, "citation");
          if (rr.finish()) rule.requires_any.push_back(std::move(route));
        });
        if (rule.requires_any.empty()) {
          ctx_.error("023", r.pointer("requires"), "`requires` lists no route",
                     "give at least one way to comply, or `\"requires\": \"false\"`");
        }
      } else {
        ctx_.error("006", r.pointer("requires"),
                   "`requires` must be an expression or a list of routes");
      }
    }
    r.finish();
    pack.rules.push_back(std::move(rule));
  }

  ReadContext ctx_;
};

}  // namespace

ExprEnvironment expression_environment(const RuleBase& base,
                                       const std::set<std::string>& countries) {
  ExprEnvironment env;
  env.fact_domain = [&base](const std::string& name) -> std::optional<Domain> {
    auto it = base.facts.find(name);
    if (it == base.facts.end()) return std::nullopt;
    return it->second->domain;
  };
  env.is_definition = [&base](const std::string& name) { return base.definitions.count(name) > 0; };
  env.names = [&base]() {
    std::vector<std::string> out;
    for (const auto& [name, d] : base.definitions) out.push_back(name);
    return out;
  };
  env.check_literal = [&countries](Domain d, const std::string& value) -> std::string {
    if (d == Domain::kCountry && !countries.empty() && !countries.count(value) &&
        value != kNoneValue) {
      if (value == "UK")
        return "unknown country code `UK`: the ISO code of the United Kingdom is `GB`";
      return "unknown country code `" + value + "` (ISO 3166-1 alpha-2 expected)";
    }
    return "";
  };
  return env;
}

std::variant<Expr, std::string> compile_condition(const RuleBase& base,
                                                  const std::set<std::string>& countries,
                                                  std::string_view text) {
  auto parsed = parse_expression(text);
  if (auto* err = std::get_if<ExprError>(&parsed)) {
    return "syntax error at column " + std::to_string(err->column) + ": " + err->message + "\n  " +
           caret_excerpt(text, err->column);
  }
  Expr out = std::get<Expr>(std::move(parsed));
  if (auto err = check_expression(out, expression_environment(base, countries))) {
    return err->message + " (column " + std::to_string(err->column) + ")" +
           (err->hint.empty() ? std::string() : "; " + err->hint) + "\n  " +
           caret_excerpt(text, err->column);
  }
  return out;
}

namespace {

// The packs of one directory, recursively, sorted by path. Test vectors and schemas live beside
// the packs but are not packs; nor are the examples of the shipped rules directory.
std::vector<std::filesystem::path> pack_files(const std::filesystem::path& dir,
                                              bool skip_examples) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    const auto rel = std::filesystem::relative(entry.path(), dir).generic_string();
    if (rel.find("vectors/") != std::string::npos || rel.find("schema") != std::string::npos)
      continue;
    if (skip_examples && rel.rfind("examples/", 0) == 0) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

namespace {

constexpr std::size_t kMaxReferenceDepth = 32;

// Where a definition or fact set is declared, for diagnostics.
std::pair<std::filesystem::path, std::string> declared_at(const RuleBase& base,
                                                          const std::string& node) {
  const bool fact = node.rfind("fact('", 0) == 0;
  const std::string name = fact ? node.substr(6, node.size() - 8) : node;
  std::string pack, pointer;
  if (fact) {
    if (auto it = base.facts.find(name); it != base.facts.end()) {
      pack = it->second->pack;
      pointer = it->second->pointer;
    }
  } else if (auto it = base.definitions.find(name); it != base.definitions.end()) {
    pack = it->second->pack;
    pointer = it->second->pointer;
  }
  for (const auto& p : base.packs) {
    if (p.place.id == pack) return {p.file, pointer};
  }
  return {{}, pointer};
}

void check_references(const RuleBase& base, Diagnostics& diags) {
  // Nodes: a definition by its name, a fact set as fact('name'); edges: what each one reads.
  auto reads = [&](const std::string& node) {
    std::vector<std::string> out;
    auto from = [&](const Expr& expr) {
      visit(expr, [&](const Expr& e) {
        if (e.op == ExprOp::kDefinition) out.push_back(e.text);
        if (e.op == ExprOp::kFact) out.push_back("fact('" + e.text + "')");
      });
    };
    if (node.rfind("fact('", 0) == 0) {
      if (auto it = base.facts.find(node.substr(6, node.size() - 8)); it != base.facts.end()) {
        for (const auto& entry : it->second->entries) {
          if (entry.when) from(*entry.when);
        }
      }
    } else if (auto it = base.definitions.find(node); it != base.definitions.end()) {
      from(it->second->expr);
    }
    return out;
  };
  std::map<std::string, int> state;  // 1 visiting, 2 done
  bool stop = false;                 // after a chain too deep: one error is enough
  std::function<void(const std::string&, std::vector<std::string>&)> walk =
      [&](const std::string& node, std::vector<std::string>& stack) {
        if (stop || state[node] == 2) return;
        if (state[node] == 1) {
          std::string cycle;
          for (auto it = std::find(stack.begin(), stack.end(), node); it != stack.end(); ++it)
            cycle += *it + " → ";
          const auto [file, pointer] = declared_at(base, node);
          diags.error("XB-RULES-043", file, pointer,
                      "definitions and fact conditions form a cycle: " + cycle + node);
          return;
        }
        if (stack.size() >= kMaxReferenceDepth) {
          const auto [file, pointer] = declared_at(base, stack.front());
          diags.error("XB-RULES-044", file, pointer,
                      "definitions refer to each other more than " +
                          std::to_string(kMaxReferenceDepth) + " levels deep: " + stack.front() +
                          " → " + stack[1] + " → … → " + node,
                      "flatten the chain of definitions");
          stop = true;
          return;
        }
        state[node] = 1;
        stack.push_back(node);
        for (const auto& next : reads(node)) walk(next, stack);
        stack.pop_back();
        state[node] = 2;
      };
  for (const auto& [name, d] : base.definitions) {
    std::vector<std::string> stack;
    walk(name, stack);
  }
  for (const auto& [name, fs] : base.facts) {
    std::vector<std::string> stack;
    walk("fact('" + name + "')", stack);
  }
  if (diags.has_errors()) return;
  // No cycle and a bounded depth: which definitions read a fact set, memoised.
  std::map<std::string, bool> reads_fact;
  std::function<bool(const std::string&)> reaches_fact = [&](const std::string& node) {
    if (node.rfind("fact('", 0) == 0) return true;
    if (auto it = reads_fact.find(node); it != reads_fact.end()) return it->second;
    bool found = false;
    for (const auto& next : reads(node)) found = found || reaches_fact(next);
    reads_fact[node] = found;
    return found;
  };
  for (const auto& pack : base.packs) {
    for (const auto& [name, fs] : pack.facts) {
      for (const auto& entry : fs.entries) {
        if (!entry.when) continue;
        bool found = false;
        // A plain list (a fact set none of whose entries has a condition) compiles to a flat
        // disjunction, so reading one cannot make conditions grow.
        visit(*entry.when, [&](const Expr& e) {
          if (e.op == ExprOp::kFact) {
            auto it = base.facts.find(e.text);
            found = found || it == base.facts.end() ||
                    std::any_of(it->second->entries.begin(), it->second->entries.end(),
                                [](const FactEntry& x) { return x.when.has_value(); });
          }
          if (e.op == ExprOp::kDefinition && reaches_fact(e.text)) found = true;
        });
        if (found) {
          diags.error("XB-RULES-045", pack.file, entry.pointer + "/when",
                      "the condition of a fact entry reads a fact set with conditions of its own, "
                      "or a definition that reads a fact set",
                      "a `when` may test the event's context and plain fact lists (entries "
                      "without `when`)");
        }
      }
    }
  }
}

}  // namespace

RuleLoadResult load_rule_base(const std::filesystem::path& dir,
                              const std::vector<std::string>& country_codes,
                              const std::vector<std::string>& only,
                              const std::vector<std::filesystem::path>& policies) {
  RuleLoadResult result;
  Diagnostics& diags = result.diagnostics;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    // The operating system's reason, which a person can act on: missing, not a directory, or
    // not searchable.
    std::error_code status_error;
    const bool exists = std::filesystem::exists(dir, status_error);
    const std::string reason =
        status_error ? status_error.message()
        : exists     ? std::string("not a directory")
                     : std::make_error_code(std::errc::no_such_file_or_directory).message();
    diags.error("XB-RULES-001", dir, "", "cannot read the rule directory: " + reason,
                "pass --rules DIR with the rule packs");
    return result;
  }
  std::vector<std::filesystem::path> files = pack_files(dir, true);
  if (files.empty()) {
    diags.error("XB-RULES-001", dir, "", "no rule packs (*.json) in this directory");
    return result;
  }
  // The organisation's own packs (--policies FILE|DIR), after the shipped ones; a file met twice
  // is read once.
  std::set<std::filesystem::path> seen;
  for (const auto& f : files) seen.insert(std::filesystem::weakly_canonical(f, ec));
  for (const auto& p : policies) {
    std::vector<std::filesystem::path> more;
    if (std::filesystem::is_directory(p, ec)) {
      more = pack_files(p, false);
      if (more.empty())
        diags.error("XB-RULES-001", p, "", "no policy packs (*.json) in this directory");
    } else if (std::filesystem::exists(p, ec)) {
      more.push_back(p);  // the reader refuses, with the reason, what is not a regular file
    } else {
      diags.error("XB-RULES-001", p, "",
                  "cannot read the policy pack or directory: " +
                      (ec ? ec.message()
                          : std::make_error_code(std::errc::no_such_file_or_directory).message()),
                  "pass --policies FILE.json or --policies DIR with your organisation's packs");
    }
    for (const auto& f : more) {
      if (seen.insert(std::filesystem::weakly_canonical(f, ec)).second) files.push_back(f);
    }
  }
  RuleBase base;
  // Every place read, kept or not: the hint for an unknown `only` id names them (the kept ones
  // alone would leave "expected one of" empty when nothing matched).
  std::vector<std::string> place_ids;
  for (const auto& file : files) {
    auto doc = read_json_file(file, diags, "XB-RULES");
    if (!doc) continue;
    PackReader reader(file, diags);
    auto pack = reader.read(*doc);
    if (!pack) continue;
    place_ids.push_back(pack->place.id);
    if (!only.empty() && std::find(only.begin(), only.end(), pack->place.id) == only.end())
      continue;
    base.packs.push_back(std::move(*pack));
  }
  if (!only.empty()) {
    for (const auto& id : only) {
      if (!base.place(id)) {
        // `jp` for the places of Japan: name those (jp-appi, jp-fefta), not the first dozen.
        std::vector<std::string> of_prefix;
        for (const auto& p : place_ids)
          if (p.starts_with(id + "-")) of_prefix.push_back(p);
        diags.error("XB-RULES-002", dir, "", "no rule pack for place `" + id + "`",
                    suggestion_hint(id, of_prefix.empty() ? place_ids : of_prefix));
      }
    }
  }
  // Index shared names, reporting duplicates with both locations.
  std::map<std::string, std::string> place_files;
  std::set<std::string> rule_ids;
  for (auto& pack : base.packs) {
    if (auto [it, fresh] = place_files.emplace(pack.place.id, pack.file.generic_string()); !fresh) {
      diags.error("XB-RULES-030", pack.file, "/place/id",
                  "place `" + pack.place.id + "` is also declared in " + it->second);
    }
    for (auto& [name, fs] : pack.facts) {
      if (base.facts.count(name)) {
        diags.error("XB-RULES-031", pack.file, fs.pointer,
                    "fact set `" + name + "` is declared twice",
                    "also in place `" + base.facts[name]->pack + "`");
      }
      base.facts[name] = &fs;
    }
    for (auto& [name, d] : pack.definitions) {
      if (base.definitions.count(name)) {
        diags.error("XB-RULES-031", pack.file, d.pointer,
                    "definition `" + name + "` is declared twice",
                    "also in place `" + base.definitions[name]->pack + "`");
      }
      base.definitions[name] = &d;
    }
    for (auto& rule : pack.rules) {
      if (!rule_ids.insert(rule.id).second) {
        diags.error("XB-RULES-032", pack.file, rule.pointer + "/id",
                    "rule id `" + rule.id + "` is used twice");
      }
      base.rules.push_back(&rule);
    }
    for (const auto& reach : pack.reach) base.reach.push_back(reach);
  }
  for (const auto& pack : base.packs) {
    if (pack.place.home.empty()) continue;
    auto it = base.facts.find(pack.place.home);
    if (it == base.facts.end() || it->second->domain != Domain::kCountry) {
      std::vector<std::string> names;
      for (const auto& [name, fs] : base.facts) {
        if (fs->domain == Domain::kCountry) names.push_back(name);
      }
      diags.error("XB-RULES-033", pack.file, "/place/home",
                  "`home` names `" + pack.place.home + "`, which is not a fact set of countries",
                  suggestion_hint(pack.place.home, names));
    }
  }

  // Parse and type-check every expression now, so nothing fails half-way through a check.
  const std::set<std::string> countries(country_codes.begin(), country_codes.end());
  const ExprEnvironment env = expression_environment(base, countries);
  auto compile = [&](const std::filesystem::path& file, const std::string& pointer,
                     const std::string& text, Expr& out) {
    auto parsed = parse_expression(text);
    if (auto* err = std::get_if<ExprError>(&parsed)) {
      diags.error("XB-RULES-040", file, pointer,
                  "syntax error at column " + std::to_string(err->column) + ": " + err->message,
                  err->hint.empty() ? caret_excerpt(text, err->column)
                                    : err->hint + "\n  " + caret_excerpt(text, err->column));
      return;
    }
    out = std::get<Expr>(std::move(parsed));
    if (auto err = check_expression(out, env)) {
      diags.error("XB-RULES-041", file, pointer,
                  err->message + " (column " + std::to_string(err->column) + ")",
                  (err->hint.empty() ? std::string() : err->hint + "\n  ") +
                      caret_excerpt(text, err->column));
    }
  };
  for (auto& pack : base.packs) {
    for (auto& [name, d] : pack.definitions)
      compile(pack.file, d.pointer + "/expr", d.text, d.expr);
    for (auto& [name, fs] : pack.facts) {
      for (auto& e : fs.entries) {
        if (fs.domain == Domain::kCountry) {
          if (auto msg = env.check_literal(Domain::kCountry, e.value); !msg.empty()) {
            diags.error("XB-RULES-042", pack.file, e.pointer + "/value", msg);
          }
        } else if (!domain_is_open(fs.domain)) {
          const auto& values = fixed_domain_values(fs.domain);
          if (std::find(values.begin(), values.end(), e.value) == values.end()) {
            diags.error("XB-RULES-042", pack.file, e.pointer + "/value",
                        "`" + e.value + "` is not a " + std::string(domain_name(fs.domain)),
                        suggestion_hint(e.value, values));
          }
        }
        if (!e.when_text.empty()) {
          Expr w;
          compile(pack.file, e.pointer + "/when", e.when_text, w);
          e.when = std::move(w);
        }
      }
    }
    for (const auto& reach : pack.reach) {
      for (const auto& c : reach.control_countries) {
        if (auto msg = env.check_literal(Domain::kCountry, c); !msg.empty())
          diags.error("XB-RULES-042", pack.file, "/reach", msg);
      }
      if (auto msg = env.check_literal(Domain::kCountry, reach.authority); !msg.empty())
        diags.error("XB-RULES-042", pack.file, "/reach", msg);
    }
    for (auto& rule : pack.rules) {
      compile(pack.file, rule.pointer + "/applies", rule.applies_text, rule.applies);
      for (auto& route : rule.requires_any) {
        compile(pack.file, route.pointer + (route.id == "requirement" ? "" : "/expr"), route.text,
                route.expr);
      }
    }
  }
  // Definitions may use each other and fact sets, and a fact entry's `when` may use definitions,
  // but not in a cycle (XB-RULES-043), not in a chain deeper than kMaxReferenceDepth
  // (XB-RULES-044: the compilers inline definitions recursively), and a `when` reads only plain
  // fact lists (XB-RULES-045: each use of a fact set compiles its conditions again, so conditions
  // that read conditional fact sets could grow exponentially).
  if (!diags.has_errors()) check_references(base, diags);
  if (!diags.has_errors()) result.rules = std::move(base);
  return result;
}

void warn_places_not_in_force(const RuleBase& rules, Date at, Diagnostics& out) {
  for (const auto& pack : rules.packs) {
    std::optional<Date> first, next, last_end;
    bool in_force = false;
    for (const auto& rule : pack.rules) {
      if (rule.valid.contains(at)) in_force = true;
      if (rule.valid.from && (!first || *rule.valid.from < *first)) first = rule.valid.from;
      if (rule.valid.from && at < *rule.valid.from && (!next || *rule.valid.from < *next))
        next = rule.valid.from;
      if (rule.valid.to && !(at < *rule.valid.to) && (!last_end || *last_end < *rule.valid.to))
        last_end = rule.valid.to;
    }
    // A regime whose rules have all lapsed (the Directive after the GDPR) is silent as expected.
    if (in_force || !next) continue;
    const std::string hint =
        last_end && first && !(at < *first)
            ? "its rules lapsed on " + last_end->to_string() + " and start again on " +
                  next->to_string()
            : "its rules start on " + next->to_string() +
                  "; what applied before, if anything, is in jurisdictions/README.md §7.1";
    out.warning("XB-CHECK-003", pack.file, "/place",
                "place `" + pack.place.id + "` (" + pack.place.name.en +
                    ") has no rule in force on " + at.to_string() +
                    ": it checks nothing at this date",
                hint);
  }
}

}  // namespace xborder
