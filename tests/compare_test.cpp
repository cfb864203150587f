// Gap analysis between regimes: hand-made regimes whose differences are known exactly, and the
// shipped packs on the seeds' transfer case (EU→JP versus EU→US, Schrems II, the DPF).
#include "solver/compare.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "reports/compare_report.hpp"
#include "test_support.hpp"
#include "tests/reference/run_settings.hpp"

namespace xborder::compare_test {
namespace {

using Json = nlohmann::json;

Json citation() {
  return Json{{"instrument", "Test Act"},
              {"article", "Art. 1"},
              {"url", "https://example.org/test"},
              {"verified", "2024-01-01"}};
}

// A regime with one basis rule: a transfer of personal data needs the importer's country in its
// safe list, or the one safeguard it accepts.
Json toy_regime(const std::string& id, const std::string& jurisdiction,
                const std::vector<std::string>& safe, const std::string& safeguard) {
  Json pack = Json::parse(R"({
    "format": "xborder-rules/1",
    "place": {"id": "", "name": {"en": "Toy", "ja": "テスト"}, "category": "personal_data",
              "jurisdiction": ""},
    "facts": {}, "definitions": {},
    "rules": [{
      "id": "", "kind": "basis",
      "title": {"en": "t", "ja": "t"}, "text": {"en": "t", "ja": "t"},
      "valid": {"from": "2018-01-01", "to": null},
      "applies": "event == 'transfer' and 'personal_data' in data.categories",
      "requires": []
    }]
  })");
  pack["place"]["id"] = id;
  pack["place"]["jurisdiction"] = jurisdiction;
  const std::string fact = id + "_safe";
  Json entries = Json::array();
  for (const auto& c : safe) {
    entries.push_back({{"value", c},
                       {"valid", {{"from", "2018-01-01"}, {"to", nullptr}}},
                       {"citation", citation()}});
  }
  pack["facts"][fact] = {{"of", "country"}, {"description", "safe"}, {"entries", entries}};
  auto& rule = pack["rules"][0];
  rule["id"] = id + "-1";
  rule["citation"] = citation();
  rule["requires"].push_back({{"id", "safe_country"},
                              {"title", {{"en", "safe"}, {"ja", "safe"}}},
                              {"expr", "importer.country in fact('" + fact + "')"}});
  rule["requires"].push_back(
      {{"id", "safeguard"}, {"title", {{"en", "s"}, {"ja", "s"}}}, {"expr", safeguard}});
  return pack;
}

RuleBase load(const std::vector<Json>& packs) {
  std::vector<std::string> texts;
  for (const auto& p : packs) texts.push_back(p.dump());
  auto r = testing::rules_from_json(texts);
  if (!r.rules) throw std::runtime_error(testing::render_all(r.diagnostics));
  return std::move(*r.rules);
}

std::vector<Regime> regimes(const RuleBase& rules, const std::vector<std::string>& texts,
                            Date at = *Date::parse("2024-01-01")) {
  std::vector<Regime> out;
  Diagnostics diags;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    RegimeSelection selection;
    selection.country_codes = testing::reference().country_codes();
    auto r = resolve_regime(rules, texts[i], at, "/regimes/" + std::to_string(i), diags, selection);
    if (!r) throw std::runtime_error(testing::render_all(diags));
    out.push_back(*r);
  }
  return out;
}

CompareResult run(const RuleBase& rules, const std::vector<Regime>& rs, CompareOptions options) {
  options.verify = true;  // every table is re-checked: each cell sound, the cells complete
  options.country_codes = testing::reference().country_codes();
  Diagnostics diags;
  auto result = compare_regimes(rules, rs, options, diags);
  if (!result) throw std::runtime_error(testing::render_all(diags));
  return std::move(*result);
}

std::vector<std::string> texts(const std::vector<GapCell>& cells) {
  std::vector<std::string> out;
  for (const auto& c : cells) {
    std::string t;
    for (const auto& cond : c.conditions)
      t += (t.empty() ? "" : " and ") + (cond.side.empty() ? "" : "[" + cond.side + "] ") +
           cond.text;
    out.push_back(t);
  }
  return out;
}

