// Robust plans (`plan --scenario SIM.json --min-probability P`): how likely a selection's model
// stays compliant in a scenario's futures, and, when too unlikely, a set of future worlds whose
// bad findings alone keep every selection that has them below the minimum — with what those
// findings depend on, as a learned constraint. Internal to planner/.
#pragma once

#include <vector>

#include "planner/dependencies.hpp"
#include "planner/plan.hpp"

namespace xborder::planning {

struct RobustVerdict {
  Robustness robustness;
  bool met = false;
  // Not met: the future worlds (a minimal set found greedily, then by deletion) whose bad findings
  // alone hold the probability at or below `bound` < min_probability; `depends`: the choice
  // points those findings depend on. A world whose model does not load: `error`, and `depends`
  // is every point (options of the same effect).
  std::vector<FutureWorld> witnesses;
  double bound = 0;
  Terms depends;
  std::string error;
};

// `patched`: the model document of `selection` (choices applied and removed).
RobustVerdict judge_robust(const Json& patched, const std::vector<ChoicePoint>& points,
                           const ChoiceSelection& selection, const ReferenceData& reference,
                           const RuleBase& rules, const RobustRequest& request,
                           bool forbid_undetermined, unsigned threads);

}  // namespace xborder::planning
