// Drafts of the documents legal teams write by hand: the APPI Art. 28(2) information notice per
// foreign country, and a transfer impact assessment skeleton per transfer following the EDPB's
// six steps (Recommendations 01/2020). Known facts are filled in from the report input; what the
// model cannot know is listed as open questions, never guessed.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace xborder {

// One notice per foreign country reached by a provision that JP-APPI-28 applies to:
// [{"country", "country_name": {en, ja}, "recipients": [{party, name, established, measures: [...],
//   certifications: [...], edges: [...]}], "regime": {"known": [facts the packs give, e.g.
//   authorities with reach, designated or not], "open": [what must be completed]}, "datasets":
//   [...]}]
nlohmann::json appi_notices(const nlohmann::json& input);

// One skeleton per transfer that EU-GDPR-44 applies to:
// [{"edge", "dataset", "exporter", "importer", "importer_country", "steps": [
//   {"step": 1..6, "title": {en, ja}, "known": [...], "open": [...]}]}]
nlohmann::json tia_drafts(const nlohmann::json& input);

std::string render_appi_notices_markdown(const nlohmann::json& notices);  // Japanese with English
std::string render_tia_markdown(const nlohmann::json& drafts);

}  // namespace xborder
