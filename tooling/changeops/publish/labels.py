"""The site's words in Chinese and English; documents use the customer's language.

Terms follow the service plan (see the domain words of DESIGN.md): 补丁加载,
维护窗口, 重要通信保障期, 应急演练, 故障处理报告, 生产维护记录表, 阶段性服务总结 ...
"""

from __future__ import annotations

from changeops.publish.document_words import (
    DOCUMENT_WORDS,
    LAB_RESULTS,
    MEASURES,
    NOTICE_ASKS,
    NOTICE_GENERIC,
    NOTICE_TITLES,
    STEP_WORDS,
    VERDICTS,
)
from changeops.records.fields import SEVERITY_ZH
from changeops.records.notice_text import TYPE_NAMES

LANGUAGES = ("zh", "en")

_WORDS: dict[str, tuple[str, str]] = {
    # navigation and index pages
    "home": ("首页", "Home"),
    "changes": ("变更记录", "Changes"),
    "calendar": ("变更日历", "Change calendar"),
    "devices": ("设备档案", "Device archive"),
    "runbooks": ("操作手册与应急预案", "Runbooks and emergency plans"),
    "playbooks": ("剧本", "Playbooks"),
    "summaries": ("阶段性服务总结", "Service summaries"),
    "documents": ("客户文档", "Customer documents"),
    "month": ("月份", "Month"),
    "count": ("数量", "Count"),
    "by_month": ("按月", "By month"),
    "invalid_records": ("无法读取的变更记录", "Records that could not be read"),
    "invalid_hint": ("以下记录未能通过校验，未生成页面；请运行 changeops validate 查看详情。",
                     "These records did not validate and have no page; run changeops validate for details."),
    # home
    "next_days": ("未来 14 天的变更", "Changes in the next 14 days"),
    "recent_results": ("近期执行结果", "Recent results"),
    "freezes_now": ("当前及即将到来的重要通信保障期", "Active and coming freezes"),
    "drills_due": ("应急演练计划", "Drills due"),
    "none": ("无", "None"),
    "last_drill": ("上次演练", "Last drill"),
    "next_due": ("下次到期", "Next due"),
    "never": ("从未演练", "never drilled"),
    "overdue": ("已到期", "due now"),
    "scheduled_drill": ("已安排的演练", "Scheduled drill"),
    # duty roster (值班工程师名单 / 联系电话, service plan 1.1.2, 2.3.7.2) and escalation (问题升级)
    "duty_heading": ("值班联系", "Who to call"),
    "duty_as_of": ("以下为截至 {time}（{zone}，本站生成时）的值班安排。",
                   "On duty as of {time} ({zone}), when this site was built."),
    "duty_customer": ("{name} 值班联系", "Who to call: {name}"),
    "duty_role": ("职责", "Role"),
    "duty_person": ("人员", "Person"),
    "duty_phone": ("联系电话", "Phone"),
    "duty_when": ("时间", "When"),
    "duty_hotline": ("值班电话（服务台）", "Duty phone (service desk)"),
    "duty_always": ("7×24 小时", "7×24"),
    "duty_primary": ("值班工程师", "Duty engineer"),
    "duty_backup": ("备岗工程师", "Backup engineer"),
    "duty_until": ("至 {time}", "until {time}"),
    "duty_from": ("自 {time}", "from {time}"),
    "duty_next": ("下一班值班工程师", "Next duty engineer"),
    "duty_on_site": ("现场值守", "On site"),
    "duty_remote": ("远程值守", "Remote"),
    "duty_contact": ("客户值班联系人", "Customer duty contact"),
    "duty_note": ("备注", "Note"),
    "duty_days": ("日期", "Days"),
    "duty_nobody": ("无人值班：轮值表在此时有空缺，请按问题升级联系。",
                    "Nobody: the rotation has a gap now; call the escalation chain."),
    "duty_roster": ("值班工程师名单", "Duty roster"),
    "duty_no_roster": ("尚未排定值班工程师名单（policies/duty.yml）。",
                       "No duty roster yet (policies/duty.yml)."),
    "escalation": ("问题升级", "Escalation"),
    "escalation_level": ("级别", "Level"),
    "escalation_hint": ("故障申告后仍未解决，按故障级别在以下分钟数后升级到该级别。",
                        "A fault not resolved goes to each level this many minutes after it was reported, "
                        "by fault level."),
    "escalation_now": ("立即", "at once"),
    "feed_duty": ("值班", "On duty"),
    # change page
    "summary": ("概要", "Summary"),
    "id": ("变更编号", "Change ID"),
    "title": ("标题", "Title"),
    "type": ("类型", "Type"),
    "model": ("变更模式", "Model"),
    "state_heading": ("状态", "State"),
    "customer": ("客户", "Customer"),
    "requested_by": ("申请人", "Requested by"),
    "engineers": ("实施工程师", "Engineers"),
    "risk": ("风险", "Risk"),
    "feed_window": ("维护窗口", "Maintenance window"),
    "feed_freeze": ("重要通信保障期", "Freeze"),
    "feed_change": ("变更", "Change"),
    "feed_scope": ("适用范围", "Applies to"),
    "feed_state": ("状态", "State"),
    "feed_all_devices": ("全部设备", "all devices"),
    "feed_page": ("变更页面", "Change page"),
    "impact": ("影响", "Impact"),
    "outage": ("预计中断", "Expected interruption"),
    "minutes": ("分钟", "min"),
    "services": ("受影响业务", "Affected services"),
    "targets": ("变更对象", "Targets"),
    "hosts": ("设备", "Hosts"),
    "window": ("维护窗口", "Maintenance window"),
    "notice": ("变更通知", "Notice"),
    "notice_none": ("未发送通知", "no notice recorded"),
    "steps": ("实施步骤", "Steps"),
    "step_heading": ("步骤", "Step"),
    "playbook": ("剧本", "Playbook"),
    "variables": ("变量", "Variables"),
    "rollback": ("回退计划", "Rollback plan"),
    "plan_digest": ("计划摘要值", "Plan digest"),
    "plan_files": ("摘要覆盖的文件", "Files the digest covers"),
    "approvals": ("客户批准", "Approvals"),
    "approvals_met": ("批准条件已满足", "approval requirements met"),
    "approvals_unmet": ("批准条件尚未满足", "approval requirements not met"),
    "approvals_unavailable": ("本站点构建时未安装审批模块，无法显示批准状态。",
                              "Approval status is not available in this build."),
    "approvals_none": ("尚无批准记录（由 changeops approve 写入 approvals/）。",
                       "No approvals recorded yet (changeops approve writes them to approvals/)."),
    "approver": ("批准人", "Approver"),
    "approvals_given": ("已有批准", "Approvals given"),
    "approvals_needed": ("尚需批准", "Still needed"),
    "approvals_count": ("有效 / 需要", "Valid / needed"),
    "may_approve": ("可批准人", "Who may approve"),
    "nobody_may_approve": ("approvers.yml 中没有可批准的人", "nobody in approvers.yml may approve"),
    "how_to_approve": ("批准方法：批准人在本仓库中执行下面的命令，并将生成的文件提交到该变更的合并请求。",
                       "To approve: the approver runs this in the repository and commits the file it writes "
                       "to the change's pull request."),
    "warnings": ("需要注意", "Needs attention"),
    "warn_outside_window": ("执行 {run} 不在维护窗口内：{started} – {finished}，窗口为 {start} – {end}。",
                            "Run {run} was outside the maintenance window: {started} – {finished}, the window "
                            "is {start} – {end}."),
    "warn_clock": ("执行 {run} 按 {judged} 而非实际时间 {real} 判断窗口与保障期（{reason}）。",
                   "Run {run} judged its window and freezes at {judged}, not the real time {real} ({reason})."),
    "warn_stale": ("以下批准针对的是修改前的方案，已失效：{names}。",
                   "These approvals were given to an earlier plan and no longer count: {names}."),
    "warn_customer_overdue": ("客户批准逾期：{due} 前应有客户批准，至今没有。",
                              "The customer's approval is overdue: it was due by {due} and is still missing."),
    "purpose": ("目的", "Purpose"),
    "variable": ("变量", "Variable"),
    "value": ("取值", "Value"),
    "decision": ("决定", "Decision"),
    "reason": ("原因", "Reason"),
    "time": ("时间", "Time"),
    "runs": ("执行记录", "Runs"),
    "no_runs": ("尚无执行记录。", "Not run yet."),
    "run": ("执行", "Run"),
    "result": ("结果", "Result"),
    "started": ("开始", "Started"),
    "finished": ("结束", "Finished"),
    "stage": ("阶段", "Stage"),
    "timeline": ("阶段时间线", "Stage timeline"),
    "transcripts": ("命令日志文件", "Command log files"),
    "download": ("下载", "Download"),
    "backups": ("配置备份", "Configuration backups"),
    "masked": ("（敏感信息已屏蔽）", "(secrets masked)"),
    "versions": ("工具版本", "Tool versions"),
    "events": ("事件流", "Event stream"),
    "fault_report": ("故障处理报告", "Fault report"),
    "fault_report_due": ("故障处理报告截止", "Fault report due"),
    "fault_report_missing": ("故障处理报告缺失", "fault report missing"),
    "fault_report_late": ("故障处理报告逾期提交", "fault report late"),
    "on_time": ("按时", "on time"),
    "incident": ("故障", "Incident"),
    "ticket": ("故障单", "Ticket"),
    "severity_heading": ("故障级别", "Severity"),
    "declared": ("宣布时间", "Declared"),
    "detected": ("发现时间", "Detected"),
    "restored": ("恢复时间", "Resolved"),
    "symptom": ("故障现象", "Symptom"),
    "business_impact": ("业务影响", "Business impact"),
    # type sections
    "patch": ("补丁信息", "Patch"),
    "advisories": ("安全公告", "Advisories"),
    "bugs": ("缺陷编号", "Bugs"),
    "what_it_does": ("补丁内容", "What the patch does"),
    "why": ("加载原因", "Why it is needed"),
    "image": ("软件镜像", "Image"),
    "checksum": ("校验值", "Checksum"),
    "lab_test": ("测试结果", "Lab test results"),
    "customer_preparation": ("需客户准备事项", "What the customer must prepare"),
    "schedule": ("实施时间", "Schedule"),
    "upgrade": ("系统升级", "Upgrade"),
    "from_version": ("原版本", "From version"),
    "to_version": ("目标版本", "To version"),
    "options": ("可选方案", "Options considered"),
    "chosen": ("选定", "chosen"),
    "drill": ("应急演练", "Drill"),
    "scenario": ("演练场景", "Scenario"),
    "objectives": ("演练目标", "Objectives"),
    "rto": ("恢复时间目标 (RTO)", "Recovery time objective (RTO)"),
    "rpo": ("恢复点目标 (RPO)", "Recovery point objective (RPO)"),
    "achieved": ("实际恢复时间", "Achieved recovery time"),
    "not_measured": ("尚未测得", "not measured yet"),
    "observers": ("观察员", "Observers"),
    "emergency_plan": ("应急恢复预案", "Emergency recovery plan"),
    "runbook_kind": ("操作手册", "Runbook"),
    "emergency_plans": ("应急恢复预案", "Emergency recovery plans"),
    "ordinary_runbooks": ("操作手册", "Runbooks"),
    "plans_and_drills": ("应急预案与演练", "Emergency plans and drills"),
    "plans_none": ("没有提及本设备的应急恢复预案。", "No emergency plan names this device."),
    "findings": ("发现的问题", "Findings"),
    "move": ("设备移动", "Device move"),
    "from": ("原位置", "From"),
    "to": ("新位置", "To"),
    "cabling": ("线缆对照", "Cabling"),
    "port": ("端口", "Port"),
    "before": ("移动前", "Before"),
    "after": ("移动后", "After"),
    "label": ("标签", "Label"),
    # runbooks
    "owner": ("负责人", "Owner"),
    "last_reviewed": ("最近评审", "Last review"),
    "scope": ("适用范围", "Scope"),
    "roles": ("角色", "Roles"),
    "role": ("角色", "Role"),
    "who": ("人员", "Who"),
    "kind": ("类别", "Kind"),
    "review_overdue": ("评审已过期", "Review overdue"),
    "review_overdue_text": ("本手册最近一次评审在 12 个月以前（{date}），请重新评审。",
                            "This runbook was last reviewed more than 12 months ago ({date}); review it."),
    "runbook_unreadable": ("前置信息无法读取", "Front matter could not be read"),
    "used_by": ("使用本剧本的手册", "Used by"),
    # calendar
    "windows": ("维护窗口", "Maintenance windows"),
    "freezes": ("重要通信保障期", "Freezes"),
    "feed": ("订阅日历 (iCalendar)", "Calendar feed (iCalendar)"),
    "feed_hint": ("下载或订阅此文件，即可在日历软件中看到维护窗口、保障期与变更。",
                  "Download or subscribe to this file to see windows, freezes and changes in a calendar app."),
    "legend": ("图例", "Legend"),
    "weekday_names": ("一 二 三 四 五 六 日", "Mon Tue Wed Thu Fri Sat Sun"),
    # devices
    "device": ("设备", "Device"),
    "vendor": ("厂商", "Vendor"),
    "model_name": ("型号", "Model"),
    "serial": ("序列号", "Serial number"),
    "os_version": ("软件版本", "OS version"),
    "location": ("位置", "Location"),
    "site": ("站点", "Site"),
    "room": ("机房", "Room"),
    "rack": ("机柜", "Rack"),
    "unit": ("U 位", "Unit"),
    "what_changed": ("变化", "What changed"),
    "previous_month": ("上月", "Previous month"),
    "next_month": ("下月", "Next month"),
    "peer": ("冗余对端", "Redundancy peer"),
    "changes_touching": ("涉及本设备的变更", "Changes that touched this device"),
    "history": ("版本与位置历史", "Version and location history"),
    "no_history": ("尚无执行记录中的历史。", "No history from run records yet."),
    # device archive: configuration, captures, drift, parts
    "running_config": ("当前配置", "Current configuration"),
    "no_config": ("档案中尚无本设备的配置。", "The archive holds no configuration of this device yet."),
    "config_captured": ("采集于 {time}（{source}）；敏感信息已屏蔽。",
                        "Captured {time} ({source}); secrets are masked."),
    "config_diff": ("与上一配置的差异", "Difference from the previous configuration"),
    "no_config_diff": ("尚无可比较的上一配置。", "No earlier configuration to compare with."),
    "capture_history": ("配置采集记录", "Configuration captures"),
    "capture_stage": ("时机", "When"),
    "capture_source": ("来源", "Source"),
    "capture_config": ("配置文件", "Configuration"),
    "stage_before": ("变更前（备份）", "before (backup)"),
    "stage_after": ("变更后", "after"),
    "stage_import": ("导入", "import"),
    "same_config": ("未变化", "unchanged"),
    "drift": ("配置漂移", "Configuration drift"),
    "drift_text": ("{previous} 与 {current} 之间配置发生变化，但没有针对本设备的变更记录：{summary}",
                   "The configuration changed between {previous} and {current} with no change record "
                   "targeting this device: {summary}"),
    "no_drift": ("未发现无变更记录的配置变化。", "No configuration change without a change record."),
    "part_serials": ("部件序列号", "Part serial numbers"),
    "part_name": ("名称", "Name"),
    "part_descr": ("描述", "Description"),
    "part_pid": ("产品号", "PID"),
    "no_parts": ("档案中尚无 show inventory 记录。", "No show inventory in the archive yet."),
    "archive_problems": ("档案文件有问题，请运行 changeops validate 查看。",
                         "Some archive files could not be read; run changeops validate for details."),
    # summary
    "summary_of": ("{month} 阶段性服务总结", "Service summary {month}"),
    "by_type": ("按类型与结果统计", "Changes by type and result"),
    "success_rate": ("成功率", "Success rate"),
    "rollback_rate": ("回退率", "Rollback rate"),
    "emergency_changes": ("紧急变更及故障处理报告", "Emergency changes and fault reports"),
    "drills": ("应急演练", "Drills"),
    "backups_taken": ("配置备份", "Backups taken"),
    "config_drift": ("配置漂移（无变更记录的配置变化）", "Configuration drift (changes without a change record)"),
    "total": ("合计", "Total"),
    "not_run": ("未执行", "not run"),
    # documents
    "patch_notice": ("补丁加载通知", "Patch notice"),
    "maintenance_record": ("生产维护记录表", "Production maintenance record"),
    "drill_report": ("应急演练报告", "Drill report"),
    "document_number": ("文档编号", "Document No."),
    "content": ("维护内容", "Content"),
    "problems": ("遇到的问题及解决办法", "Problems met and how they were solved"),
    "no_problems": ("未遇到问题。", "No problems."),
    "sign_off": ("客户批准", "Sign-off"),
    "signatures": ("签字", "Signatures"),
    "provider_signature": ("维护方签字", "For the service provider"),
    "customer_signature": ("客户签字", "For the customer"),
    "date": ("日期", "Date"),
    "time_declared": ("故障宣布时间", "Time declared"),
    "time_detected": ("故障发现时间", "Time detected"),
    "time_resolved": ("故障恢复时间", "Time resolved"),
    "handling": ("处理过程", "Handling timeline"),
    "root_cause": ("故障原因", "Root cause"),
    "solution": ("解决方案", "Solution"),
    "prevention": ("预防措施", "Prevention"),
    "report_pending": ("故障处理报告尚未提交。", "The fault report has not been written yet."),
    "author": ("编写人", "Author"),
    "written": ("提交时间", "Written"),
}

