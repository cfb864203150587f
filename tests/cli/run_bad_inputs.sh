#!/bin/sh
# Bad input on the command line: every tests/cli/bad/*.json must be rejected with exit code 2,
# nothing on stdout, and a diagnostic on stderr naming the file and an `error[XB-…]` code.
# Usage: run_bad_inputs.sh PATH/TO/xborder DIR/OF/BAD/INPUTS
set -u

XBORDER=${1:?usage: run_bad_inputs.sh XBORDER BAD_DIR}
BAD_DIR=${2:?usage: run_bad_inputs.sh XBORDER BAD_DIR}
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)

. "$SRC_DIR/tests/cli/lib.sh"
cli_setup bad-inputs
TMP=$tmp

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
  # A hang is a failure too (a FIFO as input used to block forever).
  timeout 120 "$XBORDER" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  if [ "$rc" -eq 124 ]; then
    fail "$name" "no answer within 120 s"
    return
  fi
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

# ---- issue 12: inputs that crashed (SIGSEGV), hung or ended as internal errors (exit 3).

# A policy pack whose one rule has the expression $1 (JSON-escaped).
policy_with() {
  cat <<JSON
{"format": "xborder-rules/1",
 "place": {"id": "deep-policy", "name": {"en": "Deep", "ja": "深い"}, "category": "organisation",
           "jurisdiction": "test", "description": "test"},
 "rules": [{"id": "DEEP-1", "kind": "duty", "title": {"en": "t", "ja": "t"}, "text": {"en": "t", "ja": "t"},
            "citation": {"instrument": "test", "article": "1", "url": "https://example.com/", "verified": "2026-11-01"},
            "valid": {"from": "2020-01-01", "to": null},
            "applies": "$1", "requires": "importer.country == 'JP'"}]}
JSON
}
repeat() { # repeat TEXT N
  awk -v t="$1" -v n="$2" 'BEGIN { s = ""; for (i = 0; i < n; i++) s = s t; printf "%s", s }'
}
policy_with "$(repeat '(' 5000)event == 'transfer'$(repeat ')' 5000)" >"$TMP/deep-parens.json"
expect_invalid "5000 nested parentheses in a rule" "error[XB-RULES-040]" "nests deeper than 200 levels" \
  -- check "$GOOD" --at 2024-01-01 --policies "$TMP/deep-parens.json"
policy_with "$(repeat 'not ' 5000)event == 'transfer'" >"$TMP/deep-nots.json"
expect_invalid "5000 chained nots in a rule" "error[XB-RULES-040]" "nests deeper than 200 levels" \
  -- check "$GOOD" --at 2024-01-01 --policies "$TMP/deep-nots.json"
policy_with "event == 'transfer'$(repeat " and event == 'transfer'" 3000)" >"$TMP/long-and.json"
expect_invalid "a chain of 3000 ands in a rule" "error[XB-RULES-040]" "nests deeper than 200 levels" \
  -- check "$GOOD" --at 2024-01-01 --policies "$TMP/long-and.json"
policy_with "$(repeat '(' 150)event == 'transfer'$(repeat ')' 150)" >"$TMP/nested-150.json"
"$XBORDER" check "$GOOD" --rules "$RULES" --at 2024-01-01 --policies "$TMP/nested-150.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then pass "150 nested parentheses are accepted (exit $rc)"; else fail "150 nested parentheses are accepted" "exit $rc: $(head -c 300 "$TMP/err")"; fi
expect_invalid "compare --scope with 5000 nots" "nests deeper than 200 levels" \
  -- compare EU JP --at 2024-01-01 --scope "$(repeat 'not ' 5000)event == 'transfer'"
size=$(wc -c <"$TMP/err")
if [ "$size" -lt 10000 ]; then pass "the --scope message is short ($size bytes)"; else fail "the --scope message is short" "$size bytes of stderr"; fi
expect_invalid "compare --scope with 5000 parentheses" "nests deeper than 200 levels" \
  -- compare EU JP --at 2024-01-01 --scope "$(repeat '(' 5000)event == 'transfer'$(repeat ')' 5000)"

