// Transfer graph: the implicit edges (hosting, replication, remote access) and the reach of
// authorities on each node.
#include <gtest/gtest.h>

#include "model/transfer_graph.hpp"
#include "tests/test_support.hpp"

namespace xborder::graph_test {
namespace {

// A SaaS on a PaaS on an IaaS whose Japanese operator has a US parent; the PaaS operator's
// parent is unknown; the IaaS replicates to a backup and a failover region; an Indian support
// company reaches the SaaS with encrypted-only access.
const char* kStack = R"({
  "format": "xborder-model/1",
  "name": "graph test",
  "parties": [
    {"id": "cust", "country": "DE", "roles": ["controller"]},
    {"id": "app-co", "country": "JP", "parent": null},
    {"id": "paas-co", "country": "IE", "parent": "unknown"},
    {"id": "cloud-jp", "country": "JP", "parent": "cloud-us"},
    {"id": "cloud-us", "country": "US"},
    {"id": "support-in", "country": "IN"},
    {"id": "viewer", "country": "SG"}
  ],
  "systems": [
    {"id": "infra", "name": "Infra", "tier": "iaas", "operator": "cloud-jp",
     "regions": [{"location": "aws:ap-northeast-1", "role": "primary"},
                 {"location": "aws:ap-northeast-3", "role": "backup"},
                 {"location": "aws:eu-west-1", "role": "failover"}],
     "operator_handles_data": false},
    {"id": "platform", "tier": "paas", "operator": "paas-co", "runs_on": "infra",
     "regions": [{"location": "aws:ap-northeast-1"}], "operator_handles_data": false},
    {"id": "app", "name": "App", "tier": "saas", "operator": "app-co", "runs_on": "platform",
     "operator_handles_data": true,
     "remote_access": [{"party": "support-in", "country": "IN", "purpose": "support", "clear_text": false},
                       {"party": "viewer", "country": "SG", "clear_text": true}]},
    {"id": "office", "tier": "on_premises", "operator": "cust", "regions": [{"location": "country:DE"}]}
  ],
  "datasets": [{"id": "d", "categories": ["personal_data"], "subjects": ["DE"], "controller": "cust"}],
  "flows": [
    {"id": "upload", "event": "transfer", "from": "office", "to": "app", "datasets": ["d"],
     "relationship": "controller_to_processor"}
  ]
})";

class GraphTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = new TransferModel(*testing::model_from_json(kStack));
    graph_ = new TransferGraph(TransferGraph::build(*model_, testing::shipped_rules().reach));
  }
  static void TearDownTestSuite() {
    delete graph_;
    delete model_;
  }
  static const GraphNode& node(const std::string& id) {
    auto n = graph_->find_node(id);
    if (!n) throw std::runtime_error("no node " + id);
    return graph_->node(*n);
  }
  // Edges out of `from` to `to`.
  static std::vector<GraphEdge> edges(const std::string& from, const std::string& to) {
    std::vector<GraphEdge> out;
    auto f = graph_->find_node(from);
    auto t = graph_->find_node(to);
    if (!f || !t) return out;
    for (auto [it, end] = boost::out_edges(*f, graph_->graph()); it != end; ++it) {
      if (boost::target(*it, graph_->graph()) == *t) out.push_back(graph_->edge(*it));
    }
    return out;
  }
  static const ReachEntry* reach(const GraphNode& n, const std::string& source) {
    for (const auto& r : n.reach) {
      if (r.source == source) return &r;
    }
    return nullptr;
  }
  static TransferModel* model_;
  static TransferGraph* graph_;
};
TransferModel* GraphTest::model_ = nullptr;
TransferGraph* GraphTest::graph_ = nullptr;

TEST_F(GraphTest, SaasInheritsTheRegionOfWhatItRunsOn) {
  const auto& app = node("app@aws:ap-northeast-1");
  EXPECT_EQ(app.kind, NodeKind::kSystemRegion);
  EXPECT_EQ(app.holder, "app-co");
  ASSERT_TRUE(app.country.known());
  EXPECT_EQ(app.country.value(), "JP");
}

