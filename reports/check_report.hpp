// Renders check results: the versioned JSON contract (docs/check-output.md,
// reports/schema/check-result.schema.json) and the text a privacy lawyer reads.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "model/transfer_graph.hpp"
#include "solver/checker.hpp"

namespace xborder {

inline constexpr const char* kToolVersion =
    "0.1.0";  // `xborder --version`, SARIF tool.driver.version
inline constexpr const char* kCheckSchemaVersion = "3.1.0";

struct ReportContext {
  std::string model_file;  // as given on the command line
  std::string model_name;
  std::string rules_dir;
};

// The JSON shape of texts and citations shared by every output format.
nlohmann::json text_json(const Text& t);
nlohmann::json citation_json(const Citation& c);
// Warnings raised by a check or a comparison, sorted: `{code, pointer, message, hint}`.
nlohmann::json warnings_json(const Diagnostics& warnings);

// What the JSON document includes besides the issues. The library's default is everything (reports
// and the Python package read the findings); `check --format json` prints the issues alone, and
// `--findings` / `--compliant` add the rest.
struct CheckJsonOptions {
  bool findings = true;   // every finding, one per (rule, edge, data set, verdict)
  bool compliant = true;  // compliant issues (and findings)
};

nlohmann::json check_result_to_json(const CheckResult& result, const ReportContext& context,
                                    const CheckJsonOptions& options = {});
nlohmann::json finding_to_json(const FindingRef& f);
// The document's `rules`: the text of every rule its issues and findings name (kind, title,
// citation as in force at the check date, place, place name, routes' titles and citations), given
// once however many issues name it.
nlohmann::json rules_to_json(const CheckResult& result, const CheckJsonOptions& options);
// Copies each rule's text from `rules` into every issue and finding of a check document (as
// `rule_kind`, `title`, `citation`, `place_name`, and the routes' `title` and `citation`): the
// self-contained shape report renderers read one finding at a time. Idempotent; leaves a
// document without `rules` unchanged.
void expand_rule_texts(nlohmann::json& check);
// One legal issue with its occurrences, explained by its example finding.
nlohmann::json issue_to_json(const Issue& issue, const CheckResult& result);
// The same issue appended to `out` as compact JSON, byte for byte issue_to_json(…).dump(), without
// building it first: what `check --format json` writes for each of a large map's issues.
void write_issue_json(std::string& out, const Issue& issue, const CheckResult& result);
// Per data set, the authorities that can reach it and why (`exposure`, since 3.0.0).
nlohmann::json exposure_to_json(const std::vector<DatasetExposure>& exposure);
// The same document written as it is built, issue by issue and finding by finding (what `check
// --format json` prints), with `extra` keys added at the top level.
void write_check_result_json(const CheckResult& result, const ReportContext& context,
                             const nlohmann::json& extra, std::ostream& out,
                             const CheckJsonOptions& options = {});
std::string check_result_to_text(const CheckResult& result, const ReportContext& context,
                                 bool show_compliant);

// The last lines of every command's `--stats`: the wall-clock time of each phase and their
// total, and the process's peak memory.
std::string stats_time_and_memory(const std::vector<std::pair<std::string, double>>& phases_ms);

// `--stats`: how a check spent its work (states, events, rules decided directly or by the
// solver, cache hits, explanations) and the wall-clock time of each phase, with the peak memory.
// Figures of one run, for people and benchmarks: not a contract like the JSON output.
std::string check_stats_to_text(const CheckResult& result,
                                const std::vector<std::pair<std::string, double>>& phases_ms);

// The transfer graph with every implicit edge and why it exists (JSON or Graphviz dot).
nlohmann::json graph_to_json(const TransferGraph& graph);
std::string graph_to_dot(const TransferGraph& graph);

}  // namespace xborder
