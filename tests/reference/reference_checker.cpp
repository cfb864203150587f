#include "tests/reference/reference_checker.hpp"

#include <algorithm>
#include <climits>
#include <functional>
#include <set>
#include <stdexcept>
#include <vector>

#include "model/transfer_graph.hpp"
#include "solver/vocabulary.hpp"

namespace xborder::reference {

namespace {

// Three-valued statuses of a set element and truth values of the interpreter.
constexpr std::int8_t kNo = 0, kYes = 1, kMaybe = -1;
constexpr long long kUnknownValue = LLONG_MIN;
enum class Tri { kFalse, kTrue, kUnknown };

Tri tri(bool b) {
  return b ? Tri::kTrue : Tri::kFalse;
}
Tri tri_not(Tri t) {
  return t == Tri::kUnknown ? t : tri(t == Tri::kFalse);
}
Tri tri_and(Tri a, Tri b) {
  if (a == Tri::kFalse || b == Tri::kFalse) return Tri::kFalse;
  if (a == Tri::kTrue && b == Tri::kTrue) return Tri::kTrue;
  return Tri::kUnknown;
}
Tri tri_or(Tri a, Tri b) {
  return tri_not(tri_and(tri_not(a), tri_not(b)));
}

// The values of every domain in one check. Open domains hold every value the model and the rule
// base mention, then `other` (anything else) and `none`; closed domains their spellings and
// `none`. This is the meaning of "unknown": any one of these values.
class Values {
 public:
  Values(const TransferModel& m, const RuleBase& rules,
         const std::map<Domain, std::set<std::string>>& extra = {}) {
    for (const auto& [d, values] : extra) {
      if (domain_is_open(d)) open_[d].insert(values.begin(), values.end());
    }
    auto country = [&](const std::string& c) { open_[Domain::kCountry].insert(c); };
    for (const auto& p : m.parties) {
      open_[Domain::kParty].insert(p.id);
      if (!p.international_organisation.empty())
        open_[Domain::kOrganisation].insert(p.international_organisation);
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
      for (const auto& p : d.purposes) open_[Domain::kPurpose].insert(p);
    }
    for (const auto& f : m.flows) {
      if (!f.purpose.empty()) open_[Domain::kPurpose].insert(f.purpose);
      for (const auto& c : f.transit) country(c);
      if (f.measures) {
        if (f.measures->key_country.known() && f.measures->key_country.value())
          country(*f.measures->key_country.value());
        if (f.measures->reid_key_country.known() && f.measures->reid_key_country.value())
          country(*f.measures->reid_key_country.value());
      }
    }
    auto literals = [&](const Expr& e) {
      visit(e, [&](const Expr& x) {
        if (x.op == ExprOp::kStringLit && domain_is_open(x.type.domain))
          open_[x.type.domain].insert(x.text);
      });
    };
    for (const auto& [name, fs] : rules.facts) {
      for (const auto& e : fs->entries) {
        if (domain_is_open(fs->domain)) open_[fs->domain].insert(e.value);
        if (e.when) literals(*e.when);
      }
    }
    for (const auto& [name, d] : rules.definitions) literals(d->expr);
    for (const Rule* r : rules.rules) {
      literals(r->applies);
      for (const auto& route : r->requires_any) literals(route.expr);
    }
    for (const auto& reach : rules.reach) {
      country(reach.authority);
      for (const auto& c : reach.control_countries) country(c);
    }
    for (int k = 1; k < static_cast<int>(enum_count<Domain>()); ++k) {
      const Domain d = static_cast<Domain>(k);
      std::vector<std::string> v;
      if (domain_is_open(d)) {
        for (const auto& x : open_[d]) {
          if (x != kNoneValue && x != kOtherValue) v.push_back(x);
        }
        v.emplace_back(kOtherValue);
      } else {
        v = fixed_domain_values(d);
      }
      v.emplace_back(kNoneValue);
      for (std::size_t n = 0; n < v.size(); ++n) index_[d][v[n]] = static_cast<int>(n);
      values_[d] = std::move(v);
    }
  }
  [[nodiscard]] const std::vector<std::string>& of(Domain d) const { return values_.at(d); }
  [[nodiscard]] std::optional<int> find(Domain d, const std::string& v) const {
    const auto& idx = index_.at(d);
    auto it = idx.find(v);
    if (it == idx.end()) return std::nullopt;
    return it->second;
  }
  [[nodiscard]] int get(Domain d, const std::string& v) const {
    if (auto k = find(d, v)) return *k;
    return *find(d, std::string(kOtherValue));
  }
  [[nodiscard]] int none(Domain d) const { return *find(d, std::string(kNoneValue)); }

 private:
  std::map<Domain, std::set<std::string>> open_;
  std::map<Domain, std::vector<std::string>> values_;
  std::map<Domain, std::map<std::string, int>> index_;
};

std::size_t var(const char* name) {
  auto v = find_variable(name);
  if (!v) throw std::logic_error(std::string("no context variable ") + name);
  return *v;
}

// One event's context: a value per scalar variable (kUnknownValue when unknown; enums by their
// index in Values) and a status per element of each set variable.
struct Context {
  std::vector<long long> scalar;
  std::vector<std::vector<std::int8_t>> sets;
};

// `into` gains `how` for element k: yes beats maybe beats no.
void join(std::vector<std::int8_t>& into, std::size_t k, std::int8_t how) {
  auto rank = [](std::int8_t x) { return x == kYes ? 2 : (x == kMaybe ? 1 : 0); };
  if (rank(how) > rank(into[k])) into[k] = how;
}
void all_maybe(std::vector<std::int8_t>& set) {
  for (auto& x : set) {
    if (x == kNo) x = kMaybe;
  }
}
long long tri_value(const Unknowable<bool>& b) {
  return b.known() ? (b.value() ? 1 : 0) : kUnknownValue;
}

// The state of the data along one path.
struct State {
  int dataset = 0;
  std::optional<Id> controller;  // nullopt: unknown
  std::vector<std::int8_t> scope, authorities, visited;
  bool operator==(const State&) const = default;
};

class Reference {
 public:
  Reference(const TransferModel& m, const RuleBase& r, Date at, const ReferenceLimits& limits,
            const std::map<Domain, std::set<std::string>>& extra_values = {})
      : model_(m),
        rules_(r),
        at_(at),
        limits_(limits),
        values_(m, r, extra_values),
        graph_(TransferGraph::build(m, r.reach)) {
    for (const Rule* rule : rules_.rules) {
      if (rule->valid.contains(at_)) active_.push_back(rule);
    }
    // Representatives of the integers and dates a rule can tell apart: every literal, one
    // below and one above (comparisons are with literals, the check date or each other).
    std::set<long long> ints{0, 1}, dates{at_.days() - 1LL, at_.days(), at_.days() + 1LL};
    auto collect = [&](const Expr& e) {
      visit(e, [&](const Expr& x) {
        auto& into = x.op == ExprOp::kIntLit ? ints : dates;
        if (x.op == ExprOp::kIntLit || x.op == ExprOp::kDateLit) {
          into.insert(x.number - 1);
          into.insert(x.number);
          into.insert(x.number + 1);
        }
      });
    };
    for (const auto& [n, fs] : rules_.facts) {
      for (const auto& e : fs->entries) {
        if (e.when) collect(*e.when);
      }
    }
    for (const auto& [n, d] : rules_.definitions) collect(d->expr);
    for (const Rule* rule : rules_.rules) {
      collect(rule->applies);
      for (const auto& route : rule->requires_any) collect(route.expr);
    }
    ints.insert(-1);
    int_values_.assign(ints.begin(), ints.end());
    date_values_.assign(dates.begin(), dates.end());
  }

