// xborder: the command line. Builds one CLI11 application from the commands' declarations
// (cli/commands.cpp lists them, one file each), parses, runs the command, and turns every mistake
// into a message a person can act on.
// Exit codes: 0 nothing violated, 1 violations, 2 invalid input, 3 internal error.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "cli/generate.hpp"
#include "reports/check_report.hpp"

namespace {

using namespace xborder;
using namespace xborder::cli;

const char* const kExitCodes =
    "0  nothing violated (report: written; compare: the regimes agree)\n"
    "1  violations found (compare: the regimes differ; rules lint: a defect)\n"
    "2  invalid input: every diagnostic with its file, JSON pointer, message and hint\n"
    "3  internal error\n";

std::string version_text() {
  return std::string("xborder ") + kToolVersion + " (check output schema " + kCheckSchemaVersion +
         ")";
}

// CLI11's help, with the defaults after the description ("(default: today)") rather than glued
// to the type name (`--at YYYY-MM-DD=today`), and positionals by what they are (MODEL.json).
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* option) const override {
    if (option->get_type_size() == 0) return "";
    std::string out;
    if (!option->get_positional() && !option->get_type_name().empty())
      out += " " + option->get_type_name();
    if (option->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
    if (option->get_required()) out += " (required)";
    return out;
  }
  std::string make_option_desc(const CLI::Option* option) const override {
    if (option->get_default_str().empty()) return option->get_description();
    return option->get_description() + " (default: " + option->get_default_str() + ")";
  }
  std::string make_option_usage(const CLI::Option* option) const override {
    std::string out =
        option->get_type_name().empty() ? option->get_name() : option->get_type_name();
    if (option->get_expected_max() >= CLI::detail::expected_max_vector_size) out += "...";
    return option->get_required() ? out : "[" + out + "]";
  }
};

// The meta commands: made from the others' declarations, they run no check.
void declare_completion(CLI::App& app, const CLI::App& root) {
  auto& command = *app.add_subcommand("completion", "print the bash or zsh completion script");
  auto shell = std::make_shared<std::string>();
  command.add_option("SHELL", *shell, "the shell")->type_name("bash|zsh")->required();
  set_example(command, "source <(xborder completion bash)");
  set_run(command, [shell, &root] {
    if (*shell == "bash") {
      std::cout << bash_completion(root);
    } else if (*shell == "zsh") {
      std::cout << zsh_completion(root);
    } else {
      throw UsageError{"`completion` is for bash or zsh, not `" + *shell + "`"};
    }
    return kExitOk;
  });
}

void declare_help_man(CLI::App& app, const CLI::App& root) {
  // Hidden (empty group): the build runs it to write build/cli/xborder.1.
  auto& command = *app.add_subcommand("help-man", "write the man page (troff)");
  command.group("");
  auto file = std::make_shared<std::string>();
  command.add_option("FILE", *file, "where to write it (default: standard output)");
  set_run(command, [file, &root] {
    const std::string page = man_page(root, kToolVersion, kExitCodes);
    if (file->empty()) {
      std::cout << page;
      return kExitOk;
    }
    std::ofstream out(*file, std::ios::binary);
    out << page;
    if (!out) {
      std::cerr << "error: cannot write " << *file << ": " << std::strerror(errno) << "\n";
      return kExitInternal;
    }
    return kExitOk;
  });
}

std::unique_ptr<CLI::App> make_app() {
  auto app = std::make_unique<CLI::App>(
      "checks whether regulated data may lawfully travel along a transfer graph", "xborder");
  // Before the subcommands: each takes its parent's formatter when it is added.
  app->formatter(std::make_shared<HelpFormatter>());
  app->require_subcommand(1);
  app->set_help_all_flag("", "");
  app->set_version_flag("--version", version_text(), "the version and the check output schema");
  app->footer(
      "MODEL is JSON or YAML; several MODELs are merged into one map, and `-` reads one from "
      "standard input. --policies adds your organisation's "
      "own packs (internal policies, contract terms) to the shipped ones; repeat it for several "
      "files or directories. Progress goes to stderr on a terminal only (--quiet: none).\n\n"
      "exit codes:\n" +
      std::string(kExitCodes) + "\nrun `xborder COMMAND --help` for a command's options");
  for (const auto& spec : all_commands()) {
    auto& command = *app->add_subcommand(spec.name, spec.summary);
    spec.declare(command);
  }
  declare_completion(*app, *app);
  declare_help_man(*app, *app);
  return app;
}

// The names `app` accepts as its next word: its subcommands.
std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

// "did you mean `x`? (one of `a`, `b`, …)": the nearest name when there is one, and every name,
// since there are few; never empty.
std::string choice_hint(const std::string& word, const std::vector<std::string>& names) {
  std::string listed;
  for (const auto& n : names) listed += (listed.empty() ? "`" : ", `") + n + "`";
  if (auto nearest = closest_match(word, names))
    return "did you mean `" + *nearest + "`? (one of " + listed + ")";
  return "expected one of " + listed;
}

