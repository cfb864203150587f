#include "model/diagnostic.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace xborder {

void Diagnostics::error(std::string code, std::filesystem::path file, std::string pointer,
                        std::string message, std::optional<std::string> hint) {
  items_.push_back(Diagnostic{Severity::kError, std::move(code), std::move(message),
                              std::move(file), std::move(pointer), std::move(hint)});
}

void Diagnostics::warning(std::string code, std::filesystem::path file, std::string pointer,
                          std::string message, std::optional<std::string> hint) {
  items_.push_back(Diagnostic{Severity::kWarning, std::move(code), std::move(message),
                              std::move(file), std::move(pointer), std::move(hint)});
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const {
  return error_count() > 0;
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::kError; }));
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.pointer, a.code, a.message) <
           std::tie(b.file, b.pointer, b.code, b.message);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Diagnostic& a, const Diagnostic& b) {
                          return a.file == b.file && a.pointer == b.pointer && a.code == b.code &&
                                 a.message == b.message;
                        }),
            out.end());
  return out;
}

std::string render_diagnostic(const Diagnostic& d) {
  std::ostringstream out;
  out << d.file.generic_string();
  if (!d.pointer.empty()) out << ':' << d.pointer;
  out << ": " << (d.severity == Severity::kError ? "error" : "warning") << '[' << d.code
      << "]: " << d.message;
  if (d.hint) out << "\n  help: " << *d.hint;
  return out.str();
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitution});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (!best || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  // A plausible typo changes at most a third of the word.
  if (best && best_distance <= std::max<std::size_t>(2, word.size() / 3)) return best;
  return std::nullopt;
}

std::string suggestion_hint(const std::string& word, const std::vector<std::string>& candidates) {
  if (auto m = closest_match(word, candidates)) return "did you mean `" + *m + "`?";
  std::vector<std::string> sorted = candidates;
  std::sort(sorted.begin(), sorted.end());
  constexpr std::size_t kMaxListed = 12;
  std::string out = "expected one of ";
  for (std::size_t i = 0; i < sorted.size() && i < kMaxListed; ++i) {
    if (i > 0) out += ", ";
    out += "`" + sorted[i] + "`";
  }
  if (sorted.size() > kMaxListed) out += ", …";
  return out;
}

std::string pointer_token(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

InputError::InputError(Diagnostic d)
    : std::runtime_error(render_diagnostic(d)), diagnostic_(std::move(d)) {}

}  // namespace xborder
