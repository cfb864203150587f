// The finding list: full records and occurrences kept as ids read alike, materialise on demand,
// keep their path counts, and a checked lookup names the index. Also on a real check: with one
// explanation per issue, the occurrences other than the examples are ids and read the same
// fields as the fully explained check's records.
#include "solver/findings.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <tuple>

#include "model/model_loader.hpp"
#include "solver/checker.hpp"
#include "tests/test_support.hpp"

namespace xborder::findings_test {
namespace {

std::shared_ptr<FindingFacts> two_rules_one_edge() {
  auto facts = std::make_shared<FindingFacts>();
  facts->rules = {{"R-1", "basis", "eu"}, {"R-2", "duty", "jp"}};
  FindingFacts::EdgeFacts e;
  e.id = "to-us";
  e.kind = EdgeKind::kRemoteAccess;
  e.event = Event::kRemoteAccess;
  e.from_node = "crm@country:DE";
  e.to_node = "access:crm/support";
  e.exporter = "shop";
  e.importer = "support";
  e.from_country = "DE";
  e.to_country = "US";
  e.model_pointer = "/flows/0";
  facts->edges = {e};
  facts->datasets = {"customers", "staff"};
  return facts;
}

TEST(FindingList, OccurrencesReadTheirStringsFromTheSharedFacts) {
  FindingList list;
  list.push_occurrence(Verdict::kUndetermined, 1, 0, 1);
  list.set_facts(two_rules_one_edge());
  list.set_path_count(0, 7);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list.stored_as_ids(0));
  const FindingRef f = list[0];
  EXPECT_EQ(f.verdict, Verdict::kUndetermined);
  EXPECT_EQ(f.rule_id, "R-2");
  EXPECT_EQ(f.rule_kind, "duty");
  EXPECT_EQ(f.place, "jp");
  EXPECT_EQ(f.dataset, "staff");
  EXPECT_EQ(f.edge, "to-us");
  EXPECT_EQ(f.edge_kind, EdgeKind::kRemoteAccess);
  EXPECT_EQ(f.event, Event::kRemoteAccess);
  EXPECT_EQ(f.importer, "support");
  EXPECT_EQ(f.to_country, "US");
  EXPECT_EQ(f.model_pointer, "/flows/0");
  EXPECT_EQ(f.path_count, 7u);
  EXPECT_FALSE(f.explained);
  EXPECT_TRUE(f.routes.empty());
  EXPECT_TRUE(f.rule_title.en.empty());
}

TEST(FindingList, FullMaterialisesAnOccurrenceAndKeepsItsPathCount) {
  FindingList list;
  list.push_occurrence(Verdict::kViolation, 0, 0, 0);
  list.push_occurrence(Verdict::kViolation, 0, 0, 1);
  list.set_facts(two_rules_one_edge());
  list.set_path_count(1, 3);
  Finding& f = list.full(1);
  EXPECT_FALSE(list.stored_as_ids(1));
  EXPECT_TRUE(list.stored_as_ids(0));
  EXPECT_EQ(f.dataset, "staff");
  EXPECT_EQ(f.path_count, 3u);
  f.because = {"importer.country = US"};
  f.explained = true;
  list.set_path_count(1, 4);  // now held by the full record
  EXPECT_EQ(list[1].path_count, 4u);
  EXPECT_EQ(list[1].because.size(), 1u);
  EXPECT_TRUE(list[1].explained);
  EXPECT_EQ(list[0].dataset, "customers");  // its neighbour untouched
}

TEST(FindingList, PushedRecordsConvertBackAndCheckedLookupsNameTheIndex) {
  FindingList list;
  Finding f;
  f.rule_id = "R-9";
  f.edge = "e";
  f.path_count = 2;
  f.scope = {"a", "b"};
  list.push_back(f);
  const Finding back = list[0];
  EXPECT_EQ(back.rule_id, "R-9");
  EXPECT_EQ(back.scope, f.scope);
  EXPECT_EQ(back.path_count, 2u);
  std::size_t n = 0;
  for (const auto& r : list) n += r.rule_id == "R-9";
  EXPECT_EQ(n, 1u);
  try {
    (void)list.at(5);
    FAIL() << "at(5) of one finding did not throw";
  } catch (const std::out_of_range& e) {
    EXPECT_NE(std::string(e.what()).find("finding 5 of a list of 1"), std::string::npos)
        << e.what();
  }
  list.clear();
  EXPECT_TRUE(list.empty());
}

TEST(FindingList, OneExplanationPerIssueKeepsTheOtherOccurrencesAsIdsWithTheSameFields) {
  const auto loaded =
      load_model(testing::source_dir() / "scenarios" / "multi-tier-cloud" / "model.json",
                 testing::reference());
  ASSERT_TRUE(loaded.model) << testing::render_all(loaded.diagnostics);
  PathChecker every_checker(*loaded.model, testing::shipped_rules());
  PathChecker lazy_checker(*loaded.model, testing::shipped_rules());
  const Date at = *Date::parse("2024-06-01");
  CheckOptions lazy_options;
  lazy_options.explain = Explain::kOnePerIssue;
  const CheckResult every = every_checker.check(at);
  const CheckResult lazy = lazy_checker.check(at, lazy_options);
  ASSERT_EQ(every.findings.size(), lazy.findings.size());
  ASSERT_GT(lazy.findings.size(), lazy.issues.size());  // some occurrences are not examples
  std::size_t as_ids = 0;
  for (std::size_t k = 0; k < lazy.findings.size(); ++k) {
    const FindingRef a = every.findings[k], b = lazy.findings[k];
    as_ids += lazy.findings.stored_as_ids(k);
    EXPECT_EQ(std::tie(a.verdict, a.rule_id, a.rule_kind, a.place, a.dataset, a.edge, a.from_node,
                       a.to_node, a.exporter, a.importer, a.from_country, a.to_country,
                       a.model_pointer, a.path_count),
              std::tie(b.verdict, b.rule_id, b.rule_kind, b.place, b.dataset, b.edge, b.from_node,
                       b.to_node, b.exporter, b.importer, b.from_country, b.to_country,
                       b.model_pointer, b.path_count))
        << k;
    EXPECT_EQ(a.event, b.event) << k;
    EXPECT_EQ(a.edge_kind, b.edge_kind) << k;
  }
  EXPECT_EQ(as_ids, lazy.findings.size() - lazy.issues.size());
}

}  // namespace
}  // namespace xborder::findings_test
