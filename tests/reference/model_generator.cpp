#include "tests/reference/model_generator.hpp"

#include <algorithm>

namespace xborder::reference {

namespace {

using nlohmann::json;

const std::vector<std::string> kCountries = {"JP", "US", "DE", "FR", "CN", "IN", "GB", "KR",
                                             "SG", "BR", "CA", "CH", "RU", "IE", "VN", "AR"};
const std::vector<std::string> kSchemes = {"dpf",       "privacy_shield", "safe_harbour",
                                           "apec_cbpr", "global_cbpr",    "ismap",
                                           "ismap_liu", "iso_27001",      "dpf_uk_extension"};
const std::vector<std::string> kDates = {"2015-10-06", "2016-07-12", "2018-05-25", "2019-01-23",
                                         "2020-07-16", "2021-09-27", "2022-04-01", "2022-09-22",
                                         "2022-12-27", "2023-07-10", "2024-06-01"};
const std::vector<std::string> kRelationships = {"controller_to_processor",
                                                 "processor_to_processor",
                                                 "processor_to_controller",
                                                 "controller_to_controller",
                                                 "joint_use",
                                                 "same_entity",
                                                 "business_succession"};
const std::vector<std::string> kPurposes = {
    "sales", "support", "payment", "analytics", "cross_border_payment", "hr"};
const std::vector<std::string> kSafeguardTypes = {"scc",
                                                  "tia",
                                                  "bcr",
                                                  "consent",
                                                  "appi_standard_system",
                                                  "derogation",
                                                  "ad_hoc_clauses",
                                                  "code_of_conduct",
                                                  "certification",
                                                  "authorisation",
                                                  "provision_record",
                                                  "receipt_record",
                                                  "transfer_notice",
                                                  "entrustee_supervision"};
const std::vector<std::string> kDerogations = {"49(1)(a)", "49(1)(b)", "49(1)(c)", "49(1)(d)",
                                               "49(1)(e)", "49(1)(f)", "49(1)(g)", "49(1)second"};
const std::vector<std::string> kRegimes = {"jp_fefta", "us_ear", "eu_dual_use",
                                           "cn_security_assessment"};
const std::vector<std::string> kLists = {"jp_fefta", "us_ear", "eu_dual_use"};
const std::vector<long long> kHeld = {100, 5000, 5001, 100000};

class Generator {
 public:
  Generator(std::uint64_t seed, const GeneratorOptions& o) : rng_(seed), o_(o) {}

  json run() {
    json m;
    m["format"] = "xborder-model/1";
    m["name"] = "generated";
    parties(m);
    systems(m);
    datasets(m);
    flows(m);
    return m;
  }

 private:
  Rng rng_;
  GeneratorOptions o_;
  std::vector<std::string> party_ids_;  // not the data subjects
  std::string subjects_;
  struct Sys {
    std::string id;
    std::string tier;
    std::vector<std::string> locations;
  };
  std::vector<Sys> systems_;
  std::vector<std::string> dataset_ids_;

  bool unknown() { return rng_.chance(o_.unknown_percent); }
  json tri() {
    const auto k = rng_.below(7);
    if (k < 3) return true;
    if (k < 6) return false;
    return "unknown";
  }
  json country_or_unknown() {
    if (unknown()) return "unknown";
    return rng_.pick(kCountries);
  }
  std::string location() { return "country:" + rng_.pick(kCountries); }

