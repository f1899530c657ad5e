#!/usr/bin/env bash
# Install what changeops needs on a stock Debian 12 / Ubuntu 24.04, into the project's virtualenv .venv/.
#   scripts/setup.sh demo   system: git, openssh-client, openssh-server (the lab's Linux hosts);
#                           .venv: changeops with Ansible and the collections, mkdocs (the site), and the
#                           device lab (tooling/changeops_lab, a distribution of its own) the demo runs against
#   scripts/setup.sh test   also system: chromium, chromium-driver, fonts-noto-cjk (the site's browser test);
#                           .venv: pytest and selenium
# System packages come from apt, as root or through sudo; Python packages only ever go into .venv/,
# so Debian's own Python (externally managed, PEP 668) is never touched. PYTHON picks the interpreter
# that creates .venv (default python3, 3.11 or newer). A second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=${1:-demo}
case "$purpose" in
    demo) extra="ansible,site"; system=(git openssh-client openssh-server) ;;
    test) extra="test"; system=(git openssh-client openssh-server chromium chromium-driver fonts-noto-cjk) ;;
    *) echo "usage: scripts/setup.sh [demo|test]" >&2; exit 2 ;;
esac
python=${PYTHON:-python3}
venv=.venv

missing_packages() {
    local package
    command -v dpkg-query >/dev/null || { printf '%s\n' "$@"; return; }
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
    done
}

apt_install() {
    [ $# -gt 0 ] || return 0
    if ! command -v apt-get >/dev/null; then
        echo "setup: not a Debian or Ubuntu system; install these (or their equivalents) yourself: $*" >&2
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "setup: need root or sudo to install: $*" >&2; exit 1; }
        sudo=sudo
    fi
    echo "setup: apt-get install $*"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# python3-venv is what makes `python3 -m venv` work on Debian: without it ensurepip is missing.
venv_support=()
"$python" -c 'import ensurepip, venv' 2>/dev/null || venv_support=(python3-venv)
mapfile -t wanted < <(missing_packages "${system[@]}")
apt_install "${venv_support[@]}" "${wanted[@]}"

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "setup: changeops needs Python 3.11 or newer; $python is $("$python" --version)" >&2; exit 1; }
# A .venv left without pip (made before python3-venv was installed) is made again.
if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
fi

# Reinstall only when the dependencies changed: the stamp holds a digest of both pyproject.toml per extra.
stamp="$venv/.installed-$extra"
digest=$(cat pyproject.toml tooling/changeops_lab/pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
    echo "setup: pip install -e '.[$extra]' -e tooling/changeops_lab into $venv"
    # One pip call for both, so the lab's requirement on changeops is met by this checkout, not by an index.
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$extra]" -e tooling/changeops_lab
    echo "$digest" > "$stamp"
fi
