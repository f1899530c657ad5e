#!/usr/bin/env bash
# The main job on the demo estate, on a throwaway clone of a throwaway remote, so this repository is untouched:
#   validate everything and show the change calendar;
#   an engineer writes a NEW change with `changeops new` on a branch; the pull-request gate refuses it
#   (no approvals), the demo customer and provider approvers sign it with the demo keys, the gate passes;
#   start the device lab, preview the change (`run --check`, task by task) and run it (completed);
#   an emergency fix that takes down an uplink: its preview shows the diff, the run fails verification
#   and is rolled back (rolled-back); show the committed run records and a device transcript;
#   build the published site from the result and print where it is. The lab is stopped at the end.
# Run through `make demo`, which installs everything first. DEMO_SITE_DIR: where the site goes (default site/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$repo/.venv/bin/changeops" ] && PATH="$repo/.venv/bin:$PATH"
export NO_MKDOCS_2_WARNING=1
site=${DEMO_SITE_DIR:-$repo/site}
work=$(mktemp -d "${TMPDIR:-/tmp}/changeops-demo.XXXXXX")
estate="$work/estate"
cleanup() { (cd "$estate" 2>/dev/null && changeops lab down >/dev/null 2>&1) || true; rm -rf "$work"; }
trap cleanup EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf '\033[31mdemo failed: %s\033[0m\n' "$*" >&2; exit 1; }

# Run a command that must end with a given exit code (1: findings or refused): anything else stops the demo.
expect_exit() {
    local wanted=$1 code=0; shift
    "$@" || code=$?
    [ "$code" -eq "$wanted" ] || fail "'$*' exited $code, expected $wanted"
    echo "(exit $code, as expected)"
}

# A change's derived state must be the one named (exit 1 of a run alone could also mean it was refused).
expect_state() {
    local state
    state=$(changeops runs "$1" | tail -1)
    [ "$state" = "state: $2" ] || fail "$1: $state, expected state: $2"
}

