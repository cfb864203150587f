// Reference data shipped as files in model/data: ISO countries and the cloud region table.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/transfer_model.hpp"

namespace xborder {

struct CountryInfo {
  Country code;
  std::string name;
  std::string name_ja;
};

struct CloudProvider {
  Id id;
  std::string name;
  std::string operator_name;
  Country operator_country;
  std::string source_url;
  std::string verified;
};

class ReferenceData {
 public:
  // Reads countries.json and cloud_regions.json from `data_dir`.
  static std::optional<ReferenceData> load(const std::filesystem::path& data_dir,
                                           Diagnostics& diags);
  // The directory shipped with the sources (XBORDER_DATA_DIR overrides it).
  static std::filesystem::path default_dir();

  [[nodiscard]] const CountryInfo* country(const std::string& code) const;
  [[nodiscard]] const Location* region(const std::string& id) const;
  [[nodiscard]] const CloudProvider* provider(const std::string& id) const;
  [[nodiscard]] std::vector<std::string> country_codes() const;
  [[nodiscard]] std::vector<std::string> region_ids() const;
  [[nodiscard]] const std::map<std::string, Location>& regions() const { return regions_; }

 private:
  std::map<std::string, CountryInfo> countries_;
  std::map<std::string, Location> regions_;
  std::map<std::string, CloudProvider> providers_;
};

}  // namespace xborder
