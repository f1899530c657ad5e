"""The customer documents meet the service plan's clauses, in the built site (``mkdocs build --strict``), for a
customer reading Chinese and one reading English: one test per clause, each reading the printed document."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from site_estate import APPROVAL_COMMENT, DRILL, EMERGENCY, PATCH, build_site, page, site_copy

pytestmark = pytest.mark.integration
PAST_DRILL = "CHG-20261105-core-r2-failover-drill"
UPGRADE = "CHG-20261210-dl-edge-upgrade"
MOVE = "CHG-20261217-acc-sw1-move"
RUN_EMERGENCY = "CHG-20261121-dl-edge-route-redo"
"""A second emergency, like the demo's, with a run whose transcript the fault report lists."""
BYPASS = "ip route 10.20.0.0 255.255.0.0 10.20.0.6 250 name SY-BYPASS-VIA-DCI"
COMMUNITY = "Cm9nityS3cret"
TRANSCRIPT = f"""\
== precheck: precheck.yml
02:31:00.100 TASK [Collect baseline show output]
02:31:00.120 > show version
02:31:00.130 < Cisco IOS XE Software, Version 17.09.04a
== implementation: emergency-config.yml
02:35:10.000 TASK [Apply the fix]
02:35:10.010 > configure terminal
02:35:10.020 > {BYPASS}
02:35:10.030 > snmp-server community {COMMUNITY} RO
02:35:10.040 > end
"""
RUN_SUMMARY = f"""\
run: 20261120T183000Z-0a1b2c
change: {RUN_EMERGENCY}
started: 2026-11-20T18:30:00Z
finished: 2026-11-20T18:42:00Z
result: completed
stages:
  - name: implementation
    started: 2026-11-20T18:35:00Z
    finished: 2026-11-20T18:40:00Z
    hosts: {{dl-pop1-edge-r1: ok}}
"""


@dataclass(frozen=True)
class Built:
    site: Path
    language: str

    def text(self, src: str) -> str:
        """What a reader sees of the page's article: tags stripped, whitespace folded."""
        html = page(self.site, src)
        article = html[html.find("<article"):html.find("</article>")]
        article = re.sub(r"<style[^>]*>.*?</style>", " ", article, flags=re.S)  # the print header's page rule
        return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", article)))

    def zh(self, zh: str, en: str) -> str:
        return zh if self.language == "zh" else en


def _emergency_with_run(estate: Path) -> None:
    source, folder = estate / "changes" / EMERGENCY, estate / "changes" / RUN_EMERGENCY
    shutil.copytree(source, folder)
    record = folder / "change.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(EMERGENCY, RUN_EMERGENCY)
                      .replace("2026-11-20T02:30:00+08:00", "2026-11-21T02:30:00+08:00")
                      .replace("2026-11-20T04:00:00+08:00", "2026-11-21T04:00:00+08:00"), encoding="utf-8")
    run = folder / "runs" / "20261120T183000Z-0a1b2c"
    (run / "hosts").mkdir(parents=True)
    (run / "summary.yaml").write_text(RUN_SUMMARY, encoding="utf-8")
    (run / "hosts" / "dl-pop1-edge-r1.log").write_text(TRANSCRIPT, encoding="utf-8")


