#include "model/transfer_model.hpp"

#include <algorithm>
#include <set>

namespace xborder {
namespace {
template <class T>
const T* find_by_id(const std::vector<T>& items, const Id& id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

const Party* TransferModel::party(const Id& id) const {
  return find_by_id(parties, id);
}
const System* TransferModel::system(const Id& id) const {
  return find_by_id(systems, id);
}
const DataSet* TransferModel::dataset(const Id& id) const {
  return find_by_id(datasets, id);
}
const Location* TransferModel::location(const Id& id) const {
  return find_by_id(locations, id);
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
