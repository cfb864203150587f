// Fides (fideslang) manifests as a part of a transfer model: systems with their privacy
// declarations, egress and ingress, and datasets, each keeping its place in the YAML file.
// fideslang says what data a system handles and where it sends it, not where a system runs: a
// system whose location is not stated (`meta.xborder.location`) is a party of unknown country, so
// findings on it are undetermined and name it. Data categories map through
// importers/data/fides_categories.json. Format, mapping and codes: docs/import-fides.md.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model_sources.hpp"
#include "model/reference_data.hpp"

namespace xborder {

// The shipped tables the importer reads: fideslang category → model categories, and ISO alpha-3
// → alpha-2 codes (fideslang 1.x/2.x wrote `third_country_transfers` in alpha-3).
struct FidesData {
  struct Mapping {
    std::vector<std::string> include;  // categories certainly present
    std::vector<std::string> unknown;  // categories that may be present
  };
  std::string fideslang_version;
  std::map<std::string, Mapping> mapping;  // by fideslang key; a key maps as its nearest ancestor
  std::set<std::string> taxonomy;          // the keys of the default taxonomy
  std::map<std::string, std::string> alpha3;

  // Reads fides_categories.json and country_alpha3.json from `dir`; every category named must be
  // one of the model's (XB-DATA-*).
  static std::optional<FidesData> load(const std::filesystem::path& dir, Diagnostics& diags);
  // importers/data in the sources (XBORDER_IMPORTERS_DATA_DIR overrides it).
  static std::filesystem::path default_dir();
};

struct FidesOptions {
  // The party of the model whose systems these are; empty: a party `fides-org:KEY` of unknown
  // country per `organization_fides_key`.
  std::string owner;
};

struct FidesImport {
  ModelDocument document;
  std::vector<std::string> notes;  // what each resource became, for the summary of `import fides`
};

// Reads a fideslang manifest (YAML or JSON: `system`, `dataset`, `organization`, `data_category`,
// …). Errors (XB-FIDES-0xx) stop the import; unknown keys, categories and references and the
// resources that are not read are warnings (XB-FIDES-1xx), each with its line and column.
std::optional<FidesImport> import_fides_file(const std::filesystem::path& file,
                                             const ReferenceData& reference, const FidesData& data,
                                             const FidesOptions& options, Diagnostics& diags);
std::optional<FidesImport> import_fides_text(const std::string& text,
                                             const std::filesystem::path& file,
                                             const ReferenceData& reference, const FidesData& data,
                                             const FidesOptions& options, Diagnostics& diags);

}  // namespace xborder
