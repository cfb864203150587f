"""Typed results over the JSON documents the CLI writes.

Each result keeps the document (``to_dict()`` returns a copy of it: the CLI's ``--format json``
contract, docs/check-output.md, docs/compare-output.md, docs/simulate-output.md) and reads it
generically: keys a later schema version adds appear in ``to_dict()``, as attributes of a
`Finding` and as columns of ``to_pandas()`` without a change here.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any, Iterator, Optional


def _text(value: Any) -> Any:
    """A ``{en, ja}`` text as its English string; anything else unchanged."""
    if isinstance(value, dict) and "en" in value and set(value) <= {"en", "ja"}:
        return value["en"]
    return value


def citation_label(c: Optional[dict]) -> str:
    """``Instrument, Article`` as a lawyer cites it ("" when there is none)."""
    if not c:
        return ""
    return ", ".join(p for p in (c.get("instrument", ""), c.get("article", "")) if p)


def _cell(value: Any) -> Any:
    """A value for one table cell: scalars as they are, texts in English, lists of scalars
    joined with "; ", anything else as compact JSON."""
    value = _text(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, list) and all(
            v is None or isinstance(v, (str, int, float, bool)) for v in map(_text, value)):
        return "; ".join("" if v is None else str(v) for v in map(_text, value))
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Document:
    """A result document: ``to_dict()`` (a deep copy), ``to_json()``, item access by key."""

    def __init__(self, document: dict):
        self._doc = document

    def to_dict(self) -> dict:
        """The document as the CLI writes it with ``--format json`` (a copy)."""
        return copy.deepcopy(self._doc)

    def to_json(self, indent: Optional[int] = 2) -> str:
        return json.dumps(self._doc, indent=indent, ensure_ascii=False)

    def __getitem__(self, key: str) -> Any:
        return self._doc[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._doc.get(key, default)

    def keys(self):
        return self._doc.keys()


class Finding(Mapping):
    """One finding of a check: a read-only mapping of its JSON object, whose keys are also
    attributes (``f.verdict``, ``f.rule``, ``f.citation``, ``f.edge`` …; see
    docs/check-output.md). ``row()`` flattens it to the columns of ``CheckResult.to_pandas()``."""

    __slots__ = ("_d",)

    def __init__(self, d: dict):
        self._d = d

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._d[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        edge = self._d.get("edge", {})
        edge_id = edge.get("id") if isinstance(edge, dict) else edge
        return (f"<Finding {self._d.get('verdict')} {self._d.get('rule')} "
                f"{self._d.get('dataset')} on {edge_id}>")

    def to_dict(self) -> dict:
        return copy.deepcopy(self._d)

    def row(self) -> dict:
        """The finding as one table row, with the columns a lawyer filters on first: verdict,
        rule, citation, place, dataset, event, edge, exporter/importer, countries, path_count.
        Every other key of the finding becomes a column too (nested objects one level deep)."""
        d = self._d
        row: dict[str, Any] = {}
        edge = d.get("edge") if isinstance(d.get("edge"), dict) else {}
        cit = d.get("citation") if isinstance(d.get("citation"), dict) else {}
        row["verdict"] = d.get("verdict")
        row["rule"] = d.get("rule")
        row["rule_kind"] = d.get("rule_kind")
        row["title"] = _text(d.get("title"))
        row["citation"] = citation_label(cit)
        row["citation_url"] = cit.get("url")
        row["place"] = d.get("place")
        row["place_name"] = _text(d.get("place_name"))
        row["dataset"] = d.get("dataset")
        row["event"] = d.get("event")
        row["edge"] = edge.get("id")
        row["edge_kind"] = edge.get("kind")
        row["implicit"] = edge.get("implicit")
        row["exporter"] = edge.get("exporter")
        row["importer"] = edge.get("importer")
        row["from_country"] = edge.get("from_country")
        row["to_country"] = edge.get("to_country")
        row["from_node"] = edge.get("from")
        row["to_node"] = edge.get("to")
        row["path_count"] = d.get("path_count")
        path = d.get("path")
        if isinstance(path, list):
            row["path"] = " → ".join(str(s.get("node")) if isinstance(s, dict) else str(s)
                                     for s in path)
        row["missing"] = _cell(d.get("missing", []))
        routes = d.get("routes")
        if isinstance(routes, list):
            row["routes"] = "; ".join(f"{r.get('id')}: {r.get('status')}" for r in routes
                                      if isinstance(r, dict))
        deciding = d.get("deciding")
        if isinstance(deciding, list):
            row["deciding"] = "; ".join(str(x.get("fact")) for x in deciding if isinstance(x, dict))
        row["because"] = _cell(d.get("because", []))
        scope = d.get("disclosure_scope")
        if isinstance(scope, dict):
            for k, v in scope.items():
                row[f"scope_{k}"] = _cell(v)
        # Everything else, whatever later versions add.
        done = {"verdict", "rule", "rule_kind", "title", "citation", "place", "place_name",
                "dataset", "event", "edge", "path_count", "path", "missing", "routes", "deciding",
                "because", "disclosure_scope"}
        for k, v in d.items():
            if k in done:
                continue
            if isinstance(v, dict) and _text(v) is v:
                for k2, v2 in v.items():
                    row[f"{k}_{k2}"] = _cell(v2)
            else:
                row[k] = _cell(v)
        for k, v in edge.items():  # edge keys not named above
            if k not in {"id", "kind", "implicit", "exporter", "importer", "from_country",
                         "to_country", "from", "to"}:
                row[f"edge_{k}"] = _cell(v)
        for k, v in cit.items():
            if k not in {"instrument", "article", "url"}:
                row[f"citation_{k}"] = _cell(v)
        return row


def _frame(rows: list[dict], columns: Optional[list[str]] = None):
    """A DataFrame with ``columns`` first (and present even without rows), then the rest."""
    import pandas as pd  # imported here: only to_pandas() needs pandas

    columns = columns or []
    rest = [k for k in dict.fromkeys(k for r in rows for k in r) if k not in columns]
    return pd.DataFrame(rows, columns=columns + rest)


_FINDING_COLUMNS = ["verdict", "rule", "rule_kind", "title", "citation", "citation_url", "place",
                    "place_name", "dataset", "event", "edge", "edge_kind", "implicit", "exporter",
                    "importer", "from_country", "to_country", "from_node", "to_node",
                    "path_count", "path", "missing", "routes", "deciding", "because"]


def _with_rule_text(item: dict, rules: dict) -> dict:
    """An issue or finding with its rule's text from the document's ``rules`` (schema 3.0.0
    gives it once per rule): ``rule_kind``, ``title``, ``citation``, ``place_name`` and each
    route's ``title`` and ``citation`` — the same expansion as the C++ ``expand_rule_texts``."""
    rule = rules.get(item.get("rule")) if isinstance(item, dict) else None
    if not isinstance(rule, dict):
        return item
    out = dict(item)
    for key, as_key in (("kind", "rule_kind"), ("title", "title"), ("citation", "citation"),
                        ("place_name", "place_name")):
        if key in rule and as_key not in out:
            out[as_key] = rule[key]
    texts = {r.get("id"): r for r in rule.get("routes", []) if isinstance(r, dict)}
    if isinstance(out.get("routes"), list):
        out["routes"] = [{**{k: v for k, v in texts.get(r.get("id"), {}).items() if k != "id"},
                          **r} if isinstance(r, dict) else r for r in out["routes"]]
    return out


