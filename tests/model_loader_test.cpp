// Model loader: every bad input gives a stable diagnostic code at the JSON pointer of the
// offending value, all problems are reported at once, and "unknown" stays unknown.
#include <gtest/gtest.h>

#include "tests/test_support.hpp"

namespace xborder::model_loader_test {
namespace {

// A small valid model; each test breaks one thing.
Json base_model() {
  return Json::parse(R"({
    "format": "xborder-model/1",
    "name": "loader test",
    "parties": [
      {"id": "a", "name": "A GmbH", "country": "DE", "roles": ["controller"]},
      {"id": "b", "name": "B K.K.", "country": "JP"}
    ],
    "systems": [
      {"id": "s1", "tier": "on_premises", "operator": "a",
       "regions": [{"location": "country:DE", "role": "primary"}], "operator_handles_data": true},
      {"id": "s2", "tier": "on_premises", "operator": "b",
       "regions": [{"location": "country:JP"}], "operator_handles_data": true}
    ],
    "datasets": [
      {"id": "d", "categories": ["personal_data"], "subjects": ["DE"], "controller": "a"}
    ],
    "flows": [
      {"id": "f", "event": "transfer", "from": "s1", "to": "s2", "datasets": ["d"],
       "relationship": "controller_to_controller"}
    ]
  })");
}

ModelLoadResult load(const Json& j) {
  return testing::load_from_json(j.dump());
}

std::string dump(const ModelLoadResult& r) {
  return testing::render_all(r.diagnostics);
}

// The diagnostic with this code and pointer, or nullptr.
const Diagnostic* find(const ModelLoadResult& r, const std::string& code,
                       const std::string& pointer) {
  return testing::find_diagnostic(r.diagnostics, code, pointer);
}

// Loads, expects failure with exactly the given diagnostic among the errors, returns it.
const Diagnostic& expect_error(const ModelLoadResult& r, const std::string& code,
                               const std::string& pointer) {
  const Diagnostic& d = testing::expect_error(r.diagnostics, r.model.has_value(), code, pointer);
  if (!d.code.empty()) {
    EXPECT_EQ(d.file, "inline.json");
  }
  return d;
}

// "did you mean" hints are never empty, and name every candidate when there are a few.
TEST(Diagnostics, SuggestionHintsListFewCandidatesAndAreNeverEmpty) {
  EXPECT_EQ(suggestion_hint("tranfer", {"transfer", "store", "collect"}),
            "did you mean `transfer`? (one of `collect`, `store`, `transfer`)");
  EXPECT_EQ(suggestion_hint("tranfer", {"transfer"}), "did you mean `transfer`?");
  EXPECT_EQ(suggestion_hint("zzz", {"b", "a"}), "expected one of `a`, `b`");
  EXPECT_EQ(suggestion_hint("zzz", {}), "nothing of this kind is declared to choose from");
  std::vector<std::string> many;
  for (int k = 0; k < 20; ++k) many.push_back("party-" + std::to_string(k + 10));
  const std::string hint = suggestion_hint("party-1O", many);
  EXPECT_EQ(hint.rfind("did you mean `party-10`?", 0), 0u) << hint;
  EXPECT_EQ(hint.find("one of"), std::string::npos) << hint;  // too many to list
}

TEST(ModelLoader, BaseModelIsValid) {
  auto r = load(base_model());
  ASSERT_TRUE(r.model) << dump(r);
  EXPECT_TRUE(r.diagnostics.items().empty()) << dump(r);
  EXPECT_EQ(r.model->parties.size(), 2u);
  EXPECT_EQ(r.model->flows.size(), 1u);
}

TEST(ModelLoader, UnknownKeyIsReportedWithHint) {
  auto j = base_model();
  j["parties"][0]["nmae"] = "typo";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-009", "/parties/0/nmae");
  EXPECT_NE(d.message.find("nmae"), std::string::npos);
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("`name`"), std::string::npos) << *d.hint;
}