# the inspection report (巡检报告, service plan 2.3.3)
_WORDS.update({
    "inspection_report": ("巡检报告", "Inspection report"),
    "inspection_reports": ("巡检报告", "Inspection reports"),
    "no_inspections": ("尚无巡检记录。", "No inspections yet."),
    "inspection_period": ("巡检周期", "Period"),
    "inspection_date": ("巡检时间", "Inspected"),
    "not_inspected_yet": ("尚未执行巡检。", "Not inspected yet."),
    "device_status": ("设备状态", "Device status"),
    "status": ("状态", "Status"),
    "hardware": ("型号", "Model"),
    "software": ("软件版本", "Software"),
    "anomaly_count": ("异常数", "Anomalies"),
    "anomalies": ("异常项", "Anomalies"),
    "no_anomalies": ("未发现异常。", "No anomalies found."),
    "check": ("检查项", "Check"),
    "anomaly_severity": ("级别", "Severity"),
    "measured": ("测量值", "Measured"),
    "threshold": ("门限", "Threshold"),
    "description": ("说明", "Description"),
    "follow_up": ("后续处理", "Follow-up"),
    "comparison": ("与上次巡检对比", "Compared with the previous inspection"),
    "previous_inspection": ("上次巡检", "Previous inspection"),
    "no_previous": ("无上次巡检记录，本次为首次巡检。", "No previous inspection: this is the first."),
    "new_anomalies": ("新增异常", "New"),
    "resolved_anomalies": ("已消除异常", "Resolved"),
    "persisting_anomalies": ("持续存在的异常", "Persisting"),
    "counter_deltas": ("计数器变化", "Counter changes"),
    "counter_heading": ("计数器", "Counter"),
    "previous_value": ("上次", "Previous"),
    "current_value": ("本次", "Now"),
    "open_problems": ("上次维护以来的遗留问题", "Problems raised since the last visit"),
    "no_open_problems": ("无遗留问题。", "No problems were raised."),
    "raised": ("提出时间", "Raised"),
    "problem": ("问题", "Problem"),
    "parts_summary": ("部件序列号汇总", "Part serial numbers"),
    "part_kind": ("部件", "Part"),
    "pid": ("产品号", "Product ID"),
    "serial": ("序列号", "Serial number"),
    "optimisation": ("优化建议", "Optimisation proposals"),
    "no_optimisation": ("本次无优化建议。", "No optimisation proposals this time."),
    "other_language": ("其他语言版本", "Other language"),
    "not_checked": ("未检查", "not checked"),
    "read_only_no_rollback": ("只读巡检，不修改设备，无需回退。",
                              "Read-only: nothing is changed, so nothing to roll back."),
})

