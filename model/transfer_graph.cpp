#include "model/transfer_graph.hpp"

#include <algorithm>
#include <set>

namespace xborder {
namespace {

struct Placement {
  Id location;
  RegionRole role;
};

// A system's own placements, or, when it has none, those of the system it runs on.
std::vector<Placement> placements_of(const TransferModel& model, const System& s) {
  std::vector<Placement> out;
  std::set<Id> visited;
  const System* cur = &s;
  while (cur && visited.insert(cur->id).second) {
    if (!cur->regions.empty()) {
      for (const auto& r : cur->regions) out.push_back({r.location, r.role});
      return out;
    }
    cur = cur->runs_on ? model.system(*cur->runs_on) : nullptr;
  }
  return out;
}

std::string country_text(const Unknowable<Country>& c) {
  return c.known() ? c.value() : "an unknown country";
}

void add_reach(GraphNode& node, const TransferModel& model,
               const std::vector<ReachDeclaration>& reach) {
  // Territorial: the place is set first by where the data is (DMF, seed 000) and by where its
  // holder is established.
  if (node.country.known()) {
    node.reach.push_back({node.country.value(),
                          true,
                          "the data is in " + node.country.value() + " (" + node.label + ")",
                          "territorial",
                          {}});
  }
  const Party* holder = model.party(node.holder);
  if (holder && holder->country.known() &&
      (!node.country.known() || holder->country.value() != node.country.value())) {
    node.reach.push_back(
        {holder->country.value(),
         true,
         "`" + holder->id + "` holding it is established in " + holder->country.value(),
         "territorial",
         {}});
  }
  for (const auto& decl : reach) {
    if (!decl.tiers.empty()) {
      if (!node.tier ||
          std::find(decl.tiers.begin(), decl.tiers.end(), *node.tier) == decl.tiers.end())
        continue;
    }
    auto chain = model.control_chain(node.holder);
    bool certain = false;
    bool possible = !chain.complete;
    std::string via;
    for (const Party* p : chain.parties) {
      if (!p->country.known()) {
        possible = true;
        continue;
      }
      if (std::find(decl.control_countries.begin(), decl.control_countries.end(),
                    p->country.value()) != decl.control_countries.end()) {
        certain = true;
        via = p->id == node.holder ? "`" + p->id + "` is established in " + p->country.value()
                                   : "`" + node.holder + "` is controlled by `" + p->id + "` (" +
                                         p->country.value() + ")";
        break;
      }
    }
    if (!certain && !possible) continue;
    if (!certain) via = "the control chain of `" + node.holder + "` is not fully known";
    node.reach.push_back({decl.authority, certain, via + ": " + decl.label, decl.id, decl.valid});
  }
}

}  // namespace

TransferGraph TransferGraph::build(const TransferModel& model,
                                   const std::vector<ReachDeclaration>& reach) {
  TransferGraph tg;
  tg.model_ = &model;
  GraphType& g = tg.graph_;

  auto finish_node = [&](GraphNode node) {
    auto chain = model.control_chain(node.holder);
    for (std::size_t i = 1; i < chain.parties.size(); ++i)
      node.control_chain.push_back(chain.parties[i]->id);
    node.control_chain_complete = chain.complete;
    add_reach(node, model, reach);
    return boost::add_vertex(std::move(node), g);
  };

  // System nodes, one per placement.
  std::map<Id, std::map<Id, NodeIndex>> system_nodes;  // system → location → node
  for (const auto& s : model.systems) {
    for (const auto& p : placements_of(model, s)) {
      const Location* loc = model.location(p.location);
      GraphNode n;
      n.id = s.id + "@" + p.location;
      n.kind = NodeKind::kSystemRegion;
      n.holder = s.operator_party;
      n.system = s.id;
      n.location = p.location;
      n.country = loc ? Unknowable<Country>(loc->country) : Unknowable<Country>::unknown();
      n.region_role = p.role;
      n.tier = s.tier;
      n.holder_handles_data = s.operator_handles_data;
      n.label = s.name + " (" + (loc ? loc->name : p.location) + ")";
      const NodeIndex v = finish_node(std::move(n));
      system_nodes[s.id][p.location] = v;
      tg.nodes_by_endpoint_[s.id].push_back(v);
    }
  }
  // Party nodes: a party's own premises, where flows to or from the party start and end.
  for (const auto& p : model.parties) {
    GraphNode n;
    n.id = "party:" + p.id;
    n.kind = NodeKind::kParty;
    n.holder = p.id;
    n.country = p.country;
    n.holder_handles_data = true;
    n.label = p.name;
    tg.nodes_by_endpoint_[p.id].push_back(finish_node(std::move(n)));
  }

  auto role_of = [&](NodeIndex v) { return g[v].region_role.value_or(RegionRole::kPrimary); };

  // Hosting: the upper system's data sits in the lower system, in the same location.
  for (const auto& s : model.systems) {
    if (!s.runs_on) continue;
    const System* lower = model.system(*s.runs_on);
    if (!lower) continue;
    for (const auto& [location, upper_node] : system_nodes[s.id]) {
      auto it = system_nodes[lower->id].find(location);
      if (it == system_nodes[lower->id].end()) continue;
      GraphEdge e;
      e.id = "hosting:" + g[upper_node].id + "->" + g[it->second].id;
      e.kind = EdgeKind::kHosting;
      e.event = Event::kStore;
      e.region_role = role_of(upper_node);
      e.why = "`" + s.id + "` (" + std::string(to_string(s.tier)) + ") runs on `" + lower->id +
              "` (" + std::string(to_string(lower->tier)) + ", operated by `" +
              lower->operator_party + "`), so its data is stored there";
      boost::add_edge(upper_node, it->second, e, g);
    }
  }
  // Replication: from each primary to the system's replica, backup and failover regions.
  for (const auto& s : model.systems) {
    const auto& nodes = system_nodes[s.id];
    for (const auto& [from_loc, from] : nodes) {
      if (role_of(from) != RegionRole::kPrimary) continue;
      for (const auto& [to_loc, to] : nodes) {
        if (role_of(to) == RegionRole::kPrimary) continue;
        GraphEdge e;
        e.id = "replication:" + g[from].id + "->" + g[to].id;
        e.kind = EdgeKind::kReplication;
        e.event = Event::kStore;
        e.region_role = role_of(to);
        for (const auto& placement : s.regions) {
          if (placement.location == to_loc && !placement.safeguards.empty())
            e.region_safeguards = &placement.safeguards;
        }
        e.why = "`" + to_loc + "` is a " + std::string(to_string(role_of(to))) + " region of `" +
                s.id + "` (in " + country_text(g[to].country) + ")";
        boost::add_edge(from, to, e, g);
      }
    }
  }
  // Remote access: people of another party reach the data from where they sit.
  for (const auto& s : model.systems) {
    for (const auto& a : s.remote_access) {
      GraphNode n;
      n.id = "access:" + s.id + "/" + a.party;
      n.kind = NodeKind::kRemoteAccess;
      n.holder = a.party;
      n.system = s.id;
      n.country = a.country;
      n.holder_handles_data = a.clear_text;
      const Party* accessor = model.party(a.party);
      n.label =
          (accessor ? accessor->name : a.party) + " (" + a.purpose + " access to " + s.name + ")";
      const NodeIndex target = finish_node(std::move(n));
      for (const auto& [location, from] : system_nodes[s.id]) {
        GraphEdge e;
        e.id = "remote_access:" + g[from].id + "->" + g[target].id;
        e.kind = EdgeKind::kRemoteAccess;
        e.event = Event::kRemoteAccess;
        e.access = &a;
        e.why = "`" + a.party + "` has " + a.purpose + " access to `" + s.id + "` from " +
                country_text(a.country) +
                (a.clear_text.known() && !a.clear_text.value() ? " (encrypted only)" : "");
        boost::add_edge(from, target, e, g);
      }
    }
  }
  // Explicit flows.
  for (const auto& f : model.flows) {
    const auto sources = tg.entry_nodes(f.from);
    const auto targets = tg.entry_nodes(f.to);
    for (NodeIndex from : sources) {
      for (NodeIndex to : targets) {
        if (f.from == f.to && from != to) continue;  // processing stays in each region
        GraphEdge e;
        e.id = (sources.size() > 1 || targets.size() > 1)
                   ? f.id + "[" + g[from].id + "->" + g[to].id + "]"
                   : f.id;
        e.kind = EdgeKind::kFlow;
        e.event = f.event;
        e.flow = &f;
        boost::add_edge(from, to, e, g);
      }
    }
  }
  return tg;
}

std::vector<NodeIndex> TransferGraph::entry_nodes(const Id& endpoint) const {
  std::vector<NodeIndex> out;
  auto it = nodes_by_endpoint_.find(endpoint);
  if (it == nodes_by_endpoint_.end()) return out;
  for (NodeIndex v : it->second) {
    const auto& n = graph_[v];
    if (n.kind == NodeKind::kRemoteAccess) continue;
    if (n.region_role && *n.region_role != RegionRole::kPrimary) continue;
    out.push_back(v);
  }
  return out;
}

std::optional<NodeIndex> TransferGraph::find_node(const std::string& node_id) const {
  for (auto [it, end] = boost::vertices(graph_); it != end; ++it) {
    if (graph_[*it].id == node_id) return *it;
  }
  return std::nullopt;
}

}  // namespace xborder
