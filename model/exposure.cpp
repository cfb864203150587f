#include "model/exposure.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

namespace xborder {

std::vector<DatasetExposure> dataset_exposure(const TransferGraph& tg, Date at) {
  const GraphType& g = tg.graph();
  const TransferModel& model = tg.model();
  // Where each data set starts (as the checker: its origin, where it is collected or produced,
  // and where a flow sends it from though nothing brings it there), then static reachability —
  // over data set and node indices (a large map has 200,000 edges).
  std::unordered_map<Id, std::size_t> index_of;
  for (std::size_t k = 0; k < model.datasets.size(); ++k) index_of.emplace(model.datasets[k].id, k);
  const std::size_t node_count = boost::num_vertices(g);
  std::vector<std::vector<bool>> reached(model.datasets.size());
  std::vector<std::vector<NodeIndex>> reached_nodes(model.datasets.size());
  std::deque<std::pair<std::size_t, NodeIndex>> work;
  // By flow (its index in the model): the data sets it carries and derives, as indices.
  auto indices = [&](const std::vector<Id>& ids) {
    std::vector<std::size_t> out;
    for (const auto& id : ids) {
      if (auto it = index_of.find(id); it != index_of.end()) out.push_back(it->second);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  std::vector<std::vector<std::size_t>> carried, produced;
  for (const Flow& f : model.flows) {
    carried.push_back(indices(f.datasets));
    produced.push_back(indices(f.produces));
  }
  auto flow_index = [&](const Flow* f) { return static_cast<std::size_t>(f - model.flows.data()); };
  auto reach_index = [&](std::size_t ds, NodeIndex n) {
    auto& seen = reached[ds];
    if (seen.empty()) seen.assign(node_count, false);
    if (seen[n]) return;
    seen[n] = true;
    reached_nodes[ds].push_back(n);
    work.push_back({ds, n});
  };
  auto reach = [&](const Id& id, NodeIndex n) {
    // An undeclared data set is the loader's to report.
    if (auto it = index_of.find(id); it != index_of.end()) reach_index(it->second, n);
  };
  auto drain = [&] {
    while (!work.empty()) {
      auto [ds, node] = work.front();
      work.pop_front();
      for (auto [e, end] = boost::out_edges(node, g); e != end; ++e) {
        const GraphEdge& edge = g[*e];
        // Implicit edges carry whatever reaches their source; a flow, what it names.
        if (edge.flow) {
          const auto& c = carried[flow_index(edge.flow)];
          if (!std::binary_search(c.begin(), c.end(), ds)) continue;
        }
        const NodeIndex to = boost::target(*e, g);
        reach_index(ds, to);
        if (edge.flow) {
          for (std::size_t product : produced[flow_index(edge.flow)]) reach_index(product, to);
        }
      }
    }
  };
  for (const auto& d : model.datasets) {
    if (d.origin) {
      for (NodeIndex n : tg.entry_nodes(*d.origin)) reach(d.id, n);
    }
  }
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const GraphEdge& edge = g[*e];
    if (edge.flow && edge.flow->event == Event::kCollect) {
      for (const auto& ds : edge.flow->datasets) reach(ds, boost::source(*e, g));
    }
  }
  drain();
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const GraphEdge& edge = g[*e];
    if (!edge.flow || edge.flow->event == Event::kCollect) continue;
    for (const auto& ds : edge.flow->datasets) reach(ds, boost::source(*e, g));
    drain();
  }

  // Each data set's nodes are read in the order of their ids (its reasons name the first node):
  // the ids ranked once.
  std::vector<NodeIndex> by_id(node_count);
  for (NodeIndex n = 0; n < node_count; ++n) by_id[n] = n;
  std::sort(by_id.begin(), by_id.end(),
            [&](NodeIndex a, NodeIndex b) { return g[a].id < g[b].id; });
  std::vector<std::size_t> rank(node_count);
  for (std::size_t k = 0; k < node_count; ++k) rank[by_id[k]] = k;
  std::vector<DatasetExposure> out;
  for (std::size_t k = 0; k < model.datasets.size(); ++k) {
    const DataSet& d = model.datasets[k];
    DatasetExposure x;
    x.dataset = d.id;
    std::set<Country> countries;
    // authority → source → reason (certain and possible kept apart)
    std::map<Country, std::map<std::pair<bool, std::string>, ExposureReason>> by_authority;
    std::vector<NodeIndex>& nodes = reached_nodes[k];
    std::sort(nodes.begin(), nodes.end(),
              [&](NodeIndex a, NodeIndex b) { return rank[a] < rank[b]; });
    for (NodeIndex n : nodes) {
      const GraphNode& node = g[n];
      // The people the data is about hold it before anyone else: not an exposure.
      if (const Party* holder = model.party(node.holder);
          holder && holder->kind == PartyKind::kDataSubjects)
        continue;
      if (node.country.known()) countries.insert(node.country.value());
      for (const auto& r : node.reach) {
        if (!r.valid.contains(at)) continue;
        auto& reason = by_authority[r.authority][{!r.certain, r.source}];
        if (reason.nodes++ == 0) {
          reason.source = r.source;
          reason.certain = r.certain;
          reason.node = node.id;
          reason.why = r.why;
        }
      }
    }
    x.countries.assign(countries.begin(), countries.end());
    for (auto& [authority, reasons] : by_authority) {
      AuthorityExposure a;
      a.authority = authority;
      for (auto& [key, reason] : reasons) {
        a.certain = a.certain || reason.certain;
        a.reasons.push_back(std::move(reason));
      }
      x.authorities.push_back(std::move(a));
    }
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace xborder
