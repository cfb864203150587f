#include "model/transfer_model.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace xborder {
namespace {
// The item with `id`: through the index when it is current for `items`, else by a scan.
template <class T>
const T* find_by_id(const std::vector<T>& items, const std::map<Id, std::size_t>* index,
                    std::size_t indexed_size, const Id& id) {
  if (index && indexed_size == items.size()) {
    auto it = index->find(id);
    if (it != index->end() && it->second < items.size() && items[it->second].id == id)
      return &items[it->second];
    if (it == index->end()) return nullptr;
  }
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}

template <class T>
std::map<Id, std::size_t> positions(const std::vector<T>& items) {
  std::map<Id, std::size_t> out;
  for (std::size_t k = 0; k < items.size(); ++k) out.emplace(items[k].id, k);  // first wins
  return out;
}
}  // namespace

void TransferModel::reindex() {
  auto index = std::make_shared<IdIndex>();
  index->parties = positions(parties);
  index->systems = positions(systems);
  index->datasets = positions(datasets);
  index->locations = positions(locations);
  index->sizes[0] = parties.size();
  index->sizes[1] = systems.size();
  index->sizes[2] = datasets.size();
  index->sizes[3] = locations.size();
  id_index = std::move(index);
}

const Party* TransferModel::party(const Id& id) const {
  return find_by_id(parties, id_index ? &id_index->parties : nullptr,
                    id_index ? id_index->sizes[0] : 0, id);
}
const System* TransferModel::system(const Id& id) const {
  return find_by_id(systems, id_index ? &id_index->systems : nullptr,
                    id_index ? id_index->sizes[1] : 0, id);
}
const DataSet* TransferModel::dataset(const Id& id) const {
  return find_by_id(datasets, id_index ? &id_index->datasets : nullptr,
                    id_index ? id_index->sizes[2] : 0, id);
}
const Location* TransferModel::location(const Id& id) const {
  return find_by_id(locations, id_index ? &id_index->locations : nullptr,
                    id_index ? id_index->sizes[3] : 0, id);
}

TransferModel::ControlChain TransferModel::control_chain(const Id& party_id) const {
  ControlChain chain;
  std::set<Id> seen;
  const Party* cur = party(party_id);
  while (cur && seen.insert(cur->id).second) {
    chain.parties.push_back(cur);
    if (!cur->parent.known()) {
      chain.complete = false;
      break;
    }
    if (!cur->parent.value()) break;
    cur = party(*cur->parent.value());
  }
  return chain;
}

}  // namespace xborder
