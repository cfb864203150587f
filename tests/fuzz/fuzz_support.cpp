#include "tests/fuzz/fuzz_support.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace xborder::fuzz {

namespace {
[[noreturn]] void die(const std::string& what) {
  std::cerr << "fuzz harness setup failed: " << what << "\n";
  std::abort();
}
}  // namespace

const ReferenceData& reference() {
  static const ReferenceData data = [] {
    Diagnostics diags;
    auto r = ReferenceData::load(ReferenceData::default_dir(), diags);
    if (!r) die("cannot load the reference data from " + ReferenceData::default_dir().string());
    return std::move(*r);
  }();
  return data;
}

const RuleBase& shipped_rules() {
  static const RuleBase rules = [] {
    auto r = load_rule_base(default_rules_dir(), reference().country_codes());
    if (!r.rules) die("cannot load the shipped rules from " + default_rules_dir().string());
    return std::move(*r.rules);
  }();
  return rules;
}

const std::filesystem::path& scratch_dir() {
  struct Scratch {
    std::filesystem::path path;
    Scratch() {
      path = std::filesystem::temp_directory_path() /
             ("xborder-fuzz-" + std::to_string(static_cast<long>(::getpid())));
      std::error_code ec;
      std::filesystem::create_directories(path, ec);
      if (ec) die("cannot create " + path.string() + ": " + ec.message());
    }
    ~Scratch() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
  };
  static const Scratch scratch;
  return scratch.path;
}

void write_file(const std::filesystem::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) die("cannot write " + file.string());
}

}  // namespace xborder::fuzz
