"""The rule base as a catalogue (``xborder rules list|diff|lint``)."""
from __future__ import annotations

import json
import os
from typing import Optional, Sequence, Union

from . import _core
from ._results import Catalogue, LintResult

PathLike = Union[str, "os.PathLike[str]"]


def _rules(rules, rules_dir, places, policies):
    from . import load_rules  # the package's cache of loaded rule bases

    return rules if rules is not None else load_rules(rules_dir, places=places, policies=policies)


def list(at: Optional[str] = None, *, rules=None, rules_dir: Optional[PathLike] = None,
         places: Optional[Sequence[str]] = None,
         policies: Sequence[PathLike] = ()) -> Catalogue:  # noqa: A001 (the CLI's verb)
    """What is in force at ``at`` (YYYY-MM-DD; default today, UTC): rules, facts and reach
    declarations with citation, source URL, verification date and validity interval."""
    rs = _rules(rules, rules_dir, places, policies)
    return Catalogue(json.loads(_core.rules_list(rs._core, at)), "items")


def diff(from_date: str, to_date: str, *, rules=None, rules_dir: Optional[PathLike] = None,
         places: Optional[Sequence[str]] = None, policies: Sequence[PathLike] = ()) -> Catalogue:
    """What came into force (``change: started``) or went out of force (``ended``) between
    two dates."""
    rs = _rules(rules, rules_dir, places, policies)
    return Catalogue(json.loads(_core.rules_diff(rs._core, from_date, to_date)), "changes")


def lint(*, rules_dir: Optional[PathLike] = None, places: Optional[Sequence[str]] = None,
         policies: Sequence[PathLike] = ()) -> LintResult:
    """Provenance, validity intervals, vocabulary and regression-vector coverage of the packs.
    ``ok`` is False when a pack has a defect (the CLI's exit code 1); a pack that does not load
    at all is reported in ``diagnostics`` as the CLI does."""
    doc = _core.rules_lint(None if rules_dir is None else os.fspath(rules_dir),
                           [] if places is None else [str(p) for p in places],
                           [os.fspath(p) for p in policies])
    return LintResult(json.loads(doc))
