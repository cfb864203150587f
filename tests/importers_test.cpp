// Terraform importer: a realistic plan of each cloud imports to the expected model part (golden
// files in tests/importers/terraform/expected/), with replication, replicas, geo-redundancy,
// multi- and dual-regions and key locations; resource types not understood are listed; states
// read like plans; bad documents and overlays are diagnosed; merged with a base model and an
// overlay, the findings are those the plan implies.
#include <gtest/gtest.h>

#include <fstream>

#include "importers/subprocessors.hpp"
#include "importers/terraform.hpp"
#include "solver/checker.hpp"
#include "tests/test_support.hpp"

namespace xborder::importers_test {
namespace {

std::filesystem::path fixtures() {
  return testing::source_dir() / "tests" / "importers" / "terraform";
}

const CloudLocations& locations() {
  static const CloudLocations l = [] {
    Diagnostics diags;
    auto loaded = CloudLocations::load(CloudLocations::default_file(), testing::reference(), diags);
    EXPECT_TRUE(loaded) << testing::render_all(diags);
    return loaded.value_or(CloudLocations{});
  }();
  return l;
}

Json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return Json::parse(in);
}

struct Imported {
  std::optional<TerraformImport> result;
  Diagnostics diags;
};

Imported import_plan(const Json& plan, const TerraformOverlay* overlay = nullptr,
                     const std::string& name = "plan.json") {
  Imported out;
  out.result = import_terraform(plan, name, testing::reference(), locations(), overlay, out.diags);
  return out;
}

const Json* system(const TerraformImport& t, const std::string& id) {
  for (const auto& s : t.document.json["systems"])
    if (s["id"] == id) return &s;
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> regions(const Json* system) {
  std::vector<std::pair<std::string, std::string>> out;
  if (system == nullptr) return out;
  for (const auto& r : (*system)["regions"]) out.emplace_back(r["location"], r["role"]);
  return out;
}

using Regions = std::vector<std::pair<std::string, std::string>>;

TEST(CloudLocationsData, EveryRegionIsInTheRegionTable) {
  EXPECT_EQ(locations().azure_pairs.at("azure:westeurope"), "azure:northeurope");
  EXPECT_EQ(locations().gcp_dual_regions.at("ASIA1").size(), 2u);
  EXPECT_FALSE(locations().gcp_multi_regions.at("EU").empty());
}

// Each cloud's plan: the golden model part and what was left out.
class TerraformFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(TerraformFixture, ImportsToTheExpectedModel) {
  const std::string cloud = GetParam();
  auto imported = import_plan(read_json(fixtures() / (cloud + "-plan.json")), nullptr,
                              "tests/importers/terraform/" + cloud + "-plan.json");
  ASSERT_TRUE(imported.result) << testing::render_all(imported.diags);
  EXPECT_FALSE(imported.diags.has_errors());
  Json summary{{"model", imported.result->document.json},
               {"read", Json::array()},
               {"left_out", Json::array()}};
  for (const auto& m : imported.result->mapped)
    summary["read"].push_back({{"address", m.address}, {"note", m.note}});
  for (const auto& s : imported.result->skipped)
    summary["left_out"].push_back({{"address", s.address}, {"note", s.note}});
  testing::expect_golden(fixtures() / "expected" / (cloud + ".json"), summary.dump(2) + "\n");
  // Every resource is read or left out with a warning (or both: read, with a copy not placed):
  // none disappears.
  std::set<std::string> seen;
  for (const auto& m : imported.result->mapped) seen.insert(m.address);
  for (const auto& s : imported.result->skipped) seen.insert(s.address);
  EXPECT_EQ(seen.size(), imported.result->managed_resources);
  // The part loads as a model on its own.
  auto loaded = load_model_documents({imported.result->document}, testing::reference());
  EXPECT_TRUE(loaded.model) << testing::render_all(loaded.diagnostics);
}

INSTANTIATE_TEST_SUITE_P(Clouds, TerraformFixture, ::testing::Values("aws", "azure", "gcp"));

TEST(TerraformImport, AwsCopiesAndKeys) {
  auto t = import_plan(read_json(fixtures() / "aws-plan.json"));
  ASSERT_TRUE(t.result);
  EXPECT_EQ(regions(system(*t.result, "tf:aws_s3_bucket.uploads")),
            (Regions{{"aws:eu-central-1", "primary"}, {"aws:us-east-1", "replica"}}));
  EXPECT_EQ(regions(system(*t.result, "tf:aws_db_instance.orders")),
            (Regions{{"aws:eu-central-1", "primary"}, {"aws:us-east-1", "replica"}}));
  EXPECT_EQ(system(*t.result, "tf:aws_db_instance.orders_replica"), nullptr);  // folded in
  EXPECT_EQ(regions(system(*t.result, "tf:aws_dynamodb_table.sessions")),
            (Regions{{"aws:eu-central-1", "primary"}, {"aws:ap-northeast-1", "replica"}}));
  // A child module's counted bucket, with the region the resource itself names (provider v6).
  EXPECT_EQ(regions(system(*t.result, "tf:module.logging.aws_s3_bucket.logs.0")),
            (Regions{{"aws:eu-west-1", "primary"}}));
  const Json* uploads = system(*t.result, "tf:aws_s3_bucket.uploads");
  ASSERT_NE(uploads, nullptr);
  EXPECT_EQ((*uploads)["measures"]["key_country"], "DE");
  ASSERT_EQ(t.result->skipped.size(), 1u);
  EXPECT_EQ(t.result->skipped[0].address, "aws_lambda_function.thumbnailer");
  const Diagnostic* w =
      testing::find_diagnostic(t.diags, "XB-TF-101", "/planned_values/root_module/resources/13");
  ASSERT_NE(w, nullptr) << testing::render_all(t.diags);
  EXPECT_EQ(w->severity, Severity::kWarning);
}

TEST(TerraformImport, AzurePairsGeoReplicasAndCosmosLocations) {
  auto t = import_plan(read_json(fixtures() / "azure-plan.json"));
  ASSERT_TRUE(t.result);
  EXPECT_EQ(regions(system(*t.result, "tf:azurerm_storage_account.documents")),
            (Regions{{"azure:westeurope", "primary"}, {"azure:northeurope", "replica"}}));
  EXPECT_EQ(regions(system(*t.result, "tf:azurerm_mssql_database.crm")),
            (Regions{{"azure:westeurope", "primary"},
                     {"azure:northeurope", "backup"},
                     {"azure:eastus", "replica"}}));
  EXPECT_EQ(regions(system(*t.result, "tf:azurerm_cosmosdb_account.profiles")),
            (Regions{{"azure:westeurope", "primary"}, {"azure:japaneast", "replica"}}));
  // RA-GRS where no pair is published: the resource stays, the copy is reported, not guessed.
  EXPECT_EQ(regions(system(*t.result, "tf:azurerm_storage_account.scratch")),
            (Regions{{"azure:swedencentral", "primary"}}));
  EXPECT_NE(
      testing::find_diagnostic(t.diags, "XB-TF-104", "/planned_values/root_module/resources/2"),
      nullptr);
}

TEST(TerraformImport, GoogleMultiAndDualRegionsReplicasAndKeys) {
  auto t = import_plan(read_json(fixtures() / "gcp-plan.json"));
  ASSERT_TRUE(t.result);
  EXPECT_EQ(regions(system(*t.result, "tf:google_storage_bucket.exports")),
            (Regions{{"gcp:asia-northeast1", "primary"}, {"gcp:asia-northeast2", "primary"}}));
  EXPECT_EQ(regions(system(*t.result, "tf:google_storage_bucket.archive")),
            (Regions{{"country:US", "primary"}}));
  EXPECT_EQ(regions(system(*t.result, "tf:google_storage_bucket.media")).size(),
            locations().gcp_multi_regions.at("EU").size());
  EXPECT_EQ(regions(system(*t.result, "tf:google_sql_database_instance.main")),
            (Regions{{"gcp:europe-west1", "primary"}, {"gcp:us-central1", "replica"}}));
  const Json* files = system(*t.result, "tf:google_storage_bucket.customer_files");
  ASSERT_NE(files, nullptr);
  EXPECT_EQ(regions(files),
            (Regions{{"gcp:europe-west3", "primary"}, {"gcp:europe-west4", "primary"}}));
  EXPECT_EQ((*files)["measures"]["key_country"], "DE");
}

TEST(TerraformImport, StatesReadLikePlans) {
  Json plan = read_json(fixtures() / "aws-plan.json");
  Json state{{"format_version", "1.0"},
             {"terraform_version", "1.9.5"},
             {"values", plan["planned_values"]},
             {"configuration", plan["configuration"]}};
  auto t = import_plan(state);
  ASSERT_TRUE(t.result) << testing::render_all(t.diags);
  EXPECT_EQ(t.result->document.json["systems"].size(),
            import_plan(plan).result->document.json["systems"].size());
}

TEST(TerraformImport, ProvenanceNamesTheResourceAndItsPlaceInThePlan) {
  auto t = import_plan(read_json(fixtures() / "aws-plan.json"), nullptr, "aws-plan.json");
  ASSERT_TRUE(t.result);
  auto loaded = load_model_documents({t.result->document}, testing::reference());
  ASSERT_TRUE(loaded.model);
  const System* s = loaded.model->system("tf:aws_dynamodb_table.sessions");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->source.file, "aws-plan.json");
  EXPECT_EQ(s->source.address, "aws_dynamodb_table.sessions");
  EXPECT_EQ(s->source.pointer, "/planned_values/root_module/resources/8");
}

TEST(TerraformImport, BadDocumentsAreDiagnosed) {
  auto not_plan = import_plan(Json{{"resources", Json::array()}});
  EXPECT_FALSE(not_plan.result);
  EXPECT_NE(testing::find_diagnostic(not_plan.diags, "XB-TF-010", ""), nullptr);
  auto v2 = import_plan(Json{{"format_version", "2.0"}, {"planned_values", Json::object()}});
  EXPECT_NE(testing::find_diagnostic(v2.diags, "XB-TF-011", "/format_version"), nullptr);
  auto empty = import_plan(Json{{"format_version", "1.0"}});
  EXPECT_NE(testing::find_diagnostic(empty.diags, "XB-TF-012", ""), nullptr);
  auto list = import_plan(Json::array());
  EXPECT_FALSE(list.result);
  // A resource whose region nothing says: left out with a warning naming the overlay.
  const Json plan = Json::parse(R"({"format_version": "1.2", "planned_values": {"root_module": {
      "resources": [{"address": "aws_s3_bucket.x", "mode": "managed", "type": "aws_s3_bucket",
                     "name": "x", "values": {"bucket": "x"}}]}}})");
  auto no_region = import_plan(plan);
  ASSERT_TRUE(no_region.result);
  const Diagnostic* d = testing::find_diagnostic(no_region.diags, "XB-TF-102",
                                                 "/planned_values/root_module/resources/0");
  ASSERT_NE(d, nullptr);
  ASSERT_TRUE(d->hint);
  EXPECT_NE(d->hint->find("overlay"), std::string::npos);
  // … which the overlay can say.
  TerraformOverlay overlay;
  overlay.resources["aws_s3_bucket.x"].region = "ap-northeast-1";
  auto with_region = import_plan(plan, &overlay);
  ASSERT_TRUE(with_region.result);
  EXPECT_EQ(regions(system(*with_region.result, "tf:aws_s3_bucket.x")),
            (Regions{{"aws:ap-northeast-1", "primary"}}));
}

