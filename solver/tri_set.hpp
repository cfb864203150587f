// Three-valued sets as bitsets (an element is in, out, or maybe in), and a pool that interns them:
// the checker's attribute states are a few ids each, and two states are compared, hashed and
// merged by their ids rather than element by element.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace xborder {

class TriSet {
 public:
  static constexpr std::int8_t kNo = 0, kYes = 1, kMaybe = -1;

  TriSet() = default;
  explicit TriSet(std::size_t size) : size_(size), words_(2 * word_count(size), 0) {}

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::int8_t get(std::size_t i) const {
    if (bit(yes(), i)) return kYes;
    return bit(maybe(), i) ? kMaybe : kNo;
  }
  // Adds an element as certain or possible; a certain element stays certain.
  void include(std::size_t i, std::int8_t how) {
    if (how == kNo || bit(yes(), i)) return;
    if (how == kYes) {
      set_bit(yes(), i);
      clear_bit(maybe(), i);
    } else {
      set_bit(maybe(), i);
    }
  }
  // An element we cannot name (a country nobody recorded): every other one is possible.
  void include_unknown() {
    const std::size_t w = word_count(size_);
    for (std::size_t k = 0; k < w; ++k) words_[w + k] = ~words_[k] & mask(k);
  }
  // Every element of `other`, as certain or possible as it is there.
  void merge(const TriSet& other) {
    const std::size_t w = word_count(size_);
    for (std::size_t k = 0; k < w; ++k) {
      words_[k] |= other.words_[k];
      words_[w + k] = (words_[w + k] | other.words_[w + k]) & ~words_[k];
    }
  }
  // Only the elements `keep` marks (as yes); the others become out.
  void restrict_to(const std::vector<std::uint64_t>& keep) {
    const std::size_t w = word_count(size_);
    for (std::size_t k = 0; k < w; ++k) {
      words_[k] &= keep[k];
      words_[w + k] &= keep[k];
    }
  }
  bool operator==(const TriSet&) const = default;
  [[nodiscard]] std::size_t hash() const {
    std::size_t h = size_ * 0x9E3779B97F4A7C15ull;
    for (std::uint64_t x : words_) h = (h ^ x) * 0x100000001B3ull + (h >> 29);
    return h;
  }
  static std::size_t word_count(std::size_t size) { return (size + 63) / 64; }

 private:
  const std::uint64_t* yes() const { return words_.data(); }
  const std::uint64_t* maybe() const { return words_.data() + word_count(size_); }
  std::uint64_t* yes() { return words_.data(); }
  std::uint64_t* maybe() { return words_.data() + word_count(size_); }
  static bool bit(const std::uint64_t* w, std::size_t i) { return (w[i / 64] >> (i % 64)) & 1u; }
  static void set_bit(std::uint64_t* w, std::size_t i) {
    w[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  static void clear_bit(std::uint64_t* w, std::size_t i) {
    w[i / 64] &= ~(std::uint64_t{1} << (i % 64));
  }
  [[nodiscard]] std::uint64_t mask(std::size_t word) const {
    const std::size_t bits = size_ - word * 64;
    return bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  }

  std::size_t size_ = 0;
  std::vector<std::uint64_t> words_;  // yes bits, then maybe bits
};

// Interned sets: equal sets get equal ids; ids are stable and index `at`.
class TriSetPool {
 public:
  std::uint32_t intern(TriSet set) {
    auto [it, fresh] = ids_.try_emplace(std::move(set), static_cast<std::uint32_t>(sets_.size()));
    if (fresh) sets_.push_back(&it->first);
    return it->second;
  }
  [[nodiscard]] const TriSet& at(std::uint32_t id) const { return *sets_[id]; }
  [[nodiscard]] std::size_t size() const { return sets_.size(); }

 private:
  struct Hash {
    std::size_t operator()(const TriSet& s) const { return s.hash(); }
  };
  std::unordered_map<TriSet, std::uint32_t, Hash> ids_;  // node-based: keys do not move
  std::vector<const TriSet*> sets_;
};

}  // namespace xborder
