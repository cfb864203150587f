// libFuzzer harness: the model loader. Any bytes must either load as a model (which then builds
// its transfer graph and is checked against the shipped rules) or fail with diagnostics; never
// crash, hang or throw. Bytes starting with `{` are read as JSON, anything else as YAML (what `-`
// does on the command line).
#include <cstddef>
#include <cstdint>

#include "model/model_sources.hpp"
#include "solver/checker.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace xborder;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Diagnostics diags;
  auto doc = parse_model_document(std::string(fuzz::text(data, size)), "<fuzz>", diags);
  if (!doc) {
    if (!diags.has_errors()) __builtin_trap();  // a refusal always says why
    return 0;
  }
  auto loaded = load_model_documents({*doc}, fuzz::reference());
  if (loaded.model.has_value() == loaded.diagnostics.has_errors()) __builtin_trap();
  // Small models that load are checked too: the graph and the checker must take any valid model.
  if (loaded.model && loaded.model->flows.size() <= 16 && loaded.model->systems.size() <= 16) {
    PathChecker checker(*loaded.model, fuzz::shipped_rules());
    checker.check(*Date::parse("2024-06-01"));
  }
  return 0;
}
