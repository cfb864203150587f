// `xborder simulate SCENARIO.json`: replays a scenario's timeline and, with --runs N, N Monte
// Carlo runs of its stochastic events and the exact Markov answer; exit 1 when any run violates.
#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "reports/check_report.hpp"
#include "scenarios/markov.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/simulation.hpp"
#include "scenarios/simulation_report.hpp"

namespace xborder::cli {
namespace {

// Limits of the command line (README.md "Limits").
constexpr std::uint64_t kMaxSimulationRuns = 1'000'000;
constexpr std::uint64_t kMaxThreads = 1024;

struct SimulateArgs {
  std::string file;
  std::string runs = "0";
  std::string seed = "1";
  std::string threads = "0";
  std::string horizon;
  std::string format = "text";
  RuleSource source;
  bool quiet = false;
  bool stats = false;
  ErrorFormat error_format;
};

// `--stats`: the segments, world states and checks the simulation made, then time and memory.
std::string simulate_stats_to_text(const Simulator& simulator, const SimulationReport& report,
                                   const PhaseClock& clock) {
  std::ostringstream out;
  out << "stats: simulate " << simulator.segments().size() << " segments, "
      << simulator.scenario().timeline.size() << " timeline events, "
      << simulator.scenario().stochastic.size() << " stochastic events; "
      << (report.monte_carlo ? report.monte_carlo->runs : 0) << " runs; "
      << simulator.world_states() << " world states, " << simulator.checks()
      << " checks (world state × segment)\n";
  out << stats_time_and_memory(clock.phases());
  return out.str();
}

int run_simulate(const SimulateArgs& a) {
  const bool json_errors = a.error_format.json();
  const auto runs = bounded_number("--runs", a.runs, 0, kMaxSimulationRuns);
  const auto seed = bounded_number("--seed", a.seed, 0, kMaxSeed);
  // More threads than this only cost memory; the old parser capped them silently, so do we.
  const auto threads =
      std::min<std::uint64_t>(bounded_number("--threads", a.threads, 0, kMaxSeed), kMaxThreads);
  if (a.format != "text" && a.format != "json")
    throw UsageError{"`simulate` --format must be `text` or `json`"};
  PhaseClock clock;
  ProgressLine progress(a.quiet);
  progress.phase("loading the scenario");
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return report_diagnostics(diags, json_errors);
  auto all_rules =
      load_rule_base(a.source.rules, reference->country_codes(), {}, a.source.policies);
  diags.append(all_rules.diagnostics);
  if (!all_rules.rules) return report_diagnostics(diags, json_errors);
  auto loaded = load_scenario(a.file, *reference, *all_rules.rules);
  diags.append(loaded.diagnostics);
  if (!loaded.scenario) return report_diagnostics(diags, json_errors);
  Scenario& scenario = *loaded.scenario;
  if (!a.horizon.empty()) {
    auto end = add_horizon(scenario.start, a.horizon);
    if (!end) {
      diags.error("XB-CLI-001", "<command line>", "",
                  "`--horizon " + a.horizon + "` is not a horizon",
                  "write a number and a unit: 5y, 18m or 365d");
      return report_diagnostics(diags, json_errors);
    }
    scenario.end = *end;
  }
  std::optional<RuleBase> only;
  if (!scenario.places.empty()) {
    auto restricted = load_rule_base(a.source.rules, reference->country_codes(), scenario.places,
                                     a.source.policies);
    diags.append(restricted.diagnostics);
    if (!restricted.rules) return report_diagnostics(diags, json_errors);
    only = std::move(restricted.rules);
  }
  const RuleBase& rules = only ? *only : *all_rules.rules;
  progress.done();
  if (!diags.items().empty()) report_diagnostics(diags, json_errors);  // warnings
  SimulationReport report;
  report.scenario_file = a.file;
  report.scenario = &scenario;
  for (const auto& pack : rules.packs) report.places.push_back(pack.place.id);
  std::sort(report.places.begin(), report.places.end());
  Simulator simulator(scenario, rules, *reference);
  clock.lap("load");
  progress.phase("replaying the timeline");
  report.replay = replay(simulator);
  clock.lap("replay");
  bool violated = report.replay.violated;
  if (runs > 0) {
    MonteCarloOptions options;
    options.runs = runs;
    options.seed = seed;
    options.threads = static_cast<unsigned>(threads);
    progress.phase("Monte Carlo runs (" + std::to_string(runs) + ")");
    report.monte_carlo = monte_carlo(simulator, options);
    clock.lap("monte carlo");
    progress.phase("the exact Markov answer");
    report.analytic = analytic(simulator, kExactMaxEvents);
    clock.lap("markov");
    violated |= report.monte_carlo->p_violation.value > 0;
  }
  progress.done();
  if (a.format == "json") {
    std::cout << simulation_to_json(report).dump(2) << "\n";
  } else {
    std::cout << simulation_to_text(report);
  }
  if (a.stats) {
    std::cout.flush();
    clock.lap("output");
    std::cerr << simulate_stats_to_text(simulator, report, clock);
  }
  return violated ? kExitViolations : kExitOk;
}

void declare_simulate(CLI::App& command) {
  auto args = std::make_shared<SimulateArgs>();
  command.add_option("SCENARIO", args->file, "the scenario (JSON)")
      ->type_name("SCENARIO.json")
      ->required();
  command.add_option("--runs", args->runs, "Monte Carlo runs of the stochastic events (0: none)")
      ->type_name("N")
      ->capture_default_str();
  command.add_option("--seed", args->seed, "the random seed; the same seed gives the same bytes")
      ->type_name("S")
      ->capture_default_str();
  command.add_option("--horizon", args->horizon, "how far to simulate from the scenario's start")
      ->type_name("5y|18m|365d")
      ->default_str("the scenario's");
  command.add_option("--threads", args->threads, "threads for the runs (0: every core)")
      ->type_name("N")
      ->capture_default_str();
  command.add_option("--format", args->format, "text for people, json for programs")
      ->type_name("text|json")
      ->capture_default_str();
  declare_rule_source(command, args->source);
  declare_error_format(command, args->error_format);
  declare_quiet(command, args->quiet);
  declare_stats(command, args->stats);
  set_example(command, "xborder simulate scenarios/eu-us-replay/simulation.json --runs 1000");
  set_run(command, [args] { return run_simulate(*args); });
}

}  // namespace

CommandSpec simulate_command() {
  return {"simulate",
          "replay a scenario's timeline and run Monte Carlo on its events (exit 1: violated)",
          declare_simulate};
}

}  // namespace xborder::cli
