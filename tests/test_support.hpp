// Shared helpers for the tests: load the shipped reference data and rule packs once, and build
// models from inline JSON.
#pragma once

#include <filesystem>
#include <string>

#include "model/model_loader.hpp"
#include "model/reference_data.hpp"
#include "reports/report_input.hpp"
#include "solver/checker.hpp"
#include "solver/rule_pack.hpp"

namespace xborder::testing {

std::filesystem::path source_dir();
const ReferenceData& reference();
const RuleBase& shipped_rules();
// Loads a model from JSON text; fails the test (and returns nullopt) on errors.
std::optional<TransferModel> model_from_json(const std::string& json_text);
// Loads a model and returns its diagnostics (for error tests).
ModelLoadResult load_from_json(const std::string& json_text);
// Loads rule packs from JSON texts written to a temporary directory.
RuleLoadResult rules_from_json(const std::vector<std::string>& packs);
// The shipped scenarios that pin expected verdicts (scenarios/<name>/expected.json), sorted.
std::vector<std::string> scenario_names();
// A scenario name as a GoogleTest parameter name.
std::string param_name(const std::string& scenario);
std::string read_text(const std::filesystem::path& file);
// The report input of a scenario checked at `at` (default: the first date of its expected.json),
// the model file named relative to the repository so goldens do not depend on the checkout.
nlohmann::json scenario_report_input(const std::string& scenario, std::string at = "");
// Compares `actual` with a golden file, or rewrites it when XBORDER_UPDATE_GOLDEN is set.
void expect_golden(const std::filesystem::path& file, const std::string& actual);
// Every diagnostic rendered, one per line (for failure messages).
std::string render_all(const Diagnostics& diagnostics);
// Expects an error with this code at this pointer among the diagnostics of a failed load
// (`loaded` says whether the load returned a result anyway) and returns it.
const Diagnostic& expect_error(const Diagnostics& diagnostics, bool loaded, const std::string& code,
                               const std::string& pointer);
// The diagnostic with this code and pointer, or nullptr.
const Diagnostic* find_diagnostic(const Diagnostics& diagnostics, const std::string& code,
                                  const std::string& pointer);

}  // namespace xborder::testing