// An unknown command word, before CLI11 sees it (it would say only "a subcommand is required",
// or treat the word as the model): `xborder frobnicate`, `xborder rules show`.
void check_command_words(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* level = &app;
  std::string path = "xborder";
  for (const auto& word : args) {
    if (word.empty() || word[0] == '-') return;  // options: CLI11's part
    const auto names = command_names(*level);
    if (names.empty()) return;
    const CLI::App* next = nullptr;
    for (const auto* sub : level->get_subcommands([](const CLI::App*) { return true; }))
      if (sub->get_name() == word) next = sub;
    if (next == nullptr) {
      std::vector<std::string> visible;
      for (const auto* sub :
           level->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
        visible.push_back(sub->get_name());
      throw UsageError{"unknown command `" + word + "` for `" + path + "`; " +
                       choice_hint(word, visible)};
    }
    level = next;
    path += " " + word;
  }
}

// The innermost subcommand given on the command line, the root when none.
const CLI::App& innermost(const CLI::App& app) {
  const CLI::App* level = &app;
  while (true) {
    const auto parsed = level->get_subcommands([](const CLI::App* s) { return s->parsed(); });
    if (parsed.empty()) return *level;
    level = parsed.front();
  }
}

std::string command_path(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* c = &command; c != nullptr; c = c->get_parent())
    names.push_back(c->get_name());
  std::string out;
  for (auto it = names.rbegin(); it != names.rend(); ++it) out += (out.empty() ? "" : " ") + *it;
  return out;
}

std::vector<std::string> option_names(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const auto& l : option->get_lnames()) names.push_back("--" + l);
    for (const auto& s : option->get_snames()) names.push_back("-" + s);
  }
  return names;
}

// CLI11's message, reworded where it is terse, with the command it is about.
std::string parse_error_message(const CLI::ParseError& e, const CLI::App& command) {
  const std::string what = e.what();
  const std::string path = command_path(command);
  std::smatch m;
  static const std::regex missing_value(R"(^(-[-\w]+): \d+ required (.+) missing$)");
  static const std::regex repeated(R"(^(-[-\w]+): At Most 1 required but received \d+$)");
  static const std::regex not_expected(
      R"(^The following arguments? (?:was|were) not expected: (.*)$)");
  static const std::regex required(R"(^(.+) is required$)");
  if (std::regex_match(what, m, missing_value))
    return "`" + m[1].str() + "` needs a value (" + m[2].str() + ")";
  if (std::regex_match(what, m, repeated))
    return "`" + m[1].str() + "` is given more than once; it takes one value";
  if (std::regex_match(what, m, not_expected)) {
    // The words left over; an unknown option among them is the mistake to name (the value after
    // it is left over only because of it).
    std::istringstream words(m[1].str());
    std::string word;
    while (words >> word) {
      if (word.size() > 1 && word[0] == '-') {
        const std::string option = word.substr(0, word.find('='));
        return "unknown option `" + option + "` for `" + path + "`; " +
               choice_hint(option, option_names(command));
      }
    }
    return "unexpected argument `" + m[1].str() + "` for `" + path + "`";
  }
  if (what == "A subcommand is required") {
    if (command.get_parent() == nullptr) return "no command given";
    std::vector<std::string> names = command_names(command);
    std::string listed;
    for (const auto& n : names) listed += (listed.empty() ? "`" : ", `") + n + "`";
    return "`" + path + "` needs a command: " + listed;
  }
  if (std::regex_match(what, m, required)) {
    // A positional is named by what it is (MODEL.json), as in the command's usage line.
    std::string needed = m[1].str();
    for (const CLI::Option* option : command.get_options())
      if (option->get_positional() && option->get_name() == needed &&
          !option->get_type_name().empty())
        needed = option->get_type_name();
    return "`" + path + "` needs " + needed;
  }
  return what;
}

void print_usage_error(const std::string& message, const std::string& help_command) {
  const bool colour = colour_on_stderr();
  std::cerr << (colour ? "\033[1;31merror:\033[0m " : "error: ") << printable_text(message, false)
            << "\n"
            << "run `" << help_command << " --help` for "
            << (help_command == "xborder" ? "the commands" : "its options") << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<CLI::App> app;
  try {
    app = make_app();
    std::vector<std::string> args(argv + 1, argv + argc);
    // `xborder help [COMMAND…]` is `xborder [COMMAND…] --help`.
    if (!args.empty() && args[0] == "help") {
      args.erase(args.begin());
      args.emplace_back("--help");
    }
    check_command_words(*app, args);
    // CLI11 parses from the back of a reversed vector.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
      app->parse(reversed);
    } catch (const CLI::CallForHelp&) {
      // help(PREFIX) puts the parent commands before the name: "Usage: xborder rules list".
      const CLI::App& command = innermost(*app);
      std::cout << command.help(
          command.get_parent() == nullptr ? "" : command_path(*command.get_parent()));
      return kExitOk;
    } catch (const CLI::CallForVersion&) {
      std::cout << version_text() << "\n";
      return kExitOk;
    } catch (const CLI::ParseError& e) {
      const CLI::App& command = innermost(*app);
      print_usage_error(parse_error_message(e, command), command_path(command));
      return kExitInvalidInput;
    }
    const CLI::App& command = innermost(*app);
    const CommandRun* run = run_of(command);
    if (run == nullptr) throw std::logic_error("`" + command_path(command) + "` has no run");
    try {
      return (*run)();
    } catch (const UsageError& e) {
      print_usage_error(e.message, command_path(command));
      return kExitInvalidInput;
    }
  } catch (const UsageError& e) {
    print_usage_error(e.message, "xborder");
    return kExitInvalidInput;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
