#include "importers/register.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <vector>

#include "importers/subprocessors.hpp"
#include "importers/text.hpp"
#include "model/json_reader.hpp"
#include "model/vocabulary.hpp"

namespace xborder {
namespace {

constexpr const char* kRegisterCode = "XB-REG";
using import_text::lower;
using import_text::split_list;
using import_text::trim;

// The columns `report --format csv` writes (docs/report-formats.md), all of which are read.
const std::vector<std::string> kRegisterColumns = {
    "edge", "implicit", "event", "dataset", "categories", "exporter", "exporter_country",
    "importer", "importer_country", "mechanism", "legal_basis", "status", "rules",
    "exporter_established", "importer_established", "categories_unknown",
    // `report --plan`: a plan's changes, not a fact of the map
    "planned_change"};
const std::vector<std::string> kRegisterRequired = {
    "edge", "event", "dataset", "exporter", "exporter_country", "importer", "importer_country"};
const std::vector<std::string> kEvents = {"transfer", "store", "remote_access"};
const std::vector<std::string> kStatuses = {"violation", "undetermined", "compliant"};
constexpr const char* kUnknownParty = "reg:unknown-party";

// An edge id as a flow id: `FLOW[a->b]` → `FLOW/a/b`; characters identifiers do not allow → `_`.
std::string flow_id(const std::string& edge) {
  std::string out;
  for (std::size_t i = 0; i < edge.size(); ++i) {
    const char c = edge[i];
    if (c == '-' && i + 1 < edge.size() && edge[i + 1] == '>') {
      out += '/';
      ++i;
    } else if (c == '[') {
      out += '/';
    } else if (c == ']') {
      continue;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
               c == ':' || c == '@' || c == '/') {
      out += c;
    } else {
      out += '_';
    }
  }
  if (out.empty() || !std::isalnum(static_cast<unsigned char>(out.front()))) out = "e" + out;
  if (out.size() > 190) out.resize(190);
  return out;
}

struct Row {
  int line = 0;
  std::string pointer;  // "/R", the record
  const CsvRecord* record = nullptr;
  std::string edge, event, dataset, exporter, importer;
  std::string exporter_country, importer_country, exporter_established, importer_established;
  bool implicit = false;
  std::vector<std::string> categories, categories_unknown;
  std::string status, mechanism, legal_basis, rules;
};

struct RegisterParty {
  std::string established;  // "" unknown
  const Row* first = nullptr;
  std::string established_column;  // where `established` was read from, for conflicts
};

}  // namespace

std::optional<ModelDocument> import_register_file(const std::filesystem::path& file,
                                                  const ReferenceData& reference,
                                                  Diagnostics& diags) {
  auto text = read_input_file(file, diags, kRegisterCode);
  if (!text) return std::nullopt;
  auto records = parse_csv(*text, file, diags, kRegisterCode);
  if (!records) return std::nullopt;
  const std::size_t errors_before = diags.error_count();
  auto error = [&](TextPosition at, const std::string& pointer, const std::string& message,
                   std::optional<std::string> hint, const std::string& code) {
    add_csv_error(diags, file, kRegisterCode, at, pointer, message, std::move(hint), code);
  };
  const auto header_columns = read_csv_header(
      *records, file, diags, kRegisterCode,
      {kRegisterColumns, kRegisterRequired, "the register is empty",
       "the first line names the columns, as `xborder report MODEL --format csv` writes them",
       "a register written by `xborder report MODEL --format csv` has the columns edge, "
       "implicit, event, dataset, categories, exporter, exporter_country, importer, "
       "importer_country, …"});
  if (!header_columns) return std::nullopt;
  const std::map<std::string, std::size_t>& column = *header_columns;
  const CsvRecord& header = records->front();

  // Every row read and checked on its own first.
  std::vector<Row> rows;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    Row row;
    row.line = record.line;
    row.record = &record;
    row.pointer = "/" + std::to_string(r);
    auto get = [&](const std::string& name) {
      const auto it = column.find(name);
      return it != column.end() && it->second < record.fields.size()
                 ? trim(record.fields[it->second])
                 : std::string();
    };
    auto fail = [&](const std::string& name, const std::string& message,
                    std::optional<std::string> hint, const std::string& code) {
      const auto it = column.find(name);
      error(record.start(it == column.end() ? 0 : it->second),
            name.empty() ? row.pointer : row.pointer + "/" + name, message, std::move(hint), code);
    };
    if (record.fields.size() > header.fields.size())
      fail("",
           "the row has " + std::to_string(record.fields.size()) + " fields, the header " +
               std::to_string(header.fields.size()),
           "quote fields that contain commas", "002");
    row.edge = get("edge");
    if (row.edge.empty()) fail("edge", "the edge is empty", "every row names its edge", "005");
    const std::string implicit = lower(get("implicit"));
    if (implicit == "true") {
      row.implicit = true;
    } else if (!implicit.empty() && implicit != "false") {
      fail("implicit", "`implicit` is `" + implicit + "`, not true or false", std::nullopt, "003");
    }
    row.event = lower(get("event"));
    if (std::find(kEvents.begin(), kEvents.end(), row.event) == kEvents.end())
      fail("event", "unknown event `" + row.event + "`", suggestion_hint(row.event, kEvents),
           "003");
    row.dataset = get("dataset");
    if (!is_identifier(row.dataset))
      fail("dataset", "`" + row.dataset + "` is not a data set id",
           "ids are 1–200 letters, digits and - _ . : @ /", "008");
    for (const auto* side : {"exporter", "importer"}) {
      const std::string id = get(side);
      if (!id.empty() && !is_identifier(id))
        fail(side, "`" + id + "` is not a party id",
             "ids are 1–200 letters, digits and - _ . : @ /", "008");
      (std::string(side) == "exporter" ? row.exporter : row.importer) =
          id.empty() ? kUnknownParty : id;
    }
    for (const auto* name :
         {"exporter_country", "importer_country", "exporter_established", "importer_established"}) {
      const std::string code = get(name);
      if (!code.empty() && !reference.country(code)) {
        std::string hint = suggestion_hint(code, reference.country_codes());
        if (code == "UK") hint = "the ISO 3166-1 code of the United Kingdom is `GB`";
        fail(name, "unknown country code `" + code + "`", hint, "010");
      }
    }
    row.exporter_country = get("exporter_country");
    row.importer_country = get("importer_country");
    row.exporter_established = get("exporter_established");
    row.importer_established = get("importer_established");
    for (const auto* name : {"categories", "categories_unknown"}) {
      for (const auto& word : split_list(get(name))) {
        if (!parse_enum<Category>(word)) {
          fail(name, "unknown data category `" + word + "`",
               suggestion_hint(word, enum_spellings<Category>()), "003");
        } else {
          (std::string(name) == "categories" ? row.categories : row.categories_unknown)
              .push_back(word);
        }
      }
    }
    row.status = lower(get("status"));
    if (!row.status.empty() &&
        std::find(kStatuses.begin(), kStatuses.end(), row.status) == kStatuses.end())
      fail("status", "unknown status `" + row.status + "`", suggestion_hint(row.status, kStatuses),
           "003");
    row.mechanism = get("mechanism");
    row.legal_basis = get("legal_basis");
    row.rules = get("rules");
    rows.push_back(std::move(row));
  }
  if (diags.error_count() > errors_before) return std::nullopt;

