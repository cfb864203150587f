#include "solver/rule_catalog.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "model/json_reader.hpp"

namespace xborder {

std::vector<CatalogueItem> catalogue(const RuleBase& rules) {
  std::vector<CatalogueItem> out;
  for (const auto& pack : rules.packs) {
    for (const auto& rule : pack.rules) {
      out.push_back({"rule", pack.place.id, rule.id, rule.title.en, rule.citation, rule.valid,
                     rule.pointer, pack.file, rule.disagreements, rule.follows});
    }
    for (const auto& [name, fs] : pack.facts) {
      for (const auto& e : fs.entries) {
        out.push_back({"fact", pack.place.id, name + ":" + e.value, fs.description, e.citation,
                       e.valid, e.pointer, pack.file, e.disagreements, e.follows});
      }
    }
    for (std::size_t k = 0; k < pack.reach.size(); ++k) {
      const auto& r = pack.reach[k];
      const auto it = pack.reach_citations.find(r.id);
      out.push_back({"reach",
                     pack.place.id,
                     r.id,
                     r.label,
                     it == pack.reach_citations.end() ? Citation{} : it->second,
                     r.valid,
                     "/reach/" + std::to_string(k),
                     pack.file,
                     {},
                     ""});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const CatalogueItem& a, const CatalogueItem& b) {
    return std::tie(a.kind, a.place, a.id) < std::tie(b.kind, b.place, b.id);
  });
  return out;
}

std::vector<CatalogueItem> in_force(const RuleBase& rules, Date at) {
  std::vector<CatalogueItem> out;
  for (auto& item : catalogue(rules)) {
    if (item.valid.contains(at)) out.push_back(std::move(item));
  }
  return out;
}

std::vector<CatalogueChange> changes_between(const RuleBase& rules, Date from, Date to) {
  std::vector<CatalogueChange> out;
  for (auto& item : catalogue(rules)) {
    const bool before = item.valid.contains(from);
    const bool after = item.valid.contains(to);
    if (before != after) out.push_back({std::move(item), after});
  }
  return out;
}

namespace {

bool before(const std::optional<Date>& a_end, const std::optional<Date>& b_start) {
  return a_end && b_start && *a_end <= *b_start;
}

void lint_citation(Diagnostics& diags, const std::filesystem::path& file,
                   const std::string& pointer, const std::string& what, const Citation& c,
                   Date today) {
  auto missing = [&](const std::string& part, const std::string& value) {
    if (value.empty()) {
      diags.error("XB-LINT-001", file, pointer + "/citation",
                  what + " has no " + part + " in its citation",
                  "every rule and fact carries instrument, article, source URL and the date it was "
                  "verified");
    }
  };
  missing("instrument", c.instrument);
  missing("article", c.article);
  missing("url", c.url);
  missing("verification date", c.verified);
  if (!c.url.empty() && c.url.rfind("https://", 0) != 0) {
    diags.warning("XB-LINT-002", file, pointer + "/citation/url",
                  what + " cites a source that is not https");
  }
  if (auto d = Date::parse(c.verified); d && *d > today) {
    diags.error("XB-LINT-003", file, pointer + "/citation/verified",
                what + " was verified on " + c.verified + ", which is in the future",
                "record the day the source was checked");
  }
}

// The dates a text gives after "until" ("until 21 March 2024", "until March 21, 2024", "until
// 27 Dec 2022", "until 2024-03-21").
std::vector<Date> until_dates(const std::string& text) {
  static const std::string months = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?";
  static const std::regex day_month(
      "until\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+" + months + "\\s+(\\d{4})",
      std::regex::icase);
  static const std::regex month_day(
      "until\\s+" + months + "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})", std::regex::icase);
  static const std::regex iso("until\\s+(\\d{4}-\\d{2}-\\d{2})", std::regex::icase);
  auto month_number = [](std::string m) {
    static const std::array<const char*, 12> names = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
    for (auto& ch : m) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (unsigned k = 0; k < names.size(); ++k)
      if (m.rfind(names[k], 0) == 0) return k + 1;
    return 0u;
  };
  std::vector<Date> out;
  auto add = [&](int year, unsigned month, unsigned day) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
    if (auto d = Date::parse(buf)) out.push_back(*d);
  };
  for (auto it = std::sregex_iterator(text.begin(), text.end(), day_month);
       it != std::sregex_iterator(); ++it) {
    add(std::stoi((*it)[3].str()), month_number((*it)[2].str()),
        static_cast<unsigned>(std::stoi((*it)[1].str())));
  }
  for (auto it = std::sregex_iterator(text.begin(), text.end(), month_day);
       it != std::sregex_iterator(); ++it) {
    add(std::stoi((*it)[3].str()), month_number((*it)[1].str()),
        static_cast<unsigned>(std::stoi((*it)[2].str())));
  }
  for (auto it = std::sregex_iterator(text.begin(), text.end(), iso); it != std::sregex_iterator();
       ++it) {
    if (auto d = Date::parse((*it)[1].str())) out.push_back(*d);
  }
  return out;
}

// XB-LINT-010: the packs read an instrument's "until D" as D included, so `to` is D + 1. A text
// that says "until D" while `to` is D reads it the other way.
void lint_until(Diagnostics& diags, const std::filesystem::path& file, const std::string& pointer,
                const std::string& what, const Validity& valid,
                const std::vector<const std::string*>& texts) {
  if (!valid.to) return;
  for (const std::string* text : texts) {
    for (const Date d : until_dates(*text)) {
      if (d != *valid.to) continue;
      diags.warning("XB-LINT-010", file, pointer + "/valid/to",
                    what + " ends on " + valid.to->to_string() + " while its source says \"until " +
                        d.to_string() + "\"",
                    "an instrument's \"until D\" includes D: write `to` as the next day and record "
                    "`until` (or, if the source means D excluded, reword the note)");
      return;
    }
  }
}

// XB-LINT-011: a citation naming a provision by the numbering in force from `numbering_from`
// must say, in `by_date`, how it was cited on every earlier day its rule is in force.
void lint_numbering(Diagnostics& diags, const std::filesystem::path& file,
                    const std::string& pointer, const std::string& what, const Validity& valid,
                    const Citation& c) {
  std::vector<const DatedCitation*> dated;
  for (const auto& d : c.by_date) dated.push_back(&d);
  const auto start = [](const DatedCitation* d) {
    return d->valid.from.value_or(Date::from_days(INT32_MIN));
  };
  std::sort(dated.begin(), dated.end(),
            [&](const DatedCitation* a, const DatedCitation* b) { return start(a) < start(b); });
  for (std::size_t k = 1; k < dated.size(); ++k) {
    if (!before(dated[k - 1]->valid.to, dated[k]->valid.from)) {
      diags.error("XB-LINT-011", file, dated[k]->pointer + "/valid",
                  what + " has two citations by date that overlap (" +
                      dated[k - 1]->valid.to_string() + " and " + dated[k]->valid.to_string() + ")",
                  "one provision number per day");
    }
  }
  if (!c.numbering_from || !valid.from || *valid.from >= *c.numbering_from) return;
  Date covered = *valid.from;
  for (const DatedCitation* d : dated) {
    if (start(d) > covered) break;
    covered = d->valid.to ? std::max(covered, *d->valid.to) : *c.numbering_from;
  }
  if (covered < *c.numbering_from) {
    diags.error("XB-LINT-011", file, pointer + "/citation/by_date",
                what + " is in force from " + valid.from->to_string() +
                    " but cites the numbering in force from " + c.numbering_from->to_string() +
                    "; nothing says how the provision was cited from " + covered.to_string(),
                "add a `by_date` entry with the article as numbered at those dates");
  }
}

void lint_disagreements(Diagnostics& diags, const std::filesystem::path& file,
                        const std::string& what, const std::vector<Disagreement>& disagreements,
                        Date today) {
  for (const auto& d : disagreements)
    lint_citation(diags, file, d.pointer, "a source disagreeing with " + what, d.citation, today);
}

}  // namespace