// A allows a transfer to CH or JP, or with SCCs; B allows CH or US, or with consent. What A
// allows and B forbids is exactly: no consent, the importer outside CH and US, and the importer
// in JP or SCCs — two prime classes, no more, no fewer.
class ToyRegimes : public ::testing::Test {
 protected:
  RuleBase rules = load({toy_regime("toy-a", "Toy A", {"CH", "JP"}, "safeguard.scc"),
                         toy_regime("toy-b", "Toy B", {"CH", "US"}, "safeguard.consent")});
  CompareOptions options() {
    CompareOptions o;
    o.frame = CompareFrame::kShared;
    o.detail = true;
    return o;
  }
};

TEST_F(ToyRegimes, FindsExactlyTheKnownDifferencesAsFlows) {
  const auto result = run(rules, regimes(rules, {"toy-a", "toy-b"}), options());
  ASSERT_EQ(result.tables.size(), 2u);
  const GapTable* a_not_b = result.table(0, 1);
  ASSERT_NE(a_not_b, nullptr);
  EXPECT_TRUE(a_not_b->complete);
  std::vector<std::string> flows;
  for (const auto& cls : a_not_b->cells) {
    for (const auto& t : texts(cls.flows)) flows.push_back(t);
  }
  std::sort(flows.begin(), flows.end());
  flows.erase(std::unique(flows.begin(), flows.end()), flows.end());
  EXPECT_EQ(flows, (std::vector<std::string>{
                       "'personal_data' in data.categories and event == 'transfer' and "
                       "importer.country == 'JP' and not safeguard.consent",
                       "'personal_data' in data.categories and event == 'transfer' and "
                       "importer.country not in ['CH', 'US'] and not safeguard.consent and "
                       "safeguard.scc"}));
  const GapTable* b_not_a = result.table(1, 0);
  ASSERT_NE(b_not_a, nullptr);
  flows.clear();
  for (const auto& cls : b_not_a->cells) {
    for (const auto& t : texts(cls.flows)) flows.push_back(t);
  }
  std::sort(flows.begin(), flows.end());
  flows.erase(std::unique(flows.begin(), flows.end()), flows.end());
  EXPECT_EQ(flows, (std::vector<std::string>{
                       "'personal_data' in data.categories and event == 'transfer' and "
                       "importer.country == 'US' and not safeguard.scc",
                       "'personal_data' in data.categories and event == 'transfer' and "
                       "importer.country not in ['CH', 'JP'] and safeguard.consent and "
                       "not safeguard.scc"}));
}

TEST_F(ToyRegimes, ClassesNameTheRoutesOnEachSide) {
  const auto result = run(rules, regimes(rules, {"toy-a", "toy-b"}), options());
  const GapTable* a_not_b = result.table(0, 1);
  ASSERT_NE(a_not_b, nullptr);
  ASSERT_EQ(a_not_b->cells.size(), 2u) << ::testing::PrintToString(texts(a_not_b->cells));
  for (const auto& cls : a_not_b->cells) {
    ASSERT_EQ(cls.forbidding.size(), 1u);
    EXPECT_EQ(cls.forbidding[0].rule_id, "toy-b-1");
    ASSERT_EQ(cls.allowing.size(), 1u);
    EXPECT_EQ(cls.allowing[0].rule_id, "toy-a-1");
    ASSERT_EQ(cls.allowing[0].routes.size(), 1u);  // the witness uses one route of A
    EXPECT_FALSE(cls.witness.empty());
  }
  // One class per route of A that B does not match.
  std::vector<std::string> routes;
  for (const auto& cls : a_not_b->cells) routes.push_back(cls.allowing[0].routes[0]);
  std::sort(routes.begin(), routes.end());
  EXPECT_EQ(routes, (std::vector<std::string>{"safe_country", "safeguard"}));
}

TEST_F(ToyRegimes, MaxCellsMarksTheTableIncomplete) {
  auto o = options();
  o.detail = false;
  o.verify = false;
  o.max_cells = 1;
  o.country_codes = testing::reference().country_codes();
  Diagnostics diags;
  const auto result = compare_regimes(rules, regimes(rules, {"toy-a", "toy-b"}), o, diags);
  ASSERT_TRUE(result) << testing::render_all(diags);
  const GapTable* a_not_b = result->table(0, 1);
  ASSERT_NE(a_not_b, nullptr);
  EXPECT_EQ(a_not_b->cells.size(), 1u);
  EXPECT_FALSE(a_not_b->complete);
  EXPECT_FALSE(compare_result_to_json(*result)["tables"][0]["complete"].get<bool>());
}