TEST(ModelLoader, UnknownKeyAtTopLevel) {
  auto j = base_model();
  j["flow"] = Json::array();
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-009", "/flow");
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("flows"), std::string::npos);
}

TEST(ModelLoader, UkIsNotACountryCodeAndTheHintSaysGb) {
  auto j = base_model();
  j["parties"][1]["country"] = "UK";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-010", "/parties/1/country");
  EXPECT_NE(d.message.find("UK"), std::string::npos);
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("GB"), std::string::npos) << *d.hint;
}

TEST(ModelLoader, UnknownCountryInSubjectsAndCountryLocation) {
  auto j = base_model();
  j["datasets"][0]["subjects"] = Json::array({"DE", "XQ"});
  auto r = load(j);
  expect_error(r, "XB-MODEL-010", "/datasets/0/subjects");

  auto k = base_model();
  k["systems"][1]["regions"][0]["location"] = "country:ZZ";
  auto r2 = load(k);
  expect_error(r2, "XB-MODEL-010", "/systems/1/regions/0/location");
}

TEST(ModelLoader, MissingRequiredKeyPointsAtTheObject) {
  auto j = base_model();
  j["flows"][0].erase("to");
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-005", "/flows/0");
  EXPECT_NE(d.message.find("`to`"), std::string::npos) << d.message;
}

TEST(ModelLoader, MissingTopLevelDatasets) {
  auto j = base_model();
  j.erase("datasets");
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-005", "");
  EXPECT_NE(d.message.find("datasets"), std::string::npos);
}

TEST(ModelLoader, WrongTypeIsReported) {
  auto j = base_model();
  j["name"] = 42;
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-006", "/name");
  EXPECT_NE(d.message.find("string"), std::string::npos);

  auto k = base_model();
  k["systems"][0]["operator_handles_data"] = "yes";
  expect_error(load(k), "XB-MODEL-006", "/systems/0/operator_handles_data");

  auto m = base_model();
  m["flows"][0]["datasets"] = "d";
  expect_error(load(m), "XB-MODEL-006", "/flows/0/datasets");
}

TEST(ModelLoader, UnknownOperatorIsADanglingPartyReference) {
  auto j = base_model();
  j["systems"][0]["operator"] = "c";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-040", "/systems/0/operator");
  EXPECT_NE(d.message.find("`c`"), std::string::npos);
}

TEST(ModelLoader, SystemNamedWhereAPartyIsNeeded) {
  auto j = base_model();
  j["datasets"][0]["controller"] = "s1";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-040", "/datasets/0/controller");
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("is a system"), std::string::npos) << *d.hint;
}

TEST(ModelLoader, FlowEndpointMustExist) {
  auto j = base_model();
  j["flows"][0]["from"] = "s3";
  auto r = load(j);
  expect_error(r, "XB-MODEL-041", "/flows/0/from");
}

TEST(ModelLoader, FlowDatasetMustExist) {
  auto j = base_model();
  j["flows"][0]["datasets"] = Json::array({"d", "dd"});
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-042", "/flows/0/datasets/1");
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("`d`"), std::string::npos) << *d.hint;
}

TEST(ModelLoader, UnknownRegionSuggestsTheClosestOne) {
  auto j = base_model();
  j["systems"][0]["regions"][0]["location"] = "aws:eu-centrl-1";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-043", "/systems/0/regions/0/location");
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("did you mean `aws:eu-central-1`"), std::string::npos) << *d.hint;
}

Json with_cloud_stack(const std::string& app_tier, const std::string& lower_tier) {
  auto j = base_model();
  j["systems"].push_back(
      Json::parse(R"({"id": "lower", "tier": ")" + lower_tier +
                  R"(", "operator": "b", "regions": [{"location": "aws:eu-central-1"}]})"));
  j["systems"].push_back(Json::parse(R"({"id": "app", "tier": ")" + app_tier +
                                     R"(", "operator": "a", "runs_on": "lower"})"));
  return j;
}

