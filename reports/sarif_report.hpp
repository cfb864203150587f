// SARIF 2.1.0 for CI code-scanning views: one result per violation (level error) and per
// undetermined finding (level warning), rule metadata with citations, and locations pointing into
// the model file (line and column found from the finding's JSON pointer, the pointer itself kept
// as a logical location).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/source_position.hpp"

namespace xborder {

// Where the value at RFC 6901 `pointer` starts in `json_text`; nullopt if it is not there.
std::optional<TextPosition> locate_pointer(const std::string& json_text,
                                           const std::string& pointer);

// `model_text`: the model file's text, for line numbers ("" when unavailable).
nlohmann::json render_sarif(const nlohmann::json& input, const std::string& model_text);
// The same, for a model of several inputs or imported resources: a finding whose item is listed
// in `model.sources` (report_input.hpp) points into the input it came from (its line, or the line
// found from its pointer in the text `read_file` gives), with the resource address as a logical
// location.
nlohmann::json render_sarif(const nlohmann::json& input,
                            const std::function<std::string(const std::string&)>& read_file);

}  // namespace xborder