TEST_F(ToyRegimes, ARegimeAgainstItselfHasNoGap) {
  const auto result = run(rules, regimes(rules, {"toy-a", "toy-a@2020-01-01"}), options());
  EXPECT_EQ(result.stats.cells, 0u);
  for (const auto& t : result.tables) EXPECT_TRUE(t.complete);
}

TEST_F(ToyRegimes, ScopeRestrictsTheFlowsCompared) {
  auto o = options();
  o.scope = "importer.country == 'JP'";
  const auto result = run(rules, regimes(rules, {"toy-a", "toy-b"}), o);
  const GapTable* a_not_b = result.table(0, 1);
  ASSERT_NE(a_not_b, nullptr);
  ASSERT_FALSE(a_not_b->cells.empty());
  for (const auto& cls : a_not_b->cells) {
    for (const auto& [name, value] : cls.witness) {
      if (name == "importer.country") {
        EXPECT_EQ(value, "JP");
      }
    }
  }
  // Within JP, B allows only with consent, and then so does A (JP is safe for A).
  EXPECT_TRUE(result.table(1, 0)->cells.empty());
}

// Countries no condition tells apart (here DE, FR, IT, JP: only in A's safe list) are widened as
// one class; a country the scope names (FR) is asked about on its own. Every table is re-checked
// (sound and complete), so a class that wrongly carried FR along would fail the check.
TEST(CompareCountryClasses, AlikeCountriesWidenTogetherANamedOneApart) {
  const RuleBase rules =
      load({toy_regime("toy-a", "Toy A", {"CH", "DE", "FR", "IT", "JP"}, "safeguard.scc"),
            toy_regime("toy-b", "Toy B", {"CH", "US"}, "safeguard.consent")});
  CompareOptions o;
  o.frame = CompareFrame::kShared;
  o.detail = true;
  auto flows_naming = [&](const std::string& scope) {
    o.scope = scope;
    const auto result = run(rules, regimes(rules, {"toy-a", "toy-b"}), o);
    std::string all;
    for (const auto& cls : result.table(0, 1)->cells) {
      for (const auto& t : texts(cls.flows)) all += t + "\n";
    }
    return all;
  };
  const std::string unscoped = flows_naming("");
  // DE, FR, IT and JP together: every country but CH, US and the unnamed rest.
  EXPECT_NE(unscoped.find("importer.country not in ['CH', 'US', 'other']"), std::string::npos)
      << unscoped;
  const std::string without_fr = flows_naming("importer.country != 'FR'");
  EXPECT_NE(without_fr.find("importer.country not in ['FR', 'other']"), std::string::npos)
      << without_fr;
}

TEST_F(ToyRegimes, PerRegimeConditionsCompareTwoDestinations) {
  // The same regime, one side sending to JP and the other to US: what US needs that JP does not.
  auto rs = regimes(rules, {"toy-a", "toy-a"});
  rs[0].label = "toy-a to JP";
  rs[0].where = "importer.country == 'JP'";
  rs[1].label = "toy-a to US";
  rs[1].where = "importer.country == 'US'";
  const auto result = run(rules, rs, options());
  const GapTable* jp_not_us = result.table(0, 1);
  ASSERT_NE(jp_not_us, nullptr);
  ASSERT_EQ(jp_not_us->cells.size(), 1u);
  EXPECT_EQ(texts(jp_not_us->cells[0].flows),
            (std::vector<std::string>{"'personal_data' in data.categories and event == "
                                      "'transfer' and not safeguard.scc"}));
  EXPECT_TRUE(result.table(1, 0)->cells.empty());
}

TEST_F(ToyRegimes, HomeFrameNeedsAHome) {
  Diagnostics diags;
  CompareOptions o;
  o.frame = CompareFrame::kHome;
  auto r = compare_regimes(rules, regimes(rules, {"toy-a", "toy-b"}), o, diags);
  EXPECT_FALSE(r);
  testing::expect_error(diags, false, "XB-COMPARE-005", "/regimes/0");
}