TEST(ModelLoader, SaasCannotRunOnSaas) {
  auto r = load(with_cloud_stack("saas", "saas"));
  const auto& d = expect_error(r, "XB-MODEL-047", "/systems/3/runs_on");
  EXPECT_NE(d.message.find("`lower`"), std::string::npos);
  // … while SaaS on IaaS is fine.
  auto ok = load(with_cloud_stack("saas", "iaas"));
  EXPECT_TRUE(ok.model) << dump(ok);
}

TEST(ModelLoader, IaasCannotRunOnPaas) {
  expect_error(load(with_cloud_stack("iaas", "paas")), "XB-MODEL-047", "/systems/3/runs_on");
}

TEST(ModelLoader, RegionMustBeOfferedByTheLowerTier) {
  auto j = with_cloud_stack("saas", "iaas");
  j["systems"][3]["regions"] = Json::parse(R"([{"location": "aws:eu-west-1"}])");
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-048", "/systems/3/regions/0/location");
  EXPECT_NE(d.message.find("aws:eu-west-1"), std::string::npos);
}

TEST(ModelLoader, RunsOnMustNameASystem) {
  auto j = with_cloud_stack("saas", "iaas");
  j["systems"][3]["runs_on"] = "lowr";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-046", "/systems/3/runs_on");
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("`lower`"), std::string::npos);
}

TEST(ModelLoader, SystemWithoutLocation) {
  auto j = base_model();
  j["systems"][1].erase("regions");
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-023", "/systems/1");
  EXPECT_NE(d.message.find("`s2`"), std::string::npos);
}

TEST(ModelLoader, SystemWithoutPrimaryRegion) {
  auto j = base_model();
  j["systems"][1]["regions"][0]["role"] = "backup";
  expect_error(load(j), "XB-MODEL-024", "/systems/1/regions");
}

TEST(ModelLoader, ImpossibleCategories) {
  auto j = base_model();
  j["datasets"][0]["categories"] = Json::array({"personal_data", "anonymised"});
  expect_error(load(j), "XB-MODEL-026", "/datasets/0/categories");

  auto k = base_model();
  k["datasets"][0]["categories"] = Json::array({"special_category"});
  expect_error(load(k), "XB-MODEL-026", "/datasets/0/categories");
}

TEST(ModelLoader, UnknownCategoryIsAnEnumError) {
  auto j = base_model();
  j["datasets"][0]["categories"] = Json::array({"personal_dat"});
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-003", "/datasets/0/categories/0");
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("personal_data"), std::string::npos);
}

TEST(ModelLoader, SccModuleFiveDoesNotExist) {
  auto j = base_model();
  j["flows"][0]["safeguards"] = Json::parse(R"([{"type": "scc", "in_place": true, "module": 5}])");
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-028", "/flows/0/safeguards/0/module");
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("2021/914"), std::string::npos);
}

TEST(ModelLoader, Scc2021NeedsAModuleButOlderSetsDoNot) {
  auto j = base_model();
  j["flows"][0]["safeguards"] = Json::parse(R"([{"type": "scc", "in_place": true}])");
  expect_error(load(j), "XB-MODEL-005", "/flows/0/safeguards/0");
  j["flows"][0]["safeguards"] =
      Json::parse(R"([{"type": "scc", "set": "2010/87/EU", "signed": "2019-03-01"}])");
  auto r = load(j);
  ASSERT_TRUE(r.model) << dump(r);
  const auto& sg = r.model->flows[0].safeguards.at(0);
  EXPECT_EQ(sg.scc_set, "2010/87/EU");
  EXPECT_FALSE(sg.scc_module.has_value());
  EXPECT_EQ(sg.signed_on->to_string(), "2019-03-01");
}

