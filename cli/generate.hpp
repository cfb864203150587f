// What is made from the commands' declarations besides the parser and --help: the bash and zsh
// completion scripts (`xborder completion bash|zsh`) and the man page (`xborder help-man`, run
// at build time into build/cli/xborder.1).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace xborder::cli {

std::string bash_completion(const CLI::App& app);
std::string zsh_completion(const CLI::App& app);
// troff for man(1): the commands, each with its options, defaults and example; `exit_codes` is
// the EXIT STATUS section's text, one status a line ("0  nothing violated").
std::string man_page(const CLI::App& app, const std::string& version,
                     const std::string& exit_codes);

}  // namespace xborder::cli
