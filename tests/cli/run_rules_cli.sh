#!/bin/sh
# `xborder rules` on the command line: lint passes the shipped packs and fails a defective copy
# with exit 1; list and diff answer at dates; bad requests exit 2.
# usage: run_rules_cli.sh XBORDER REPO_ROOT SCRATCH_DIR
set -u
xb="$1"
root="$2"
scratch="$3"
rm -rf "$scratch" && mkdir -p "$scratch/rules"
passed=0
failed=0
check() {  # name, expected exit, command…
  name="$1"; want="$2"; shift 2
  "$@" >"$scratch/out" 2>"$scratch/err"
  got=$?
  if [ "$got" -eq "$want" ]; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name: exit $got, wanted $want"; head -5 "$scratch/err"; fi
}
contains() {  # name, file, text
  if grep -q -- "$3" "$2"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1: no \`$3\`"; fi
}

check "lint passes the shipped packs" 0 "$xb" rules lint --rules "$root/jurisdictions"
cp -r "$root/jurisdictions/eu" "$scratch/rules/"
/usr/bin/python3 - "$scratch/rules/eu/gdpr-chapter-v.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["rules"][0]["citation"]["article"] = ""
json.dump(d, open(p, "w"), ensure_ascii=False, indent=2)
PY
check "lint fails a rule without an article" 1 "$xb" rules lint --rules "$scratch/rules"
contains "lint names the defect and where" "$scratch/err" "gdpr-chapter-v.json:/rules/0/citation: error\[XB-LINT-001\]"
rm -rf "$scratch/vocab" && mkdir -p "$scratch/vocab" && cp -r "$root/jurisdictions/eu" "$scratch/vocab/"
/usr/bin/python3 - "$scratch/vocab/eu/gdpr-chapter-v.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for e in d["facts"]["eu_adequacy"]["entries"]:
    if e.get("when") == "'dpf' in importer.certifications":
        e["when"] = "'dpff' in importer.certifications"
json.dump(d, open(p, "w"), ensure_ascii=False, indent=2)
PY
check "lint fails a misspelt certification scheme" 1 "$xb" rules lint --rules "$scratch/vocab"
contains "lint reports unknown vocabulary" "$scratch/err" "error\[XB-LINT-008\]: unknown vocabulary"
rm -rf "$scratch/broken" && mkdir -p "$scratch/broken" && printf '{"format": ' >"$scratch/broken/p.json"
check "lint on invalid JSON is invalid input" 2 "$xb" rules lint --rules "$scratch/broken"
check "list shows disagreeing sources" 0 "$xb" rules list --at 2026-01-01 --rules "$root/jurisdictions"
contains "the UK renewal records its disagreeing sources" "$scratch/out" "sources disagree; follows: continuity"
check "list json carries sources_disagree" 0 "$xb" rules list --at 2026-01-01 --format json --rules "$root/jurisdictions"
contains "json follows key" "$scratch/out" '"follows": "continuity'
check "list at a date" 0 "$xb" rules list --at 2020-07-01 --rules "$root/jurisdictions"
contains "Privacy Shield in force on 2020-07-01" "$scratch/out" "eu_adequacy:US  \[2016-07-12, 2020-07-16)"
check "diff across Schrems II" 0 "$xb" rules diff --from 2020-07-15 --to 2020-07-17 --format json --rules "$root/jurisdictions"
contains "diff says the US adequacy ended" "$scratch/out" '"change": "ended"'
check "diff needs both dates" 2 "$xb" rules diff --from 2020-07-15
check "diff with a bad date" 2 "$xb" rules diff --from 2020-07-15 --to 2020-13-01
check "unknown rules command" 2 "$xb" rules show
# An organisation's own packs (--policies) load beside the shipped ones; examples are not shipped.
check "examples are not loaded by default" 0 "$xb" rules list --at 2026-11-22 --rules "$root/jurisdictions"
if grep -q "acme-policy" "$scratch/out"; then failed=$((failed + 1)); echo "FAIL examples leaked into the shipped rules"; else passed=$((passed + 1)); echo "ok   examples are not in the shipped list"; fi
check "list with --policies" 0 "$xb" rules list --at 2026-11-22 --rules "$root/jurisdictions" --policies "$root/jurisdictions/examples/organisation"
contains "the policy's rule is listed" "$scratch/out" "acme-policy  ACME-RESIDENCY-1"
check "lint with --policies" 0 "$xb" rules lint --rules "$root/jurisdictions" --policies "$root/jurisdictions/examples/organisation/acme-subprocessors.json"
check "check with a policy finds the violation" 1 "$xb" check "$root/scenarios/retail-pos/model.json" --rules "$root/jurisdictions" --policies "$root/jurisdictions/examples/organisation/acme-data-residency.json" --places acme-policy --at 2026-11-22
contains "the finding names the policy's rule" "$scratch/out" "ACME-RESIDENCY-1"
check "a missing policy is invalid input" 2 "$xb" check "$root/scenarios/retail-pos/model.json" --rules "$root/jurisdictions" --policies "$scratch/nope.json"
contains "the error says what is missing" "$scratch/err" "XB-RULES-001"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
