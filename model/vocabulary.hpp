// The closed vocabularies of the transfer model (DOMAIN.md §1): events, tiers, roles, categories.
// Each enum has a stable snake_case spelling used in model files, rule packs and outputs.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xborder {

enum class Event { kCollect, kProcess, kTransfer, kStore, kDispose, kRemoteAccess };
enum class Tier { kSaas, kPaas, kIaas, kOnPremises, kDevice };
enum class RegionRole { kPrimary, kReplica, kBackup, kFailover };
enum class Relationship {
  kControllerToProcessor,  // entrustment, 委託
  kProcessorToProcessor,   // sub-processing
  kProcessorToController,
  kControllerToController,  // provision to a third party
  kJointUse,                // 共同利用 / joint controllers
  kSameEntity,              // within one legal entity
  kBusinessSuccession,
  kDataSubjectToController,  // collection from the person
};
enum class PartyKind { kCompany, kPublicBody, kIndividual, kDataSubjects };
enum class PartyRole {
  kController,
  kProcessor,
  kSubProcessor,
  kJointController,
  kContractor,
  kDataSubject
};
enum class Category {
  kPersonalData,
  kSpecialCategory,      // special categories / 要配慮個人情報
  kPersonallyReferable,  // 個人関連情報
  kPseudonymised,        // 仮名加工情報 / pseudonymised data
  kAnonymised,           // 匿名加工情報 / anonymised data
  kTradeSecret,          // 営業秘密
  kLimitedProvision,     // 限定提供データ
  kExportControlled,     // controlled technology
  kNonPersonal,
  kGovernmentData,  // information a public body holds for its functions (政府情報)
  kImportantData,   // important data (China DSL Art. 21, CSL Art. 37)
  kPaymentData,     // payment system data (e.g. RBI directive of 6 April 2018)
};
enum class ValueLevel { kLow, kHigh, kVeryHigh };
enum class SafeguardType {
  kScc,                 // Commission standard contractual clauses
  kTia,                 // transfer impact assessment
  kBcr,                 // binding corporate rules
  kConsent,             // the person's consent to this provision
  kAppiStandardSystem,  // 基準適合体制 of the recipient (APPI Art. 28(1), PPC Rules Art. 16)
  kDerogation,          // GDPR Art. 49
  kAdHocClauses,        // GDPR Art. 46(3)(a)
  kCodeOfConduct,       // GDPR Art. 46(2)(e)
  kCertification,       // GDPR Art. 46(2)(f)
  kAuthorisation,       // a public authority's licence or approval for the flow, by regime
  kProvisionRecord,     // APPI Art. 29: the provider's record of a provision
  kReceiptRecord,       // APPI Art. 30: the recipient's confirmation and record
  kTransferNotice,      // the transfer was disclosed to the people beforehand (policy or notice)
  kEntrusteeSupervision,  // APPI Art. 25: the entruster supervises the entrustee (委託先の監督)
};
enum class EdgeKind { kFlow, kHosting, kReplication, kRemoteAccess };

// One spelling table per enum; the index is the enum's value. Other headers declare theirs with
// XBORDER_ENUM_NAMES so that to_string / parse_enum work on every enum of the project.
template <class E>
struct EnumNames;

#define XBORDER_ENUM_NAMES(E, ...)                                                \
  template <>                                                                     \
  struct EnumNames<E> {                                                           \
    static constexpr auto names = std::to_array<std::string_view>({__VA_ARGS__}); \
    static constexpr std::string_view kind = #E;                                  \
  };

XBORDER_ENUM_NAMES(Event, "collect", "process", "transfer", "store", "dispose", "remote_access")
XBORDER_ENUM_NAMES(Tier, "saas", "paas", "iaas", "on_premises", "device")
XBORDER_ENUM_NAMES(RegionRole, "primary", "replica", "backup", "failover")
XBORDER_ENUM_NAMES(Relationship, "controller_to_processor", "processor_to_processor",
                   "processor_to_controller", "controller_to_controller", "joint_use",
                   "same_entity", "business_succession", "data_subject_to_controller")
