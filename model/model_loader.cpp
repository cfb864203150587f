#include "model/model_loader.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "model/choices.hpp"

namespace xborder {
namespace {

class ModelReader {
 public:
  ModelReader(const std::filesystem::path& file, const ReferenceData& ref, Diagnostics& diags)
      : ctx_{file, &diags, "XB-MODEL"}, ref_(ref) {}

  std::optional<TransferModel> read(const Json& doc);

 private:
  // --- parsing, one function per kind of object
  void read_party(const Json& j, const std::string& ptr);
  void read_location(const Json& j, const std::string& ptr);
  void read_system(const Json& j, const std::string& ptr);
  void read_dataset(const Json& j, const std::string& ptr);
  void read_flow(const Json& j, const std::string& ptr);
  std::optional<Measures> read_measures(ObjectReader& parent, std::string_view key);
  std::optional<Safeguard> read_safeguard(const Json& j, const std::string& ptr);
  std::vector<Certification> read_certifications(ObjectReader& parent);
  Unknowable<Country> country_or_unknown(ObjectReader& r, std::string_view key, bool required);
  std::optional<Country> country(ObjectReader& r, std::string_view key, bool required);
  bool check_country(const std::string& code, const std::string& ptr);

  // --- cross-reference validation, after everything is parsed
  void resolve();
  void check_party_ref(const Id& id, const std::string& ptr, std::string_view what);
  void check_node_ref(const Id& id, const std::string& ptr, std::string_view what);
  void check_dataset_ref(const Id& id, const std::string& ptr);
  const Location* resolve_location(const Id& id, const std::string& ptr);
  void check_cycles();

