// Where something is in an input file: a line and column, and the provenance every node and edge
// of a model keeps (which file, which place in it, which resource of a foreign format).
#pragma once

#include <filesystem>
#include <string>

namespace xborder {

struct TextPosition {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in characters of the line
};

// Where an item of the model came from. A model read from one JSON file has `file` = the model
// file and `pointer` = the item's own pointer; merged and imported models say which input, where
// in it (a YAML line, a CSV row) and which foreign object (a Terraform resource address).
struct Provenance {
  std::filesystem::path file;  // the input file ("<stdin>" for standard input)
  std::string pointer;         // RFC 6901 pointer into that file's document
  int line = 0;                // 1-based; 0 when unknown (JSON files: found from the pointer)
  int column = 0;
  std::string address;  // the foreign object it was made from (`aws_s3_bucket.logs`); may be empty
};

}  // namespace xborder
