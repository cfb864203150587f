#include "model/yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace xborder {
namespace {

// An alias may repeat a large subtree: the converted document is bounded by this many values per
// byte of text (plus a constant), which no model written by hand or by a tool comes near.
constexpr std::size_t kValuesPerByte = 4;
constexpr std::size_t kMinValueBudget = 4096;

bool is_null_word(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::optional<bool> bool_word(const std::string& s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

class Converter {
 public:
  Converter(const std::filesystem::path& file, Diagnostics& diags, std::string code_prefix,
            PositionMap* positions, std::size_t budget)
      : file_(file),
        diags_(diags),
        code_prefix_(std::move(code_prefix)),
        positions_(positions),
        budget_(budget) {}

  std::optional<Json> convert(const YAML::Node& node, const std::string& pointer,
                              std::size_t depth) {
    if (failed_) return std::nullopt;
    if (++values_ > budget_) {
      fail(node.Mark(), "YAML aliases expand to more than " + std::to_string(budget_) + " values",
           "write the repeated parts out, or use fewer nested aliases");
      return std::nullopt;
    }
    if (depth > kMaxJsonDepth) {
      fail(node.Mark(), "YAML nested deeper than " + std::to_string(kMaxJsonDepth) + " levels",
           "no xborder input nests this deep; check that this is the file you meant");
      return std::nullopt;
    }
    const YAML::Mark mark = node.Mark();
    if (positions_ != nullptr && mark.line >= 0) {
      positions_->emplace(pointer, TextPosition{mark.line + 1, mark.column + 1});
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Json(nullptr);
      case YAML::NodeType::Scalar:
        return scalar(node);
      case YAML::NodeType::Sequence: {
        Json out = Json::array();
        std::size_t i = 0;
        for (const auto& item : node) {
          auto v = convert(item, pointer + "/" + std::to_string(i++), depth + 1);
          if (!v) return std::nullopt;
          out.push_back(std::move(*v));
        }
        return out;
      }
      case YAML::NodeType::Map: {
        Json out = Json::object();
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) {
            fail(kv.first.Mark(),
                 "a mapping key must be a plain text, not " +
                     std::string(kv.first.IsMap() ? "a mapping" : "a list"),
                 "write keys as words, e.g. `id: crm`");
            return std::nullopt;
          }
          const std::string key = kv.first.Scalar();
          if (out.contains(key)) {
            fail(kv.first.Mark(), "the key `" + key + "` appears twice in this mapping",
                 "a key appears once per object; remove or rename one of them");
            return std::nullopt;
          }
          auto v = convert(kv.second, pointer + "/" + pointer_token(key), depth + 1);
          if (!v) return std::nullopt;
          out[key] = std::move(*v);
        }
        return out;
      }
    }
    return Json(nullptr);
  }

  void fail(const YAML::Mark& mark, const std::string& message, const std::string& hint) {
    failed_ = true;
    Diagnostic d{Severity::kError, code_prefix_ + "-002", message, file_, "", hint};
    if (mark.line >= 0) {
      d.line = mark.line + 1;
      d.column = mark.column + 1;
    }
    diags_.add(std::move(d));
  }

 private:
  // Plain scalars follow the YAML 1.2 core schema; quoted ones and `!!str` are strings.
  std::optional<Json> scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    const std::string& tag = node.Tag();
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return Json(text);
    if (tag != "?" && tag != "tag:yaml.org,2002:int" && tag != "tag:yaml.org,2002:float" &&
        tag != "tag:yaml.org,2002:bool" && tag != "tag:yaml.org,2002:null") {
      fail(node.Mark(), "unsupported YAML tag `" + tag + "`",
           "models use plain YAML: remove the tag or quote the value");
      return std::nullopt;
    }
    if (is_null_word(text)) return Json(nullptr);
    if (auto b = bool_word(text)) return Json(*b);
    static const std::regex kInteger("[-+]?[0-9]+");
    static const std::regex kDecimal("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    if (std::regex_match(text, kInteger)) {
      const std::string digits = text[0] == '+' ? text.substr(1) : text;
      long long v = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec == std::errc() && end == digits.data() + digits.size()) return Json(v);
      // Beyond 64 bits: a number as JSON would read it, if a double holds it.
    }
    if (std::regex_match(text, kInteger) || std::regex_match(text, kDecimal)) {
      const double v = std::strtod(text.c_str(), nullptr);
      if (!std::isfinite(v)) {
        fail(node.Mark(), "the number `" + text + "` is beyond the range of a double",
             "write a smaller number, or quote it to make it text");
        return std::nullopt;
      }
      return Json(v);
    }
    return Json(text);
  }

  const std::filesystem::path& file_;
  Diagnostics& diags_;
  std::string code_prefix_;
  PositionMap* positions_;
  std::size_t budget_;
  std::size_t values_ = 0;
  bool failed_ = false;
};

