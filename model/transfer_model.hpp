// The transfer model: who holds which data where, on which systems, under which safeguards.
// Immutable once loaded; every cross-reference has been resolved by the loader.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/date.hpp"
#include "model/source_position.hpp"
#include "model/unknowable.hpp"
#include "model/vocabulary.hpp"

namespace xborder {

using Country = std::string;  // ISO 3166-1 alpha-2
using Id = std::string;

struct Certification {
  std::string scheme;     // one of kCertificationSchemes
  Unknowable<bool> held;  // unknown: nobody has checked the list
  Validity valid;
};

struct Party {
  Id id;
  std::string name;
  PartyKind kind = PartyKind::kCompany;
  Unknowable<Country> country;           // establishment
  Unknowable<std::optional<Id>> parent;  // known none, known parent, or unknown
  std::vector<PartyRole> roles;
  std::vector<Certification> certifications;
  // Countries of citizenship / permanent residence of the people who receive data (export
  // control's "foreign person"); defaults to the establishment country.
  Unknowable<std::vector<Country>> nationalities;
  // Designated as a critical (information) infrastructure operator (CIIO, 重要インフラ事業者).
  Unknowable<bool> critical_infrastructure = false;
  // The international organisation this party is (GDPR Art. 4(26)), by code ("EPO"); empty for
  // every other party. Transfers to it are judged as to the organisation, wherever it sits.
  std::string international_organisation;
  // Countries whose people the party offers goods or services to, or whose behaviour there it
  // monitors (the targeting of GDPR Art. 3(2) and similar reach rules); default none.
  Unknowable<std::vector<Country>> targets = std::vector<Country>{};
  // The party this one acts for: an employee or other person under the authority of a controller
  // or processor, part of it rather than a recipient (EDPB Guidelines 05/2021); default none.
  Unknowable<std::optional<Id>> acts_for = std::optional<Id>{};
  // The party's own law shields the data it holds from the authorities' access (professional
  // secrecy, legal privilege: EDPB Recommendations 01/2020, Annex 2, use case 4); default false.
  Unknowable<bool> protected_by_law = false;
  // How many people the personal-information databases the party uses for its business identify
  // (the 5,000-person threshold of the APPI of 2003); unknown unless the model says.
  Unknowable<long long> persons_held = Unknowable<long long>::unknown();
  // An information and communications service provider (정보통신서비스 제공자) under Korea's
  // Network Act, whose users' data had its own transfer rule before 2023-09-15; default false.
  Unknowable<bool> ict_service_provider = false;
  std::string pointer;  // where it was declared, for diagnostics and SARIF
  Provenance source;    // the input file and place it came from (merged or imported models)
};

struct Location {
  Id id;  // "aws:ap-northeast-1", "country:JP", or a model-defined id
  std::string name;
  Country country;
  std::optional<Id> provider;                // cloud provider id from the region table
  std::optional<std::string> operator_name;  // a partner operating the region (e.g. China regions)
  std::optional<Country> operator_country;
  Provenance source;  // model-defined locations: the input file and place it came from
};

struct Measures {
  Unknowable<bool> encryption_in_transit = false;
  Unknowable<bool> encryption_at_rest = false;
  Unknowable<std::optional<Id>> key_holder = std::optional<Id>{};  // party holding the keys
  Unknowable<std::optional<Country>> key_country = std::optional<Country>{};
  Unknowable<bool> pseudonymised = false;
  Unknowable<std::optional<Country>> reid_key_country = std::optional<Country>{};
  Unknowable<bool> split_processing = false;
};

struct Safeguard {
  SafeguardType type = SafeguardType::kScc;
  Unknowable<bool> in_place = true;    // unknown: claimed but not confirmed
  std::optional<int> scc_module;       // 1..4
  std::optional<std::string> scc_set;  // one of kSccSets
  std::optional<Date> signed_on;
  Unknowable<bool> informed = Unknowable<bool>::unknown();  // consent: APPI Art. 28(2) info given
  Unknowable<bool> explicit_consent = Unknowable<bool>::unknown();
  std::optional<std::string> derogation;  // one of kDerogations
  std::optional<std::string> basis;       // appi_standard_system: contract | group_rules | cbpr
  std::optional<std::string> regime;      // authorisation: one of kAuthorisations
  Unknowable<bool> periodic_check = Unknowable<bool>::unknown();  // APPI Art. 28(3)
  std::optional<std::string> conclusion;  // tia: one of kTiaConclusions; none: not recorded
  std::string pointer;
};

struct RegionPlacement {
  Id location;
  RegionRole role = RegionRole::kPrimary;
  // Replica, backup and failover regions: what covers the copy into this region (e.g. the
  // privacy policy naming the backup location, or clauses with the provider there).
  std::vector<Safeguard> safeguards;
};

struct RemoteAccess {
  Id party;
  Unknowable<Country> country;         // where the people accessing sit
  std::string purpose;                 // "support", "operations", "development", "monitoring"
  Unknowable<bool> clear_text = true;  // do they see the data unencrypted?
  std::vector<Safeguard> safeguards;   // of the contract with the accessing party
  std::string pointer;
  Provenance source;  // the input file and place it came from
};

struct System {
  Id id;
  std::string name;
  Tier tier = Tier::kSaas;
  Id operator_party;
  std::optional<Id> runs_on;  // the lower-tier system hosting this one
  std::vector<RegionPlacement> regions;
  Unknowable<bool> operator_handles_data;  // can the operator handle the data in the clear?
  std::vector<RemoteAccess> remote_access;
  std::optional<Measures> measures;   // at rest in this system
  std::vector<Safeguard> safeguards;  // of the contract under which its data reaches `runs_on`
  std::vector<Certification> certifications;  // of the service itself (ISMAP lists services)
  std::string pointer;
  Provenance source;  // the input file and place it came from
};

struct CategorySet {
  std::set<Category> present;
  std::set<Category> unknown;  // may or may not be present
  [[nodiscard]] Unknowable<bool> has(Category c) const {
    if (present.count(c)) return true;
    if (unknown.count(c)) return Unknowable<bool>::unknown();
    return false;
  }
};

struct DataSet {
  Id id;
  std::string name;
  CategorySet categories;
  Unknowable<std::vector<Country>> subjects;  // jurisdictions of the data subjects
  Unknowable<long long> subject_count;
  std::vector<std::string> purposes;
  std::vector<Id> disclosure_scope;  // parties allowed to see it at the start
  // Parties a contract or NDA allows to see it (限定提供データ / trade secrets); unknown when the
  // model does not say.
  Unknowable<std::vector<Id>> permitted_scope;
  Unknowable<std::vector<std::string>> control_lists;  // kControlLists; unknown: not classified
  Unknowable<Id> controller;
  std::vector<Id> rights_holders;
  Unknowable<ValueLevel> value;
  std::string retention;     // free text, e.g. "one year after the contract ends"
  std::optional<Id> origin;  // system or party where it starts, if no flow collects it
  std::string pointer;
  Provenance source;  // the input file and place it came from
};

struct Flow {
  Id id;
  std::string name;
  Event event = Event::kTransfer;
  Id from;  // a system or a party
  Id to;
  std::vector<Id> datasets;
  std::vector<Id> produces;  // data sets derived by a process event
  std::string purpose;
  Unknowable<Relationship> relationship;
  Unknowable<bool> recipient_identifies =
      false;  // recipient expected to obtain it as personal data
  // What a derogation (GDPR Art. 49 and its equivalents) rests on besides its own ground: the
  // flow is occasional, not systematic or repetitive; no adequacy decision or appropriate
  // safeguard (Arts. 45/46) can be used for it. Unknown unless the model says.
  Unknowable<bool> occasional = Unknowable<bool>::unknown();
  Unknowable<bool> safeguards_unavailable = Unknowable<bool>::unknown();
  // Countries the data is only routed through on its way (transit: neither stored nor read there,
  // so not a transfer to them); default none.
  std::vector<Country> transit;
  std::vector<Safeguard> safeguards;
  bool safeguards_unknown = false;  // "safeguards": "unknown"
  std::optional<Measures> measures;
  std::string pointer;
  Provenance source;  // the input file and place it came from
};

struct TransferModel {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::vector<Party> parties;
  std::vector<Location> locations;  // model-defined ones plus every region the model uses
  std::vector<System> systems;
  std::vector<DataSet> datasets;
  std::vector<Flow> flows;

