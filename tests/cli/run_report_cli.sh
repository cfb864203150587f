#!/bin/sh
# `xborder report` on the command line: bad requests exit 2 with a located error and leave no
# file behind; a saved report input renders exactly like the model it came from.
# usage: run_report_cli.sh XBORDER REPO_ROOT SCRATCH_DIR
set -u
xb="$1"
root="$2"
scratch="$3"
rm -rf "$scratch" && mkdir -p "$scratch"
model="$root/scenarios/multi-tier-cloud/model.json"
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

expect_exit() {  # name, expected code, then the command
  name="$1"; want="$2"; shift 2
  "$@" >"$scratch/out" 2>"$scratch/err"
  got=$?
  if [ "$got" -eq "$want" ]; then pass "$name (exit $got)"; else fail "$name: exit $got, wanted $want: $(head -c 300 "$scratch/err")"; fi
}

expect_exit "unknown format" 2 "$xb" report "$model" --format xml --at 2024-06-01
grep -q "unknown format" "$scratch/err" && pass "unknown format is named" || fail "unknown format is named"
expect_exit "missing format" 2 "$xb" report "$model" --at 2024-06-01
expect_exit "-o only for report" 2 "$xb" check "$model" -o "$scratch/x"
expect_exit "model and --from together" 2 "$xb" report "$model" --from "$model" --format md
expect_exit "--from a model, not a report input" 2 "$xb" report --from "$model" --format md
grep -q "XB-CLI-004" "$scratch/err" && pass "not a report input: XB-CLI-004" || fail "not a report input: XB-CLI-004"
expect_exit "--from a missing file" 2 "$xb" report --from "$scratch/none.json" --format md
expect_exit "-o into a missing directory" 2 "$xb" report "$model" --format json --at 2024-06-01 -o "$scratch/no/such/dir/r.json"
if ls "$scratch/no" >/dev/null 2>&1; then fail "nothing written for a failed -o"; else pass "nothing written for a failed -o"; fi

expect_exit "report input to a file" 0 "$xb" report "$model" --format json --at 2024-06-01 -o "$scratch/input.json"
[ -s "$scratch/input.json" ] && [ ! -s "$scratch/out" ] && pass "-o writes the file, not stdout" || fail "-o writes the file, not stdout"
ls "$scratch" | grep -q tmp-xborder && fail "no temporary file left" || pass "no temporary file left"
expect_exit "render from a saved input" 0 "$xb" report --from "$scratch/input.json" --format json -o "$scratch/again.json"
cmp -s "$scratch/input.json" "$scratch/again.json" && pass "saved input renders identically" || fail "saved input renders identically"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
