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

// The MODEL positional, declared alike by check, graph, validate and report, with --infra and
// --overlay (Terraform plans merged into the model).
CLI::Option* declare_model(CLI::App& command, ModelInput& model);

}  // namespace xborder::cli
