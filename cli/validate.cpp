// `xborder validate MODEL.json`: loads the model and the rules and says whether they are valid.
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/model_inputs.hpp"
#include "solver/checker.hpp"

namespace xborder::cli {
namespace {

struct ValidateArgs {
  ModelInput model;
  RuleSource source;
  bool quiet = false;
  ErrorFormat error_format;
};

int run_validate(ValidateArgs& a) {
  const bool json_errors = a.error_format.json();
  Diagnostics diags;
  ProgressLine progress(a.quiet);
  auto loaded = load_inputs(a.model, a.source, {}, diags, progress);
  if (!loaded) return report_diagnostics(diags, json_errors);
  if (!diags.items().empty()) report_diagnostics(diags, json_errors);  // warnings
  PathChecker checker(loaded->model, loaded->rules);
  std::cout << a.model.display_name().string() << ": valid (" << loaded->model.parties.size()
            << " parties, " << loaded->model.systems.size() << " systems, "
            << loaded->model.datasets.size() << " data sets, " << loaded->model.flows.size()
            << " flows; " << checker.graph().node_count() << " nodes and "
            << checker.graph().edge_count() << " edges in the graph)\n";
  return kExitOk;
}

void declare_validate(CLI::App& command) {
  auto args = std::make_shared<ValidateArgs>();
  declare_model(command, args->model)->required();
  declare_rule_source(command, args->source);
  declare_error_format(command, args->error_format);
  declare_quiet(command, args->quiet);
  set_example(command, "xborder validate scenarios/retail-pos/model.json");
  set_run(command, [args] { return run_validate(*args); });
}

}  // namespace

CommandSpec validate_command() {
  return {"validate", "load a model and the rules and report every problem in them",
          declare_validate};
}

}  // namespace xborder::cli
