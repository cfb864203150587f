#include "importers/terraform.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <set>

#include "importers/text.hpp"
#include "model/yaml_reader.hpp"

namespace xborder {
namespace {

using import_text::lower;

constexpr const char* kTerraformCode = "XB-TF";

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// A string member, or "" when absent, null or not a string (unknown until apply).
std::string text(const Json& j, const char* key) {
  if (!j.is_object()) return "";
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

const Json& member(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// Elements of a nested block, which the JSON form writes as a list of objects (or one object).
std::vector<const Json*> blocks(const Json& j, const char* key) {
  std::vector<const Json*> out;
  const Json& b = member(j, key);
  if (b.is_array()) {
    for (const auto& e : b)
      if (e.is_object()) out.push_back(&e);
  } else if (b.is_object()) {
    out.push_back(&b);
  }
  return out;
}

// `module.a["x"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b`: the configuration's address.
std::string config_key(const std::string& address) {
  std::string out;
  int depth = 0;
  bool quoted = false;
  for (const char c : address) {
    if (depth > 0) {
      if (c == '"') quoted = !quoted;
      if (!quoted && c == ']') --depth;
      continue;
    }
    if (c == '[') {
      ++depth;
      continue;
    }
    out += c;
  }
  return out;
}

// A model id for a Terraform address: `tf:` and the address with its index brackets written as
// dot-separated keys (`tf:module.a.x.aws_s3_bucket.b.0`).
std::string model_id(const std::string& address) {
  std::string out = "tf:";
  for (const char c : address) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
        c == ':' || c == '@' || c == '/') {
      out += c;
    } else if (c == '[') {
      out += '.';
    }
  }
  return out;
}

// The bucket name of `arn:aws:s3:::NAME` (or NAME itself).
std::string s3_bucket_name(const std::string& arn) {
  const std::string prefix = "arn:aws:s3:::";
  return arn.rfind(prefix, 0) == 0 ? arn.substr(prefix.size()) : arn;
}

// The region field of an AWS ARN (`arn:aws:backup:eu-west-1:123:backup-vault:x`), or "".
std::string arn_region(const std::string& arn) {
  if (arn.rfind("arn:", 0) != 0) return "";
  std::size_t pos = 0;
  for (int field = 0; field < 3; ++field) {
    pos = arn.find(':', pos);
    if (pos == std::string::npos) return "";
    ++pos;
  }
  const std::size_t end = arn.find(':', pos);
  return end == std::string::npos ? "" : arn.substr(pos, end - pos);
}

enum class Cloud { kAws, kAzure, kGcp, kOther };

Cloud cloud_of(const std::string& type) {
  if (type.rfind("aws_", 0) == 0) return Cloud::kAws;
  if (type.rfind("azurerm_", 0) == 0) return Cloud::kAzure;
  if (type.rfind("google_", 0) == 0) return Cloud::kGcp;
  return Cloud::kOther;
}

const char* cloud_id(Cloud c) {
  switch (c) {
    case Cloud::kAws:
      return "aws";
    case Cloud::kAzure:
      return "azure";
    case Cloud::kGcp:
      return "gcp";
    case Cloud::kOther:
      break;
  }
  return "";
}

// Types that hold no data and set nothing the model reads: understood, nothing to model.
const std::set<std::string, std::less<>>& no_data_types() {
  static const std::set<std::string, std::less<>> types = {
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_iam_role",
      "aws_iam_policy",
      "aws_iam_role_policy_attachment",
      "aws_db_subnet_group",
      "aws_db_parameter_group",
      "aws_kms_alias",
      "aws_backup_selection",
      "azurerm_resource_group",
      "azurerm_mssql_server",
      "azurerm_mssql_firewall_rule",
      "azurerm_key_vault_key",
      "google_project_service",
      "google_kms_crypto_key",
      "google_sql_database",
      "google_sql_user",
      "aws_backup_plan",
      "aws_s3_bucket_replication_configuration",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_kms_key",
      "azurerm_key_vault",
      "google_kms_key_ring"};
  return types;
}

struct Resource {
  const Json* json = nullptr;
  std::string pointer;
  std::string address;
  std::string type;
  std::string key;  // configuration address
  const Json* values = nullptr;
  std::string module_prefix;  // "module.a." (configuration form)
};

struct Placement {
  std::string location;
  std::string role;
};

class Importer {
 public:
  Importer(const Json& plan, std::filesystem::path file, const ReferenceData& ref,
           const CloudLocations& locations, const TerraformOverlay* overlay, Diagnostics& diags)
      : plan_(plan),
        file_(std::move(file)),
        ref_(ref),
        locations_(locations),
        overlay_(overlay),
        diags_(diags) {}

