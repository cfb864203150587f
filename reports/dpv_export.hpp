// The map and the findings as W3C Data Privacy Vocabulary (DPV 2.3) JSON-LD, for other privacy
// tools: parties as dpv:LegalEntity with dpv:hasCountry (loc: country concepts), data sets as
// dpv:PersonalData/dpv:Data, every edge of the transfer graph as a dpv:Process with its
// processing operation, data, exporter, importer and countries, and every finding with its
// compliance status. Reads only the report input document (report_input.hpp). Contract:
// docs/export-dpv.md.
#pragma once

#include <nlohmann/json.hpp>

namespace xborder {

// The DPV version whose terms the export uses, and the export's own format version.
inline constexpr const char* kDpvVersion = "2.3";
inline constexpr const char* kDpvExportFormat = "xborder-dpv/1";

nlohmann::json dpv_document(const nlohmann::json& input);

}  // namespace xborder
