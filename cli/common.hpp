// What every command of the command line shares: exit codes, usage errors, the options that
// several commands declare (rules, policies, error format), diagnostics on stderr, reading the
// model (a file or `-` for standard input) and the progress line.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/date.hpp"
#include "model/diagnostic.hpp"
#include "model/model_loader.hpp"
#include "model/reference_data.hpp"
#include "solver/rule_pack.hpp"

namespace xborder::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitViolations = 1;
inline constexpr int kExitInvalidInput = 2;
inline constexpr int kExitInternal = 3;

// The model argument that means "read the model from standard input".
inline constexpr const char* kStdinArgument = "-";

// A mistake on the command line that the parser cannot see (a date, a list, two options that
// exclude each other): main prints it with a pointer to the command's --help, exit 2.
struct UsageError {
  std::string message;
};

// --rules DIR and --policies FILE|DIR..., declared alike by every command that reads rules.
struct RuleSource {
  std::filesystem::path rules = default_rules_dir();
  std::vector<std::filesystem::path> policies;  // the organisation's own packs
};
void declare_rule_source(CLI::App& command, RuleSource& source);

// --error-format human|json, validated after parsing (its message is part of the interface).
struct ErrorFormat {
  std::string text = "human";
  [[nodiscard]] bool json() const;  // throws UsageError unless human or json
};
void declare_error_format(CLI::App& command, ErrorFormat& format);

// --quiet: no progress line (the only thing it silences; results and diagnostics stay).
void declare_quiet(CLI::App& command, bool& quiet);
// `--stats`: how the run spent its work and time, on standard error (docs/check-output.md).
void declare_stats(CLI::App& command, bool& stats);

// A comma-separated list of ids given to `option`: never empty, no empty item (`--places ''`
// must not silently mean every pack).
std::vector<std::string> id_list(const std::string& option, const std::string& text);

// Splits on `sep`, dropping empty items.
std::vector<std::string> split(const std::string& text, char sep);

// The largest `--seed` (`simulate`, `plan --scenario`): 18 digits, so that any seed prints and
// reads back exactly.
inline constexpr std::uint64_t kMaxSeed = 999'999'999'999'999'999;

// A whole number in [min, max] given to `option`, else a usage error naming the range.
std::uint64_t bounded_number(const std::string& option, const std::string& text, std::uint64_t min,
                             std::uint64_t max);

// Prints every diagnostic on stderr (human or JSON); exit 2 when any is an error, else 0.
int report_diagnostics(const Diagnostics& diags, bool json_errors);

Date today();

// `--at TEXT` (or today when absent); a bad date is diagnosed as XB-CLI-001.
std::optional<Date> date_option(const std::optional<std::string>& text, const std::string& option,
                                Diagnostics& diags);

// Wall-clock time per phase of a command, for --stats.
class PhaseClock {
 public:
  void lap(const std::string& phase);
  [[nodiscard]] const std::vector<std::pair<std::string, double>>& phases() const {
    return phases_;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> phases_;
};

// The model named on the command line: one or more files (JSON or YAML, merged into one map in
// order), one of which may be `-` for standard input (then `text` keeps what was read, for the
// report's source regions).
struct ModelInput {
  std::vector<std::string> arguments;  // as given: paths, or "-"
  std::string text;                    // standard input's text, when an argument is "-"
  // --infra PLAN.json (repeatable): Terraform plans or states imported and merged in, with the
  // overlay (--overlay FILE) saying what the plans cannot.
  std::vector<std::string> infra;
  std::optional<std::string> overlay;
  // --vendors LIST.csv (repeatable): sub-processor lists merged in; --exporter ID sends them data.
  std::vector<std::string> vendors;
  std::optional<std::string> exporter;
  // --register REGISTER.csv (repeatable): transfer registers (`report --format csv`) read back in.
  std::vector<std::string> registers;
  // --fides MANIFEST.yaml (repeatable): fideslang systems and datasets; --fides-owner ID: whose.
  std::vector<std::string> fides;
  std::optional<std::string> fides_owner;
  [[nodiscard]] bool given() const { return !arguments.empty(); }
  [[nodiscard]] bool from_stdin() const;
  // The name diagnostics and reports use for the model: the first input's path, or "<stdin>".
  [[nodiscard]] std::filesystem::path display_name() const;
  // The inputs that are files (not `-`).
  [[nodiscard]] std::vector<std::filesystem::path> files() const;
};
// The model of every input merged; warnings (Terraform resources left out) among the diagnostics.
ModelLoadResult load_model_input(ModelInput& input, const ReferenceData& reference);

// The text of a file for SARIF regions; "" when it cannot be read (a saved report input may
// name a file that is gone). `stdin_model` answers for "<stdin>".
std::string read_source_text(const std::filesystem::path& file, const ModelInput* stdin_model);

// Colour for the terminal: only when the stream is a terminal and NO_COLOR is unset or empty
// (https://no-color.org).
bool colour_on_stderr();

// One progress line on stderr, rewritten in place; only when stderr is a terminal and --quiet was
// not given, nothing otherwise. Throttled, so calling it often costs little. Clears its line when
// done or destroyed, so results and diagnostics never start mid-line.
class ProgressLine {
 public:
  explicit ProgressLine(bool quiet);
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine();
  // `total` 0: unknown, only the count is shown.
  void update(std::string_view phase, std::uint64_t done, std::uint64_t total);
  // A step with no count to show (loading a model): written at once, since no later call would.
  void phase(std::string_view phase);
  void done();
  [[nodiscard]] bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
  void show(const std::string& line);
};

}  // namespace xborder::cli
