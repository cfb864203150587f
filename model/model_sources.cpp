#include "model/model_sources.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace xborder {
namespace {

constexpr std::array<const char*, 5> kArrays = {"parties", "locations", "systems", "datasets",
                                                "flows"};
constexpr std::array<const char*, 3> kHeader = {"format", "name", "description"};

bool is_array_key(const std::string& key) {
  return std::any_of(kArrays.begin(), kArrays.end(), [&](const char* k) { return key == k; });
}
bool is_header_key(const std::string& key) {
  return std::any_of(kHeader.begin(), kHeader.end(), [&](const char* k) { return key == k; });
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Several documents as one: the merged JSON and, per merged array element, where it came from.
class Merged {
 public:
  explicit Merged(const std::vector<ModelDocument>& docs) : docs_(docs) {}

  // An error in input `d`, with its line and column when the input is YAML.
  void error(Diagnostics& diags, std::size_t d, const std::string& code, const std::string& pointer,
             const std::string& message, std::optional<std::string> hint = std::nullopt) const {
    Diagnostic diag{Severity::kError, code, message, docs_[d].file, pointer, std::move(hint)};
    if (auto pos = nearest_position(docs_[d].positions, pointer)) {
      diag.line = pos->line;
      diag.column = pos->column;
    }
    diags.add(std::move(diag));
  }

  // Returns false (with diagnostics) when the documents cannot be merged.
  bool merge(Diagnostics& diags) {
    if (docs_.size() == 1) return true;  // one input is read as it is
    json_ = Json::object();
    bool ok = true;
    for (std::size_t d = 0; d < docs_.size(); ++d) {
      const ModelDocument& doc = docs_[d];
      if (!doc.json.is_object()) {
        error(diags, d, "XB-MODEL-004", "", "expected an object, found " + json_type_name(doc.json),
              "each input is a model or a part of one: an object with `parties`, `systems`, "
              "… arrays");
        ok = false;
        continue;
      }
      for (auto it = doc.json.begin(); it != doc.json.end(); ++it) {
        const std::string& key = it.key();
        const Json& value = it.value();
        if (is_array_key(key)) {
          if (!value.is_array()) {
            error(diags, d, "XB-MODEL-006", "/" + key,
                  "expected an array, found " + json_type_name(value));
            ok = false;
            continue;
          }
          Json& target = json_[key];
          if (target.is_null()) target = Json::array();
          for (std::size_t i = 0; i < value.size(); ++i) {
            target.push_back(value[i]);
            elements_[key].emplace_back(d, i);
          }
        } else if (is_header_key(key)) {
          if (!json_.contains(key)) {
            json_[key] = value;
            header_[key] = d;
          } else if (key == "format" && value != json_[key]) {
            error(diags, d, "XB-MODEL-013", "/format",
                  "this input's format " + value.dump() + " differs from " + json_[key].dump() +
                      " of `" + docs_[header_[key]].file.generic_string() + "`",
                  std::string("every input is `") + kModelFormat + "`");
            ok = false;
          }
        } else {
          std::vector<std::string> known(kArrays.begin(), kArrays.end());
          known.insert(known.end(), kHeader.begin(), kHeader.end());
          error(diags, d, "XB-MODEL-009", "/" + pointer_token(key), "unknown key `" + key + "`",
                suggestion_hint(key, known));
          ok = false;
        }
      }
    }
    return ok && check_ids(diags);
  }

  [[nodiscard]] const Json& json() const { return docs_.size() == 1 ? docs_[0].json : json_; }

  // The document and the pointer in it of a pointer into the merged model.
  [[nodiscard]] std::pair<std::size_t, std::string> place(const std::string& p) const {
    if (docs_.size() == 1 || p.empty() || p[0] != '/') return {0, p};
    const std::size_t slash = p.find('/', 1);
    const std::string key = p.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    if (auto it = elements_.find(key); it != elements_.end() && slash != std::string::npos) {
      const std::size_t next = p.find('/', slash + 1);
      const std::string index =
          p.substr(slash + 1, next == std::string::npos ? std::string::npos : next - slash - 1);
      constexpr std::size_t kMaxDigits = 9;
      if (!index.empty() && index.size() <= kMaxDigits &&
          std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const std::size_t k = std::stoul(index);
        if (k < it->second.size()) {
          const auto [d, original] = it->second[k];
          return {d, "/" + key + "/" + std::to_string(original) +
                         (next == std::string::npos ? "" : p.substr(next))};
        }
      }
    }
    if (auto it = header_.find(key); it != header_.end()) return {it->second, p};
    return {0, p};
  }

  // Where the merged pointer `p` is, as a Provenance in its input.
  [[nodiscard]] Provenance provenance(const std::string& p) const {
    const auto [d, pointer] = place(p);
    const ModelDocument& doc = docs_[d];
    if (!doc.origins.empty()) {
      std::string q = pointer;
      while (true) {
        // A nested value has no place of its own in the foreign file: the item's is given.
        if (auto it = doc.origins.find(q); it != doc.origins.end()) return it->second;
        if (q.empty()) break;
        const std::size_t slash = q.rfind('/');
        q.erase(slash == std::string::npos ? 0 : slash);
      }
    }
    Provenance out{doc.file, pointer, 0, 0, ""};
    if (doc.syntax == ModelSyntax::kYaml) {
      if (auto pos = nearest_position(doc.positions, pointer)) {
        out.line = pos->line;
        out.column = pos->column;
      }
    }
    return out;
  }

  // Text naming a place for a message: `file:LINE:COLUMN (/pointer)` or `file:/pointer`.
  [[nodiscard]] std::string describe(std::size_t d, const std::string& pointer) const {
    const Provenance p = provenance_in(d, pointer);
    if (p.line > 0) {
      return p.file.generic_string() + ":" + std::to_string(p.line) + ":" +
             std::to_string(p.column) + " (" + p.pointer + ")";
    }
    return p.file.generic_string() + ":" + p.pointer;
  }

 private:
  [[nodiscard]] Provenance provenance_in(std::size_t d, const std::string& pointer) const {
    Provenance out{docs_[d].file, pointer, 0, 0, ""};
    if (auto pos = nearest_position(docs_[d].positions, pointer)) {
      out.line = pos->line;
      out.column = pos->column;
    }
    return out;
  }

  // An id declared in two inputs (parties and systems share one namespace, as in one file).
  bool check_ids(Diagnostics& diags) const {
    bool ok = true;
    std::map<std::string, std::map<std::string, std::pair<std::size_t, std::string>>> seen;
    for (const char* key : kArrays) {
      const std::string space = std::string(key) == "systems" ? "parties" : key;
      auto it = elements_.find(key);
      if (it == elements_.end()) continue;
      for (const auto& [d, i] : it->second) {
        const Json& item = docs_[d].json[key][i];
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string()) continue;
        const std::string id = item["id"].get<std::string>();
        const std::string pointer = "/" + std::string(key) + "/" + std::to_string(i) + "/id";
        auto [first, fresh] = seen[space].try_emplace(id, d, pointer);
        if (fresh || first->second.first == d) continue;  // one file's duplicates: the loader's
        error(diags, d, "XB-MODEL-014", pointer,
              "the id `" + id + "` is also declared in " +
                  describe(first->second.first, first->second.second),
              "ids are shared by every input of one check: rename one of the two, or keep "
              "the item in one input only");
        ok = false;
      }
    }
    return ok;
  }

  const std::vector<ModelDocument>& docs_;
  Json json_;
  std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> elements_;
  std::map<std::string, std::size_t> header_;
};

}  // namespace

