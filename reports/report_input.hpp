// The one document every report format is rendered from: the check result JSON (the versioned
// contract), the transfer graph, a summary of the model and the names of the countries involved.
// Renderers read only this, so a report can also be made from a saved document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "model/reference_data.hpp"
#include "model/source_position.hpp"
#include "model/transfer_graph.hpp"
#include "reports/check_report.hpp"
#include "solver/checker.hpp"

namespace xborder {

inline constexpr const char* kReportInputFormat = "xborder-report-input/1";

// {
//   "format": "xborder-report-input/1",
//   "check": <check result JSON, reports/schema/check-result.schema.json>,
//   "graph": <graph JSON: nodes (id, kind, holder, label, country, control_chain, reach),
//             edges (id, kind, implicit, event, from, to, why?, datasets?)>,
//   "model": {
//     "file", "name", "description",
//     "parties": [{id, name, kind, country|null, parent|null|"unknown",
//                  certifications: [{scheme, held, from, to}]}],
//     "systems": [{id, name, tier, operator, runs_on|null, regions: [{location, country, role}],
//                  operator_handles_data: true|false|"unknown", pointer}],
//     "datasets": [{id, name, categories, categories_unknown, subjects|"unknown",
//                   controller|"unknown", purposes, value|"unknown", retention, pointer}],
//     "flows": [{id, name, event, from, to, datasets, purpose, relationship|"unknown",
//                safeguards: [{type, in_place, module?, set?, signed?, informed?, explicit?,
//                              article?, basis?, periodic_check?}] | "unknown", pointer}],
//     "sources": provenance_json(model)},
//   "countries": {"JP": {"name": "Japan", "name_ja": "日本"}, …}  (every country named)
// }
// Where the model's items came from, when that is more than "this pointer of the model file"
// (several inputs, YAML, imported resources): [{model_pointer, file, pointer, line?, column?,
// address?}], sorted by model_pointer; empty for a model read from one JSON file. Stored as
// `model.sources` in the report input and as `sources` in `check --format json`.
nlohmann::json provenance_json(const TransferModel& model);

// `model.sources` of a report input read back as the table find_provenance takes (malformed
// entries of a hand-edited saved input are skipped).
std::vector<std::pair<std::string, Provenance>> provenance_from_json(const nlohmann::json& input);

nlohmann::json make_report_input(const CheckResult& result, const ReportContext& context,
                                 const TransferGraph& graph, const TransferModel& model,
                                 const ReferenceData& reference);

}  // namespace xborder