  std::optional<TerraformImport> run() {
    if (!plan_.is_object()) {
      error("010", "",
            "expected the output of `terraform show -json`, found " + json_type_name(plan_));
      return std::nullopt;
    }
    const std::string version = text(plan_, "format_version");
    if (version.empty()) {
      error("010", "", "not the output of `terraform show -json`: no `format_version`",
            "write it with `terraform show -json PLANFILE > plan.json` (or without PLANFILE for "
            "the state)");
      return std::nullopt;
    }
    if (version.substr(0, version.find('.')) != "1") {
      error("011", "/format_version", "unsupported Terraform JSON format version `" + version + "`",
            "this version reads format 1.x (Terraform 0.12 and later)");
      return std::nullopt;
    }
    std::string root_pointer;
    if (member(plan_, "planned_values").is_object()) {
      root_pointer = "/planned_values/root_module";
    } else if (member(plan_, "values").is_object()) {
      root_pointer = "/values/root_module";
    } else {
      error("012", "", "neither `planned_values` (a plan) nor `values` (a state) is present",
            "an empty state has nothing to import; for a plan, run `terraform show -json` on the "
            "plan file written by `terraform plan -out`");
      return std::nullopt;
    }
    walk_module(plan_.at(Json::json_pointer(root_pointer)), root_pointer);
    index_configuration(member(member(plan_, "configuration"), "root_module"), "");
    for (std::size_t i = 0; i < resources_.size(); ++i) instances_[resources_[i].key].push_back(i);

    // First the resources that hold data, then what changes them (replication, replicas, keys).
    for (std::size_t i = 0; i < resources_.size(); ++i) map_resource(i);
    for (std::size_t i = 0; i < resources_.size(); ++i) map_modifier(i);
    return finish();
  }

 private:
  // --- reading the plan

  void walk_module(const Json& module, const std::string& pointer) {
    const Json& list = member(module, "resources");
    if (list.is_array()) {
      for (std::size_t i = 0; i < list.size(); ++i) {
        const Json& r = list[i];
        if (!r.is_object()) continue;
        if (text(r, "mode") == "data") continue;  // data sources create nothing
        Resource res;
        res.json = &r;
        res.pointer = pointer + "/resources/" + std::to_string(i);
        res.address = text(r, "address");
        res.type = text(r, "type");
        res.key = config_key(res.address);
        const std::size_t cut = res.key.rfind(res.type + ".");
        res.module_prefix = cut == std::string::npos ? "" : res.key.substr(0, cut);
        res.values = &member(r, "values");
        resources_.push_back(std::move(res));
      }
    }
    const Json& children = member(module, "child_modules");
    if (children.is_array()) {
      for (std::size_t i = 0; i < children.size(); ++i)
        walk_module(children[i], pointer + "/child_modules/" + std::to_string(i));
    }
  }

  void index_configuration(const Json& module, const std::string& prefix) {
    for (const auto& r : member(module, "resources")) {
      if (!r.is_object()) continue;
      config_[prefix + text(r, "address")] = &r;
    }
    const Json& calls = member(module, "module_calls");
    if (!calls.is_object()) return;
    for (auto it = calls.begin(); it != calls.end(); ++it)
      index_configuration(member(it.value(), "module"), prefix + "module." + it.key() + ".");
  }

  // The resources an attribute of `r`'s configuration refers to (`bucket = aws_s3_bucket.x.id`),
  // searched at any depth of nested blocks.
  std::vector<std::size_t> referenced(const Resource& r, const std::string& attribute) const {
    std::vector<std::size_t> out;
    const auto it = config_.find(r.key);
    if (it == config_.end()) return out;
    std::function<void(const Json&)> visit = [&](const Json& j) {
      if (j.is_array()) {
        for (const auto& e : j) visit(e);
        return;
      }
      if (!j.is_object()) return;
      for (auto m = j.begin(); m != j.end(); ++m) {
        if (m.key() == attribute && m.value().is_object() && m.value().contains("references")) {
          for (const auto& ref : m.value()["references"]) {
            if (!ref.is_string()) continue;
            const std::string target = reference_key(r.module_prefix, ref.get<std::string>());
            if (const auto found = instances_.find(target); found != instances_.end()) {
              for (std::size_t k : found->second)
                if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
            }
          }
        } else {
          visit(m.value());
        }
      }
    };
    visit(member(*it->second, "expressions"));
    return out;
  }

  // `aws_kms_key.k.arn` in module prefix P → `P` + `aws_kms_key.k`.
  static std::string reference_key(const std::string& prefix, const std::string& ref) {
    const std::string plain = config_key(ref);
    const std::size_t first = plain.find('.');
    if (first == std::string::npos) return "";
    const std::string head = plain.substr(0, first);
    if (head == "var" || head == "local" || head == "module" || head == "data" || head == "each" ||
        head == "count" || head == "path" || head == "self")
      return "";
    const std::size_t second = plain.find('.', first + 1);
    return prefix + plain.substr(0, second);
  }

  // --- regions

  std::string provider_region(const Resource& r) const {
    const auto it = config_.find(r.key);
    if (it == config_.end()) return "";
    std::string key = text(*it->second, "provider_config_key");
    const Json& providers = member(member(plan_, "configuration"), "provider_config");
    const Json* p = &member(providers, key.c_str());
    if (p->is_null() && key.find(':') != std::string::npos) {
      key = key.substr(key.find(':') + 1);
      p = &member(providers, key.c_str());
    }
    return text(member(member(*p, "expressions"), "region"), "constant_value");
  }

  const TerraformResourceOverlay* overlay_for(const Resource& r) const {
    if (overlay_ == nullptr) return nullptr;
    const auto it = overlay_->resources.find(r.address);
    return it == overlay_->resources.end() ? nullptr : &it->second;
  }

