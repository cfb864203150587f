#include "solver/checker.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "solver/flat_memo.hpp"
#include "solver/rule_compiler.hpp"
#include "solver/rule_evaluator.hpp"
#include "solver/tri_set.hpp"

// How a check runs (solver/README.md): (1) the data sets' attribute states are propagated through
// the graph, deduplicated per node on what the rules can observe — states are a few ids of
// interned bitsets, so this phase is the solver-free floor the benchmarks measure against; (2)
// every event (edge, state) is checked against the rules the edge can trigger at all, each rule
// decided by direct three-valued evaluation and, only where unknowns leave it open, by Z3; (3) each
// finding is explained once (the solver's routes, reasons and deciding unknowns, cached by what the
// rule reads) and re-checked against the direct decision; (4) paths are counted per state.

namespace xborder {

namespace {

constexpr std::int8_t kNo = TriSet::kNo, kYes = TriSet::kYes, kMaybe = TriSet::kMaybe;
constexpr std::uint32_t kNoEdge = UINT32_MAX;

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t s = a + b;
  return s < a ? UINT64_MAX : s;
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

void include(std::vector<std::int8_t>& set, int idx, std::int8_t how) {
  auto& x = set[static_cast<std::size_t>(idx)];
  if (x == kYes) return;
  if (how == kYes || x == kNo) x = how;
}
void include_unknown(std::vector<std::int8_t>& set) {
  for (auto& x : set) {
    if (x == kNo) x = kMaybe;
  }
}
TriSet to_tri_set(const std::vector<std::int8_t>& values) {
  return TriSet::from_values(values);
}

// The attributes of a data set that change along a path (DOMAIN.md §1: disclosure scope,
// controller, storage location), as ids of interned sets. What does not change (categories,
// subjects) stays on the data set.
struct DataState {
  int dataset = 0;
  int controller = kUnknown;      // party index
  std::uint32_t scope = 0;        // over parties
  std::uint32_t authorities = 0;  // over countries
  std::uint32_t visited = 0;      // over countries
  bool operator==(const DataState&) const = default;
};

struct StateKey {
  std::uint32_t node = 0;
  DataState state;  // projected on what the rules observe
  bool operator==(const StateKey&) const = default;
};

struct StateKeyHash {
  std::size_t operator()(const StateKey& k) const {
    std::size_t h = k.node * 0x9E3779B97F4A7C15ull;
    for (std::uint64_t x : {static_cast<std::uint64_t>(k.state.dataset),
                            static_cast<std::uint64_t>(static_cast<unsigned>(k.state.controller)),
                            std::uint64_t{k.state.scope}, std::uint64_t{k.state.authorities},
                            std::uint64_t{k.state.visited}})
      h = (h ^ x) * 0x100000001B3ull + (h >> 31);
    return h;
  }
};

struct StateRecord {
  StateKey key;    // the state as the rules can see it: what deduplication compares
  DataState full;  // the first arrival's whole state, for reporting its disclosure scope
  long pred = -1;  // state it came from (first arrival), for the witness path
  std::uint32_t via = kNoEdge;
};

// An edge of the graph with what the checker asks of it, in a flat array.
struct FlatEdge {
  NodeIndex from = 0, to = 0;
  const GraphEdge* edge = nullptr;
  int id = 0;                 // interned edge id (findings merge edges with one id, as before)
  std::vector<int> datasets;  // sorted data set indices a flow carries (a non-flow carries all)
  std::vector<int> produces;  // data sets a process flow derives
  int from_party = 0, to_party = 0;  // the holders' party indices
  bool same_holder = false;          // one holder at both ends (by id, not by index)
};

// The context variables by name, looked up once.
struct Vars {
  std::size_t date, event, edge_kind, edge_region_role, relationship, purpose;
  std::size_t ex_party, ex_kind, ex_country, ex_established, ex_group;
  std::size_t im_party, im_kind, im_country, im_established, im_group, im_tier, im_handles,
      im_identifies, im_certs, im_reach, im_organisation;
  std::size_t same_group;
  std::size_t sg_scc, sg_scc_module, sg_scc_signed, sg_scc_set, sg_tia, sg_bcr, sg_consent,
      sg_consent_informed, sg_consent_explicit, sg_appi, sg_periodic, sg_derogations, sg_adhoc,
      sg_coc, sg_cert;
  std::size_t sg_provision_record, sg_receipt_record, sg_transfer_notice;
  std::size_t m_transit, m_rest, m_key_holder, m_key_country, m_pseudo, m_reid_country, m_split;
  std::size_t d_categories, d_subjects, d_count, d_controller, d_scope, d_authorities, d_visited,
      d_value;
  std::size_t d_permitted, d_control_lists, d_controller_cii, d_controller_kind,
      d_controller_established, im_nationalities, im_abroad, im_system_certs, sg_authorisations;
  std::size_t flow_occasional, flow_safeguards_unavailable, ex_targets, im_acts_for;
  std::size_t sg_tia_conclusion, sg_tia_recorded, flow_transit;
  std::size_t im_protected, sg_entrustee, ex_persons_held, ex_ict;
  Vars() {
    auto v = [](const char* n) { return *find_variable(n); };
    date = v("date");
    event = v("event");
    edge_kind = v("edge.kind");
    edge_region_role = v("edge.region_role");
    relationship = v("relationship");
    purpose = v("purpose");
    ex_party = v("exporter.party");
    ex_kind = v("exporter.kind");
    ex_country = v("exporter.country");
    ex_established = v("exporter.established");
    ex_group = v("exporter.group_countries");
    im_party = v("importer.party");
    im_kind = v("importer.kind");
    im_organisation = v("importer.international_organisation");
    im_country = v("importer.country");
    im_established = v("importer.established");
    im_group = v("importer.group_countries");
    im_tier = v("importer.tier");
    im_handles = v("importer.handles_data");
    im_identifies = v("importer.identifies");
    im_certs = v("importer.certifications");
    im_reach = v("importer.reach");
    same_group = v("same_group");
    sg_scc = v("safeguard.scc");
    sg_scc_module = v("safeguard.scc_module");
    sg_scc_set = v("safeguard.scc_set");
    sg_scc_signed = v("safeguard.scc_signed");
    sg_tia = v("safeguard.tia");
    sg_bcr = v("safeguard.bcr");
    sg_consent = v("safeguard.consent");
    sg_consent_informed = v("safeguard.consent_informed");
    sg_consent_explicit = v("safeguard.consent_explicit");
    sg_appi = v("safeguard.appi_standard_system");
    sg_periodic = v("safeguard.periodic_check");
    sg_derogations = v("safeguard.derogations");
    sg_adhoc = v("safeguard.ad_hoc_clauses");
    sg_coc = v("safeguard.code_of_conduct");
    sg_cert = v("safeguard.certification");
    sg_provision_record = v("safeguard.provision_record");
    sg_receipt_record = v("safeguard.receipt_record");
    sg_transfer_notice = v("safeguard.transfer_notice");
    m_transit = v("measures.encryption_in_transit");
    m_rest = v("measures.encryption_at_rest");
    m_key_holder = v("measures.key_holder");
    m_key_country = v("measures.key_country");
    m_pseudo = v("measures.pseudonymised");
    m_reid_country = v("measures.reid_key_country");
    m_split = v("measures.split_processing");
    d_categories = v("data.categories");
    d_subjects = v("data.subjects");
    d_count = v("data.subject_count");
    d_controller = v("data.controller");
    d_scope = v("data.scope");
    d_authorities = v("data.authorities");
    d_visited = v("data.visited");
    d_value = v("data.value");
    d_permitted = v("data.permitted_scope");
    d_control_lists = v("data.control_lists");
    d_controller_cii = v("data.controller_critical_infrastructure");
    d_controller_kind = v("data.controller_kind");
    d_controller_established = v("data.controller_established");
    im_nationalities = v("importer.nationalities");
    im_abroad = v("importer.controlled_from_abroad");
    im_system_certs = v("importer.system_certifications");
    sg_authorisations = v("safeguard.authorisations");
    flow_occasional = v("flow.occasional");
    flow_safeguards_unavailable = v("flow.safeguards_unavailable");
    ex_targets = v("exporter.targets");
    im_acts_for = v("importer.acts_for_exporter");
    sg_tia_conclusion = v("safeguard.tia_conclusion");
    sg_tia_recorded = v("safeguard.tia_conclusion_recorded");
    flow_transit = v("flow.transit_countries");
    im_protected = v("importer.protected_by_law");
    sg_entrustee = v("safeguard.entrustee_supervision");
    ex_persons_held = v("exporter.persons_held");
    ex_ict = v("exporter.ict_service_provider");
  }
};

// Which context variables come with the state or the data set rather than with the edge, and
// their slot in an event's state part.
struct StateSlots {
  std::vector<int> scalar;  // by variable: slot, or -1 (the edge's)
  std::vector<int> set;
  StateSlots(const Vars& v) : scalar(context_variables().size(), -1), set(scalar.size(), -1) {
    int k = 0;
    for (std::size_t var : {v.relationship, v.d_controller, v.d_controller_cii, v.d_controller_kind,
                            v.d_controller_established, v.d_count, v.d_value})
      scalar[var] = k++;
    k = 0;
    for (std::size_t var : {v.d_scope, v.d_authorities, v.d_visited, v.d_categories, v.d_subjects,
                            v.d_permitted, v.d_control_lists})
      set[var] = k++;
  }
};
constexpr std::size_t kStateScalars = 7, kStateSets = 7;

// What an edge contributes to its events' contexts: built once per check and edge.
struct EdgeFacts {
  bool built = false;
  std::vector<int> scalars;               // by variable (state variables: unused)
  std::vector<const TriSet*> sets;        // by variable
  std::vector<std::uint16_t> candidates;  // rules the edge can trigger at the check date
  // By candidate: the class of edges that agree on everything the rule reads of an edge (its
  // values as the rule sees them); two events in one class whose states agree on what the rule
  // reads of a state get the same decision, whichever edges they are on.
  std::vector<std::uint32_t> classes;
};

// A candidate whose rule's edges are not classed (CheckOptions::class_trial).
constexpr std::uint32_t kNoClass = UINT32_MAX;

// What one rule reads of an edge (the scalars and interned sets of its edge variables), as the
// key of the rule's edge classes.
using EdgeProjection = std::vector<std::uint64_t>;
struct EdgeProjectionHash {
  std::size_t operator()(const EdgeProjection& p) const {
    std::size_t h = 0xcbf29ce484222325ull;
    for (std::uint64_t w : p) h = (h ^ w) * 0x100000001B3ull + (h >> 29);
    return h;
  }
};

// What a data set contributes.
struct DatasetFacts {
  int count = kUnknown, value = kUnknown;
  const TriSet *categories = nullptr, *subjects = nullptr, *permitted = nullptr,
               *control_lists = nullptr;
};

// One event's context as the rules read it: the edge's part, the state's part. With no state (an
// edge alone), everything the state or data set would say is unknown.
class EventView : public ContextReader {
 public:
  EventView(const StateSlots& slots) : slots_(slots) {}
  void set_edge(const EdgeFacts& e) { edge_ = &e; }
  void clear_state() { has_state_ = false; }
  void set_state(const std::array<int, kStateScalars>& scalars,
                 const std::array<const TriSet*, kStateSets>& sets) {
    scalars_ = scalars;
    sets_ = sets;
    has_state_ = true;
  }
  [[nodiscard]] const std::array<int, kStateScalars>& state_scalars() const { return scalars_; }
  [[nodiscard]] const std::array<const TriSet*, kStateSets>& state_sets() const { return sets_; }
  [[nodiscard]] int scalar(std::size_t var) const override {
    const int slot = slots_.scalar[var];
    if (slot < 0) return edge_->scalars[var];
    return has_state_ ? scalars_[static_cast<std::size_t>(slot)] : kUnknown;
  }
  [[nodiscard]] int element(std::size_t var, int index) const override {
    const int slot = slots_.set[var];
    const TriSet* s = slot < 0 ? edge_->sets[var]
                               : (has_state_ ? sets_[static_cast<std::size_t>(slot)] : nullptr);
    if (!s) return kUnknown;
    const std::int8_t x = s->get(static_cast<std::size_t>(index));
    return x == kMaybe ? kUnknown : x;
  }

