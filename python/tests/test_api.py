"""The Python API against the CLI of the same build and the scenarios' pinned verdicts."""
import json
import pathlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import pandas as pd
import pytest

import xborder

from conftest import MULTI_TIER, ROOT


def pinned(scenario: str, at: str) -> set:
    expected = json.loads((ROOT / "scenarios" / scenario / "expected.json").read_text())
    check = next(c for c in expected["checks"] if c["at"] == at)
    return {(f["rule"], f["dataset"], f["edge"], f["verdict"]) for f in check["findings"]}


def key(f) -> tuple:
    return (f["rule"], f["dataset"], f["edge"]["id"], f["verdict"])


def test_check_finds_the_pinned_violations(multi_tier_2024):
    r = multi_tier_2024
    assert r.at == "2024-06-01"
    got = {key(f) for f in r.findings if f.verdict != "compliant"}
    assert got == pinned("multi-tier-cloud", "2024-06-01")
    assert r.summary["violations"] == len(r.violations) > 0
    assert not r.ok


def test_to_dict_is_the_cli_document(cli, monkeypatch):
    # One contract: the dict is what `check --format json --findings --compliant` prints, key
    # for key (the CLI lists only the issues by default; Python keeps every finding).
    monkeypatch.chdir(ROOT)
    rel = "scenarios/multi-tier-cloud/model.json"
    code, doc, _ = cli("check", rel, "--at", "2024-06-01", "--format", "json", "--findings",
                       "--compliant")
    assert code == 1
    assert xborder.check(rel, at="2024-06-01").to_dict() == doc


def test_issues_group_the_findings():
    r = xborder.check(str(ROOT / "scenarios/multi-tier-cloud/model.json"), at="2024-06-01")
    occurrences = sorted((i["verdict"], i["rule"], e["id"], d)
                         for i in r.issues for e in i["edges"] for d in e["datasets"])
    assert occurrences == sorted((f.get("verdict"), f.get("rule"), f.get("edge")["id"],
                                  f.get("dataset")) for f in r.findings)
    df = r.issues_to_pandas()
    assert len(df) == len(r.issues) < len(r.findings)
    assert list(df.columns[:6]) == ["verdict", "rule", "recipient", "recipient_country",
                                    "occurrences", "path_count"]
    # The document gives each rule's text once (schema 3.0.0); issues and findings carry it.
    rules = r.to_dict()["rules"]
    assert "title" not in r.to_dict()["findings"][0]
    for item in list(r.findings) + r.issues:
        text = rules[item["rule"]]
        assert item["citation"] == text["citation"] and item["title"] == text["title"]
        assert item["rule_kind"] == text["kind"] and item["place_name"] == text["place_name"]
        for route in item["routes"]:
            assert route["title"] == next(t["title"] for t in text["routes"]
                                          if t["id"] == route["id"])
    assert df.title.notna().all()