  // The location ids a resource's region or location names; empty (with a warning) when the
  // plan does not say and no overlay does.
  std::vector<std::string> locations_of(const Resource& r, std::string name) {
    const Cloud cloud = cloud_of(r.type);
    if (const auto* o = overlay_for(r); o && o->region) name = *o->region;
    if (name.empty()) {
      skip(r, "102", "the plan does not say the region of `" + r.address + "`",
           "give it in an overlay: resources: {\"" + r.address + "\": {region: …}}");
      return {};
    }
    std::vector<std::string> out;
    if (cloud == Cloud::kGcp) {
      const std::string code = upper(name);
      if (auto m = locations_.gcp_multi_regions.find(code); m != locations_.gcp_multi_regions.end())
        return m->second;
      if (auto d = locations_.gcp_dual_regions.find(code); d != locations_.gcp_dual_regions.end())
        return d->second;
      out.push_back("gcp:" + lower(name));
    } else if (cloud == Cloud::kAzure) {
      std::string id;
      for (const char c : lower(name))
        if (c != ' ') id += c;
      out.push_back("azure:" + id);
    } else {
      out.push_back("aws:" + name);
    }
    if (ref_.region(out.front()) == nullptr) {
      skip(r, "103",
           "unknown " + std::string(cloud_id(cloud)) + " region `" + name + "` of `" + r.address +
               "`",
           suggestion_hint(out.front(), ref_.region_ids()));
      return {};
    }
    return out;
  }

  std::vector<std::string> aws_locations(const Resource& r) {
    std::string region = text(*r.values, "region");
    if (region.empty()) region = arn_region(text(*r.values, "arn"));
    if (region.empty()) region = provider_region(r);
    return locations_of(r, region);
  }

  // --- the model part

  void map_resource(std::size_t i) {
    const Resource& r = resources_[i];
    ++managed_;
    const Json& v = *r.values;
    const std::string& t = r.type;
    if (t == "aws_s3_bucket") {
      auto locs = aws_locations(r);
      if (locs.empty()) return;
      const std::size_t s = add_system(i, "iaas", "S3 bucket `" + text(v, "bucket") + "`", locs);
      if (const std::string name = text(v, "bucket"); !name.empty()) bucket_by_name_[name] = i;
      // Provider v3's inline replication block: destinations resolved after every bucket is known.
      for (const Json* rc : blocks(v, "replication_configuration"))
        for (const Json* rule : blocks(*rc, "rules"))
          for (const Json* dest : blocks(*rule, "destination"))
            pending_s3_destinations_.emplace_back(s, s3_bucket_name(text(*dest, "bucket")));
    } else if (t == "aws_db_instance" || t == "aws_rds_cluster") {
      const bool replica =
          !text(v, "replicate_source_db").empty() || !referenced(r, "replicate_source_db").empty();
      if (replica) return;  // a copy of another instance: a replica region of it (map_modifier)
      auto locs = aws_locations(r);
      if (locs.empty()) return;
      add_system(i, "paas", "database `" + r.address + "`", locs);
      if (const std::string id = text(v, "identifier"); !id.empty()) db_by_identifier_[id] = i;
    } else if (t == "aws_dynamodb_table") {
      auto locs = aws_locations(r);
      if (locs.empty()) return;
      std::vector<Placement> extra;
      for (const Json* rep : blocks(v, "replica")) {
        const std::string region = text(*rep, "region_name");
        if (!region.empty()) extra.push_back({"aws:" + region, "replica"});
      }
      const std::size_t s = add_system(i, "paas", "DynamoDB table `" + text(v, "name") + "`", locs);
      for (const auto& p : extra) add_region(s, r, p.location, p.role, "global table replica");
    } else if (t == "aws_backup_vault") {
      auto locs = aws_locations(r);
      if (locs.empty()) return;
      add_system(i, "iaas", "backup vault `" + text(v, "name") + "`", locs);
    } else if (t == "azurerm_storage_account") {
      auto locs = locations_of(r, text(v, "location"));
      if (locs.empty()) return;
      const std::size_t s =
          add_system(i, "iaas", "storage account `" + text(v, "name") + "`", locs);
      const std::string replication = upper(text(v, "account_replication_type"));
      if (replication == "GRS" || replication == "RAGRS" || replication == "GZRS" ||
          replication == "RAGZRS")
        add_pair(s, r, locs.front(), "replica", replication + " geo-redundant copy");
    } else if (t == "azurerm_mssql_database") {
      if (upper(text(v, "create_mode")) == "SECONDARY") return;  // a geo-replica: map_modifier
      std::string location;
      for (std::size_t k : referenced(r, "server_id"))
        location = text(*resources_[k].values, "location");
      auto locs = locations_of(r, location);
      if (locs.empty()) return;
      const std::size_t s = add_system(i, "paas", "Azure SQL database `" + r.address + "`", locs);
      // Backups are geo-redundant unless the storage type says otherwise (default "Geo").
      const std::string backups = text(v, "storage_account_type");
      if (backups.empty() || backups == "Geo" || backups == "GeoZone")
        add_pair(s, r, locs.front(), "backup",
                 "geo-redundant backups (storage_account_type " +
                     (backups.empty() ? "Geo, the default" : backups) + ")");
    } else if (t == "azurerm_cosmosdb_account") {
      std::vector<std::pair<long long, std::string>> geo;
      for (const Json* g : blocks(v, "geo_location")) {
        const Json& priority = member(*g, "failover_priority");
        geo.emplace_back(priority.is_number_integer() ? priority.get<long long>() : 0,
                         text(*g, "location"));
      }
      std::sort(geo.begin(), geo.end());
      if (geo.empty()) geo.emplace_back(0, text(v, "location"));
      auto locs = locations_of(r, geo.front().second);
      if (locs.empty()) return;
      const std::size_t s =
          add_system(i, "paas", "Cosmos DB account `" + text(v, "name") + "`", locs);
      for (std::size_t k = 1; k < geo.size(); ++k) {
        auto more = locations_of(r, geo[k].second);
        for (const auto& l : more) add_region(s, r, l, "replica", "geo_location");
      }
    } else if (t == "google_storage_bucket") {
      std::vector<std::string> locs;
      std::vector<std::string> custom;
      for (const Json* c : blocks(v, "custom_placement_config"))
        for (const auto& d : member(*c, "data_locations"))
          if (d.is_string()) custom.push_back("gcp:" + lower(d.get<std::string>()));
      if (!custom.empty()) {
        locs = custom;
      } else {
        locs = locations_of(r, text(v, "location"));
      }
      if (locs.empty()) return;
      add_system(i, "iaas", "Cloud Storage bucket `" + text(v, "name") + "`", locs);
    } else if (t == "google_sql_database_instance") {
      if (!text(v, "master_instance_name").empty() ||
          !referenced(r, "master_instance_name").empty())
        return;  // a replica: map_modifier
      auto locs = locations_of(r, text(v, "region"));
      if (locs.empty()) return;
      add_system(i, "paas", "Cloud SQL instance `" + text(v, "name") + "`", locs);
      if (const std::string name = text(v, "name"); !name.empty()) db_by_identifier_[name] = i;
    } else if (t == "google_bigquery_dataset") {
      auto locs = locations_of(r, text(v, "location"));
      if (locs.empty()) return;
      add_system(i, "paas", "BigQuery dataset `" + text(v, "dataset_id") + "`", locs);
    } else if (no_data_types().count(t) == 0) {
      skip(r, "101",
           "resource type `" + t + "` is not understood: `" + r.address + "` is not in the model",
           "docs/import-terraform.md lists the types read; if it stores or moves data, describe "
           "it in the base model");
    }
  }