  json safeguard(const std::string& type) {
    json s;
    s["type"] = type;
    if (rng_.chance(25)) s["in_place"] = tri();
    if (type == "scc") {
      const std::vector<std::string> sets = {"2021/914",   "2021/914",    "2021/914",
                                             "2010/87/EU", "2004/915/EC", "2001/497/EC"};
      const std::string set = rng_.pick(sets);
      if (set != "2021/914" || rng_.chance(20)) s["set"] = set;
      if (set == "2021/914") s["module"] = static_cast<int>(rng_.below(4)) + 1;
      if (rng_.chance(60)) {
        const std::vector<std::string> signed_on = {"2020-06-01", "2021-09-26", "2021-09-27",
                                                    "2022-09-21", "2022-10-01"};
        s["signed"] = rng_.pick(signed_on);
      }
    } else if (type == "consent") {
      if (rng_.chance(70)) s["informed"] = tri();
      if (rng_.chance(70)) s["explicit"] = tri();
    } else if (type == "appi_standard_system") {
      const std::vector<std::string> bases = {"contract", "group_rules", "cbpr"};
      s["basis"] = rng_.pick(bases);
      if (rng_.chance(70)) s["periodic_check"] = tri();
    } else if (type == "derogation") {
      s["article"] = rng_.pick(kDerogations);
    } else if (type == "authorisation") {
      s["regime"] = rng_.pick(kRegimes);
    } else if (type == "tia") {
      const std::vector<std::string> conclusions = {"effective", "supplementary_measures_needed",
                                                    "stop"};
      if (rng_.chance(60)) s["conclusion"] = rng_.pick(conclusions);
    }
    return s;
  }
  json safeguards(int max) {
    json out = json::array();
    std::vector<std::string> used;
    const auto n = rng_.below(static_cast<std::size_t>(max) + 1);
    for (std::size_t k = 0; k < n; ++k) {
      const std::string t = rng_.pick(kSafeguardTypes);
      if (std::find(used.begin(), used.end(), t) != used.end()) continue;
      used.push_back(t);
      out.push_back(safeguard(t));
    }
    return out;
  }
  json measures() {
    json m;
    if (rng_.chance(50)) m["encryption_in_transit"] = tri();
    const bool at_rest = rng_.chance(60);
    if (at_rest) {
      m["encryption_at_rest"] = rng_.chance(80) ? json(true) : json("unknown");
      if (rng_.chance(60)) {
        m["key_holder"] = unknown() ? json("unknown") : json(rng_.pick(party_ids_));
      }
      if (rng_.chance(60)) m["key_country"] = country_or_unknown();
    }
    if (rng_.chance(30)) {
      m["pseudonymised"] = true;
      if (rng_.chance(50)) m["reid_key_country"] = country_or_unknown();
    }
    if (rng_.chance(15)) m["split_processing"] = tri();
    return m;
  }
  json certifications(bool system) {
    json out = json::array();
    const auto n = rng_.below(3);
    for (std::size_t k = 0; k < n; ++k) {
      json c;
      c["scheme"] = system ? (rng_.chance(50) ? "ismap" : "ismap_liu") : rng_.pick(kSchemes);
      if (rng_.chance(30)) c["held"] = tri();
      if (rng_.chance(30)) c["from"] = rng_.pick(kDates);
      if (rng_.chance(20)) {
        const std::string from = c.contains("from") ? c["from"].get<std::string>() : "";
        const std::string to = rng_.pick(kDates);
        if (to > from) c["to"] = to;
      }
      out.push_back(c);
    }
    return out;
  }

  void parties(json& m) {
    json list = json::array();
    subjects_ = "subjects";
    list.push_back(
        {{"id", subjects_}, {"kind", "data_subjects"}, {"country", rng_.pick(kCountries)}});
    const int n = 2 + static_cast<int>(rng_.below(static_cast<std::size_t>(o_.max_parties - 1)));
    for (int k = 0; k < n; ++k) {
      json p;
      const std::string id = "p" + std::to_string(k);
      p["id"] = id;
      const auto kind = rng_.below(10);
      if (kind < 7) {
        p["kind"] = "company";
      } else if (kind < 8) {
        p["kind"] = "public_body";
        if (rng_.chance(30)) p["international_organisation"] = "EPO";
      } else {
        p["kind"] = "individual";
      }
      p["country"] = country_or_unknown();
      if (!party_ids_.empty() && rng_.chance(30)) {
        p["parent"] = rng_.pick(party_ids_);
      } else if (rng_.chance(5)) {
        p["parent"] = "unknown";
      }
      if (rng_.chance(35)) p["certifications"] = certifications(false);
      if (rng_.chance(12)) {
        if (unknown()) {
          p["nationalities"] = "unknown";
        } else {
          p["nationalities"] = json::array({rng_.pick(kCountries)});
          if (rng_.chance(40)) p["nationalities"].push_back(rng_.pick(kCountries));
        }
      }
      if (rng_.chance(12)) p["critical_infrastructure"] = tri();
      if (rng_.chance(10)) p["protected_by_law"] = tri();
      if (rng_.chance(10)) p["ict_service_provider"] = tri();
      if (rng_.chance(10))
        p["persons_held"] = unknown() ? json("unknown") : json(kHeld[rng_.below(kHeld.size())]);
      if (rng_.chance(10)) {
        if (unknown()) {
          p["targets"] = "unknown";
        } else {
          p["targets"] = json::array({rng_.pick(kCountries)});
        }
      }
      if (!party_ids_.empty() && rng_.chance(8))
        p["acts_for"] = unknown() ? json("unknown") : json(rng_.pick(party_ids_));
      party_ids_.push_back(id);
      list.push_back(p);
    }
    m["parties"] = list;
  }

  json own_regions(Sys& s) {
    json regions = json::array();
    const std::string primary = location();
    regions.push_back({{"location", primary}, {"role", "primary"}});
    s.locations.push_back(primary);
    if (rng_.chance(45)) {
      const std::vector<std::string> roles = {"replica", "backup", "failover"};
      const std::string loc = location();
      if (loc != primary) {
        json r = {{"location", loc}, {"role", rng_.pick(roles)}};
        if (rng_.chance(35)) r["safeguards"] = safeguards(2);
        regions.push_back(r);
        s.locations.push_back(loc);
      }
    }
    return regions;
  }