 private:
  const StateSlots& slots_;
  const EdgeFacts* edge_ = nullptr;
  bool has_state_ = false;
  std::array<int, kStateScalars> scalars_{};
  std::array<const TriSet*, kStateSets> sets_{};
};

}  // namespace

struct PathChecker::Impl {
  const TransferModel& model;
  const RuleBase& rules;
  TransferGraph graph;
  Universe universe;
  std::unique_ptr<CompiledRules> compiled;
  std::unique_ptr<RuleEvaluator> evaluator;
  Vars vars;
  StateSlots slots{vars};
  std::vector<FlatEdge> edges;                  // boost::edges order
  std::vector<std::vector<std::uint32_t>> out;  // by node: its out-edges, boost order
  std::vector<std::string> edge_ids;            // interned
  std::unordered_map<Id, int> dataset_index_of;
  std::vector<std::vector<std::pair<bool, std::size_t>>> edge_reads;  // by rule: (set?, variable)

  Impl(const TransferModel& m, const RuleBase& r, const CheckerSharing* sharing)
      : model(m), rules(r), graph(TransferGraph::build(m, r.reach)) {
    if (sharing) {
      for (const TransferModel* other : sharing->universe_models) add_model_values(*other);
    }
    build_universe();
    compiled = std::make_unique<CompiledRules>(rules, universe);
    evaluator = std::make_unique<RuleEvaluator>(rules, universe);
    if (sharing && sharing->answers && sharing->answers->join(universe_signature(universe)))
      compiled->share(sharing->answers);
    observed.assign(compiled->atoms().size(), false);
    for (std::size_t k = 0; k < compiled->rule_count(); ++k) {
      for (std::size_t atom : compiled->support(k)) observed[atom] = true;
    }
    for (std::size_t k = 0; k < model.datasets.size(); ++k)
      dataset_index_of.emplace(model.datasets[k].id, static_cast<int>(k));
    flatten();
    // What projection keeps of each state set: the elements some rule observes.
    auto mask_of = [&](std::size_t var, std::size_t size) {
      std::vector<std::uint64_t> m(TriSet::word_count(size), 0);
      for (std::size_t k = 0; k < size; ++k) {
        if (observed[compiled->atoms().element(var, static_cast<int>(k))])
          m[k / 64] |= std::uint64_t{1} << (k % 64);
      }
      return m;
    };
    // What each rule reads of an edge (its edge classes' key): the variables that are neither
    // the state's nor the data set's.
    edge_reads.resize(compiled->rule_count());
    for (std::size_t r = 0; r < compiled->rule_count(); ++r) {
      for (std::size_t var : evaluator->reads(r)) {
        const bool is_set = context_variables()[var].type.kind == VarKind::kSet;
        if ((is_set ? slots.set[var] : slots.scalar[var]) < 0)
          edge_reads[r].emplace_back(is_set, var);
      }
    }
    scope_mask = mask_of(vars.d_scope, parties());
    authorities_mask = mask_of(vars.d_authorities, countries());
    visited_mask = mask_of(vars.d_visited, countries());
  }

  int dataset_index(const Id& id) const {
    auto it = dataset_index_of.find(id);
    return it == dataset_index_of.end() ? -1 : it->second;
  }

  void flatten() {
    const GraphType& g = graph.graph();
    out.resize(boost::num_vertices(g));
    std::unordered_map<std::string, int> ids;
    std::map<const GraphEdge*, std::uint32_t> index_of;
    for (auto [it, end] = boost::edges(g); it != end; ++it) {
      FlatEdge fe;
      fe.from = boost::source(*it, g);
      fe.to = boost::target(*it, g);
      fe.edge = &g[*it];
      auto [id, fresh] = ids.try_emplace(fe.edge->id, static_cast<int>(edge_ids.size()));
      if (fresh) edge_ids.push_back(fe.edge->id);
      fe.id = id->second;
      fe.from_party = party_index(g[fe.from].holder);
      fe.to_party = party_index(g[fe.to].holder);
      fe.same_holder = g[fe.from].holder == g[fe.to].holder;
      if (fe.edge->flow) {
        for (const auto& d : fe.edge->flow->datasets) fe.datasets.push_back(dataset_index(d));
        std::sort(fe.datasets.begin(), fe.datasets.end());
        for (const auto& p : fe.edge->flow->produces) fe.produces.push_back(dataset_index(p));
      }
      index_of.emplace(fe.edge, static_cast<std::uint32_t>(edges.size()));
      edges.push_back(std::move(fe));
    }
    for (NodeIndex n = 0; n < out.size(); ++n) {
      for (auto [it, end] = boost::out_edges(n, g); it != end; ++it)
        out[n].push_back(index_of.at(&g[*it]));
    }
  }

  bool carries(const FlatEdge& e, int dataset) const {
    return !e.edge->flow || std::binary_search(e.datasets.begin(), e.datasets.end(), dataset);
  }

  // Two states that differ only where no rule looks are the same state: this is what keeps the
  // number of states small while the number of paths multiplies.
  std::vector<bool> observed;
  std::vector<std::uint64_t> scope_mask, authorities_mask, visited_mask;

  void build_universe() {
    add_model_values(model);
    add_rule_base_values(rules, universe);
    for (const Rule* r : rules.rules) warn_about_undeclared_parties(*r);
    universe.seal();
  }

  // Every value of an open domain the model mentions.
  void add_model_values(const TransferModel& m) {
    auto country = [&](const std::string& c) { universe.add(Domain::kCountry, c); };
    for (const auto& p : m.parties) {
      universe.add(Domain::kParty, p.id);
      if (!p.international_organisation.empty())
        universe.add(Domain::kOrganisation, p.international_organisation);
      if (p.country.known()) country(p.country.value());
      if (p.nationalities.known()) {
        for (const auto& c : p.nationalities.value()) country(c);
      }
      if (p.targets.known()) {
        for (const auto& c : p.targets.value()) country(c);
      }
    }
    for (const auto& l : m.locations) country(l.country);
    for (const auto& s : m.systems) {
      for (const auto& a : s.remote_access) {
        if (a.country.known()) country(a.country.value());
      }
      if (s.measures && s.measures->key_country.known() && s.measures->key_country.value())
        country(*s.measures->key_country.value());
    }
    for (const auto& d : m.datasets) {
      if (d.subjects.known()) {
        for (const auto& c : d.subjects.value()) country(c);
      }
      for (const auto& p : d.purposes) universe.add(Domain::kPurpose, p);
    }
    for (const auto& f : m.flows) {
      if (!f.purpose.empty()) universe.add(Domain::kPurpose, f.purpose);
      for (const auto& c : f.transit) country(c);
      if (f.measures) {
        if (f.measures->key_country.known() && f.measures->key_country.value())
          country(*f.measures->key_country.value());
        if (f.measures->reid_key_country.known() && f.measures->reid_key_country.value())
          country(*f.measures->reid_key_country.value());
      }
    }
  }

  // An organisation's own pack may name parties; one this model does not declare can never
  // match, which is worth saying rather than silently reading as false.
  Diagnostics literal_warnings;
  void warn_about_undeclared_parties(const Rule& r) {
    auto check = [&](const Expr& e, const std::string& pointer) {
      visit(e, [&](const Expr& x) {
        if (x.op != ExprOp::kStringLit || x.type.domain != Domain::kParty || model.party(x.text))
          return;
        literal_warnings.warning(
            "XB-CHECK-002", r.file, pointer,
            "rule `" + r.id + "` names party `" + x.text +
                "`, which this model does not declare, so that comparison never holds",
            "check the spelling against the model's party ids");
      });
    };
    check(r.applies, r.pointer + "/applies");
    for (const auto& route : r.requires_any) check(route.expr, route.pointer);
  }

  // ------------------------------------------------------------------------ helpers
  int party_index(const std::string& id) const {
    return universe.index_or_other(Domain::kParty, id);
  }
  int country_index(const std::string& c) const {
    return universe.index_or_other(Domain::kCountry, c);
  }
  std::size_t countries() const { return universe.values(Domain::kCountry).size(); }
  std::size_t parties() const { return universe.values(Domain::kParty).size(); }
  int enum_index(Domain d, std::string_view text) const { return universe.index_or_other(d, text); }

  // ------------------------------------------------------------- one check's caches
  // Everything below depends on the check date (reach and certifications have validity), so a
  // check builds it afresh, lazily, for the nodes, edges and data sets its states meet.
  struct NodeFacts {
    bool built = false;
    int party = 0, kind = 0, established = kUnknown, country = kUnknown, organisation = 0, tier = 0,
        handles = kUnknown, abroad = 0;
    const TriSet *group = nullptr, *certs = nullptr, *system_certs = nullptr,
                 *nationalities = nullptr, *reach = nullptr, *targets = nullptr;
    std::uint32_t scope_add = 0, authorities_add = 0, visited_add = 0;  // ids in the state pool
  };
  struct Run {
    Date at;
    TriSetPool context_sets;  // sets of nodes, edges and data sets
    TriSetPool state_sets;    // sets of states
    std::vector<NodeFacts> nodes;
    std::vector<EdgeFacts> edges;
    std::vector<std::optional<DatasetFacts>> datasets;
    std::vector<std::optional<std::array<int, 3>>> controllers;   // cii, kind, established
    FlatMemo<std::uint64_t, std::uint32_t, IdentityHash> unions;  // (set, addition) → set
    std::unordered_map<std::uint64_t, DataState> initial_states;  // (data set, node) → state
    std::vector<std::int64_t> projected_scope, projected_authorities, projected_visited;
    std::vector<std::uint16_t> valid_rules;      // rules in force at the date
    std::map<Domain, const TriSet*> empty_sets;  // the known-empty set of each domain
    // By rule: its edge classes (EdgeFacts::classes), numbered in order of first sight.
    std::vector<std::unordered_map<EdgeProjection, std::uint32_t, EdgeProjectionHash>> edge_classes;
    std::vector<std::uint32_t> class_candidates;  // by rule: edges it was a candidate on
    std::uint32_t class_trial = 0;                // CheckOptions::class_trial
    bool classes_closed = false;                  // edge_classes cleared: no more classing
  };