INSPECTION_CHECKS = {
    "zh": {"version": "软件版本", "inventory": "硬件清单", "temperature": "温度", "power": "电源", "fans": "风扇",
           "cpu": "CPU 利用率", "memory": "内存", "disk": "磁盘", "interfaces": "接口错误", "logging": "系统日志",
           "neighbours": "路由邻居", "ospf": "OSPF 邻居", "bgp": "BGP 邻居", "redundancy": "主备冗余",
           "license": "许可证", "uptime": "运行时间"},
    "en": {"version": "software version", "inventory": "hardware inventory", "temperature": "temperature",
           "power": "power supplies", "fans": "fans", "cpu": "CPU load", "memory": "memory", "disk": "disk",
           "interfaces": "interface errors", "logging": "system log", "neighbours": "routing neighbours",
           "ospf": "OSPF neighbours", "bgp": "BGP neighbours", "redundancy": "redundancy", "license": "licence",
           "uptime": "uptime"},
}
INSPECTION_STATUS = {
    "zh": {"ok": "正常", "warning": "警告", "critical": "严重", "not-inspected": "未巡检"},
    "en": {"ok": "ok", "warning": "warning", "critical": "critical", "not-inspected": "not inspected"},
}
COUNTERS = {
    "zh": {"crc": "CRC 错误", "input_errors": "输入错误", "switchovers": "主备切换次数"},
    "en": {"crc": "CRC errors", "input_errors": "input errors", "switchovers": "switchovers"},
}

