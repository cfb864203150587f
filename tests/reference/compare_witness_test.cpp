// `compare` against the reference interpreter (tests/reference/README.md): every witness flow of
// a comparison of shipped regimes, judged on its own rule by rule without Z3, shows the stated
// difference — each allowing rule holds on the allowing side, each forbidding rule is violated on
// the forbidding side, no rule of the allowing regime is violated there.
#include <gtest/gtest.h>

#include <sstream>

#include "solver/compare.hpp"
#include "tests/reference/reference_checker.hpp"
#include "tests/reference/run_settings.hpp"
#include "tests/test_support.hpp"

namespace xborder::reference::compare_witness_test {
namespace {

using xborder::testing::shipped_rules;

// The context one side sees: the shared variables, then that side's own ("LABEL: variable").
std::map<std::string, std::string> side_view(const GapCell& cell, const std::string& label) {
  std::map<std::string, std::string> out;
  const std::string prefix = label + ": ";
  for (const auto& [name, value] : cell.witness) {
    if (name.find(": ") == std::string::npos) out[name] = value;
  }
  for (const auto& [name, value] : cell.witness) {
    if (name.rfind(prefix, 0) == 0) out[name.substr(prefix.size())] = value;
  }
  return out;
}

std::string show(const GapCell& cell) {
  std::ostringstream out;
  for (const auto& [name, value] : cell.witness) out << "    " << name << " = " << value << "\n";
  return out.str();
}

TEST(CompareWitness, EveryWitnessShowsTheStatedDifference) {
  const RuleBase& rules = shipped_rules();
  const Date today = Date::from_ymd(2024, 6, 1);
  // Under AddressSanitizer (ten times slower) only Schrems II.
  std::vector<std::vector<std::string>> pairs = {{"EU@2020-07-15", "EU@2020-07-16"}};
  if (!kSanitized) {
    pairs.push_back({"EU", "JP"});
    pairs.push_back({"JP@2022-03-31", "JP@2022-04-01"});
  }
  int cells = 0;
  for (const auto& texts : pairs) {
    SCOPED_TRACE(texts[0] + " vs " + texts[1]);
    Diagnostics diags;
    std::vector<Regime> regimes;
    for (std::size_t k = 0; k < texts.size(); ++k) {
      auto r = resolve_regime(rules, texts[k], today, "/regimes/" + std::to_string(k), diags);
      ASSERT_TRUE(r) << xborder::testing::render_all(diags);
      regimes.push_back(*r);
    }
    auto result = compare_regimes(rules, regimes, {}, diags);
    ASSERT_TRUE(result) << xborder::testing::render_all(diags);
    for (const auto& table : result->tables) {
      const Regime& allow = result->regimes[table.allows];
      const Regime& forbid = result->regimes[table.forbids];
      for (const auto& cell : table.cells) {
        ++cells;
        const auto allow_view = side_view(cell, allow.label);
        const auto forbid_view = side_view(cell, forbid.label);
        for (const auto& r : cell.allowing) {
          const Rule* rule = rules.rule(r.rule_id);
          ASSERT_NE(rule, nullptr);
          const auto v = judge_rule(rules, *rule, allow.at, allow_view);
          EXPECT_TRUE(v && *v == Verdict::kCompliant)
              << r.rule_id << " should hold on the " << allow.label << " side of the witness, is "
              << (v ? std::string(to_string(*v)) : "not applicable") << "\n"
              << show(cell);
        }
        bool violated = false;
        for (const auto& r : cell.forbidding) {
          const Rule* rule = rules.rule(r.rule_id);
          ASSERT_NE(rule, nullptr);
          const auto v = judge_rule(rules, *rule, forbid.at, forbid_view);
          violated = violated || (v && *v == Verdict::kViolation);
          EXPECT_TRUE(v && *v == Verdict::kViolation) << r.rule_id << " should be violated on the "
                                                      << forbid.label << " side of the witness\n"
                                                      << show(cell);
        }
        EXPECT_TRUE(violated) << forbid.label << " forbids nothing in the witness\n" << show(cell);
        for (const Rule* rule : rules.rules) {
          if (std::find(allow.places.begin(), allow.places.end(), rule->place) ==
                  allow.places.end() ||
              !rule->valid.contains(allow.at))
            continue;
          const auto v = judge_rule(rules, *rule, allow.at, allow_view);
          EXPECT_FALSE(v && *v != Verdict::kCompliant)
              << rule->id << " is " << to_string(*v) << " on the " << allow.label
              << " side, which should allow the witness\n"
              << show(cell);
        }
      }
    }
  }
  std::cout << "[reference] compare: " << cells << " cells' witnesses judged" << std::endl;
  EXPECT_GT(cells, 0);
}

}  // namespace
}  // namespace xborder::reference::compare_witness_test
