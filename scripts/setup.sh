#!/usr/bin/env bash
# Install what changeops needs on a fresh Debian machine (Python >= 3.11 with pip).
#   scripts/setup.sh          the package with Ansible and the collections (cisco.ios, ansible.netcommon, ...)
#   scripts/setup.sh test     also pytest, OpenSSH's sshd for the lab's Linux hosts, and Chromium for the site's browser test
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
extra=ansible
[ "${1:-}" = test ] && extra=test

if [ "${1:-}" = test ] && { [ ! -x /usr/sbin/sshd ] || [ ! -x /usr/bin/chromedriver ]; }; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openssh-server openssh-client \
        chromium chromium-driver >/dev/null
fi

"$python" -m pip install --quiet --disable-pip-version-check -e ".[$extra]"