  const TriSet* intern(Run& run, const std::vector<std::int8_t>& values) const {
    return &run.context_sets.at(run.context_sets.intern(to_tri_set(values)));
  }

  // The holder and its corporate parents can see the data; the data subjects are not "holders".
  void add_holder_scope(TriSet& scope, const GraphNode& n) const {
    if (const Party* holder = model.party(n.holder);
        holder && holder->kind == PartyKind::kDataSubjects)
      return;
    scope.include(static_cast<std::size_t>(party_index(n.holder)), kYes);
    for (const auto& p : n.control_chain)
      scope.include(static_cast<std::size_t>(party_index(p)), kYes);
    if (!n.control_chain_complete)
      scope.include(static_cast<std::size_t>(party_index(std::string(kOtherValue))), kMaybe);
  }

  void add_reach(TriSet& authorities, const GraphNode& n, Date at) const {
    if (!n.country.known()) authorities.include_unknown();
    for (const auto& r : n.reach) {
      if (!r.valid.contains(at)) continue;
      authorities.include(static_cast<std::size_t>(country_index(r.authority)),
                          r.certain ? kYes : kMaybe);
    }
  }

  void add_country(TriSet& visited, const GraphNode& n) const {
    if (n.country.known()) {
      visited.include(static_cast<std::size_t>(country_index(n.country.value())), kYes);
    } else {
      visited.include_unknown();
    }
  }

  // 1 when one party acts for the other (`acts_for`: an employee of the other), 0 when neither
  // does, unknown when it depends on an `acts_for` the model leaves unknown.
  int acts_for(const Id& a, const Id& b) const {
    int out = 0;
    for (const auto& [x, y] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
      const Party* p = model.party(*x);
      if (!p) continue;
      if (!p->acts_for.known()) {
        if (out == 0) out = kUnknown;
      } else if (p->acts_for.value() && *p->acts_for.value() == *y) {
        return 1;
      }
    }
    return out;
  }

  // A member of the party's control chain (a parent, or an individual's employer) is established
  // in another country than the party itself: 1, 0, or kUnknown when a country or parent is
  // unknown.
  int controlled_from_abroad(const Id& party) const {
    const Party* p = model.party(party);
    if (!p) return 0;
    const auto chain = model.control_chain(party);
    bool unknown = !chain.complete || !p->country.known();
    for (const Party* member : chain.parties) {
      if (member == p) continue;
      if (!member->country.known()) {
        unknown = true;
      } else if (p->country.known() && member->country.value() != p->country.value()) {
        return 1;
      }
    }
    return unknown && chain.parties.size() + (chain.complete ? 0 : 1) > 1 ? kUnknown : 0;
  }

  const NodeFacts& node_facts(Run& run, NodeIndex index) const {
    NodeFacts& f = run.nodes[index];
    if (f.built) return f;
    f.built = true;
    const GraphNode& n = graph.node(index);
    const Party* p = model.party(n.holder);
    f.party = party_index(n.holder);
    f.kind = enum_index(Domain::kPartyKind, to_string(p ? p->kind : PartyKind::kCompany));
    f.established = p && p->country.known() ? country_index(p->country.value()) : kUnknown;
    std::vector<std::int8_t> group(countries(), kNo);
    for (const Party* member : model.control_chain(n.holder).parties) {
      if (member->country.known()) {
        include(group, country_index(member->country.value()), kYes);
      } else {
        include_unknown(group);
      }
    }
    if (!n.control_chain_complete) include_unknown(group);
    f.group = intern(run, group);
    f.country = n.country.known() ? country_index(n.country.value()) : kUnknown;
    f.organisation = p && !p->international_organisation.empty()
                         ? enum_index(Domain::kOrganisation, p->international_organisation)
                         : universe.none_index(Domain::kOrganisation);
    f.tier = n.tier && n.kind == NodeKind::kSystemRegion
                 ? enum_index(Domain::kTier, to_string(*n.tier))
                 : universe.none_index(Domain::kTier);
    f.handles = n.holder_handles_data.known() ? (n.holder_handles_data.value() ? 1 : 0) : kUnknown;
    // Certifications held at the date.
    auto held_at = [&](const std::vector<Certification>& list) {
      std::vector<std::int8_t> certs(universe.values(Domain::kScheme).size(), kNo);
      for (const auto& c : list) {
        if (!c.valid.contains(run.at)) continue;
        include(certs, enum_index(Domain::kScheme, c.scheme),
                c.held.known() ? (c.held.value() ? kYes : kNo) : kMaybe);
      }
      return intern(run, certs);
    };
    f.certs = held_at(p ? p->certifications : std::vector<Certification>{});
    const System* system =
        n.system && n.kind == NodeKind::kSystemRegion ? model.system(*n.system) : nullptr;
    f.system_certs = held_at(system ? system->certifications : std::vector<Certification>{});
    // The holder's people: nationalities, and whether a parent (employer) sits abroad.
    std::vector<std::int8_t> nationalities(countries(), kNo);
    if (p && p->nationalities.known()) {
      for (const auto& c : p->nationalities.value()) include(nationalities, country_index(c), kYes);
    } else {
      include_unknown(nationalities);
    }
    f.nationalities = intern(run, nationalities);
    // The countries whose people the holder targets (offers goods or services to, monitors).
    std::vector<std::int8_t> targets(countries(), kNo);
    if (p && p->targets.known()) {
      for (const auto& c : p->targets.value()) include(targets, country_index(c), kYes);
    } else if (p) {
      include_unknown(targets);
    }
    f.targets = intern(run, targets);
    f.abroad = controlled_from_abroad(n.holder);
    TriSet reach(countries());
    add_reach(reach, n, run.at);
    f.reach = &run.context_sets.at(run.context_sets.intern(reach));
    // What arriving here adds to a state.
    TriSet scope(parties());
    add_holder_scope(scope, n);
    f.scope_add = run.state_sets.intern(std::move(scope));
    f.authorities_add = run.state_sets.intern(std::move(reach));
    TriSet visited(countries());
    add_country(visited, n);
    f.visited_add = run.state_sets.intern(std::move(visited));
    return f;
  }

  const DatasetFacts& dataset_facts(Run& run, int index) const {
    auto& slot = run.datasets[static_cast<std::size_t>(index)];
    if (slot) return *slot;
    const DataSet& d = model.datasets[static_cast<std::size_t>(index)];
    DatasetFacts f;
    std::vector<std::int8_t> categories(universe.values(Domain::kCategory).size(), kNo);
    for (std::size_t k = 0; k < enum_count<Category>(); ++k) {
      const auto has = d.categories.has(static_cast<Category>(k));
      categories[static_cast<std::size_t>(
          enum_index(Domain::kCategory, to_string(static_cast<Category>(k))))] =
          has.known() ? (has.value() ? kYes : kNo) : kMaybe;
    }
    f.categories = intern(run, categories);
    std::vector<std::int8_t> subjects(countries(), kNo);
    if (d.subjects.known()) {
      for (const auto& c : d.subjects.value()) include(subjects, country_index(c), kYes);
    } else {
      include_unknown(subjects);
    }
    f.subjects = intern(run, subjects);
    f.count = d.subject_count.known()
                  ? static_cast<int>(std::min<long long>(d.subject_count.value(), INT32_MAX))
                  : kUnknown;
    f.value =
        d.value.known() ? enum_index(Domain::kValueLevel, to_string(d.value.value())) : kUnknown;
    std::vector<std::int8_t> permitted(parties(), kNo);
    if (d.permitted_scope.known()) {
      for (const auto& p : d.permitted_scope.value()) include(permitted, party_index(p), kYes);
    } else {
      include_unknown(permitted);
    }
    f.permitted = intern(run, permitted);
    std::vector<std::int8_t> lists(universe.values(Domain::kControlList).size(), kNo);
    if (d.control_lists.known()) {
      for (const auto& l : d.control_lists.value())
        include(lists, enum_index(Domain::kControlList, l), kYes);
    } else {
      include_unknown(lists);
      lists[static_cast<std::size_t>(universe.none_index(Domain::kControlList))] = kNo;
    }
    f.control_lists = intern(run, lists);
    slot = f;
    return *slot;
  }

  // What the rules can see of the controller: its kind, establishment and designation.
  const std::array<int, 3>& controller_facts(Run& run, int controller) const {
    auto& slot = run.controllers[static_cast<std::size_t>(controller)];
    if (slot) return *slot;
    const Party* c =
        model.party(universe.values(Domain::kParty)[static_cast<std::size_t>(controller)]);
    if (!c) {
      slot = std::array<int, 3>{kUnknown, kUnknown, kUnknown};
    } else {
      slot = std::array<int, 3>{c->critical_infrastructure.known()
                                    ? (c->critical_infrastructure.value() ? 1 : 0)
                                    : kUnknown,
                                enum_index(Domain::kPartyKind, to_string(c->kind)),
                                c->country.known() ? country_index(c->country.value()) : kUnknown};
    }
    return *slot;
  }

  Unknowable<Relationship> relationship_of(const FlatEdge& fe, const DataState& s) const {
    const GraphEdge& e = *fe.edge;
    if (e.flow) return e.flow->relationship;
    if (fe.same_holder) return Relationship::kSameEntity;
    const bool exporter_is_controller = s.controller != kUnknown && s.controller == fe.from_party;
    if (e.kind == EdgeKind::kRemoteAccess && s.controller != kUnknown &&
        s.controller == fe.to_party) {
      return Relationship::kProcessorToController;
    }
    if (s.controller == kUnknown) return Unknowable<Relationship>::unknown();
    return exporter_is_controller ? Relationship::kControllerToProcessor
                                  : Relationship::kProcessorToProcessor;
  }

  std::uint32_t unite(Run& run, std::uint32_t set, std::uint32_t addition) const {
    const std::uint64_t key = (std::uint64_t{set} << 32) | addition;
    auto [slot, fresh] = run.unions.try_emplace(key);
    if (!fresh) return *slot;
    TriSet merged = run.state_sets.at(set);
    merged.merge(run.state_sets.at(addition));
    *slot = run.state_sets.intern(std::move(merged));
    return *slot;
  }