TEST_F(GraphTest, HostingEdgesPutSaasDataInTheIaasOperatorsNode) {
  auto saas_to_paas = edges("app@aws:ap-northeast-1", "platform@aws:ap-northeast-1");
  ASSERT_EQ(saas_to_paas.size(), 1u);
  EXPECT_EQ(saas_to_paas[0].kind, EdgeKind::kHosting);
  EXPECT_TRUE(saas_to_paas[0].implicit());
  EXPECT_EQ(saas_to_paas[0].event, Event::kStore);

  auto paas_to_iaas = edges("platform@aws:ap-northeast-1", "infra@aws:ap-northeast-1");
  ASSERT_EQ(paas_to_iaas.size(), 1u);
  EXPECT_EQ(paas_to_iaas[0].kind, EdgeKind::kHosting);
  EXPECT_NE(paas_to_iaas[0].why.find("cloud-jp"), std::string::npos) << paas_to_iaas[0].why;
  EXPECT_NE(paas_to_iaas[0].why.find("infra"), std::string::npos) << paas_to_iaas[0].why;

  const auto& iaas = node("infra@aws:ap-northeast-1");
  EXPECT_EQ(iaas.holder, "cloud-jp");
  EXPECT_EQ(iaas.tier, Tier::kIaas);
  ASSERT_TRUE(iaas.holder_handles_data.known());
  EXPECT_FALSE(iaas.holder_handles_data.value());
  EXPECT_EQ(iaas.control_chain, std::vector<Id>{"cloud-us"});
}

TEST_F(GraphTest, NoHostingEdgeToRegionsTheUpperSystemDoesNotUse) {
  EXPECT_TRUE(edges("platform@aws:ap-northeast-1", "infra@aws:ap-northeast-3").empty());
  EXPECT_FALSE(graph_->find_node("platform@aws:ap-northeast-3"));
}

TEST_F(GraphTest, ReplicationEdgesGoFromThePrimaryToBackupAndFailover) {
  auto backup = edges("infra@aws:ap-northeast-1", "infra@aws:ap-northeast-3");
  ASSERT_EQ(backup.size(), 1u);
  EXPECT_EQ(backup[0].kind, EdgeKind::kReplication);
  EXPECT_EQ(backup[0].region_role, RegionRole::kBackup);
  EXPECT_NE(backup[0].why.find("backup"), std::string::npos) << backup[0].why;

  auto failover = edges("infra@aws:ap-northeast-1", "infra@aws:eu-west-1");
  ASSERT_EQ(failover.size(), 1u);
  EXPECT_EQ(failover[0].kind, EdgeKind::kReplication);
  EXPECT_EQ(failover[0].region_role, RegionRole::kFailover);
  EXPECT_NE(failover[0].why.find("IE"), std::string::npos) << failover[0].why;
  EXPECT_EQ(node("infra@aws:eu-west-1").country.value(), "IE");

  // Not from a secondary region, and secondary regions are not entry points.
  EXPECT_TRUE(edges("infra@aws:ap-northeast-3", "infra@aws:eu-west-1").empty());
  for (auto v : graph_->entry_nodes("infra"))
    EXPECT_EQ(graph_->node(v).id, "infra@aws:ap-northeast-1");
}

TEST_F(GraphTest, RemoteAccessNodeSitsInTheAccessorsCountry) {
  const auto& acc = node("access:app/support-in");
  EXPECT_EQ(acc.kind, NodeKind::kRemoteAccess);
  EXPECT_EQ(acc.holder, "support-in");
  ASSERT_TRUE(acc.country.known());
  EXPECT_EQ(acc.country.value(), "IN");
  // clear_text false: they cannot handle the data.
  ASSERT_TRUE(acc.holder_handles_data.known());
  EXPECT_FALSE(acc.holder_handles_data.value());

  auto e = edges("app@aws:ap-northeast-1", "access:app/support-in");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, EdgeKind::kRemoteAccess);
  EXPECT_EQ(e[0].event, Event::kRemoteAccess);
  ASSERT_NE(e[0].access, nullptr);
  EXPECT_EQ(e[0].access->party, "support-in");
  EXPECT_NE(e[0].why.find("encrypted only"), std::string::npos) << e[0].why;

  const auto& viewer = node("access:app/viewer");
  ASSERT_TRUE(viewer.holder_handles_data.known());
  EXPECT_TRUE(viewer.holder_handles_data.value());
}