STATES = {
    "zh": {"completed": "已完成", "failed": "失败", "rolled-back": "已回退", "interrupted": "中断",
           "approved": "已批准", "scheduled": "已排期", "unrun": "未执行", "running": "执行中"},
    "en": {"completed": "completed", "failed": "failed", "rolled-back": "rolled back", "interrupted": "interrupted",
           "approved": "approved", "scheduled": "scheduled", "unrun": "not run", "running": "running"},
}
HOST_RESULTS = {
    "zh": {"ok": "成功", "failed": "失败", "unreachable": "不可达", "skipped": "跳过"},
    "en": {"ok": "ok", "failed": "failed", "unreachable": "unreachable", "skipped": "skipped"},
}
STEP_NAMES = {
    "zh": {"precheck": "预检查", "backup": "配置备份", "implementation": "实施", "verification": "验证",
           "rollback": "回退", "rollback_verification": "回退验证", "rollback-verification": "回退验证"},
    "en": {"precheck": "precheck", "backup": "backup", "implementation": "implementation",
           "verification": "verification", "rollback": "rollback", "rollback_verification": "rollback verification",
           "rollback-verification": "rollback verification"},
}
APPROVER_ROLES = {
    "zh": {"customer": "客户", "provider": "维护方"},
    "en": {"customer": "customer", "provider": "service provider"},
}
DECISIONS = {"zh": {"approve": "批准", "reject": "驳回"}, "en": {"approve": "approve", "reject": "reject"}}
APPROVAL_STATES = {
    "zh": {"valid": "有效", "rejected": "已驳回", "stale": "已失效（方案已修改）", "bad-signature": "签名无效",
           "unknown-key": "未登记的密钥", "revoked": "密钥已吊销", "not-authorised": "无权批准",
           "self-approval": "不得批准本人参与的变更", "malformed": "无法读取"},
    "en": {"valid": "valid", "rejected": "rejected", "stale": "stale (the plan changed)",
           "bad-signature": "bad signature", "unknown-key": "unknown key", "revoked": "key revoked",
           "not-authorised": "not authorised", "self-approval": "self-approval", "malformed": "unreadable"},
}
RISK_LEVELS = {
    "zh": {"low": "低", "medium": "中", "high": "高", "critical": "极高"},
    "en": {"low": "low", "medium": "medium", "high": "high", "critical": "critical"},
}
MODELS = {
    "zh": {"standard": "标准变更", "normal": "常规变更", "emergency": "紧急变更"},
    "en": {"standard": "standard", "normal": "normal", "emergency": "emergency"},
}

