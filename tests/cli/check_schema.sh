#!/bin/sh
# Validates `xborder check --format json` against reports/schema/check-result.schema.json
# for every scenarios/*/model.json at two dates.
# usage: check_schema.sh PATH/TO/xborder REPO_ROOT
set -u

if [ "$#" -ne 2 ]; then
  echo "usage: $0 PATH/TO/xborder REPO_ROOT" >&2
  exit 2
fi
xborder=$1
root=$2
schema="$root/reports/schema/check-result.schema.json"

if [ ! -x "$xborder" ]; then
  echo "check_schema: $xborder is not an executable" >&2
  exit 2
fi
if [ ! -f "$schema" ]; then
  echo "check_schema: no schema at $schema" >&2
  exit 2
fi

. "$(dirname "$0")/jsonschema_python.sh"
find_jsonschema_python check_schema

# The schema itself must be a valid draft 2020-12 schema.
if ! "$python" -c '
import json, sys, jsonschema
jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1], encoding="utf-8")))
' "$schema"; then
  echo "check_schema: $schema is not a valid JSON Schema" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check_schema.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

passed=0
failed=0
found=0
for model in "$root"/scenarios/*/model.json; do
  [ -f "$model" ] || continue
  found=1
  scenario=$(basename "$(dirname "$model")")
  for at in 2020-08-01 2024-06-01; do
    case_name="$scenario @ $at"
    "$xborder" check "$model" --rules "$root/jurisdictions" --at "$at" --format json \
      >"$tmp/out.json" 2>"$tmp/err.txt"
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
      echo "FAIL $case_name: xborder exited $rc"
      sed 's/^/    /' "$tmp/err.txt"
      failed=$((failed + 1))
      continue
    fi
    if "$python" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
try:
    doc = json.load(open(sys.argv[2], encoding="utf-8"))
except ValueError as e:
    print("    output is not JSON: %s" % e)
    sys.exit(1)
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors[:10]:
    print("    /%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message))
if len(errors) > 10:
    print("    ... and %d more" % (len(errors) - 10))
sys.exit(1 if errors else 0)
' "$schema" "$tmp/out.json" >"$tmp/val.txt" 2>&1; then
      echo "ok   $case_name (exit $rc)"
      passed=$((passed + 1))
    else
      echo "FAIL $case_name: output does not match the schema"
      cat "$tmp/val.txt"
      failed=$((failed + 1))
    fi
  done
done

if [ "$found" -eq 0 ]; then
  echo "check_schema: no scenarios/*/model.json under $root" >&2
  exit 2
fi
# Both shapes of the document: the issues alone (the default) and with every finding and the
# compliant ones; the findings then group exactly into the issues' occurrences.
for case in "multi-tier-cloud|" "multi-tier-cloud|--findings --compliant" "multi-tier-cloud|--findings" \
  "eu-jp-us-transfer|--all" "eu-jp-us-transfer|--findings --compliant" "eu-jp-us-transfer|"; do
  scenario=${case%%|*}
  options=${case#*|}
  # shellcheck disable=SC2086
  "$xborder" check "$root/scenarios/$scenario/model.json" --at 2024-06-01 --format json $options \
    >"$tmp/shape.json" 2>"$tmp/shape.err"
  if "$python" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
options = sys.argv[3].split()
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
for e in errors[:5]:
    print("    /%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message))
assert not errors
compliant = "--compliant" in options or "--all" in options
assert doc["included"] == {"findings": "--findings" in options, "compliant": compliant}, doc["included"]
assert ("findings" in doc) == ("--findings" in options)
if sys.argv[4] == "multi-tier-cloud":
    assert any(i["occurrences"] > 1 for i in doc["issues"]), "no issue groups several findings"
if compliant and sys.argv[4] == "eu-jp-us-transfer":
    assert doc["summary"]["issues"]["compliant"] > 0, "the case was chosen for its compliant issues"
counts = doc["summary"]["issues"]
listed = sum(1 for i in doc["issues"] if i["verdict"] != "compliant")
assert listed == counts["violations"] + counts["undetermined"], (listed, counts)
listed_compliant = sum(1 for i in doc["issues"] if i["verdict"] == "compliant")
assert listed_compliant == (counts["compliant"] if compliant else 0), (listed_compliant, counts)
if "findings" in doc:
    keys = sorted((f["verdict"], f["rule"], f["edge"]["id"], f["dataset"]) for f in doc["findings"])
    occurrences = sorted((i["verdict"], i["rule"], e["id"], d) for i in doc["issues"] for e in i["edges"] for d in e["datasets"])
    assert keys == occurrences, "the findings are not exactly the issues occurrences"
    assert sum(i["occurrences"] for i in doc["issues"]) == len(doc["findings"])
' "$schema" "$tmp/shape.json" "$options" "$scenario" >"$tmp/val.txt" 2>&1; then
    passed=$((passed + 1))
  else
    echo "FAIL check $scenario --format json $options:"
    cat "$tmp/val.txt" "$tmp/shape.err"
    failed=$((failed + 1))
  fi
done

# --stats: the figures go to standard error, the JSON on standard output stays valid.
model="$root/scenarios/multi-tier-cloud/model.json"
"$xborder" check "$model" --at 2024-06-01 --format json --stats >"$tmp/stats.json" 2>"$tmp/stats.err"
if grep -q "^stats: rules [0-9]* evaluated" "$tmp/stats.err" &&
  grep -q "^stats: check phases: propagate" "$tmp/stats.err" &&
  ! grep -q "stats:" "$tmp/stats.json" &&
  "$python" -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/stats.json"; then
  passed=$((passed + 1))
else
  echo "FAIL: check --stats (stderr: $(head -c 400 "$tmp/stats.err"))"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
