#include "solver/checker.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "solver/rule_compiler.hpp"

namespace xborder {

namespace {

constexpr std::int8_t kNo = 0, kYes = 1, kMaybe = -1;

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t s = a + b;
  return s < a ? UINT64_MAX : s;
}

// The attributes of a data set that change along a path (DOMAIN.md §1: disclosure scope,
// controller, storage location). What does not change (categories, subjects) stays on the data set.
struct DataState {
  int dataset = 0;
  int controller = kUnknown;             // party index
  std::vector<std::int8_t> scope;        // over parties
  std::vector<std::int8_t> authorities;  // over countries
  std::vector<std::int8_t> visited;      // over countries
  bool operator==(const DataState&) const = default;
};

struct StateKey {
  NodeIndex node;
  DataState state;
  bool operator==(const StateKey&) const = default;
};

struct StateKeyHash {
  std::size_t operator()(const StateKey& k) const {
    std::size_t h = k.node * 1000003u + static_cast<std::size_t>(k.state.dataset) * 7919u +
                    static_cast<std::size_t>(static_cast<unsigned>(k.state.controller));
    for (const auto* v : {&k.state.scope, &k.state.authorities, &k.state.visited}) {
      for (std::int8_t x : *v) h = h * 31u + static_cast<std::size_t>(x + 2);
    }
    return h;
  }
};

struct StateRecord {
  StateKey key;    // the state as the rules can see it: what deduplication compares
  DataState full;  // the first arrival's whole state, for reporting its disclosure scope
  long pred = -1;  // state it came from (first arrival), for the witness path
  std::optional<EdgeIndex> via;
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
  std::size_t flow_occasional, flow_safeguards_unavailable;
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
  }
};

}  // namespace

struct PathChecker::Impl {
  const TransferModel& model;
  const RuleBase& rules;
  TransferGraph graph;
  Universe universe;
  std::unique_ptr<CompiledRules> compiled;
  Vars vars;

  Impl(const TransferModel& m, const RuleBase& r, const CheckerSharing* sharing)
      : model(m), rules(r), graph(TransferGraph::build(m, r.reach)) {
    if (sharing) {
      for (const TransferModel* other : sharing->universe_models) add_model_values(*other);
    }
    build_universe();
    compiled = std::make_unique<CompiledRules>(rules, universe);
    if (sharing && sharing->answers && sharing->answers->join(universe_signature(universe)))
      compiled->share(sharing->answers);
    observed.assign(compiled->atoms().size(), false);
    for (std::size_t r = 0; r < compiled->rule_count(); ++r) {
      for (std::size_t atom : compiled->support(r)) observed[atom] = true;
    }
  }

  // Two states that differ only where no rule looks are the same state: this is what keeps the
  // number of states small while the number of paths multiplies.
  std::vector<bool> observed;
  DataState project(const DataState& s) const {
    DataState p = s;
    auto keep_observed = [&](std::vector<std::int8_t>& set, std::size_t var) {
      for (std::size_t k = 0; k < set.size(); ++k) {
        if (!observed[compiled->atoms().element(var, static_cast<int>(k))]) set[k] = kNo;
      }
    };
    keep_observed(p.scope, vars.d_scope);
    keep_observed(p.authorities, vars.d_authorities);
    keep_observed(p.visited, vars.d_visited);
    return p;
  }

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

  static void include(std::vector<std::int8_t>& set, int idx, std::int8_t how) {
    if (set[static_cast<std::size_t>(idx)] == kYes) return;
    if (how == kYes || set[static_cast<std::size_t>(idx)] == kNo)
      set[static_cast<std::size_t>(idx)] = how;
  }
  // A country we do not know: it could be any of them.
  static void include_unknown(std::vector<std::int8_t>& set) {
    for (auto& x : set) {
      if (x == kNo) x = kMaybe;
    }
  }

  // The holder and its corporate parents can see the data; the data subjects are not "holders".
  void add_holder_scope(std::vector<std::int8_t>& scope, const GraphNode& n) const {
    if (const Party* holder = model.party(n.holder);
        holder && holder->kind == PartyKind::kDataSubjects)
      return;
    include(scope, party_index(n.holder), kYes);
    for (const auto& p : n.control_chain) include(scope, party_index(p), kYes);
    if (!n.control_chain_complete) include(scope, party_index(std::string(kOtherValue)), kMaybe);
  }

