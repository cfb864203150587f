// The list of commands and what each command's declaration leaves on its CLI11 subcommand.
#include <map>

#include "cli/command.hpp"

namespace xborder::cli {

// Each is defined in its own file, cli/NAME.cpp.
CommandSpec check_command();
CommandSpec graph_command();
CommandSpec validate_command();
CommandSpec report_command();
CommandSpec rules_command();
CommandSpec compare_command();
CommandSpec simulate_command();
CommandSpec plan_command();
CommandSpec init_command();
CommandSpec import_command();

const std::vector<CommandSpec>& all_commands() {
  static const std::vector<CommandSpec> commands = {
      check_command(),   graph_command(),    validate_command(), report_command(), rules_command(),
      compare_command(), simulate_command(), plan_command(),     init_command(),   import_command(),
  };
  return commands;
}

namespace {

// CLI11 keeps no user data on a subcommand; these tables do, keyed by the subcommand, which lives
// as long as the application object that owns it (one per process).
std::map<const CLI::App*, std::string>& examples() {
  static std::map<const CLI::App*, std::string> table;
  return table;
}
std::map<const CLI::App*, CommandRun>& runs() {
  static std::map<const CLI::App*, CommandRun> table;
  return table;
}

}  // namespace

void set_example(CLI::App& command, const std::string& example) {
  examples()[&command] = example;
  command.footer("example:\n  " + example);
}

std::string example_of(const CLI::App& command) {
  const auto it = examples().find(&command);
  return it == examples().end() ? "" : it->second;
}

void set_run(CLI::App& command, CommandRun run) {
  runs()[&command] = std::move(run);
}

const CommandRun* run_of(const CLI::App& command) {
  const auto it = runs().find(&command);
  return it == runs().end() ? nullptr : &it->second;
}

}  // namespace xborder::cli
