// libFuzzer harness: the rule pack loader. Any bytes, as the one pack of a rules directory, must
// load (and then compile and check a shipped model) or fail with diagnostics; never crash, hang
// or throw.
#include <cstddef>
#include <cstdint>

#include "model/model_loader.hpp"
#include "solver/checker.hpp"
#include "solver/rule_pack.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace xborder;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto codes = fuzz::reference().country_codes();
  static const std::filesystem::path dir = fuzz::scratch_dir() / "rules";
  static const TransferModel model = [] {
    auto m = load_model(std::filesystem::path(XBORDER_FUZZ_SOURCE_DIR) / "scenarios" /
                            "eu-jp-us-transfer" / "model.json",
                        fuzz::reference());
    if (!m.model) __builtin_trap();
    return std::move(*m.model);
  }();
  std::filesystem::create_directories(dir);
  fuzz::write_file(dir / "pack.json", fuzz::text(data, size));
  auto loaded = load_rule_base(dir, codes);
  if (loaded.rules.has_value() == loaded.diagnostics.has_errors()) __builtin_trap();
  if (loaded.rules && !loaded.rules->rules.empty()) {
    PathChecker checker(model, *loaded.rules);
    checker.check(*Date::parse("2024-06-01"));
  }
  return 0;
}
