// One self-contained HTML file (no network, no CDN): summary, the transfer graph as inline SVG
// (violating paths highlighted, implicit edges told apart), a findings table filterable by verdict
// and place, the event-by-event view of each path (the four steps: flow, places, attributes,
// risks), the transfer register, APPI notices and TIA drafts, with English/Japanese labels.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace xborder {

std::string render_html(const nlohmann::json& input);

}  // namespace xborder
