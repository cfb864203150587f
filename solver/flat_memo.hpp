// A memo for the checker's hot loop: open addressing with linear probing in one flat array, and
// clear() in constant time (a generation count marks what is current). std::unordered_map
// allocates a node per entry and clears its whole bucket array, which cost a tenth of a large
// check when a memo is cleared at every edge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace xborder {

// std::hash of an integer is the integer itself; FlatMemo spreads it (Fibonacci hashing).
struct IdentityHash {
  std::uint64_t operator()(std::uint64_t x) const { return x; }
};

template <class Key, class Value, class Hash>
class FlatMemo {
 public:
  // The value for `key` and whether it was absent (then value-initialised), as try_emplace.
  std::pair<Value*, bool> try_emplace(const Key& key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();  // at most three quarters full
    const std::size_t mask = slots_.size() - 1;
    // Fibonacci hashing: the top bits of the hash times 2^64/φ, so that a hash whose low bits
    // vary little (ids shifted into high words, aligned pointers) still spreads.
    const std::size_t start = static_cast<std::size_t>(
        (static_cast<std::uint64_t>(Hash{}(key)) * 0x9E3779B97F4A7C15ull) >> (64 - shift_));
    for (std::size_t k = start;; k = (k + 1) & mask) {
      Slot& s = slots_[k];
      if (s.generation != generation_) {
        s.generation = generation_;
        s.key = key;
        s.value = Value{};
        ++size_;
        return {&s.value, true};
      }
      if (s.key == key) return {&s.value, false};
    }
  }
  void clear() {
    size_ = 0;
    if (++generation_ == 0) {  // wrapped: old stamps could read as current
      for (Slot& s : slots_) s.generation = 0;
      generation_ = 1;
    }
  }
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint32_t generation = 0;  // current when equal to generation_
    Key key{};
    Value value{};
  };
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    shift_ = old.empty() ? 4 : shift_ + 1;  // log2 of the capacity
    const std::uint32_t current = generation_;
    size_ = 0;
    for (Slot& s : old) {
      if (s.generation == current) *try_emplace(s.key).first = std::move(s.value);
    }
  }
  std::vector<Slot> slots_;
  std::uint32_t generation_ = 1;
  unsigned shift_ = 0;
  std::size_t size_ = 0;
};

}  // namespace xborder