  void map_modifier(std::size_t i) {
    const Resource& r = resources_[i];
    const Json& v = *r.values;
    const std::string& t = r.type;
    if (t == "aws_s3_bucket_replication_configuration") {
      std::optional<std::size_t> source = system_of_bucket(r, "bucket", text(v, "bucket"));
      if (!source) return note_unresolved(r, "its source bucket is not in the plan");
      bool any = false;
      for (const Json* rule : blocks(v, "rule")) {
        if (upper(text(*rule, "status")) == "DISABLED") continue;
        for (const Json* dest : blocks(*rule, "destination")) {
          auto target = bucket_by_name(s3_bucket_name(text(*dest, "bucket")));
          if (!target) {
            for (std::size_t k : referenced(r, "bucket"))
              if (resources_[k].type == "aws_s3_bucket" && k != system_resource_[*source])
                target = k;
          }
          if (!target) continue;
          for (const auto& l : placements_of(*target))
            add_region(*source, r, l, "replica", "cross-region replication");
          replica_source_[*target] = system_resource_[*source];
          any = true;
        }
      }
      mapped(r, any ? "replica regions of its source bucket"
                    : "no enabled rule with a known "
                      "destination");
    } else if (t == "aws_s3_bucket_server_side_encryption_configuration") {
      std::optional<std::size_t> bucket = system_of_bucket(r, "bucket", text(v, "bucket"));
      if (!bucket) return note_unresolved(r, "its bucket is not in the plan");
      std::string key_country;
      for (std::size_t k : referenced(r, "kms_master_key_id")) key_country = key_country_of(k);
      if (key_country.empty()) key_country = country_of_system(*bucket);  // AES256: S3's keys
      set_measures(*bucket, key_country);
      mapped(r, "encryption at rest of its bucket, keys in " + key_country);
    } else if (t == "aws_db_instance" || t == "aws_rds_cluster") {
      std::optional<std::size_t> source;
      for (std::size_t k : referenced(r, "replicate_source_db")) source = k;
      if (!source) {
        const std::string id = text(v, "replicate_source_db");
        if (auto it = db_by_identifier_.find(id.substr(id.rfind(':') + 1));
            it != db_by_identifier_.end())
          source = it->second;
      }
      if (text(v, "replicate_source_db").empty() && referenced(r, "replicate_source_db").empty())
        return;
      if (!source || !system_by_resource_.count(*source))
        return note_unresolved(r, "the instance it replicates is not in the plan");
      for (const auto& l : aws_locations(r))
        add_region(system_by_resource_[*source], r, l, "replica", "read replica");
      mapped(r, "a replica region of `" + resources_[*source].address + "`");
    } else if (t == "azurerm_mssql_database" && upper(text(v, "create_mode")) == "SECONDARY") {
      std::optional<std::size_t> source;
      for (std::size_t k : referenced(r, "creation_source_database_id")) source = k;
      std::string location;
      for (std::size_t k : referenced(r, "server_id"))
        location = text(*resources_[k].values, "location");
      if (!source || !system_by_resource_.count(*source))
        return note_unresolved(r, "the database it replicates is not in the plan");
      for (const auto& l : locations_of(r, location))
        add_region(system_by_resource_[*source], r, l, "replica", "geo-replica");
      mapped(r, "a replica region of `" + resources_[*source].address + "`");
    } else if (t == "google_sql_database_instance" &&
               (!text(v, "master_instance_name").empty() ||
                !referenced(r, "master_instance_name").empty())) {
      std::optional<std::size_t> source;
      for (std::size_t k : referenced(r, "master_instance_name")) source = k;
      if (!source) {
        if (auto it = db_by_identifier_.find(text(v, "master_instance_name"));
            it != db_by_identifier_.end())
          source = it->second;
      }
      if (!source || !system_by_resource_.count(*source))
        return note_unresolved(r, "the instance it replicates is not in the plan");
      for (const auto& l : locations_of(r, text(v, "region")))
        add_region(system_by_resource_[*source], r, l, "replica", "read replica");
      mapped(r, "a replica region of `" + resources_[*source].address + "`");
    } else if (t == "aws_backup_plan") {
      std::vector<std::string> copies;
      for (const Json* rule : blocks(v, "rule")) {
        for (const Json* copy : blocks(*rule, "copy_action")) {
          const std::string region = arn_region(text(*copy, "destination_vault_arn"));
          if (!region.empty()) copies.push_back("aws:" + region);
        }
      }
      for (std::size_t k : referenced(r, "destination_vault_arn"))
        for (const auto& l : placements_of(k)) copies.push_back(l);
      // What the plan backs up: the selections naming it, else its own vault.
      std::vector<std::size_t> targets;
      for (std::size_t s = 0; s < resources_.size(); ++s) {
        if (resources_[s].type != "aws_backup_selection") continue;
        const auto plans = referenced(resources_[s], "plan_id");
        if (std::find(plans.begin(), plans.end(), i) == plans.end()) continue;
        for (std::size_t k : referenced(resources_[s], "resources"))
          if (system_by_resource_.count(k)) targets.push_back(k);
      }
      if (targets.empty()) {
        for (std::size_t k : referenced(r, "target_vault_name"))
          if (system_by_resource_.count(k)) targets.push_back(k);
      }
      for (std::size_t k : targets)
        for (const auto& l : copies)
          add_region(system_by_resource_[k], r, l, "backup", "backup copy_action");
      mapped(r, copies.empty()
                    ? "no copy to another vault"
                    : "backup regions of " + std::to_string(targets.size()) + " resource(s)");
    } else if (t == "aws_kms_key" || t == "azurerm_key_vault" || t == "google_kms_key_ring") {
      const std::string country = key_country_of(i);
      mapped(r, country.empty() ? "key location not known" : "keys kept in " + country);
    } else if (no_data_types().count(t) && !is_mapped(r)) {
      mapped(r, "holds no data: nothing to model");
    }
    if (t == "google_storage_bucket" && system_by_resource_.count(i)) {
      std::string country;
      for (std::size_t k : referenced(r, "default_kms_key_name")) country = key_country_of(k);
      if (!country.empty()) set_measures(system_by_resource_[i], country);
    }
  }

