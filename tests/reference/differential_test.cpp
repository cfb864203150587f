// Differential and metamorphic tests of PathChecker against the brute-force reference
// (tests/reference/README.md): random valid models from a printed seed, the shipped packs, dates
// around the packs' boundaries. A disagreement prints the seed and a minimised model.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "tests/reference/model_generator.hpp"
#include "tests/reference/reference_checker.hpp"
#include "tests/test_support.hpp"

namespace xborder::reference {
namespace {

using nlohmann::json;
using xborder::testing::reference;
using xborder::testing::shipped_rules;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// XBORDER_REFERENCE_SEED (a number, or `time` for a fresh one) and XBORDER_REFERENCE_MODELS
// (how many models) change a run; the defaults are fixed so that CI is reproducible.
std::uint64_t base_seed() {
  static const std::uint64_t seed = [] {
    const char* env = std::getenv("XBORDER_REFERENCE_SEED");
    std::uint64_t s = 20261207;
    if (env && std::string(env) == "time") {
      s = static_cast<std::uint64_t>(
          std::chrono::system_clock::now().time_since_epoch().count());
    } else if (env && *env) {
      s = std::strtoull(env, nullptr, 10);
    }
    std::cout << "[reference] XBORDER_REFERENCE_SEED=" << s << "\n";
    return s;
  }();
  return seed;
}

int model_count(int release_default, int sanitized_default) {
  if (const char* env = std::getenv("XBORDER_REFERENCE_MODELS"); env && *env) {
    return std::max(1, std::atoi(env));
  }
  return kSanitized ? sanitized_default : release_default;
}

// Every date where a rule, a fact entry or a reach declaration starts or ends, and the day
// before: where a cached or shared answer is most likely to be stale.
const std::vector<Date>& boundary_dates() {
  static const std::vector<Date> dates = [] {
    std::set<int> days;
    auto add = [&](const Validity& v) {
      for (const auto& d : {v.from, v.to}) {
        if (!d) continue;
        const int k = d->days();
        if (k < Date::from_ymd(2014, 1, 1).days() || k > Date::from_ymd(2028, 1, 1).days())
          continue;
        days.insert(k);
        days.insert(k - 1);
      }
    };
    const RuleBase& rules = shipped_rules();
    for (const Rule* r : rules.rules) add(r->valid);
    for (const auto& [n, fs] : rules.facts) {
      for (const auto& e : fs->entries) add(e.valid);
    }
    for (const auto& r : rules.reach) add(r.valid);
    std::vector<Date> out;
    for (int k : days) out.push_back(Date::from_days(k));
    return out;
  }();
  return dates;
}

Date pick_date(Rng& rng) {
  if (rng.chance(70)) return rng.pick(boundary_dates());
  const int lo = Date::from_ymd(2015, 1, 1).days();
  const int hi = Date::from_ymd(2026, 12, 31).days();
  return Date::from_days(lo + static_cast<int>(rng.below(static_cast<std::size_t>(hi - lo))));
}

std::optional<TransferModel> load(const json& j) {
  auto r = load_model_json(j, "generated.json", reference());
  return std::move(r.model);
}

struct Checked {
  std::map<FindingKey, std::uint64_t> findings;
  bool warned = false;  // XB-CHECK-001 and the like
};

Checked from_checker(const CheckResult& r) {
  Checked c;
  for (const auto& f : r.findings) c.findings[{f.rule_id, f.edge, f.dataset, f.verdict}] = f.path_count;
  c.warned = !r.warnings.items().empty();
  return c;
}

// What differs between the checker and the reference ("" when nothing does).
std::string differences(const std::map<FindingKey, std::uint64_t>& checker,
                        const ReferenceResult& ref) {
  std::ostringstream out;
  for (const auto& [k, n] : ref.findings) {
    auto it = checker.find(k);
    if (it == checker.end()) {
      out << "  missing from the checker: " << to_string(k) << " (reference: " << n
          << " paths)\n";
    } else if (ref.graph_acyclic && it->second != n) {
      out << "  path_count differs: " << to_string(k) << ": checker " << it->second
          << ", reference " << n << "\n";
    }
  }
  for (const auto& [k, n] : checker) {
    if (!ref.findings.count(k))
      out << "  only in the checker: " << to_string(k) << " (" << n << " paths)\n";
  }
  return out.str();
}

// The differences for a model at a date, or nullopt when the model is invalid or too big for
// the reference.
std::optional<std::string> disagreement(const json& j, Date at) {
  auto model = load(j);
  if (!model) return std::nullopt;
  auto ref = reference_check(*model, shipped_rules(), at);
  if (!ref) return std::nullopt;
  PathChecker checker(*model, shipped_rules());
  return differences(from_checker(checker.check(at, {true})).findings, *ref);
}

// Greedy deletion of array elements and object members while the model still loads and the
// disagreement persists.
json minimise(json j, Date at) {
  auto still_fails = [&](const json& candidate) {
    auto d = disagreement(candidate, at);
    return d && !d->empty();
  };
  bool progress = true;
  while (progress) {
    progress = false;
    std::vector<json::json_pointer> pointers;
    std::function<void(const json&, const json::json_pointer&)> collect =
        [&](const json& node, const json::json_pointer& at_ptr) {
          if (node.is_array()) {
            for (std::size_t k = node.size(); k-- > 0;) {
              collect(node[k], at_ptr / k);
              pointers.push_back(at_ptr / k);
            }
          } else if (node.is_object()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
              collect(it.value(), at_ptr / it.key());
              if (!at_ptr.empty() || (it.key() != "format" && it.key() != "name"))
                pointers.push_back(at_ptr / it.key());
            }
          }
        };
    collect(j, json::json_pointer());
    // Whole entries first (top-level arrays' elements), then their parts.
    std::stable_sort(pointers.begin(), pointers.end(), [](const auto& a, const auto& b) {
      return a.to_string().size() < b.to_string().size();
    });
    for (const auto& p : pointers) {
      if (!j.contains(p)) continue;
      json candidate = j;
      const auto parent = p.parent_pointer();
      const std::string last = p.back();
      json& container = candidate.at(parent);
      if (container.is_array()) {
        container.erase(static_cast<std::size_t>(std::stoul(last)));
      } else {
        container.erase(last);
      }
      if (still_fails(candidate)) {
        j = std::move(candidate);
        progress = true;
        break;
      }
    }
  }
  return j;
}

TEST(Reference, CheckerAgreesWithBruteForceOnRandomModels) {
  const std::uint64_t seed = base_seed();
  const int count = model_count(1500, 120);
  Rng dates(seed ^ 0x5eedda7eULL);
  int checked = 0, invalid = 0, too_big = 0, failures = 0;
  std::uint64_t events = 0, findings = 0, undetermined = 0, violations = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int k = 0; k < count; ++k) {
    const std::uint64_t model_seed = seed + static_cast<std::uint64_t>(k);
    const json j = generate_model(model_seed);
    const Date at = pick_date(dates);
    auto model = load(j);
    if (!model) {
      ++invalid;
      continue;
    }
    auto ref = reference_check(*model, shipped_rules(), at);
    if (!ref) {
      ++too_big;
      continue;
    }
    ++checked;
    events += ref->events;
    PathChecker checker(*model, shipped_rules());
    const Checked actual = from_checker(checker.check(at, {true}));
    findings += actual.findings.size();
    for (const auto& [key, n] : actual.findings) {
      if (std::get<3>(key) == Verdict::kUndetermined) ++undetermined;
      if (std::get<3>(key) == Verdict::kViolation) ++violations;
    }
    const std::string diff = differences(actual.findings, *ref);
    if (diff.empty()) continue;
    ++failures;
    std::ostringstream msg;
    msg << "model seed " << model_seed << " (XBORDER_REFERENCE_SEED=" << seed << ", model " << k
        << ") at " << at.to_string() << ": the checker and the reference disagree\n"
        << diff;
    if (failures <= 3) {
      const json small = minimise(j, at);
      msg << "minimised model (at " << at.to_string() << "):\n"
          << small.dump(1) << "\nits differences:\n"
          << disagreement(small, at).value_or("?");
    }
    ADD_FAILURE() << msg.str();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[reference] " << checked << " models compared (" << invalid << " invalid, "
            << too_big << " too big for brute force), " << events << " events, " << findings
            << " findings (" << violations << " violations, " << undetermined
            << " undetermined), " << failures << " disagreements, " << seconds << " s\n";
  // The generator must keep producing models worth comparing.
  EXPECT_GE(checked, count * 8 / 10);
  EXPECT_GT(violations, 0u);
  EXPECT_GT(undetermined, 0u);
}

}  // namespace
}  // namespace xborder::reference