  ReadContext ctx_;
  const ReferenceData& ref_;
  TransferModel model_;
  std::map<Id, std::string> ids_;  // party and system ids share one namespace: flows name either
  std::map<Id, Location> locations_;
  std::unordered_set<Id> flow_ids_;  // duplicate flow ids, found in linear time
};

std::optional<Country> ModelReader::country(ObjectReader& r, std::string_view key, bool required) {
  auto code = r.string(key, required);
  if (!code) return std::nullopt;
  if (!check_country(*code, r.pointer(key))) return std::nullopt;
  return code;
}

Unknowable<Country> ModelReader::country_or_unknown(ObjectReader& r, std::string_view key,
                                                    bool required) {
  const Json* v = r.get(key, required);
  if (v && v->is_string() && v->get<std::string>() == "unknown")
    return Unknowable<Country>::unknown();
  if (!v) return Unknowable<Country>::unknown();
  auto c = country(r, key, required);
  return c ? Unknowable<Country>(*c) : Unknowable<Country>::unknown();
}

bool ModelReader::check_country(const std::string& code, const std::string& ptr) {
  if (ref_.country(code)) return true;
  std::string hint = suggestion_hint(code, ref_.country_codes());
  if (code == "UK") hint = "the ISO 3166-1 code of the United Kingdom is `GB`";
  if (code == "EU" || code == "EEA")
    hint = "name a country (ISO 3166-1 alpha-2); groups like the EEA are defined in rule packs";
  ctx_.error("010", ptr, "unknown country code `" + code + "`", hint);
  return false;
}

std::optional<TransferModel> ModelReader::read(const Json& doc) {
  ObjectReader top(doc, "", ctx_);
  if (!top.ok()) return std::nullopt;
  model_.file = ctx_.file;
  if (auto format = top.string("format", true); format && *format != kModelFormat) {
    ctx_.error("013", "/format", "unsupported model format `" + *format + "`",
               std::string("this version reads `") + kModelFormat + "`");
  }
  model_.name = top.string("name", true).value_or("");
  model_.description = top.string("description", false).value_or("");
  // Each array indexed once read, so that lookups by id while reading the next ones and while
  // resolving references are not a scan each (loading was quadratic in the number of parties).
  top.array("parties", true, [&](const Json& j, const std::string& p) { read_party(j, p); });
  model_.reindex();
  top.array("locations", false, [&](const Json& j, const std::string& p) { read_location(j, p); });
  top.array("systems", false, [&](const Json& j, const std::string& p) { read_system(j, p); });
  model_.reindex();
  top.array("datasets", true, [&](const Json& j, const std::string& p) { read_dataset(j, p); });
  model_.reindex();
  top.array("flows", true, [&](const Json& j, const std::string& p) { read_flow(j, p); });
  const Json* choices = top.get("choices", false);  // read by model/choices.cpp, below
  top.finish();
  if (ctx_.diags->has_errors()) return std::nullopt;  // references mean nothing in a broken file
  resolve();
  if (ctx_.diags->has_errors()) return std::nullopt;
  for (auto& [id, loc] : locations_) model_.locations.push_back(loc);
  model_.reindex();
  if (choices) {
    read_choices(doc, model_, ctx_.file, ref_, *ctx_.diags);
    if (ctx_.diags->has_errors()) return std::nullopt;
  }
  return std::move(model_);
}

void ModelReader::read_party(const Json& j, const std::string& ptr) {
  ObjectReader r(j, ptr, ctx_);
  if (!r.ok()) return;
  Party p;
  p.pointer = ptr;
  p.id = r.identifier("id", true).value_or("");
  p.name = r.string("name", false).value_or(p.id);
  p.kind = r.enumeration<PartyKind>("kind", false).value_or(PartyKind::kCompany);
  p.country = country_or_unknown(r, "country", true);
  if (const Json* parent = r.get("parent", false)) {
    if (parent->is_null()) {
      p.parent = std::optional<Id>{};
    } else if (parent->is_string() && parent->get<std::string>() == "unknown") {
      p.parent = Unknowable<std::optional<Id>>::unknown();
    } else if (auto id = r.identifier("parent", false)) {
      p.parent = std::optional<Id>{*id};
    }
  } else {
    p.parent = std::optional<Id>{};
  }
  p.roles = r.enumerations<PartyRole>("roles", false);
  p.certifications = read_certifications(r);
  if (const Json* n = r.get("nationalities", false);
      n && n->is_string() && n->get<std::string>() == "unknown") {
    p.nationalities = Unknowable<std::vector<Country>>::unknown();
  } else if (n) {
    std::vector<Country> list;
    const auto codes = r.strings("nationalities", false);
    for (std::size_t i = 0; i < codes.size(); ++i) {
      if (check_country(codes[i], r.pointer("nationalities") + "/" + std::to_string(i)))
        list.push_back(codes[i]);
    }
    if (list.empty() && codes.empty() && n->is_array()) {
      ctx_.error("036", r.pointer("nationalities"), "`nationalities` is empty",
                 "list at least one country, write \"unknown\", or leave the key out (the "
                 "establishment country is assumed)");
    }
    p.nationalities = list;
  } else if (p.country.known()) {
    p.nationalities = std::vector<Country>{p.country.value()};
  } else {
    p.nationalities = Unknowable<std::vector<Country>>::unknown();
  }
  p.critical_infrastructure = r.tri("critical_infrastructure", false);
  p.protected_by_law = r.tri("protected_by_law", false);
  p.ict_service_provider = r.tri("ict_service_provider", false);
  if (const Json* held = r.get("persons_held", false);
      held && held->is_string() && held->get<std::string>() == "unknown") {
    // unknown, as when the key is left out
  } else if (auto n = r.integer("persons_held", false)) {
    if (*n < 0) {
      ctx_.error("027", r.pointer("persons_held"), "`persons_held` cannot be negative",
                 "give the number of people the party's databases identify, or \"unknown\"");
    } else {
      p.persons_held = *n;
    }
  }
  if (const Json* a = r.get("acts_for", false)) {
    if (a->is_string() && a->get<std::string>() == "unknown") {
      p.acts_for = Unknowable<std::optional<Id>>::unknown();
    } else if (auto id = r.identifier("acts_for", false)) {
      p.acts_for = std::optional<Id>{*id};
    }
  }
  if (const Json* t = r.get("targets", false);
      t && t->is_string() && t->get<std::string>() == "unknown") {
    p.targets = Unknowable<std::vector<Country>>::unknown();
  } else if (t) {
    std::vector<Country> list;
    const auto codes = r.strings("targets", false);
    for (std::size_t i = 0; i < codes.size(); ++i) {
      if (check_country(codes[i], r.pointer("targets") + "/" + std::to_string(i)))
        list.push_back(codes[i]);
    }
    p.targets = list;
  }
  if (auto io = r.string("international_organisation", false)) {
    if (io->empty()) {
      ctx_.error("038", r.pointer("international_organisation"),
                 "`international_organisation` is empty",
                 "give the organisation's code (e.g. \"EPO\"), or leave the key out");
    } else if (p.kind != PartyKind::kPublicBody) {
      ctx_.error("038", r.pointer("international_organisation"),
                 "an international organisation must be of kind `public_body`",
                 "add \"kind\": \"public_body\" to the party");
    }
    p.international_organisation = *io;
  }
  r.string("note", false);
  if (!r.finish()) return;
  if (p.kind == PartyKind::kDataSubjects && !p.certifications.empty()) {
    ctx_.error("021", ptr + "/certifications", "data subjects cannot hold certifications");
  }
  if (ids_.count(p.id)) {
    ctx_.error("014", ptr + "/id", "duplicate id `" + p.id + "`",
               "first declared at " + ids_[p.id]);
    return;
  }
  ids_[p.id] = ptr;
  model_.parties.push_back(std::move(p));
}

std::vector<Certification> ModelReader::read_certifications(ObjectReader& parent) {
  std::vector<Certification> out;
  parent.array("certifications", false, [&](const Json& cj, const std::string& cptr) {
    ObjectReader c(cj, cptr, ctx_);
    Certification cert;
    const std::vector<std::string> schemes(kCertificationSchemes.begin(),
                                           kCertificationSchemes.end());
    cert.scheme = c.one_of("scheme", true, schemes, "certification scheme").value_or("");
    cert.held = c.tri("held", true);
    cert.valid.from = c.date("from", false);
    cert.valid.to = c.date("to", false);
    if (cert.valid.from && cert.valid.to && *cert.valid.to <= *cert.valid.from) {
      ctx_.error("020", cptr + "/to", "certification ends on or before it starts",
                 "`to` is the first day it no longer holds and must come after `from`");
    }
    c.string("note", false);
    if (c.finish()) out.push_back(cert);
  });
  return out;
}

void ModelReader::read_location(const Json& j, const std::string& ptr) {
  ObjectReader r(j, ptr, ctx_);
  Location l;
  l.id = r.identifier("id", true).value_or("");
  l.name = r.string("name", false).value_or(l.id);
  l.country = country(r, "country", true).value_or("");
  r.string("note", false);
  if (!r.finish()) return;
  if (ref_.region(l.id) || l.id.rfind("country:", 0) == 0) {
    ctx_.error("015", ptr + "/id", "location `" + l.id + "` is already defined by the region table",
               "use the shipped region directly, or choose another id");
    return;
  }
  if (locations_.count(l.id)) {
    ctx_.error("014", ptr + "/id", "duplicate location id `" + l.id + "`");
    return;
  }
  locations_[l.id] = l;
}

std::optional<Measures> ModelReader::read_measures(ObjectReader& parent, std::string_view key) {
  const Json* v = parent.get(key, false);
  if (!v) return std::nullopt;
  ObjectReader r(*v, parent.pointer(key), ctx_);
  if (!r.ok()) return std::nullopt;
  Measures m;
  m.encryption_in_transit = r.tri("encryption_in_transit", false);
  m.encryption_at_rest = r.tri("encryption_at_rest", false);
  auto optional_id_or_unknown = [&](std::string_view k) -> Unknowable<std::optional<Id>> {
    const Json* kv = r.get(k, false);
    if (!kv || kv->is_null()) return std::optional<Id>{};
    if (kv->is_string() && kv->get<std::string>() == "unknown")
      return Unknowable<std::optional<Id>>::unknown();
    auto id = r.identifier(k, false);
    return std::optional<Id>{id};
  };
  auto optional_country_or_unknown = [&](std::string_view k) -> Unknowable<std::optional<Country>> {
    const Json* kv = r.get(k, false);
    if (!kv || kv->is_null()) return std::optional<Country>{};
    if (kv->is_string() && kv->get<std::string>() == "unknown")
      return Unknowable<std::optional<Country>>::unknown();
    return std::optional<Country>{country(r, k, false)};
  };
  m.key_holder = optional_id_or_unknown("key_holder");
  m.key_country = optional_country_or_unknown("key_country");
  m.pseudonymised = r.tri("pseudonymised", false);
  m.reid_key_country = optional_country_or_unknown("reid_key_country");
  m.split_processing = r.tri("split_processing", false);
  if (!r.finish()) return std::nullopt;
  const bool keys_named = (m.key_holder.known() && m.key_holder.value()) ||
                          (m.key_country.known() && m.key_country.value());
  if (keys_named && m.encryption_at_rest.known() && !m.encryption_at_rest.value() &&
      m.encryption_in_transit.known() && !m.encryption_in_transit.value()) {
    ctx_.error("022", r.pointer("key_holder"), "encryption keys are named but nothing is encrypted",
               "set `encryption_at_rest` or `encryption_in_transit`, or drop the key fields");
  }
  if (m.reid_key_country.known() && m.reid_key_country.value() && m.pseudonymised.known() &&
      !m.pseudonymised.value()) {
    ctx_.error("022", r.pointer("reid_key_country"),
               "a re-identification key is located but the data is not pseudonymised",
               "set `pseudonymised` to true or drop `reid_key_country`");
  }
  return m;
}

void ModelReader::read_system(const Json& j, const std::string& ptr) {
  ObjectReader r(j, ptr, ctx_);
  if (!r.ok()) return;
  System s;
  s.pointer = ptr;
  s.id = r.identifier("id", true).value_or("");
  s.name = r.string("name", false).value_or(s.id);
  s.tier = r.enumeration<Tier>("tier", true).value_or(Tier::kSaas);
  s.operator_party = r.identifier("operator", true).value_or("");
  s.runs_on = r.identifier("runs_on", false);
  r.array("regions", false, [&](const Json& rj, const std::string& rptr) {
    ObjectReader rr(rj, rptr, ctx_);
    RegionPlacement placement;
    placement.location = rr.identifier("location", true).value_or("");
    placement.role = rr.enumeration<RegionRole>("role", false).value_or(RegionRole::kPrimary);
    rr.array("safeguards", false, [&](const Json& sj, const std::string& sptr) {
      if (auto sg = read_safeguard(sj, sptr)) placement.safeguards.push_back(*sg);
    });
    if (!placement.safeguards.empty() && placement.role == RegionRole::kPrimary) {
      ctx_.error("039", rptr + "/safeguards", "safeguards on a primary region",
                 "safeguards here cover the copy into a replica, backup or failover region; put "
                 "those of the data's arrival on the flow (or on the system, for `runs_on`)");
    }
    if (rr.finish()) s.regions.push_back(placement);
  });
  s.operator_handles_data = r.tri("operator_handles_data", true);
  r.array("remote_access", false, [&](const Json& aj, const std::string& aptr) {
    ObjectReader a(aj, aptr, ctx_);
    RemoteAccess access;
    access.pointer = aptr;
    access.party = a.identifier("party", true).value_or("");
    access.country = country_or_unknown(a, "country", true);
    access.purpose = a.string("purpose", false).value_or("support");
    access.clear_text = a.tri("clear_text", true);
    a.array("safeguards", false, [&](const Json& sj, const std::string& sptr) {
      if (auto sg = read_safeguard(sj, sptr)) access.safeguards.push_back(*sg);
    });
    a.string("note", false);
    if (a.finish()) s.remote_access.push_back(access);
  });
  s.measures = read_measures(r, "measures");
  r.array("safeguards", false, [&](const Json& sj, const std::string& sptr) {
    if (auto sg = read_safeguard(sj, sptr)) s.safeguards.push_back(*sg);
  });
  s.certifications = read_certifications(r);
  r.string("note", false);
  if (!r.finish()) return;
  if (!s.safeguards.empty() && !s.runs_on) {
    ctx_.error("034", ptr + "/safeguards",
               "system `" + s.id + "` has safeguards but does not run on another system",
               "system safeguards cover the contract with the operator of `runs_on`; put a flow's "
               "safeguards on the flow");
  }
  if (ids_.count(s.id)) {
    ctx_.error("014", ptr + "/id", "duplicate id `" + s.id + "`",
               "parties and systems share one namespace; first declared at " + ids_[s.id]);
    return;
  }
  if (s.regions.empty() && !s.runs_on) {
    ctx_.error("023", ptr, "system `" + s.id + "` has no location",
               "give it `regions`, or say what it `runs_on`");
  }
  if (!s.regions.empty() &&
      std::none_of(s.regions.begin(), s.regions.end(),
                   [](const RegionPlacement& p) { return p.role == RegionRole::kPrimary; })) {
    ctx_.error("024", ptr + "/regions", "system `" + s.id + "` has no primary region",
               "mark the region where it normally holds the data with `\"role\": \"primary\"`");
  }
  std::set<Id> seen;
  for (std::size_t i = 0; i < s.regions.size(); ++i) {
    if (!seen.insert(s.regions[i].location).second) {
      ctx_.error("014", ptr + "/regions/" + std::to_string(i),
                 "region `" + s.regions[i].location + "` is listed twice");
    }
  }
  ids_[s.id] = ptr;
  model_.systems.push_back(std::move(s));
}

void ModelReader::read_dataset(const Json& j, const std::string& ptr) {
  ObjectReader r(j, ptr, ctx_);
  if (!r.ok()) return;
  DataSet d;
  d.pointer = ptr;
  d.id = r.identifier("id", true).value_or("");
  d.name = r.string("name", false).value_or(d.id);
  if (const Json* cats = r.get("categories", true)) {
    auto parse_list = [&](const Json& list, const std::string& lptr, std::set<Category>& into) {
      if (!list.is_array()) {
        ctx_.error("006", lptr, "expected an array of categories, found " + json_type_name(list));
        return;
      }
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string eptr = lptr + "/" + std::to_string(i);
        if (!list[i].is_string()) {
          ctx_.error("006", eptr, "expected a category name, found " + json_type_name(list[i]));
          continue;
        }
        const auto text = list[i].get<std::string>();
        if (auto c = parse_enum<Category>(text)) {
          into.insert(*c);
        } else {
          ctx_.error("003", eptr, "unknown category `" + text + "`",
                     suggestion_hint(text, enum_spellings<Category>()));
        }
      }
    };
    if (cats->is_string() && cats->get<std::string>() == "unknown") {
      for (std::size_t i = 0; i < enum_count<Category>(); ++i)
        d.categories.unknown.insert(static_cast<Category>(i));
    } else if (cats->is_array()) {
      parse_list(*cats, r.pointer("categories"), d.categories.present);
    } else if (cats->is_object()) {
      ObjectReader c(*cats, r.pointer("categories"), ctx_);
      if (const Json* inc = c.get("include", true))
        parse_list(*inc, c.pointer("include"), d.categories.present);
      if (const Json* unk = c.get("unknown", true))
        parse_list(*unk, c.pointer("unknown"), d.categories.unknown);
      c.finish();
      for (Category cat : d.categories.present) {
        if (d.categories.unknown.count(cat)) {
          ctx_.error("025", c.pointer("unknown"),
                     "category `" + std::string(to_string(cat)) + "` is both included and unknown");
        }
      }
    } else {
      ctx_.error("006", r.pointer("categories"),
                 "`categories` must be an array, \"unknown\", or {\"include\": [...], \"unknown\": "
                 "[...]}");
    }
    const auto& present = d.categories.present;
    auto both = [&](Category a, Category b) { return present.count(a) && present.count(b); };
    if (both(Category::kAnonymised, Category::kPersonalData) ||
        both(Category::kNonPersonal, Category::kPersonalData) ||
        both(Category::kNonPersonal, Category::kSpecialCategory)) {
      ctx_.error("026", r.pointer("categories"),
                 "impossible combination of categories: data cannot be both personal and "
                 "anonymised or non-personal",
                 "split the data set, or use `pseudonymised` for data still linkable to a person");
    }
    if (present.count(Category::kSpecialCategory) && !present.count(Category::kPersonalData)) {
      ctx_.error("026", r.pointer("categories"),
                 "`special_category` data is personal data: add `personal_data`");
    }
  }
  if (const Json* subjects = r.get("subjects", false)) {
    if (subjects->is_string() && subjects->get<std::string>() == "unknown") {
      d.subjects = Unknowable<std::vector<Country>>::unknown();
    } else {
      std::vector<Country> list;
      for (const auto& c : r.strings("subjects", false)) {
        if (check_country(c, r.pointer("subjects"))) list.push_back(c);
      }
      d.subjects = list;
    }
  } else {
    d.subjects = Unknowable<std::vector<Country>>::unknown();  // not stated is not "nobody"
  }
  if (const Json* count = r.get("subject_count", false)) {
    if (count->is_string() && count->get<std::string>() == "unknown") {
      d.subject_count = Unknowable<long long>::unknown();
    } else if (auto n = r.integer("subject_count", false)) {
      if (*n < 0)
        ctx_.error("027", r.pointer("subject_count"), "`subject_count` cannot be negative");
      d.subject_count = *n;
    }
  } else {
    d.subject_count = Unknowable<long long>::unknown();
  }
  d.purposes = r.strings("purposes", false);
  d.disclosure_scope = r.strings("disclosure_scope", false);
  if (const Json* c = r.get("controller", false);
      c && c->is_string() && c->get<std::string>() == "unknown") {
    d.controller = Unknowable<Id>::unknown();
  } else if (auto id = r.identifier("controller", false)) {
    d.controller = *id;
  }
  if (const Json* ps = r.get("permitted_scope", false);
      ps && ps->is_string() && ps->get<std::string>() == "unknown") {
    d.permitted_scope = Unknowable<std::vector<Id>>::unknown();
  } else if (ps) {
    d.permitted_scope = r.strings("permitted_scope", false);
  } else {
    d.permitted_scope = Unknowable<std::vector<Id>>::unknown();  // not stated is not "nobody"
  }
  const Unknowable<bool> controlled = d.categories.has(Category::kExportControlled);
  if (const Json* cl = r.get("control_lists", false);
      cl && cl->is_string() && cl->get<std::string>() == "unknown") {
    d.control_lists = Unknowable<std::vector<std::string>>::unknown();
  } else if (cl) {
    const std::vector<std::string> allowed(kControlLists.begin(), kControlLists.end());
    std::vector<std::string> lists;
    const auto texts = r.strings("control_lists", false);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      if (std::find(allowed.begin(), allowed.end(), texts[i]) == allowed.end()) {
        ctx_.error("003", r.pointer("control_lists") + "/" + std::to_string(i),
                   "unknown control list `" + texts[i] + "`", suggestion_hint(texts[i], allowed));
      } else {
        lists.push_back(texts[i]);
      }
    }
    if (!lists.empty() && controlled.known() && !controlled.value()) {
      ctx_.error("037", r.pointer("control_lists"),
                 "data set `" + d.id + "` is on a control list but not categorised as controlled",
                 "add `export_controlled` to its categories");
    }
    d.control_lists = lists;
  } else if (!controlled.known() || controlled.value()) {
    // Controlled (or possibly controlled) technology whose classification nobody has recorded.
    d.control_lists = Unknowable<std::vector<std::string>>::unknown();
  } else {
    d.control_lists = std::vector<std::string>{};
  }
  d.rights_holders = r.strings("rights_holders", false);
  if (auto v = r.enumeration_or_unknown<ValueLevel>("value", false)) d.value = *v;
  d.retention = r.string("retention", false).value_or("");
  d.origin = r.identifier("origin", false);
  r.string("note", false);
  if (!r.finish()) return;
  if (std::any_of(model_.datasets.begin(), model_.datasets.end(),
                  [&](const DataSet& o) { return o.id == d.id; })) {
    ctx_.error("014", ptr + "/id", "duplicate data set id `" + d.id + "`");
    return;
  }
  model_.datasets.push_back(std::move(d));
}

