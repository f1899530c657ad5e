#!/usr/bin/env bash
# Prove the README's two commands on a fresh clone with the system's own Python (Debian's /usr/bin/python3,
# externally managed): clone the committed HEAD into a temporary folder, run `make demo` and `make test`
# there, and print how long each took.
#   scripts/fresh-clone-check.sh                        both commands, the whole test suite
#   scripts/fresh-clone-check.sh tests/unit/test_cli.py  `make test` runs only these pytest arguments
# FRESH_PYTHON picks another interpreter; KEEP=1 keeps the clone for a look afterwards.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${FRESH_PYTHON:-/usr/bin/python3}
[ -x "$python" ] || { echo "fresh-clone-check: $python is missing (apt-get install python3 python3-venv)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/changeops-fresh.XXXXXX")
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/clone"
cd "$work/clone"
echo "fresh clone of $(git rev-parse --short HEAD) in $work/clone, with $("$python" --version) ($python)"

# A clean environment: no activated venv and no PYTHONPATH from the caller may help the commands.
run_timed() {
    local name=$1; shift
    local start=$SECONDS
    env -u VIRTUAL_ENV -u PYTHONPATH "$@"
    timings+=("$name $((SECONDS - start)) s")
}
timings=()
run_timed "make demo" make demo PYTHON="$python"
run_timed "make test" make test PYTHON="$python" PYTEST_ARGS="$*"

echo
echo "== fresh-clone check passed"
printf '   %s\n' "${timings[@]}"