class CheckResult(Document):
    """The result of `xborder.check`: ``at``, ``summary``, ``findings`` (sorted: violations,
    undetermined, compliant), ``warnings``; ``to_pandas()`` gives one row per finding."""

    def __init__(self, document: dict):
        super().__init__(document)
        rules = document.get("rules") if isinstance(document.get("rules"), dict) else {}
        self.findings: list[Finding] = [Finding(_with_rule_text(f, rules))
                                        for f in document.get("findings", [])]
        #: Legal issues (one per rule, verdict and recipient), each a dict as in
        #: docs/check-output.md: its edges, data sets and the example that explains it, with its
        #: rule's text (title, citation …) copied in from the document's ``rules``.
        self.issues: list[dict] = [_with_rule_text(i, rules) for i in document.get("issues", [])]

    at = property(lambda self: self._doc.get("at"), doc="The check date, YYYY-MM-DD.")
    summary = property(lambda self: dict(self._doc.get("summary", {})),
                       doc="Counts: paths, violations, undetermined, compliant, states …")
    places = property(lambda self: list(self._doc.get("places", [])),
                      doc="Place ids of the rule packs used.")
    warnings = property(lambda self: list(self._doc.get("warnings", [])))

    def by_verdict(self, verdict: str) -> list[Finding]:
        return [f for f in self.findings if f.get("verdict") == verdict]

    violations = property(lambda self: self.by_verdict("violation"))
    undetermined = property(lambda self: self.by_verdict("undetermined"))
    compliant = property(lambda self: self.by_verdict("compliant"))

    @property
    def ok(self) -> bool:
        """True when nothing is violated (the CLI's exit code 0)."""
        return not self.violations

    def to_pandas(self):
        """One row per finding (`Finding.row`), in the document's order."""
        return _frame([f.row() for f in self.findings], _FINDING_COLUMNS)

    def issues_to_pandas(self):
        """One row per legal issue: verdict, rule, recipient and its country, occurrences, path
        count, then the citation, systems, data sets and what is missing (lists joined)."""
        rows = []
        for i in self.issues:
            rows.append({
                "verdict": i.get("verdict"), "rule": i.get("rule"),
                "recipient": i.get("recipient", {}).get("party"),
                "recipient_country": i.get("recipient", {}).get("country"),
                "occurrences": i.get("occurrences"), "path_count": i.get("path_count"),
                "title": (i.get("title") or {}).get("en"), "place": i.get("place"),
                "citation": " ".join(filter(None, [(i.get("citation") or {}).get("instrument"),
                                                   (i.get("citation") or {}).get("article")])),
                "systems": ", ".join(i.get("systems", [])),
                "datasets": ", ".join(i.get("datasets", [])),
                "missing": ", ".join(i.get("missing", [])),
            })
        return _frame(rows, ["verdict", "rule", "recipient", "recipient_country", "occurrences",
                             "path_count"])

    def disagreements_to_pandas(self):
        """With ``check(…, regimes=[…])``: one row per edge, data set and regime where the
        regimes disagree (``regime_disagreements``), with that regime's worst verdict there
        (``not_applicable`` when none of its rules applies) and its rules."""
        rows = []
        for d in self._doc.get("regime_disagreements", []):
            src = d.get("from") if isinstance(d.get("from"), dict) else {}
            dst = d.get("to") if isinstance(d.get("to"), dict) else {}
            base = {"edge": d.get("edge"), "edge_kind": d.get("edge_kind"),
                    "dataset": d.get("dataset"), "event": d.get("event"),
                    "from_node": src.get("node"), "from_country": src.get("country"),
                    "to_node": dst.get("node"), "to_country": dst.get("country")}
            for v in d.get("verdicts", []):
                rows.append({**base, **{k: _cell(x) for k, x in v.items()}})
        return _frame(rows, ["edge", "edge_kind", "dataset", "event", "from_node", "from_country",
                             "to_node", "to_country", "regime", "verdict", "rules"])

    def __repr__(self) -> str:
        s = self._doc.get("summary", {})
        return (f"<CheckResult at {self.at}: {s.get('violations')} violations, "
                f"{s.get('undetermined')} undetermined, {s.get('compliant')} compliant "
                f"over {s.get('paths')} paths>")