std::optional<Safeguard> ModelReader::read_safeguard(const Json& j, const std::string& ptr) {
  ObjectReader r(j, ptr, ctx_);
  if (!r.ok()) return std::nullopt;
  Safeguard s;
  s.pointer = ptr;
  auto type = r.enumeration<SafeguardType>("type", true);
  if (!type) {
    r.finish();
    return std::nullopt;
  }
  s.type = *type;
  s.in_place = r.tri("in_place", true);
  s.signed_on = r.date("signed", false);
  switch (s.type) {
    case SafeguardType::kScc: {
      const std::vector<std::string> sets(kSccSets.begin(), kSccSets.end());
      s.scc_set = r.one_of("set", false, sets, "SCC set").value_or("2021/914");
      // The 2021 clauses come in modules; the older sets are one set of clauses each.
      if (auto m = r.integer("module", *s.scc_set == "2021/914")) {
        if (*m < 1 || *m > 4) {
          ctx_.error("028", r.pointer("module"), "SCC module must be 1, 2, 3 or 4",
                     "1 controller→controller, 2 controller→processor, 3 processor→processor, "
                     "4 processor→controller (Decision (EU) 2021/914)");
        } else {
          s.scc_module = static_cast<int>(*m);
        }
      }
      break;
    }
    case SafeguardType::kConsent:
      s.informed = r.tri("informed", Unknowable<bool>::unknown());
      s.explicit_consent = r.tri("explicit", Unknowable<bool>::unknown());
      break;
    case SafeguardType::kDerogation: {
      const std::vector<std::string> articles(kDerogations.begin(), kDerogations.end());
      s.derogation = r.one_of("article", true, articles, "derogation");
      break;
    }
    case SafeguardType::kAppiStandardSystem:
      s.basis = r.one_of("basis", true, {"contract", "group_rules", "cbpr"}, "basis");
      s.periodic_check = r.tri("periodic_check", Unknowable<bool>::unknown());
      break;
    case SafeguardType::kTia: {
      const std::vector<std::string> conclusions(kTiaConclusions.begin(), kTiaConclusions.end());
      s.conclusion = r.one_of("conclusion", false, conclusions, "TIA conclusion");
      break;
    }
    case SafeguardType::kAuthorisation: {
      const std::vector<std::string> regimes(kAuthorisations.begin(), kAuthorisations.end());
      s.regime = r.one_of("regime", true, regimes, "authorisation regime");
      break;
    }
    default:
      break;
  }
  r.string("note", false);
  if (!r.finish()) return std::nullopt;
  return s;
}

