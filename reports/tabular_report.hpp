// Markdown (summary, findings table with citations, per-path event view, transfer register) and
// the transfer register as CSV (RFC 4180).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace xborder {

std::string render_markdown(const nlohmann::json& input);
std::string render_register_csv(const nlohmann::json& input);

// A Markdown table cell: `|` escaped, line breaks folded into spaces.
std::string markdown_cell(const std::string& text);
// An RFC 4180 field, quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& value);

}  // namespace xborder
