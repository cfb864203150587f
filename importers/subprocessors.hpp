// Sub-processor lists (CSV) as a part of a transfer model: each vendor a party, each hosting
// service a system in the vendor's region with the data sent to it, each remote access a
// `remote_access` flow from a system of the model to the vendor's staff. Format and mapping:
// docs/import-subprocessors.md.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model_sources.hpp"
#include "model/reference_data.hpp"
#include "model/source_position.hpp"

namespace xborder {

// One CSV record: its fields, the line it starts on (1-based; quoted fields may span lines) and
// where each field starts (line and column in characters).
struct CsvRecord {
  std::vector<std::string> fields;
  int line = 0;
  std::vector<TextPosition> starts;
  // Where field `index` starts; the record's first column when it has no such field.
  [[nodiscard]] TextPosition start(std::size_t index) const {
    return index < starts.size() ? starts[index] : TextPosition{line, 1};
  }
};
// RFC 4180 CSV (commas, double quotes doubled inside quoted fields, CRLF or LF, a UTF-8 byte-order
// mark ignored); empty lines skipped. Malformed quoting is CODE_PREFIX-002 with line and column.
std::optional<std::vector<CsvRecord>> parse_csv(const std::string& text,
                                                const std::filesystem::path& file,
                                                Diagnostics& diags, const std::string& code_prefix);

// An error of a CSV import at a place in `file`: CODE_PREFIX-CODE.
void add_csv_error(Diagnostics& diags, const std::filesystem::path& file,
                   const std::string& code_prefix, TextPosition at, const std::string& pointer,
                   const std::string& message, std::optional<std::string> hint,
                   const std::string& code);

// What a CSV import's first line must name, and what to say when it does not.
struct CsvHeaderSpec {
  const std::vector<std::string>& known;     // every column name, lower case
  const std::vector<std::string>& required;  // … of which these must be present
  std::string empty_message, empty_hint;     // no line at all (-010)
  std::string missing_hint;                  // a required column missing (-005)
};
// The header (the first record): each column a known name (case and surrounding spaces ignored)
// and once, the required ones present; the column of each name. Unknown names are -009 (with the
// nearest known one), repeated -014; nullopt after any error.
std::optional<std::map<std::string, std::size_t>> read_csv_header(
    const std::vector<CsvRecord>& records, const std::filesystem::path& file, Diagnostics& diags,
    const std::string& code_prefix, const CsvHeaderSpec& spec);

struct SubprocessorOptions {
  // The party or system of the model that sends the data (the exporter); empty: a party
  // `csv:exporter` of unknown country, so findings stay undetermined and name it.
  std::string exporter;
};

// Reads the list in `file`; errors are XB-CSV-* with the row's line and the column's name, and
// nothing is returned when any row is wrong (every row is checked).
std::optional<ModelDocument> import_subprocessors_file(const std::filesystem::path& file,
                                                       const ReferenceData& reference,
                                                       const SubprocessorOptions& options,
                                                       Diagnostics& diags);

}  // namespace xborder
