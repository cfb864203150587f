// Terraform plans and states (`terraform show -json`) as a part of a transfer model: every
// resource that stores data becomes a system in its cloud regions, with the copies the plan
// shows (cross-region replication, read replicas, global tables, backup copies, geo-redundant
// storage in the paired region, multi- and dual-region locations) as replica and backup regions,
// and where its encryption keys live. What the plan cannot say — which data sets live in a
// resource, who owns the account — stays unknown unless an overlay says it. Resource types that
// are not understood are listed, never dropped silently. Mapping tables: docs/import-terraform.md.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/json_reader.hpp"
#include "model/model_sources.hpp"
#include "model/reference_data.hpp"

namespace xborder {

inline constexpr const char* kTerraformOverlayFormat = "xborder-terraform-overlay/1";

// Where copies go beyond the named region: Azure region pairs and Google Cloud multi- and
// dual-regions (importers/data/cloud_locations.json, with sources).
struct CloudLocations {
  std::map<std::string, std::string> azure_pairs;                     // azure:x → azure:y
  std::map<std::string, std::vector<std::string>> gcp_multi_regions;  // "EU" → locations
  std::map<std::string, std::vector<std::string>> gcp_dual_regions;   // "EUR4" → two regions
  static std::optional<CloudLocations> load(const std::filesystem::path& file,
                                            const ReferenceData& reference, Diagnostics& diags);
  // importers/data/cloud_locations.json of the sources (XBORDER_IMPORTERS_DATA_DIR overrides the
  // directory).
  static std::filesystem::path default_file();
};

// What the plan cannot say, said by the user (docs/import-terraform.md "Overlay").
struct TerraformResourceOverlay {
  std::vector<std::string> datasets;  // data sets of the base model stored in the resource
  std::optional<std::string> from;    // who writes them into it (a party or system id)
  std::optional<std::string> region;  // the provider's region name, when the plan has none
  std::string pointer;
};
struct TerraformOverlay {
  std::filesystem::path file;
  std::optional<std::string> owner;  // the party whose accounts these are (the controller)
  std::optional<std::string> from;   // default writer of data into every resource
  std::map<std::string, std::string> providers;  // aws | azure | gcp → a party id of the model
  std::map<std::string, TerraformResourceOverlay> resources;  // by Terraform address
  PositionMap positions;  // YAML overlays: where each value is, for diagnostics on what it names
};
// Reads an overlay (YAML or JSON); problems are XB-OVERLAY-* diagnostics with line and column.
std::optional<TerraformOverlay> read_terraform_overlay(const std::filesystem::path& file,
                                                       Diagnostics& diags);

struct TerraformImport {
  ModelDocument document;  // the model part, with each item's origin in the plan
  struct Resource {
    std::string address;
    std::string type;
    std::string pointer;  // in the plan
    std::string note;     // what became of it, or why it was left out
  };
  std::vector<Resource> mapped;   // became (part of) a system, or a key's location
  std::vector<Resource> skipped;  // not understood, or without a place: warnings XB-TF-1xx
  std::size_t managed_resources = 0;
};

// The plan or state document read from `file` (`terraform show -json` output, format_version 1.x).
// Errors (not a plan or state, another major format version) are XB-TF-0xx; resources left out
// are warnings XB-TF-1xx with the plan's pointer. `overlay` may be null.
std::optional<TerraformImport> import_terraform(const Json& plan, const std::filesystem::path& file,
                                                const ReferenceData& reference,
                                                const CloudLocations& locations,
                                                const TerraformOverlay* overlay,
                                                Diagnostics& diags);
// read_json_file, then import_terraform.
std::optional<TerraformImport> import_terraform_file(const std::filesystem::path& file,
                                                     const ReferenceData& reference,
                                                     const CloudLocations& locations,
                                                     const TerraformOverlay* overlay,
                                                     Diagnostics& diags);

}  // namespace xborder
