// The transfer graph (Boost.Graph): the model's explicit flows plus the implicit edges that put
// data in places nobody drew — hosting on a lower tier, replicas and backups, remote access —
// and, on every node, who can see the data there and why (corporate control, foreign reach).
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/transfer_model.hpp"

namespace xborder {

enum class NodeKind { kSystemRegion, kParty, kRemoteAccess };
XBORDER_ENUM_NAMES(NodeKind, "system_region", "party", "remote_access")

// A foreign or domestic authority's power to compel access to data held by some party, declared
// as data in a rule pack (e.g. the US CLOUD Act reaching US-controlled providers anywhere).
struct ReachDeclaration {
  std::string id;                          // rule-pack id, e.g. "US-CLOUD-ACT"
  Country authority;                       // whose authorities gain access
  std::vector<Country> control_countries;  // holder or a parent established in one of these
  std::vector<Tier> tiers;                 // only systems of these tiers (empty: any holder)
  std::string label;                       // "18 U.S.C. § 2713 (CLOUD Act)"
  Validity valid;
};

struct ReachEntry {
  Country authority;
  bool certain = true;  // false: depends on an unknown (country, parent)
  std::string why;      // a sentence a lawyer can read
  std::string source;   // "territorial" or the declaration id
  Validity valid;
};

struct GraphNode {
  std::string id;
  NodeKind kind = NodeKind::kSystemRegion;
  Id holder;  // the party holding the data here
  std::optional<Id> system;
  std::optional<Id> location;
  Unknowable<Country> country;  // where the data is (or from where it is accessed)
  std::optional<RegionRole> region_role;
  std::optional<Tier> tier;
  Unknowable<bool> holder_handles_data;
  std::vector<Id> control_chain;  // holder's parents, nearest first
  bool control_chain_complete = true;
  std::vector<ReachEntry> reach;
  std::string label;
};

struct GraphEdge {
  std::string id;
  EdgeKind kind = EdgeKind::kFlow;
  Event event = Event::kTransfer;
  const Flow* flow = nullptr;             // explicit flows only
  const RemoteAccess* access = nullptr;   // remote-access edges only
  std::optional<RegionRole> region_role;  // replication edges: the target's role
  const std::vector<Safeguard>* region_safeguards = nullptr;  // replication: the target region's
  std::string why;                                            // implicit edges: why the edge exists
  [[nodiscard]] bool implicit() const { return kind != EdgeKind::kFlow; }
};

using GraphType =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, GraphNode, GraphEdge>;
using NodeIndex = GraphType::vertex_descriptor;
using EdgeIndex = GraphType::edge_descriptor;

class TransferGraph {
 public:
  // `model` must outlive the graph.
  static TransferGraph build(const TransferModel& model,
                             const std::vector<ReachDeclaration>& reach);

  [[nodiscard]] const GraphType& graph() const { return graph_; }
  [[nodiscard]] const TransferModel& model() const { return *model_; }
  [[nodiscard]] const GraphNode& node(NodeIndex n) const { return graph_[n]; }
  [[nodiscard]] const GraphEdge& edge(EdgeIndex e) const { return graph_[e]; }
  [[nodiscard]] std::size_t node_count() const { return boost::num_vertices(graph_); }
  [[nodiscard]] std::size_t edge_count() const { return boost::num_edges(graph_); }
  // Nodes where data sent to `endpoint` (a system or party id) arrives: a system's primary regions.
  [[nodiscard]] std::vector<NodeIndex> entry_nodes(const Id& endpoint) const;
  [[nodiscard]] std::optional<NodeIndex> find_node(const std::string& node_id) const;

 private:
  const TransferModel* model_ = nullptr;
  GraphType graph_;
  std::map<Id, std::vector<NodeIndex>> nodes_by_endpoint_;  // system/party id → its nodes
};

}  // namespace xborder
