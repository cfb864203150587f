// `xborder plan MODEL.json`: the least-cost selection of the model's choice points (regions,
// hosts, safeguards, measures, dropping a flow) under which every path is lawful at every date
// of a window; or, when none is, why not. Exit 0 with a plan, 1 when no selection works.
#include "planner/plan.hpp"

#include <charconv>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/model_inputs.hpp"
#include "model/model_sources.hpp"
#include "reports/check_report.hpp"
#include "reports/plan_report.hpp"
#include "scenarios/markov.hpp"
#include "scenarios/scenario.hpp"

namespace xborder::cli {
namespace {

// More alternatives than anyone reads; each costs at least one more optimisation.
constexpr std::uint64_t kMaxAlternatives = 100;
// Sampled futures (more stochastic events than the exact answer takes): as `simulate --runs`.
constexpr std::uint64_t kMaxRuns = 1'000'000;

// `--min-probability P`: a number from 0 to 1 (a share, not a percentage).
double probability_option(const std::string& text) {
  double p = 0;
  const auto* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, p);
  if (text.empty() || r.ec != std::errc() || r.ptr != end || !std::isfinite(p) || p < 0 || p > 1)
    throw UsageError{"`--min-probability " + text +
                     "` is not a probability: write a number from 0 to 1, e.g. 0.95 for 95 %"};
  return p;
}

struct PlanArgs {
  ModelInput model;
  RuleSource source;
  std::optional<std::string> at;
  std::optional<std::string> until;
  std::optional<std::string> places;
  bool no_undetermined = false;
  bool repair = false;
  std::string alternatives = "0";
  std::optional<double> max_latency;
  std::optional<std::string> scenario;
  std::optional<std::string> min_probability;
  std::optional<std::string> runs;
  std::string seed = "1";
  std::string format = "text";
  unsigned threads = 1;
  unsigned solver_limit = 0;
  bool quiet = false;
  bool stats = false;
  ErrorFormat error_format;
};

// `--stats`: the search (choice points, selections judged, checks, constraints learned, where its
// time went), then time and memory.
std::string plan_stats_to_text(const PlanResult& result, const PhaseClock& clock) {
  const PlanStats& st = result.stats;
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  out << "stats: plan " << result.points.size() << " choice points (" << st.combinations
      << " combinations), " << result.dates.size() << " dates; " << st.iterations
      << " optimisations, " << st.selections << " selections judged, " << st.checks << " checks, "
      << st.future_checks << " checks of futures, " << st.nogoods << " constraints learned\n";
  out << "stats: plan phases: optimise " << st.optimise_ms << " ms, check " << st.check_ms
      << " ms\n";
  out << stats_time_and_memory(clock.phases());
  return out.str();
}

int run_plan(PlanArgs& a) {
  const bool json_errors = a.error_format.json();
  const auto places = a.places ? id_list("--places", *a.places) : std::vector<std::string>{};
  const auto alternatives = bounded_number("--alternatives", a.alternatives, 0, kMaxAlternatives);
  if (a.max_latency && (!std::isfinite(*a.max_latency) || *a.max_latency < 0))
    throw UsageError{"`--max-latency` must be a number of milliseconds, zero or more"};
  if (a.scenario.has_value() != a.min_probability.has_value())
    throw UsageError{a.scenario ? "`--scenario` needs `--min-probability P` (0 to 1): the share of "
                                  "the scenario's futures the plan must stay compliant in"
                                : "`--min-probability` needs `--scenario SIM.json`: the futures "
                                  "it is a share of"};
  if (!a.scenario && (a.runs || a.seed != "1"))
    throw UsageError{"`--runs` and `--seed` choose the sampled futures of `--scenario`"};
  const double min_probability = a.min_probability ? probability_option(*a.min_probability) : 0;
  const auto runs = bounded_number("--runs", a.runs.value_or("1000"), 1, kMaxRuns);
  const auto seed = bounded_number("--seed", a.seed, 0, kMaxSeed);
  Diagnostics diags;
  const auto at = date_option(a.at, "--at", diags);
  if (!at) return report_diagnostics(diags, json_errors);
  auto until = a.until ? date_option(a.until, "--until", diags) : at;
  if (!until) return report_diagnostics(diags, json_errors);
  if (*until < *at) {
    diags.error("XB-CLI-001", "<command line>", "",
                "`--until` " + until->to_string() + " is before `--at` " + at->to_string(),
                "the window runs from --at to --until, both included");
    return report_diagnostics(diags, json_errors);
  }
  if (a.format != "text" && a.format != "json") {
    diags.error("XB-CLI-002", "<command line>", "", "unknown format `" + a.format + "`",
                "use --format text or --format json");
    return report_diagnostics(diags, json_errors);
  }
  PhaseClock clock;
  ProgressLine progress(a.quiet);
  auto loaded = load_inputs(a.model, a.source, places, diags, progress);
  if (!loaded) return report_diagnostics(diags, json_errors);
  if (!diags.items().empty()) report_diagnostics(diags, json_errors);  // warnings
  // The document itself: the plan is a patch of it.
  Diagnostics read;
  const auto parsed =
      a.model.from_stdin()
          ? parse_model_document(a.model.text, a.model.display_name(), read)
          : read_model_document(std::filesystem::path(a.model.arguments.front()), read);
  if (!parsed) return report_diagnostics(read, json_errors);
  const Json* document = &parsed->json;
  // The scenario, validated against the rules and its own `model` (which names the ids its
  // events use: write the plan's model there); its events are applied to every planned model.
  std::optional<Scenario> scenario;
  if (a.scenario) {
    progress.phase("loading the scenario");
    auto sc = load_scenario(*a.scenario, loaded->reference, loaded->rules);
    if (!sc.scenario) return report_diagnostics(sc.diagnostics, json_errors);
    if (!sc.diagnostics.items().empty()) report_diagnostics(sc.diagnostics, json_errors);
    scenario = std::move(sc.scenario);
    progress.done();
  }

  PlanRequest request;
  request.at = *at;
  request.until = *until;
  request.forbid_undetermined = a.no_undetermined;
  request.repair = a.repair;
  request.alternatives = alternatives;
  request.max_latency_ms = a.max_latency;
  if (scenario) request.robust = RobustRequest{&*scenario, min_probability, runs, seed};
  request.threads = a.threads;
  request.solver_resource_limit = a.solver_limit;
  request.progress = [&progress](std::string_view phase, std::uint64_t done, std::uint64_t total) {
    progress.update(phase, done, total);
  };
  clock.lap("load");
  const PlanResult result =
      plan(*document, a.model.display_name(), loaded->reference, loaded->rules, request);
  progress.done();
  clock.lap("plan");
  PlanReportContext context{a.model.display_name().string(), loaded->model.name, &request, ""};
  if (a.scenario) context.scenario_file = *a.scenario;
  if (a.format == "json") {
    std::cout << plan_result_to_json(result, context).dump(2) << "\n";
  } else {
    std::cout << plan_result_to_text(result, context);
  }
  if (a.stats) {
    std::cout.flush();
    clock.lap("output");
    std::cerr << plan_stats_to_text(result, clock);
  }
  return result.status == PlanStatus::kOptimal ? kExitOk : kExitViolations;
}

void declare_plan(CLI::App& command) {
  auto args = std::make_shared<PlanArgs>();
  declare_model(command, args->model, ModelArity::kOneDocument)->required();
  declare_rule_source(command, args->source);
  command.add_option("--at", args->at, "the first date the plan must be lawful at")
      ->type_name("YYYY-MM-DD")
      ->default_str("today");
  command
      .add_option("--until", args->until,
                  "the last date: the plan must also be lawful at every rule change up to it")
      ->type_name("YYYY-MM-DD")
      ->default_str("--at");
  command.add_option("--places", args->places, "only these places' rule packs")->type_name("ID,ID");
  command.add_flag("--no-undetermined", args->no_undetermined,
                   "undetermined findings are not allowed either, only compliant ones");
  command.add_flag("--repair", args->repair,
                   "also try the fewest changes to what breaks a rule: add a safeguard, make "
                   "remote access encrypted-only, drop the flow or access (cost 1 each)");
  command
      .add_option("--alternatives", args->alternatives,
                  "also show the next K cheapest plans (0 to 100)")
      ->type_name("K")
      ->capture_default_str();
  command
      .add_option("--max-latency", args->max_latency,
                  "leave out every option whose latency_ms is above this")
      ->type_name("MS");
  command
      .add_option("--scenario", args->scenario,
                  "also stay compliant in the futures of this scenario (simulate's format; its "
                  "events are applied to the planned model)")
      ->type_name("SIM.json");
  command
      .add_option("--min-probability", args->min_probability,
                  "with --scenario: the share of its futures (0 to 1) the plan must stay "
                  "compliant in; exact up to 6 stochastic events, else over --runs sampled ones")
      ->type_name("P");
  command
      .add_option("--runs", args->runs,
                  "with --scenario and more than 6 stochastic events: the sampled futures")
      ->type_name("N")
      ->default_str("1000");
  command.add_option("--seed", args->seed, "with --runs: the random seed of the sampled futures")
      ->type_name("S")
      ->capture_default_str();
  command.add_option("--format", args->format, "text for people, json for programs")
      ->type_name("text|json")
      ->capture_default_str();
  command.add_option("--threads", args->threads, "threads evaluating the rules (0: one per core)")
      ->type_name("N")
      ->capture_default_str();
  command
      .add_option("--solver-limit", args->solver_limit,
                  "Z3 resource limit per rule query (0: none but the 20 s time limit)")
      ->type_name("N")
      ->capture_default_str();
  declare_error_format(command, args->error_format);
  declare_quiet(command, args->quiet);
  declare_stats(command, args->stats);
  set_example(command,
              "xborder plan scenarios/multi-tier-cloud/plan-model.json --at 2024-06-01 "
              "--until 2026-12-31");
  set_run(command, [args] { return run_plan(*args); });
}

}  // namespace

CommandSpec plan_command() {
  return {"plan",
          "the cheapest choice of regions, hosts and safeguards that makes every path lawful "
          "(exit 1: none does)",
          declare_plan};
}

}  // namespace xborder::cli
