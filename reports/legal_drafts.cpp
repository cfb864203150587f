#include "reports/legal_drafts.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "reports/input_view.hpp"

namespace xborder {
namespace {

using input::array_member;
using input::citation_text;
using input::find_by_id;
using input::join;
using input::member;
using input::str;
using nlohmann::json;

const char* const kPpcForeignRegimesUrl =
    "https://www.ppc.go.jp/personalinfo/legal/kaiseihogohou/#gaikoku";

// ---- lookups in the report input ----

struct Input {
  const json& check;
  const json& model;
  const json& graph;
  const json& countries;
  explicit Input(const json& in)
      : check(member(in, "check")),
        model(member(in, "model")),
        graph(member(in, "graph")),
        countries(member(in, "countries")) {}

  const json* party(const std::string& id) const {
    return find_by_id(array_member(model, "parties"), id);
  }
  const json* dataset(const std::string& id) const {
    return find_by_id(array_member(model, "datasets"), id);
  }
  const json* flow(const std::string& id) const {
    return find_by_id(array_member(model, "flows"), id);
  }
  const json* node(const std::string& id) const {
    return find_by_id(array_member(graph, "nodes"), id);
  }
  std::string party_name(const std::string& id) const {
    const json* p = party(id);
    return p ? str(*p, "name", id) : id;
  }
  std::string established(const std::string& id) const {
    const json* p = party(id);
    return p ? str(*p, "country") : "";
  }
  json country_name(const std::string& code) const {
    const json& c = member(countries, code.c_str());
    return {{"en", str(c, "name", code)}, {"ja", str(c, "name_ja", str(c, "name", code))}};
  }
  std::string at() const { return str(check, "at"); }
};

json text(const std::string& en, const std::string& ja) {
  return {{"en", en}, {"ja", ja}};
}

void push_unique(json& array, const json& value) {
  if (std::find(array.begin(), array.end(), value) == array.end()) array.push_back(value);
}

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  for (const auto& s : array) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "open-ended";
  return v.dump();
}

// A flow safeguard as one line: "scc: in place (module: C2C, set: 2021/914, signed: 2021-10-01)".
std::string safeguard_text(const json& s) {
  std::string out = str(s, "type", "safeguard") + ": ";
  const json& in_place = member(s, "in_place");
  out += in_place.is_boolean() ? (in_place.get<bool>() ? "in place" : "not in place")
                               : "in place unknown";
  std::vector<std::string> details;
  for (const auto& [key, value] : s.items()) {
    if (key == "type" || key == "in_place") continue;
    details.push_back(key + ": " + scalar_text(value));
  }
  if (!details.empty()) out += " (" + join(details, ", ") + ")";
  return out;
}

// The measures the model records for an edge: the flow's safeguards (explicit edges) and any
// `measures.*` facts the checker read. Returns whether the flow's safeguards are unknown.
bool edge_measures(const Input& in, const json& finding, json& out) {
  const json& edge = member(finding, "edge");
  bool unknown = false;
  if (!member(edge, "implicit").is_boolean() || !member(edge, "implicit").get<bool>()) {
    if (const json* flow = in.flow(str(edge, "id"))) {
      const json& safeguards = member(*flow, "safeguards");
      if (safeguards.is_array()) {
        for (const auto& s : safeguards) {
          // Consent is the exporter's basis, not a measure the recipient takes.
          if (str(s, "type") != "consent") push_unique(out, safeguard_text(s));
        }
      } else {
        unknown = true;
      }
    }
  }
  for (const auto& line : strings(array_member(finding, "because"))) {
    if (line.rfind("measures.", 0) == 0) push_unique(out, line);
  }
  return unknown;
}

// Authorities that can reach the data at a graph node, with why.
json node_reach(const Input& in, const std::string& node_id) {
  json out = json::array();
  const json* node = in.node(node_id);
  if (!node) return out;
  for (const auto& r : array_member(*node, "reach")) {
    push_unique(
        out,
        {{"authority", str(r, "authority")},
         {"source", str(r, "source")},
         {"certain", member(r, "certain").is_boolean() ? member(r, "certain").get<bool>() : false},
         {"valid", str(r, "valid")},
         {"why", str(r, "why")},
         {"node", node_id},
         {"node_label", str(*node, "label", node_id)}});
  }
  return out;
}

std::string reach_text(const json& r) {
  std::string out = str(r, "authority") + " (" + str(r, "source");
  if (!member(r, "certain").get<bool>()) out += ", possible";
  out += ", valid " + str(r, "valid") + ") at " + str(r, "node_label") + ": " + str(r, "why");
  return out;
}

std::vector<std::string> fact_lines(const json& finding) {
  std::vector<std::string> out;
  for (const auto& line : strings(array_member(finding, "because"))) {
    if (line.rfind("fact ", 0) == 0) out.push_back(line);
  }
  return out;
}

std::string route_status_text(const json& route) {
  const auto status = str(route, "status");
  if (status == "available") return "available";
  if (status == "depends_on_unknowns") return "depends on unknowns";
  return "unavailable";
}

const json* route(const json& finding, const std::string& id) {
  return find_by_id(array_member(finding, "routes"), id);
}

// ---- APPI Art. 28(2) notices ----

struct Recipient {
  json measures = json::array();
  json edges = json::array();
  bool safeguards_unknown = false;
};

struct Notice {
  std::map<std::string, Recipient> recipients;
  json datasets = json::array();
  json authorities = json::array();
  json designation = json::array();  // {edge, dataset, status}
  json findings = json::array();
};

}  // namespace