TEST_F(GraphTest, ExplicitFlowGoesToThePrimaryNode) {
  auto e = edges("office@country:DE", "app@aws:ap-northeast-1");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, EdgeKind::kFlow);
  EXPECT_FALSE(e[0].implicit());
  EXPECT_EQ(e[0].id, "upload");
  ASSERT_NE(e[0].flow, nullptr);
}

TEST_F(GraphTest, UsParentGivesCertainCloudActReach) {
  const auto& iaas = node("infra@aws:ap-northeast-1");
  const ReachEntry* r = reach(iaas, "US-CLOUD-ACT");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->authority, "US");
  EXPECT_TRUE(r->certain);
  EXPECT_NE(r->why.find("cloud-us"), std::string::npos) << r->why;
  ASSERT_TRUE(r->valid.from);
  EXPECT_EQ(r->valid.from->to_string(), "2018-03-23");
  // The failover copy in Ireland is reached too: the CLOUD Act does not care where.
  EXPECT_NE(reach(node("infra@aws:eu-west-1"), "US-CLOUD-ACT"), nullptr);
}

TEST_F(GraphTest, UnknownParentGivesUncertainReach) {
  const auto& paas = node("platform@aws:ap-northeast-1");
  EXPECT_FALSE(paas.control_chain_complete);
  const ReachEntry* r = reach(paas, "US-CLOUD-ACT");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->authority, "US");
  EXPECT_FALSE(r->certain);
  EXPECT_NE(r->why.find("not fully known"), std::string::npos) << r->why;
}

TEST_F(GraphTest, KnownNonUsControlGivesNoCloudActReach) {
  const auto& app = node("app@aws:ap-northeast-1");
  EXPECT_TRUE(app.control_chain_complete);
  EXPECT_EQ(reach(app, "US-CLOUD-ACT"), nullptr);
  // On-premises is outside the declared tiers even if it were US-controlled.
  EXPECT_EQ(reach(node("office@country:DE"), "US-CLOUD-ACT"), nullptr);
}

TEST_F(GraphTest, TerritorialReachOfTheLocationCountry) {
  const auto& iaas = node("infra@aws:ap-northeast-1");
  bool jp = false;
  for (const auto& r : iaas.reach) {
    if (r.source == "territorial" && r.authority == "JP") {
      jp = true;
      EXPECT_TRUE(r.certain);
    }
  }
  EXPECT_TRUE(jp);
  // The Irish failover region: territorial IE, plus the holder's establishment JP.
  std::set<std::string> territorial;
  for (const auto& r : node("infra@aws:eu-west-1").reach) {
    if (r.source == "territorial") territorial.insert(r.authority);
  }
  EXPECT_EQ(territorial, (std::set<std::string>{"IE", "JP"}));
}

TEST(Graph, UnknownAccessorCountryHasNoTerritorialReach) {
  auto m = testing::model_from_json(R"({
    "format": "xborder-model/1", "name": "x",
    "parties": [{"id": "a", "country": "DE"}, {"id": "s", "country": "unknown"}],
    "systems": [{"id": "sys", "tier": "on_premises", "operator": "a", "regions": [{"location": "country:DE"}],
                 "remote_access": [{"party": "s", "country": "unknown", "clear_text": true}]}],
    "datasets": [{"id": "d", "categories": ["personal_data"]}],
    "flows": [{"id": "f", "event": "store", "from": "sys", "to": "sys", "datasets": ["d"], "relationship": "same_entity"}]
  })");
  ASSERT_TRUE(m);
  auto g = TransferGraph::build(*m, testing::shipped_rules().reach);
  auto v = g.find_node("access:sys/s");
  ASSERT_TRUE(v);
  EXPECT_FALSE(g.node(*v).country.known());
  for (const auto& r : g.node(*v).reach) EXPECT_NE(r.source, "territorial");
  // Node count: one system region, two parties, one access node.
  EXPECT_EQ(g.node_count(), 4u);
}

}  // namespace
}  // namespace xborder::graph_test