# Definitions: a chain deeper than 32, and a fact entry whose `when` reads its own fact set.
python3 - "$TMP" <<'PY'
import json, sys
tmp = sys.argv[1]
def pack(pid, facts=None, definitions=None):
    return {"format": "xborder-rules/1",
            "place": {"id": pid, "name": {"en": "p", "ja": "p"}, "category": "organisation",
                      "jurisdiction": "test", "description": "test"},
            **({"facts": facts} if facts else {}),
            **({"definitions": definitions} if definitions else {}),
            "rules": [{"id": pid.upper() + "-1", "kind": "duty", "title": {"en": "t", "ja": "t"},
                       "text": {"en": "t", "ja": "t"},
                       "citation": {"instrument": "test", "article": "1",
                                    "url": "https://example.com/", "verified": "2026-11-01"},
                       "valid": {"from": "2020-01-01", "to": None},
                       "applies": "d0" if definitions else "importer.country in fact('loop')",
                       "requires": "importer.country == 'JP'"}]}
defs = {f"d{i}": {"expr": f"d{i + 1} or d{i + 1}"} for i in range(60)}
defs["d60"] = {"expr": "event == 'transfer'"}
json.dump(pack("chain-policy", definitions=defs), open(f"{tmp}/def-chain.json", "w"))
facts = {"loop": {"of": "country", "description": "d",
                  "entries": [{"value": "JP", "valid": {"from": "2020-01-01", "to": None},
                               "when": "importer.country in fact('loop')",
                               "citation": {"instrument": "test", "article": "1",
                                            "url": "https://example.com/", "verified": "2026-11-01"}}]}}
json.dump(pack("loop-policy", facts=facts), open(f"{tmp}/fact-loop.json", "w"))
PY
expect_invalid "definitions 60 levels deep" "error[XB-RULES-044]" \
  -- check "$GOOD" --at 2024-01-01 --policies "$TMP/def-chain.json"
expect_invalid "a fact entry's when reads its own fact set" "error[XB-RULES-043]" \
  -- check "$GOOD" --at 2024-01-01 --policies "$TMP/fact-loop.json"

# Numbers beyond a double, JSON nested 10000 deep, duplicate keys.
sed 's/"name": "good"/"name": "good", "x": 1e400/' "$GOOD" >"$TMP/huge-number.json"
expect_invalid "1e400 in a model" "huge-number.json" "error[XB-MODEL-002]" "number overflow" \
  -- check "$TMP/huge-number.json" --at 2024-01-01
{ repeat '[' 10000; repeat ']' 10000; } >"$TMP/deep-json.json"
expect_invalid "JSON nested 10000 deep" "error[XB-MODEL-002]" "nested deeper than 128" \
  -- check "$TMP/deep-json.json" --at 2024-01-01
sed 's/"name": "good"/"name": "good", "name": "again"/' "$GOOD" >"$TMP/duplicate-key.json"
expect_invalid "a duplicate key" "error[XB-MODEL-002]" "duplicate key \`name\`" \
  -- check "$TMP/duplicate-key.json" --at 2024-01-01
# YAML on which yaml-cpp 0.7's parser stops advancing (found by fuzz_model): it used to collect
# empty documents until memory ran out.
printf ',1 1' >"$TMP/stalled.yaml"
expect_invalid "YAML the parser cannot read past" "stalled.yaml:1:1" "error[XB-MODEL-002]" \
  "cannot read past" -- validate "$TMP/stalled.yaml"

# Files that are not regular files: a device, a FIFO (used to block forever), a directory.
expect_invalid "/dev/zero as the model" "/dev/zero" "not a regular file" -- check /dev/zero --at 2024-01-01
mkfifo "$TMP/fifo.json"
expect_invalid "a FIFO as the model" "fifo.json" "not a regular file" -- check "$TMP/fifo.json" --at 2024-01-01
expect_invalid "a FIFO as a policy" "fifo.json" "not a regular file" \
  -- check "$GOOD" --at 2024-01-01 --policies "$TMP/fifo.json"
expect_invalid "a directory as the model" "is a directory" -- check "$TMP" --at 2024-01-01
expect_invalid "/dev/zero as a report input" "not a regular file" -- report --from /dev/zero --format md

# report --from with members of the wrong type.
"$XBORDER" report "$GOOD" --rules "$RULES" --format json --at 2024-01-01 -o "$TMP/input.json" 2>"$TMP/err"
python3 - "$TMP" <<'PY'
import json, sys
tmp = sys.argv[1]
doc = json.load(open(f"{tmp}/input.json"))
doc["model"]["parties"] = 5
doc["check"]["findings"] = "none"
json.dump(doc, open(f"{tmp}/input-wrong-types.json", "w"))
doc = json.load(open(f"{tmp}/input.json"))
doc["format"] = 7
json.dump(doc, open(f"{tmp}/input-format-number.json", "w"))
PY
for format in html md sarif csv appi-notice tia; do
  expect_invalid "report --from with wrong types (--format $format)" "input-wrong-types.json" "error[XB-CLI-004]" \
    -- report --from "$TMP/input-wrong-types.json" --format "$format"
