// `xborder plan` against the number of choice points and options per point, beside the time of
// one check of the same map (building the checker and checking at the date: what the planner
// does for every selection it judges). Not run in CI; bench/README.md records the figures.
//
// The map: a Japanese shop's on-premises system sends customer data to N/2 SaaS systems of
// Japanese vendors. Each SaaS has a region choice point (abroad is cheaper, but the APPI
// guidelines then want the country disclosed) and its flow a safeguard choice point (nothing, a
// transfer notice, more, or dropping the flow). With K options per point there are K^N
// selections; the planner checks a handful.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/bench_support.hpp"
#include "model/model_loader.hpp"
#include "planner/plan.hpp"
#include "solver/checker.hpp"

namespace {

using xborder::Json;

Json plan_model(int points, int options) {
  static const char* regions[] = {"country:US", "country:SG", "country:DE", "country:GB",
                                  "country:FR", "country:KR", "country:IN", "country:JP"};
  Json m;
  m["format"] = "xborder-model/1";
  m["name"] = "plan bench";
  m["parties"] =
      Json::array({Json{{"id", "shop"}, {"country", "JP"}},
                   Json{{"id", "customers"}, {"kind", "data_subjects"}, {"country", "JP"}}});
  m["systems"] = Json::array({Json{{"id", "pos"},
                                   {"tier", "on_premises"},
                                   {"operator", "shop"},
                                   {"regions", Json::array({Json{{"location", "country:JP"}}})}}});
  m["datasets"] = Json::array({Json{{"id", "customers"},
                                    {"categories", Json::array({"personal_data"})},
                                    {"subjects", Json::array({"JP"})},
                                    {"controller", "shop"},
                                    {"subject_count", 10000}}});
  m["flows"] = Json::array({Json{{"id", "collect"},
                                 {"event", "collect"},
                                 {"from", "customers"},
                                 {"to", "pos"},
                                 {"datasets", Json::array({"customers"})},
                                 {"relationship", "data_subject_to_controller"}}});
  m["choices"] = Json::array();
  const int saas = (points + 1) / 2;
  for (int i = 0; i < saas; ++i) {
    const std::string n = std::to_string(i);
    m["parties"].push_back(Json{{"id", "vendor-" + n}, {"country", "JP"}});
    m["systems"].push_back(Json{{"id", "saas-" + n},
                                {"tier", "saas"},
                                {"operator", "vendor-" + n},
                                {"regions", Json::array({Json{{"location", regions[0]}}})}});
    m["flows"].push_back(Json{{"id", "to-" + n},
                              {"event", "transfer"},
                              {"from", "pos"},
                              {"to", "saas-" + n},
                              {"datasets", Json::array({"customers"})},
                              {"relationship", "controller_to_processor"}});
    Json region_options = Json::array();
    for (int k = 0; k < options; ++k) {
      // Japan last and dearest; abroad cheaper the earlier in the list.
      const char* where = k == options - 1 ? "country:JP" : regions[k];
      region_options.push_back(Json{{"id", std::string("r") + std::to_string(k)},
                                    {"cost", k == options - 1 ? 50 : 10 + k},
                                    {"latency_ms", k == options - 1 ? 5 : 40 + 30 * k},
                                    {"regions", Json::array({Json{{"location", where}}})}});
    }
    m["choices"].push_back(
        Json{{"id", "region-" + n}, {"system", "saas-" + n}, {"options", region_options}});
    if (2 * i + 1 >= points) break;
    Json safeguard_options = Json::array({Json{{"id", "none"}, {"cost", 0}}});
    safeguard_options.push_back(Json{{"id", "notice"},
                                     {"cost", 3},
                                     {"safeguards", Json::array({{{"type", "transfer_notice"}}})}});
    for (int k = 2; k < options; ++k) {
      if (k == options - 1) {
        safeguard_options.push_back(Json{{"id", "drop"}, {"cost", 500}, {"drop", true}});
      } else {
        safeguard_options.push_back(
            Json{{"id", "notice-and-record-" + std::to_string(k)},
                 {"cost", 3 + k},
                 {"safeguards",
                  Json::array({{{"type", "transfer_notice"}}, {{"type", "provision_record"}}})}});
      }
    }
    m["choices"].push_back(
        Json{{"id", "safeguards-" + n}, {"flow", "to-" + n}, {"options", safeguard_options}});
  }
  return m;
}

double ms(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  // `bench_plan --model POINTS OPTIONS`: print the map, to run `xborder plan` on it.
  if (argc == 4 && std::string(argv[1]) == "--model") {
    std::printf("%s\n", plan_model(std::atoi(argv[2]), std::atoi(argv[3])).dump(1).c_str());
    return 0;
  }
  auto inputs = xborder::bench::load_shipped();
  if (!inputs) return 2;
  const auto at = *xborder::Date::parse("2024-06-01");
  const auto until = argc > 1 ? xborder::Date::parse(argv[1]) : std::optional<xborder::Date>(at);
  if (!until) {
    std::fprintf(stderr, "usage: bench_plan [UNTIL-DATE]\n");
    return 2;
  }
  std::printf("%6s %7s %14s %7s %9s %10s %10s %12s\n", "points", "options", "selections", "dates",
              "checked", "plan ms", "check ms", "plan/check");
  for (int options : {2, 4}) {
    for (int points : {1, 2, 5, 10, 20, 30, 40, 50}) {
      const Json doc = plan_model(points, options);
      auto loaded = xborder::load_model_json(doc, "bench.json", inputs->reference);
      if (!loaded.model) {
        std::fprintf(stderr, "the bench model does not load\n");
        return 3;
      }
      // One check of the map as written: build the checker, check at the date.
      const auto t0 = std::chrono::steady_clock::now();
      {
        xborder::PathChecker checker(*loaded.model, inputs->rules);
        xborder::CheckOptions options_one;
        options_one.threads = 1;
        (void)checker.check(at, options_one);
      }
      const double check_ms = ms(t0);
      xborder::PlanRequest request;
      request.at = at;
      request.until = *until;
      const auto t1 = std::chrono::steady_clock::now();
      const auto result =
          xborder::plan(doc, "bench.json", inputs->reference, inputs->rules, request);
      const double plan_ms = ms(t1);
      if (result.status != xborder::PlanStatus::kOptimal) {
        std::fprintf(stderr, "no plan for %d points\n", points);
        return 3;
      }
      const std::string space = result.stats.combinations == UINT64_MAX
                                    ? ">1.8e19"
                                    : std::to_string(result.stats.combinations);
      std::printf("%6d %7d %14s %7zu %9llu %10.0f %10.1f %12.1f\n", points, options, space.c_str(),
                  result.dates.size(), static_cast<unsigned long long>(result.stats.selections),
                  plan_ms, check_ms, plan_ms / check_ms);
      std::fflush(stdout);
    }
  }
  return 0;
}
