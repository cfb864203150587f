// Loading what check, graph, validate and report read: the reference data, the model (a file or
// standard input) and the rule packs, with every diagnostic collected.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "model/transfer_model.hpp"
#include "solver/rule_pack.hpp"

namespace xborder::cli {

struct Loaded {
  ReferenceData reference;
  TransferModel model;
  RuleBase rules;
};

// Empty when anything failed; `diags` then says what. Shows a progress phase while loading.
std::optional<Loaded> load_inputs(ModelInput& model, const RuleSource& source,
                                  const std::vector<std::string>& places, Diagnostics& diags,
                                  ProgressLine& progress);

// The MODEL positional, declared alike by check, graph, validate and report: several inputs merged
// into one map, with --infra/--overlay (Terraform plans) and --vendors/--exporter (sub-processor
// lists). kOneDocument (plan, whose answer is a patch of the model file): exactly one file or `-`,
// and none of the merging options.
enum class ModelArity { kMerged, kOneDocument };
CLI::Option* declare_model(CLI::App& command, ModelInput& model,
                           ModelArity arity = ModelArity::kMerged);

}  // namespace xborder::cli