  // Rows agree with each other: one establishment per party, one set of categories per data set,
  // one exporter, importer, event and pair of countries per edge.
  auto conflict = [&](const Row& row, const std::string& name, const std::string& what,
                      const Row& earlier) {
    const auto it = column.find(name);
    error(row.record->start(it == column.end() ? 0 : it->second), row.pointer + "/" + name,
          what + " differs from line " + std::to_string(earlier.line),
          "a register lists each party, data set and edge alike on every row", "015");
  };
  std::map<std::string, RegisterParty> parties;
  std::vector<std::string> party_order;
  auto note_party = [&](const Row& row, const std::string& id, const std::string& established,
                        const std::string& column_name) {
    auto [it, inserted] = parties.try_emplace(id);
    if (inserted) {
      it->second.first = &row;
      party_order.push_back(id);
    }
    if (established.empty()) return;
    if (it->second.established.empty()) {
      it->second.established = established;
      it->second.established_column = column_name;
    } else if (it->second.established != established) {
      conflict(row, column_name, "the country of establishment of `" + id + "`", *it->second.first);
    }
  };
  std::map<std::string, const Row*> dataset_first;
  std::vector<std::string> dataset_order;
  std::map<std::string, const Row*> edge_first;
  std::vector<std::string> edge_order;
  for (const Row& row : rows) {
    note_party(row, row.exporter, row.exporter_established, "exporter_established");
    note_party(row, row.importer, row.importer_established, "importer_established");
    if (auto [it, inserted] = dataset_first.try_emplace(row.dataset, &row); inserted) {
      dataset_order.push_back(row.dataset);
    } else if (it->second->categories != row.categories ||
               it->second->categories_unknown != row.categories_unknown) {
      conflict(row, "categories", "the categories of `" + row.dataset + "`", *it->second);
    }
    if (auto [it, inserted] = edge_first.try_emplace(row.edge, &row); inserted) {
      edge_order.push_back(row.edge);
    } else {
      const Row& e = *it->second;
      if (e.event != row.event || e.exporter != row.exporter || e.importer != row.importer ||
          e.exporter_country != row.exporter_country ||
          e.importer_country != row.importer_country || e.implicit != row.implicit)
        conflict(row, "edge", "the event, parties or countries of edge `" + row.edge + "`", e);
    }
  }
  if (diags.error_count() > errors_before) return std::nullopt;

