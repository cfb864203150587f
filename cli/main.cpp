// xborder: the command line. Parses arguments into a request, calls the library, renders.
// Exit codes: 0 nothing violated, 1 violations, 2 invalid input, 3 internal error.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "model/model_loader.hpp"
#include "model/reference_data.hpp"
#include "reports/check_report.hpp"
#include "reports/compare_report.hpp"
#include "reports/html_report.hpp"
#include "reports/input_view.hpp"
#include "reports/legal_drafts.hpp"
#include "reports/render.hpp"
#include "reports/report_input.hpp"
#include "reports/sarif_report.hpp"
#include "reports/tabular_report.hpp"
#include "scenarios/markov.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/simulation.hpp"
#include "scenarios/simulation_report.hpp"
#include "solver/checker.hpp"
#include "solver/compare.hpp"
#include "solver/rule_catalog.hpp"
#include "solver/rule_pack.hpp"

namespace {

using namespace xborder;

constexpr int kExitOk = 0;
constexpr int kExitViolations = 1;
constexpr int kExitInvalidInput = 2;
constexpr int kExitInternal = 3;

// Limits of the command line (README.md "Limits").
constexpr std::uint64_t kMaxSimulationRuns = 1'000'000;
constexpr std::uint64_t kMaxCompareCells = 100'000;

const char* const kUsage = R"(usage:
  xborder check MODEL.json [--rules DIR] [--policies FILE|DIR]... [--at YYYY-MM-DD]
                           [--format text|json] [--places ID,ID] [--regimes A,B] [--all]
                           [--findings] [--compliant] [--stats] [--error-format human|json]
      prints one legal issue per rule, verdict and recipient with its occurrences; --findings
      adds every finding (rule × edge × data set) to the JSON, --compliant (or --all) the
      compliant ones
  xborder graph MODEL.json [--rules DIR] [--policies FILE|DIR]... [--format json|dot]
  xborder validate MODEL.json [--rules DIR] [--policies FILE|DIR]...
  xborder report MODEL.json --format FORMAT [-o FILE] [--rules DIR] [--policies FILE|DIR]...
                            [--at YYYY-MM-DD] [--places ID,ID]
  xborder report --from REPORT-INPUT.json --format FORMAT [-o FILE]
      FORMAT: html | md | sarif | csv (transfer register) | appi-notice | tia | json (the report input)
  xborder rules list [--rules DIR] [--policies FILE|DIR]... [--at YYYY-MM-DD] [--format text|json]
  xborder rules diff --from YYYY-MM-DD --to YYYY-MM-DD [--rules DIR] [--policies FILE|DIR]...
                     [--format text|json]
  xborder rules lint [--rules DIR] [--policies FILE|DIR]... [--error-format human|json]
                                                                  (exit 1 when a pack has a defect)
  xborder compare REGIME REGIME [REGIME…] [--at YYYY-MM-DD] [--scope EXPR] [--where N=EXPR]
                  [--frame home|shared] [--kind basis|all] [--category CAT,CAT|all] [--detail]
                  [--max-cells N]
                  [--format text|json|md|csv] [--rules DIR] [--policies FILE|DIR]...
                  [--error-format human|json]
      REGIME: a jurisdiction or place id, joined by `+`, optionally @YYYY-MM-DD (EU, JP@2021-01-01,
      eu-gdpr+us-access); a jurisdiction stands for its places of --category (default
      personal_data); compare exits 1 when the regimes differ
  xborder simulate SCENARIO.json [--runs N] [--seed S] [--horizon 5y|18m|365d] [--threads N]
                   [--format text|json] [--rules DIR] [--policies FILE|DIR]...
                   [--error-format human|json]
      replays the scenario's timeline; with --runs N > 0 also N Monte Carlo runs of its
      stochastic events and the exact Markov answer; exits 1 when any run or the replay violates
  xborder --help | --version

--policies adds your organisation's own packs (internal policies, contract terms) to the shipped
ones; repeat it for several files or directories.

exit codes: 0 nothing violated (report: written), 1 violations found, 2 invalid input, 3 internal error
)";

const std::vector<std::string> kReportFormats = {"html",        "md",  "sarif", "csv",
                                                 "appi-notice", "tia", "json"};

