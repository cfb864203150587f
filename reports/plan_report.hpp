// Rendering a plan (`xborder plan`): the versioned JSON document (docs/plan-output.md) and the
// text a person reads.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "planner/plan.hpp"

namespace xborder {

inline constexpr const char* kPlanSchemaVersion = "1.1.0";

struct PlanReportContext {
  std::string model_file;  // as given on the command line
  std::string model_name;
  const PlanRequest* request = nullptr;
  std::string scenario_file;  // --scenario, as given
};

nlohmann::json plan_result_to_json(const PlanResult& result, const PlanReportContext& context);
std::string plan_result_to_text(const PlanResult& result, const PlanReportContext& context);

}  // namespace xborder
