// YAML input: the same documents as JSON (models, overlays), converted to JSON values while
// keeping where every value starts, so that diagnostics give a line and column in the YAML file.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "model/diagnostic.hpp"
#include "model/json_reader.hpp"
#include "model/source_position.hpp"

namespace xborder {

// RFC 6901 pointer → where its value starts in the text.
using PositionMap = std::map<std::string, TextPosition, std::less<>>;

// Parses YAML text read from `file` into the JSON value it denotes, YAML 1.2 core schema: plain
// `true`/`false`, `null`/`~`/nothing, integers and decimals are typed, everything else (quoted
// scalars, dates, `NO`) is a string. One document per text; keys are unique in a mapping; nesting
// is bounded by kMaxJsonDepth and aliases may not expand beyond a few values per byte of text
// (CODE_PREFIX-002, with line and column). When `positions` is given, it receives the position of
// every value, by pointer.
std::optional<Json> parse_yaml_text(const std::string& text, const std::filesystem::path& file,
                                    Diagnostics& diags, const std::string& code_prefix,
                                    PositionMap* positions);

// The position of `pointer`, or of its nearest ancestor that has one (a missing key is placed at
// the object that lacks it); nullopt when not even the root has one.
std::optional<TextPosition> nearest_position(const PositionMap& positions,
                                             const std::string& pointer);

}  // namespace xborder
