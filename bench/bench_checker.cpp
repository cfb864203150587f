// Prints how the checker scales on layered transfer graphs whose path count grows as
// width^layers, against a plain label propagation over the same graph (no solver): the floor.
#include <chrono>
#include <cstdio>
#include <deque>
#include <set>

#include "bench/bench_support.hpp"
#include "model/model_loader.hpp"
#include "solver/checker.hpp"

using namespace xborder;

namespace {

// The floor: propagate the set of countries seen along each path, deduplicated per node.
std::size_t label_propagation(const TransferGraph& tg) {
  const auto& g = tg.graph();
  std::vector<std::set<std::set<std::string>>> labels(tg.node_count());
  std::deque<std::pair<NodeIndex, std::set<std::string>>> work;
  for (auto [it, end] = boost::vertices(g); it != end; ++it) {
    if (g[*it].kind == NodeKind::kParty) work.push_back({*it, {}});
  }
  std::size_t states = 0;
  while (!work.empty()) {
    auto [n, label] = work.front();
    work.pop_front();
    if (g[n].country.known()) label.insert(g[n].country.value());
    if (!labels[n].insert(label).second) continue;
    ++states;
    for (auto [eit, eend] = boost::out_edges(n, g); eit != eend; ++eit)
      work.push_back({boost::target(*eit, g), label});
  }
  return states;
}

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main() {
  auto shipped = bench::load_shipped();
  if (!shipped) return 2;
  const ReferenceData& reference = shipped->reference;
  const RuleBase& rules = shipped->rules;
  std::printf("%7s %6s %22s %8s %10s %12s %10s %12s %12s\n", "layers", "width", "paths", "states",
              "queries", "cache_hits", "check_ms", "labels_ms", "label_states");
  for (auto [layers, width] :
       std::vector<std::pair<int, int>>{{3, 3}, {5, 4}, {8, 5}, {12, 6}, {20, 6}}) {
    auto loaded = load_model_json(bench::layered_model(layers, width), "bench.json", reference);
    if (!loaded.model) {
      for (const auto& d : loaded.diagnostics.items())
        std::fprintf(stderr, "%s\n", render_diagnostic(d).c_str());
      return 2;
    }
    auto t0 = std::chrono::steady_clock::now();
    PathChecker checker(*loaded.model, rules);
    const CheckResult result = checker.check(*Date::parse("2024-06-01"));
    const double check_ms = ms_since(t0);
    auto t1 = std::chrono::steady_clock::now();
    const std::size_t label_states = label_propagation(checker.graph());
    const double label_ms = ms_since(t1);
    std::printf("%7d %6d %22llu %8llu %10llu %12llu %10.1f %12.2f %12zu\n", layers, width,
                static_cast<unsigned long long>(result.summary.paths),
                static_cast<unsigned long long>(result.summary.states),
                static_cast<unsigned long long>(result.summary.solver_queries),
                static_cast<unsigned long long>(result.summary.cache_hits), check_ms, label_ms,
                label_states);
  }
  return 0;
}
