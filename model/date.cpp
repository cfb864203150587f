#include "model/date.hpp"

#include <chrono>
#include <cstdio>

namespace xborder {

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (std::size_t i = 0; i < lengths[p]; ++i) {
      const char c = text[starts[p] + i];
      if (c < '0' || c > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  const std::chrono::year_month_day ymd{std::chrono::year{parts[0]},
                                        std::chrono::month{static_cast<unsigned>(parts[1])},
                                        std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (!ymd.ok()) return std::nullopt;
  return Date::from_days(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  return Date::from_days(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

std::string Date::to_string() const {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_}}};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

int Date::year() const {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_}}};
  return static_cast<int>(ymd.year());
}

std::string Validity::to_string() const {
  return "[" + (from ? from->to_string() : std::string("…")) + ", " +
         (to ? to->to_string() : std::string("…")) + ")";
}

}  // namespace xborder
