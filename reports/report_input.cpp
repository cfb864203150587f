#include "reports/report_input.hpp"

#include <algorithm>
#include <set>

#include "model/model_sources.hpp"

namespace xborder {

using nlohmann::json;

namespace {

json tri(const Unknowable<bool>& b) {
  return b.known() ? json(b.value()) : json("unknown");
}

json safeguard_json(const Safeguard& s) {
  json j{{"type", std::string(to_string(s.type))}, {"in_place", tri(s.in_place)}};
  if (s.scc_module) j["module"] = *s.scc_module;
  if (s.type == SafeguardType::kScc && s.scc_set) j["set"] = *s.scc_set;
  if (s.signed_on) j["signed"] = s.signed_on->to_string();
  if (s.type == SafeguardType::kConsent) {
    j["informed"] = tri(s.informed);
    j["explicit"] = tri(s.explicit_consent);
  }
  if (s.derogation) j["article"] = *s.derogation;
  if (s.basis) j["basis"] = *s.basis;
  if (s.type == SafeguardType::kAppiStandardSystem) j["periodic_check"] = tri(s.periodic_check);
  return j;
}

json model_json(const TransferModel& m) {
  json parties = json::array();
  for (const auto& p : m.parties) {
    json certs = json::array();
    for (const auto& c : p.certifications) {
      certs.push_back({{"scheme", c.scheme},
                       {"held", tri(c.held)},
                       {"from", c.valid.from ? json(c.valid.from->to_string()) : json(nullptr)},
                       {"to", c.valid.to ? json(c.valid.to->to_string()) : json(nullptr)}});
    }
    json parent = p.parent.known() ? (p.parent.value() ? json(*p.parent.value()) : json(nullptr))
                                   : json("unknown");
    parties.push_back({{"id", p.id},
                       {"name", p.name},
                       {"kind", std::string(to_string(p.kind))},
                       {"country", p.country.known() ? json(p.country.value()) : json(nullptr)},
                       {"parent", parent},
                       {"certifications", certs}});
  }
  json systems = json::array();
  for (const auto& s : m.systems) {
    json regions = json::array();
    for (const auto& r : s.regions) {
      const Location* loc = m.location(r.location);
      regions.push_back({{"location", r.location},
                         {"country", loc ? json(loc->country) : json(nullptr)},
                         {"role", std::string(to_string(r.role))}});
    }
    systems.push_back({{"id", s.id},
                       {"name", s.name},
                       {"tier", std::string(to_string(s.tier))},
                       {"operator", s.operator_party},
                       {"runs_on", s.runs_on ? json(*s.runs_on) : json(nullptr)},
                       {"regions", regions},
                       {"operator_handles_data", tri(s.operator_handles_data)},
                       {"pointer", s.pointer}});
  }
  json datasets = json::array();
  for (const auto& d : m.datasets) {
    json present = json::array(), unknown = json::array();
    for (Category c : d.categories.present) present.push_back(std::string(to_string(c)));
    for (Category c : d.categories.unknown) unknown.push_back(std::string(to_string(c)));
    datasets.push_back(
        {{"id", d.id},
         {"name", d.name},
         {"categories", present},
         {"categories_unknown", unknown},
         {"subjects", d.subjects.known() ? json(d.subjects.value()) : json("unknown")},
         {"controller", d.controller.known() ? json(d.controller.value()) : json("unknown")},
         {"purposes", d.purposes},
         {"value",
          d.value.known() ? json(std::string(to_string(d.value.value()))) : json("unknown")},
         {"retention", d.retention},
         {"pointer", d.pointer}});
  }
  json flows = json::array();
  for (const auto& f : m.flows) {
    json safeguards = json::array();
    for (const auto& s : f.safeguards) safeguards.push_back(safeguard_json(s));
    flows.push_back({{"id", f.id},
                     {"name", f.name},
                     {"event", std::string(to_string(f.event))},
                     {"from", f.from},
                     {"to", f.to},
                     {"datasets", f.datasets},
                     {"purpose", f.purpose},
                     {"relationship", f.relationship.known()
                                          ? json(std::string(to_string(f.relationship.value())))
                                          : json("unknown")},
                     {"safeguards", f.safeguards_unknown ? json("unknown") : safeguards},
                     {"pointer", f.pointer}});
  }
  return json{{"file", m.file.generic_string()},
              {"name", m.name},
              {"description", m.description},
              {"parties", parties},
              {"systems", systems},
              {"datasets", datasets},
              {"flows", flows}};
}

}  // namespace

json provenance_json(const TransferModel& model) {
  json out = json::array();
  for (const auto& [model_pointer, p] : provenance_table(model)) {
    json entry{{"model_pointer", model_pointer},
               {"file", p.file.generic_string()},
               {"pointer", p.pointer}};
    if (p.line > 0) {
      entry["line"] = p.line;
      entry["column"] = p.column;
    }
    if (!p.address.empty()) entry["address"] = p.address;
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<std::pair<std::string, Provenance>> provenance_from_json(const json& input) {
  std::vector<std::pair<std::string, Provenance>> table;
  if (!input.is_object() || !input.contains("model") || !input["model"].is_object()) return table;
  const auto it = input["model"].find("sources");
  if (it == input["model"].end() || !it->is_array()) return table;
  auto text = [](const json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  for (const auto& s : *it) {
    if (!s.is_object()) continue;
    Provenance p;
    p.file = text(s, "file");
    p.pointer = text(s, "pointer");
    if (s.contains("line") && s["line"].is_number_integer()) p.line = s["line"].get<int>();
    if (s.contains("column") && s["column"].is_number_integer()) p.column = s["column"].get<int>();
    p.address = text(s, "address");
    table.emplace_back(text(s, "model_pointer"), std::move(p));
  }
  std::sort(table.begin(), table.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return table;
}

json make_report_input(const CheckResult& result, const ReportContext& context,
                       const TransferGraph& graph, const TransferModel& model,
                       const ReferenceData& reference) {
  // The check with each finding carrying its rule's text: renderers read one finding at a time.
  json check = check_result_to_json(result, context);
  expand_rule_texts(check);
  json input{{"format", kReportInputFormat},
             {"check", std::move(check)},
             {"graph", graph_to_json(graph)},
             {"model", model_json(model)}};
  input["model"]["file"] = context.model_file;
  input["model"]["sources"] = provenance_json(model);
  std::set<std::string> codes;
  for (const auto& n : input["graph"]["nodes"]) {
    if (n["country"].is_string()) codes.insert(n["country"].get<std::string>());
    for (const auto& r : n["reach"]) codes.insert(r["authority"].get<std::string>());
  }
  for (const auto& p : model.parties) {
    if (p.country.known()) codes.insert(p.country.value());
  }
  json countries = json::object();
  for (const auto& code : codes) {
    if (const CountryInfo* c = reference.country(code))
      countries[code] = {{"name", c->name}, {"name_ja", c->name_ja}};
  }
  input["countries"] = countries;
  return input;
}

}  // namespace xborder
