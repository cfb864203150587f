#include "tests/test_support.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace xborder::testing {

// XBORDER_TEST_SOURCE_DIR lets a built suite run against another checkout's data (packs, vectors,
// scenarios) without rebuilding, e.g. a worktree that changes only JSON.
std::filesystem::path source_dir() {
  if (const char* dir = std::getenv("XBORDER_TEST_SOURCE_DIR"); dir && *dir) return dir;
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

std::vector<std::string> scenario_names() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "scenarios")) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "expected.json")) {
      out.push_back(entry.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string param_name(const std::string& scenario) {
  std::string name = scenario;
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

nlohmann::json scenario_report_input(const std::string& scenario, std::string at) {
  const auto dir = source_dir() / "scenarios" / scenario;
  auto loaded = load_model(dir / "model.json", reference());
  if (!loaded.model) throw std::runtime_error(scenario + ": model failed to load");
  if (at.empty()) at = nlohmann::json::parse(read_text(dir / "expected.json"))["checks"][0]["at"];
  const auto date = Date::parse(at);
  if (!date) throw std::runtime_error(scenario + ": bad date " + at);
  PathChecker checker(*loaded.model, shipped_rules());
  const auto result = checker.check(*date);
  const ReportContext context{"scenarios/" + scenario + "/model.json", loaded.model->name,
                              "jurisdictions"};
  return make_report_input(result, context, checker.graph(), *loaded.model, reference());
}

void expect_golden(const std::filesystem::path& file, const std::string& actual) {
  if (std::getenv("XBORDER_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(file))
      << file << " is missing; run with XBORDER_UPDATE_GOLDEN=1";
  EXPECT_TRUE(read_text(file) == actual)
      << file << " differs; rewrite with XBORDER_UPDATE_GOLDEN=1 and review the diff";
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
