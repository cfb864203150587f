#include "cli/model_inputs.hpp"

namespace xborder::cli {

std::optional<Loaded> load_inputs(ModelInput& model, const RuleSource& source,
                                  const std::vector<std::string>& places, Diagnostics& diags,
                                  ProgressLine& progress) {
  // Loading has no count to show (the reader does not report one): the phase alone tells a
  // person waiting on a large model what is happening.
  progress.phase("loading the model");
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) return std::nullopt;
  auto loaded_model = load_model_input(model, *reference);
  diags.append(loaded_model.diagnostics);
  progress.phase("loading the rules");
  auto rules = load_rule_base(source.rules, reference->country_codes(), places, source.policies);
  diags.append(rules.diagnostics);
  progress.done();
  if (!loaded_model.model || !rules.rules) return std::nullopt;
  return Loaded{std::move(*reference), std::move(*loaded_model.model), std::move(*rules.rules)};
}

CLI::Option* declare_model(CLI::App& command, ModelInput& model, ModelArity arity) {
  if (arity == ModelArity::kOneDocument) {
    return command
        .add_option("MODEL", model.arguments,
                    "the transfer model, JSON or YAML, one file (the answer patches it); `-` "
                    "reads standard input")
        ->expected(1)
        ->type_name("MODEL.yaml|json");
  }
  command
      .add_option("--infra", model.infra,
                  "a Terraform plan or state (`terraform show -json`) merged into the model; "
                  "findings name its resource addresses (repeatable)")
      ->type_name("PLAN.json");
  command
      .add_option("--overlay", model.overlay,
                  "what the plans cannot say: the account owner, the data sets in each resource "
                  "(docs/import-terraform.md)")
      ->type_name("OVERLAY.yaml");
  command
      .add_option("--vendors", model.vendors,
                  "a sub-processor list (CSV, docs/import-subprocessors.md) merged into the model "
                  "(repeatable)")
      ->type_name("FILE.csv");
  command
      .add_option("--exporter", model.exporter,
                  "the party or system of the model that sends data to the vendors of --vendors")
      ->type_name("ID");
  command
      .add_option("--register", model.registers,
                  "a transfer register as `report --format csv` writes it, read back in "
                  "(docs/import-register.md; repeatable)")
      ->type_name("REGISTER.csv");
  command
      .add_option("--fides", model.fides,
                  "a Fides (fideslang) manifest of systems and datasets merged into the model "
                  "(docs/import-fides.md; repeatable)")
      ->type_name("MANIFEST.yaml");
  command
      .add_option("--fides-owner", model.fides_owner,
                  "the party of the model whose systems the manifests of --fides describe")
      ->type_name("ID");
  return command
      .add_option("MODEL", model.arguments,
                  "the transfer model, JSON or YAML; several files are merged into one map; `-` "
                  "reads standard input")
      ->type_name("MODEL.yaml|json");
}

}  // namespace xborder::cli
