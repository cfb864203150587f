#!/bin/sh
# `xborder simulate`: every shipped scenarios/*/simulation.json runs (exit 0 or 1) and its JSON
# validates against reports/schema/simulate-result.schema.json; the same seed gives the same bytes
# with one thread or two; bad scenarios and bad options exit 2 with a located diagnostic and
# nothing on stdout.
# usage: simulate_cli.sh PATH/TO/xborder REPO_ROOT WORK_DIR
set -u

xborder=${1:?usage: simulate_cli.sh XBORDER REPO_ROOT WORK_DIR}
root=${2:?usage: simulate_cli.sh XBORDER REPO_ROOT WORK_DIR}
work=${3:?usage: simulate_cli.sh XBORDER REPO_ROOT WORK_DIR}
schema="$root/reports/schema/simulate-result.schema.json"
rm -rf "$work" && mkdir -p "$work" || exit 2

. "$(dirname "$0")/jsonschema_python.sh"
find_jsonschema_python simulate_cli

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

if "$python" -c '
import json, sys, jsonschema
jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1], encoding="utf-8")))
' "$schema"; then pass "schema is a valid draft 2020-12 schema"; else fail "schema" "not a valid JSON Schema"; fi

found=0
for scenario in "$root"/scenarios/*/simulation.json; do
  [ -f "$scenario" ] || continue
  found=1
  name=$(basename "$(dirname "$scenario")")
  "$xborder" simulate "$scenario" --rules "$root/jurisdictions" --runs 300 --seed 5 --threads 1 \
    --format json >"$work/$name-1.json" 2>"$work/err"
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    fail "$name" "exit $rc: $(head -c 300 "$work/err")"
    continue
  fi
  if "$python" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors[:10]:
    print("    /%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message))
sys.exit(1 if errors else 0)
' "$schema" "$work/$name-1.json" >"$work/val" 2>&1; then
    pass "$name validates (exit $rc)"
  else
    fail "$name" "output does not match the schema: $(cat "$work/val")"
  fi
  "$xborder" simulate "$scenario" --rules "$root/jurisdictions" --runs 300 --seed 5 --threads 2 \
    --format json >"$work/$name-2.json" 2>/dev/null
  if cmp -s "$work/$name-1.json" "$work/$name-2.json"; then
    pass "$name: same seed, same bytes with 1 and 2 threads"
  else
    fail "$name" "output differs between --threads 1 and --threads 2"
  fi
done
[ "$found" -eq 1 ] || fail "scenarios" "no scenarios/*/simulation.json"

# The text output names the timeline and the Monte Carlo figures.
"$xborder" simulate "$root/scenarios/eu-us-replay/simulation.json" --rules "$root/jurisdictions" >"$work/text" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q "NON-COMPLIANT 2020-07-16 to 2023-07-17 (1096 days)  under EU-GDPR-44" "$work/text"; then
  pass "text replay of eu-us-replay (exit 1)"
else
  fail "text replay" "exit $rc: $(head -c 400 "$work/text")"
fi

# --stats: the same output; the world states and checks, and the time, on stderr.
"$xborder" simulate "$root/scenarios/eu-us-replay/simulation.json" --rules "$root/jurisdictions" \
  --stats >"$work/text-stats" 2>"$work/stats"
if cmp -s "$work/text" "$work/text-stats" &&
  grep -q "^stats: simulate [0-9]* segments, 4 timeline events, 0 stochastic events; 0 runs; [0-9]* world states, [0-9]* checks" "$work/stats" &&
  grep -q "^stats: time: load .* replay .* output .* total" "$work/stats"; then
  pass "--stats: same output, figures on stderr"
else
  fail "--stats" "$(head -c 400 "$work/stats")"
fi

# Bad input: exit 2, nothing on stdout, the code and the pointer on stderr.
expect_invalid() {
  name=$1
  needle=$2
  shift 2
  "$xborder" simulate "$@" >"$work/out" 2>"$work/err"
  rc=$?
  if [ "$rc" -ne 2 ]; then
    fail "$name" "exit $rc, expected 2"
  elif [ -s "$work/out" ]; then
    fail "$name" "stdout is not empty"
  elif ! grep -q -- "$needle" "$work/err"; then
    fail "$name" "stderr lacks \`$needle\`: $(head -c 300 "$work/err")"
  else
    pass "$name"
  fi
}
cat >"$work/bad.json" <<JSON
{"format": "xborder-scenario/1", "name": "bad", "model": "$root/scenarios/eu-jp-us-transfer/model.json",
 "start": "2024-01-01", "horizon": "2y",
 "timeline": [{"id": "x", "at": "2024-05-01",
               "event": {"type": "certification_ends", "party": "a-uss", "scheme": "dpf"}}]}
JSON
expect_invalid "dangling party" "bad.json:/timeline/0/event/party: error\[XB-SIM-032\]" "$work/bad.json"
expect_invalid "missing scenario file" "error\[XB-SIM-001\]" "$work/none.json"
expect_invalid "bad --runs" "needs a whole number from 0 to 1000000" "$work/bad.json" --runs many
expect_invalid "bad --horizon" "is not a horizon" "$root/scenarios/eu-us-replay/simulation.json" --horizon 5x
expect_invalid "option without its value" "\`--policies\` needs a value" "$work/bad.json" --policies
expect_invalid "bad --format" "must be \`text\` or \`json\`" "$root/scenarios/eu-us-replay/simulation.json" --format html

# A warning does not stop the run: it goes to stderr, the result to stdout as usual.
cat >"$work/unread.json" <<JSON
{"format": "xborder-scenario/1", "name": "unread", "model": "$root/scenarios/eu-jp-us-transfer/model.json",
 "start": "2024-01-01", "horizon": "2y", "places": ["eu-gdpr"],
 "timeline": [{"id": "x", "at": "2024-05-01",
               "event": {"type": "fact_ends", "fact": "appi_designated_countries", "value": "DE"}}]}
JSON
"$xborder" simulate "$work/unread.json" --rules "$root/jurisdictions" --format json \
  >"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  fail "warning only" "exit $rc: $(head -c 300 "$work/err")"
elif ! grep -q "unread.json:/timeline/0/event/fact: warning\[XB-SIM-039\]" "$work/err"; then
  fail "warning only" "stderr lacks the XB-SIM-039 warning: $(head -c 300 "$work/err")"
elif ! "$python" -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/out"; then
  fail "warning only" "stdout is not the JSON result"
else
  pass "warning only"
fi

# An organisation's own packs (--policies) can be a scenario's places, as on every command that
# reads rules: ACME's residency policy is broken by the support access from the Philippines.
cat >"$work/acme.json" <<JSON
{"format": "xborder-scenario/1", "name": "acme", "model": "$root/scenarios/retail-pos/model.json",
 "start": "2026-12-01", "horizon": "1y", "places": ["acme-policy"], "timeline": []}
JSON
expect_invalid "policy place without --policies" "acme.json:/places: error\[XB-SIM-033\]" "$work/acme.json"
"$xborder" simulate "$work/acme.json" --rules "$root/jurisdictions" \
  --policies "$root/jurisdictions/examples/organisation" --format json >"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" -ne 1 ]; then
  fail "policy place with --policies" "exit $rc, expected 1: $(head -c 300 "$work/err")"
elif ! "$python" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["places"] == ["acme-policy"], r["places"]
assert "ACME-RESIDENCY-1" in json.dumps(r["replay"]), "no ACME-RESIDENCY-1 in the replay"
' "$work/out"; then
  fail "policy place with --policies" "the replay does not carry ACME-RESIDENCY-1"
else
  pass "policy place with --policies"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