def test_regimes_match_the_cli(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    rel = "scenarios/multi-tier-cloud/model.json"
    _, doc, _ = cli("check", rel, "--at", "2024-06-01", "--format", "json", "--regimes", "JP,SG",
                    "--findings", "--compliant")
    r = xborder.check(rel, at="2024-06-01", regimes=["JP", "SG"])
    got = r.to_dict()
    assert "regime_disagreements" in got
    assert got == doc
    df = r.disagreements_to_pandas()
    assert len(df) == sum(len(d["verdicts"]) for d in doc["regime_disagreements"]) > 0
    assert set(df.regime) == {"JP", "SG"} and df.verdict.notna().all()


def test_to_dict_is_a_copy(multi_tier_2024):
    d = multi_tier_2024.to_dict()
    d["findings"].clear()
    assert multi_tier_2024.to_dict()["findings"]


def test_to_pandas_one_row_per_finding(multi_tier_2024):
    df = multi_tier_2024.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(multi_tier_2024.findings)
    for col in ["verdict", "rule", "citation", "citation_url", "place", "dataset", "edge",
                "exporter", "importer", "from_country", "to_country", "path_count"]:
        assert col in df.columns, col
    v = df[df.verdict == "violation"]
    assert set(zip(v.rule, v.dataset, v.edge, v.verdict)) <= pinned("multi-tier-cloud",
                                                                    "2024-06-01")
    appi = df[(df.rule == "JP-APPI-28") & (df.verdict == "violation")]
    assert set(appi.to_country) == {"US"} and set(appi.importer) == {"cloud-c-parent"}
    assert appi.citation.str.contains("Art. 28").all()


def test_unknown_finding_keys_become_columns():
    # The check JSON may gain keys (a minor version): they must reach the table unchanged.
    doc = {"at": "2024-01-01", "summary": {}, "findings": [
        {"verdict": "violation", "rule": "R", "edge": {"id": "e", "new_edge_key": 3},
         "brand_new": "x", "new_object": {"a": 1, "b": [1, 2]}, "title": {"en": "T", "ja": "t"}}]}
    row = xborder.CheckResult(doc).to_pandas().iloc[0]
    assert row["brand_new"] == "x" and row["edge_new_edge_key"] == 3
    assert row["new_object_a"] == 1 and row["new_object_b"] == "1; 2"
    assert row["title"] == "T"
    assert xborder.CheckResult(doc).findings[0].brand_new == "x"


def test_model_from_dict_and_string_checks_the_same(multi_tier_2024):
    doc = json.loads(MULTI_TIER.read_text())
    for source in (doc, json.dumps(doc), xborder.load(MULTI_TIER)):
        r = xborder.check(source, at="2024-06-01").to_dict()
        expected = multi_tier_2024.to_dict()
        r.pop("model"), expected.pop("model")
        assert r == expected


def test_model_to_dict_whatever_the_source():
    doc = json.loads(MULTI_TIER.read_text())
    for source in (MULTI_TIER, str(MULTI_TIER), doc, json.dumps(doc)):
        m = xborder.load(source)
        assert m.to_dict() == doc and m.name == doc["name"]
        assert m.counts["systems"] == len(doc["systems"])


def test_fixing_a_finding_removes_it():
    # The notebook's fix: the US parent's access to the photos is no longer in the clear.
    doc = xborder.load(MULTI_TIER).to_dict()
    before = xborder.check(doc, at="2024-06-01")
    storage = next(s for s in doc["systems"] if s["id"] == "c-storage")
    for access in storage["remote_access"]:
        access["clear_text"] = False
    after = xborder.check(doc, at="2024-06-01")
    rule = ("JP-APPI-28", "photos")
    assert any((f.rule, f.dataset) == rule for f in before.violations)
    assert not any((f.rule, f.dataset) == rule for f in after.violations)


def test_model_error_carries_the_diagnostics():
    doc = json.loads(MULTI_TIER.read_text())
    doc["systems"][0]["regions"][0]["location"] = "country:XX"
    with pytest.raises(xborder.ModelError) as e:
        xborder.load(doc)
    d = e.value.errors[0]
    assert d.file == "<dict>" and d.pointer.startswith("/systems/0")
    assert d.code.startswith("XB-MODEL-") and d.message
    assert e.value.codes == [x.code for x in e.value.errors]
    assert "/systems/0" in str(e.value)


def test_model_error_for_a_missing_file_and_bad_json(tmp_path):
    with pytest.raises(xborder.ModelError) as e:
        xborder.load(tmp_path / "nope.json")
    assert e.value.errors[0].file.endswith("nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "xborder-model/1",')
    with pytest.raises(xborder.ModelError) as e:
        xborder.load(bad)
    assert e.value.errors[0].code.startswith("XB-MODEL")
    with pytest.raises(xborder.ModelError):
        xborder.load('{"format": 3}')


def test_bad_arguments_raise_model_error(multi_tier):
    with pytest.raises(xborder.ModelError) as e:
        xborder.check(multi_tier, at="2024-13-45")
    assert e.value.errors[0].pointer == "/at"
    with pytest.raises(xborder.ModelError):
        xborder.check(multi_tier, regimes=["EU", "NOWHERE"])
    with pytest.raises(xborder.ModelError):
        xborder.report(multi_tier, format="pdf")
    with pytest.raises(TypeError):
        xborder.load(42)


def test_graph_is_a_digraph_with_implicit_edges(cli, multi_tier):
    g = xborder.graph(multi_tier)
    assert isinstance(g, nx.DiGraph)
    _, doc, _ = cli("graph", str(multi_tier), "--format", "json")
    assert set(g.nodes) == {n["id"] for n in doc["nodes"]}
    assert sum(len(d["edges"]) for _, _, d in g.edges(data=True)) == len(doc["edges"])
    kinds = {d["kind"] for _, _, d in g.edges(data=True)}
    assert {"flow", "hosting", "replication", "remote_access"} <= kinds
    assert g.nodes["c-iaas@country:JP"]["holder"] == "cloud-c"
    assert xborder.graph_dot(multi_tier).startswith("digraph")


def test_report_text_and_file(tmp_path, multi_tier):
    md = xborder.report(multi_tier, "md", at="2024-06-01")
    assert "JP-APPI-28" in md
    out = xborder.report(multi_tier, "html", tmp_path / "r.html", at="2024-06-01")
    assert out == tmp_path / "r.html" and "<html" in out.read_text()[:500].lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]  # no temporary left


def test_compare_matches_the_cli(cli):
    args = ["EU", "JP", "--at", "2024-01-01", "--kind", "basis", "--max-cells", "3"]
    _, doc, _ = cli("compare", *args, "--format", "json")
    r = xborder.compare("EU", "JP", at="2024-01-01", kind="basis", max_cells=3)
    got = r.to_dict()
    for d in (doc, got):
        d["summary"].pop("seconds")  # wall time differs between runs
    assert got == doc
    m = r.matrix_frame()
    assert list(m.index) == ["EU", "JP"] and m.loc["EU", "JP"] == doc["matrix"][0][1]
    assert len(r.to_pandas()) == sum(len(t["cells"]) for t in doc["tables"])


def test_simulate_matches_the_cli_and_the_exact_answer(cli, root):
    scenario = root / "scenarios" / "cloud-failover" / "simulation.json"
    _, doc, _ = cli("simulate", str(scenario), "--runs", "200", "--seed", "3", "--horizon", "2y",
                    "--format", "json")
    r = xborder.simulate(scenario, runs=200, seed=3, horizon="2y", threads=2)
    assert r.to_dict() == doc
    mc, exact = r.monte_carlo["p_violation"], r.analytic["p_violation"]
    assert r.analytic["available"]
    assert mc["low"] <= exact <= mc["high"]
    assert list(r.to_pandas().columns)[:4] == ["rule", "place", "dataset", "edge"]


def test_rules_list_diff_lint():
    listed = xborder.rules.list("2020-07-01")
    df = listed.to_pandas()
    assert len(df) == len(listed) > 0 and {"kind", "place", "id", "citation"} <= set(df.columns)
    changes = xborder.rules.diff("2020-07-15", "2020-07-17")
    ended = changes.to_pandas()
    assert (ended.change == "ended").any()  # Schrems II: the Privacy Shield falls
    lint = xborder.rules.lint()
    assert lint.to_dict()["rules"] > 0 and isinstance(lint.ok, bool)
    assert all(d.code.startswith("XB-") for d in lint.diagnostics)


def test_places_restrict_the_rules(multi_tier):
    r = xborder.check(multi_tier, at="2024-06-01", places=["jp-appi"])
    assert r.places == ["jp-appi"]
    assert {f.place for f in r.findings} == {"jp-appi"}


def test_threads_are_safe_and_agree(multi_tier):
    model = xborder.load(multi_tier)
    dates = ["2016-01-01", "2020-08-01", "2024-06-01", "2026-01-01"] * 2
    serial = [xborder.check(model, at=d).to_dict() for d in dates]
    with ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(lambda d: xborder.check(model, at=d).to_dict(), dates))
    assert parallel == serial


