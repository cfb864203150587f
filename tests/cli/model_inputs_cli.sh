#!/bin/sh
# Model inputs on the command line (issue 15): YAML models (a file, or `-` with the syntax
# detected), diagnostics with line and column, several inputs merged into one map with an id in
# two inputs named in both places, SARIF pointing into the input a finding comes from, `xborder
# init` writing a starter model that loads and checks, and the published JSON Schema of the input
# model accepting every shipped model.
# usage: model_inputs_cli.sh XBORDER REPO_ROOT
set -u
xb=${1:?usage: model_inputs_cli.sh XBORDER REPO_ROOT}
root=${2:?usage: model_inputs_cli.sh XBORDER REPO_ROOT}
. "$root/tests/cli/lib.sh"
cli_setup inputs
rules="$root/jurisdictions"

# run NAME EXIT STDIN NEEDLE… -- ARGS: xborder ARGS with STDIN (a file, or /dev/null); the exit
# code, and every needle on stderr or stdout.
run() {
  _n=$1
  _w=$2
  _i=$3
  shift 3
  xb_expect "$_n" "$_w" "$_i" any "$@"
}

yaml="$root/scenarios/multi-tier-cloud/model.yaml"
json="$root/scenarios/multi-tier-cloud/model.json"

# ---- YAML: the same findings as the JSON twin
"$xb" check "$json" --rules "$rules" --at 2024-06-01 --format json >"$tmp/json.out" 2>/dev/null
"$xb" check "$yaml" --rules "$rules" --at 2024-06-01 --format json >"$tmp/yaml.out" 2>/dev/null
if /usr/bin/python3 - "$tmp/json.out" "$tmp/yaml.out" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b):
    d.pop("model", None)
    d.pop("sources", None)
sys.exit(0 if a == b and a["issues"] else 1)
PY
then pass "yaml model checks like its json twin"; else fail "yaml model checks like its json twin" "outputs differ"; fi
run "yaml from stdin" 0 "$yaml" "<stdin>: valid" -- validate - --rules "$rules"
run "json from stdin" 0 "$json" "<stdin>: valid" -- validate - --rules "$rules"

# ---- YAML errors: line and column, pointer, code, hint; exit 2
sed 's/^  tier: iaas$/  tier: iass/' "$yaml" >"$tmp/bad-tier.yaml"
line=$(grep -n '^  tier: iass$' "$tmp/bad-tier.yaml" | head -1 | cut -d: -f1)
run "yaml enum error at line and column" 2 /dev/null \
  "bad-tier.yaml:$line:9: /systems/1/tier: error[XB-MODEL-003]: unknown Tier \`iass\`" \
  "help: did you mean \`iaas\`?" -- validate "$tmp/bad-tier.yaml" --rules "$rules"
printf 'format: xborder-model/1\nname: [broken\n' >"$tmp/syntax.yaml"
run "yaml syntax error" 2 /dev/null "syntax.yaml:3:1: error[XB-MODEL-002]: invalid YAML" -- \
  validate "$tmp/syntax.yaml" --rules "$rules"
run "yaml error as json" 2 /dev/null '"line": ' '"column": ' -- \
  validate "$tmp/bad-tier.yaml" --rules "$rules" --error-format json
run "stdin twice" 2 /dev/null "\`-\` (standard input) can be given once" -- validate - - --rules "$rules"

# ---- several inputs merged
cat >"$tmp/base.yaml" <<'YAML'
format: xborder-model/1
name: merged
parties:
  - {id: shop, country: DE, roles: [controller]}
  - {id: customers, kind: data_subjects, country: DE}
systems:
  - id: webshop
    tier: on_premises
    operator: shop
    regions: [{location: "country:DE"}]
datasets:
  - {id: customer-data, categories: [personal_data], subjects: [DE], controller: shop}
flows:
  - {id: signup, event: collect, from: customers, to: webshop, datasets: [customer-data],
     relationship: data_subject_to_controller}
YAML
cat >"$tmp/vendor.json" <<'JSON'
{
  "parties": [{"id": "analytics", "country": "US", "parent": null}],
  "systems": [{"id": "analytics-saas", "tier": "saas", "operator": "analytics",
               "regions": [{"location": "aws:us-east-1"}]}],
  "flows": [{"id": "to-analytics", "event": "transfer", "from": "webshop", "to": "analytics-saas",
             "datasets": ["customer-data"], "relationship": "controller_to_controller"}]
}
JSON
run "merged inputs validate" 0 /dev/null "valid (3 parties, 2 systems" -- \
  validate "$tmp/base.yaml" "$tmp/vendor.json" --rules "$rules"
run "merged inputs check" 1 /dev/null "VIOLATION" -- \
  check "$tmp/base.yaml" "$tmp/vendor.json" --rules "$rules" --at 2024-06-01
"$xb" check "$tmp/base.yaml" "$tmp/vendor.json" --rules "$rules" --at 2024-06-01 --format json \
  >"$tmp/merged.json" 2>/dev/null
if grep -q '"file": ".*vendor.json"' "$tmp/merged.json" && grep -q '"sources"' "$tmp/merged.json"; then
  pass "check json names the input of each item"
else
  fail "check json names the input of each item" "no sources naming vendor.json"
fi
"$xb" report "$tmp/base.yaml" "$tmp/vendor.json" --rules "$rules" --at 2024-06-01 --format sarif \
  >"$tmp/merged.sarif" 2>/dev/null
if /usr/bin/python3 - "$tmp/merged.sarif" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["runs"][0]["results"]
locs = [r["locations"][0]["physicalLocation"] for r in runs]
ok = any(l["artifactLocation"]["uri"].endswith("vendor.json") and l["region"]["startLine"] == 5
         for l in locs)