  // The country whose territory keeps a key: an AWS KMS key's region, a Google key ring's
  // location (through its crypto key), an Azure key vault's location (through its key).
  std::string key_country_of(std::size_t k, int depth = 0) {
    constexpr int kMaxHops = 3;
    if (depth > kMaxHops) return "";
    const Resource& r = resources_[k];
    std::string location;
    if (r.type == "aws_kms_key" || r.type == "aws_kms_replica_key") {
      std::string region = text(*r.values, "region");
      if (region.empty()) region = arn_region(text(*r.values, "arn"));
      if (region.empty()) region = provider_region(r);
      location = region.empty() ? "" : "aws:" + region;
    } else if (r.type == "google_kms_key_ring") {
      const std::string l = lower(text(*r.values, "location"));
      location = l.empty() || l == "global" ? "" : "gcp:" + l;
    } else if (r.type == "azurerm_key_vault") {
      std::string id;
      for (const char c : lower(text(*r.values, "location")))
        if (c != ' ') id += c;
      location = id.empty() ? "" : "azure:" + id;
    } else if (r.type == "google_kms_crypto_key") {
      for (std::size_t n : referenced(r, "key_ring")) return key_country_of(n, depth + 1);
    } else if (r.type == "azurerm_key_vault_key") {
      for (std::size_t n : referenced(r, "key_vault_id")) return key_country_of(n, depth + 1);
    }
    const Location* loc = location.empty() ? nullptr : ref_.region(location);
    return loc ? loc->country : "";
  }

  std::optional<std::size_t> bucket_by_name(const std::string& name) {
    if (auto it = bucket_by_name_.find(name); it != bucket_by_name_.end()) return it->second;
    return std::nullopt;
  }

  // The system of the bucket an S3 sub-resource names (by reference, else by bucket name).
  std::optional<std::size_t> system_of_bucket(const Resource& r, const std::string& attribute,
                                              const std::string& name) {
    for (std::size_t k : referenced(r, attribute))
      if (system_by_resource_.count(k)) return system_by_resource_[k];
    if (auto b = bucket_by_name(name); b && system_by_resource_.count(*b))
      return system_by_resource_[*b];
    return std::nullopt;
  }

  std::vector<std::string> placements_of(std::size_t resource) {
    std::vector<std::string> out;
    auto it = system_by_resource_.find(resource);
    if (it == system_by_resource_.end()) return out;
    for (const auto& p : systems_[it->second]["regions"])
      if (p["role"] == "primary") out.push_back(p["location"].get<std::string>());
    return out;
  }

