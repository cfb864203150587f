// Bad input never crashes: seeded random mutations of the shipped models, rule packs and rule
// expressions must each load or fail with diagnostics, never throw or abort (this suite also
// runs under AddressSanitizer and UBSan in scripts/test).
#include <gtest/gtest.h>

#include <random>

#include "tests/reference/run_settings.hpp"
#include "tests/test_support.hpp"

namespace xborder::robustness_test {
namespace {

using nlohmann::json;

// Replaces, deletes or retypes one value somewhere in `doc`, chosen with `rng`.
void mutate(json& doc, std::mt19937& rng) {
  std::vector<json*> nodes;
  std::function<void(json&)> collect = [&](json& j) {
    nodes.push_back(&j);
    if (j.is_object()) {
      for (auto& [k, v] : j.items()) collect(v);
    } else if (j.is_array()) {
      for (auto& v : j) collect(v);
    }
  };
  collect(doc);
  json& target = *nodes[std::uniform_int_distribution<std::size_t>(0, nodes.size() - 1)(rng)];
  static const std::vector<json> replacements = {nullptr,
                                                 true,
                                                 0,
                                                 -1,
                                                 1e300,
                                                 "",
                                                 "unknown",
                                                 "ZZ",
                                                 "country:XX",
                                                 "2020-02-30",
                                                 json::array(),
                                                 json::object(),
                                                 json::array({1, "a", nullptr}),
                                                 std::string(300, 'x'),
                                                 "not in force",
                                                 "US"};
  switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
    case 0:
      target =
          replacements[std::uniform_int_distribution<std::size_t>(0, replacements.size() - 1)(rng)];
      break;
    case 1:
      if (target.is_object() && !target.empty()) {
        auto it = target.begin();
        std::advance(it, std::uniform_int_distribution<std::size_t>(0, target.size() - 1)(rng));
        target.erase(it.key());
      }
      break;
    case 2:
      if (target.is_array() && !target.empty()) target.erase(target.begin());
      break;
    default:
      if (target.is_object()) target["unexpected_" + std::to_string(rng() % 7)] = 1;
      break;
  }
}

TEST(Robustness, MutatedModelsLoadOrFailWithDiagnostics) {
  std::mt19937 rng(20261122);
  for (const auto& scenario : testing::scenario_names()) {
    const json original = json::parse(
        testing::read_text(testing::source_dir() / "scenarios" / scenario / "model.json"));
    // Under AddressSanitizer 24 rounds per scenario (the normal pass runs 80).
    const int rounds = reference::kSanitized ? 24 : 80;
    for (int round = 0; round < rounds; ++round) {
      json doc = original;
      const int mutations = 1 + static_cast<int>(rng() % 3);
      for (int m = 0; m < mutations; ++m) mutate(doc, rng);
      ModelLoadResult r;
      ASSERT_NO_THROW(r = load_model_json(doc, "mutated.json", testing::reference()))
          << scenario << " round " << round;
      EXPECT_EQ(r.model.has_value(), !r.diagnostics.has_errors());
      if (r.model && round % 4 == 0) {  // a model that loads must also check without crashing
        PathChecker checker(*r.model, testing::shipped_rules());
        ASSERT_NO_THROW(checker.check(*Date::parse("2024-06-01")))
            << scenario << " round " << round;
      }
      for (const auto& d : r.diagnostics.items()) {
        EXPECT_FALSE(d.message.empty());
        EXPECT_EQ(d.code.rfind("XB-", 0), 0u) << d.code;
      }
    }
  }
}

TEST(Robustness, MutatedRulePacksLoadOrFailWithDiagnostics) {
  std::mt19937 rng(7);
  for (const char* pack :
       {"eu/gdpr-chapter-v.json", "jp/appi.json", "us/extraterritorial-access.json"}) {
    const json original =
        json::parse(testing::read_text(testing::source_dir() / "jurisdictions" / pack));
    for (int round = 0; round < 60; ++round) {
      json doc = original;
      mutate(doc, rng);
      RuleLoadResult r;
      ASSERT_NO_THROW(r = testing::rules_from_json({doc.dump()})) << pack << " round " << round;
      EXPECT_EQ(r.rules.has_value(), !r.diagnostics.has_errors());
    }
  }
}

TEST(Robustness, RandomExpressionsParseOrFail) {
  std::mt19937 rng(3);
  const std::vector<std::string> pieces = {"event",
                                           "==",
                                           "'transfer'",
                                           "and",
                                           "or",
                                           "not",
                                           "(",
                                           ")",
                                           "[",
                                           "]",
                                           ",",
                                           "in",
                                           "intersects",
                                           "fact('eea_members')",
                                           "importer.country",
                                           "'JP'",
                                           "data.categories",
                                           "date('2020-07-16')",
                                           "<",
                                           "empty(",
                                           "implies",
                                           "'",
                                           "0",
                                           "safeguard.scc",
                                           "not in",
                                           "&&",
                                           "=",
                                           "date("};
  ExprEnvironment env;
  env.fact_domain = [](const std::string& name) -> std::optional<Domain> {
    if (name == "eea_members") return Domain::kCountry;
    return std::nullopt;
  };
  env.is_definition = [](const std::string&) { return false; };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int length = 1 + static_cast<int>(rng() % 9);
    for (int k = 0; k < length; ++k) text += pieces[rng() % pieces.size()] + " ";
    ASSERT_NO_THROW({
      auto parsed = parse_expression(text);
      if (auto* e = std::get_if<Expr>(&parsed)) (void)check_expression(*e, env);
    }) << text;
  }
}

}  // namespace
}  // namespace xborder::robustness_test