Diagnostics lint_load_errors(const Diagnostics& load) {
  Diagnostics out;
  for (const auto& d : load.items()) {
    const bool vocabulary =
        d.code == "XB-RULES-003" || d.code == "XB-RULES-041" || d.code == "XB-RULES-042";
    if (d.severity != Severity::kError || !vocabulary) {
      out.add(d);
      continue;
    }
    Diagnostic v = d;
    v.code = "XB-LINT-008";
    v.message = "unknown vocabulary: " + d.message;
    v.hint = (d.hint ? *d.hint + "; " : std::string()) + "the loader rejects it as " + d.code;
    out.add(std::move(v));
  }
  return out;
}

Diagnostics lint(const RuleBase& rules, Date today) {
  Diagnostics diags;
  for (const auto& pack : rules.packs) {
    for (const auto& rule : pack.rules) {
      lint_citation(diags, pack.file, rule.pointer, "rule `" + rule.id + "`", rule.citation, today);
      lint_numbering(diags, pack.file, rule.pointer, "rule `" + rule.id + "`", rule.valid,
                     rule.citation);
      lint_disagreements(diags, pack.file, "rule `" + rule.id + "`", rule.disagreements, today);
      for (const auto& route : rule.requires_any) {
        if (route.citation) {
          lint_citation(diags, pack.file, route.pointer, "route `" + route.id + "`",
                        *route.citation, today);
          lint_numbering(diags, pack.file, route.pointer,
                         "route `" + route.id + "` of rule `" + rule.id + "`", rule.valid,
                         *route.citation);
        }
      }
      lint_until(diags, pack.file, rule.pointer, "rule `" + rule.id + "`", rule.valid,
                 {&rule.citation.note, &rule.citation.article});
      if (rule.text.en.empty() || rule.text.ja.empty()) {
        diags.error("XB-LINT-004", pack.file, rule.pointer + "/text",
                    "rule `" + rule.id + "` needs its text in English and Japanese");
      }
    }
    for (const auto& [name, fs] : pack.facts) {
      // One fact = one value of a set under one instrument; its intervals must not overlap.
      std::map<std::pair<std::string, std::string>, std::vector<const FactEntry*>> facts;
      for (const auto& e : fs.entries) {
        lint_citation(diags, pack.file, e.pointer, "fact `" + name + ":" + e.value + "`",
                      e.citation, today);
        lint_disagreements(diags, pack.file, "fact `" + name + ":" + e.value + "`", e.disagreements,
                           today);
        lint_until(diags, pack.file, e.pointer, "fact `" + name + ":" + e.value + "`", e.valid,
                   {&e.note, &e.citation.note, &e.citation.article});
        if (e.confidence == "unverified") {
          diags.warning("XB-LINT-007", pack.file, e.pointer + "/confidence",
                        "fact `" + name + ":" + e.value + "` is marked unverified",
                        e.note.empty() ? std::nullopt : std::optional<std::string>(e.note));
        }
        facts[{e.value, e.citation.instrument}].push_back(&e);
      }
      for (auto& [key, entries] : facts) {
        std::sort(entries.begin(), entries.end(), [](const FactEntry* a, const FactEntry* b) {
          return a->valid.from.value_or(Date::from_days(INT32_MIN)) <
                 b->valid.from.value_or(Date::from_days(INT32_MIN));
        });
        for (std::size_t k = 1; k < entries.size(); ++k) {
          const FactEntry& prev = *entries[k - 1];
          const FactEntry& cur = *entries[k];
          if (!before(prev.valid.to, cur.valid.from)) {
            diags.error("XB-LINT-005", pack.file, cur.pointer + "/valid",
                        "fact `" + name + ":" + key.first + "` overlaps its earlier interval " +
                            prev.valid.to_string() + " under the same instrument",
                        "an interval ends on the first day it no longer holds; the next may start "
                        "that day");
          } else if (*prev.valid.to < *cur.valid.from) {
            diags.error("XB-LINT-006", pack.file, cur.pointer + "/valid",
                        "fact `" + name + ":" + key.first + "` has a gap from " +
                            prev.valid.to->to_string() + " to " + cur.valid.from->to_string() +
                            " under the same instrument",
                        "if the fact really lapsed and came back, say so in a `note` and cite the "
                        "instrument that revived it");
          }
        }
      }
    }
    for (std::size_t k = 0; k < pack.reach.size(); ++k) {
      const auto& r = pack.reach[k];
      const auto it = pack.reach_citations.find(r.id);
      lint_citation(diags, pack.file, "/reach/" + std::to_string(k), "reach `" + r.id + "`",
                    it == pack.reach_citations.end() ? Citation{} : it->second, today);
    }
  }
  return diags;
}

