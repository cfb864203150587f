// The path checker: every data path of a transfer model, checked against the rule packs at a
// date, with three-valued verdicts and explanations. Z3 stays behind this header.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/exposure.hpp"
#include "model/reference_data.hpp"
#include "model/transfer_graph.hpp"
#include "model/transfer_model.hpp"
#include "solver/findings.hpp"
#include "solver/rule_pack.hpp"

namespace xborder {

// Verdict, PathStep, RouteFinding, DecidingFact, Finding and FindingList: solver/findings.hpp.

// One legal issue: a rule's verdict on one recipient (a party, in a country), however many
// systems, edges and data sets it happens on. Findings are its occurrences.
struct Issue {
  Verdict verdict = Verdict::kCompliant;
  std::string rule_id;
  std::string place;
  std::string recipient;              // importer party id ("" when the edge has none)
  std::string recipient_country;      // "" when unknown
  std::size_t example = 0;            // index in CheckResult::findings of the explained occurrence
  std::vector<std::size_t> findings;  // its occurrences, indices in CheckResult::findings, sorted
  std::uint64_t path_count = 0;       // sum over the occurrences (saturating)
};

struct CheckSummary {
  std::uint64_t paths = 0;       // maximal data paths (counted, not enumerated)
  std::uint64_t violations = 0;  // findings per verdict
  std::uint64_t undetermined = 0;
  std::uint64_t compliant = 0;
  std::uint64_t states = 0;          // distinct (node, data set, attribute state) triples
  std::uint64_t events_checked = 0;  // (edge, state) pairs evaluated
  std::uint64_t rule_evaluations = 0;
  std::uint64_t solver_queries = 0;
  std::uint64_t cache_hits = 0;
};

// How a check spent its work (`--stats`): not part of the verdicts, and not in the JSON contract's
// summary, since times differ from run to run.
struct CheckStats {
  std::uint64_t nodes = 0;
  std::uint64_t edges = 0;
  std::uint64_t rules_skipped_by_edge = 0;  // (event, rule) pairs the edge alone rules out
  std::uint64_t direct_decisions = 0;       // rule evaluations decided without the solver
  std::uint64_t solver_decisions = 0;  // … left to the solver (unknowns Kleene cannot settle)
  std::uint64_t reused_decisions = 0;  // … taken from an event at the same edge, or at an edge
                                       // of the same class, that agrees on all the rule reads
  std::uint64_t explanations = 0;      // findings explained (solver answer looked up or asked)
  std::uint64_t issues = 0;            // legal issues the findings group into
  std::uint64_t solver_gave_up = 0;    // solver queries beyond its limits (undetermined findings)
  std::uint64_t interned_sets = 0;     // distinct scope/authority/visited sets
  double propagate_ms = 0;             // states through the graph (the solver-free floor)
  double evaluate_ms = 0;              // rules at every event, findings and explanations
  double count_ms = 0;                 // path counts
  unsigned threads = 1;
};

struct CheckResult {
  Date at;
  std::vector<std::string> places;   // places (rule packs) the check used
  std::vector<Place> place_details;  // the same, with names, category and jurisdiction
  FindingList findings;       // sorted: violations, undetermined, compliant; then by rule, edge
  std::vector<Issue> issues;  // the findings grouped, sorted by verdict, place, rule, recipient
  CheckSummary summary;
  CheckStats stats;
  Diagnostics warnings;  // e.g. a data set that leaves a node nothing brings it to
  // Per data set, the authorities that can reach it at the date and why, whether or not a rule
  // fires on the way (model/exposure.hpp).
  std::vector<DatasetExposure> exposure;
};

enum class Explain {
  kEveryFinding,  // every finding carries its routes, reasons, witness path and scope
  kOnePerIssue,   // only each issue's example does: what a large map's output needs
};

struct CheckOptions {
  bool keep_compliant = true;
  Explain explain = Explain::kEveryFinding;
  // Threads evaluating events (0: one per core). The findings are the same whatever the number.
  unsigned threads = 0;
  // Fewer events than this per thread and fewer threads are used (a thread costs more than it
  // saves on a small map); tests set 1 to run small models on several threads.
  std::size_t min_events_per_thread = 4096;
  // Z3's deterministic resource limit per query (0: only the 20-second time limit). A query
  // beyond it yields an undetermined finding whose deciding fact says the solver gave up.
  unsigned solver_resource_limit = 0;
  // False: propagate the states and count the paths, evaluate no rule (the benchmarks' floor).
  bool evaluate_rules = true;
  // False: every rule goes to the solver, as before the direct evaluator existed (the reference
  // the evaluator is tested against, and the path the answer caches serve).
  bool direct_evaluation = true;
  // Decisions reused between events that agree on everything a rule reads: at one edge, and
  // across the edges of one class (edges alike in all the rule reads of them). False: every
  // (event, rule) is decided afresh, the reference the reuse is tested against.
  bool reuse_decisions = true;
  // Edges a rule is a candidate on before the checker judges whether classing its edges pays
  // (when nearly every edge is a class of its own, it stops); tests set it low.
  std::uint32_t class_trial = 4096;
  // Called now and then from the checking thread with the phase ("propagate", "evaluate",
  // "count") and how far it is (total 0: unknown). For progress lines; never for results.
  std::function<void(std::string_view phase, std::uint64_t done, std::uint64_t total)> progress;
};

// Solver answers that several checkers of one rule base share (a simulation's world states): a
// question one checker answered is not asked again by another. Thread-safe. A checker joins only
// when its universe of values is the one the answers were given in (CheckerSharing).
class SharedAnswers;
std::shared_ptr<SharedAnswers> new_shared_answers();

struct CheckerSharing {
  // Models whose values (parties, countries, purposes, organisations) every sharing checker's
  // universe includes: a checker whose own model brings no other value has the same universe as
  // the others, and shares their answers; one that brings more checks alone.
  std::vector<const TransferModel*> universe_models;
  std::shared_ptr<SharedAnswers> answers;
};

// One checker per thread: it owns its Z3 context, compiles the rules once and keeps its
// cache of answers across calls to check() (at different dates, say).
class PathChecker {
 public:
  PathChecker(const TransferModel& model, const RuleBase& rules,
              const CheckerSharing* sharing = nullptr);
  ~PathChecker();
  PathChecker(const PathChecker&) = delete;
  PathChecker& operator=(const PathChecker&) = delete;

  CheckResult check(Date at, const CheckOptions& options = {});
  [[nodiscard]] const TransferGraph& graph() const;
  // Whether this checker shares answers with others (see CheckerSharing).
  [[nodiscard]] bool shares_answers() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xborder