TEST(CompareErrors, RegimesAndConditionsAreChecked) {
  const auto& rules = testing::shipped_rules();
  Diagnostics diags;
  EXPECT_FALSE(resolve_regime(rules, "EUX", Date::from_days(0), "/regimes/0", diags));
  const auto& unknown = testing::expect_error(diags, false, "XB-COMPARE-003", "/regimes/0");
  ASSERT_TRUE(unknown.hint);
  EXPECT_NE(unknown.hint->find("EU"), std::string::npos) << *unknown.hint;

  Diagnostics dates;
  EXPECT_FALSE(resolve_regime(rules, "EU@2020-13-01", Date::from_days(0), "/regimes/1", dates));
  testing::expect_error(dates, false, "XB-COMPARE-001", "/regimes/1");

  Diagnostics empty;
  EXPECT_FALSE(resolve_regime(rules, "EU+", Date::from_days(0), "/regimes/0", empty));
  testing::expect_error(empty, false, "XB-COMPARE-002", "/regimes/0");

  Diagnostics scope;
  CompareOptions o;
  o.scope = "importer.contry == 'US'";
  auto rs = regimes(rules, {"EU", "JP"});
  EXPECT_FALSE(compare_regimes(rules, rs, o, scope));
  const auto& bad = testing::expect_error(scope, false, "XB-COMPARE-010", "/scope");
  EXPECT_NE(bad.message.find("importer.contry"), std::string::npos) << bad.message;
}

TEST(CompareShipped, UkIsReadAsGbAndEuHasTheEeaAsHome) {
  Diagnostics diags;
  auto uk = resolve_regime(testing::shipped_rules(), "UK", Date::from_days(19000), "/r", diags);
  ASSERT_TRUE(uk) << testing::render_all(diags);
  EXPECT_EQ(uk->places, (std::vector<std::string>{"uk-gdpr"}));
  EXPECT_EQ(uk->home, (std::vector<std::string>{"GB"}));
  auto eu = resolve_regime(testing::shipped_rules(), "EU", Date::from_days(19000), "/r", diags);
  ASSERT_TRUE(eu);
  EXPECT_GE(eu->home.size(), 30u);  // EU member states and the EEA EFTA states
  EXPECT_NE(std::find(eu->home.begin(), eu->home.end(), "DE"), eu->home.end());
}

// A regime whose rules are not yet in force at the date compared forbids nothing; resolving it
// warns (XB-COMPARE-006) instead of letting the comparison read as "allows everything".
TEST(CompareShipped, ARegimeWithNoRuleInForceWarns) {
  const auto& rules = testing::shipped_rules();
  Diagnostics before;
  auto kr = resolve_regime(rules, "kr-pipa@2010-01-01", Date::from_days(0), "/regimes/1", before);
  ASSERT_TRUE(kr) << testing::render_all(before);
  EXPECT_FALSE(before.has_errors());
  ASSERT_EQ(before.items().size(), 1u) << testing::render_all(before);
  const auto& w = before.items()[0];
  EXPECT_EQ(w.code, "XB-COMPARE-006");
  EXPECT_EQ(w.severity, Severity::kWarning);
  EXPECT_EQ(w.pointer, "/regimes/1");
  ASSERT_TRUE(w.hint);
  EXPECT_NE(w.hint->find("2011-09-30"), std::string::npos) << *w.hint;

  Diagnostics in_force;  // the EU regime has rules in force in 2024 (its Directive pack does not)
  ASSERT_TRUE(resolve_regime(rules, "EU@2024-01-01", Date::from_days(0), "/regimes/0", in_force));
  EXPECT_TRUE(in_force.items().empty()) << testing::render_all(in_force);
}

