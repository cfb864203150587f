#include "reports/sarif_report.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>

#include "model/model_sources.hpp"
#include "reports/check_report.hpp"
#include "reports/input_view.hpp"
#include "reports/plan_section.hpp"
#include "reports/report_input.hpp"

namespace xborder {

using input::citation_text;
using input::join;
using input::member;
using input::str;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// locate_pointer: a forgiving scanner over JSON text. It decodes only what it must (object keys,
// to compare them with the pointer's tokens) and skips everything else.
namespace {

class PointerScanner {
 public:
  explicit PointerScanner(const std::string& text) : s_(text) {}

  // Byte offset where the value at `tokens` starts, or npos.
  std::size_t find(const std::vector<std::string>& tokens) {
    std::size_t i = skip_ws(0);
    for (const auto& token : tokens) {
      if (i >= s_.size()) return npos;
      if (s_[i] == '{') {
        i = find_member(i, token);
      } else if (s_[i] == '[') {
        i = find_element(i, token);
      } else {
        return npos;  // a scalar has no children
      }
      if (i == npos) return npos;
    }
    return i < s_.size() ? i : npos;
  }

  static constexpr std::size_t npos = std::string::npos;

 private:
  std::size_t skip_ws(std::size_t i) const {
    while (i < s_.size() && (s_[i] == ' ' || s_[i] == '\t' || s_[i] == '\n' || s_[i] == '\r')) ++i;
    return i;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool hex4(std::size_t i, std::uint32_t& out) const {
    if (i + 4 > s_.size()) return false;
    out = 0;
    for (std::size_t k = i; k < i + 4; ++k) {
      const char c = s_[k];
      out <<= 4;
      if (c >= '0' && c <= '9') {
        out |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        out |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        out |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  // `i` at the opening quote; returns the index after the closing quote, decoding into `out`.
  std::size_t string_end(std::size_t i, std::string* out) const {
    ++i;
    while (i < s_.size()) {
      const char c = s_[i];
      if (c == '"') return i + 1;
      if (c != '\\') {
        if (out) *out += c;
        ++i;
        continue;
      }
      if (i + 1 >= s_.size()) return npos;
      const char e = s_[i + 1];
      i += 2;
      if (e == 'u') {
        std::uint32_t cp = 0;
        if (!hex4(i, cp)) return npos;
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= s_.size() && s_[i] == '\\' &&
            s_[i + 1] == 'u') {
          std::uint32_t low = 0;
          if (hex4(i + 2, low) && low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        if (out) append_utf8(*out, cp);
        continue;
      }
      if (out) {
        switch (e) {
          case 'b':
            *out += '\b';
            break;
          case 'f':
            *out += '\f';
            break;
          case 'n':
            *out += '\n';
            break;
          case 'r':
            *out += '\r';
            break;
          case 't':
            *out += '\t';
            break;
          default:
            *out += e;
            break;  // \" \\ \/ (and anything lenient)
        }
      }
    }
    return npos;
  }

  // `i` at the start of a value; returns the index just after it.
  std::size_t value_end(std::size_t i) const {
    if (i >= s_.size()) return npos;
    const char c = s_[i];
    if (c == '"') return string_end(i, nullptr);
    if (c == '{' || c == '[') {
      int depth = 0;
      while (i < s_.size()) {
        const char d = s_[i];
        if (d == '"') {
          i = string_end(i, nullptr);
          if (i == npos) return npos;
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return i + 1;
        }
        ++i;
      }
      return npos;
    }
    // number, true, false, null
    while (i < s_.size() && s_[i] != ',' && s_[i] != '}' && s_[i] != ']' && s_[i] != ' ' &&
           s_[i] != '\t' && s_[i] != '\n' && s_[i] != '\r') {
      ++i;
    }
    return i;
  }

  std::size_t find_member(std::size_t i, const std::string& token) const {
    i = skip_ws(i + 1);
    while (i < s_.size() && s_[i] != '}') {
      if (s_[i] != '"') return npos;
      std::string key;
      i = string_end(i, &key);
      if (i == npos) return npos;
      i = skip_ws(i);
      if (i >= s_.size() || s_[i] != ':') return npos;
      i = skip_ws(i + 1);
      if (key == token) return i;
      i = value_end(i);
      if (i == npos) return npos;
      i = skip_ws(i);
      if (i < s_.size() && s_[i] == ',') i = skip_ws(i + 1);
    }
    return npos;
  }

  std::size_t find_element(std::size_t i, const std::string& token) const {
    // RFC 6901: an array index is "0" or digits without a leading zero; "-" is past the end.
    if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0') ||
        !std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return npos;
    }
    const long index = std::stol(token);
    i = skip_ws(i + 1);
    for (long k = 0; i < s_.size() && s_[i] != ']'; ++k) {
      if (k == index) return i;
      i = value_end(i);
      if (i == npos) return npos;
      i = skip_ws(i);
      if (i < s_.size() && s_[i] == ',') i = skip_ws(i + 1);
    }
    return npos;
  }

  const std::string& s_;
};

std::optional<std::vector<std::string>> pointer_tokens(const std::string& pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') return std::nullopt;
  std::string current;
  for (std::size_t k = 1; k <= pointer.size(); ++k) {
    if (k == pointer.size() || pointer[k] == '/') {
      tokens.push_back(current);
      current.clear();
    } else if (pointer[k] == '~') {
      if (k + 1 >= pointer.size()) return std::nullopt;
      if (pointer[k + 1] == '0') {
        current += '~';
      } else if (pointer[k + 1] == '1') {
        current += '/';
      } else {
        return std::nullopt;
      }
      ++k;
    } else {
      current += pointer[k];
    }
  }
  return tokens;
}

}  // namespace

std::optional<TextPosition> locate_pointer(const std::string& json_text,
                                           const std::string& pointer) {
  const auto tokens = pointer_tokens(pointer);
  if (!tokens) return std::nullopt;
  PointerScanner scanner(json_text);
  const std::size_t offset = scanner.find(*tokens);
  if (offset == PointerScanner::npos) return std::nullopt;
  TextPosition pos;
  for (std::size_t k = 0; k < offset; ++k) {
    const auto c = static_cast<unsigned char>(json_text[k]);
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
      ++pos.column;
    }
  }
  return pos;
}

// ---------------------------------------------------------------------------------------------
// render_sarif
namespace {

constexpr const char* kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kFingerprintKey = "xborderFinding/v1";

// FNV-1a, 64 bits: stable across runs, platforms and compilers (std::hash is not).
std::string fingerprint(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// The model file as a URI reference: forward slashes, no `./` or doubled slashes, absolute paths
// as file:// URIs, and everything outside the unreserved/sub-delim set percent-encoded.
std::string file_uri(std::string path) {
  std::replace(path.begin(), path.end(), '\\', '/');
  std::string collapsed;
  for (const char c : path) {
    if (c == '/' && !collapsed.empty() && collapsed.back() == '/') continue;
    collapsed += c;
  }
  while (collapsed.rfind("./", 0) == 0) collapsed.erase(0, 2);
  std::string prefix;
  if (!collapsed.empty() && collapsed[0] == '/') {
    prefix = "file://";
  } else if (collapsed.size() >= 2 && collapsed[1] == ':' &&
             std::isalpha(static_cast<unsigned char>(collapsed[0]))) {
    prefix = "file:///" + collapsed.substr(0, 2);  // C:/dir/model.json
    collapsed.erase(0, 2);
  }
  static const std::string allowed = "-._~/!$&'()*+,;=@";
  std::string out = prefix;
  for (const char ch : collapsed) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || allowed.find(ch) != std::string::npos) {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

using input::event_words;

// One paragraph a lawyer can read without the JSON: what happens, where, which rule, and what is
// missing (violation) or which unknown facts decide it (undetermined).
std::string message_text(const json& f, const input::Names& names) {
  const json& edge = member(f, "edge");
  const auto verdict = str(f, "verdict");
  std::string text = "The " + event_words(str(f, "event")) + " of " +
                     names.dataset(str(f, "dataset")) + " from " +
                     names.party(str(edge, "exporter")) + " in " +
                     names.country(edge.value("from_country", json())) + " to " +
                     names.party(str(edge, "importer")) + " in " +
                     names.country(edge.value("to_country", json())) + " (";
  text += edge.value("implicit", false) ? "implicit " + str(edge, "kind") + " edge" : "flow";
  text += " `" + str(edge, "id") + "`)";
  text += verdict == "violation" ? " violates " : " may violate ";
  text += str(f, "rule") + " \"" + str(member(f, "title"), "en") + "\" (" +
          citation_text(member(f, "citation")) + ").";
  std::vector<std::string> missing, open;
  if (f.contains("routes")) {
    for (const auto& r : member(f, "routes")) {
      if (str(r, "status") == "unavailable") missing.push_back(str(member(r, "title"), "en"));
      if (str(r, "status") == "depends_on_unknowns") open.push_back(str(member(r, "title"), "en"));
    }
  }
  if (verdict == "violation") {
    if (!missing.empty())
      text += " None of the ways to comply is in place: " + join(missing, "; ") + ".";
    std::vector<std::string> because;
    for (const auto& b : f.value("because", json::array())) because.push_back(b.get<std::string>());
    if (!because.empty()) text += " Known facts: " + join(because, "; ") + ".";
  } else {
    std::vector<std::string> deciding;
    for (const auto& d : f.value("deciding", json::array())) {
      std::string one = str(d, "fact");
      if (!str(d, "violating_value").empty() || !str(d, "compliant_value").empty()) {
        one += " (violates if " + str(d, "violating_value") + ", complies if " +
               str(d, "compliant_value") + ")";
      }
      deciding.push_back(one);
    }
    text += deciding.empty()
                ? " The model leaves facts open that decide it."
                : " It depends on facts the model leaves open: " + join(deciding, "; ") + ".";
    if (!open.empty()) text += " Ways to comply that depend on them: " + join(open, "; ") + ".";
  }
  return text;
}

json rule_json(const json& f) {
  const json& citation = member(f, "citation");
  std::string full = str(member(f, "title"), "en") + ". Legal basis: " + citation_text(citation) +
                     " (" + str(member(f, "place_name"), "en") + ").";
  std::vector<std::string> routes;
  for (const auto& r : f.value("routes", json::array())) {
    std::string one = str(member(r, "title"), "en");
    if (r.contains("citation")) one += " [" + citation_text(member(r, "citation")) + "]";
    routes.push_back(one);
  }
  if (!routes.empty()) full += " Ways to comply: " + join(routes, "; ") + ".";
  json rule{{"id", str(f, "rule")},
            {"shortDescription", {{"text", str(member(f, "title"), "en")}}},
            {"fullDescription", {{"text", full}}},
            {"properties",
             {{"citation", citation},
              {"place", str(f, "place")},
              {"place_name", f.value("place_name", json::object())},
              {"title_ja", str(member(f, "title"), "ja")}}}};
  if (!str(citation, "url").empty()) rule["helpUri"] = str(citation, "url");
  return rule;
}

}  // namespace

json render_sarif(const json& input, const std::string& model_text) {
  const std::string model_file = str(member(input, "model"), "file");
  return render_sarif(input, [&](const std::string& file) {
    return file == model_file ? model_text : std::string();
  });
}

json render_sarif(const json& input,
                  const std::function<std::string(const std::string&)>& read_file) {
  const auto sources = provenance_from_json(input);
  std::map<std::string, std::string> texts;  // each file read once
  auto text_of = [&](const std::string& file) -> const std::string& {
    auto [it, fresh] = texts.try_emplace(file);
    if (fresh && !file.empty()) it->second = read_file(file);
    return it->second;
  };
  const json& check = input.at("check");
  const json& findings = check.at("findings");
  const input::Names names(input, "an unknown country");

  // Rules, sorted by id, from every finding (compliant ones included: they are checked rules).
  std::map<std::string, json> by_id;
  for (const auto& f : findings) {
    if (!by_id.count(str(f, "rule"))) by_id[str(f, "rule")] = rule_json(f);
  }
  json rules = json::array();
  std::map<std::string, int> index;
  for (const auto& [id, rule] : by_id) {
    index[id] = static_cast<int>(rules.size());
    rules.push_back(rule);
  }

  const std::string model_file = str(input.at("model"), "file");
  json results = json::array();
  for (const auto& f : findings) {
    const auto verdict = str(f, "verdict");
    if (verdict != "violation" && verdict != "undetermined") continue;
    const auto pointer = str(f, "model_pointer");
    const auto source = find_provenance(sources, pointer);
    const std::string file = source ? source->file.generic_string() : model_file;
    const std::string file_pointer = source ? source->pointer : pointer;
    std::optional<TextPosition> pos;
    if (source && source->line > 0) {
      pos = TextPosition{source->line, source->column};
    } else if (const std::string& text = text_of(file); !text.empty()) {
      pos = locate_pointer(text, file_pointer);
    }
    json region{{"startLine", pos ? pos->line : 1}, {"startColumn", pos ? pos->column : 1}};
    json logical = json::array({{{"fullyQualifiedName", pointer}, {"kind", "object"}}});
    if (source && !source->address.empty())
      logical.push_back({{"fullyQualifiedName", source->address}, {"kind", "resource"}});
    json location{
        {"physicalLocation", {{"artifactLocation", {{"uri", file_uri(file)}}}, {"region", region}}},
        {"logicalLocations", logical}};
    const auto& edge = member(f, "edge");
    json result{{"ruleId", str(f, "rule")},
                {"ruleIndex", index[str(f, "rule")]},
                {"level", verdict == "violation" ? "error" : "warning"},
                {"message", {{"text", message_text(f, names)}}},
                {"locations", json::array({location})},
                {"partialFingerprints",
                 {{kFingerprintKey, fingerprint(str(f, "rule") + '\x1f' + str(edge, "id") + '\x1f' +
                                                str(f, "dataset"))}}},
                {"properties",
                 {{"verdict", verdict},
                  {"dataset", str(f, "dataset")},
                  {"edge", edge},
                  {"event", str(f, "event")},
                  {"place", str(f, "place")},
                  {"path", f.value("path", json::array())},
                  {"missing", f.value("missing", json::array())},
                  {"deciding", f.value("deciding", json::array())},
                  {"disclosure_scope", f.value("disclosure_scope", json::object())}}}};
    if (source) {
      json where{{"file", file}, {"pointer", file_pointer}};
      if (!source->address.empty()) where["address"] = source->address;
      result["properties"]["source"] = where;
    }
    results.push_back(result);
  }

  json driver{{"name", "xborder"}, {"version", kToolVersion}, {"rules", rules}};
  json run{{"tool", {{"driver", driver}}},
           {"columnKind", "unicodeCodePoints"},
           {"results", results},
           {"properties",
            {{"checked_at", str(check, "at")},
             {"model_name", str(member(input, "model"), "name")},
             {"places", check.value("places", json::array())},
             {"summary", check.value("summary", json::object())},
             {"exposure", check.value("exposure", json::array())}}}};
  // The check's warnings (a data set nothing brings to a node, a place with no rule in force at
  // the date …) are notifications of the run, not results: they point at no finding.
  const json warnings = check.value("warnings", json::array());
  if (!warnings.empty()) {
    json notes = json::array();
    for (const auto& w : warnings) {
      const std::string hint = str(w, "hint");
      notes.push_back(
          {{"level", "warning"},
           {"descriptor", {{"id", str(w, "code")}}},
           {"message", {{"text", str(w, "message") + (hint.empty() ? "" : " (" + hint + ")")}}}});
    }
    run["invocations"] =
        json::array({{{"executionSuccessful", true}, {"toolExecutionNotifications", notes}}});
  }
  // A plan (`report --plan`): its changes, why, and the patch, as a property of the run.
  if (json plan = plan_sarif_properties(input); !plan.is_null())
    run["properties"]["plan"] = std::move(plan);
  return json{{"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", json::array({run})}};
}

}  // namespace xborder