  std::optional<ReferenceResult> run();
  std::optional<Verdict> judge(const Rule& rule, const std::map<std::string, std::string>& given);

 private:
  const TransferModel& model_;
  const RuleBase& rules_;
  Date at_;
  ReferenceLimits limits_;
  Values values_;
  TransferGraph graph_;
  std::vector<const Rule*> active_;
  std::vector<long long> int_values_, date_values_;
  ReferenceResult result_;
  bool gave_up_ = false;

  // ------------------------------------------------------------------ model helpers
  std::size_t countries() const { return values_.of(Domain::kCountry).size(); }
  std::size_t parties() const { return values_.of(Domain::kParty).size(); }
  long long country_of(const Unknowable<Country>& c) const {
    return c.known() ? values_.get(Domain::kCountry, c.value()) : kUnknownValue;
  }
  std::vector<std::int8_t> empty_set(Domain d) const {
    return std::vector<std::int8_t>(values_.of(d).size(), kNo);
  }

  void add_country(std::vector<std::int8_t>& visited, const GraphNode& n) const {
    if (n.country.known()) {
      join(visited, static_cast<std::size_t>(values_.get(Domain::kCountry, n.country.value())),
           kYes);
    } else {
      all_maybe(visited);
    }
  }
  void add_reach(std::vector<std::int8_t>& authorities, const GraphNode& n) const {
    if (!n.country.known()) all_maybe(authorities);
    for (const auto& r : n.reach) {
      if (!r.valid.contains(at_)) continue;
      join(authorities, static_cast<std::size_t>(values_.get(Domain::kCountry, r.authority)),
           r.certain ? kYes : kMaybe);
    }
  }
  // Whoever holds the data, and every party controlling the holder, can see it.
  void add_holder(std::vector<std::int8_t>& scope, const GraphNode& n) const {
    const Party* holder = model_.party(n.holder);
    if (holder && holder->kind == PartyKind::kDataSubjects) return;
    join(scope, static_cast<std::size_t>(values_.get(Domain::kParty, n.holder)), kYes);
    const auto chain = model_.control_chain(n.holder);
    for (const Party* p : chain.parties)
      join(scope, static_cast<std::size_t>(values_.get(Domain::kParty, p->id)), kYes);
    if (!chain.complete)
      join(scope, static_cast<std::size_t>(values_.get(Domain::kParty, std::string(kOtherValue))),
           kMaybe);
  }

  State start(int dataset, NodeIndex node) const {
    const DataSet& d = model_.datasets[static_cast<std::size_t>(dataset)];
    State s;
    s.dataset = dataset;
    if (d.controller.known()) s.controller = d.controller.value();
    s.scope = empty_set(Domain::kParty);
    s.authorities = empty_set(Domain::kCountry);
    s.visited = empty_set(Domain::kCountry);
    for (const auto& p : d.disclosure_scope)
      join(s.scope, static_cast<std::size_t>(values_.get(Domain::kParty, p)), kYes);
    if (s.controller)
      join(s.scope, static_cast<std::size_t>(values_.get(Domain::kParty, *s.controller)), kYes);
    const GraphNode& n = graph_.node(node);
    add_holder(s.scope, n);
    add_reach(s.authorities, n);
    add_country(s.visited, n);
    return s;
  }

  // The relationship of an event: the flow's, or derived for an implicit edge.
  Unknowable<Relationship> relationship(const GraphEdge& e, const GraphNode& from,
                                        const GraphNode& to, const State& s) const {
    if (e.flow) return e.flow->relationship;
    if (from.holder == to.holder) return Relationship::kSameEntity;
    if (!s.controller) return Unknowable<Relationship>::unknown();
    if (e.kind == EdgeKind::kRemoteAccess && *s.controller == to.holder)
      return Relationship::kProcessorToController;
    return *s.controller == from.holder ? Relationship::kControllerToProcessor
                                        : Relationship::kProcessorToProcessor;
  }

