// One entry point for every report format, rendered from the report input document
// (report_input.hpp): what `xborder report` calls, from a model or from a saved input.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace xborder {

// What makes a saved report input unusable, as (JSON pointer, message) pairs: the members every
// renderer reads must have the types `xborder report --format json` writes (report_input.hpp).
// Empty when the document has the expected shape.
std::vector<std::pair<std::string, std::string>> report_input_problems(const nlohmann::json& input);

// FORMAT: html | md | sarif | csv | appi-notice | tia | json. `read_model` gives the model file's
// text for SARIF regions ("" when it cannot be read). A saved input with members of the wrong
// type makes the renderers throw nlohmann::json::exception; `report --from` reports it as
// invalid input (XB-CLI-004).
std::string render_report(const nlohmann::json& input, const std::string& format,
                          const std::function<std::string(const std::string&)>& read_model);

}  // namespace xborder