  std::uint32_t project(Run& run, std::vector<std::int64_t>& memo, std::uint32_t set,
                        const std::vector<std::uint64_t>& mask) const {
    if (memo.size() <= set) memo.resize(set + 1, -1);
    if (memo[set] >= 0) return static_cast<std::uint32_t>(memo[set]);
    TriSet p = run.state_sets.at(set);
    p.restrict_to(mask);
    const std::uint32_t id = run.state_sets.intern(std::move(p));
    if (memo.size() <= set) memo.resize(set + 1, -1);
    memo[set] = id;
    return id;
  }

  DataState project(Run& run, const DataState& s) const {
    DataState p = s;
    p.scope = project(run, run.projected_scope, s.scope, scope_mask);
    p.authorities = project(run, run.projected_authorities, s.authorities, authorities_mask);
    p.visited = project(run, run.projected_visited, s.visited, visited_mask);
    return p;
  }

  // Memoised by (data set, node): a process flow derives its product at every state that
  // reaches it.
  DataState initial_state(Run& run, int dataset, NodeIndex at_node) const {
    const std::uint64_t key = (std::uint64_t{static_cast<std::uint32_t>(dataset)} << 32) |
                              static_cast<std::uint32_t>(at_node);
    if (auto it = run.initial_states.find(key); it != run.initial_states.end()) return it->second;
    DataState s = make_initial_state(run, dataset, at_node);
    run.initial_states.emplace(key, s);
    return s;
  }
  DataState make_initial_state(Run& run, int dataset, NodeIndex at_node) const {
    const DataSet& d = model.datasets[static_cast<std::size_t>(dataset)];
    const NodeFacts& n = node_facts(run, at_node);
    DataState s;
    s.dataset = dataset;
    s.controller = d.controller.known() ? party_index(d.controller.value()) : kUnknown;
    TriSet scope(parties());
    for (const auto& p : d.disclosure_scope)
      scope.include(static_cast<std::size_t>(party_index(p)), kYes);
    if (d.controller.known())
      scope.include(static_cast<std::size_t>(party_index(d.controller.value())), kYes);
    scope.merge(run.state_sets.at(n.scope_add));
    s.scope = run.state_sets.intern(std::move(scope));
    s.authorities = run.state_sets.intern(run.state_sets.at(n.authorities_add));
    s.visited = run.state_sets.intern(run.state_sets.at(n.visited_add));
    return s;
  }

  DataState next_state(Run& run, const DataState& s, const FlatEdge& fe) const {
    const NodeFacts& to = node_facts(run, fe.to);
    DataState n = s;
    n.visited = unite(run, s.visited, to.visited_add);
    n.scope = unite(run, s.scope, to.scope_add);
    n.authorities = unite(run, s.authorities, to.authorities_add);
    const auto rel = relationship_of(fe, s);
    if (!rel.known()) {
      n.controller = kUnknown;
    } else if (rel.value() == Relationship::kControllerToController ||
               rel.value() == Relationship::kBusinessSuccession ||
               rel.value() == Relationship::kDataSubjectToController) {
      n.controller = to.party;
    } else if (rel.value() == Relationship::kProcessorToController && fe.edge->flow) {
      n.controller = to.party;
    }
    return n;
  }

  const Measures* measures_for(const GraphEdge& e, const GraphNode& from,
                               const GraphNode& to) const {
    if (e.flow && e.flow->measures) return &*e.flow->measures;
    const GraphNode& holder = e.flow ? to : from;
    if (holder.system) {
      if (const System* s = model.system(*holder.system); s && s->measures) return &*s->measures;
    }
    return nullptr;
  }

  // ------------------------------------------------------------- the edge's context
  void set(EdgeFacts& v, std::size_t var, int value) const { v.scalars[var] = value; }
  void set_tri(EdgeFacts& v, std::size_t var, const Unknowable<bool>& b) const {
    set(v, var, b.known() ? (b.value() ? 1 : 0) : kUnknown);
  }
  Run* current = nullptr;  // the check building edge facts (set_elements interns into it)
  void set_elements(EdgeFacts& v, std::size_t var, const std::vector<std::int8_t>& values) const {
    v.sets[var] = intern(*current, values);
  }

  const EdgeFacts& edge_facts(Run& run, std::uint32_t index) {
    EdgeFacts& v = run.edges[index];
    if (v.built) return v;
    v.built = true;
    current = &run;
    const FlatEdge& fe = edges[index];
    const GraphEdge& e = *fe.edge;
    const GraphNode& from = graph.node(fe.from);
    const GraphNode& to = graph.node(fe.to);
    const NodeFacts& fn = node_facts(run, fe.from);
    const NodeFacts& tn = node_facts(run, fe.to);
    const std::size_t nvars = context_variables().size();
    v.scalars.assign(nvars, kNo);
    v.sets.assign(nvars, nullptr);
    // Every set variable starts empty (known: no element), as a Valuation filled with kNo did.
    for (std::size_t var = 0; var < nvars; ++var) {
      const auto& type = context_variables()[var].type;
      if (type.kind != VarKind::kSet) continue;
      const TriSet*& empty = run.empty_sets[type.domain];
      if (!empty)
        empty = intern(run, std::vector<std::int8_t>(universe.values(type.domain).size(), kNo));
      v.sets[var] = empty;
    }
    set(v, vars.date, run.at.days());
    set(v, vars.event, enum_index(Domain::kEvent, to_string(e.event)));
    set(v, vars.edge_kind, enum_index(Domain::kEdgeKind, to_string(e.kind)));
    set(v, vars.edge_region_role,
        enum_index(Domain::kRegionRole, to_string(e.region_role.value_or(
                                            to.region_role.value_or(RegionRole::kPrimary)))));
    set(v, vars.purpose,
        e.flow && !e.flow->purpose.empty() ? enum_index(Domain::kPurpose, e.flow->purpose)
                                           : universe.none_index(Domain::kPurpose));
    set(v, vars.ex_party, fn.party);
    set(v, vars.ex_kind, fn.kind);
    set(v, vars.ex_established, fn.established);
    v.sets[vars.ex_group] = fn.group;
    v.sets[vars.ex_targets] = fn.targets;
    set(v, vars.im_acts_for, acts_for(from.holder, to.holder));
    // A holder the model does not declare as a party: what it says of itself is unknown.
    set(v, vars.im_protected, kUnknown);
    if (const Party* holder = model.party(to.holder))
      set_tri(v, vars.im_protected, holder->protected_by_law);
    set(v, vars.ex_persons_held, kUnknown);
    set(v, vars.ex_ict, kUnknown);
    if (const Party* holder = model.party(from.holder)) {
      if (holder->persons_held.known())
        set(v, vars.ex_persons_held,
            static_cast<int>(std::min<long long>(holder->persons_held.value(), INT32_MAX)));
      set_tri(v, vars.ex_ict, holder->ict_service_provider);
    }
    set(v, vars.ex_country, fn.country);
    set(v, vars.im_party, tn.party);
    set(v, vars.im_kind, tn.kind);
    set(v, vars.im_established, tn.established);
    v.sets[vars.im_group] = tn.group;
    set(v, vars.im_country, tn.country);
    set(v, vars.im_organisation, tn.organisation);
    set(v, vars.im_tier, tn.tier);
    set(v, vars.im_handles, tn.handles);
    set_tri(v, vars.im_identifies, e.flow ? e.flow->recipient_identifies : Unknowable<bool>(false));
    set_tri(v, vars.flow_occasional, e.flow ? e.flow->occasional : Unknowable<bool>(false));
    set_tri(v, vars.flow_safeguards_unavailable,
            e.flow ? e.flow->safeguards_unavailable : Unknowable<bool>(false));
    if (e.flow && !e.flow->transit.empty()) {
      std::vector<std::int8_t> transit(countries(), kNo);
      for (const auto& c : e.flow->transit) include(transit, country_index(c), kYes);
      set_elements(v, vars.flow_transit, transit);
    }
    v.sets[vars.im_certs] = tn.certs;
    v.sets[vars.im_system_certs] = tn.system_certs;
    v.sets[vars.im_nationalities] = tn.nationalities;
    set(v, vars.im_abroad, tn.abroad);
    v.sets[vars.im_reach] = tn.reach;
    // Same group: the two control chains share a party.
    {
      auto a = model.control_chain(from.holder);
      auto b = model.control_chain(to.holder);
      bool shared = false;
      for (const Party* x : a.parties) {
        for (const Party* y : b.parties) shared = shared || x == y;
      }
      set(v, vars.same_group, shared ? 1 : ((a.complete && b.complete) ? 0 : kUnknown));
    }
    // Safeguards: those of the flow, of the hosting system's contract, of the remote access or
    // of the region a replica is copied into.
    const std::vector<Safeguard>* safeguards = nullptr;
    bool safeguards_unknown = false;
    if (e.flow) {
      safeguards = &e.flow->safeguards;
      safeguards_unknown = e.flow->safeguards_unknown;
    } else if (e.access) {
      safeguards = &e.access->safeguards;
    } else if (e.kind == EdgeKind::kHosting && from.system) {
      if (const System* sys = model.system(*from.system)) safeguards = &sys->safeguards;
    } else if (e.kind == EdgeKind::kReplication && e.region_safeguards) {
      safeguards = e.region_safeguards;
    }
    set(v, vars.sg_scc_module, 0);
    set(v, vars.sg_scc_signed, 0);  // only read together with safeguard.scc
    set(v, vars.sg_scc_set, universe.none_index(Domain::kSccSet));
    set(v, vars.sg_tia_conclusion, kUnknown);  // unknown unless a TIA records it
    if (safeguards_unknown) {
      for (std::size_t var :
           {vars.sg_scc, vars.sg_scc_module, vars.sg_scc_signed, vars.sg_scc_set, vars.sg_tia,
            vars.sg_bcr, vars.sg_consent, vars.sg_consent_informed, vars.sg_consent_explicit,
            vars.sg_appi, vars.sg_periodic, vars.sg_adhoc, vars.sg_coc, vars.sg_cert,
            vars.sg_provision_record, vars.sg_receipt_record, vars.sg_transfer_notice,
            vars.sg_tia_recorded, vars.sg_entrustee}) {
        set(v, var, kUnknown);
      }
      std::vector<std::int8_t> all(universe.values(Domain::kDerogation).size(), kMaybe);
      set_elements(v, vars.sg_derogations, all);
      std::vector<std::int8_t> any(universe.values(Domain::kAuthorisation).size(), kMaybe);
      set_elements(v, vars.sg_authorisations, any);
    } else if (safeguards) {
      std::vector<std::int8_t> authorisations(universe.values(Domain::kAuthorisation).size(), kNo);
      std::vector<std::int8_t> derogations(universe.values(Domain::kDerogation).size(), kNo);
      for (const auto& sg : *safeguards) {
        const int in_place = sg.in_place.known() ? (sg.in_place.value() ? 1 : 0) : kUnknown;
        switch (sg.type) {
          case SafeguardType::kScc:
            set(v, vars.sg_scc, in_place);
            set(v, vars.sg_scc_module,
                in_place == 0 ? 0 : (in_place == 1 ? sg.scc_module.value_or(0) : kUnknown));
            if (in_place != 0) {
              set(v, vars.sg_scc_set, enum_index(Domain::kSccSet, sg.scc_set.value_or("2021/914")));
              set(v, vars.sg_scc_signed, sg.signed_on ? sg.signed_on->days() : kUnknown);
            }
            break;
          case SafeguardType::kTia:
            set(v, vars.sg_tia, in_place);
            // A conclusion is on record as far as its TIA is known to be in place.
            if (in_place != 0 && sg.conclusion) {
              set(v, vars.sg_tia_recorded, in_place);
              set(v, vars.sg_tia_conclusion, enum_index(Domain::kTiaConclusion, *sg.conclusion));
            }
            break;
          case SafeguardType::kBcr:
            set(v, vars.sg_bcr, in_place);
            break;
          case SafeguardType::kConsent:
            set(v, vars.sg_consent, in_place);
            set_tri(v, vars.sg_consent_informed, sg.informed);
            set_tri(v, vars.sg_consent_explicit, sg.explicit_consent);
            break;
          case SafeguardType::kAppiStandardSystem:
            set(v, vars.sg_appi, in_place);
            set_tri(v, vars.sg_periodic, sg.periodic_check);
            break;
          case SafeguardType::kDerogation:
            if (sg.derogation)
              include(derogations, enum_index(Domain::kDerogation, *sg.derogation),
                      in_place == kUnknown ? kMaybe : static_cast<std::int8_t>(in_place));
            break;
          case SafeguardType::kAdHocClauses:
            set(v, vars.sg_adhoc, in_place);
            break;
          case SafeguardType::kCodeOfConduct:
            set(v, vars.sg_coc, in_place);
            break;
          case SafeguardType::kCertification:
            set(v, vars.sg_cert, in_place);
            break;
          case SafeguardType::kAuthorisation:
            if (sg.regime)
              include(authorisations, enum_index(Domain::kAuthorisation, *sg.regime),
                      in_place == kUnknown ? kMaybe : static_cast<std::int8_t>(in_place));
            break;
          case SafeguardType::kProvisionRecord:
            set(v, vars.sg_provision_record, in_place);
            break;
          case SafeguardType::kReceiptRecord:
            set(v, vars.sg_receipt_record, in_place);
            break;
          case SafeguardType::kTransferNotice:
            set(v, vars.sg_transfer_notice, in_place);
            break;
          case SafeguardType::kEntrusteeSupervision:
            set(v, vars.sg_entrustee, in_place);
            break;
        }
      }
      set_elements(v, vars.sg_derogations, derogations);
      set_elements(v, vars.sg_authorisations, authorisations);
    }
    // Measures.
    set(v, vars.m_key_holder, universe.none_index(Domain::kParty));
    set(v, vars.m_key_country, universe.none_index(Domain::kCountry));
    set(v, vars.m_reid_country, universe.none_index(Domain::kCountry));
    if (const Measures* m = measures_for(e, from, to)) {
      set_tri(v, vars.m_transit, m->encryption_in_transit);
      set_tri(v, vars.m_rest, m->encryption_at_rest);
      if (!m->key_holder.known()) {
        set(v, vars.m_key_holder, kUnknown);
      } else if (m->key_holder.value()) {
        set(v, vars.m_key_holder, party_index(*m->key_holder.value()));
      }
      if (!m->key_country.known()) {
        set(v, vars.m_key_country, kUnknown);
      } else if (m->key_country.value()) {
        set(v, vars.m_key_country, country_index(*m->key_country.value()));
      }
      set_tri(v, vars.m_pseudo, m->pseudonymised);
      if (!m->reid_key_country.known()) {
        set(v, vars.m_reid_country, kUnknown);
      } else if (m->reid_key_country.value()) {
        set(v, vars.m_reid_country, country_index(*m->reid_key_country.value()));
      }
      set_tri(v, vars.m_split, m->split_processing);
    }
    // The rules this edge can trigger at all: with the state and data set unknown, a rule whose
    // condition is already false is never evaluated on this edge's events.
    EventView edge_only(slots);
    edge_only.set_edge(v);
    edge_only.clear_state();
    EdgeProjection projection;
    for (std::uint16_t r : run.valid_rules) {
      if (!evaluator->may_apply(r, edge_only)) continue;
      v.candidates.push_back(r);
      // A rule whose edges are nearly all of their own class (it reads the parties at both
      // ends) is not worth classing: its decisions are reused within an edge only.
      std::uint32_t& seen = run.class_candidates[r];
      auto& classes = run.edge_classes[r];
      if (run.classes_closed ||
          (++seen > run.class_trial && classes.size() * 4 > std::size_t{seen} * 3)) {
        v.classes.push_back(kNoClass);
        continue;
      }
      projection.clear();
      for (const auto& [is_set, var] : edge_reads[r]) {
        projection.push_back(is_set ? reinterpret_cast<std::uintptr_t>(v.sets[var])
                                    : static_cast<std::uint32_t>(v.scalars[var]));
      }
      v.classes.push_back(
          classes.try_emplace(projection, static_cast<std::uint32_t>(classes.size()))
              .first->second);
    }
    return v;
  }

