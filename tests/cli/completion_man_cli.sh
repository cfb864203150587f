#!/bin/bash
# The completion scripts and the man page are made from the commands' declarations: every option
# of every command's --help is in each, bash loads its script and completes commands, options and
# option values, zsh parses its script (when zsh is installed), and the man page renders without
# warnings (when groff is installed).
# usage: completion_man_cli.sh XBORDER MAN_PAGE
set -u
xb=${1:?usage: completion_man_cli.sh XBORDER MAN_PAGE}
man_page=${2:?usage: completion_man_cli.sh XBORDER MAN_PAGE}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xborder-completion.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

"$xb" completion bash >"$tmp/xborder.bash" || fail "completion bash" "exit $?"
"$xb" completion zsh >"$tmp/_xborder" || fail "completion zsh" "exit $?"
"$xb" completion fish >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "bash or zsh" "$tmp/err" && pass "completion fish is refused" || fail "completion fish" "$(cat "$tmp/err")"

# ---- bash: the script loads, registers a completion, and completes.
if out=$(bash -c "source '$tmp/xborder.bash' && complete -p xborder" 2>&1) && [[ "$out" == *"-F _xborder"*"xborder" ]]; then
  pass "bash: complete -p xborder ($out)"
else
  fail "bash: complete -p xborder" "$out"
fi
# complete WORDS…: what bash offers for the last word (which may be empty).
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _xborder; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$tmp/xborder.bash" "$@"
}
expect_completion() {  # name, expected words (space-separated, sorted), words…
  name=$1
  want=$2
  shift 2
  got=$(complete_words "$@" | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$got" = "$want" ]; then pass "bash: $name"; else fail "bash: $name" "got [$got], wanted [$want]"; fi
}
expect_completion "commands" "check compare completion" xborder c
expect_completion "rules commands" "lint list" xborder rules l
expect_completion "check options" "--format" xborder check m.json --for
expect_completion "--format values" "json text" xborder check m.json --format ''
expect_completion "report --format values" "appi-notice csv dpv html json md sarif tia" xborder report m.json --format ''
expect_completion "nested options" "--brief" xborder rules list --br
expect_completion "--error-format values" "human json" xborder simulate s.json --error-format ''
mkdir -p "$tmp/dir/sub" && touch "$tmp/dir/model.json"
expect_completion "--rules completes directories" "$tmp/dir/sub" xborder check m.json --rules "$tmp/dir/s"
expect_completion "the model is a file" "$tmp/dir/model.json" xborder check "$tmp/dir/m"
expect_completion "after a flag, the model is a file" "$tmp/dir/model.json" xborder check --all "$tmp/dir/m"

# ---- every option of every command's --help is in both scripts and in the man page.
if command -v groff >/dev/null 2>&1; then
  if groff -man -Tutf8 -ww -z "$man_page" 2>"$tmp/groff-warnings" && [ ! -s "$tmp/groff-warnings" ]; then
    pass "man page renders without warnings"
  else
    fail "man page" "groff: $(head -5 "$tmp/groff-warnings")"
  fi
  groff -man -Tutf8 -P-cbou "$man_page" >"$tmp/man.txt" 2>/dev/null
elif command -v man >/dev/null 2>&1; then
  MANWIDTH=100 man -l "$man_page" >"$tmp/man.txt" 2>/dev/null
else
  echo "skip rendering the man page: neither groff nor man is installed"
  sed 's/\\-/-/g' "$man_page" >"$tmp/man.txt"
fi
grep -q "^NAME" "$tmp/man.txt" && pass "man page has NAME" || fail "man page" "no NAME section: $(head -5 "$tmp/man.txt")"
grep -q "EXIT STATUS" "$tmp/man.txt" && pass "man page has EXIT STATUS" || fail "man page" "no EXIT STATUS"
"$xb" help-man >"$tmp/xborder.1"
cmp -s "$tmp/xborder.1" "$man_page" && pass "the built man page is what help-man writes" || fail "built man page" "differs from help-man's: rebuild"

commands=$("$xb" --help | awk '/^Subcommands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')
checked=0
for c in $commands; do
  nested=$("$xb" "$c" --help | awk '/^Subcommands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')
  paths=$c
  [ -n "$nested" ] && paths=$(for n in $nested; do echo "$c:$n"; done)
  for p in $paths; do
    "$xb" $(echo "$p" | tr ':' ' ') --help >"$tmp/help"
    grep -q "xborder $(echo "$p" | tr ':' ' ')" "$tmp/man.txt" || fail "man page" "no section for \`xborder $(echo "$p" | tr ':' ' ')\`"
    for option in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
      [ "$option" = --help ] && continue
      checked=$((checked + 1))
      grep -q -- "$option" "$tmp/xborder.bash" || fail "bash completion" "\`$p $option\` is missing"
      grep -q -- "'\*\?$option\[" "$tmp/_xborder" || fail "zsh completion" "\`$p $option\` is missing"
      grep -q -- "$option" "$tmp/man.txt" || fail "man page" "\`$p $option\` is missing"
    done
  done
done
if [ "$checked" -gt 50 ]; then pass "$checked options of every command are in the completions and the man page"; else fail "options" "only $checked found in the --help texts"; fi

# ---- zsh: the script parses.
if command -v zsh >/dev/null 2>&1; then
  if zsh -n "$tmp/_xborder" 2>"$tmp/err"; then pass "zsh -n parses the zsh script"; else fail "zsh -n" "$(head -5 "$tmp/err")"; fi
else
  echo "skip zsh -n: zsh is not installed (the checks above read the zsh script as text)"
fi
grep -q "^#compdef xborder" "$tmp/_xborder" && pass "zsh script starts with #compdef" || fail "zsh script" "no #compdef"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