json appi_notices(const json& input) {
  const Input in(input);
  std::map<std::string, Notice> notices;
  for (const auto& f : array_member(in.check, "findings")) {
    if (str(f, "rule") != "JP-APPI-28") continue;
    const json& edge = member(f, "edge");
    const auto importer = str(edge, "importer");
    auto country = in.established(importer);
    if (country.empty()) country = str(edge, "to_country");
    if (country.empty()) country = "unknown";
    if (country == "JP") continue;  // not a foreign country
    Notice& n = notices[country];
    Recipient& r = n.recipients[importer.empty() ? "unknown" : importer];
    push_unique(r.edges, str(edge, "id"));
    if (edge_measures(in, f, r.measures)) r.safeguards_unknown = true;
    const auto ds = str(f, "dataset");
    const json* d = in.dataset(ds);
    push_unique(n.datasets, {{"id", ds},
                             {"name", d ? str(*d, "name", ds) : ds},
                             {"categories", d ? array_member(*d, "categories") : json::array()}});
    for (const auto& reach : node_reach(in, str(edge, "to"))) push_unique(n.authorities, reach);
    const json* designated = route(f, "designated_country");
    push_unique(n.designation,
                {{"status", designated ? str(*designated, "status") : "not_evaluated"}});
    n.findings.push_back({{"rule", str(f, "rule")},
                          {"verdict", str(f, "verdict")},
                          {"edge", str(edge, "id")},
                          {"dataset", ds}});
  }

  json out = json::array();
  for (auto& [country, n] : notices) {
    const json name = in.country_name(country);
    json recipients = json::array();
    json open = json::array();
    json known = json::array();
    if (country == "unknown") {
      open.push_back(text(
          "The recipient's country is not in the model: identify it. If it cannot be identified, "
          "the notice must say so and give what can be said instead (PPC Rules Art. 17).",
          "提供先の所在国がモデルにない：特定すること。特定できない場合は、その旨及び代わりに提供で"
          "きる情報を記載する"
          "（個人情報保護法施行規則第17条）。"));
    }
    for (auto& [party, r] : n.recipients) {
      const json* p = in.party(party);
      json certifications = json::array();
      if (p) {
        for (const auto& c : array_member(*p, "certifications")) certifications.push_back(c);
      }
      recipients.push_back({{"party", party},
                            {"name", in.party_name(party)},
                            {"established", p ? member(*p, "country") : json()},
                            {"measures", r.measures},
                            {"certifications", certifications},
                            {"edges", r.edges}});
      if (r.measures.empty()) {
        const auto who = in.party_name(party) + " (" + party + ")";
        open.push_back(text("Protective measures taken by " + who +
                                " are not in the model: describe them (PPC Rules Art. 17), or "
                                "state that the recipient takes none.",
                            who + "が講ずる個人情報の保護のための措置がモデルにない：その内容を記"
                                  "載すること（施行規則第17条）。"));
      } else if (r.safeguards_unknown) {
        open.push_back(
            text("Some safeguards of " + in.party_name(party) +
                     " are marked unknown in the model: confirm them.",
                 in.party_name(party) + "の保護措置の一部がモデル上不明：確認すること。"));
      }
    }
    // Designation: what the finding's designated_country route says.
    std::set<std::string> statuses;
    for (const auto& d : n.designation) statuses.insert(d["status"].get<std::string>());
    json designated;
    if (statuses.size() == 1 && *statuses.begin() == "available") {
      designated = true;
      known.push_back(text(name["en"].get<std::string>() + " is a PPC-designated country on " +
                               in.at() +
                               " (route designated_country available, PPC Rules Art. 15).",
                           name["ja"].get<std::string>() + "は" + in.at() +
                               " 時点で個人情報保護委員会規則第15条の指定国である（designated_"
                               "country 利用可能）。"));
    } else if (statuses.size() == 1 && *statuses.begin() == "unavailable") {
      designated = false;
      known.push_back(text(name["en"].get<std::string>() + " is not a PPC-designated country on " +
                               in.at() +
                               " (route designated_country unavailable, PPC Rules Art. 15).",
                           name["ja"].get<std::string>() + "は" + in.at() +
                               " 時点で個人情報保護委員会規則第15条の指定国ではない（designated_"
                               "country 利用不可）。"));
    } else {
      designated = "unknown";
      open.push_back(text(
          "Whether the country is PPC-designated could not be decided from the model: confirm it.",
          "指定国に該当するかをモデルから判断できない：確認すること。"));
    }
    for (const auto& reach : n.authorities) {
      const auto line = reach_text(reach);
      known.push_back(text("Authority with reach: " + line, "データに及び得る当局: " + line));
    }
    open.push_back(
        text("Summary of " + name["en"].get<std::string>() +
                 "'s personal information protection regime (PPC Rules Art. 17): must be completed "
                 "from a verified "
                 "source, e.g. the PPC's survey of foreign regimes " +
                 kPpcForeignRegimesUrl + " — xborder does not generate it.",
             name["ja"].get<std::string>() +
                 "における個人情報の保護に関する制度の概要（施行規則第17条）：信頼できる情報源（例"
                 "：個人情報保護委員会「外国における個人情報の保護に関する制度等の調査」" +
                 kPpcForeignRegimesUrl + "）に基づき記入すること。xborder は生成しない。"));
    out.push_back({{"country", country},
                   {"country_name", name},
                   {"at", in.at()},
                   {"designated", designated},
                   {"recipients", recipients},
                   {"regime", {{"known", known}, {"open", open}, {"authorities", n.authorities}}},
                   {"datasets", n.datasets},
                   {"findings", n.findings}});
  }
  return out;
}

