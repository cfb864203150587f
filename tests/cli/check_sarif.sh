#!/bin/sh
# Validates `xborder report MODEL --format sarif` for every scenarios/*/model.json (at the first
# date of its expected.json) against the official SARIF 2.1.0 JSON schema (draft-07, OASIS
# sarif-spec Schemata/sarif-schema-2.1.0.json).
#
# The schema is not committed. It is taken at test time from a pinned npm package that ships it:
# @datadog/datadog-ci-plugin-sarif@5.25.0 (no dependencies) bundles the schema as a JavaScript
# object literal in dist/bundle.js; node extracts it to JSON, and its SHA-256 must match the one
# pinned below, so a different or mis-extracted schema fails loudly rather than passing silently.
# usage: check_sarif.sh PATH/TO/xborder REPO_ROOT SCRATCH_DIR
set -u

SCHEMA_PACKAGE="@datadog/datadog-ci-plugin-sarif@5.25.0"
SCHEMA_SHA256="2984d4af513581b937442fd05028302699ce1de8f8b48c187f7f4f1d9d662b4d"

if [ "$#" -ne 3 ]; then
  echo "usage: $0 PATH/TO/xborder REPO_ROOT SCRATCH_DIR" >&2
  exit 2
fi
xborder=$1
root=$2
scratch=$3

if [ ! -x "$xborder" ]; then
  echo "check_sarif: $xborder is not an executable" >&2
  exit 2
fi
for tool in npm node sha256sum; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check_sarif: $tool is needed to fetch the SARIF schema" >&2
    exit 2
  fi
done
. "$(dirname "$0")/jsonschema_python.sh"
find_jsonschema_python check_sarif

mkdir -p "$scratch" || exit 2
schema="$scratch/sarif-schema-2.1.0.json"
bundle="$scratch/npm/node_modules/@datadog/datadog-ci-plugin-sarif/dist/bundle.js"
if [ ! -f "$bundle" ]; then
  if ! npm install --no-save --ignore-scripts --no-audit --no-fund --prefix "$scratch/npm" \
      "$SCHEMA_PACKAGE" >"$scratch/npm.log" 2>&1; then
    echo "check_sarif: npm install $SCHEMA_PACKAGE failed:" >&2
    sed 's/^/    /' "$scratch/npm.log" >&2
    exit 2
  fi
fi
# The bundle holds `var sarif_schema_2_1_0_default = {...};` (from src/json-schema/sarif-schema-2.1.0.json).
if ! node -e '
const fs = require("fs");
const s = fs.readFileSync(process.argv[1], "utf8");
const marker = "var sarif_schema_2_1_0_default = {";
const start = s.indexOf(marker);
if (start < 0) { console.error("check_sarif: no SARIF schema in " + process.argv[1]); process.exit(1); }
const end = s.indexOf("\n};\n", start);
const schema = new Function("return (" + s.slice(start + marker.length - 1, end + 2) + ");")();
fs.writeFileSync(process.argv[2], JSON.stringify(schema, null, 2) + "\n");
' "$bundle" "$schema"; then
  exit 2
fi
actual_sha=$(sha256sum "$schema" | cut -d' ' -f1)
if [ "$actual_sha" != "$SCHEMA_SHA256" ]; then
  echo "check_sarif: extracted schema has SHA-256 $actual_sha, expected $SCHEMA_SHA256" >&2
  exit 2
fi
if ! "$python" -c '
import json, sys, jsonschema
s = json.load(open(sys.argv[1], encoding="utf-8"))
assert s.get("$schema") == "http://json-schema.org/draft-07/schema#", s.get("$schema")
assert s["properties"]["version"]["enum"] == ["2.1.0"]
jsonschema.Draft7Validator.check_schema(s)
' "$schema"; then
  echo "check_sarif: $schema is not the SARIF 2.1.0 draft-07 schema" >&2
  exit 2
fi

passed=0
failed=0
found=0
for model in "$root"/scenarios/*/model.json; do
  [ -f "$model" ] || continue
  found=1
  dir=$(dirname "$model")
  scenario=$(basename "$dir")
  at=$("$python" -c '
import json, sys
try:
    print(json.load(open(sys.argv[1], encoding="utf-8"))["checks"][0]["at"])
except Exception:
    print("2024-06-01")
' "$dir/expected.json")
  case_name="$scenario @ $at"
  out="$scratch/$scenario.sarif"
  "$xborder" report "$model" --rules "$root/jurisdictions" --at "$at" --format sarif -o "$out" \
    2>"$scratch/err.txt"
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "FAIL $case_name: xborder exited $rc"
    sed 's/^/    /' "$scratch/err.txt"
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
v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors[:10]:
    print("    /%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message))
if len(errors) > 10:
    print("    ... and %d more" % (len(errors) - 10))
sys.exit(1 if errors else 0)
' "$schema" "$out" >"$scratch/val.txt" 2>&1; then
    echo "ok   $case_name (exit $rc)"
    passed=$((passed + 1))
  else
    echo "FAIL $case_name: SARIF does not match the SARIF 2.1.0 schema"
    cat "$scratch/val.txt"
    failed=$((failed + 1))
  fi
done

if [ "$found" -eq 0 ]; then
  echo "check_sarif: no scenarios/*/model.json under $root" >&2
  exit 2
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
