// A value the data map may not know. Unknown is a value in xborder, never a silent default.
#pragma once

#include <optional>
#include <stdexcept>
#include <utility>

namespace xborder {

template <class T>
class Unknowable {
 public:
  Unknowable() = default;                            // unknown
  Unknowable(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  static Unknowable unknown() { return Unknowable(); }

  [[nodiscard]] bool known() const { return value_.has_value(); }
  [[nodiscard]] const T& value() const {
    if (!value_) throw std::logic_error("Unknowable::value() on an unknown value");
    return *value_;
  }
  [[nodiscard]] const T* get() const { return value_ ? &*value_ : nullptr; }
  bool operator==(const Unknowable&) const = default;

 private:
  std::optional<T> value_;
};

}  // namespace xborder
