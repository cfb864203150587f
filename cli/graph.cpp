// `xborder graph MODEL.json`: the transfer graph the checker walks, as JSON or Graphviz dot.
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/model_inputs.hpp"
#include "reports/check_report.hpp"
#include "solver/checker.hpp"

namespace xborder::cli {
namespace {

struct GraphArgs {
  ModelInput model;
  RuleSource source;
  std::string format = "json";
  bool quiet = false;
  ErrorFormat error_format;
};

int run_graph(GraphArgs& a) {
  const bool json_errors = a.error_format.json();
  Diagnostics diags;
  if (a.format != "json" && a.format != "dot") {
    diags.error("XB-CLI-002", "<command line>", "", "unknown format `" + a.format + "`",
                "use --format json or --format dot");
    return report_diagnostics(diags, json_errors);
  }
  ProgressLine progress(a.quiet);
  auto loaded = load_inputs(a.model, a.source, {}, diags, progress);
  if (!loaded) return report_diagnostics(diags, json_errors);
  if (!diags.items().empty()) report_diagnostics(diags, json_errors);  // warnings
  PathChecker checker(loaded->model, loaded->rules);
  if (a.format == "dot") {
    std::cout << graph_to_dot(checker.graph());
  } else {
    std::cout << graph_to_json(checker.graph()).dump(2) << "\n";
  }
  return kExitOk;
}

void declare_graph(CLI::App& command) {
  auto args = std::make_shared<GraphArgs>();
  declare_model(command, args->model)->required();
  declare_rule_source(command, args->source);
  command.add_option("--format", args->format, "json, or dot for Graphviz")
      ->type_name("json|dot")
      ->capture_default_str();
  declare_error_format(command, args->error_format);
  declare_quiet(command, args->quiet);
  set_example(command, "xborder graph scenarios/retail-pos/model.json --format dot | dot -Tsvg");
  set_run(command, [args] { return run_graph(*args); });
}

}  // namespace

CommandSpec graph_command() {
  return {"graph", "the transfer graph of a model, as JSON or Graphviz dot", declare_graph};
}

}  // namespace xborder::cli