  std::string country_of_system(std::size_t s) {
    for (const auto& p : systems_[s]["regions"]) {
      if (const Location* l = ref_.region(p["location"].get<std::string>())) return l->country;
      const std::string id = p["location"].get<std::string>();
      if (id.rfind("country:", 0) == 0) return id.substr(8);
    }
    return "";
  }

  void set_measures(std::size_t s, const std::string& key_country) {
    Json m{{"encryption_at_rest", true}, {"key_holder", systems_[s]["operator"]}};
    if (!key_country.empty()) m["key_country"] = key_country;
    systems_[s]["measures"] = m;
  }

  std::string provider_party(Cloud cloud) {
    const std::string id = cloud_id(cloud);
    if (overlay_ != nullptr) {
      if (auto it = overlay_->providers.find(id); it != overlay_->providers.end())
        return it->second;
    }
    if (!providers_used_.count(id)) {
      providers_used_.insert(id);
      const CloudProvider* p = ref_.provider(id);
      Json party{{"id", id},
                 {"name", p ? p->operator_name : id},
                 {"country", p ? Json(p->operator_country) : Json("unknown")},
                 {"parent", nullptr},
                 {"roles", {"processor"}},
                 {"note",
                  "the cloud provider as the plan names it; the entity you contract with "
                  "may differ (overlay `providers`)"}};
      origins_["/parties/" + std::to_string(parties_.size())] =
          Provenance{file_, "/configuration/provider_config", 0, 0,
                     "provider." + std::string(cloud == Cloud::kAws     ? "aws"
                                               : cloud == Cloud::kAzure ? "azurerm"
                                                                        : "google")};
      parties_.push_back(std::move(party));
    }
    return id;
  }

  std::size_t add_system(std::size_t i, const std::string& tier, const std::string& name,
                         const std::vector<std::string>& locations) {
    const Resource& r = resources_[i];
    Json regions = Json::array();
    std::set<std::string> seen;
    for (const auto& l : locations) {
      if (!seen.insert(l).second) continue;
      regions.push_back({{"location", l}, {"role", "primary"}});
    }
    Json system{{"id", model_id(r.address)},
                {"name", name},
                {"tier", tier},
                {"operator", provider_party(cloud_of(r.type))},
                {"regions", regions},
                {"operator_handles_data", "unknown"},
                {"note", "from Terraform `" + r.address + "` (" + r.type + ")"}};
    const std::size_t s = systems_.size();
    origins_["/systems/" + std::to_string(s)] = Provenance{file_, r.pointer, 0, 0, r.address};
    systems_.push_back(std::move(system));
    system_by_resource_[i] = s;
    system_resource_.push_back(i);
    mapped(r, tier + " system `" + model_id(r.address) + "`");
    return s;
  }

  void add_region(std::size_t s, const Resource& from, const std::string& location,
                  const std::string& role, const std::string& why) {
    if (ref_.region(location) == nullptr && location.rfind("country:", 0) != 0) {
      skip(from, "103", "unknown region `" + location + "` of `" + from.address + "` (" + why + ")",
           suggestion_hint(location, ref_.region_ids()));
      return;
    }
    for (const auto& p : systems_[s]["regions"])
      if (p["location"] == location) return;  // already there (a replica in the same region)
    systems_[s]["regions"].push_back({{"location", location}, {"role", role}});
  }

  void add_pair(std::size_t s, const Resource& r, const std::string& location,
                const std::string& role, const std::string& why) {
    const auto it = locations_.azure_pairs.find(location);
    if (it == locations_.azure_pairs.end()) {
      skip(r, "104",
           "no paired region is known for `" + location + "` (" + why + ") of `" + r.address + "`",
           "importers/data/cloud_locations.json lists the pairs Microsoft publishes; describe the "
           "secondary region in the base model");
      return;
    }
    add_region(s, r, it->second, role, why);
  }

  // Where a value taken from the overlay was written (an id the model may lack is reported there).
  Provenance overlay_place(const std::string& pointer) const {
    Provenance p{overlay_->file, pointer, 0, 0, ""};
    if (auto pos = nearest_position(overlay_->positions, pointer)) {
      p.line = pos->line;
      p.column = pos->column;
    }
    return p;
  }

  void mapped(const Resource& r, const std::string& note) {
    if (!is_mapped(r)) mapped_.push_back({r.address, r.type, r.pointer, note});
  }
  bool is_mapped(const Resource& r) const {
    return std::any_of(mapped_.begin(), mapped_.end(),
                       [&](const auto& m) { return m.pointer == r.pointer; });
  }
  void note_unresolved(const Resource& r, const std::string& why) {
    skip(r, "105", "`" + r.address + "` is left out: " + why,
         "import the whole configuration's plan, or describe it in the base model");
  }

  void skip(const Resource& r, const std::string& code, const std::string& message,
            const std::string& hint) {
    diags_.warning(std::string(kTerraformCode) + "-" + code, file_, r.pointer, message, hint);
    skipped_.push_back({r.address, r.type, r.pointer, message});
  }

  void error(const std::string& code, const std::string& pointer, const std::string& message,
             std::optional<std::string> hint = std::nullopt) {
    diags_.error(std::string(kTerraformCode) + "-" + code, file_, pointer, message,
                 std::move(hint));
  }

