"""`pip install .` works offline into a fresh venv that sees Debian's packages (PEP 668 forbids
installing into the system interpreter without --break-system-packages)."""
import json
import os
import pathlib
import subprocess
import sys

from conftest import ROOT, build_dir


def test_pip_install_offline_into_a_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({"XBORDER_BUILD_DIR": str(build_dir()), "PIP_NO_INDEX": "1",
                "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    p = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation",
                        "--no-index", str(ROOT)], env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    code = ("import json, xborder; r = xborder.check(%r, at='2024-06-01'); "
            "print(json.dumps({'file': xborder.__file__, 'violations': r.summary['violations'], "
            "'rows': len(r.to_pandas())}))" % str(ROOT / "scenarios/multi-tier-cloud/model.json"))
    p = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert pathlib.Path(out["file"]).is_relative_to(venv)
    assert out["violations"] > 0 and out["rows"] > 0