  // What a finding is about: the rule, the event, the edge and its ends.
  // Where an event on this edge happens, as its findings name it.
  FindingFacts::EdgeFacts edge_facts_of(const FlatEdge& fe) const {
    const GraphType& g = graph.graph();
    const GraphEdge& e = *fe.edge;
    const GraphNode& from = g[fe.from];
    const GraphNode& to = g[fe.to];
    FindingFacts::EdgeFacts f;
    f.id = e.id;
    f.kind = e.kind;
    f.event = e.event;
    f.from_node = from.id;
    f.to_node = to.id;
    f.exporter = from.holder;
    f.importer = to.holder;
    f.from_country = from.country.known() ? from.country.value() : "";
    f.to_country = to.country.known() ? to.country.value() : "";
    if (e.flow) {
      f.model_pointer = e.flow->pointer;
    } else if (e.access) {
      f.model_pointer = e.access->pointer;
    } else if (from.system) {
      if (const System* sys = model.system(*from.system)) {
        f.model_pointer = sys->pointer + (e.kind == EdgeKind::kHosting ? "/runs_on" : "/regions");
      }
    }
    return f;
  }

  // Why: the routes and their status, the reasons, the deciding unknowns, the disclosure scope
  // after the event and a witness path.
  void fill_explanation(Finding& f, std::size_t r, const FlatEdge& fe, const DataState& s,
                        const RuleAnswer& answer, const EventView& view, Run& run,
                        const std::vector<StateRecord>& states, std::uint32_t state_id) const {
    // The rule's title, citation and place name too: copied only into the findings that are
    // explained, since a large map's unexplained occurrences need none of them.
    const Rule& rule = compiled->rule(r);
    f.rule_title = rule.title;
    f.citation = rule.citation;
    if (const Place* p = rules.place(rule.place)) f.place_name = p->name;
    const GraphType& g = graph.graph();
    const GraphEdge& e = *fe.edge;
    const GraphNode& to = g[fe.to];
    f.routes = answer.routes;
    f.because = compiled->render(answer.because, view);
    f.deciding = answer.deciding;
    // Disclosure scope after the event.
    const DataState after = next_state(run, s, fe);
    const TriSet& scope = run.state_sets.at(after.scope);
    const auto& party_names = universe.values(Domain::kParty);
    scope.for_each(kYes, [&](std::size_t k) { f.scope.push_back(party_names[k]); });
    const TriSet& authorities = run.state_sets.at(after.authorities);
    const auto& country_names = universe.values(Domain::kCountry);
    authorities.for_each(kYes, [&](std::size_t k) { f.authorities.push_back(country_names[k]); });
    authorities.for_each(kMaybe, [&](std::size_t k) {
      if (country_names[k] != kNoneValue) f.authorities_possible.push_back(country_names[k]);
    });
    if (f.authorities_possible.size() + 2 >= country_names.size()) f.authorities_possible = {"any"};
    // Witness path: back along first arrivals, then this edge.
    std::vector<PathStep> path;
    PathStep last;
    last.node = to.id;
    last.node_label = to.label;
    last.country = f.to_country;
    last.edge = e.id;
    last.edge_kind = e.kind;
    last.event = e.event;
    last.why = e.why;
    long cur = static_cast<long>(state_id);
    while (cur >= 0) {
      const StateRecord& rec = states[static_cast<std::size_t>(cur)];
      PathStep step;
      const GraphNode& n = g[static_cast<NodeIndex>(rec.key.node)];
      step.node = n.id;
      step.node_label = n.label;
      step.country = n.country.known() ? n.country.value() : "";
      if (rec.via != kNoEdge) {
        const GraphEdge& ve = *edges[rec.via].edge;
        step.edge = ve.id;
        step.edge_kind = ve.kind;
        step.event = ve.event;
        step.why = ve.why;
      }
      path.push_back(step);
      cur = rec.pred;
    }
    std::reverse(path.begin(), path.end());
    if (fe.from != fe.to) path.push_back(last);
    f.path = std::move(path);
  }

  // ------------------------------------------------------------------- explanations
  // A finding the evaluator decided is explained by it too: the routes' status and the known
  // inputs that force the verdict. A route evaluation cannot settle is left to the solver.
  // `by_cases`: the evaluator's justification of a definite verdict it decided by cases.
  RuleAnswer explain_direct(std::size_t r, const EventView& view, const DirectDecision& decision,
                            const RuleEvaluator::Justification* by_cases = nullptr) {
    RuleAnswer a;
    a.applicable = true;
    a.verdict = decision.verdict;
    const Rule& rule = compiled->rule(r);
    if (decision.by_cases) {
      // The routes' status as the cases gave it; undetermined: the unknowns that decide; else the
      // known inputs that force the verdict in every case.
      for (std::size_t k = 0; k < rule.requires_any.size(); ++k) {
        const Route& route = rule.requires_any[k];
        a.routes.push_back(RouteFinding{route.id, route.title, decision.routes[k], route.citation});
      }
      if (decision.verdict == Verdict::kUndetermined) {
        a.deciding = deciding_facts(decision);
      } else if (by_cases) {
        if (verify_direct) verify_reasons(r, view, decision.verdict, *by_cases);
        add_reasons(a, *by_cases);
      }
      return a;
    }
    for (std::size_t k = 0; k < rule.requires_any.size(); ++k) {
      const int status = evaluator->route(r, k, view);
      if (status == kUnknown) {
        a.routes = compiled->evaluate(r, view).routes;
        break;
      }
      const Route& route = rule.requires_any[k];
      a.routes.push_back(RouteFinding{route.id, route.title,
                                      status == 1   ? RouteStatus::kAvailable
                                      : status == 0 ? RouteStatus::kUnavailable
                                                    : RouteStatus::kDependsOnUnknowns,
                                      route.citation});
    }
    const auto why = evaluator->justify(r, decision.verdict, view);
    if (verify_direct) verify_reasons(r, view, decision.verdict, why);
    add_reasons(a, why);
    return a;
  }
  void add_reasons(RuleAnswer& a, const RuleEvaluator::Justification& why) const {
    for (const auto& [var, element] : why.reads) {
      a.because.push_back(Reason{
          element < 0 ? compiled->atoms().scalar(var) : compiled->atoms().element(var, element),
          ""});
    }
    for (const auto& fact : why.facts) a.because.push_back(Reason{std::nullopt, fact});
  }