@pytest.fixture(scope="module", params=["zh", "en"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    language = request.param
    estate = site_copy(tmp_path_factory.mktemp(f"documents-{language}") / "estate",
                       language=None if language == "zh" else language)
    _emergency_with_run(estate)
    result = build_site(estate)
    assert result.returncode == 0, result.stderr
    return Built(estate / "site", language)


def test_2_2_4_2_the_fault_report_carries_the_command_log_masked(built: Built) -> None:
    html = page(built.site, f"changes/{RUN_EMERGENCY}/fault-report.md")
    text = built.text(f"changes/{RUN_EMERGENCY}/fault-report.md")
    assert built.zh("命令日志文件", "Command log") in text
    assert BYPASS in text and "show version" in text and "configure terminal" in text  # every command sent
    assert COMMUNITY not in html  # masked as the published transcript is
    assert 'href="../#runs"' in html  # the full transcripts, on the change page
    download = built.site / f"changes/{RUN_EMERGENCY}/runs/20261120T183000Z-0a1b2c/hosts/dl-pop1-edge-r1.log"
    assert BYPASS in download.read_text(encoding="utf-8")
    no_run = built.text(f"changes/{EMERGENCY}/fault-report.md")
    assert built.zh("本变更尚无执行记录，没有命令日志", "The change has no run, so there is no command log") in no_run


def test_2_2_6_the_fault_report_has_the_seven_items(built: Built) -> None:
    text = built.text(f"changes/{EMERGENCY}/fault-report.md")
    items = built.zh("1. 故障时间|2. 技术支持工程师 / 客户配合工程师|3. 故障现象和业务影响|4. 故障处理流程|"
                     "5. 故障原因分析|6. 故障处理方案|7. 故障预防维护建议",
                     "1. Times|2. Engineers of both sides|3. Symptom and business impact|4. Handling process|"
                     "5. Cause analysis|6. Solution|7. Prevention").split("|")
    positions = [text.find(item) for item in items]
    assert -1 not in positions and positions == sorted(positions)
    # times: declared, remote support, on site, service restored and the repair, each under its own name
    for label, moment in ((built.zh("故障宣布时间", "Time declared"), "2026-11-20 02:10"),
                          (built.zh("远程支持时间", "Remote support began"), "2026-11-20 02:14"),
                          (built.zh("现场支持请求时间", "On-site support requested"), "2026-11-20 02:25"),
                          (built.zh("现场服务时间", "Engineer on site"), "2026-11-20 03:05"),
                          (built.zh("业务恢复时间", "Service restored"), "2026-11-20 02:48"),
                          (built.zh("故障排除时间", "Fault removed (repair)"), "2026-11-20 09:40")):
        assert f"{label} {moment}" in text
    assert "刘洋 (Liu Yang" in text and "孙磊 (Sun Lei)" in text  # the customer's and the provider's engineers
    assert built.zh("严重", "severe") in text
    if built.language == "zh":  # the handling timeline in the reader's language, not the other
        assert "值班工程师远程登录" in text and "duty engineer" not in text
    else:
        assert "The duty engineer logs in" in text and "值班工程师远程登录" not in text
    # measured against the service levels: 4 minutes to respond (10 promised), restored in 38 minutes
    assert built.zh("远程支持响应 4 分钟 10 分钟 达标", "Remote support response 4 min 10 min met") in text
    # 2.2.5.8: from the customer's request to arrival; Dalian is 385 km from the service point, so five hours
    assert built.zh("现场响应 (dl-pop1 385 km) 40 分钟 5 小时 达标",
                    "On-site arrival (dl-pop1 385 km) 40 min 5 h met") in text
    assert "SFP-10G-LR" in text and "FNS22190XYZ" in text  # the spare part fitted


def test_2_3_1_1_the_patch_notice_gives_what_the_plan_asks(built: Built) -> None:
    text = built.text(f"changes/{PATCH}/notice.md")
    assert text.startswith(built.zh(" 补丁加载通知", " Patch notice"))
    for words in built.zh("补丁内容|加载原因|安全公告|测试结果|实施时间|实施步骤|需客户准备事项|影响|回退计划",
                          "What the patch does|Why it is needed|Advisories|Lab test results|Schedule|Steps|"
                          "What the customer must prepare|Impact|Rollback plan").split("|"):
        assert words in text
    assert "CVE-2026-20177" in text and "CSCwk63254" in text  # the advisories and bugs, and the lab test's result
    assert built.zh("2026-11-18 沈阳测试实验室", "2026-11-18 沈阳测试实验室") in text
    assert built.zh(" 通过 ", " passed ") in text.split(built.zh("测试结果", "Lab test results"))[1]
    assert "2026-12-08 00:30 – 2026-12-08 04:30 (Asia/Shanghai)" in text
    assert built.zh("请值班室在窗口期间安排人员值守", "Keep the duty office staffed") in text


@pytest.mark.parametrize("change_id, title_zh, title_en, sent", [
    (UPGRADE, "系统升级通知", "System upgrade notice", "2026-11-30"),
    (MOVE, "设备搬迁/割接通知", "Device move (cutover) notice", "2026-12-01"),
    (DRILL, "应急演练通知", "Emergency drill notice", "2026-12-01"),
])
def test_2_3_3_3_every_change_touching_service_has_a_notice_letter(built: Built, change_id: str, title_zh: str,
                                                                    title_en: str, sent: str) -> None:
    text = built.text(f"changes/{change_id}/notice.md")
    assert text.startswith(" " + built.zh(title_zh, title_en))
    assert built.zh("尊敬的王建国：", "Dear Wang Jianguo,") in text  # salutation, to the customer's contact
    sender = built.zh("东方网维技术服务有限公司 沈阳分公司", "Dongfang Netops Services Co., Ltd., Shenyang branch")
    assert f"{built.zh('发件单位', 'From')} {sender}" in text
    assert "138-0240-1122" in text and "400-810-2468" in text  # contact person's phone and the hotline
    assert f"{built.zh('通知日期', 'Date')} {sent}" in text
    assert "(Asia/Shanghai)" in text
    assert built.zh("回退计划：", "Rollback plan: ") in text
    change_page = built.text(f"changes/{change_id}/index.md")
    assert built.zh(title_zh, title_en) in change_page  # linked from the change page
    if change_id == UPGRADE:  # the 20-minute outage of every Dalian site, and the services it stops
        assert built.zh("预计中断：20 分钟", "Expected interruption: 20 min") in text
        assert "大连地区政务外网接入" in text
    assert not (built.site / f"changes/{EMERGENCY}/notice").exists()  # an emergency answers a declared fault


def test_2_3_4_monthly_summary_due_in_working_days_with_faults_against_service_levels(built: Built) -> None:
    text = built.text("summaries/2026-11.md")
    assert built.zh("2026-11 月度服务总结", "Monthly service summary 2026-11") in text
    # due 5 working days after 30 November (1–4 and 7 December), delivered on 1 December
    assert built.zh("2026-12-07 2026-12-01 已按时提交", "2026-12-07 2026-12-01 delivered on time") in text
    assert built.zh("特大 重大 严重 一般 合计 0 0 2 0 2", "critical major severe general Total 0 0 2 0 2") in text
    assert built.zh("4 分钟 / 10 分钟 达标", "4 min / 10 min met") in text
    assert "SFP-10G-LR" in text  # spare parts
    assert built.zh("核心路由器故障应急恢复预案操作培训", "Operating the core router failure recovery plan") in text
    assert built.zh("为大连节点申请第二条异路由专线", "Order a diversely routed second circuit") in text  # open issue
    assert built.zh("巡检", "Inspections") in text and built.zh("配置漂移", "Configuration drift") in text
    december = built.text("summaries/2026-12.md")
    assert built.zh("2027-01-08 — 尚未提交", "2027-01-08 — not delivered yet") in december


def test_2_3_4_quarterly_analysis_with_trends_and_proposals(built: Built) -> None:
    text = built.text("summaries/2026-Q4.md")
    assert built.zh("2026-Q4 季度系统分析报告", "Quarterly system analysis 2026-Q4") in text
    assert built.zh("大连节点增加异路由专线与第二台边缘路由器", "A second, diversely routed circuit") in text
    assert built.zh("本季度网络总体运行平稳", "The network ran steadily this quarter") in text
    trends = text.split(built.zh("趋势分析", "Trends"))[1]
    assert "2026-Q3" in trends and "2026-10" in trends and "2026-11" in trends and "2026-12" in trends
    index = built.text("summaries/index.md")
    assert "2026-Q4" in index and "2026-11" in index


def test_2_3_4_3_maintenance_record_in_words_with_the_approval_record(built: Built) -> None:
    html = page(built.site, f"changes/{PATCH}/maintenance-record.md")
    text = built.text(f"changes/{PATCH}/maintenance-record.md")
    assert "2026-12-08 00:32 – 2026-12-08 02:05 (Asia/Shanghai)" in text  # the run, in the customer's zone
    assert built.zh("预检查：检查设备状态、软件版本与存储空间", "precheck: check the devices' state") in text
    assert built.zh("审批记录", "Approval record") in text and APPROVAL_COMMENT in text
    assert built.zh("批准", "approve") in text and built.zh("有效", "valid") in text
    assert "changeops approve" not in text and "+0000" not in text
    assert built.zh("客户签字", "For the customer") in text
    assert built.zh("维护方签字", "For the service provider") in html
    emergency = built.text(f"changes/{EMERGENCY}/maintenance-record.md")
    assert built.zh("业务已于 2026-11-20 02:48 (Asia/Shanghai) 恢复", "service was restored at 2026-11-20 02:48") \
        in emergency
    assert built.zh("尚无执行记录", "Not run yet") not in emergency


def test_2_3_8_drill_report_written_after_the_drill_and_drills_twice_a_year(built: Built) -> None:
    text = built.text(f"changes/{PAST_DRILL}/drill-report.md")
    assert built.zh("恢复时间目标 (RTO) 30 分钟 2.5 分钟 达成",
                    "Recovery time objective (RTO) 30 min 2.5 min met") in text
    assert built.zh("恢复点目标 (RPO) 0 分钟 0 分钟 达成", "Recovery point objective (RPO) 0 min 0 min met") in text
    assert built.zh("应急恢复预案有效", "The plan works") in text  # the conclusion
    assert built.zh("培训记录", "Training") in text and "2026-11-04" in text
    pending = built.text(f"changes/{DRILL}/drill-report.md")
    assert built.zh("演练报告尚未编写", "The drill report has not been written yet") in pending
    assert built.zh("演练结论", "Conclusion") not in pending  # no empty report before the drill
    home = built.text("index.md")
    assert "2027-05-06" in home  # the next drill of the plan is due six months after 2026-11-05
