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
#include "tests/reference/run_settings.hpp"
#include "tests/test_support.hpp"

namespace xborder::reference::differential_test {
namespace {

using nlohmann::json;
using xborder::testing::reference;
using xborder::testing::shipped_rules;

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
  for (const auto& f : r.findings)
    c.findings[{f.rule_id, f.edge, f.dataset, f.verdict}] = f.path_count;
  c.warned = !r.warnings.items().empty();
  return c;
}

// What differs between the checker and the reference ("" when nothing does): the findings
// themselves (kVerdicts), or their path counts where both have the finding and the graph has no
// cycle (kPathCounts).
enum class Aspect { kVerdicts, kPathCounts };

std::string differences(const std::map<FindingKey, std::uint64_t>& checker,
                        const ReferenceResult& ref, Aspect aspect) {
  std::ostringstream out;
  for (const auto& [k, n] : ref.findings) {
    auto it = checker.find(k);
    if (it == checker.end()) {
      if (aspect == Aspect::kVerdicts)
        out << "  missing from the checker: " << to_string(k) << " (reference: " << n
            << " paths)\n";
    } else if (aspect == Aspect::kPathCounts && ref.graph_acyclic && it->second != n) {
      out << "  path_count differs: " << to_string(k) << ": checker " << it->second
          << ", reference " << n << "\n";
    }
  }
  if (aspect == Aspect::kVerdicts) {
    for (const auto& [k, n] : checker) {
      if (!ref.findings.count(k))
        out << "  only in the checker: " << to_string(k) << " (" << n << " paths)\n";
    }
  }
  return out.str();
}

// The differences for a model at a date, or nullopt when the model is invalid or too big for
// the reference.
std::optional<std::string> disagreement(const json& j, Date at, Aspect aspect) {
  auto model = load(j);
  if (!model) return std::nullopt;
  auto ref = reference_check(*model, shipped_rules(), at);
  if (!ref) return std::nullopt;
  PathChecker checker(*model, shipped_rules());
  return differences(from_checker(checker.check(at)).findings, *ref, aspect);
}

// Greedy deletion of array elements and object members while the model still loads and the
// disagreement persists.
json minimise(json j, Date at, Aspect aspect) {
  // At most a minute of it: a failing run must still end in CI's time.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto still_fails = [&](const json& candidate) {
    auto d = disagreement(candidate, at, aspect);
    return d && !d->empty();
  };
  bool progress = true;
  while (progress && std::chrono::steady_clock::now() < deadline) {
    progress = false;
    std::vector<json::json_pointer> pointers;
    std::function<void(const json&, const json::json_pointer&)> collect =
        [&](const json& node, const json::json_pointer& here) {
          if (node.is_array()) {
            for (std::size_t k = node.size(); k-- > 0;) {
              collect(node[k], here / k);
              pointers.push_back(here / k);
            }
          } else if (node.is_object()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
              collect(it.value(), here / it.key());
              if (!here.empty() || (it.key() != "format" && it.key() != "name"))
                pointers.push_back(here / it.key());
            }
          }
        };
    collect(j, json::json_pointer());
    // Whole entries first (elements of the top-level arrays), then their parts.
    std::stable_sort(pointers.begin(), pointers.end(), [](const auto& a, const auto& b) {
      return a.to_string().size() < b.to_string().size();
    });
    for (const auto& p : pointers) {
      if (std::chrono::steady_clock::now() > deadline) break;
      if (!j.contains(p)) continue;
      json candidate = j;
      json& container = candidate.at(p.parent_pointer());
      if (container.is_array()) {
        container.erase(static_cast<std::size_t>(std::stoul(p.back())));
      } else {
        container.erase(p.back());
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

// One run over random models comparing one aspect: its failures, with the seed, the date and
// (for the first two) a minimised model.
struct RunResult {
  std::vector<std::string> failures;
  int count = 0, checked = 0, acyclic = 0;
  std::uint64_t violations = 0, undetermined = 0, compliant = 0;
};

RunResult differential_run(Aspect aspect, int count, std::uint64_t seed_offset) {
  RunResult r;
  const std::uint64_t seed = reference_seed() + seed_offset;
  r.count = count;
  Rng dates(seed ^ 0x5eedda7eULL);
  int invalid = 0, too_big = 0;
  std::uint64_t events = 0, leaves = 0, findings = 0;
  double reference_seconds = 0, checker_seconds = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int k = 0; k < r.count; ++k) {
    const std::uint64_t model_seed = seed + static_cast<std::uint64_t>(k);
    const json j = generate_model(model_seed);
    const Date at = pick_date(dates);
    auto model = load(j);
    if (!model) {
      ++invalid;
      continue;
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto ref = reference_check(*model, shipped_rules(), at);
    const auto t1 = std::chrono::steady_clock::now();
    reference_seconds += std::chrono::duration<double>(t1 - t0).count();
    if (!ref) {
      ++too_big;
      continue;
    }
    ++r.checked;
    if (ref->graph_acyclic) ++r.acyclic;
    // Path counts are compared on graphs without cycles only: skip the others' checks.
    if (aspect == Aspect::kPathCounts && !ref->graph_acyclic) continue;
    events += ref->events;
    leaves += ref->leaves;
    PathChecker checker(*model, shipped_rules());
    const Checked actual = from_checker(checker.check(at));
    checker_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    findings += actual.findings.size();
    for (const auto& [key, n] : actual.findings) {
      switch (std::get<3>(key)) {
        case Verdict::kViolation:
          ++r.violations;
          break;
        case Verdict::kUndetermined:
          ++r.undetermined;
          break;
        case Verdict::kCompliant:
          ++r.compliant;
          break;
      }
    }
    const std::string diff = differences(actual.findings, *ref, aspect);
    if (diff.empty()) continue;
    std::ostringstream msg;
    msg << "model seed " << model_seed << " (XBORDER_REFERENCE_SEED=" << reference_seed()
        << ", model " << k + static_cast<int>(seed_offset) << ") at " << at.to_string()
        << ": the checker and the reference disagree\n"
        << diff;
    if (r.failures.size() < 2) {
      const json small = minimise(j, at, aspect);
      msg << "minimised model (at " << at.to_string() << "):\n"
          << small.dump() << "\nits differences:\n"
          << disagreement(small, at, aspect).value_or("?");
    }
    r.failures.push_back(msg.str());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[reference] " << (aspect == Aspect::kVerdicts ? "verdicts" : "path counts") << ": "
            << r.checked << " models compared (" << r.acyclic << " acyclic; " << invalid
            << " invalid, " << too_big << " too big for brute force), " << events << " events, "
            << findings << " findings (" << r.violations << " violations, " << r.undetermined
            << " undetermined, " << r.compliant << " compliant), " << r.failures.size()
            << " disagreements; " << seconds << " s (reference " << reference_seconds << " s, "
            << leaves << " completions; checker " << checker_seconds << " s)" << std::endl;
  return r;
}

void report(const std::vector<std::string>& failures) {
  for (std::size_t k = 0; k < failures.size() && k < 10; ++k) ADD_FAILURE() << failures[k];
  if (failures.size() > 10) ADD_FAILURE() << "… and " << failures.size() - 10 << " more";
}

// Replays one model file (e.g. a minimised counterexample saved from a failure) at one date:
// XBORDER_REFERENCE_REPLAY=model.json XBORDER_REFERENCE_AT=YYYY-MM-DD. Prints both sides.
TEST(Reference, ReplayOneModel) {
  const char* file = std::getenv("XBORDER_REFERENCE_REPLAY");
  const char* at_text = std::getenv("XBORDER_REFERENCE_AT");
  if (!file || !*file) GTEST_SKIP() << "set XBORDER_REFERENCE_REPLAY (and XBORDER_REFERENCE_AT)";
  const Date at = at_text && *at_text ? *Date::parse(at_text) : Date::from_ymd(2024, 6, 1);
  const json j = json::parse(xborder::testing::read_text(file));
  auto model = load(j);
  ASSERT_TRUE(model) << "the model does not load";
  auto ref = reference_check(*model, shipped_rules(), at);
  ASSERT_TRUE(ref) << "too big for the reference";
  PathChecker checker(*model, shipped_rules());
  const CheckResult result = checker.check(at);
  for (const auto& f : result.findings) {
    std::cout << "checker:   " << to_string(FindingKey{f.rule_id, f.edge, f.dataset, f.verdict})
              << " paths " << f.path_count << "\n";
  }
  for (const auto& [k, n] : ref->findings)
    std::cout << "reference: " << to_string(k) << " paths " << n << "\n";
  const auto actual = from_checker(result).findings;
  EXPECT_EQ(differences(actual, *ref, Aspect::kVerdicts), "");
  EXPECT_EQ(differences(actual, *ref, Aspect::kPathCounts), "");
}

// Minimised counterexamples kept as regression tests: counterexamples/NAME.json at a date.
void expect_agreement(const std::string& name, const std::string& at_text) {
  const auto file =
      xborder::testing::source_dir() / "tests" / "reference" / "counterexamples" / (name + ".json");
  const Date at = *Date::parse(at_text);
  const json j = json::parse(xborder::testing::read_text(file));
  ASSERT_TRUE(load(j)) << file;
  EXPECT_EQ(disagreement(j, at, Aspect::kVerdicts).value_or("?"), "");
  EXPECT_EQ(disagreement(j, at, Aspect::kPathCounts).value_or("?"), "");
}

// Two flows carry d0 from p2 to s0 and leave it in the same state: two data paths reach the
// replication to the failover region (found by seed 20261348, minimised).
TEST(Reference, TwoParallelFlowsAreTwoPaths) {
  expect_agreement("parallel-flows", "2022-03-20");
}

TEST(Reference, VerdictsAgreeWithBruteForceOnRandomModels) {
  const RunResult run = differential_run(Aspect::kVerdicts, reference_model_count(500, 50), 0);
  report(run.failures);
  // The generator must keep producing models worth comparing, with every verdict.
  EXPECT_GE(run.checked, run.count * 8 / 10);
  EXPECT_GT(run.violations, 0u);
  EXPECT_GT(run.undetermined, 0u);
  EXPECT_GT(run.compliant, 0u);
}

// Other models than the test above (the seed plus a million): ctest runs each test on its own.
TEST(Reference, PathCountsAgreeWithBruteForceOnAcyclicRandomModels) {
  const RunResult run = differential_run(
      Aspect::kPathCounts, std::max(1, reference_model_count(500, 50) * 2 / 5), 1000000);
  report(run.failures);
  EXPECT_GE(run.acyclic, run.checked / 2);
}

}  // namespace
}  // namespace xborder::reference::differential_test
