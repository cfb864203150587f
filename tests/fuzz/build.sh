#!/usr/bin/env bash
# Configures and builds the libFuzzer harnesses with clang in their own build directory
# (XBORDER_FUZZ_BUILD_DIR, default build-fuzz/). Fails loudly when clang or libFuzzer is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${XBORDER_FUZZ_BUILD_DIR:-$root/build-fuzz}"
cxx="${XBORDER_FUZZ_CXX:-clang++}"
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "fuzz: $cxx not found: install Debian's clang and libclang-rt-dev (scripts/setup --test)" >&2
  exit 1
fi
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DXBORDER_FUZZ=ON ${XBORDER_UNITY:+-DXBORDER_UNITY=$([ "$XBORDER_UNITY" = 1 ] && echo ON || echo OFF)} >/dev/null
# Only the harnesses and the libraries they link: the suite itself is built twice already.
cmake --build "$build" -j "$(nproc)" --target fuzz_model fuzz_expr fuzz_rule_pack fuzz_scenario \
  fuzz_report_input -- --no-print-directory >/dev/null
