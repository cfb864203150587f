// `xborder rules list|diff|lint`: the rule base itself — what is in force at a date, what changed
// between two dates, and the provenance lint (exit 1 when a pack has a defect).
#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "reports/rules_report.hpp"
#include "solver/rule_catalog.hpp"

namespace xborder::cli {
namespace {

// What list, diff and lint share.
struct RulesArgs {
  RuleSource source;
  std::optional<std::string> places;
  std::string format = "text";
  ErrorFormat error_format;
};

struct LoadedRules {
  ReferenceData reference;
  RuleLoadResult loaded;
};

std::optional<LoadedRules> load(const RulesArgs& a, Diagnostics& diags) {
  const auto places = a.places ? id_list("--places", *a.places) : std::vector<std::string>{};
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return std::nullopt;
  auto loaded =
      load_rule_base(a.source.rules, reference->country_codes(), places, a.source.policies);
  return LoadedRules{std::move(*reference), std::move(loaded)};
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

// --brief: one line per item, columns apart by two spaces, for grep and a quick look.
std::string brief_line(const CatalogueItem& item) {
  return item.kind + "  " + item.place + "  " + item.id + "  " + item.valid.to_string() + "  " +
         item.title + "\n";
}

void check_format(const RulesArgs& a) {
  if (a.format != "text" && a.format != "json")
    throw UsageError{"`--format` is text or json, not `" + a.format + "`"};
}

struct ListArgs : RulesArgs {
  std::optional<std::string> at;
  bool brief = false;
};

int run_list(const ListArgs& a) {
  const bool json_errors = a.error_format.json();
  check_format(a);
  Diagnostics diags;
  auto loaded = load(a, diags);
  if (!loaded) return report_diagnostics(diags, json_errors);
  diags.append(loaded->loaded.diagnostics);
  if (!loaded->loaded.rules) return report_diagnostics(diags, json_errors);
  const auto at = date_option(a.at, "--at", diags);
  if (!at) return report_diagnostics(diags, json_errors);
  const auto items = in_force(*loaded->loaded.rules, *at);
  if (a.format == "json") {
    std::cout << rules_in_force_to_json(items, *at).dump(2) << "\n";
  } else if (a.brief) {
    for (const auto& item : items) std::cout << brief_line(item);
  } else {
    std::cout << "in force at " << at->to_string() << ": " << items.size()
              << " rules, facts and reach declarations\n\n";
    for (const auto& item : items) std::cout << item_line(item);
  }
  return kExitOk;
}

struct DiffArgs : RulesArgs {
  std::string from;
  std::string to;
};

int run_diff(const DiffArgs& a) {
  const bool json_errors = a.error_format.json();
  check_format(a);
  Diagnostics diags;
  auto loaded = load(a, diags);
  if (!loaded) return report_diagnostics(diags, json_errors);
  diags.append(loaded->loaded.diagnostics);
  if (!loaded->loaded.rules) return report_diagnostics(diags, json_errors);
  const auto from = date_option(a.from, "--from", diags);
  const auto to = date_option(a.to, "--to", diags);
  if (!from || !to) return report_diagnostics(diags, json_errors);
  const auto changes = changes_between(*loaded->loaded.rules, *from, *to);
  if (a.format == "json") {
    std::cout << rule_changes_to_json(changes, *from, *to).dump(2) << "\n";
  } else {
    std::cout << "between " << from->to_string() << " and " << to->to_string() << ": "
              << changes.size() << " changes\n\n";
    for (const auto& c : changes) std::cout << (c.started ? "+ " : "- ") << item_line(c.item);
  }
  return kExitOk;
}

int run_lint(const RulesArgs& a) {
  const bool json_errors = a.error_format.json();
  Diagnostics diags;
  auto loaded = load(a, diags);
  if (!loaded) return report_diagnostics(diags, json_errors);
  if (!loaded->loaded.rules) {
    // Unknown vocabulary is a lint defect (exit 1); any other load error is invalid input (2).
    diags.append(lint_load_errors(loaded->loaded.diagnostics));
    const bool only_vocabulary =
        std::all_of(diags.items().begin(), diags.items().end(), [](const Diagnostic& d) {
          return d.severity != Severity::kError || d.code == "XB-LINT-008";
        });
    report_diagnostics(diags, json_errors);
    return only_vocabulary ? kExitViolations : kExitInvalidInput;
  }
  diags.append(loaded->loaded.diagnostics);
  const RuleBase& rules = *loaded->loaded.rules;
  diags.append(lint(rules, today()));
  diags.append(vector_coverage(rules, a.source.rules));
  if (diags.items().empty()) {
    std::cout << "rules lint: " << rules.rules.size() << " rules in " << rules.packs.size()
              << " packs, no defects\n";
    return kExitOk;
  }
  report_diagnostics(diags, json_errors);
  return diags.has_errors() ? kExitViolations : kExitOk;
}

void declare_shared(CLI::App& command, RulesArgs& args, bool with_format) {
  declare_rule_source(command, args.source);
  command.add_option("--places", args.places, "only these places' rule packs")->type_name("ID,ID");
  if (with_format) {
    command.add_option("--format", args.format, "text for people, json for programs")
        ->type_name("text|json")
        ->capture_default_str();
  }
  declare_error_format(command, args.error_format);
}

void declare_rules(CLI::App& command) {
  command.require_subcommand(1);

  auto& list = *command.add_subcommand("list", "the rules, facts and reach declarations in force");
  auto list_args = std::make_shared<ListArgs>();
  list.add_option("--at", list_args->at, "the date")->type_name("YYYY-MM-DD")->default_str("today");
  declare_shared(list, *list_args, true);
  list.add_flag("--brief", list_args->brief, "one line per item: kind, place, id, validity, title");
  set_example(list, "xborder rules list --places jp-appi --brief");
  set_run(list, [list_args] { return run_list(*list_args); });

  auto& diff = *command.add_subcommand("diff", "what started or ended between two dates");
  auto diff_args = std::make_shared<DiffArgs>();
  diff.add_option("--from", diff_args->from, "the earlier date")
      ->type_name("YYYY-MM-DD")
      ->required();
  diff.add_option("--to", diff_args->to, "the later date")->type_name("YYYY-MM-DD")->required();
  declare_shared(diff, *diff_args, true);
  set_example(diff, "xborder rules diff --from 2020-07-15 --to 2020-07-17");
  set_run(diff, [diff_args] { return run_diff(*diff_args); });

  auto& lint_command = *command.add_subcommand(
      "lint", "check the packs' provenance and validity (exit 1: a defect)");
  auto lint_args = std::make_shared<RulesArgs>();
  declare_shared(lint_command, *lint_args, false);
  set_example(lint_command, "xborder rules lint --policies my-policies/");
  set_run(lint_command, [lint_args] { return run_lint(*lint_args); });

  set_example(command, "xborder rules list --at 2020-07-01");
}

}  // namespace

CommandSpec rules_command() {
  return {"rules", "the rule base: list what is in force, diff two dates, lint the packs",
          declare_rules};
}

}  // namespace xborder::cli