// ---- transfer impact assessment skeletons ----

namespace {

const json& step_titles() {
  static const json titles = json::array({
      text("Know your transfers", "移転の把握"),
      text("Identify the transfer tool relied on", "依拠する移転ツールの特定"),
      text("Assess the law and practice of the third country", "第三国の法令及び実務の評価"),
      text("Identify and adopt supplementary measures", "補完的措置の特定と採用"),
      text("Procedural steps for the supplementary measures", "手続上の措置"),
      text("Re-evaluate at appropriate intervals", "適切な間隔での再評価"),
  });
  return titles;
}

json step(int number, json known, json open) {
  return {{"step", number},
          {"title", step_titles()[static_cast<std::size_t>(number - 1)]},
          {"known", std::move(known)},
          {"open", std::move(open)}};
}

std::string party_text(const Input& in, const std::string& id) {
  if (id.empty()) return "unknown";
  auto out = in.party_name(id) + " (" + id + ")";
  const auto est = in.established(id);
  out += ", established in " + (est.empty() ? std::string("unknown") : est);
  return out;
}

std::string path_text(const json& path) {
  std::vector<std::string> parts;
  for (const auto& hop : path) {
    std::string part;
    const json& via = member(hop, "via");
    if (via.is_object() && !via.empty()) {
      part += "--[" + str(via, "edge") + ", " + str(via, "event");
      if (member(via, "implicit").is_boolean() && member(via, "implicit").get<bool>()) {
        part += ", implicit";
        if (!str(via, "why").empty()) part += ": " + str(via, "why");
      }
      part += "]--> ";
    }
    part += str(hop, "label", str(hop, "node")) + " (" + str(hop, "country", "?") + ")";
    parts.push_back(part);
  }
  return join(parts, " ");
}

// Graph edges the data can take after reaching `start` (onward and implicit hops), breadth first.
std::vector<std::string> onward_hops(const Input& in, const std::string& start,
                                     const std::string& dataset) {
  std::vector<std::string> out;
  std::set<std::string> seen{start};
  std::vector<std::string> queue{start};
  const auto& edges = array_member(in.graph, "edges");
  for (std::size_t i = 0; i < queue.size(); ++i) {
    for (const auto& e : edges) {
      if (str(e, "from") != queue[i]) continue;
      const json& ds = member(e, "datasets");
      if (ds.is_array() && std::find(ds.begin(), ds.end(), dataset) == ds.end()) continue;
      const auto to = str(e, "to");
      const json* from_node = in.node(queue[i]);
      const json* to_node = in.node(to);
      std::string line = (from_node ? str(*from_node, "label", queue[i]) : queue[i]) + " (" +
                         (from_node ? str(*from_node, "country", "?") : "?") + ") → " +
                         (to_node ? str(*to_node, "label", to) : to) + " (" +
                         (to_node ? str(*to_node, "country", "?") : "?") + "): " + str(e, "kind") +
                         ", " + str(e, "event");
      if (member(e, "implicit").is_boolean() && member(e, "implicit").get<bool>()) {
        line += ", implicit";
        if (!str(e, "why").empty()) line += " — " + str(e, "why");
      }
      out.push_back(line);
      if (seen.insert(to).second) queue.push_back(to);
    }
  }
  return out;
}

const json* sibling(const json& findings, const std::string& rule, const std::string& edge,
                    const std::string& dataset) {
  for (const auto& f : findings) {
    if (str(f, "rule") == rule && str(member(f, "edge"), "id") == edge &&
        str(f, "dataset") == dataset)
      return &f;
  }
  return nullptr;
}

}  // namespace