void ModelReader::read_flow(const Json& j, const std::string& ptr) {
  ObjectReader r(j, ptr, ctx_);
  if (!r.ok()) return;
  Flow f;
  f.pointer = ptr;
  f.id = r.identifier("id", true).value_or("");
  f.name = r.string("name", false).value_or(f.id);
  f.event = r.enumeration<Event>("event", true).value_or(Event::kTransfer);
  f.from = r.identifier("from", true).value_or("");
  f.to = r.identifier("to", true).value_or("");
  f.datasets = r.strings("datasets", true);
  f.produces = r.strings("produces", false);
  f.purpose = r.string("purpose", false).value_or("");
  if (auto rel = r.enumeration_or_unknown<Relationship>("relationship", true))
    f.relationship = *rel;
  f.recipient_identifies = r.tri("recipient_identifies", false);
  f.occasional = r.tri("occasional", Unknowable<bool>::unknown());
  f.safeguards_unavailable = r.tri("safeguards_unavailable", Unknowable<bool>::unknown());
  {
    const auto codes = r.strings("transit", false);
    for (std::size_t i = 0; i < codes.size(); ++i) {
      if (check_country(codes[i], r.pointer("transit") + "/" + std::to_string(i)))
        f.transit.push_back(codes[i]);
    }
  }
  if (const Json* sg = r.get("safeguards", false)) {
    if (sg->is_string() && sg->get<std::string>() == "unknown") {
      f.safeguards_unknown = true;
    } else {
      r.array("safeguards", false, [&](const Json& sj, const std::string& sptr) {
        if (auto s = read_safeguard(sj, sptr)) f.safeguards.push_back(*s);
      });
    }
  }
  f.measures = read_measures(r, "measures");
  r.string("note", false);
  if (!r.finish()) return;
  if (f.datasets.empty()) {
    ctx_.error("029", ptr + "/datasets", "flow `" + f.id + "` carries no data set",
               "list the data sets it moves");
  }
  if (!f.produces.empty() && f.event != Event::kProcess) {
    ctx_.error("030", ptr + "/produces", "only a `process` event can produce new data sets",
               "set `\"event\": \"process\"` or move `produces` to the processing step");
  }
  if (f.event == Event::kProcess && f.from != f.to) {
    ctx_.error("035", ptr + "/to",
               "a `process` event happens in one system or party, not from `" + f.from + "` to `" +
                   f.to + "`",
               "process in place (`to` = `from`), then move the result with a `transfer` flow");
  }
  if (f.from == f.to && (f.event == Event::kTransfer || f.event == Event::kRemoteAccess)) {
    ctx_.error("031", ptr + "/to",
               "a `" + std::string(to_string(f.event)) + "` needs two different ends",
               "use `process` or `store` for something that happens inside one system");
  }
  if (f.relationship.known() && f.relationship.value() == Relationship::kDataSubjectToController &&
      f.event != Event::kCollect) {
    ctx_.error("032", ptr + "/relationship",
               "`data_subject_to_controller` describes a `collect` event, not `" +
                   std::string(to_string(f.event)) + "`");
  }
  std::map<SafeguardType, int> counts;
  for (const auto& s : f.safeguards) {
    if (++counts[s.type] > 1 && s.type != SafeguardType::kDerogation &&
        s.type != SafeguardType::kAuthorisation) {
      ctx_.error("033", s.pointer,
                 "safeguard `" + std::string(to_string(s.type)) + "` is given twice");
    }
  }
  if (!flow_ids_.insert(f.id).second) {
    ctx_.error("014", ptr + "/id", "duplicate flow id `" + f.id + "`");
    return;
  }
  model_.flows.push_back(std::move(f));
}

