#include "reports/tabular_report.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "reports/input_view.hpp"
#include "reports/plan_section.hpp"
#include "reports/register.hpp"

namespace xborder {

using input::citation_text;
using input::join;
using input::member;
using input::str;
using nlohmann::json;

namespace {

// A scalar or a list of scalars as text; lists joined with "; ", null as "".
std::string plain(const json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  if (j.is_array()) {
    std::vector<std::string> items;
    for (const auto& e : j) items.push_back(plain(e));
    return join(items, "; ");
  }
  return j.dump();
}

std::vector<std::string> strings(const json& j) {
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& e : j) out.push_back(plain(e));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown

}  // namespace

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (c == '|') {
      out += "\\|";
    } else if (c == '\r') {
      if (k + 1 < text.size() && text[k + 1] == '\n') continue;
      out += ' ';
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

std::string row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const auto& c : cells) out += " " + markdown_cell(c) + " |";
  return out + "\n";
}

std::string header(const std::vector<std::string>& cells) {
  std::string out = row(cells) + "|";
  for (std::size_t k = 0; k < cells.size(); ++k) out += "---|";
  return out + "\n";
}

// A link destination: spaces and parentheses percent-encoded so the link survives.
std::string link(const std::string& text, const std::string& url) {
  if (url.empty()) return text;
  std::string dest;
  for (const char c : url) {
    if (c == ' ') {
      dest += "%20";
    } else if (c == '(') {
      dest += "%28";
    } else if (c == ')') {
      dest += "%29";
    } else {
      dest += c;
    }
  }
  std::string label;
  for (const char c : text) {
    if (c == '[' || c == ']') label += '\\';
    label += c;
  }
  return "[" + label + "](" + dest + ")";
}

std::string code(const std::string& id) {
  return id.empty() ? "" : "`" + id + "`";
}

using input::event_words;

std::string scope_text(const json& scope) {
  std::vector<std::string> parts;
  parts.push_back("parties: " + (scope.value("parties", json::array()).empty()
                                     ? std::string("none")
                                     : join(strings(member(scope, "parties")), ", ")));
  parts.push_back("authorities: " + (scope.value("authorities", json::array()).empty()
                                         ? std::string("none")
                                         : join(strings(member(scope, "authorities")), ", ")));
  if (!scope.value("authorities_possible", json::array()).empty()) {
    parts.push_back("possibly also: " + join(strings(member(scope, "authorities_possible")), ", "));
  }
  return join(parts, "; ");
}

// What is missing (violation) or what decides it (undetermined); nothing for compliant.
std::string risk_text(const json& f) {
  const auto verdict = str(f, "verdict");
  if (verdict == "compliant") {
    std::vector<std::string> ok;
    for (const auto& r : f.value("routes", json::array())) {
      if (str(r, "status") == "available") ok.push_back(str(member(r, "title"), "en"));
    }
    return ok.empty() ? "compliant" : "compliant via " + join(ok, "; ");
  }
  if (verdict == "violation") {
    std::vector<std::string> missing;
    for (const auto& r : f.value("routes", json::array())) {
      if (str(r, "status") != "available") missing.push_back(str(member(r, "title"), "en"));
    }
    return "**missing** — none of these holds: " + join(missing, "; ");
  }
  std::vector<std::string> deciding;
  for (const auto& d : f.value("deciding", json::array())) {
    std::string one = code(str(d, "fact"));
    if (!str(d, "violating_value").empty() || !str(d, "compliant_value").empty()) {
      one += " (violates if " + str(d, "violating_value") + ", complies if " +
             str(d, "compliant_value") + ")";
    }
    deciding.push_back(one);
  }
  return "**undetermined** — decided by " +
         (deciding.empty() ? std::string("facts the model leaves open") : join(deciding, "; "));
}