TEST(TerraformImport, OverlayErrorsHaveLineAndColumn) {
  const auto file = std::filesystem::temp_directory_path() / "xborder-overlay-test.yaml";
  std::ofstream(file) << "format: xborder-terraform-overlay/1\nresources:\n  aws_s3_bucket.x:\n"
                         "    datasets: [a]\n    regoin: eu-west-1\n";
  Diagnostics diags;
  EXPECT_FALSE(read_terraform_overlay(file, diags));
  const Diagnostic* d =
      testing::find_diagnostic(diags, "XB-OVERLAY-009", "/resources/aws_s3_bucket.x/regoin");
  ASSERT_NE(d, nullptr) << testing::render_all(diags);
  EXPECT_EQ(d->line, 5);
  ASSERT_TRUE(d->hint);
  EXPECT_NE(d->hint->find("region"), std::string::npos);
  std::filesystem::remove(file);
}

// The pull request: the plan after it adds exactly one finding, on the new replica bucket.
TEST(TerraformImport, PullRequestAddsOneFinding) {
  const auto pr = fixtures() / "pull-request";
  Diagnostics diags;
  auto overlay = read_terraform_overlay(pr / "overlay.yaml", diags);
  ASSERT_TRUE(overlay) << testing::render_all(diags);
  auto base = read_model_document(pr / "base.yaml", diags);
  ASSERT_TRUE(base);
  auto findings = [&](const std::string& side) {
    auto t = import_plan(read_json(pr / (side + ".json")), &*overlay, side + ".json");
    EXPECT_TRUE(t.result);
    auto loaded = load_model_documents({*base, t.result->document}, testing::reference());
    EXPECT_TRUE(loaded.model) << testing::render_all(loaded.diagnostics);
    std::set<std::string> out;
    if (!loaded.model) return out;
    PathChecker checker(*loaded.model, testing::shipped_rules());
    for (const auto& f : checker.check(*Date::parse("2024-06-01")).findings)
      if (f.verdict != Verdict::kCompliant) out.insert(f.rule_id + " " + f.edge + " " + f.dataset);
    return out;
  };
  const auto before = findings("before");
  const auto after = findings("after");
  std::vector<std::string> added;
  for (const auto& f : after)
    if (!before.count(f)) added.push_back(f);
  EXPECT_TRUE(before.empty());
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0], "EU-GDPR-44 tf:aws_s3_bucket.uploads_replica/store customer-data");
}

}  // namespace
}  // namespace xborder::importers_test

