// The transfer register that `xborder report --format csv` writes (an Art. 30 record of the
// cross-border transfers), read back in as a model: its parties, data sets and transfers, with
// every item pointing at its row. What the register does not carry (systems, relationships,
// safeguards, data subjects, the domestic hops) stays unknown or absent. Format, mapping and what
// is lost: docs/import-register.md.
#pragma once

#include <filesystem>
#include <optional>

#include "model/diagnostic.hpp"
#include "model/model_sources.hpp"
#include "model/reference_data.hpp"

namespace xborder {

// Reads the register in `file`; errors are XB-REG-* with the row's line and the column's name,
// and nothing is returned when any row is wrong (every row is checked). Rows that cannot be drawn
// as a flow (both ends the same place) are warned about (XB-REG-101) and left out.
std::optional<ModelDocument> import_register_file(const std::filesystem::path& file,
                                                  const ReferenceData& reference,
                                                  Diagnostics& diags);

}  // namespace xborder