void ModelReader::check_party_ref(const Id& id, const std::string& ptr, std::string_view what) {
  if (model_.party(id)) return;
  std::vector<std::string> ids;
  for (const auto& p : model_.parties) ids.push_back(p.id);
  std::string hint = suggestion_hint(id, ids);
  if (model_.system(id))
    hint = "`" + id + "` is a system; " + std::string(what) + " must be a party";
  ctx_.error("040", ptr, std::string(what) + " `" + id + "` is not a declared party", hint);
}

void ModelReader::check_node_ref(const Id& id, const std::string& ptr, std::string_view what) {
  if (model_.party(id) || model_.system(id)) return;
  std::vector<std::string> ids;
  for (const auto& [k, v] : ids_) ids.push_back(k);
  ctx_.error("041", ptr, std::string(what) + " `" + id + "` is neither a party nor a system",
             suggestion_hint(id, ids));
}

void ModelReader::check_dataset_ref(const Id& id, const std::string& ptr) {
  if (model_.dataset(id)) return;
  std::vector<std::string> ids;
  for (const auto& d : model_.datasets) ids.push_back(d.id);
  ctx_.error("042", ptr, "data set `" + id + "` is not declared", suggestion_hint(id, ids));
}

const Location* ModelReader::resolve_location(const Id& id, const std::string& ptr) {
  if (auto it = locations_.find(id); it != locations_.end()) return &it->second;
  if (const Location* region = ref_.region(id)) {
    locations_[id] = *region;
    return &locations_[id];
  }
  if (id.rfind("country:", 0) == 0) {
    const std::string code = id.substr(8);
    if (!check_country(code, ptr)) return nullptr;
    Location l;
    l.id = id;
    l.country = code;
    l.name = ref_.country(code)->name;
    locations_[id] = l;
    return &locations_[id];
  }
  std::vector<std::string> ids = ref_.region_ids();
  for (const auto& [k, v] : locations_) ids.push_back(k);
  ctx_.error("043", ptr, "unknown location `" + id + "`",
             suggestion_hint(id, ids) + " (or declare it under `locations`, or use `country:XX`)");
  return nullptr;
}

