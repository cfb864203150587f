// The transfer register: every cross-border transfer (explicit or implicit) with exporter,
// importer, countries, data categories, mechanism, legal basis and status — what a GDPR Art. 30
// record of processing needs. Built from a report input document (report_input.hpp).
#pragma once

#include <nlohmann/json.hpp>

namespace xborder {

// Rows sorted by data set, then edge id:
// [{"edge", "implicit", "event", "dataset", "dataset_name", "categories": [...],
//   "exporter", "exporter_name", "exporter_country", "importer", "importer_name",
//   "importer_country", "mechanism": [route titles (en) that are available or depend on unknowns],
//   "legal_basis": [citations "instrument, article" of those routes],
//   "status": "violation" | "undetermined" | "compliant" (the worst verdict on that edge),
//   "rules": [rule ids], "model_pointer"}]
nlohmann::json transfer_register(const nlohmann::json& input);

}  // namespace xborder
