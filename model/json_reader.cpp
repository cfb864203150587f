#include "model/json_reader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <unordered_set>

namespace xborder {

std::optional<std::string> read_input_file(const std::filesystem::path& file, Diagnostics& diags,
                                           const std::string& code_prefix) {
  // Only regular files: a FIFO would block forever, a device such as /dev/zero never ends, and a
  // directory has no text. The check comes before opening (opening a FIFO blocks already).
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec) {
    diags.error(code_prefix + "-001", file, "", "cannot open file: " + ec.message(),
                "check the path and that the file is readable");
    return std::nullopt;
  }
  if (status.type() == std::filesystem::file_type::directory) {
    diags.error(code_prefix + "-001", file, "", "cannot read file: it is a directory",
                "give the path of a JSON file");
    return std::nullopt;
  }
  if (status.type() != std::filesystem::file_type::regular) {
    diags.error(code_prefix + "-001", file, "",
                "cannot read file: not a regular file (a device, FIFO or socket)",
                "give the path of a JSON file; save piped input to a file first");
    return std::nullopt;
  }
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) {
    diags.error(code_prefix + "-001", file, "", "cannot read file: " + ec.message());
    return std::nullopt;
  }
  if (size > kMaxInputFileBytes) {
    diags.error(code_prefix + "-001", file, "",
                "file too large: " + std::to_string(size) + " bytes (the limit is " +
                    std::to_string(kMaxInputFileBytes / (1024 * 1024)) + " MiB)",
                "split the model, or check that this is the file you meant");
    return std::nullopt;
  }
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const std::string reason = errno != 0 ? std::strerror(errno) : "unknown reason";
    diags.error(code_prefix + "-001", file, "", "cannot open file: " + reason,
                "check the path and that the file is readable");
    return std::nullopt;
  }
  std::string text;
  text.resize(static_cast<std::size_t>(size));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    diags.error(code_prefix + "-001", file, "", "cannot read file: read error");
    return std::nullopt;
  }
  return text;
}

std::optional<Json> parse_json_text(const std::string& text, const std::filesystem::path& file,
                                    Diagnostics& diags, const std::string& code_prefix) {
  // Everything that walks a document (dump, copies, the readers) recurses: bound the nesting.
  {
    std::size_t depth = 0, line = 1, column = 0;
    bool in_string = false, escaped = false;
    for (const char c : text) {
      ++column;
      if (c == '\n') {
        ++line;
        column = 0;
      }
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '[' || c == '{') {
        if (++depth > kMaxJsonDepth) {
          diags.error(code_prefix + "-002", file, "",
                      "JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                          " levels at line " + std::to_string(line) + ", column " +
                          std::to_string(column),
                      "no xborder input nests this deep; check that this is the file you meant");
          return std::nullopt;
        }
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
    }
  }
  // A key given twice in one object: nlohmann would keep the last silently, hiding a mistake.
  // Found by a second, SAX pass over the parsed text (nlohmann's parser with a callback rescans
  // each container at every object's end: quadratic in the length of the model's arrays).
  class DuplicateKeys : public nlohmann::json_sax<Json> {
   public:
    DuplicateKeys(Diagnostics& diags, const std::filesystem::path& file, std::string code)
        : diags_(diags), file_(file), code_(std::move(code)) {}
    std::size_t duplicates = 0;
    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override { return open(true); }
    bool start_array(std::size_t) override { return open(false); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool key(string_t& k) override {
      Frame& f = frames_.back();
      f.key = k;
      if (!f.keys.insert(k).second && ++duplicates <= 20) {
        diags_.error(code_ + "-002", file_, pointer(),
                     "duplicate key `" + k + "`: a key may appear once in an object",
                     "remove one of them (JSON readers disagree on which one counts)");
      }
      return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
      return false;  // the document parsed already: cannot happen
    }

   private:
    struct Frame {
      bool object = false;
      std::unordered_set<std::string> keys;
      std::string key;
      std::size_t index = 0;
    };
    bool value() {
      if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
      return true;
    }
    bool open(bool object) {
      frames_.push_back(Frame{object, {}, "", 0});
      return true;
    }
    bool close() {
      frames_.pop_back();
      return value();
    }
    std::string pointer() const {
      std::string out;
      for (const Frame& f : frames_)
        out += "/" + (f.object ? pointer_token(f.key) : std::to_string(f.index));
      return out;
    }
    Diagnostics& diags_;
    const std::filesystem::path& file_;
    std::string code_;
    std::vector<Frame> frames_;
  };
  try {
    Json doc = Json::parse(text);
    DuplicateKeys check(diags, file, code_prefix);
    Json::sax_parse(text, &check);
    if (check.duplicates > 0) return std::nullopt;
    return doc;
  } catch (const Json::parse_error& e) {
    // Turn the byte offset into a line and column a person can find.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    if (auto pos = what.find("syntax error"); pos != std::string::npos) what = what.substr(pos);
    diags.error(code_prefix + "-002", file, "",
                "invalid JSON at line " + std::to_string(line) + ", column " +
                    std::to_string(column) + ": " + what,
                "the file must be one JSON document (no comments, no trailing commas)");
    return std::nullopt;
  } catch (const Json::out_of_range& e) {
    // A number beyond the range of a double (1e400): nlohmann reports it as out_of_range.406.
    std::string what = e.what();
    if (auto pos = what.find("number overflow"); pos != std::string::npos) what = what.substr(pos);
    diags.error(code_prefix + "-002", file, "", "invalid JSON: " + what,
                "numbers must fit a double (about ±1.8e308)");
    return std::nullopt;
  }
}

std::optional<Json> read_json_file(const std::filesystem::path& file, Diagnostics& diags,
                                   const std::string& code_prefix) {
  auto text = read_input_file(file, diags, code_prefix);
  if (!text) return std::nullopt;
  return parse_json_text(*text, file, diags, code_prefix);
}

std::string json_type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "an unsupported value";
  }
}

