#include "reports/check_report.hpp"

#include <sys/resource.h>

#include <boost/graph/adjacency_list.hpp>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "reports/input_view.hpp"

namespace xborder {

using nlohmann::json;

json text_json(const Text& t) {
  return json{{"en", t.en}, {"ja", t.ja}};
}
json warnings_json(const Diagnostics& warnings) {
  json out = json::array();
  for (const auto& w : warnings.sorted()) {
    out.push_back({{"code", w.code},
                   {"pointer", w.pointer},
                   {"message", w.message},
                   {"hint", w.hint.value_or("")}});
  }
  return out;
}
json citation_json(const Citation& c) {
  json j{{"instrument", c.instrument},
         {"article", c.article},
         {"url", c.url},
         {"verified", c.verified}};
  if (!c.note.empty()) j["note"] = c.note;
  return j;
}

namespace {
json edge_json(const FindingRef& f) {
  return {{"id", f.edge},
          {"kind", std::string(to_string(f.edge_kind))},
          {"implicit", f.edge_kind != EdgeKind::kFlow},
          {"from", f.from_node},
          {"to", f.to_node},
          {"exporter", f.exporter},
          {"importer", f.importer},
          {"from_country", f.from_country.empty() ? json(nullptr) : json(f.from_country)},
          {"to_country", f.to_country.empty() ? json(nullptr) : json(f.to_country)}};
}

// What a finding (or an issue's example) says about why: routes, reasons, deciding unknowns,
// the disclosure scope after the event and a witness path.
void add_explanation(json& j, const FindingRef& f) {
  json path = json::array();
  for (const auto& step : f.path) {
    json p{{"node", step.node},
           {"label", step.node_label},
           {"country", step.country.empty() ? json(nullptr) : json(step.country)}};
    if (!step.edge.empty()) {
      p["via"] = {{"edge", step.edge},
                  {"kind", std::string(to_string(step.edge_kind))},
                  {"implicit", step.edge_kind != EdgeKind::kFlow},
                  {"event", std::string(to_string(step.event))}};
      if (!step.why.empty()) p["via"]["why"] = step.why;
    }
    path.push_back(p);
  }
  j["path"] = path;
  // The routes' titles and citations are the rule's: once, in the document's `rules`.
  json routes = json::array();
  for (const auto& r : f.routes)
    routes.push_back({{"id", r.id}, {"status", std::string(to_string(r.status))}});
  j["routes"] = routes;
  json missing = json::array();
  if (f.verdict != Verdict::kCompliant) {
    for (const auto& r : f.routes) {
      if (r.status != RouteStatus::kAvailable) missing.push_back(r.id);
    }
  }
  j["missing"] = missing;
  j["because"] = f.because;
  json deciding = json::array();
  for (const auto& d : f.deciding) {
    deciding.push_back({{"fact", d.variable},
                        {"violating_value", d.violating_value},
                        {"compliant_value", d.compliant_value}});
  }
  j["deciding"] = deciding;
  j["disclosure_scope"] = {{"parties", f.scope},
                           {"authorities", f.authorities},
                           {"authorities_possible", f.authorities_possible}};
}

// The rule's id: its kind, title, citation and place name are in the document's `rules`.
void add_rule(json& j, const FindingRef& f) {
  j["verdict"] = std::string(to_string(f.verdict));
  j["rule"] = f.rule_id;
  j["place"] = f.place;
}

// The text of a rule a finding explains, for the document's `rules`: kind, title, citation as in
// force at `at`, place, place name, and its routes' titles and citations (pack order).
void add_rule_text(json& rules, const FindingRef& f, Date at) {
  if (!f.explained) return;
  json& entry = rules[f.rule_id];
  if (entry.is_null()) {
    entry = {{"kind", f.rule_kind},
             {"title", text_json(f.rule_title)},
             {"citation", citation_json(f.citation.at(at))},
             {"place", f.place},
             {"place_name", text_json(f.place_name)},
             {"routes", json::array()}};
  }
  json& routes = entry["routes"];
  for (const auto& r : f.routes) {
    bool known = false;
    for (const auto& have : routes) known = known || have["id"] == r.id;
    if (known) continue;
    json rj{{"id", r.id}, {"title", text_json(r.title)}};
    if (r.citation) rj["citation"] = citation_json(r.citation->at(at));
    routes.push_back(std::move(rj));
  }
}

bool included(const Verdict v, const CheckJsonOptions& options) {
  return options.compliant || v != Verdict::kCompliant;
}

std::uint64_t add_saturating(std::uint64_t a, std::uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

// Issues per verdict, whatever the document includes.
json issue_counts(const CheckResult& result) {
  std::uint64_t counts[3] = {0, 0, 0};
  for (const auto& issue : result.issues) ++counts[static_cast<int>(issue.verdict)];
  return {{"violations", counts[0]}, {"undetermined", counts[1]}, {"compliant", counts[2]}};
}
}  // namespace

json finding_to_json(const FindingRef& f) {
  json j;
  add_rule(j, f);
  j["dataset"] = f.dataset;
  j["event"] = std::string(to_string(f.event));
  j["edge"] = edge_json(f);
  j["model_pointer"] = f.model_pointer;
  j["path_count"] = f.path_count;
  add_explanation(j, f);
  return j;
}

namespace {
// A JSON string as nlohmann's dump writes it (UTF-8 kept, control characters escaped).
void put_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}
void put_key(std::string& out, const char* key) {
  out += '"';
  out += key;
  out += "\":";
}
void put_strings(std::string& out, const std::set<std::string_view>& items) {
  out += '[';
  bool first = true;
  for (std::string_view item : items) {
    if (!first) out += ',';
    first = false;
    put_string(out, item);
  }
  out += ']';
}
// What an issue's occurrences have in common and what differs, as views into the findings: an
// issue can have thousands of occurrences, and only what is distinct becomes JSON.
struct IssueOccurrences {
  std::set<std::string_view> events, systems, exporters, datasets;
  struct EdgeEntry {
    std::size_t first = 0;  // its first occurrence (index in the findings): the edge's fields
    bool seen = false;
    std::set<std::string_view> datasets;
    std::uint64_t paths = 0;
  };
  std::map<std::string_view, EdgeEntry> by_edge;  // one entry per edge, sorted by id
};
IssueOccurrences group_occurrences(const Issue& issue, const CheckResult& result) {
  IssueOccurrences o;
  for (std::size_t k : issue.findings) {
    const FindingRef f = result.findings.at(k);
    o.events.insert(to_string(f.event));
    o.systems.insert(f.to_node);
    o.exporters.insert(f.exporter);
    o.datasets.insert(f.dataset);
    auto& entry = o.by_edge[f.edge];
    if (!entry.seen) {
      entry.first = k;
      entry.seen = true;
    }
    entry.datasets.insert(f.dataset);
    entry.paths = add_saturating(entry.paths, f.path_count);
  }
  return o;
}
}  // namespace

void write_issue_json(std::string& out, const Issue& issue, const CheckResult& result) {
  const FindingRef example = result.findings.at(issue.example);
  const auto [events, systems, exporters, datasets, by_edge] = group_occurrences(issue, result);
  // The example's explanation, whose keys interleave with the issue's in sorted order.
  json why;
  add_explanation(why, example);
  auto explained = [&](const char* key) {
    put_key(out, key);
    out += why.at(key).dump();
    out += ',';
  };
  auto country = [&](const std::string& c) {
    if (c.empty()) {
      out += "null";
    } else {
      put_string(out, c);
    }
  };
  out += '{';
  explained("because");
  put_key(out, "datasets");
  put_strings(out, datasets);
  out += ',';
  explained("deciding");
  explained("disclosure_scope");
  put_key(out, "edges");
  out += '[';
  bool first = true;
  for (const auto& [id, entry] : by_edge) {
    const FindingRef f = result.findings[entry.first];
    if (!first) out += ',';
    first = false;
    out += '{';
    put_key(out, "datasets");
    put_strings(out, entry.datasets);
    out += ',';
    put_key(out, "event");
    put_string(out, to_string(f.event));
    out += ',';
    put_key(out, "exporter");
    put_string(out, f.exporter);
    out += ',';
    put_key(out, "from");
    put_string(out, f.from_node);
    out += ',';
    put_key(out, "from_country");
    country(f.from_country);
    out += ',';
    put_key(out, "id");
    put_string(out, f.edge);
    out += ',';
    put_key(out, "implicit");
    out += f.edge_kind != EdgeKind::kFlow ? "true" : "false";
    out += ',';
    put_key(out, "kind");
    put_string(out, to_string(f.edge_kind));
    out += ',';
    put_key(out, "model_pointer");
    put_string(out, f.model_pointer);
    out += ',';
    put_key(out, "path_count");
    out += std::to_string(entry.paths);
    out += ',';
    put_key(out, "to");
    put_string(out, f.to_node);
    out += '}';
  }
  out += "],";
  put_key(out, "events");
  put_strings(out, events);
  out += ',';
  put_key(out, "example");
  out += '{';
  put_key(out, "dataset");
  put_string(out, example.dataset);
  out += ',';
  put_key(out, "edge");
  put_string(out, example.edge);
  out += "},";
  put_key(out, "exporters");
  put_strings(out, exporters);
  out += ',';
  explained("missing");
  put_key(out, "occurrences");
  out += std::to_string(issue.findings.size());
  out += ',';
  explained("path");
  put_key(out, "path_count");
  out += std::to_string(issue.path_count);
  out += ',';
  put_key(out, "place");
  put_string(out, example.place);
  out += ',';
  put_key(out, "recipient");
  out += '{';
  put_key(out, "country");
  country(issue.recipient_country);
  out += ',';
  put_key(out, "party");
  put_string(out, issue.recipient);
  out += "},";
  explained("routes");
  put_key(out, "rule");
  put_string(out, example.rule_id);
  out += ',';
  put_key(out, "systems");
  put_strings(out, systems);
  out += ',';
  put_key(out, "verdict");
  put_string(out, to_string(example.verdict));
  out += '}';
}

json rules_to_json(const CheckResult& result, const CheckJsonOptions& options) {
  json rules = json::object();
  for (const auto& issue : result.issues) {
    if (included(issue.verdict, options))
      add_rule_text(rules, result.findings.at(issue.example), result.at);
  }
  if (options.findings) {
    for (const auto& f : result.findings) {
      if (included(f.verdict, options)) add_rule_text(rules, f, result.at);
    }
  }
  return rules;
}

void expand_rule_texts(json& check) {
  const json& rules = check.contains("rules") ? check["rules"] : json::object();
  if (!rules.is_object()) return;
  auto expand = [&](json& item) {
    if (!item.is_object() || !item.contains("rule") || !item["rule"].is_string()) return;
    auto it = rules.find(item["rule"].get<std::string>());
    if (it == rules.end() || !it->is_object()) return;
    const json& rule = *it;
    for (const char* key : {"kind", "title", "citation", "place_name"}) {
      const char* as = std::string_view(key) == "kind" ? "rule_kind" : key;
      if (rule.contains(key) && !item.contains(as)) item[as] = rule[key];
    }
    if (!item.contains("routes") || !item["routes"].is_array() || !rule.contains("routes") ||
        !rule["routes"].is_array())
      return;
    for (json& route : item["routes"]) {
      if (!route.is_object() || !route.contains("id")) continue;
      for (const json& text : rule["routes"]) {
        if (!text.is_object() || text.value("id", json()) != route["id"]) continue;
        for (const char* key : {"title", "citation"}) {
          if (text.contains(key) && !route.contains(key)) route[key] = text[key];
        }
      }
    }
  };
  for (const char* list : {"issues", "findings"}) {
    if (!check.contains(list) || !check[list].is_array()) continue;
    for (json& item : check[list]) expand(item);
  }
}

json issue_to_json(const Issue& issue, const CheckResult& result) {
  const FindingRef example = result.findings.at(issue.example);
  json j;
  add_rule(j, example);
  j["recipient"] = {
      {"party", issue.recipient},
      {"country", issue.recipient_country.empty() ? json(nullptr) : json(issue.recipient_country)}};
  const auto [events, systems, exporters, datasets, by_edge] = group_occurrences(issue, result);
  auto strings = [](const std::set<std::string_view>& items) {
    json a = json::array();
    for (std::string_view item : items) a.push_back(item);
    return a;
  };
  j["events"] = strings(events);
  j["systems"] = strings(systems);
  j["exporters"] = strings(exporters);
  j["datasets"] = strings(datasets);
  j["occurrences"] = issue.findings.size();
  j["path_count"] = issue.path_count;
  json edges = json::array();
  for (const auto& [id, entry] : by_edge) {
    const FindingRef f = result.findings[entry.first];
    json e = edge_json(f);
    e.erase("importer");
    e.erase("to_country");
    e["event"] = std::string(to_string(f.event));
    e["model_pointer"] = f.model_pointer;
    e["datasets"] = strings(entry.datasets);
    e["path_count"] = entry.paths;
    edges.push_back(std::move(e));
  }
  j["edges"] = std::move(edges);
  j["example"] = {{"edge", example.edge}, {"dataset", example.dataset}};
  add_explanation(j, example);
  return j;
}

json exposure_to_json(const std::vector<DatasetExposure>& exposure) {
  json out = json::array();
  for (const auto& x : exposure) {
    json authorities = json::array();
    for (const auto& a : x.authorities) {
      json reasons = json::array();
      for (const auto& r : a.reasons) {
        reasons.push_back({{"source", r.source},
                           {"certain", r.certain},
                           {"node", r.node},
                           {"why", r.why},
                           {"nodes", r.nodes}});
      }
      authorities.push_back(
          {{"authority", a.authority}, {"certain", a.certain}, {"reasons", reasons}});
    }
    out.push_back(
        {{"dataset", x.dataset}, {"countries", x.countries}, {"authorities", authorities}});
  }
  return out;
}

json check_result_to_json(const CheckResult& result, const ReportContext& context,
                          const CheckJsonOptions& options) {
  json out;
  out["schema_version"] = kCheckSchemaVersion;
  out["tool"] = "xborder";
  out["at"] = result.at.to_string();
  out["model"] = {{"file", context.model_file}, {"name", context.model_name}};
  out["places"] = result.places;
  json details = json::array();
  for (const auto& p : result.place_details) {
    details.push_back({{"id", p.id},
                       {"name", text_json(p.name)},
                       {"category", p.category},
                       {"jurisdiction", p.jurisdiction}});
  }
  out["place_details"] = details;
  const auto& s = result.summary;
  out["summary"] = {{"paths", s.paths},
                    {"violations", s.violations},
                    {"undetermined", s.undetermined},
                    {"compliant", s.compliant},
                    {"states", s.states},
                    {"events_checked", s.events_checked}};
  out["summary"]["issues"] = issue_counts(result);
  out["included"] = {{"findings", options.findings}, {"compliant", options.compliant}};
  json issues = json::array();
  for (const auto& issue : result.issues) {
    if (included(issue.verdict, options)) issues.push_back(issue_to_json(issue, result));
  }
  out["issues"] = issues;
  if (options.findings) {
    json findings = json::array();
    for (const auto& f : result.findings) {
      if (included(f.verdict, options)) findings.push_back(finding_to_json(f));
    }
    out["findings"] = findings;
  }
  out["rules"] = rules_to_json(result, options);
  out["warnings"] = warnings_json(result.warnings);
  out["exposure"] = exposure_to_json(result.exposure);
  return out;
}

void write_check_result_json(const CheckResult& result, const ReportContext& context,
                             const json& extra, std::ostream& out,
                             const CheckJsonOptions& options) {
  // The document without its issues and findings, then those one at a time: a map with hundreds
  // of thousands of findings never sits in memory twice.
  CheckResult head;
  head.at = result.at;
  head.places = result.places;
  head.place_details = result.place_details;
  head.summary = result.summary;
  head.warnings = result.warnings;
  head.exposure = result.exposure;
  CheckJsonOptions head_options = options;
  head_options.findings = false;
  json top = check_result_to_json(head, context, head_options);
  top.erase("issues");
  top["summary"]["issues"] = issue_counts(result);
  top["included"]["findings"] = options.findings;
  top["rules"] = rules_to_json(result, options);
  for (const auto& [key, value] : extra.items()) top[key] = value;
  // A value dumped with indent 2, shifted right to sit `depth` levels deep.
  auto nested = [](const json& value, const std::string& shift) {
    const std::string text = value.dump(2);
    std::string o;
    o.reserve(text.size() + text.size() / 8);
    for (char c : text) {
      o += c;
      if (c == '\n') o += shift;
    }
    return o;
  };
  out << "{\n";
  for (const auto& [key, value] : top.items())
    out << "  " << json(key).dump() << ": " << nested(value, "  ") << ",\n";
  // An array member written element by element, one compact element per line: a large map's
  // issues are hundreds of thousands of lines, which line tools (grep, head, diff) handle and
  // indentation would only double in size.
  auto stream_array = [&](const char* key, auto&& items, bool last) {
    out << "  \"" << key << "\": [";
    bool first = true;
    items([&](const std::string& element) {
      out << (first ? "\n    " : ",\n    ") << element;
      first = false;
    });
    out << (first ? "]" : "\n  ]") << (last ? "\n}\n" : ",\n");
  };
  stream_array(
      "issues",
      [&](auto&& emit) {
        std::string text;
        for (const auto& issue : result.issues) {
          if (!included(issue.verdict, options)) continue;
          text.clear();
          write_issue_json(text, issue, result);
          emit(text);
        }
      },
      !options.findings);
  if (options.findings) {
    stream_array(
        "findings",
        [&](auto&& emit) {
          for (const auto& f : result.findings) {
            if (included(f.verdict, options)) emit(finding_to_json(f).dump());
          }
        },
        true);
  }
}

namespace {
using input::join;
// Reasons about set elements read better grouped: `safeguard.derogations[49(1)(b)] = false` and
// its siblings become `safeguard.derogations has none of 49(1)(b), 49(1)(c)`.
std::vector<std::string> readable_reasons(const std::vector<std::string>& reasons) {
  std::vector<std::string> out;
  std::map<std::pair<std::string, bool>, std::vector<std::string>> grouped;
  for (const auto& r : reasons) {
    const auto open = r.find('[');
    const auto close = r.find("] = ");
    if (open == std::string::npos || close == std::string::npos || r.rfind("fact ", 0) == 0) {
      out.push_back(r);
      continue;
    }
    const std::string value = r.substr(close + 4);
    grouped[{r.substr(0, open), value == "true"}].push_back(r.substr(open + 1, close - open - 1));
  }
  for (const auto& [key, elements] : grouped) {
    out.push_back(key.first + (key.second ? " has " : " has none of ") + join(elements, ", "));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "1 violation", "2 violations".
std::string count(std::uint64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}
std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
// The same issue elsewhere: the other edges and data sets it happens on, a few lines at most
// (the JSON lists every one).
void occurrences_to_text(std::ostream& out, const Issue& issue, const CheckResult& result) {
  constexpr std::size_t kShown = 8;
  std::map<std::string, std::pair<std::size_t, std::vector<std::string>>> by_edge;
  for (std::size_t k : issue.findings) {
    if (k == issue.example) continue;
    const FindingRef f = result.findings.at(k);
    auto& entry = by_edge[f.edge];
    entry.first = k;
    entry.second.push_back(f.dataset);
  }
  out << "  the same issue on " << count(issue.findings.size() - 1, "more occurrence") << " ("
      << count(issue.path_count, "path") << " in all):\n";
  std::size_t shown = 0;
  for (const auto& [edge, entry] : by_edge) {
    if (shown++ == kShown) {
      out << "    … and " << count(by_edge.size() - kShown, "more edge")
          << " (--format json lists them all)\n";
      break;
    }
    const FindingRef f = result.findings[entry.first];
    out << "    " << edge << ": " << f.exporter << " ("
        << (f.from_country.empty() ? "?" : f.from_country) << ") → " << f.to_node << " · "
        << join(entry.second, ", ") << "\n";
  }
}
}  // namespace

namespace {

// Who can reach each data set, whether or not a rule fired (the seeds' disclosure scope).
void exposure_to_text(std::ostream& out, const CheckResult& result) {
  if (result.exposure.empty()) return;
  out << "\nexposure — the authorities that can reach each data set on " << result.at.to_string()
      << ":\n";
  for (const auto& x : result.exposure) {
    std::vector<std::string> certain, possible;
    for (const auto& a : x.authorities) {
      std::vector<std::string> sources;
      for (const auto& r : a.reasons) {
        if (r.source != "territorial" && (r.certain || !a.certain) &&
            std::find(sources.begin(), sources.end(), r.source) == sources.end())
          sources.push_back(r.source);
      }
      std::string item = a.authority + (sources.empty() ? "" : " (" + join(sources, ", ") + ")");
      (a.certain ? certain : possible).push_back(item);
    }
    out << "  " << x.dataset << ": in or accessed from "
        << (x.countries.empty() ? "-" : join(x.countries, ", "))
        << " · authorities: " << (certain.empty() ? "-" : join(certain, ", "));
    if (!possible.empty()) out << " · possibly " << join(possible, ", ");
    out << "\n";
  }
}

}  // namespace

std::string check_result_to_text(const CheckResult& result, const ReportContext& context,
                                 bool show_compliant) {
  std::ostringstream out;
  const auto& s = result.summary;
  out << "xborder check — "
      << (context.model_name.empty() ? context.model_file : context.model_name) << "\n";
  out << "at " << result.at.to_string() << " · places: " << join(result.places, ", ") << "\n";
  out << count(s.paths, "data path") << " (" << count(s.states, "distinct state")
      << "): " << count(s.violations, "violation") << ", " << s.undetermined << " undetermined, "
      << s.compliant << " compliant\n";
  if (result.issues.size() < result.findings.size()) {
    std::uint64_t shown = 0;
    for (const auto& issue : result.issues) shown += issue.verdict != Verdict::kCompliant;
    out << "grouped into " << count(shown, "legal issue")
        << " that are not compliant (one per rule and recipient)\n";
  }
  for (const auto& w : result.warnings.sorted())
    out << "\nwarning: " << w.message << "\n  " << w.hint.value_or("") << "\n";
  for (const auto& issue : result.issues) {
    if (issue.verdict == Verdict::kCompliant && !show_compliant) continue;
    const FindingRef f = result.findings.at(issue.example);
    out << "\n"
        << upper(to_string(f.verdict)) << "  " << f.rule_id << " — " << f.rule_title.en << "\n";
    const Citation cited = f.citation.at(result.at);
    out << "  " << cited.label() << "  <" << cited.url << ">\n";
    out << "  place: " << f.place_name.en << " · event: " << to_string(f.event) << " of `"
        << f.dataset << "`"
        << (f.edge_kind != EdgeKind::kFlow
                ? " (implicit " + std::string(to_string(f.edge_kind)) + " edge)"
                : "")
        << "\n";
    out << "  " << f.exporter << " (" << (f.from_country.empty() ? "?" : f.from_country) << ") → "
        << f.importer << " (" << (f.to_country.empty() ? "?" : f.to_country) << ")";
    if (f.path_count > 1) out << " · on " << f.path_count << " paths";
    out << "\n  path: ";
    for (std::size_t k = 0; k < f.path.size(); ++k) {
      const auto& step = f.path[k];
      if (k) out << (step.edge_kind != EdgeKind::kFlow ? " ⇢ " : " → ");
      out << step.node;
    }
    out << "\n";
    for (const auto& step : f.path) {
      if (!step.why.empty()) out << "    ⇢ " << step.why << "\n";
    }
    if (f.verdict != Verdict::kCompliant) {
      std::vector<std::string> missing;
      for (const auto& r : f.routes) {
        if (r.status != RouteStatus::kAvailable) {
          missing.push_back(r.title.en + (r.status == RouteStatus::kDependsOnUnknowns
                                              ? " (depends on unknowns)"
                                              : ""));
        }
      }
      if (!missing.empty())
        out << "  missing — none of these holds: " << join(missing, "; ") << "\n";
    } else {
      std::vector<std::string> available;
      for (const auto& r : f.routes) {
        if (r.status == RouteStatus::kAvailable) available.push_back(r.title.en);
      }
      if (!available.empty()) out << "  holds through: " << join(available, "; ") << "\n";
    }
    if (!f.because.empty()) out << "  because: " << join(readable_reasons(f.because), "; ") << "\n";
    for (const auto& d : f.deciding) {
      out << "  decided by unknown `" << d.variable << "`";
      if (!d.violating_value.empty())
        out << ": violation if " << d.violating_value << ", compliant if " << d.compliant_value;
      out << "\n";
    }
    out << "  disclosure scope: " << join(f.scope, ", ");
    if (!f.authorities.empty()) out << " · authorities: " << join(f.authorities, ", ");
    if (!f.authorities_possible.empty())
      out << " (possibly " << join(f.authorities_possible, ", ") << ")";
    out << "\n";
    if (issue.findings.size() > 1) occurrences_to_text(out, issue, result);
  }
  if (!show_compliant && s.compliant > 0)
    out << "\n(" << count(s.compliant, "compliant finding") << " hidden; --all shows them)\n";
  exposure_to_text(out, result);
  return out.str();
}

json graph_to_json(const TransferGraph& tg) {
  const auto& g = tg.graph();
  json nodes = json::array();
  for (auto [it, end] = boost::vertices(g); it != end; ++it) {
    const GraphNode& n = g[*it];
    json reach = json::array();
    for (const auto& r : n.reach) {
      reach.push_back({{"authority", r.authority},
                       {"certain", r.certain},
                       {"why", r.why},
                       {"source", r.source},
                       {"valid", r.valid.to_string()}});
    }
    nodes.push_back({{"id", n.id},
                     {"kind", std::string(to_string(n.kind))},
                     {"holder", n.holder},
                     {"label", n.label},
                     {"country", n.country.known() ? json(n.country.value()) : json(nullptr)},
                     {"control_chain", n.control_chain},
                     {"control_chain_complete", n.control_chain_complete},
                     {"reach", reach}});
  }
  json edges = json::array();
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    const GraphEdge& e = g[*it];
    json j{{"id", e.id},
           {"kind", std::string(to_string(e.kind))},
           {"implicit", e.implicit()},
           {"event", std::string(to_string(e.event))},
           {"from", g[boost::source(*it, g)].id},
           {"to", g[boost::target(*it, g)].id}};
    if (!e.why.empty()) j["why"] = e.why;
    if (e.flow) j["datasets"] = e.flow->datasets;
    edges.push_back(j);
  }
  return json{{"schema_version", "1.0.0"}, {"nodes", nodes}, {"edges", edges}};
}

std::string graph_to_dot(const TransferGraph& tg) {
  const auto& g = tg.graph();
  std::ostringstream out;
  out << "digraph transfer {\n  rankdir=LR;\n";
  for (auto [it, end] = boost::vertices(g); it != end; ++it) {
    const GraphNode& n = g[*it];
    out << "  n" << *it << " [label=\"" << n.id << "\\n"
        << (n.country.known() ? n.country.value() : "?") << "\"];\n";
  }
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    const GraphEdge& e = g[*it];
    out << "  n" << boost::source(*it, g) << " -> n" << boost::target(*it, g) << " [label=\""
        << to_string(e.kind) << "\"" << (e.implicit() ? ", style=dashed" : "") << "];\n";
  }
  out << "}\n";
  return out.str();
}

std::string check_stats_to_text(const CheckResult& result,
                                const std::vector<std::pair<std::string, double>>& phases_ms) {
  const CheckSummary& s = result.summary;
  const CheckStats& st = result.stats;
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  out << "stats: graph " << st.nodes << " nodes, " << st.edges << " edges; " << s.states
      << " states, " << s.events_checked << " events\n";
  out << "stats: rules " << s.rule_evaluations << " evaluated (" << st.rules_skipped_by_edge
      << " ruled out by the edge alone), " << st.direct_decisions << " decided directly ("
      << st.reused_decisions << " reused from an event alike in what the rule reads), "
      << st.solver_decisions << " by the solver; " << st.explanations << " findings explained; "
      << s.solver_queries << " solver queries, " << s.cache_hits << " cache hits";
  if (st.solver_gave_up > 0) out << ", " << st.solver_gave_up << " given up (undetermined)";
  out << "; " << st.issues << " legal issues; " << st.threads << " threads\n";
  out << "stats: check phases: propagate " << st.propagate_ms << " ms, evaluate " << st.evaluate_ms
      << " ms, count " << st.count_ms << " ms; " << st.interned_sets << " interned sets\n";
  out << stats_time_and_memory(phases_ms);
  return out.str();
}

std::string stats_time_and_memory(const std::vector<std::pair<std::string, double>>& phases_ms) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  out << "stats: time:";
  double total = 0;
  for (const auto& [phase, ms] : phases_ms) {
    out << " " << phase << " " << ms << " ms;";
    total += ms;
  }
  out << " total " << total << " ms\n";
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0)
    out << "stats: peak memory " << usage.ru_maxrss / 1024 << " MiB\n";
  return out.str();
}

}  // namespace xborder
