// `xborder init [FILE]`: writes a commented starter model in YAML for a new user to edit.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/common.hpp"

namespace xborder::cli {
namespace {

// A small map that loads and checks as it is, each part saying what to change. It is checked in
// tests/cli/init_cli.sh (validate exits 0, check exits 0 or 1), so it cannot drift from the format.
constexpr const char* kStarterModel =
    R"(# A transfer model for xborder (docs/model-format.md; schema for editors: docs/model.schema.json).
# Edit it to describe your own map, then:
#   xborder validate model.yaml            # every problem, with line and column
#   xborder check model.yaml --at 2024-06-01
# Anything you do not know can be written "unknown": xborder then says which fact decides it.
format: xborder-model/1
name: Starter model — an EU shop using a US-run CRM

# Parties: your organisation, your providers (with their corporate parents: a US parent brings US
# authorities into the disclosure scope) and the people the data is about.
parties:
  - id: shop
    name: Your company GmbH
    country: DE                 # ISO 3166-1 alpha-2: where it is established
    roles: [controller]
  - id: crm-vendor
    name: CRM Vendor Inc.
    country: US
    parent: null                # null: no parent; "unknown" if you have not checked
    roles: [processor]
    certifications:
      - scheme: dpf             # EU-U.S. Data Privacy Framework; held: "unknown" if not checked
        held: unknown
  - id: customers
    kind: data_subjects
    country: DE

# Systems: where the data lives. Regions come from the shipped table (aws:…, azure:…, gcp:…) or are
# written country:XX. Backup, replica and failover regions and remote access become implicit edges.
systems:
  - id: webshop
    name: Web shop
    tier: on_premises           # saas | paas | iaas | on_premises | device
    operator: shop
    regions:
      - location: country:DE
  - id: crm
    name: CRM (SaaS)
    tier: saas
    operator: crm-vendor
    regions:
      - location: aws:eu-central-1
        role: primary
      - location: aws:us-east-1
        role: backup
    remote_access:
      - party: crm-vendor
        country: US
        purpose: support
        clear_text: true

# Data sets and their attributes: categories, whose data (subjects), controller, value.
datasets:
  - id: customer-data
    name: Customer records
    categories: [personal_data]
    subjects: [DE]
    subject_count: unknown
    controller: shop
    value: high

# Flows: the events you draw (collect, process, transfer, store, dispose, remote_access).
flows:
  - id: signup
    event: collect
    from: customers
    to: webshop
    datasets: [customer-data]
    relationship: data_subject_to_controller
  - id: to-crm
    event: transfer
    from: webshop
    to: crm
    datasets: [customer-data]
    relationship: controller_to_processor
    purpose: customer service
    safeguards:
      - type: scc               # Commission standard contractual clauses, module 2 (C→P)
        module: 2
)";

struct InitArgs {
  std::string file;  // empty: standard output
  bool force = false;
  ErrorFormat error_format;
};

int run_init(InitArgs& a) {
  const bool json_errors = a.error_format.json();
  if (a.file.empty() || a.file == kStdinArgument) {
    std::cout << kStarterModel;
    return kExitOk;
  }
  Diagnostics diags;
  const std::filesystem::path target(a.file);
  std::error_code ec;
  if (std::filesystem::exists(target, ec) && !a.force) {
    diags.error("XB-CLI-005", target, "", "the file exists; `init` does not replace it",
                "name another file, or add --force to replace it");
    return report_diagnostics(diags, json_errors);
  }
  errno = 0;
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  out << kStarterModel;
  out.close();
  if (!out) {
    const std::string reason = errno != 0 ? std::strerror(errno) : "write error";
    diags.error("XB-CLI-005", target, "", "cannot write the starter model: " + reason,
                "check that the directory exists and is writable");
    return report_diagnostics(diags, json_errors);
  }
  std::cerr << "wrote " << target.generic_string() << "; next: xborder validate "
            << target.generic_string() << "\n";
  return kExitOk;
}

void declare_init(CLI::App& command) {
  auto args = std::make_shared<InitArgs>();
  command
      .add_option("FILE", args->file,
                  "where to write the starter model (YAML); standard output when absent or `-`")
      ->type_name("MODEL.yaml");
  command.add_flag("--force", args->force, "replace FILE if it exists");
  declare_error_format(command, args->error_format);
  set_example(command, "xborder init model.yaml && xborder check model.yaml --at 2024-06-01");
  set_run(command, [args] { return run_init(*args); });
}

}  // namespace

CommandSpec init_command() {
  return {"init", "write a commented starter model (YAML) to edit", declare_init};
}

}  // namespace xborder::cli