void ModelReader::resolve() {
  for (const auto& p : model_.parties) {
    if (p.parent.known() && p.parent.value()) {
      check_party_ref(*p.parent.value(), p.pointer + "/parent", "parent");
      if (*p.parent.value() == p.id)
        ctx_.error("044", p.pointer + "/parent", "a party cannot be its own parent");
    }
    if (p.acts_for.known() && p.acts_for.value()) {
      check_party_ref(*p.acts_for.value(), p.pointer + "/acts_for", "acts_for");
      if (*p.acts_for.value() == p.id)
        ctx_.error("044", p.pointer + "/acts_for", "a party cannot act for itself",
                   "name the organisation the person works for");
    }
  }
  for (const auto& s : model_.systems) {
    check_party_ref(s.operator_party, s.pointer + "/operator", "operator");
    if (const Party* op = model_.party(s.operator_party);
        op && op->kind == PartyKind::kDataSubjects) {
      ctx_.error("045", s.pointer + "/operator", "data subjects cannot operate a system",
                 "name the company that runs it");
    }
    for (std::size_t i = 0; i < s.regions.size(); ++i) {
      resolve_location(s.regions[i].location,
                       s.pointer + "/regions/" + std::to_string(i) + "/location");
    }
    if (s.runs_on) {
      const System* lower = model_.system(*s.runs_on);
      if (!lower) {
        std::vector<std::string> ids;
        for (const auto& o : model_.systems) ids.push_back(o.id);
        ctx_.error("046", s.pointer + "/runs_on",
                   "`runs_on` names `" + *s.runs_on + "`, which is not a system",
                   suggestion_hint(*s.runs_on, ids));
      } else {
        auto rank = [](Tier t) {
          switch (t) {
            case Tier::kSaas:
              return 3;
            case Tier::kPaas:
              return 2;
            case Tier::kIaas:
              return 1;
            default:
              return 0;
          }
        };
        if (rank(lower->tier) >= rank(s.tier) || lower->tier == Tier::kDevice) {
          ctx_.error("047", s.pointer + "/runs_on",
                     "a " + std::string(to_string(s.tier)) + " system cannot run on a " +
                         std::string(to_string(lower->tier)) + " system (`" + lower->id + "`)",
                     "a SaaS runs on a PaaS or IaaS, a PaaS on an IaaS, and an IaaS on on-premises "
                     "hardware");
        }
        for (std::size_t i = 0; i < s.regions.size(); ++i) {
          const bool offered =
              lower->regions.empty() || std::any_of(lower->regions.begin(), lower->regions.end(),
                                                    [&](const RegionPlacement& p) {
                                                      return p.location == s.regions[i].location;
                                                    });
          if (!offered) {
            ctx_.error("048", s.pointer + "/regions/" + std::to_string(i) + "/location",
                       "system `" + s.id + "` is placed in `" + s.regions[i].location + "`, but `" +
                           lower->id + "`, which it runs on, has no such region",
                       "add the region to `" + lower->id + "` or correct the placement");
          }
        }
      }
    }
    for (const auto& a : s.remote_access) {
      check_party_ref(a.party, a.pointer + "/party", "remote access party");
      if (const Party* p = model_.party(a.party); p && p->kind == PartyKind::kDataSubjects) {
        ctx_.error("045", a.pointer + "/party",
                   "remote access by data subjects is not an operator's access",
                   "model the person's own access as a flow, or name the support company");
      }
    }
    if (s.measures && s.measures->key_holder.known() && s.measures->key_holder.value()) {
      check_party_ref(*s.measures->key_holder.value(), s.pointer + "/measures/key_holder",
                      "key holder");
    }
  }
  for (const auto& d : model_.datasets) {
    if (d.controller.known()) {
      check_party_ref(d.controller.value(), d.pointer + "/controller", "controller");
      if (const Party* p = model_.party(d.controller.value());
          p && p->kind == PartyKind::kDataSubjects) {
        ctx_.error("045", d.pointer + "/controller",
                   "data subjects cannot be the controller of a data set");
      }
    }
    for (std::size_t i = 0; i < d.disclosure_scope.size(); ++i) {
      check_party_ref(d.disclosure_scope[i], d.pointer + "/disclosure_scope/" + std::to_string(i),
                      "disclosure scope member");
    }
    if (d.permitted_scope.known()) {
      for (std::size_t i = 0; i < d.permitted_scope.value().size(); ++i) {
        check_party_ref(d.permitted_scope.value()[i],
                        d.pointer + "/permitted_scope/" + std::to_string(i),
                        "permitted scope member");
      }
    }
    if (d.origin) check_node_ref(*d.origin, d.pointer + "/origin", "origin");
  }
  for (const auto& f : model_.flows) {
    check_node_ref(f.from, f.pointer + "/from", "`from`");
    check_node_ref(f.to, f.pointer + "/to", "`to`");
    for (std::size_t i = 0; i < f.datasets.size(); ++i) {
      check_dataset_ref(f.datasets[i], f.pointer + "/datasets/" + std::to_string(i));
    }
    for (std::size_t i = 0; i < f.produces.size(); ++i) {
      check_dataset_ref(f.produces[i], f.pointer + "/produces/" + std::to_string(i));
    }
    if (f.event == Event::kCollect) {
      const Party* source = model_.party(f.from);
      const System* device = model_.system(f.from);
      const bool from_person = source && (source->kind == PartyKind::kDataSubjects ||
                                          source->kind == PartyKind::kIndividual);
      const bool from_device = device && device->tier == Tier::kDevice;
      if (!from_person && !from_device && (source || device)) {
        ctx_.error(
            "049", f.pointer + "/from",
            "a `collect` event starts at the data subjects or a device, not at `" + f.from + "`",
            "use `transfer` for data another organisation provides");
      }
    }
    if (f.measures && f.measures->key_holder.known() && f.measures->key_holder.value()) {
      check_party_ref(*f.measures->key_holder.value(), f.pointer + "/measures/key_holder",
                      "key holder");
    }
  }
  check_cycles();
}

