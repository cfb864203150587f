#!/usr/bin/env bash
# The growth curve of `xborder check` on generated enterprise maps (bench/enterprise_map.py), one
# markdown row per size: graph, states, events, rule evaluations, solver queries, cache hits, the
# check's time beside its own solver-free floor (the state propagation of the same run, printed by
# --stats), the whole command's wall time, peak memory and JSON output size.
#
#   bench/enterprise_curve.sh [BUILD_DIR] [U ...]      (default: build, 10 40 80 160 320 650 1300 3000)
#
# Nothing here asserts a time: it prints figures to record in bench/README.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
sizes=("$@")
if ((${#sizes[@]} == 0)); then sizes=(10 40 80 160 320 650 1300 3000); fi
xborder="$build/cli/xborder"
[ -x "$xborder" ] || { echo "enterprise_curve.sh: build first ($xborder is missing)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "| U | nodes | edges | states | events | rule evaluations | solver queries | cache hits | propagate (floor) ms | check ms | ratio | wall s | peak RSS MiB | JSON MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for u in "${sizes[@]}"; do
  map="$work/u$u.json"
  python3 "$root/bench/enterprise_map.py" "$u" > "$map"
  set +e
  /usr/bin/time -f "%e %M" -o "$work/time" "$xborder" check "$map" --at 2024-06-01 --format json \
    --stats > "$work/out.json" 2> "$work/stats"
  status=$?
  set -e
  if [ "$status" -gt 1 ]; then
    echo "| $u | failed with exit $status: $(head -c 300 "$work/stats") |"
    continue
  fi
  figure() { sed -n "s/$1/\\1/p" "$work/stats" | head -1; }
  nodes=$(figure '^stats: graph \([0-9]*\) nodes.*')
  edges=$(figure '^stats: graph [0-9]* nodes, \([0-9]*\) edges.*')
  states=$(figure '.* edges; \([0-9]*\) states.*')
  events=$(figure '.* states, \([0-9]*\) events.*')
  evaluations=$(figure '^stats: rules \([0-9]*\) evaluated.*')
  queries=$(figure '.* \([0-9]*\) solver queries.*')
  hits=$(figure '.* \([0-9]*\) cache hits.*')
  floor=$(figure '^stats: check phases: propagate \([0-9.]*\) ms.*')
  check=$(figure '^stats: time:.* check \([0-9.]*\) ms.*')
  read -r wall rss < <(tail -1 "$work/time")
  ratio=$(awk -v c="$check" -v f="$floor" 'BEGIN { printf (f > 0 ? "%.0f" : "-"), c / f }')
  size=$(awk -v b="$(wc -c < "$work/out.json")" 'BEGIN { printf "%.1f", b / 1e6 }')
  echo "| $u | $nodes | $edges | $states | $events | $evaluations | $queries | $hits | $floor | $check | $ratio | $wall | $((rss / 1024)) | $size |"
done
