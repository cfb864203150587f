// What the libFuzzer harnesses share: the shipped reference data and rule base, loaded once, and
// a scratch directory for the loaders that read files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "model/reference_data.hpp"
#include "solver/rule_pack.hpp"

namespace xborder::fuzz {

// The shipped reference data (model/data); aborts when it cannot be loaded.
const ReferenceData& reference();
// The shipped rule packs (jurisdictions/); aborts when they cannot be loaded.
const RuleBase& shipped_rules();
// A directory of this process for files the harness writes (removed at exit).
const std::filesystem::path& scratch_dir();
// Writes `bytes` to `file`, replacing it; aborts on failure.
void write_file(const std::filesystem::path& file, std::string_view bytes);
// The fuzz input as text.
inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace xborder::fuzz
