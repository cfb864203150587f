#!/bin/sh
# Bad input on the command line: every tests/cli/bad/*.json must be rejected with exit code 2,
# nothing on stdout, and a diagnostic on stderr naming the file and an `error[XB-…]` code.
# Usage: run_bad_inputs.sh PATH/TO/xborder DIR/OF/BAD/INPUTS
set -u

XBORDER=${1:?usage: run_bad_inputs.sh XBORDER BAD_DIR}
BAD_DIR=${2:?usage: run_bad_inputs.sh XBORDER BAD_DIR}
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/xborder-cli.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

passed=0
failed=0

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# run NAME EXPECTED_STDERR_SUBSTRING... -- ARGS: runs xborder ARGS, expects exit 2, empty stdout
# and each substring in stderr.
expect_invalid() {
  name=$1
  shift
  needles=""
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    needles="$needles
$1"
    shift
  done
  shift
  "$XBORDER" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  if [ "$rc" -ne 2 ]; then
    fail "$name" "exit code $rc, expected 2 (stderr: $(head -c 300 "$TMP/err"))"
    return
  fi
  if [ -s "$TMP/out" ]; then
    fail "$name" "stdout is not empty: $(head -c 200 "$TMP/out")"
    return
  fi
  missing=""
  old_ifs=$IFS
  IFS='
'
  for n in $needles; do
    [ -z "$n" ] && continue
    grep -F -q -- "$n" "$TMP/err" || missing="$missing [$n]"
  done
  IFS=$old_ifs
  if [ -n "$missing" ]; then
    fail "$name" "stderr lacks$missing (stderr: $(head -c 300 "$TMP/err"))"
    return
  fi
  pass "$name"
}

count=0
for f in "$BAD_DIR"/*.json; do
  [ -e "$f" ] || continue
  count=$((count + 1))
  base=$(basename "$f")
  expect_invalid "bad model $base" "$base" "error[XB-" -- check "$f" --at 2024-01-01
done
if [ "$count" -lt 10 ]; then
  fail "bad input corpus" "only $count files in $BAD_DIR, expected at least 10"
else
  pass "bad input corpus ($count files)"
fi

# A valid model, to show that the failures below come from the option under test.
GOOD="$TMP/good.json"
cat >"$GOOD" <<'JSON'
{"format": "xborder-model/1", "name": "good",
 "parties": [{"id": "a", "country": "DE"}, {"id": "b", "country": "JP"}],
 "systems": [{"id": "s1", "tier": "on_premises", "operator": "a", "regions": [{"location": "country:DE"}]},
             {"id": "s2", "tier": "on_premises", "operator": "b", "regions": [{"location": "country:JP"}]}],
 "datasets": [{"id": "d", "categories": ["personal_data"]}],
 "flows": [{"id": "f", "event": "transfer", "from": "s1", "to": "s2", "datasets": ["d"],
            "relationship": "controller_to_controller"}]}
JSON
RULES="$SRC_DIR/jurisdictions"
"$XBORDER" check "$GOOD" --rules "$RULES" --at 2024-01-01 >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then pass "valid model is checked (exit $rc)"; else fail "valid model is checked" "exit $rc: $(head -c 300 "$TMP/err")"; fi

expect_invalid "missing model file" "no-such-model.json" "error[XB-" -- check "$TMP/no-such-model.json" --at 2024-01-01
expect_invalid "month 13 in --at" "2024-13-01" "error[XB-CLI-001]" -- check "$GOOD" --at 2024-13-01
expect_invalid "--format xml" "xml" "error[XB-CLI-002]" -- check "$GOOD" --at 2024-01-01 --format xml
expect_invalid "unknown option" "--frobnicate" -- check "$GOOD" --at 2024-01-01 --frobnicate
mkdir "$TMP/empty-rules"
expect_invalid "--rules empty dir" "error[XB-RULES-001]" -- check "$GOOD" --at 2024-01-01 --rules "$TMP/empty-rules"
expect_invalid "--rules missing dir" "error[XB-RULES-001]" -- check "$GOOD" --at 2024-01-01 --rules "$TMP/no-such-dir"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
