// The sparse three-valued set against a plain vector of values under random operations: every
// element reads the same, equal contents intern to one id however they were built (step by step
// or from_values), and for_each visits exactly the elements of a value, in order. And the
// checker's flat memo against std::map.
#include "solver/tri_set.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "solver/flat_memo.hpp"

namespace xborder::tri_set_test {
namespace {

constexpr std::int8_t kNo = TriSet::kNo, kYes = TriSet::kYes, kMaybe = TriSet::kMaybe;

int rank(std::int8_t v) {
  return v == kYes ? 2 : (v == kMaybe ? 1 : 0);
}

struct Plain {
  std::vector<std::int8_t> v;
  void include(std::size_t i, std::int8_t how) {
    if (how != kNo && rank(how) > rank(v[i])) v[i] = how;
  }
  void include_unknown() {
    for (auto& x : v) x = x == kYes ? kYes : kMaybe;
  }
  void merge(const Plain& o) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (rank(o.v[i]) > rank(v[i])) v[i] = o.v[i];
  }
  void restrict_to(const std::vector<std::uint64_t>& keep) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (!((keep[i / 64] >> (i % 64)) & 1u)) v[i] = kNo;
  }
};

void expect_same(const TriSet& s, const Plain& p, int step) {
  ASSERT_EQ(s.size(), p.v.size());
  for (std::size_t i = 0; i < p.v.size(); ++i)
    ASSERT_EQ(s.get(i), p.v[i]) << "element " << i << " after step " << step;
  for (std::int8_t value : {kNo, kYes, kMaybe}) {
    std::vector<std::size_t> seen, want;
    s.for_each(value, [&](std::size_t i) { seen.push_back(i); });
    for (std::size_t i = 0; i < p.v.size(); ++i)
      if (p.v[i] == value) want.push_back(i);
    ASSERT_EQ(seen, want) << "for_each " << int(value) << " after step " << step;
  }
}

// Built element by element from the plain values: the canonical way to reach these contents.
TriSet rebuilt(const Plain& p) {
  TriSet s(p.v.size());
  for (std::size_t i = 0; i < p.v.size(); ++i) s.include(i, p.v[i]);
  return s;
}

TEST(TriSet, SparseSetsBehaveLikePlainVectors) {
  std::mt19937 rng(20261207);
  for (std::size_t size : {1u, 7u, 64u, 65u, 200u}) {
    for (int run = 0; run < 50; ++run) {
      TriSetPool pool;
      TriSet a(size), b(size);
      Plain pa{std::vector<std::int8_t>(size, kNo)}, pb = pa;
      for (int step = 0; step < 40; ++step) {
        const std::size_t i = rng() % size;
        const std::int8_t how = static_cast<std::int8_t>(static_cast<int>(rng() % 3) - 1);
        switch (rng() % 6) {
          case 0:
          case 1:
            a.include(i, how);
            pa.include(i, how);
            break;
          case 2:
            b.include(i, how);
            pb.include(i, how);
            break;
          case 3:
            if (rng() % 4 == 0) {
              a.include_unknown();
              pa.include_unknown();
            }
            break;
          case 4:
            a.merge(b);
            pa.merge(pb);
            break;
          case 5: {
            std::vector<std::uint64_t> keep(TriSet::word_count(size), 0);
            for (auto& w : keep) w = (std::uint64_t{rng()} << 32) | rng();
            a.restrict_to(keep);
            pa.restrict_to(keep);
            break;
          }
        }
        expect_same(a, pa, step);
        // Interned, equal contents are one set however they were reached.
        const std::uint32_t id = pool.intern(a);
        ASSERT_EQ(pool.intern(rebuilt(pa)), id) << "equal contents, two sets after step " << step;
        expect_same(pool.at(id), pa, step);
        ASSERT_EQ(pool.intern(b) == id, pa.v == pb.v);
        // Built in one pass from the values, the same set.
        ASSERT_EQ(pool.intern(TriSet::from_values(pa.v)), id) << "from_values after step " << step;
      }
    }
  }
}

// FlatMemo against std::map under random inserts, lookups and clears: the same values, the same
// "absent" answers, across growth and many generations.
TEST(FlatMemo, BehavesLikeAMapThatIsClearedNowAndThen) {
  std::mt19937 rng(7);
  FlatMemo<std::uint64_t, int, IdentityHash> memo;
  std::map<std::uint64_t, int> plain;
  for (int step = 0; step < 200000; ++step) {
    const unsigned op = rng() % 100;
    if (op == 0) {
      memo.clear();
      plain.clear();
      continue;
    }
    // Keys that collide in their low bits (shifted ids), to exercise the probing.
    const std::uint64_t key = std::uint64_t{rng() % 5000} << 32;
    auto [value, fresh] = memo.try_emplace(key);
    auto [it, plain_fresh] = plain.try_emplace(key, 0);
    ASSERT_EQ(fresh, plain_fresh) << "step " << step;
    ASSERT_EQ(*value, it->second) << "step " << step;
    if (op < 50) *value = it->second = static_cast<int>(rng());
    ASSERT_EQ(memo.size(), plain.size());
  }
}

}  // namespace
}  // namespace xborder::tri_set_test
