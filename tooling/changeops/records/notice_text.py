"""The notice a customer receives about a planned change, in the customer's language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from changeops.records.fields import SEVERITY_ZH, text_in
from changeops.records.model import ChangeBase, PatchChange, UpgradeChange

TYPE_NAMES = {
    "zh": {"patch": "补丁加载", "upgrade": "系统升级", "drill": "应急演练", "device-move": "设备移动",
           "emergency": "紧急变更", "inspection": "例行巡检"},
    "en": {"patch": "software patch", "upgrade": "system upgrade", "drill": "emergency drill",
           "device-move": "device move", "emergency": "emergency change", "inspection": "routine inspection"},
}


def window_text(change: ChangeBase, zone: ZoneInfo) -> str:
    start, end = change.window.start.astimezone(zone), change.window.end.astimezone(zone)
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} ({zone.key})"


def notice_text(change: ChangeBase, customer_name: str, zone: ZoneInfo, language: str) -> str:
    """Plain text of the change notice (变更通知), as the customer will read it."""
    kind = TYPE_NAMES[language][change.type]  # type: ignore[attr-defined]
    title = text_in(change.title, language)
    impact = text_in(change.impact.summary, language).rstrip("。.")
    rollback = _rollback(change, language)
    prepare = _preparation(change, language)
    if language == "zh":
        lines = [f"{customer_name}：", "",
                 f"我方计划于 {window_text(change, zone)} 对 {'、'.join(change.targets)} 进行{kind}：{title}。",
                 f"影响：{impact}（预计中断 {change.impact.outage_minutes} 分钟）。",
                 f"回退计划：{rollback}"]
        if prepare:
            lines.append(f"需贵方配合：{prepare}")
        if change.incident is not None:
            lines.append(f"故障单：{change.incident.ticket}，级别：{SEVERITY_ZH[change.incident.severity]}。")
        lines += ["", f"变更编号：{change.id}"]
    else:
        lines = [f"Dear {customer_name},", "",
                 f"we plan a {kind} on {', '.join(change.targets)} during {window_text(change, zone)}: {title}.",
                 f"Impact: {impact} (expected interruption: {change.impact.outage_minutes} min).",
                 f"Rollback plan: {rollback}"]
        if prepare:
            lines.append(f"Please prepare: {prepare}")
        if change.incident is not None:
            lines.append(f"Incident {change.incident.ticket}, severity {change.incident.severity}.")
        lines += ["", f"Change {change.id}"]
    return "\n".join(lines)


def _rollback(change: ChangeBase, language: str) -> str:
    if change.rollback is None:  # a read-only inspection changes nothing
        return "只读巡检，不修改设备配置，无需回退。" if language == "zh" else "read-only; nothing to roll back."
    return text_in(change.rollback.description, language) or change.rollback.playbook


def _preparation(change: ChangeBase, language: str) -> str:
    if isinstance(change, PatchChange):
        return text_in(change.patch.customer_preparation, language)
    if isinstance(change, UpgradeChange) and change.impact.outage_minutes:
        return ("请通知受影响单位并安排人员值守。" if language == "zh"
                else "tell the affected sites and keep staff on duty.")
    return ""
