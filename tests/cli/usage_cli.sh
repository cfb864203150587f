#!/bin/sh
# Mistakes on the command line get messages a person can act on (issue 14): an unknown command or
# option names the nearest and lists the candidates; a repeated single-value option and an empty
# list are errors; file errors carry the operating system's reason. Also: `-` reads the model from
# standard input, `rules list --places … --brief`, and the progress line and colour appear only on
# a terminal (`script` gives one), never with --quiet or NO_COLOR.
# usage: usage_cli.sh XBORDER REPO_ROOT
set -u
xb=${1:?usage: usage_cli.sh XBORDER REPO_ROOT}
root=${2:?usage: usage_cli.sh XBORDER REPO_ROOT}
. "$root/tests/cli/lib.sh"
cli_setup usage
rules="$root/jurisdictions"
model="$root/scenarios/retail-pos/model.json"

# expect NAME EXIT NEEDLE… -- ARGS: runs xborder ARGS; the exit code, and every needle on stderr.
expect() {
  _n=$1
  _w=$2
  shift 2
  xb_expect "$_n" "$_w" /dev/null err "$@"
}

# ---- unknown commands and options: the nearest, and every candidate
expect "unknown command" 2 "unknown command \`frobnicate\`" "\`check\`" "\`simulate\`" -- frobnicate
expect "misspelt command" 2 "did you mean \`check\`?" -- chek "$model"
expect "unknown rules command" 2 "unknown command \`show\`" "\`list\`" "\`diff\`" "\`lint\`" -- rules show
expect "rules without a command" 2 "\`xborder rules\` needs a command" "\`list\`" -- rules
expect "no command" 2 "no command given" -- 
expect "misspelt option" 2 "unknown option \`--fromat\`" "did you mean \`--format\`?" \
  "xborder check --help" -- check "$model" --fromat json
expect "unknown option lists the options" 2 "unknown option \`--frobnicate\`" "\`--places\`" \
  -- check "$model" --frobnicate
expect "a missing model" 2 "\`xborder check\` needs MODEL.yaml|json" -- check
expect "an option without its value" 2 "\`--at\` needs a value" -- check "$model" --at

# ---- a repeated single-value option, an empty list
expect "--at twice" 2 "\`--at\` is given more than once" -- check "$model" --at 2024-01-01 --at 2024-02-01
expect "--format twice" 2 "\`--format\` is given more than once" -- compare EU JP --format json --format md
expect "-o twice" 2 "is given more than once" -- report "$model" --format md -o "$tmp/a" -o "$tmp/b"
expect "--policies twice is a list" 0 -- rules lint --rules "$rules" \
  --policies "$rules/examples/organisation" --policies "$rules/examples/organisation"
expect "--places ''" 2 "\`--places\` needs a comma-separated list" -- check "$model" --places ''
expect "rules list --places ''" 2 "\`--places\`" -- rules list --places ''
expect "compare --category ''" 2 "\`--category\`" -- compare EU JP --category ''

# ---- "did you mean" is never empty: --places with a place that no pack has
expect "--places jp" 2 "no rule pack for place \`jp\`" "expected one of \`jp-appi\`, \`jp-fefta\`" -- check "$model" --rules "$rules" --places jp
if grep -q "expected one of *$" "$tmp/err"; then fail "--places jp hint" "an empty list"; else pass "--places jp hint is not empty"; fi
expect "--places jp-apl" 2 "did you mean \`jp-appi\`?" -- check "$model" --rules "$rules" --places jp-apl

# ---- every message about a file carries the operating system's reason
expect "a missing model file" 2 "No such file or directory" -- check "$tmp/none.json" --rules "$rules"
expect "a directory as the model" 2 "is a directory" -- validate "$tmp" --rules "$rules"
expect "a missing report input" 2 "No such file or directory" -- report --from "$tmp/none.json" --format md
expect "-o into a missing directory" 2 "cannot write the report: No such file or directory" \
  -- report "$model" --rules "$rules" --format md --at 2024-06-01 -o "$tmp/no/such/dir/r.md"
expect "a missing rule directory" 2 "error[XB-RULES-001]" "No such file or directory" -- check "$model" --rules "$tmp/none"
expect "a file as the rule directory" 2 "error[XB-RULES-001]" "not a directory" -- check "$model" --rules "$model"
expect "a missing policy" 2 "error[XB-RULES-001]" "No such file or directory" \
  -- check "$model" --rules "$rules" --policies "$tmp/none.json"
printf '{}' >"$tmp/locked.json"
chmod 000 "$tmp/locked.json"
if cat "$tmp/locked.json" >/dev/null 2>&1; then
  echo "skip a file without read permission: this user reads it anyway (root)"
else
  expect "an unreadable model" 2 "Permission denied" -- check "$tmp/locked.json" --rules "$rules"
