#include "reports/tabular_report.hpp"

#include <stdexcept>

namespace xborder {
std::string render_markdown(const nlohmann::json&) { throw std::logic_error("render_markdown: not implemented yet"); }
std::string render_register_csv(const nlohmann::json&) { throw std::logic_error("render_register_csv: not implemented yet"); }
}  // namespace xborder
