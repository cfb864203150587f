#include "solver/vocabulary.hpp"

#include <algorithm>
#include <stdexcept>

#include "model/transfer_graph.hpp"
#include "model/vocabulary.hpp"

namespace xborder {

std::string type_name(const VarType& t) {
  switch (t.kind) {
    case VarKind::kBool:
      return "bool";
    case VarKind::kInt:
      return "int";
    case VarKind::kDate:
      return "date";
    case VarKind::kEnum:
      return std::string(domain_name(t.domain));
    case VarKind::kSet:
      return "set of " + std::string(domain_name(t.domain));
  }
  return "?";
}

namespace {
VarType b() {
  return {VarKind::kBool, Domain::kNone};
}
VarType i() {
  return {VarKind::kInt, Domain::kNone};
}
VarType e(Domain d) {
  return {VarKind::kEnum, d};
}
VarType s(Domain d) {
  return {VarKind::kSet, d};
}
}  // namespace

const std::vector<VarSpec>& context_variables() {
  static const std::vector<VarSpec> vars = {
      {"date", {VarKind::kDate, Domain::kNone}, false, "the date the check is made at"},
      {"event", e(Domain::kEvent), false,
       "the event: collect, process, transfer, store, dispose, remote_access"},
      {"edge.kind", e(Domain::kEdgeKind), false,
       "flow (drawn by the user), hosting, replication or remote_access (implicit)"},
      {"edge.region_role", e(Domain::kRegionRole), false,
       "role of the region the data reaches: primary, replica, backup, failover"},
      {"relationship", e(Domain::kRelationship), false,
       "relationship between exporter and importer (controller_to_processor = entrustment, …)"},
      {"purpose", e(Domain::kPurpose), true, "purpose of the flow"},
      {"exporter.party", e(Domain::kParty), false, "party holding the data before the event"},
      {"exporter.kind", e(Domain::kPartyKind), false, "kind of the exporting party"},
      {"exporter.country", e(Domain::kCountry), false,
       "country where the data is before the event"},
      {"exporter.established", e(Domain::kCountry), false,
       "country where the exporting party is established"},
      {"exporter.group_countries", s(Domain::kCountry), false,
       "establishment countries of the exporter and its corporate parents"},
      {"importer.party", e(Domain::kParty), false,
       "party holding (or reaching) the data after the event"},
      {"importer.kind", e(Domain::kPartyKind), false, "kind of the importing party"},
      {"importer.international_organisation", e(Domain::kOrganisation), true,
       "the international organisation the importing party is, by code (`none` for any other "
       "party)"},
      {"importer.country", e(Domain::kCountry), false,
       "country where the data is after the event, or from where it is accessed"},
      {"importer.established", e(Domain::kCountry), false,
       "country where the importing party is established"},
      {"importer.group_countries", s(Domain::kCountry), false,
       "establishment countries of the importer and its corporate parents"},
      {"importer.tier", e(Domain::kTier), true,
       "tier of the receiving system (none for a party's own premises or a person's access)"},
      {"importer.handles_data", b(), false,
       "the importer can handle the data in the clear (APPI: 取り扱う)"},
      {"importer.identifies", b(), false,
       "the importer is expected to obtain the data as personal data (APPI Art. 31)"},
      {"importer.certifications", s(Domain::kScheme), false,
       "certifications the importer holds at the date (dpf, apec_cbpr, …)"},
      {"importer.reach", s(Domain::kCountry), false,
       "countries whose authorities can compel the importer to give access"},
      {"same_group", b(), false,
       "exporter and importer are the same party or share a corporate parent"},
      {"safeguard.scc", b(), false, "standard contractual clauses are in place for this flow"},
      {"safeguard.scc_module", i(), false, "SCC module (1–4), 0 when there are no SCCs"},
      {"safeguard.scc_signed",
       {VarKind::kDate, Domain::kNone},
       false,
       "date the SCCs were signed (unknown when SCCs are claimed without a date)"},
      {"safeguard.scc_set", e(Domain::kSccSet), true, "which SCC decision the clauses come from"},
      {"safeguard.tia", b(), false, "a transfer impact assessment was done"},
      {"safeguard.bcr", b(), false, "binding corporate rules cover the flow"},
      {"safeguard.consent", b(), false, "the person consented to this provision"},
      {"safeguard.consent_informed", b(), false,
       "the information of APPI Art. 28(2) was given before consent"},
      {"safeguard.consent_explicit", b(), false,
       "the consent was explicit and informed of the risks (GDPR Art. 49(1)(a))"},
      {"safeguard.appi_standard_system", b(), false,
       "the recipient maintains a system meeting PPC standards (基準適合体制)"},
      {"safeguard.periodic_check", b(), false,
       "the exporter checks that system periodically (APPI Art. 28(3))"},
      {"safeguard.derogations", s(Domain::kDerogation), false,
       "GDPR Art. 49 derogations relied on"},
      {"safeguard.ad_hoc_clauses", b(), false,
       "authorised ad-hoc contractual clauses (GDPR Art. 46(3)(a))"},
      {"safeguard.code_of_conduct", b(), false,
       "an approved code of conduct with binding commitments (GDPR Art. 46(2)(e))"},
      {"safeguard.certification", b(), false,
       "an approved certification mechanism (GDPR Art. 46(2)(f))"},
      {"safeguard.provision_record", b(), false,
       "the provider keeps a record of this provision (APPI Art. 29, 記録の作成・保存)"},
      {"safeguard.receipt_record", b(), false,
       "the recipient confirmed the provider and how it obtained the data, and keeps a record "
       "(APPI Art. 30)"},
      {"safeguard.transfer_notice", b(), false,
       "the transfer (recipient, country, purpose) was disclosed to the people beforehand, in the "
       "privacy policy or by individual notice (e.g. PIPA Art. 28-8(1)3)"},
      {"measures.encryption_in_transit", b(), false, "the data is encrypted in transit"},
      {"measures.encryption_at_rest", b(), false, "the data is encrypted at rest where it arrives"},
      {"measures.key_holder", e(Domain::kParty), true, "party holding the encryption keys"},
      {"measures.key_country", e(Domain::kCountry), true,
       "country where the encryption keys are held"},
      {"measures.pseudonymised", b(), false, "the data is pseudonymised before it moves"},
      {"measures.reid_key_country", e(Domain::kCountry), true,
       "country where the re-identification key is held"},
      {"measures.split_processing", b(), false,
       "the processing is split so that no part can be linked to a person"},
      {"data.categories", s(Domain::kCategory), false, "categories of the data"},
      {"data.subjects", s(Domain::kCountry), false, "countries of the data subjects"},
      {"data.subject_count", i(), false, "number of people in the data set"},
      {"data.controller", e(Domain::kParty), false, "controller of the data before the event"},
      {"data.scope", s(Domain::kParty), false,
       "disclosure scope before the event: parties who can see the data"},
      {"data.authorities", s(Domain::kCountry), false,
       "countries whose authorities can reach the data before the event"},
      {"data.visited", s(Domain::kCountry), false,
       "countries the data has been in, including exporter.country"},
      {"data.value", e(Domain::kValueLevel), false, "value / privacy level: low, high, very_high"},
      // Beyond personal data (DOMAIN.md §3): contracts, export control, social functions.
      {"data.permitted_scope", s(Domain::kParty), false,
       "parties a contract or NDA allows to see the data (unknown when the model does not say)"},
      {"data.control_lists", s(Domain::kControlList), false,
       "export-control lists the data (technology) is on: jp_fefta, us_ear, eu_dual_use"},
      {"data.controller_kind", e(Domain::kPartyKind), false, "kind of the data's controller"},
      {"data.controller_established", e(Domain::kCountry), false,
       "country where the data's controller is established"},
      {"data.controller_critical_infrastructure", b(), false,
       "the data's controller is designated a critical (information) infrastructure operator"},
      {"importer.nationalities", s(Domain::kCountry), false,
       "countries of citizenship or permanent residence of the importer's people (default: "
       "its establishment country)"},
      {"importer.controlled_from_abroad", b(), false,
       "a corporate parent (or employer) of the importer is established outside the "
       "importer's own country"},
      {"importer.system_certifications", s(Domain::kScheme), false,
       "certifications the receiving system (service) holds at the date; empty off a system"},
      {"safeguard.authorisations", s(Domain::kAuthorisation), false,
       "regimes under which a public authority licensed or approved this flow (export licence, "
       "security assessment)"},
      {"flow.occasional", b(), false,
       "the flow is occasional, not systematic or repetitive (GDPR Art. 49(1), Recital 111); "
       "unknown unless the model says, false on implicit edges"},
      {"flow.safeguards_unavailable", b(), false,
       "no adequacy decision or appropriate safeguard (GDPR Arts. 45/46) can be used for the "
       "flow, the condition for relying on a derogation; unknown unless the model says, false on "
       "implicit edges"},
      {"exporter.targets", s(Domain::kCountry), false,
       "countries whose people the exporting party offers goods or services to, or whose "
       "behaviour there it monitors (GDPR Art. 3(2) targeting); empty unless the model says"},
      {"importer.acts_for_exporter", b(), false,
       "the importing party acts for the exporting party (an employee or other person under its "
       "authority: part of it, not a recipient), or the other way round"},
      {"safeguard.tia_conclusion", e(Domain::kTiaConclusion), false,
       "what the transfer impact assessment concluded about the destination's law and practice: "
       "effective, supplementary_measures_needed or stop; unknown unless the model records it"},
      {"safeguard.tia_conclusion_recorded", b(), false,
       "the model records the transfer impact assessment's conclusion (false without an "
       "assessment or a `conclusion`), so that a pack can fall back on its per-country default"},
      {"flow.transit_countries", s(Domain::kCountry), false,
       "countries the flow's data is only routed through on its way (transit: neither stored nor "
       "read there); empty unless the model says, empty on implicit edges"},
      {"importer.protected_by_law", b(), false,
       "the importing party's own law shields the data it holds from the authorities' access "
       "(professional secrecy, legal privilege); false unless the model says"},
      {"exporter.persons_held", i(), false,
       "number of people the exporting party's personal-information databases identify (the "
       "APPI of 2003: 5,000 or fewer on every day of the past six months made it no business "
       "operator); unknown unless the model says"},
      {"exporter.ict_service_provider", b(), false,
       "the exporting party is an information and communications service provider under Korea's "
       "Network Act (정보통신서비스 제공자); false unless the model says"},
      {"safeguard.entrustee_supervision", b(), false,
       "the exporter supervises the party it entrusts the handling of the data to (APPI Art. 25, "
       "委託先の監督: choosing it, a contract, knowing how it handles the data)"},
  };
  return vars;
}

std::optional<std::size_t> find_variable(std::string_view name) {
  const auto& vars = context_variables();
  for (std::size_t k = 0; k < vars.size(); ++k) {
    if (vars[k].name == name) return k;
  }
  return std::nullopt;
}

std::vector<std::string> variable_names() {
  std::vector<std::string> out;
  for (const auto& v : context_variables()) out.push_back(v.name);
  return out;
}

bool domain_is_open(Domain d) {
  return d == Domain::kCountry || d == Domain::kParty || d == Domain::kPurpose ||
         d == Domain::kOrganisation;
}

const std::vector<std::string>& fixed_domain_values(Domain d) {
  static const std::map<Domain, std::vector<std::string>> fixed = [] {
    std::map<Domain, std::vector<std::string>> m;
    m[Domain::kEvent] = enum_spellings<Event>();
    m[Domain::kEdgeKind] = enum_spellings<EdgeKind>();
    m[Domain::kRelationship] = enum_spellings<Relationship>();
    m[Domain::kPartyKind] = enum_spellings<PartyKind>();
    m[Domain::kTier] = enum_spellings<Tier>();
    m[Domain::kRegionRole] = enum_spellings<RegionRole>();
    m[Domain::kValueLevel] = enum_spellings<ValueLevel>();
    m[Domain::kCategory] = enum_spellings<Category>();
    m[Domain::kSccSet] = {kSccSets.begin(), kSccSets.end()};
    m[Domain::kDerogation] = {kDerogations.begin(), kDerogations.end()};
    m[Domain::kScheme] = {kCertificationSchemes.begin(), kCertificationSchemes.end()};
    m[Domain::kControlList] = {kControlLists.begin(), kControlLists.end()};
    m[Domain::kAuthorisation] = {kAuthorisations.begin(), kAuthorisations.end()};
    m[Domain::kTiaConclusion] = {kTiaConclusions.begin(), kTiaConclusions.end()};
    m[Domain::kNone] = {};
    m[Domain::kCountry] = {};
    m[Domain::kParty] = {};
    m[Domain::kPurpose] = {};
    m[Domain::kOrganisation] = {};
    return m;
  }();
  return fixed.at(d);
}

void Universe::add(Domain d, const std::string& value) {
  auto& v = values_[d];
  if (std::find(v.begin(), v.end(), value) == v.end()) v.push_back(value);
}

void Universe::seal() {
  for (int k = 1; k < static_cast<int>(enum_count<Domain>()); ++k) {
    const Domain d = static_cast<Domain>(k);
    auto& v = values_[d];
    if (domain_is_open(d)) {
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
      v.erase(
          std::remove_if(v.begin(), v.end(),
                         [](const std::string& x) { return x == kNoneValue || x == kOtherValue; }),
          v.end());
      v.emplace_back(kOtherValue);
    } else {
      v = fixed_domain_values(d);
    }
    v.emplace_back(kNoneValue);
    auto& idx = index_[d];
    idx.clear();
    for (std::size_t n = 0; n < v.size(); ++n) idx[v[n]] = static_cast<int>(n);
  }
}

const std::vector<std::string>& Universe::values(Domain d) const {
  static const std::vector<std::string> empty;
  auto it = values_.find(d);
  return it == values_.end() ? empty : it->second;
}

std::optional<int> Universe::index(Domain d, std::string_view value) const {
  auto it = index_.find(d);
  if (it == index_.end()) return std::nullopt;
  auto jt = it->second.find(value);
  if (jt == it->second.end()) return std::nullopt;
  return jt->second;
}

int Universe::index_or_other(Domain d, std::string_view value) const {
  if (auto k = index(d, value)) return *k;
  if (auto other = index(d, kOtherValue)) return *other;
  throw std::logic_error("domain without `other`: " + std::string(domain_name(d)));
}

int Universe::none_index(Domain d) const {
  return *index(d, kNoneValue);
}

}  // namespace xborder
