#include "model/reference_data.hpp"

#include <cstdlib>

#include "model/json_reader.hpp"

#ifndef XBORDER_SOURCE_DIR
#define XBORDER_SOURCE_DIR "."
#endif

namespace xborder {

std::filesystem::path ReferenceData::default_dir() {
  if (const char* env = std::getenv("XBORDER_DATA_DIR"); env && *env) return env;
  return std::filesystem::path(XBORDER_SOURCE_DIR) / "model" / "data";
}

std::optional<ReferenceData> ReferenceData::load(const std::filesystem::path& data_dir,
                                                 Diagnostics& diags) {
  ReferenceData ref;
  const std::size_t errors_before = diags.error_count();

  const auto countries_file = data_dir / "countries.json";
  if (auto doc = read_json_file(countries_file, diags, "XB-DATA")) {
    ReadContext ctx{countries_file, &diags, "XB-DATA"};
    ObjectReader top(*doc, "", ctx);
    top.string("format", true);
    top.string("description", false);
    top.string("source_url", false);
    top.array("countries", true, [&](const Json& j, const std::string& ptr) {
      ObjectReader r(j, ptr, ctx);
      CountryInfo c;
      c.code = r.string("code", true).value_or("");
      c.name = r.string("name", true).value_or("");
      c.name_ja = r.string("name_ja", false).value_or(c.name);
      if (r.finish()) ref.countries_[c.code] = c;
    });
    top.finish();
  }

  const auto regions_file = data_dir / "cloud_regions.json";
  if (auto doc = read_json_file(regions_file, diags, "XB-DATA")) {
    ReadContext ctx{regions_file, &diags, "XB-DATA"};
    ObjectReader top(*doc, "", ctx);
    top.string("format", true);
    top.string("description", false);
    top.array("providers", true, [&](const Json& j, const std::string& ptr) {
      ObjectReader r(j, ptr, ctx);
      CloudProvider p;
      p.id = r.identifier("id", true).value_or("");
      p.name = r.string("name", true).value_or("");
      p.operator_name = r.string("operator", true).value_or("");
      p.operator_country = r.string("operator_country", true).value_or("");
      p.source_url = r.string("source_url", true).value_or("");
      p.verified = r.string("verified", true).value_or("");
      r.string("note", false);
      if (r.finish()) ref.providers_[p.id] = p;
    });
    top.array("regions", true, [&](const Json& j, const std::string& ptr) {
      ObjectReader r(j, ptr, ctx);
      Location l;
      l.id = r.identifier("id", true).value_or("");
      l.provider = r.string("provider", true);
      l.name = r.string("name", true).value_or("");
      l.country = r.string("country", true).value_or("");
      r.string("city", false);
      l.operator_name = r.string("operator", false);
      l.operator_country = r.string("operator_country", false);
      r.string("note", false);
      if (!r.finish()) return;
      if (!ref.countries_.empty() && !ref.countries_.count(l.country)) {
        ctx.error("010", ptr + "/country", "unknown country code `" + l.country + "`");
        return;
      }
      if (l.provider && !ref.providers_.count(*l.provider)) {
        ctx.error("011", ptr + "/provider", "unknown provider `" + *l.provider + "`");
        return;
      }
      if (ref.regions_.count(l.id)) {
        ctx.error("012", ptr + "/id", "duplicate region id `" + l.id + "`");
        return;
      }
      ref.regions_[l.id] = l;
    });
    top.finish();
  }
  if (diags.error_count() > errors_before) return std::nullopt;
  return ref;
}

const CountryInfo* ReferenceData::country(const std::string& code) const {
  auto it = countries_.find(code);
  return it == countries_.end() ? nullptr : &it->second;
}
const Location* ReferenceData::region(const std::string& id) const {
  auto it = regions_.find(id);
  return it == regions_.end() ? nullptr : &it->second;
}
const CloudProvider* ReferenceData::provider(const std::string& id) const {
  auto it = providers_.find(id);
  return it == providers_.end() ? nullptr : &it->second;
}
std::vector<std::string> ReferenceData::country_codes() const {
  std::vector<std::string> out;
  for (const auto& [code, info] : countries_) out.push_back(code);
  return out;
}
std::vector<std::string> ReferenceData::region_ids() const {
  std::vector<std::string> out;
  for (const auto& [id, loc] : regions_) out.push_back(id);
  return out;
}

}  // namespace xborder