struct Args {
  std::string command;
  std::string model;
  std::filesystem::path rules = default_rules_dir();
  std::optional<std::string> at;
  std::string format;
  std::vector<std::string> places;
  std::vector<std::filesystem::path> policies;  // the organisation's own packs
  bool all = false;
  bool findings = false;   // check --format json: every finding besides the issues
  bool compliant = false;  // check --format json: compliant issues and findings too
  bool json_errors = false;
  std::string output;  // report: write here instead of standard output
  std::string from;    // report: render a saved report input; rules diff: the earlier date
  std::string to;      // rules diff: the later date
  std::vector<std::string> regimes;  // check: where these regimes disagree
  bool stats = false;                // check, report: how the work was spent, on stderr
};

struct UsageError {
  std::string message;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// A comma-separated list of ids given to `option`: never empty, no empty item (`--places ''`
// must not silently mean every pack).
std::vector<std::string> id_list(const std::string& option, const std::string& text) {
  auto items = split(text, ',');
  if (items.empty() ||
      std::count(text.begin(), text.end(), ',') + 1 != static_cast<std::ptrdiff_t>(items.size())) {
    throw UsageError{"`" + option +
                     "` needs a comma-separated list of ids without empty items, not `" + text +
                     "`"};
  }
  return items;
}

// A whole number in [min, max] given to `option`, else a usage error naming the range.
std::uint64_t bounded_number(const std::string& option, const std::string& text, std::uint64_t min,
                             std::uint64_t max) {
  const bool digits =
      !text.empty() && text.size() <= 18 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const std::uint64_t n = digits ? std::stoull(text) : 0;
  if (!digits || n < min || n > max) {
    throw UsageError{"`" + option + "` needs a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", not `" + text + "`"};
  }
  return n;
}

// The value after option `args[k]`, advancing `k` past it.
std::string option_value(const std::vector<std::string>& args, std::size_t& k) {
  if (k + 1 >= args.size()) throw UsageError{"`" + args[k] + "` needs a value"};
  return args[++k];
}

Args parse_args(int argc, char** argv) {
  Args a;
  std::vector<std::string> rest(argv + 1, argv + argc);
  if (rest.empty()) throw UsageError{"no command given"};
  a.command = rest[0];
  for (std::size_t k = 1; k < rest.size(); ++k) {
    const std::string& arg = rest[k];
    auto value = [&] { return option_value(rest, k); };
    if (arg == "--rules") {
      a.rules = value();
    } else if (arg == "--policies") {
      a.policies.emplace_back(value());
    } else if (arg == "--at") {
      a.at = value();
    } else if (arg == "--format") {
      a.format = value();
    } else if (arg == "--places") {
      a.places = id_list(arg, value());
    } else if (arg == "--regimes") {
      a.regimes = id_list(arg, value());
    } else if (arg == "-o" || arg == "--output") {
      a.output = value();
    } else if (arg == "--from") {
      a.from = value();
    } else if (arg == "--to") {
      a.to = value();
    } else if (arg == "--all") {
      a.all = true;
    } else if (arg == "--findings") {
      a.findings = true;
    } else if (arg == "--compliant") {
      a.compliant = true;
    } else if (arg == "--stats") {
      a.stats = true;
    } else if (arg == "--error-format") {
      const std::string f = value();
      if (f != "human" && f != "json") throw UsageError{"--error-format must be `human` or `json`"};
      a.json_errors = f == "json";
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError{"unknown option `" + arg + "`"};
    } else if (a.model.empty()) {
      a.model = arg;
    } else {
      throw UsageError{"unexpected argument `" + arg + "`"};
    }
  }
  if (a.command == "rules") {
    // `rules list|diff|lint`: the positional argument is the subcommand, not a model.
    if (a.model != "list" && a.model != "diff" && a.model != "lint") {
      throw UsageError{a.model.empty() ? "`rules` needs list, diff or lint"
                                       : "unknown `rules` command `" + a.model + "`"};
    }
    if (a.model == "diff" && (a.from.empty() || a.to.empty()))
      throw UsageError{"`rules diff` needs --from DATE and --to DATE"};
    if (!a.output.empty()) throw UsageError{"`-o` is only for `report`"};
    return a;
  }
  if (!a.from.empty() && a.command != "report")
    throw UsageError{"`--from` is only for `report` and `rules diff`"};
  if (!a.to.empty()) throw UsageError{"`--to` is only for `rules diff`"};
  if (!a.regimes.empty() && a.command != "check")
    throw UsageError{"`--regimes` is only for `check`"};
  if (a.regimes.size() == 1) throw UsageError{"`--regimes` needs two regimes or more: A,B"};
  if ((a.findings || a.compliant) && a.command != "check")
    throw UsageError{"`--findings` and `--compliant` are only for `check`"};
  if (!a.from.empty() && !a.model.empty())
    throw UsageError{"give either MODEL.json or --from, not both"};
  if (a.model.empty() && a.from.empty()) throw UsageError{"`" + a.command + "` needs a MODEL.json"};
  if (!a.output.empty() && a.command != "report") throw UsageError{"`-o` is only for `report`"};
  return a;
}

int report_diagnostics(const Diagnostics& diags, bool json_errors) {
  const auto items = diags.sorted();
  if (json_errors) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : items) {
      out.push_back({{"severity", d.severity == Severity::kError ? "error" : "warning"},
                     {"code", d.code},
                     {"file", d.file.generic_string()},
                     {"pointer", d.pointer},
                     {"message", d.message},
                     {"hint", d.hint ? nlohmann::json(*d.hint) : nlohmann::json(nullptr)}});
    }
    std::cerr << out.dump(2) << "\n";
  } else {
    for (const auto& d : items) std::cerr << render_diagnostic(d) << "\n";
    const std::size_t errors = diags.error_count();
    if (errors > 0)
      std::cerr << errors << (errors == 1 ? " error" : " errors") << "; nothing was checked\n";
  }
  return diags.has_errors() ? kExitInvalidInput : kExitOk;
}

