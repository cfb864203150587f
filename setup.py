"""Builds the compiled core `xborder._core` with the repository's CMake for `pip install .`.

The CMake build directory is XBORDER_BUILD_DIR (default: build/, the one scripts/build uses), so
after `scripts/build` the install only copies the module. A fresh directory is configured for
the interpreter pip runs. Offline: nothing is downloaded.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(os.environ.get("XBORDER_BUILD_DIR", ROOT / "build")).resolve()
        if not (build / "CMakeCache.txt").exists():
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build),
                            "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DXBORDER_PYTHON=ON",
                            f"-DPython_EXECUTABLE={sys.executable}"], check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "xborder_python", "-j",
                        str(os.cpu_count() or 1)], check=True)
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = build / "python" / "xborder" / f"_core{suffix}"
        if not built.exists():
            found = sorted(p.name for p in (build / "python" / "xborder").glob("_core*"))
            raise RuntimeError(
                f"{built} is missing: {build} was configured for another Python ({found}); "
                f"set XBORDER_BUILD_DIR to a fresh directory")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


# setuptools' own scratch space (build/, egg-info), inside the build directory instead of beside
# the sources.
SCRATCH = pathlib.Path("build") / "setuptools"
SCRATCH.mkdir(parents=True, exist_ok=True)

setup(
    ext_modules=[Extension("xborder._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": str(SCRATCH)}, "egg_info": {"egg_base": str(SCRATCH)}},
)
