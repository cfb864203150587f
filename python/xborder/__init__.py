"""xborder from Python: may this regulated data lawfully go where our systems send it?

The same C++ core as the ``xborder`` command line (python/README.md)::

    import xborder
    result = xborder.check("scenarios/multi-tier-cloud/model.json", at="2024-06-01")
    result.to_pandas()            # one row per finding
    xborder.graph(result_model)   # the transfer graph as a networkx.DiGraph

A model is a file path, a JSON string, a ``dict`` or a `Model` from `load`. Rules come from the
shipped packs (``jurisdictions/``) unless ``rules_dir``, ``places``, ``policies`` or a `RuleSet`
from `load_rules` say otherwise. Bad input raises `ModelError` with the CLI's diagnostics.

Every call releases the GIL while the core works and builds its own checker (its own Z3
context), so calls from several threads run in parallel and are safe; `Model` and `RuleSet` are
immutable and may be shared between threads.
"""
from __future__ import annotations

import copy
import json
import os
import pathlib
import tempfile
import threading
from typing import Any, Mapping, Optional, Sequence, Union

from . import _core
from . import rules
from . import sweep
from ._errors import Diagnostic, ModelError
from ._graph import to_networkx
from ._results import (Catalogue, CheckResult, CompareResult, Document, Finding, LintResult,
                       SimulationResult)

__version__ = _core.tool_version
CHECK_SCHEMA_VERSION = _core.check_schema_version
COMPARE_SCHEMA_VERSION = _core.compare_schema_version
SIMULATE_SCHEMA_VERSION = _core.simulate_schema_version

__all__ = [
    "Model", "RuleSet", "ModelError", "Diagnostic", "CheckResult", "CompareResult",
    "SimulationResult", "Catalogue", "LintResult", "Finding", "Document", "load", "load_rules",
    "check", "compare", "simulate", "graph", "graph_json", "graph_dot", "report", "rules",
    "repository_root", "sweep",
]

PathLike = Union[str, "os.PathLike[str]"]
ModelSource = Union["Model", PathLike, Mapping[str, Any]]


def repository_root() -> pathlib.Path:
    """The source tree the core was built from (its rule packs, scenarios and reference data)."""
    return pathlib.Path(_core.source_dir)


class Model:
    """A loaded, validated transfer model (docs/model-format.md). Immutable: share it freely."""

    def __init__(self, core: Any, document: Optional[dict] = None,
                 path: Optional[pathlib.Path] = None):
        self._core = core
        self._document = document
        self._path = path

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def file(self) -> str:
        """The file as given, or ``<string>`` / ``<dict>`` for a model given inline."""
        return self._core.file

    @property
    def counts(self) -> dict:
        """How many parties, systems, data sets and flows the model declares."""
        return dict(self._core.counts)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [Diagnostic.from_dict(d) for d in json.loads(self._core.warnings_json)]

    def to_dict(self) -> dict:
        """The model document (a copy): edit it and pass it to `check` to try a fix."""
        if self._document is None and self._path is not None:
            # JSON or YAML, read as the loader reads it (YAML 1.2: `NO` stays a country code).
            self._document = json.loads(_core.model_document_json(os.fspath(self._path)))
        return copy.deepcopy(self._document) if self._document is not None else {}

    def __repr__(self) -> str:
        c = self.counts
        return (f"<Model {self.name!r} from {self.file}: {c['parties']} parties, "
                f"{c['systems']} systems, {c['datasets']} data sets, {c['flows']} flows>")


def load(source: ModelSource) -> Model:
    """Loads and validates a model from a file path (JSON or YAML), a JSON string or a dict (or
    returns a `Model` unchanged). Raises `ModelError` listing every problem, as ``xborder validate``."""
    if isinstance(source, Model):
        return source
    if isinstance(source, Mapping):
        document = json.loads(json.dumps(source))  # a plain, detached copy
        return Model(_core.load_model_text(json.dumps(source), "<dict>"), document=document)
    if isinstance(source, str) and source.lstrip().startswith("{"):
        core = _core.load_model_text(source, "<string>")  # diagnoses bad JSON as the CLI does
        return Model(core, document=json.loads(source))
    if isinstance(source, (str, os.PathLike)):
        path = pathlib.Path(os.fspath(source))
        return Model(_core.load_model_file(os.fspath(source)), path=path)
    raise TypeError(f"a model is a path, a JSON string, a dict or a Model, not {type(source)!r}")


class RuleSet:
    """Loaded rule packs: the shipped ones (or ``rules_dir``), optionally only ``places``, plus
    an organisation's ``policies``. Immutable: share it freely between calls and threads."""

    def __init__(self, core: Any):
        self._core = core

    @property
    def dir(self) -> pathlib.Path:
        return pathlib.Path(self._core.dir)

    @property
    def places(self) -> list[str]:
        """Place ids of the packs loaded."""
        return list(self._core.loaded_places)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [Diagnostic.from_dict(d) for d in json.loads(self._core.warnings_json)]

    def __repr__(self) -> str:
        return f"<RuleSet {len(self.places)} places from {self.dir}>"


_rules_cache: dict = {}
_rules_lock = threading.Lock()


def load_rules(rules_dir: Optional[PathLike] = None, *, places: Optional[Sequence[str]] = None,
               policies: Sequence[PathLike] = ()) -> RuleSet:
    """Loads rule packs as ``--rules DIR --places … --policies …`` do. Loaded once per process
    and argument set (the packs are read-only), so repeated calls are cheap."""
    key = (None if rules_dir is None else os.path.abspath(os.fspath(rules_dir)),
           tuple(places or ()), tuple(os.path.abspath(os.fspath(p)) for p in policies))
    with _rules_lock:
        cached = _rules_cache.get(key)
    if cached is not None:
        return cached
    loaded = RuleSet(_core.RuleSet(key[0], list(key[1]), list(key[2])))
    with _rules_lock:
        return _rules_cache.setdefault(key, loaded)