// Wall-clock time per phase of a command, for --stats.
class PhaseClock {
 public:
  void lap(const std::string& phase) {
    const auto now = std::chrono::steady_clock::now();
    phases_.emplace_back(phase, std::chrono::duration<double, std::milli>(now - last_).count());
    last_ = now;
  }
  [[nodiscard]] const std::vector<std::pair<std::string, double>>& phases() const {
    return phases_;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> phases_;
};

struct Loaded {
  ReferenceData reference;
  TransferModel model;
  RuleBase rules;
};

std::optional<Loaded> load_inputs(const Args& a, Diagnostics& diags) {
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return std::nullopt;
  auto model = load_model(a.model, *reference);
  diags.append(model.diagnostics);
  auto rules = load_rule_base(a.rules, reference->country_codes(), a.places, a.policies);
  diags.append(rules.diagnostics);
  if (!model.model || !rules.rules) return std::nullopt;
  return Loaded{std::move(*reference), std::move(*model.model), std::move(*rules.rules)};
}

// The model's text for SARIF regions; "" when it cannot be read (a saved report input may name a
// file that is gone, or something that is not a regular file).
std::string read_text(const std::filesystem::path& file) {
  Diagnostics ignored;
  return read_input_file(file, ignored, "XB-CLI").value_or("");
}

// `-o` onto one of the inputs would replace it with the report: refused (XB-CLI-003).
bool overwrites_an_input(const Args& a, Diagnostics& diags) {
  if (a.output.empty()) return false;
  std::vector<std::filesystem::path> inputs = a.policies;
  if (!a.model.empty()) inputs.emplace_back(a.model);
  if (!a.from.empty()) inputs.emplace_back(a.from);
  for (const auto& input : inputs) {
    std::error_code ec;
    if (std::filesystem::equivalent(a.output, input, ec) && !ec) {
      diags.error("XB-CLI-003", a.output, "",
                  "`-o` names an input of this command (" + input.generic_string() +
                      "); writing the report would replace it",
                  "write the report to another file");
      return true;
    }
  }
  return false;
}

// Writes next to the target and renames, so a failure never leaves a half-written report.
int write_output(const std::string& text, const std::string& output, bool json_errors) {
  if (output.empty()) {
    std::cout << text;
    return kExitOk;
  }
  const std::filesystem::path target(output);
  const std::filesystem::path temp = target.string() + ".tmp-xborder";
  {
    std::ofstream out(temp, std::ios::binary);
    out << text;
    if (!out) {
      Diagnostics diags;
      diags.error("XB-CLI-003", target, "", "cannot write the report",
                  "check that the directory exists and is writable");
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      return report_diagnostics(diags, json_errors);
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    Diagnostics diags;
    diags.error("XB-CLI-003", target, "", "cannot write the report: " + ec.message());
    std::filesystem::remove(temp, ec);
    return report_diagnostics(diags, json_errors);
  }
  return kExitOk;
}

int run_report_from(const Args& a) {
  Diagnostics diags;
  auto doc = read_json_file(a.from, diags, "XB-CLI");
  if (doc && input::str(*doc, "format") != kReportInputFormat) {
    diags.error("XB-CLI-004", a.from, "/format", "not a report input document",
                std::string("make one with `xborder report MODEL.json --format json` (format `") +
                    kReportInputFormat + "`)");
  }
  if (doc && !diags.has_errors()) {
    constexpr std::size_t kShown = 20;
    const auto problems = report_input_problems(*doc);
    for (std::size_t k = 0; k < problems.size() && k < kShown; ++k) {
      diags.error("XB-CLI-004", a.from, problems[k].first, problems[k].second,
                  "make it again with `xborder report MODEL.json --format json`");
    }
  }
  if (diags.has_errors()) return report_diagnostics(diags, a.json_errors);
  std::string text;
  try {
    text = render_report(*doc, a.format, read_text);
  } catch (const nlohmann::json::exception& e) {
    // A saved input is the user's file: a member of the wrong type is invalid input, not a bug.
    diags.error("XB-CLI-004", a.from, "",
                std::string("the report input does not have the shape `xborder report` writes: ") +
                    e.what(),
                "make it again with `xborder report MODEL.json --format json`; see "
                "reports/report_input.hpp for its members");
    return report_diagnostics(diags, a.json_errors);
  }
  return write_output(text, a.output, a.json_errors);
}

std::string item_line(const CatalogueItem& item) {
  std::string out = item.kind + "  " + item.place + "  " + item.id + "  " + item.valid.to_string() +
                    "\n      " + item.citation.label() + "  <" + item.citation.url +
                    ">  (verified " + item.citation.verified + ")\n";
  if (!item.disagreements.empty()) {
    out += "      sources disagree; follows: " + item.follows + "\n";
    for (const auto& d : item.disagreements)
      out += "        ≠ " + d.citation.label() + "  <" + d.citation.url + ">: " + d.says + "\n";
  }
  return out;
}

nlohmann::json item_json(const CatalogueItem& item) {
  return {{"kind", item.kind},
          {"place", item.place},
          {"id", item.id},
          {"title", item.title},
          {"valid",
           {{"from", item.valid.from ? nlohmann::json(item.valid.from->to_string())
                                     : nlohmann::json(nullptr)},
            {"to", item.valid.to ? nlohmann::json(item.valid.to->to_string())
                                 : nlohmann::json(nullptr)}}},
          {"citation",
           {{"instrument", item.citation.instrument},
            {"article", item.citation.article},
            {"url", item.citation.url},
            {"verified", item.citation.verified}}},
          {"file", item.file.generic_string()},
          {"pointer", item.pointer}};
}

// `sources_disagree` and `follows`, only on items that have them.
void add_disagreements(nlohmann::json& j, const CatalogueItem& item) {
  if (item.disagreements.empty()) return;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : item.disagreements) {
    list.push_back({{"citation",
                     {{"instrument", d.citation.instrument},
                      {"article", d.citation.article},
                      {"url", d.citation.url},
                      {"verified", d.citation.verified}}},
                    {"says", d.says}});
  }
  j["sources_disagree"] = std::move(list);
  j["follows"] = item.follows;
}

Date today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date::from_days(static_cast<int>(now.time_since_epoch().count()));
}

