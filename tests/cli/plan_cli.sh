#!/bin/sh
# `xborder plan`: the multi-tier cloud plan example exits 0, its JSON patch applied (by an RFC 6902
# applier written here, not the tool's) gives a model `xborder check` finds no violation in at
# every date of the window; the infeasible example exits 1 and names JP-APPI-28; the same input
# gives the same bytes; bad choice points and bad options exit 2 with a located diagnostic and
# nothing on stdout.
# usage: plan_cli.sh PATH/TO/xborder REPO_ROOT WORK_DIR
set -u

xborder=${1:?usage: plan_cli.sh XBORDER REPO_ROOT WORK_DIR}
root=${2:?usage: plan_cli.sh XBORDER REPO_ROOT WORK_DIR}
work=${3:?usage: plan_cli.sh XBORDER REPO_ROOT WORK_DIR}
rm -rf "$work" && mkdir -p "$work" || exit 2
python=/usr/bin/python3
[ -x "$python" ] || python=python3
scenario="$root/scenarios/multi-tier-cloud"
rules="--rules $root/jurisdictions"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# A plan, as JSON; then the patch applied and every date of the window checked.
"$xborder" plan "$scenario/plan-model.json" $rules --at 2024-06-01 --until 2026-12-31 \
  --alternatives 1 --format json >"$work/plan.json" 2>"$work/err"
rc=$?
if [ "$rc" -eq 0 ]; then pass "plan exits 0"; else fail "plan" "exit $rc: $(head -c 300 "$work/err")"; fi
if "$python" - "$scenario/plan-model.json" "$work/plan.json" "$work" <<'EOF'
import json, sys
model = json.load(open(sys.argv[1], encoding="utf-8"))
plan = json.load(open(sys.argv[2], encoding="utf-8"))
assert plan["schema_version"] == "1.1.0" and plan["status"] == "optimal", plan["status"]
assert plan["plan"]["cost"] == 110, plan["plan"]["cost"]
assert len(plan["alternatives"]) == 1 and plan["alternatives"][0]["cost"] > 110

def walk(doc, path):
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in path.split("/")[1:]]
    for t in tokens[:-1]:
        doc = doc[int(t)] if isinstance(doc, list) else doc[t]
    return doc, tokens[-1]

for op in plan["plan"]["patch"]:
    parent, last = walk(model, op["path"])
    if op["op"] == "add":
        if isinstance(parent, list):
            parent.insert(len(parent) if last == "-" else int(last), op["value"])
        else:
            parent[last] = op["value"]
    elif op["op"] == "remove":
        del parent[int(last) if isinstance(parent, list) else last]
    else:
        raise SystemExit("unexpected op " + op["op"])
assert "choices" not in model
json.dump(model, open(sys.argv[3] + "/patched.json", "w", encoding="utf-8"))
open(sys.argv[3] + "/dates", "w").write("\n".join(plan["window"]["dates"]) + "\n")
EOF
then pass "plan JSON: cost 110, one alternative; patch applies"; else fail "plan JSON" "see above"; fi
bad=0
while read -r date; do
  "$xborder" check "$work/patched.json" $rules --at "$date" >/dev/null 2>&1 || bad=$((bad + 1))
done <"$work/dates"
if [ "$bad" -eq 0 ] && [ -s "$work/dates" ]; then
  pass "the patched model checks clean at every date ($(wc -l <"$work/dates"))"
else
  fail "patched model" "$bad dates with violations"
fi
"$xborder" check "$scenario/plan-model.json" $rules --at 2024-06-01 >/dev/null 2>&1
if [ $? -eq 1 ]; then pass "check reads the model as written"; else fail "check" "the unpatched model should violate"; fi

# Same bytes twice, --stats or not (its figures go to standard error).
"$xborder" plan "$scenario/plan-model.json" $rules --at 2024-06-01 --until 2026-12-31 \
  --alternatives 1 --format json --stats >"$work/plan2.json" 2>"$work/stats"
if cmp -s "$work/plan.json" "$work/plan2.json"; then pass "deterministic"; else fail "deterministic" "outputs differ"; fi
if grep -q "^stats: plan 6 choice points (432 combinations), 14 dates; " "$work/stats" &&
  grep -q "^stats: time: load .* plan .* output .* total" "$work/stats" &&
  grep -q "^stats: peak memory [0-9]* MiB" "$work/stats"; then
  pass "--stats: the search and the time on stderr"
else
  fail "--stats" "$(head -c 400 "$work/stats")"
fi

# Infeasible: exit 1, the reason named.
"$xborder" plan "$scenario/plan-infeasible.json" $rules --at 2024-06-01 >"$work/inf.txt" 2>"$work/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "^INFEASIBLE" "$work/inf.txt" && grep -q "JP-APPI-28" "$work/inf.txt" &&
  grep -q "storage-operations (remote access of .cloud-c-parent. to .c-storage.): none of its 3 options helps" "$work/inf.txt"; then
  pass "infeasible exits 1 and explains itself"
else
  fail "infeasible" "exit $rc: $(head -c 300 "$work/inf.txt")"
fi

# Bad input: exit 2, a located diagnostic, nothing on stdout.
expect_2() {
  name=$1
  pattern=$2
  shift 2
  "$xborder" "$@" >"$work/out" 2>"$work/err"
  rc=$?
  if [ "$rc" -eq 2 ] && [ ! -s "$work/out" ] && grep -q -- "$pattern" "$work/err"; then
    pass "$name"
  else
    fail "$name" "exit $rc, stderr: $(head -c 300 "$work/err")"
  fi
}
"$python" - "$scenario/plan-model.json" "$work" <<'EOF'
import json, sys
model = json.load(open(sys.argv[1], encoding="utf-8"))
m = json.loads(json.dumps(model)); m["choices"][0]["system"] = "c-storge"
json.dump(m, open(sys.argv[2] + "/bad-target.json", "w"))
m = json.loads(json.dumps(model)); m["choices"][2]["options"][1]["safeguards"][1]["module"] = 9
json.dump(m, open(sys.argv[2] + "/bad-option.json", "w"))
m = json.loads(json.dumps(model)); m["choices"][1]["options"][0]["cost"] = -3
json.dump(m, open(sys.argv[2] + "/bad-cost.json", "w"))
EOF
expect_2 "unknown choice target" "/choices/0/system: error\[XB-MODEL-061\]" \
  plan "$work/bad-target.json" $rules --at 2024-06-01
expect_2 "bad option payload located in the option" "/choices/2/options/1/safeguards/1/module: error\[XB-MODEL-028\]" \
  plan "$work/bad-option.json" $rules --at 2024-06-01
expect_2 "negative cost" "/choices/1/options/0/cost: error\[XB-MODEL-065\]" \
  plan "$work/bad-cost.json" $rules --at 2024-06-01
expect_2 "check refuses bad choices too" "XB-MODEL-061" check "$work/bad-target.json" $rules --at 2024-06-01
expect_2 "--until before --at" "XB-CLI-001" plan "$scenario/plan-model.json" $rules --at 2024-06-01 --until 2023-01-01
expect_2 "--alternatives out of range" "alternatives" plan "$scenario/plan-model.json" $rules --alternatives 101
expect_2 "--max-latency negative" "max-latency" plan "$scenario/plan-model.json" $rules --max-latency -1
expect_2 "--format unknown" "XB-CLI-002" plan "$scenario/plan-model.json" $rules --format xml

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