  ModelDocument doc;
  doc.file = file;
  doc.syntax = ModelSyntax::kJson;
  auto provenance = [&](const Row& row) {
    return Provenance{file, row.pointer, row.line, 1, row.edge};
  };
  Json parties_json = Json::array(), systems = Json::array(), datasets = Json::array(),
       flows = Json::array();
  for (const auto& id : party_order) {
    const RegisterParty& p = parties[id];
    doc.origins["/parties/" + std::to_string(parties_json.size())] = provenance(*p.first);
    Json party = {{"id", id},
                  {"country", p.established.empty() ? "unknown" : p.established},
                  {"parent", "unknown"}};
    if (id == kUnknownParty) party["name"] = "a party the register does not name";
    parties_json.push_back(std::move(party));
  }
  // A party in a country: the party itself where it is established, else a place of its own
  // there (the register names countries, not systems); a country it does not state: the party.
  std::set<std::string> system_ids;
  auto endpoint = [&](const Row& row, const std::string& party, const std::string& country) {
    if (country.empty() || parties[party].established == country) return party;
    const std::string id = "reg:" + party + "@" + country;
    if (system_ids.insert(id).second) {
      doc.origins["/systems/" + std::to_string(systems.size())] = provenance(row);
      systems.push_back({{"id", id},
                         {"name", party + " in " + country},
                         {"tier", "on_premises"},
                         {"operator", party},
                         {"regions", {{{"location", "country:" + country}, {"role", "primary"}}}}});
    }
    return id;
  };
  std::map<std::string, std::set<std::string>> reaches;   // data set → endpoints it is sent to
  std::map<std::string, std::vector<std::string>> sends;  // data set → endpoints it leaves from
  std::set<std::string> flow_ids;
  for (const auto& edge : edge_order) {
    const Row& first = *edge_first[edge];
    const std::string from = endpoint(first, first.exporter, first.exporter_country);
    const std::string to = endpoint(first, first.importer, first.importer_country);
    if (from == to) {
      Diagnostic d{Severity::kWarning,
                   std::string(kRegisterCode) + "-101",
                   "edge `" + edge + "` is left out: both ends are `" + from +
                       "` (the register states no country that tells them apart)",
                   file,
                   first.pointer + "/edge",
                   "state exporter_country and importer_country"};
      const TextPosition at = first.record->start(column.at("edge"));
      d.line = at.line;
      d.column = at.column;
      diags.add(std::move(d));
      continue;
    }
    Json data = Json::array();
    std::string note = std::string("register: edge `") + edge + "`" +
                       (first.implicit ? " (implicit in the model it was written from)" : "");
    for (const Row& row : rows) {
      if (row.edge != edge) continue;
      if (std::find(data.begin(), data.end(), row.dataset) == data.end()) {
        data.push_back(row.dataset);
        reaches[row.dataset].insert(to);
        sends[row.dataset].push_back(from);
      }
      note += "; line " + std::to_string(row.line) + ": " + row.dataset + " " +
              (row.status.empty() ? "no status" : row.status);
      if (!row.mechanism.empty()) note += ", mechanism " + row.mechanism;
      if (!row.legal_basis.empty()) note += ", basis " + row.legal_basis;
      if (!row.rules.empty()) note += ", rules " + row.rules;
    }
    std::string id = flow_id(edge);
    for (int n = 2; !flow_ids.insert(id).second; ++n) id = flow_id(edge) + "-" + std::to_string(n);
    doc.origins["/flows/" + std::to_string(flows.size())] = provenance(first);
    flows.push_back({{"id", id},
                     {"name", edge},
                     {"event", first.event},
                     {"from", from},
                     {"to", to},
                     {"datasets", data},
                     {"relationship", "unknown"},
                     {"note", note}});
  }
  for (const auto& id : dataset_order) {
    const Row& row = *dataset_first[id];
    Json categories;
    if (row.categories_unknown.empty()) {
      categories = row.categories;
    } else if (row.categories.empty() && row.categories_unknown.size() == enum_count<Category>()) {
      categories = "unknown";
    } else {
      categories = {{"include", row.categories}, {"unknown", row.categories_unknown}};
    }
    Json dataset = {{"id", id}, {"categories", categories}, {"subjects", "unknown"}};
    // It starts where it leaves from without having been sent there (the register lists only
    // cross-border hops, so a chain may start in the middle).
    for (const auto& from : sends[id]) {
      if (!reaches[id].count(from)) {
        dataset["origin"] = from;
        break;
      }
    }
    if (!dataset.contains("origin") && !sends[id].empty()) dataset["origin"] = sends[id].front();
    doc.origins["/datasets/" + std::to_string(datasets.size())] = provenance(row);
    datasets.push_back(std::move(dataset));
  }
  doc.json =
      Json{{"format", kModelFormat},  {"name", "transfer register " + file.filename().string()},
           {"parties", parties_json}, {"systems", systems},
           {"datasets", datasets},    {"flows", flows}};
  return doc;
}

}  // namespace xborder