  void systems(json& m) {
    json list = json::array();
    const auto n = rng_.below(static_cast<std::size_t>(o_.max_systems) + 1);
    for (std::size_t k = 0; k < n; ++k) {
      Sys s;
      s.id = "s" + std::to_string(k);
      json j;
      j["id"] = s.id;
      j["operator"] = rng_.pick(party_ids_);
      std::vector<const Sys*> hosts;
      const std::vector<std::string> tiers = {"iaas", "paas",        "saas",
                                              "saas", "on_premises", "device"};
      s.tier = rng_.pick(tiers);
      for (const auto& o : systems_) {
        if ((s.tier == "saas" && (o.tier == "paas" || o.tier == "iaas")) ||
            (s.tier == "paas" && o.tier == "iaas"))
          hosts.push_back(&o);
      }
      j["tier"] = s.tier;
      if (!hosts.empty() && rng_.chance(70)) {
        const Sys& host = *hosts[rng_.below(hosts.size())];
        j["runs_on"] = host.id;
        if (rng_.chance(50)) {
          s.locations = host.locations;  // inherits the host's placements
        } else {
          json regions = json::array();
          regions.push_back({{"location", host.locations[0]}, {"role", "primary"}});
          s.locations.push_back(host.locations[0]);
          if (host.locations.size() > 1 && rng_.chance(50)) {
            regions.push_back({{"location", host.locations[1]}, {"role", "backup"}});
            s.locations.push_back(host.locations[1]);
          }
          j["regions"] = regions;
        }
        if (rng_.chance(35)) j["safeguards"] = safeguards(2);
      } else {
        j["regions"] = own_regions(s);
      }
      if (rng_.chance(40)) j["operator_handles_data"] = tri();
      if (rng_.chance(35)) {
        json a;
        a["party"] = rng_.pick(party_ids_);
        a["country"] = country_or_unknown();
        if (rng_.chance(40)) a["clear_text"] = tri();
        if (rng_.chance(40)) a["safeguards"] = safeguards(2);
        j["remote_access"] = json::array({a});
      }
      if (rng_.chance(20)) j["measures"] = measures();
      if (rng_.chance(15)) j["certifications"] = certifications(true);
      systems_.push_back(s);
      list.push_back(j);
    }
    m["systems"] = list;
  }

  json categories() {
    const std::vector<std::string> personal_extra = {"special_category", "pseudonymised",
                                                     "payment_data",     "government_data",
                                                     "trade_secret",     "important_data"};
    const std::vector<std::string> other = {
        "non_personal",   "anonymised",        "trade_secret",   "export_controlled",
        "important_data", "limited_provision", "government_data"};
    const auto shape = rng_.below(10);
    if (shape == 0) return "unknown";
    std::vector<std::string> present;
    if (rng_.chance(65)) {
      present.push_back("personal_data");
      if (rng_.chance(50)) present.push_back(rng_.pick(personal_extra));
    } else {
      present.push_back(rng_.pick(other));
      if (rng_.chance(40)) present.push_back(rng_.pick(other));
    }
    std::sort(present.begin(), present.end());
    present.erase(std::unique(present.begin(), present.end()), present.end());
    const bool personal =
        std::find(present.begin(), present.end(), "personal_data") != present.end();
    const bool non_personal =
        std::find(present.begin(), present.end(), "non_personal") != present.end() ||
        std::find(present.begin(), present.end(), "anonymised") != present.end();
    if (shape == 1) {
      // Some categories certainly there, some that may be.
      std::vector<std::string> maybe;
      const std::vector<std::string> candidates = {"special_category", "export_controlled",
                                                   "payment_data", "trade_secret"};
      for (const auto& c : candidates) {
        if (std::find(present.begin(), present.end(), c) != present.end()) continue;
        if (c == "special_category" && (!personal || non_personal)) continue;
        if (rng_.chance(50)) maybe.push_back(c);
      }
      if (!personal && !non_personal && rng_.chance(50)) maybe.push_back("personal_data");
      return {{"include", present}, {"unknown", maybe}};
    }
    return present;
  }

