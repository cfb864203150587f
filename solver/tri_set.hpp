// Three-valued sets (an element is in, out, or maybe in), stored sparsely, and a pool that interns
// them: the checker's attribute states are a few ids each, and two states are compared, hashed and
// merged by their ids rather than element by element.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace xborder {

class TriSet {
 public:
  static constexpr std::int8_t kNo = 0, kYes = 1, kMaybe = -1;

  TriSet() = default;
  explicit TriSet(std::size_t size) : size_(static_cast<std::uint32_t>(size)) {}

  // From one value per element, in one pass (include() element by element inserts into the
  // sorted entries: quadratic for the dense sets of a large map's edges).
  static TriSet from_values(const std::vector<std::int8_t>& values) {
    TriSet out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i] != kNo) out.entries_.push_back({static_cast<std::uint32_t>(i), values[i]});
    }
    return out;
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  // Words of a bit mask over `size` elements (what restrict_to takes).
  static std::size_t word_count(std::size_t size) { return (size + 63) / 64; }
  [[nodiscard]] std::int8_t get(std::size_t i) const {
    const auto it = find(i);
    return it != entries_.end() && it->index == i ? it->value : rest_;
  }
  // Adds an element as certain or possible; a certain element stays certain.
  void include(std::size_t i, std::int8_t how) {
    if (how == kNo) return;
    const std::int8_t now = get(i);
    if (now == kYes || now == how) return;
    assign(i, how);
  }
  // An element we cannot name (a country nobody recorded): every other one is possible.
  void include_unknown() {
    std::erase_if(entries_, [](const Entry& e) { return e.value != kYes; });
    rest_ = kMaybe;
  }
  // Every element of `other`, as certain or possible as it is there: element by element the
  // larger of no < maybe < yes.
  void merge(const TriSet& other) {
    const std::int8_t rest = rank(other.rest_) > rank(rest_) ? other.rest_ : rest_;
    std::vector<Entry> out;
    out.reserve(entries_.size() + other.entries_.size());
    auto a = entries_.cbegin();
    auto b = other.entries_.cbegin();
    while (a != entries_.cend() || b != other.entries_.cend()) {
      std::uint32_t i;
      if (b == other.entries_.end() || (a != entries_.end() && a->index < b->index)) {
        i = a->index;
      } else {
        i = b->index;
      }
      const std::int8_t x = a != entries_.end() && a->index == i ? (a++)->value : rest_;
      const std::int8_t y = b != other.entries_.end() && b->index == i ? (b++)->value : other.rest_;
      const std::int8_t v = rank(x) >= rank(y) ? x : y;
      if (v != rest) out.push_back({i, v});
    }
    entries_ = std::move(out);
    rest_ = rest;
  }
  // Only the elements `keep` marks (as yes); the others become out.
  void restrict_to(const std::vector<std::uint64_t>& keep) {
    auto kept = [&](std::size_t i) {
      return i / 64 < keep.size() && ((keep[i / 64] >> (i % 64)) & 1u);
    };
    if (rest_ == kNo) {
      std::erase_if(entries_, [&](const Entry& e) { return !kept(e.index); });
      return;
    }
    std::vector<Entry> out;
    for (std::size_t w = 0; w < keep.size(); ++w) {
      for (std::uint64_t bits = keep[w]; bits; bits &= bits - 1) {
        const std::size_t i = w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
        if (i >= size_) break;
        const std::int8_t v = get(i);
        if (v != kNo) out.push_back({static_cast<std::uint32_t>(i), v});
      }
    }
    entries_ = std::move(out);
    rest_ = kNo;
  }
  // Calls `f(i)` for every element whose value is `value`, in increasing order: a set of thousands
  // of elements that names a few is walked in a few steps.
  template <class F>
  void for_each(std::int8_t value, F&& f) const {
    if (value != rest_) {
      for (const Entry& e : entries_) {
        if (e.value == value) f(static_cast<std::size_t>(e.index));
      }
      return;
    }
    auto it = entries_.begin();
    for (std::size_t i = 0; i < size_; ++i) {
      if (it != entries_.end() && it->index == i) {
        ++it;
        continue;
      }
      f(i);
    }
  }
  // One representation per contents, so that == and hash() (representation-wise) compare
  // contents: `rest_` is maybe exactly when more elements are maybe than no. The pool canonicalises
  // every set it interns; the operations above keep any valid representation.
  void canonicalise() {
    std::size_t others = 0;  // listed elements that are neither yes nor the rest
    for (const Entry& e : entries_) others += e.value != kYes;
    const std::size_t rests = size_ - entries_.size();
    const std::size_t maybes = rest_ == kMaybe ? rests : others;
    const std::size_t nos = rest_ == kNo ? rests : others;
    const std::int8_t rest = maybes > nos ? kMaybe : kNo;
    if (rest == rest_) return;
    std::vector<Entry> out;
    auto it = entries_.cbegin();
    for (std::size_t i = 0; i < size_; ++i) {
      std::int8_t v = rest_;
      if (it != entries_.cend() && it->index == i) v = (it++)->value;
      if (v != rest) out.push_back({static_cast<std::uint32_t>(i), v});
    }
    entries_ = std::move(out);
    rest_ = rest;
  }
  bool operator==(const TriSet&) const = default;
  [[nodiscard]] std::size_t hash() const {
    std::size_t h = (size_ * 0x9E3779B97F4A7C15ull) ^ static_cast<std::size_t>(rest_ + 2);
    for (const Entry& e : entries_)
      h = (h ^ (std::size_t{e.index} << 2 | static_cast<std::size_t>(e.value + 1))) *
              0x100000001B3ull +
          (h >> 29);
    return h;
  }

 private:
  // The elements whose value differs from `rest_`, sorted by index: most sets of a large map
  // (the parties that can see the data, among thousands) name a handful of elements.
  struct Entry {
    std::uint32_t index;
    std::int8_t value;
    bool operator==(const Entry&) const = default;
  };
  static int rank(std::int8_t v) { return v == kYes ? 2 : (v == kMaybe ? 1 : 0); }
  [[nodiscard]] std::vector<Entry>::const_iterator find(std::size_t i) const {
    return std::lower_bound(entries_.begin(), entries_.end(), i,
                            [](const Entry& e, std::size_t x) { return e.index < x; });
  }
  void assign(std::size_t i, std::int8_t v) {
    auto it = entries_.begin() + (find(i) - entries_.cbegin());
    const bool present = it != entries_.end() && it->index == i;
    if (v == rest_) {
      if (present) entries_.erase(it);
    } else if (present) {
      it->value = v;
    } else {
      entries_.insert(it, Entry{static_cast<std::uint32_t>(i), v});
    }
  }

  std::uint32_t size_ = 0;
  std::int8_t rest_ = kNo;  // the value of every element not in entries_
  std::vector<Entry> entries_;
};

// Interned sets: equal sets get equal ids; ids are stable and index `at`.
class TriSetPool {
 public:
  std::uint32_t intern(TriSet set) {
    set.canonicalise();
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
