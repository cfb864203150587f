// The simulation's replay against independent checks (tests/reference/README.md): for every
// shipped scenario, each replay segment's violations and undetermined findings equal those of a
// fresh PathChecker on the model and rule base with that segment's timeline events applied, at
// the segment's first and last day, and the brute-force reference agrees with both.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "scenarios/simulation.hpp"
#include "tests/reference/reference_checker.hpp"
#include "tests/test_support.hpp"

namespace xborder::reference::simulate_test {
namespace {

using nlohmann::json;

std::vector<std::filesystem::path> scenario_files() {
  std::vector<std::filesystem::path> out;
  for (const auto& e :
       std::filesystem::directory_iterator(xborder::testing::source_dir() / "scenarios")) {
    if (std::filesystem::exists(e.path() / "simulation.json"))
      out.push_back(e.path() / "simulation.json");
  }
  std::sort(out.begin(), out.end());
  return out;
}

using Key = std::tuple<std::string, std::string, std::string, Verdict>;  // rule, edge, data set

std::string show(const std::set<Key>& keys) {
  std::ostringstream out;
  for (const auto& k : keys) out << "    " << to_string(FindingKey(k)) << "\n";
  return out.str();
}

TEST(Simulate, ReplayEqualsIndependentChecksAtEachDate) {
  const auto files = scenario_files();
  ASSERT_FALSE(files.empty());
  int compared = 0, by_reference = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    auto loaded =
        load_scenario(file, xborder::testing::reference(), xborder::testing::shipped_rules());
    ASSERT_TRUE(loaded.scenario) << xborder::testing::render_all(loaded.diagnostics);
    const Scenario& scenario = *loaded.scenario;
    auto rules = load_rule_base(xborder::testing::source_dir() / "jurisdictions",
                                xborder::testing::reference().country_codes(), scenario.places);
    ASSERT_TRUE(rules.rules);
    Simulator simulator(scenario, *rules.rules, xborder::testing::reference());
    const ReplayResult replay_result = replay(simulator);
    ASSERT_FALSE(replay_result.segments.empty());
    for (const auto& segment : replay_result.segments) {
      std::uint64_t mask = 0;
      for (std::size_t k = 0; k < scenario.timeline.size(); ++k) {
        const auto& active = segment.active;
        if (std::find(active.begin(), active.end(), scenario.timeline[k].id) != active.end())
          mask |= std::uint64_t{1} << k;
      }
      const json document = apply_model_edits(scenario, mask).document;
      auto model = load_model_json(document, scenario.model_file, xborder::testing::reference());
      ASSERT_TRUE(model.model) << xborder::testing::render_all(model.diagnostics);
      std::optional<RuleBase> edited;
      if (edits_rules(scenario, mask)) edited = apply_rule_edits(scenario, *rules.rules, mask);
      const RuleBase& base = edited ? *edited : *rules.rules;
      std::vector<Date> days{segment.from};
      if (segment.to.days() - 1 != segment.from.days())
        days.push_back(Date::from_days(segment.to.days() - 1));
      for (const Date at : days) {
        std::set<Key> replayed;
        for (const auto& i : replay_result.intervals) {
          if (i.from <= at && at < i.to)
            replayed.insert({i.key.rule, i.key.edge, i.key.dataset, i.key.verdict});
        }
        PathChecker fresh(*model.model, base);
        std::set<Key> checked;
        CheckOptions without_compliant;
        without_compliant.keep_compliant = false;
        for (const auto& f : fresh.check(at, without_compliant).findings)
          checked.insert({f.rule_id, f.edge, f.dataset, f.verdict});
        ++compared;
        EXPECT_EQ(show(replayed), show(checked))
            << "replay (left) and a fresh check (right) differ at " << at.to_string()
            << " with timeline events active: " << ::testing::PrintToString(segment.active);
        if (auto ref = reference_check(*model.model, base, at)) {
          ++by_reference;
          std::set<Key> brute;
          for (const auto& [k, n] : ref->findings) {
            if (std::get<3>(k) != Verdict::kCompliant) brute.insert(k);
          }
          EXPECT_EQ(show(brute), show(checked))
              << "the reference (left) and a fresh check (right) differ at " << at.to_string()
              << " with timeline events active: " << ::testing::PrintToString(segment.active);
        }
      }
    }
  }
  std::cout << "[reference] simulate: " << compared << " (scenario, segment, day) checks, "
            << by_reference << " also by brute force\n";
  EXPECT_GT(by_reference, 0);
}

}  // namespace
}  // namespace xborder::reference::simulate_test