int run_rules(const Args& a) {
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return report_diagnostics(diags, a.json_errors);
  auto loaded = load_rule_base(a.rules, reference->country_codes(), a.places, a.policies);
  if (a.model == "lint" && !loaded.rules) {
    // Unknown vocabulary is a lint defect (exit 1); any other load error is invalid input (2).
    diags.append(lint_load_errors(loaded.diagnostics));
    const bool only_vocabulary =
        std::all_of(diags.items().begin(), diags.items().end(), [](const Diagnostic& d) {
          return d.severity != Severity::kError || d.code == "XB-LINT-008";
        });
    report_diagnostics(diags, a.json_errors);
    return only_vocabulary ? kExitViolations : kExitInvalidInput;
  }
  diags.append(loaded.diagnostics);
  if (!loaded.rules) return report_diagnostics(diags, a.json_errors);
  auto parse_date = [&](const std::string& text, const std::string& option) -> std::optional<Date> {
    auto d = Date::parse(text);
    if (!d)
      diags.error("XB-CLI-001", "<command line>", "", "`" + option + " " + text + "` is not a date",
                  "write YYYY-MM-DD");
    return d;
  };
  if (a.model == "lint") {
    diags.append(lint(*loaded.rules, today()));
    diags.append(vector_coverage(*loaded.rules, a.rules));
    if (diags.items().empty()) {
      std::cout << "rules lint: " << loaded.rules->rules.size() << " rules in "
                << loaded.rules->packs.size() << " packs, no defects\n";
      return kExitOk;
    }
    report_diagnostics(diags, a.json_errors);
    return diags.has_errors() ? kExitViolations : kExitOk;
  }
  const bool json = a.format == "json";
  if (a.model == "list") {
    std::optional<Date> at = a.at ? parse_date(*a.at, "--at") : std::optional<Date>(today());
    if (!at) return report_diagnostics(diags, a.json_errors);
    const auto items = in_force(*loaded.rules, *at);
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : items) {
        out.push_back(item_json(item));
        add_disagreements(out.back(), item);
      }
      std::cout << nlohmann::json{{"at", at->to_string()}, {"items", out}}.dump(2) << "\n";
    } else {
      std::cout << "in force at " << at->to_string() << ": " << items.size()
                << " rules, facts and reach declarations\n\n";
      for (const auto& item : items) std::cout << item_line(item);
    }
    return kExitOk;
  }
  auto from = parse_date(a.from, "--from");
  auto to = parse_date(a.to, "--to");
  if (!from || !to) return report_diagnostics(diags, a.json_errors);
  const auto changes = changes_between(*loaded.rules, *from, *to);
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : changes) {
      auto j = item_json(c.item);
      add_disagreements(j, c.item);
      j["change"] = c.started ? "started" : "ended";
      out.push_back(j);
    }
    std::cout << nlohmann::json{{"from", from->to_string()},
                                {"to", to->to_string()},
                                {"changes", out}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "between " << from->to_string() << " and " << to->to_string() << ": "
              << changes.size() << " changes\n\n";
    for (const auto& c : changes) std::cout << (c.started ? "+ " : "- ") << item_line(c.item);
  }
  return kExitOk;
}

