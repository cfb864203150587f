// The transfer register read back in (round trip through `report --format csv` for every
// scenario, bad rows diagnosed with line and column) and Fides manifests (the fixture imports to
// the expected model part and findings; unknown keys, categories and references are warned about).
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <tuple>

#include "importers/fides.hpp"
#include "importers/register.hpp"
#include "importers/subprocessors.hpp"
#include "reports/register.hpp"
#include "reports/report_input.hpp"
#include "reports/tabular_report.hpp"
#include "solver/checker.hpp"
#include "tests/test_support.hpp"

namespace xborder::importers_register_fides_test {
namespace {

using nlohmann::json;

// The columns a register carries about a transfer (everything but the check's conclusions).
using Carried = std::tuple<std::string, std::string, std::string, std::string, std::string,
                           std::string, std::string, std::string, std::string, std::string>;

Carried carried(const json& row, const std::string& edge) {
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  return {edge,
          row["event"],
          row["dataset"],
          row["categories"].dump() + row["categories_unknown"].dump(),
          text(row["exporter"]),
          text(row["exporter_country"]),
          text(row["exporter_established"]),
          text(row["importer"]),
          text(row["importer_country"]),
          text(row["importer_established"])};
}

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / name;
}

class RegisterRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(RegisterRoundTrip, EveryScenarioKeepsItsTransfers) {
  const std::string scenario = GetParam();
  const json input = testing::scenario_report_input(scenario);
  const auto file = temp_file("xborder-register-" + scenario + ".csv");
  std::ofstream(file, std::ios::binary) << render_register_csv(input);
  Diagnostics diags;
  auto doc = import_register_file(file, testing::reference(), diags);
  ASSERT_TRUE(doc) << testing::render_all(diags);
  auto loaded = load_model_documents({*doc}, testing::reference());
  ASSERT_TRUE(loaded.model) << testing::render_all(loaded.diagnostics);
  // The edge each flow was made from is its name.
  std::map<std::string, std::string> flow_of_edge;
  for (const auto& f : doc->json["flows"]) flow_of_edge[f["name"]] = f["id"];
  std::set<Carried> before, after;
  std::size_t left_out = 0;
  for (const auto& row : transfer_register(input)) {
    const std::string edge = row["edge"];
    if (!flow_of_edge.count(edge)) {
      ++left_out;  // both ends the same place: warned (XB-REG-101)
      continue;
    }
    before.insert(carried(row, flow_of_edge[edge]));
  }
  EXPECT_EQ(left_out, 0u) << testing::render_all(diags);
  const std::string at = input["check"]["at"];
  PathChecker checker(*loaded.model, testing::shipped_rules());
  const auto result = checker.check(*Date::parse(at));
  const ReportContext context{file.string(), loaded.model->name, "jurisdictions"};
  const json again =
      make_report_input(result, context, checker.graph(), *loaded.model, testing::reference());
  for (const auto& row : transfer_register(again)) after.insert(carried(row, row["edge"]));
  for (const auto& row : before) {
    EXPECT_TRUE(after.count(row)) << scenario << ": lost " << ::testing::PrintToString(row);
  }
  // A scenario with no cross-border transfer at its date has an empty register: it still reads.
  EXPECT_EQ(before.size() + left_out, transfer_register(input).size()) << scenario;
  std::filesystem::remove(file);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, RegisterRoundTrip,
                         ::testing::ValuesIn(testing::scenario_names()),
                         [](const auto& info) { return testing::param_name(info.param); });

TEST(RegisterImport, RowsKeepTheirLineAndUnknownsStayUnknown) {
  const auto file = temp_file("xborder-register-small.csv");
  std::ofstream(file, std::ios::binary)
      << "edge,implicit,event,dataset,categories,exporter,exporter_country,importer,"
         "importer_country,mechanism,legal_basis,status,rules\r\n"
         "to-us,false,transfer,customers,personal_data,shop,DE,crm,US,,,violation,EU-GDPR-44\r\n"
         "\"old[a->b]\",true,store,customers,personal_data,crm,US,,,,,undetermined,\r\n";
  Diagnostics diags;
  auto doc = import_register_file(file, testing::reference(), diags);
  ASSERT_TRUE(doc) << testing::render_all(diags);
  auto loaded = load_model_documents({*doc}, testing::reference());
  ASSERT_TRUE(loaded.model) << testing::render_all(loaded.diagnostics);
  const Flow* old = nullptr;
  for (const auto& f : loaded.model->flows)
    if (f.id == "old/a/b") old = &f;
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->source.line, 3);
  EXPECT_EQ(old->to, "reg:unknown-party");  // no importer named: a party of unknown country
  EXPECT_FALSE(old->relationship.known());
  for (const auto& p : loaded.model->parties) EXPECT_FALSE(p.country.known()) << p.id;
  std::filesystem::remove(file);
}

