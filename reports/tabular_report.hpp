// Markdown (summary, findings table with citations, per-path event view, transfer register) and
// the transfer register as CSV (RFC 4180).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace xborder {

std::string render_markdown(const nlohmann::json& input);
std::string render_register_csv(const nlohmann::json& input);

}  // namespace xborder
