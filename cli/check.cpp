// `xborder check MODEL.json`: every path of regulated data through the model, judged by the rule
// packs at a date; exit 1 when any is violated.
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/model_inputs.hpp"
#include "cli/sources.hpp"
#include "reports/check_report.hpp"
#include "reports/compare_report.hpp"
#include "reports/report_input.hpp"
#include "solver/checker.hpp"
#include "solver/compare.hpp"

namespace xborder::cli {
namespace {

struct CheckArgs {
  ModelInput model;
  RuleSource source;
  std::optional<std::string> at;
  std::string format = "text";
  std::optional<std::string> places;
  std::optional<std::string> regimes;
  bool all = false;
  bool findings = false;   // --format json: every finding besides the issues
  bool compliant = false;  // --format json: compliant issues (and findings) too
  unsigned threads = 0;    // 0: one per core
  unsigned solver_limit = 0;
  bool stats = false;
  bool quiet = false;
  ErrorFormat error_format;
};

int run_check(CheckArgs& a) {
  const bool json_errors = a.error_format.json();
  const auto places = a.places ? id_list("--places", *a.places) : std::vector<std::string>{};
  const auto regime_ids = a.regimes ? id_list("--regimes", *a.regimes) : std::vector<std::string>{};
  if (regime_ids.size() == 1) throw UsageError{"`--regimes` needs two regimes or more: A,B"};
  Diagnostics diags;
  const auto at = date_option(a.at, "--at", diags);
  if (!at) return report_diagnostics(diags, json_errors);
  if (a.format != "text" && a.format != "json") {
    diags.error("XB-CLI-002", "<command line>", "", "unknown format `" + a.format + "`",
                "use --format text or --format json");
    return report_diagnostics(diags, json_errors);
  }
  ProgressLine progress(a.quiet);
  PhaseClock clock;
  auto loaded = load_inputs(a.model, a.source, places, diags, progress);
  if (!loaded) return report_diagnostics(diags, json_errors);
  if (!diags.items().empty()) report_diagnostics(diags, json_errors);  // warnings
  clock.lap("load");

  PathChecker checker(loaded->model, loaded->rules);
  clock.lap("graph and rules");
  std::vector<Regime> regimes;
  for (std::size_t i = 0; i < regime_ids.size(); ++i) {
    if (auto r = resolve_regime(
            loaded->rules, regime_ids[i], *at, "/regimes/" + std::to_string(i), diags,
            RegimeSelection{{"personal_data"}, loaded->reference.country_codes()}))
      regimes.push_back(std::move(*r));
  }
  if (diags.has_errors()) return report_diagnostics(diags, json_errors);
  CheckOptions options;
  options.threads = a.threads;
  options.solver_resource_limit = a.solver_limit;
  // Every finding explained where every finding is shown (--findings, --regimes); otherwise one
  // example per legal issue, which keeps a large map's output small.
  if (!a.findings && regimes.empty()) options.explain = Explain::kOnePerIssue;
  options.progress = [&progress](std::string_view phase, std::uint64_t done, std::uint64_t total) {
    progress.update(phase, done, total);
  };
  CheckResult result = checker.check(*at, options);
  locate_warnings(result.warnings, loaded->model);  // in the input they concern
  progress.done();
  clock.lap("check");
  // On every way out: the figures of the run, when asked for.
  struct StatsOnExit {
    bool wanted;
    const CheckResult& result;
    PhaseClock& clock;
    ~StatsOnExit() {
      if (!wanted) return;
      clock.lap("output");
      std::cerr << check_stats_to_text(result, clock.phases());
    }
  } stats_on_exit{a.stats, result, clock};
  ReportContext context{a.model.display_name().string(), loaded->model.name,
                        a.source.rules.generic_string()};
  // Only with --regimes: without them there is nothing to compare, and a large map has many
  // findings.
  const auto disagreements =
      regimes.empty() ? std::vector<RegimeDisagreement>{} : regime_disagreements(result, regimes);
  if (a.format == "json") {
    nlohmann::json extra = nlohmann::json::object();
    // Where the findings' model pointers came from, for a model of several inputs or of YAML.
    if (auto sources = provenance_json(loaded->model); !sources.empty())
      extra["sources"] = std::move(sources);
    if (!regimes.empty()) {
      extra["regimes"] = regimes_to_json(regimes);
      extra["regime_disagreements"] = regime_disagreements_to_json(disagreements);
    }
    CheckJsonOptions json_options;
    json_options.findings = a.findings;
    json_options.compliant = a.compliant || a.all;
    write_check_result_json(result, context, extra, std::cout, json_options);
  } else {
    std::cout << check_result_to_text(result, context, a.all);
    std::cout << issue_sources_text(result, loaded->model, a.all);
    if (!regimes.empty()) std::cout << regime_disagreements_to_text(regimes, disagreements);
  }
  return result.summary.violations > 0 ? kExitViolations : kExitOk;
}

void declare_check(CLI::App& command) {
  auto args = std::make_shared<CheckArgs>();
  declare_model(command, args->model)->required();
  declare_rule_source(command, args->source);
  command.add_option("--at", args->at, "the date the rules are read at")
      ->type_name("YYYY-MM-DD")
      ->default_str("today");
  command.add_option("--format", args->format, "text for people, json for programs")
      ->type_name("text|json")
      ->capture_default_str();
  command.add_option("--places", args->places, "only these places' rule packs")->type_name("ID,ID");
  command
      .add_option("--regimes", args->regimes,
                  "also show where these regimes (jurisdictions or places) disagree")
      ->type_name("A,B");
  command.add_flag("--all", args->all,
                   "show compliant issues too (text and json), not only the problems");
  command.add_flag("--findings", args->findings,
                   "json: list every finding (rule, edge, data set), each explained, besides the "
                   "legal issues they group into");
  command.add_flag("--compliant", args->compliant, "json: list the compliant issues too");
  command.add_option("--threads", args->threads, "threads evaluating the rules (0: one per core)")
      ->type_name("N")
      ->capture_default_str();
  command
      .add_option("--solver-limit", args->solver_limit,
                  "Z3 resource limit per query (0: none but the 20 s time limit); a question "
                  "beyond it is undetermined, saying the solver gave up")
      ->type_name("N")
      ->capture_default_str();
  declare_stats(command, args->stats);
  declare_error_format(command, args->error_format);
  declare_quiet(command, args->quiet);
  set_example(command, "xborder check scenarios/retail-pos/model.json --at 2024-06-01");
  set_run(command, [args] { return run_check(*args); });
}

}  // namespace

CommandSpec check_command() {
  return {"check", "judge every path of regulated data in a model; exit 1 when any is violated",
          declare_check};
}

}  // namespace xborder::cli
