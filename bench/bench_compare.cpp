// Regime comparison on the shipped packs: wall time, classes and solver queries per comparison.
// Prints figures; asserts nothing.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "solver/compare.hpp"
#include "solver/rule_pack.hpp"

using namespace xborder;

int main() {
  auto shipped = bench::load_shipped();
  if (!shipped) return 2;
  const RuleBase& rules = shipped->rules;
  Diagnostics diags;
  struct Case {
    std::vector<std::string> regimes;
    bool basis_only;
    bool detail;
    std::string scope;
  };
  const std::vector<Case> cases = {
      {{"EU", "JP"}, true, false, ""},
      {{"EU", "JP"}, false, false, ""},
      {{"EU", "JP", "UK"}, true, false, ""},
      {{"EU", "JP", "UK"}, false, false, ""},
      {{"EU", "JP", "UK", "CH", "KR", "CN"}, true, false, ""},
      {{"EU@2020-07-15", "EU@2020-07-17"}, true, true, "importer.country == 'US'"},
  };
  std::printf("%-40s %-6s %-7s %8s %10s %9s\n", "regimes", "kinds", "detail", "classes", "queries",
              "seconds");
  for (const auto& c : cases) {
    std::vector<Regime> regimes;
    std::string label;
    for (std::size_t i = 0; i < c.regimes.size(); ++i) {
      auto r = resolve_regime(rules, c.regimes[i], *Date::parse("2024-06-01"),
                              "/regimes/" + std::to_string(i), diags);
      if (!r) return 2;
      regimes.push_back(*r);
      label += (i ? " " : "") + c.regimes[i];
    }
    CompareOptions options;
    options.basis_only = c.basis_only;
    options.detail = c.detail;
    options.scope = c.scope;
    options.country_codes = shipped->reference.country_codes();
    const auto started = std::chrono::steady_clock::now();
    auto result = compare_regimes(rules, regimes, options, diags);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!result) return 2;
    std::printf("%-40s %-6s %-7s %8llu %10llu %9.2f\n", label.c_str(),
                c.basis_only ? "basis" : "all", c.detail ? "yes" : "no",
                static_cast<unsigned long long>(result->stats.cells),
                static_cast<unsigned long long>(result->stats.solver_queries), seconds);
  }
  return 0;
}
