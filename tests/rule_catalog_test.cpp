// `xborder rules list|diff|lint`: what is in force at a date, what changed between two dates
// (Schrems II on the shipped packs), and the lint of provenance and validity intervals.
#include "solver/rule_catalog.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "tests/test_support.hpp"

namespace xborder::rule_catalog_test {
namespace {

Date day(const char* text) {
  return *Date::parse(text);
}

Json citation(const std::string& instrument = "Test Act") {
  return {{"instrument", instrument},
          {"article", "Art. 1"},
          {"url", "https://example.org/act"},
          {"verified", "2024-01-01"}};
}

Json entry(const std::string& value, const char* from, const char* to,
           const std::string& instrument = "Test Act") {
  return {{"value", value},
          {"valid", {{"from", from}, {"to", to ? Json(to) : Json(nullptr)}}},
          {"citation", citation(instrument)}};
}

// A pack with one fact set `safe` holding `entries` and one rule.
Json pack_with(const Json& entries) {
  Json p = Json::parse(R"J({
    "format": "xborder-rules/1",
    "place": {"id": "lint-test", "name": {"en": "L", "ja": "L"}, "category": "organisation", "jurisdiction": "Acme"},
    "facts": {"safe": {"of": "country", "description": "safe countries"}},
    "rules": [{"id": "L-1", "title": {"en": "t", "ja": "t"}, "text": {"en": "t", "ja": "t"},
               "valid": {"from": "2018-05-25", "to": null},
               "applies": "event == 'transfer'", "requires": "importer.country in fact('safe')"}]
  })J");
  p["facts"]["safe"]["entries"] = entries;
  p["rules"][0]["citation"] = citation();
  return p;
}

RuleBase load(const Json& pack) {
  auto r = testing::rules_from_json({pack.dump()});
  for (const auto& d : r.diagnostics.items()) ADD_FAILURE() << render_diagnostic(d);
  if (!r.rules) throw std::runtime_error("pack failed to load");
  return std::move(*r.rules);
}

std::vector<std::string> codes(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d.sorted()) out.push_back(x.code + " " + x.pointer);
  return out;
}

TEST(RulesLint, CleanPackHasNoDefects) {
  auto rb = load(pack_with(
      Json::array({entry("JP", "2019-01-23", nullptr), entry("GB", "2021-06-28", nullptr)})));
  EXPECT_TRUE(lint(rb, day("2026-01-01")).items().empty());
}

TEST(RulesLint, OverlappingIntervalsOfOneFactFail) {
  auto rb = load(pack_with(
      Json::array({entry("US", "2016-07-12", "2020-07-16"), entry("US", "2020-01-01", nullptr)})));
  auto d = lint(rb, day("2026-01-01"));
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(codes(d), std::vector<std::string>{"XB-LINT-005 /facts/safe/entries/1/valid"});
}

TEST(RulesLint, GappedIntervalsOfOneFactFailButAnotherInstrumentMayResume) {
  auto gapped = load(pack_with(
      Json::array({entry("US", "2016-07-12", "2020-07-16"), entry("US", "2023-07-10", nullptr)})));
  EXPECT_EQ(codes(lint(gapped, day("2026-01-01"))),
            std::vector<std::string>{"XB-LINT-006 /facts/safe/entries/1/valid"});
  // Privacy Shield and the DPF are different instruments: no gap within one fact.
  auto resumed =
      load(pack_with(Json::array({entry("US", "2016-07-12", "2020-07-16", "Decision 2016/1250"),
                                  entry("US", "2023-07-10", nullptr, "Decision 2023/1795")})));
  EXPECT_TRUE(lint(resumed, day("2026-01-01")).items().empty());
  // Adjacent intervals (the next starts on the first day the previous no longer holds) are fine.
  auto adjacent = load(pack_with(
      Json::array({entry("GB", "2021-06-28", "2025-12-28"), entry("GB", "2025-12-28", nullptr)})));
  EXPECT_TRUE(lint(adjacent, day("2026-01-01")).items().empty());
}