def _rule_set(rules: Optional[RuleSet], rules_dir, places, policies) -> RuleSet:
    if rules is not None:
        if rules_dir is not None or places is not None or policies:
            raise TypeError("give either `rules` or rules_dir/places/policies, not both")
        return rules
    return load_rules(rules_dir, places=places, policies=policies)


def check(model: ModelSource, at: Optional[str] = None, *, regimes: Sequence[str] = (),
          rules: Optional[RuleSet] = None, rules_dir: Optional[PathLike] = None,
          places: Optional[Sequence[str]] = None,
          policies: Sequence[PathLike] = ()) -> CheckResult:
    """Checks every data path of ``model`` at ``at`` (YYYY-MM-DD; default today, UTC), as
    ``xborder check --format json``. ``regimes`` (two or more, e.g. ``["EU", "JP"]``) adds where
    regimes that apply at once disagree (``regime_disagreements``)."""
    m = load(model)
    rs = _rule_set(rules, rules_dir, places, policies)
    return CheckResult(json.loads(_core.check(m._core, rs._core, at, [str(r) for r in regimes])))


def graph_json(model: ModelSource, *, rules: Optional[RuleSet] = None,
               rules_dir: Optional[PathLike] = None, places: Optional[Sequence[str]] = None,
               policies: Sequence[PathLike] = ()) -> dict:
    """The transfer graph as ``xborder graph --format json`` writes it."""
    m = load(model)
    rs = _rule_set(rules, rules_dir, places, policies)
    return json.loads(_core.graph(m._core, rs._core, "json"))


def graph(model: ModelSource, **kwargs: Any):
    """The transfer graph, implicit edges included, as a `networkx.DiGraph` (see
    `xborder._graph.to_networkx` for the attributes). Takes `graph_json`'s arguments."""
    return to_networkx(graph_json(model, **kwargs))


def graph_dot(model: ModelSource, *, rules: Optional[RuleSet] = None,
              rules_dir: Optional[PathLike] = None, places: Optional[Sequence[str]] = None,
              policies: Sequence[PathLike] = ()) -> str:
    """The transfer graph in Graphviz dot (``xborder graph --format dot``)."""
    m = load(model)
    rs = _rule_set(rules, rules_dir, places, policies)
    return _core.graph(m._core, rs._core, "dot")


def report(model: ModelSource, format: str = "html", path: Optional[PathLike] = None, *,
           at: Optional[str] = None, rules: Optional[RuleSet] = None,
           rules_dir: Optional[PathLike] = None, places: Optional[Sequence[str]] = None,
           policies: Sequence[PathLike] = ()) -> Union[str, pathlib.Path]:
    """Renders a report (``html``, ``md``, ``sarif``, ``csv``, ``appi-notice``, ``tia``,
    ``json``) as ``xborder report`` does. Returns the text, or with ``path`` writes it there
    atomically (a failure leaves no file behind) and returns the path."""
    m = load(model)
    rs = _rule_set(rules, rules_dir, places, policies)
    text = _core.report(m._core, rs._core, at, format)
    if path is None:
        return text
    target = pathlib.Path(os.fspath(path))
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp-xborder")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return target


def compare(*regimes: str, at: Optional[str] = None, scope: str = "",
            where: Optional[Mapping[int, str]] = None, frame: Optional[str] = None,
            kind: str = "all", categories: Optional[Sequence[str]] = ("personal_data",),
            max_cells: int = 500, detail: bool = False, rules: Optional[RuleSet] = None,
            rules_dir: Optional[PathLike] = None,
            policies: Sequence[PathLike] = ()) -> CompareResult:
    """Gap analysis between two or more regimes (``xborder compare``): every class of flows one
    allows and another forbids. A regime is a jurisdiction or place id, joined by ``+``,
    optionally ``@YYYY-MM-DD`` (``"EU"``, ``"JP@2021-01-01"``, ``"eu-gdpr+us-access"``).
    ``where`` maps a regime's position (from 1) to a condition on that side only; ``kind`` is
    ``"all"`` or ``"basis"``; ``categories=None`` takes every place category."""
    if kind not in ("all", "basis"):
        raise ValueError("kind is 'all' or 'basis'")
    rs = _rule_set(rules, rules_dir, None, policies)
    doc = _core.compare(rs._core, list(regimes), at, scope, frame, kind == "basis",
                        [] if categories is None else list(categories), int(max_cells), detail,
                        sorted((int(k), str(v)) for k, v in (where or {}).items()))
    return CompareResult(json.loads(doc))


def simulate(scenario: PathLike, *, runs: int = 0, seed: int = 1, horizon: Optional[str] = None,
             threads: int = 0, rules: Optional[RuleSet] = None,
             rules_dir: Optional[PathLike] = None,
             policies: Sequence[PathLike] = ()) -> SimulationResult:
    """Replays a scenario's timeline (docs/scenario-format.md); with ``runs`` > 0 also runs
    Monte Carlo from ``seed`` on ``threads`` threads (0: every core) and computes the exact
    Markov answer, as ``xborder simulate --format json``. Results do not depend on ``threads``."""
    rs = _rule_set(rules, rules_dir, None, policies)
    doc = _core.simulate(os.fspath(scenario), rs._core, int(runs), int(seed), horizon,
                         int(threads))
    return SimulationResult(json.loads(doc))