ModelSyntax detect_model_syntax(const std::filesystem::path& file, std::string_view text) {
  const std::string ext = lower(file.extension().string());
  if (ext == ".yaml" || ext == ".yml") return ModelSyntax::kYaml;
  if (ext == ".json") return ModelSyntax::kJson;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return ModelSyntax::kJson;
  return ModelSyntax::kYaml;
}

std::optional<ModelDocument> parse_model_document(const std::string& text,
                                                  const std::filesystem::path& file,
                                                  Diagnostics& diags) {
  ModelDocument doc;
  doc.file = file;
  doc.syntax = detect_model_syntax(file, text);
  std::optional<Json> json = doc.syntax == ModelSyntax::kYaml
                                 ? parse_yaml_text(text, file, diags, "XB-MODEL", &doc.positions)
                                 : parse_json_text(text, file, diags, "XB-MODEL");
  if (!json) return std::nullopt;
  doc.json = std::move(*json);
  return doc;
}

std::optional<ModelDocument> read_model_document(const std::filesystem::path& file,
                                                 Diagnostics& diags) {
  auto text = read_input_file(file, diags, "XB-MODEL");
  if (!text) return std::nullopt;
  return parse_model_document(*text, file, diags);
}

ModelLoadResult load_model_documents(const std::vector<ModelDocument>& documents,
                                     const ReferenceData& reference) {
  ModelLoadResult result;
  if (documents.empty()) {
    result.diagnostics.error("XB-MODEL-001", "<command line>", "", "no model was given",
                             "name a model file, or `-` for standard input");
    return result;
  }
  Merged merged(documents);
  if (!merged.merge(result.diagnostics)) return result;
  ModelLoadResult loaded = load_model_json(merged.json(), documents[0].file, reference);
  // The loader speaks of the merged document: each place mapped back to its input.
  loaded.diagnostics.relocate([&](Diagnostic& d) {
    if (d.file != documents[0].file || d.line > 0) return;
    const Provenance p = merged.provenance(d.pointer);
    d.file = p.file;
    d.pointer = p.pointer;
    d.line = p.line;
    d.column = p.column;
  });
  result.diagnostics.append(loaded.diagnostics);
  if (!loaded.model) return result;
  TransferModel& m = *loaded.model;
  for (auto& p : m.parties) p.source = merged.provenance(p.pointer);
  for (auto& s : m.systems) {
    s.source = merged.provenance(s.pointer);
    for (auto& a : s.remote_access) a.source = merged.provenance(a.pointer);
  }
  for (auto& d : m.datasets) d.source = merged.provenance(d.pointer);
  for (auto& f : m.flows) f.source = merged.provenance(f.pointer);
  // Model-defined locations have no pointer of their own: found by id in the merged document.
  if (const auto it = merged.json().find("locations"); it != merged.json().end()) {
    std::map<std::string, std::string> by_id;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& l = (*it)[i];
      if (l.is_object() && l.contains("id") && l["id"].is_string())
        by_id.emplace(l["id"].get<std::string>(), "/locations/" + std::to_string(i));
    }
    for (auto& l : m.locations) {
      if (auto found = by_id.find(l.id); found != by_id.end())
        l.source = merged.provenance(found->second);
    }
  }
  result.model = std::move(loaded.model);
  return result;
}