TEST(RulesLint, MissingProvenanceAndFutureVerificationFail) {
  Json p = pack_with(Json::array({entry("JP", "2019-01-23", nullptr)}));
  p["rules"][0]["citation"]["article"] = "";
  p["facts"]["safe"]["entries"][0]["citation"]["verified"] = "2030-01-01";
  auto d = lint(load(p), day("2026-01-01"));
  EXPECT_EQ(codes(d),
            (std::vector<std::string>{"XB-LINT-003 /facts/safe/entries/0/citation/verified",
                                      "XB-LINT-001 /rules/0/citation"}));
}

TEST(RulesLint, UnverifiedFactsAndPlainHttpAreWarnings) {
  Json p = pack_with(Json::array({entry("JP", "2019-01-23", nullptr)}));
  p["facts"]["safe"]["entries"][0]["confidence"] = "unverified";
  p["facts"]["safe"]["entries"][0]["citation"]["url"] = "http://example.org/act";
  auto d = lint(load(p), day("2026-01-01"));
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(codes(d), (std::vector<std::string>{"XB-LINT-002 /facts/safe/entries/0/citation/url",
                                                "XB-LINT-007 /facts/safe/entries/0/confidence"}));
}

TEST(RulesLint, DisagreeingSourcesAreLintedLikeCitations) {
  Json p = pack_with(Json::array({entry("US", "2023-07-10", nullptr)}));
  Json other = {{"citation", citation("Law firm update")}, {"says", "in force on 2023-07-11"}};
  p["facts"]["safe"]["entries"][0]["sources_disagree"] = Json::array({other});
  p["facts"]["safe"]["entries"][0]["follows"] = "the Commission: 2023-07-10";
  EXPECT_TRUE(lint(load(p), day("2026-01-01")).items().empty());
  // A disagreeing source without its URL, or verified in the future, is a defect.
  p["facts"]["safe"]["entries"][0]["sources_disagree"][0]["citation"]["url"] = "";
  p["rules"][0]["sources_disagree"] = Json::array({other});
  p["rules"][0]["sources_disagree"][0]["citation"]["verified"] = "2030-01-01";
  p["rules"][0]["follows"] = "the statute";
  EXPECT_EQ(
      codes(lint(load(p), day("2026-01-01"))),
      (std::vector<std::string>{"XB-LINT-001 /facts/safe/entries/0/sources_disagree/0/citation",
                                "XB-LINT-003 /rules/0/sources_disagree/0/citation/verified"}));
}

TEST(RulesLint, CatalogueCarriesDisagreeingSources) {
  Json p = pack_with(Json::array({entry("US", "2023-07-10", nullptr)}));
  p["facts"]["safe"]["entries"][0]["sources_disagree"] =
      Json::array({{{"citation", citation("Law firm update")}, {"says", "from 2023-07-11"}}});
  p["facts"]["safe"]["entries"][0]["follows"] = "the Commission";
  const auto items = catalogue(load(p));
  const auto it = std::find_if(items.begin(), items.end(),
                               [](const CatalogueItem& i) { return i.id == "safe:US"; });
  ASSERT_NE(it, items.end());
  ASSERT_EQ(it->disagreements.size(), 1u);
  EXPECT_EQ(it->disagreements[0].citation.instrument, "Law firm update");
  EXPECT_EQ(it->follows, "the Commission");
}