// The warning is part of the result, so every format shows it whatever the exit code (before,
// the command line printed it only when the comparison failed).
TEST(CompareShipped, TheResultCarriesTheNotInForceWarningInEveryFormat) {
  const auto& rules = testing::shipped_rules();
  Diagnostics diags;
  std::vector<Regime> regimes;
  for (const char* text : {"kr-pipa@2010-06-01", "kr-pipa@2012-06-01"}) {
    auto r = resolve_regime(rules, text, Date::from_days(0),
                            "/regimes/" + std::to_string(regimes.size()), diags);
    ASSERT_TRUE(r) << testing::render_all(diags);
    regimes.push_back(*r);
  }
  CompareOptions options;
  options.basis_only = true;
  options.scope =
      "event == 'transfer' and 'personal_data' in data.categories and importer.country == 'US'";
  auto result = compare_regimes(rules, regimes, options, diags);
  ASSERT_TRUE(result) << testing::render_all(diags);
  ASSERT_EQ(result->warnings.items().size(), 1u) << testing::render_all(result->warnings);
  EXPECT_EQ(result->warnings.items()[0].code, "XB-COMPARE-006");
  EXPECT_EQ(result->warnings.items()[0].pointer, "/regimes/0");
  const auto doc = compare_result_to_json(*result);
  EXPECT_EQ(doc["schema_version"], "1.1.0");
  ASSERT_EQ(doc["warnings"].size(), 1u);
  EXPECT_EQ(doc["warnings"][0]["code"], "XB-COMPARE-006");
  EXPECT_NE(compare_result_to_text(*result).find("warning: regime `kr-pipa@2010-06-01`"),
            std::string::npos);
  EXPECT_NE(compare_result_to_markdown(*result).find("XB-COMPARE-006"), std::string::npos);
}

// Schrems II: what the EU allowed on 15 July 2020 and forbade on 17 July — the Privacy Shield.
TEST(CompareShipped, SchremsTwoIsTheOnlyChangeAroundJuly2020) {
  const auto& rules = testing::shipped_rules();
  CompareOptions o;
  o.basis_only = true;
  // Every flow of every class (--detail, about 20,000 queries) took a minute under the
  // sanitizers; there the classes alone are checked (cli_compare runs --detail there too).
  o.detail = !reference::kSanitized;
  const auto result = run(rules, regimes(rules, {"EU@2020-07-15", "EU@2020-07-17"}), o);
  EXPECT_EQ(result.frame, CompareFrame::kHome);
  const GapTable* before_not_after = result.table(0, 1);
  ASSERT_NE(before_not_after, nullptr);
  ASSERT_FALSE(before_not_after->cells.empty());
  for (const auto& cls : before_not_after->cells) {
    bool privacy_shield = false, us = false;
    for (const auto& [name, value] : cls.witness) {
      if (name == "importer.country") us = value == "US";
      if (name == "importer.certifications")
        privacy_shield = value.find("privacy_shield") != std::string::npos;
    }
    EXPECT_TRUE(us && privacy_shield) << texts({cls})[0];
    for (const auto& flow : cls.flows) {
      const std::string t = texts({flow})[0];
      EXPECT_NE(t.find("importer.country == 'US'"), std::string::npos) << t;
      EXPECT_NE(t.find("'privacy_shield' in importer.certifications"), std::string::npos) << t;
    }
  }
  EXPECT_TRUE(result.table(1, 0)->cells.empty());  // nothing became lawful that day
}

// The DPF (10 July 2023) works the other way: the later date allows what the earlier forbade.
TEST(CompareShipped, TheDataPrivacyFrameworkOpensUsTransfers) {
  const auto& rules = testing::shipped_rules();
  CompareOptions o;
  o.basis_only = true;
  const auto result = run(rules, regimes(rules, {"EU@2023-07-09", "EU@2023-07-11"}), o);
  EXPECT_TRUE(result.table(0, 1)->cells.empty()) << compare_result_to_text(result);
  const GapTable* after_not_before = result.table(1, 0);
  ASSERT_FALSE(after_not_before->cells.empty());
  for (const auto& cls : after_not_before->cells) {
    std::string certs;
    for (const auto& [name, value] : cls.witness) {
      if (name == "importer.certifications") certs = value;
    }
    EXPECT_NE(certs.find("dpf"), std::string::npos);
  }
}