sys.exit(0 if ok else 1)
PY
then pass "sarif points into the input of the finding"; else fail "sarif points into the input of the finding" "$(head -c 600 "$tmp/merged.sarif")"; fi
"$xb" report "$tmp/base.yaml" "$tmp/vendor.json" --rules "$rules" --at 2024-06-01 --format html \
  >"$tmp/merged.html" 2>/dev/null
if grep -q "vendor.json:/flows/0" "$tmp/merged.html"; then
  pass "html names the input of a finding"
else
  fail "html names the input of a finding" "no vendor.json:/flows/0 in the report"
fi
printf '{"parties": [{"id": "shop", "country": "FR"}]}\n' >"$tmp/clash.json"
run "an id in two inputs" 2 /dev/null \
  "clash.json:/parties/0/id: error[XB-MODEL-014]: the id \`shop\` is also declared in" \
  "base.yaml:4:10 (/parties/0/id)" -- validate "$tmp/base.yaml" "$tmp/clash.json" --rules "$rules"
printf '{"flows": [{"id": "x", "event": "transfer", "from": "webshop", "to": "nowhere", "datasets": ["customer-data"], "relationship": "controller_to_controller"}]}\n' >"$tmp/dangling.json"
run "an error in the second input points there" 2 /dev/null "dangling.json:/flows/0/to: error[XB-MODEL-041]" -- \
  validate "$tmp/base.yaml" "$tmp/dangling.json" --rules "$rules"

# ---- sub-processor lists (CSV)
vendors="$root/tests/importers/subprocessors/vendors.csv"
starter="$root/tests/importers/terraform/pull-request/base.yaml"
run "import subprocessors" 0 /dev/null '"id": "vendor:mailer-inc"' -- import subprocessors "$vendors" --exporter shop
run "check --vendors" 1 /dev/null "VIOLATION  EU-GDPR-44" "svc:mailer-inc/transactional-e-mail" -- \
  check "$starter" --vendors "$vendors" --exporter shop --rules "$rules" --at 2024-06-01
printf 'vendor,country,service,access\nA,UK,Mail,hosting\n' >"$tmp/bad-vendors.csv"
run "a bad row" 2 /dev/null "bad-vendors.csv:2:3: /1/country: error[XB-CSV-010]: unknown country code \`UK\`" \
  "\`GB\`" -- check "$starter" --vendors "$tmp/bad-vendors.csv" --rules "$rules"
run "--exporter without --vendors" 2 /dev/null "\`--exporter\` names who sends data" -- \
  check "$starter" --exporter shop --rules "$rules"

# ---- xborder init
run "init to stdout" 0 /dev/null "format: xborder-model/1" -- init
run "init writes a file" 0 /dev/null "wrote" -- init "$tmp/starter.yaml"
run "init refuses to replace" 2 /dev/null "error[XB-CLI-005]: the file exists" "--force" -- init "$tmp/starter.yaml"
run "init --force replaces" 0 /dev/null -- init "$tmp/starter.yaml" --force
run "the starter model is valid" 0 /dev/null "starter.yaml: valid" -- validate "$tmp/starter.yaml" --rules "$rules"
"$xb" check "$tmp/starter.yaml" --rules "$rules" --at 2024-06-01 >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; then pass "the starter model checks (exit $rc)"; else fail "the starter model checks" "exit $rc: $(head -c 300 "$tmp/err")"; fi

# ---- the JSON Schema of the input model: valid, accepts every shipped model, rejects bad shapes
. "$(dirname "$0")/jsonschema_python.sh"
find_jsonschema_python model_inputs_cli
if "$python" - "$root" <<'PY'
import glob, json, os, sys
import jsonschema
root = sys.argv[1]
schema = json.load(open(os.path.join(root, "docs", "model.schema.json"), encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
def models(d):
    if isinstance(d, dict):
        if d.get("format") == "xborder-model/1":
            yield d
        else:
            for x in d.values():
                yield from models(x)
    elif isinstance(d, list):
        for x in d:
            yield from models(x)
count, bad = 0, 0
for pattern in ("scenarios/*/*.json", "jurisdictions/**/*.json", "bench/**/*.json"):
    for f in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
        try:
            doc = json.load(open(f, encoding="utf-8"))
        except ValueError:
            continue
        for m in models(doc):
            count += 1
            for e in list(v.iter_errors(m))[:3]:
                bad += 1
                print("    %s /%s: %s" % (f, "/".join(map(str, e.absolute_path)), e.message[:200]))
base = json.load(open(os.path.join(root, "scenarios", "multi-tier-cloud", "model.json")))
def broken(edit):
    d = json.loads(json.dumps(base))
    edit(d)
    return not v.is_valid(d)
rejects = [
    broken(lambda d: d["systems"][0].update(tier="sass")),
    broken(lambda d: d["parties"][0].update(colour="red")),
    broken(lambda d: d.pop("flows")),
    broken(lambda d: d["flows"][0].update(safeguards=[{"type": "tia", "module": 2}])),
    broken(lambda d: d["flows"][0].update(safeguards=[{"type": "derogation"}])),
]
print("    %d shipped models validated, %d errors; %d of %d broken models rejected"
      % (count, bad, sum(rejects), len(rejects)))
sys.exit(0 if count >= 10 and bad == 0 and all(rejects) else 1)
PY
then pass "docs/model.schema.json accepts every shipped model"; else fail "docs/model.schema.json" "see above"; fi

cli_summary