TEST(ModelLoader, ProcessHappensInOnePlace) {
  auto j = base_model();
  j["flows"][0]["event"] = "process";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-035", "/flows/0/to");
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("transfer"), std::string::npos);
}

TEST(ModelLoader, AbsentSubjectsAreUnknown) {
  auto j = base_model();
  j["datasets"][0].erase("subjects");
  auto r = load(j);
  ASSERT_TRUE(r.model) << dump(r);
  EXPECT_FALSE(r.model->datasets[0].subjects.known());
}

TEST(ModelLoader, TransferToItself) {
  auto j = base_model();
  j["flows"][0]["to"] = "s1";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-031", "/flows/0/to");
  EXPECT_NE(d.message.find("transfer"), std::string::npos);
  // A process event inside one system is fine.
  auto k = base_model();
  k["flows"][0]["to"] = "s1";
  k["flows"][0]["event"] = "process";
  k["flows"][0]["relationship"] = "same_entity";
  auto ok = load(k);
  EXPECT_TRUE(ok.model) << dump(ok);
}

TEST(ModelLoader, ParentCycle) {
  auto j = base_model();
  j["parties"][0]["parent"] = "b";
  j["parties"][1]["parent"] = "a";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-050", "/parties/0/parent");
  EXPECT_NE(d.message.find("cycle"), std::string::npos);
  expect_error(r, "XB-MODEL-050", "/parties/1/parent");
}

TEST(ModelLoader, OwnParent) {
  auto j = base_model();
  j["parties"][0]["parent"] = "a";
  expect_error(load(j), "XB-MODEL-044", "/parties/0/parent");
}

TEST(ModelLoader, DuplicateIdAcrossPartiesAndSystems) {
  auto j = base_model();
  j["systems"][1]["id"] = "a";
  j["flows"][0]["to"] = "a";
  auto r = load(j);
  const auto& d = expect_error(r, "XB-MODEL-014", "/systems/1/id");
  ASSERT_TRUE(d.hint);
  EXPECT_NE(d.hint->find("/parties/0"), std::string::npos);
}

TEST(ModelLoader, UnsupportedFormat) {
  auto j = base_model();
  j["format"] = "xborder-model/2";
  expect_error(load(j), "XB-MODEL-013", "/format");
}

TEST(ModelLoader, BadDateInCertification) {
  auto j = base_model();
  j["parties"][1]["certifications"] =
      Json::parse(R"([{"scheme": "dpf", "held": true, "from": "2023-02-30"}])");
  expect_error(load(j), "XB-MODEL-007", "/parties/1/certifications/0/from");
}

TEST(ModelLoader, AllErrorsAreCollected) {
  auto j = base_model();
  j["parties"][0]["colour"] = "red";       // unknown key
  j["datasets"][0]["subject_count"] = -1;  // negative
  j["flows"][0]["event"] = "transfr";      // bad enum
  auto r = load(j);
  EXPECT_FALSE(r.model);
  EXPECT_EQ(r.diagnostics.error_count(), 3u) << dump(r);
  EXPECT_TRUE(find(r, "XB-MODEL-009", "/parties/0/colour")) << dump(r);
  EXPECT_TRUE(find(r, "XB-MODEL-027", "/datasets/0/subject_count")) << dump(r);
  const Diagnostic* e = find(r, "XB-MODEL-003", "/flows/0/event");
  ASSERT_TRUE(e) << dump(r);
  ASSERT_TRUE(e->hint);
  EXPECT_NE(e->hint->find("`transfer`"), std::string::npos);
}

TEST(ModelLoader, TwoDanglingReferencesGiveTwoDiagnostics) {
  auto j = base_model();
  j["systems"][0]["operator"] = "nobody";
  j["flows"][0]["datasets"] = Json::array({"nothing"});
  auto r = load(j);
  EXPECT_EQ(r.diagnostics.error_count(), 2u) << dump(r);
  EXPECT_TRUE(find(r, "XB-MODEL-040", "/systems/0/operator"));
  EXPECT_TRUE(find(r, "XB-MODEL-042", "/flows/0/datasets/0"));
}

