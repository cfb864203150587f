// `xborder compare REGIME REGIME…`: gap analysis between regimes — the classes of transfers one
// allows and another forbids; exit 1 when they differ.
#include "solver/compare.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "reports/check_report.hpp"
#include "reports/compare_report.hpp"

namespace xborder::cli {
namespace {

// Limits of the command line (README.md "Limits").
constexpr std::uint64_t kMaxCompareCells = 100'000;

struct CompareArgs {
  std::vector<std::string> regimes;
  RuleSource source;
  std::optional<std::string> at;
  std::string format = "text";
  std::string scope;
  std::vector<std::string> wheres;  // N=EXPR
  std::optional<std::string> frame;
  std::string kind = "all";
  std::optional<std::string> category;
  bool detail = false;
  std::optional<std::string> max_cells;
  bool quiet = false;
  bool stats = false;
  ErrorFormat error_format;
};

// `--stats`: the regimes, tables, cells and solver queries, then time and memory.
std::string compare_stats_to_text(const CompareResult& result, const PhaseClock& clock) {
  std::size_t incomplete = 0;
  for (const auto& table : result.tables) incomplete += table.complete ? 0 : 1;
  std::ostringstream out;
  out << "stats: compare " << result.regimes.size() << " regimes (" << to_string(result.frame)
      << " frame), " << result.tables.size() << " tables (" << incomplete << " incomplete), "
      << result.stats.cells << " cells; " << result.stats.solver_queries << " solver queries\n";
  out << stats_time_and_memory(clock.phases());
  return out.str();
}

int run_compare(const CompareArgs& a) {
  const bool json_errors = a.error_format.json();
  CompareOptions options;
  RegimeSelection selection;
  if (a.format != "text" && a.format != "json" && a.format != "md" && a.format != "csv")
    throw UsageError{"`compare --format` is text, json, md or csv"};
  options.scope = a.scope;
  std::vector<std::pair<std::size_t, std::string>> wheres;
  for (const auto& where : a.wheres) {
    const auto eq = where.find('=');
    std::size_t n = 0;
    try {
      n = eq == std::string::npos ? 0 : std::stoul(where.substr(0, eq));
    } catch (const std::exception&) {
      n = 0;
    }
    if (n == 0) throw UsageError{"`--where` is N=EXPR, N the regime's position (1, 2, …)"};
    wheres.emplace_back(n, where.substr(eq + 1));
  }
  if (a.frame) {
    auto f = parse_enum<CompareFrame>(*a.frame);
    if (!f) throw UsageError{"`--frame` is home or shared"};
    options.frame = *f;
  }
  options.detail = a.detail;
  if (a.category) {
    selection.categories =
        *a.category == "all" ? std::vector<std::string>{} : id_list("--category", *a.category);
    for (const auto& c : selection.categories) {
      const auto& known = place_categories();
      if (std::find(known.begin(), known.end(), c) == known.end())
        throw UsageError{"unknown place category `" + c + "` for --category; " +
                         suggestion_hint(c, known) + " (or all)"};
    }
  }
  if (a.kind != "basis" && a.kind != "all") throw UsageError{"`--kind` is basis or all"};
  options.basis_only = a.kind == "basis";
  // 0 would give an empty, incomplete table that reads as "the regimes agree".
  if (a.max_cells)
    options.max_cells = bounded_number("--max-cells", *a.max_cells, 1, kMaxCompareCells);
  if (a.regimes.size() < 2) throw UsageError{"`compare` needs at least two regimes"};

  PhaseClock clock;
  ProgressLine progress(a.quiet);
  progress.phase("loading the rules");
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return report_diagnostics(diags, json_errors);
  auto loaded = load_rule_base(a.source.rules, reference->country_codes(), {}, a.source.policies);
  diags.append(loaded.diagnostics);
  progress.done();
  if (!loaded.rules) return report_diagnostics(diags, json_errors);
  const auto at = date_option(a.at, "--at", diags);
  if (!at) return report_diagnostics(diags, json_errors);
  selection.country_codes = reference->country_codes();
  std::vector<Regime> resolved;
  for (std::size_t i = 0; i < a.regimes.size(); ++i) {
    auto r = resolve_regime(*loaded.rules, a.regimes[i], *at, "/regimes/" + std::to_string(i),
                            diags, selection);
    if (r) resolved.push_back(std::move(*r));
  }
  for (const auto& [n, expr] : wheres) {
    if (n > a.regimes.size())
      throw UsageError{"`--where " + std::to_string(n) + "=…`: no such regime"};
    if (n <= resolved.size()) {
      resolved[n - 1].where = expr;
      resolved[n - 1].label += "#" + std::to_string(n);  // two sides of one regime stay apart
    }
  }
  if (diags.has_errors()) return report_diagnostics(diags, json_errors);
  options.country_codes = reference->country_codes();
  // compare_regimes reports no progress of its own: the phase tells a person what is running.
  progress.phase("comparing the regimes");
  clock.lap("load");
  auto result = compare_regimes(*loaded.rules, resolved, options, diags);
  progress.done();
  if (!result) return report_diagnostics(diags, json_errors);
  clock.lap("compare");
  if (a.format == "json") {
    std::cout << compare_result_to_json(*result).dump(2) << "\n";
  } else if (a.format == "md") {
    std::cout << compare_result_to_markdown(*result);
  } else if (a.format == "csv") {
    // A table has no place for them: the warnings (XB-COMPARE-006) go to standard error.
    if (!result->warnings.items().empty()) report_diagnostics(result->warnings, json_errors);
    std::cout << compare_result_to_csv(*result);
  } else {
    std::cout << compare_result_to_text(*result);
  }
  if (a.stats) {
    std::cout.flush();
    clock.lap("output");
    std::cerr << compare_stats_to_text(*result, clock);
  }
  return result->stats.cells > 0 ? kExitViolations : kExitOk;
}

void declare_compare(CLI::App& command) {
  auto args = std::make_shared<CompareArgs>();
  command
      .add_option("REGIME", args->regimes,
                  "two or more: a jurisdiction or place id, joined by `+`, optionally @YYYY-MM-DD "
                  "(EU, JP@2021-01-01, eu-gdpr+us-access); a jurisdiction stands for its places "
                  "of --category")
      ->type_name("REGIME")
      ->required();
  command.add_option("--at", args->at, "the date of regimes without their own @DATE")
      ->type_name("YYYY-MM-DD")
      ->default_str("today");
  command.add_option("--scope", args->scope, "only flows where this rule-language condition holds")
      ->type_name("EXPR");
  command
      .add_option("--where", args->wheres,
                  "a condition on one side only, N its position (1, 2, …) (repeatable)")
      ->type_name("N=EXPR");
  command.add_option("--frame", args->frame, "whose view of a transfer is compared")
      ->type_name("home|shared")
      ->default_str("home when every regime has one");
  command.add_option("--kind", args->kind, "which rules decide `allows`: bases only, or all")
      ->type_name("basis|all")
      ->capture_default_str();
  command
      .add_option("--category", args->category, "the place categories a jurisdiction stands for")
      ->type_name("CAT,CAT|all")
      ->default_str("personal_data");
  command.add_flag("--detail", args->detail, "also write each class over the context variables");
  command.add_option("--max-cells", args->max_cells, "cells per direction before the table is cut")
      ->type_name("N")
      ->default_str(std::to_string(CompareOptions{}.max_cells));
  command.add_option("--format", args->format, "text, json, md or csv")
      ->type_name("text|json|md|csv")
      ->capture_default_str();
  declare_rule_source(command, args->source);
  declare_error_format(command, args->error_format);
  declare_quiet(command, args->quiet);
  declare_stats(command, args->stats);
  set_example(command, "xborder compare EU JP --at 2024-01-01 --kind basis");
  set_run(command, [args] { return run_compare(*args); });
}

}  // namespace

CommandSpec compare_command() {
  return {"compare", "where regimes differ: what one allows and another forbids (exit 1)",
          declare_compare};
}

}  // namespace xborder::cli