  void add_reach(std::vector<std::int8_t>& authorities, const GraphNode& n, Date at) const {
    if (!n.country.known()) include_unknown(authorities);
    for (const auto& r : n.reach) {
      if (!r.valid.contains(at)) continue;
      include(authorities, country_index(r.authority), r.certain ? kYes : kMaybe);
    }
  }

  void add_country(std::vector<std::int8_t>& visited, const GraphNode& n) const {
    if (n.country.known()) {
      include(visited, country_index(n.country.value()), kYes);
    } else {
      include_unknown(visited);
    }
  }

  DataState initial_state(int dataset, NodeIndex at_node, Date at) const {
    const DataSet& d = model.datasets[static_cast<std::size_t>(dataset)];
    const GraphNode& n = graph.node(at_node);
    DataState s;
    s.dataset = dataset;
    s.controller = d.controller.known() ? party_index(d.controller.value()) : kUnknown;
    s.scope.assign(parties(), kNo);
    s.authorities.assign(countries(), kNo);
    s.visited.assign(countries(), kNo);
    for (const auto& p : d.disclosure_scope) include(s.scope, party_index(p), kYes);
    if (d.controller.known()) include(s.scope, party_index(d.controller.value()), kYes);
    add_holder_scope(s.scope, n);
    add_reach(s.authorities, n, at);
    add_country(s.visited, n);
    return s;
  }

  Unknowable<Relationship> relationship_of(const GraphEdge& e, const GraphNode& from,
                                           const GraphNode& to, const DataState& s) const {
    if (e.flow) return e.flow->relationship;
    if (from.holder == to.holder) return Relationship::kSameEntity;
    const bool exporter_is_controller =
        s.controller != kUnknown && s.controller == party_index(from.holder);
    if (e.kind == EdgeKind::kRemoteAccess && s.controller != kUnknown &&
        s.controller == party_index(to.holder)) {
      return Relationship::kProcessorToController;
    }
    if (s.controller == kUnknown) return Unknowable<Relationship>::unknown();
    return exporter_is_controller ? Relationship::kControllerToProcessor
                                  : Relationship::kProcessorToProcessor;
  }

  DataState next_state(const DataState& s, const GraphEdge& e, const GraphNode& from,
                       const GraphNode& to, Date at) const {
    DataState n = s;
    add_country(n.visited, to);
    add_holder_scope(n.scope, to);
    add_reach(n.authorities, to, at);
    const auto rel = relationship_of(e, from, to, s);
    if (!rel.known()) {
      n.controller = kUnknown;
    } else if (rel.value() == Relationship::kControllerToController ||
               rel.value() == Relationship::kBusinessSuccession ||
               rel.value() == Relationship::kDataSubjectToController) {
      n.controller = party_index(to.holder);
    } else if (rel.value() == Relationship::kProcessorToController && e.flow) {
      n.controller = party_index(to.holder);
    }
    return n;
  }

  // ------------------------------------------------------------- the event context
  void set(Valuation& v, std::size_t var, int value) const {
    v[compiled->atoms().scalar(var)] = value;
  }
  void set_tri(Valuation& v, std::size_t var, const Unknowable<bool>& b) const {
    set(v, var, b.known() ? (b.value() ? 1 : 0) : kUnknown);
  }
  void set_elements(Valuation& v, std::size_t var,
                    const std::vector<std::int8_t>& set_values) const {
    for (std::size_t k = 0; k < set_values.size(); ++k) {
      v[compiled->atoms().element(var, static_cast<int>(k))] =
          set_values[k] == kMaybe ? kUnknown : set_values[k];
    }
  }
  int enum_index(Domain d, std::string_view text) const { return universe.index_or_other(d, text); }

