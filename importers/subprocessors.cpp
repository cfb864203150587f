#include "importers/subprocessors.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "importers/text.hpp"
#include "model/json_reader.hpp"
#include "model/vocabulary.hpp"

namespace xborder {
namespace {

constexpr const char* kCsvCode = "XB-CSV";

using import_text::lower;
using import_text::slug;
using import_text::split_list;
using import_text::trim;

// Words of sub-processor lists for the model's categories (the model's own words are accepted too).
const std::map<std::string, std::vector<std::string>>& category_words() {
  static const std::map<std::string, std::vector<std::string>> words = {
      {"contact data", {"personal_data"}},
      {"contact details", {"personal_data"}},
      {"customer data", {"personal_data"}},
      {"employee data", {"personal_data"}},
      {"usage data", {"personal_data"}},
      {"account data", {"personal_data"}},
      {"health data", {"personal_data", "special_category"}},
      {"biometric data", {"personal_data", "special_category"}},
      {"payment data", {"personal_data", "payment_data"}},
      {"card data", {"personal_data", "payment_data"}},
      {"pseudonymised data", {"pseudonymised"}},
      {"anonymised data", {"anonymised"}},
      {"trade secrets", {"trade_secret"}},
      {"technical data", {"export_controlled"}},
      {"none", {"non_personal"}},
  };
  return words;
}

const std::vector<std::string> kCsvColumns = {
    "vendor",         "country", "service",  "purpose", "data_categories", "access", "region",
    "access_country", "system",  "datasets", "note"};
const std::vector<std::string> kCsvRequired = {"vendor", "country", "service", "access"};

}  // namespace

void add_csv_error(Diagnostics& diags, const std::filesystem::path& file,
                   const std::string& code_prefix, TextPosition at, const std::string& pointer,
                   const std::string& message, std::optional<std::string> hint,
                   const std::string& code) {
  Diagnostic d{Severity::kError, code_prefix + "-" + code, message, file, pointer, std::move(hint)};
  d.line = at.line;
  d.column = at.column;
  diags.add(std::move(d));
}

std::optional<std::map<std::string, std::size_t>> read_csv_header(
    const std::vector<CsvRecord>& records, const std::filesystem::path& file, Diagnostics& diags,
    const std::string& code_prefix, const CsvHeaderSpec& spec) {
  auto error = [&](TextPosition at, const std::string& pointer, const std::string& message,
                   std::optional<std::string> hint, const std::string& code) {
    add_csv_error(diags, file, code_prefix, at, pointer, message, std::move(hint), code);
  };
  if (records.empty()) {
    error({1, 1}, "", spec.empty_message, spec.empty_hint, "010");
    return std::nullopt;
  }
  const std::size_t errors_before = diags.error_count();
  std::map<std::string, std::size_t> column;
  const CsvRecord& header = records.front();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = lower(trim(header.fields[i]));
    if (std::find(spec.known.begin(), spec.known.end(), name) == spec.known.end()) {
      error(header.start(i), "/0/" + pointer_token(name), "unknown column `" + name + "`",
            suggestion_hint(name, spec.known), "009");
    } else if (!column.emplace(name, i).second) {
      error(header.start(i), "/0/" + name, "the column `" + name + "` appears twice", std::nullopt,
            "014");
    }
  }
  for (const auto& name : spec.required) {
    if (!column.count(name))
      error(header.start(0), "/0", "missing required column `" + name + "`", spec.missing_hint,
            "005");
  }
  if (diags.error_count() > errors_before) return std::nullopt;
  return column;
}

std::optional<std::vector<CsvRecord>> parse_csv(const std::string& input,
                                                const std::filesystem::path& file,
                                                Diagnostics& diags,
                                                const std::string& code_prefix) {
  std::string_view text(input);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRecord> out;
  CsvRecord record;
  std::string field;
  bool quoted = false, field_started = false;
  int line = 1, column = 0, record_line = 1;
  TextPosition field_start{1, 1};
  auto end_field = [&] {
    record.fields.push_back(field);
    record.starts.push_back(field_start);
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    const bool empty = record.fields.size() == 1 && trim(record.fields[0]).empty();
    if (!empty) {
      record.line = record_line;
      out.push_back(std::move(record));
    }
    record = CsvRecord{};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // Columns count characters: UTF-8 continuation bytes do not start one.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
          ++column;
        } else {
          quoted = false;
          // Only a separator or the end of the line may follow a closing quote.
          if (i + 1 < text.size() && text[i + 1] != ',' && text[i + 1] != '\n' &&
              text[i + 1] != '\r') {
            Diagnostic d{Severity::kError,
                         code_prefix + "-002",
                         "invalid CSV: text after a closing quote",
                         file,
                         "",
                         "quote the whole field, and write a quote inside it as \"\""};
            d.line = line;
            d.column = column + 1;
            diags.add(std::move(d));
            return std::nullopt;
          }
        }
      } else {
        if (c == '\n') {
          ++line;
          column = 0;
        }
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started && trim(field).empty()) {
      quoted = true;
      field_started = true;
      field.clear();
    } else if (c == ',') {
      end_field();
      field_start = TextPosition{line, column + 1};
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
      column = 0;
      record_line = line;
      field_start = TextPosition{line, 1};
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) {
    Diagnostic d{Severity::kError,
                 code_prefix + "-002",
                 "invalid CSV: a quoted field never ends",
                 file,
                 "",
                 "close the quote opened on this line"};
    d.line = record_line;
    d.column = 1;
    diags.add(std::move(d));
    return std::nullopt;
  }
  if (!field.empty() || !record.fields.empty()) end_record();
  return out;
}

