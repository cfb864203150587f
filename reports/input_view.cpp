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

}  // namespace xborder::input