TEST(RulesLint, UnknownVocabularyIsALintDefect) {
  // A misspelt certification scheme, SCC set or country is rejected by the loader; lint reports
  // each as XB-LINT-008 and keeps the loader's code in the hint.
  Json p = pack_with(Json::array({entry("UK", "2021-06-28", nullptr)}));
  p["rules"][0]["requires"] = "'dpff' in importer.certifications or safeguard.scc_set == '2021/91'";
  auto loaded = testing::rules_from_json({p.dump()});
  ASSERT_FALSE(loaded.rules);
  const auto d = lint_load_errors(loaded.diagnostics);
  EXPECT_TRUE(d.has_errors());
  std::vector<std::string> seen;
  for (const auto& x : d.sorted()) {
    seen.push_back(x.code + " " + x.pointer);
    EXPECT_EQ(x.message.rfind("unknown vocabulary: ", 0), 0u) << x.message;
    ASSERT_TRUE(x.hint);
    EXPECT_NE(x.hint->find("XB-RULES-04"), std::string::npos) << *x.hint;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"XB-LINT-008 /facts/safe/entries/0/value",
                                            "XB-LINT-008 /rules/0/requires"}));
  // Errors that are not about vocabulary (an unknown key) are passed on unchanged.
  Json q = pack_with(Json::array({entry("JP", "2019-01-23", nullptr)}));
  q["rules"][0]["applies_to"] = "true";
  auto bad = testing::rules_from_json({q.dump()});
  ASSERT_FALSE(bad.rules);
  EXPECT_EQ(codes(lint_load_errors(bad.diagnostics)),
            std::vector<std::string>{"XB-RULES-009 /rules/0/applies_to"});
}

TEST(RulesLint, ShippedPacksHaveNoErrors) {
  auto d = lint(testing::shipped_rules(), day("2026-12-07"));
  EXPECT_FALSE(d.has_errors()) << testing::render_all(d);
}

TEST(RulesCatalogue, InForceFollowsValidity) {
  auto rb = load(pack_with(
      Json::array({entry("US", "2016-07-12", "2020-07-16"), entry("JP", "2019-01-23", nullptr)})));
  auto ids = [](const std::vector<CatalogueItem>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.kind + ":" + i.id);
    return out;
  };
  EXPECT_EQ(ids(in_force(rb, day("2020-07-15"))),
            (std::vector<std::string>{"fact:safe:JP", "fact:safe:US", "rule:L-1"}));
  EXPECT_EQ(ids(in_force(rb, day("2020-07-16"))),
            (std::vector<std::string>{"fact:safe:JP", "rule:L-1"}));
}

TEST(RulesCatalogue, SchremsIIIsWhatChangedOnTheShippedPacks) {
  const auto changes =
      changes_between(testing::shipped_rules(), day("2020-07-15"), day("2020-07-17"));
  std::vector<std::string> seen;
  for (const auto& c : changes) seen.push_back(std::string(c.started ? "+" : "-") + c.item.id);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen,
            (std::vector<std::string>{"+EU-GDPR-46-TIA", "+EU-GDPR-46-UC6", "+EU-GDPR-TRANSIT",
                                      "+eu_problematic_government_access:US", "-eu_adequacy:US",
                                      "-eu_problematic_government_access:US"}));
}