TEST(ModelLoader, RenderedDiagnosticNamesFilePointerAndCode) {
  auto j = base_model();
  j["parties"][0]["nmae"] = "x";
  auto r = load(j);
  ASSERT_EQ(r.diagnostics.items().size(), 1u);
  const auto text = render_diagnostic(r.diagnostics.items()[0]);
  EXPECT_EQ(text.rfind("inline.json:/parties/0/nmae: error[XB-MODEL-009]: ", 0), 0u) << text;
  EXPECT_NE(text.find("help: "), std::string::npos);
}

// The party keys of issue 13's last items: `persons_held` (a count or "unknown", never negative),
// `protected_by_law` and `ict_service_provider` (tri-state), and the safeguard type
// `entrustee_supervision`.
TEST(ModelLoader, PartyCountsAndStatusesAreChecked) {
  auto j = base_model();
  j["parties"][0]["persons_held"] = 8000;
  j["parties"][0]["protected_by_law"] = true;
  j["parties"][1]["persons_held"] = "unknown";
  j["parties"][1]["ict_service_provider"] = "unknown";
  j["flows"][0]["safeguards"] = Json::parse(R"([{"type": "entrustee_supervision"}])");
  auto r = load(j);
  ASSERT_TRUE(r.model) << dump(r);
  const Party* a = r.model->party("a");
  const Party* b = r.model->party("b");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->persons_held.known());
  EXPECT_EQ(a->persons_held.value(), 8000);
  EXPECT_TRUE(a->protected_by_law.known() && a->protected_by_law.value());
  EXPECT_TRUE(a->ict_service_provider.known() && !a->ict_service_provider.value());
  EXPECT_FALSE(b->persons_held.known());
  EXPECT_FALSE(b->ict_service_provider.known());
  EXPECT_TRUE(b->protected_by_law.known() && !b->protected_by_law.value());
  EXPECT_EQ(r.model->flows[0].safeguards[0].type, SafeguardType::kEntrusteeSupervision);

  auto negative = base_model();
  negative["parties"][0]["persons_held"] = -1;
  const auto negative_result = load(negative);  // the diagnostic lives as long as the result
  const auto& d = expect_error(negative_result, "XB-MODEL-027", "/parties/0/persons_held");
  EXPECT_NE(d.message.find("negative"), std::string::npos);

  auto text = base_model();
  text["parties"][0]["persons_held"] = "many";
  expect_error(load(text), "XB-MODEL-006", "/parties/0/persons_held");

  auto yes = base_model();
  yes["parties"][1]["protected_by_law"] = "yes";
  expect_error(load(yes), "XB-MODEL-006", "/parties/1/protected_by_law");
}