# Replace "TODO: <what>" placeholders of a record, as the engineer does in an editor: each argument is what=value.
fill() {
    local file=$1 text pair; shift
    text=$(<"$file")
    for pair in "$@"; do text=${text//"\"TODO: ${pair%%=*}\""/${pair#*=}}; done
    printf '%s\n' "$text" > "$file"
}

NEW=CHG-20261210-core-smu-bgp
SMU=asr1000-universalk9.17.09.04a.CSCwm40711.SPA.smu.bin
SMU_MD5=9d1c5e07a4b2f8e631d0c7ab54e2f91c
FIX=CHG-20261120-dl-edge-uplink-fix

step "validate the whole estate"
changeops validate --repo "$repo"

step "change calendar, December 2026"
changeops calendar --repo "$repo" --from 2026-12-01 --to 2026-12-31

step "an engineer writes a new change on a branch, in a throwaway clone of a throwaway remote ($work)"
git clone -q --bare "$repo" "$work/remote.git"
# The remote's main is this repository's current commit, whichever branch it is on.
git --git-dir="$work/remote.git" update-ref refs/heads/main "$(git -C "$repo" rev-parse HEAD)"
git --git-dir="$work/remote.git" symbolic-ref HEAD refs/heads/main
git clone -q "$work/remote.git" "$estate"
cd "$estate"
git config user.name "Zhao Min"
git config user.email zhaomin@netops.example.com
git checkout -q -b "add-$NEW"
changeops new patch --id "$NEW" --targets sy-dc1-core-r1,sy-dc1-core-r2 --window 2026-12-10T00:30+08:00/2026-12-10T04:30+08:00 \
    --title "BGP SMU on the Shenyang DC1 core routers"
expect_exit 1 changeops validate "changes/$NEW" --format json >/dev/null
echo "the new record has $(grep -c '"TODO: ' "changes/$NEW/change.yaml") placeholders; the engineer fills them in"
fill "changes/$NEW/change.yaml" \
    '标题（客户看到的变更名称）="沈阳一号数据中心核心路由器 BGP 缺陷补丁加载"' \
    'person id of who asked for the change (policies/approvers.yml)=wangjg' \
    'person id of the engineer carrying out the change=zhaomin' \
    'what could go wrong and how likely it is="Activating the SMU reloads each router; its peer carries the traffic."' \
    '用户可感知的影响="每台路由器重启期间流量经对端转发，收敛时可能有 1–3 秒丢包。"' \
    "what the customer's users will notice=\"1-3 s of packet loss while each router's peer takes over.\"" \
    'when the customer was told, e.g. 2026-12-01T10:00:00+08:00=2026-11-30T10:00:00+08:00' \
    'customer contact notified="王建国 <wangjg@lnpdn.example.cn>"' \
    "patch file on flash=$SMU" \
    "vendor MD5=\"$SMU_MD5\"" \
    'when the change is rolled back and how, e.g. verification fails in 30 min={zh: "验证不通过时立即去激活并删除补丁（重启）。", en: "If verification fails, deactivate and remove the SMU (reload)."}' \
    'vendor advisory or CVE ID, e.g. cisco-sa-20260924-iosxe-snmp=cisco-sa-bgp-evpn-dos-2026-Kx7Pq' \
    'what the patch changes="Fixes a BGP crash on a malformed UPDATE."' \
    "why this customer needs it=\"The core routers peer with the carrier over eBGP; 17.09.04a is affected.\"" \
    "patch file name on flash=$SMU" \
    "md5:<32 hex> or sha512:<128 hex> from the vendor=\"md5:$SMU_MD5\"" \
    'YYYY-MM-DD of the lab test=2026-11-25' \
    'where it was tested="沈阳测试实验室 ASR1002-HX 测试床"' \
    'what was tested and what was seen="Install, activate, commit and rollback twice; BGP sessions recovered."' \
    'what the customer must prepare (staff on site, traffic switched, ...)={zh: "请值班室在窗口期间安排人员值守。", en: "Keep the duty office staffed during the window."}'
changeops validate "changes/$NEW"
git add changes && git commit -qm "Add $NEW"

step "the pull-request gate refuses it: no approvals yet"
expect_exit 1 changeops check --base origin/main

step "the customer (chenjing) and the provider (lihaitao) approve with the demo keys, as the clone checked them out"
ls -l demo/approver-keys/chenjing
changeops approve "$NEW" --key demo/approver-keys/chenjing --comment "同意按计划实施"
changeops approve "$NEW" --key demo/approver-keys/lihaitao
git add changes && git commit -qm "Approve $NEW"
changeops approvals "$NEW"

step "the pull-request gate passes; its pull-request comment"
changeops check --base origin/main --format markdown

step "merge, start the device lab and put the SMU on the core routers' flash"
git checkout -q main && git merge -q --ff-only "add-$NEW" && git push -q origin main
changeops lab up --reload-seconds 2
for host in sy-dc1-core-r1 sy-dc1-core-r2; do
    changeops lab flash "$host" "$SMU" --md5 "$SMU_MD5"
done

step "preview $NEW in check mode: what each task would do, and what only the real run can"
changeops run "$NEW" --check --inventory .lab/inventory.yml

step "run $NEW inside its window (the clock set to 2026-12-10 01:00 +08:00): completed"
changeops run "$NEW" --inventory .lab/inventory.yml --at 2026-12-10T01:00:00+08:00
expect_state "$NEW" completed

step "an emergency fix that shuts the Dalian uplink by mistake"
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
# sunlei carries it out, so the provider's approval is lihaitao's; a high risk also needs the customer's
# change manager (wangjg).
changeops approve "$FIX" --key demo/approver-keys/lihaitao --comment "emergency: provider approval before the run"
changeops approve "$FIX" --key demo/approver-keys/wangjg --comment "紧急变更，同意实施"
git add changes && git commit -qm "Approve $FIX" && git push -q origin main

step "its preview shows the diff: the fix would shut GigabitEthernet0/0/1"
changeops run "$FIX" --check --inventory .lab/inventory.yml

step "run it anyway: verification fails, the rollback restores the configuration (exit 1: rolled back)"
expect_exit 1 changeops run "$FIX" --inventory .lab/inventory.yml --at 2026-11-20T05:10:00+08:00
expect_state "$FIX" rolled-back

step "what was committed back and pushed"
changeops runs "$NEW"
changeops runs "$FIX"
git --git-dir="$work/remote.git" log --format='%h %s%n%(trailers:only,unfold)' -2
transcript=$(find "changes/$NEW/runs" -path '*/hosts/sy-dc1-core-r1.log' | head -1)
[ -n "$transcript" ] || fail "no transcript of sy-dc1-core-r1 in changes/$NEW/runs"
echo "--- $transcript: each task and every command sent (the answers are in the file too)"
awk '/^[0-9:.]+ (TASK|>)/ && !/> (terminal|enable|show privilege|\*+$)/ { print; if (++shown == 40) exit }' "$transcript"

step "the published site, built from the result"
changeops lab down >/dev/null
rm -rf "$site"
mkdocs build --strict --quiet --site-dir "$site"
for page in index.html "changes/$NEW/index.html" "changes/$FIX/index.html"; do
    [ -f "$site/$page" ] || fail "the site has no $page"
done
echo "site: $site/index.html (open it in a browser, or: python3 -m http.server -d $site)"
