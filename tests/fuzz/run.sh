#!/usr/bin/env bash
# Runs every libFuzzer harness for SECONDS seconds each (default 25), seeded from the shipped
# files, and fails when any harness finds a crash, a leak, a timeout or an out-of-memory.
# Usage: tests/fuzz/run.sh [SECONDS] [HARNESS...]
# Environment: XBORDER_FUZZ_BUILD_DIR (default build-fuzz/, built first by tests/fuzz/build.sh),
# XBORDER (the main build's xborder, default build/cli/xborder: it writes the report-input seeds),
# XBORDER_FUZZ_FRESH=1 (start from the seeds only instead of build-fuzz/corpus/HARNESS),
# XBORDER_FUZZ_NO_BUILD=1 (use the harnesses as built), XBORDER_FUZZ_JOBS (harnesses run at once,
# default the number of cores).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${XBORDER_FUZZ_BUILD_DIR:-$root/build-fuzz}"
xborder="${XBORDER:-$root/build/cli/xborder}"
seconds="${1:-25}"
shift || true
harnesses=("$@")
if ((${#harnesses[@]} == 0)); then harnesses=(model expr rule_pack scenario report_input); fi

if [ "${XBORDER_FUZZ_NO_BUILD:-0}" != 1 ]; then
  XBORDER_FUZZ_BUILD_DIR="$build" "$root/tests/fuzz/build.sh"
fi

# Seeds: the shipped files, copied into a corpus per harness that grows from run to run.
mkdir -p "$build"
seeds="$(mktemp -d "$build/seeds.XXXXXX")"
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds"/{model,expr,rule_pack,scenario,report_input}
i=0
for f in "$root"/scenarios/*/model.json "$root"/scenarios/*/model.yaml "$root"/tests/cli/bad/*.json; do
  [ -e "$f" ] || continue
  i=$((i + 1))
  cp "$f" "$seeds/model/$i-$(basename "$f")"
done
i=0
for f in $(find "$root/jurisdictions" -name '*.json' -not -path '*/vectors/*' -not -name '*schema*' | sort); do
  i=$((i + 1))
  cp "$f" "$seeds/rule_pack/$i-$(basename "$f")"
done
for f in "$root"/scenarios/*/simulation.json; do
  cp "$f" "$seeds/scenario/$(basename "$(dirname "$f")").json"
done
# Every rule expression of the shipped packs, one file each.
python3 - "$root/jurisdictions" "$seeds/expr" <<'PY'
import json, pathlib, sys
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
texts = set()
def walk(node, key=""):
    if isinstance(node, dict):
        for k, v in node.items():
            walk(v, k)
    elif isinstance(node, list):
        for v in node:
            walk(v, key)
    elif isinstance(node, str) and key in ("applies", "expr", "requires", "when"):
        texts.add(node)
for f in root.rglob("*.json"):
    if "vectors" in f.parts or "schema" in f.name:
        continue
    walk(json.loads(f.read_text()))
for i, t in enumerate(sorted(texts)):
    (out / f"{i}.txt").write_text(t)
PY
if [[ " ${harnesses[*]} " == *" report_input "* ]] && [ ! -x "$xborder" ]; then
  echo "fuzz: $xborder not found: build xborder first (scripts/build); it writes the report-input seeds" >&2
  exit 1
fi
[ -x "$xborder" ] && for m in "$root"/scenarios/*/model.json; do
  name=$(basename "$(dirname "$m")")
  "$xborder" report "$m" --format json --at 2024-06-01 -o "$seeds/report_input/$name.json" || {
    echo "fuzz: could not write the report-input seed of $m" >&2
    exit 1
  }
done

# Each harness runs on one core: XBORDER_FUZZ_JOBS of them at a time (default: the number of
# cores), each for SECONDS; the results are printed in the harnesses' order.
fuzz_one() {
  local h="$1" bin="$build/tests/fuzz/fuzz_$1" corpus="$build/corpus/$1"
  # A fresh corpus (only the seeds) keeps the run's length fixed: replaying a corpus that grew
  # over earlier runs comes before -max_total_time is looked at.
  if [ "${XBORDER_FUZZ_FRESH:-0}" = 1 ]; then corpus="$seeds/corpus-$h"; fi
  local artifacts="$build/artifacts/$h" log="$build/fuzz-$h.log" result="$seeds/result-$h"
  mkdir -p "$corpus" "$artifacts"
  local dict=()
  [ -f "$root/tests/fuzz/$h.dict" ] && dict=(-dict="$root/tests/fuzz/$h.dict")
  {
    echo "== fuzz_$h for ${seconds}s (log: $log)"
    if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
      "$bin" "$corpus" "$seeds/$h" "${dict[@]}" -max_total_time="$seconds" -timeout=30 \
      -rss_limit_mb=2560 -malloc_limit_mb=2048 -max_len=262144 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" >"$log" 2>&1; then
      grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$log" | tail -2 || true
    else
      echo "FAIL fuzz_$h: a finding (artifacts in $artifacts):"
      grep -E "ERROR:|SUMMARY:|Test unit written|==[0-9]+==" "$log" | head -20 || tail -30 "$log"
      touch "$seeds/failed-$h"
    fi
  } >"$result" 2>&1
}

for h in "${harnesses[@]}"; do
  [ -x "$build/tests/fuzz/fuzz_$h" ] || { echo "fuzz: no harness $build/tests/fuzz/fuzz_$h" >&2; exit 1; }
done
jobs_max="${XBORDER_FUZZ_JOBS:-$(nproc)}"
if ! [[ "$jobs_max" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz: XBORDER_FUZZ_JOBS must be a whole number of harnesses, 1 or more (got '$jobs_max')" >&2
  exit 2
fi
running=0
for h in "${harnesses[@]}"; do
  if ((running >= jobs_max)); then
    wait -n || true  # a harness's finding is in its result file, read below
    running=$((running - 1))
  fi
  fuzz_one "$h" &
  running=$((running + 1))
done
wait || true
status=0
for h in "${harnesses[@]}"; do
  if [ ! -e "$seeds/result-$h" ]; then
    status=1  # the runner itself stopped (a directory it could not make …) before the harness ran
    echo "FAIL fuzz_$h: did not run to the end (see $build/fuzz-$h.log if it exists)" >&2
  elif [ -e "$seeds/failed-$h" ]; then
    status=1
    cat "$seeds/result-$h" >&2
  else
    cat "$seeds/result-$h"
  fi
done
exit $status