TEST(ModelLoader, UnknownValuesStayUnknown) {
  auto r = load(Json::parse(R"({
    "format": "xborder-model/1",
    "name": "unknowns",
    "parties": [
      {"id": "a", "country": "DE", "parent": "unknown"},
      {"id": "b", "country": "unknown"},
      {"id": "sup", "country": "IN"}
    ],
    "systems": [
      {"id": "s1", "tier": "on_premises", "operator": "a", "regions": [{"location": "country:DE"}],
       "operator_handles_data": "unknown",
       "remote_access": [{"party": "sup", "country": "unknown", "clear_text": "unknown"}]},
      {"id": "s2", "tier": "on_premises", "operator": "b", "regions": [{"location": "country:JP"}]}
    ],
    "datasets": [
      {"id": "d", "categories": {"include": ["personal_data"], "unknown": ["special_category"]},
       "subjects": "unknown", "subject_count": "unknown", "controller": "unknown", "value": "unknown"}
    ],
    "flows": [
      {"id": "f", "event": "transfer", "from": "s1", "to": "s2", "datasets": ["d"],
       "relationship": "unknown", "safeguards": "unknown"}
    ]
  })"));
  ASSERT_TRUE(r.model) << dump(r);
  const auto& m = *r.model;
  EXPECT_FALSE(m.party("a")->parent.known());
  EXPECT_FALSE(m.party("b")->country.known());
  EXPECT_TRUE(m.party("sup")->country.known());
  const System* s1 = m.system("s1");
  EXPECT_FALSE(s1->operator_handles_data.known());
  ASSERT_EQ(s1->remote_access.size(), 1u);
  EXPECT_FALSE(s1->remote_access[0].country.known());
  EXPECT_FALSE(s1->remote_access[0].clear_text.known());
  // Absent means the documented default, not unknown.
  ASSERT_TRUE(m.system("s2")->operator_handles_data.known());
  const DataSet* d = m.dataset("d");
  EXPECT_FALSE(d->subjects.known());
  EXPECT_FALSE(d->subject_count.known());
  EXPECT_FALSE(d->controller.known());
  EXPECT_FALSE(d->value.known());
  EXPECT_EQ(d->categories.has(Category::kPersonalData), Unknowable<bool>(true));
  EXPECT_FALSE(d->categories.has(Category::kSpecialCategory).known());
  EXPECT_EQ(d->categories.has(Category::kTradeSecret), Unknowable<bool>(false));
  const Flow& f = m.flows[0];
  EXPECT_FALSE(f.relationship.known());
  EXPECT_TRUE(f.safeguards_unknown);
  EXPECT_TRUE(f.safeguards.empty());
}

TEST(ModelLoader, CategoriesAllUnknown) {
  auto j = base_model();
  j["datasets"][0]["categories"] = "unknown";
  auto r = load(j);
  ASSERT_TRUE(r.model) << dump(r);
  EXPECT_FALSE(r.model->dataset("d")->categories.has(Category::kPersonalData).known());
}

TEST(ModelLoader, ScenarioFileLoads) {
  auto r = load_model(testing::source_dir() / "scenarios" / "eu-jp-us-transfer" / "model.json",
                      testing::reference());
  ASSERT_TRUE(r.model) << dump(r);
  EXPECT_EQ(r.model->flows.size(), 3u);
}

TEST(ModelLoader, MissingFileIsAnErrorNotACrash) {
  auto r = load_model(testing::source_dir() / "no-such-model.json", testing::reference());
  EXPECT_FALSE(r.model);
  EXPECT_TRUE(r.diagnostics.has_errors());
}

}  // namespace
}  // namespace xborder::model_loader_test

