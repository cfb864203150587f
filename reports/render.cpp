#include "reports/render.hpp"

#include "reports/dpv_export.hpp"
#include "reports/html_report.hpp"
#include "reports/input_view.hpp"
#include "reports/legal_drafts.hpp"
#include "reports/plan_section.hpp"
#include "reports/sarif_report.hpp"
#include "reports/tabular_report.hpp"

namespace xborder {

std::vector<std::pair<std::string, std::string>> report_input_problems(
    const nlohmann::json& input) {
  using nlohmann::json;
  std::vector<std::pair<std::string, std::string>> out;
  using input::kind_of;

  // `pointer` names `j`; each of `members` must be present with type `type` (object/array/string).
  auto expect = [&](const json& j, const std::string& pointer,
                    std::initializer_list<std::pair<const char*, json::value_t>> members) {
    for (const auto& [key, type] : members) {
      const json& m = input::member(j, key);
      if (m.type() == type) continue;
      const std::string wanted = kind_of(json(type));
      out.emplace_back(pointer + "/" + key,
                       "`" + std::string(key) + "` must be " + wanted + ", found " +
                           (m.is_null() && !j.contains(key) ? std::string("nothing") : kind_of(m)));
    }
  };
  if (!input.is_object()) {
    out.emplace_back("", "a report input is an object, found " + kind_of(input));
    return out;
  }
  using V = json::value_t;
  expect(input, "",
         {{"format", V::string},
          {"check", V::object},
          {"graph", V::object},
          {"model", V::object},
          {"countries", V::object}});
  expect(input::member(input, "check"), "/check",
         {{"at", V::string}, {"findings", V::array}, {"places", V::array}, {"summary", V::object}});
  expect(input::member(input, "graph"), "/graph", {{"nodes", V::array}, {"edges", V::array}});
  expect(
      input::member(input, "model"), "/model",
      {{"parties", V::array}, {"systems", V::array}, {"datasets", V::array}, {"flows", V::array}});
  // Every element of those arrays is an object.
  auto elements = [&](const json& j, const std::string& pointer, const char* key) {
    const json& a = input::member(j, key);
    if (!a.is_array()) return;
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (!a[k].is_object())
        out.emplace_back(pointer + "/" + key + "/" + std::to_string(k),
                         "expected an object, found " + kind_of(a[k]));
    }
  };
  const json& check = input::member(input, "check");
  elements(check, "/check", "findings");
  elements(input::member(input, "graph"), "/graph", "nodes");
  elements(input::member(input, "graph"), "/graph", "edges");
  for (const char* key : {"parties", "systems", "datasets", "flows"})
    elements(input::member(input, "model"), "/model", key);
  // A plan (`report --plan`, docs/plan-output.md), when there is one.
  if (input.contains("plan")) {
    for (auto& p : plan_document_problems(input["plan"], "/plan")) out.push_back(std::move(p));
  }
  return out;
}

namespace {

std::string with_plan(std::string drafts, const nlohmann::json& input) {
  const std::string plan = plan_section_markdown(input);
  if (plan.empty()) return drafts;
  while (!drafts.empty() && drafts.back() == '\n') drafts.pop_back();
  return drafts + "\n\n" + plan.substr(0, plan.size() - 1);
}

}  // namespace

std::string render_report(const nlohmann::json& input, const std::string& format,
                          const std::function<std::string(const std::string&)>& read_model) {
  if (format == "html") return render_html(input);
  if (format == "md") return render_markdown(input);
  if (format == "csv") return render_register_csv(input);
  // The drafts are Markdown: a plan (`report --plan`) follows them as its own section.
  if (format == "appi-notice")
    return with_plan(render_appi_notices_markdown(appi_notices(input)), input);
  if (format == "tia") return with_plan(render_tia_markdown(tia_drafts(input)), input);
  if (format == "dpv") return dpv_document(input).dump(2) + "\n";
  if (format == "sarif") {
    return render_sarif(input, read_model).dump(2) + "\n";
  }
  return input.dump(2) + "\n";
}

}  // namespace xborder