_WORDS.update(DOCUMENT_WORDS)


class Labels:
    """Words of one language: ``labels.window``, ``labels.state('completed')`` ..."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"
        self._index = LANGUAGES.index(self.language)

    def __getattr__(self, key: str) -> str:
        try:
            return _WORDS[key][self._index]
        except KeyError:
            raise AttributeError(key) from None

    def state(self, state: str) -> str:
        return STATES[self.language].get(state, state)

    def host_result(self, result: str) -> str:
        return HOST_RESULTS[self.language].get(result, result)

    def step(self, name: str) -> str:
        return STEP_NAMES[self.language].get(name, name)

    def change_type(self, kind: str) -> str:
        return TYPE_NAMES[self.language].get(kind, kind)

    def approver_role(self, role: str) -> str:
        return APPROVER_ROLES[self.language].get(role, role)

    def decision_word(self, decision: str) -> str:
        return DECISIONS[self.language].get(decision, decision)

    def approval_state(self, state: str) -> str:
        return APPROVAL_STATES[self.language].get(state, state)

    def risk_level(self, level: str) -> str:
        return RISK_LEVELS[self.language].get(level, level)

    def change_model(self, model: str) -> str:
        return MODELS[self.language].get(model, model)

    def severity(self, level: str) -> str:
        return f"{SEVERITY_ZH.get(level, level)}" if self.language == "zh" else level

    def lab_result(self, result: str) -> str:
        return LAB_RESULTS[self.language].get(result, result)

    def notice_title(self, kind: str) -> str:
        return NOTICE_TITLES[self.language].get(kind, NOTICE_GENERIC[self.language])

    def notice_ask(self, kind: str) -> str:
        return NOTICE_ASKS[self.language].get(kind, "")

    def step_words(self, name: str) -> str:
        return STEP_WORDS[self.language].get(name, self.step(name))

    def verdict(self, verdict: str) -> str:
        return VERDICTS[self.language].get(verdict, verdict)

    def measure(self, name: str) -> str:
        return MEASURES[self.language].get(name, name)

    def minutes_text(self, minutes: float | None) -> str:
        """A duration for a reader: ``95 分钟``, ``2 h 5 min``; empty for none."""
        if minutes is None:
            return ""
        whole = round(minutes)
        if whole < 120:
            return f"{minutes:g} {self.minutes}" if minutes != whole else f"{whole} {self.minutes}"
        hours, rest = divmod(whole, 60)
        if self.language == "zh":
            return f"{hours} 小时" + (f" {rest} 分钟" if rest else "")
        return f"{hours} h" + (f" {rest} min" if rest else "")

    def inspection_check(self, check: str) -> str:
        return INSPECTION_CHECKS[self.language].get(check, check)

    def inspection_status(self, status: str) -> str:
        """ok / warning / critical / not-inspected, for a device or an anomaly's severity."""
        return INSPECTION_STATUS[self.language].get(status, status)

    def counter(self, name: str) -> str:
        return COUNTERS[self.language].get(name, name)

    def weekdays(self) -> list[str]:
        return self.weekday_names.split()


def labels_for(language: str) -> Labels:
    return _CACHE.setdefault(language, Labels(language))


_CACHE: dict[str, Labels] = {}
