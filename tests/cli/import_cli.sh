#!/bin/sh
# Registers, Fides manifests and the DPV export on the command line (issue 15): the register that
# `report --format csv` writes reads back in (`import register`, `check --register`), a bad row is
# refused with file, line, column name and a hint; a Fides manifest imports with its warnings and
# checks with `--fides`; `report --format dpv` is JSON-LD with the DPV context.
# usage: import_cli.sh XBORDER REPO_ROOT
set -u
xb=${1:?usage: import_cli.sh XBORDER REPO_ROOT}
root=${2:?usage: import_cli.sh XBORDER REPO_ROOT}
. "$root/tests/cli/lib.sh"
cli_setup import
rules="$root/jurisdictions"
model="$root/scenarios/eu-jp-us-transfer/model.json"
fides="$root/tests/importers/fides"

run() {
  _n=$1
  _w=$2
  shift 2
  xb_expect "$_n" "$_w" /dev/null any "$@"
}

# ---- the register round trip
"$xb" report "$model" --rules "$rules" --at 2021-01-01 --format csv -o "$tmp/register.csv" 2>"$tmp/err"
run "import register" 0 "# Read back from the transfer register" "\"name\": \"to-us\"" \
  "\"relationship\": \"unknown\"" -- import register "$tmp/register.csv"
"$xb" import register "$tmp/register.csv" >"$tmp/register.yaml" 2>/dev/null
run "the imported register loads as a model" 0 "valid (" -- validate "$tmp/register.yaml" --rules "$rules"
run "check the imported register" 1 "VIOLATION  EU-GDPR-44" -- check "$tmp/register.yaml" \
  --rules "$rules" --at 2021-01-01
run "check --register merges it" 1 "VIOLATION  EU-GDPR-44" "a-eu (DE) → a-us (US)" -- \
  check "$fides/base.yaml" --register "$tmp/register.csv" --rules "$rules" --at 2021-01-01
"$xb" report "$fides/base.yaml" --register "$tmp/register.csv" --rules "$rules" --at 2021-01-01 \
  --format sarif -o "$tmp/register.sarif" 2>/dev/null
if grep -q "register.csv" "$tmp/register.sarif" && grep -q '"startLine": 3' "$tmp/register.sarif"; then
  pass "SARIF points at the register's row"
else
  fail "SARIF points at the register's row" "no location in register.csv line 3"
fi
printf 'edge,event,dataset,exporter,exporter_country,importer,importer_country\r\nto-us,transfer,eu-customer-data,a-eu,DE,a-us,UK\r\n' \
  >"$tmp/bad.csv"
run "a bad register row" 2 "bad.csv:2:46: /1/importer_country: error[XB-REG-010]: unknown country code \`UK\`" \
  "GB" -- import register "$tmp/bad.csv"
run "check --register with a bad row" 2 "error[XB-REG-010]" -- check "$model" --register "$tmp/bad.csv" \
  --rules "$rules"

# ---- Fides
run "import fides" 0 "system.crm_cloud → system fides:crm_cloud in aws:us-east-1 run by fides-vendor:crm-cloud-inc" \
  "warning[XB-FIDES-101]: unknown key \`owner_team\`" "warning[XB-FIDES-103]" \
  "systems.yml:" -- import fides "$fides/systems.yml" --owner acme
run "check --fides" 1 "VIOLATION  EU-GDPR-44" "fides:webshop/to/crm_cloud" -- \
  check "$fides/base.yaml" --fides "$fides/systems.yml" --fides-owner acme --rules "$rules" --at 2024-06-01
run "--fides-owner without --fides" 2 "--fides-owner" -- check "$model" --fides-owner acme --rules "$rules"
printf 'system:\n  - fides_key: a\n    meta:\n      xborder:\n        location: mars\n' >"$tmp/bad.yml"
run "a bad Fides location" 2 "bad.yml:5:19: /system/0/meta/xborder/location: error[XB-FIDES-010]" -- \
  import fides "$tmp/bad.yml"

# ---- provenance in check's text output and warnings
cat >"$tmp/part.yaml" <<'YAML'
format: xborder-model/1
name: a part
parties:
  - {id: us-partner, country: US}
datasets:
  - {id: orders, categories: [personal_data], subjects: [DE]}
flows:
  - {id: orders-to-us, event: transfer, from: acme, to: us-partner, datasets: [orders],
     relationship: controller_to_controller}
YAML
run "a warning names its input and line" 1 \
  "nothing brings it there; the data set is taken to start there (from $tmp/part.yaml:8:5)" \
  "where the issues come from (input, line and column):" \
  "orders-to-us  ← $tmp/part.yaml:8:5: EU-GDPR-44" -- \
  check "$fides/base.yaml" "$tmp/part.yaml" --rules "$rules" --at 2024-06-01

# ---- DPV
run "report --format dpv" 0 "\"@context\"" "https://w3id.org/dpv#" "dpv:CrossBorderTransfer" -- \
  report "$model" --rules "$rules" --at 2021-01-01 --format dpv
if "$xb" report "$model" --rules "$rules" --at 2021-01-01 --format dpv 2>/dev/null |
  /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["@context"]["loc"]=="https://w3id.org/dpv/loc#"; assert any(n.get("@type")=="dpv:Process" for n in d["@graph"])'; then
  pass "the DPV export parses as JSON with the DPV context"
else
  fail "the DPV export parses as JSON with the DPV context" "python3 json.load failed"
fi

cli_summary
