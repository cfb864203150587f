# Shared by the CLI test scripts (sourced, POSIX sh): a temporary directory removed on exit, the
# pass/fail counters and their summary, and one way to run xborder and look at what it said.
# The sourcing script sets `xb` (the xborder executable) first.

# cli_setup NAME: $tmp (removed on exit), passed=0, failed=0.
cli_setup() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/xborder-$1.XXXXXX") || exit 2
  trap 'rm -rf "$tmp"' EXIT INT TERM
  passed=0
  failed=0
}
pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
# The last line of a script: the counts, and its exit status.
cli_summary() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# xb_expect NAME EXIT STDIN WHERE NEEDLE… -- ARGS: runs xborder ARGS with STDIN (a file, or
# /dev/null), keeping stdout in $tmp/out and stderr in $tmp/err; passes when the exit code is EXIT
# and every needle is in WHERE (`err`: stderr; `any`: stderr or stdout).
xb_expect() {
  name=$1
  want=$2
  input=$3
  where=$4
  shift 4
  needles=""
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    needles="$needles
$1"
    shift
  done
  shift
  "$xb" "$@" >"$tmp/out" 2>"$tmp/err" <"$input"
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name" "exit $rc, expected $want (stderr: $(head -c 400 "$tmp/err"))"
    return
  fi
  files="$tmp/err"
  [ "$where" = any ] && files="$tmp/err $tmp/out"
  old_ifs=$IFS
  IFS='
'
  for n in $needles; do
    [ -z "$n" ] && continue
    # shellcheck disable=SC2086 # $files is one or two paths without spaces (mktemp)
    if ! (IFS=' ' && grep -F -q -- "$n" $files); then
      IFS=$old_ifs
      fail "$name" "output lacks [$n]: $(head -c 400 "$tmp/err")"
      return
    fi
  done
  IFS=$old_ifs
  pass "$name"
}
