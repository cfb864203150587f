// What a finding of a selection's model depends on (planner/README.md, step 3): the choice
// points whose targets its witness path touches, with the options under which it stays. Internal
// to planner/ (plan.cpp, robust.cpp).
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/choices.hpp"
#include "model/diagnostic.hpp"
#include "model/json_reader.hpp"
#include "model/transfer_graph.hpp"
#include "model/transfer_model.hpp"
#include "solver/checker.hpp"

namespace xborder::planning {

// A learned constraint: at each choice point it depends on, the options under which the finding
// stays (the one tried, and those that change nothing the finding's path uses). The selections
// that pick such an option at every one of these points all have the finding.
struct Term {
  std::size_t point = 0;
  std::vector<std::size_t> keeps;
};
using Terms = std::vector<Term>;

inline bool same_effect(const ChoiceOption& a, const ChoiceOption& b) {
  return a.set == b.set && a.add_safeguards == b.add_safeguards && a.drop == b.drop;
}

// The options of a point with the same effect as `current` (always including it).
inline std::vector<std::size_t> same_effect_options(const ChoicePoint& p, std::size_t current) {
  std::vector<std::size_t> out;
  for (std::size_t o = 0; o < p.options.size(); ++o)
    if (o == current || same_effect(p.options[o], p.options[current])) out.push_back(o);
  return out;
}

// What a finding depends on: the choice points whose targets its witness path touches — the
// flows it follows, the remote accesses it reaches, every system it passes through, and the hosts
// whose placements a system without regions of its own takes. Nothing else shapes the path or
// the state it carries to the finding's event, and the rules are a function of the event's
// context and that state (and the date), so every selection that keeps all of these keeps the
// finding. A system's option keeps the path when it has the same effect, or differs only in
// `regions` and still has every placement the path passes (same location and role, and the same
// safeguards where the path replicates into it). A data set taken to start where nothing brings
// it (XB-CHECK-001) could start elsewhere under another selection: then every point counts.
//
// In a scenario's world (`plan --scenario`: the selection's model with events applied, which may
// move systems, add parties, systems and flows, or edit the rule base) `of(f, …, true)` is more
// careful: a system point keeps the finding only with an option of the same effect, and every
// system the path touches counts with all the systems it runs on (a failover moves the systems
// running on a moving one, so the hosts' placements and tiers decide where the touched ones are).
// The events themselves do not depend on the selection, so every selection that keeps these
// points has the same edited path, state and finding.
class Dependencies {
 public:
  Dependencies(const std::vector<ChoicePoint>& points, const ChoiceSelection& selection,
               const Json& document, const TransferModel& model, const TransferGraph& graph)
      : points_(points), selection_(selection), document_(document), model_(model) {
    const auto& g = graph.graph();
    for (auto [it, end] = boost::vertices(g); it != end; ++it) nodes_[g[*it].id] = &g[*it];
    for (auto [it, end] = boost::edges(g); it != end; ++it)
      edges_[g[*it].id] = {&g[*it], &g[boost::target(*it, g)]};
  }

  [[nodiscard]] Terms all() const {
    Terms out;
    for (std::size_t i = 0; i < points_.size(); ++i)
      out.push_back({i, same_effect_options(points_[i], selection_[i])});
    return out;
  }

  [[nodiscard]] Terms of(const FindingRef& f, bool implicit_starts,
                         bool edited_world = false) const {
    if (implicit_starts) return all();
    struct Use {
      std::map<Id, RegionRole> placements;  // location → role
      std::set<Id> replicated_into;         // locations the path replicates into
    };
    std::map<Id, Use> used;  // system → what the path uses of it
    std::set<Id> flows, inherited;
    std::set<std::pair<Id, Id>> accesses;  // (system, party)
    auto node = [&](const std::string& id) {
      auto it = nodes_.find(id);
      if (it == nodes_.end()) return;
      const GraphNode& n = *it->second;
      if (n.kind == NodeKind::kRemoteAccess && n.system) accesses.insert({*n.system, n.holder});
      if (n.kind == NodeKind::kSystemRegion && n.system && n.location)
        used[*n.system].placements[*n.location] = n.region_role.value_or(RegionRole::kPrimary);
    };
    auto edge = [&](const std::string& id) {
      auto it = edges_.find(id);
      if (it == edges_.end()) return;
      const auto& [e, to] = it->second;
      if (e->flow) flows.insert(e->flow->id);
      if (e->access && to->system) accesses.insert({*to->system, e->access->party});
      if (e->kind == EdgeKind::kReplication && to->system && to->location)
        used[*to->system].replicated_into.insert(*to->location);
    };
    for (const auto& step : f.path) {
      node(step.node);
      if (!step.edge.empty()) edge(step.edge);
    }
    node(f.from_node);
    node(f.to_node);
    edge(f.edge);
    // A system without regions of its own is placed where its host is.
    for (const auto& [id, use] : std::map<Id, Use>(used)) {
      const System* s = model_.system(id);
      std::set<Id> seen;
      while (s && s->regions.empty() && seen.insert(s->id).second) {
        inherited.insert(s->id);
        s = s->runs_on ? model_.system(*s->runs_on) : nullptr;
        if (s) inherited.insert(s->id);
      }
    }
    if (edited_world) {
      // Every touched system and all the systems it runs on, with options of the same effect.
      std::set<Id> todo;
      for (const auto& [id, use] : used) todo.insert(id);
      for (const auto& [system, party] : accesses) todo.insert(system);
      for (const Id& id : todo) {
        const System* s = model_.system(id);
        std::set<Id> seen;
        while (s && seen.insert(s->id).second) {
          inherited.insert(s->id);
          s = s->runs_on ? model_.system(*s->runs_on) : nullptr;
        }
      }
    }
    Terms out;
    for (std::size_t i = 0; i < points_.size(); ++i) {
      const ChoicePoint& p = points_[i];
      const std::size_t current = selection_[i];
      if (p.target == ChoiceTarget::kFlow) {
        if (flows.count(p.flow)) out.push_back({i, same_effect_options(p, current)});
      } else if (p.target == ChoiceTarget::kRemoteAccess) {
        if (accesses.count({p.system, p.party}))
          out.push_back({i, same_effect_options(p, current)});
      } else if (inherited.count(p.system)) {
        out.push_back({i, same_effect_options(p, current)});
      } else if (auto it = used.find(p.system); it != used.end()) {
        std::vector<std::size_t> keeps;
        for (std::size_t o = 0; o < p.options.size(); ++o) {
          if (o == current || same_effect(p.options[o], p.options[current]) ||
              keeps_placements(p, p.options[o], p.options[current], it->second.placements,
                               it->second.replicated_into))
            keeps.push_back(o);
        }
        out.push_back({i, std::move(keeps)});
      }
    }
    return out;
  }

