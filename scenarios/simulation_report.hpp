// The result of `xborder simulate` as the versioned JSON contract
// (reports/schema/simulate-result.schema.json, docs/simulate-output.md) and as text.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "scenarios/markov.hpp"
#include "scenarios/simulation.hpp"

namespace xborder {

inline constexpr const char* kSimulateFormat = "xborder-simulate/1";
inline constexpr const char* kSimulateSchemaVersion = "1.0.0";

struct SimulationReport {
  std::string scenario_file;  // as given on the command line
  const Scenario* scenario = nullptr;
  std::vector<std::string> places;
  ReplayResult replay;
  std::optional<MonteCarloResult> monte_carlo;
  std::optional<AnalyticResult> analytic;
};

nlohmann::json simulation_to_json(const SimulationReport& report);
std::string simulation_to_text(const SimulationReport& report);

}  // namespace xborder
