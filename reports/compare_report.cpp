#include "reports/compare_report.hpp"

#include <algorithm>
#include <sstream>

#include "reports/check_report.hpp"
#include "reports/tabular_report.hpp"

namespace xborder {

using nlohmann::json;

namespace {

std::string conjunction(const GapCell& cell) {
  std::string out;
  for (const auto& c : cell.conditions) {
    if (!out.empty()) out += " and ";
    out += c.side.empty() ? c.text : "[" + c.side + "] " + c.text;
  }
  return out.empty() ? "every flow in scope" : out;
}

json rule_json(const CellRule& r, const char* routes_key) {
  return json{{"rule_id", r.rule_id},
              {"kind", r.kind},
              {"title", text_json(r.title)},
              {"citation", citation_json(r.citation)},
              {"place", r.place},
              {routes_key, r.routes}};
}

std::string rule_line(const CellRule& r) {
  std::string routes;
  for (const auto& id : r.routes) routes += (routes.empty() ? "" : ", ") + id;
  return r.rule_id + (routes.empty() ? "" : " (" + routes + ")");
}

// The conditions of one side (with the shared ones when `with_shared`), joined with `and`.
std::string side_text(const GapCell& cell, const std::string& side, bool with_shared) {
  std::string out;
  for (const auto& c : cell.conditions) {
    if (c.side != side && !(with_shared && c.side.empty())) continue;
    out += (out.empty() ? "" : " and ") + c.text;
  }
  return out.empty() ? (with_shared ? "every flow in scope" : "whatever its own rules say") : out;
}

std::string rules_text(const std::vector<CellRule>& rules) {
  std::string out;
  for (const auto& r : rules) out += (out.empty() ? "" : "; ") + rule_line(r);
  return out;
}

std::string witness_text(const GapCell& cell) {
  std::string out;
  for (const auto& [name, value] : cell.witness) {
    // In the home frame a side's exporter-side variables follow from its exporter.country.
    if (name.find(": ") != std::string::npos && name.find("exporter.country") == std::string::npos)
      continue;
    // The plain defaults say nothing about the class.
    if (value == "[]" || value == "false" || value == "none" || value == "0" ||
        value == "1970-01-01")
      continue;
    out += (out.empty() ? "" : ", ") + name + " = " + value;
  }
  return out;
}

json cell_json(const GapCell& c, bool top) {
  json conditions = json::array();
  for (const auto& cond : c.conditions) {
    json cj{{"variable", cond.variable}, {"text", cond.text}};
    if (!cond.side.empty()) cj["side"] = cond.side;
    conditions.push_back(cj);
  }
  json witness = json::object();
  for (const auto& [name, value] : c.witness) witness[name] = value;
  json allowing = json::array(), forbidding = json::array();
  for (const auto& r : c.allowing) allowing.push_back(rule_json(r, "routes_holding"));
  for (const auto& r : c.forbidding) forbidding.push_back(rule_json(r, "routes"));
  json out{{"condition", conjunction(c)},
           {"conditions", conditions},
           {"witness", witness},
           {"allowing_rules", allowing},
           {"forbidding_rules", forbidding}};
  if (top && !c.flows.empty()) {
    json flows = json::array();
    for (const auto& f : c.flows) flows.push_back(cell_json(f, false));
    out["flows"] = flows;
    out["flows_complete"] = c.flows_complete;
  }
  return out;
}

std::string frame_text(const CompareResult& r) {
  return r.frame == CompareFrame::kHome
             ? "home (each regime sees the flow from an exporter established in its own home)"
             : "shared (every regime sees the very same flow)";
}

}  // namespace

json compare_result_to_json(const CompareResult& result) {
  json out;
  out["schema_version"] = kCompareSchemaVersion;
  out["tool"] = "xborder";
  json regimes = json::array();
  for (const auto& r : result.regimes) {
    json j{{"label", r.label}, {"places", r.places}, {"at", r.at.to_string()}, {"home", r.home}};
    if (!r.where.empty()) j["where"] = r.where;
    regimes.push_back(j);
  }
  out["regimes"] = regimes;
  out["frame"] = std::string(to_string(result.frame));
  out["scope"] = result.scope;
  out["warnings"] = warnings_json(result.warnings);
  json tables = json::array();
  const std::size_t n = result.regimes.size();
  json matrix = json::array();
  for (std::size_t i = 0; i < n; ++i) {
    json row = json::array();
    for (std::size_t j = 0; j < n; ++j) {
      const GapTable* t = result.table(j, i);
      row.push_back(t ? json(t->cells.size()) : json(nullptr));
    }
    matrix.push_back(row);
  }
  for (const auto& t : result.tables) {
    json cells = json::array();
    for (const auto& c : t.cells) cells.push_back(cell_json(c, true));
    tables.push_back({{"allows", result.regimes[t.allows].label},
                      {"forbids", result.regimes[t.forbids].label},
                      {"allows_index", t.allows},
                      {"forbids_index", t.forbids},
                      {"complete", t.complete},
                      {"cells", cells}});
  }
  out["tables"] = tables;
  out["matrix"] = matrix;
  out["summary"] = {{"cells", result.stats.cells},
                    {"solver_queries", result.stats.solver_queries},
                    {"seconds", result.stats.seconds}};
  return out;
}

std::string compare_result_to_text(const CompareResult& result) {
  std::ostringstream out;
  out << "compare";
  for (std::size_t i = 0; i < result.regimes.size(); ++i) {
    const auto& r = result.regimes[i];
    out << (i ? " vs " : " ") << r.label;
  }
  out << "\n";
  for (const auto& r : result.regimes) {
    out << "  " << r.label << ": ";
    for (std::size_t k = 0; k < r.places.size(); ++k) out << (k ? ", " : "") << r.places[k];
    out << " at " << r.at.to_string();
    if (!r.where.empty()) out << ", where " << r.where;
    out << "\n";
  }
  out << "frame: " << frame_text(result) << "\n";
  for (const auto& w : result.warnings.sorted())
    out << "warning: " << w.message << "\n  " << w.hint.value_or("") << "\n";
  if (!result.scope.empty()) out << "scope: " << result.scope << "\n";
  for (const auto& t : result.tables) {
    const auto& allows = result.regimes[t.allows].label;
    const auto& forbids = result.regimes[t.forbids].label;
    out << "\n"
        << allows << " allows, " << forbids << " forbids: " << t.cells.size()
        << (t.cells.size() == 1 ? " class" : " classes") << " of flows"
        << (t.complete ? "" : " (incomplete: --max-cells reached)") << "\n";
    // Classes that the forbidding side rejects for the same reasons are told together, with
    // the allowing side's alternatives listed under them.
    std::vector<std::pair<std::string, std::vector<const GapCell*>>> groups;
    for (const auto& c : t.cells) {
      const std::string key = side_text(c, forbids, true);
      auto it =
          std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
      if (it == groups.end()) it = groups.insert(groups.end(), {key, {}});
      it->second.push_back(&c);
    }
    std::size_t k = 0;
    for (const auto& [key, cells] : groups) {
      out << "  " << forbids << " forbids: " << key << "\n";
      out << "  while " << allows << " allows";
      if (cells.size() > 1) out << " in " << cells.size() << " ways";
      out << ":\n";
      for (const GapCell* c : cells) {
        out << "    " << ++k << ". " << side_text(*c, allows, false) << "\n";
        out << "       e.g. " << witness_text(*c) << "\n";
        out << "       " << allows << ": "
            << (c->allowing.empty() ? "no rule applies" : rules_text(c->allowing)) << "; "
            << forbids << ": " << rules_text(c->forbidding) << "\n";
        if (!c->flows.empty()) {
          out << "       as flows" << (c->flows_complete ? "" : " (incomplete)") << ":\n";
          for (const auto& f : c->flows) out << "         - " << conjunction(f) << "\n";
        }
      }
    }
  }
  if (result.regimes.size() > 2) {
    out << "\nmatrix: classes of flows the row's regime forbids and the column's allows\n";
    std::size_t width = 8;
    for (const auto& r : result.regimes) width = std::max(width, r.label.size() + 2);
    auto pad = [&](const std::string& s) { return s + std::string(width - s.size(), ' '); };
    out << pad("");
    for (const auto& r : result.regimes) out << pad(r.label);
    out << "\n";
    for (std::size_t i = 0; i < result.regimes.size(); ++i) {
      out << pad(result.regimes[i].label);
      for (std::size_t j = 0; j < result.regimes.size(); ++j) {
        const GapTable* t = result.table(j, i);
        out << pad(t ? std::to_string(t->cells.size()) : "-");
      }
      out << "\n";
    }
  }
  out << "\n"
      << result.stats.cells << " classes, " << result.stats.solver_queries << " solver queries\n";
  return out.str();
}

std::string compare_result_to_markdown(const CompareResult& result) {
  std::ostringstream out;
  out << "# Regime comparison\n\n| Regime | Places | At | Home |\n|---|---|---|---|\n";
  for (const auto& r : result.regimes) {
    std::string places, home;
    for (const auto& p : r.places) places += (places.empty() ? "" : ", ") + p;
    for (const auto& h : r.home) home += (home.empty() ? "" : ", ") + h;
    out << "| " << markdown_cell(r.label + (r.where.empty() ? "" : " where " + r.where)) << " | "
        << markdown_cell(places) << " | " << r.at.to_string() << " | " << markdown_cell(home)
        << " |\n";
  }
  out << "\nFrame: " << frame_text(result) << ".";
  if (!result.scope.empty()) out << " Scope: `" << result.scope << "`.";
  out << "\n";
  for (const auto& w : result.warnings.sorted())
    out << "\n> **Warning** (" << w.code << "): " << markdown_cell(w.message) << ". "
        << markdown_cell(w.hint.value_or("")) << "\n";
  for (const auto& t : result.tables) {
    const auto& allows = result.regimes[t.allows].label;
    const auto& forbids = result.regimes[t.forbids].label;
    out << "\n## " << allows << " allows, " << forbids << " forbids (" << t.cells.size()
        << (t.complete ? "" : ", incomplete") << ")\n\n";
    if (t.cells.empty()) {
      out << "No such flow.\n";
      continue;
    }
    out << "| # | Flows | Witness | " << markdown_cell(allows) << " allows by | "
        << markdown_cell(forbids) << " forbids by |\n|---|---|---|---|---|\n";
    std::size_t k = 0;
    for (const auto& c : t.cells) {
      out << "| " << ++k << " | " << markdown_cell(conjunction(c)) << " | "
          << markdown_cell(witness_text(c)) << " | "
          << markdown_cell(c.allowing.empty() ? "no rule applies" : rules_text(c.allowing)) << " | "
          << markdown_cell(rules_text(c.forbidding)) << " |\n";
    }
  }
  return out.str();
}

std::string compare_result_to_csv(const CompareResult& result) {
  std::string out = "allows,forbids,cell,condition,witness,allowing_rules,forbidding_rules\r\n";
  for (const auto& t : result.tables) {
    std::size_t k = 0;
    for (const auto& c : t.cells) {
      out += csv_field(result.regimes[t.allows].label) + "," +
             csv_field(result.regimes[t.forbids].label) + "," + std::to_string(++k) + "," +
             csv_field(conjunction(c)) + "," + csv_field(witness_text(c)) + "," +
             csv_field(rules_text(c.allowing)) + "," + csv_field(rules_text(c.forbidding)) + "\r\n";
    }
  }
  return out;
}

json regimes_to_json(const std::vector<Regime>& regimes) {
  json out = json::array();
  for (const auto& r : regimes) out.push_back({{"label", r.label}, {"places", r.places}});
  return out;
}

json regime_disagreements_to_json(const std::vector<RegimeDisagreement>& disagreements) {
  json out = json::array();
  for (const auto& d : disagreements) {
    json path = json::array();
    for (const auto& step : d.path) path.push_back(step.node);
    json verdicts = json::array();
    for (const auto& v : d.verdicts) {
      verdicts.push_back({{"regime", v.regime},
                          {"verdict", v.verdict ? json(std::string(to_string(*v.verdict)))
                                                : json("not_applicable")},
                          {"rules", v.rules}});
    }
    auto country = [](const std::string& c) { return c.empty() ? json(nullptr) : json(c); };
    out.push_back({{"edge", d.edge},
                   {"edge_kind", std::string(to_string(d.edge_kind))},
                   {"dataset", d.dataset},
                   {"event", std::string(to_string(d.event))},
                   {"from", {{"node", d.from_node}, {"country", country(d.from_country)}}},
                   {"to", {{"node", d.to_node}, {"country", country(d.to_country)}}},
                   {"path", path},
                   {"verdicts", verdicts}});
  }
  return out;
}

std::string regime_disagreements_to_text(const std::vector<Regime>& regimes,
                                         const std::vector<RegimeDisagreement>& disagreements) {
  std::ostringstream out;
  out << "\nwhere the regimes disagree (";
  for (std::size_t i = 0; i < regimes.size(); ++i) out << (i ? ", " : "") << regimes[i].label;
  out << "): " << disagreements.size() << (disagreements.size() == 1 ? " event" : " events")
      << "\n";
  for (const auto& d : disagreements) {
    out << "  " << d.edge << " (" << to_string(d.event) << " of " << d.dataset << ", "
        << (d.from_country.empty() ? "?" : d.from_country) << " -> "
        << (d.to_country.empty() ? "?" : d.to_country) << ")\n    path:";
    for (std::size_t k = 0; k < d.path.size(); ++k) out << (k ? " -> " : " ") << d.path[k].node;
    out << "\n";
    for (const auto& v : d.verdicts) {
      out << "    " << v.regime << ": "
          << (v.verdict ? std::string(to_string(*v.verdict)) : "no rule applies");
      if (!v.rules.empty()) {
        out << " (";
        for (std::size_t k = 0; k < v.rules.size(); ++k) out << (k ? "; " : "") << v.rules[k];
        out << ")";
      }
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace xborder