// `compare` has arguments of its own: several regimes and per-regime conditions.
int run_compare(const std::vector<std::string>& args) {
  std::vector<std::string> regimes;
  std::filesystem::path rules_dir = default_rules_dir();
  std::vector<std::filesystem::path> policies;
  std::optional<std::string> at_text;
  std::string format = "text";
  std::vector<std::pair<std::size_t, std::string>> wheres;
  CompareOptions options;
  RegimeSelection selection;
  bool json_errors = false;
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& arg = args[k];
    auto value = [&] { return option_value(args, k); };
    if (arg == "--rules") {
      rules_dir = value();
    } else if (arg == "--policies") {
      policies.emplace_back(value());
    } else if (arg == "--at") {
      at_text = value();
    } else if (arg == "--format") {
      format = value();
      if (format != "text" && format != "json" && format != "md" && format != "csv")
        throw UsageError{"`compare --format` is text, json, md or csv"};
    } else if (arg == "--scope") {
      options.scope = value();
    } else if (arg == "--where") {
      const std::string v = value();
      const auto eq = v.find('=');
      std::size_t n = 0;
      try {
        n = eq == std::string::npos ? 0 : std::stoul(v.substr(0, eq));
      } catch (const std::exception&) {
        n = 0;
      }
      if (n == 0) throw UsageError{"`--where` is N=EXPR, N the regime's position (1, 2, …)"};
      wheres.emplace_back(n, v.substr(eq + 1));
    } else if (arg == "--frame") {
      auto f = parse_enum<CompareFrame>(value());
      if (!f) throw UsageError{"`--frame` is home or shared"};
      options.frame = *f;
    } else if (arg == "--detail") {
      options.detail = true;
    } else if (arg == "--category") {
      const std::string v = value();
      selection.categories = v == "all" ? std::vector<std::string>{} : split(v, ',');
      for (const auto& c : selection.categories) {
        const auto& known = place_categories();
        if (std::find(known.begin(), known.end(), c) == known.end())
          throw UsageError{"unknown place category `" + c + "` for --category; " +
                           suggestion_hint(c, known) + " (or all)"};
      }
    } else if (arg == "--kind") {
      const std::string v = value();
      if (v != "basis" && v != "all") throw UsageError{"`--kind` is basis or all"};
      options.basis_only = v == "basis";
    } else if (arg == "--max-cells") {
      // 0 would give an empty, incomplete table that reads as "the regimes agree".
      options.max_cells = bounded_number(arg, value(), 1, kMaxCompareCells);
    } else if (arg == "--error-format") {
      const std::string f = value();
      if (f != "human" && f != "json") throw UsageError{"--error-format must be `human` or `json`"};
      json_errors = f == "json";
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError{"unknown option `" + arg + "`"};
    } else {
      regimes.push_back(arg);
    }
  }
  if (regimes.size() < 2) throw UsageError{"`compare` needs at least two regimes"};
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return report_diagnostics(diags, json_errors);
  auto loaded = load_rule_base(rules_dir, reference->country_codes(), {}, policies);
  diags.append(loaded.diagnostics);
  if (!loaded.rules) return report_diagnostics(diags, json_errors);
  Date at = today();
  if (at_text) {
    auto d = Date::parse(*at_text);
    if (!d) {
      diags.error("XB-CLI-001", "<command line>", "", "`--at " + *at_text + "` is not a date",
                  "write --at YYYY-MM-DD");
      return report_diagnostics(diags, json_errors);
    }
    at = *d;
  }
  selection.country_codes = reference->country_codes();
  std::vector<Regime> resolved;
  for (std::size_t i = 0; i < regimes.size(); ++i) {
    auto r = resolve_regime(*loaded.rules, regimes[i], at, "/regimes/" + std::to_string(i), diags,
                            selection);
    if (r) resolved.push_back(std::move(*r));
  }
  for (const auto& [n, expr] : wheres) {
    if (n > regimes.size())
      throw UsageError{"`--where " + std::to_string(n) + "=…`: no such regime"};
    if (n <= resolved.size()) {
      resolved[n - 1].where = expr;
      resolved[n - 1].label += "#" + std::to_string(n);  // two sides of one regime stay apart
    }
  }
  if (diags.has_errors()) return report_diagnostics(diags, json_errors);
  options.country_codes = reference->country_codes();
  auto result = compare_regimes(*loaded.rules, resolved, options, diags);
  if (!result) return report_diagnostics(diags, json_errors);
  if (format == "json") {
    std::cout << compare_result_to_json(*result).dump(2) << "\n";
  } else if (format == "md") {
    std::cout << compare_result_to_markdown(*result);
  } else if (format == "csv") {
    std::cout << compare_result_to_csv(*result);
  } else {
    std::cout << compare_result_to_text(*result);
  }
  return result->stats.cells > 0 ? kExitViolations : kExitOk;
}

