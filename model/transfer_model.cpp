#include "model/transfer_model.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace xborder {

struct TransferModel::IdIndex {
  std::unordered_map<Id, std::size_t> parties, systems, datasets, locations;
  std::size_t sizes[4] = {0, 0, 0, 0};  // of the vectors it was built for
};

namespace {
template <class T>
std::unordered_map<Id, std::size_t> index_of(const std::vector<T>& items) {
  std::unordered_map<Id, std::size_t> out;
  out.reserve(items.size());
  for (std::size_t k = 0; k < items.size(); ++k) out.emplace(items[k].id, k);  // first wins
  return out;
}

// A hit is checked against the item (the vectors may have changed since the index was built); a
// miss is trusted while the vector has the size the index was built for, and otherwise confirmed
// by a scan, after which the index is rebuilt.
template <class T>
const T* find_by_id(const std::vector<T>& items, const std::unordered_map<Id, std::size_t>& index,
                    std::size_t indexed_size, const Id& id, bool& stale) {
  auto it = index.find(id);
  if (it != index.end() && it->second < items.size() && items[it->second].id == id)
    return &items[it->second];
  if (it == index.end() && indexed_size == items.size()) return nullptr;
  stale = true;  // the vector changed since: the next lookup uses a fresh index
  auto found = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return found == items.end() ? nullptr : &*found;
}
}  // namespace

TransferModel::TransferModel(const TransferModel& o)
    : file(o.file),
      name(o.name),
      description(o.description),
      parties(o.parties),
      locations(o.locations),
      systems(o.systems),
      datasets(o.datasets),
      flows(o.flows) {}
TransferModel& TransferModel::operator=(const TransferModel& o) {
  if (this == &o) return *this;
  TransferModel copy(o);
  return *this = std::move(copy);
}
TransferModel::TransferModel(TransferModel&& o) noexcept
    : file(std::move(o.file)),
      name(std::move(o.name)),
      description(std::move(o.description)),
      parties(std::move(o.parties)),
      locations(std::move(o.locations)),
      systems(std::move(o.systems)),
      datasets(std::move(o.datasets)),
      flows(std::move(o.flows)) {}
TransferModel& TransferModel::operator=(TransferModel&& o) noexcept {
  file = std::move(o.file);
  name = std::move(o.name);
  description = std::move(o.description);
  parties = std::move(o.parties);
  locations = std::move(o.locations);
  systems = std::move(o.systems);
  datasets = std::move(o.datasets);
  flows = std::move(o.flows);
  std::lock_guard lock(index_mutex_);
  index_.reset();
  return *this;
}
TransferModel::~TransferModel() = default;

std::shared_ptr<const TransferModel::IdIndex> TransferModel::index() const {
  std::lock_guard lock(index_mutex_);
  if (!index_) {
    auto fresh = std::make_shared<IdIndex>();
    fresh->parties = index_of(parties);
    fresh->systems = index_of(systems);
    fresh->datasets = index_of(datasets);
    fresh->locations = index_of(locations);
    fresh->sizes[0] = parties.size();
    fresh->sizes[1] = systems.size();
    fresh->sizes[2] = datasets.size();
    fresh->sizes[3] = locations.size();
    index_ = std::move(fresh);
  }
  return index_;
}

void TransferModel::reindex() {
  (void)rebuild_index();
}

std::shared_ptr<const TransferModel::IdIndex> TransferModel::rebuild_index() const {
  {
    std::lock_guard lock(index_mutex_);
    index_.reset();
  }
  return index();
}

const Party* TransferModel::party(const Id& id) const {
  bool stale = false;
  const auto idx = index();
  const Party* found = find_by_id(parties, idx->parties, idx->sizes[0], id, stale);
  if (stale) (void)rebuild_index();
  return found;
}
const System* TransferModel::system(const Id& id) const {
  bool stale = false;
  const auto idx = index();
  const System* found = find_by_id(systems, idx->systems, idx->sizes[1], id, stale);
  if (stale) (void)rebuild_index();
  return found;
}
const DataSet* TransferModel::dataset(const Id& id) const {
  bool stale = false;
  const auto idx = index();
  const DataSet* found = find_by_id(datasets, idx->datasets, idx->sizes[2], id, stale);
  if (stale) (void)rebuild_index();
  return found;
}
const Location* TransferModel::location(const Id& id) const {
  bool stale = false;
  const auto idx = index();
  const Location* found = find_by_id(locations, idx->locations, idx->sizes[3], id, stale);
  if (stale) (void)rebuild_index();
  return found;
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