  // The unknowns set differently in a violating and a holding completion (when they share none,
  // every unknown either sets), as the solver's two models gave them.
  std::vector<DecidingFact> deciding_facts(const DirectDecision& d) const {
    const AtomTable& atoms = compiled->atoms();
    auto atom_of = [&](std::size_t var, int element) {
      return element < 0 ? atoms.scalar(var) : atoms.element(var, element);
    };
    std::map<std::size_t, std::pair<std::optional<int>, std::optional<int>>> values;
    for (const auto& [var, element, value] : d.violating)
      values[atom_of(var, element)].first = value;
    for (const auto& [var, element, value] : d.holding)
      values[atom_of(var, element)].second = value;
    std::vector<DecidingFact> out;
    for (const auto& [atom, v] : values) {
      if (v.first && v.second && *v.first != *v.second)
        out.push_back({atoms.describe(atom), atoms.describe_value(atom, *v.first),
                       atoms.describe_value(atom, *v.second)});
    }
    if (!out.empty()) return out;
    for (const auto& [atom, v] : values) {
      out.push_back({atoms.describe(atom), v.first ? atoms.describe_value(atom, *v.first) : "",
                     v.second ? atoms.describe_value(atom, *v.second) : ""});
    }
    return out;
  }

  // Debug builds (and XBORDER_VERIFY_DIRECT=1) ask the solver too for every finding the evaluator
  // decided: a disagreement is an internal error, never a quiet wrong verdict.
#ifdef NDEBUG
  const bool verify_direct = std::getenv("XBORDER_VERIFY_DIRECT") != nullptr;
#else
  const bool verify_direct = true;
#endif
  void verify(std::size_t r, const FlatEdge& fe, const EventView& view,
              const DirectDecision& decision) {
    const RuleAnswer& answer = compiled->evaluate(r, view);
    if (answer.gave_up) return;  // nothing to compare with
    if (answer.applicable == decision.applicable &&
        (!answer.applicable || answer.verdict == decision.verdict))
      return;
    auto said = [](bool applicable, Verdict v) {
      return applicable ? std::string(to_string(v)) : std::string("not applicable");
    };
    throw std::logic_error("rule `" + compiled->rule(r).id + "` on edge `" + fe.edge->id +
                           "`: the direct evaluation says " +
                           said(decision.applicable, decision.verdict) + ", the solver " +
                           said(answer.applicable, answer.verdict));
  }

  // The same builds check that the reasons given for a verdict are enough: with only the inputs
  // they name known (every other input of the event unknown), the solver gives the same verdict.
  class MaskedView : public ContextReader {
   public:
    MaskedView(const ContextReader& base, const std::vector<std::pair<std::size_t, int>>& known)
        : base_(base), known_(known.begin(), known.end()) {}
    [[nodiscard]] int scalar(std::size_t var) const override {
      return known_.count({var, -1}) ? base_.scalar(var) : kUnknown;
    }
    [[nodiscard]] int element(std::size_t var, int index) const override {
      return known_.count({var, index}) ? base_.element(var, index) : kUnknown;
    }

   private:
    const ContextReader& base_;
    std::set<std::pair<std::size_t, int>> known_;
  };
  void verify_reasons(std::size_t r, const ContextReader& view, Verdict verdict,
                      const RuleEvaluator::Justification& why) {
    const RuleAnswer& answer = compiled->evaluate(r, MaskedView(view, why.reads));
    if (answer.gave_up) return;
    if (answer.applicable && answer.verdict == verdict) return;
    std::string named;
    for (const auto& [var, element] : why.reads) {
      named += (named.empty() ? "" : ", ") +
               compiled->atoms().describe(element < 0 ? compiled->atoms().scalar(var)
                                                      : compiled->atoms().element(var, element));
    }
    throw std::logic_error("rule `" + compiled->rule(r).id + "`: the reasons given for " +
                           std::string(to_string(verdict)) + " (" + named +
                           ") do not force it: with only them known the solver says " +
                           (answer.applicable ? std::string(to_string(answer.verdict))
                                              : std::string("not applicable")));
  }

