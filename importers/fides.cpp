#include "importers/fides.hpp"

#include <algorithm>
#include <cstdlib>

#include "importers/text.hpp"
#include "model/json_reader.hpp"
#include "model/vocabulary.hpp"
#include "model/yaml_reader.hpp"

namespace xborder {
namespace {

constexpr const char* kFidesCode = "XB-FIDES";
using import_text::lower;
using import_text::slug;

// The keys fideslang 3.0.0 defines on each resource, and those 1.x/2.x defined that 3.0.0 dropped
// (src/fideslang/models.py). Keys outside these are warned about (XB-FIDES-101).
const std::set<std::string> kSystemKeys = {
    "fides_key", "organization_fides_key", "tags", "name", "description", "meta", "fidesctl_meta",
    "system_type", "egress", "ingress", "privacy_declarations", "administrating_department",
    "vendor_id", "previous_vendor_id", "dataset_references", "processes_personal_data",
    "exempt_from_privacy_regulations", "reason_for_exemption", "uses_profiling",
    "legal_basis_for_profiling", "does_international_transfers", "legal_basis_for_transfers",
    "requires_data_protection_assessments", "dpa_location", "dpa_progress", "privacy_policy",
    "legal_name", "legal_address", "responsibility", "dpo", "joint_controller_info",
    "data_security_practices", "cookie_max_age_seconds", "uses_cookies", "cookie_refresh",
    "uses_non_cookie_access", "legitimate_interest_disclosure_url", "cookies",
    // 1.x/2.x
    "data_responsibility_title", "joint_controller", "third_country_transfers",
    "data_protection_impact_assessment", "registry_id", "system_dependencies"};
const std::set<std::string> kDeclarationKeys = {
    "name", "data_categories", "data_use", "data_subjects", "dataset_references", "egress",
    "ingress", "features", "flexible_legal_basis_for_processing", "legal_basis_for_processing",
    "impact_assessment_location", "retention_period", "processes_special_category_data",
    "special_category_legal_basis", "data_shared_with_third_parties", "third_parties",
    "shared_categories", "cookies",
    // 1.x/2.x
    "data_qualifier"};
const std::set<std::string> kFlowKeys = {"fides_key", "type", "data_categories"};
const std::set<std::string> kDatasetKeys = {
    "fides_key", "organization_fides_key", "tags", "name", "description", "meta", "data_categories",
    "fides_meta", "collections",
    // 1.x/2.x
    "data_qualifier", "joint_controller", "retention", "third_country_transfers", "fidesctl_meta"};
const std::set<std::string> kCollectionKeys = {"name",      "description",  "data_categories",
                                               "fields",    "fides_meta",   "data_qualifier",
                                               "retention", "fidesops_meta"};
const std::set<std::string> kOrganizationKeys = {
    "fides_key",     "organization_fides_key",  "tags",           "name",
    "description",   "organization_parent_key", "controller",     "data_protection_officer",
    "fidesctl_meta", "representative",          "security_policy"};
const std::set<std::string> kCategoryKeys = {"fides_key",     "organization_fides_key",
                                             "tags",          "name",
                                             "description",   "parent_key",
                                             "version_added", "version_deprecated",
                                             "replaced_by",   "is_default"};
const std::set<std::string> kXborderMetaKeys = {"location", "operator_country", "tier"};
// Resources of a manifest that say nothing about where data goes: known, not read, warned.
const std::set<std::string> kUnreadResources = {"data_use", "data_subject", "policy",
                                                "registry", "evaluation",   "data_qualifier"};

const std::string kDefaultOrganization = "default_organization";

std::string text_of(const Json& j, const std::string& key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings_of(const Json& j, const std::string& key) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& e : *it)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

// Categories of the model as include/unknown sets while they are being collected.
struct Categories {
  std::set<std::string> include, unknown;
  void add(const Categories& other) {
    include.insert(other.include.begin(), other.include.end());
    unknown.insert(other.unknown.begin(), other.unknown.end());
  }
  [[nodiscard]] Json json() const {
    std::set<std::string> maybe;
    for (const auto& c : unknown)
      if (!include.count(c)) maybe.insert(c);
    if (maybe.empty()) return Json(include);
    if (include.empty() && maybe.size() == enum_count<Category>()) return "unknown";
    return {{"include", include}, {"unknown", maybe}};
  }
};

struct SystemInfo {
  std::string key, pointer, node, operator_party, name;
  bool located = false;
  bool own = false;  // operated by the organisation itself
  const Json* json = nullptr;
  std::vector<std::string> declaration_sets;  // data set ids, by declaration index
};

class FidesReader {
 public:
  FidesReader(const std::filesystem::path& file, const PositionMap& positions,
              const ReferenceData& reference, const FidesData& data, const FidesOptions& options,
              Diagnostics& diags)
      : file_(file),
        positions_(positions),
        reference_(reference),
        data_(data),
        options_(options),
        diags_(diags) {}