// ---- Beyond personal data: permitted scope, control lists, nationalities, authorisations.
namespace xborder::model_loader_test {
namespace {

TEST(ModelLoaderPlaces, DefaultsLeaveWhatTheModelDoesNotSayUnknown) {
  auto j = base_model();
  j["datasets"][0]["categories"] = {"export_controlled", "trade_secret"};
  auto r = load(j);
  ASSERT_TRUE(r.model) << dump(r);
  const DataSet& d = r.model->datasets[0];
  EXPECT_FALSE(d.permitted_scope.known());  // the NDA's scope is not stated
  EXPECT_FALSE(d.control_lists.known());    // controlled, but not classified
  const Party& a = r.model->parties[0];
  ASSERT_TRUE(a.nationalities.known());
  EXPECT_EQ(a.nationalities.value(), std::vector<Country>{"DE"});
  EXPECT_EQ(a.critical_infrastructure, Unknowable<bool>(false));
  // Data that is certainly not controlled is on no list.
  auto plain = load(base_model());
  ASSERT_TRUE(plain.model);
  ASSERT_TRUE(plain.model->datasets[0].control_lists.known());
  EXPECT_TRUE(plain.model->datasets[0].control_lists.value().empty());
}

TEST(ModelLoaderPlaces, NewFieldsAreRead) {
  auto j = base_model();
  j["parties"][1]["nationalities"] = {"CN"};
  j["parties"][1]["critical_infrastructure"] = "unknown";
  j["systems"][1]["certifications"] = Json::parse(R"([{"scheme": "ismap", "held": true}])");
  j["datasets"][0]["categories"] = {"export_controlled", "trade_secret"};
  j["datasets"][0]["permitted_scope"] = {"a", "b"};
  j["datasets"][0]["control_lists"] = {"jp_fefta", "us_ear"};
  j["flows"][0]["safeguards"] = Json::parse(
      R"([{"type": "authorisation", "regime": "jp_fefta"}, {"type": "authorisation", "regime": "us_ear"}])");
  auto r = load(j);
  ASSERT_TRUE(r.model) << dump(r);
  EXPECT_EQ(r.model->parties[1].nationalities.value(), std::vector<Country>{"CN"});
  EXPECT_FALSE(r.model->parties[1].critical_infrastructure.known());
  EXPECT_EQ(r.model->systems[1].certifications.size(), 1u);
  EXPECT_EQ(r.model->datasets[0].permitted_scope.value(), (std::vector<Id>{"a", "b"}));
  EXPECT_EQ(r.model->datasets[0].control_lists.value().size(), 2u);
  EXPECT_EQ(r.model->flows[0].safeguards.size(), 2u);  // authorisations may repeat
  EXPECT_EQ(r.model->flows[0].safeguards[1].regime, "us_ear");
}

TEST(ModelLoaderPlaces, BadNewFieldsHaveCodesAndHints) {
  auto j = base_model();
  j["parties"][0]["nationalities"] = Json::array();
  j["datasets"][0]["permitted_scope"] = {"nobody"};
  auto r = load(j);
  expect_error(r, "XB-MODEL-036", "/parties/0/nationalities");

  auto k = base_model();
  k["datasets"][0]["control_lists"] = {"us_eer"};
  auto r2 = load(k);
  const auto& typo = expect_error(r2, "XB-MODEL-003", "/datasets/0/control_lists/0");
  ASSERT_TRUE(typo.hint);
  EXPECT_NE(typo.hint->find("us_ear"), std::string::npos);

  auto l = base_model();
  l["datasets"][0]["control_lists"] = {"us_ear"};  // personal data, not export_controlled
  expect_error(load(l), "XB-MODEL-037", "/datasets/0/control_lists");

  auto m = base_model();
  m["flows"][0]["safeguards"] = Json::parse(R"([{"type": "authorisation"}])");
  expect_error(load(m), "XB-MODEL-005", "/flows/0/safeguards/0");

  auto n = base_model();
  n["datasets"][0]["permitted_scope"] = {"nobody"};
  expect_error(load(n), "XB-MODEL-040", "/datasets/0/permitted_scope/0");

  auto o = base_model();
  o["parties"][1]["international_organisation"] = "EPO";  // kind defaults to company
  auto not_public = load(o);
  const auto& io =
      expect_error(not_public, "XB-MODEL-038", "/parties/1/international_organisation");
  ASSERT_TRUE(io.hint);
  EXPECT_NE(io.hint->find("public_body"), std::string::npos);
  o["parties"][1]["kind"] = "public_body";
  auto ok = load(o);
  ASSERT_TRUE(ok.model);
  EXPECT_EQ(ok.model->parties[1].international_organisation, "EPO");
  o["parties"][1]["international_organisation"] = "";
  expect_error(load(o), "XB-MODEL-038", "/parties/1/international_organisation");

  auto q = base_model();
  q["systems"][0]["regions"][0]["safeguards"] = Json::parse(R"([{"type": "transfer_notice"}])");
  expect_error(load(q), "XB-MODEL-039", "/systems/0/regions/0/safeguards");
}

// Issue 12: reading files and JSON text never ends as an internal error, a crash or a hang.
TEST(JsonReader, DuplicateKeysAreErrorsAtTheirPointer) {
  Diagnostics diags;
  auto doc = parse_json_text(R"({"a": [1, {"x": 1, "y": 2, "x": 3}], "b": {"k": 1, "k": 2}})",
                             "dup.json", diags, "XB-MODEL");
  EXPECT_FALSE(doc);
  ASSERT_EQ(diags.error_count(), 2u);
  EXPECT_EQ(diags.items()[0].pointer, "/a/1/x");
  EXPECT_EQ(diags.items()[1].pointer, "/b/k");
  EXPECT_EQ(diags.items()[0].code, "XB-MODEL-002");
  Diagnostics ok;
  EXPECT_TRUE(parse_json_text(R"({"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]})",
                              "ok.json", ok, "XB-MODEL"));
  EXPECT_FALSE(ok.has_errors());
}