json tia_drafts(const json& input) {
  const Input in(input);
  const auto& findings = array_member(in.check, "findings");
  std::vector<std::pair<std::pair<std::string, std::string>, json>> drafts;
  for (const auto& f : findings) {
    if (str(f, "rule") != "EU-GDPR-44") continue;
    const json& edge = member(f, "edge");
    const auto edge_id = str(edge, "id");
    const auto dataset = str(f, "dataset");
    const auto exporter = str(edge, "exporter");
    const auto importer = str(edge, "importer");
    const auto country = str(edge, "to_country", "unknown");
    const auto country_en = in.country_name(country)["en"].get<std::string>();
    const json* ds = in.dataset(dataset);
    const bool implicit =
        member(edge, "implicit").is_boolean() && member(edge, "implicit").get<bool>();
    const json* uc6 = sibling(findings, "EU-GDPR-46-UC6", edge_id, dataset);
    const json* scc_module = sibling(findings, "EU-GDPR-46-SCC-MODULE", edge_id, dataset);
    const json* tia = sibling(findings, "EU-GDPR-46-TIA", edge_id, dataset);
    const json* onward = sibling(findings, "EU-GDPR-44-ONWARD", edge_id, dataset);

    // Step 1: know your transfers.
    json k1 = json::array();
    json o1 = json::array();
    k1.push_back("Exporter: " + party_text(in, exporter) + "; data leaves " +
                 str(edge, "from_country", "unknown"));
    k1.push_back("Importer: " + party_text(in, importer) + "; data arrives in " + country + " (" +
                 country_en + ")");
    k1.push_back("Transfer: edge " + edge_id + " (" + str(edge, "kind") + ", " + str(f, "event") +
                 (implicit ? ", implicit" : ", explicit") + "), model " + str(f, "model_pointer"));
    if (ds) {
      k1.push_back("Data set: " + str(*ds, "name", dataset) + " (" + dataset +
                   "); categories: " + join(strings(array_member(*ds, "categories")), ", "));
      const json& subjects = member(*ds, "subjects");
      k1.push_back("Data subjects in: " +
                   (subjects.is_array() ? join(strings(subjects), ", ") : std::string("unknown")) +
                   "; purposes: " + join(strings(array_member(*ds, "purposes")), ", ") +
                   "; retention: " +
                   (str(*ds, "retention").empty() ? std::string("not in the model")
                                                  : str(*ds, "retention")));
      const auto unknown = strings(array_member(*ds, "categories_unknown"));
      if (!unknown.empty())
        o1.push_back("Whether the data includes these categories is unknown: " +
                     join(unknown, ", "));
      if (!subjects.is_array()) o1.push_back("Where the data subjects are is not in the model.");
    } else {
      o1.push_back("The data set " + dataset + " is not described in the model.");
    }
    k1.push_back("Path: " + path_text(array_member(f, "path")));
    const auto hops = onward_hops(in, str(edge, "to"), dataset);
    for (const auto& h : hops) k1.push_back("Onward hop: " + h);
    if (onward) k1.push_back("EU-GDPR-44-ONWARD applies on this edge: " + str(*onward, "verdict"));
    if (exporter.empty() || importer.empty())
      o1.push_back("Identify the exporter and the importer of this transfer.");
    o1.push_back(
        "Confirm the format, frequency and volume of the transfer, and that the data transferred "
        "is "
        "adequate, relevant and limited to what is necessary.");
    if (hops.empty())
      o1.push_back(
          "Confirm there are no onward transfers or remote access beyond what the model shows.");

    // Step 2: the transfer tool.
    json k2 = json::array();
    json o2 = json::array();
    k2.push_back("EU-GDPR-44 verdict on " + in.at() + ": " + str(f, "verdict"));
    if (const json* imp = in.party(importer)) {
      for (const auto& c : array_member(*imp, "certifications")) {
        k2.push_back("Importer certification: " + str(c, "scheme") +
                     " (held: " + scalar_text(member(c, "held")) + ", " +
                     scalar_text(member(c, "from")) + " – " + scalar_text(member(c, "to")) + ")");
      }
    }
    bool available = false;
    bool adequacy = false;
    for (const auto& r : array_member(f, "routes")) {
      k2.push_back(str(member(r, "title"), "en", str(r, "id")) + " — " + route_status_text(r) +
                   " (" + citation_text(member(r, "citation")) + ")");
      if (str(r, "status") == "available") {
        available = true;
        if (str(r, "id") == "adequacy") adequacy = true;
      }
      if (str(r, "status") == "depends_on_unknowns")
        o2.push_back("Establish the unknown facts the route '" +
                     str(member(r, "title"), "en", str(r, "id")) + "' depends on.");
    }
    const auto missing = strings(array_member(f, "missing"));
    if (!available) {
      o2.push_back(
          "No transfer tool is available: choose one (Art. 45, 46 or 49) before the transfer "
          "continues" +
          (missing.empty() ? std::string() : " — missing: " + join(missing, ", ")) + ".");
    }
    if (adequacy) {
      o2.push_back(
          "The transfer relies on an adequacy decision: under Recommendations 01/2020 steps 3 to 5 "
          "are not needed; confirm the decision covers this importer and keep monitoring it (step "
          "6).");
    }

    // Step 3: law and practice.
    json k3 = json::array();
    json o3 = json::array();
    for (const auto& reach : node_reach(in, str(edge, "to")))
      k3.push_back("Authority with reach: " + reach_text(reach));
    if (uc6) {
      k3.push_back(country + " is in eu_problematic_government_access on " + in.at() +
                   " (EU-GDPR-46-UC6 applies; verdict " + str(*uc6, "verdict") + ")");
      for (const auto& line : fact_lines(*uc6)) push_unique(k3, "UC6 " + line);
    } else {
      o3.push_back(
          "No EU-GDPR-46-UC6 finding on this transfer, so the pack's list of countries with "
          "problematic "
          "government access was not applied to it (UC6 applies only to Art. 46 transfers without "
          "adequacy): do not read this as a finding that " +
          country + " has none.");
    }
    o3.push_back(
        "Assess the law and practice of " + country + " (" + country_en +
        ") applicable to the importer and this data: access powers of public authorities, their "
        "limits, redress, and practice; record the sources relied on.");

    // Step 4: supplementary measures.
    json k4 = json::array();
    json o4 = json::array();
    json measures = json::array();
    const bool measures_unknown = edge_measures(in, f, measures);
    for (const auto& m : measures) k4.push_back("Measure in the model: " + m.get<std::string>());
    if (measures.empty())
      o4.push_back("No safeguards or measures are recorded in the model for this transfer.");
    if (measures_unknown)
      o4.push_back("The flow's safeguards are marked unknown in the model: establish them.");
    if (uc6) {
      for (const auto& r : array_member(*uc6, "routes")) {
        k4.push_back("UC6 " + str(member(r, "title"), "en", str(r, "id")) + " — " +
                     route_status_text(r));
      }
      if (str(*uc6, "verdict") != "compliant")
        o4.push_back(
            "The importer may see the data in the clear where access powers are problematic: the "
            "EDPB "
            "found no effective supplementary measure for that case (use cases 6 and 7); decide "
            "whether "
            "to restructure (encryption or pseudonymisation with keys in the EEA, split "
            "processing) or "
            "suspend the transfer.");
    }
    o4.push_back(
        "List the technical, contractual and organisational measures adopted and assess their "
        "effectiveness against the findings of step 3.");

    // Step 5: procedural steps.
    json k5 = json::array();
    json o5 = json::array();
    bool has_scc = false;
    if (!implicit) {
      if (const json* flow = in.flow(edge_id)) {
        const json& safeguards = member(*flow, "safeguards");
        if (safeguards.is_array()) {
          for (const auto& s : safeguards) {
            if (str(s, "type") != "scc") continue;
            has_scc = true;
            k5.push_back("SCCs: " + safeguard_text(s));
          }
        }
      }
    }
    if (scc_module) k5.push_back("EU-GDPR-46-SCC-MODULE verdict: " + str(*scc_module, "verdict"));
    if (!has_scc)
      o5.push_back("No standard contractual clauses are recorded for this transfer.");
    else
      o5.push_back(
          "Confirm the SCC module matches the parties' roles and that the clauses are not "
          "modified; "
          "supplementary clauses must not contradict them.");
    o5.push_back(
        "Record any procedural step the chosen tool needs (e.g. supervisory authority "
        "authorisation for "
        "ad hoc clauses under Art. 46(3)).");

    // Step 6: re-evaluation.
    json k6 = json::array();
    json o6 = json::array();
    k6.push_back("Checked on " + in.at());
    if (tia) k6.push_back("EU-GDPR-46-TIA verdict: " + str(*tia, "verdict"));
    for (const auto& line : fact_lines(f)) {
      k6.push_back("Fact used: " + line);
      const auto open_end = line.find(", …)");
      if (open_end == std::string::npos && line.find('[') != std::string::npos)
        o6.push_back("A fact used has an end date, re-evaluate before it: " + line);
    }
    o6.push_back("Set the date of the next re-evaluation and who monitors developments in " +
                 country + " (law, practice, adequacy decisions, the importer's situation).");

    json steps = json::array({step(1, k1, o1), step(2, k2, o2), step(3, k3, o3), step(4, k4, o4),
                              step(5, k5, o5), step(6, k6, o6)});
    drafts.push_back({{dataset, edge_id},
                      {{"edge", edge_id},
                       {"implicit", implicit},
                       {"dataset", dataset},
                       {"dataset_name", ds ? str(*ds, "name", dataset) : dataset},
                       {"exporter", exporter},
                       {"exporter_name", in.party_name(exporter)},
                       {"importer", importer},
                       {"importer_name", in.party_name(importer)},
                       {"importer_country", country},
                       {"importer_country_name", in.country_name(country)},
                       {"at", in.at()},
                       {"verdict", str(f, "verdict")},
                       {"steps", steps}}});
  }
  std::stable_sort(drafts.begin(), drafts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  json out = json::array();
  for (auto& d : drafts) out.push_back(std::move(d.second));
  return out;
}

// ---- Markdown ----

std::string render_appi_notices_markdown(const json& notices) {
  std::ostringstream md;
  md << "# "
        "【下書き】外国にある第三者への個人データの提供に関する情報提供（個人情報保護法第28条第2項"
        "）\n"
     << "# DRAFT — Information on provision of personal data to third parties in foreign countries "
        "(APPI Art. 28(2))\n\n"
     << "> **下書き / DRAFT.** xborder "
        "がモデルから生成した下書きです。本人への提供前に、未確定事項をすべて埋め、"
        "法務担当者が確認してください。外国の制度に関する記載は生成していません。\n"
     << "> Generated by xborder from the model. Complete every open item and have it reviewed "
        "before giving it "
        "to anyone; nothing about a foreign regime is generated.\n\n";
  if (!notices.is_array() || notices.empty()) {
    md << "JP-APPI-28 は、この確認で外国にある第三者への提供に適用されていません。\n"
       << "JP-APPI-28 applies to no provision to a third party in a foreign country in this "
          "check.\n";
    return md.str();
  }
  for (const auto& n : notices) {
    const json& name = member(n, "country_name");
    md << "## " << str(name, "ja") << " / " << str(name, "en") << " (" << str(n, "country")
       << ")\n\n"
       << "確認日 / Checked on: " << str(n, "at") << "\n\n";
    md << "### 1. 提供先の所在する外国の名称 / Name of the foreign country\n\n"
       << str(name, "ja") << "（" << str(name, "en") << "）\n\n";
    md << "### 2. 当該外国における個人情報の保護に関する制度 / The country's personal information "
          "protection "
          "regime\n\n";
    const json& regime = member(n, "regime");
    for (const auto& k : array_member(regime, "known"))
      md << "- " << str(k, "ja") << "\n  " << str(k, "en") << "\n";
    md << "- **制度の概要：未記入（下記の未確定事項を参照） / Summary of the regime: to be "
          "completed (see open "
          "items)**\n\n";
    md << "### 3. 提供先が講ずる個人情報の保護のための措置 / Protective measures taken by the "
          "recipient\n\n";
    for (const auto& r : array_member(n, "recipients")) {
      const json& est = member(r, "established");
      md << "- **" << str(r, "name") << "** (" << str(r, "party") << "), 所在国 / established: "
         << (est.is_string() ? est.get<std::string>() : std::string("unknown")) << "\n";
      md << "  - 経路 / edges: " << join(strings(array_member(r, "edges")), ", ") << "\n";
      const auto& measures = array_member(r, "measures");
      if (measures.empty()) md << "  - 措置：モデルに記録なし / measures: none in the model\n";
      for (const auto& m : measures) md << "  - 措置 / measure: " << m.get<std::string>() << "\n";
      for (const auto& c : array_member(r, "certifications")) {
        md << "  - 認証 / certification: " << str(c, "scheme")
           << " (held: " << scalar_text(member(c, "held")) << ", " << scalar_text(member(c, "from"))
           << " – " << scalar_text(member(c, "to")) << ")\n";
      }
    }
    md << "\n### 対象となる個人データ / Personal data concerned\n\n";
    for (const auto& d : array_member(n, "datasets")) {
      md << "- " << str(d, "name") << " (" << str(d, "id")
         << "): " << join(strings(array_member(d, "categories")), ", ") << "\n";
    }
    md << "\n### 根拠となる確認結果 / Findings\n\n";
    for (const auto& f : array_member(n, "findings")) {
      md << "- " << str(f, "rule") << " " << str(f, "verdict") << " — " << str(f, "dataset")
         << " @ " << str(f, "edge") << "\n";
    }
    md << "\n### 未確定事項 / Open items\n\n";
    for (const auto& o : array_member(regime, "open")) {
      md << "- [ ] " << str(o, "ja") << "\n  " << str(o, "en") << "\n";
    }
    md << "\n";
  }
  return md.str();
}

std::string render_tia_markdown(const json& drafts) {
  std::ostringstream md;
  md << "# DRAFT — Transfer impact assessments (EDPB Recommendations 01/2020)\n"
     << "# 【下書き】移転影響評価\n\n"
     << "> **DRAFT.** Generated by xborder from the model: known facts are filled in, everything "
        "else is an open "
        "question. Not legal advice; complete and review before relying on it.\n\n";
  if (!drafts.is_array() || drafts.empty()) {
    md << "EU-GDPR-44 applies to no transfer in this check.\n";
    return md.str();
  }
  for (const auto& d : drafts) {
    const json& cname = member(d, "importer_country_name");
    md << "## " << str(d, "dataset_name") << " — " << str(d, "exporter_name") << " → "
       << str(d, "importer_name") << " (" << str(cname, "en") << ")\n\n"
       << "Edge `" << str(d, "edge") << "`"
       << (member(d, "implicit").is_boolean() && member(d, "implicit").get<bool>() ? " (implicit)"
                                                                                   : "")
       << ", data set `" << str(d, "dataset") << "`, checked on " << str(d, "at")
       << ", EU-GDPR-44: **" << str(d, "verdict") << "**\n\n";
    for (const auto& s : array_member(d, "steps")) {
      const json& title = member(s, "title");
      md << "### Step " << member(s, "step").get<int>() << " — " << str(title, "en") << "（"
         << str(title, "ja") << "）\n\n";
      const auto& known = array_member(s, "known");
      if (known.empty()) md << "Known: nothing in the model.\n";
      for (const auto& k : known) md << "- " << k.get<std::string>() << "\n";
      md << "\nOpen questions:\n\n";
      for (const auto& o : array_member(s, "open")) md << "- [ ] " << o.get<std::string>() << "\n";
      md << "\n";
    }
  }
  return md.str();
}

}  // namespace xborder
