#include "reports/register.hpp"

#include <stdexcept>

namespace xborder {
nlohmann::json transfer_register(const nlohmann::json&) { throw std::logic_error("transfer_register: not implemented yet"); }
}  // namespace xborder