std::string finding_section(std::size_t number, const json& f, const input::Names& names) {
  std::string out;
  const auto verdict = str(f, "verdict");
  out += "### " + std::to_string(number) + ". " + verdict + " — " + str(f, "rule") + ": " +
         str(member(f, "title"), "en") + "\n\n";
  out += "- Citation: " +
         link(citation_text(member(f, "citation")), str(member(f, "citation"), "url")) + "\n";
  out += "- Place: " + str(member(f, "place_name"), "en") + " (" + code(str(f, "place")) + ")\n";
  out += "- Data set: " + names.dataset(str(f, "dataset")) + "\n";
  out += "- Model: " + code(str(f, "model_pointer")) + "\n";
  if (f.value("path_count", 0) > 1) {
    out += "- " + std::to_string(f.value("path_count", 0)) +
           " data paths reach this event in the same situation; one is shown.\n";
  }
  out += "\n";
  out += header(
      {"#", "Flow / event", "Place", "Attributes as they change", "Risks / what is missing"});
  const json path = f.value("path", json::array());
  std::string prev_country;
  std::string prev_holder;
  for (std::size_t k = 0; k < path.size(); ++k) {
    const json& step = path[k];
    const bool last = k + 1 == path.size();
    std::string event = "start";
    if (step.contains("via")) {
      const json& via = member(step, "via");
      event = event_words(str(via, "event")) + " " + code(str(via, "edge"));
      if (via.value("implicit", false)) {
        event += " (implicit " + str(via, "kind");
        if (!str(via, "why").empty()) event += ": " + str(via, "why");
        event += ")";
      }
    }
    const std::string place = str(step, "label") + " (" + code(str(step, "node")) + ")";
    std::vector<std::string> attrs;
    const std::string country = member(step, "country").is_string() ? str(step, "country") : "";
    if (k == 0 || country != prev_country) {
      attrs.push_back("country: " +
                      (k == 0 || prev_country.empty()
                           ? names.country(member(step, "country"))
                           : prev_country + " → " + names.country(member(step, "country"))));
    }
    const std::string holder = names.holder(str(step, "node"));
    if (!holder.empty() && (k == 0 || holder != prev_holder)) {
      attrs.push_back("held by " + names.party(holder));
    }
    if (last) attrs.push_back("disclosure scope: " + scope_text(member(f, "disclosure_scope")));
    out += row({std::to_string(k + 1), event, place, join(attrs, "; "), last ? risk_text(f) : ""});
    prev_country = country;
    prev_holder = holder;
  }
  out += "\n";
  const json routes = f.value("routes", json::array());
  if (!routes.empty()) {
    out += "Ways to comply:\n\n";
    for (const auto& r : routes) {
      std::string line = "- " + str(member(r, "title"), "en");
      if (r.contains("citation")) {
        line +=
            " — " + link(citation_text(member(r, "citation")), str(member(r, "citation"), "url"));
      }
      out += line + ": **" + str(r, "status") + "**\n";
    }
    out += "\n";
  }
  const auto because = strings(f.value("because", json::array()));
  if (!because.empty()) {
    out += "Known facts deciding it:\n\n";
    for (const auto& b : because) out += "- " + b + "\n";
    out += "\n";
  }
  return out;
}

std::vector<std::string> register_cells(const json& r) {
  return {code(str(r, "edge")),
          r.value("implicit", false) ? "yes" : "no",
          event_words(str(r, "event")),
          str(r, "dataset_name").empty()
              ? code(str(r, "dataset"))
              : str(r, "dataset_name") + " (" + code(str(r, "dataset")) + ")",
          plain(r.value("categories", json::array())),
          (str(r, "exporter_name").empty() ? code(str(r, "exporter")) : str(r, "exporter_name")) +
              (r.value("exporter_country", json()).is_string() ? ", " + str(r, "exporter_country")
                                                               : ", unknown country"),
          (str(r, "importer_name").empty() ? code(str(r, "importer")) : str(r, "importer_name")) +
              (r.value("importer_country", json()).is_string() ? ", " + str(r, "importer_country")
                                                               : ", unknown country"),
          plain(r.value("mechanism", json::array())),
          plain(r.value("legal_basis", json::array())),
          str(r, "status"),
          plain(r.value("rules", json::array()))};
}

}  // namespace