def test_the_gil_is_released_while_the_core_works(root):
    # While another thread simulates, this thread keeps running: with the GIL held by the core
    # the longest pause here would be the whole call.
    scenario = root / "scenarios" / "cloud-failover" / "simulation.json"
    xborder.load_rules()
    runs, alone = 400, 0.0
    while alone < 1.0 and runs <= 1_000_000:  # long enough to tell, on a fast or a slow machine
        runs *= 2
        start = time.monotonic()
        xborder.simulate(scenario, runs=runs, seed=1, threads=1)
        alone = time.monotonic() - start
    done = threading.Event()
    worker = threading.Thread(
        target=lambda: (xborder.simulate(scenario, runs=runs, seed=1, threads=1), done.set()))
    last, longest = time.monotonic(), 0.0
    worker.start()
    while not done.is_set():
        now = time.monotonic()
        longest, last = max(longest, now - last), now
        time.sleep(0.001)
    worker.join()
    assert longest < alone / 2, (longest, alone, runs)


def test_yaml_models_load_like_their_json_twins():
    yaml_model = xborder.load(ROOT / "scenarios" / "multi-tier-cloud" / "model.yaml")
    json_model = xborder.load(MULTI_TIER)
    assert yaml_model.to_dict() == json_model.to_dict()
    assert yaml_model.counts == json_model.counts
    found = xborder.check(yaml_model, at="2024-06-01")
    assert len(found.issues) == len(xborder.check(json_model, at="2024-06-01").issues)