  void datasets(json& m) {
    json list = json::array();
    const int n = 1 + static_cast<int>(rng_.below(static_cast<std::size_t>(o_.max_datasets)));
    for (int k = 0; k < n; ++k) {
      json d;
      const std::string id = "d" + std::to_string(k);
      d["id"] = id;
      d["categories"] = categories();
      if (rng_.chance(75)) {
        if (unknown()) {
          d["subjects"] = "unknown";
        } else {
          d["subjects"] = json::array({rng_.pick(kCountries)});
          if (rng_.chance(30)) d["subjects"].push_back(rng_.pick(kCountries));
        }
      }
      if (rng_.chance(70)) {
        const std::vector<long long> counts = {10, 5000, 20000, 200000, 2000000};
        d["subject_count"] = unknown() ? json("unknown") : json(counts[rng_.below(counts.size())]);
      }
      if (rng_.chance(85)) {
        d["controller"] = unknown() ? json("unknown") : json(rng_.pick(party_ids_));
      }
      if (rng_.chance(70)) {
        const std::vector<std::string> values = {"low", "high", "very_high"};
        d["value"] = unknown() ? json("unknown") : json(rng_.pick(values));
      }
      if (rng_.chance(30)) d["permitted_scope"] = json::array({rng_.pick(party_ids_)});
      if (rng_.chance(20)) d["disclosure_scope"] = json::array({rng_.pick(party_ids_)});
      const json& cats = d["categories"];
      if (cats.is_array() &&
          std::find(cats.begin(), cats.end(), json("export_controlled")) != cats.end() &&
          rng_.chance(60)) {
        d["control_lists"] = json::array({rng_.pick(kLists)});
      }
      if (rng_.chance(30)) {
        if (!systems_.empty() && rng_.chance(60)) {
          d["origin"] = systems_[rng_.below(systems_.size())].id;
        } else {
          d["origin"] = rng_.pick(party_ids_);
        }
      }
      dataset_ids_.push_back(id);
      list.push_back(d);
    }
    m["datasets"] = list;
  }

  void flows(json& m) {
    // Endpoints in a random order; flows mostly go forward in it, so most models are acyclic.
    std::vector<std::string> endpoints = party_ids_;
    for (const auto& s : systems_) endpoints.push_back(s.id);
    for (std::size_t k = endpoints.size(); k > 1; --k)
      std::swap(endpoints[k - 1], endpoints[rng_.below(k)]);
    json list = json::array();
    const int n = 1 + static_cast<int>(rng_.below(static_cast<std::size_t>(o_.max_flows)));
    for (int k = 0; k < n; ++k) {
      json f;
      f["id"] = "f" + std::to_string(k);
      const auto pick_event = rng_.below(20);
      std::string event;
      if (k == 0 && rng_.chance(70)) {
        event = "collect";
      } else if (pick_event < 11) {
        event = "transfer";
      } else if (pick_event < 14) {
        event = "process";
      } else if (pick_event < 16) {
        event = "store";
      } else if (pick_event < 18) {
        event = "remote_access";
      } else if (pick_event < 19) {
        event = "dispose";
      } else {
        event = "collect";
      }
      f["event"] = event;
      std::size_t a = rng_.below(endpoints.size());
      std::size_t b = rng_.below(endpoints.size());
      if (event == "process") {
        b = a;
      } else {
        if (a == b) b = (a + 1) % endpoints.size();
        if (a > b && rng_.chance(85)) std::swap(a, b);
      }
      if (event == "collect") {
        f["from"] = subjects_;
        f["relationship"] =
            rng_.chance(80) ? json("data_subject_to_controller") : json(rng_.pick(kRelationships));
      } else {
        f["from"] = endpoints[a];
        f["relationship"] = unknown() ? json("unknown") : json(rng_.pick(kRelationships));
      }
      f["to"] = endpoints[b];
      json ds = json::array({rng_.pick(dataset_ids_)});
      if (dataset_ids_.size() > 1 && rng_.chance(30)) {
        const std::string other = rng_.pick(dataset_ids_);
        if (other != ds[0]) ds.push_back(other);
      }
      f["datasets"] = ds;
      if (event == "process" && dataset_ids_.size() > 1 && rng_.chance(50)) {
        for (const auto& p : dataset_ids_) {
          if (std::find(ds.begin(), ds.end(), json(p)) == ds.end()) {
            f["produces"] = json::array({p});
            break;
          }
        }
      }
      if (rng_.chance(50)) f["purpose"] = rng_.pick(kPurposes);
      if (rng_.chance(15)) f["recipient_identifies"] = tri();
      if (rng_.chance(8)) {
        f["safeguards"] = "unknown";
      } else if (rng_.chance(70)) {
        f["safeguards"] = safeguards(3);
      }
      if (rng_.chance(12)) f["measures"] = measures();
      if (rng_.chance(10)) f["transit"] = json::array({rng_.pick(kCountries)});
      list.push_back(f);
    }
    m["flows"] = list;
  }
};

}  // namespace

nlohmann::json generate_model(std::uint64_t seed, const GeneratorOptions& options) {
  return Generator(seed, options).run();
}

}  // namespace xborder::reference