// `rules lint` counts the official examples beside each shipped pack; a pack with fewer than five
// is warned about, an organisation's own pack (outside the rules directory) is not.
TEST(RuleLint, VectorCoverageCountsOfficialExamplesPerPackFolder) {
  namespace fs = std::filesystem;
  const auto dir =
      fs::temp_directory_path() / ("xborder-vector-coverage-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "acme" / "vectors");
  std::ofstream(dir / "acme" / "policy.json")
      << pack_with(Json::array({entry("JP", "2018-05-25", nullptr)})).dump();
  auto vector = [&](const std::string& name, const char* kind) {
    Json v = {{"source", {{"kind", kind}}}};
    std::ofstream(dir / "acme" / "vectors" / (name + ".json")) << v.dump();
  };
  for (int k = 0; k < 4; ++k) vector("official-" + std::to_string(k), "official_example");
  vector("text", "rule_text");
  auto loaded = load_rule_base(dir, testing::reference().country_codes());
  ASSERT_TRUE(loaded.rules) << testing::render_all(loaded.diagnostics);
  auto d = vector_coverage(*loaded.rules, dir);
  ASSERT_EQ(d.items().size(), 1u) << testing::render_all(d);
  EXPECT_EQ(d.items()[0].code, "XB-LINT-009");
  EXPECT_EQ(d.items()[0].severity, Severity::kWarning);
  EXPECT_NE(d.items()[0].message.find("has 4 vectors from official examples (of 5"),
            std::string::npos)
      << d.items()[0].message;
  vector("official-4", "official_example");
  EXPECT_TRUE(vector_coverage(*loaded.rules, dir).items().empty());
  // The same pack given as the user's own policy, outside the rules directory: not counted.
  EXPECT_TRUE(vector_coverage(*loaded.rules, dir / "elsewhere").items().empty());
  fs::remove_all(dir);
}

// The packs read an instrument's "until D" with D included: `to` is D + 1 (XB-LINT-010 warns
// when a note says "until D" and `to` is D); the key `until` records D and the loader checks it.
TEST(RulesLint, UntilIsReadInclusively) {
  Json p = pack_with(Json::array({entry("GB", "2021-01-01", "2024-03-21")}));
  p["facts"]["safe"]["entries"][0]["note"] = "old clauses remain valid until 21 March 2024";
  auto d = lint(load(p), day("2026-01-01"));
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(codes(d), std::vector<std::string>{"XB-LINT-010 /facts/safe/entries/0/valid/to"});
  p["facts"]["safe"]["entries"][0]["valid"] = {
      {"from", "2021-01-01"}, {"to", "2024-03-22"}, {"until", "2024-03-21"}};
  EXPECT_TRUE(lint(load(p), day("2026-01-01")).items().empty());
  p["facts"]["safe"]["entries"][0]["citation"]["note"] = "safeguards until December 27, 2022";
  p["facts"]["safe"]["entries"][0]["valid"] = {{"from", "2021-01-01"}, {"to", "2022-12-27"}};
  EXPECT_EQ(codes(lint(load(p), day("2026-01-01"))),
            std::vector<std::string>{"XB-LINT-010 /facts/safe/entries/0/valid/to"});
  // `until` that is not the day before `to` does not load.
  p["facts"]["safe"]["entries"][0]["valid"] = {
      {"from", "2021-01-01"}, {"to", "2022-12-27"}, {"until", "2022-12-27"}};
  auto bad = testing::rules_from_json({p.dump()});
  EXPECT_FALSE(bad.rules);
  bool seen = false;
  for (const auto& x : bad.diagnostics.items()) seen = seen || x.code == "XB-RULES-025";
  EXPECT_TRUE(seen) << testing::render_all(bad.diagnostics);
}

// A citation by today's numbering must say how the provision was cited before it (XB-LINT-011);
// reports cite the provision as numbered at the check date.
TEST(RulesLint, CitationsFollowTheNumberingInForceAtTheDate) {
  Json p = pack_with(Json::array({entry("JP", "2019-01-23", nullptr)}));
  p["rules"][0]["citation"]["article"] = "Art. 28";
  p["rules"][0]["citation"]["numbering_from"] = "2022-04-01";
  EXPECT_EQ(codes(lint(load(p), day("2026-01-01"))),
            std::vector<std::string>{"XB-LINT-011 /rules/0/citation/by_date"});
  p["rules"][0]["citation"]["by_date"] = Json::array(
      {{{"valid", {{"from", "2018-05-25"}, {"to", "2022-04-01"}}}, {"article", "Art. 24"}}});
  auto rb = load(p);
  EXPECT_TRUE(lint(rb, day("2026-01-01")).items().empty());
  const Citation& c = rb.packs[0].rules[0].citation;
  EXPECT_EQ(c.at(day("2020-01-01")).article, "Art. 24");
  EXPECT_EQ(c.at(day("2022-04-01")).article, "Art. 28");
  EXPECT_EQ(c.at(day("2020-01-01")).instrument, "Test Act");
  // Two numberings on one day are an error.
  p["rules"][0]["citation"]["by_date"].push_back(
      {{"valid", {{"from", "2021-01-01"}, {"to", "2022-04-01"}}}, {"article", "Art. 24-2"}});
  EXPECT_EQ(codes(lint(load(p), day("2026-01-01"))),
            std::vector<std::string>{"XB-LINT-011 /rules/0/citation/by_date/1/valid"});
}

}  // namespace
}  // namespace xborder::rule_catalog_test
