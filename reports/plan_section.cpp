#include "reports/plan_section.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "reports/input_view.hpp"
#include "reports/tabular_report.hpp"

namespace xborder {
namespace {

using input::array_member;
using input::citation_text;
using input::join;
using input::kind_of;
using input::member;
using input::str;
using nlohmann::json;

std::optional<double> number(const json& j) {
  if (j.is_number()) return j.get<double>();
  return std::nullopt;
}

PlanFindingView finding_view(const json& f, const std::string& at) {
  PlanFindingView v;
  v.verdict = str(f, "verdict");
  v.rule = str(f, "rule");
  v.title = str(member(f, "title"), "en");
  v.place = str(f, "place");
  v.dataset = str(f, "dataset");
  v.edge = str(f, "edge");
  v.exporter = str(f, "exporter");
  v.importer = str(f, "importer");
  v.to_country = str(f, "to_country");
  v.citation = member(f, "citation");
  v.at = at;
  for (const auto& m : array_member(f, "missing"))
    if (m.is_string()) v.missing.push_back(m.get<std::string>());
  // The routes' titles read better than their ids.
  std::vector<std::string> titles;
  for (const auto& r : array_member(f, "routes")) {
    const std::string id = str(r, "id");
    for (const auto& m : v.missing)
      if (m == id) titles.push_back(str(member(r, "title"), "en", id));
  }
  if (titles.size() == v.missing.size()) v.missing = titles;
  return v;
}

std::string code(const std::string& s) {
  return s.empty() ? "" : "`" + s + "`";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> plan_document_problems(const json& plan,
                                                                        const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!plan.is_object()) {
    out.emplace_back(prefix, "a plan document is an object, found " + kind_of(plan));
    return out;
  }
  auto want = [&](const json& j, const std::string& pointer, const char* key, json::value_t type,
                  bool nullable = false) {
    const json& m = member(j, key);
    const bool ok = m.type() == type || (type == json::value_t::number_float && m.is_number()) ||
                    (nullable && m.is_null() && j.contains(key));
    if (ok) return;
    const std::string wanted = kind_of(json(type));
    out.emplace_back(pointer + "/" + key,
                     "`" + std::string(key) + "` must be " + wanted + (nullable ? " or null" : "") +
                         ", found " + (j.contains(key) ? kind_of(m) : std::string("nothing")));
  };
  using V = json::value_t;
  want(plan, prefix, "schema_version", V::string);
  const std::string version = str(plan, "schema_version");
  if (!version.empty() && version.rfind("1.", 0) != 0) {
    out.emplace_back(prefix + "/schema_version",
                     "plan schema " + version + " is not one this report reads (1.x)");
  }
  if (str(plan, "tool") != "xborder")
    out.emplace_back(prefix + "/tool", "not a document of xborder (`tool` must be \"xborder\")");
  const std::string status = str(plan, "status");
  if (status != "optimal" && status != "infeasible")
    out.emplace_back(prefix + "/status", "`status` must be \"optimal\" or \"infeasible\"");
  want(plan, prefix, "model", V::object);
  want(plan, prefix, "window", V::object);
  want(member(plan, "window"), prefix + "/window", "dates", V::array);
  want(plan, prefix, "choice_points", V::array);
  want(plan, prefix, "infeasible_core", V::array);
  want(plan, prefix, "plan", V::object, true);
  auto objects = [&](const json& a, const std::string& pointer) {
    if (!a.is_array()) return;
    for (std::size_t k = 0; k < a.size(); ++k)
      if (!a[k].is_object())
        out.emplace_back(pointer + "/" + std::to_string(k),
                         "expected an object, found " + kind_of(a[k]));
  };
  objects(member(plan, "choice_points"), prefix + "/choice_points");
  objects(member(plan, "infeasible_core"), prefix + "/infeasible_core");
  const json& p = member(plan, "plan");
  if (status == "optimal" && !p.is_object())
    out.emplace_back(prefix + "/plan", "an optimal plan document has a `plan` object");
  if (p.is_object()) {
    const std::string at = prefix + "/plan";
    want(p, at, "cost", V::number_float);
    want(p, at, "choices", V::array);
    want(p, at, "patch", V::array);
    want(p, at, "checks", V::array);
    want(p, at, "reasons", V::array);
    objects(member(p, "choices"), at + "/choices");
    objects(member(p, "patch"), at + "/patch");
    objects(member(p, "checks"), at + "/checks");
    objects(member(p, "reasons"), at + "/reasons");
    const json& reasons = member(p, "reasons");
    if (reasons.is_array()) {
      for (std::size_t k = 0; k < reasons.size(); ++k) {
        if (!reasons[k].is_object()) continue;
        const std::string r = at + "/reasons/" + std::to_string(k);
        want(reasons[k], r, "avoids", V::array);
        objects(member(reasons[k], "avoids"), r + "/avoids");
      }
    }
  }
  return out;
}

std::string plan_number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string plan_percent(double p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g %%", p * 100);
  return buf;
}

std::string plan_target_label(const json& target) {
  const std::string kind = str(target, "kind");
  if (kind == "flow") return "flow " + code(str(target, "flow"));
  if (kind == "remote_access")
    return "remote access of " + code(str(target, "party")) + " to " + code(str(target, "system"));
  return "system " + code(str(target, "system"));
}

std::string plan_finding_label(const PlanFindingView& f) {
  const std::string c = citation_text(f.citation);
  return f.rule + (c.empty() ? "" : " (" + c + ")");
}

std::optional<PlanView> plan_view(const json& input) {
  const json& plan = member(input, "plan");
  if (!plan.is_object()) return std::nullopt;
  PlanView v;
  v.schema_version = str(plan, "schema_version");
  v.model_file = str(member(plan, "model"), "file");
  v.model_name = str(member(plan, "model"), "name");
  v.status = str(plan, "status");
  const json& window = member(plan, "window");
  v.at = str(window, "at");
  v.until = str(window, "until");
  v.dates = array_member(window, "dates").size();
  const json& robust = member(plan, "robust");
  if (robust.is_object()) {
    v.scenario_file = str(member(robust, "scenario"), "file");
    v.robust_method = str(robust, "method");
    v.min_probability = number(member(robust, "min_probability"));
  }
  std::map<std::string, const json*> points;
  for (const auto& p : array_member(plan, "choice_points")) points[str(p, "id")] = &p;
  const json& best = member(plan, "plan");
  if (best.is_object()) {
    v.cost = number(member(best, "cost"));
    v.latency_ms = number(member(best, "latency_ms"));
    v.probability = number(member(member(best, "robustness"), "probability"));
    const json& choices = array_member(best, "choices");
    std::set<std::string> explained;
    for (const auto& r : array_member(best, "reasons")) explained.insert(str(r, "point"));
    for (const auto& c : choices) {
      PlanView::Change ch;
      ch.point = str(c, "point");
      ch.option = str(c, "option");
      ch.cost = number(member(c, "cost")).value_or(0);
      if (choices.size() > 12 && ch.cost == 0 && !explained.count(ch.point)) {
        ++v.unchanged;
        continue;
      }
      if (auto it = points.find(ch.point); it != points.end()) {
        ch.name = str(*it->second, "name");
        ch.target = plan_target_label(member(*it->second, "target"));
        for (const auto& o : array_member(*it->second, "options"))
          if (str(o, "id") == ch.option) ch.note = str(o, "note");
      }
      v.changes.push_back(std::move(ch));
    }
    for (const auto& r : array_member(best, "reasons")) {
      PlanView::Reason reason;
      reason.point = str(r, "point");
      reason.option = str(r, "option");
      reason.instead_of = str(r, "instead_of");
      reason.at = str(r, "at");
      reason.probability = number(member(r, "probability"));
      reason.future_error = str(r, "future_error");
      for (const auto& e : array_member(r, "events"))
        if (e.is_string()) reason.events.push_back(e.get<std::string>());
      for (const auto& f : array_member(r, "avoids"))
        reason.avoids.push_back(finding_view(f, reason.at));
      v.reasons.push_back(std::move(reason));
    }
    for (const auto& c : array_member(best, "checks")) {
      PlanView::After a;
      a.at = str(c, "at");
      a.violations = member(c, "violations").is_number_integer()
                         ? member(c, "violations").get<long long>()
                         : 0;
      a.undetermined = member(c, "undetermined").is_number_integer()
                           ? member(c, "undetermined").get<long long>()
                           : 0;
      a.last = a.at;
      if (!v.after.empty() && v.after.back().violations == a.violations &&
          v.after.back().undetermined == a.undetermined) {
        v.after.back().last = a.at;
        ++v.after.back().dates;
      } else {
        v.after.push_back(a);
      }
    }
    v.patch = array_member(best, "patch");
  }
  for (const auto& q : array_member(plan, "infeasible_core")) {
    PlanView::Requirement r;
    r.kind = str(q, "kind");
    r.at = str(q, "at");
    if (member(q, "finding").is_object()) r.finding = finding_view(member(q, "finding"), r.at);
    for (const auto& p : array_member(q, "points"))
      if (p.is_string()) r.points.push_back(p.get<std::string>());
    r.probability_at_most = number(member(q, "probability_at_most"));
    const json& futures = array_member(q, "futures");
    if (!futures.empty()) {
      for (const auto& e : array_member(futures[0], "events"))
        if (e.is_string()) r.events.push_back(e.get<std::string>());
    }
    // Requirements of one rule on one edge and data set (seen under different selections) read
    // as one, with every choice point they depend on.
    auto same = [&](const PlanView::Requirement& o) {
      return o.kind == r.kind && o.finding.has_value() == r.finding.has_value() &&
             (!r.finding ||
              (o.finding->rule == r.finding->rule && o.finding->edge == r.finding->edge &&
               o.finding->dataset == r.finding->dataset));
    };
    auto it = std::find_if(v.core.begin(), v.core.end(), same);
    if (it != v.core.end() && (r.finding || r.kind == "model")) {
      for (const auto& p : r.points)
        if (std::find(it->points.begin(), it->points.end(), p) == it->points.end())
          it->points.push_back(p);
      if (r.probability_at_most && it->probability_at_most)
        it->probability_at_most = std::max(*it->probability_at_most, *r.probability_at_most);
      continue;
    }
    v.core.push_back(std::move(r));
  }
  return v;
}

std::map<std::string, std::vector<std::string>> plan_rules_by_point(const PlanView& v) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& r : v.reasons) {
    auto& rules = out[r.point];
    for (const auto& f : r.avoids)
      if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
  }
  return out;
}

