#include "reports/legal_drafts.hpp"

#include <stdexcept>

namespace xborder {
nlohmann::json appi_notices(const nlohmann::json&) { throw std::logic_error("appi_notices: not implemented yet"); }
nlohmann::json tia_drafts(const nlohmann::json&) { throw std::logic_error("tia_drafts: not implemented yet"); }
std::string render_appi_notices_markdown(const nlohmann::json&) { throw std::logic_error("not implemented yet"); }
std::string render_tia_markdown(const nlohmann::json&) { throw std::logic_error("not implemented yet"); }
}  // namespace xborder