  State after(const State& s, const GraphEdge& e, const GraphNode& from,
              const GraphNode& to) const {
    State n = s;
    add_country(n.visited, to);
    add_holder(n.scope, to);
    add_reach(n.authorities, to);
    const auto rel = relationship(e, from, to, s);
    if (!rel.known()) {
      n.controller.reset();
    } else {
      switch (rel.value()) {
        case Relationship::kControllerToController:
        case Relationship::kBusinessSuccession:
        case Relationship::kDataSubjectToController:
          n.controller = to.holder;
          break;
        case Relationship::kProcessorToController:
          if (e.flow) n.controller = to.holder;
          break;
        default:
          break;
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ the event context
  void party_side(Context& c, const GraphNode& n, const char* party, const char* kind,
                  const char* established, const char* group) const {
    const Party* p = model_.party(n.holder);
    c.scalar[var(party)] = values_.get(Domain::kParty, n.holder);
    c.scalar[var(kind)] =
        values_.get(Domain::kPartyKind, std::string(to_string(p ? p->kind : PartyKind::kCompany)));
    c.scalar[var(established)] = p ? country_of(p->country) : kUnknownValue;
    auto g = empty_set(Domain::kCountry);
    const auto chain = model_.control_chain(n.holder);
    for (const Party* member : chain.parties) {
      if (member->country.known()) {
        join(g, static_cast<std::size_t>(values_.get(Domain::kCountry, member->country.value())),
             kYes);
      } else {
        all_maybe(g);
      }
    }
    if (!chain.complete) all_maybe(g);
    c.sets[var(group)] = g;
  }

  long long controlled_from_abroad(const Id& id) const {
    const Party* p = model_.party(id);
    if (!p) return 0;
    const auto chain = model_.control_chain(id);
    bool unknown = !chain.complete || !p->country.known();
    for (const Party* member : chain.parties) {
      if (member == p) continue;
      if (!member->country.known()) {
        unknown = true;
      } else if (p->country.known() && member->country.value() != p->country.value()) {
        return 1;
      }
    }
    const std::size_t links = chain.parties.size() + (chain.complete ? 0 : 1);
    return unknown && links > 1 ? kUnknownValue : 0;
  }

  std::vector<std::int8_t> certifications(const std::vector<Certification>& list) const {
    auto out = empty_set(Domain::kScheme);
    for (const auto& c : list) {
      if (!c.valid.contains(at_)) continue;
      join(out, static_cast<std::size_t>(values_.get(Domain::kScheme, c.scheme)),
           c.held.known() ? (c.held.value() ? kYes : kNo) : kMaybe);
    }
    return out;
  }

  Context context(const GraphEdge& e, const GraphNode& from, const GraphNode& to,
                  const State& s) const {
    const auto& vars = context_variables();
    Context c;
    c.scalar.assign(vars.size(), 0);
    c.sets.resize(vars.size());
    for (std::size_t v = 0; v < vars.size(); ++v) {
      if (vars[v].type.kind == VarKind::kSet) c.sets[v] = empty_set(vars[v].type.domain);
    }
    auto set_enum = [&](const char* name, Domain d, std::string_view value) {
      c.scalar[var(name)] = values_.get(d, std::string(value));
    };
    auto set_none = [&](const char* name, Domain d) { c.scalar[var(name)] = values_.none(d); };
    const DataSet& d = model_.datasets[static_cast<std::size_t>(s.dataset)];

    c.scalar[var("date")] = at_.days();
    set_enum("event", Domain::kEvent, to_string(e.event));
    set_enum("edge.kind", Domain::kEdgeKind, to_string(e.kind));
    RegionRole role = RegionRole::kPrimary;
    if (e.region_role) {
      role = *e.region_role;
    } else if (to.region_role) {
      role = *to.region_role;
    }
    set_enum("edge.region_role", Domain::kRegionRole, to_string(role));
    const auto rel = relationship(e, from, to, s);
    if (rel.known()) {
      set_enum("relationship", Domain::kRelationship, to_string(rel.value()));
    } else {
      c.scalar[var("relationship")] = kUnknownValue;
    }
    if (e.flow && !e.flow->purpose.empty()) {
      set_enum("purpose", Domain::kPurpose, e.flow->purpose);
    } else {
      set_none("purpose", Domain::kPurpose);
    }
    party_side(c, from, "exporter.party", "exporter.kind", "exporter.established",
               "exporter.group_countries");
    c.scalar[var("exporter.country")] = country_of(from.country);
    {
      auto targets = empty_set(Domain::kCountry);
      const Party* exporter = model_.party(from.holder);
      if (exporter && exporter->targets.known()) {
        for (const auto& t : exporter->targets.value())
          join(targets, static_cast<std::size_t>(values_.get(Domain::kCountry, t)), kYes);
      } else if (exporter) {
        all_maybe(targets);
      }
      c.sets[var("exporter.targets")] = targets;
    }
    party_side(c, to, "importer.party", "importer.kind", "importer.established",
               "importer.group_countries");
    c.scalar[var("importer.country")] = country_of(to.country);
    const Party* importer = model_.party(to.holder);
    if (importer && !importer->international_organisation.empty()) {
      set_enum("importer.international_organisation", Domain::kOrganisation,
               importer->international_organisation);
    } else {
      set_none("importer.international_organisation", Domain::kOrganisation);
    }
    if (to.kind == NodeKind::kSystemRegion && to.tier) {
      set_enum("importer.tier", Domain::kTier, to_string(*to.tier));
    } else {
      set_none("importer.tier", Domain::kTier);
    }
    c.scalar[var("importer.handles_data")] = tri_value(to.holder_handles_data);
    c.scalar[var("importer.identifies")] = e.flow ? tri_value(e.flow->recipient_identifies) : 0;
    // What a derogation rests on besides its ground: the flow's own statements, unknown unless
    // the model says, false on implicit edges (before 2026-12-07 the reference left them false).
    c.scalar[var("flow.occasional")] = e.flow ? tri_value(e.flow->occasional) : 0;
    c.scalar[var("flow.safeguards_unavailable")] =
        e.flow ? tri_value(e.flow->safeguards_unavailable) : 0;
    {
      // The countries the flow is only routed through (none on implicit edges).
      auto transit = empty_set(Domain::kCountry);
      if (e.flow) {
        for (const auto& t : e.flow->transit)
          join(transit, static_cast<std::size_t>(values_.get(Domain::kCountry, t)), kYes);
      }
      c.sets[var("flow.transit_countries")] = transit;
    }
    c.sets[var("importer.certifications")] =
        certifications(importer ? importer->certifications : std::vector<Certification>{});
    const System* system =
        to.kind == NodeKind::kSystemRegion && to.system ? model_.system(*to.system) : nullptr;
    c.sets[var("importer.system_certifications")] =
        certifications(system ? system->certifications : std::vector<Certification>{});
    {
      auto nat = empty_set(Domain::kCountry);
      if (importer && importer->nationalities.known()) {
        for (const auto& n : importer->nationalities.value())
          join(nat, static_cast<std::size_t>(values_.get(Domain::kCountry, n)), kYes);
      } else {
        all_maybe(nat);
      }
      c.sets[var("importer.nationalities")] = nat;
    }
    c.scalar[var("importer.controlled_from_abroad")] = controlled_from_abroad(to.holder);
    {
      // One party acts for the other (an employee of it), either way; unknown when an `acts_for`
      // the model leaves unknown could be it.
      long long acts = 0;
      for (const auto& [x, y] :
           {std::pair{&from.holder, &to.holder}, std::pair{&to.holder, &from.holder}}) {
        const Party* p = model_.party(*x);
        if (!p) continue;
        if (!p->acts_for.known()) {
          if (acts == 0) acts = kUnknownValue;
        } else if (p->acts_for.value() && *p->acts_for.value() == *y) {
          acts = 1;
          break;
        }
      }
      c.scalar[var("importer.acts_for_exporter")] = acts;
    }
    {
      // The importer's own law shields what it holds from the authorities (privilege).
      const Party* importer_party = model_.party(to.holder);
      c.scalar[var("importer.protected_by_law")] =
          importer_party ? tri_value(importer_party->protected_by_law) : 0;
      // How many people the exporter's databases identify (APPI of 2003, 5,000 persons).
      const Party* exporter_party = model_.party(from.holder);
      c.scalar[var("exporter.persons_held")] =
          exporter_party && exporter_party->persons_held.known()
              ? std::min<long long>(exporter_party->persons_held.value(), INT32_MAX)
              : kUnknownValue;
      c.scalar[var("exporter.ict_service_provider")] =
          exporter_party ? tri_value(exporter_party->ict_service_provider) : 0;
    }
    {
      auto reach = empty_set(Domain::kCountry);
      add_reach(reach, to);
      c.sets[var("importer.reach")] = reach;
    }
    {
      const auto a = model_.control_chain(from.holder);
      const auto b = model_.control_chain(to.holder);
      bool shared = false;
      for (const Party* x : a.parties) {
        shared = shared || std::find(b.parties.begin(), b.parties.end(), x) != b.parties.end();
      }
      c.scalar[var("same_group")] = shared ? 1 : (a.complete && b.complete ? 0 : kUnknownValue);
    }

    // Safeguards: of the flow, the remote access's contract, the hosted system's contract with
    // what it runs on, or the replica region's.
    const std::vector<Safeguard>* safeguards = nullptr;
    bool unknown_safeguards = false;
    if (e.flow) {
      safeguards = &e.flow->safeguards;
      unknown_safeguards = e.flow->safeguards_unknown;
    } else if (e.access) {
      safeguards = &e.access->safeguards;
    } else if (e.kind == EdgeKind::kHosting && from.system) {
      if (const System* sys = model_.system(*from.system)) safeguards = &sys->safeguards;
    } else if (e.kind == EdgeKind::kReplication) {
      safeguards = e.region_safeguards;
    }
    set_none("safeguard.scc_set", Domain::kSccSet);
    // What the TIA concluded: unknown unless a TIA in place records it.
    c.scalar[var("safeguard.tia_conclusion")] = kUnknownValue;
    c.scalar[var("safeguard.tia_conclusion_recorded")] = 0;
    const char* bools[] = {"safeguard.scc",
                           "safeguard.tia",
                           "safeguard.bcr",
                           "safeguard.consent",
                           "safeguard.consent_informed",
                           "safeguard.consent_explicit",
                           "safeguard.appi_standard_system",
                           "safeguard.periodic_check",
                           "safeguard.ad_hoc_clauses",
                           "safeguard.code_of_conduct",
                           "safeguard.certification",
                           "safeguard.provision_record",
                           "safeguard.receipt_record",
                           "safeguard.transfer_notice",
                           "safeguard.entrustee_supervision"};
    if (unknown_safeguards) {
      for (const char* b : bools) c.scalar[var(b)] = kUnknownValue;
      c.scalar[var("safeguard.tia_conclusion_recorded")] = kUnknownValue;
      for (const char* n : {"safeguard.scc_module", "safeguard.scc_signed", "safeguard.scc_set"})
        c.scalar[var(n)] = kUnknownValue;
      for (const char* n : {"safeguard.derogations", "safeguard.authorisations"})
        all_maybe(c.sets[var(n)]);
    } else if (safeguards) {
      for (const auto& sg : *safeguards) {
        const long long in_place = tri_value(sg.in_place);
        const std::int8_t status = in_place == kUnknownValue ? kMaybe : (in_place ? kYes : kNo);
        switch (sg.type) {
          case SafeguardType::kScc:
            c.scalar[var("safeguard.scc")] = in_place;
            c.scalar[var("safeguard.scc_module")] =
                in_place == 0 ? 0 : (in_place == 1 ? sg.scc_module.value_or(0) : kUnknownValue);
            if (in_place != 0) {
              set_enum("safeguard.scc_set", Domain::kSccSet, sg.scc_set.value_or("2021/914"));
              c.scalar[var("safeguard.scc_signed")] =
                  sg.signed_on ? sg.signed_on->days() : kUnknownValue;
            }
            break;
          case SafeguardType::kTia:
            c.scalar[var("safeguard.tia")] = in_place;
            if (in_place != 0 && sg.conclusion) {
              c.scalar[var("safeguard.tia_conclusion_recorded")] = in_place;
              set_enum("safeguard.tia_conclusion", Domain::kTiaConclusion, *sg.conclusion);
            }
            break;
          case SafeguardType::kBcr:
            c.scalar[var("safeguard.bcr")] = in_place;
            break;
          case SafeguardType::kConsent:
            c.scalar[var("safeguard.consent")] = in_place;
            c.scalar[var("safeguard.consent_informed")] = tri_value(sg.informed);
            c.scalar[var("safeguard.consent_explicit")] = tri_value(sg.explicit_consent);
            break;
          case SafeguardType::kAppiStandardSystem:
            c.scalar[var("safeguard.appi_standard_system")] = in_place;
            c.scalar[var("safeguard.periodic_check")] = tri_value(sg.periodic_check);
            break;
          case SafeguardType::kDerogation:
            if (sg.derogation)
              join(c.sets[var("safeguard.derogations")],
                   static_cast<std::size_t>(values_.get(Domain::kDerogation, *sg.derogation)),
                   status);
            break;
          case SafeguardType::kAdHocClauses:
            c.scalar[var("safeguard.ad_hoc_clauses")] = in_place;
            break;
          case SafeguardType::kCodeOfConduct:
            c.scalar[var("safeguard.code_of_conduct")] = in_place;
            break;
          case SafeguardType::kCertification:
            c.scalar[var("safeguard.certification")] = in_place;
            break;
          case SafeguardType::kAuthorisation:
            if (sg.regime)
              join(c.sets[var("safeguard.authorisations")],
                   static_cast<std::size_t>(values_.get(Domain::kAuthorisation, *sg.regime)),
                   status);
            break;
          case SafeguardType::kProvisionRecord:
            c.scalar[var("safeguard.provision_record")] = in_place;
            break;
          case SafeguardType::kReceiptRecord:
            c.scalar[var("safeguard.receipt_record")] = in_place;
            break;
          case SafeguardType::kTransferNotice:
            c.scalar[var("safeguard.transfer_notice")] = in_place;
            break;
          case SafeguardType::kEntrusteeSupervision:
            c.scalar[var("safeguard.entrustee_supervision")] = in_place;
            break;
        }
      }
    }

    // Measures: the flow's, else those of the system the data is in (the receiving one for a
    // flow, the sending one for an implicit edge).
    const Measures* m = nullptr;
    if (e.flow && e.flow->measures) {
      m = &*e.flow->measures;
    } else {
      const GraphNode& at_node = e.flow ? to : from;
      if (at_node.system) {
        const System* sys = model_.system(*at_node.system);
        if (sys && sys->measures) m = &*sys->measures;
      }
    }
    set_none("measures.key_holder", Domain::kParty);
    set_none("measures.key_country", Domain::kCountry);
    set_none("measures.reid_key_country", Domain::kCountry);
    if (m) {
      c.scalar[var("measures.encryption_in_transit")] = tri_value(m->encryption_in_transit);
      c.scalar[var("measures.encryption_at_rest")] = tri_value(m->encryption_at_rest);
      c.scalar[var("measures.pseudonymised")] = tri_value(m->pseudonymised);
      c.scalar[var("measures.split_processing")] = tri_value(m->split_processing);
      if (!m->key_holder.known()) {
        c.scalar[var("measures.key_holder")] = kUnknownValue;
      } else if (m->key_holder.value()) {
        set_enum("measures.key_holder", Domain::kParty, *m->key_holder.value());
      }
      if (!m->key_country.known()) {
        c.scalar[var("measures.key_country")] = kUnknownValue;
      } else if (m->key_country.value()) {
        set_enum("measures.key_country", Domain::kCountry, *m->key_country.value());
      }
      if (!m->reid_key_country.known()) {
        c.scalar[var("measures.reid_key_country")] = kUnknownValue;
      } else if (m->reid_key_country.value()) {
        set_enum("measures.reid_key_country", Domain::kCountry, *m->reid_key_country.value());
      }
    }

    // The data set and its state on this path.
    {
      auto& cats = c.sets[var("data.categories")];
      for (std::size_t k = 0; k < enum_count<Category>(); ++k) {
        const auto cat = static_cast<Category>(k);
        const auto has = d.categories.has(cat);
        cats[static_cast<std::size_t>(
            values_.get(Domain::kCategory, std::string(to_string(cat))))] =
            has.known() ? (has.value() ? kYes : kNo) : kMaybe;
      }
    }
    {
      auto& subjects = c.sets[var("data.subjects")];
      if (d.subjects.known()) {
        for (const auto& x : d.subjects.value())
          join(subjects, static_cast<std::size_t>(values_.get(Domain::kCountry, x)), kYes);
      } else {
        all_maybe(subjects);
      }
    }
    c.scalar[var("data.subject_count")] =
        d.subject_count.known() ? std::min<long long>(d.subject_count.value(), INT32_MAX)
                                : kUnknownValue;
    c.scalar[var("data.controller")] =
        s.controller ? values_.get(Domain::kParty, *s.controller) : kUnknownValue;
    c.sets[var("data.scope")] = s.scope;
    c.sets[var("data.authorities")] = s.authorities;
    c.sets[var("data.visited")] = s.visited;
    if (d.value.known()) {
      set_enum("data.value", Domain::kValueLevel, to_string(d.value.value()));
    } else {
      c.scalar[var("data.value")] = kUnknownValue;
    }
    {
      auto& permitted = c.sets[var("data.permitted_scope")];
      if (d.permitted_scope.known()) {
        for (const auto& p : d.permitted_scope.value())
          join(permitted, static_cast<std::size_t>(values_.get(Domain::kParty, p)), kYes);
      } else {
        all_maybe(permitted);
      }
    }
    {
      auto& lists = c.sets[var("data.control_lists")];
      if (d.control_lists.known()) {
        for (const auto& l : d.control_lists.value())
          join(lists, static_cast<std::size_t>(values_.get(Domain::kControlList, l)), kYes);
      } else {
        all_maybe(lists);
        lists[static_cast<std::size_t>(values_.none(Domain::kControlList))] = kNo;
      }
    }
    const Party* controller = s.controller ? model_.party(*s.controller) : nullptr;
    if (controller) {
      c.scalar[var("data.controller_critical_infrastructure")] =
          tri_value(controller->critical_infrastructure);
      set_enum("data.controller_kind", Domain::kPartyKind, to_string(controller->kind));
      c.scalar[var("data.controller_established")] = country_of(controller->country);
    } else {
      for (const char* n : {"data.controller_critical_infrastructure", "data.controller_kind",
                            "data.controller_established"})
        c.scalar[var(n)] = kUnknownValue;
    }
    return c;
  }

  // ------------------------------------------------------------------ the interpreter
  struct Atom {
    std::size_t var = 0;
    long long element = -1;  // -1: the scalar itself
  };
  Context* ctx_ = nullptr;
  std::optional<Atom> need_;  // an unknown atom the last evaluation read

  Tri unknown_atom(std::size_t v, long long element) {
    if (!need_) need_ = Atom{v, element};
    return Tri::kUnknown;
  }
  Tri element(std::size_t v, std::size_t k) {
    const std::int8_t x = ctx_->sets[v][k];
    if (x == kMaybe) return unknown_atom(v, static_cast<long long>(k));
    return tri(x == kYes);
  }

  // A scalar operand: its value, or nullopt when unknown (the atom is noted). String literals
  // that name nothing in this check have no index: kNoIndex.
  static constexpr long long kNoIndex = LLONG_MIN + 1;
  std::optional<long long> scalar(const Expr& e) {
    switch (e.op) {
      case ExprOp::kIntLit:
      case ExprOp::kDateLit:
      case ExprOp::kBoolLit:
        return e.number;
      case ExprOp::kStringLit: {
        auto k = values_.find(e.type.domain, e.text);
        return k ? *k : kNoIndex;
      }
      case ExprOp::kVar: {
        const long long v = ctx_->scalar[e.var];
        if (v == kUnknownValue) {
          unknown_atom(e.var, -1);
          return std::nullopt;
        }
        return v;
      }
      default: {
        const Tri t = eval(e);
        if (t == Tri::kUnknown) return std::nullopt;
        return t == Tri::kTrue ? 1 : 0;
      }
    }
  }

  const FactSet& fact(const std::string& name) const { return *rules_.facts.at(name); }
  // An entry of a fact set counts at the check date when its condition holds.
  Tri entry_holds(const FactEntry& e) {
    if (!e.valid.contains(at_)) return Tri::kFalse;
    return e.when ? eval(*e.when) : Tri::kTrue;
  }

  Tri member(const Expr& element_expr, const Expr& set) {
    const Domain d = set.type.domain;
    const bool literal = element_expr.op == ExprOp::kStringLit;
    switch (set.op) {
      case ExprOp::kVar: {
        if (literal) {
          auto k = values_.find(d, element_expr.text);
          return k ? element(set.var, static_cast<std::size_t>(*k)) : Tri::kFalse;
        }
        auto x = scalar(element_expr);
        const auto& vals = values_.of(d);
        if (x) {
          if (*x < 0 || static_cast<std::size_t>(*x) >= vals.size() || vals[*x] == kNoneValue)
            return Tri::kFalse;
          return element(set.var, static_cast<std::size_t>(*x));
        }
        // Unknown element: true if some element could be it.
        bool any = false;
        for (std::size_t k = 0; k < vals.size(); ++k) {
          if (vals[k] != kNoneValue && ctx_->sets[set.var][k] != kNo) any = true;
        }
        return any ? Tri::kUnknown : Tri::kFalse;
      }
      case ExprOp::kFact: {
        Tri out = Tri::kFalse;
        for (const auto& e : fact(set.text).entries) {
          if (literal) {
            if (e.value != element_expr.text) continue;
            out = tri_or(out, entry_holds(e));
          } else {
            auto k = values_.find(d, e.value);
            if (!k) continue;
            auto x = scalar(element_expr);
            const Tri eq = x ? tri(*x == *k) : Tri::kUnknown;
            if (eq == Tri::kFalse) continue;
            out = tri_or(out, tri_and(eq, entry_holds(e)));
          }
          if (out == Tri::kTrue) return out;
        }
        return out;
      }
      case ExprOp::kList: {
        Tri out = Tri::kFalse;
        for (const auto& item : set.args) {
          auto k = values_.find(d, item.text);
          if (!k) continue;
          if (literal) {
            auto own = values_.find(d, element_expr.text);
            out = tri_or(out, tri(own && *own == *k));
          } else {
            auto x = scalar(element_expr);
            out = tri_or(out, x ? tri(*x == *k) : Tri::kUnknown);
          }
        }
        return out;
      }
      default:
        throw std::logic_error("membership in a non-set expression");
    }
  }

  Tri intersects(const Expr& a, const Expr& b) {
    const Expr* v = a.op == ExprOp::kVar ? &a : (b.op == ExprOp::kVar ? &b : nullptr);
    const Domain d = a.type.domain;
    if (!v) {
      const Expr& f = a.op == ExprOp::kFact ? a : b;
      const Expr& list = a.op == ExprOp::kFact ? b : a;
      Tri out = Tri::kFalse;
      for (const auto& item : list.args) {
        for (const auto& e : fact(f.text).entries) {
          if (e.value == item.text) out = tri_or(out, entry_holds(e));
        }
      }
      return out;
    }
    const Expr& other = v == &a ? b : a;
    Tri out = Tri::kFalse;
    switch (other.op) {
      case ExprOp::kVar:
        for (std::size_t k = 0; k < values_.of(d).size(); ++k)
          out = tri_or(out, tri_and(element(v->var, k), element(other.var, k)));
        return out;
      case ExprOp::kFact:
        for (const auto& e : fact(other.text).entries) {
          auto k = values_.find(d, e.value);
          if (!k) continue;
          const Tri in = element(v->var, static_cast<std::size_t>(*k));
          if (in == Tri::kFalse) continue;
          out = tri_or(out, tri_and(entry_holds(e), in));
        }
        return out;
      case ExprOp::kList:
        for (const auto& item : other.args) {
          if (auto k = values_.find(d, item.text))
            out = tri_or(out, element(v->var, static_cast<std::size_t>(*k)));
        }
        return out;
      default:
        throw std::logic_error("intersects with a non-set expression");
    }
  }

  Tri compare(const Expr& e) {
    const Expr& l = e.args[0];
    const Expr& r = e.args[1];
    auto a = scalar(l);
    auto b = scalar(r);
    if (!a || !b) return Tri::kUnknown;
    long long x = *a, y = *b;
    if (l.type.kind == VarKind::kEnum) {
      // Ordinal values (value levels) by position; `none` is below nothing and above nothing.
      const auto& vals = values_.of(l.type.domain);
      auto is_none = [&](long long k) {
        return k == kNoIndex || vals[static_cast<std::size_t>(k)] == kNoneValue;
      };
      if (is_none(x) || is_none(y)) return Tri::kFalse;
    }
    switch (e.op) {
      case ExprOp::kLt:
        return tri(x < y);
      case ExprOp::kLe:
        return tri(x <= y);
      case ExprOp::kGt:
        return tri(x > y);
      default:
        return tri(x >= y);
    }
  }

 public:
  Tri eval(const Expr& e) {
    switch (e.op) {
      case ExprOp::kBoolLit:
        return tri(e.number != 0);
      case ExprOp::kVar: {
        const long long v = ctx_->scalar[e.var];
        if (v == kUnknownValue) return unknown_atom(e.var, -1);
        return tri(v != 0);
      }
      case ExprOp::kDefinition:
        return eval(rules_.definitions.at(e.text)->expr);
      case ExprOp::kNot:
        return tri_not(eval(e.args[0]));
      case ExprOp::kAnd: {
        const Tri a = eval(e.args[0]);
        if (a == Tri::kFalse) return a;
        return tri_and(a, eval(e.args[1]));
      }
      case ExprOp::kOr: {
        const Tri a = eval(e.args[0]);
        if (a == Tri::kTrue) return a;
        return tri_or(a, eval(e.args[1]));
      }
      case ExprOp::kImplies: {
        const Tri a = eval(e.args[0]);
        if (a == Tri::kFalse) return Tri::kTrue;
        return tri_or(tri_not(a), eval(e.args[1]));
      }
      case ExprOp::kEq:
      case ExprOp::kNe: {
        const bool ne = e.op == ExprOp::kNe;
        for (const Expr* side : {&e.args[0], &e.args[1]}) {
          if (side->op == ExprOp::kStringLit && !values_.find(side->type.domain, side->text))
            return tri(ne);
        }
        auto a = scalar(e.args[0]);
        auto b = scalar(e.args[1]);
        if (!a || !b) return Tri::kUnknown;
        return tri((*a == *b) != ne);
      }
      case ExprOp::kLt:
      case ExprOp::kLe:
      case ExprOp::kGt:
      case ExprOp::kGe:
        return compare(e);
      case ExprOp::kIn:
        return member(e.args[0], e.args[1]);
      case ExprOp::kNotIn:
        return tri_not(member(e.args[0], e.args[1]));
      case ExprOp::kIntersects:
        return intersects(e.args[0], e.args[1]);
      case ExprOp::kEmpty: {
        const Expr& s = e.args[0];
        if (s.op == ExprOp::kList) return tri(s.args.empty());
        if (s.op == ExprOp::kFact) {
          Tri any = Tri::kFalse;
          for (const auto& entry : fact(s.text).entries) {
            if (!values_.find(fact(s.text).domain, entry.value)) continue;
            any = tri_or(any, entry_holds(entry));
          }
          return tri_not(any);
        }
        Tri all = Tri::kTrue;
        for (std::size_t k = 0; k < values_.of(s.type.domain).size(); ++k)
          all = tri_and(all, tri_not(element(s.var, k)));
        return all;
      }
      default:
        throw std::logic_error("not a condition");
    }
  }

 private:
  // The values an unknown atom can take.
  std::vector<long long> domain_of(const Atom& a) const {
    const VarSpec& spec = context_variables()[a.var];
    if (a.element >= 0 || spec.type.kind == VarKind::kBool) return {0, 1};
    switch (spec.type.kind) {
      case VarKind::kInt:
        return int_values_;
      case VarKind::kDate:
        return date_values_;
      case VarKind::kEnum: {
        std::vector<long long> out;
        const auto& vals = values_.of(spec.type.domain);
        for (std::size_t k = 0; k < vals.size(); ++k) {
          // Required enums are never `none`.
          if (vals[k] == kNoneValue && !spec.optional) continue;
          out.push_back(static_cast<long long>(k));
        }
        return out;
      }
      default:
        throw std::logic_error("no domain");
    }
  }

  enum class Question { kApplies, kViolated };

  // The question's answer under the values assigned so far (three-valued), and an unknown atom
  // it read when the answer is unknown. `violated` = applies and no route holds.
  Tri answer(const Rule& rule, Question q, std::optional<Atom>& branch) {
    need_.reset();
    const Tri applies = eval(rule.applies);
    const std::optional<Atom> applies_need = need_;
    if (q == Question::kApplies || applies == Tri::kFalse) {
      branch = applies_need;
      return applies;
    }
    need_.reset();
    Tri any = Tri::kFalse;
    for (const auto& route : rule.requires_any) {
      any = tri_or(any, eval(route.expr));
      if (any == Tri::kTrue) break;
    }
    const Tri violated = tri_and(applies, tri_not(any));
    branch = applies == Tri::kUnknown ? applies_need : need_;
    return violated;
  }

  // Whether some completion of the unknowns gives the question the answer `wanted`: every
  // completion is tried, one unknown atom at a time, except where the atoms assigned so far
  // already decide the answer for every completion of the rest.
  bool some_completion(const Rule& rule, Question q, bool wanted) {
    if (gave_up_) return false;
    if (++result_.leaves > limits_.max_leaves) {
      gave_up_ = true;
      return false;
    }
    std::optional<Atom> branch;
    const Tri t = answer(rule, q, branch);
    if (t != Tri::kUnknown) return (t == Tri::kTrue) == wanted;
    if (!branch) throw std::logic_error("unknown answer without an unknown atom");
    if (branch->element >= 0) {
      auto& cell = ctx_->sets[branch->var][static_cast<std::size_t>(branch->element)];
      const std::int8_t saved = cell;
      bool found = false;
      for (std::int8_t v : {kNo, kYes}) {
        cell = v;
        found = some_completion(rule, q, wanted);
        if (found || gave_up_) break;
      }
      cell = saved;
      return found;
    }
    long long& slot = ctx_->scalar[branch->var];
    const long long saved = slot;
    bool found = false;
    for (long long v : domain_of(*branch)) {
      slot = v;
      found = some_completion(rule, q, wanted);
      if (found || gave_up_) break;
    }
    slot = saved;
    return found;
  }

  void evaluate_event(const GraphEdge& e, const GraphNode& from, const GraphNode& to,
                      const State& s) {
    ++result_.events;
    if (result_.events > limits_.max_events) {
      gave_up_ = true;
      return;
    }
    Context c = context(e, from, to, s);
    ctx_ = &c;
    const std::string& dataset = model_.datasets[static_cast<std::size_t>(s.dataset)].id;
    for (const Rule* rule : active_) {
      // Applicable when some completion applies; compliant when none is violated; a violation
      // when every one is; undetermined otherwise.
      const bool applies = some_completion(*rule, Question::kApplies, true);
      const bool violated = applies && some_completion(*rule, Question::kViolated, true);
      const bool holds = violated && some_completion(*rule, Question::kViolated, false);
      if (gave_up_) return;
      if (!applies) continue;
      const Verdict v =
          !violated ? Verdict::kCompliant : (!holds ? Verdict::kViolation : Verdict::kUndetermined);
      auto& n = result_.findings[{rule->id, e.id, dataset, v}];
      if (n != UINT64_MAX) ++n;
    }
    ctx_ = nullptr;
  }

  // ------------------------------------------------------------------ paths
  bool carries(const GraphEdge& e, int dataset) const {
    if (!e.flow) return true;
    const auto& ds = e.flow->datasets;
    return std::find(ds.begin(), ds.end(), model_.datasets[static_cast<std::size_t>(dataset)].id) !=
           ds.end();
  }
  int dataset_index(const Id& id) const {
    for (std::size_t k = 0; k < model_.datasets.size(); ++k) {
      if (model_.datasets[k].id == id) return static_cast<int>(k);
    }
    return -1;
  }

  struct Step {
    NodeIndex node;
    const State* state;
  };
  std::vector<Step> path_;

  void walk(NodeIndex node, const State& s) {
    if (gave_up_) return;
    for (const auto& step : path_) {
      if (step.node == node && *step.state == s) return;  // around a loop that changed nothing
    }
    path_.push_back({node, &s});
    const GraphType& g = graph_.graph();
    for (auto [it, end] = boost::out_edges(node, g); it != end && !gave_up_; ++it) {
      const GraphEdge& e = g[*it];
      if (!carries(e, s.dataset)) continue;
      const NodeIndex w = boost::target(*it, g);
      evaluate_event(e, g[node], g[w], s);
      const State next = after(s, e, g[node], g[w]);
      walk(w, next);
      if (e.flow) {
        for (const auto& product : e.flow->produces) {
          State p = start(dataset_index(product), w);
          for (std::size_t k = 0; k < p.scope.size(); ++k) join(p.scope, k, s.scope[k]);
          for (std::size_t k = 0; k < p.authorities.size(); ++k)
            join(p.authorities, k, s.authorities[k]);
          for (std::size_t k = 0; k < p.visited.size(); ++k) join(p.visited, k, s.visited[k]);
          walk(w, p);
        }
      }
    }
    path_.pop_back();
  }

  bool acyclic() const {
    // Self-loops (a process in place) are not cycles of data paths.
    const GraphType& g = graph_.graph();
    const std::size_t n = boost::num_vertices(g);
    std::vector<int> colour(n, 0);
    std::function<bool(NodeIndex)> dfs = [&](NodeIndex v) {
      colour[v] = 1;
      for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
        const NodeIndex w = boost::target(*it, g);
        if (w == v) continue;
        if (colour[w] == 1) return false;
        if (colour[w] == 0 && !dfs(w)) return false;
      }
      colour[v] = 2;
      return true;
    };
    for (NodeIndex v = 0; v < n; ++v) {
      if (colour[v] == 0 && !dfs(v)) return false;
    }
    return true;
  }
};

std::optional<Verdict> Reference::judge(const Rule& rule,
                                        const std::map<std::string, std::string>& given) {
  const auto& vars = context_variables();
  Context c;
  c.scalar.assign(vars.size(), kUnknownValue);
  c.sets.resize(vars.size());
  for (std::size_t v = 0; v < vars.size(); ++v) {
    const VarSpec& spec = vars[v];
    auto it = given.find(spec.name);
    if (spec.type.kind == VarKind::kSet) {
      c.sets[v].assign(values_.of(spec.type.domain).size(), it == given.end() ? kMaybe : kNo);
      if (it == given.end()) continue;
      std::string text = it->second;
      if (text.size() < 2 || text.front() != '[' || text.back() != ']')
        throw std::invalid_argument("not a set: " + text);
      text = text.substr(1, text.size() - 2);
      for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find(", ", start);
        if (end == std::string::npos) end = text.size();
        const std::string member = text.substr(start, end - start);
        c.sets[v][static_cast<std::size_t>(values_.get(spec.type.domain, member))] = kYes;
        start = end + 2;
      }
      continue;
    }
    if (it == given.end()) {
      if (spec.name == "date") c.scalar[v] = at_.days();
      continue;
    }
    const std::string& text = it->second;
    switch (spec.type.kind) {
      case VarKind::kBool:
        c.scalar[v] = text == "true" ? 1 : 0;
        break;
      case VarKind::kInt:
        c.scalar[v] = std::stoll(text);
        break;
      case VarKind::kDate:
        c.scalar[v] = Date::parse(text).value().days();
        break;
      case VarKind::kEnum:
        c.scalar[v] = values_.get(spec.type.domain, text);
        break;
      case VarKind::kSet:
        break;
    }
  }
  ctx_ = &c;
  const bool applies = some_completion(rule, Question::kApplies, true);
  const bool violated = applies && some_completion(rule, Question::kViolated, true);
  const bool holds = violated && some_completion(rule, Question::kViolated, false);
  ctx_ = nullptr;
  if (gave_up_) throw std::runtime_error("too many completions to judge " + rule.id);
  if (!applies) return std::nullopt;
  return !violated ? Verdict::kCompliant : (!holds ? Verdict::kViolation : Verdict::kUndetermined);
}

std::optional<ReferenceResult> Reference::run() {
  const GraphType& g = graph_.graph();
  result_.graph_acyclic = acyclic();
  // Where each data set starts: its origin, where a collect flow picks it up, and where a flow
  // sends it from although nothing brings it there (one such place at a time, in edge order,
  // since each new start can bring the data set to the others).
  std::set<std::pair<int, NodeIndex>> roots;
  for (std::size_t k = 0; k < model_.datasets.size(); ++k) {
    if (model_.datasets[k].origin) {
      for (NodeIndex n : graph_.entry_nodes(*model_.datasets[k].origin))
        roots.insert({static_cast<int>(k), n});
    }
  }
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    const GraphEdge& e = g[*it];
    if (e.flow && e.flow->event == Event::kCollect) {
      for (const auto& id : e.flow->datasets)
        roots.insert({dataset_index(id), boost::source(*it, g)});
    }
  }
  for (;;) {
    std::set<std::pair<int, NodeIndex>> reached = roots;
    std::vector<std::pair<int, NodeIndex>> todo(roots.begin(), roots.end());
    while (!todo.empty()) {
      auto [ds, n] = todo.back();
      todo.pop_back();
      for (auto [it, end] = boost::out_edges(n, g); it != end; ++it) {
        const GraphEdge& e = g[*it];
        if (!carries(e, ds)) continue;
        std::vector<std::pair<int, NodeIndex>> next{{ds, boost::target(*it, g)}};
        if (e.flow) {
          for (const auto& p : e.flow->produces)
            next.push_back({dataset_index(p), boost::target(*it, g)});
        }
        for (const auto& x : next) {
          if (reached.insert(x).second) todo.push_back(x);
        }
      }
    }
    bool added = false;
    for (auto [it, end] = boost::edges(g); it != end && !added; ++it) {
      const GraphEdge& e = g[*it];
      if (!e.flow || e.flow->event == Event::kCollect) continue;
      for (const auto& id : e.flow->datasets) {
        const std::pair<int, NodeIndex> start_at{dataset_index(id), boost::source(*it, g)};
        if (!reached.count(start_at)) {
          roots.insert(start_at);
          added = true;
        }
      }
    }
    if (!added) break;
  }
  for (const auto& [ds, n] : roots) {
    if (ds < 0) continue;
    const State s = start(ds, n);
    walk(n, s);
    if (gave_up_) return std::nullopt;
  }
  return result_;
}

}  // namespace

std::optional<ReferenceResult> reference_check(const TransferModel& model, const RuleBase& rules,
                                               Date at, const ReferenceLimits& limits) {
  Reference r(model, rules, at, limits);
  return r.run();
}

std::optional<Verdict> judge_rule(const RuleBase& rules, const Rule& rule, Date at,
                                  const std::map<std::string, std::string>& context) {
  // The values the context names belong to the universe (the parties of the flow, say).
  std::map<Domain, std::set<std::string>> extra;
  for (const auto& spec : context_variables()) {
    auto it = context.find(spec.name);
    if (it == context.end() || spec.type.domain == Domain::kNone) continue;
    std::string text = it->second;
    if (spec.type.kind != VarKind::kSet) {
      extra[spec.type.domain].insert(text);
      continue;
    }
    text = text.size() >= 2 ? text.substr(1, text.size() - 2) : "";
    for (std::size_t start = 0; start < text.size();) {
      std::size_t end = text.find(", ", start);
      if (end == std::string::npos) end = text.size();
      extra[spec.type.domain].insert(text.substr(start, end - start));
      start = end + 2;
    }
  }
  static const TransferModel empty;
  Reference r(empty, rules, at, {}, extra);
  return r.judge(rule, context);
}

std::string to_string(const FindingKey& key) {
  return std::get<0>(key) + " @ " + std::get<1>(key) + " [" + std::get<2>(key) +
         "]: " + std::string(xborder::to_string(std::get<3>(key)));
}

}  // namespace xborder::reference
