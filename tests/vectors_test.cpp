// Regression vectors: every jurisdictions/<pack>/vectors/*.json is a small model taken from a
// regulator's own example, with the verdicts the example states. Each is checked with all the
// shipped packs; the listed findings must appear (and the `absent` ones must not).
#include <gtest/gtest.h>

#include <set>

#include "model/json_reader.hpp"
#include "solver/rule_catalog.hpp"
#include "tests/test_support.hpp"

namespace xborder::vectors_test {
namespace {

using nlohmann::json;

std::vector<std::string> vector_files() {
  std::vector<std::string> out;
  const auto root = testing::source_dir() / "jurisdictions";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        entry.path().parent_path().filename() == "vectors") {
      out.push_back(std::filesystem::relative(entry.path(), root).generic_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Expectation {
  std::string rule, edge, verdict;
};
// A warning the check must raise (e.g. XB-CHECK-003, a place with no rule in force at the date),
// whose message mentions `mentions` (e.g. "`ch-fadp`").
struct WarningExpectation {
  std::string code, mentions;
};

// Reads a vector strictly: unknown keys and missing parts are failures, like any other input.
// Where a vector comes from. Only `official_example` counts towards the five a pack needs.
//   official_example: a worked example, case or Q&A answer published by the regulator, the
//                     government or a court (guidelines, FAQs, statutory illustrations, decisions);
//   rule_text:        the text of the rule applied to a situation built for the vector.
struct Vector {
  std::string title;
  Citation source;
  std::string kind;
  json model;
  std::vector<std::string> policies;  // example policy packs, relative to jurisdictions/
  std::vector<std::pair<Date, std::vector<Expectation>>> expect;
  std::vector<std::pair<Date, std::vector<Expectation>>> absent;
  std::vector<std::vector<WarningExpectation>> warnings;  // per check
};

std::optional<Vector> read_vector(const std::filesystem::path& file, Diagnostics& diags) {
  auto doc = read_json_file(file, diags, "XB-VECTOR");
  if (!doc) return std::nullopt;
  ReadContext ctx{file, &diags, "XB-VECTOR"};
  ObjectReader top(*doc, "", ctx);
  Vector v;
  if (auto f = top.string("format", true); f && *f != "xborder-vector/1")
    ctx.error("013", "/format", "unknown vector format");
  v.title = top.string("title", true).value_or("");
  if (const Json* s = top.get("source", true)) {
    ObjectReader r(*s, "/source", ctx);
    v.source.instrument = r.string("instrument", true).value_or("");
    v.source.article = r.string("article", true).value_or("");
    v.source.url = r.string("url", true).value_or("");
    v.source.verified = r.string("verified", true).value_or("");
    v.kind = r.one_of("kind", true, {"official_example", "rule_text"}, "source kind").value_or("");
    r.string("note", false);
    r.finish();
  }
  if (const Json* m = top.get("model", true)) v.model = *m;
  v.policies = top.strings("policies", false);
  auto expectations = [&](ObjectReader& r, const char* key, bool with_verdict) {
    std::vector<Expectation> out;
    r.array(key, false, [&](const Json& e, const std::string& ptr) {
      ObjectReader er(e, ptr, ctx);
      Expectation x;
      x.rule = er.string("rule", true).value_or("");
      x.edge = er.string("edge", true).value_or("");
      if (with_verdict)
        x.verdict =
            er.one_of("verdict", true, {"violation", "undetermined", "compliant"}, "verdict")
                .value_or("");
      er.string("note", false);
      if (er.finish()) out.push_back(x);
    });
    return out;
  };
  top.array("checks", true, [&](const Json& c, const std::string& ptr) {
    ObjectReader r(c, ptr, ctx);
    const auto at = r.date("at", true);
    auto expect = expectations(r, "expect", true);
    auto absent = expectations(r, "absent", false);
    std::vector<WarningExpectation> warnings;
    r.array("warnings", false, [&](const Json& w, const std::string& wptr) {
      ObjectReader wr(w, wptr, ctx);
      WarningExpectation x;
      x.code = wr.string("code", true).value_or("");
      x.mentions = wr.string("mentions", false).value_or("");
      if (wr.finish()) warnings.push_back(x);
    });
    r.string("note", false);
    if (!r.finish() || !at) return;
    if (expect.empty() && absent.empty() && warnings.empty())
      ctx.error("020", ptr, "a check with nothing to expect");
    v.expect.emplace_back(*at, expect);
    v.absent.emplace_back(*at, absent);
    v.warnings.push_back(warnings);
  });
  top.string("note", false);
  top.finish();
  if (diags.has_errors()) return std::nullopt;
  return v;
}

class RegressionVector : public ::testing::TestWithParam<std::string> {};

TEST_P(RegressionVector, RegulatorsExampleHolds) {
  const auto file = testing::source_dir() / "jurisdictions" / GetParam();
  Diagnostics diags;
  auto v = read_vector(file, diags);
  ASSERT_TRUE(v) << testing::render_all(diags);
  EXPECT_FALSE(v->source.url.empty());
  auto loaded = load_model_json(v->model, file, testing::reference());
  ASSERT_TRUE(loaded.model) << testing::render_all(loaded.diagnostics);
  // A vector of an example policy pack loads that pack beside the shipped ones (--policies).
  std::optional<RuleBase> with_policies;
  if (!v->policies.empty()) {
    std::vector<std::filesystem::path> files;
    for (const auto& p : v->policies) files.push_back(testing::source_dir() / "jurisdictions" / p);
    auto r = load_rule_base(testing::source_dir() / "jurisdictions",
                            testing::reference().country_codes(), {}, files);
    ASSERT_TRUE(r.rules) << testing::render_all(r.diagnostics);
    with_policies = std::move(*r.rules);
  }
  PathChecker checker(*loaded.model, with_policies ? *with_policies : testing::shipped_rules());
  // An expectation about an edge that does not exist would pass vacuously.
  std::set<std::string> edges;
  const auto& g = checker.graph().graph();
  for (auto [it, end] = boost::edges(g); it != end; ++it) edges.insert(g[*it].id);
  for (const auto* list : {&v->expect, &v->absent}) {
    for (const auto& [at, expectations] : *list) {
      for (const auto& e : expectations)
        EXPECT_TRUE(edges.count(e.edge)) << "no edge `" << e.edge << "` in the model";
    }
  }
  for (std::size_t k = 0; k < v->expect.size(); ++k) {
    const Date at = v->expect[k].first;
    const auto result = checker.check(at);
    auto listing = [&] {
      std::string out;
      for (const auto& f : result.findings)
        out += "  " + f.rule_id + " " + f.edge + " " + std::string(to_string(f.verdict)) + "\n";
      return out;
    };
    for (const auto& e : v->expect[k].second) {
      const bool found =
          std::any_of(result.findings.begin(), result.findings.end(), [&](const Finding& f) {
            return f.rule_id == e.rule && f.edge == e.edge && to_string(f.verdict) == e.verdict;
          });
      EXPECT_TRUE(found) << v->title << "\n  expected " << e.rule << " " << e.edge << " "
                         << e.verdict << " at " << at.to_string() << ", found:\n"
                         << listing();
    }
    for (const auto& e : v->absent[k].second) {
      const bool found =
          std::any_of(result.findings.begin(), result.findings.end(),
                      [&](const Finding& f) { return f.rule_id == e.rule && f.edge == e.edge; });
      EXPECT_FALSE(found) << v->title << "\n  " << e.rule << " must not apply to " << e.edge
                          << " at " << at.to_string() << ", found:\n"
                          << listing();
    }
    for (const auto& w : v->warnings[k]) {
      bool found = false;
      for (const auto& d : result.warnings.items())
        found = found || (d.code == w.code && d.message.find(w.mentions) != std::string::npos);
      EXPECT_TRUE(found) << v->title << "\n  expected warning " << w.code << " mentioning `"
                         << w.mentions << "` at " << at.to_string();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Packs, RegressionVector, ::testing::ValuesIn(vector_files()),
                         [](const auto& info) { return testing::param_name(info.param); });

// Packs still short of five official examples, each with why. The test fails when a pack is short
// and not listed here, and when a listed pack has reached five (so the list only shrinks).
const std::map<std::string, std::string>& packs_short_of_official_examples() {
  static const std::map<std::string, std::string> known = {
      {"br",
       "the ANPD has published no worked example or FAQ on international transfers that was "
       "found; two vectors rest on its transfer page and a statement, the rest on regulation text"},
      {"in",
       "DPDP s. 16 and Rule 15 of the DPDP Rules 2025 have no illustrations, and MeitY has "
       "published no worked example of them (its FAQ on the draft rules only states a policy)"},
  };

  return known;
}

// Issue 3: every pack with rules ships at least five vectors from official examples, counted as
// `xborder rules lint` counts them (XB-LINT-009).
TEST(RegressionVectors, EveryPackWithRulesHasFiveOfficialExamples) {
  const auto root = testing::source_dir() / "jurisdictions";
  const auto warnings = vector_coverage(testing::shipped_rules(), root);
  std::set<std::string> short_of_examples;
  for (const auto& d : warnings.items()) {
    short_of_examples.insert(std::filesystem::relative(d.file, root).begin()->generic_string());
  }
  for (const auto& folder : short_of_examples) {
    EXPECT_TRUE(packs_short_of_official_examples().count(folder))
        << folder << "/vectors/ has too few vectors of kind official_example:\n"
        << testing::render_all(warnings);
  }
  for (const auto& [folder, why] : packs_short_of_official_examples()) {
    EXPECT_TRUE(short_of_examples.count(folder))
        << folder << " now has five official examples: take it off the list of packs short of "
        << "them (" << why << ")";
  }
}

// The example policy packs (jurisdictions/examples/) are not shipped rules, but they are what users
// copy: each has vectors of its own, which load it with `policies`.
TEST(RegressionVectors, ExamplePoliciesAreNotLoadedByDefaultAndHaveVectors) {
  const auto root = testing::source_dir() / "jurisdictions";
  for (const auto& pack : testing::shipped_rules().packs) {
    EXPECT_NE(std::filesystem::relative(pack.file, root).begin()->string(), "examples")
        << pack.file;
  }
  std::map<std::string, int> count;
  for (const auto& f : vector_files()) {
    Diagnostics diags;
    auto v = read_vector(root / f, diags);
    ASSERT_TRUE(v) << testing::render_all(diags);
    for (const auto& p : v->policies) ++count[p];
  }
  int examples = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "examples")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json" ||
        entry.path().parent_path().filename() == "vectors")
      continue;
    ++examples;
    const auto rel = std::filesystem::relative(entry.path(), root).generic_string();
    EXPECT_GE(count[rel], 5) << rel << " needs five vectors naming it under `policies`";
  }
  EXPECT_GE(examples, 2);
}

}  // namespace
}  // namespace xborder::vectors_test
