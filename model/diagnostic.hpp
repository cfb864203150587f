// Diagnostics: what the loaders say about bad input, with a file, a JSON pointer and a hint.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace xborder {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;     // stable identifier, e.g. "XB-MODEL-012"
  std::string message;  // lowercase, no final period, user text in backticks
  std::filesystem::path file;
  std::string pointer;              // RFC 6901 JSON pointer into `file`
  std::optional<std::string> hint;  // "did you mean `eu-west-1`?"
  // 1-based line and column in `file` where the input's syntax gives them (YAML models); 0 when
  // the pointer alone places it (JSON).
  int line = 0;
  int column = 0;
};

// Collects diagnostics; loaders keep going after an error so the user sees all of them at once.
class Diagnostics {
 public:
  void error(std::string code, std::filesystem::path file, std::string pointer, std::string message,
             std::optional<std::string> hint = std::nullopt);
  void warning(std::string code, std::filesystem::path file, std::string pointer,
               std::string message, std::optional<std::string> hint = std::nullopt);
  // Every diagnostic passes through printable_text (also those given to error and warning).
  void add(Diagnostic d);
  void append(const Diagnostics& other);
  // Lets `edit` change every diagnostic's place (file, pointer, line, column): a merged or
  // converted document's places mapped back to the input files.
  void relocate(const std::function<void(Diagnostic&)>& edit);

  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
  // Sorted by file, pointer and code, so output is stable whatever order the loader ran in.
  [[nodiscard]] std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> items_;
};

// Text that is safe to print: control characters (a terminal's escape sequences) are shown as
// `\x1b`, and a word longer than any valid id (a megabyte-long value echoed in a message) is cut
// to its start and its length; a text longer than 2000 bytes keeps its start and its end. Newlines
// are kept when `keep_newlines`, else become spaces.
std::string printable_text(std::string_view text, bool keep_newlines);

// `file:/pointer: error[CODE]: message` and an indented `help:` line; with a line and column,
// `file:LINE:COLUMN: /pointer: error[CODE]: message`.
std::string render_diagnostic(const Diagnostic& d);

// The closest candidate by edit distance, if it is close enough to be a plausible typo.
std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates);
// "did you mean `x`?" or, when nothing is close, "expected one of `a`, `b`, `c`".
std::string suggestion_hint(const std::string& word, const std::vector<std::string>& candidates);

// RFC 6901 escaping of one reference token.
std::string pointer_token(const std::string& token);

// Thrown only for failures that end an operation (an unreadable file); carries the context.
class InputError : public std::runtime_error {
 public:
  explicit InputError(Diagnostic d);
  [[nodiscard]] const Diagnostic& diagnostic() const { return diagnostic_; }

 private:
  Diagnostic diagnostic_;
};

}  // namespace xborder