class CompareResult(Document):
    """The result of `xborder.compare` (docs/compare-output.md): ``regimes``, ``matrix``
    (cells where row allows what column forbids), ``tables``; ``to_pandas()`` gives one row per
    cell, ``matrix_frame()`` the matrix labelled."""

    regimes = property(lambda self: [r["label"] for r in self._doc.get("regimes", [])])
    summary = property(lambda self: dict(self._doc.get("summary", {})))

    def matrix_frame(self):
        """Regimes × regimes: how many classes of flows the row allows and the column forbids
        (NaN on the diagonal; capped by ``max_cells`` where a table is incomplete)."""
        import pandas as pd

        labels = self.regimes
        m = [[float("nan") if v is None else v for v in row] for row in self._doc["matrix"]]
        return pd.DataFrame(m, index=pd.Index(labels, name="allows"),
                            columns=pd.Index(labels, name="forbids"))

    def to_pandas(self):
        rows = []
        for t in self._doc.get("tables", []):
            for cell in t.get("cells", []):
                row = {"allows": t.get("allows"), "forbids": t.get("forbids"),
                       "complete": t.get("complete")}
                for k, v in cell.items():
                    if k in ("allowing_rules", "forbidding_rules") and isinstance(v, list):
                        row[k] = "; ".join(str(r.get("rule", r.get("rule_id", "")))
                                           if isinstance(r, dict) else str(r) for r in v)
                    elif k == "witness" and isinstance(v, (list, dict)):
                        items = v.items() if isinstance(v, dict) else (
                            (w.get("variable"), w.get("value")) if isinstance(w, dict) else w
                            for w in v)
                        row[k] = "; ".join(f"{a} = {b}" for a, b in items)
                    elif k == "conditions" and isinstance(v, list):
                        row[k] = "; ".join(c.get("text", "") if isinstance(c, dict) else str(c)
                                           for c in v)
                    else:
                        row[k] = _cell(v)
                rows.append(row)
        return _frame(rows, ["allows", "forbids", "complete", "condition"])

    def __repr__(self) -> str:
        return f"<CompareResult {' vs '.join(self.regimes)}: {self.summary.get('cells')} cells>"


