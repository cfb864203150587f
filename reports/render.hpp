// One entry point for every report format, rendered from the report input document
// (report_input.hpp): what `xborder report` calls, from a model or from a saved input.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace xborder {

// FORMAT: html | md | sarif | csv | appi-notice | tia | json. `read_model` gives the model file's
// text for SARIF regions ("" when it cannot be read). A saved input with members of the wrong
// type makes the renderers throw nlohmann::json::exception; `report --from` reports it as
// invalid input (XB-CLI-004).
std::string render_report(const nlohmann::json& input, const std::string& format,
                          const std::function<std::string(const std::string&)>& read_model);

}  // namespace xborder
