#include "reports/plan_report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "reports/check_report.hpp"
#include "scenarios/markov.hpp"

namespace xborder {
namespace {

using nlohmann::json;

// Costs and latencies as people write them: 120, 12.5 (never 120.000000).
std::string number_text(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

json number_json(double x) {
  return x;
}

const ChoiceOption& option_of(const PlanResult& r, const PlannedChoice& c) {
  return r.points.at(c.point).options.at(c.option);
}

json target_json(const ChoicePoint& p) {
  json t{{"kind", to_string(p.target)}, {"pointer", p.target_pointer}};
  if (!p.system.empty()) t["system"] = p.system;
  if (!p.flow.empty()) t["flow"] = p.flow;
  if (!p.party.empty()) t["party"] = p.party;
  return t;
}

json choices_json(const PlanResult& r, const std::vector<PlannedChoice>& choices) {
  json out = json::array();
  for (const auto& c : choices) {
    const ChoiceOption& o = option_of(r, c);
    json j{{"point", r.points[c.point].id}, {"option", o.id}, {"cost", number_json(o.cost)}};
    j["latency_ms"] = o.latency_ms ? json(*o.latency_ms) : json(nullptr);
    out.push_back(std::move(j));
  }
  return out;
}

json checks_json(const std::vector<DateCheck>& checks) {
  json out = json::array();
  for (const auto& c : checks) {
    out.push_back({{"at", c.at.to_string()},
                   {"violations", c.summary.violations},
                   {"undetermined", c.summary.undetermined}});
  }
  return out;
}

// A finding as plan output gives it: self-contained (its rule's text and citation as in force
// at `at`), with the witness path as node ids and the routes' status.
json finding_json(const Finding& f, Date at) {
  json j{{"verdict", to_string(f.verdict)},
         {"rule", f.rule_id},
         {"title", text_json(f.rule_title)},
         {"citation", citation_json(f.citation.at(at))},
         {"place", f.place},
         {"dataset", f.dataset},
         {"event", to_string(f.event)},
         {"edge", f.edge},
         {"model_pointer", f.model_pointer},
         {"exporter", f.exporter},
         {"importer", f.importer},
         {"to_country", f.to_country.empty() ? json(nullptr) : json(f.to_country)}};
  json path = json::array();
  for (const auto& step : f.path) path.push_back(step.node);
  j["path"] = std::move(path);
  json routes = json::array(), missing = json::array();
  for (const auto& route : f.routes) {
    routes.push_back(
        {{"id", route.id}, {"title", text_json(route.title)}, {"status", to_string(route.status)}});
    if (route.status != RouteStatus::kAvailable) missing.push_back(route.id);
  }
  j["routes"] = std::move(routes);
  j["missing"] = std::move(missing);
  return j;
}

std::string percent(double p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g %%", p * 100);
  return buf;
}

json robustness_json(const std::optional<Robustness>& r) {
  if (!r) return nullptr;
  json j{{"probability", r->probability}, {"method", r->exact ? "exact" : "sampled"}};
  j["runs"] = r->exact ? json(nullptr) : json(r->runs);
  j["compliant_runs"] = r->exact ? json(nullptr) : json(r->compliant_runs);
  return j;
}

json events_json(const std::vector<std::string>& events) {
  json out = json::array();
  for (const auto& e : events) out.push_back(e);
  return out;
}

json plan_json(const PlanResult& r, const Plan& p) {
  json j{{"cost", number_json(p.cost)},
         {"latency_ms", p.latency_ms ? json(*p.latency_ms) : json(nullptr)},
         {"choices", choices_json(r, p.choices)},
         {"patch", p.patch},
         {"checks", checks_json(p.checks)},
         {"robustness", robustness_json(p.robustness)}};
  json reasons = json::array();
  for (const auto& reason : p.reasons) {
    const ChoicePoint& point = r.points[reason.point];
    std::size_t cheapest = 0;
    for (std::size_t k = 1; k < point.options.size(); ++k)
      if (point.options[k].cost < point.options[cheapest].cost) cheapest = k;
    json avoids = json::array();
    for (const auto& f : reason.avoids) avoids.push_back(finding_json(f, reason.at));
    reasons.push_back(
        {{"point", point.id},
         {"option", point.options[p.choices[reason.point].option].id},
         {"instead_of", point.options[cheapest].id},
         {"at", reason.at.to_string()},
         {"avoids", std::move(avoids)},
         {"probability", reason.probability ? json(*reason.probability) : json(nullptr)},
         {"events", events_json(reason.events)},
         {"future_error",
          reason.future_error.empty() ? json(nullptr) : json(reason.future_error)}});
  }
  j["reasons"] = std::move(reasons);
  return j;
}

json requirement_json(const PlanResult& r, const Requirement& q) {
  json j;
  const bool robust = q.probability_at_most.has_value();
  j["kind"] = robust
                  ? "robust"
                  : (q.finding ? "finding" : (q.load_errors.items().empty() ? "latency" : "model"));
  j["at"] = q.at.to_string();
  j["finding"] = q.finding ? finding_json(*q.finding, q.at) : json(nullptr);
  j["choices"] = choices_json(r, q.selection);
  json points = json::array();
  for (std::size_t i : q.points) points.push_back(r.points[i].id);
  j["points"] = std::move(points);
  json keeps = json::object();
  for (std::size_t k = 0; k < q.points.size() && k < q.keeps.size(); ++k) {
    json ids = json::array();
    for (std::size_t o : q.keeps[k]) ids.push_back(r.points[q.points[k]].options[o].id);
    keeps[r.points[q.points[k]].id] = std::move(ids);
  }
  j["keeps"] = std::move(keeps);
  json errors = json::array();
  for (const auto& d : q.load_errors.sorted())
    errors.push_back({{"code", d.code}, {"pointer", d.pointer}, {"message", d.message}});
  j["model_errors"] = std::move(errors);
  j["probability_at_most"] = robust ? json(*q.probability_at_most) : json(nullptr);
  json futures = json::array();
  for (const auto& w : q.futures) {
    futures.push_back({{"from", w.from.to_string()},
                       {"to", w.to.to_string()},
                       {"events", events_json(w.events)},
                       {"finding", finding_json(w.finding, w.from)}});
  }
  j["futures"] = std::move(futures);
  j["future_error"] = q.future_error.empty() ? json(nullptr) : json(q.future_error);
  return j;
}

// "in the futures where `a`, `b` are active, 2027-03-01 .. 2027-03-15"
std::string future_text(const FutureWorld& w) {
  std::string events;
  for (const auto& e : w.events) events += (events.empty() ? "`" : ", `") + e + "`";
  return (events.empty() ? std::string("with no event active") : "with " + events + " active") +
         ", " + w.from.to_string() + " .. " + w.to.to_string();
}

std::string path_text(const Finding& f) {
  std::string out;
  for (std::size_t k = 0; k < f.path.size(); ++k) {
    if (k) out += f.path[k].edge_kind != EdgeKind::kFlow ? " ⇢ " : " → ";
    out += f.path[k].node;
  }
  return out;
}

std::string missing_text(const Finding& f) {
  std::string out;
  for (const auto& route : f.routes) {
    if (route.status == RouteStatus::kAvailable) continue;
    if (!out.empty()) out += "; ";
    out += route.title.en.empty() ? route.id : route.title.en;
  }
  return out;
}

// `first`: what starts the first line (the indent, or nothing after a number).
void finding_text(std::ostringstream& out, const Finding& f, Date at, const std::string& indent,
                  const std::string& first) {
  const Citation c = f.citation.at(at);
  out << first << to_string(f.verdict) << "  " << f.rule_id << " — " << f.rule_title.en << "\n";
  out << indent << "  " << c.instrument << (c.article.empty() ? "" : ", " + c.article)
      << (c.url.empty() ? "" : "  <" + c.url + ">") << "\n";
  out << indent << "  at " << at.to_string() << ": `" << f.dataset << "` on " << f.edge << " ("
      << to_string(f.event) << ", " << (f.exporter.empty() ? "?" : f.exporter) << " → "
      << (f.importer.empty() ? "?" : f.importer)
      << (f.to_country.empty() ? "" : " in " + f.to_country) << ")\n";
  if (!f.path.empty()) out << indent << "  path: " << path_text(f) << "\n";
  const std::string missing = missing_text(f);
  if (!missing.empty()) out << indent << "  missing — none of these holds: " << missing << "\n";
}

std::string choice_line(const PlanResult& r, const std::vector<PlannedChoice>& choices) {
  std::string out;
  for (const auto& c : choices) {
    if (choices.size() > 12 && option_of(r, c).changes_nothing()) continue;
    if (!out.empty()) out += ", ";
    out += r.points[c.point].id + "=" + option_of(r, c).id;
  }
  return out.empty() ? "(no choice points)" : out;
}

std::string latency_text(const std::optional<double>& l) {
  return l ? number_text(*l) + " ms" : "no latency given";
}

void core_text(std::ostringstream& out, const PlanResult& r) {
  // Requirements of one rule on one event and data set read as one: the selections tried.
  struct Group {
    const Requirement* first = nullptr;
    std::vector<const Requirement*> all;
  };
  std::vector<std::string> order;
  std::map<std::string, Group> groups;
  for (const auto& q : r.core) {
    std::string key =
        q.probability_at_most && q.finding
            ? "robust\n" + q.finding->rule_id + "\n" + q.finding->edge + "\n" + q.finding->dataset
        : q.probability_at_most ? "robust"
        : q.finding ? q.finding->rule_id + "\n" + q.finding->edge + "\n" + q.finding->dataset
                    : (q.load_errors.items().empty() ? "latency" : "model");
    auto [it, fresh] = groups.try_emplace(key);
    if (fresh) {
      order.push_back(key);
      it->second.first = &q;
    }
    it->second.all.push_back(&q);
  }
  std::size_t n = 0;
  for (const auto& key : order) {
    const Group& g = groups[key];
    const Requirement& q = *g.first;
    const std::string number = "  " + std::to_string(++n) + ". ";
    out << number;
    if (q.probability_at_most) {
      out << "in the scenario's futures: compliant with probability at most "
          << percent(*q.probability_at_most) << " under these choices\n";
      if (!q.future_error.empty())
        out << "     a world of the scenario does not load: " << q.future_error << "\n";
      for (const auto& w : q.futures) {
        out << "     " << future_text(w) << ":\n";
        finding_text(out, w.finding, w.from, "       ", "       ");
      }
    } else if (q.finding) {
      finding_text(out, *q.finding, q.at, "     ", "");
    } else if (!q.load_errors.items().empty()) {
      out << "the model does not load with these choices:\n";
      for (const auto& d : q.load_errors.sorted())
        out << "       " << d.pointer << ": " << d.code << ": " << d.message << "\n";
    } else {
      out << "--max-latency leaves no option at:";
      for (std::size_t i : q.points) out << " " << r.points[i].id;
      out << "\n";
      continue;
    }
    if (q.points.empty()) {
      out << "     no choice point changes anything on this path: no option can help\n";
      continue;
    }
    // Which options were tried at each point the requirement depends on.
    std::map<std::size_t, std::set<std::size_t>> tried;
    for (const auto* each : g.all)
      for (std::size_t k = 0; k < each->points.size() && k < each->keeps.size(); ++k)
        tried[each->points[k]].insert(each->keeps[k].begin(), each->keeps[k].end());
    for (const auto& [point, options] : tried) {
      const ChoicePoint& p = r.points[point];
      out << "     " << p.id << " (" << p.target_label() << "): ";
      if (options.size() == p.options.size()) {
        out << "none of its " << options.size() << " options helps";
      } else {
        std::string list;
        for (std::size_t o : options) list += (list.empty() ? "" : ", ") + p.options[o].id;
        out << "stays with " << list;
      }
      out << "\n";
    }
  }
}

}  // namespace

json plan_result_to_json(const PlanResult& r, const PlanReportContext& context) {
  json doc;
  doc["schema_version"] = kPlanSchemaVersion;
  doc["tool"] = "xborder";
  doc["model"] = {{"file", context.model_file}, {"name", context.model_name}};
  json dates = json::array();
  for (Date d : r.dates) dates.push_back(d.to_string());
  const PlanRequest* q = context.request;
  doc["window"] = {{"at", r.dates.empty() ? "" : r.dates.front().to_string()},
                   {"until", q ? q->until.to_string() : ""},
                   {"dates", std::move(dates)}};
  doc["constraints"] = {
      {"no_undetermined", q ? q->forbid_undetermined : false},
      {"max_latency_ms", q && q->max_latency_ms ? json(*q->max_latency_ms) : json(nullptr)}};
  if (q && q->robust) {
    const RobustRequest& rb = *q->robust;
    const Scenario& sc = *rb.scenario;
    const bool exact = sc.stochastic.size() <= kExactMaxEvents;
    doc["robust"] = {{"scenario", {{"file", context.scenario_file}, {"name", sc.name}}},
                     {"start", sc.start.to_string()},
                     {"end", sc.end.to_string()},
                     {"min_probability", rb.min_probability},
                     {"timeline_events", sc.timeline.size()},
                     {"stochastic_events", sc.stochastic.size()},
                     {"method", exact ? "exact" : "sampled"},
                     {"runs", exact ? json(nullptr) : json(rb.runs)},
                     {"seed", exact ? json(nullptr) : json(rb.seed)}};
  } else {
    doc["robust"] = nullptr;
  }
  doc["status"] = to_string(r.status);
  json points = json::array();
  for (const auto& p : r.points) {
    json options = json::array();
    for (const auto& o : p.options) {
      json oj{{"id", o.id}, {"cost", number_json(o.cost)}};
      oj["latency_ms"] = o.latency_ms ? json(*o.latency_ms) : json(nullptr);
      options.push_back(std::move(oj));
    }
    points.push_back({{"id", p.id},
                      {"name", p.name},
                      {"pointer", p.pointer},
                      {"target", target_json(p)},
                      {"options", std::move(options)}});
  }
  doc["choice_points"] = std::move(points);
  doc["plan"] = r.best ? plan_json(r, *r.best) : json(nullptr);
  json alternatives = json::array();
  for (const auto& p : r.alternatives) alternatives.push_back(plan_json(r, p));
  doc["alternatives"] = std::move(alternatives);
  json pareto = json::array();
  for (const auto& p : r.pareto) {
    pareto.push_back({{"cost", number_json(p.cost)},
                      {"latency_ms", p.latency_ms ? json(*p.latency_ms) : json(nullptr)},
                      {"choices", choices_json(r, p.choices)},
                      {"patch", p.patch},
                      {"robustness", robustness_json(p.robustness)}});
  }
  doc["pareto"] = std::move(pareto);
  json core = json::array();
  for (const auto& req : r.core) core.push_back(requirement_json(r, req));
  doc["infeasible_core"] = std::move(core);
  doc["search"] = {{"combinations", r.stats.combinations},
                   {"selections_checked", r.stats.selections},
                   {"checks", r.stats.checks},
                   {"future_checks", r.stats.future_checks},
                   {"learned_constraints", r.stats.nogoods},
                   {"optimisations", r.stats.iterations}};
  return doc;
}

std::string plan_result_to_text(const PlanResult& r, const PlanReportContext& context) {
  std::ostringstream out;
  const std::string window = r.dates.empty()
                                 ? ""
                                 : r.dates.front().to_string() +
                                       (context.request && context.request->until != r.dates.front()
                                            ? " .. " + context.request->until.to_string()
                                            : "");
  // A long list of dates shortened to its ends (the JSON lists them all).
  std::string dates;
  for (std::size_t k = 0; k < r.dates.size(); ++k) {
    if (r.dates.size() > 5 && k >= 2 && k + 1 < r.dates.size()) {
      if (k == 2) dates += ", …";
      continue;
    }
    dates += (dates.empty() ? "" : ", ") + r.dates[k].to_string();
  }
  const std::string searched =
      "searched " + std::to_string(r.stats.selections) + " of " +
      (r.stats.combinations == UINT64_MAX ? std::string("over 1.8e19")
                                          : std::to_string(r.stats.combinations)) +
      " selections (" + std::to_string(r.stats.iterations) + " optimisations, " +
      std::to_string(r.stats.nogoods) + " learned constraints)";
  const RobustRequest* robust =
      context.request && context.request->robust ? &*context.request->robust : nullptr;
  std::string futures;
  if (robust) {
    const Scenario& sc = *robust->scenario;
    futures = "futures of `" + (context.scenario_file.empty() ? sc.name : context.scenario_file) +
              "` (" + sc.start.to_string() + " .. " + sc.end.to_string() + ", " +
              std::to_string(sc.stochastic.size()) + " stochastic event" +
              (sc.stochastic.size() == 1 ? "" : "s") + ": " +
              (sc.stochastic.size() <= kExactMaxEvents
                   ? std::string("exact, the Markov chain")
                   : std::to_string(robust->runs) + " sampled runs, seed " +
                         std::to_string(robust->seed)) +
              ")";
  }
  if (r.status == PlanStatus::kInfeasible) {
    out << "INFEASIBLE  no selection of the options makes every path of `" << context.model_name
        << "` lawful at every date"
        << (robust ? " and compliant in " + percent(robust->min_probability) +
                         " of the scenario's futures"
                   : "")
        << "\n";
    out << "  window " << window << ": " << r.dates.size() << " date"
        << (r.dates.size() == 1 ? "" : "s") << " (" << dates << ")\n";
    if (robust) out << "  " << futures << "\n";
    out << "  " << searched << "\n\n";
    out << "WHY (a minimal set of requirements no selection meets at once)\n";
    core_text(out, r);
    return out.str();
  }
  const Plan& best = *r.best;
  out << "PLAN  `" << context.model_name << "`: minimum cost " << number_text(best.cost)
      << (best.latency_ms ? ", latency " + latency_text(best.latency_ms) : "") << "\n";
  out << "  window " << window << ": clean at " << r.dates.size() << " date"
      << (r.dates.size() == 1 ? "" : "s") << " (" << dates << ")\n";
  if (robust && best.robustness) {
    out << "  " << futures << ": compliant with probability "
        << percent(best.robustness->probability) << " (at least "
        << percent(robust->min_probability) << " asked)\n";
  }
  out << "  " << searched << "\n\n";
  out << "CHOICES\n";
  // Many points (`--repair` makes one per possible change): only those that change something.
  const bool only_changes = best.choices.size() > 12;
  std::size_t kept = 0;
  for (const auto& c : best.choices) {
    const ChoicePoint& p = r.points[c.point];
    const ChoiceOption& o = p.options[c.option];
    if (only_changes && o.changes_nothing()) {
      ++kept;
      continue;
    }
    out << "  " << p.id << "  (" << p.target_label() << ")  → " << o.id << "  cost "
        << number_text(o.cost) << (o.latency_ms ? "  latency " + latency_text(o.latency_ms) : "")
        << (o.note.empty() ? "" : "  — " + o.note) << "\n";
  }
  if (kept > 0) out << "  (" << kept << " other choice points keep the model as written)\n";
  if (best.choices.empty()) out << "  (no choice points: the model as written)\n";
  if (!best.reasons.empty()) {
    out << "\nWHY EACH PAID CHOICE\n";
    for (const auto& reason : best.reasons) {
      const ChoicePoint& p = r.points[reason.point];
      std::size_t cheapest = 0;
      for (std::size_t k = 1; k < p.options.size(); ++k)
        if (p.options[k].cost < p.options[cheapest].cost) cheapest = k;
      out << "  " << p.id << ": `" << p.options[best.choices[reason.point].option].id
          << "` rather than `" << p.options[cheapest].id << "` (cost "
          << number_text(p.options[cheapest].cost) << ")";
      if (!reason.future_error.empty()) {
        out << ", which is lawful in the window, but with it a world of the scenario's futures "
               "does not load:\n    "
            << reason.future_error << "\n";
        continue;
      }
      if (reason.avoids.empty()) {
        out << ", which the other choices or --max-latency rule out\n";
        continue;
      }
      if (reason.probability) {
        out << ", which is lawful in the window but stays compliant in only "
            << percent(*reason.probability) << " of the futures; "
            << (reason.events.empty()
                    ? std::string("with no event active")
                    : "with `" + reason.events.front() + "`" +
                          (reason.events.size() > 1 ? " and others" : "") + " active")
            << " it would break:\n";
      } else {
        out << ", which would break:\n";
      }
      for (const auto& f : reason.avoids) finding_text(out, f, reason.at, "    ", "    ");
    }
  }
  out << "\nAFTER (the patched model checked at each date)\n";
  // Consecutive dates with the same counts on one line.
  for (std::size_t k = 0; k < best.checks.size();) {
    std::size_t end = k + 1;
    while (end < best.checks.size() &&
           best.checks[end].summary.violations == best.checks[k].summary.violations &&
           best.checks[end].summary.undetermined == best.checks[k].summary.undetermined)
      ++end;
    out << "  " << best.checks[k].at.to_string();
    if (end - k > 1)
      out << " .. " << best.checks[end - 1].at.to_string() << " (" << end - k << " dates)";
    out << "  " << best.checks[k].summary.violations << " violations, "
        << best.checks[k].summary.undetermined << " undetermined\n";
    k = end;
  }
  out << "\nPATCH (RFC 6902 against the model; --format json prints it as a document)\n";
  for (const auto& op : best.patch) {
    out << "  " << op["op"].get<std::string>() << " " << op["path"].get<std::string>();
    if (op.contains("value")) out << " " << op["value"].dump();
    out << "\n";
  }
  if (!r.alternatives.empty()) {
    out << "\nALTERNATIVES (next cheapest)\n";
    std::size_t n = 1;
    for (const auto& p : r.alternatives) {
      out << "  " << ++n << ". cost " << number_text(p.cost)
          << (p.latency_ms ? ", latency " + latency_text(p.latency_ms) : "")
          << (p.robustness ? ", compliant in " + percent(p.robustness->probability) : "") << ": "
          << choice_line(r, p.choices) << "\n";
    }
  }
  if (r.pareto.size() > 1) {
    out << "\nCOST / LATENCY (each the cheapest plan faster than the one before)\n";
    for (const auto& p : r.pareto) {
      out << "  cost " << number_text(p.cost) << "  latency " << latency_text(p.latency_ms) << ": "
          << choice_line(r, p.choices) << "\n";
    }
  }
  return out.str();
}

}  // namespace xborder