void ModelReader::check_cycles() {
  // Each walk stops after kMaxChainDepth steps: every graph node keeps its holder's whole chain
  // of parents, so a chain of 20,000 parents made loading and checking quadratic.
  constexpr std::size_t kMaxChainDepth = 64;
  bool too_deep_reported = false;
  auto too_deep = [&](const std::string& pointer, const std::string& what) {
    if (too_deep_reported) return;
    too_deep_reported = true;
    ctx_.error("051", pointer,
               what + " go more than " + std::to_string(kMaxChainDepth) + " levels deep",
               "no real group or stack of services is that deep; check the model generator");
  };
  for (const auto& p : model_.parties) {
    std::set<Id> seen{p.id};
    const Party* cur = &p;
    while (cur && cur->parent.known() && cur->parent.value()) {
      const Id& next = *cur->parent.value();
      if (!seen.insert(next).second) {
        ctx_.error("050", p.pointer + "/parent",
                   "corporate parents form a cycle through `" + next + "`");
        break;
      }
      if (seen.size() > kMaxChainDepth + 1) {
        too_deep(p.pointer + "/parent", "corporate parents");
        break;
      }
      cur = model_.party(next);
    }
  }
  for (const auto& s : model_.systems) {
    std::set<Id> seen{s.id};
    const System* cur = &s;
    while (cur && cur->runs_on) {
      if (!seen.insert(*cur->runs_on).second) {
        ctx_.error("050", s.pointer + "/runs_on",
                   "`runs_on` forms a cycle through `" + *cur->runs_on + "`");
        break;
      }
      if (seen.size() > kMaxChainDepth + 1) {
        too_deep(s.pointer + "/runs_on", "systems running on systems (`runs_on`)");
        break;
      }
      cur = model_.system(*cur->runs_on);
    }
  }
}

}  // namespace

ModelLoadResult load_model_json(const Json& document, const std::filesystem::path& file,
                                const ReferenceData& reference) {
  ModelLoadResult result;
  ModelReader reader(file, reference, result.diagnostics);
  result.model = reader.read(document);
  if (result.diagnostics.has_errors()) result.model.reset();
  return result;
}

ModelLoadResult load_model(const std::filesystem::path& file, const ReferenceData& reference) {
  ModelLoadResult result;
  auto doc = read_json_file(file, result.diagnostics, "XB-MODEL");
  if (!doc) return result;
  return load_model_json(*doc, file, reference);
}

}  // namespace xborder