TEST(JsonReader, NumbersBeyondADoubleAndDeepNestingAreInvalidJson) {
  Diagnostics diags;
  EXPECT_FALSE(parse_json_text(R"({"x": 1e400})", "big.json", diags, "XB-MODEL"));
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_NE(diags.items()[0].message.find("number overflow"), std::string::npos);
  Diagnostics deep;
  const std::string text = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(parse_json_text(text, "deep.json", deep, "XB-MODEL"));
  ASSERT_EQ(deep.error_count(), 1u);
  EXPECT_NE(deep.items()[0].message.find("nested deeper than"), std::string::npos);
  Diagnostics fine;  // brackets inside strings do not count
  EXPECT_TRUE(parse_json_text("[\"" + std::string(1000, '[') + "\"]", "s.json", fine, "XB-MODEL"));
}

TEST(JsonReader, RefusesWhatIsNotARegularFile) {
  for (const char* path : {"/dev/zero", "/dev/null", "/"}) {
    Diagnostics diags;
    EXPECT_FALSE(read_input_file(path, diags, "XB-MODEL")) << path;
    ASSERT_EQ(diags.error_count(), 1u) << path;
    EXPECT_EQ(diags.items()[0].code, "XB-MODEL-001");
  }
  Diagnostics missing;
  EXPECT_FALSE(read_input_file("/no/such/file.json", missing, "XB-MODEL"));
  ASSERT_EQ(missing.error_count(), 1u);
  EXPECT_NE(missing.items()[0].message.find("No such file"), std::string::npos)
      << missing.items()[0].message;
}

TEST(Diagnostics, MessagesShowEscapesAndShortenHugeWords) {
  Diagnostics diags;
  diags.error("XB-TEST-001", "f.json", "/x\x1b",
              "id `" + std::string(1000000, 'x') + "` \x1b[2J bad", "hint\nsecond line \x07");
  const Diagnostic& d = diags.items()[0];
  EXPECT_LT(d.message.size(), 300u);
  EXPECT_NE(d.message.find("(1000002 bytes)"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("\\x1b[2J bad"), std::string::npos) << d.message;
  EXPECT_EQ(d.pointer, "/x\\x1b");
  EXPECT_EQ(*d.hint, "hint\nsecond line \\x07");
  Diagnostics many_words;  // a long text of short words keeps its start and its end
  std::string nots;
  for (int k = 0; k < 100000; ++k) nots += "not ";
  many_words.error("XB-TEST-002", "f.json", "", "in `" + nots + "x`: too deep");
  const std::string& m = many_words.items()[0].message;
  EXPECT_LT(m.size(), 2100u);
  EXPECT_EQ(m.substr(0, 8), "in `not ");
  EXPECT_EQ(m.substr(m.size() - 12), "x`: too deep");
  EXPECT_NE(m.find("bytes omitted"), std::string::npos);
  for (const char c : render_diagnostic(d))
    EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20);
}

}  // namespace
}  // namespace xborder::model_loader_test