std::optional<ModelDocument> import_subprocessors_file(const std::filesystem::path& file,
                                                       const ReferenceData& reference,
                                                       const SubprocessorOptions& options,
                                                       Diagnostics& diags) {
  auto text = read_input_file(file, diags, kCsvCode);
  if (!text) return std::nullopt;
  auto records = parse_csv(*text, file, diags, kCsvCode);
  if (!records) return std::nullopt;
  const std::size_t errors_before = diags.error_count();
  auto error = [&](TextPosition at, const std::string& pointer, const std::string& message,
                   std::optional<std::string> hint, const std::string& code) {
    add_csv_error(diags, file, kCsvCode, at, pointer, message, std::move(hint), code);
  };
  // The header: known column names, each once, the required ones present.
  const auto header_columns = read_csv_header(
      *records, file, diags, kCsvCode,
      {kCsvColumns, kCsvRequired, "the list is empty",
       "the first line names the columns: vendor,country,service,access,…",
       "the columns: vendor, country, service, access (required), purpose, data_categories, "
       "region, access_country, system, datasets, note"});
  if (!header_columns) return std::nullopt;
  const std::map<std::string, std::size_t>& column = *header_columns;

  const std::string exporter = options.exporter.empty() ? "csv:exporter" : options.exporter;
  Json parties = Json::array(), systems = Json::array(), datasets = Json::array(),
       flows = Json::array();
  ModelDocument doc;
  doc.file = file;
  std::map<std::string, std::string> vendor_ids;  // vendor name → party id
  std::set<std::string> system_ids;
  if (options.exporter.empty()) {
    parties.push_back({{"id", exporter},
                       {"name", "the organisation whose sub-processors these are (not stated)"},
                       {"country", "unknown"},
                       {"parent", "unknown"},
                       {"roles", {"controller"}}});
  }
  for (std::size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& row = (*records)[r];
    const std::string row_ptr = "/" + std::to_string(r);
    auto get = [&](const std::string& name) {
      const auto it = column.find(name);
      return it != column.end() && it->second < row.fields.size() ? trim(row.fields[it->second])
                                                                  : std::string();
    };
    auto fail = [&](const std::string& name, const std::string& message,
                    std::optional<std::string> hint, const std::string& code) {
      const auto it = column.find(name);
      error(row.start(it == column.end() ? 0 : it->second), row_ptr + "/" + name, message,
            std::move(hint), code);
    };
    const Provenance origin{file, row_ptr, row.line, 1, get("vendor") + " — " + get("service")};
    const std::string vendor = get("vendor"), country = get("country"), service = get("service");
    if (vendor.empty()) fail("vendor", "the vendor is empty", "name the sub-processor", "005");
    if (service.empty()) fail("service", "the service is empty", "say what it does for you", "005");
    if (!reference.country(country)) {
      std::string hint = suggestion_hint(country, reference.country_codes());
      if (country == "UK") hint = "the ISO 3166-1 code of the United Kingdom is `GB`";
      fail("country", "unknown country code `" + country + "`", hint, "010");
    }
    const std::string access = lower(get("access"));
    const bool hosting = access == "hosting" || access == "hosting+remote_access";
    const bool remote = access == "remote_access" || access == "hosting+remote_access";
    if (!hosting && !remote)
      fail("access", "unknown access kind `" + access + "`",
           suggestion_hint(access, {"hosting", "remote_access", "hosting+remote_access"}), "003");
    // Where it hosts: a region of the table, a country code, or its own country.
    std::string region = get("region");
    if (region.empty()) region = country;
    std::string location;
    if (reference.region(region)) {
      location = region;
    } else if (region.rfind("country:", 0) == 0 && reference.country(region.substr(8))) {
      location = region;
    } else if (reference.country(region)) {
      location = "country:" + region;
    } else if (hosting) {
      fail("region", "unknown region or country `" + region + "`",
           suggestion_hint(region, reference.region_ids()), "010");
    }
    std::string access_country = get("access_country");
    if (access_country.empty()) access_country = country;
    if (remote && !reference.country(access_country))
      fail("access_country", "unknown country code `" + access_country + "`",
           suggestion_hint(access_country, reference.country_codes()), "010");
    const std::string system = get("system");
    if (remote && system.empty())
      fail("system", "remote access needs the `system` of your model its staff reach",
           "name a system id of your model", "005");
    // The data: data set ids of the model, or one data set per row with the stated categories.
    std::vector<std::string> data = split_list(get("datasets"));
    std::set<std::string> categories;
    for (const auto& word : split_list(get("data_categories"))) {
      const std::string w = lower(word);
      if (parse_enum<Category>(w)) {
        categories.insert(w);
      } else if (auto it = category_words().find(w); it != category_words().end()) {
        categories.insert(it->second.begin(), it->second.end());
      } else {
        std::vector<std::string> known = enum_spellings<Category>();
        for (const auto& [k, v] : category_words()) known.push_back(k);
        fail("data_categories", "unknown data category `" + word + "`", suggestion_hint(w, known),
             "003");
      }
    }
    if (diags.error_count() > errors_before) continue;

    auto [vendor_it, new_vendor] = vendor_ids.emplace(vendor, "vendor:" + slug(vendor));
    const std::string party = vendor_it->second;
    if (new_vendor) {
      doc.origins["/parties/" + std::to_string(parties.size())] = origin;
      parties.push_back({{"id", party},
                         {"name", vendor},
                         {"country", country},
                         {"parent", "unknown"},
                         {"roles", {"sub_processor"}},
                         {"note", "from the sub-processor list " + file.filename().string()}});
    }
    if (data.empty()) {
      const std::string id = "csv-data:" + std::to_string(r);
      doc.origins["/datasets/" + std::to_string(datasets.size())] = origin;
      Json cats = categories.empty() ? Json("unknown") : Json(categories);
      datasets.push_back({{"id", id},
                          {"name", "data sent to " + vendor + " for " + service},
                          {"categories", cats},
                          {"subjects", "unknown"},
                          {"origin", exporter}});
      if (options.exporter.empty()) datasets.back()["controller"] = exporter;
      data.push_back(id);
    }
    const std::string purpose = get("purpose");
    if (hosting) {
      std::string id = "svc:" + slug(vendor) + "/" + slug(service);
      while (!system_ids.insert(id).second) id += "-" + std::to_string(r);
      doc.origins["/systems/" + std::to_string(systems.size())] = origin;
      systems.push_back({{"id", id},
                         {"name", service + " (" + vendor + ")"},
                         {"tier", "saas"},
                         {"operator", party},
                         {"regions", {{{"location", location}, {"role", "primary"}}}},
                         {"operator_handles_data", true}});
      doc.origins["/flows/" + std::to_string(flows.size())] = origin;
      flows.push_back({{"id", "csv:" + std::to_string(r) + "/hosting"},
                       {"name", service + " at " + vendor},
                       {"event", "transfer"},
                       {"from", exporter},
                       {"to", id},
                       {"datasets", data},
                       {"relationship", "controller_to_processor"},
                       {"purpose", purpose}});
    }
    if (remote) {
      // The vendor's staff where they sit: a place of its own, reached from the model's system.
      std::string id = "access:" + slug(vendor) + "/" + lower(access_country);
      if (system_ids.insert(id).second) {
        doc.origins["/systems/" + std::to_string(systems.size())] = origin;
        systems.push_back({{"id", id},
                           {"name", vendor + " staff in " + access_country},
                           {"tier", "on_premises"},
                           {"operator", party},
                           {"regions", {{{"location", "country:" + access_country}}}},
                           {"operator_handles_data", true}});
      }
      doc.origins["/flows/" + std::to_string(flows.size())] = origin;
      flows.push_back({{"id", "csv:" + std::to_string(r) + "/remote_access"},
                       {"name", vendor + " staff reach " + system + " from " + access_country},
                       {"event", "remote_access"},
                       {"from", system},
                       {"to", id},
                       {"datasets", data},
                       {"relationship", "controller_to_processor"},
                       {"purpose", purpose}});
    }
  }
  if (diags.error_count() > errors_before) return std::nullopt;
  doc.syntax = ModelSyntax::kJson;
  doc.json = Json{{"format", kModelFormat}, {"name", "sub-processors " + file.filename().string()},
                  {"parties", parties},     {"systems", systems},
                  {"datasets", datasets},   {"flows", flows}};
  return doc;
}

}  // namespace xborder
