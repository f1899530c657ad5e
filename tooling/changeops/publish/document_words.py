"""Words of the customer documents (notices, reports, records) and service summaries, in zh and en.

Terms follow the service plan and DESIGN.md's glossary: 补丁加载通知, 割接, 审批记录, 故障排除时间 ...
A record type that touches service gets its notice by one entry in ``NOTICE_TITLES`` (and ``NOTICE_ASKS``).
"""

from __future__ import annotations

DOCUMENT_WORDS: dict[str, tuple[str, str]] = {
    # notices (通知)
    "colon": ("：", ": "),
    "list_sep": ("、", ", "),
    "notice_to": ("致", "To"),
    "notice_from": ("发件单位", "From"),
    "notice_date": ("通知日期", "Date"),
    "notice_not_sent": ("尚未发送", "not sent yet"),
    "notice_reference": ("通知编号", "Reference"),
    "contact_person": ("联系人", "Contact person"),
    "phone": ("电话", "Phone"),
    "email": ("电子邮件", "E-mail"),
    "hotline": ("7×24 值班电话", "24/7 hotline"),
    "salutation": ("尊敬的{name}：", "Dear {name},"),
    "devices_count": ("{count} 台设备", "{count} devices"),
    "devices_listed": ("{count} 台设备（见上表“变更对象”）", "{count} devices (listed above under Targets)"),
    "notice_opening": ("我方计划于 {window} 对 {targets} 进行{kind}：{title}。",
                       "We plan a {kind} of {targets} during {window}: {title}."),
    "notice_closing": ("如有疑问，请与联系人联系。特此通知。", "Please contact us with any question."),
    "notice_signoff": ("此致", "Yours sincerely,"),
    "outage_none": ("业务不中断", "no interruption"),
    "rollback_words": ("回退计划", "Rollback plan"),
    "rollback_default": ("如实施或验证失败，按回退步骤恢复变更前的配置。",
                         "If the work or its verification fails, the rollback step restores the configuration "
                         "as it was before."),
    # fault report (故障处理报告, 2.2.6)
    "fault_times": ("故障时间", "Times"),
    "time_remote_support": ("远程支持时间", "Remote support began"),
    "time_on_site_requested": ("现场支持请求时间", "On-site support requested"),
    "time_on_site": ("现场服务时间", "Engineer on site"),
    "time_repaired": ("故障排除时间", "Fault removed (repair)"),
    "time_service_restored": ("业务恢复时间", "Service restored"),
    "on_site_none": ("未进行现场服务（远程处理）", "no on-site visit (handled remotely)"),
    "not_recorded": ("未记录", "not recorded"),
    "people_heading": ("技术支持工程师 / 客户配合工程师", "Engineers of both sides"),
    "provider_engineers": ("技术支持工程师", "Provider's engineers"),
    "customer_engineers": ("客户配合工程师", "Customer's engineers"),
    "symptom_and_impact": ("故障现象和业务影响", "Symptom and business impact"),
    "handling_process": ("故障处理流程", "Handling process"),
    "cause_analysis": ("故障原因分析", "Cause analysis"),
    "handling_solution": ("故障处理方案", "Solution"),
    "prevention_advice": ("故障预防维护建议", "Prevention"),
    "command_log": ("命令日志文件", "Command log"),
    "command_log_link": ("完整的命令日志文件见变更页面的执行记录。",
                         "The complete command logs are on the change page, under its runs."),
    "commands_sent": ("发送至设备的命令", "Commands sent to the devices"),
    "commands_none": ("本变更尚无执行记录，没有命令日志。", "The change has no run, so there is no command log."),
    "spare_parts": ("备件更换记录", "Spare parts replaced"),
    "part_item": ("备件", "Part"),
    "serial_removed": ("换下序列号", "Serial removed"),
    "serial_fitted": ("换上序列号", "Serial fitted"),
    "replaced_at": ("更换时间", "Replaced"),
    "follow_ups": ("后续措施", "Follow-up actions"),
    "action": ("措施", "Action"),
    "due": ("期限", "Due"),
    "done": ("完成", "Done"),
    "open": ("未完成", "open"),
    "sla": ("服务水平", "Service levels"),
    "measure_heading": ("指标", "Measure"),
    "actual": ("实际", "Actual"),
    "limit": ("承诺", "Promised"),
    "objective": ("目标", "Objective"),
    "verdict_heading": ("评价", "Verdict"),
    # maintenance record (生产维护记录表 / 审批记录)
    "approval_record": ("审批记录", "Approval record"),
    "approval_comment": ("意见", "Comment"),
    "approvals_none_doc": ("尚无审批记录。", "No approvals recorded."),
    "restored_no_run": ("本紧急变更没有执行记录；据故障处理报告，业务已于 {restored} 恢复（故障单 {ticket}）。",
                        "This emergency change has no run record; its fault report says service was restored at "
                        "{restored} (ticket {ticket})."),
    "work_done": ("实施情况", "Work done"),
    # drill report (应急演练报告, 2.3.8)
    "drill_report_pending": ("演练报告尚未编写。演练结束后，工程师根据执行记录与演练结果编写报告（目标与实际恢复时间、"
                             "结论）。", "The drill report has not been written yet. After the drill, the engineers "
                             "write it from the run record and what the drill showed (objectives, achieved recovery "
                             "times, conclusion)."),
    "drill_report_problem": ("演练报告无法读取", "The drill report could not be read"),
    "achieved_rpo": ("实际恢复点", "Achieved recovery point"),
    "conclusion": ("演练结论", "Conclusion"),
    "participants": ("参演人员", "Participants"),
    "objective_met": ("达成", "met"),
    "objective_missed": ("未达成", "not met"),
    "training": ("培训记录", "Training"),
    "topic": ("培训内容", "Topic"),
    "trainer": ("培训讲师", "Trainer"),
    "attendees": ("参训人员", "Attendees"),
    "hours": ("学时", "Hours"),
    "drill_date": ("演练日期", "Drill date"),
    # summaries (月度服务总结, 季度系统分析报告, 2.3.4)
    "monthly_summary": ("{period} 月度服务总结", "Monthly service summary {period}"),
    "quarterly_report": ("{period} 季度系统分析报告", "Quarterly system analysis {period}"),
    "quarterly_reports": ("季度系统分析报告", "Quarterly system analysis reports"),
    "period": ("周期", "Period"),
    "delivery": ("提交情况", "Delivery"),
    "due_date": ("提交期限", "Due"),
    "delivered_on": ("提交日期", "Delivered"),
    "delivered_to": ("提交对象", "Delivered to"),
    "delivered_on_time": ("已按时提交", "delivered on time"),
    "delivered_late": ("逾期提交", "delivered late"),
    "not_delivered": ("尚未提交", "not delivered yet"),
    "summary_overdue": ("已逾期，尚未提交", "overdue, not delivered"),
    "due_rule": ("每月（季度）结束后 {days} 个工作日内提交（节假日按客户所在地日历）。",
                 "Due {days} working days after the period ends (public holidays of the customer's calendar "
                 "do not count)."),
    "faults_by_level": ("故障统计（按故障级别）", "Faults by level"),
    "fault_records": ("故障记录", "Fault records"),
    "faults": ("故障", "Faults"),
    "changes_by_type": ("变更统计", "Changes"),
    "drills_and_training": ("应急演练与培训", "Drills and training"),
    "open_issues": ("问题跟踪", "Open issues"),
    "source": ("来源", "Source"),
    "inspections": ("巡检", "Inspections"),
    "trends": ("趋势分析", "Trends"),
    "previous_quarter": ("上季度", "Previous quarter"),
    "assessment": ("总体运行情况", "Overall assessment"),
    "proposals": ("优化建议", "Optimisation proposals"),
    "proposals_none": ("本季度尚未提出优化建议。", "No proposals written for this quarter yet."),
    "proposal_owner": ("负责人", "Owner"),
    "not_written": ("尚未编写", "not written yet"),
    "report_unreadable": ("无法读取", "could not be read"),
}

