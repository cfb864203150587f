// Choice points (`choices` in a model file, docs/model-format.md): the alternatives `xborder plan`
// chooses between — a system's regions, host, operator or measures; a flow's or a remote
// access's safeguards and measures, or not having it at all — each option with a cost and
// optionally a latency. `check` reads the model as written; only `plan` reads the choices.
// A selection (one option per point) is applied as an RFC 6902 JSON Patch of the model document,
// so what the planner checks is exactly the patch it prints.
#pragma once

#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/json_reader.hpp"
#include "model/reference_data.hpp"
#include "model/transfer_model.hpp"

namespace xborder {

enum class ChoiceTarget { kSystem, kFlow, kRemoteAccess };
XBORDER_ENUM_NAMES(ChoiceTarget, "system", "flow", "remote_access")

struct ChoiceOption {
  Id id;
  double cost = 0;
  std::optional<double> latency_ms;
  std::string note;
  std::string pointer;  // /choices/I/options/J
  // Keys set on the target, with their values as written (validated by loading the model with
  // the option applied): system `regions`, `runs_on`, `operator`, `operator_handles_data`,
  // `measures`; flow `measures`; remote access `clear_text`, `country`.
  Json set = Json::object();
  Json add_safeguards = Json::array();  // flow or remote access: safeguards added
  bool drop = false;                    // flow or remote access: removed from the model
  [[nodiscard]] bool changes_nothing() const {
    return set.empty() && add_safeguards.empty() && !drop;
  }
};

struct ChoicePoint {
  Id id;
  std::string name;
  ChoiceTarget target = ChoiceTarget::kSystem;
  Id system;                   // kSystem, kRemoteAccess: the system
  Id flow;                     // kFlow
  Id party;                    // kRemoteAccess: the accessing party
  std::string target_pointer;  // the target in the model document: /systems/2, /flows/4, …
  std::string pointer;         // /choices/I
  std::vector<ChoiceOption> options;
  // "system `crm`", "flow `sync`", "remote access of `vendor` to `crm`"
  [[nodiscard]] std::string target_label() const;
};

// Reads `choices` of a model document whose model (without the choices) loaded as `model`. With
// `validate_options`, each option is also applied alone and the model loaded again: a problem
// in what the option writes is reported at the option (XB-MODEL-0xx of the loader). Problems
// that only a combination can settle (a region the host does not offer yet, tier order, cycles in
// `runs_on`) are left to the planner, which treats a selection whose model does not load as
// infeasible. Errors are XB-MODEL-060…069 (docs/model-format.md).
std::vector<ChoicePoint> read_choices(const Json& document, const TransferModel& model,
                                      const std::filesystem::path& file,
                                      const ReferenceData& reference, Diagnostics& diags,
                                      bool validate_options = true);

// For each choice point, the index of its chosen option; kKeepAsWritten leaves the target as the
// model writes it (used to validate one option at a time).
using ChoiceSelection = std::vector<std::size_t>;
inline constexpr std::size_t kKeepAsWritten = std::numeric_limits<std::size_t>::max();

// The RFC 6902 patch that applies `selection` to the model document and removes `choices`: the
// patched document is a plain model `xborder check` reads. Operations on one target are merged;
// removals come last, later array elements first, so every path is valid when it is applied.
Json selection_patch(const Json& document, const std::vector<ChoicePoint>& points,
                     const ChoiceSelection& selection);

// The diagnostic codes of combinations (hosting regions, tier order, `runs_on` cycles and depth)
// that read_choices leaves to the planner.
bool is_combination_code(const std::string& code);

}  // namespace xborder
