#!/usr/bin/env python3
"""Generates a realistic enterprise data map for the scale benchmarks (issue 11).

A group headquartered in Japan with U business units spread over 30 countries, each on shared
cloud platforms (IaaS -> PaaS -> SaaS chains of three providers, two of them with a US parent and
one with a Chinese parent), backups in a paired region abroad, support access from two other
countries, regional hubs, a global analytics vendor in the US and peer flows between business
units. Some attributes are left unknown (safeguards claimed but not confirmed, subject counts,
whether a vendor handles the data) so that the checker meets undetermined findings as a real map
gives them.

    bench/enterprise_map.py U [--seed S] > model.json

Deterministic for a given (U, seed). Only the standard library: it runs wherever python3 does.
"""
import argparse
import json
import random
import sys

COUNTRIES = ["JP", "US", "DE", "FR", "GB", "SG", "KR", "CN", "IN", "BR", "CA", "CH", "AU", "IE",
             "NL", "SE", "IT", "ES", "PL", "MX", "ZA", "AE", "TH", "VN", "ID", "MY", "PH", "RU",
             "TR", "AR"]
# Where each country's backups go (a paired region, often abroad).
PAIR = {c: COUNTRIES[(i + 7) % len(COUNTRIES)] for i, c in enumerate(COUNTRIES)}
REGION_HUB = {"JP": "JP", "KR": "JP", "CN": "SG", "SG": "SG", "IN": "SG", "AU": "SG", "TH": "SG",
              "VN": "SG", "ID": "SG", "MY": "SG", "PH": "SG", "US": "US", "CA": "US", "MX": "US",
              "BR": "US", "AR": "US"}  # the others: the EU hub in DE
PROVIDERS = [("cloud-a", "US"), ("cloud-m", "US"), ("cloud-x", "CN")]
SUPPORT_COUNTRIES = ["IN", "PH"]
PEERS = 60  # peer flows per business unit, at most


