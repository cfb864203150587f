// Reading the report input document (report_input.hpp) safely: every renderer reads the same
// JSON, so the lookups that tolerate a missing or mistyped member live here once.
#pragma once

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

}  // namespace xborder::input
