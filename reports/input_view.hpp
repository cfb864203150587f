// Reading the report input document (report_input.hpp) safely: every renderer reads the same
// JSON, so the lookups that tolerate a missing or mistyped member live here once.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace xborder::input {

using nlohmann::json;

// The member `key` of an object, or null when `j` is not an object or has no such member.
const json& member(const json& j, const char* key);
// The member `key` if it is an array, else an empty array.
const json& array_member(const json& j, const char* key);
// The member `key` if it is a string, else `fallback`.
std::string str(const json& j, const char* key, const std::string& fallback = "");
// The element of `array` whose "id" is `id`, or nullptr.
const json* find_by_id(const json& array, const std::string& id);
// "instrument, article" of a citation object (either part may be missing).
std::string citation_text(const json& citation);
std::string join(const std::vector<std::string>& items, const std::string& separator);
// What a value is, for messages: "an object", "an array", "a string", "a number", "a boolean",
// "null". `kind_of(json(type))` names a type.
std::string kind_of(const json& j);
// An event as words in a sentence: "remote_access" → "remote access".
std::string event_words(const std::string& event);

// Names for ids, as Markdown text: "Studio A (`studio-a`)", or "`studio-a`" without a name.
class Names {
 public:
  // `unknown_country`: what to say for a null country.
  Names(const json& input, std::string unknown_country);
  [[nodiscard]] std::string party(const std::string& id) const { return named(parties_, id); }
  [[nodiscard]] std::string dataset(const std::string& id) const { return named(datasets_, id); }
  [[nodiscard]] std::string country(const json& code) const;        // "Japan (JP)"
  [[nodiscard]] std::string holder(const std::string& node) const;  // party id holding a node

 private:
  static std::string named(const std::map<std::string, std::string>& names, const std::string& id);
  std::map<std::string, std::string> parties_, datasets_, countries_, holders_;
  std::string unknown_country_;
};

}  // namespace xborder::input
