#include "reports/html_report.hpp"

#include <stdexcept>

namespace xborder {
std::string render_html(const nlohmann::json&) { throw std::logic_error("render_html: not implemented yet"); }
}  // namespace xborder
