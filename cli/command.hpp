// A command of the command line, declared once. Its file (cli/check.cpp, cli/graph.cpp, …)
// declares the options on a CLI11 subcommand and returns what runs it; the parser, its --help,
// the completion scripts and the man page are all made from that declaration (cli/README.md,
// "Adding a command").
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace xborder::cli {

// Runs a parsed command; returns the exit code (common.hpp: kExitOk …).
using CommandRun = std::function<int()>;

struct CommandSpec {
  std::string name;     // `xborder NAME`
  std::string summary;  // one line, for the global --help and the completion scripts
  // Declares the options and positionals on `command` (already named and described), bound to
  // storage that the run given to set_run owns. A command with nested subcommands (`rules list`)
  // declares them here and sets a run on each; the innermost one on the command line runs.
  std::function<void(CLI::App& command)> declare;
};

// Every command, in the order of the global --help (cli/commands.cpp).
const std::vector<CommandSpec>& all_commands();

// Sets the example shown at the end of a command's --help (and in the man page): a command
// line that works from the repository's root.
void set_example(CLI::App& command, const std::string& example);
// The example set by set_example, "" when none.
std::string example_of(const CLI::App& command);

// What runs `command` once parsed; nullptr when it has none of its own (only nested ones).
void set_run(CLI::App& command, CommandRun run);
const CommandRun* run_of(const CLI::App& command);

}  // namespace xborder::cli
