#include "model/exposure.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace xborder {

namespace {

bool carries(const GraphEdge& e, const Id& dataset) {
  if (!e.flow) return true;  // implicit edges carry whatever reaches their source
  const auto& ds = e.flow->datasets;
  return std::find(ds.begin(), ds.end(), dataset) != ds.end();
}

}  // namespace

std::vector<DatasetExposure> dataset_exposure(const TransferGraph& tg, Date at) {
  const GraphType& g = tg.graph();
  const TransferModel& model = tg.model();
  // Where each data set starts (as the checker: its origin, where it is collected or produced,
  // and where a flow sends it from though nothing brings it there), then static reachability.
  std::map<Id, std::set<NodeIndex>> reached;
  std::deque<std::pair<Id, NodeIndex>> work;
  auto reach = [&](const Id& ds, NodeIndex n) {
    if (reached[ds].insert(n).second) work.push_back({ds, n});
  };
  auto drain = [&] {
    while (!work.empty()) {
      auto [ds, node] = work.front();
      work.pop_front();
      for (auto [e, end] = boost::out_edges(node, g); e != end; ++e) {
        const GraphEdge& edge = g[*e];
        if (!carries(edge, ds)) continue;
        const NodeIndex to = boost::target(*e, g);
        reach(ds, to);
        if (edge.flow) {
          for (const auto& product : edge.flow->produces) reach(product, to);
        }
      }
    }
  };
  for (const auto& d : model.datasets) {
    reached[d.id];
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

  std::vector<DatasetExposure> out;
  for (const auto& d : model.datasets) {
    DatasetExposure x;
    x.dataset = d.id;
    std::set<Country> countries;
    // authority → source → reason (certain and possible kept apart)
    std::map<Country, std::map<std::pair<bool, std::string>, ExposureReason>> by_authority;
    std::vector<NodeIndex> nodes(reached[d.id].begin(), reached[d.id].end());
    std::sort(nodes.begin(), nodes.end(),
              [&](NodeIndex a, NodeIndex b) { return g[a].id < g[b].id; });
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
