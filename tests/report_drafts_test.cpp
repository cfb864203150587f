// The transfer register, APPI Art. 28(2) notice drafts and TIA skeletons, rendered from real checks
// of the shipped scenarios. Golden files live in tests/golden/report/<scenario>/;
// XBORDER_UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "reports/legal_drafts.hpp"
#include "reports/register.hpp"
#include "reports/report_input.hpp"
#include "tests/test_support.hpp"

namespace xborder::report_drafts_test {
namespace {

using nlohmann::json;
using testing::expect_golden;
using testing::read_text;
using testing::scenario_names;

class DraftsGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DraftsGolden, MatchesGoldenFiles) {
  const auto input = testing::scenario_report_input(GetParam());
  ASSERT_TRUE(input.contains("check"));
  const auto dir = testing::source_dir() / "tests" / "golden" / "report" / GetParam();
  expect_golden(dir / "register.json", transfer_register(input).dump(2) + "\n");
  expect_golden(dir / "appi-notice.md", render_appi_notices_markdown(appi_notices(input)));
  expect_golden(dir / "tia.md", render_tia_markdown(tia_drafts(input)));
}

INSTANTIATE_TEST_SUITE_P(Scenarios, DraftsGolden, ::testing::ValuesIn(scenario_names()),
                         [](const auto& info) { return testing::param_name(info.param); });

TEST(ReportDrafts, MultiTierCloudNoticeCoversUsWithCloudParent) {
  const auto notices =
      appi_notices(testing::scenario_report_input("multi-tier-cloud", "2024-06-01"));
  const json* us = nullptr;
  for (const auto& n : notices) {
    if (n["country"] == "US") us = &n;
  }
  ASSERT_NE(us, nullptr) << notices.dump(2);
  EXPECT_EQ((*us)["country_name"]["en"], "United States");
  EXPECT_EQ((*us)["country_name"]["ja"], "米国");
  EXPECT_EQ((*us)["designated"], false);
  bool parent = false;
  for (const auto& r : (*us)["recipients"]) parent = parent || r["party"] == "cloud-c-parent";
  EXPECT_TRUE(parent) << us->dump(2);
  // The regime summary is never generated: it is an open item pointing to the PPC survey.
  bool regime_open = false;
  for (const auto& o : (*us)["regime"]["open"]) {
    regime_open = regime_open || o["en"].get<std::string>().find("ppc.go.jp") != std::string::npos;
  }
  EXPECT_TRUE(regime_open);
  const auto md = render_appi_notices_markdown(notices);
  EXPECT_NE(md.find("DRAFT"), std::string::npos);
  EXPECT_NE(md.find("米国 / United States"), std::string::npos) << md;
  EXPECT_NE(md.find("- [ ] "), std::string::npos);
}

TEST(ReportDrafts, EuJpUsTransferHasSixStepTiaForUs) {
  const auto drafts = tia_drafts(testing::scenario_report_input("eu-jp-us-transfer", "2020-08-01"));
  const json* to_us = nullptr;
  for (const auto& d : drafts) {
    if (d["edge"] == "to-us") to_us = &d;
  }
  ASSERT_NE(to_us, nullptr) << drafts.dump(2);
  EXPECT_EQ((*to_us)["importer_country"], "US");
  EXPECT_EQ((*to_us)["verdict"], "violation");
  ASSERT_EQ((*to_us)["steps"].size(), 6u);
  for (int i = 0; i < 6; ++i) {
    const auto& s = (*to_us)["steps"][static_cast<std::size_t>(i)];
    EXPECT_EQ(s["step"], i + 1);
    EXPECT_FALSE(s["title"]["en"].get<std::string>().empty());
    EXPECT_FALSE(s["title"]["ja"].get<std::string>().empty());
    EXPECT_FALSE(s["open"].empty()) << "step " << i + 1;
  }
  const auto md = render_tia_markdown(drafts);
  EXPECT_NE(md.find("DRAFT"), std::string::npos);
  EXPECT_NE(md.find("Step 6"), std::string::npos);
  EXPECT_NE(md.find("（移転の把握）"), std::string::npos);
}

TEST(ReportDrafts, RegisterHasImplicitRemoteAccessViolation) {
  const auto reg =
      transfer_register(testing::scenario_report_input("multi-tier-cloud", "2024-06-01"));
  const json* row = nullptr;
  for (const auto& r : reg) {
    if (r["edge"] == "remote_access:c-storage@country:JP->access:c-storage/cloud-c-parent" &&
        r["dataset"] == "photos")
      row = &r;
  }
  ASSERT_NE(row, nullptr) << reg.dump(2);
  EXPECT_TRUE((*row)["implicit"].get<bool>());
  EXPECT_EQ((*row)["event"], "remote_access");
  EXPECT_EQ((*row)["status"], "violation");
  EXPECT_EQ((*row)["exporter_country"], "JP");
  EXPECT_EQ((*row)["importer_country"], "US");
  EXPECT_EQ((*row)["importer_name"], "C's US parent (C Cloud Inc.)");
  EXPECT_EQ((*row)["categories"], json::array({"personal_data"}));
  EXPECT_TRUE((*row)["mechanism"].empty());
  // Deterministic order: data set, then edge id.
  for (std::size_t i = 1; i < reg.size(); ++i) {
    const auto a = std::make_pair(reg[i - 1]["dataset"].get<std::string>(),
                                  reg[i - 1]["edge"].get<std::string>());
    const auto b =
        std::make_pair(reg[i]["dataset"].get<std::string>(), reg[i]["edge"].get<std::string>());
    EXPECT_LT(a, b);
  }
}

TEST(ReportDrafts, RegisterListsAvailableMechanisms) {
  const auto reg =
      transfer_register(testing::scenario_report_input("eu-jp-us-transfer", "2020-08-01"));
  bool japan = false;
  for (const auto& r : reg) {
    if (r["edge"] != "to-japan") continue;
    japan = true;
    EXPECT_EQ(r["status"], "compliant");
    EXPECT_EQ(r["mechanism"], json::array({"adequacy decision (Art. 45)"}));
    EXPECT_EQ(r["legal_basis"], json::array({"Regulation (EU) 2016/679 (GDPR), Art. 45"}));
  }
  EXPECT_TRUE(japan) << reg.dump(2);
}

}  // namespace
}  // namespace xborder::report_drafts_test
