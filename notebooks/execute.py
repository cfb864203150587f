"""Executes notebooks headless, as CI does, and writes executed HTML copies.

    PYTHONPATH=build/python /usr/bin/python3 notebooks/execute.py --out build/notebooks \\
        notebooks/01-privacy-team-first-hour.ipynb …

A notebook fails when a cell raises (its `assert`s included) or when the committed file carries
outputs (commit notebooks cleared: outputs go stale). The kernel is this interpreter, whatever
`python3` is first on PATH (a pyenv python does not see Debian's packages). The HTML copy is
written even when a cell fails, so the artefact shows where.
"""
import argparse
import json
import os
import pathlib
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

KERNEL = "xborder-python3"


def kernel_dir() -> str:
    """A kernel spec that runs this very interpreter, in a directory of its own."""
    base = pathlib.Path(tempfile.mkdtemp(prefix="xborder-jupyter-"))
    spec = base / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f",
                 "{connection_file}"],
        "display_name": "Python 3 (xborder)", "language": "python"}))
    return str(base)


def committed_outputs(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))]


def run(path: pathlib.Path, out: pathlib.Path, timeout: int) -> bool:
    nb = nbformat.read(path, as_version=4)
    dirty = committed_outputs(nb)
    if dirty:
        print(f"FAIL {path.name}: committed with outputs in cells {dirty}; clear them "
              f"(jupyter nbconvert --clear-output --inplace {path})")
        return False
    start = time.monotonic()
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(path.parent)}})
    ok = True
    try:
        client.execute()
    except CellExecutionError as e:
        ok = False
        print(f"FAIL {path.name}:\n{e}")
    out.mkdir(parents=True, exist_ok=True)
    html, _ = HTMLExporter().from_notebook_node(nb)
    target = out / (path.stem + ".html")
    target.write_text(html, encoding="utf-8")
    if ok:
        print(f"ok   {path.name} ({time.monotonic() - start:.1f} s) -> {target}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="default: every notebooks/*.ipynb")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("build/notebooks"),
                        help="where the executed HTML copies go")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args()
    here = pathlib.Path(__file__).resolve().parent
    notebooks = args.notebooks or sorted(here.glob("*.ipynb"))
    os.environ["JUPYTER_PATH"] = kernel_dir() + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    failed = [p for p in notebooks if not run(p, args.out, args.timeout)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
