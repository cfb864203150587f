#include "reports/input_view.hpp"

namespace xborder::input {

const json& member(const json& j, const char* key) {
  static const json null_value;
  if (!j.is_object()) return null_value;
  const auto it = j.find(key);
  return it == j.end() ? null_value : *it;
}

const json& array_member(const json& j, const char* key) {
  static const json empty = json::array();
  const json& m = member(j, key);
  return m.is_array() ? m : empty;
}

std::string str(const json& j, const char* key, const std::string& fallback) {
  const json& m = member(j, key);
  return m.is_string() ? m.get<std::string>() : fallback;
}

const json* find_by_id(const json& array, const std::string& id) {
  if (!array.is_array()) return nullptr;
  for (const auto& item : array) {
    if (item.is_object() && str(item, "id") == id) return &item;
  }
  return nullptr;
}

std::string citation_text(const json& citation) {
  const auto instrument = str(citation, "instrument");
  const auto article = str(citation, "article");
  if (instrument.empty()) return article;
  if (article.empty()) return instrument;
  return instrument + ", " + article;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t k = 0; k < items.size(); ++k) out += (k ? separator : "") + items[k];
  return out;
}

Names::Names(const json& input, std::string unknown_country)
    : unknown_country_(std::move(unknown_country)) {
  const json& model = member(input, "model");
  for (const auto& p : array_member(model, "parties")) parties_[str(p, "id")] = str(p, "name");
  for (const auto& d : array_member(model, "datasets")) datasets_[str(d, "id")] = str(d, "name");
  const json& countries = member(input, "countries");
  if (countries.is_object()) {
    for (const auto& [code, c] : countries.items()) countries_[code] = str(c, "name");
  }
  for (const auto& n : array_member(member(input, "graph"), "nodes"))
    holders_[str(n, "id")] = str(n, "holder");
}

std::string Names::country(const json& code) const {
  if (!code.is_string()) return unknown_country_;
  const auto c = code.get<std::string>();
  const auto it = countries_.find(c);
  return it != countries_.end() && !it->second.empty() ? it->second + " (" + c + ")" : c;
}

std::string Names::holder(const std::string& node) const {
  const auto it = holders_.find(node);
  return it == holders_.end() ? "" : it->second;
}

std::string Names::named(const std::map<std::string, std::string>& names, const std::string& id) {
  if (id.empty()) return "";
  const auto it = names.find(id);
  if (it == names.end() || it->second.empty() || it->second == id) return "`" + id + "`";
  return it->second + " (`" + id + "`)";
}

std::string kind_of(const json& j) {
  switch (j.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

std::string event_words(const std::string& event) {
  return event == "remote_access" ? "remote access" : event;
}

}  // namespace xborder::input