class SimulationResult(Document):
    """The result of `xborder.simulate` (docs/simulate-output.md): ``replay``, ``monte_carlo``
    and ``analytic`` (``None`` without runs); ``to_pandas()`` gives the replay's non-compliant
    intervals, one row per finding and period."""

    replay = property(lambda self: self._doc.get("replay", {}))
    monte_carlo = property(lambda self: self._doc.get("monte_carlo"))
    analytic = property(lambda self: self._doc.get("analytic"))

    def to_pandas(self):
        return _frame([{k: _cell(v) for k, v in i.items()}
                       for i in self.replay.get("intervals", [])],
                      ["rule", "place", "dataset", "edge", "verdict", "from", "to", "days"])

    def segments(self):
        """The replay's segments: from, to, active events, violations, undetermined."""
        return _frame([{k: _cell(v) for k, v in s.items()}
                       for s in self.replay.get("segments", [])])

    def __repr__(self) -> str:
        mc = self.monte_carlo
        p = f", P(violation) ≈ {mc['p_violation']['value']}" if mc else ""
        return f"<SimulationResult replay violated={self.replay.get('violated')}{p}>"


class Catalogue(Document):
    """`rules.list` / `rules.diff`: rules, facts and reach declarations; one row each."""

    def __init__(self, document: dict, key: str):
        super().__init__(document)
        self._key = key

    @property
    def items(self) -> list[dict]:
        return list(self._doc.get(self._key, []))

    def to_pandas(self):
        rows = []
        for item in self._doc.get(self._key, []):
            row = {}
            for k, v in item.items():
                if k == "citation" and isinstance(v, dict):
                    row["citation"] = citation_label(v)
                    row["citation_url"] = v.get("url")
                    row["verified"] = v.get("verified")
                elif k == "valid" and isinstance(v, dict):
                    row["valid_from"] = v.get("from")
                    row["valid_to"] = v.get("to")
                else:
                    row[k] = _cell(v)
            rows.append(row)
        return _frame(rows, ["kind", "place", "id", "title"])

    def __len__(self) -> int:
        return len(self._doc.get(self._key, []))

    def __repr__(self) -> str:
        return f"<Catalogue {self._key}: {len(self)}>"


class LintResult(Document):
    """`rules.lint`: ``ok`` (no defect: the CLI's exit code 0), ``diagnostics``."""

    @property
    def diagnostics(self):
        from ._errors import Diagnostic

        return [Diagnostic.from_dict(d) for d in self._doc.get("diagnostics", [])]

    @property
    def ok(self) -> bool:
        return self._doc.get("loaded", False) and not any(
            d.get("severity") == "error" for d in self._doc.get("diagnostics", []))

    def to_pandas(self):
        return _frame([dict(d) for d in self._doc.get("diagnostics", [])],
                      ["severity", "code", "file", "pointer", "message", "hint"])

    def __repr__(self) -> str:
        return (f"<LintResult {self._doc.get('rules')} rules in {self._doc.get('packs')} packs: "
                f"{len(self._doc.get('diagnostics', []))} diagnostics>")