  // ------------------------------------------------------------------- the check
  CheckResult run(Date at, const CheckOptions& options);
  void count_paths(const std::vector<StateRecord>& states,
                   const std::vector<std::pair<std::uint32_t, std::uint32_t>>& transitions,
                   const std::vector<std::size_t>& root_states, CheckResult& result,
                   std::vector<std::uint64_t>& paths_to) const;
};

PathChecker::PathChecker(const TransferModel& model, const RuleBase& rules,
                         const CheckerSharing* sharing)
    : impl_(std::make_unique<Impl>(model, rules, sharing)) {}
bool PathChecker::shares_answers() const {
  return impl_->compiled->shares();
}
std::shared_ptr<SharedAnswers> new_shared_answers() {
  return std::make_shared<SharedAnswers>();
}
PathChecker::~PathChecker() = default;
const TransferGraph& PathChecker::graph() const {
  return impl_->graph;
}
CheckResult PathChecker::check(Date at, const CheckOptions& options) {
  return impl_->run(at, options);
}

CheckResult PathChecker::Impl::run(Date at, const CheckOptions& options) {
  CheckResult result;
  result.at = at;
  result.warnings.append(literal_warnings);
  for (const auto& p : rules.packs) {
    result.places.push_back(p.place.id);
    result.place_details.push_back(p.place);
  }
  warn_places_not_in_force(rules, at, result.warnings);  // XB-CHECK-003
  result.exposure = dataset_exposure(graph, at);
  const GraphType& g = graph.graph();
  result.stats.nodes = boost::num_vertices(g);
  result.stats.edges = edges.size();
  const std::uint64_t queries_before = compiled->solver_queries;
  const std::uint64_t gave_up_before = compiled->gave_up;
  compiled->set_resource_limit(options.solver_resource_limit);
  const std::uint64_t hits_before = compiled->cache_hits;
  const auto propagate_start = std::chrono::steady_clock::now();
  auto report_progress = [&](std::string_view phase, std::uint64_t done, std::uint64_t total) {
    if (options.progress) options.progress(phase, done, total);
  };
  report_progress("propagate", 0, 0);

  Run run;
  run.at = at;
  run.nodes.resize(boost::num_vertices(g));
  run.edges.resize(edges.size());
  run.datasets.resize(model.datasets.size());
  run.controllers.resize(parties());
  run.edge_classes.resize(compiled->rule_count());
  run.class_candidates.resize(compiled->rule_count());
  run.class_trial = options.class_trial;
  for (std::size_t r = 0; r < compiled->rule_count(); ++r) {
    if (compiled->rule(r).valid.contains(at))
      run.valid_rules.push_back(static_cast<std::uint16_t>(r));
  }

  // Where each data set starts: its origin, where it is collected, where it is produced, and
  // (with a warning) where a flow sends it from though nothing brings it there.
  std::set<std::pair<int, NodeIndex>> roots;
  for (std::size_t k = 0; k < model.datasets.size(); ++k) {
    if (model.datasets[k].origin) {
      for (NodeIndex n : graph.entry_nodes(*model.datasets[k].origin))
        roots.insert({static_cast<int>(k), n});
    }
  }
  for (const FlatEdge& fe : edges) {
    if (fe.edge->flow && fe.edge->flow->event == Event::kCollect) {
      for (int ds : fe.datasets) roots.insert({ds, fe.from});
    }
  }
  // Static reachability of (data set, node), to find flows that start from nowhere. Reachability
  // only grows, so each new start extends it rather than recomputing it.
  {
    auto pair_key = [](int ds, NodeIndex n) {
      return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(ds)) << 32) | n;
    };
    std::unordered_set<std::uint64_t> reached;
    std::deque<std::pair<int, NodeIndex>> work;
    auto reach_from = [&](int ds, NodeIndex n) {
      if (reached.insert(pair_key(ds, n)).second) work.push_back({ds, n});
      while (!work.empty()) {
        auto [d, node] = work.front();
        work.pop_front();
        for (std::uint32_t ei : out[node]) {
          const FlatEdge& fe = edges[ei];
          if (!carries(fe, d)) continue;
          if (reached.insert(pair_key(d, fe.to)).second) work.push_back({d, fe.to});
          for (int product : fe.produces) {
            if (reached.insert(pair_key(product, fe.to)).second) work.push_back({product, fe.to});
          }
        }
      }
    };
    for (const auto& [ds, n] : roots) reach_from(ds, n);
    for (const FlatEdge& fe : edges) {
      const Flow* flow = fe.edge->flow;
      if (!flow || flow->event == Event::kCollect) continue;
      std::vector<int> unreached;
      for (const auto& id : flow->datasets) {
        const int ds = dataset_index(id);
        if (reached.count(pair_key(ds, fe.from))) continue;
        unreached.push_back(ds);
        roots.insert({ds, fe.from});
        result.warnings.warning(
            "XB-CHECK-001", model.file, flow->pointer + "/from",
            "flow `" + flow->id + "` sends `" + id + "` from `" + flow->from +
                "`, but nothing brings it there; the data set is taken to start there",
            "give the data set an `origin`, or add the flow that brings it");
      }
      for (int ds : unreached) reach_from(ds, fe.from);
    }
  }

  // Phase 1 — worklist over deduplicated (node, state): paths multiply, states need not. The
  // events (edge, state) are recorded for phase 2.
  std::vector<StateRecord> states;
  FlatMemo<StateKey, std::uint32_t, StateKeyHash> index;
  std::deque<std::uint32_t> work;
  auto intern_state = [&](NodeIndex node, const DataState& full, long pred,
                          std::uint32_t via) -> std::uint32_t {
    StateKey key{static_cast<std::uint32_t>(node), project(run, full)};
    auto [slot, fresh] = index.try_emplace(key);
    if (!fresh) return *slot;
    const auto id = static_cast<std::uint32_t>(states.size());
    *slot = id;
    states.push_back(StateRecord{key, full, pred, via});
    work.push_back(id);
    return id;
  };
  std::vector<std::size_t> root_states;
  for (const auto& [ds, n] : roots) {
    if (ds < 0) continue;
    const std::size_t before = states.size();
    const std::uint32_t id = intern_state(n, initial_state(run, ds, n), -1, kNoEdge);
    if (states.size() > before) root_states.push_back(id);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> transitions;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> events;  // (edge, state)
  while (!work.empty()) {
    const std::uint32_t id = work.front();
    work.pop_front();
    const auto n = static_cast<NodeIndex>(states[id].key.node);
    const int ds = states[id].key.state.dataset;
    for (std::uint32_t ei : out[n]) {
      const FlatEdge& fe = edges[ei];
      if (!carries(fe, ds)) continue;
      events.emplace_back(ei, id);
      const DataState next = next_state(run, states[id].full, fe);
      const std::uint32_t to = intern_state(fe.to, next, static_cast<long>(id), ei);
      if (to != id) transitions.emplace_back(id, to);
      for (int p : fe.produces) {
        DataState ps = initial_state(run, p, fe.to);
        const DataState& input = states[id].full;
        ps.scope = unite(run, ps.scope, input.scope);
        ps.authorities = unite(run, ps.authorities, input.authorities);
        ps.visited = unite(run, ps.visited, input.visited);
        const std::uint32_t pid = intern_state(fe.to, ps, static_cast<long>(id), ei);
        if (pid != id) transitions.emplace_back(id, pid);
      }
    }
  }
  result.summary.states = states.size();
  result.summary.events_checked = options.evaluate_rules ? events.size() : 0;
  result.stats.interned_sets = run.state_sets.size() + run.context_sets.size();
  result.stats.propagate_ms = ms_since(propagate_start);

  // Phase 2 — every event against the rules its edge can trigger; phase 3, inside it: each new
  // finding explained once.
  const auto evaluate_start = std::chrono::steady_clock::now();
  struct FindingKey {
    std::uint32_t rule, edge;
    int dataset, verdict;
    bool operator==(const FindingKey&) const = default;
  };
  struct FindingKeyHash {
    std::size_t operator()(const FindingKey& k) const {
      return ((std::size_t{k.rule} * 0x9E3779B97F4A7C15ull) ^ (std::size_t{k.edge} << 20) ^
              (static_cast<std::size_t>(k.dataset) << 4) ^ static_cast<std::size_t>(k.verdict)) *
             0x100000001B3ull;
    }
  };
  // A finding while the events are merged: ids only (a map can have a million of them); the
  // Finding with its strings is built once they are sorted, straight into the result.
  struct FindingAcc {
    std::uint16_t rule = 0;
    Verdict verdict = Verdict::kCompliant;
    std::uint32_t edge = 0, state = 0;  // the first event that falls in it: what explains it
    std::vector<std::uint32_t> states;  // source states that fall in this finding
  };
  std::unordered_map<FindingKey, std::size_t, FindingKeyHash> slot_of;
  std::vector<FindingAcc> acc;
  EventView view(slots);
  // The context of one event: the edge's facts and the state's, built already (the facts are
  // memoised: only `load_event` builds them, on this thread).
  auto set_event = [&](EventView& v, std::uint32_t ei, std::uint32_t state_id) {
    const FlatEdge& fe = edges[ei];
    const DataState& s = states[state_id].full;
    const DatasetFacts& df = *run.datasets[static_cast<std::size_t>(s.dataset)];
    const auto rel = relationship_of(fe, s);
    const std::array<int, 3> none3{kUnknown, kUnknown, kUnknown};
    const auto& cf =
        s.controller == kUnknown ? none3 : *run.controllers[static_cast<std::size_t>(s.controller)];
    v.set_edge(run.edges[ei]);
    v.set_state({rel.known() ? enum_index(Domain::kRelationship, to_string(rel.value())) : kUnknown,
                 s.controller, cf[0], cf[1], cf[2], df.count, df.value},
                {&run.state_sets.at(s.scope), &run.state_sets.at(s.authorities),
                 &run.state_sets.at(s.visited), df.categories, df.subjects, df.permitted,
                 df.control_lists});
  };
  auto build_facts = [&](std::uint32_t ei, std::uint32_t state_id) -> const EdgeFacts& {
    const EdgeFacts& ef = edge_facts(run, ei);
    const DataState& s = states[state_id].full;
    dataset_facts(run, s.dataset);
    if (s.controller != kUnknown) controller_facts(run, s.controller);
    return ef;
  };
  auto load_event = [&](std::uint32_t ei, std::uint32_t state_id) {
    build_facts(ei, state_id);
    set_event(view, ei, state_id);
  };
  auto explain = [&](Finding& f, const FindingAcc& slot) {
    if (f.explained) return;
    const FlatEdge& fe = edges[slot.edge];
    load_event(slot.edge, slot.state);
    const std::size_t r = slot.rule;
    const DataState& s = states[slot.state].full;
    const auto direct =
        options.direct_evaluation ? evaluator->decide(r, view) : std::optional<DirectDecision>{};
    ++result.stats.explanations;
    // A definite verdict decided by cases is justified case by case; past the case budget, and
    // for what the evaluator left to the solver, the solver explains (from an unsat core).
    std::optional<RuleEvaluator::Justification> cases;
    if (direct && direct->by_cases && f.verdict != Verdict::kUndetermined)
      cases = evaluator->justify_by_cases(r, f.verdict, view);
    if (direct && (!direct->by_cases || f.verdict == Verdict::kUndetermined || cases)) {
      fill_explanation(f, r, fe, s, explain_direct(r, view, *direct, cases ? &*cases : nullptr),
                       view, run, states, slot.state);
    } else {
      fill_explanation(f, r, fe, s, compiled->evaluate(r, view), view, run, states, slot.state);
    }
    f.explained = true;
  };
  report_progress("evaluate", 0, events.size());
  if (options.evaluate_rules) {
    // The facts every event reads, built once here; then the events are evaluated on every
    // thread, each with its own view (the evaluator is read-only). What the evaluator leaves to
    // the solver is decided afterwards on this thread, which owns the Z3 context. Decisions come
    // back in event order, so the findings are the same whatever the number of threads.
    for (const auto& [ei, state_id] : events) {
      if (!edge_facts(run, ei).candidates.empty()) build_facts(ei, state_id);
    }
    // Every event's edge has its classes numbered now; their keys are not needed any more (an
    // edge built later, to explain, is not classed).
    for (auto& classes : run.edge_classes) classes = {};
    run.classes_closed = true;
    struct Decided {
      std::uint32_t event;
      std::uint16_t position;  // of the rule among the edge's candidates
      std::uint16_t rule;
      Verdict verdict;
      bool direct;  // false: the solver decides it (in the merge below)
    };
    struct Counters {
      std::uint64_t evaluations = 0, skipped = 0, direct = 0, solver = 0, reused = 0;
    };
    // What of an event's state each rule reads (slots of EventView::set_state): two events at
    // the same edge whose states agree there get the same decision, so it is made once. The
    // state's sets are interned, so equal sets are equal pointers.
    std::vector<std::vector<std::pair<bool, int>>> state_reads(compiled->rule_count());
    for (std::size_t r = 0; r < compiled->rule_count(); ++r) {
      for (std::size_t var : evaluator->reads(r)) {
        if (slots.scalar[var] >= 0) state_reads[r].emplace_back(false, slots.scalar[var]);
        if (slots.set[var] >= 0) state_reads[r].emplace_back(true, slots.set[var]);
      }
    }
    using MemoKey = std::array<std::uint64_t, 1 + kStateScalars + kStateSets>;
    struct MemoKeyHash {
      std::size_t operator()(const MemoKey& k) const {
        std::size_t h = 0xcbf29ce484222325ull;
        for (std::uint64_t w : k) h = (h ^ w) * 0x100000001B3ull + (h >> 31);
        return h;
      }
    };
    struct Memo {
      bool decided = false, applicable = false;
      Verdict verdict = Verdict::kCompliant;
    };
    const std::size_t per_thread = std::max<std::size_t>(1, options.min_events_per_thread);
    unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(
                                                           1, events.size() / per_thread))));
    result.stats.threads = threads;
    std::vector<std::vector<Decided>> decided(threads);
    std::vector<Counters> counters(threads);
    std::vector<std::exception_ptr> failures(threads);
    auto evaluate_part = [&](unsigned t) {
      try {
        EventView local(slots);
        Counters& c = counters[t];
        const std::size_t begin = events.size() * t / threads;
        const std::size_t end = events.size() * (t + 1) / threads;
        // The part's events edge by edge (then in event order), so that the decisions of one
        // edge can be reused while it lasts; sorted back into event order below.
        std::vector<std::uint32_t> mine(end - begin);
        for (std::size_t k = begin; k < end; ++k) mine[k - begin] = static_cast<std::uint32_t>(k);
        std::stable_sort(mine.begin(), mine.end(), [&](std::uint32_t a, std::uint32_t b) {
          return events[a].first < events[b].first;
        });
        // Two levels: the edge's own decisions (small, cleared at the next edge), keyed by the
        // rule and what it reads of the state; behind them the decisions of the rule's edge
        // class, shared by every edge of the class (bounded: past kMemoLimit it starts afresh).
        constexpr std::size_t kMemoLimit = 1u << 18;
        FlatMemo<MemoKey, Memo, MemoKeyHash> memo, class_memo;
        std::uint32_t memo_edge = kNoEdge;
        for (std::size_t n = 0; n < mine.size(); ++n) {
          if (t == 0 && (n & 0x3fff) == 0x3fff)
            report_progress("evaluate", n * threads, events.size());
          const std::uint32_t k = mine[n];
          const auto [ei, state_id] = events[k];
          const EdgeFacts& ef = run.edges[ei];
          c.skipped += run.valid_rules.size() - ef.candidates.size();
          if (ef.candidates.empty()) continue;
          if (ei != memo_edge) {
            memo.clear();
            memo_edge = ei;
          }
          if (class_memo.size() > kMemoLimit) class_memo.clear();
          set_event(local, ei, state_id);
          const std::array<int, kStateScalars>& scalars = local.state_scalars();
          const std::array<const TriSet*, kStateSets>& sets = local.state_sets();
          for (std::size_t p = 0; p < ef.candidates.size(); ++p) {
            const std::uint16_t r = ef.candidates[p];
            ++c.evaluations;
            MemoKey key{};
            key[0] = r;
            std::size_t w = 1;
            for (const auto& [is_set, slot] : state_reads[r]) {
              key[w++] =
                  is_set ? reinterpret_cast<std::uintptr_t>(sets[static_cast<std::size_t>(slot)])
                         : static_cast<std::uint64_t>(
                               static_cast<std::uint32_t>(scalars[static_cast<std::size_t>(slot)]));
            }
            auto [found, fresh] = memo.try_emplace(key);
            Memo& m = *found;
            Memo* shared = nullptr;
            fresh = fresh || !options.reuse_decisions;
            if (fresh && options.reuse_decisions && ef.classes[p] != kNoClass) {
              key[0] = (std::uint64_t{ef.classes[p]} << 16) | r;
              std::tie(shared, fresh) = class_memo.try_emplace(key);
              if (!fresh) m = *shared;
            }
            if (fresh) {
              const auto direct = options.direct_evaluation ? evaluator->decide(r, local)
                                                            : std::optional<DirectDecision>{};
              m.decided = direct.has_value();
              m.applicable = direct && direct->applicable;
              m.verdict = direct ? direct->verdict : Verdict::kCompliant;
              if (shared) *shared = m;
            } else {
              ++c.reused;
            }
            const auto position = static_cast<std::uint16_t>(p);
            if (!m.decided) {
              ++c.solver;
              decided[t].push_back({k, position, r, Verdict::kCompliant, false});
              continue;
            }
            ++c.direct;
            if (!m.applicable) continue;
            if (m.verdict == Verdict::kCompliant && !options.keep_compliant) continue;
            decided[t].push_back({k, position, r, m.verdict, true});
          }
        }
        std::sort(decided[t].begin(), decided[t].end(), [](const Decided& a, const Decided& b) {
          return std::tie(a.event, a.position) < std::tie(b.event, b.position);
        });
      } catch (...) {
        failures[t] = std::current_exception();
      }
    };
    {
      std::vector<std::thread> pool;
      for (unsigned t = 1; t < threads; ++t) pool.emplace_back(evaluate_part, t);
      evaluate_part(0);
      for (auto& th : pool) th.join();
    }
    for (const auto& failure : failures) {
      if (failure) std::rethrow_exception(failure);
    }
    for (const Counters& c : counters) {
      result.summary.rule_evaluations += c.evaluations;
      result.stats.rules_skipped_by_edge += c.skipped;
      result.stats.direct_decisions += c.direct;
      result.stats.solver_decisions += c.solver;
      result.stats.reused_decisions += c.reused;
    }
    for (const auto& part : decided) {
      for (const Decided& d : part) {
        const auto [ei, state_id] = events[d.event];
        Verdict verdict = d.verdict;
        if (!d.direct) {
          load_event(ei, state_id);
          const RuleAnswer& answer = compiled->evaluate(d.rule, view);
          if (!answer.applicable) continue;
          if (answer.verdict == Verdict::kCompliant && !options.keep_compliant) continue;
          verdict = answer.verdict;
        }
        const FlatEdge& fe = edges[ei];
        const DataState& s = states[state_id].full;
        const FindingKey key{d.rule, static_cast<std::uint32_t>(fe.id), s.dataset,
                             static_cast<int>(verdict)};
        auto [slot_it, fresh] = slot_of.try_emplace(key, acc.size());
        if (!fresh) {
          acc[slot_it->second].states.push_back(state_id);
          continue;
        }
        if (d.direct && verify_direct) {
          load_event(ei, state_id);
          verify(d.rule, fe, view, *evaluator->decide(d.rule, view));
        }
        acc.push_back(FindingAcc{d.rule, verdict, ei, state_id, {state_id}});
      }
    }
  }

  // Phase 3 — the findings in their order (verdict, place, rule, data set, edge), built from the
  // ids straight into the result; they group into issues (rule and verdict on one recipient); the
  // findings to explain (all of them, or each issue's first) are explained once, from their first
  // event.
  std::vector<std::size_t> order(acc.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  // By ranks: each rule's (place, id), data set id and edge id ranked once, so the million
  // comparisons of a large map compare integers.
  auto ranks = [](std::size_t n, auto&& less) {
    std::vector<std::uint32_t> by(n), rank(n);
    for (std::size_t k = 0; k < n; ++k) by[k] = static_cast<std::uint32_t>(k);
    std::sort(by.begin(), by.end(), less);
    for (std::size_t k = 0; k < n; ++k) rank[by[k]] = static_cast<std::uint32_t>(k);
    return rank;
  };
  const auto rule_rank = ranks(compiled->rule_count(), [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(compiled->rule(a).place, compiled->rule(a).id) <
           std::tie(compiled->rule(b).place, compiled->rule(b).id);
  });
  const auto dataset_rank = ranks(model.datasets.size(), [&](std::uint32_t a, std::uint32_t b) {
    return model.datasets[a].id < model.datasets[b].id;
  });
  const auto edge_rank = ranks(edges.size(), [&](std::uint32_t a, std::uint32_t b) {
    return edges[a].edge->id < edges[b].edge->id;
  });
  auto sort_key = [&](std::size_t k) {
    const FindingAcc& a = acc[k];
    return std::make_tuple(a.verdict, rule_rank[a.rule],
                           dataset_rank[static_cast<std::size_t>(states[a.state].full.dataset)],
                           edge_rank[a.edge]);
  };
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return sort_key(a) < sort_key(b); });
  struct IssueKey {
    Verdict verdict;
    std::uint16_t rule;
    std::string_view recipient, country;
    bool operator==(const IssueKey&) const = default;
  };
  struct IssueKeyHash {
    std::size_t operator()(const IssueKey& k) const {
      const std::hash<std::string_view> h;
      return ((static_cast<std::size_t>(k.verdict) << 16 | k.rule) * 0x9E3779B97F4A7C15ull) ^
             (h(k.recipient) * 0x100000001B3ull) ^ h(k.country);
    }
  };
  std::unordered_map<IssueKey, std::size_t, IssueKeyHash> issue_of;
  // The strings occurrences read, once per rule, edge and data set that has findings.
  auto facts = std::make_shared<FindingFacts>();
  facts->rules.resize(compiled->rule_count());
  for (std::size_t r = 0; r < compiled->rule_count(); ++r) {
    const Rule& rule = compiled->rule(r);
    facts->rules[r] = {rule.id, rule.kind, rule.place};
  }
  for (const auto& d : model.datasets) facts->datasets.push_back(d.id);
  constexpr std::uint32_t kNoFacts = 0xFFFFFFFFu;
  std::vector<std::uint32_t> facts_of_edge(edges.size(), kNoFacts);
  auto edge_facts_index = [&](std::uint32_t ei) {
    std::uint32_t& k = facts_of_edge[ei];
    if (k == kNoFacts) {
      k = static_cast<std::uint32_t>(facts->edges.size());
      facts->edges.push_back(edge_facts_of(edges[ei]));
    }
    return k;
  };
  result.findings.reserve(acc.size());
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    const FindingAcc& a = acc[order[pos]];
    const FlatEdge& fe = edges[a.edge];
    const auto dataset = static_cast<std::uint32_t>(states[a.state].full.dataset);
    const std::uint32_t ef = edge_facts_index(a.edge);
    result.findings.push_occurrence(a.verdict, a.rule, ef, dataset);
    const GraphNode& to = g[fe.to];
    auto [it, fresh] = issue_of.try_emplace(
        IssueKey{a.verdict, a.rule, to.holder, to.country.known() ? to.country.value() : ""},
        result.issues.size());
    if (fresh) {
      Issue issue;
      issue.verdict = a.verdict;
      issue.rule_id = facts->rules[a.rule].id;
      issue.place = facts->rules[a.rule].place;
      issue.recipient = facts->edges[ef].importer;
      issue.recipient_country = facts->edges[ef].to_country;
      issue.example = pos;
      result.issues.push_back(std::move(issue));
    }
    result.issues[it->second].findings.push_back(pos);
  }
  result.findings.set_facts(std::move(facts));
  for (const Issue& issue : result.issues) {
    if (options.explain == Explain::kOnePerIssue)
      explain(result.findings.full(issue.example), acc[order[issue.example]]);
  }
  if (options.explain == Explain::kEveryFinding) {
    for (std::size_t pos = 0; pos < order.size(); ++pos)
      explain(result.findings.full(pos), acc[order[pos]]);
  }
  result.stats.issues = result.issues.size();
  result.stats.evaluate_ms = ms_since(evaluate_start);

  // Phase 4 — paths per state, then per finding and per issue.
  const auto count_start = std::chrono::steady_clock::now();
  report_progress("count", 0, 0);
  std::vector<std::uint64_t> paths_to;
  count_paths(states, transitions, root_states, result, paths_to);
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    std::uint64_t n = 0;
    for (std::uint32_t s : acc[order[pos]].states) n = saturating_add(n, paths_to[s]);
    result.findings.set_path_count(pos, n);
    switch (acc[order[pos]].verdict) {
      case Verdict::kViolation:
        ++result.summary.violations;
        break;
      case Verdict::kUndetermined:
        ++result.summary.undetermined;
        break;
      case Verdict::kCompliant:
        ++result.summary.compliant;
        break;
    }
  }
  for (Issue& issue : result.issues) {
    for (std::size_t k : issue.findings)
      issue.path_count = saturating_add(issue.path_count, result.findings[k].path_count);
  }
  std::sort(result.issues.begin(), result.issues.end(), [](const Issue& a, const Issue& b) {
    return std::tie(a.verdict, a.place, a.rule_id, a.recipient, a.recipient_country) <
           std::tie(b.verdict, b.place, b.rule_id, b.recipient, b.recipient_country);
  });
  result.stats.count_ms = ms_since(count_start);
  result.summary.solver_queries = compiled->solver_queries - queries_before;
  result.stats.solver_gave_up = compiled->gave_up - gave_up_before;
  result.summary.cache_hits = compiled->cache_hits - hits_before;
  return result;
}

