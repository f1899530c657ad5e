"""A copy of the demo estate with run records, a broken record and a fixed "today", and its built site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from changeops.publish.rendering import page_url
from demo_keys import demo_key

REPO = Path(__file__).resolve().parents[2]
PATCH = "CHG-20261208-core-smu-snmp"
DRILL = "CHG-20261215-core-failover-drill"
EMERGENCY = "CHG-20261120-dl-edge-route-fix"
BROKEN = "CHG-20261230-broken-record"
PATCH_RUN = "20261207T163200Z-a1b2c3"
SECRET = "S3cretCommunity"
SITE_NAME = "辽宁省数据网络中心 网络运维 · changeops"
"""The demo's site_name in mkdocs.yml: the customer's language, as every label of the site."""
APPROVERS = ("liuyang", "sunlei")  # a customer and a provider approver of the demo, keys in demo/approver-keys/

SUMMARY = f"""\
run: {PATCH_RUN}
change: {PATCH}
started: 2026-12-07T16:32:00Z
finished: 2026-12-07T18:05:41Z
result: completed
stages:
  - name: precheck
    started: 2026-12-07T16:32:00Z
    finished: 2026-12-07T16:33:10Z
    hosts: {{sy-dc1-core-r1: ok, sy-dc1-core-r2: ok}}
  - name: backup
    started: 2026-12-07T16:33:10Z
    finished: 2026-12-07T16:34:02Z
    hosts: {{sy-dc1-core-r1: ok, sy-dc1-core-r2: ok}}
  - name: implementation
    started: 2026-12-07T16:34:02Z
    finished: 2026-12-07T18:01:30Z
    hosts: {{sy-dc1-core-r1: ok, sy-dc1-core-r2: ok}}
  - name: verification
    started: 2026-12-07T18:01:30Z
    finished: 2026-12-07T18:05:41Z
    hosts: {{sy-dc1-core-r1: ok, sy-dc1-core-r2: ok}}
plan_digest: sha256:0f3c2a9d8e7b6a5f4e3d2c1b0a998877665544332211ffeeddccbbaa00112233
versions: {{changeops: 0.1.0, ansible-core: 2.19.4}}
"""
TRANSCRIPT = f"""\
2026-12-08 00:34:05 +0800  implementation  TASK [Install the SMU]
  sent:     install add file bootflash:asr1000-universalk9.17.09.04a.CSCwk63254.SPA.smu.bin activate commit
  received: install_add_activate_commit: START Tue Dec  8 00:34:06 CST 2026
  received: SUCCESS: install_add_activate_commit
2026-12-08 00:47:12 +0800  verification  TASK [Check the version]
  sent:     show version | include Cisco IOS XE Software
  received: Cisco IOS XE Software, Version 17.09.04a
  sent:     snmp-server community {SECRET} RO
"""
FAULT_PARTS = """\
parts:
  - item: SFP-10G-LR
    reason:
      zh: 大连节点上联光模块收光异常，现场更换。
      en: The Dalian POP uplink optic read low light and was replaced on site.
    replaced: 2026-11-20T03:40:00+08:00
    serial_removed: FNS21450ABC
    serial_fitted: FNS22190XYZ
"""
"""A spare part fitted during the emergency (the demo's fault report names none)."""
APPROVAL_COMMENT = "同意按计划实施 / agreed as planned"
BACKUP = f"hostname sy-dc1-core-r1\nenable secret 9 $9$Xk2wq{SECRET}\nsnmp-server community {SECRET} RO\n"


def site_copy(target: Path, *, today: str = "2026-12-01", language: str | None = None,
              runbook_reviewed: str | None = None) -> Path:
    """The demo estate at ``target``, with a patch run, a drill run and a record that does not validate."""
    from conftest import copy_estate

    copy_estate(target)
    (target / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - changeops\n", f"  - changeops:\n      today: \"{today}\"\n"), encoding="utf-8")
    run = target / "changes" / PATCH / "runs" / PATCH_RUN
    (run / "hosts").mkdir(parents=True)
    (run / "backups").mkdir()
    (run / "summary.yaml").write_text(SUMMARY, encoding="utf-8")
    (run / "hosts/sy-dc1-core-r1.log").write_text(TRANSCRIPT, encoding="utf-8")
    (run / "backups/sy-dc1-core-r1.cfg").write_text(BACKUP, encoding="utf-8")
    (run / "events.jsonl").write_text('{"event": "playbook_on_start", "counter": 1}\n', encoding="utf-8")
    drill = target / "changes" / DRILL / "runs" / "20261214T170000Z-d4e5f6"
    drill.mkdir(parents=True)
    (drill / "summary.yaml").write_text(f"run: 20261214T170000Z-d4e5f6\nchange: {DRILL}\n"
                                        "result: completed\nstarted: 2026-12-14T17:00:00Z\n"
                                        "finished: 2026-12-14T17:40:00Z\n", encoding="utf-8")
    (drill / "drill.yaml").write_text("runbook: core-router-failure.md\nachieved_seconds: 95\n", encoding="utf-8")
    _approve(target, PATCH)
    report = target / "changes" / EMERGENCY / "fault-report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + FAULT_PARTS, encoding="utf-8")
    broken = target / "changes" / BROKEN / "change.yaml"
    broken.parent.mkdir()
    broken.write_text(f"id: {BROKEN}\ntype: patch\ntitle: half written\n", encoding="utf-8")
    if language:
        customers = target / "policies/customers.yml"
        customers.write_text(customers.read_text(encoding="utf-8").replace("language: zh", f"language: {language}"),
                             encoding="utf-8")
    if runbook_reviewed:
        runbook = target / "runbooks/device-move.md"
        text = runbook.read_text(encoding="utf-8")
        runbook.write_text(text.replace("last_reviewed: 2026-11-02", f"last_reviewed: {runbook_reviewed}"),
                           encoding="utf-8")
    return target


def _approve(estate: Path, change_id: str) -> None:
    """Signed approvals of ``change_id`` by the demo approvers, when the approvals package is installed."""
    try:
        import changeops.approvals  # noqa: F401 - only to know whether approving is possible
        from changeops.cli import main
    except ImportError:
        return
    for approver in APPROVERS:
        key = demo_key(approver)
        assert main(["approve", change_id, "--key", str(key), "--repo", str(estate),
                     "--comment", APPROVAL_COMMENT]) == 0


def build_site(estate: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of ``estate`` into ``estate/site``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(estate / "site")],
                          cwd=estate, capture_output=True, text=True, timeout=300, env=env)


def page(site: Path, src_uri: str) -> str:
    """The built HTML of the page made from ``src_uri``."""
    url = page_url(src_uri, directory_urls=True)
    return (site / (url + "index.html" if url.endswith("/") or not url else url)).read_text(encoding="utf-8")
