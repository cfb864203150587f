// `xborder import terraform|subprocessors|register|fides`: a Terraform plan or state, a
// sub-processor list, a transfer register or a Fides manifest as a part of a transfer model (YAML
// with a comment header saying what was read, or JSON), with what was not understood warned about.
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/common.hpp"
#include "importers/fides.hpp"
#include "importers/register.hpp"
#include "importers/subprocessors.hpp"
#include "importers/terraform.hpp"

namespace xborder::cli {
namespace {

struct ImportTerraformArgs {
  std::string plan;
  std::optional<std::string> overlay;
  std::string format = "yaml";
  ErrorFormat error_format;
};

// What every importer does around its reader. `--format` is yaml or json.
void check_part_format(const std::string& format) {
  if (format != "yaml" && format != "json")
    throw UsageError{"--format must be `yaml` or `json`, not `" + format + "`"};
}

void declare_part_format(CLI::App& command, std::string& format, ErrorFormat& error_format,
                         const char* yaml_says) {
  command.add_option("--format", format, std::string("yaml (") + yaml_says + ") or json")
      ->type_name("yaml|json")
      ->capture_default_str();
  declare_error_format(command, error_format);
}

// The part read: its warnings on stderr, then the document on stdout — for YAML, after a comment
// header for people (the document itself is JSON, which is YAML).
int write_part(Diagnostics& diags, bool json_errors, const std::string& format,
               const std::string& yaml_header, const Json& document) {
  if (!diags.items().empty()) report_diagnostics(diags, json_errors);
  if (format == "yaml") std::cout << yaml_header;
  std::cout << document.dump(2) << "\n";
  return kExitOk;
}

// The comment block saying what was read and what was left out.
std::string terraform_header(const TerraformImport& imported, const std::string& plan) {
  std::string out = "# Imported from " + plan + " by `xborder import terraform`: " +
                    std::to_string(imported.managed_resources) + " managed resources, " +
                    std::to_string(imported.mapped.size()) + " read, " +
                    std::to_string(imported.skipped.size()) + " left out.\n";
  for (const auto& m : imported.mapped) out += "#   read      " + m.address + ": " + m.note + "\n";
  for (const auto& s : imported.skipped) out += "#   LEFT OUT  " + s.address + ": " + s.note + "\n";
  out += "# Merge it with your model: xborder check model.yaml THIS-FILE (or check --infra PLAN)\n";
  return out;
}

int run_import_terraform(ImportTerraformArgs& a) {
  const bool json_errors = a.error_format.json();
  check_part_format(a.format);
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return report_diagnostics(diags, json_errors);
  auto locations = CloudLocations::load(CloudLocations::default_file(), *reference, diags);
  std::optional<TerraformOverlay> overlay;
  if (a.overlay) overlay = read_terraform_overlay(*a.overlay, diags);
  if (!locations || diags.has_errors()) return report_diagnostics(diags, json_errors);
  auto imported =
      import_terraform_file(a.plan, *reference, *locations, overlay ? &*overlay : nullptr, diags);
  if (!imported || diags.has_errors()) return report_diagnostics(diags, json_errors);
  // The part must load as a model on its own (its references resolve within it, or in the base
  // model named by the overlay): checked when merged; here the resources left out are warned.
  return write_part(diags, json_errors, a.format, terraform_header(*imported, a.plan),
                    imported->document.json);
}

struct ImportSubprocessorsArgs {
  std::string list;
  std::string exporter;
  std::string format = "yaml";
  ErrorFormat error_format;
};

int run_import_subprocessors(ImportSubprocessorsArgs& a) {
  const bool json_errors = a.error_format.json();
  check_part_format(a.format);
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return report_diagnostics(diags, json_errors);
  auto doc = import_subprocessors_file(a.list, *reference, {a.exporter}, diags);
  if (!doc || diags.has_errors()) return report_diagnostics(diags, json_errors);
  return write_part(diags, json_errors, a.format,
                    "# Imported from " + a.list +
                        " by `xborder import subprocessors`; merge it with your model: xborder "
                        "check model.yaml THIS-FILE (or check --vendors LIST)\n",
                    doc->json);
}

struct ImportRegisterArgs {
  std::string register_file;
  std::string format = "yaml";
  ErrorFormat error_format;
};

int run_import_register(ImportRegisterArgs& a) {
  const bool json_errors = a.error_format.json();
  check_part_format(a.format);
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return report_diagnostics(diags, json_errors);
  auto doc = import_register_file(a.register_file, *reference, diags);
  if (!doc || diags.has_errors()) return report_diagnostics(diags, json_errors);
  return write_part(diags, json_errors, a.format,
                    "# Read back from the transfer register " + a.register_file +
                        " by `xborder import register`. A register does not carry systems, "
                        "relationships,\n# safeguards or data subjects: they are unknown here "
                        "(docs/import-register.md).\n",
                    doc->json);
}

struct ImportFidesArgs {
  std::string manifest;
  std::string owner;
  std::string format = "yaml";
  ErrorFormat error_format;
};

int run_import_fides(ImportFidesArgs& a) {
  const bool json_errors = a.error_format.json();
  check_part_format(a.format);
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return report_diagnostics(diags, json_errors);
  auto data = FidesData::load(FidesData::default_dir(), diags);
  if (!data) return report_diagnostics(diags, json_errors);
  auto imported = import_fides_file(a.manifest, *reference, *data, {a.owner}, diags);
  if (!imported || diags.has_errors()) return report_diagnostics(diags, json_errors);
  std::string header = "# Imported from the Fides manifest " + a.manifest +
                       " by `xborder import fides` (fideslang " + data->fideslang_version +
                       " categories, docs/import-fides.md):\n";
  for (const auto& note : imported->notes) header += "#   " + note + "\n";
  header +=
      "# Merge it with your model: xborder check model.yaml THIS-FILE (or check --fides "
      "MANIFEST)\n";
  return write_part(diags, json_errors, a.format, header, imported->document.json);
}

void declare_import(CLI::App& command) {
  command.require_subcommand(1);
  auto& terraform = *command.add_subcommand(
      "terraform", "a Terraform plan or state (`terraform show -json`) as a part of a model");
  auto args = std::make_shared<ImportTerraformArgs>();
  terraform.add_option("PLAN", args->plan, "the output of `terraform show -json` (plan or state)")
      ->type_name("PLAN.json")
      ->required();
  terraform
      .add_option("--overlay", args->overlay,
                  "what the plan cannot say: the account owner, the data sets in each resource "
                  "(docs/import-terraform.md)")
      ->type_name("OVERLAY.yaml");
  declare_part_format(terraform, args->format, args->error_format, "with a summary");
  set_example(terraform,
              "terraform show -json plan.out > plan.json && xborder import terraform plan.json");
  set_run(terraform, [args] { return run_import_terraform(*args); });
  auto& subprocessors =
      *command.add_subcommand("subprocessors", "a sub-processor list (CSV) as a part of a model");
  auto sub_args = std::make_shared<ImportSubprocessorsArgs>();
  subprocessors
      .add_option("LIST", sub_args->list,
                  "the list: vendor, country, service, access, … (docs/import-subprocessors.md)")
      ->type_name("FILE.csv")
      ->required();
  subprocessors
      .add_option("--exporter", sub_args->exporter,
                  "the party or system of your model that sends the data (default: a party of "
                  "unknown country)")
      ->type_name("ID");
  declare_part_format(subprocessors, sub_args->format, sub_args->error_format, "with a comment");
  set_example(subprocessors, "xborder import subprocessors vendors.csv --exporter shop");
  set_run(subprocessors, [sub_args] { return run_import_subprocessors(*sub_args); });
  auto& register_command = *command.add_subcommand(
      "register", "a transfer register (`report --format csv`) read back in as a model");
  auto reg_args = std::make_shared<ImportRegisterArgs>();
  register_command
      .add_option("REGISTER", reg_args->register_file,
                  "the register: edge, implicit, event, dataset, … (docs/import-register.md)")
      ->type_name("REGISTER.csv")
      ->required();
  declare_part_format(register_command, reg_args->format, reg_args->error_format, "with a comment");
  set_example(register_command, "xborder import register register.csv > map.yaml");
  set_run(register_command, [reg_args] { return run_import_register(*reg_args); });
  auto& fides = *command.add_subcommand(
      "fides", "a Fides (fideslang) manifest of systems and datasets as a part of a model");
  auto fides_args = std::make_shared<ImportFidesArgs>();
  fides
      .add_option("MANIFEST", fides_args->manifest,
                  "fideslang YAML: system, dataset, organization, data_category resources")
      ->type_name("MANIFEST.yaml")
      ->required();
  fides
      .add_option("--owner", fides_args->owner,
                  "the party of your model whose systems these are (default: a party of unknown "
                  "country per organization)")
      ->type_name("ID");
  declare_part_format(fides, fides_args->format, fides_args->error_format, "with a summary");
  set_example(fides, "xborder import fides .fides/systems.yml --owner shop > fides-part.yaml");
  set_run(fides, [fides_args] { return run_import_fides(*fides_args); });
  set_example(command, "xborder import terraform plan.json --overlay overlay.yaml");
}

}  // namespace

CommandSpec import_command() {
  return {"import",
          "turn a foreign description of systems into a part of a model (terraform, "
          "subprocessors, register, fides)",
          declare_import};
}

}  // namespace xborder::cli
