// Prints Monte Carlo runs per second of the simulation core: the multi-tier cloud failover
// scenario (scenarios/cloud-failover, 10,000 runs) and generated layered models of growing size
// with three stochastic events (a failover abroad, a sub-processor added, an adequacy decision
// falling). Nothing is asserted; the figures go in bench/README.md.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "bench/bench_support.hpp"
#include "model/model_loader.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/simulation.hpp"

using namespace xborder;

namespace {

Json layered_scenario(int layers, int width) {
  const std::string last = "sp" + std::to_string(layers - 1) + "-0";
  Json fragment = {
      {"parties", Json::array({Json{{"id", "sub-in"}, {"country", "IN"}}})},
      {"systems", Json::array({Json{{"id", "sub-in-desk"},
                                    {"tier", "saas"},
                                    {"operator", "sub-in"},
                                    {"regions", Json::array({Json{{"location", "country:IN"}}})},
                                    {"operator_handles_data", true}}})},
      {"flows", Json::array({Json{{"id", "to-sub-in"},
                                  {"event", "transfer"},
                                  {"from", last},
                                  {"to", "sub-in-desk"},
                                  {"datasets", {"d"}},
                                  {"relationship", "processor_to_processor"}}})}};
  return Json{
      {"format", "xborder-scenario/1"},
      {"name", "bench " + std::to_string(layers) + "x" + std::to_string(width)},
      {"model", "model.json"},
      {"start", "2026-12-01"},
      {"horizon", "5y"},
      {"stochastic",
       Json::array(
           {Json{{"id", "failover"},
                 {"rate_per_year", 2},
                 {"recovery_per_year", 52},
                 {"event",
                  {{"type", "region_failover"},
                   {"region", "country:JP"},
                   {"to", "country:CN"},
                   {"systems", Json::array({"sp1-0"})}}}},
            Json{{"id", "sub-processor"},
                 {"rate_per_year", 0.5},
                 {"recovery_per_year", 1},
                 {"event", {{"type", "add"}, {"fragment", fragment}}}},
            Json{{"id", "adequacy-falls"},
                 {"rate_per_year", 0.1},
                 {"event", {{"type", "fact_ends"}, {"fact", "eu_adequacy"}, {"value", "JP"}}}}})}};
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void measure(const char* label, std::size_t nodes, const Scenario& scenario, const RuleBase& rules,
             const ReferenceData& reference, std::size_t runs) {
  for (unsigned threads : {1u, 0u}) {
    Simulator sim(scenario, rules, reference);
    auto t0 = std::chrono::steady_clock::now();
    const auto first = monte_carlo(sim, MonteCarloOptions{runs, 1, threads});
    const double cold = seconds_since(t0);  // builds and checks every world state it meets
    auto t1 = std::chrono::steady_clock::now();
    monte_carlo(sim, MonteCarloOptions{runs, 2, threads});
    const double warm = seconds_since(t1);  // every state already checked
    std::printf("%-28s %6zu %7u %7zu %6zu %7zu %9.2f %11.0f %9.2f %11.0f %8.3f\n", label, nodes,
                threads ? threads : std::thread::hardware_concurrency(), runs, first.world_states,
                first.checks, cold, static_cast<double>(runs) / cold, warm,
                static_cast<double>(runs) / warm, first.p_violation.value);
  }
}

}  // namespace

int main() {
  auto shipped = bench::load_shipped();
  if (!shipped) return 2;
  const ReferenceData& reference = shipped->reference;
  const RuleBase& rules = shipped->rules;
  std::printf("%-28s %6s %7s %7s %6s %7s %9s %11s %9s %11s %8s\n", "scenario", "nodes", "threads",
              "runs", "states", "checks", "cold_s", "cold_runs/s", "warm_s", "warm_runs/s",
              "P(viol)");
  {
    const auto file =
        std::filesystem::path(XBORDER_SOURCE_DIR) / "scenarios/cloud-failover/simulation.json";
    auto loaded = load_scenario(file, reference, rules);
    if (!loaded.scenario) {
      for (const auto& d : loaded.diagnostics.items())
        std::fprintf(stderr, "%s\n", render_diagnostic(d).c_str());
      return 2;
    }
    auto model = load_model_json(loaded.scenario->model_json, "model.json", reference);
    PathChecker probe(*model.model, rules);
    measure("cloud-failover (multi-tier)", probe.graph().node_count(), *loaded.scenario, rules,
            reference, 10000);
  }
  const auto dir = std::filesystem::temp_directory_path() / "xborder-bench-simulate";
  for (auto [layers, width] : std::vector<std::pair<int, int>>{{3, 3}, {5, 4}, {8, 5}}) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "model.json") << bench::layered_model(layers, width, 100000).dump();
    std::ofstream(dir / "simulation.json") << layered_scenario(layers, width).dump();
    Diagnostics d;
    auto loaded = load_scenario(dir / "simulation.json", reference, rules);
    if (!loaded.scenario) {
      for (const auto& diag : loaded.diagnostics.items())
        std::fprintf(stderr, "%s\n", render_diagnostic(diag).c_str());
      return 2;
    }
    auto model = load_model_json(loaded.scenario->model_json, "model.json", reference);
    PathChecker probe(*model.model, rules);
    const std::string label = "layered " + std::to_string(layers) + "x" + std::to_string(width);
    measure(label.c_str(), probe.graph().node_count(), *loaded.scenario, rules, reference, 10000);
  }
  return 0;
}
