// Calendar dates as day numbers, so validity intervals compare as integers (and compile to Z3 Int).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace xborder {

class Date {
 public:
  constexpr Date() = default;
  // Days since 1970-01-01 (proleptic Gregorian).
  static constexpr Date from_days(int days) {
    Date d;
    d.days_ = days;
    return d;
  }
  // Strict YYYY-MM-DD; nullopt on anything else (including 2023-02-30).
  static std::optional<Date> parse(std::string_view text);
  static Date from_ymd(int year, unsigned month, unsigned day);

  [[nodiscard]] constexpr int days() const { return days_; }
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] int year() const;
  constexpr auto operator<=>(const Date&) const = default;

 private:
  int days_ = 0;
};

// [from, to): `to` is the first day on which the thing no longer holds; nullopt means open.
struct Validity {
  std::optional<Date> from;
  std::optional<Date> to;
  [[nodiscard]] bool contains(Date d) const { return (!from || *from <= d) && (!to || d < *to); }
  [[nodiscard]] std::string to_string() const;
};

}  // namespace xborder
