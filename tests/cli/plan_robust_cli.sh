#!/bin/sh
# `xborder plan --scenario SIM.json --min-probability P` and `xborder report --plan PLAN.json`:
# the robust plan of tests/cli/plan-robust costs more than the cheapest one (Germany instead of
# Japan, whose adequacy may fall), a lower bar takes the cheapest; the multi-tier cloud plan
# example with its failover scenario is infeasible and says why (exit 1); bad values and files
# exit 2 with the option or the file named; a plan rendered in every report format; bad plans
# refused with XB-CLI-006.
# usage: plan_robust_cli.sh PATH/TO/xborder REPO_ROOT
set -u
xb=${1:?usage: plan_robust_cli.sh XBORDER REPO_ROOT}
root=${2:?usage: plan_robust_cli.sh XBORDER REPO_ROOT}
. "$root/tests/cli/lib.sh"
cli_setup plan-robust
python=/usr/bin/python3
[ -x "$python" ] || python=python3
rules="--rules $root/jurisdictions"
ex="$root/tests/cli/plan-robust"
mtc="$root/scenarios/multi-tier-cloud"

# The cheapest plan, then the robust one, then a lower bar.
"$xb" plan "$ex/model.json" $rules --at 2024-06-01 --format json --quiet >"$tmp/cheap.json" 2>"$tmp/err"
"$xb" plan "$ex/model.json" $rules --at 2024-06-01 --scenario "$ex/sim.json" --min-probability 0.95 \
  --format json --quiet >"$tmp/robust.json" 2>"$tmp/err"
rc=$?
"$xb" plan "$ex/model.json" $rules --at 2024-06-01 --scenario "$ex/sim.json" --min-probability 0.5 \
  --format json --quiet >"$tmp/lenient.json" 2>>"$tmp/err"
if [ "$rc" -eq 0 ] && "$python" - "$tmp" <<'PY'
import json, math, sys
d = sys.argv[1]
cheap, robust, lenient = (json.load(open(f"{d}/{n}.json")) for n in ("cheap", "robust", "lenient"))
assert robust["schema_version"] == "1.1.0"
assert cheap["plan"]["cost"] == 1 and cheap["robust"] is None and cheap["plan"]["robustness"] is None
assert robust["plan"]["cost"] == 5, robust["plan"]["cost"]
assert robust["robust"]["method"] == "exact" and robust["robust"]["min_probability"] == 0.95
assert robust["plan"]["robustness"]["probability"] == 1
reason = robust["plan"]["reasons"][0]
assert reason["instead_of"] == "japan" and reason["events"] == ["jp-adequacy-falls"]
assert abs(reason["probability"] - math.exp(-0.2 * 1095 / 365.25)) < 1e-6, reason["probability"]
assert reason["avoids"][0]["rule"] == "EU-GDPR-44"
assert lenient["plan"]["cost"] == 1
assert abs(lenient["plan"]["robustness"]["probability"] - reason["probability"]) < 1e-12
PY
then pass "robust plan costs 5 (Japan stays compliant in 55 % of the futures), 1 without or at 50 %"
else fail "robust plan" "exit $rc: $(head -c 300 "$tmp/err")"; fi

# An infeasible robust request (the multi-tier cloud example and its failover scenario).
xb_expect "infeasible robust request explains itself" 1 /dev/null any \
  "INFEASIBLE" "compliant in 90 % of the scenario's futures" "with \`jp-failover\` active" \
  "JP-APPI-23-EXTERNAL-ENV" -- plan "$mtc/plan-model.json" $rules --at 2024-06-01 \
  --scenario "$mtc/plan-failover.json" --min-probability 0.9 --quiet

# Bad values: exit 2, the option named, nothing on stdout.
xb_expect "--min-probability 1.5" 2 /dev/null err "--min-probability 1.5" "not a probability" -- \
  plan "$ex/model.json" $rules --scenario "$ex/sim.json" --min-probability 1.5
xb_expect "--min-probability 95%" 2 /dev/null err "not a probability" -- \
  plan "$ex/model.json" $rules --scenario "$ex/sim.json" --min-probability 95%
xb_expect "--scenario without --min-probability" 2 /dev/null err "needs \`--min-probability" -- \
  plan "$ex/model.json" $rules --scenario "$ex/sim.json"
xb_expect "--min-probability without --scenario" 2 /dev/null err "needs \`--scenario" -- \
  plan "$ex/model.json" $rules --min-probability 0.9
xb_expect "--runs without --scenario" 2 /dev/null err "--runs" -- \
  plan "$ex/model.json" $rules --runs 10
xb_expect "--runs 0" 2 /dev/null err "--runs" -- \
  plan "$ex/model.json" $rules --scenario "$ex/sim.json" --min-probability 0.9 --runs 0
xb_expect "missing scenario file" 2 /dev/null err "XB-SIM-001" "no-such-sim.json" -- \
  plan "$ex/model.json" $rules --scenario "$tmp/no-such-sim.json" --min-probability 0.9
[ -s "$tmp/out" ] && fail "missing scenario file" "something on stdout"

# report --plan: the plan section in every format.
"$xb" plan "$mtc/plan-model.json" $rules --at 2024-06-01 --until 2024-12-31 --format json --quiet \
  >"$tmp/plan.json" 2>"$tmp/err" || fail "plan for report" "$(head -c 300 "$tmp/err")"
for format in md html csv sarif appi-notice tia json; do
  "$xb" report "$mtc/plan-model.json" $rules --at 2024-06-01 --plan "$tmp/plan.json" \
    --format "$format" --quiet >"$tmp/report.$format" 2>"$tmp/err"
  rc=$?
  case $format in
    md | appi-notice | tia) needle="## Plan" ;;
    html) needle='<section id="plan">' ;;
    csv) needle="planned_change" ;;
    sarif) needle='"plan": {' ;;
    json) needle='"plan": {' ;;
  esac
  if [ "$rc" -eq 0 ] && grep -F -q -- "$needle" "$tmp/report.$format"; then
    pass "report --format $format has the plan"
  else
    fail "report --format $format" "exit $rc, no [$needle]: $(head -c 300 "$tmp/err")"
  fi
done
# A saved input keeps the plan.
"$xb" report --from "$tmp/report.json" --format md --quiet >"$tmp/again.md" 2>"$tmp/err"
if cmp -s "$tmp/again.md" "$tmp/report.md"; then pass "report --from renders the saved plan"
else fail "report --from" "differs from the direct rendering"; fi

# Bad plans.
echo '{"schema_version": "1.1.0", "tool": "other"}' >"$tmp/notaplan.json"
xb_expect "not a plan document" 2 /dev/null err "XB-CLI-006" "/tool" -- \
  report "$mtc/plan-model.json" $rules --at 2024-06-01 --plan "$tmp/notaplan.json" --format md
"$xb" plan "$ex/model.json" $rules --at 2024-06-01 --format json --quiet >"$tmp/other.json" 2>/dev/null
xb_expect "a plan of another model" 2 /dev/null err "XB-CLI-006" "the plan is of the model" -- \
  report "$mtc/plan-model.json" $rules --at 2024-06-01 --plan "$tmp/other.json" --format html
xb_expect "missing plan file" 2 /dev/null err "XB-CLI-001" -- \
  report "$mtc/plan-model.json" $rules --at 2024-06-01 --plan "$tmp/none.json" --format md

cli_summary