TEST(CsvHeader, NamesAreKnownOnceAndRequiredOnesPresent) {
  const std::vector<std::string> known = {"edge", "event", "note"};
  const std::vector<std::string> required = {"edge", "event"};
  const CsvHeaderSpec spec{known, required, "nothing here", "name the columns", "edge, event"};
  auto header = [&](const std::string& text, Diagnostics& diags) {
    auto records = parse_csv(text, "h.csv", diags, "XB-T");
    EXPECT_TRUE(records) << testing::render_all(diags);
    return read_csv_header(*records, "h.csv", diags, "XB-T", spec);
  };
  Diagnostics ok;
  const auto columns = header(" Event ,EDGE\nx,y\n", ok);  // case and spaces ignored
  ASSERT_TRUE(columns) << testing::render_all(ok);
  EXPECT_EQ(columns->at("event"), 0u);
  EXPECT_EQ(columns->at("edge"), 1u);
  Diagnostics empty;
  EXPECT_FALSE(header("", empty));
  EXPECT_NE(testing::find_diagnostic(empty, "XB-T-010", ""), nullptr) << testing::render_all(empty);
  Diagnostics bad;
  EXPECT_FALSE(header("edge,evnt,edge\n", bad));
  const Diagnostic* unknown = testing::find_diagnostic(bad, "XB-T-009", "/0/evnt");
  ASSERT_NE(unknown, nullptr) << testing::render_all(bad);
  EXPECT_EQ(unknown->column, 6);
  EXPECT_NE(unknown->hint->find("event"), std::string::npos);
  EXPECT_NE(testing::find_diagnostic(bad, "XB-T-014", "/0/edge"), nullptr);
  const Diagnostic* missing = testing::find_diagnostic(bad, "XB-T-005", "/0");
  ASSERT_NE(missing, nullptr);
  EXPECT_NE(missing->message.find("`event`"), std::string::npos);
}

TEST(RegisterImport, AColumnOfPlannedChangesIsAcceptedAndNotRead) {
  // `report --plan --format csv` appends `planned_change`: the register still reads back.
  const auto file = temp_file("xborder-register-planned.csv");
  std::ofstream(file) << "edge,event,dataset,exporter,exporter_country,importer,importer_country,"
                         "planned_change\n"
                         "a,transfer,d,x,DE,y,US,scc-2021 (EU-GDPR-46)\n";
  Diagnostics diags;
  const auto doc = import_register_file(file, testing::reference(), diags);
  ASSERT_TRUE(doc) << testing::render_all(diags);
  EXPECT_EQ(doc->json.dump().find("scc-2021"), std::string::npos);
  std::filesystem::remove(file);
}