XBORDER_ENUM_NAMES(PartyKind, "company", "public_body", "individual", "data_subjects")
XBORDER_ENUM_NAMES(PartyRole, "controller", "processor", "sub_processor", "joint_controller",
                   "contractor", "data_subject")
XBORDER_ENUM_NAMES(Category, "personal_data", "special_category", "personally_referable",
                   "pseudonymised", "anonymised", "trade_secret", "limited_provision",
                   "export_controlled", "non_personal", "government_data", "important_data",
                   "payment_data")
XBORDER_ENUM_NAMES(ValueLevel, "low", "high", "very_high")
XBORDER_ENUM_NAMES(SafeguardType, "scc", "tia", "bcr", "consent", "appi_standard_system",
                   "derogation", "ad_hoc_clauses", "code_of_conduct", "certification",
                   "authorisation", "provision_record", "receipt_record", "transfer_notice",
                   "entrustee_supervision")
XBORDER_ENUM_NAMES(EdgeKind, "flow", "hosting", "replication", "remote_access")

template <class E>
constexpr std::string_view to_string(E value) {
  return EnumNames<E>::names[static_cast<std::size_t>(value)];
}

template <class E>
constexpr std::size_t enum_count() {
  return EnumNames<E>::names.size();
}

template <class E>
std::optional<E> parse_enum(std::string_view text) {
  for (std::size_t i = 0; i < EnumNames<E>::names.size(); ++i) {
    if (EnumNames<E>::names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

template <class E>
std::vector<std::string> enum_spellings() {
  return {EnumNames<E>::names.begin(), EnumNames<E>::names.end()};
}

// Schemes a party can be certified under; open to new schemes only through this list, so that
// a typo in a model or a rule pack is an error rather than a silently different scheme.
inline constexpr auto kCertificationSchemes = std::to_array<std::string_view>({
    "dpf",               // EU-U.S. Data Privacy Framework
    "dpf_uk_extension",  // UK Extension to the EU-U.S. DPF (UK-US data bridge)
    "dpf_swiss",         // Swiss-U.S. DPF
    "privacy_shield",    // EU-U.S. Privacy Shield (2016-2020)
    "safe_harbour",      // US Safe Harbor (2000-2015)
    "apec_cbpr",         // APEC Cross-Border Privacy Rules
    "apec_prp",          // APEC Privacy Recognition for Processors
    "global_cbpr",       // Global CBPR Forum
    "ismap",             // Japan's ISMAP cloud service list
    "ismap_liu",         // ISMAP for Low-Impact Use (ISMAP-LIU), from 2022-11-01
    "iso_27001",
    "iso_27701",
    "iso_27018",
});

// Control lists a data set (technology) can be listed on, by regime: Japan's FEFTA lists (外為令
// 別表), the US Commerce Control List / subject to the EAR, Annex I of Regulation (EU) 2021/821.
inline constexpr auto kControlLists =
    std::to_array<std::string_view>({"jp_fefta", "us_ear", "eu_dual_use"});

// Regimes under which a public authority licenses or approves a flow (safeguard `authorisation`):
// the three export-control regimes above and China's CAC security assessment for outbound data.
inline constexpr auto kAuthorisations = std::to_array<std::string_view>(
    {"jp_fefta", "us_ear", "eu_dual_use", "cn_security_assessment"});

// SCC sets by the instrument that adopted them.
inline constexpr auto kSccSets = std::to_array<std::string_view>(
    {"2001/497/EC", "2002/16/EC", "2004/915/EC", "2010/87/EU", "2021/914"});

// What a transfer impact assessment concluded about the destination's law and practice (safeguard
// `tia`, key `conclusion`; EDPB Recommendations 01/2020, steps 3-4): the transfer tool is effective
// as it stands, supplementary measures are needed, or no measure makes it effective (stop).
inline constexpr auto kTiaConclusions =
    std::to_array<std::string_view>({"effective", "supplementary_measures_needed", "stop"});

// GDPR Art. 49 derogations, by paragraph.
inline constexpr auto kDerogations =
    std::to_array<std::string_view>({"49(1)(a)", "49(1)(b)", "49(1)(c)", "49(1)(d)", "49(1)(e)",
                                     "49(1)(f)", "49(1)(g)", "49(1)second"});

}  // namespace xborder