  std::optional<TerraformImport> finish() {
    // S3 inline replication (provider v3), now that every bucket is known.
    for (const auto& [s, name] : pending_s3_destinations_) {
      if (auto b = bucket_by_name(name)) {
        for (const auto& l : placements_of(*b))
          add_region(s, resources_[system_resource_[s]], l, "replica", "cross-region replication");
        replica_source_[*b] = system_resource_[s];
      }
    }
    // Who puts data in each system: the overlay says, else the account owner, with a data set
    // whose categories nobody knows.
    std::string owner = overlay_ && overlay_->owner ? *overlay_->owner : "";
    if (owner.empty() && !systems_.empty()) {
      owner = "tf:account-owner";
      origins_["/parties/" + std::to_string(parties_.size())] =
          Provenance{file_, "", 0, 0, "the accounts of this plan"};
      parties_.push_back({{"id", owner},
                          {"name", "the owner of the cloud accounts (not stated)"},
                          {"country", "unknown"},
                          {"parent", "unknown"},
                          {"roles", {"controller"}},
                          {"note", "name your own party with the overlay's `owner`"}});
    }
    for (std::size_t s = 0; s < systems_.size(); ++s) {
      const Resource& r = resources_[system_resource_[s]];
      const Provenance origin{file_, r.pointer, 0, 0, r.address};
      const TerraformResourceOverlay* o = overlay_for(r);
      // A replication destination holds what its source holds, unless the overlay says more.
      if ((o == nullptr || o->datasets.empty()) && replica_source_.count(system_resource_[s]))
        o = overlay_for(resources_[replica_source_[system_resource_[s]]]);
      std::string from = owner;
      std::string from_pointer = overlay_ && overlay_->owner ? "/owner" : "";
      if (overlay_ && overlay_->from) {
        from = *overlay_->from;
        from_pointer = "/from";
      }
      if (o && o->from) {
        from = *o->from;
        from_pointer = o->pointer + "/from";
      }
      const std::string flow = "/flows/" + std::to_string(flows_.size());
      if (!from_pointer.empty()) origins_[flow + "/from"] = overlay_place(from_pointer);
      Json data = Json::array();
      if (o && !o->datasets.empty()) {
        for (const auto& d : o->datasets) {
          origins_[flow + "/datasets/" + std::to_string(data.size())] =
              overlay_place(o->pointer + "/datasets/" + std::to_string(data.size()));
          data.push_back(d);
        }
      } else {
        const std::string id = "tf-data:" + model_id(r.address).substr(3);
        const std::string dataset = "/datasets/" + std::to_string(datasets_.size());
        if (overlay_ && overlay_->owner)
          origins_[dataset + "/controller"] = overlay_place("/owner");
        if (!from_pointer.empty()) origins_[dataset + "/origin"] = overlay_place(from_pointer);
        origins_["/datasets/" + std::to_string(datasets_.size())] = origin;
        datasets_.push_back({{"id", id},
                             {"name", "what `" + r.address + "` holds (not known from the plan)"},
                             {"categories", "unknown"},
                             {"subjects", "unknown"},
                             {"subject_count", "unknown"},
                             {"controller", owner},
                             {"origin", from},
                             {"note", "say which data sets live here with an overlay"}});
        data.push_back(id);
      }
      origins_[flow] = origin;
      flows_.push_back({{"id", systems_[s]["id"].get<std::string>() + "/store"},
                        {"name", "data stored in `" + r.address + "`"},
                        {"event", "transfer"},
                        {"from", from},
                        {"to", systems_[s]["id"]},
                        {"datasets", data},
                        {"relationship", "controller_to_processor"},
                        {"purpose", "storage"}});
    }
    TerraformImport out;
    out.managed_resources = managed_;
    out.mapped = mapped_;
    out.skipped = skipped_;
    out.document.file = file_;
    out.document.syntax = ModelSyntax::kJson;
    out.document.json =
        Json{{"format", kModelFormat}, {"name", "Terraform " + file_.filename().string()},
             {"parties", parties_},    {"systems", systems_},
             {"datasets", datasets_},  {"flows", flows_}};
    out.document.origins.insert(origins_.begin(), origins_.end());
    return out;
  }

  const Json& plan_;
  std::filesystem::path file_;
  const ReferenceData& ref_;
  const CloudLocations& locations_;
  const TerraformOverlay* overlay_;
  Diagnostics& diags_;

