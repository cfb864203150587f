// The simulation core: scenario validation, the pinned replay timelines of the shipped scenarios,
// Monte Carlo determinism, and Monte Carlo against the exact Markov answer.
#include "scenarios/simulation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "scenarios/markov.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/simulation_report.hpp"
#include "tests/test_support.hpp"

namespace xborder::simulation_test {
namespace {

using nlohmann::json;

struct Loaded {
  std::optional<Scenario> scenario;
  std::optional<RuleBase> rules;  // restricted to the scenario's places
  Diagnostics diagnostics;
};

Loaded load(const std::filesystem::path& file) {
  Loaded out;
  auto r = load_scenario(file, testing::reference(), testing::shipped_rules());
  out.diagnostics = r.diagnostics;
  if (!r.scenario) return out;
  auto rules = load_rule_base(testing::source_dir() / "jurisdictions",
                              testing::reference().country_codes(), r.scenario->places);
  out.rules = std::move(rules.rules);
  out.scenario = std::move(r.scenario);
  return out;
}

std::filesystem::path shipped(const std::string& name) {
  return testing::source_dir() / "scenarios" / name / "simulation.json";
}

// A scenario file written to a temporary directory, its base model given by absolute path.
std::filesystem::path write_scenario(const std::string& name, json doc,
                                     const std::string& model = "eu-jp-us-transfer") {
  const auto dir = std::filesystem::temp_directory_path() / "xborder-simulation-test";
  std::filesystem::create_directories(dir);
  if (!doc.contains("model"))
    doc["model"] = (testing::source_dir() / "scenarios" / model / "model.json").string();
  const auto file = dir / (name + ".json");
  std::ofstream(file) << doc.dump(2);
  return file;
}

// The seed model eu-jp-us-transfer with one more region for `eu-crm`, written to a temporary file.
std::filesystem::path model_with_eu_crm_region(const std::string& name, const json& region) {
  const auto dir = std::filesystem::temp_directory_path() / "xborder-simulation-test";
  std::filesystem::create_directories(dir);
  json model = json::parse(
      testing::read_text(testing::source_dir() / "scenarios" / "eu-jp-us-transfer" / "model.json"));
  for (auto& s : model["systems"]) {
    if (s["id"] == "eu-crm") s["regions"].push_back(region);
  }
  const auto file = dir / (name + ".json");
  std::ofstream(file) << model.dump(2);
  return file;
}

json minimal(json timeline, json stochastic = json::array()) {
  return json{{"format", "xborder-scenario/1"},  {"name", "test"},
              {"start", "2024-01-01"},           {"horizon", "3y"},
              {"timeline", std::move(timeline)}, {"stochastic", std::move(stochastic)}};
}

bool has_interval(const ReplayResult& r, const std::string& rule, const std::string& edge,
                  const std::string& from, const std::string& to) {
  for (const auto& i : r.intervals) {
    if (i.key.rule == rule && i.key.edge == edge && i.key.verdict == Verdict::kViolation &&
        i.from.to_string() == from && i.to.to_string() == to)
      return true;
  }
  return false;
}

// --- the shipped scenarios: pinned timelines

class ShippedScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedScenario, ReplayMatchesPinnedTimeline) {
  auto loaded = load(shipped(GetParam()));
  ASSERT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  ASSERT_TRUE(loaded.rules);
  Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
  SimulationReport report;
  report.scenario_file = "scenarios/" + GetParam() + "/simulation.json";
  report.scenario = &*loaded.scenario;
  report.replay = replay(sim);
  const json j = simulation_to_json(report);
  testing::expect_golden(
      testing::source_dir() / "scenarios" / GetParam() / "expected-timeline.json",
      json{{"segments", j["replay"]["segments"]}, {"intervals", j["replay"]["intervals"]}}.dump(2) +
          "\n");
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ShippedScenario,
                         ::testing::Values("cloud-failover", "eu-us-replay",
                                           "subprocessor-addition"),
                         [](const auto& info) { return testing::param_name(info.param); });

// The EU-US replay shows the Schrems II gaps where the law puts them.
TEST(Replay, EuUsGapsFollowSchremsTwoAndTheDpf) {
  auto loaded = load(shipped("eu-us-replay"));
  ASSERT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
  const auto r = replay(sim);
  // Safe Harbour falls on 2015-10-06 (Directive 95/46/EC then); the importer joins the Privacy
  // Shield on 2016-09-30.
  EXPECT_TRUE(has_interval(r, "EU-DPD-25", "to-analytics", "2015-10-06", "2016-09-30"));
  // Privacy Shield falls on 2020-07-16; the importer is on the DPF list from 2023-07-17.
  EXPECT_TRUE(has_interval(r, "EU-GDPR-44", "to-analytics", "2020-07-16", "2023-07-17"));
  // SCCs stay valid, but need a TIA from Schrems II until the shop documents one.
  EXPECT_TRUE(has_interval(r, "EU-GDPR-46-TIA", "to-support", "2020-07-16", "2021-03-01"));
  // A processor seeing the data in the clear in the US: no supplementary measure until the DPF.
  EXPECT_TRUE(has_interval(r, "EU-GDPR-46-UC6", "to-support", "2020-07-16", "2023-07-10"));
  EXPECT_EQ(r.intervals.size(), 4u);
  // The SCC transfer is lawful under the Directive throughout (2010/87/EU stayed valid).
  for (const auto& i : r.intervals) {
    if (i.key.edge == "to-support") {
      EXPECT_GE(i.from.to_string(), "2020-07-16") << i.key.rule;
    }
  }
}

TEST(Replay, SubProcessorAdditionIsNonCompliantUntilTheContracts) {
  auto loaded = load(shipped("subprocessor-addition"));
  ASSERT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
  const auto r = replay(sim);
  EXPECT_TRUE(has_interval(r, "EU-GDPR-44-ONWARD", "jp-to-india", "2025-02-01", "2025-06-01"));
  EXPECT_TRUE(has_interval(r, "JP-APPI-28", "jp-to-india", "2025-02-01", "2025-06-01"));
  // Until the PPC-standard contract, the provision abroad also needs the Art. 29 record (PPC Q&A
  // 13-2); with the contract the entrustment is exempt from it.
  EXPECT_TRUE(has_interval(r, "JP-APPI-29", "jp-to-india", "2025-02-01", "2025-06-01"));
  // The data is handled in India: the country is not named among the security control measures
  // (Guidelines 10-7), whatever the contract says.
  EXPECT_TRUE(
      has_interval(r, "JP-APPI-23-EXTERNAL-ENV", "jp-to-india", "2025-02-01", "2027-01-01"));
  // Nor is India's regime understood (PPC Q&A 12-3) until the assessment the scenario adds on
  // 2025-06-01 (a `tia`).
  EXPECT_TRUE(
      has_interval(r, "JP-APPI-23-FOREIGN-REGIME", "jp-to-india", "2025-02-01", "2025-06-01"));
  // Nor is the Indian entrustee's supervision recorded (APPI Art. 25, since issue 13): the
  // contract of 2025-06-01 gives it a PPC-standard system, not the entruster's oversight.
  EXPECT_TRUE(has_interval(r, "JP-APPI-25", "jp-to-india", "2025-02-01", "2027-01-01"));
  EXPECT_EQ(r.intervals.size(), 6u);
}

TEST(Replay, FailoverAcrossTheBorderAddsTheUsCopyForTheOutage) {
  auto loaded = load(shipped("cloud-failover"));
  ASSERT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
  const auto r = replay(sim);
  EXPECT_TRUE(has_interval(r, "JP-APPI-28",
                           "remote_access:c-storage@country:US->access:c-storage/cloud-c-parent",
                           "2027-03-01", "2027-03-15"));
  // The Japanese copy is not there during the outage.
  EXPECT_TRUE(has_interval(r, "JP-APPI-28",
                           "remote_access:c-storage@country:JP->access:c-storage/cloud-c-parent",
                           "2027-03-15", "2031-12-01"));
}

// "A decision falls" and "a law changes" are fact edits of the rule base, active from their date.
TEST(Replay, FactEditsChangeTheRuleBaseFromTheirDate) {
  json doc = minimal(json::array(
      {json{{"id", "japan-adequacy-falls"},
            {"at", "2025-03-01"},
            {"event", {{"type", "fact_ends"}, {"fact", "eu_adequacy"}, {"value", "JP"}}}},
       json{{"id", "japan-adequacy-again"},
            {"at", "2025-09-01"},
            {"event", {{"type", "fact_starts"}, {"fact", "eu_adequacy"}, {"value", "JP"}}}}}));
  doc["places"] = json::array({"eu-gdpr"});
  auto loaded = load(write_scenario("fact-edits", doc));
  ASSERT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  EXPECT_EQ(testing::find_diagnostic(loaded.diagnostics, "XB-SIM-039", "/timeline/0/event/fact"),
            nullptr);
  Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
  const auto r = replay(sim);
  // Both events are active from 2025-09-01: the new entry holds even though the old one ended.
  EXPECT_TRUE(has_interval(r, "EU-GDPR-44", "to-japan", "2025-03-01", "2025-09-01"));
  EXPECT_EQ(r.intervals.size(), 1u);
}

// Correlation through the parent chain: the group's certification lapsing takes the subsidiary's
// with it only when the event says so.
TEST(Replay, CertificationLapseReachesSubsidiariesThroughTheParentChain) {
  auto run = [&](bool subsidiaries) {
    json doc = minimal(json::array({json{{"id", "lapse"},
                                         {"at", "2025-01-01"},
                                         {"event",
                                          {{"type", "certification_ends"},
                                           {"party", "a-group"},
                                           {"scheme", "dpf"},
                                           {"subsidiaries", subsidiaries}}}}}));
    doc["places"] = json::array({"eu-gdpr"});
    auto loaded = load(write_scenario("lapse", doc));
    EXPECT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
    Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
    return replay(sim);
  };
  EXPECT_TRUE(has_interval(run(true), "EU-GDPR-44", "to-us", "2025-01-01", "2027-01-01"));
  EXPECT_TRUE(run(false).intervals.empty());
}

// Without `to`, a system moves to its own failover region; systems without one stay.
TEST(Replay, RegionOutageMovesSystemsToTheirFailoverRegion) {
  const auto model_file = model_with_eu_crm_region(
      "failover-model", {{"location", "country:IN"},
                         {"role", "failover"},
                         {"safeguards", json::array({{{"type", "transfer_notice"}}})}});
  json doc = minimal(
      json::array({json{{"id", "de-outage"},
                        {"at", "2025-01-01"},
                        {"until", "2025-01-15"},
                        {"event", {{"type", "region_failover"}, {"region", "country:DE"}}}}}));
  doc["model"] = model_file.string();
  doc["places"] = json::array({"eu-gdpr"});
  auto loaded = load(write_scenario("outage", doc));
  ASSERT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  const auto edited = apply_model_edits(*loaded.scenario, 1);
  json regions;
  for (const auto& s : edited.document["systems"]) {
    if (s["id"] == "eu-crm") regions = s["regions"];
  }
  EXPECT_EQ(regions, json::array({json{{"location", "country:IN"}, {"role", "primary"}}}));
  Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
  const auto r = replay(sim);
  EXPECT_EQ(r.segments.size(), 3u);
}

// --- validation

TEST(ScenarioValidation, DanglingIdsBadDatesAndUnknownKeysPointIntoTheScenario) {
  const json timeline = json::array(
      {json{{"id", "a"},
            {"at", "2024-02-30"},
            {"event", {{"type", "certification_ends"}, {"party", "a-uss"}, {"scheme", "dpf"}}}},
       json{{"id", "b"},
            {"at", "2024-03-01"},
            {"event", {{"type", "fact_ends"}, {"fact", "eu_adequacyy"}, {"value", "US"}}}},
       json{{"id", "c"},
            {"at", "2024-03-01"},
            {"colour", "red"},
            {"event", {{"type", "region_failover"}, {"region", "country:FR"}}}},
       json{{"id", "d"},
            {"at", "2024-03-01"},
            {"event",
             {{"type", "add_safeguard"}, {"flow", "to-usa"}, {"safeguard", {{"type", "tia"}}}}}},
       json{{"id", "e"},
            {"at", "2024-03-01"},
            {"event", {{"type", "fact_ends"}, {"fact", "eu_adequacy"}, {"value", "XX"}}}}});
  const auto file = write_scenario("bad-refs", minimal(timeline));
  auto r = load_scenario(file, testing::reference(), testing::shipped_rules());
  EXPECT_FALSE(r.scenario);
  testing::expect_error(r.diagnostics, false, "XB-SIM-007", "/timeline/0/at");
  testing::expect_error(r.diagnostics, false, "XB-SIM-009", "/timeline/2/colour");
  // Dates are checked first; the references once the file itself is well formed.
  const json fixed = minimal(json::array(
      {json{{"id", "a"},
            {"at", "2024-02-01"},
            {"event", {{"type", "certification_ends"}, {"party", "a-uss"}, {"scheme", "dpf"}}}},
       timeline[1], json{{"id", "c"}, {"at", "2024-03-01"}, {"event", timeline[2]["event"]}},
       timeline[3], timeline[4]}));
  auto r2 = load_scenario(write_scenario("bad-refs-2", fixed), testing::reference(),
                          testing::shipped_rules());
  EXPECT_FALSE(r2.scenario);
  const auto& party =
      testing::expect_error(r2.diagnostics, false, "XB-SIM-032", "/timeline/0/event/party");
  EXPECT_EQ(party.hint.value_or("").rfind("did you mean `a-us`?", 0), 0u) << *party.hint;
  testing::expect_error(r2.diagnostics, false, "XB-SIM-033", "/timeline/1/event/fact");
  testing::expect_error(r2.diagnostics, false, "XB-SIM-031", "/timeline/2/event/region");
  testing::expect_error(r2.diagnostics, false, "XB-SIM-035", "/timeline/3/event/flow");
  testing::expect_error(r2.diagnostics, false, "XB-SIM-034", "/timeline/4/event/value");
  for (const auto& d : r2.diagnostics.items()) EXPECT_EQ(d.file, r2.diagnostics.items()[0].file);
}

// The scenario loaded, with a warning of this code at this pointer (nullptr, and a failure, if
// not).
const Diagnostic* loaded_with_warning(const Loaded& loaded, const std::string& code,
                                      const std::string& pointer) {
  EXPECT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  const Diagnostic* d = testing::find_diagnostic(loaded.diagnostics, code, pointer);
  EXPECT_NE(d, nullptr) << code << " at " << pointer << "\n"
                        << testing::render_all(loaded.diagnostics);
  if (d) {
    EXPECT_EQ(d->severity, Severity::kWarning);
  }
  return loaded.scenario ? d : nullptr;
}

// Events that load but cannot do what they say are warnings, so a user learns why a replay shows
// no change.
TEST(ScenarioValidation, EventsThatChangeNothingAreWarned) {
  json doc = minimal(json::array(
      {json{{"id", "designation-ends"},
            {"at", "2025-03-01"},
            {"event",
             {{"type", "fact_ends"}, {"fact", "appi_designated_countries"}, {"value", "DE"}}}}}));
  doc["places"] = json::array({"eu-gdpr"});
  auto loaded = load(write_scenario("unread-fact", doc));
  const Diagnostic* unread = loaded_with_warning(loaded, "XB-SIM-039", "/timeline/0/event/fact");
  ASSERT_NE(unread, nullptr);
  EXPECT_NE(unread->hint.value_or("").find("jp-appi"), std::string::npos) << *unread->hint;

  const auto model_file = model_with_eu_crm_region(
      "failover-elsewhere-model", {{"location", "country:FR"}, {"role", "failover"}});
  json outage = minimal(json::array({json{{"id", "de-outage"},
                                          {"at", "2025-01-01"},
                                          {"until", "2025-01-15"},
                                          {"event",
                                           {{"type", "region_failover"},
                                            {"region", "country:DE"},
                                            {"systems", json::array({"eu-crm", "us-crm"})}}}}}));
  outage["model"] = model_file.string();
  auto moved = load(write_scenario("failover-elsewhere", outage));
  ASSERT_NE(loaded_with_warning(moved, "XB-SIM-038", "/timeline/0/event/systems/1"), nullptr);
  EXPECT_EQ(
      testing::find_diagnostic(moved.diagnostics, "XB-SIM-038", "/timeline/0/event/systems/0"),
      nullptr);
}

TEST(ScenarioValidation, FragmentErrorsAreReportedInTheScenarioFile) {
  const json timeline = json::array({json{
      {"id", "sub"},
      {"at", "2024-06-01"},
      {"event",
       {{"type", "add"},
        {"fragment",
         {{"flows", json::array({json{{"id", "x"},
                                      {"event", "transfer"},
                                      {"from", "jp-crm"},
                                      {"to", "nowhere"},
                                      {"datasets", json::array({"eu-customer-data"})}}})}}}}}}});
  const auto file = write_scenario("bad-fragment", minimal(timeline));
  auto r = load_scenario(file, testing::reference(), testing::shipped_rules());
  EXPECT_FALSE(r.scenario);
  ASSERT_TRUE(r.diagnostics.has_errors());
  bool found = false;
  for (const auto& d : r.diagnostics.items()) {
    if (d.pointer.rfind("/timeline/0/event/fragment/flows/0", 0) == 0) {
      found = true;
      EXPECT_EQ(d.file, file);
    }
  }
  EXPECT_TRUE(found) << testing::render_all(r.diagnostics);
}

TEST(ScenarioValidation, RatesAndHorizons) {
  json doc = minimal(
      json::array(),
      json::array({json{
          {"id", "s"},
          {"rate_per_year", -1},
          {"event", {{"type", "certification_ends"}, {"party", "a-us"}, {"scheme", "dpf"}}}}}));
  doc["horizon"] = "5 years";
  auto r = load_scenario(write_scenario("bad-rate", doc), testing::reference(),
                         testing::shipped_rules());
  testing::expect_error(r.diagnostics, false, "XB-SIM-023", "/stochastic/0/rate_per_year");
  testing::expect_error(r.diagnostics, false, "XB-SIM-021", "/horizon");
  EXPECT_EQ(add_horizon(*Date::parse("2024-01-31"), "1m")->to_string(), "2024-02-29");
  EXPECT_EQ(add_horizon(*Date::parse("2024-02-29"), "1y")->to_string(), "2025-02-28");
  EXPECT_EQ(add_horizon(*Date::parse("2024-01-01"), "365d")->to_string(), "2024-12-31");
  EXPECT_FALSE(add_horizon(*Date::parse("2024-01-01"), "0y"));
}

// --- Monte Carlo

// A compliant base (EU→JP adequacy, EU→US under the DPF from 2023-07-17) and two independent
// stochastic events that each break it: the US importer's DPF certification lapses (and may be
// renewed), and A Japan adds an Indian sub-processor without contracts (and may drop it).
std::filesystem::path markov_scenario() {
  json fragment = {
      {"parties", json::array({json{{"id", "in-support"},
                                    {"country", "IN"},
                                    {"parent", nullptr},
                                    {"roles", json::array({"sub_processor"})}}})},
      {"systems", json::array({json{{"id", "in-desk"},
                                    {"tier", "saas"},
                                    {"operator", "in-support"},
                                    {"regions", json::array({json{{"location", "country:IN"}}})},
                                    {"operator_handles_data", true}}})},
      {"flows", json::array({json{{"id", "jp-to-india"},
                                  {"event", "transfer"},
                                  {"from", "jp-crm"},
                                  {"to", "in-desk"},
                                  {"datasets", json::array({"eu-customer-data"})},
                                  {"relationship", "controller_to_processor"}}})}};
  json doc = minimal(
      json::array(),
      json::array(
          {json{{"id", "dpf-lapse"},
                {"rate_per_year", 0.15},
                {"recovery_per_year", 4},
                {"event", {{"type", "certification_ends"}, {"party", "a-us"}, {"scheme", "dpf"}}}},
           json{{"id", "sub-processor"},
                {"probability_per_year", 0.2},
                {"recovery_per_year", 1.5},
                {"event", {{"type", "add"}, {"fragment", fragment}}}}}));
  doc["places"] = json::array({"eu-gdpr", "us-access"});
  return write_scenario("markov", doc);
}

TEST(MonteCarlo, SameSeedSameResultWhateverTheThreads) {
  auto loaded = load(markov_scenario());
  ASSERT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  auto run = [&](std::uint64_t seed, unsigned threads) {
    Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
    SimulationReport report;
    report.scenario = &*loaded.scenario;
    report.replay = replay(sim);
    report.monte_carlo = monte_carlo(sim, MonteCarloOptions{500, seed, threads});
    report.monte_carlo->world_states = 0;  // depends on what was visited first
    return simulation_to_json(report).dump();
  };
  const std::string one = run(42, 1);
  EXPECT_EQ(one, run(42, 2));
  EXPECT_EQ(one, run(42, 3));
  EXPECT_NE(one, run(43, 2));
}

TEST(MonteCarlo, AgreesWithTheExactMarkovAnswer) {
  auto loaded = load(markov_scenario());
  ASSERT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
  const auto exact = analytic(sim);
  ASSERT_TRUE(exact.available) << exact.reason;
  // Non-trivial: neither certain nor impossible.
  EXPECT_GT(exact.p_violation, 0.3);
  EXPECT_LT(exact.p_violation, 0.9);
  const auto mc = monte_carlo(sim, MonteCarloOptions{20000, 2026, 0});
  EXPECT_LE(mc.p_violation.low, exact.p_violation);
  EXPECT_GE(mc.p_violation.high, exact.p_violation);
  EXPECT_LE(mc.violated_days.low, exact.violated_days);
  EXPECT_GE(mc.violated_days.high, exact.violated_days);
  // And the intervals are tight enough to mean something.
  EXPECT_LT(mc.p_violation.high - mc.p_violation.low, 0.02);
}

TEST(Markov, OneEventWithoutRecoveryMatchesTheClosedForm) {
  json doc = minimal(
      json::array(),
      json::array({json{
          {"id", "lapse"},
          {"rate_per_year", 0.4},
          {"event", {{"type", "certification_ends"}, {"party", "a-us"}, {"scheme", "dpf"}}}}}));
  doc["places"] = json::array({"eu-gdpr"});
  auto loaded = load(write_scenario("closed-form", doc));
  ASSERT_TRUE(loaded.scenario) << testing::render_all(loaded.diagnostics);
  Simulator sim(*loaded.scenario, *loaded.rules, testing::reference());
  const auto exact = analytic(sim);
  ASSERT_TRUE(exact.available);
  const double days = loaded.scenario->end.days() - loaded.scenario->start.days();
  const double rate = 0.4 / 365.25;
  // The lapse breaks EU-GDPR-44 on the US transfer: P = 1 - e^{-λT}, E[days] = T - (1 - e^{-λT})/λ.
  EXPECT_NEAR(exact.p_violation, 1 - std::exp(-rate * days), 1e-9);
  EXPECT_NEAR(exact.violated_days, days - (1 - std::exp(-rate * days)) / rate, 1e-6);
  EXPECT_NEAR(exact.events[0].p_active_at_end, 1 - std::exp(-rate * days), 1e-9);
}

}  // namespace
}  // namespace xborder::simulation_test
