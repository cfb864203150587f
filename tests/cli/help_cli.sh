#!/bin/sh
# `xborder --help` and every command's `--help` against their golden files in tests/cli/help/
# (NAME.txt: `global`, `check`, `rules-list` for `xborder rules list --help`), and every command
# the global help lists has its golden file. XBORDER_UPDATE_GOLDEN=1 rewrites the files instead
# (read the diff before committing).
# usage: help_cli.sh XBORDER GOLDEN_DIR
set -u
xb=${1:?usage: help_cli.sh XBORDER GOLDEN_DIR}
golden=${2:?usage: help_cli.sh XBORDER GOLDEN_DIR}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xborder-help.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# The commands the global help lists, and the nested ones of each (`rules list`): one golden each.
"$xb" --help >"$tmp/global" 2>"$tmp/err" || fail "xborder --help" "exit $?"
commands=$(awk '/^Subcommands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }' "$tmp/global")
[ -n "$commands" ] || fail "global help lists the commands" "no Subcommands section"
names="global"
for c in $commands; do
  names="$names $c"
  "$xb" "$c" --help >"$tmp/sub" 2>/dev/null
  for n in $(awk '/^Subcommands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }' "$tmp/sub"); do
    names="$names $c-$n"
  done
done

for name in $names; do
  if [ "$name" = global ]; then set -- --help; else set -- $(echo "$name" | tr '-' ' ') --help; fi
  "$xb" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ "$rc" -ne 0 ]; then fail "xborder $* " "exit $rc: $(head -c 300 "$tmp/err")"; continue; fi
  if [ -s "$tmp/err" ]; then fail "xborder $*" "stderr is not empty"; continue; fi
  if [ "${XBORDER_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$tmp/out" "$golden/$name.txt" && pass "wrote $golden/$name.txt"
  elif [ ! -f "$golden/$name.txt" ]; then
    fail "xborder $*" "no golden file $golden/$name.txt (XBORDER_UPDATE_GOLDEN=1 writes it)"
  elif diff -u "$golden/$name.txt" "$tmp/out" >"$tmp/diff"; then
    pass "xborder $* matches $name.txt"
  else
    fail "xborder $*" "differs from $name.txt:
$(head -40 "$tmp/diff")"
  fi
done

# A golden file without a command is a command that went away: say so.
for f in "$golden"/*.txt; do
  [ -e "$f" ] || continue
  n=$(basename "$f" .txt)
  case " $names " in *" $n "*) ;; *) fail "golden $n.txt" "no such command any more" ;; esac
done

# Each command's help shows its example and the defaults of options that have one.
for c in $commands; do
  "$xb" "$c" --help >"$tmp/out" 2>&1
  if grep -A1 "^example:" "$tmp/out" | grep -q "xborder $c"; then pass "$c --help has an example"; else fail "$c --help" "no example"; fi
done
"$xb" check --help >"$tmp/out"
if grep -q -- "--format text|json .*(default: text)" "$tmp/out"; then pass "check --help shows --format's default"; else fail "check --help" "no default for --format"; fi

# `xborder help COMMAND` is `xborder COMMAND --help`; --version and -h answer with exit 0.
"$xb" help check >"$tmp/a" 2>&1 && "$xb" check --help >"$tmp/b" 2>&1 && cmp -s "$tmp/a" "$tmp/b" \
  && pass "help check = check --help" || fail "help check" "differs from check --help"
"$xb" --version >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -q "^xborder .* (check output schema " "$tmp/out"; then pass "--version"; else fail "--version" "$(cat "$tmp/out")"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