  std::optional<FidesImport> read(const Json& root);

 private:
  const std::filesystem::path& file_;
  const PositionMap& positions_;
  const ReferenceData& reference_;
  const FidesData& data_;
  const FidesOptions& options_;
  Diagnostics& diags_;
  FidesImport out_;
  Json parties_ = Json::array(), systems_ = Json::array(), datasets_ = Json::array(),
       flows_ = Json::array();
  std::map<std::string, std::string> custom_parent_;  // the file's own data categories
  std::map<std::string, SystemInfo> systems_by_key_;
  std::vector<std::string> system_order_;
  std::map<std::string, std::string> dataset_ids_;  // Fides dataset key → data set id
  std::map<std::string, std::size_t> dataset_index_;
  std::set<std::string> ids_;                            // every id given out
  std::set<std::pair<std::string, std::string>> drawn_;  // (from system key, to system key)

  void add(Severity severity, const std::string& code, const std::string& pointer,
           const std::string& message, std::optional<std::string> hint = std::nullopt) {
    Diagnostic d{severity,       std::string(kFidesCode) + "-" + code, message, file_, pointer,
                 std::move(hint)};
    if (auto pos = nearest_position(positions_, pointer)) {
      d.line = pos->line;
      d.column = pos->column;
    }
    diags_.add(std::move(d));
  }
  void warn(const std::string& code, const std::string& pointer, const std::string& message,
            std::optional<std::string> hint = std::nullopt) {
    add(Severity::kWarning, code, pointer, message, std::move(hint));
  }
  Provenance provenance(const std::string& pointer, const std::string& address) const {
    Provenance p{file_, pointer, 0, 0, address};
    if (auto pos = nearest_position(positions_, pointer)) {
      p.line = pos->line;
      p.column = pos->column;
    }
    return p;
  }
  std::string unique_id(std::string id) {
    const std::string base = id;
    for (int n = 2; !ids_.insert(id).second; ++n) id = base + "-" + std::to_string(n);
    return id;
  }
  void push(Json& array, const char* name, Json item, const std::string& pointer,
            const std::string& address) {
    out_.document.origins["/" + std::string(name) + "/" + std::to_string(array.size())] =
        provenance(pointer, address);
    array.push_back(std::move(item));
  }
  void check_keys(const Json& j, const std::string& pointer, const std::set<std::string>& known,
                  const std::string& what) {
    if (!j.is_object()) return;
    for (const auto& [key, value] : j.items()) {
      if (known.count(key)) continue;
      std::vector<std::string> candidates(known.begin(), known.end());
      warn("101", pointer + "/" + pointer_token(key),
           "unknown key `" + key + "` of a fideslang " + what + " is not read",
           suggestion_hint(key, candidates));
    }
  }
  Categories categories(const std::vector<std::string>& keys, const std::string& pointer);
  Categories category(const std::string& key, const std::string& pointer);
  std::string organisation(const std::string& key);
  void read_dataset(const Json& j, const std::string& pointer);
  void collect_dataset_categories(const Json& j, const std::string& pointer,
                                  const std::set<std::string>& known, Categories& into);
  void read_system(const Json& j, const std::string& pointer);
  void read_declarations(SystemInfo& s);
  void read_flows(SystemInfo& s);
  std::string node_of(const std::string& key, const std::string& pointer);
  std::vector<std::string> carried(SystemInfo& s, const std::string& direction,
                                   const std::string& other, const Json& flow,
                                   const std::string& flow_pointer);
  void hold_dataset(const SystemInfo& s, const std::string& dataset_key,
                    const std::string& pointer);
};

Categories FidesReader::category(const std::string& key, const std::string& pointer) {
  // The file's own categories name their parent; follow it to a key of the taxonomy.
  std::string k = key;
  for (int depth = 0; custom_parent_.count(k) && depth < 64; ++depth) k = custom_parent_[k];
  if (!data_.taxonomy.count(k) && !custom_parent_.count(key)) {
    warn("103", pointer,
         "data category `" + key + "` is not in fideslang " + data_.fideslang_version +
             "'s taxonomy",
         "declare it under `data_category` with a `parent_key`, or use a key of the taxonomy");
  }
  // The nearest ancestor the mapping lists.
  for (std::string prefix = k;;) {
    if (auto it = data_.mapping.find(prefix); it != data_.mapping.end()) {
      Categories c;
      c.include.insert(it->second.include.begin(), it->second.include.end());
      c.unknown.insert(it->second.unknown.begin(), it->second.unknown.end());
      return c;
    }
    const auto dot = prefix.rfind('.');
    if (dot == std::string::npos) break;
    prefix.resize(dot);
  }
  // Nothing says what it is: every category may be present.
  Categories c;
  for (const auto& name : enum_spellings<Category>()) c.unknown.insert(name);
  return c;
}

Categories FidesReader::categories(const std::vector<std::string>& keys,
                                   const std::string& pointer) {
  Categories c;
  for (std::size_t i = 0; i < keys.size(); ++i)
    c.add(category(keys[i], pointer + "/" + std::to_string(i)));
  return c;
}

std::string FidesReader::organisation(const std::string& key) {
  if (!options_.owner.empty()) return options_.owner;
  const std::string id = "fides-org:" + (key.empty() ? kDefaultOrganization : key);
  if (ids_.insert(id).second) {
    push(parties_, "parties",
         {{"id", id},
          {"name", "the organisation `" + (key.empty() ? kDefaultOrganization : key) +
                       "` of the Fides manifest"},
          {"country", "unknown"},
          {"parent", "unknown"},
          {"roles", {"controller"}}},
         "", "organization." + (key.empty() ? kDefaultOrganization : key));
  }
  return id;
}

void FidesReader::collect_dataset_categories(const Json& j, const std::string& pointer,
                                             const std::set<std::string>& known, Categories& into) {
  check_keys(j, pointer, known, known == kDatasetKeys ? "dataset" : "dataset collection or field");
  if (j.contains("data_categories"))
    into.add(categories(strings_of(j, "data_categories"), pointer + "/data_categories"));
  for (const auto* nested : {"collections", "fields"}) {
    if (!j.contains(nested) || !j[nested].is_array()) continue;
    for (std::size_t i = 0; i < j[nested].size(); ++i)
      collect_dataset_categories(j[nested][i], pointer + "/" + nested + "/" + std::to_string(i),
                                 kCollectionKeys, into);
  }
}

void FidesReader::read_dataset(const Json& j, const std::string& pointer) {
  const std::string key = text_of(j, "fides_key");
  if (key.empty()) {
    add(Severity::kError, "005", pointer, "a dataset without `fides_key`",
        "every fideslang resource has a fides_key");
    return;
  }
  Categories c;
  collect_dataset_categories(j, pointer, kDatasetKeys, c);
  const std::string id = unique_id("fides-dataset:" + key);
  dataset_ids_[key] = id;
  dataset_index_[key] = datasets_.size();
  Json d = {{"id", id},
            {"name", text_of(j, "name").empty() ? key : text_of(j, "name")},
            {"categories", c.json()},
            {"subjects", "unknown"}};
  if (!text_of(j, "retention").empty()) d["retention"] = text_of(j, "retention");
  push(datasets_, "datasets", std::move(d), pointer, "dataset." + key);
  out_.notes.push_back("dataset." + key + " → data set " + id);
}

void FidesReader::read_system(const Json& j, const std::string& pointer) {
  check_keys(j, pointer, kSystemKeys, "system");
  SystemInfo s;
  s.key = text_of(j, "fides_key");
  s.pointer = pointer;
  s.json = &j;
  s.name = text_of(j, "name").empty() ? s.key : text_of(j, "name");
  if (s.key.empty()) {
    add(Severity::kError, "005", pointer, "a system without `fides_key`",
        "every fideslang resource has a fides_key");
    return;
  }
  if (systems_by_key_.count(s.key)) {
    add(Severity::kError, "014", pointer + "/fides_key",
        "the system `" + s.key + "` is declared twice", std::nullopt);
    return;
  }
  const Json meta = j.contains("meta") && j["meta"].is_object() && j["meta"].contains("xborder")
                        ? j["meta"]["xborder"]
                        : Json();
  const std::string meta_ptr = pointer + "/meta/xborder";
  if (!meta.is_null() && !meta.is_object()) {
    add(Severity::kError, "006", meta_ptr, "`meta.xborder` must be a mapping",
        "location: aws:eu-central-1, operator_country: DE, tier: saas");
    return;
  }
  check_keys(meta, meta_ptr, kXborderMetaKeys, "system's meta.xborder");
  // Who runs it: a vendor when fideslang says it is a third party's or a processor's.
  std::string responsibility = lower(text_of(j, "data_responsibility_title"));
  for (const auto& r : strings_of(j, "responsibility")) responsibility += " " + lower(r);
  const bool vendor = lower(text_of(j, "system_type")).find("third") != std::string::npos ||
                      !text_of(j, "vendor_id").empty() ||
                      responsibility.find("processor") != std::string::npos;
  const std::string organisation_id = organisation(text_of(j, "organization_fides_key"));
  if (vendor) {
    std::string vendor_name = text_of(j, "legal_name");
    if (vendor_name.empty()) vendor_name = text_of(j, "vendor_id");
    if (vendor_name.empty()) vendor_name = s.name;
    const std::string id = "fides-vendor:" + slug(vendor_name);
    std::string country = meta.is_object() ? text_of(meta, "operator_country") : "";
    if (!country.empty() && !reference_.country(country)) {
      add(Severity::kError, "010", meta_ptr + "/operator_country",
          "unknown country code `" + country + "`",
          suggestion_hint(country, reference_.country_codes()));
      return;
    }
    if (ids_.insert(id).second) {
      push(parties_, "parties",
           {{"id", id},
            {"name", vendor_name},
            {"country", country.empty() ? "unknown" : country},
            {"parent", "unknown"},
            {"roles", {"processor"}}},
           pointer, "system." + s.key);
    }
    s.operator_party = id;
  } else {
    s.operator_party = organisation_id;
    s.own = true;
  }
  // Where it runs: only what meta.xborder.location says.
  std::string location = meta.is_object() ? text_of(meta, "location") : "";
  if (!location.empty()) {
    if (reference_.region(location) ||
        (location.rfind("country:", 0) == 0 && reference_.country(location.substr(8)))) {
      // a region of the table or country:XX
    } else if (reference_.country(location)) {
      location = "country:" + location;
    } else {
      add(Severity::kError, "010", meta_ptr + "/location",
          "unknown region or country `" + location + "`",
          suggestion_hint(location, reference_.region_ids()));
      return;
    }
    std::string tier = meta.is_object() ? text_of(meta, "tier") : "";
    if (tier.empty()) tier = vendor ? "saas" : "on_premises";
    if (!parse_enum<Tier>(tier)) {
      add(Severity::kError, "003", meta_ptr + "/tier", "unknown tier `" + tier + "`",
          suggestion_hint(tier, enum_spellings<Tier>()));
      return;
    }
    s.node = unique_id("fides:" + s.key);
    s.located = true;
    push(systems_, "systems",
         {{"id", s.node},
          {"name", s.name},
          {"tier", tier},
          {"operator", s.operator_party},
          {"regions", {{{"location", location}, {"role", "primary"}}}}},
         pointer, "system." + s.key);
    out_.notes.push_back("system." + s.key + " → system " + s.node + " in " + location +
                         " run by " + s.operator_party);
  } else {
    // Nobody says where it runs, nor so who holds the data there: a party of unknown country.
    s.node = unique_id("fides:" + s.key);
    push(parties_, "parties",
         {{"id", s.node},
          {"name", s.name + " (Fides system; where it runs is not stated)"},
          {"country", "unknown"},
          {"parent", "unknown"},
          {"note", "give meta.xborder.location in the Fides manifest to draw it as a system of " +
                       s.operator_party}},
         pointer, "system." + s.key);
    warn("102", pointer,
         "system `" + s.key + "` does not say where it runs: it is a party of unknown country",
         "add `meta: {xborder: {location: REGION-OR-COUNTRY}}` to the system");
    out_.notes.push_back("system." + s.key + " → party " + s.node +
                         " (location not stated, unknown country)");
  }
  system_order_.push_back(s.key);
  systems_by_key_[s.key] = std::move(s);
}

void FidesReader::read_declarations(SystemInfo& s) {
  const Json& j = *s.json;
  if (!j.contains("privacy_declarations") || !j["privacy_declarations"].is_array()) return;
  const Json& declarations = j["privacy_declarations"];
  for (std::size_t i = 0; i < declarations.size(); ++i) {
    const Json& d = declarations[i];
    const std::string ptr = s.pointer + "/privacy_declarations/" + std::to_string(i);
    check_keys(d, ptr, kDeclarationKeys, "privacy declaration");
    Categories c = categories(strings_of(d, "data_categories"), ptr + "/data_categories");
    if (d.value("processes_special_category_data", false)) c.include.insert("special_category");
    const std::string name = text_of(d, "name");
    const std::string id =
        unique_id("fides:" + s.key + "/" + (name.empty() ? std::to_string(i) : slug(name)));
    Json set = {{"id", id},
                {"name", name.empty() ? s.name + " declaration " + std::to_string(i) : name},
                {"categories", c.json()},
                {"subjects", "unknown"},
                {"controller", s.own ? s.operator_party : "unknown"}};
    if (!text_of(d, "data_use").empty()) set["purposes"] = {text_of(d, "data_use")};
    if (!text_of(d, "retention_period").empty()) set["retention"] = text_of(d, "retention_period");
    s.declaration_sets.push_back(id);
    push(datasets_, "datasets", std::move(set), ptr, "system." + s.key);
    out_.notes.push_back("system." + s.key + " declaration " + std::to_string(i) + " → data set " +
                         id);
    for (std::size_t k = 0; k < strings_of(d, "dataset_references").size(); ++k)
      hold_dataset(s, strings_of(d, "dataset_references")[k],
                   ptr + "/dataset_references/" + std::to_string(k));
  }
  for (std::size_t k = 0; k < strings_of(j, "dataset_references").size(); ++k)
    hold_dataset(s, strings_of(j, "dataset_references")[k],
                 s.pointer + "/dataset_references/" + std::to_string(k));
}

// A system that reads or writes a Fides dataset holds it: the data set starts there unless a
// system before it does.
void FidesReader::hold_dataset(const SystemInfo& s, const std::string& dataset_key,
                               const std::string& pointer) {
  const auto it = dataset_index_.find(dataset_key);
  if (it == dataset_index_.end()) {
    warn("104", pointer, "dataset `" + dataset_key + "` is not in this file: not read",
         "import the manifest that declares it in the same file");
    return;
  }
  Json& d = datasets_[it->second];
  if (!d.contains("origin")) d["origin"] = s.node;
}

std::string FidesReader::node_of(const std::string& key, const std::string& pointer) {
  if (auto it = systems_by_key_.find(key); it != systems_by_key_.end()) return it->second.node;
  const std::string id = "fides:" + key;
  if (ids_.insert(id).second) {
    warn("104", pointer,
         "system `" + key + "` is not in this file: it is a party of unknown country",
         "import the manifest that declares it in the same file");
    push(parties_, "parties",
         {{"id", id},
          {"name", key + " (Fides system not in this file)"},
          {"country", "unknown"},
          {"parent", "unknown"}},
         pointer, "system." + key);
  }
  return id;
}

// The data sets a flow between `s` and `other` carries: those of the declarations that name
// `other` in their egress or ingress; else what the flow entry's own categories say; else every
// declaration of `s`.
std::vector<std::string> FidesReader::carried(SystemInfo& s, const std::string& direction,
                                              const std::string& other, const Json& flow,
                                              const std::string& flow_pointer) {
  std::vector<std::string> out;
  const Json& j = *s.json;
  if (j.contains("privacy_declarations") && j["privacy_declarations"].is_array()) {
    const Json& declarations = j["privacy_declarations"];
    for (std::size_t i = 0; i < declarations.size() && i < s.declaration_sets.size(); ++i) {
      const auto named = strings_of(declarations[i], direction);
      if (std::find(named.begin(), named.end(), other) != named.end()) {
        out.push_back(s.declaration_sets[i]);
        for (const auto& ref : strings_of(declarations[i], "dataset_references"))
          if (dataset_ids_.count(ref)) out.push_back(dataset_ids_[ref]);
      }
    }
  }
  if (!out.empty()) return out;
  if (flow.contains("data_categories")) {
    Categories c =
        categories(strings_of(flow, "data_categories"), flow_pointer + "/data_categories");
    const std::string id = unique_id("fides:" + s.key + "/" + direction + "/" + other);
    Json set = {{"id", id},
                {"name", "data " + s.key + " " +
                             (direction == "egress" ? "sends to " : "receives from ") + other},
                {"categories", c.json()},
                {"subjects", "unknown"}};
    push(datasets_, "datasets", std::move(set), flow_pointer, "system." + s.key);
    return {id};
  }
  return s.declaration_sets;
}

void FidesReader::read_flows(SystemInfo& s) {
  const Json& j = *s.json;
  for (const auto* direction : {"egress", "ingress"}) {
    if (!j.contains(direction) || !j[direction].is_array()) continue;
    const Json& entries = j[direction];
    const bool out = std::string(direction) == "egress";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const Json& e = entries[i];
      const std::string ptr = s.pointer + "/" + direction + "/" + std::to_string(i);
      check_keys(e, ptr, kFlowKeys, "data flow");
      const std::string key = text_of(e, "fides_key"), type = lower(text_of(e, "type"));
      if (type == "dataset") {
        hold_dataset(s, key, ptr + "/fides_key");
        continue;
      }
      if (type == "user" && out) {
        out_.notes.push_back("system." + s.key +
                             " egress to the user: not drawn (data back to "
                             "the person it is about)");
        continue;
      }
      if (type == "user") {
        // Collected from the people: one collect flow per kind of data subject.
        std::vector<std::string> data = carried(s, "ingress", "user", e, ptr);
        std::set<std::string> subjects;
        const Json& declarations =
            j.contains("privacy_declarations") ? j["privacy_declarations"] : Json::array();
        for (const auto& d : declarations)
          for (const auto& subject : strings_of(d, "data_subjects")) subjects.insert(subject);
        if (subjects.empty()) subjects.insert("user");
        for (const auto& subject : subjects) {
          const std::string party = "fides-subjects:" + subject;
          if (ids_.insert(party).second)
            push(parties_, "parties",
                 {{"id", party},
                  {"name", "data subjects `" + subject + "`"},
                  {"kind", "data_subjects"},
                  {"country", "unknown"}},
                 ptr, "system." + s.key);
          push(flows_, "flows",
               {{"id", unique_id("fides:" + s.key + "/collect/" + subject)},
                {"event", "collect"},
                {"from", party},
                {"to", s.node},
                {"datasets", data},
                {"relationship", "data_subject_to_controller"}},
               ptr, "system." + s.key);
        }
        continue;
      }
      if (type != "system") {
        warn("105", ptr + "/type",
             "data flow type `" + type + "` is not `system`, `dataset` or `user`: not read",
             suggestion_hint(type, {"system", "dataset", "user"}));
        continue;
      }
      const std::string from_key = out ? s.key : key, to_key = out ? key : s.key;
      if (!drawn_.insert({from_key, to_key}).second) continue;  // egress and ingress of one flow
      if (from_key == to_key) continue;
      const std::string other = node_of(key, ptr + "/fides_key");
      std::vector<std::string> data = carried(s, direction, key, e, ptr);
      if (data.empty()) {
        warn("106", ptr,
             "the flow between `" + from_key + "` and `" + to_key +
                 "` carries no declared data: not drawn",
             "add a privacy declaration to `" + s.key + "`");
        continue;
      }
      const auto* peer = systems_by_key_.count(key) ? &systems_by_key_[key] : nullptr;
      std::string relationship = "unknown";
      if (peer != nullptr && s.own && peer->own && s.located && peer->located) {
        relationship = "same_entity";
      } else if (peer != nullptr && (out ? peer : &s)->own == false && (out ? &s : peer)->own &&
                 (out ? peer : &s)->located) {
        relationship = "controller_to_processor";
      }
      push(flows_, "flows",
           {{"id", unique_id("fides:" + from_key + "/to/" + to_key)},
            {"event", "transfer"},
            {"from", out ? s.node : other},
            {"to", out ? other : s.node},
            {"datasets", data},
            {"relationship", relationship}},
           ptr, "system." + s.key);
    }
  }
  // fideslang 1.x/2.x: the third countries the system's data goes to (alpha-3 codes).
  const auto third = strings_of(j, "third_country_transfers");
  for (std::size_t i = 0; i < third.size(); ++i) {
    const std::string ptr = s.pointer + "/third_country_transfers/" + std::to_string(i);
    std::string code = third[i];
    if (auto it = data_.alpha3.find(code); it != data_.alpha3.end()) code = it->second;
    if (!reference_.country(code)) {
      add(Severity::kError, "010", ptr, "unknown country code `" + third[i] + "`",
          "fideslang writes ISO 3166-1 alpha-3 codes (`USA`, `JPN`)");
      continue;
    }
    const std::string recipient = "fides-recipient:" + s.key;
    if (ids_.insert(recipient).second)
      push(parties_, "parties",
           {{"id", recipient},
            {"name", "whoever receives " + s.name + "'s data in third countries (not stated)"},
            {"country", "unknown"},
            {"parent", "unknown"}},
           ptr, "system." + s.key);
    const std::string place = unique_id("fides:" + s.key + "/in-" + code);
    push(systems_, "systems",
         {{"id", place},
          {"name", s.name + ": data in " + code},
          {"tier", "on_premises"},
          {"operator", recipient},
          {"regions", {{{"location", "country:" + code}, {"role", "primary"}}}}},
         ptr, "system." + s.key);
    if (s.declaration_sets.empty()) continue;
    push(flows_, "flows",
         {{"id", unique_id("fides:" + s.key + "/third-country/" + code)},
          {"event", "transfer"},
          {"from", s.node},
          {"to", place},
          {"datasets", s.declaration_sets},
          {"relationship", "unknown"}},
         ptr, "system." + s.key);
  }
}

std::optional<FidesImport> FidesReader::read(const Json& root) {
  const std::size_t errors_before = diags_.error_count();
  if (!root.is_object()) {
    add(Severity::kError, "004", "", "a fideslang manifest is a mapping of resource lists",
        "system: [...], dataset: [...]");
    return std::nullopt;
  }
  static const std::set<std::string> read_resources = {"system", "dataset", "organization",
                                                       "data_category"};
  for (const auto& [key, value] : root.items()) {
    const std::string ptr = "/" + pointer_token(key);
    if (kUnreadResources.count(key)) {
      warn("102", ptr, "the `" + key + "` resources say nothing about where data goes: not read");
    } else if (!read_resources.count(key)) {
      std::vector<std::string> known(read_resources.begin(), read_resources.end());
      known.insert(known.end(), kUnreadResources.begin(), kUnreadResources.end());
      warn("101", ptr, "unknown resource `" + key + "` is not read", suggestion_hint(key, known));
    } else if (!value.is_array()) {
      add(Severity::kError, "006", ptr, "`" + key + "` must be a list", std::nullopt);
    }
  }
  if (diags_.error_count() > errors_before) return std::nullopt;
  auto list = [&](const char* key) -> const Json& {
    static const Json empty = Json::array();
    return root.contains(key) ? root[key] : empty;
  };
  for (std::size_t i = 0; i < list("data_category").size(); ++i) {
    const Json& c = list("data_category")[i];
    const std::string ptr = "/data_category/" + std::to_string(i);
    check_keys(c, ptr, kCategoryKeys, "data category");
    if (!text_of(c, "fides_key").empty() && !text_of(c, "parent_key").empty())
      custom_parent_[text_of(c, "fides_key")] = text_of(c, "parent_key");
  }
  for (std::size_t i = 0; i < list("organization").size(); ++i)
    check_keys(list("organization")[i], "/organization/" + std::to_string(i), kOrganizationKeys,
               "organization");
  for (std::size_t i = 0; i < list("dataset").size(); ++i)
    read_dataset(list("dataset")[i], "/dataset/" + std::to_string(i));
  for (std::size_t i = 0; i < list("system").size(); ++i)
    read_system(list("system")[i], "/system/" + std::to_string(i));
  if (diags_.error_count() > errors_before) return std::nullopt;
  for (const auto& key : system_order_) read_declarations(systems_by_key_[key]);
  for (const auto& key : system_order_) read_flows(systems_by_key_[key]);
  if (diags_.error_count() > errors_before) return std::nullopt;
  // Where each data set starts: data the people hand over starts with them (the collect flow);
  // data a flow carries starts at the first place that sends it without having been sent it
  // there; a declaration no flow carries starts at its system.
  std::set<std::string> collected;
  std::map<std::string, std::vector<std::string>> senders;
  std::map<std::string, std::set<std::string>> reached;
  for (const auto& f : flows_) {
    for (const auto& d : f["datasets"]) {
      const std::string id = d.get<std::string>();
      if (f["event"] == "collect") collected.insert(id);
      senders[id].push_back(f["from"]);
      reached[id].insert(f["to"].get<std::string>());
    }
  }
  for (auto& d : datasets_) {
    const std::string id = d["id"];
    if (collected.count(id)) {
      d.erase("origin");
      continue;
    }
    for (const auto& from : senders[id]) {
      if (!reached[id].count(from)) {
        d["origin"] = from;
        break;
      }
    }
    if (d.contains("origin")) continue;
    for (const auto& key : system_order_) {
      const auto& sets = systems_by_key_[key].declaration_sets;
      if (std::find(sets.begin(), sets.end(), id) != sets.end())
        d["origin"] = systems_by_key_[key].node;
    }
  }
  out_.document.file = file_;
  out_.document.syntax = ModelSyntax::kJson;
  out_.document.json =
      Json{{"format", kModelFormat}, {"name", "Fides manifest " + file_.filename().string()},
           {"parties", parties_},    {"systems", systems_},
           {"datasets", datasets_},  {"flows", flows_}};
  return std::move(out_);
}

std::vector<std::string> string_list(const Json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

}  // namespace

std::filesystem::path FidesData::default_dir() {
  if (const char* dir = std::getenv("XBORDER_IMPORTERS_DATA_DIR"); dir != nullptr && *dir != '\0')
    return dir;
  return std::filesystem::path(XBORDER_SOURCE_DIR) / "importers" / "data";
}

std::optional<FidesData> FidesData::load(const std::filesystem::path& dir, Diagnostics& diags) {
  const auto categories_file = dir / "fides_categories.json";
  const auto alpha3_file = dir / "country_alpha3.json";
  auto categories = read_json_file(categories_file, diags, "XB-DATA");
  auto alpha3 = read_json_file(alpha3_file, diags, "XB-DATA");
  if (!categories || !alpha3) return std::nullopt;
  FidesData data;
  const std::size_t errors_before = diags.error_count();
  if (categories->value("format", "") != "xborder-fides-categories/1" ||
      !(*categories)["mapping"].is_object() || !(*categories)["taxonomy"].is_array()) {
    diags.error("XB-DATA-013", categories_file, "",
                "not an `xborder-fides-categories/1` table with `mapping` and `taxonomy`");
    return std::nullopt;
  }
  data.fideslang_version = categories->value("fideslang_version", "");
  for (const auto& [key, entry] : (*categories)["mapping"].items()) {
    Mapping m;
    m.include = string_list(entry.value("include", Json::array()));
    m.unknown = string_list(entry.value("unknown", Json::array()));
    for (const auto* list : {&m.include, &m.unknown})
      for (const auto& c : *list)
        if (!parse_enum<Category>(c))
          diags.error("XB-DATA-003", categories_file, "/mapping/" + pointer_token(key),
                      "unknown category `" + c + "`",
                      suggestion_hint(c, enum_spellings<Category>()));
    data.mapping[key] = std::move(m);
  }
  for (const auto& k : string_list((*categories)["taxonomy"])) data.taxonomy.insert(k);
  if ((*alpha3)["codes"].is_object())
    for (const auto& [a3, a2] : (*alpha3)["codes"].items())
      if (a2.is_string()) data.alpha3[a3] = a2.get<std::string>();
  if (diags.error_count() > errors_before) return std::nullopt;
  return data;
}

std::optional<FidesImport> import_fides_text(const std::string& text,
                                             const std::filesystem::path& file,
                                             const ReferenceData& reference, const FidesData& data,
                                             const FidesOptions& options, Diagnostics& diags) {
  PositionMap positions;
  auto root = parse_yaml_text(text, file, diags, kFidesCode, &positions);
  if (!root) return std::nullopt;
  FidesReader reader(file, positions, reference, data, options, diags);
  return reader.read(*root);
}

std::optional<FidesImport> import_fides_file(const std::filesystem::path& file,
                                             const ReferenceData& reference, const FidesData& data,
                                             const FidesOptions& options, Diagnostics& diags) {
  auto text = read_input_file(file, diags, kFidesCode);
  if (!text) return std::nullopt;
  return import_fides_text(*text, file, reference, data, options, diags);
}

}  // namespace xborder