  std::vector<Resource> resources_;
  std::map<std::string, const Json*> config_;
  std::map<std::string, std::vector<std::size_t>> instances_;
  std::map<std::string, std::size_t> bucket_by_name_;
  std::map<std::string, std::size_t> db_by_identifier_;
  std::map<std::size_t, std::size_t> system_by_resource_;  // resource → system
  std::vector<std::size_t> system_resource_;               // system → resource
  std::vector<std::pair<std::size_t, std::string>> pending_s3_destinations_;
  std::map<std::size_t, std::size_t> replica_source_;  // destination resource → source resource
  std::set<std::string> providers_used_;
  Json parties_ = Json::array();
  std::vector<Json> systems_;
  Json datasets_ = Json::array();
  Json flows_ = Json::array();
  std::map<std::string, Provenance> origins_;
  std::vector<TerraformImport::Resource> mapped_;
  std::vector<TerraformImport::Resource> skipped_;
  std::size_t managed_ = 0;
};

}  // namespace

std::filesystem::path CloudLocations::default_file() {
  if (const char* dir = std::getenv("XBORDER_IMPORTERS_DATA_DIR"); dir != nullptr && *dir != '\0')
    return std::filesystem::path(dir) / "cloud_locations.json";
  return std::filesystem::path(XBORDER_SOURCE_DIR) / "importers" / "data" / "cloud_locations.json";
}

std::optional<CloudLocations> CloudLocations::load(const std::filesystem::path& file,
                                                   const ReferenceData& reference,
                                                   Diagnostics& diags) {
  auto doc = read_json_file(file, diags, "XB-DATA");
  if (!doc) return std::nullopt;
  CloudLocations out;
  const std::size_t errors = diags.error_count();
  auto check = [&](const std::string& location, const std::string& pointer) {
    if (reference.region(location) == nullptr && location.rfind("country:", 0) != 0)
      diags.error("XB-DATA-030", file, pointer, "unknown region `" + location + "`",
                  suggestion_hint(location, reference.region_ids()));
  };
  const Json& pairs = member(member(*doc, "azure_paired_regions"), "pairs");
  for (auto it = pairs.begin(); pairs.is_object() && it != pairs.end(); ++it) {
    if (!it.value().is_string()) continue;
    check(it.key(), "/azure_paired_regions/pairs/" + pointer_token(it.key()));
    check(it.value().get<std::string>(), "/azure_paired_regions/pairs/" + pointer_token(it.key()));
    out.azure_pairs[it.key()] = it.value().get<std::string>();
  }
  for (const auto& [key, target] :
       {std::pair<const char*, std::map<std::string, std::vector<std::string>>*>{
            "multi_regions", &out.gcp_multi_regions},
        {"dual_regions", &out.gcp_dual_regions}}) {
    const Json& table = member(member(*doc, "gcp_locations"), key);
    for (auto it = table.begin(); table.is_object() && it != table.end(); ++it) {
      const std::string pointer = "/gcp_locations/" + std::string(key) + "/" + it.key();
      for (const auto& l : it.value()) {
        if (!l.is_string()) continue;
        check(l.get<std::string>(), pointer);
        (*target)[it.key()].push_back(l.get<std::string>());
      }
    }
  }
  if (diags.error_count() > errors) return std::nullopt;
  return out;
}

std::optional<TerraformOverlay> read_terraform_overlay(const std::filesystem::path& file,
                                                       Diagnostics& diags) {
  auto doc = read_model_document(file, diags);
  if (!doc) return std::nullopt;
  Diagnostics local;
  ReadContext ctx{file, &local, "XB-OVERLAY"};
  TerraformOverlay out;
  out.file = file;
  ObjectReader top(doc->json, "", ctx);
  if (top.ok()) {
    if (auto format = top.string("format", true); format && *format != kTerraformOverlayFormat)
      ctx.error("013", "/format", "unsupported overlay format `" + *format + "`",
                std::string("this version reads `") + kTerraformOverlayFormat + "`");
    out.owner = top.identifier("owner", false);
    out.from = top.identifier("from", false);
    if (const Json* providers = top.get("providers", false)) {
      ObjectReader p(*providers, "/providers", ctx);
      if (p.ok()) {
        for (const char* cloud : {"aws", "azure", "gcp"})
          if (auto id = p.identifier(cloud, false)) out.providers[cloud] = *id;
        p.finish();
      }
    }
    if (const Json* resources = top.get("resources", false)) {
      if (!resources->is_object()) {
        ctx.error(
            "006", "/resources",
            "expected an object keyed by Terraform address, found " + json_type_name(*resources));
      } else {
        for (auto it = resources->begin(); it != resources->end(); ++it) {
          const std::string pointer = "/resources/" + pointer_token(it.key());
          ObjectReader r(it.value(), pointer, ctx);
          if (!r.ok()) continue;
          TerraformResourceOverlay entry;
          entry.pointer = pointer;
          entry.datasets = r.strings("datasets", false);
          entry.from = r.identifier("from", false);
          entry.region = r.string("region", false);
          r.finish();
          out.resources[it.key()] = std::move(entry);
        }
      }
    }
    top.finish();
  }
  out.positions = doc->positions;
  // YAML overlays: each place with its line and column.
  local.relocate([&](Diagnostic& d) {
    if (auto pos = nearest_position(doc->positions, d.pointer)) {
      d.line = pos->line;
      d.column = pos->column;
    }
  });
  diags.append(local);
  if (local.has_errors()) return std::nullopt;
  return out;
}

std::optional<TerraformImport> import_terraform(const Json& plan, const std::filesystem::path& file,
                                                const ReferenceData& reference,
                                                const CloudLocations& locations,
                                                const TerraformOverlay* overlay,
                                                Diagnostics& diags) {
  Importer importer(plan, file, reference, locations, overlay, diags);
  return importer.run();
}

std::optional<TerraformImport> import_terraform_file(const std::filesystem::path& file,
                                                     const ReferenceData& reference,
                                                     const CloudLocations& locations,
                                                     const TerraformOverlay* overlay,
                                                     Diagnostics& diags) {
  auto plan = read_json_file(file, diags, kTerraformCode);
  if (!plan) return std::nullopt;
  return import_terraform(*plan, file, reference, locations, overlay, diags);
}

}  // namespace xborder
