// What the benchmarks share: the shipped inputs, and the layered transfer model (bench_checker,
// bench_simulate).
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "model/json_reader.hpp"
#include "model/reference_data.hpp"
#include "solver/rule_pack.hpp"

namespace xborder::bench {

struct ShippedInputs {
  ReferenceData reference;
  RuleBase rules;
};

// The reference data and the shipped rule packs; nullopt, having said why on stderr, when either
// does not load.
inline std::optional<ShippedInputs> load_shipped() {
  Diagnostics diags;
  auto reference = ReferenceData::load(ReferenceData::default_dir(), diags);
  if (!reference) {
    std::fprintf(stderr, "cannot load the reference data\n");
    return std::nullopt;
  }
  auto rules = load_rule_base(default_rules_dir(), reference->country_codes());
  if (!rules.rules) {
    std::fprintf(stderr, "cannot load the rule packs\n");
    return std::nullopt;
  }
  return ShippedInputs{std::move(*reference), std::move(*rules.rules)};
}

// Layers of systems in alternating countries; every system of a layer sends to every system of
// the next, so paths multiply while the distinct attribute states stay few.
inline Json layered_model(int layers, int width,
                          std::optional<long long> subject_count = std::nullopt) {
  const char* countries[] = {"DE", "JP", "US", "FR", "KR", "SG"};
  Json m;
  m["format"] = "xborder-model/1";
  m["name"] = "bench";
  m["parties"] =
      Json::array({Json{{"id", "subjects"}, {"kind", "data_subjects"}, {"country", "DE"}}});
  m["systems"] = Json::array();
  m["flows"] = Json::array();
  for (int l = 0; l < layers; ++l) {
    for (int w = 0; w < width; ++w) {
      const std::string party = "p" + std::to_string(l) + "-" + std::to_string(w);
      const std::string country = countries[(l + w) % 6];
      m["parties"].push_back({{"id", party}, {"country", country}});
      m["systems"].push_back({{"id", "s" + party},
                              {"tier", "saas"},
                              {"operator", party},
                              {"regions", Json::array({Json{{"location", "country:" + country}}})},
                              {"operator_handles_data", true}});
    }
  }
  m["datasets"] = Json::array({Json{{"id", "d"},
                                    {"categories", {"personal_data"}},
                                    {"subjects", {"DE"}},
                                    {"controller", "p0-0"}}});
  if (subject_count) m["datasets"][0]["subject_count"] = *subject_count;
  int flow = 0;
  for (int w = 0; w < width; ++w) {
    m["flows"].push_back({{"id", "f" + std::to_string(flow++)},
                          {"event", "collect"},
                          {"from", "subjects"},
                          {"to", "sp0-" + std::to_string(w)},
                          {"datasets", {"d"}},
                          {"relationship", "data_subject_to_controller"}});
  }
  for (int l = 0; l + 1 < layers; ++l) {
    for (int a = 0; a < width; ++a) {
      for (int b = 0; b < width; ++b) {
        m["flows"].push_back({{"id", "f" + std::to_string(flow++)},
                              {"event", "transfer"},
                              {"from", "sp" + std::to_string(l) + "-" + std::to_string(a)},
                              {"to", "sp" + std::to_string(l + 1) + "-" + std::to_string(b)},
                              {"datasets", {"d"}},
                              {"relationship", "controller_to_processor"}});
      }
    }
  }
  return m;
}

}  // namespace xborder::bench