int run(const Args& a) {
  if (a.command == "rules") return run_rules(a);
  Diagnostics diags;
  if (a.command == "report" &&
      std::find(kReportFormats.begin(), kReportFormats.end(), a.format) == kReportFormats.end()) {
    diags.error("XB-CLI-002", "<command line>", "",
                a.format.empty() ? "`report` needs --format" : "unknown format `" + a.format + "`",
                "use one of html, md, sarif, csv, appi-notice, tia, json");
    return report_diagnostics(diags, a.json_errors);
  }
  if (overwrites_an_input(a, diags)) return report_diagnostics(diags, a.json_errors);
  if (!a.from.empty()) return run_report_from(a);
  Date at = Date::from_days(0);
  if (a.at) {
    auto d = Date::parse(*a.at);
    if (!d) {
      diags.error("XB-CLI-001", "<command line>", "", "`--at " + *a.at + "` is not a date",
                  "write --at YYYY-MM-DD");
      return report_diagnostics(diags, a.json_errors);
    }
    at = *d;
  } else {
    const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    at = Date::from_days(static_cast<int>(now.time_since_epoch().count()));
  }
  if (a.command == "check" && !a.format.empty() && a.format != "text" && a.format != "json") {
    diags.error("XB-CLI-002", "<command line>", "", "unknown format `" + a.format + "`",
                "use --format text or --format json");
    return report_diagnostics(diags, a.json_errors);
  }
  if (a.command == "graph" && !a.format.empty() && a.format != "json" && a.format != "dot") {
    diags.error("XB-CLI-002", "<command line>", "", "unknown format `" + a.format + "`",
                "use --format json or --format dot");
    return report_diagnostics(diags, a.json_errors);
  }
  PhaseClock clock;
  auto loaded = load_inputs(a, diags);
  if (!loaded) return report_diagnostics(diags, a.json_errors);
  if (!diags.items().empty()) report_diagnostics(diags, a.json_errors);  // warnings
  clock.lap("load");

  PathChecker checker(loaded->model, loaded->rules);
  clock.lap("graph and rules");
  if (a.command == "validate") {
    std::cout << a.model << ": valid (" << loaded->model.parties.size() << " parties, "
              << loaded->model.systems.size() << " systems, " << loaded->model.datasets.size()
              << " data sets, " << loaded->model.flows.size() << " flows; "
              << checker.graph().node_count() << " nodes and " << checker.graph().edge_count()
              << " edges in the graph)\n";
    return kExitOk;
  }
  if (a.command == "graph") {
    if (a.format == "dot") {
      std::cout << graph_to_dot(checker.graph());
    } else {
      std::cout << graph_to_json(checker.graph()).dump(2) << "\n";
    }
    return kExitOk;
  }
  std::vector<Regime> regimes;
  for (std::size_t i = 0; i < a.regimes.size(); ++i) {
    if (auto r =
            resolve_regime(loaded->rules, a.regimes[i], at, "/regimes/" + std::to_string(i), diags,
                           RegimeSelection{{"personal_data"}, loaded->reference.country_codes()}))
      regimes.push_back(std::move(*r));
  }
  if (diags.has_errors()) return report_diagnostics(diags, a.json_errors);
  // Findings each explained where they are all shown (reports, --findings, --regimes); otherwise
  // one explained example per legal issue, which keeps a large map's output small.
  CheckOptions check_options;
  if (a.command == "check" && !a.findings && a.regimes.empty())
    check_options.explain = Explain::kOnePerIssue;
  const CheckResult result = checker.check(at, check_options);
  clock.lap("check");
  // On every way out: the figures of the run, when asked for.
  struct StatsOnExit {
    const Args& a;
    const CheckResult& result;
    PhaseClock& clock;
    ~StatsOnExit() {
      if (!a.stats) return;
      clock.lap("output");
      std::cerr << check_stats_to_text(result, clock.phases());
    }
  } stats_on_exit{a, result, clock};
  ReportContext context{a.model, loaded->model.name, a.rules.generic_string()};
  if (a.command == "report") {
    const auto input =
        make_report_input(result, context, checker.graph(), loaded->model, loaded->reference);
    return write_output(render_report(input, a.format, read_text), a.output, a.json_errors);
  }
  const auto disagreements = regime_disagreements(result, regimes);
  if (a.format == "json") {
    nlohmann::json extra = nlohmann::json::object();
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
    if (!regimes.empty()) std::cout << regime_disagreements_to_text(regimes, disagreements);
  }
  return result.summary.violations > 0 ? kExitViolations : kExitOk;
}