std::string plan_section_markdown(const json& input) {
  const auto v = plan_view(input);
  if (!v) return "";
  auto row = [](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const auto& c : cells) out += " " + markdown_cell(c) + " |";
    return out + "\n";
  };
  auto header = [&](const std::vector<std::string>& cells) {
    std::string out = row(cells) + "|";
    for (std::size_t k = 0; k < cells.size(); ++k) out += "---|";
    return out + "\n";
  };
  auto cite = [](const PlanFindingView& f) {
    const std::string c = citation_text(f.citation);
    const std::string url = str(f.citation, "url");
    return url.empty() ? c : "[" + c + "](" + url + ")";
  };
  const json& check = member(input, "check");
  std::string out = "## Plan\n\n";
  out += "From `xborder plan` (" + code(v->model_file) + ", plan schema " + v->schema_version +
         "): **" + v->status + "**";
  if (v->cost) out += ", cost " + plan_number(*v->cost);
  if (v->latency_ms) out += ", latency " + plan_number(*v->latency_ms) + " ms";
  out += ". Window " + v->at + (v->until.empty() || v->until == v->at ? "" : " .. " + v->until) +
         " (" + std::to_string(v->dates) + " date" + (v->dates == 1 ? "" : "s") + " checked).";
  if (v->min_probability) {
    out += " Futures of " + code(v->scenario_file) + " (" + v->robust_method + "): at least " +
           plan_percent(*v->min_probability) + " asked";
    if (v->probability) out += ", the plan stays compliant in " + plan_percent(*v->probability);
    out += ".";
  }
  out += "\n\n";
  if (v->status != "optimal") {
    out +=
        "### Why no plan exists\n\nA minimal set of requirements no selection meets at once:\n\n";
    std::size_t n = 0;
    for (const auto& q : v->core) {
      out += std::to_string(++n) + ". ";
      if (q.kind == "robust" && q.probability_at_most) {
        out += "in the scenario's futures" +
               (q.events.empty() ? std::string() : " with " + join(q.events, ", ") + " active") +
               ", compliant with probability at most " + plan_percent(*q.probability_at_most) +
               ": ";
      }
      if (q.finding) {
        out += "**" + q.finding->verdict + "** " + q.finding->rule + " — " + q.finding->title +
               " (" + cite(*q.finding) + "), at " + q.at + ": " + code(q.finding->dataset) +
               " on " + code(q.finding->edge);
        if (!q.finding->missing.empty())
          out += "; none of these holds: " + join(q.finding->missing, "; ");
      } else if (q.kind == "model") {
        out += "the model does not load with these choices";
      } else if (q.kind == "latency") {
        out += "`--max-latency` leaves no option";
      }
      out += q.points.empty() ? ". No choice point changes it.\n"
                              : ". Choice points: " + join(q.points, ", ") + ".\n";
    }
    return out + "\n";
  }
  out += "### Before and after\n\n";
  out += header({"", "Date", "Violations", "Undetermined"});
  const json& s = member(check, "summary");
  out += row({"Before: the model as written (this report)", str(check, "at"),
              member(s, "violations").dump(), member(s, "undetermined").dump()});
  for (const auto& a : v->after) {
    out += row({"After: the plan's patch applied", a.when(), std::to_string(a.violations),
                std::to_string(a.undetermined)});
  }
  out += "\n### Changes\n\n";
  if (v->changes.empty()) {
    out += "No choice points: the model as written.\n\n";
  } else {
    const auto why = plan_rules_by_point(*v);
    out += header({"Choice point", "Target", "Chosen", "Cost", "Needed for (rules)"});
    for (const auto& c : v->changes) {
      const auto it = why.find(c.point);
      out += row({code(c.point) + (c.name.empty() ? "" : " " + c.name), c.target,
                  code(c.option) + (c.note.empty() ? "" : " — " + c.note), plan_number(c.cost),
                  it == why.end() ? "" : join(it->second, "; ")});
    }
    if (v->unchanged)
      out +=
          "\n" + std::to_string(v->unchanged) + " other choice points keep the model as written.\n";
    out += "\n";
  }
  if (!v->reasons.empty()) {
    out += "### Why each change is needed\n\n";
    for (const auto& r : v->reasons) {
      out += "- " + code(r.point) + ": " + code(r.option) + " rather than " + code(r.instead_of);
      if (!r.future_error.empty()) {
        out +=
            ", which is lawful in the window, but with it a world of the scenario's futures "
            "does not load: " +
            r.future_error + "\n";
        continue;
      }
      if (r.avoids.empty()) {
        out += ", which the other choices or `--max-latency` rule out.\n";
        continue;
      }
      if (r.probability) {
        out += ", which is lawful in the window but stays compliant in only " +
               plan_percent(*r.probability) + " of the futures; with " +
               (r.events.empty() ? std::string("no event") : join(r.events, ", ")) +
               " active, from " + r.at + ", it would break:\n";
      } else {
        out += ", which would break, at " + r.at + ":\n";
      }
      for (const auto& f : r.avoids) {
        out += "  - **" + f.verdict + "** " + f.rule + " — " + f.title + " (" + cite(f) +
               "): " + code(f.dataset) + " on " + code(f.edge) + " (" + f.exporter + " → " +
               f.importer + (f.to_country.empty() ? "" : " in " + f.to_country) + ")";
        if (!f.missing.empty()) out += "; none of these holds: " + join(f.missing, "; ");
        out += "\n";
      }
    }
    out += "\n";
  }
  out += "### Patch (RFC 6902, against " + code(v->model_file) + ")\n\n```json\n" +
         v->patch.dump(2) + "\n```\n\n";
  return out;
}