NOTICE_TITLES = {
    "zh": {"patch": "补丁加载通知", "upgrade": "系统升级通知", "device-move": "设备搬迁/割接通知",
           "drill": "应急演练通知", "inspection": "巡检通知"},
    "en": {"patch": "Patch notice", "upgrade": "System upgrade notice", "device-move": "Device move (cutover) notice",
           "drill": "Emergency drill notice", "inspection": "Inspection notice"},
}
"""The notice of each type that touches the customer's service; a type not listed gets the generic title.
Emergency changes get none: the customer declared the fault and approves the fix (2.2.4.1)."""
NOTICE_GENERIC = {"zh": "维护作业通知", "en": "Maintenance notice"}
NOTICE_ASKS = {
    "zh": {"upgrade": "请通知受影响单位，并在窗口期间安排人员值守。",
           "device-move": "请安排机房人员配合搬迁与割接，并通知受影响单位。",
           "drill": "请安排维护人员参与演练并共同记录演练结果。",
           "inspection": "请安排维护人员参与整个巡检过程，并配合服务工程师完成工作。"},
    "en": {"upgrade": "Please tell the affected sites and keep staff on duty during the window.",
           "device-move": "Please have the room staff assist with the move and cutover, and tell the affected sites.",
           "drill": "Please have your maintenance staff take part in the drill and record its results with us.",
           "inspection": "Please have your maintenance staff take part in the whole inspection and assist "
                         "the service engineer."},
}
"""What the customer is asked to prepare, by type (a patch names its own preparation)."""
STEP_WORDS = {
    "zh": {"precheck": "检查设备状态、软件版本与存储空间", "backup": "备份设备配置",
           "implementation": "实施变更", "verification": "验证变更结果与业务", "rollback": "回退至变更前状态",
           "rollback_verification": "验证回退结果"},
    "en": {"precheck": "check the devices' state, software version and free space", "backup": "back up the "
           "configuration", "implementation": "carry out the change", "verification": "verify the change and the "
           "services", "rollback": "return to the state before the change", "rollback_verification": "verify the "
           "rollback"},
}
"""What each step does, in words, when the record does not describe it."""
VERDICTS = {
    "zh": {"met": "达标", "missed": "超时", "not_recorded": "未记录", "no_target": "无承诺"},
    "en": {"met": "met", "missed": "missed", "not_recorded": "not recorded", "no_target": "no target"},
}
MEASURES = {
    "zh": {"response": "远程支持响应", "on_site": "现场响应", "restoration": "业务恢复"},
    "en": {"response": "Remote support response", "on_site": "On-site arrival", "restoration": "Service restoration"},
}

LAB_RESULTS = {
    "zh": {"passed": "通过", "passed-with-notes": "通过（有备注）", "failed": "未通过"},
    "en": {"passed": "passed", "passed-with-notes": "passed with notes", "failed": "failed"},
}
