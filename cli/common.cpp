#include "cli/common.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "importers/fides.hpp"
#include "importers/register.hpp"
#include "importers/subprocessors.hpp"
#include "importers/terraform.hpp"
#include "model/json_reader.hpp"
#include "model/model_sources.hpp"

namespace xborder::cli {

void declare_rule_source(CLI::App& command, RuleSource& source) {
  command.add_option("--rules", source.rules, "the rule packs to read instead of the shipped ones")
      ->type_name("DIR")
      ->default_str("the shipped jurisdictions/");
  command
      .add_option("--policies", source.policies,
                  "your organisation's own packs, beside the shipped ones (repeatable)")
      ->type_name("FILE|DIR");
}

bool ErrorFormat::json() const {
  if (text != "human" && text != "json")
    throw UsageError{"--error-format must be `human` or `json`"};
  return text == "json";
}

void declare_error_format(CLI::App& command, ErrorFormat& format) {
  command.add_option("--error-format", format.text, "how diagnostics are written on stderr")
      ->type_name("human|json")
      ->default_str("human");
}

void declare_quiet(CLI::App& command, bool& quiet) {
  command.add_flag("-q,--quiet", quiet, "no progress line on stderr");
}

void declare_stats(CLI::App& command, bool& stats) {
  command.add_flag("--stats", stats, "how the time was spent, on stderr");
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (c == sep) {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

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

std::uint64_t bounded_number(const std::string& option, const std::string& text, std::uint64_t min,
                             std::uint64_t max) {
  constexpr std::size_t kMaxDigits = 18;  // fits in 64 bits, whatever the digits
  const bool digits =
      !text.empty() && text.size() <= kMaxDigits &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const std::uint64_t n = digits ? std::stoull(text) : 0;
  if (!digits || n < min || n > max) {
    throw UsageError{"`" + option + "` needs a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", not `" + text + "`"};
  }
  return n;
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
      if (d.line > 0) {
        out.back()["line"] = d.line;
        out.back()["column"] = d.column;
      }
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

Date today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date::from_days(static_cast<int>(now.time_since_epoch().count()));
}

std::optional<Date> date_option(const std::optional<std::string>& text, const std::string& option,
                                Diagnostics& diags) {
  if (!text) return today();
  auto d = Date::parse(*text);
  if (!d) {
    diags.error("XB-CLI-001", "<command line>", "", "`" + option + " " + *text + "` is not a date",
                "write " + option + " YYYY-MM-DD");
  }
  return d;
}

void PhaseClock::lap(const std::string& phase) {
  const auto now = std::chrono::steady_clock::now();
  phases_.emplace_back(phase, std::chrono::duration<double, std::milli>(now - last_).count());
  last_ = now;
}

bool ModelInput::from_stdin() const {
  return std::find(arguments.begin(), arguments.end(), kStdinArgument) != arguments.end();
}

std::filesystem::path ModelInput::display_name() const {
  if (arguments.empty()) return {};
  return arguments.front() == kStdinArgument ? std::filesystem::path("<stdin>")
                                             : std::filesystem::path(arguments.front());
}

std::vector<std::filesystem::path> ModelInput::files() const {
  std::vector<std::filesystem::path> out;
  for (const auto& a : arguments)
    if (a != kStdinArgument) out.emplace_back(a);
  return out;
}

namespace {
// Standard input's text, bounded like a file (kMaxInputFileBytes): a pipe that never ends must not
// exhaust memory.
std::optional<std::string> read_stdin(Diagnostics& diags) {
  const std::filesystem::path name("<stdin>");
  std::string text;
  char buffer[1 << 16];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > kMaxInputFileBytes) {
      diags.error("XB-MODEL-001", name, "",
                  "standard input is larger than the limit of " +
                      std::to_string(kMaxInputFileBytes / (1024 * 1024)) + " MiB",
                  "split the model, or check what is piped in");
      return std::nullopt;
    }
  }
  if (std::cin.bad()) {
    diags.error("XB-MODEL-001", name, "", "cannot read standard input",
                "pipe a JSON or YAML model into `xborder`");
    return std::nullopt;
  }
  return text;
}
}  // namespace

ModelLoadResult load_model_input(ModelInput& input, const ReferenceData& reference) {
  ModelLoadResult result;
  if (std::count(input.arguments.begin(), input.arguments.end(), kStdinArgument) > 1)
    throw UsageError{"`-` (standard input) can be given once"};
  std::vector<ModelDocument> documents;
  for (const auto& argument : input.arguments) {
    std::optional<ModelDocument> doc;
    if (argument == kStdinArgument) {
      auto text = read_stdin(result.diagnostics);
      if (!text) continue;
      input.text = std::move(*text);
      doc = parse_model_document(input.text, "<stdin>", result.diagnostics);
    } else {
      doc = read_model_document(argument, result.diagnostics);
    }
    if (doc) documents.push_back(std::move(*doc));
  }
  if (!input.infra.empty()) {
    std::optional<TerraformOverlay> overlay;
    if (input.overlay) overlay = read_terraform_overlay(*input.overlay, result.diagnostics);
    auto locations =
        CloudLocations::load(CloudLocations::default_file(), reference, result.diagnostics);
    if (!locations || (input.overlay && !overlay)) return result;
    for (const auto& plan : input.infra) {
      auto imported = import_terraform_file(plan, reference, *locations,
                                            overlay ? &*overlay : nullptr, result.diagnostics);
      if (imported) documents.push_back(std::move(imported->document));
    }
  }
  for (const auto& list : input.vendors) {
    SubprocessorOptions options;
    if (input.exporter) options.exporter = *input.exporter;
    if (auto doc = import_subprocessors_file(list, reference, options, result.diagnostics))
      documents.push_back(std::move(*doc));
  }
  for (const auto& file : input.registers) {
    if (auto doc = import_register_file(file, reference, result.diagnostics))
      documents.push_back(std::move(*doc));
  }
  if (!input.fides.empty()) {
    auto fides_data = FidesData::load(FidesData::default_dir(), result.diagnostics);
    if (!fides_data) return result;
    FidesOptions options;
    if (input.fides_owner) options.owner = *input.fides_owner;
    for (const auto& file : input.fides) {
      if (auto imported =
              import_fides_file(file, reference, *fides_data, options, result.diagnostics))
        documents.push_back(std::move(imported->document));
    }
  }
  if (input.fides_owner && input.fides.empty())
    throw UsageError{"`--fides-owner` names whose systems the manifests of `--fides FILE` are"};
  if (input.exporter && input.vendors.empty())
    throw UsageError{"`--exporter` names who sends data to the vendors of `--vendors LIST.csv`"};
  if (input.infra.empty() && input.overlay) {
    throw UsageError{
        "`--overlay` says what Terraform plans cannot: give it with `--infra PLAN.json`"};
  }
  if (result.diagnostics.has_errors()) return result;
  auto loaded = load_model_documents(documents, reference);
  result.diagnostics.append(loaded.diagnostics);
  result.model = std::move(loaded.model);
  return result;
}

std::string read_source_text(const std::filesystem::path& file, const ModelInput* stdin_model) {
  if (stdin_model != nullptr && stdin_model->from_stdin() && file == "<stdin>")
    return stdin_model->text;
  Diagnostics ignored;
  return read_input_file(file, ignored, "XB-CLI").value_or("");
}

bool colour_on_stderr() {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  return ::isatty(STDERR_FILENO) == 1;
}

ProgressLine::ProgressLine(bool quiet) : enabled_(!quiet && ::isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine() {
  done();
}

void ProgressLine::update(std::string_view phase, std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  // Nothing for the first half second (quick commands stay silent), then a few lines a second.
  constexpr auto kQuietStart = std::chrono::milliseconds(500);
  constexpr auto kInterval = std::chrono::milliseconds(100);
  const auto now = std::chrono::steady_clock::now();
  if (now - started_ < kQuietStart || now - last_ < kInterval) return;
  last_ = now;
  std::string line = "xborder: " + std::string(phase) + " " + std::to_string(done);
  if (total > 0) {
    line += "/" + std::to_string(total) + " (" + std::to_string(done * 100 / total) + "%)";
  }
  show(line);
}

void ProgressLine::phase(std::string_view phase) {
  if (!enabled_) return;
  last_ = std::chrono::steady_clock::now();
  show("xborder: " + std::string(phase) + " …");
}

void ProgressLine::show(const std::string& line) {
  // \r and "erase to the end of the line": the next line replaces this one in place.
  std::cerr << "\r\033[K" << line << std::flush;
  shown_ = true;
}

void ProgressLine::done() {
  if (!shown_) return;
  std::cerr << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace xborder::cli
