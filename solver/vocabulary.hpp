// What a rule can talk about: the variables of one event's context (an edge of the transfer
// graph and the attribute state of the data crossing it), with their types and domains.
// This is vocabulary, not law: what the variables mean legally is written in rule packs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/vocabulary.hpp"

namespace xborder {

enum class Domain {
  kNone,
  kCountry,
  kParty,
  kPurpose,
  kOrganisation,  // international organisations, by code ("EPO")
  kEvent,
  kEdgeKind,
  kRelationship,
  kPartyKind,
  kTier,
  kRegionRole,
  kValueLevel,
  kSccSet,
  kDerogation,
  kScheme,
  kCategory,
  kControlList,
  kAuthorisation,
  kTiaConclusion,
};
XBORDER_ENUM_NAMES(Domain, "none", "country", "party", "purpose", "international_organisation",
                   "event", "edge_kind", "relationship", "party_kind", "tier", "region_role",
                   "value_level", "scc_set", "derogation", "certification_scheme", "category",
                   "control_list", "authorisation", "tia_conclusion")
inline std::string_view domain_name(Domain d) {
  return to_string(d);
}
inline std::optional<Domain> parse_domain(std::string_view name) {
  return parse_enum<Domain>(name);
}

enum class VarKind { kBool, kInt, kDate, kEnum, kSet };

struct VarType {
  VarKind kind = VarKind::kBool;
  Domain domain = Domain::kNone;  // kEnum and kSet
  bool operator==(const VarType&) const = default;
};
std::string type_name(const VarType& t);

struct VarSpec {
  std::string name;
  VarType type;
  bool optional = false;  // an enum that may be `none` (no key holder, no tier)
  std::string description;
};

// The fixed list of context variables, in a stable order (the index is the variable's id).
const std::vector<VarSpec>& context_variables();
std::optional<std::size_t> find_variable(std::string_view name);
std::vector<std::string> variable_names();

// The closed spellings of fixed domains (countries, parties and purposes come from the data).
const std::vector<std::string>& fixed_domain_values(Domain d);
bool domain_is_open(Domain d);  // country, party, purpose

inline constexpr std::string_view kNoneValue = "none";
inline constexpr std::string_view kOtherValue = "other";

// The values each domain takes in one check: the fixed spellings, or, for open domains, every
// value the model and the rule packs mention, plus `other` (anything not mentioned) and `none`.
class Universe {
 public:
  void add(Domain d, const std::string& value);
  void seal();  // sorts, adds `other` and `none`, builds the index
  [[nodiscard]] const std::vector<std::string>& values(Domain d) const;
  [[nodiscard]] std::optional<int> index(Domain d, std::string_view value) const;
  // Index of `value`, or of `other` when the value is not mentioned anywhere.
  [[nodiscard]] int index_or_other(Domain d, std::string_view value) const;
  [[nodiscard]] int none_index(Domain d) const;

 private:
  std::map<Domain, std::vector<std::string>> values_;
  std::map<Domain, std::map<std::string, int, std::less<>>> index_;
};

}  // namespace xborder