  [[nodiscard]] const Party* party(const Id& id) const;
  [[nodiscard]] const System* system(const Id& id) const;
  [[nodiscard]] const DataSet* dataset(const Id& id) const;
  [[nodiscard]] const Location* location(const Id& id) const;
  // The party and its parents, nearest first; stops at an unknown parent (flagged by `complete`).
  struct ControlChain {
    std::vector<const Party*> parties;
    bool complete = true;
  };
  [[nodiscard]] ControlChain control_chain(const Id& party_id) const;
  // Rebuilds the id index now (lookups rebuild it themselves when the vectors grew or an item
  // was found stale; code that renames items in place calls this).
  void reindex();

 private:
  // Lookups by id are hashed, not scanned: a 190,000-edge map asks them millions of times. The
  // index is rebuilt when the vectors changed size or a hit turned out stale (callers edit them
  // freely: the simulator adds sub-processors and regions); every hit is checked against the item
  // it points to.
  struct IdIndex;
  mutable std::shared_ptr<const IdIndex> index_;
  mutable std::mutex index_mutex_;
  [[nodiscard]] std::shared_ptr<const IdIndex> index() const;
  [[nodiscard]] std::shared_ptr<const IdIndex> rebuild_index() const;

 public:
  TransferModel() = default;
  TransferModel(const TransferModel& other);
  TransferModel& operator=(const TransferModel& other);
  TransferModel(TransferModel&& other) noexcept;
  TransferModel& operator=(TransferModel&& other) noexcept;
  ~TransferModel();
};

}  // namespace xborder
