// What every reference test run reads from the environment, in one place: the seed
// (XBORDER_REFERENCE_SEED: a number, or `time` for a fresh one), how many models
// (XBORDER_REFERENCE_MODELS), and whether this is a sanitizer build (fewer models by default).
// The defaults are fixed so that CI is reproducible.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

namespace xborder::reference {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

// The run's base seed, printed once so that a failure can be replayed.
inline std::uint64_t reference_seed() {
  static const std::uint64_t seed = [] {
    const char* env = std::getenv("XBORDER_REFERENCE_SEED");
    std::uint64_t s = 20261207;
    if (env && std::string(env) == "time") {
      s = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
    } else if (env && *env) {
      s = std::strtoull(env, nullptr, 10);
    }
    std::cout << "[reference] XBORDER_REFERENCE_SEED=" << s << std::endl;
    return s;
  }();
  return seed;
}

// How many models a test checks: XBORDER_REFERENCE_MODELS divided by `share` (a test that costs
// more per model takes fewer), else the default for this build.
inline int reference_model_count(int release_default, int sanitized_default, int share = 1) {
  if (const char* env = std::getenv("XBORDER_REFERENCE_MODELS"); env && *env)
    return std::max(1, std::atoi(env) / share);
  return kSanitized ? sanitized_default : release_default;
}

}  // namespace xborder::reference