// The seeds' case: EU personal data to A's Japan site versus A's US site, after Schrems II. The
// importers are companies: an international organisation in Japan is not covered by Japan's
// adequacy decision, so for it the Japanese side would need a transfer tool too.
TEST(CompareShipped, WhatEuToUsNeedsThatEuToJapanDoesNot) {
  const auto& rules = testing::shipped_rules();
  auto rs = regimes(rules, {"EU", "EU"}, *Date::parse("2021-01-01"));
  rs[0].label = "EU to JP";
  rs[0].where =
      "importer.country == 'JP' and importer.international_organisation == 'none' and "
      "importer.kind == 'company'";
  rs[1].label = "EU to US";
  rs[1].where =
      "importer.country == 'US' and importer.international_organisation == 'none' and "
      "importer.kind == 'company'";
  CompareOptions o;
  const auto result = run(rules, rs, o);
  const GapTable* jp_not_us = result.table(0, 1);
  ASSERT_NE(jp_not_us, nullptr);
  ASSERT_FALSE(jp_not_us->cells.empty());
  std::set<std::string> forbidding;
  for (const auto& cls : jp_not_us->cells) {
    for (const auto& r : cls.forbidding) forbidding.insert(r.rule_id);
    for (const auto& r : cls.allowing) {
      if (r.rule_id == "EU-GDPR-44") {
        EXPECT_NE(std::find(r.routes.begin(), r.routes.end(), "adequacy"), r.routes.end());
      }
    }
  }
  // No adequacy for the US in 2021: a transfer tool, and on top of it a transfer impact
  // assessment and measures against access by US authorities.
  EXPECT_TRUE(forbidding.count("EU-GDPR-44"));
  EXPECT_TRUE(forbidding.count("EU-GDPR-46-TIA"));
  EXPECT_TRUE(forbidding.count("EU-GDPR-46-UC6"));
  // Nothing is lawful towards the US that is not lawful towards Japan.
  EXPECT_TRUE(result.table(1, 0)->cells.empty());
}

TEST(CompareShipped, EuJapanUkMatrixIsSoundAndComplete) {
  const auto& rules = testing::shipped_rules();
  CompareOptions o;
  o.basis_only = true;
  const auto result = run(rules, regimes(rules, {"EU", "JP", "UK"}), o);  // verify throws if not
  EXPECT_EQ(result.frame, CompareFrame::kHome);
  EXPECT_EQ(result.tables.size(), 6u);
  // Japan's cloud exception: where the recipient does not handle the data, APPI sees no
  // provision, while the GDPR sees a transfer to a processor in a third country.
  const GapTable* jp_not_eu = result.table(1, 0);
  ASSERT_NE(jp_not_eu, nullptr);
  bool cloud_exception = false;
  for (const auto& cls : jp_not_eu->cells) {
    bool handles = true;
    for (const auto& [name, value] : cls.witness) {
      if (name == "importer.handles_data") handles = value == "true";
    }
    cloud_exception |= !handles && cls.allowing.empty();
  }
  EXPECT_TRUE(cloud_exception);
  const auto j = compare_result_to_json(result);
  EXPECT_EQ(j["matrix"].size(), 3u);
  EXPECT_EQ(j["matrix"][0][1].get<std::size_t>(), result.table(1, 0)->cells.size());
}

