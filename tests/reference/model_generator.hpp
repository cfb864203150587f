// Random transfer models for differential tests: small, valid (most of the time: the caller
// loads them through the real loader and discards the rare invalid one), with parties in
// corporate groups across countries, systems on tiers, replica/backup/failover regions, remote
// access from abroad, unknown attributes and safeguards. Deterministic for a seed on every
// platform (own generator and own distributions).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace xborder::reference {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

 private:
  std::uint64_t state_;
};

struct GeneratorOptions {
  int max_parties = 5;
  int max_systems = 4;
  int max_datasets = 2;
  int max_flows = 5;
  int unknown_percent = 15;  // how often a value that may be unknown is
};

// A model in the JSON format of docs/model-format.md.
nlohmann::json generate_model(std::uint64_t seed, const GeneratorOptions& options = {});

}  // namespace xborder::reference
