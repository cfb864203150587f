"""Sweeps: many checks (model variants × rule packs × dates), serially or fanned out with Dask.

A task is a plain dict, so it pickles to any Dask worker::

    {"id": "…", "model": <model dict>, "at": "2024-06-01", "places": ["jp-appi"] or None}

and its result a small dict of counts and the violated rules. `run_dask` sends the tasks to a
``dask.distributed.Client`` — a ``LocalCluster`` or a real scheduler, the code is the same — and
returns the results in task order, so they compare equal to `run_serial`'s.
"""
from __future__ import annotations

import copy
import itertools
from typing import Any, Iterable, Optional, Sequence


def run_task(task: dict) -> dict:
    """Checks one task and keeps what a sweep tabulates (runs on a worker)."""
    import xborder  # imported on the worker

    r = xborder.check(task["model"], at=task["at"], places=task.get("places"))
    s = r.summary
    return {
        "id": task["id"],
        "at": task["at"],
        "places": "+".join(task.get("places") or ["all"]),
        "variant": task.get("variant", ""),
        "paths": s.get("paths"),
        "violations": s.get("violations"),
        "undetermined": s.get("undetermined"),
        "compliant": s.get("compliant"),
        "violated_rules": sorted({f.rule for f in r.violations}),
    }


def run_serial(tasks: Iterable[dict]) -> list[dict]:
    """The reference: one task after the other in this process."""
    return [run_task(t) for t in tasks]


def run_dask(client: Any, tasks: Sequence[dict]) -> list[dict]:
    """The same tasks on a Dask cluster; results in task order. ``pure=False``: each task runs
    even when two look alike (a sweep counts runs)."""
    futures = client.map(run_task, list(tasks), pure=False)
    return client.gather(futures)


def tasks(variants: dict[str, dict], dates: Sequence[str],
          place_sets: Sequence[Optional[Sequence[str]]]) -> list[dict]:
    """The product variants × place sets × dates, one task each."""
    out = []
    for (name, model), places, at in itertools.product(variants.items(), place_sets, dates):
        label = "+".join(places) if places else "all"
        out.append({"id": f"{name}|{label}|{at}", "variant": name, "model": model, "at": at,
                    "places": list(places) if places else None})
    return out


CLOUD_TIERS = ("saas", "paas", "iaas")


def region_variants(model: dict, region_sets: dict[str, Sequence[str]],
                    system_ids: Optional[Sequence[str]] = None) -> dict[str, dict]:
    """The model with the systems ``system_ids`` (default: every SaaS, PaaS and IaaS system, the
    cloud workload) placed in each candidate region set, the first location primary and the
    others backups: name → model dict. A system and what it runs on must move together (a
    system cannot be placed where its platform has no region: XB-MODEL-048)."""
    if system_ids is None:
        system_ids = [s["id"] for s in model["systems"] if s.get("tier") in CLOUD_TIERS]
    out = {}
    for name, locations in region_sets.items():
        m = copy.deepcopy(model)
        for system in m["systems"]:
            if system["id"] in system_ids:
                system["regions"] = [{"location": loc, "role": "primary" if i == 0 else "backup"}
                                     for i, loc in enumerate(locations)]
        out[name] = m
    return out
