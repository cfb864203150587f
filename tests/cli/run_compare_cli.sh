#!/bin/sh
# `xborder compare` and `check --regimes` from the command line: exit codes, errors with their
# codes, every output format, and the JSON outputs validated against their schemas.
# usage: run_compare_cli.sh PATH/TO/xborder REPO_ROOT WORK_DIR
set -u
if [ "$#" -ne 3 ]; then
  echo "usage: $0 PATH/TO/xborder REPO_ROOT WORK_DIR" >&2
  exit 2
fi
xborder=$1
root=$2
work=$3
rules="$root/jurisdictions"
rm -rf "$work" && mkdir -p "$work" || exit 2

. "$(dirname "$0")/jsonschema_python.sh"
find_jsonschema_python run_compare_cli

failed=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# expect NAME EXIT_CODE -- ARGS...: runs xborder, checks the exit code, keeps stdout/stderr.
expect() {
  name=$1
  want=$2
  shift 3
  "$xborder" "$@" >"$work/$name.out" 2>"$work/$name.err"
  rc=$?
  if [ "$rc" -eq "$want" ]; then pass "$name (exit $rc)"; else
    fail "$name: exit $rc, expected $want"
    sed 's/^/    /' "$work/$name.err" | head -20
  fi
}
contains() {
  if grep -q -- "$3" "$work/$1.$2"; then pass "$1 $2 has '$3'"; else fail "$1 $2 lacks '$3'"; fi
}
valid() {
  if "$python" - "$1" "$2" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
doc = json.load(open(sys.argv[2], encoding="utf-8"))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
for e in errors[:10]:
    print("    /%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message))
sys.exit(1 if errors else 0)
PY
  then pass "$3 matches its schema"; else fail "$3 does not match its schema"; fi
}

# Regimes that differ: exit 1, every format.
expect eu-jp 1 -- compare EU JP --at 2024-01-01 --kind basis --rules "$rules"
contains eu-jp out "JP allows, EU forbids"
contains eu-jp out "EU-GDPR-44"
expect eu-jp-json 1 -- compare EU JP --at 2024-01-01 --kind basis --format json --rules "$rules"
valid "$root/reports/schema/compare-result.schema.json" "$work/eu-jp-json.out" "compare --format json"
expect schrems-detail 1 -- compare EU@2020-07-15 EU@2020-07-17 --kind basis --detail --format json \
  --scope "importer.country == 'US'" --rules "$rules"
valid "$root/reports/schema/compare-result.schema.json" "$work/schrems-detail.out" "compare --detail --format json"
contains schrems-detail out "privacy_shield"
expect matrix 1 -- compare EU JP UK --at 2024-01-01 --kind basis --format md --rules "$rules"
contains matrix out "| # | Flows | Witness |"
expect csv 1 -- compare EU JP --at 2024-01-01 --kind basis --format csv --rules "$rules"
contains csv out "allows,forbids,cell,condition,witness,allowing_rules,forbidding_rules"
expect where 1 -- compare EU EU --at 2021-01-01 --where "1=importer.country == 'JP'" \
  --where "2=importer.country == 'US'" --rules "$rules"
contains where out "EU#1 allows, EU#2 forbids"

# --category: a jurisdiction stands for its places of these categories (default personal_data).
expect export-control 1 -- compare EU JP --category export_control --at 2024-06-01 --kind basis --rules "$rules"
contains export-control out "eu-dual-use"
contains export-control out "jp-fefta"
expect bad-category 2 -- compare EU JP --category colour --rules "$rules"
contains bad-category err "unknown place category"

# A regime against itself: nothing differs, exit 0.
expect same 0 -- compare EU EU@2024-01-01 --at 2024-01-01 --rules "$rules"
contains same out "0 classes"
# --stats: the same table; the regimes, cells and solver queries, and the time, on stderr.
expect same-stats 0 -- compare EU EU@2024-01-01 --at 2024-01-01 --stats --rules "$rules"
if cmp -s "$work/same.out" "$work/same-stats.out"; then pass "--stats leaves stdout alone"; else fail "--stats changed stdout"; fi
contains same-stats err "^stats: compare 2 regimes (home frame), 2 tables (0 incomplete), 0 cells; "
contains same-stats err "^stats: time: load .* compare .* output .* total"

# Bad input: exit 2 with the code and a hint.
expect unknown-regime 2 -- compare EU EUX --rules "$rules"
contains unknown-regime err "XB-COMPARE-003"
expect bad-date 2 -- compare EU@2020-02-30 JP --rules "$rules"
contains bad-date err "XB-COMPARE-001"
expect bad-scope 2 -- compare EU JP --scope "importer.contry == 'US'" --rules "$rules"
contains bad-scope err "XB-COMPARE-010"
expect one-regime 2 -- compare EU --rules "$rules"
expect bad-where 2 -- compare EU JP --where "x" --rules "$rules"
expect bad-format 2 -- compare EU JP --format html --rules "$rules"

# check --regimes: the disagreements, in text and in schema-valid JSON.
model="$root/scenarios/multi-tier-cloud/model.json"
expect regimes 1 -- check "$model" --at 2024-06-01 --regimes EU,JP --rules "$rules"
contains regimes out "where the regimes disagree (EU, JP)"
expect regimes-json 1 -- check "$model" --at 2024-06-01 --regimes EU,JP --format json --rules "$rules"
valid "$root/reports/schema/check-result.schema.json" "$work/regimes-json.out" "check --regimes --format json"
contains regimes-json out '"regime_disagreements"'
expect regimes-unknown 2 -- check "$model" --regimes EU,XX --rules "$rules"
contains regimes-unknown err "XB-COMPARE-003"
expect regimes-one 2 -- check "$model" --regimes EU --rules "$rules"

echo "$failed failed"
[ "$failed" -eq 0 ]