// `check --regimes`: A's Japanese site backs EU customers' data up to a US IaaS whose operator
// cannot handle it. For APPI that is no provision at all (the cloud exception, PPC Q&A 12-3); for
// the GDPR it is an onward transfer to a processor in a third country that needs a transfer tool.
TEST(RegimeDisagreements, CloudExceptionVersusOnwardTransfer) {
  auto model = testing::model_from_json(R"json({
    "format": "xborder-model/1",
    "name": "EU data on a Japanese company's US IaaS",
    "parties": [
      {"id": "a-eu", "name": "A (EU site)", "country": "DE", "parent": null, "roles": ["controller"]},
      {"id": "a-jp", "name": "A Japan", "country": "JP", "parent": null, "roles": ["controller"]},
      {"id": "cloud", "name": "US IaaS", "country": "US", "parent": null, "roles": ["processor"]},
      {"id": "eu-customers", "name": "EU customers", "kind": "data_subjects", "country": "DE"}
    ],
    "systems": [
      {"id": "eu-crm", "name": "EU CRM", "tier": "on_premises", "operator": "a-eu",
       "regions": [{"location": "country:DE", "role": "primary"}], "operator_handles_data": true},
      {"id": "jp-app", "name": "A Japan app", "tier": "on_premises", "operator": "a-jp",
       "regions": [{"location": "country:JP", "role": "primary"}], "operator_handles_data": true},
      {"id": "us-storage", "name": "US object storage", "tier": "iaas", "operator": "cloud",
       "regions": [{"location": "country:US", "role": "primary"}], "operator_handles_data": false}
    ],
    "datasets": [
      {"id": "customers", "name": "EU customers", "categories": ["personal_data"],
       "subjects": ["DE"], "controller": "a-eu"}
    ],
    "flows": [
      {"id": "collect", "event": "collect", "from": "eu-customers", "to": "eu-crm",
       "datasets": ["customers"], "relationship": "data_subject_to_controller"},
      {"id": "to-japan", "event": "transfer", "from": "eu-crm", "to": "jp-app",
       "datasets": ["customers"], "relationship": "controller_to_controller",
       "safeguards": [{"type": "scc", "module": 1, "set": "2021/914", "signed": "2023-01-10"},
                      {"type": "tia"}]},
      {"id": "backup", "event": "store", "from": "jp-app", "to": "us-storage",
       "datasets": ["customers"], "relationship": "controller_to_processor",
       "safeguards": [{"type": "transfer_notice"}, {"type": "tia"}]}
    ]
  })json");
  ASSERT_TRUE(model);
  const auto& rules = testing::shipped_rules();
  PathChecker checker(*model, rules);
  const auto result = checker.check(*Date::parse("2024-01-01"));
  const auto rs = regimes(rules, {"EU", "JP"});
  const auto disagreements = regime_disagreements(result, rs);
  const RegimeDisagreement* hosting = nullptr;
  for (const auto& d : disagreements) {
    if (d.edge == "backup") hosting = &d;
  }
  ASSERT_NE(hosting, nullptr) << regime_disagreements_to_text(rs, disagreements);
  ASSERT_EQ(hosting->verdicts.size(), 2u);
  EXPECT_EQ(hosting->verdicts[0].regime, "EU");
  ASSERT_TRUE(hosting->verdicts[0].verdict);
  EXPECT_NE(*hosting->verdicts[0].verdict, Verdict::kCompliant);
  // APPI: no provision to an IaaS that cannot see the data; only the duties to understand the
  // regime of the country where it is kept and to name that country (Q&A 12-3, Guidelines 10-7),
  // which the assessment (`tia`) and the notice meet.
  ASSERT_TRUE(hosting->verdicts[1].verdict);
  EXPECT_EQ(*hosting->verdicts[1].verdict, Verdict::kCompliant);
  const auto j = regime_disagreements_to_json(disagreements);
  bool listed = false;
  for (const auto& d : j) {
    if (d["edge"] == "backup") listed = d["verdicts"][1]["verdict"] == "compliant";
  }
  EXPECT_TRUE(listed);
}

// Since Decision (EU) 2025/1382 the EU lets data go to the European Patent Organisation on
// adequacy; the UK has no such regulations, so the same filing from London needs a tool. Every
// witness organisation is a public body (coherence: only a public body can be one).
TEST(CompareShipped, TheEuAdequacyForTheEpoIsADifferenceWithTheUk) {
  const auto& rules = testing::shipped_rules();
  auto rs = regimes(rules, {"EU", "UK"}, *Date::parse("2026-06-01"));
  CompareOptions o;
  o.basis_only = true;
  o.scope =
      "event == 'transfer' and 'personal_data' in data.categories and importer.country == 'DE'";
  const auto result = run(rules, rs, o);
  const GapTable* eu_not_uk = result.table(0, 1);
  ASSERT_NE(eu_not_uk, nullptr);
  bool epo = false;
  for (const auto& cls : eu_not_uk->cells) {
    std::map<std::string, std::string> w(cls.witness.begin(), cls.witness.end());
    if (w["importer.international_organisation"] == "EPO") {
      epo = true;
      EXPECT_EQ(w["importer.kind"], "public_body");
      for (const auto& r : cls.allowing) {
        if (r.rule_id == "EU-GDPR-44") {
          EXPECT_NE(std::find(r.routes.begin(), r.routes.end(), "adequacy"), r.routes.end());
        }
      }
    }
  }
  EXPECT_TRUE(epo) << ::testing::PrintToString(texts(eu_not_uk->cells));
}

}  // namespace
}  // namespace xborder::compare_test