ObjectReader::ObjectReader(const Json& node, std::string pointer, const ReadContext& ctx)
    : node_(node), pointer_(std::move(pointer)), ctx_(ctx) {
  if (!node_.is_object()) {
    ctx_.error("004", pointer_, "expected an object, found " + json_type_name(node_));
    ok_ = false;
  }
}

std::string ObjectReader::pointer(std::string_view key) const {
  return pointer_ + "/" + pointer_token(std::string(key));
}

bool ObjectReader::has(std::string_view key) const {
  return ok_ && node_.contains(std::string(key));
}

const Json* ObjectReader::get(std::string_view key, bool required) {
  seen_.insert(std::string(key));
  if (!ok_) return nullptr;
  auto it = node_.find(std::string(key));
  if (it == node_.end()) {
    if (required) ctx_.error("005", pointer_, "missing required key `" + std::string(key) + "`");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> ObjectReader::string(std::string_view key, bool required) {
  const Json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    ctx_.error("006", pointer(key),
               "`" + std::string(key) + "` must be a string, found " + json_type_name(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> ObjectReader::boolean(std::string_view key, bool required) {
  const Json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    ctx_.error("006", pointer(key),
               "`" + std::string(key) + "` must be true or false, found " + json_type_name(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<long long> ObjectReader::integer(std::string_view key, bool required) {
  const Json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    ctx_.error("006", pointer(key),
               "`" + std::string(key) + "` must be an integer, found " + json_type_name(*v));
    return std::nullopt;
  }
  return v->get<long long>();
}

std::optional<Date> ObjectReader::date(std::string_view key, bool required) {
  auto text = string(key, required);
  if (!text) return std::nullopt;
  auto d = Date::parse(*text);
  if (!d) {
    ctx_.error("007", pointer(key), "`" + *text + "` is not a valid date",
               "write dates as YYYY-MM-DD, e.g. `2020-07-16`");
  }
  return d;
}

Unknowable<bool> ObjectReader::tri(std::string_view key, Unknowable<bool> absent) {
  const Json* v = get(key, false);
  if (!v) return absent;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string() && v->get<std::string>() == "unknown") return Unknowable<bool>::unknown();
  ctx_.error(
      "006", pointer(key),
      "`" + std::string(key) + "` must be true, false or \"unknown\", found " + json_type_name(*v));
  return absent;
}

std::vector<std::string> ObjectReader::strings(std::string_view key, bool required) {
  std::vector<std::string> out;
  const Json* v = get(key, required);
  if (!v) return out;
  if (!v->is_array()) {
    ctx_.error(
        "006", pointer(key),
        "`" + std::string(key) + "` must be an array of strings, found " + json_type_name(*v));
    return out;
  }
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& e = (*v)[i];
    if (!e.is_string()) {
      ctx_.error("006", pointer(key) + "/" + std::to_string(i),
                 "expected a string, found " + json_type_name(e));
      continue;
    }
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::optional<std::string> ObjectReader::identifier(std::string_view key, bool required) {
  auto text = string(key, required);
  if (!text) return std::nullopt;
  if (!is_identifier(*text)) {
    ctx_.error("008", pointer(key), "`" + *text + "` is not a valid identifier",
               "use letters, digits and - _ . : @ /, starting with a letter or digit");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> ObjectReader::one_of(std::string_view key, bool required,
                                                const std::vector<std::string>& allowed,
                                                std::string_view what) {
  auto text = string(key, required);
  if (!text) return std::nullopt;
  for (const auto& a : allowed) {
    if (a == *text) return text;
  }
  ctx_.error("003", pointer(key), "unknown " + std::string(what) + " `" + *text + "`",
             suggestion_hint(*text, allowed));
  return std::nullopt;
}

void ObjectReader::array(std::string_view key, bool required,
                         const std::function<void(const Json&, const std::string&)>& each) {
  const Json* v = get(key, required);
  if (!v) return;
  if (!v->is_array()) {
    ctx_.error("006", pointer(key),
               "`" + std::string(key) + "` must be an array, found " + json_type_name(*v));
    return;
  }
  for (std::size_t i = 0; i < v->size(); ++i) each((*v)[i], pointer(key) + "/" + std::to_string(i));
}

bool ObjectReader::finish() {
  if (!ok_) return false;
  std::vector<std::string> known(seen_.begin(), seen_.end());
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (seen_.count(it.key())) continue;
    ctx_.error("009", pointer(it.key()), "unknown key `" + it.key() + "`",
               suggestion_hint(it.key(), known));
    ok_ = false;
  }
  return ok_;
}

bool is_identifier(std::string_view text) {
  if (text.empty() || text.size() > 200) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(text.front())) return false;
  for (char c : text) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.' && c != ':' && c != '@' && c != '/')
      return false;
  }
  return true;
}

bool is_country_code_shape(std::string_view text) {
  return text.size() == 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'A' && text[1] <= 'Z';
}

}  // namespace xborder