Diagnostics vector_coverage(const RuleBase& rules, const std::filesystem::path& rules_dir) {
  namespace fs = std::filesystem;
  Diagnostics out;
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(rules_dir, ec);
  std::set<fs::path> seen;
  for (const auto& pack : rules.packs) {
    if (pack.rules.empty()) continue;
    const fs::path file = fs::weakly_canonical(pack.file, ec);
    const fs::path rel = file.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") continue;  // not a shipped pack
    const fs::path folder = root / *rel.begin();
    if (!seen.insert(folder).second) continue;
    int official = 0, total = 0;
    if (fs::is_directory(folder / "vectors", ec)) {
      for (const auto& entry : fs::directory_iterator(folder / "vectors", ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        ++total;
        Diagnostics ignored;  // a vector that does not read is the vector test's to report
        auto doc = read_json_file(entry.path(), ignored, "XB-VECTOR");
        if (doc && doc->is_object() && doc->contains("source") && (*doc)["source"].is_object() &&
            (*doc)["source"].value("kind", "") == "official_example")
          ++official;
      }
    }
    if (official < 5) {
      out.warning("XB-LINT-009", pack.file, "",
                  "place `" + pack.place.id + "` has " + std::to_string(official) +
                      " vectors from official examples (of " + std::to_string(total) + " in " +
                      (*rel.begin()).generic_string() + "/vectors/); five are expected",
                  "add vectors that model a regulator's, ministry's or court's own worked "
                  "examples, with `\"kind\": \"official_example\"` (jurisdictions/README.md, "
                  "Regression vectors)");
    }
  }
  return out;
}

}  // namespace xborder
