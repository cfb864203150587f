#!/bin/sh
# The HTML report in a real browser: renders every scenario, opens it in headless Chromium with
# the `#selftest` fragment (the report's inline script then checks the findings rows against the
# summary, the graph's nodes, the language switch and the verdict filter, and writes PASS or FAIL
# into <div id="selftest">), and greps the dumped DOM. Also takes a screenshot of the
# multi-tier-cloud report into the scratch dir (XBORDER_UPDATE_SCREENSHOT=1 copies it to
# docs/report-screenshot.png).
#
# usage: run_browser_test.sh XBORDER_BINARY REPO_ROOT SCRATCH_DIR
set -u

xborder=${1:?usage: run_browser_test.sh XBORDER_BINARY REPO_ROOT SCRATCH_DIR}
root=${2:?repo root}
scratch=${3:?scratch dir}
chromium=${CHROMIUM:-/usr/bin/chromium}

mkdir -p "$scratch" || exit 1
scratch=$(cd "$scratch" && pwd)

# Chromium may still be being installed (scripts/setup --test): wait a little for it.
waited=0
while [ ! -x "$chromium" ] && [ "$waited" -lt 30 ]; do
  sleep 3
  waited=$((waited + 3))
done
if [ ! -x "$chromium" ]; then
  echo "FAIL: $chromium not found (install it with scripts/setup --test)"
  exit 1
fi

# One fresh profile per run of the browser; removed at the end.
run_chromium() {
  profile=$(mktemp -d "$scratch/profile.XXXXXX") || return 1
  timeout 45 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" "$@" 2>>"$scratch/chromium.log"
  status=$?
  rm -rf "$profile"
  return $status
}

passed=0
failed=0
first_html=
shot_html=
: >"$scratch/chromium.log"
for dir in "$root"/scenarios/*/; do
  name=$(basename "$dir")
  [ -f "$dir/expected.json" ] || continue
  # Every date the scenario's expected.json checks at (the CLI's default date if none).
  dates=$(grep -o '"at": *"[0-9-]*"' "$dir/expected.json" | sed 's/.*"\([0-9-]*\)"$/\1/')
  for at in ${dates:-default}; do
    case_name="$name@$at"
    html="$scratch/$name-$at.html"
    if [ "$at" = default ]; then
      "$xborder" report "$dir/model.json" --format html -o "$html" >"$scratch/$name-$at.render.log" 2>&1
    else
      "$xborder" report "$dir/model.json" --format html --at "$at" -o "$html" >"$scratch/$name-$at.render.log" 2>&1
    fi
    if [ ! -s "$html" ]; then
      echo "FAIL $case_name: no HTML rendered (see $scratch/$name-$at.render.log)"
      failed=$((failed + 1))
      continue
    fi
    [ -n "${first_html:-}" ] || first_html=$html
    [ "$name" = multi-tier-cloud ] && shot_html=$html
    run_chromium --dump-dom "file://$html#selftest" >"$scratch/$name-$at.dom.html"
    result=$(grep -o '<div id="selftest">[^<]*' "$scratch/$name-$at.dom.html" | sed 's/<div id="selftest">//')
    case "$result" in
      PASS*)
        echo "ok   $case_name: $result"
        passed=$((passed + 1))
        ;;
      *)
        echo "FAIL $case_name: ${result:-no self-test result in the DOM (see $scratch/$name-$at.dom.html, $scratch/chromium.log)}"
        failed=$((failed + 1))
        ;;
    esac
  done
done

# The screenshot a DPO would see first.
shot="$scratch/report-screenshot.png"
rm -f "$shot"
shot_html=${shot_html:-${first_html:-}}
if [ -n "$shot_html" ]; then
  run_chromium --window-size=1400,1800 --hide-scrollbars --screenshot="$shot" "file://$shot_html" >/dev/null
  if [ -s "$shot" ]; then
    echo "ok   screenshot: $shot"
    passed=$((passed + 1))
    if [ "${XBORDER_UPDATE_SCREENSHOT:-}" = 1 ]; then cp "$shot" "$root/docs/report-screenshot.png"; fi
  else
    echo "FAIL screenshot: none written (see $scratch/chromium.log)"
    failed=$((failed + 1))
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