fi

# ---- `-`: the model from standard input
"$xb" validate - --rules "$rules" <"$model" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "^<stdin>: valid (" "$tmp/out"; then pass "validate - reads stdin"; else fail "validate -" "exit $rc: $(head -c 300 "$tmp/out" "$tmp/err")"; fi
"$xb" check "$model" --rules "$rules" --at 2024-06-01 --format json >"$tmp/file.json" 2>/dev/null
"$xb" check - --rules "$rules" --at 2024-06-01 --format json <"$model" >"$tmp/stdin.json" 2>/dev/null
if grep -v '^    "file": ' "$tmp/file.json" >"$tmp/a" && grep -v '^    "file": ' "$tmp/stdin.json" >"$tmp/b" \
  && [ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"; then
  pass "check - finds what check FILE finds"
else
  fail "check -" "the result differs from the file's: $(diff "$tmp/a" "$tmp/b" | head -5)"
fi
printf '{"format": ' | "$xb" check - --rules "$rules" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "^<stdin>:.*error\[XB-MODEL-002\]" "$tmp/err"; then pass "bad JSON on stdin is located"; else fail "bad JSON on stdin" "exit $rc: $(head -c 300 "$tmp/err")"; fi
"$xb" report - --rules "$rules" --format sarif --at 2024-06-01 <"$model" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q '"uri": "%3Cstdin%3E"' "$tmp/out"; then pass "report - names <stdin>"; else fail "report -" "exit $rc: $(head -c 300 "$tmp/err")"; fi

# ---- rules list --places --brief: one line per item, only those places
"$xb" rules list --rules "$rules" --at 2024-06-01 --places jp-appi --brief >"$tmp/out" 2>"$tmp/err"
rc=$?
lines=$(wc -l <"$tmp/out")
others=$(awk '$2 != "jp-appi"' "$tmp/out" | wc -l)
if [ "$rc" -eq 0 ] && [ "$lines" -gt 3 ] && [ "$others" -eq 0 ]; then
  pass "rules list --places jp-appi --brief ($lines lines)"
else
  fail "rules list --brief" "exit $rc, $lines lines, $others of other places: $(head -3 "$tmp/out")"
fi
if grep -q "^rule  jp-appi  JP-APPI-" "$tmp/out"; then pass "--brief lines start with kind, place, id"; else fail "--brief" "$(head -2 "$tmp/out")"; fi
"$xb" rules list --rules "$rules" --at 2024-06-01 --places jp-appi >"$tmp/full" 2>/dev/null
full=$(grep -c "^[a-z]*  jp-appi  " "$tmp/full")
if [ "$full" -eq "$lines" ]; then pass "--brief lists every item of the full list"; else fail "--brief" "$lines lines, the full list has $full items"; fi

# ---- progress and colour: stderr only on a terminal
"$xb" check "$model" --rules "$rules" --at 2024-06-01 >/dev/null 2>"$tmp/err"
if [ -s "$tmp/err" ]; then fail "no progress off a terminal" "stderr: $(head -c 200 "$tmp/err")"; else pass "no progress when stderr is not a terminal"; fi
# script(1) runs the command on a pseudo-terminal; its output is what the terminal showed.
on_terminal() { script -qec "$1" /dev/null 2>/dev/null; }
on_terminal "'$xb' validate '$model' --rules '$rules'" >"$tmp/tty"
if grep -q "xborder: loading the model" "$tmp/tty"; then pass "progress line on a terminal"; else fail "progress on a terminal" "none: $(head -c 200 "$tmp/tty")"; fi
on_terminal "'$xb' validate '$model' --rules '$rules' --quiet" >"$tmp/tty"
if grep -q "xborder: loading" "$tmp/tty"; then fail "--quiet" "a progress line"; else pass "--quiet silences the progress line"; fi
esc=$(printf '\033')
on_terminal "'$xb' frobnicate" >"$tmp/tty"
if grep -q "${esc}\[1;31merror:" "$tmp/tty"; then pass "colour on a terminal"; else fail "colour on a terminal" "none: $(head -c 200 "$tmp/tty")"; fi
NO_COLOR=1 on_terminal "'$xb' frobnicate" >"$tmp/tty"
if grep -q "${esc}\[1;31m" "$tmp/tty"; then fail "NO_COLOR" "colour anyway"; elif grep -q "^error: unknown command" "$tmp/tty"; then pass "NO_COLOR: no colour"; else fail "NO_COLOR" "$(head -c 200 "$tmp/tty")"; fi
"$xb" frobnicate 2>"$tmp/err"
if grep -q "$esc" "$tmp/err"; then fail "no colour off a terminal" "escape on stderr"; else pass "no colour off a terminal"; fi

cli_summary
