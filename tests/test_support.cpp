#include "tests/test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace xborder::testing {

std::filesystem::path source_dir() {
  return XBORDER_SOURCE_DIR;
}

const ReferenceData& reference() {
  static const ReferenceData ref = [] {
    Diagnostics diags;
    auto r = ReferenceData::load(source_dir() / "model" / "data", diags);
    if (!r) throw std::runtime_error("reference data failed to load");
    return std::move(*r);
  }();
  return ref;
}

const RuleBase& shipped_rules() {
  static const RuleBase rules = [] {
    auto r = load_rule_base(source_dir() / "jurisdictions", reference().country_codes());
    if (!r.rules) {
      std::string all;
      for (const auto& d : r.diagnostics.items()) all += render_diagnostic(d) + "\n";
      throw std::runtime_error("shipped rule packs failed to load:\n" + all);
    }
    return std::move(*r.rules);
  }();
  return rules;
}

ModelLoadResult load_from_json(const std::string& json_text) {
  return load_model_json(Json::parse(json_text), "inline.json", reference());
}

std::optional<TransferModel> model_from_json(const std::string& json_text) {
  auto r = load_from_json(json_text);
  for (const auto& d : r.diagnostics.items()) ADD_FAILURE() << render_diagnostic(d);
  return std::move(r.model);
}

RuleLoadResult rules_from_json(const std::vector<std::string>& packs) {
  static int counter = 0;
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("xborder-rules-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  for (std::size_t k = 0; k < packs.size(); ++k) {
    std::ofstream(dir / ("pack" + std::to_string(k) + ".json")) << packs[k];
  }
  auto result = load_rule_base(dir, reference().country_codes());
  std::filesystem::remove_all(dir);
  return result;
}

std::string render_all(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.items()) out += render_diagnostic(d) + "\n";
  return out;
}

const Diagnostic& expect_error(const Diagnostics& diagnostics, bool loaded, const std::string& code,
                               const std::string& pointer) {
  EXPECT_FALSE(loaded) << "a load with errors must not return a result";
  EXPECT_TRUE(diagnostics.has_errors());
  static const Diagnostic none;
  const Diagnostic* d = find_diagnostic(diagnostics, code, pointer);
  if (!d) {
    ADD_FAILURE() << "expected " << code << " at " << pointer << ", got:\n"
                  << render_all(diagnostics);
    return none;
  }
  EXPECT_EQ(d->severity, Severity::kError);
  return *d;
}

const Diagnostic* find_diagnostic(const Diagnostics& diagnostics, const std::string& code,
                                  const std::string& pointer) {
  for (const auto& d : diagnostics.items()) {
    if (d.code == code && d.pointer == pointer) return &d;
  }
  return nullptr;
}

}  // namespace xborder::testing