void PathChecker::Impl::count_paths(
    const std::vector<StateRecord>& states,
    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& transitions,
    const std::vector<std::size_t>& root_states, CheckResult& result,
    std::vector<std::uint64_t>& paths_to) const {
  // Count paths without enumerating them: DFS marks back edges (cycles are counted once), then
  // paths_to[s] sums over predecessors in topological order.
  const std::size_t count = states.size();
  // Every transition is one (edge, state) event, so two parallel edges into the same state are
  // two transitions and two paths: no deduplication here.
  std::vector<std::vector<std::size_t>> succ(count);
  for (const auto& [from, to] : transitions) succ[from].push_back(to);
  std::vector<int> color(count, 0);
  std::vector<std::vector<std::size_t>> dag(count);
  std::vector<std::size_t> order;
  for (std::size_t r : root_states) {
    if (color[r]) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{r, 0}};
    color[r] = 1;
    while (!stack.empty()) {
      auto& [v, i] = stack.back();
      if (i < succ[v].size()) {
        const std::size_t w = succ[v][i++];
        if (color[w] == 1) continue;  // back edge: a cycle
        dag[v].push_back(w);
        if (color[w] == 0) {
          color[w] = 1;
          stack.push_back({w, 0});
        }
      } else {
        color[v] = 2;
        order.push_back(v);
        stack.pop_back();
      }
    }
  }
  std::reverse(order.begin(), order.end());
  paths_to.assign(count, 0);
  for (std::size_t r : root_states) paths_to[r] = 1;
  for (std::size_t v : order) {
    for (std::size_t w : dag[v]) paths_to[w] = saturating_add(paths_to[w], paths_to[v]);
  }
  for (std::size_t v = 0; v < count; ++v) {
    if (dag[v].empty()) result.summary.paths = saturating_add(result.summary.paths, paths_to[v]);
  }
}

}  // namespace xborder
