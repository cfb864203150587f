#include "solver/findings.hpp"

#include <stdexcept>
#include <utility>

namespace xborder {
namespace {

// What an occurrence kept as ids has in place of an explanation.
const Text kNoText{};
const Citation kNoCitation{};
const std::vector<PathStep> kNoPath{};
const std::vector<RouteFinding> kNoRoutes{};
const std::vector<std::string> kNoStrings{};
const std::vector<DecidingFact> kNoDeciding{};

}  // namespace

FindingRef FindingRef::of(const Finding& f) {
  return FindingRef{f.verdict,     f.rule_id,
                    f.rule_kind,   f.rule_title,
                    f.citation,    f.place,
                    f.place_name,  f.dataset,
                    f.event,       f.edge,
                    f.edge_kind,   f.from_node,
                    f.to_node,     f.exporter,
                    f.importer,    f.from_country,
                    f.to_country,  f.model_pointer,
                    f.path,        f.path_count,
                    f.routes,      f.because,
                    f.deciding,    f.scope,
                    f.authorities, f.authorities_possible,
                    f.explained};
}

FindingRef::operator Finding() const {
  Finding f;
  f.verdict = verdict;
  f.rule_id = rule_id;
  f.rule_kind = rule_kind;
  f.rule_title = rule_title;
  f.citation = citation;
  f.place = place;
  f.place_name = place_name;
  f.dataset = dataset;
  f.event = event;
  f.edge = edge;
  f.edge_kind = edge_kind;
  f.from_node = from_node;
  f.to_node = to_node;
  f.exporter = exporter;
  f.importer = importer;
  f.from_country = from_country;
  f.to_country = to_country;
  f.model_pointer = model_pointer;
  f.path = path;
  f.path_count = path_count;
  f.routes = routes;
  f.because = because;
  f.deciding = deciding;
  f.scope = scope;
  f.authorities = authorities;
  f.authorities_possible = authorities_possible;
  f.explained = explained;
  return f;
}

FindingRef FindingList::operator[](std::size_t k) const {
  const Entry& e = entries_[k];
  if (e.full != kNone) return FindingRef::of(full_[e.full]);
  const FindingFacts::RuleFacts& r = facts_->rules[e.rule];
  const FindingFacts::EdgeFacts& x = facts_->edges[e.edge];
  return FindingRef{e.verdict,    r.id,
                    r.kind,       kNoText,
                    kNoCitation,  r.place,
                    kNoText,      facts_->datasets[e.dataset],
                    x.event,      x.id,
                    x.kind,       x.from_node,
                    x.to_node,    x.exporter,
                    x.importer,   x.from_country,
                    x.to_country, x.model_pointer,
                    kNoPath,      e.path_count,
                    kNoRoutes,    kNoStrings,
                    kNoDeciding,  kNoStrings,
                    kNoStrings,   kNoStrings,
                    false};
}

FindingRef FindingList::at(std::size_t k) const {
  if (k >= entries_.size())
    throw std::out_of_range("finding " + std::to_string(k) + " of a list of " +
                            std::to_string(entries_.size()));
  return (*this)[k];
}

void FindingList::push_back(Finding f) {
  Entry e;
  e.full = static_cast<std::uint32_t>(full_.size());
  full_.push_back(std::move(f));
  entries_.push_back(e);
}

void FindingList::clear() {
  entries_.clear();
  full_.clear();
}

void FindingList::push_occurrence(Verdict verdict, std::uint32_t rule, std::uint32_t edge,
                                  std::uint32_t dataset) {
  Entry e;
  e.rule = rule;
  e.edge = edge;
  e.dataset = dataset;
  e.verdict = verdict;
  entries_.push_back(e);
}

void FindingList::set_path_count(std::size_t k, std::uint64_t n) {
  Entry& e = entries_.at(k);
  if (e.full != kNone) {
    full_[e.full].path_count = n;
  } else {
    e.path_count = n;
  }
}

Finding& FindingList::full(std::size_t k) {
  Entry& e = entries_.at(k);
  if (e.full == kNone) {
    Finding f = (*this)[k];
    e.full = static_cast<std::uint32_t>(full_.size());
    full_.push_back(std::move(f));
  }
  return full_[e.full];
}

}  // namespace xborder
