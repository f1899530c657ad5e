#!/usr/bin/env bash
# Install what changeops needs on a fresh Debian machine (Python >= 3.11 with pip), into $PYTHON (python3 by default,
# a venv's python works too).
#   scripts/setup.sh          changeops with Ansible and the collections (cisco.ios, ansible.netcommon, ...), and the
#                             device lab (tooling/changeops_lab, a distribution of its own) that the demo runs against
#   scripts/setup.sh test     also pytest, OpenSSH's sshd for the lab's Linux hosts, and Chromium for the site's browser test
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
extra=ansible
[ "${1:-}" = test ] && extra=test

packages=()
command -v ssh-keygen >/dev/null || packages+=(openssh-client)     # approvals are signed and verified with it
command -v git >/dev/null || packages+=(git)
if [ "${1:-}" = test ]; then
    [ -x /usr/sbin/sshd ] || packages+=(openssh-server)             # the lab's Linux hosts
    [ -x /usr/bin/chromedriver ] || packages+=(chromium chromium-driver)   # the site's browser test
fi
if [ ${#packages[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# One pip call for both, so the lab's requirement on changeops is met by this checkout, not by an index.
"$python" -m pip install --quiet --disable-pip-version-check -e ".[$extra]" -e tooling/changeops_lab
