# Sourced by the CLI tests that validate JSON against a schema. Sets `python` to an interpreter
# with the jsonschema module, or exits 2 naming the caller ($1). Debian's python3-jsonschema
# (scripts/setup --test) lives under /usr/bin/python3; a python3 earlier in PATH (pyenv, venv)
# may lack it.
find_jsonschema_python() {
  python=""
  for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c 'import jsonschema' >/dev/null 2>&1; then
      python=$candidate
      return 0
    fi
  done
  echo "$1: no python3 with the jsonschema module (install python3-jsonschema: scripts/setup --test)" >&2
  exit 2
}
