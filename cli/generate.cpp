#include "cli/generate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <vector>

#include "cli/command.hpp"

namespace xborder::cli {
namespace {

// The commands to document: those with a name, a description and a group (CLI11 hides a
// subcommand by giving it the empty group).
std::vector<const CLI::App*> visible_commands(const CLI::App& app) {
  return app.get_subcommands(
      [](const CLI::App* sub) { return !sub->get_group().empty() && !sub->get_name().empty(); });
}

enum class ValueCompletion { kNone, kWords, kFile, kDirectory };

// How an option is completed, read from the type name its declaration gave: `text|json` lists
// the words, FILE or *.json a file, DIR a directory.
struct OptionShape {
  std::vector<std::string> names;  // -o, --output
  bool takes_value = false;
  ValueCompletion completion = ValueCompletion::kNone;
  std::vector<std::string> words;
};

bool is_word_list(const std::string& type_name) {
  return type_name.find('|') != std::string::npos &&
         std::all_of(type_name.begin(), type_name.end(), [](char c) {
           return std::islower(static_cast<unsigned char>(c)) ||
                  std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '|';
         });
}

OptionShape shape_of(const CLI::Option& option) {
  OptionShape shape;
  for (const auto& s : option.get_snames()) shape.names.push_back("-" + s);
  for (const auto& l : option.get_lnames()) shape.names.push_back("--" + l);
  // A flag is the one kind of option without a type name (CLI11 names every value: TEXT, INT).
  shape.takes_value = !option.get_type_name().empty();
  const std::string type_name = option.get_type_name();
  if (!shape.takes_value) return shape;
  if (is_word_list(type_name)) {
    shape.completion = ValueCompletion::kWords;
    std::string word;
    std::istringstream in(type_name);
    while (std::getline(in, word, '|')) shape.words.push_back(word);
  } else if (type_name.find("FILE") != std::string::npos ||
             type_name.find(".json") != std::string::npos ||
             type_name.find(".yaml") != std::string::npos) {
    shape.completion = ValueCompletion::kFile;
  } else if (type_name.find("DIR") != std::string::npos) {
    shape.completion = ValueCompletion::kDirectory;
  }
  return shape;
}

std::vector<OptionShape> named_options(const CLI::App& command) {
  std::vector<OptionShape> out;
  for (const CLI::Option* option : command.get_options())
    if (option->nonpositional()) out.push_back(shape_of(*option));
  return out;
}

// Whether the command's positional arguments are files (MODEL.json, SCENARIO.json).
bool positionals_are_files(const CLI::App& command) {
  for (const CLI::Option* option : command.get_options()) {
    if (!option->get_positional()) continue;
    const std::string type_name = option->get_type_name();
    if (type_name.find(".json") != std::string::npos ||
        type_name.find(".yaml") != std::string::npos)
      return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

std::vector<std::string> names_of(const std::vector<const CLI::App*>& commands) {
  std::vector<std::string> out;
  for (const auto* c : commands) out.push_back(c->get_name());
  return out;
}

// ---- bash

// The `case` arm completing one command's options and positionals.
void bash_command_arm(std::ostringstream& out, const std::string& pattern,
                      const CLI::App& command) {
  const auto options = named_options(command);
  std::vector<std::string> all_names;
  for (const auto& o : options) all_names.insert(all_names.end(), o.names.begin(), o.names.end());
  out << "    " << pattern << ")\n";
  out << "      case \"$prev\" in\n";
  for (const auto& o : options) {
    if (!o.takes_value) continue;
    out << "        " << join(o.names, "|") << ")\n";
    switch (o.completion) {
      case ValueCompletion::kWords:
        out << "          COMPREPLY=($(compgen -W \"" << join(o.words, " ") << "\" -- \"$cur\"))\n";
        break;
      case ValueCompletion::kFile:
        out << "          COMPREPLY=($(compgen -f -- \"$cur\"))\n";
        break;
      case ValueCompletion::kDirectory:
        out << "          COMPREPLY=($(compgen -d -- \"$cur\"))\n";
        break;
      case ValueCompletion::kNone:
        out << "          COMPREPLY=()\n";
        break;
    }
    out << "          return ;;\n";
  }
  out << "      esac\n";
  out << "      if [[ \"$cur\" == -* ]]; then\n";
  out << "        COMPREPLY=($(compgen -W \"" << join(all_names, " ") << "\" -- \"$cur\"))\n";
  if (positionals_are_files(command)) {
    out << "      else\n";
    out << "        COMPREPLY=($(compgen -f -- \"$cur\"))\n";
  }
  out << "      fi\n";
  out << "      return ;;\n";
}

// ---- zsh

// Text inside a single-quoted _arguments spec: no quote, no brackets, no colon.
std::string zsh_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else if (c == '[' || c == ']') {
      out += c == '[' ? '(' : ')';
    } else if (c == ':') {
      out += "\\:";
    } else {
      out += c;
    }
  }
  return out;
}

void zsh_arguments(std::ostringstream& out, const CLI::App& command, const std::string& indent) {
  out << indent << "_arguments -s";
  for (const CLI::Option* option : command.get_options()) {
    if (!option->nonpositional()) continue;
    const auto shape = shape_of(*option);
    const std::string description = zsh_text(option->get_description());
    const bool repeatable = option->get_items_expected_max() > 1 || !shape.takes_value;
    std::string action;
    if (shape.takes_value) {
      switch (shape.completion) {
        case ValueCompletion::kWords:
          action = ":" + zsh_text(option->get_type_name()) + ":(" + join(shape.words, " ") + ")";
          break;
        case ValueCompletion::kFile:
          action = ":" + zsh_text(option->get_type_name()) + ":_files";
          break;
        case ValueCompletion::kDirectory:
          action = ":" + zsh_text(option->get_type_name()) + ":_files -/";
          break;
        case ValueCompletion::kNone:
          action = ":" + zsh_text(option->get_type_name()) + ": ";
          break;
      }
    }
    for (const auto& name : shape.names) {
      out << " \\\n"
          << indent << "  '" << (repeatable && shape.takes_value ? "*" : "") << name << "["
          << description << "]" << action << "'";
    }
  }
  if (positionals_are_files(command)) {
    out << " \\\n" << indent << "  '*:file:_files'";
  } else {
    for (const CLI::Option* option : command.get_options()) {
      if (option->get_positional())
        out << " \\\n" << indent << "  '*:" << zsh_text(option->get_type_name()) << ": '";
    }
  }
  out << "\n";
}

void zsh_describe(std::ostringstream& out, const std::vector<const CLI::App*>& commands,
                  const std::string& indent) {
  out << indent << "local -a commands\n" << indent << "commands=(";
  for (const auto* c : commands)
    out << "\n" << indent << "  '" << c->get_name() << ":" << zsh_text(c->get_description()) << "'";
  out << "\n" << indent << ")\n";
  out << indent << "_describe 'command' commands\n";
}

// ---- man

// Text for troff: backslashes doubled, hyphens as \- (they are options), and no line starting
// with a control character.
std::string troff(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (text[i] == '\\') {
      out += "\\e";
    } else if (text[i] == '-') {
      out += "\\-";
    } else if (byte >= 0x80) {
      // troff reads bytes, not UTF-8: a code point is written \[uXXXX].
      const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
      std::uint32_t code = byte & (length == 4 ? 0x07U : length == 3 ? 0x0FU : 0x1FU);
      for (std::size_t k = 1; k < length && i + k < text.size(); ++k)
        code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
      i += length - 1;
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "\\[u%04X]", static_cast<unsigned>(code));
      out += buffer;
    } else {
      out += text[i];
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string usage_line(const CLI::App& command, const std::string& path) {
  std::string out = "xborder " + path;
  for (const CLI::Option* option : command.get_options()) {
    if (!option->get_positional()) continue;
    const std::string name = option->get_type_name();
    const bool many = option->get_items_expected_max() > 1;
    out += " " + std::string(option->get_required() ? "" : "[") + name + (many ? "…" : "") +
           (option->get_required() ? "" : "]");
  }
  out += " [OPTIONS]";
  return out;
}

void man_command(std::ostringstream& out, const CLI::App& command, const std::string& path) {
  if (run_of(command) != nullptr) {
    out << ".SS \"" << troff(usage_line(command, path)) << "\"\n";
  } else {
    out << ".SS \"" << troff("xborder " + path + " COMMAND") << "\"\n";
  }
  out << troff(command.get_description()) << "\n";
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_lnames().size() == 1 && option->get_lnames()[0] == "help") continue;
    out << ".TP\n";
    std::string names;
    if (option->get_positional()) {
      names = "\\fI" + troff(option->get_type_name()) + "\\fR";
    } else {
      for (const auto& name : shape_of(*option).names)
        names += (names.empty() ? "" : ", ") + std::string("\\fB") + troff(name) + "\\fR";
      if (shape_of(*option).takes_value) names += " \\fI" + troff(option->get_type_name()) + "\\fR";
    }
    out << names << "\n" << troff(option->get_description());
    if (!option->get_default_str().empty())
      out << " (default: " << troff(option->get_default_str()) << ")";
    out << "\n";
  }
  if (const std::string example = example_of(command); !example.empty()) {
    out << ".PP\nExample:\n.PP\n.RS\n.nf\n" << troff(example) << "\n.fi\n.RE\n";
  }
  for (const auto* sub : visible_commands(command)) {
    man_command(out, *sub, path + " " + sub->get_name());
  }
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  std::ostringstream out;
  const auto commands = visible_commands(app);
  out << "# bash completion for xborder, made by `xborder completion bash` from the commands'\n"
         "# declarations. Load it with: source <(xborder completion bash)\n";
  out << "_xborder() {\n";
  out << "  local cur prev\n";
  out << "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n";
  out << "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n";
  out << "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n";
  out << "    COMPREPLY=($(compgen -W \"" << join(names_of(commands), " ")
      << " --help --version\" -- \"$cur\"))\n";
  out << "    return\n";
  out << "  fi\n";
  out << "  local command=\"${COMP_WORDS[1]}\"\n";
  // Nested commands (`rules list`): the second word picks the subcommand.
  out << "  if [ \"$COMP_CWORD\" -ge 2 ]; then\n";
  out << "    case \"$command\" in\n";
  for (const auto* c : commands) {
    const auto nested = visible_commands(*c);
    if (nested.empty()) continue;
    out << "      " << c->get_name() << ")\n";
    out << "        if [ \"$COMP_CWORD\" -eq 2 ]; then\n";
    out << "          COMPREPLY=($(compgen -W \"" << join(names_of(nested), " ")
        << "\" -- \"$cur\"))\n";
    out << "          return\n";
    out << "        fi\n";
    out << "        command=\"$command ${COMP_WORDS[2]}\" ;;\n";
  }
  out << "    esac\n";
  out << "  fi\n";
  out << "  case \"$command\" in\n";
  for (const auto* c : commands) {
    const auto nested = visible_commands(*c);
    if (nested.empty()) {
      bash_command_arm(out, c->get_name(), *c);
    } else {
      for (const auto* n : nested)
        bash_command_arm(out, "\"" + c->get_name() + " " + n->get_name() + "\"", *n);
    }
  }
  out << "  esac\n";
  out << "}\n";
  out << "complete -o filenames -o bashdefault -F _xborder xborder\n";
  return out.str();
}

std::string zsh_completion(const CLI::App& app) {
  std::ostringstream out;
  const auto commands = visible_commands(app);
  out << "#compdef xborder\n"
         "# zsh completion for xborder, made by `xborder completion zsh` from the commands'\n"
         "# declarations. Save it as _xborder in a directory of $fpath.\n";
  out << "_xborder() {\n";
  out << "  if (( CURRENT == 2 )); then\n";
  zsh_describe(out, commands, "    ");
  out << "    return\n";
  out << "  fi\n";
  out << "  local command=$words[2]\n";
  out << "  shift words\n";
  out << "  (( CURRENT-- ))\n";
  out << "  case $command in\n";
  for (const auto* c : commands) {
    out << "    " << c->get_name() << ")\n";
    const auto nested = visible_commands(*c);
    if (nested.empty()) {
      zsh_arguments(out, *c, "      ");
    } else {
      out << "      if (( CURRENT == 2 )); then\n";
      zsh_describe(out, nested, "        ");
      out << "        return\n";
      out << "      fi\n";
      out << "      local nested=$words[2]\n";
      out << "      shift words\n";
      out << "      (( CURRENT-- ))\n";
      out << "      case $nested in\n";
      for (const auto* n : nested) {
        out << "        " << n->get_name() << ")\n";
        zsh_arguments(out, *n, "          ");
        out << "          ;;\n";
      }
      out << "      esac\n";
    }
    out << "      ;;\n";
  }
  out << "  esac\n";
  out << "}\n";
  out << "_xborder \"$@\"\n";
  return out.str();
}

std::string man_page(const CLI::App& app, const std::string& version,
                     const std::string& exit_codes) {
  std::ostringstream out;
  out << ".\\\" Made by `xborder help-man` from the commands' declarations; do not edit.\n";
  out << ".TH XBORDER 1 \"\" \"xborder " << troff(version) << "\" \"User Commands\"\n";
  out << ".SH NAME\nxborder \\- " << troff(app.get_description()) << "\n";
  out << ".SH SYNOPSIS\n.B xborder\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n"
         ".B xborder\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n.br\n"
         ".B xborder\n\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR\n";
  out << ".SH COMMANDS\n";
  for (const auto* c : visible_commands(app)) man_command(out, *c, c->get_name());
  out << ".SH EXIT STATUS\n";
  std::istringstream lines(exit_codes);
  std::string line;
  while (std::getline(lines, line)) out << troff(line) << "\n.br\n";
  out << ".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nWhen set and not empty, no colour in messages "
         "(colour is only ever used on a terminal).\n";
  return out.str();
}

}  // namespace xborder::cli
