#!/usr/bin/env bash
# The main job on the demo estate, on a throwaway clone so the repository itself is untouched:
# validate everything, show the change calendar, then take the SNMP patch through its
# pull request: check without approvals (refused), approve with the demo keys, check again.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/changeops-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "validate the whole estate"
changeops validate --repo "$repo"

step "change calendar, next 60 days from 2026-12-01"
changeops calendar --repo "$repo" --from 2026-12-01 --to 2027-01-30

step "a pull request for CHG-20261208-core-smu-snmp, on a throwaway clone in $work"
git clone -q "$repo" "$work/estate"
cd "$work/estate"
git -c user.name="Li Haitao" -c user.email=lihaitao@netops.example.com checkout -q -b demo-pr
changeops show CHG-20261208-core-smu-snmp

step "the pull-request gate before approval (refused: no quorum)"
changeops check --base main || true

step "customer (chenjing) and provider (lihaitao) approve with the demo keys"
cp -r "$repo/demo/approver-keys" "$work/keys" && chmod 600 "$work"/keys/*
changeops approve CHG-20261208-core-smu-snmp --key "$work/keys/chenjing" --comment "同意按计划实施"
changeops approve CHG-20261208-core-smu-snmp --key "$work/keys/lihaitao"
git add changes && git -c user.name="Li Haitao" -c user.email=lihaitao@netops.example.com commit -qm "Approve CHG-20261208-core-smu-snmp"
changeops approvals CHG-20261208-core-smu-snmp

step "the pull-request gate after approval, as the pull-request comment"
changeops check --base main --format markdown