namespace xborder::importers_test {
namespace {

TEST(Csv, QuotingLineBreaksAndErrors) {
  Diagnostics diags;
  auto rows = parse_csv(
      "\xEF\xBB\xBF"
      "a,b\r\n\"x, y\",\"say \"\"hi\"\"\nthere\"\r\n\r\nlast,\n",
      "t.csv", diags, "XB-CSV");
  ASSERT_TRUE(rows) << testing::render_all(diags);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"x, y", "say \"hi\"\nthere"}));
  EXPECT_EQ((*rows)[2].line, 5);
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"last", ""}));
  Diagnostics bad;
  EXPECT_FALSE(parse_csv("a\n\"open\n", "t.csv", bad, "XB-CSV"));
  ASSERT_TRUE(bad.has_errors());
  EXPECT_EQ(bad.items()[0].line, 2);
  Diagnostics after;
  EXPECT_FALSE(parse_csv("\"a\"b\n", "t.csv", after, "XB-CSV"));
  EXPECT_EQ(after.items()[0].code, "XB-CSV-002");
}

std::filesystem::path vendors() {
  return testing::source_dir() / "tests" / "importers" / "subprocessors" / "vendors.csv";
}

TEST(SubprocessorList, ImportsToTheExpectedModelAndMergesWithTheBase) {
  Diagnostics diags;
  auto doc = import_subprocessors_file(vendors(), testing::reference(), {"shop"}, diags);
  ASSERT_TRUE(doc) << testing::render_all(diags);
  Json relative = doc->json;
  testing::expect_golden(
      testing::source_dir() / "tests" / "importers" / "subprocessors" / "expected.json",
      relative.dump(2) + "\n");
  EXPECT_EQ(doc->json["parties"].size(), 4u);  // Mailer Inc. once for its two services
  auto base = read_model_document(
      testing::source_dir() / "tests" / "importers" / "terraform" / "pull-request" / "base.yaml",
      diags);
  ASSERT_TRUE(base);
  auto loaded = load_model_documents({*base, *doc}, testing::reference());
  ASSERT_TRUE(loaded.model) << testing::render_all(loaded.diagnostics);
  const Flow* helpdesk = nullptr;
  for (const auto& f : loaded.model->flows)
    if (f.id == "csv:2/remote_access") helpdesk = &f;
  ASSERT_NE(helpdesk, nullptr);
  EXPECT_EQ(helpdesk->source.line, 3);  // the row's line in the CSV
  EXPECT_EQ(helpdesk->from, "crm");
  PathChecker checker(*loaded.model, testing::shipped_rules());
  std::set<std::string> violated;
  for (const auto& f : checker.check(*Date::parse("2024-06-01")).findings)
    if (f.verdict == Verdict::kViolation) violated.insert(f.rule_id + " " + f.edge);
  // Customer data to a US e-mail vendor without a transfer tool, and support staff in India.
  EXPECT_TRUE(violated.count("EU-GDPR-44 csv:1/hosting")) << ::testing::PrintToString(violated);
  bool india = false;
  for (const auto& v : violated)
    india = india || v.find("csv:2/remote_access") != std::string::npos;
  EXPECT_TRUE(india) << ::testing::PrintToString(violated);
}

