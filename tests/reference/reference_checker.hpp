// A brute-force reference for PathChecker: every data path of a (small) model enumerated
// explicitly, the event context rebuilt at each event from the model and its graph, every rule
// evaluated by a direct interpreter of the rule language, three-valued by enumerating the values
// of the unknown atoms the rule reads. No Z3, no state merging, no caches: slow on purpose, and
// written apart from solver/checker.cpp and solver/rule_compiler.cpp so that the two can be
// compared (tests/reference/README.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "model/date.hpp"
#include "model/transfer_model.hpp"
#include "solver/checker.hpp"
#include "solver/rule_pack.hpp"

namespace xborder::reference {

// (rule id, edge id, data set id, verdict): the identity of a finding.
using FindingKey = std::tuple<std::string, std::string, std::string, Verdict>;

struct ReferenceResult {
  std::map<FindingKey, std::uint64_t> findings;  // → number of data paths reaching the event
  bool graph_acyclic = true;  // path counts are comparable only then (the checker counts a
                              // cycle once)
  std::uint64_t events = 0;   // (path, edge) events evaluated
  std::uint64_t leaves = 0;   // completions (partial assignments) explored
};

struct ReferenceLimits {
  // Give up (return nullopt) when a model has more events than this: the model is too big for
  // brute force, not wrong.
  std::uint64_t max_events = 200000;
  std::uint64_t max_leaves = 20000000;
};

// Every finding PathChecker::check(at, {keep_compliant = true}) should report, by brute force.
std::optional<ReferenceResult> reference_check(const TransferModel& model, const RuleBase& rules,
                                               Date at, const ReferenceLimits& limits = {});

std::string to_string(const FindingKey& key);

// One rule judged on one event context written as variable → value, as `compare` writes its
// witnesses: "true"/"false", a number, a date, an enum value ("JP", "other"), a set as its members
// ("[DE, FR]", every other element false). A variable not given is unknown (`date` defaults to
// `at`). nullopt: the rule applies in no completion.
std::optional<Verdict> judge_rule(const RuleBase& rules, const Rule& rule, Date at,
                                  const std::map<std::string, std::string>& context);

}  // namespace xborder::reference