done
expect_invalid "report --from with a numeric format" "error[XB-CLI-004]" \
  -- report --from "$TMP/input-format-number.json" --format md

# A chain of 20,000 corporate parents (loading and checking were quadratic: minutes).
python3 - "$TMP" <<'PY'
import json, sys
tmp = sys.argv[1]
doc = json.load(open(f"{tmp}/good.json"))
n = 20000
doc["parties"] = [{"id": f"p{i}", "country": "DE", "parent": f"p{i + 1}"} for i in range(n - 1)]
doc["parties"] += [{"id": f"p{n - 1}", "country": "DE"}, {"id": "a", "country": "DE"}, {"id": "b", "country": "JP"}]
json.dump(doc, open(f"{tmp}/parent-chain.json", "w"))
doc["parties"] = [{"id": f"p{i}", "country": "DE"} for i in range(n)] + [{"id": "a", "country": "DE"}, {"id": "b", "country": "JP"}]
json.dump(doc, open(f"{tmp}/many-parties.json", "w"))
PY
expect_invalid "a chain of 20000 corporate parents" "error[XB-MODEL-051]" "more than 64 levels deep" \
  -- check "$TMP/parent-chain.json" --at 2024-01-01
# Loading 20,000 parties (9 s before ids were indexed; about 1 s now). Checking them is not
# tested here: it is the checker's solver queries that take the time (issue 12, item 4).
start=$(date +%s)
timeout 120 "$XBORDER" validate "$TMP/many-parties.json" --rules "$RULES" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 0 ]; then pass "20000 parties are validated in $(($(date +%s) - start)) s"; else fail "20000 parties are validated" "exit $rc: $(head -c 300 "$TMP/err")"; fi

# Out-of-range numbers and empty lists on the command line.
expect_invalid "simulate --runs 1000000000000" "--runs" "from 0 to 1000000" \
  -- simulate "$SRC_DIR/scenarios/cloud-failover/simulation.json" --runs 1000000000000
expect_invalid "compare --max-cells 0" "--max-cells" "from 1 to" -- compare EU JP --at 2024-01-01 --max-cells 0
expect_invalid "compare --max-cells -1" "--max-cells" -- compare EU JP --at 2024-01-01 --max-cells -1
expect_invalid "--places ''" "--places" -- check "$GOOD" --at 2024-01-01 --places ''
expect_invalid "--places 'eu-gdpr,'" "--places" -- check "$GOOD" --at 2024-01-01 --places 'eu-gdpr,'

# report -o onto its own model: refused, the model unchanged.
cp "$GOOD" "$TMP/model-copy.json"
expect_invalid "report -o onto the model" "error[XB-CLI-003]" "replace it" \
  -- report "$TMP/model-copy.json" --format md -o "$TMP/model-copy.json" --at 2024-01-01
if cmp -s "$GOOD" "$TMP/model-copy.json"; then pass "the model is unchanged"; else fail "the model is unchanged" "it was overwritten"; fi
expect_invalid "report -o onto the report input" "error[XB-CLI-003]" \
  -- report --from "$TMP/input.json" --format md -o "$TMP/input.json"

# A megabyte-long id and terminal escape sequences are not echoed as they are.
python3 - "$TMP" <<'PY'
import json, sys
tmp = sys.argv[1]
doc = json.load(open(f"{tmp}/good.json"))
doc["parties"][0]["id"] = "x" * 1_000_000
doc["parties"][1]["id"] = "b\u001b[2J\u001b]0;owned\u0007"
json.dump(doc, open(f"{tmp}/long-id.json", "w"))
PY
expect_invalid "a megabyte-long id and escape sequences" "error[XB-MODEL-" "bytes)" \
  -- check "$TMP/long-id.json" --at 2024-01-01
size=$(wc -c <"$TMP/err")
if [ "$size" -lt 20000 ]; then pass "the message is short ($size bytes)"; else fail "the message is short" "$size bytes of stderr"; fi
if grep -q "$(printf '\033')" "$TMP/err"; then fail "no raw escape sequence in messages" "ESC on stderr"; else pass "no raw escape sequence in messages"; fi

cli_summary