  void set_party(Valuation& v, const GraphNode& n, std::size_t party_var, std::size_t kind_var,
                 std::size_t established_var, std::size_t group_var) const {
    const Party* p = model.party(n.holder);
    set(v, party_var, party_index(n.holder));
    set(v, kind_var, enum_index(Domain::kPartyKind, to_string(p ? p->kind : PartyKind::kCompany)));
    set(v, established_var, p && p->country.known() ? country_index(p->country.value()) : kUnknown);
    std::vector<std::int8_t> group(countries(), kNo);
    for (const Party* member : model.control_chain(n.holder).parties) {
      if (member->country.known()) {
        include(group, country_index(member->country.value()), kYes);
      } else {
        include_unknown(group);
      }
    }
    if (!n.control_chain_complete) include_unknown(group);
    set_elements(v, group_var, group);
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

  const Measures* measures_for(const GraphEdge& e, const GraphNode& from,
                               const GraphNode& to) const {
    if (e.flow && e.flow->measures) return &*e.flow->measures;
    const GraphNode& holder = e.flow ? to : from;
    if (holder.system) {
      if (const System* s = model.system(*holder.system); s && s->measures) return &*s->measures;
    }
    return nullptr;
  }

  Valuation context(const GraphEdge& e, NodeIndex u, NodeIndex w, const DataState& s,
                    Date at) const {
    const GraphNode& from = graph.node(u);
    const GraphNode& to = graph.node(w);
    const DataSet& d = model.datasets[static_cast<std::size_t>(s.dataset)];
    Valuation v(compiled->atoms().size(), kNo);
    set(v, vars.date, at.days());
    set(v, vars.event, enum_index(Domain::kEvent, to_string(e.event)));
    set(v, vars.edge_kind, enum_index(Domain::kEdgeKind, to_string(e.kind)));
    set(v, vars.edge_region_role,
        enum_index(Domain::kRegionRole, to_string(e.region_role.value_or(
                                            to.region_role.value_or(RegionRole::kPrimary)))));
    const auto rel = relationship_of(e, from, to, s);
    set(v, vars.relationship,
        rel.known() ? enum_index(Domain::kRelationship, to_string(rel.value())) : kUnknown);
    set(v, vars.purpose,
        e.flow && !e.flow->purpose.empty() ? enum_index(Domain::kPurpose, e.flow->purpose)
                                           : universe.none_index(Domain::kPurpose));
    set_party(v, from, vars.ex_party, vars.ex_kind, vars.ex_established, vars.ex_group);
    set(v, vars.ex_country, from.country.known() ? country_index(from.country.value()) : kUnknown);
    set_party(v, to, vars.im_party, vars.im_kind, vars.im_established, vars.im_group);
    set(v, vars.im_country, to.country.known() ? country_index(to.country.value()) : kUnknown);
    {
      const Party* importer = model.party(to.holder);
      set(v, vars.im_organisation,
          importer && !importer->international_organisation.empty()
              ? enum_index(Domain::kOrganisation, importer->international_organisation)
              : universe.none_index(Domain::kOrganisation));
    }
    set(v, vars.im_tier,
        to.tier && to.kind == NodeKind::kSystemRegion
            ? enum_index(Domain::kTier, to_string(*to.tier))
            : universe.none_index(Domain::kTier));
    set_tri(v, vars.im_handles, to.holder_handles_data);
    set_tri(v, vars.im_identifies, e.flow ? e.flow->recipient_identifies : Unknowable<bool>(false));
    set_tri(v, vars.flow_occasional, e.flow ? e.flow->occasional : Unknowable<bool>(false));
    set_tri(v, vars.flow_safeguards_unavailable,
            e.flow ? e.flow->safeguards_unavailable : Unknowable<bool>(false));
    // Certifications the importer holds at the date.
    auto held_at = [&](const std::vector<Certification>& list) {
      std::vector<std::int8_t> certs(universe.values(Domain::kScheme).size(), kNo);
      for (const auto& c : list) {
        if (!c.valid.contains(at)) continue;
        include(certs, enum_index(Domain::kScheme, c.scheme),
                c.held.known() ? (c.held.value() ? kYes : kNo) : kMaybe);
      }
      return certs;
    };
    const Party* importer = model.party(to.holder);
    set_elements(v, vars.im_certs,
                 held_at(importer ? importer->certifications : std::vector<Certification>{}));
    const System* to_system =
        to.system && to.kind == NodeKind::kSystemRegion ? model.system(*to.system) : nullptr;
    set_elements(v, vars.im_system_certs,
                 held_at(to_system ? to_system->certifications : std::vector<Certification>{}));
    // The importer's people: nationalities, and whether a parent (employer) sits abroad.
    std::vector<std::int8_t> nationalities(countries(), kNo);
    if (importer && importer->nationalities.known()) {
      for (const auto& c : importer->nationalities.value())
        include(nationalities, country_index(c), kYes);
    } else {
      include_unknown(nationalities);
    }
    set_elements(v, vars.im_nationalities, nationalities);
    set(v, vars.im_abroad, controlled_from_abroad(to.holder));
    std::vector<std::int8_t> reach(countries(), kNo);
    add_reach(reach, to, at);
    set_elements(v, vars.im_reach, reach);
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
    if (safeguards_unknown) {
      for (std::size_t var :
           {vars.sg_scc, vars.sg_scc_module, vars.sg_scc_signed, vars.sg_scc_set, vars.sg_tia,
            vars.sg_bcr, vars.sg_consent, vars.sg_consent_informed, vars.sg_consent_explicit,
            vars.sg_appi, vars.sg_periodic, vars.sg_adhoc, vars.sg_coc, vars.sg_cert,
            vars.sg_provision_record, vars.sg_receipt_record, vars.sg_transfer_notice}) {
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
    // The data.
    std::vector<std::int8_t> categories(universe.values(Domain::kCategory).size(), kNo);
    for (std::size_t k = 0; k < enum_count<Category>(); ++k) {
      const auto has = d.categories.has(static_cast<Category>(k));
      categories[static_cast<std::size_t>(
          enum_index(Domain::kCategory, to_string(static_cast<Category>(k))))] =
          has.known() ? (has.value() ? kYes : kNo) : kMaybe;
    }
    set_elements(v, vars.d_categories, categories);
    std::vector<std::int8_t> subjects(countries(), kNo);
    if (d.subjects.known()) {
      for (const auto& c : d.subjects.value()) include(subjects, country_index(c), kYes);
    } else {
      include_unknown(subjects);
    }
    set_elements(v, vars.d_subjects, subjects);
    set(v, vars.d_count,
        d.subject_count.known()
            ? static_cast<int>(std::min<long long>(d.subject_count.value(), INT32_MAX))
            : kUnknown);
    set(v, vars.d_controller, s.controller);
    set_elements(v, vars.d_scope, s.scope);
    set_elements(v, vars.d_authorities, s.authorities);
    set_elements(v, vars.d_visited, s.visited);
    set(v, vars.d_value,
        d.value.known() ? enum_index(Domain::kValueLevel, to_string(d.value.value())) : kUnknown);
    std::vector<std::int8_t> permitted(parties(), kNo);
    if (d.permitted_scope.known()) {
      for (const auto& p : d.permitted_scope.value()) include(permitted, party_index(p), kYes);
    } else {
      include_unknown(permitted);
    }
    set_elements(v, vars.d_permitted, permitted);
    std::vector<std::int8_t> lists(universe.values(Domain::kControlList).size(), kNo);
    if (d.control_lists.known()) {
      for (const auto& l : d.control_lists.value())
        include(lists, enum_index(Domain::kControlList, l), kYes);
    } else {
      include_unknown(lists);
      lists[static_cast<std::size_t>(universe.none_index(Domain::kControlList))] = kNo;
    }
    set_elements(v, vars.d_control_lists, lists);
    // What the rules can see of the controller: its kind, establishment and designation.
    const Party* controller =
        s.controller == kUnknown
            ? nullptr
            : model.party(universe.values(Domain::kParty)[static_cast<std::size_t>(s.controller)]);
    if (controller) {
      set_tri(v, vars.d_controller_cii, controller->critical_infrastructure);
      set(v, vars.d_controller_kind, enum_index(Domain::kPartyKind, to_string(controller->kind)));
      set(v, vars.d_controller_established,
          controller->country.known() ? country_index(controller->country.value()) : kUnknown);
    } else {
      for (std::size_t var :
           {vars.d_controller_cii, vars.d_controller_kind, vars.d_controller_established})
        set(v, var, kUnknown);
    }
    return v;
  }

  // ------------------------------------------------------------------- propagation
  CheckResult run(Date at, const CheckOptions& options);
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
  const GraphType& g = graph.graph();
  const std::uint64_t queries_before = compiled->solver_queries;
  const std::uint64_t hits_before = compiled->cache_hits;

  auto dataset_index = [&](const Id& id) {
    for (std::size_t k = 0; k < model.datasets.size(); ++k) {
      if (model.datasets[k].id == id) return static_cast<int>(k);
    }
    return -1;
  };
  auto carries = [&](const GraphEdge& e, int dataset) {
    if (!e.flow) return true;
    const auto& ds = e.flow->datasets;
    return std::find(ds.begin(), ds.end(), model.datasets[static_cast<std::size_t>(dataset)].id) !=
           ds.end();
  };

  // Where each data set starts: its origin, where it is collected, where it is produced, and
  // (with a warning) where a flow sends it from though nothing brings it there.
  std::set<std::pair<int, NodeIndex>> roots;
  std::map<std::pair<int, NodeIndex>, std::vector<int>> produced_from;  // (product, node) ← inputs
  for (std::size_t k = 0; k < model.datasets.size(); ++k) {
    if (model.datasets[k].origin) {
      for (NodeIndex n : graph.entry_nodes(*model.datasets[k].origin))
        roots.insert({static_cast<int>(k), n});
    }
  }
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    const GraphEdge& e = g[*it];
    if (!e.flow) continue;
    const NodeIndex src = boost::source(*it, g);
    if (e.flow->event == Event::kCollect) {
      for (const auto& id : e.flow->datasets) roots.insert({dataset_index(id), src});
    }
    for (const auto& product : e.flow->produces) {
      for (const auto& input : e.flow->datasets) {
        produced_from[{dataset_index(product), boost::target(*it, g)}].push_back(
            dataset_index(input));
      }
    }
  }
  // Static reachability of (data set, node), to find flows that start from nowhere.
  {
    bool changed = true;
    std::set<std::pair<int, NodeIndex>> reached;
    while (changed) {
      changed = false;
      reached = roots;
      std::deque<std::pair<int, NodeIndex>> work(roots.begin(), roots.end());
      while (!work.empty()) {
        auto [ds, n] = work.front();
        work.pop_front();
        for (auto [eit, eend] = boost::out_edges(n, g); eit != eend; ++eit) {
          const GraphEdge& e = g[*eit];
          if (!carries(e, ds)) continue;
          std::vector<std::pair<int, NodeIndex>> next{{ds, boost::target(*eit, g)}};
          if (e.flow) {
            for (const auto& product : e.flow->produces)
              next.push_back({dataset_index(product), boost::target(*eit, g)});
          }
          for (const auto& x : next) {
            if (reached.insert(x).second) work.push_back(x);
          }
        }
      }
      for (auto [it, end] = boost::edges(g); it != end && !changed; ++it) {
        const GraphEdge& e = g[*it];
        if (!e.flow || e.flow->event == Event::kCollect) continue;
        const NodeIndex src = boost::source(*it, g);
        for (const auto& id : e.flow->datasets) {
          const int ds = dataset_index(id);
          if (reached.count({ds, src})) continue;
          roots.insert({ds, src});
          result.warnings.warning(
              "XB-CHECK-001", model.file, e.flow->pointer + "/from",
              "flow `" + e.flow->id + "` sends `" + id + "` from `" + e.flow->from +
                  "`, but nothing brings it there; the data set is taken to start there",
              "give the data set an `origin`, or add the flow that brings it");
          changed = true;
        }
      }
    }
  }

  // Worklist over deduplicated (node, state): paths multiply, states need not.
  std::vector<StateRecord> states;
  std::unordered_map<StateKey, std::size_t, StateKeyHash> index;
  std::deque<std::size_t> work;
  auto intern = [&](NodeIndex node, DataState full, long pred,
                    std::optional<EdgeIndex> via) -> std::pair<std::size_t, bool> {
    StateKey key{node, project(full)};
    if (auto it = index.find(key); it != index.end()) return {it->second, false};
    states.push_back(StateRecord{key, std::move(full), pred, via});
    index.emplace(std::move(key), states.size() - 1);
    work.push_back(states.size() - 1);
    return {states.size() - 1, true};
  };
  std::vector<std::size_t> root_states;
  for (const auto& [ds, n] : roots) {
    if (ds < 0) continue;
    auto [id, fresh] = intern(n, initial_state(ds, n, at), -1, std::nullopt);
    if (fresh) root_states.push_back(id);
  }

  struct Transition {
    std::size_t from, to;
  };
  std::vector<Transition> transitions;
  // Findings keyed by (rule, edge id, data set, verdict, the rule's view of the context).
  struct FindingAcc {
    Finding finding;
    std::vector<std::size_t> states;  // source states that fall in this finding
  };
  std::map<std::tuple<std::size_t, std::string, int, int, std::vector<int>>, FindingAcc> acc;
  std::vector<std::size_t> places_filter;

  auto evaluate_edge = [&](EdgeIndex edge, std::size_t state_id) {
    const GraphEdge& e = g[edge];
    const NodeIndex u = boost::source(edge, g);
    const NodeIndex w = boost::target(edge, g);
    const DataState& s = states[state_id].full;
    const Valuation values = context(e, u, w, s, at);
    ++result.summary.events_checked;
    for (std::size_t r = 0; r < compiled->rule_count(); ++r) {
      const Rule& rule = compiled->rule(r);
      if (!rule.valid.contains(at)) continue;
      ++result.summary.rule_evaluations;
      const RuleAnswer& answer = compiled->evaluate(r, values);
      if (!answer.applicable) continue;
      if (answer.verdict == Verdict::kCompliant && !options.keep_compliant) continue;
      auto key =
          std::make_tuple(r, e.id, s.dataset, static_cast<int>(answer.verdict), std::vector<int>{});
      auto& slot = acc[key];
      slot.states.push_back(state_id);
      if (slot.states.size() > 1) continue;
      Finding& f = slot.finding;
      f.verdict = answer.verdict;
      f.rule_id = rule.id;
      f.rule_kind = rule.kind;
      f.rule_title = rule.title;
      f.citation = rule.citation;
      f.place = rule.place;
      if (const Place* p = rules.place(rule.place)) f.place_name = p->name;
      f.dataset = model.datasets[static_cast<std::size_t>(s.dataset)].id;
      f.event = e.event;
      f.edge = e.id;
      f.edge_kind = e.kind;
      f.from_node = g[u].id;
      f.to_node = g[w].id;
      f.exporter = g[u].holder;
      f.importer = g[w].holder;
      f.from_country = g[u].country.known() ? g[u].country.value() : "";
      f.to_country = g[w].country.known() ? g[w].country.value() : "";
      if (e.flow) {
        f.model_pointer = e.flow->pointer;
      } else if (e.access) {
        f.model_pointer = e.access->pointer;
      } else if (g[u].system) {
        if (const System* sys = model.system(*g[u].system)) {
          f.model_pointer = sys->pointer + (e.kind == EdgeKind::kHosting ? "/runs_on" : "/regions");
        }
      }
      f.routes = answer.routes;
      f.because = compiled->render(answer.because, values);
      f.deciding = answer.deciding;
      // Disclosure scope after the event.
      const DataState after = next_state(s, e, g[u], g[w], at);
      const auto& party_names = universe.values(Domain::kParty);
      for (std::size_t k = 0; k < after.scope.size(); ++k) {
        if (after.scope[k] == kYes) f.scope.push_back(party_names[k]);
      }
      const auto& country_names = universe.values(Domain::kCountry);
      for (std::size_t k = 0; k < after.authorities.size(); ++k) {
        if (after.authorities[k] == kYes) f.authorities.push_back(country_names[k]);
        if (after.authorities[k] == kMaybe && country_names[k] != kNoneValue)
          f.authorities_possible.push_back(country_names[k]);
      }
      if (f.authorities_possible.size() + 2 >= country_names.size())
        f.authorities_possible = {"any"};
      // Witness path: back along first arrivals, then this edge.
      std::vector<PathStep> path;
      PathStep last;
      last.node = g[w].id;
      last.node_label = g[w].label;
      last.country = f.to_country;
      last.edge = e.id;
      last.edge_kind = e.kind;
      last.event = e.event;
      last.why = e.why;
      long cur = static_cast<long>(state_id);
      while (cur >= 0) {
        const StateRecord& rec = states[static_cast<std::size_t>(cur)];
        PathStep step;
        const GraphNode& n = g[rec.key.node];
        step.node = n.id;
        step.node_label = n.label;
        step.country = n.country.known() ? n.country.value() : "";
        if (rec.via) {
          const GraphEdge& ve = g[*rec.via];
          step.edge = ve.id;
          step.edge_kind = ve.kind;
          step.event = ve.event;
          step.why = ve.why;
        }
        path.push_back(step);
        cur = rec.pred;
      }
      std::reverse(path.begin(), path.end());
      if (u != w) path.push_back(last);
      f.path = std::move(path);
    }
  };

  while (!work.empty()) {
    const std::size_t id = work.front();
    work.pop_front();
    const NodeIndex n = states[id].key.node;
    const int ds = states[id].key.state.dataset;
    for (auto [eit, eend] = boost::out_edges(n, g); eit != eend; ++eit) {
      const GraphEdge& e = g[*eit];
      if (!carries(e, ds)) continue;
      evaluate_edge(*eit, id);
      const NodeIndex w = boost::target(*eit, g);
      DataState next = next_state(states[id].full, e, g[n], g[w], at);
      auto [to, fresh] = intern(w, std::move(next), static_cast<long>(id), *eit);
      if (to != id) transitions.push_back({id, to});
      (void)fresh;
      if (e.flow) {
        for (const auto& product : e.flow->produces) {
          const int p = dataset_index(product);
          DataState ps = initial_state(p, w, at);
          const DataState& input = states[id].full;
          for (std::size_t k = 0; k < ps.scope.size(); ++k)
            include(ps.scope, static_cast<int>(k), input.scope[k]);
          for (std::size_t k = 0; k < ps.authorities.size(); ++k)
            include(ps.authorities, static_cast<int>(k), input.authorities[k]);
          for (std::size_t k = 0; k < ps.visited.size(); ++k)
            include(ps.visited, static_cast<int>(k), input.visited[k]);
          auto [pid, pfresh] = intern(w, std::move(ps), static_cast<long>(id), *eit);
          if (pid != id) transitions.push_back({id, pid});
          (void)pfresh;
        }
      }
    }
  }

  // Count paths without enumerating them: DFS marks back edges (cycles are counted once), then
  // paths_to[s] sums over predecessors in topological order.
  const std::size_t count = states.size();
  std::vector<std::vector<std::size_t>> succ(count);
  for (const auto& t : transitions) succ[t.from].push_back(t.to);
  for (auto& s : succ) {
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
  }
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
  std::vector<std::uint64_t> paths_to(count, 0);
  for (std::size_t r : root_states) paths_to[r] = 1;
  for (std::size_t v : order) {
    for (std::size_t w : dag[v]) paths_to[w] = saturating_add(paths_to[w], paths_to[v]);
  }
  for (std::size_t v = 0; v < count; ++v) {
    if (dag[v].empty()) result.summary.paths = saturating_add(result.summary.paths, paths_to[v]);
  }
  result.summary.states = count;

  for (auto& [key, slot] : acc) {
    std::uint64_t n = 0;
    for (std::size_t s : slot.states) n = saturating_add(n, paths_to[s]);
    slot.finding.path_count = n;
    switch (slot.finding.verdict) {
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
    result.findings.push_back(std::move(slot.finding));
  }
  std::sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.verdict, a.place, a.rule_id, a.dataset, a.edge) <
           std::tie(b.verdict, b.place, b.rule_id, b.dataset, b.edge);
  });
  result.summary.solver_queries = compiled->solver_queries - queries_before;
  result.summary.cache_hits = compiled->cache_hits - hits_before;
  return result;
}

}  // namespace xborder
