// libFuzzer harness: simulation scenarios. Any bytes, as a scenario file beside the shipped
// scenario folders (so `"model": "../multi-tier-cloud/model.json"` resolves), must load (and
// then replay its timeline) or fail with diagnostics; never crash, hang or throw.
#include <cstddef>
#include <cstdint>

#include "scenarios/scenario.hpp"
#include "scenarios/simulation.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace xborder;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir = [] {
    const auto root = fuzz::scratch_dir() / "scenarios";
    std::filesystem::create_directories(root / "fuzz");
    const auto shipped = std::filesystem::path(XBORDER_FUZZ_SOURCE_DIR) / "scenarios";
    for (const auto& entry : std::filesystem::directory_iterator(shipped)) {
      if (entry.is_directory())
        std::filesystem::create_directory_symlink(entry.path(), root / entry.path().filename());
    }
    return root / "fuzz";
  }();
  fuzz::write_file(dir / "simulation.json", fuzz::text(data, size));
  auto loaded = load_scenario(dir / "simulation.json", fuzz::reference(), fuzz::shipped_rules());
  if (loaded.scenario.has_value() == loaded.diagnostics.has_errors()) __builtin_trap();
  if (loaded.scenario && loaded.scenario->event_count() <= 8) {
    Simulator simulator(*loaded.scenario, fuzz::shipped_rules(), fuzz::reference());
    replay(simulator);
  }
  return 0;
}