TEST(RegisterImport, EveryBadRowIsReportedWithLineAndColumnName) {
  const auto file = temp_file("xborder-register-bad.csv");
  std::ofstream(file) << "edge,event,dataset,exporter,exporter_country,importer\n";
  Diagnostics header;
  EXPECT_FALSE(import_register_file(file, testing::reference(), header));
  EXPECT_NE(testing::find_diagnostic(header, "XB-REG-005", "/0"), nullptr)
      << testing::render_all(header);
  std::ofstream(file) << "edge,event,dataset,exporter,exporter_country,importer,importer_country,"
                         "status,exporter_established\n"
                         "a,transfer,d,x,UK,y,US,,\n"
                         "b,copy,d,x,DE,y,US,violated,\n"
                         "c,store,d,x,DE,y,US,,DE\n"
                         "d,store,d,x,DE,y,US,,FR\n";
  Diagnostics rows;
  EXPECT_FALSE(import_register_file(file, testing::reference(), rows));
  const Diagnostic* uk = testing::find_diagnostic(rows, "XB-REG-010", "/1/exporter_country");
  ASSERT_NE(uk, nullptr) << testing::render_all(rows);
  EXPECT_EQ(uk->line, 2);
  EXPECT_EQ(uk->column, 16);  // `a,transfer,d,x,` is 15 characters
  EXPECT_NE(uk->hint->find("GB"), std::string::npos);
  const Diagnostic* copy = testing::find_diagnostic(rows, "XB-REG-003", "/2/event");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->column, 3);
  EXPECT_NE(testing::find_diagnostic(rows, "XB-REG-003", "/2/status"), nullptr);
  // The rows are each fine but disagree: only reported once every row reads.
  std::ofstream(file) << "edge,event,dataset,exporter,exporter_country,importer,importer_country,"
                         "exporter_established\n"
                         "c,store,d,x,DE,y,US,DE\n"
                         "d,store,d,x,DE,y,US,FR\n";
  Diagnostics conflict;
  EXPECT_FALSE(import_register_file(file, testing::reference(), conflict));
  const Diagnostic* c = testing::find_diagnostic(conflict, "XB-REG-015", "/2/exporter_established");
  ASSERT_NE(c, nullptr) << testing::render_all(conflict);
  EXPECT_EQ(c->line, 3);
  EXPECT_EQ(c->column, 21);  // `d,store,d,x,DE,y,US,` is 20 characters
  std::filesystem::remove(file);
}

// --- Fides ---------------------------------------------------------------------------------

std::filesystem::path fides_dir() {
  return testing::source_dir() / "tests" / "importers" / "fides";
}

const FidesData& fides_data() {
  static const FidesData d = [] {
    Diagnostics diags;
    auto loaded = FidesData::load(FidesData::default_dir(), diags);
    EXPECT_TRUE(loaded) << testing::render_all(diags);
    return loaded.value_or(FidesData{});
  }();
  return d;
}

TEST(FidesData, MapsOnlyKeysOfTheTaxonomyToCategoriesOfTheModel) {
  ASSERT_FALSE(fides_data().mapping.empty());
  EXPECT_EQ(fides_data().taxonomy.size(), 85u);  // fideslang 3.0.0's default data categories
  for (const auto& [key, m] : fides_data().mapping) {
    EXPECT_TRUE(fides_data().taxonomy.count(key)) << key;
    EXPECT_FALSE(m.include.empty() && m.unknown.empty()) << key;
  }
  EXPECT_EQ(fides_data().alpha3.at("USA"), "US");
  EXPECT_EQ(fides_data().alpha3.at("JPN"), "JP");
}

