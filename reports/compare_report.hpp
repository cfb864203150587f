// Renders regime comparisons: the versioned JSON contract (docs/compare-output.md,
// reports/schema/compare-result.schema.json), the text a reader follows cell by cell, and
// Markdown and CSV tables for reports and notebooks.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "solver/compare.hpp"

namespace xborder {

inline constexpr const char* kCompareSchemaVersion = "1.1.0";

nlohmann::json compare_result_to_json(const CompareResult& result);
std::string compare_result_to_text(const CompareResult& result);
std::string compare_result_to_markdown(const CompareResult& result);
// One row per cell: allows, forbids, conditions, witness, allowing rules, forbidding rules.
std::string compare_result_to_csv(const CompareResult& result);

// `check --regimes`: the regimes compared and where they disagree (check output 1.2.0).
nlohmann::json regimes_to_json(const std::vector<Regime>& regimes);
nlohmann::json regime_disagreements_to_json(const std::vector<RegimeDisagreement>& disagreements);
std::string regime_disagreements_to_text(const std::vector<Regime>& regimes,
                                         const std::vector<RegimeDisagreement>& disagreements);

}  // namespace xborder