 private:
  // The regions a system has under an option: the option's, or those the model writes.
  Json regions_under(const ChoicePoint& p, const ChoiceOption& o) const {
    if (o.set.contains("regions")) return o.set["regions"];
    const Json::json_pointer ptr(p.target_pointer + "/regions");
    return document_.contains(ptr) ? document_.at(ptr) : Json();
  }

  static const Json* region_entry(const Json& regions, const Id& location) {
    if (!regions.is_array()) return nullptr;
    for (const auto& r : regions)
      if (r.is_object() && r.value("location", "") == location) return &r;
    return nullptr;
  }

  bool keeps_placements(const ChoicePoint& p, const ChoiceOption& o, const ChoiceOption& current,
                        const std::map<Id, RegionRole>& placements,
                        const std::set<Id>& replicated_into) const {
    Json a = o.set, b = current.set;
    a.erase("regions");
    b.erase("regions");
    if (a != b || o.add_safeguards != current.add_safeguards || o.drop != current.drop)
      return false;
    const Json mine = regions_under(p, o), now = regions_under(p, current);
    for (const auto& [location, role] : placements) {
      const Json* e = region_entry(mine, location);
      if (!e || e->value("role", "primary") != to_string(role)) return false;
      if (!replicated_into.count(location)) continue;
      const Json* n = region_entry(now, location);
      const Json none = Json::array();
      if (!n || e->value("safeguards", none) != n->value("safeguards", none)) return false;
    }
    return true;
  }

  const std::vector<ChoicePoint>& points_;
  const ChoiceSelection& selection_;
  const Json& document_;
  const TransferModel& model_;
  std::map<std::string, const GraphNode*> nodes_;
  std::map<std::string, std::pair<const GraphEdge*, const GraphNode*>> edges_;
};

// The choice points a model that does not load depends on: the systems named by the errors'
// pointers and those they run on (hosting regions, tier order, cycles); anything else, all.
inline Terms load_dependencies(const std::vector<ChoicePoint>& points,
                               const ChoiceSelection& selection, const Json& patched,
                               const Diagnostics& errors) {
  std::set<Id> systems;
  bool all = false;
  const Json* list = patched.contains("systems") ? &patched["systems"] : nullptr;
  for (const auto& d : errors.items()) {
    if (d.severity != Severity::kError) continue;
    const std::string prefix = "/systems/";
    std::size_t index = 0;
    bool ok = d.pointer.rfind(prefix, 0) == 0 && list && list->is_array();
    if (ok) {
      try {
        index = std::stoul(d.pointer.substr(prefix.size()));
        ok = index < list->size() && (*list)[index].contains("id");
      } catch (const std::exception&) {
        ok = false;
      }
    }
    if (!ok) {
      all = true;
      break;
    }
    systems.insert((*list)[index]["id"].get<std::string>());
  }
  Terms out;
  if (!all) {
    std::map<Id, Id> runs_on;
    for (const auto& s : *list) {
      if (s.contains("id") && s.contains("runs_on") && s["runs_on"].is_string())
        runs_on[s["id"].get<std::string>()] = s["runs_on"].get<std::string>();
    }
    std::vector<Id> todo(systems.begin(), systems.end());
    while (!todo.empty()) {
      const Id id = todo.back();
      todo.pop_back();
      auto it = runs_on.find(id);
      if (it != runs_on.end() && systems.insert(it->second).second) todo.push_back(it->second);
    }
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (all || (points[i].target == ChoiceTarget::kSystem && systems.count(points[i].system)))
      out.push_back({i, same_effect_options(points[i], selection[i])});
  }
  return out;
}

}  // namespace xborder::planning