std::string render_markdown(const json& input) {
  const json& check = input.at("check");
  const json& model = input.at("model");
  const input::Names names(input, "unknown");
  std::string out;
  out += "# Cross-border transfer report: " + str(model, "name") + "\n\n";
  if (!str(model, "description").empty()) out += str(model, "description") + "\n\n";
  out += "- Model: " + code(str(model, "file")) + "\n";
  out += "- Checked at: " + str(check, "at") + "\n";
  // Place names come with the findings; a place without findings is listed by id.
  std::map<std::string, std::string> place_names;
  for (const auto& f : check.at("findings"))
    place_names[str(f, "place")] = str(member(f, "place_name"), "en");
  std::vector<std::string> places;
  for (const auto& p : strings(check.value("places", json::array()))) {
    const auto it = place_names.find(p);
    places.push_back(it == place_names.end() || it->second.empty()
                         ? code(p)
                         : it->second + " (" + code(p) + ")");
  }
  out += "- Places (rule packs): " + (places.empty() ? std::string("none") : join(places, "; ")) +
         "\n\n";

  out += "## Summary\n\n";
  const json& s = check.at("summary");
  out += header({"Data paths", "Violations", "Undetermined", "Compliant"});
  out += row({plain(s.value("paths", json(0))), plain(s.value("violations", json(0))),
              plain(s.value("undetermined", json(0))), plain(s.value("compliant", json(0)))});
  out += "\n";

  out += plan_section_markdown(input);

  out += "## Findings\n\n";
  const json& findings = check.at("findings");
  if (findings.empty()) {
    out += "No rule applies to any transfer in this model.\n\n";
  } else {
    out += header({"#", "Verdict", "Rule", "Citation", "Place", "Event", "Data set", "From → to"});
    std::size_t n = 0;
    for (const auto& f : findings) {
      const json& e = member(f, "edge");
      std::string event = event_words(str(f, "event")) + " " + code(str(e, "id"));
      if (e.value("implicit", false)) event += " (implicit)";
      out += row({std::to_string(++n), "**" + str(f, "verdict") + "**",
                  str(f, "rule") + " — " + str(member(f, "title"), "en"),
                  link(citation_text(member(f, "citation")), str(member(f, "citation"), "url")),
                  str(f, "place"), event, names.dataset(str(f, "dataset")),
                  names.country(e.value("from_country", json())) + " → " +
                      names.country(e.value("to_country", json()))});
    }
    out += "\n";
    out += "## Paths, event by event\n\n";
    out +=
        "For each finding: the flows and events that carry the data set (1), the places it is in "
        "(2), its attributes as they change — country, holder, and after the event its "
        "disclosure scope (3) — and the risk: what is missing or what decides it (4).\n\n";
    n = 0;
    for (const auto& f : findings) out += finding_section(++n, f, names);
  }

  out += "## Transfer register\n\n";
  const json reg = transfer_register(input);
  if (reg.empty()) {
    out += "No cross-border transfer.\n\n";
  } else {
    out += header({"Edge", "Implicit", "Event", "Data set", "Categories", "Exporter", "Importer",
                   "Mechanism", "Legal basis", "Status", "Rules"});
    for (const auto& r : reg) out += row(register_cells(r));
    out += "\n";
  }

  const json exposure = check.value("exposure", json::array());
  if (exposure.is_array() && !exposure.empty()) {
    out += "## Exposure\n\nThe authorities that can reach each data set on " + str(check, "at") +
           ", whether or not a transfer rule applies.\n\n";
    out += header({"Data set", "Countries", "Authorities", "Possibly", "Reach declarations"});
    for (const auto& x : exposure) {
      std::vector<std::string> countries, certain, possible, sources;
      for (const auto& c : x.value("countries", json::array()))
        if (c.is_string()) countries.push_back(c.get<std::string>());
      for (const auto& a : x.value("authorities", json::array())) {
        (a.value("certain", false) ? certain : possible).push_back(str(a, "authority"));
        for (const auto& r : a.value("reasons", json::array())) {
          const std::string source = str(r, "source");
          if (source != "territorial" &&
              std::find(sources.begin(), sources.end(), source) == sources.end())
            sources.push_back(source);
        }
      }
      auto joined = [](const std::vector<std::string>& v) {
        std::string o;
        for (const auto& e : v) o += (o.empty() ? "" : ", ") + e;
        return o;
      };
      out += row({code(str(x, "dataset")), joined(countries), joined(certain), joined(possible),
                  joined(sources)});
    }
    out += "\n";
  }

  const json warnings = check.value("warnings", json::array());
  if (!warnings.empty()) {
    out += "## Warnings\n\n";
    for (const auto& w : warnings) {
      out += "- " + str(w, "code") + " at " + code(str(w, "pointer")) + ": " + str(w, "message");
      if (!str(w, "hint").empty()) out += " (" + str(w, "hint") + ")";
      out += "\n";
    }
    out += "\n";
  }
  // One trailing newline.
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180, CRLF line ends)

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string render_register_csv(const json& input) {
  static const std::vector<const char*> columns = {"edge",
                                                   "implicit",
                                                   "event",
                                                   "dataset",
                                                   "categories",
                                                   "exporter",
                                                   "exporter_country",
                                                   "importer",
                                                   "importer_country",
                                                   "mechanism",
                                                   "legal_basis",
                                                   "status",
                                                   "rules",
                                                   "exporter_established",
                                                   "importer_established",
                                                   "categories_unknown"};
  // With a plan (`report --plan`), one more column: the plan's changes that avoid a finding on
  // the transfer's edge, with the rule and its citation.
  const bool planned = input.contains("plan") && input["plan"].is_object();
  const auto changes = plan_changes_by_edge(input);
  std::string out;
  for (std::size_t k = 0; k < columns.size(); ++k) out += (k ? "," : "") + std::string(columns[k]);
  if (planned) out += ",planned_change";
  out += "\r\n";
  for (const auto& r : transfer_register(input)) {
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const auto it = r.find(columns[k]);
      out += (k ? "," : "") + csv_field(it == r.end() ? "" : plain(*it));
    }
    if (planned) {
      const auto it = changes.find(r.contains("edge") ? plain(r["edge"]) : "");
      out += "," + csv_field(it == changes.end() ? "" : it->second);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace xborder
