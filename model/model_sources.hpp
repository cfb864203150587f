// Models from their inputs: JSON or YAML files (or standard input), several merged into one map,
// with every item keeping the file and place it came from (its Provenance).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/json_reader.hpp"
#include "model/model_loader.hpp"
#include "model/source_position.hpp"
#include "model/yaml_reader.hpp"

namespace xborder {

enum class ModelSyntax { kJson, kYaml };

// One input, parsed: a whole model or a part of one (the parties of a vendor list, the systems of
// an infrastructure plan).
struct ModelDocument {
  std::filesystem::path file;  // as named on the command line; "<stdin>" for standard input
  ModelSyntax syntax = ModelSyntax::kJson;
  Json json;
  PositionMap positions;  // YAML: where every value starts; JSON: empty (found from the text)
  // Documents made from a foreign format (importers/): the pointer of an item in `json` → where it
  // came from in the foreign file (the plan, its pointer and the resource address). Items nested
  // in an item listed here inherit its provenance.
  std::map<std::string, Provenance, std::less<>> origins;
};

// `.yaml`/`.yml` → YAML, `.json` → JSON; otherwise (standard input, other names) JSON when the
// first character that is not white space is `{`, else YAML.
ModelSyntax detect_model_syntax(const std::filesystem::path& file, std::string_view text);

// Parses a model document of either syntax; problems are XB-MODEL-002 with line and column.
std::optional<ModelDocument> parse_model_document(const std::string& text,
                                                  const std::filesystem::path& file,
                                                  Diagnostics& diags);
// read_input_file (the size and file-kind limits), then parse_model_document.
std::optional<ModelDocument> read_model_document(const std::filesystem::path& file,
                                                 Diagnostics& diags);

// Loads one model from one or more documents. With several, the arrays (`parties`, `locations`,
// `systems`, `datasets`, `flows`) are concatenated in order; `format`, `name` and `description`
// come from the first input that has them (a later input may omit them; a different `format` is
// an error). An id declared in two inputs is XB-MODEL-014 naming both places. Diagnostics point
// into the input they concern (file, pointer, and line and column for YAML), and every item's
// `source` says where it came from; its `pointer` is its place in the merged model.
ModelLoadResult load_model_documents(const std::vector<ModelDocument>& documents,
                                     const ReferenceData& reference);
// read_model_document for each file, then load_model_documents.
ModelLoadResult load_model_files(const std::vector<std::filesystem::path>& files,
                                 const ReferenceData& reference);

// The model's items whose provenance says more than "this pointer of the model file": items of a
// second input, of a YAML file (line and column) or of an importer (a resource address). Sorted by
// the item's pointer in the model, for reports to map a finding's model pointer to its source.
std::vector<std::pair<std::string, Provenance>> provenance_table(const TransferModel& model);

// The provenance of the item at `model_pointer` or its nearest listed ancestor, with the rest of
// the pointer appended to the source pointer (`/systems/3/runs_on`); nullopt when none is listed.
std::optional<Provenance> find_provenance(
    const std::vector<std::pair<std::string, Provenance>>& table, const std::string& model_pointer);

}  // namespace xborder
