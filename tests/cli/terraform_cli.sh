#!/bin/sh
# Terraform plans on the command line (issue 15): `import terraform` on a realistic plan of each
# cloud (the resources read, the types not understood listed as warnings), `check --infra` with an
# overlay on a pull request's plans before and after (only the new finding, addressed to the
# resource in SARIF), and bad plans and overlays refused with exit 2, file, place and a hint.
# usage: terraform_cli.sh XBORDER REPO_ROOT
set -u
xb=${1:?usage: terraform_cli.sh XBORDER REPO_ROOT}
root=${2:?usage: terraform_cli.sh XBORDER REPO_ROOT}
. "$root/tests/cli/lib.sh"
cli_setup tf
rules="$root/jurisdictions"
fixtures="$root/tests/importers/terraform"
pr="$fixtures/pull-request"

# run NAME EXIT NEEDLE… -- ARGS: the exit code, and every needle on stdout or stderr.
run() {
  _n=$1
  _w=$2
  shift 2
  xb_expect "$_n" "$_w" /dev/null any "$@"
}

# ---- import: each cloud's plan
run "import aws" 0 "aws_s3_bucket_replication_configuration.uploads: replica regions of its source bucket" \
  "warning[XB-TF-101]: resource type \`aws_lambda_function\` is not understood" \
  "LEFT OUT  aws_lambda_function.thumbnailer" -- import terraform "$fixtures/aws-plan.json"
run "import azure" 0 "warning[XB-TF-104]: no paired region is known for \`azure:swedencentral\`" \
  "\`azurerm_linux_web_app\` is not understood" -- import terraform "$fixtures/azure-plan.json"
run "import gcp" 0 "\`google_cloud_run_v2_service\` is not understood" \
  "\"location\": \"gcp:asia-northeast2\"" -- import terraform "$fixtures/gcp-plan.json" --format json
for cloud in aws azure gcp; do
  "$xb" import terraform "$fixtures/$cloud-plan.json" >"$tmp/$cloud.yaml" 2>/dev/null
  run "the $cloud import loads as a model" 0 "valid (" -- validate "$tmp/$cloud.yaml" --rules "$rules"
done

# ---- check --infra: the pull request's new finding only
run "before the pull request" 0 -- check "$pr/base.yaml" --infra "$pr/before.json" \
  --overlay "$pr/overlay.yaml" --rules "$rules" --at 2024-06-01
run "after the pull request" 1 "VIOLATION  EU-GDPR-44" "tf:aws_s3_bucket.uploads_replica@aws:us-east-1" -- \
  check "$pr/base.yaml" --infra "$pr/after.json" --overlay "$pr/overlay.yaml" --rules "$rules" --at 2024-06-01
for side in before after; do
  "$xb" report "$pr/base.yaml" --infra "$pr/$side.json" --overlay "$pr/overlay.yaml" --rules "$rules" \
    --at 2024-06-01 --format sarif >"$tmp/$side.sarif" 2>/dev/null
done
if /usr/bin/python3 - "$tmp/before.sarif" "$tmp/after.sarif" <<'PY'
import json, sys
def results(f):
    return json.load(open(f))["runs"][0]["results"]
before = {r["partialFingerprints"]["xborderFinding/v1"] for r in results(sys.argv[1])}
new = [r for r in results(sys.argv[2]) if r["partialFingerprints"]["xborderFinding/v1"] not in before]
assert len(new) == 1, new
r = new[0]
loc = r["locations"][0]
assert r["ruleId"] == "EU-GDPR-44", r["ruleId"]
assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("pull-request/after.json"), loc
assert loc["physicalLocation"]["region"]["startLine"] > 1, loc
names = [l["fullyQualifiedName"] for l in loc["logicalLocations"]]
assert "aws_s3_bucket.uploads_replica" in names, names
assert r["properties"]["source"]["address"] == "aws_s3_bucket.uploads_replica"
PY
then pass "sarif: one new finding, on the resource in after.json"; else fail "sarif: one new finding" "see above"; fi
run "check json names the resource" 1 '"address": "aws_s3_bucket.uploads_replica"' -- \
  check "$pr/base.yaml" --infra "$pr/after.json" --overlay "$pr/overlay.yaml" --rules "$rules" \
  --at 2024-06-01 --format json
"$xb" check "$pr/base.yaml" --infra "$pr/after.json" --overlay "$pr/overlay.yaml" --rules "$rules" \
  --at 2024-06-01 --format json --findings >"$tmp/infra.json" 2>/dev/null
if /usr/bin/python3 - "$root/reports/schema/check-result.schema.json" "$tmp/infra.json" <<'PY'
import json, sys
import jsonschema
schema, doc = (json.load(open(f)) for f in sys.argv[1:3])
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
for e in errors[:5]:
    print("    /%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:200]))
sys.exit(1 if errors or not doc.get("sources") else 0)
PY
then pass "check --infra json (with sources) matches the schema"; else fail "check --infra json" "see above"; fi
run "the plan's unknown data is undetermined without an overlay" 0 "UNDETERMINED" "tf-data:aws_s3_bucket.uploads" -- \
  check "$pr/base.yaml" --infra "$pr/after.json" --rules "$rules" --at 2024-06-01 --all

# ---- bad plans and overlays: exit 2 with file, place and a hint
printf '{"resources": []}\n' >"$tmp/not-a-plan.json"
run "not a plan" 2 "not-a-plan.json: error[XB-TF-010]: not the output of \`terraform show -json\`" "help:" -- \
  import terraform "$tmp/not-a-plan.json"
printf '{"format_version": "2.0", "planned_values": {}}\n' >"$tmp/v2.json"
run "another major format version" 2 "v2.json:/format_version: error[XB-TF-011]" -- import terraform "$tmp/v2.json"
printf '{"format_version": "1.2", "planned_values": ' >"$tmp/broken.json"
run "broken json" 2 "broken.json: error[XB-TF-002]" -- import terraform "$tmp/broken.json"
printf 'format: xborder-terraform-overlay/1\nowner: shop\nresource: {}\n' >"$tmp/overlay.yaml"
run "overlay with an unknown key" 2 "overlay.yaml:3:11: /resource: error[XB-OVERLAY-009]: unknown key \`resource\`" \
  "did you mean \`resources\`?" -- check "$pr/base.yaml" --infra "$pr/after.json" --overlay "$tmp/overlay.yaml" --rules "$rules"
printf 'format: xborder-terraform-overlay/1\nowner: nobody\n' >"$tmp/owner.yaml"
run "overlay naming a party the model lacks" 2 "owner.yaml:2:8: /owner: error[XB-MODEL-040]: controller \`nobody\` is not a declared party" -- \
  check "$pr/base.yaml" --infra "$pr/after.json" --overlay "$tmp/owner.yaml" --rules "$rules"
run "overlay without --infra" 2 "\`--overlay\` says what Terraform plans cannot" -- \
  check "$pr/base.yaml" --overlay "$pr/overlay.yaml" --rules "$rules"
run "a missing plan" 2 "no-such-plan.json: error[XB-TF-001]" -- check "$pr/base.yaml" --infra "$tmp/no-such-plan.json" --rules "$rules"

cli_summary