def generate(units: int, seed: int) -> dict:
    rnd = random.Random(seed)
    parties, systems, datasets, flows = [], [], [], []
    parties.append({"id": "group-hq", "name": "Group holding", "country": "JP", "roles": ["controller"]})
    for hub in sorted(set(REGION_HUB.values()) | {"DE"}):
        parties.append({"id": f"hub-{hub}", "name": f"Regional hub {hub}", "country": hub,
                        "parent": "group-hq"})
    for pid, home in PROVIDERS:
        parties.append({"id": f"{pid}-parent", "name": f"{pid} parent", "country": home})
        for c in COUNTRIES:
            parties.append({"id": f"{pid}-{c}", "name": f"{pid} {c}", "country": c,
                            "parent": f"{pid}-parent", "roles": ["processor"]})
        for s in SUPPORT_COUNTRIES:
            parties.append({"id": f"{pid}-ops-{s}", "name": f"{pid} operations {s}", "country": s,
                            "parent": f"{pid}-parent"})
    parties.append({"id": "analytics-inc", "name": "Analytics vendor", "country": "US",
                    "certifications": [{"scheme": "dpf", "from": "2023-07-10"}]})
    parties.append({"id": "support-desk", "name": "Offshore support desk", "country": "PH"})

    # Shared platforms: IaaS per provider and country (backup in the paired country, operations
    # access from the provider's support countries), a PaaS on each.
    for pid, _ in PROVIDERS:
        for c in COUNTRIES:
            systems.append({
                "id": f"iaas-{pid}-{c}", "tier": "iaas", "operator": f"{pid}-{c}",
                "regions": [{"location": f"country:{c}", "role": "primary"},
                            {"location": f"country:{PAIR[c]}", "role": "backup"}],
                "operator_handles_data": False,
                "remote_access": [{"party": f"{pid}-ops-{s}", "country": s, "clear_text": False}
                                  for s in SUPPORT_COUNTRIES],
                "measures": {"encryption_at_rest": True, "encryption_in_transit": True},
            })
            systems.append({"id": f"paas-{pid}-{c}", "tier": "paas", "operator": f"{pid}-{c}",
                            "runs_on": f"iaas-{pid}-{c}", "operator_handles_data": False})
    for hub in sorted(set(REGION_HUB.values()) | {"DE"}):
        systems.append({"id": f"hub-dw-{hub}", "tier": "saas", "operator": f"hub-{hub}",
                        "runs_on": f"paas-cloud-a-{hub}", "operator_handles_data": True})
    systems.append({"id": "analytics", "tier": "saas", "operator": "analytics-inc",
                    "runs_on": "paas-cloud-m-US", "operator_handles_data": "unknown"})

    datasets.append({"id": "staff-directory", "categories": ["personal_data"],
                     "subjects": "unknown", "controller": "group-hq", "origin": "bu-0-crm",
                     "disclosure_scope": ["group-hq"], "purposes": ["hr"]})
    for u in range(units):
        c = COUNTRIES[u % len(COUNTRIES)]
        pid = PROVIDERS[u % len(PROVIDERS)][0]
        bu = f"bu-{u}"
        parties.append({"id": bu, "name": f"Business unit {u}", "country": c, "parent": "group-hq",
                        "roles": ["controller"]})
        parties.append({"id": f"{bu}-customers", "kind": "data_subjects", "country": c})
        systems.append({"id": f"{bu}-crm", "tier": "saas", "operator": bu,
                        "runs_on": f"paas-{pid}-{c}", "operator_handles_data": True,
                        "remote_access": [{"party": "support-desk", "country": "PH",
                                           "clear_text": True}]})
        systems.append({"id": f"{bu}-erp", "tier": "saas", "operator": bu,
                        "runs_on": f"paas-{pid}-{c}", "operator_handles_data": True})
        systems.append({"id": f"{bu}-lake", "tier": "paas", "operator": bu,
                        "runs_on": f"iaas-{pid}-{c}", "operator_handles_data": True})
        datasets.append({"id": f"{bu}-customers-data", "categories": ["personal_data"],
                         "subjects": [c], "controller": bu, "disclosure_scope": [bu],
                         "purposes": ["customer_management"], "value": "high",
                         **({"subject_count": 1000 * (u + 1)} if u % 3 else {})})
        datasets.append({"id": f"{bu}-sales", "categories": ["personal_data"], "subjects": [c],
                         "controller": bu, "disclosure_scope": [bu], "purposes": ["sales"],
                         "value": "low"})
        flows.append({"id": f"{bu}-collect", "event": "collect", "from": f"{bu}-customers",
                      "to": f"{bu}-crm", "datasets": [f"{bu}-customers-data"],
                      "relationship": "data_subject_to_controller", "purpose": "customer_management"})
        flows.append({"id": f"{bu}-orders", "event": "process", "from": f"{bu}-crm",
                      "to": f"{bu}-crm", "datasets": [f"{bu}-customers-data"],
                      "produces": [f"{bu}-sales"], "relationship": "same_entity", "purpose": "sales"})
        flows.append({"id": f"{bu}-to-erp", "event": "transfer", "from": f"{bu}-crm",
                      "to": f"{bu}-erp", "datasets": [f"{bu}-customers-data", f"{bu}-sales"],
                      "relationship": "same_entity", "purpose": "sales"})
        flows.append({"id": f"{bu}-archive", "event": "store", "from": f"{bu}-erp",
                      "to": f"{bu}-lake", "datasets": [f"{bu}-customers-data", f"{bu}-sales"],
                      "relationship": "same_entity"})
        hub = REGION_HUB.get(c, "DE")
        safeguards = rnd.choice([[{"type": "scc", "module": 1}, {"type": "tia"}],
                                 [{"type": "bcr"}], "unknown",
                                 [{"type": "scc", "module": 1, "in_place": "unknown"}], []])
        flows.append({"id": f"{bu}-to-hub", "event": "transfer", "from": f"{bu}-erp",
                      "to": f"hub-dw-{hub}", "datasets": [f"{bu}-sales"],
                      "relationship": "controller_to_controller", "purpose": "sales",
                      "safeguards": safeguards})
        # Peer flows: business units share customer data with a few others in the group.
        # The first peer link of each unit also forwards the group's staff directory, to a unit
        # further down the list: the directory travels multi-hop through the group.
        for k in range(rnd.randint(PEERS // 2, PEERS)):
            peer = rnd.randrange(units)
            if peer == u:
                continue
            carried = [f"{bu}-customers-data"]
            if k == 0 and peer > u:
                carried.append("staff-directory")
            flows.append({"id": f"{bu}-peer-{k}", "event": "transfer", "from": f"{bu}-crm",
                          "to": f"bu-{peer}-crm", "datasets": carried,
                          "relationship": rnd.choice(["controller_to_controller",
                                                      "controller_to_processor", "unknown"]),
                          "purpose": "customer_management",
                          "safeguards": rnd.choice([[{"type": "scc", "module": 1}],
                                                    [{"type": "bcr"}], "unknown", []])})
    for hub in sorted(set(REGION_HUB.values()) | {"DE"}):
        hub_sets = [f"bu-{u}-sales" for u in range(units)
                    if REGION_HUB.get(COUNTRIES[u % len(COUNTRIES)], "DE") == hub]
        if hub_sets:
            flows.append({"id": f"hub-{hub}-analytics", "event": "transfer", "from": f"hub-dw-{hub}",
                          "to": "analytics", "datasets": hub_sets,
                          "relationship": "controller_to_processor", "purpose": "sales",
                          "safeguards": [{"type": "scc", "module": 2}]})
    return {"format": "xborder-model/1", "name": f"Generated enterprise map, {units} business units",
            "parties": parties, "systems": systems, "datasets": datasets, "flows": flows}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("units", type=int, help="number of business units (U)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.units < 1:
        print("enterprise_map.py: U must be at least 1", file=sys.stderr)
        return 2
    json.dump(generate(args.units, args.seed), sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
