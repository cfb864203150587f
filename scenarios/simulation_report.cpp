#include "scenarios/simulation_report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace xborder {
namespace {

using nlohmann::json;

// Fixed precision, so output is byte-stable and readable.
double round6(double x) {
  return std::round(x * 1e6) / 1e6;
}

json estimate(const Estimate& e) {
  return {{"value", round6(e.value)}, {"low", round6(e.low)}, {"high", round6(e.high)}};
}

json key_json(const FindingKey& k) {
  return {{"rule", k.rule},
          {"place", k.place},
          {"dataset", k.dataset},
          {"edge", k.edge},
          {"verdict", std::string(to_string(k.verdict))}};
}

json edit_json(const Edit& e) {
  json j{{"type", std::string(to_string(e.kind))}};
  switch (e.kind) {
    case EditKind::kRegionFailover:
      j["region"] = e.region;
      if (e.to) j["to"] = *e.to;
      break;
    case EditKind::kAdd:
      break;
    case EditKind::kAddSafeguard:
      j["flow"] = e.flow;
      break;
    case EditKind::kFactEnds:
    case EditKind::kFactStarts:
      j["fact"] = e.fact;
      j["value"] = e.value;
      break;
    case EditKind::kCertificationEnds:
    case EditKind::kCertificationStarts:
      j["party"] = e.party;
      j["scheme"] = e.scheme;
      break;
  }
  return j;
}

std::string fmt(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string interval_text(const Estimate& e, int digits) {
  return fmt(e.value, digits) + " [" + fmt(e.low, digits) + ", " + fmt(e.high, digits) + "]";
}

}  // namespace

nlohmann::json simulation_to_json(const SimulationReport& r) {
  const Scenario& sc = *r.scenario;
  json timeline = json::array();
  for (const auto& t : sc.timeline) {
    timeline.push_back({{"id", t.id},
                        {"at", t.at.to_string()},
                        {"until", t.until ? json(t.until->to_string()) : json(nullptr)},
                        {"description", t.description},
                        {"event", edit_json(t.edit)}});
  }
  json stochastic = json::array();
  for (const auto& s : sc.stochastic) {
    stochastic.push_back(
        {{"id", s.id},
         {"description", s.description},
         {"rate_per_year", round6(s.rate)},
         {"recovery_per_year", s.recovery ? json(round6(*s.recovery)) : json(nullptr)},
         {"event", edit_json(s.edit)}});
  }
  json segments = json::array();
  for (const auto& s : r.replay.segments) {
    segments.push_back({{"from", s.from.to_string()},
                        {"to", s.to.to_string()},
                        {"active", s.active},
                        {"violations", s.violations},
                        {"undetermined", s.undetermined}});
  }
  json intervals = json::array();
  for (const auto& i : r.replay.intervals) {
    json j = key_json(i.key);
    j["from"] = i.from.to_string();
    j["to"] = i.to.to_string();
    j["days"] = i.to.days() - i.from.days();
    intervals.push_back(j);
  }
  json out{{"format", kSimulateFormat},
           {"schema_version", kSimulateSchemaVersion},
           {"tool", "xborder"},
           {"scenario",
            {{"file", r.scenario_file},
             {"name", sc.name},
             {"start", sc.start.to_string()},
             {"end", sc.end.to_string()},
             {"timeline", timeline},
             {"stochastic", stochastic}}},
           {"places", r.places},
           {"replay",
            {{"violated", r.replay.violated}, {"segments", segments}, {"intervals", intervals}}},
           {"monte_carlo", nullptr},
           {"analytic", nullptr}};
  if (r.monte_carlo) {
    const auto& mc = *r.monte_carlo;
    auto rows = [](const std::vector<RiskRow>& list) {
      json a = json::array();
      for (const auto& row : list) {
        json j = row.finding ? key_json(*row.finding) : json{{"edge", row.edge}};
        j["probability"] = estimate(row.probability);
        j["days"] = estimate(row.days);
        a.push_back(j);
      }
      return a;
    };
    json people{{"mean", round6(mc.people_mean)},
                {"runs_with_unknown_counts", mc.runs_with_unknown_counts}};
    for (const auto& [q, v] : mc.people_quantiles) people[q] = v;
    out["monte_carlo"] = {{"runs", mc.runs},
                          {"seed", mc.seed},
                          {"p_violation", estimate(mc.p_violation)},
                          {"violated_days", estimate(mc.violated_days)},
                          {"people_exposed", people},
                          {"edges", rows(mc.edges)},
                          {"findings", rows(mc.findings)},
                          {"world_states", mc.world_states}};
  }
  if (r.analytic) {
    const auto& a = *r.analytic;
    json events = json::array();
    for (const auto& e : a.events) {
      events.push_back({{"id", e.id},
                        {"p_active_at_end", round6(e.p_active_at_end)},
                        {"active_days", round6(e.active_days)}});
    }
    out["analytic"] = {
        {"available", a.available},
        {"reason", a.reason},
        {"p_violation", a.available ? json(round6(a.p_violation)) : json(nullptr)},
        {"violated_days", a.available ? json(round6(a.violated_days)) : json(nullptr)},
        {"events", events}};
  }
  return out;
}

std::string simulation_to_text(const SimulationReport& r) {
  const Scenario& sc = *r.scenario;
  std::ostringstream o;
  o << "scenario: " << sc.name << "\n  " << r.scenario_file << ", " << sc.start.to_string()
    << " to " << sc.end.to_string() << " (exclusive); " << sc.timeline.size()
    << " timeline events, " << sc.stochastic.size() << " stochastic events\n\n";
  o << "TIMELINE (replay of the dated events, no stochastic event)\n";
  for (const auto& s : r.replay.segments) {
    o << "  " << s.from.to_string() << " .. " << s.to.to_string() << "  " << s.violations
      << (s.violations == 1 ? " violation" : " violations");
    if (s.undetermined) o << ", " << s.undetermined << " undetermined";
    if (!s.active.empty()) {
      o << "  [events:";
      for (const auto& a : s.active) o << " " << a;
      o << "]";
    }
    o << "\n";
  }
  o << "\n";
  if (r.replay.intervals.empty()) {
    o << "no path is non-compliant at any time in the replay\n";
  }
  for (const auto& i : r.replay.intervals) {
    o << (i.key.verdict == Verdict::kViolation ? "NON-COMPLIANT " : "UNDETERMINED  ")
      << i.from.to_string() << " to " << i.to.to_string() << " (" << (i.to.days() - i.from.days())
      << " days)  under " << i.key.rule << "\n    " << i.key.dataset << " on " << i.key.edge
      << "\n";
  }
  if (r.monte_carlo) {
    const auto& mc = *r.monte_carlo;
    o << "\nMONTE CARLO (" << mc.runs << " runs, seed " << mc.seed << "; 95% intervals)\n";
    o << "  P(at least one violation)    " << interval_text(mc.p_violation, 4) << "\n";
    o << "  expected non-compliant days  " << interval_text(mc.violated_days, 1) << "\n";
    o << "  people exposed per run       mean " << fmt(mc.people_mean, 1);
    for (const auto& [q, v] : mc.people_quantiles) o << ", " << q << " " << v;
    if (mc.runs_with_unknown_counts)
      o << "; " << mc.runs_with_unknown_counts
        << " runs exposed data sets of unknown subject count (not counted)";
    o << "\n  edges by risk (probability of a violation there; expected days):\n";
    std::size_t shown = 0;
    for (const auto& row : mc.edges) {
      if (++shown > 10) break;
      o << "    " << interval_text(row.probability, 4) << "  " << interval_text(row.days, 1) << "  "
        << row.edge << "\n";
    }
    o << "  world states checked: " << mc.world_states << "\n";
  }
  if (r.analytic) {
    const auto& a = *r.analytic;
    o << "\nEXACT (Markov chain of the stochastic events)\n";
    if (!a.available) {
      o << "  not computed: " << a.reason << "\n";
    } else {
      o << "  P(at least one violation)    " << fmt(a.p_violation, 4) << "\n";
      o << "  expected non-compliant days  " << fmt(a.violated_days, 1) << "\n";
      for (const auto& e : a.events) {
        o << "  " << e.id << ": active at the end with probability " << fmt(e.p_active_at_end, 4)
          << ", " << fmt(e.active_days, 1) << " days active expected\n";
      }
    }
  }
  return o.str();
}

}  // namespace xborder