// `xborder simulate`: parses its own options, replays the timeline, runs Monte Carlo.
int run_simulate(const std::vector<std::string>& args) {
  std::string file, format = "text", horizon;
  std::filesystem::path rules_dir = default_rules_dir();
  std::vector<std::filesystem::path> policies;
  std::size_t runs = 0;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  bool json_errors = false;
  auto number = [](const std::string& option, const std::string& text) -> std::uint64_t {
    if (text.empty() || text.size() > 18 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      throw UsageError{"`" + option + "` needs a non-negative integer, not `" + text + "`"};
    return std::stoull(text);
  };
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& arg = args[k];
    auto value = [&] { return option_value(args, k); };
    if (arg == "--runs") {
      runs = bounded_number(arg, value(), 0, kMaxSimulationRuns);
    } else if (arg == "--seed") {
      seed = number(arg, value());
    } else if (arg == "--threads") {
      threads = static_cast<unsigned>(std::min<std::uint64_t>(number(arg, value()), 1024));
    } else if (arg == "--horizon") {
      horizon = value();
    } else if (arg == "--format") {
      format = value();
      if (format != "text" && format != "json")
        throw UsageError{"`simulate` --format must be `text` or `json`"};
    } else if (arg == "--rules") {
      rules_dir = value();
    } else if (arg == "--policies") {
      policies.emplace_back(value());
    } else if (arg == "--error-format") {
      const std::string f = value();
      if (f != "human" && f != "json") throw UsageError{"--error-format must be `human` or `json`"};
      json_errors = f == "json";
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError{"unknown option `" + arg + "`"};
    } else if (file.empty()) {
      file = arg;
    } else {
      throw UsageError{"unexpected argument `" + arg + "`"};
    }
  }
  if (file.empty()) throw UsageError{"`simulate` needs a SCENARIO.json"};
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return report_diagnostics(diags, json_errors);
  auto all_rules = load_rule_base(rules_dir, reference->country_codes(), {}, policies);
  diags.append(all_rules.diagnostics);
  if (!all_rules.rules) return report_diagnostics(diags, json_errors);
  auto loaded = load_scenario(file, *reference, *all_rules.rules);
  diags.append(loaded.diagnostics);
  if (!loaded.scenario) return report_diagnostics(diags, json_errors);
  Scenario& scenario = *loaded.scenario;
  if (!horizon.empty()) {
    auto end = add_horizon(scenario.start, horizon);
    if (!end) {
      diags.error("XB-CLI-001", "<command line>", "",
                  "`--horizon " + horizon + "` is not a horizon",
                  "write a number and a unit: 5y, 18m or 365d");
      return report_diagnostics(diags, json_errors);
    }
    scenario.end = *end;
  }
  std::optional<RuleBase> only;
  if (!scenario.places.empty()) {
    auto restricted =
        load_rule_base(rules_dir, reference->country_codes(), scenario.places, policies);
    diags.append(restricted.diagnostics);
    if (!restricted.rules) return report_diagnostics(diags, json_errors);
    only = std::move(restricted.rules);
  }
  const RuleBase& rules = only ? *only : *all_rules.rules;
  if (!diags.items().empty()) report_diagnostics(diags, json_errors);  // warnings
  SimulationReport report;
  report.scenario_file = file;
  report.scenario = &scenario;
  for (const auto& pack : rules.packs) report.places.push_back(pack.place.id);
  std::sort(report.places.begin(), report.places.end());
  Simulator simulator(scenario, rules, *reference);
  report.replay = replay(simulator);
  bool violated = report.replay.violated;
  if (runs > 0) {
    MonteCarloOptions options;
    options.runs = runs;
    options.seed = seed;
    options.threads = threads;
    report.monte_carlo = monte_carlo(simulator, options);
    report.analytic = analytic(simulator, 6);
    violated |= report.monte_carlo->p_violation.value > 0;
  }
  if (format == "json") {
    std::cout << simulation_to_json(report).dump(2) << "\n";
  } else {
    std::cout << simulation_to_text(report);
  }
  return violated ? kExitViolations : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" ||
                      std::string(argv[1]) == "help")) {
      std::cout << kUsage;
      return kExitOk;
    }
    if (argc >= 2 && std::string(argv[1]) == "--version") {
      std::cout << "xborder " << kToolVersion << " (check output schema " << kCheckSchemaVersion
                << ")\n";
      return kExitOk;
    }
    if (argc >= 2 && std::string(argv[1]) == "compare")
      return run_compare(std::vector<std::string>(argv + 2, argv + argc));
    if (argc >= 2 && std::string(argv[1]) == "simulate")
      return run_simulate(std::vector<std::string>(argv + 2, argv + argc));
    const Args args = parse_args(argc, argv);
    if (args.command != "check" && args.command != "graph" && args.command != "validate" &&
        args.command != "report" && args.command != "rules") {
      throw UsageError{"unknown command `" + args.command + "`"};
    }
    return run(args);
  } catch (const UsageError& e) {
    std::cerr << "error: " << printable_text(e.message, false) << "\n\n" << kUsage;
    return kExitInvalidInput;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
