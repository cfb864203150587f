// Strict reading of JSON objects: every key must be known, every value of the right type, and
// every problem becomes a Diagnostic with the JSON pointer of the offending value.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/date.hpp"
#include "model/diagnostic.hpp"
#include "model/unknowable.hpp"
#include "model/vocabulary.hpp"

namespace xborder {

using Json = nlohmann::json;

// Limits on every input file (README.md "Limits"): its size, and how deep its JSON nests.
inline constexpr std::uintmax_t kMaxInputFileBytes = std::uintmax_t{512} * 1024 * 1024;
inline constexpr std::size_t kMaxJsonDepth = 128;

// The text of an input file. Refuses, with the reason, what is not a regular file (a directory,
// a FIFO, a device such as /dev/zero) and files over kMaxInputFileBytes; CODE_PREFIX-001.
std::optional<std::string> read_input_file(const std::filesystem::path& file, Diagnostics& diags,
                                           const std::string& code_prefix);
// Parses JSON text read from `file`: on failure reports the line and column (CODE_PREFIX-002),
// also for numbers beyond the range of a double and nesting deeper than kMaxJsonDepth.
std::optional<Json> parse_json_text(const std::string& text, const std::filesystem::path& file,
                                    Diagnostics& diags, const std::string& code_prefix);
// read_input_file, then parse_json_text.
std::optional<Json> read_json_file(const std::filesystem::path& file, Diagnostics& diags,
                                   const std::string& code_prefix);

struct ReadContext {
  std::filesystem::path file;
  Diagnostics* diags;
  std::string code_prefix;  // "XB-MODEL" or "XB-RULES"
  void error(const std::string& code, const std::string& pointer, const std::string& message,
             std::optional<std::string> hint = std::nullopt) const {
    diags->error(code_prefix + "-" + code, file, pointer, message, std::move(hint));
  }
};

std::string json_type_name(const Json& j);

// Reads one JSON object. Call finish() when done: keys nobody asked for are reported.
class ObjectReader {
 public:
  ObjectReader(const Json& node, std::string pointer, const ReadContext& ctx);
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] const std::string& pointer() const { return pointer_; }
  [[nodiscard]] std::string pointer(std::string_view key) const;
  [[nodiscard]] const ReadContext& context() const { return ctx_; }

  // The raw value, or nullptr when absent (reported when required).
  const Json* get(std::string_view key, bool required);
  [[nodiscard]] bool has(std::string_view key) const;

  std::optional<std::string> string(std::string_view key, bool required);
  std::optional<bool> boolean(std::string_view key, bool required);
  std::optional<long long> integer(std::string_view key, bool required);
  std::optional<Date> date(std::string_view key, bool required);
  // true / false / "unknown"; absent gives `absent`.
  Unknowable<bool> tri(std::string_view key, Unknowable<bool> absent);
  std::vector<std::string> strings(std::string_view key, bool required);
  // An identifier: letters, digits, and - _ . : @ /, starting with a letter or digit.
  std::optional<std::string> identifier(std::string_view key, bool required);

  template <class E>
  std::optional<E> enumeration(std::string_view key, bool required) {
    auto text = string(key, required);
    if (!text) return std::nullopt;
    if (auto v = parse_enum<E>(*text)) return v;
    ctx_.error("003", pointer(key),
               "unknown " + std::string(EnumNames<E>::kind) + " `" + *text + "`",
               suggestion_hint(*text, enum_spellings<E>()));
    return std::nullopt;
  }
  // An enum value or "unknown".
  template <class E>
  std::optional<Unknowable<E>> enumeration_or_unknown(std::string_view key, bool required) {
    const Json* v = get(key, required);
    if (!v) return std::nullopt;
    if (v->is_string() && v->get<std::string>() == "unknown") return Unknowable<E>::unknown();
    auto e = enumeration<E>(key, required);
    if (!e) return std::nullopt;
    return Unknowable<E>(*e);
  }
  // An array of enum values; unknown spellings are reported with their position.
  template <class E>
  std::vector<E> enumerations(std::string_view key, bool required) {
    std::vector<E> out;
    const std::vector<std::string> texts = strings(key, required);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      if (auto v = parse_enum<E>(texts[i])) {
        out.push_back(*v);
      } else {
        ctx_.error("003", pointer(key) + "/" + std::to_string(i),
                   "unknown " + std::string(EnumNames<E>::kind) + " `" + texts[i] + "`",
                   suggestion_hint(texts[i], enum_spellings<E>()));
      }
    }
    return out;
  }
  // A string from a closed list.
  std::optional<std::string> one_of(std::string_view key, bool required,
                                    const std::vector<std::string>& allowed, std::string_view what);

  // Calls `each(element, pointer)` for every element of an array field.
  void array(std::string_view key, bool required,
             const std::function<void(const Json&, const std::string&)>& each);

  // Reports unknown keys. Returns ok().
  bool finish();

 private:
  const Json& node_;
  std::string pointer_;
  const ReadContext& ctx_;
  bool ok_ = true;
  std::set<std::string, std::less<>> seen_;
};

bool is_identifier(std::string_view text);
bool is_country_code_shape(std::string_view text);

}  // namespace xborder
