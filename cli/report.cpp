// `xborder report`: every report format, from a model (checked at a date) or from a saved report
// input; `-o` writes atomically.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/model_inputs.hpp"
#include "model/json_reader.hpp"
#include "reports/check_report.hpp"
#include "reports/input_view.hpp"
#include "reports/plan_section.hpp"
#include "reports/render.hpp"
#include "reports/report_input.hpp"
#include "solver/checker.hpp"

namespace xborder::cli {
namespace {

const std::vector<std::string> kReportFormats = {"html",        "md",  "sarif", "csv",
                                                 "appi-notice", "tia", "dpv",   "json"};

struct ReportArgs {
  ModelInput model;
  std::string from;  // a saved report input instead of a model
  std::string plan;  // `xborder plan --format json` output to render as the plan section
  std::string format;
  std::string output;  // write here instead of standard output
  RuleSource source;
  std::optional<std::string> at;
  std::optional<std::string> places;
  bool stats = false;
  bool quiet = false;
  ErrorFormat error_format;
};

// `-o` onto one of the inputs would replace it with the report: refused (XB-CLI-003).
bool overwrites_an_input(const ReportArgs& a, Diagnostics& diags) {
  if (a.output.empty()) return false;
  std::vector<std::filesystem::path> inputs = a.source.policies;
  for (const auto& file : a.model.files()) inputs.push_back(file);
  for (const auto& file : a.model.infra) inputs.emplace_back(file);
  for (const auto& file : a.model.vendors) inputs.emplace_back(file);
  for (const auto& file : a.model.registers) inputs.emplace_back(file);
  for (const auto& file : a.model.fides) inputs.emplace_back(file);
  if (a.model.overlay) inputs.emplace_back(*a.model.overlay);
  if (!a.from.empty()) inputs.emplace_back(a.from);
  if (!a.plan.empty()) inputs.emplace_back(a.plan);
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
    errno = 0;
    std::ofstream out(temp, std::ios::binary);
    out << text;
    if (!out) {
      // The operating system's reason (permission denied, no such directory) is what a person
      // can act on.
      const std::string reason = errno != 0 ? std::strerror(errno) : "write error";
      Diagnostics diags;
      diags.error("XB-CLI-003", target, "", "cannot write the report: " + reason,
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

// `--plan PLAN.json`: the document `xborder plan --format json` wrote (docs/plan-output.md, schema
// 1.x), checked for the shape the plan section reads (XB-CLI-006); nullopt after an error.
std::optional<Json> read_plan(const ReportArgs& a, Diagnostics& diags) {
  auto doc = read_json_file(a.plan, diags, "XB-CLI");
  if (!doc) return std::nullopt;
  constexpr std::size_t kShown = 20;
  const auto problems = plan_document_problems(*doc);
  for (std::size_t k = 0; k < problems.size() && k < kShown; ++k) {
    diags.error("XB-CLI-006", a.plan, problems[k].first, problems[k].second,
                "give the output of `xborder plan MODEL --format json`");
  }
  if (diags.has_errors()) return std::nullopt;
  return doc;
}

// The plan must be of the model the report is about (its `model.name`), else the "before" and
// the findings would be another model's.
bool attach_plan(Json& input, Json plan, const ReportArgs& a, Diagnostics& diags) {
  const std::string planned = input::str(input::member(plan, "model"), "name");
  const std::string reported = input::str(input::member(input, "model"), "name");
  if (planned != reported) {
    diags.error("XB-CLI-006", a.plan, "/model/name",
                "the plan is of the model `" + planned + "`, the report of `" + reported + "`",
                "make the plan from the same model: `xborder plan MODEL --format json`");
    return false;
  }
  input["plan"] = std::move(plan);
  return true;
}

int run_report_from(const ReportArgs& a, bool json_errors) {
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
  if (diags.has_errors()) return report_diagnostics(diags, json_errors);
  if (!a.plan.empty()) {
    auto plan = read_plan(a, diags);
    if (!plan || !attach_plan(*doc, std::move(*plan), a, diags))
      return report_diagnostics(diags, json_errors);
  }
  std::string text;
  try {
    text = render_report(*doc, a.format,
                         [](const std::string& file) { return read_source_text(file, nullptr); });
  } catch (const nlohmann::json::exception& e) {
    // A saved input is the user's file: a member of the wrong type is invalid input, not a bug.
    diags.error("XB-CLI-004", a.from, "",
                std::string("the report input does not have the shape `xborder report` writes: ") +
                    e.what(),
                "make it again with `xborder report MODEL.json --format json`; see "
                "reports/report_input.hpp for its members");
    return report_diagnostics(diags, json_errors);
  }
  return write_output(text, a.output, json_errors);
}

int run_report(ReportArgs& a) {
  const bool json_errors = a.error_format.json();
  const auto places = a.places ? id_list("--places", *a.places) : std::vector<std::string>{};
  if (!a.from.empty() && a.model.given())
    throw UsageError{"give either MODEL.json or --from, not both"};
  if (!a.model.given() && a.from.empty())
    throw UsageError{"`report` needs a MODEL.json or --from REPORT-INPUT.json"};
  Diagnostics diags;
  if (std::find(kReportFormats.begin(), kReportFormats.end(), a.format) == kReportFormats.end()) {
    diags.error("XB-CLI-002", "<command line>", "",
                a.format.empty() ? "`report` needs --format" : "unknown format `" + a.format + "`",
                "use one of html, md, sarif, csv, appi-notice, tia, dpv, json");
    return report_diagnostics(diags, json_errors);
  }
  if (overwrites_an_input(a, diags)) return report_diagnostics(diags, json_errors);
  if (!a.from.empty()) return run_report_from(a, json_errors);
  const auto at = date_option(a.at, "--at", diags);
  if (!at) return report_diagnostics(diags, json_errors);
  std::optional<Json> plan;
  if (!a.plan.empty()) {
    plan = read_plan(a, diags);
    if (!plan) return report_diagnostics(diags, json_errors);
  }
  ProgressLine progress(a.quiet);
  PhaseClock clock;
  auto loaded = load_inputs(a.model, a.source, places, diags, progress);
  if (!loaded) return report_diagnostics(diags, json_errors);
  if (!diags.items().empty()) report_diagnostics(diags, json_errors);  // warnings
  clock.lap("load");
  PathChecker checker(loaded->model, loaded->rules);
  clock.lap("graph and rules");
  CheckOptions options;
  options.progress = [&progress](std::string_view phase, std::uint64_t done, std::uint64_t total) {
    progress.update(phase, done, total);
  };
  const CheckResult result = checker.check(*at, options);
  progress.done();
  clock.lap("check");
  ReportContext context{a.model.display_name().string(), loaded->model.name,
                        a.source.rules.generic_string()};
  auto input =
      make_report_input(result, context, checker.graph(), loaded->model, loaded->reference);
  if (plan && !attach_plan(input, std::move(*plan), a, diags))
    return report_diagnostics(diags, json_errors);
  const int exit_code = write_output(
      render_report(input, a.format,
                    [&a](const std::string& file) { return read_source_text(file, &a.model); }),
      a.output, json_errors);
  if (a.stats) {
    clock.lap("output");
    std::cerr << check_stats_to_text(result, clock.phases());
  }
  return exit_code;
}

void declare_report(CLI::App& command) {
  auto args = std::make_shared<ReportArgs>();
  declare_model(command, args->model);
  command.add_option("--from", args->from, "render a saved report input instead of a model")
      ->type_name("REPORT-INPUT.json");
  command
      .add_option(
          "--format", args->format,
          "html, md, sarif, csv (transfer register), appi-notice, tia, dpv (W3C DPV JSON-LD), or "
          "json (the "
          "report input); required")
      ->type_name("html|md|sarif|csv|appi-notice|tia|dpv|json");
  command
      .add_option("--plan", args->plan,
                  "add a plan section: the JSON `xborder plan MODEL --format json` wrote for "
                  "this model")
      ->type_name("PLAN.json");
  command.add_option("-o,--output", args->output, "write the report here, atomically")
      ->type_name("FILE")
      ->default_str("standard output");
  declare_rule_source(command, args->source);
  command.add_option("--at", args->at, "the date the rules are read at")
      ->type_name("YYYY-MM-DD")
      ->default_str("today");
  command.add_option("--places", args->places, "only these places' rule packs")->type_name("ID,ID");
  declare_stats(command, args->stats);
  declare_error_format(command, args->error_format);
  declare_quiet(command, args->quiet);
  set_example(command,
              "xborder report scenarios/retail-pos/model.json --format html -o report.html");
  set_run(command, [args] { return run_report(*args); });
}

}  // namespace

CommandSpec report_command() {
  return {"report", "write a report (html, md, sarif, csv, appi-notice, tia, dpv, json) of a check",
          declare_report};
}

}  // namespace xborder::cli