TEST(FidesImport, TheShopImportsToTheExpectedModelAndFindings) {
  Diagnostics diags;
  auto imported = import_fides_file(fides_dir() / "systems.yml", testing::reference(), fides_data(),
                                    {"acme"}, diags);
  ASSERT_TRUE(imported) << testing::render_all(diags);
  testing::expect_golden(fides_dir() / "expected.json", imported->document.json.dump(2) + "\n");
  // Not understood, never dropped silently: each is a warning at its line.
  const Diagnostic* team = testing::find_diagnostic(diags, "XB-FIDES-101", "/system/3/owner_team");
  ASSERT_NE(team, nullptr) << testing::render_all(diags);
  EXPECT_GT(team->line, 0);
  EXPECT_NE(testing::find_diagnostic(diags, "XB-FIDES-103",
                                     "/system/3/privacy_declarations/0/data_categories/1"),
            nullptr)
      << testing::render_all(diags);  // user.behaviour: not in the taxonomy
  EXPECT_NE(testing::find_diagnostic(diags, "XB-FIDES-102", "/policy"), nullptr);
  EXPECT_NE(testing::find_diagnostic(diags, "XB-FIDES-102", "/system/2"), nullptr);  // no location
  // The custom category (parent user.unique_id) is not warned about.
  for (const auto& d : diags.items())
    EXPECT_EQ(d.message.find("loyalty"), std::string::npos) << d.message;

  auto base = read_model_document(fides_dir() / "base.yaml", diags);
  ASSERT_TRUE(base);
  auto loaded = load_model_documents({*base, imported->document}, testing::reference());
  ASSERT_TRUE(loaded.model) << testing::render_all(loaded.diagnostics);
  const Flow* crm = nullptr;
  for (const auto& f : loaded.model->flows)
    if (f.id == "fides:webshop/to/crm_cloud") crm = &f;
  ASSERT_NE(crm, nullptr);
  EXPECT_EQ(crm->source.address, "system.webshop");
  EXPECT_GT(crm->source.line, 0);
  PathChecker checker(*loaded.model, testing::shipped_rules());
  std::set<std::string> violated, undetermined;
  for (const auto& f : checker.check(*Date::parse("2024-06-01")).findings) {
    if (f.verdict == Verdict::kViolation) violated.insert(f.rule_id + " " + f.edge);
    if (f.verdict == Verdict::kUndetermined) undetermined.insert(f.rule_id + " " + f.edge);
  }
  // Customer data from Frankfurt to a US processor with no transfer tool: a violation; to the
  // help desk and the analytics warehouse, whose locations nobody states: undetermined.
  EXPECT_TRUE(violated.count("EU-GDPR-44 fides:webshop/to/crm_cloud"))
      << ::testing::PrintToString(violated);
  bool helpdesk = false, analytics = false;
  for (const auto& u : undetermined) {
    helpdesk = helpdesk || u == "EU-GDPR-44 fides:webshop/to/support_desk";
    analytics = analytics || u == "EU-GDPR-44 fides:webshop/to/analytics";
  }
  EXPECT_TRUE(helpdesk) << ::testing::PrintToString(undetermined);
  EXPECT_TRUE(analytics) << ::testing::PrintToString(undetermined);
}

TEST(FidesImport, BadManifestsAreDiagnosedWithLineAndColumn) {
  Diagnostics diags;
  EXPECT_FALSE(
      import_fides_text("system:\n  - fides_key: a\n    meta:\n      xborder:\n"
                        "        location: mars-1\n",
                        "bad.yml", testing::reference(), fides_data(), {}, diags));
  const Diagnostic* location =
      testing::find_diagnostic(diags, "XB-FIDES-010", "/system/0/meta/xborder/location");
  ASSERT_NE(location, nullptr) << testing::render_all(diags);
  EXPECT_EQ(location->line, 5);
  Diagnostics twice;
  EXPECT_FALSE(import_fides_text("system:\n  - fides_key: a\n  - fides_key: a\n", "twice.yml",
                                 testing::reference(), fides_data(), {}, twice));
  EXPECT_NE(testing::find_diagnostic(twice, "XB-FIDES-014", "/system/1/fides_key"), nullptr)
      << testing::render_all(twice);
  Diagnostics syntax;
  EXPECT_FALSE(import_fides_text("system: [\n", "syntax.yml", testing::reference(), fides_data(),
                                 {}, syntax));
  EXPECT_NE(testing::find_diagnostic(syntax, "XB-FIDES-002", ""), nullptr)
      << testing::render_all(syntax);
}

}  // namespace
}  // namespace xborder::importers_register_fides_test
