// A check's findings. Most of a large map's findings are occurrences of a legal issue that
// another finding explains (CheckOptions::explain): those are kept as a few ids into facts
// shared by every finding on the same edge and rule (FindingFacts), not as records of strings —
// a map of 200,000 edges has a million of them. FindingList holds both kinds; reading one gives
// a FindingRef, which has the members of a Finding whichever way it is stored.
#pragma once

#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/transfer_graph.hpp"
#include "model/transfer_model.hpp"
#include "solver/rule_pack.hpp"

namespace xborder {

enum class Verdict { kViolation, kUndetermined, kCompliant };
XBORDER_ENUM_NAMES(Verdict, "violation", "undetermined", "compliant")

struct PathStep {
  std::string node;  // node id, e.g. "crm@aws:ap-northeast-1"
  std::string node_label;
  std::string country;  // "" when unknown
  std::string edge;     // edge id that led here ("" for the first step)
  EdgeKind edge_kind = EdgeKind::kFlow;
  Event event = Event::kTransfer;
  std::string why;  // implicit edges: why the edge exists
};

enum class RouteStatus { kUnavailable, kDependsOnUnknowns, kAvailable };
XBORDER_ENUM_NAMES(RouteStatus, "unavailable", "depends_on_unknowns", "available")

struct RouteFinding {
  std::string id;
  Text title;
  RouteStatus status = RouteStatus::kUnavailable;
  std::optional<Citation> citation;
};

// An unknown fact that decides an undetermined finding, with values on either side.
struct DecidingFact {
  std::string variable;         // "importer.handles_data", "data.categories[special_category]"
  std::string violating_value;  // a value under which the rule is broken
  std::string compliant_value;  // a value under which it holds ("" if none found)
};

// The deciding "fact" of a finding the solver gave up on (CheckOptions::solver_resource_limit,
// or its time limit), followed by the solver's reason in parentheses.
inline constexpr const char* kSolverGaveUp = "the solver gave up on this question";

struct Finding {
  Verdict verdict = Verdict::kCompliant;
  std::string rule_id;
  std::string rule_kind;  // "basis" or "duty" (rule_pack.hpp)
  Text rule_title;
  Citation citation;
  std::string place;  // place id of the rule pack
  Text place_name;
  std::string dataset;
  Event event = Event::kTransfer;
  std::string edge;  // the edge where the event happens
  EdgeKind edge_kind = EdgeKind::kFlow;
  std::string from_node;
  std::string to_node;
  std::string exporter;  // party ids
  std::string importer;
  std::string from_country;  // "" when unknown
  std::string to_country;
  std::string model_pointer;             // JSON pointer into the model of what created the edge
  std::vector<PathStep> path;            // a witness path from where the data set starts
  std::uint64_t path_count = 0;          // data paths that reach this event in this same situation
  std::vector<RouteFinding> routes;      // ways to comply and their status: what is missing
  std::vector<std::string> because;      // known facts that force the verdict (from unsat cores)
  std::vector<DecidingFact> deciding;    // undetermined: the unknowns that decide it
  std::vector<std::string> scope;        // disclosure scope after the event: parties
  std::vector<std::string> authorities;  // … and countries whose authorities can reach it
  std::vector<std::string> authorities_possible;  // … reach that depends on unknowns
  // False for a finding whose issue is explained by another (CheckOptions::explain): its title,
  // citation, place name, routes, because, deciding, path and scope are then left empty; the
  // issue's example carries them.
  bool explained = true;
};

// What an occurrence kept as ids reads its strings from: per rule, per edge, per data set. Built
// by the checker once per check, for the rules and edges that have findings, and shared
// (immutable) by every copy of the result.
struct FindingFacts {
  struct RuleFacts {
    std::string id, kind, place;
  };
  struct EdgeFacts {
    std::string id;
    EdgeKind kind = EdgeKind::kFlow;
    Event event = Event::kTransfer;
    std::string from_node, to_node, exporter, importer, from_country, to_country, model_pointer;
  };
  std::vector<RuleFacts> rules;
  std::vector<EdgeFacts> edges;
  std::vector<std::string> datasets;
};

// A finding as read from a FindingList: the members of Finding, by reference into wherever it is
// stored (valid while the list is not changed). Converts to a Finding (a copy) where one is
// needed.
struct FindingRef {
  Verdict verdict;
  const std::string& rule_id;
  const std::string& rule_kind;
  const Text& rule_title;
  const Citation& citation;
  const std::string& place;
  const Text& place_name;
  const std::string& dataset;
  Event event;
  const std::string& edge;
  EdgeKind edge_kind;
  const std::string& from_node;
  const std::string& to_node;
  const std::string& exporter;
  const std::string& importer;
  const std::string& from_country;
  const std::string& to_country;
  const std::string& model_pointer;
  const std::vector<PathStep>& path;
  std::uint64_t path_count;
  const std::vector<RouteFinding>& routes;
  const std::vector<std::string>& because;
  const std::vector<DecidingFact>& deciding;
  const std::vector<std::string>& scope;
  const std::vector<std::string>& authorities;
  const std::vector<std::string>& authorities_possible;
  bool explained;

  static FindingRef of(const Finding& f);
  // NOLINTNEXTLINE(google-explicit-constructor): a FindingRef is a Finding that is not copied
  operator Finding() const;
};

// The findings of a check, in their order. Each is either a full record (an explained finding,
// or one added with push_back) or an occurrence kept as ids into the shared FindingFacts.
class FindingList {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = FindingRef;
    using difference_type = std::ptrdiff_t;
    using reference = FindingRef;
    using pointer = void;
    iterator() = default;
    iterator(const FindingList* list, std::size_t k) : list_(list), k_(k) {}
    FindingRef operator*() const { return (*list_)[k_]; }
    iterator& operator++() {
      ++k_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++k_;
      return old;
    }
    bool operator==(const iterator& o) const { return k_ == o.k_; }

   private:
    const FindingList* list_ = nullptr;
    std::size_t k_ = 0;
  };

  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] FindingRef operator[](std::size_t k) const;
  // Bounds-checked: std::out_of_range naming the index and the size.
  [[nodiscard]] FindingRef at(std::size_t k) const;
  [[nodiscard]] iterator begin() const { return {this, 0}; }
  [[nodiscard]] iterator end() const { return {this, entries_.size()}; }
  [[nodiscard]] bool stored_as_ids(std::size_t k) const { return entries_.at(k).full == kNone; }

  void push_back(Finding f);
  void reserve(std::size_t n) { entries_.reserve(n); }
  void clear();

  // The checker's side. Occurrences read their strings from `facts`, which must hold the indices
  // they name.
  void set_facts(std::shared_ptr<const FindingFacts> facts) { facts_ = std::move(facts); }
  void push_occurrence(Verdict verdict, std::uint32_t rule, std::uint32_t edge,
                       std::uint32_t dataset);
  void set_path_count(std::size_t k, std::uint64_t n);
  // The finding as a full record, to explain or change it: an occurrence kept as ids becomes one
  // (explained = false, the explanation members empty). Invalidates FindingRefs into this list.
  Finding& full(std::size_t k);

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  struct Entry {
    std::uint32_t full = kNone;  // index in full_, or kNone: an occurrence kept as ids
    std::uint32_t rule = 0, edge = 0, dataset = 0;
    std::uint64_t path_count = 0;
    Verdict verdict = Verdict::kCompliant;
  };
  std::vector<Entry> entries_;
  std::vector<Finding> full_;
  std::shared_ptr<const FindingFacts> facts_;
};

}  // namespace xborder
