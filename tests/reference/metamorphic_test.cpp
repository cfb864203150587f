// Metamorphic tests of PathChecker on random models (tests/reference/README.md): renaming ids,
// reordering arrays and adding an unrelated party or system change no verdict; a checker
// reused across dates answers like a fresh checker at each date.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include "tests/reference/model_generator.hpp"
#include "tests/reference/reference_checker.hpp"
#include "tests/reference/run_settings.hpp"
#include "tests/test_support.hpp"

namespace xborder::reference::metamorphic_test {
namespace {

using nlohmann::json;
using xborder::testing::reference;
using xborder::testing::shipped_rules;

// An offset keeps these models apart from the differential test's.
std::uint64_t seed() {
  return reference_seed() + 7777777;
}
int count(int release_default, int sanitized_default) {
  return reference_model_count(release_default, sanitized_default, 5);
}

const std::vector<std::string> kDates = {
    "2015-10-05", "2015-10-06", "2016-07-12", "2018-05-24", "2018-05-25", "2019-01-23",
    "2020-07-15", "2020-07-16", "2021-09-26", "2021-09-27", "2022-03-31", "2022-04-01",
    "2022-09-22", "2022-12-27", "2023-07-10", "2025-06-27", "2026-01-01"};
Date date(const std::string& s) {
  return *Date::parse(s);
}

// A finding as this test compares it: identity, path count (0 when `counts` is false: in a
// graph with a cycle the checker counts each cycle once, so the count depends on the order it
// meets the edges) and the status of every route.
using Answer = std::map<std::tuple<std::string, std::string, std::string, Verdict>,
                        std::pair<std::uint64_t, std::string>>;
Answer answers(const CheckResult& r, bool counts,
               const std::function<std::string(std::string)>& rename = {}) {
  Answer out;
  for (const auto& f : r.findings) {
    std::string routes;
    for (const auto& route : f.routes)
      routes += route.id + "=" + std::string(to_string(route.status)) + " ";
    const std::string edge = rename ? rename(f.edge) : f.edge;
    const std::string ds = rename ? rename(f.dataset) : f.dataset;
    out[{f.rule_id, edge, ds, f.verdict}] = {counts ? f.path_count : 0, routes};
  }
  return out;
}

std::string diff(const Answer& expected, const Answer& actual) {
  std::ostringstream out;
  for (const auto& [k, v] : expected) {
    auto it = actual.find(k);
    if (it == actual.end()) {
      out << "  missing: " << to_string(FindingKey(k)) << "\n";
    } else if (it->second != v) {
      out << "  differs: " << to_string(FindingKey(k)) << ": " << v.first << " paths, " << v.second
          << " vs " << it->second.first << " paths, " << it->second.second << "\n";
    }
  }
  for (const auto& [k, v] : actual) {
    if (!expected.count(k)) out << "  extra: " << to_string(FindingKey(k)) << "\n";
  }
  return out.str();
}

struct Case {
  std::uint64_t seed;
  json model;
  std::optional<TransferModel> loaded;
  Date at;
  bool acyclic = true;  // no cycle in the transfer graph but self-loops
};

// Valid random models; with `quiet`, only those whose check raises no XB-CHECK-001 warning (where
// a data set starts when a flow sends it from a node nothing brings it to depends on the order of
// the flows, on purpose).
template <class F>
void for_models(int n, bool quiet, F&& f) {
  Rng rng(seed());
  int done = 0;
  for (int k = 0; done < n && k < n * 10; ++k) {
    Case c{seed() + static_cast<std::uint64_t>(k), {}, {}, {}, true};
    c.model = generate_model(c.seed);
    auto r = load_model_json(c.model, "generated.json", reference());
    if (!r.model) continue;
    c.loaded = std::move(r.model);
    c.at = date(rng.pick(kDates));
    auto ref = reference_check(*c.loaded, shipped_rules(), c.at);
    if (!ref) continue;
    c.acyclic = ref->graph_acyclic;
    PathChecker checker(*c.loaded, shipped_rules());
    if (quiet) {
      // Only the order-dependent start (XB-CHECK-001) disqualifies a model: a place not yet in
      // force at the date (XB-CHECK-003) says nothing about the order of the arrays.
      const auto warnings = checker.check(c.at).warnings;
      const auto& items = warnings.items();
      if (std::any_of(items.begin(), items.end(),
                      [](const Diagnostic& d) { return d.code == "XB-CHECK-001"; }))
        continue;
    }
    ++done;
    f(c, checker);
  }
  EXPECT_GE(done, n * 2 / 3) << "the generator gave too few usable models";
}

std::string header(const Case& c, const std::string& what) {
  return "model seed " + std::to_string(c.seed) + " at " + c.at.to_string() + ": " + what +
         " changed the findings\nmodel:\n" + c.model.dump(1) + "\n";
}

// Every string equal to an id (parties, systems, data sets, flows) replaced, everywhere.
json renamed(const json& m, const std::map<std::string, std::string>& names) {
  if (m.is_string()) {
    auto it = names.find(m.get<std::string>());
    return it == names.end() ? m : json(it->second);
  }
  json out = m;
  if (m.is_array()) {
    for (std::size_t k = 0; k < m.size(); ++k) out[k] = renamed(m[k], names);
  } else if (m.is_object()) {
    for (auto it = m.begin(); it != m.end(); ++it) {
      if (it.key() == "format" || it.key() == "name") continue;
      out[it.key()] = renamed(it.value(), names);
    }
  }
  return out;
}

TEST(Metamorphic, RenamingIdsChangesNoVerdict) {
  for_models(count(40, 4), false, [](const Case& c, PathChecker& checker) {
    std::map<std::string, std::string> names, back;
    int n = 0;
    for (const char* array : {"parties", "systems", "datasets", "flows"}) {
      for (const auto& x : c.model[array]) {
        // New names sort in another order than the old ones: zz-9…, zz-8…
        const std::string fresh =
            "zz-" + std::to_string(99 - n++) + "-" + x["id"].get<std::string>() + "x";
        names[x["id"]] = fresh;
        back[fresh] = x["id"];
      }
    }
    const json other = renamed(c.model, names);
    auto model = load_model_json(other, "renamed.json", reference());
    ASSERT_TRUE(model.model) << other.dump(1);
    PathChecker renamed_checker(*model.model, shipped_rules());
    auto undo = [&](std::string s) {
      for (const auto& [fresh, old] : back) {
        for (std::size_t p = s.find(fresh); p != std::string::npos; p = s.find(fresh, p))
          s.replace(p, fresh.size(), old);
      }
      return s;
    };
    const std::string d = diff(answers(checker.check(c.at), c.acyclic),
                               answers(renamed_checker.check(c.at), c.acyclic, undo));
    EXPECT_EQ(d, "") << header(c, "renaming ids");
  });
}

TEST(Metamorphic, ReorderingArraysChangesNoVerdict) {
  for_models(count(40, 4), true, [](const Case& c, PathChecker& checker) {
    json other = c.model;
    Rng rng(c.seed ^ 0xabcdefULL);
    auto shuffle = [&](json& a) {
      if (!a.is_array()) return;
      for (std::size_t k = a.size(); k > 1; --k) std::swap(a[k - 1], a[rng.below(k)]);
    };
    for (const char* array : {"parties", "systems", "datasets", "flows"}) shuffle(other[array]);
    for (auto& f : other["flows"]) shuffle(f["datasets"]);
    for (auto& p : other["parties"]) {
      if (p.contains("certifications")) shuffle(p["certifications"]);
    }
    auto model = load_model_json(other, "reordered.json", reference());
    ASSERT_TRUE(model.model) << other.dump(1);
    PathChecker reordered(*model.model, shipped_rules());
    const std::string d =
        diff(answers(checker.check(c.at), c.acyclic), answers(reordered.check(c.at), c.acyclic));
    EXPECT_EQ(d, "") << header(c, "reordering arrays") << "reordered:\n" << other.dump(1);
  });
}

TEST(Metamorphic, AddingAnUnrelatedPartyOrSystemChangesNoVerdict) {
  for_models(count(40, 4), false, [](const Case& c, PathChecker& checker) {
    json other = c.model;
    Rng rng(c.seed ^ 0x1234ULL);
    // A party in a country no one else uses (a new value of the country universe), its parent,
    // and a system it runs with a backup and remote access; nothing sends it any data.
    const std::vector<std::string> far = {"NZ", "ZA", "MX", "NO", "AE"};
    other["parties"].push_back({{"id", "unrelated-parent"}, {"country", rng.pick(far)}});
    other["parties"].push_back(
        {{"id", "unrelated"}, {"country", rng.pick(far)}, {"parent", "unrelated-parent"}});
    if (rng.chance(60)) {
      const std::size_t primary = rng.below(far.size());
      const std::size_t backup = (primary + 1 + rng.below(far.size() - 1)) % far.size();
      other["systems"].push_back(
          {{"id", "unrelated-system"},
           {"tier", "saas"},
           {"operator", "unrelated"},
           {"regions", json::array({{{"location", "country:" + far[primary]}, {"role", "primary"}},
                                    {{"location", "country:" + far[backup]}, {"role", "backup"}}})},
           {"remote_access",
            json::array({{{"party", "unrelated-parent"}, {"country", rng.pick(far)}}})}});
    }
    auto model = load_model_json(other, "extended.json", reference());
    ASSERT_TRUE(model.model) << other.dump(1);
    PathChecker extended(*model.model, shipped_rules());
    const std::string d =
        diff(answers(checker.check(c.at), c.acyclic), answers(extended.check(c.at), c.acyclic));
    EXPECT_EQ(d, "") << header(c, "adding an unrelated party or system") << "extended:\n"
                     << other.dump(1);
  });
}

// The checker reuses a rule's decision between events that agree on all the rule reads: at one
// edge, and across the edges of a class (CheckOptions::reuse_decisions, class_trial). Deciding
// every (event, rule) afresh gives the same findings, whether edges are classed from the start,
// judged after the first edge, or after the default trial.
TEST(Metamorphic, ReusingDecisionsChangesNoVerdict) {
  for_models(count(30, 3), false, [](const Case& c, PathChecker& checker) {
    CheckOptions afresh;
    afresh.reuse_decisions = false;
    const Answer expected = answers(checker.check(c.at, afresh), c.acyclic);
    for (std::uint32_t trial : {0u, 1u, 4096u}) {
      CheckOptions reuse;
      reuse.class_trial = trial;
      EXPECT_EQ(diff(expected, answers(checker.check(c.at, reuse), c.acyclic)), "")
          << header(c, "reusing decisions (class trial " + std::to_string(trial) + ")");
    }
  });
}

TEST(Metamorphic, AReusedCheckerAnswersLikeAFreshOneAtEveryBoundaryDate) {
  for_models(count(12, 2), false, [](const Case& c, PathChecker& checker) {
    // The checker has answered at c.at already; walk the boundary dates in a shuffled order.
    std::vector<std::string> order = kDates;
    Rng rng(c.seed ^ 0x77ULL);
    for (std::size_t k = order.size(); k > 1; --k) std::swap(order[k - 1], order[rng.below(k)]);
    for (const auto& d : order) {
      const Date at = date(d);
      PathChecker fresh(*c.loaded, shipped_rules());
      const std::string delta =
          diff(answers(fresh.check(at), true), answers(checker.check(at), true));
      EXPECT_EQ(delta, "") << "model seed " << c.seed << ": a checker that answered at "
                           << c.at.to_string() << " (and earlier dates of "
                           << ::testing::PrintToString(order)
                           << ") answers otherwise than a fresh one at " << d << "\n"
                           << c.model.dump(1);
      if (!delta.empty()) return;
    }
  });
}

}  // namespace
}  // namespace xborder::reference::metamorphic_test
