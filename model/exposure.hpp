// Exposure: which governments can reach each data set at a date — the disclosure scope the seeds'
// gap analysis is about — whether or not a transfer rule fires on the way. Read off the transfer
// graph: every node a data set can reach (the checker's static reachability: flows carry the data
// sets they list, implicit edges carry everything) and, on each, the territorial reach and the
// reach declarations of the rule packs (CLOUD Act, FISA 702, China's National Intelligence Law …)
// in force at the date. No rule is evaluated here (model/: no solver).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/date.hpp"
#include "model/transfer_graph.hpp"

namespace xborder {

// One reason an authority reaches the data set: territorial, or a reach declaration.
struct ExposureReason {
  std::string source;       // "territorial" or the declaration's id ("US-CLOUD-ACT")
  bool certain = true;      // false: only if an unknown country or parent is that way
  std::string node;         // a node of the data set's reach where it applies (the first by id)
  std::string why;          // that node's sentence ("`cloud-c` is controlled by …")
  std::uint64_t nodes = 0;  // how many nodes of the data set's reach it applies on
};

struct AuthorityExposure {
  Country authority;
  bool certain = false;                 // some reason is certain
  std::vector<ExposureReason> reasons;  // sorted: certain first, then by source
};

struct DatasetExposure {
  std::string dataset;
  std::vector<Country> countries;              // where it is, or is accessed from (known ones)
  std::vector<AuthorityExposure> authorities;  // by country code
};

// Per data set of the model, in the model's order.
std::vector<DatasetExposure> dataset_exposure(const TransferGraph& graph, Date at);

}  // namespace xborder
