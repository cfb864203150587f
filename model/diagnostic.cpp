#include "model/diagnostic.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <tuple>

namespace xborder {

namespace {
bool utf8_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}
}  // namespace

std::string printable_text(std::string_view text, bool keep_newlines) {
  constexpr std::size_t kLongWord = 200;  // longer than any valid id (is_identifier)
  constexpr std::size_t kShownOfWord = 80;
  std::string out;
  out.reserve(std::min(text.size(), std::size_t{4096}));
  std::size_t k = 0;
  while (k < text.size()) {
    // One word (a run without spaces): shortened when it is longer than any id.
    std::size_t end = k;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
    std::size_t shown_end = end;
    if (end - k > kLongWord) {
      shown_end = k + kShownOfWord;
      while (shown_end > k && utf8_continuation(static_cast<unsigned char>(text[shown_end])))
        --shown_end;
    }
    for (std::size_t i = k; i < shown_end; ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      const bool c1 = c == 0xC2 && i + 1 < shown_end &&
                      static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                      static_cast<unsigned char>(text[i + 1]) <= 0x9F;
      if (c < 0x20 || c == 0x7F || c1) {
        // A terminal's escape sequences are shown, not obeyed.
        static const char* const kHex = "0123456789abcdef";
        const unsigned char v = c1 ? static_cast<unsigned char>(text[++i]) : c;
        out += "\\x";
        out += kHex[v >> 4];
        out += kHex[v & 0xF];
      } else {
        out += static_cast<char>(c);
      }
    }
    if (shown_end < end) out += "…(" + std::to_string(end - k) + " bytes)";
    if (end < text.size()) {
      out += text[end] == '\n' && !keep_newlines ? ' ' : text[end];
      ++end;
    }
    k = end;
  }
  // A message that quotes a long text (a megabyte-long `--scope`) keeps its start and its end.
  constexpr std::size_t kMaxText = 2000, kHead = 1200, kTail = 400;
  if (out.size() > kMaxText) {
    std::size_t head = kHead, tail = out.size() - kTail;
    while (head > 0 && utf8_continuation(static_cast<unsigned char>(out[head]))) --head;
    while (tail < out.size() && utf8_continuation(static_cast<unsigned char>(out[tail]))) ++tail;
    out = out.substr(0, head) + " …(" + std::to_string(tail - head) + " bytes omitted)… " +
          out.substr(tail);
  }
  return out;
}

void Diagnostics::error(std::string code, std::filesystem::path file, std::string pointer,
                        std::string message, std::optional<std::string> hint) {
  add(Diagnostic{Severity::kError, std::move(code), std::move(message), std::move(file),
                 std::move(pointer), std::move(hint)});
}

void Diagnostics::warning(std::string code, std::filesystem::path file, std::string pointer,
                          std::string message, std::optional<std::string> hint) {
  add(Diagnostic{Severity::kWarning, std::move(code), std::move(message), std::move(file),
                 std::move(pointer), std::move(hint)});
}

void Diagnostics::add(Diagnostic d) {
  d.message = printable_text(d.message, true);
  d.pointer = printable_text(d.pointer, false);
  if (d.hint) d.hint = printable_text(*d.hint, true);
  items_.push_back(std::move(d));
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

void Diagnostics::relocate(const std::function<void(Diagnostic&)>& edit) {
  for (auto& d : items_) {
    edit(d);
    d.pointer = printable_text(d.pointer, false);
  }
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
  if (d.line > 0) {
    out << ':' << d.line << ':' << d.column;
    if (!d.pointer.empty()) out << ": " << d.pointer;
  } else if (!d.pointer.empty()) {
    out << ':' << d.pointer;
  }
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
  if (candidates.empty()) return "nothing of this kind is declared to choose from";
  std::vector<std::string> sorted = candidates;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  constexpr std::size_t kMaxListed = 12;
  auto listed = [&](std::size_t most) {
    std::string out;
    for (std::size_t i = 0; i < sorted.size() && i < most; ++i)
      out += (i > 0 ? ", `" : "`") + sorted[i] + "`";
    if (sorted.size() > most) out += ", …";
    return out;
  };
  // With a handful of candidates, all of them: the nearest may not be the one meant.
  constexpr std::size_t kFew = 6;
  if (auto m = closest_match(word, candidates)) {
    std::string out = "did you mean `" + *m + "`?";
    if (sorted.size() > 1 && sorted.size() <= kFew) out += " (one of " + listed(kFew) + ")";
    return out;
  }
  return "expected one of " + listed(kMaxListed);
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
