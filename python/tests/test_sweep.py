"""The Dask sweep gives exactly the serial loop's results, task for task."""
import json

from dask import distributed  # Debian's python3-distributed, a test dependency

import xborder
from xborder import sweep

from conftest import MULTI_TIER


def test_dask_sweep_equals_the_serial_loop():
    base = json.loads(MULTI_TIER.read_text())
    variants = sweep.region_variants(base, {"JP": ["country:JP"],
                                            "JP+US": ["country:JP", "country:US"],
                                            "SG": ["country:SG"]})
    tasks = sweep.tasks(variants, ["2016-01-01", "2024-06-01"], [None, ["jp-appi"]])
    assert len(tasks) == 12
    serial = sweep.run_serial(tasks)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        parallel = sweep.run_dask(client, tasks)
    assert parallel == serial
    # The sweep sees what it sweeps: placements differ in their findings.
    by_variant = {r["variant"]: r["violations"] for r in serial
                  if r["places"] == "all" and r["at"] == "2024-06-01"}
    assert len(set(by_variant.values())) > 1, by_variant


def test_region_variants_place_the_systems():
    base = json.loads(MULTI_TIER.read_text())
    v = sweep.region_variants(base, {"US": ["country:US", "country:DE"]})["US"]
    placed = {s["id"]: s["regions"] for s in v["systems"]}
    for system in ["c-storage", "c-iaas", "b-paas", "a-portal", "b-crm"]:
        assert placed[system] == [{"location": "country:US", "role": "primary"},
                                  {"location": "country:DE", "role": "backup"}]
    assert placed["studio-camera"] == [{"location": "country:JP", "role": "primary"}]
    assert base != v  # the base model is left as it was
    xborder.load(v)  # and the variant is a valid model
