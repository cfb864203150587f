"""Shared fixtures: the repository, the CLI of the same build (to compare outputs), scenarios."""
import os
import pathlib
import subprocess
import json

import pytest

import xborder

ROOT = pathlib.Path(__file__).resolve().parents[2]
MULTI_TIER = ROOT / "scenarios" / "multi-tier-cloud" / "model.json"


def build_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("XBORDER_BUILD_DIR", ROOT / "build"))


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def multi_tier() -> pathlib.Path:
    return MULTI_TIER


@pytest.fixture(scope="session")
def cli():
    """Runs the CLI of the same build and returns (exit code, parsed JSON of stdout)."""
    exe = build_dir() / "cli" / "xborder"
    if not exe.exists():
        pytest.fail(f"the CLI is not built at {exe} (set XBORDER_BUILD_DIR)")

    def run(*args: str):
        p = subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True,
                           timeout=240)
        return p.returncode, (json.loads(p.stdout) if p.stdout.strip() else None), p.stderr

    return run


@pytest.fixture(scope="session")
def multi_tier_2024():
    return xborder.check(MULTI_TIER, at="2024-06-01")
