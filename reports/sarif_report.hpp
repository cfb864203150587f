// SARIF 2.1.0 for CI code-scanning views: one result per violation (level error) and per
// undetermined finding (level warning), rule metadata with citations, and locations pointing into
// the model file (line and column found from the finding's JSON pointer, the pointer itself kept
// as a logical location).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace xborder {

struct TextPosition {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in characters of the line
};

// Where the value at RFC 6901 `pointer` starts in `json_text`; nullopt if it is not there.
std::optional<TextPosition> locate_pointer(const std::string& json_text,
                                           const std::string& pointer);

// `model_text`: the model file's text, for line numbers ("" when unavailable).
nlohmann::json render_sarif(const nlohmann::json& input, const std::string& model_text);

}  // namespace xborder