std::map<std::string, std::string> plan_changes_by_edge(const json& input) {
  std::map<std::string, std::string> out;
  const auto v = plan_view(input);
  if (!v) return out;
  for (const auto& r : v->reasons) {
    for (const auto& f : r.avoids) {
      std::string& cell = out[f.edge];
      const std::string item = r.point + "=" + r.option + ": " + plan_finding_label(f);
      if (cell.find(item) != std::string::npos) continue;
      cell += (cell.empty() ? "" : "; ") + item;
    }
  }
  return out;
}

json plan_sarif_properties(const json& input) {
  const auto v = plan_view(input);
  if (!v) return nullptr;
  json changes = json::array();
  for (const auto& c : v->changes) {
    json rules = json::array();
    for (const auto& r : v->reasons) {
      if (r.point != c.point) continue;
      for (const auto& f : r.avoids)
        rules.push_back({{"ruleId", f.rule}, {"edge", f.edge}, {"citation", f.citation}});
    }
    changes.push_back({{"point", c.point},
                       {"target", c.target},
                       {"option", c.option},
                       {"cost", c.cost},
                       {"avoids", std::move(rules)}});
  }
  json out{{"status", v->status},
           {"model", v->model_file},
           {"schemaVersion", v->schema_version},
           {"changes", std::move(changes)},
           {"patch", v->patch}};
  out["cost"] = v->cost ? json(*v->cost) : json(nullptr);
  if (v->probability) out["probability"] = *v->probability;
  return out;
}

}  // namespace xborder