TEST(SubprocessorList, EveryBadRowIsReportedWithLineAndColumnName) {
  const auto file = std::filesystem::temp_directory_path() / "xborder-vendors-test.csv";
  std::ofstream(file) << "vendor,country,service,access,colour\n"
                         "A,UK,Mail,hosting,\n"
                         "B,US,Support,remote,\n"
                         "C,US,Ops,remote_access,\n";
  Diagnostics diags;
  EXPECT_FALSE(import_subprocessors_file(file, testing::reference(), {}, diags));
  const Diagnostic* column = testing::find_diagnostic(diags, "XB-CSV-009", "/0/colour");
  ASSERT_NE(column, nullptr) << testing::render_all(diags);
  std::ofstream(file) << "vendor,country,service,access\n"
                         "A,UK,Mail,hosting\n"
                         "B,US,Support,remote\n"
                         "C,US,Ops,remote_access\n";
  Diagnostics rows;
  EXPECT_FALSE(import_subprocessors_file(file, testing::reference(), {}, rows));
  const Diagnostic* uk = testing::find_diagnostic(rows, "XB-CSV-010", "/1/country");
  ASSERT_NE(uk, nullptr) << testing::render_all(rows);
  EXPECT_EQ(uk->line, 2);
  EXPECT_EQ(uk->column, 3);  // the country field of `A,UK,…`
  EXPECT_NE(uk->hint->find("GB"), std::string::npos);
  EXPECT_NE(testing::find_diagnostic(rows, "XB-CSV-003", "/2/access"), nullptr);
  EXPECT_NE(testing::find_diagnostic(rows, "XB-CSV-005", "/3/system"), nullptr);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace xborder::importers_test
