#include "scenarios/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "model/model_loader.hpp"

namespace xborder {
namespace {

std::vector<std::string> ids_of(const Json& doc, const char* array) {
  std::vector<std::string> out;
  if (!doc.contains(array) || !doc[array].is_array()) return out;
  for (const auto& item : doc[array]) {
    if (item.is_object() && item.contains("id") && item["id"].is_string())
      out.push_back(item["id"].get<std::string>());
  }
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Regions used by the systems of a model document, sorted.
std::vector<std::string> used_regions(const Json& doc) {
  std::set<std::string> out;
  if (doc.contains("systems") && doc["systems"].is_array()) {
    for (const auto& s : doc["systems"]) {
      if (!s.is_object() || !s.contains("regions") || !s["regions"].is_array()) continue;
      for (const auto& r : s["regions"]) {
        if (r.is_object() && r.contains("location") && r["location"].is_string())
          out.insert(r["location"].get<std::string>());
      }
    }
  }
  return {out.begin(), out.end()};
}

bool placed_in(const Json& doc, const std::string& system, const std::string& location) {
  if (!doc.contains("systems") || !doc["systems"].is_array()) return false;
  for (const auto& s : doc["systems"]) {
    if (!s.is_object() || !s.contains("id") || s["id"] != system || !s.contains("regions") ||
        !s["regions"].is_array())
      continue;
    for (const auto& r : s["regions"]) {
      if (r.is_object() && r.contains("location") && r["location"] == location) return true;
    }
  }
  return false;
}

std::string role_of(const Json& placement) {
  if (placement.contains("role") && placement["role"].is_string())
    return placement["role"].get<std::string>();
  return "primary";
}

void apply_failover(const Edit& e, Json& doc,
                    std::vector<std::pair<std::string, std::string>>& origins) {
  if (!doc.contains("systems") || !doc["systems"].is_array()) return;
  auto& systems = doc["systems"];
  // Systems hosted on a moving system move with it (the loader requires a hosted system to be in
  // its host's regions): the outage cascades up the tiers.
  std::set<std::string> moving(e.systems.begin(), e.systems.end());
  for (bool grew = !moving.empty(); grew;) {
    grew = false;
    for (const auto& s : systems) {
      if (s.is_object() && s.contains("runs_on") && s["runs_on"].is_string() &&
          moving.count(s["runs_on"].get<std::string>()))
        grew |= moving.insert(s.value("id", "")).second;
    }
  }
  for (std::size_t i = 0; i < systems.size(); ++i) {
    Json& s = systems[i];
    if (!s.is_object() || !s.contains("regions") || !s["regions"].is_array()) continue;
    const std::string id = s.value("id", "");
    if (!e.systems.empty() && !moving.count(id)) continue;
    Json& regions = s["regions"];
    std::optional<std::size_t> hit;
    for (std::size_t k = 0; k < regions.size(); ++k) {
      if (regions[k].is_object() && regions[k].value("location", "") == e.region) hit = k;
    }
    if (!hit) continue;
    const std::string ptr = "/systems/" + std::to_string(i) + "/regions/" + std::to_string(*hit);
    if (e.to) {
      regions[*hit]["location"] = *e.to;
      origins.emplace_back(ptr + "/location", e.pointer + "/to");
      continue;
    }
    // The system's failover placement takes over the role of the failed one.
    std::optional<std::size_t> failover;
    for (std::size_t k = 0; k < regions.size(); ++k) {
      if (regions[k].is_object() && role_of(regions[k]) == "failover") failover = k;
    }
    if (!failover) continue;  // no failover region: the data stays where it was
    regions[*failover]["role"] = role_of(regions[*hit]);
    // A region's safeguards cover copies into it; once it is primary, data arrives there by the
    // flows and hosting that carry their own.
    if (role_of(regions[*failover]) == "primary") regions[*failover].erase("safeguards");
    regions.erase(*hit);
  }
}

// Parties whose parent chain contains `root` (the root included).
std::set<std::string> group_of(const Json& doc, const std::string& root, bool subsidiaries) {
  std::set<std::string> out{root};
  if (!subsidiaries || !doc.contains("parties") || !doc["parties"].is_array()) return out;
  std::map<std::string, std::string> parent;
  for (const auto& p : doc["parties"]) {
    if (p.is_object() && p.contains("id") && p.contains("parent") && p["parent"].is_string())
      parent[p["id"].get<std::string>()] = p["parent"].get<std::string>();
  }
  for (const auto& [id, first] : parent) {
    std::string cur = first;
    for (std::size_t guard = 0; guard <= parent.size(); ++guard) {  // cycles are the loader's
      if (cur == root) {
        out.insert(id);
        break;
      }
      auto it = parent.find(cur);
      if (it == parent.end()) break;
      cur = it->second;
    }
  }
  return out;
}

void apply_edit(const Edit& e, Json& doc,
                std::vector<std::pair<std::string, std::string>>& origins) {
  switch (e.kind) {
    case EditKind::kRegionFailover:
      apply_failover(e, doc, origins);
      return;
    case EditKind::kAdd:
      for (const char* array : {"parties", "locations", "systems", "datasets", "flows"}) {
        if (!e.fragment.contains(array)) continue;
        if (!doc.contains(array) || !doc[array].is_array()) doc[array] = Json::array();
        const auto& items = e.fragment[array];
        for (std::size_t k = 0; k < items.size(); ++k) {
          origins.emplace_back("/" + std::string(array) + "/" + std::to_string(doc[array].size()),
                               e.pointer + "/fragment/" + array + "/" + std::to_string(k));
          doc[array].push_back(items[k]);
        }
      }
      return;
    case EditKind::kAddSafeguard: {
      auto& flows = doc["flows"];
      for (std::size_t i = 0; i < flows.size(); ++i) {
        if (flows[i].value("id", "") != e.flow) continue;
        if (!flows[i].contains("safeguards") || !flows[i]["safeguards"].is_array())
          flows[i]["safeguards"] = Json::array();
        if (e.replaces) {
          Json kept = Json::array();
          for (const auto& g : flows[i]["safeguards"]) {
            if (!(g.is_object() && g.value("type", "") == *e.replaces)) kept.push_back(g);
          }
          flows[i]["safeguards"] = kept;
        }
        origins.emplace_back("/flows/" + std::to_string(i) + "/safeguards/" +
                                 std::to_string(flows[i]["safeguards"].size()),
                             e.pointer + "/safeguard");
        flows[i]["safeguards"].push_back(e.fragment);
      }
      return;
    }
    case EditKind::kCertificationEnds:
    case EditKind::kCertificationStarts: {
      const bool ends = e.kind == EditKind::kCertificationEnds;
      const auto group = group_of(doc, e.party, ends && e.subsidiaries);
      for (auto& p : doc["parties"]) {
        if (!p.is_object() || !group.count(p.value("id", ""))) continue;
        if (!p.contains("certifications") || !p["certifications"].is_array())
          p["certifications"] = Json::array();
        Json kept = Json::array();
        for (const auto& c : p["certifications"]) {
          if (!(c.is_object() && c.value("scheme", "") == e.scheme)) kept.push_back(c);
        }
        if (!ends) kept.push_back(Json{{"scheme", e.scheme}});
        p["certifications"] = kept;
      }
      return;
    }
    case EditKind::kFactEnds:
    case EditKind::kFactStarts:
      return;  // rule-base edits
  }
}

bool is_rule_edit(EditKind k) {
  return k == EditKind::kFactEnds || k == EditKind::kFactStarts;
}

class ScenarioReader {
 public:
  ScenarioReader(const std::filesystem::path& file, const ReferenceData& ref, const RuleBase& rules,
                 Diagnostics& diags)
      : ctx_{file, &diags, "XB-SIM"}, ref_(ref), rules_(rules) {}

  std::optional<Scenario> read(const Json& doc);

 private:
  std::optional<Edit> read_edit(ObjectReader& parent);
  std::optional<double> positive_number(ObjectReader& r, std::string_view key, bool required);
  void check_references();
  void check_edit(const Edit& e, const Json& all_applied);
  void warn_if_no_place_reads(const Edit& e);
  void load_edited(std::uint64_t active, const std::string& what);

  ReadContext ctx_;
  const ReferenceData& ref_;
  const RuleBase& rules_;
  Scenario s_;
};

std::optional<double> ScenarioReader::positive_number(ObjectReader& r, std::string_view key,
                                                      bool required) {
  const Json* v = r.get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    ctx_.error("006", r.pointer(key), "expected a number, found " + json_type_name(*v));
    return std::nullopt;
  }
  const double x = v->get<double>();
  if (!(x > 0) || !std::isfinite(x)) {
    ctx_.error("023", r.pointer(key), "`" + std::string(key) + "` must be a positive number",
               "a rate is events per year, e.g. 0.1 for once in ten years");
    return std::nullopt;
  }
  return x;
}

std::optional<Edit> ScenarioReader::read_edit(ObjectReader& parent) {
  const Json* node = parent.get("event", true);
  if (!node) return std::nullopt;
  ObjectReader r(*node, parent.pointer("event"), ctx_);
  if (!r.ok()) return std::nullopt;
  Edit e;
  e.pointer = r.pointer();
  auto kind = r.enumeration<EditKind>("type", true);
  if (!kind) {
    // Report unknown keys anyway, but nothing else can be read without the type.
    return std::nullopt;
  }
  e.kind = *kind;
  e.note = r.string("note", false).value_or("");
  switch (e.kind) {
    case EditKind::kRegionFailover:
      e.region = r.string("region", true).value_or("");
      e.to = r.string("to", false);
      e.systems = r.strings("systems", false);
      break;
    case EditKind::kAdd: {
      const Json* f = r.get("fragment", true);
      if (f) {
        ObjectReader fr(*f, r.pointer("fragment"), ctx_);
        if (fr.ok()) {
          for (const char* array : {"parties", "locations", "systems", "datasets", "flows"}) {
            const Json* items = fr.get(array, false);
            if (!items) continue;
            if (!items->is_array()) {
              ctx_.error("006", fr.pointer(array),
                         "expected an array, found " + json_type_name(*items));
              continue;
            }
            e.fragment[array] = *items;
          }
          fr.finish();
          if (e.fragment.is_null() || e.fragment.empty())
            ctx_.error("005", r.pointer("fragment"), "the fragment adds nothing",
                       "give `parties`, `locations`, `systems`, `datasets` or `flows`");
        }
      }
      break;
    }
    case EditKind::kAddSafeguard:
      e.flow = r.string("flow", true).value_or("");
      if (auto t = r.enumeration<SafeguardType>("replaces", false))
        e.replaces = std::string(to_string(*t));
      if (const Json* g = r.get("safeguard", true)) {
        if (!g->is_object())
          ctx_.error("004", r.pointer("safeguard"),
                     "expected an object, found " + json_type_name(*g));
        else
          e.fragment = *g;
      }
      break;
    case EditKind::kFactEnds:
    case EditKind::kFactStarts:
      e.fact = r.string("fact", true).value_or("");
      e.value = r.string("value", true).value_or("");
      break;
    case EditKind::kCertificationEnds:
    case EditKind::kCertificationStarts:
      e.party = r.string("party", true).value_or("");
      e.scheme = r.one_of("scheme", true,
                          std::vector<std::string>(kCertificationSchemes.begin(),
                                                   kCertificationSchemes.end()),
                          "certification scheme")
                     .value_or("");
      if (e.kind == EditKind::kCertificationEnds)
        e.subsidiaries = r.boolean("subsidiaries", false).value_or(false);
      break;
  }
  r.finish();
  return e;
}

std::optional<Scenario> ScenarioReader::read(const Json& doc) {
  ObjectReader top(doc, "", ctx_);
  if (!top.ok()) return std::nullopt;
  s_.file = ctx_.file;
  if (auto format = top.string("format", true); format && *format != kScenarioFormat) {
    ctx_.error("013", "/format", "unsupported scenario format `" + *format + "`",
               std::string("this version reads `") + kScenarioFormat + "`");
  }
  s_.name = top.string("name", true).value_or("");
  s_.description = top.string("description", false).value_or("");
  top.string("note", false);
  if (auto model = top.string("model", true)) {
    s_.model_file = ctx_.file.parent_path() / *model;
    if (!std::filesystem::exists(s_.model_file)) {
      ctx_.error("020", "/model", "model file `" + *model + "` not found",
                 "give the base model's path relative to the scenario file");
    }
  }
  auto start = top.date("start", true);
  if (start) s_.start = *start;
  if (auto horizon = top.string("horizon", true); horizon && start) {
    if (auto end = add_horizon(*start, *horizon)) {
      s_.end = *end;
    } else {
      ctx_.error("021", "/horizon", "not a horizon: `" + *horizon + "`",
                 "write a number and a unit: `5y`, `18m` or `365d`");
    }
  }
  s_.places = top.strings("places", false);
  std::set<std::string> ids;
  auto check_id = [&](const std::string& id, const std::string& ptr) {
    if (!ids.insert(id).second) ctx_.error("024", ptr, "event id `" + id + "` is used twice");
  };
  top.array("timeline", false, [&](const Json& j, const std::string& ptr) {
    ObjectReader r(j, ptr, ctx_);
    if (!r.ok()) return;
    TimelineEvent t;
    t.id = r.identifier("id", true).value_or("");
    if (!t.id.empty()) check_id(t.id, r.pointer("id"));
    auto at = r.date("at", true);
    t.until = r.date("until", false);
    if (at) t.at = *at;
    if (at && t.until && *t.until <= *at)
      ctx_.error("022", r.pointer("until"), "`until` must be after `at`",
                 "the event is active on [at, until)");
    t.description = r.string("description", false).value_or("");
    auto edit = read_edit(r);
    r.finish();
    if (edit && at) {
      t.edit = std::move(*edit);
      s_.timeline.push_back(std::move(t));
    }
  });
  top.array("stochastic", false, [&](const Json& j, const std::string& ptr) {
    ObjectReader r(j, ptr, ctx_);
    if (!r.ok()) return;
    StochasticEvent st;
    st.id = r.identifier("id", true).value_or("");
    if (!st.id.empty()) check_id(st.id, r.pointer("id"));
    st.description = r.string("description", false).value_or("");
    const bool has_rate = r.has("rate_per_year");
    const bool has_p = r.has("probability_per_year");
    if (has_rate == has_p) {
      ctx_.error("005", ptr, "give exactly one of `rate_per_year` and `probability_per_year`",
                 "`rate_per_year`: the hazard; `probability_per_year`: chance of at least one "
                 "occurrence in a year");
    } else if (has_rate) {
      st.rate = positive_number(r, "rate_per_year", true).value_or(0);
    } else if (auto p = positive_number(r, "probability_per_year", true)) {
      if (*p >= 1) {
        ctx_.error("023", r.pointer("probability_per_year"), "a probability must be below 1");
      } else {
        st.rate = -std::log1p(-*p);
      }
    }
    if (r.has("recovery_per_year")) st.recovery = positive_number(r, "recovery_per_year", true);
    auto edit = read_edit(r);
    r.finish();
    if (edit) {
      st.edit = std::move(*edit);
      s_.stochastic.push_back(std::move(st));
    }
  });
  top.finish();
  if (s_.event_count() > kMaxScenarioEvents) {
    ctx_.error("025", "", "too many events (" + std::to_string(s_.event_count()) + ")",
               "a scenario has at most " + std::to_string(kMaxScenarioEvents) + " events");
  }
  for (const auto& place : s_.places) {
    if (!rules_.place(place)) {
      std::vector<std::string> known;
      for (const auto& p : rules_.packs) known.push_back(p.place.id);
      ctx_.error("033", "/places", "no rule pack for place `" + place + "`",
                 suggestion_hint(place, known));
    }
  }
  if (ctx_.diags->has_errors()) return std::nullopt;
  auto model = read_json_file(s_.model_file, *ctx_.diags, "XB-MODEL");
  if (!model) return std::nullopt;
  s_.model_json = std::move(*model);
  // The base model on its own: its errors are the model file's.
  auto base = load_model_json(s_.model_json, s_.model_file, ref_);
  ctx_.diags->append(base.diagnostics);
  if (!base.model) return std::nullopt;
  check_references();
  if (ctx_.diags->has_errors()) return std::nullopt;
  const std::uint64_t all = (std::uint64_t{1} << s_.event_count()) - 1;
  const std::uint64_t timeline = (std::uint64_t{1} << s_.timeline.size()) - 1;
  load_edited(all, "every event");
  for (std::size_t i = 0; i < s_.stochastic.size() && !ctx_.diags->has_errors(); ++i)
    load_edited(timeline | (std::uint64_t{1} << (s_.timeline.size() + i)), s_.stochastic[i].id);
  if (ctx_.diags->has_errors()) return std::nullopt;
  return std::move(s_);
}

void ScenarioReader::check_references() {
  // Ids are checked against the model with every event applied, so a fragment can add a party
  // that a later event names.
  const std::uint64_t every = (std::uint64_t{1} << s_.event_count()) - 1;
  const Json all = apply_model_edits(s_, every).document;
  // Regions are checked where the systems are before any failover moves them.
  std::uint64_t no_failovers = every;
  for (std::size_t i = 0; i < s_.event_count(); ++i) {
    if (s_.edit(i).kind == EditKind::kRegionFailover) no_failovers &= ~(std::uint64_t{1} << i);
  }
  const Json unmoved = apply_model_edits(s_, no_failovers).document;
  for (std::size_t i = 0; i < s_.event_count(); ++i) {
    check_edit(s_.edit(i), s_.edit(i).kind == EditKind::kRegionFailover ? unmoved : all);
  }
}

void ScenarioReader::check_edit(const Edit& e, const Json& all) {
  const auto parties = ids_of(all, "parties");
  const auto systems = ids_of(all, "systems");
  switch (e.kind) {
    case EditKind::kRegionFailover: {
      const auto regions = used_regions(all);
      if (!contains(regions, e.region)) {
        ctx_.error("031", e.pointer + "/region", "no system is placed in `" + e.region + "`",
                   suggestion_hint(e.region, regions));
        return;
      }
      for (std::size_t k = 0; k < e.systems.size(); ++k) {
        if (!contains(systems, e.systems[k])) {
          ctx_.error("030", e.pointer + "/systems/" + std::to_string(k),
                     "unknown system `" + e.systems[k] + "`",
                     suggestion_hint(e.systems[k], systems));
        } else if (!placed_in(all, e.systems[k], e.region)) {
          // Not an error: a list shared by several events may name systems elsewhere.
          ctx_.diags->warning("XB-SIM-038", ctx_.file, e.pointer + "/systems/" + std::to_string(k),
                              "system `" + e.systems[k] + "` is not placed in `" + e.region +
                                  "`; the failover does not move it",
                              "drop it from `systems`, or check the region");
        }
      }
      if (e.to) return;  // the loader checks the new location
      bool moves = false;
      for (const auto& s : all["systems"]) {
        if (!s.contains("regions") || !s["regions"].is_array()) continue;
        if (!e.systems.empty() && !contains(e.systems, s.value("id", ""))) continue;
        bool in_region = false, has_failover = false;
        for (const auto& r : s["regions"]) {
          in_region |= r.value("location", "") == e.region;
          has_failover |= role_of(r) == "failover";
        }
        moves |= in_region && has_failover;
      }
      if (!moves)
        ctx_.error("037", e.pointer, "no system in `" + e.region + "` has a failover region",
                   "give `to` (the region the systems move to) or declare `failover` regions");
      return;
    }
    case EditKind::kAdd:
      return;  // the loader checks the fragment
    case EditKind::kAddSafeguard: {
      const auto flows = ids_of(all, "flows");
      if (!contains(flows, e.flow))
        ctx_.error("035", e.pointer + "/flow", "unknown flow `" + e.flow + "`",
                   suggestion_hint(e.flow, flows));
      return;
    }
    case EditKind::kFactEnds:
    case EditKind::kFactStarts: {
      auto it = rules_.facts.find(e.fact);
      if (it == rules_.facts.end()) {
        std::vector<std::string> names;
        for (const auto& [name, fs] : rules_.facts) names.push_back(name);
        ctx_.error("033", e.pointer + "/fact", "unknown fact set `" + e.fact + "`",
                   suggestion_hint(e.fact, names));
        return;
      }
      if (e.kind == EditKind::kFactEnds) {
        std::vector<std::string> values;
        for (const auto& entry : it->second->entries) values.push_back(entry.value);
        if (!contains(values, e.value))
          ctx_.error("034", e.pointer + "/value",
                     "fact set `" + e.fact + "` has no entry `" + e.value + "`",
                     suggestion_hint(e.value, values));
      } else if (it->second->domain == Domain::kCountry && !ref_.country(e.value)) {
        ctx_.error("034", e.pointer + "/value", "unknown country code `" + e.value + "`",
                   suggestion_hint(e.value, ref_.country_codes()));
      }
      warn_if_no_place_reads(e);
      return;
    }
    case EditKind::kCertificationEnds:
    case EditKind::kCertificationStarts:
      if (!contains(parties, e.party))
        ctx_.error("032", e.pointer + "/party", "unknown party `" + e.party + "`",
                   suggestion_hint(e.party, parties));
      return;
  }
}

// An edit of a fact that none of the scenario's places reads changes no verdict: almost always a
// scenario that meant another fact set, or forgot a place in `places`.
void ScenarioReader::warn_if_no_place_reads(const Edit& e) {
  std::vector<std::string> in_scope, elsewhere;
  for (const auto& pack : rules_.packs) {
    if (!rules_.facts_read_by(pack.place.id).count(e.fact)) continue;
    const bool used = s_.places.empty() || contains(s_.places, pack.place.id);
    (used ? in_scope : elsewhere).push_back(pack.place.id);
  }
  if (!in_scope.empty()) return;
  std::string readers;
  for (const auto& id : elsewhere) readers += (readers.empty() ? "" : ", ") + id;
  ctx_.diags->warning(
      "XB-SIM-039", ctx_.file, e.pointer + "/fact",
      "no rule of the scenario's places reads fact set `" + e.fact + "`; the event changes nothing",
      elsewhere.empty() ? "no rule of any pack reads it; check the fact set's name"
                        : "it is read by " + readers + "; add one to `places`");
}

// Loads the model with the given events applied; model errors inside the scenario's own
// fragments are reported at their place in the scenario file.
void ScenarioReader::load_edited(std::uint64_t active, const std::string& what) {
  const auto edited = apply_model_edits(s_, active);
  auto loaded = load_model_json(edited.document, s_.model_file, ref_);
  for (Diagnostic d : loaded.diagnostics.items()) {
    std::size_t best = 0;
    const std::pair<std::string, std::string>* origin = nullptr;
    for (const auto& o : edited.origins) {
      const bool under = d.pointer == o.first || d.pointer.rfind(o.first + "/", 0) == 0;
      if (under && o.first.size() >= best) {
        best = o.first.size();
        origin = &o;
      }
    }
    if (origin) {
      d.file = s_.file;
      d.pointer = origin->second + d.pointer.substr(origin->first.size());
    } else if (d.severity == Severity::kError) {
      d.hint = (d.hint ? *d.hint + "; " : std::string()) +
               "this arises when the base model is "
               "edited by the scenario's events (" +
               what + ")";
      d.file = s_.file;
      d.pointer = "";
    }
    if (d.severity == Severity::kError) ctx_.diags->add(std::move(d));
  }
}

}  // namespace

const std::string& Scenario::event_id(std::size_t i) const {
  return i < timeline.size() ? timeline[i].id : stochastic[i - timeline.size()].id;
}

const Edit& Scenario::edit(std::size_t i) const {
  return i < timeline.size() ? timeline[i].edit : stochastic[i - timeline.size()].edit;
}

std::optional<Date> add_horizon(Date start, const std::string& horizon) {
  if (horizon.size() < 2) return std::nullopt;
  const char unit = horizon.back();
  const std::string digits = horizon.substr(0, horizon.size() - 1);
  if (digits.size() > 5 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const int n = std::stoi(digits);
  if (n <= 0) return std::nullopt;
  if (unit == 'd') return Date::from_days(start.days() + n);
  if (unit != 'y' && unit != 'm') return std::nullopt;
  const std::string text = start.to_string();
  int year = std::stoi(text.substr(0, 4));
  int month = std::stoi(text.substr(5, 2));
  unsigned day = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
  int months = unit == 'y' ? 12 * n : n;
  const int total = year * 12 + (month - 1) + months;
  year = total / 12;
  month = total % 12 + 1;
  // Clamp to the month's end (31 Jan + 1m = 28/29 Feb).
  for (; day > 28; --day) {
    const Date d = Date::from_ymd(year, static_cast<unsigned>(month), day);
    if (d.to_string().substr(5, 2) == (month < 10 ? "0" : "") + std::to_string(month)) return d;
  }
  return Date::from_ymd(year, static_cast<unsigned>(month), day);
}

EditedModel apply_model_edits(const Scenario& scenario, std::uint64_t active) {
  EditedModel out{scenario.model_json, {}};
  for (std::size_t i = 0; i < scenario.event_count(); ++i) {
    if (active & (std::uint64_t{1} << i)) apply_edit(scenario.edit(i), out.document, out.origins);
  }
  return out;
}

bool edits_rules(const Scenario& scenario, std::uint64_t active) {
  return (active & rule_edit_events(scenario)) != 0;
}

std::uint64_t rule_edit_events(const Scenario& scenario) {
  std::uint64_t out = 0;
  for (std::size_t i = 0; i < scenario.event_count(); ++i) {
    if (is_rule_edit(scenario.edit(i).kind)) out |= std::uint64_t{1} << i;
  }
  return out;
}

RuleBase apply_rule_edits(const Scenario& scenario, const RuleBase& base, std::uint64_t active) {
  RuleBase out;
  out.packs = base.packs;  // deep copy; the indexes are rebuilt below
  for (std::size_t i = 0; i < scenario.event_count(); ++i) {
    if (!(active & (std::uint64_t{1} << i))) continue;
    const Edit& e = scenario.edit(i);
    if (!is_rule_edit(e.kind)) continue;
    for (auto& pack : out.packs) {
      auto it = pack.facts.find(e.fact);
      if (it == pack.facts.end()) continue;
      auto& entries = it->second.entries;
      if (e.kind == EditKind::kFactEnds) {
        std::erase_if(entries, [&](const FactEntry& f) { return f.value == e.value; });
      } else {
        FactEntry f;
        f.value = e.value;
        f.citation.instrument = "scenario " + scenario.file.filename().string() + ", event `" +
                                scenario.event_id(i) + "`";
        f.note = e.note;
        f.confidence = "unverified";
        f.pointer = e.pointer;
        entries.push_back(std::move(f));
      }
    }
  }
  for (auto& pack : out.packs) {
    for (auto& [name, fs] : pack.facts) out.facts[name] = &fs;
    for (auto& [name, d] : pack.definitions) out.definitions[name] = &d;
    for (auto& rule : pack.rules) out.rules.push_back(&rule);
    for (const auto& reach : pack.reach) out.reach.push_back(reach);
  }
  return out;
}

ScenarioLoadResult load_scenario(const std::filesystem::path& file, const ReferenceData& reference,
                                 const RuleBase& rules) {
  ScenarioLoadResult result;
  auto doc = read_json_file(file, result.diagnostics, "XB-SIM");
  if (!doc) return result;
  ScenarioReader reader(file, reference, rules, result.diagnostics);
  result.scenario = reader.read(*doc);
  if (result.diagnostics.has_errors()) result.scenario.reset();
  return result;
}

}  // namespace xborder