ModelLoadResult load_model_files(const std::vector<std::filesystem::path>& files,
                                 const ReferenceData& reference) {
  ModelLoadResult result;
  std::vector<ModelDocument> documents;
  for (const auto& file : files) {
    if (auto doc = read_model_document(file, result.diagnostics))
      documents.push_back(std::move(*doc));
  }
  if (result.diagnostics.has_errors()) return result;
  return load_model_documents(documents, reference);
}

std::vector<std::pair<std::string, Provenance>> provenance_table(const TransferModel& model) {
  std::vector<std::pair<std::string, Provenance>> out;
  auto add = [&](const std::string& pointer, const Provenance& p) {
    if (p.file.empty()) return;
    const bool trivial =
        p.file == model.file && p.pointer == pointer && p.line == 0 && p.address.empty();
    if (!trivial) out.emplace_back(pointer, p);
  };
  for (const auto& p : model.parties) add(p.pointer, p.source);
  for (const auto& s : model.systems) {
    add(s.pointer, s.source);
    for (const auto& a : s.remote_access) add(a.pointer, a.source);
  }
  for (const auto& d : model.datasets) add(d.pointer, d.source);
  for (const auto& f : model.flows) add(f.pointer, f.source);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::optional<Provenance> find_provenance(
    const std::vector<std::pair<std::string, Provenance>>& table,
    const std::string& model_pointer) {
  std::string p = model_pointer;
  while (true) {
    auto it = std::lower_bound(
        table.begin(), table.end(), p,
        [](const auto& entry, const std::string& key) { return entry.first < key; });
    if (it != table.end() && it->first == p) {
      Provenance out = it->second;
      // The rest of the pointer, where the source is a model document itself (the line and
      // column stay the item's).
      if (out.address.empty() && p.size() < model_pointer.size())
        out.pointer += model_pointer.substr(p.size());
      return out;
    }
    if (p.empty()) return std::nullopt;
    const std::size_t slash = p.rfind('/');
    p.erase(slash == std::string::npos ? 0 : slash);
  }
}

}  // namespace xborder