// yaml-cpp 0.7's LoadAll never returns on some inputs (a leading `,`, as in `,1 1`): its parser
// hands out the same empty document at the same place again and again, and LoadAll collects them
// until memory runs out. The documents are counted here with the parser itself, stopping at the
// second (a model is one document) or where a document starts without the parser having read on.
struct StalledParser : std::runtime_error {
  explicit StalledParser(const YAML::Mark& at)
      : std::runtime_error("the YAML parser does not advance"), mark(at) {}
  YAML::Mark mark;
};
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};
// The document starts (at most two: a model is one document), then the first document loaded;
// throws YAML::Exception on a syntax error and StalledParser where the parser stops advancing.
struct Documents {
  std::vector<YAML::Mark> starts;
  YAML::Node first;
};
Documents load_documents(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts handler;
  while (handler.starts.size() < 2 && parser.HandleNextDocument(handler)) {
    const auto& s = handler.starts;
    if (s.size() == 2 && s[1].pos <= s[0].pos) throw StalledParser(s[1]);
  }
  Documents out{handler.starts, {}};
  if (out.starts.size() == 1) out.first = YAML::Load(text);
  return out;
}

}  // namespace

std::optional<Json> parse_yaml_text(const std::string& text, const std::filesystem::path& file,
                                    Diagnostics& diags, const std::string& code_prefix,
                                    PositionMap* positions) {
  const std::size_t budget = text.size() * kValuesPerByte + kMinValueBudget;
  Converter converter(file, diags, code_prefix, positions, budget);
  Documents documents;
  try {
    documents = load_documents(text);
  } catch (const StalledParser& e) {
    converter.fail(e.mark, "invalid YAML: the parser cannot read past this place",
                   "check the character here (a `,` or `]` outside brackets, a stray byte); a "
                   "model is one YAML mapping");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    converter.fail(e.mark, "invalid YAML: " + e.msg,
                   "check the indentation and quoting at this place (a `:` or `#` inside a value "
                   "needs quotes)");
    return std::nullopt;
  } catch (const std::exception& e) {
    converter.fail(YAML::Mark::null_mark(), std::string("invalid YAML: ") + e.what(),
                   "check that this is a YAML or JSON file");
    return std::nullopt;
  }
  if (documents.starts.size() > 1) {
    converter.fail(
        documents.starts[1], "the file holds several YAML documents, a model is one",
        "remove the `---` separators, or split the documents into files and name "
        "each on the command line");
    return std::nullopt;
  }
  if (documents.starts.empty()) {
    converter.fail(YAML::Mark::null_mark(), "the file is empty",
                   "write a model, e.g. with `xborder init`");
    return std::nullopt;
  }
  return converter.convert(documents.first, "", 0);
}

std::optional<TextPosition> nearest_position(const PositionMap& positions,
                                             const std::string& pointer) {
  std::string p = pointer;
  while (true) {
    if (auto it = positions.find(p); it != positions.end()) return it->second;
    if (p.empty()) return std::nullopt;
    const std::size_t slash = p.rfind('/');
    p.erase(slash == std::string::npos ? 0 : slash);
  }
}

}  // namespace xborder
