#!/usr/bin/env bash
# The main job on the demo estate, on a throwaway clone so this repository is untouched:
#   validate everything and show the change calendar;
#   take the SNMP patch through its pull request: check refuses it without approvals, the demo
#   approvers sign it, check passes;
#   start the device lab and run the patch (completed), then an emergency fix that takes down an
#   uplink, fails verification and is rolled back; show the committed run records; stop the lab.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/changeops-demo.XXXXXX")
estate="$work/estate"
cleanup() { (cd "$estate" 2>/dev/null && changeops lab down >/dev/null 2>&1) || true; rm -rf "$work"; }
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
PATCH=CHG-20261208-core-smu-snmp
FIX=CHG-20261120-dl-edge-uplink-fix

step "validate the whole estate"
changeops validate --repo "$repo"

step "change calendar, December 2026 to January 2027"
changeops calendar --repo "$repo" --from 2026-12-01 --to 2027-01-31

step "a pull request for $PATCH, on a throwaway clone of a throwaway remote in $work"
git clone -q --bare "$repo" "$work/remote.git"
git clone -q "$work/remote.git" "$estate"
cd "$estate"
git config user.name "Li Haitao"
git config user.email lihaitao@netops.example.com
git checkout -q -b "approve-$PATCH"
cp -r "$repo/demo/approver-keys" "$work/keys" && chmod 600 "$work"/keys/*
changeops show "$PATCH"

step "the pull-request gate before approval (refused: no quorum)"
changeops check --base origin/main || true

step "the customer (chenjing) and the provider (lihaitao) approve with the demo keys"
changeops approve "$PATCH" --key "$work/keys/chenjing" --comment "同意按计划实施"
changeops approve "$PATCH" --key "$work/keys/lihaitao"
git add changes && git commit -qm "Approve $PATCH"
changeops approvals "$PATCH"

step "the pull-request gate after approval, as the pull-request comment"
changeops check --base origin/main --format markdown

step "merge, start the device lab and put the SMU on the core routers' flash"
git checkout -q main && git merge -q --ff-only "approve-$PATCH" && git push -q origin main
changeops lab up --reload-seconds 2
for host in sy-dc1-core-r1 sy-dc1-core-r2; do
    changeops lab flash "$host" asr1000-universalk9.17.09.04a.CSCwk63254.SPA.smu.bin --md5 4f0b3c2e9a7d61b85c3e0f12d9a4b7e6
done

step "run the patch inside its window (the clock set to 2026-12-08 01:00 +08:00)"
changeops run "$PATCH" --inventory .lab/inventory.yml --at 2026-12-08T01:00:00+08:00

step "an emergency fix that shuts the Dalian uplink by mistake: verification fails, rollback restores it"
mkdir "changes/$FIX"
sed -e "s/^id: .*/id: $FIX/" \
    -e 's/  start: 2026-11-20T02:30:00+08:00/  start: 2026-11-20T05:00:00+08:00/' \
    -e 's/  end: 2026-11-20T04:00:00+08:00/  end: 2026-11-20T06:00:00+08:00/' \
    -e 's/      - ip route 10.20.0.0 255.255.0.0 10.20.0.6 250 name SY-BYPASS-VIA-DCI/      - shutdown\n    fix_parents:\n      - interface GigabitEthernet0\/0\/1/' \
    -e 's/    ping_targets:/    expected_up_interfaces: [GigabitEthernet0\/0\/1]\n    ping_targets:/' \
    changes/CHG-20261120-dl-edge-route-fix/change.yaml > "changes/$FIX/change.yaml"
cp changes/CHG-20261120-dl-edge-route-fix/fault-report.yaml "changes/$FIX/"
changeops validate "changes/$FIX"
git add changes && git commit -qm "Add $FIX"
changeops approve "$FIX" --key "$work/keys/sunlei" --comment "emergency: provider approval before the run"
git add changes && git commit -qm "Approve $FIX" && git push -q origin main
changeops run "$FIX" --inventory .lab/inventory.yml --at 2026-11-20T05:10:00+08:00 || true

step "what was committed back and pushed"
changeops runs "$PATCH"
changeops runs "$FIX"
git --git-dir="$work/remote.git" log --format='%h %s%n%(trailers:only,unfold)' -2
transcript=$(ls changes/$PATCH/runs/*/hosts/sy-dc1-core-r1.log | head -1)
echo "--- $transcript (first 40 lines)"
head -40 "$transcript"
