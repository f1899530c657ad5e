"""Who to call, from ``policies/duty.yml``: the block on the home page and atop every emergency plan, and the
roster of each assurance period (freeze) in the calendar.

"Now" is the build's time (``Snapshot.duty_time``; the start of the pinned day when mkdocs.yml pins ``today``), so
each block says the time it was judged at: a page built on Monday morning still shows Monday's shift on Friday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from changeops.policy.calendar_feed import Entry
from changeops.policy.duty import FAULT_LEVELS, phone_text
from changeops.policy.freezes import FreezePeriod
from changeops.policy.people import display_name
from changeops.policy.rota import AssuranceDuty, OnDuty, customer_zone, on_duty, period_roster, phone_of
from changeops.publish.labels import Labels, labels_for
from changeops.publish.rendering import render
from changeops.publish.snapshot import Snapshot
from changeops.records.fields import text_in
from changeops.text_safety import markdown_text


@dataclass(frozen=True)
class Row:
    role: str
    person: str
    phone: str
    when: str


@dataclass(frozen=True)
class Level:
    number: int
    role: str
    person: str
    phone: str
    after: tuple[str, ...]


def home_duty(snap: Snapshot) -> Markup:
    """The who-to-call block of every customer with a roster (headed by the customer's name when several)."""
    customers = list(snap.policies.duty.customers)
    return Markup("".join(call_block(snap, customer, titled=len(customers) > 1) for customer in customers))


def call_block(snap: Snapshot, customer: str, *, titled: bool = False, boxed: bool = False) -> Markup:
    """Who to call for ``customer`` at the site's now: hotline, shift, assurance roster, escalation chain.

    A section of its own, or ``boxed`` in an admonition (atop an emergency plan, above its own sections).
    """
    L = labels_for(snap.language)
    duty = on_duty(snap.policies, customer, snap.duty_time)
    info = snap.policies.customers.get(customer)
    heading = L.duty_customer.format(name=text_in(info.name, L.language)) if titled and info else L.duty_heading
    if duty is None:
        body = render("duty_call.md.j2", L=L, as_of="", rows=[], levels=[], severities=[], missing=True)
    else:
        body = render("duty_call.md.j2", L=L, as_of=L.duty_as_of.format(time=_local(duty, snap.duty_time),
                                                                          zone=duty.zone.key),
                      rows=_rows(snap, duty, L), levels=_levels(snap, duty, L),
                      severities=[L.severity(s) for s in FAULT_LEVELS], missing=False)
    if boxed:  # titled by a label, which holds no quote; the body is indented into the admonition
        indented = "".join(f"    {line}" if line.strip() else line for line in body.splitlines(keepends=True))
        return Markup(f'!!! info "{L.duty_heading}"\n\n{indented}\n')
    return Markup(f"## {markdown_text(heading)}\n\n{body}")


def _rows(snap: Snapshot, duty: OnDuty, L: Labels) -> list[Row]:
    rows = [Row(L.duty_hotline, "", phone_text(duty.hotline), L.duty_always)]
    shift = duty.shift
    if shift is None:
        rows.append(Row(L.duty_primary, L.duty_nobody, "", ""))
    else:
        until = L.duty_until.format(time=_local(duty, shift.end))
        rows += [_person_row(snap, L.duty_primary, shift.primary, until, L),
                 _person_row(snap, L.duty_backup, shift.backup, until, L)]
    for day in duty.assurance:
        rows += _assurance_rows(snap, day, L)
    if duty.next_shift is not None:
        rows.append(_person_row(snap, L.duty_next, duty.next_shift.primary,
                                L.duty_from.format(time=_local(duty, duty.next_shift.start)), L))
    return rows


def _assurance_rows(snap: Snapshot, day: AssuranceDuty, L: Labels) -> list[Row]:
    what = day.freeze
    rows = [_person_row(snap, L.duty_on_site, who, what, L) for who in day.days.on_site]
    rows += [_person_row(snap, L.duty_remote, who, what, L) for who in day.days.remote]
    rows.append(_person_row(snap, L.duty_contact, day.contact, what, L))
    return rows


def _person_row(snap: Snapshot, role: str, person: str, when: str, L: Labels) -> Row:
    return Row(role, display_name(person, snap.policies, L.language), _phone(snap, person), when)


def _levels(snap: Snapshot, duty: OnDuty, L: Labels) -> list[Level]:
    levels = []
    if duty.shift is not None:
        levels.append(Level(1, L.duty_primary, display_name(duty.shift.primary, snap.policies, L.language),
                            _phone(snap, duty.shift.primary), tuple(L.escalation_now for _ in FAULT_LEVELS)))
    for number, step in enumerate(duty.escalation, start=2):
        levels.append(Level(number, text_in(step.role, L.language),
                            display_name(step.person, snap.policies, L.language), _phone(snap, step.person),
                            tuple(str(step.after_minutes.of(level)) for level in FAULT_LEVELS)))
    return levels


def freeze_rosters(snap: Snapshot, freezes: list[Entry]) -> Markup:
    """The duty roster of each freeze in ``freezes`` (calendar entries), for the calendar's freeze list."""
    L = labels_for(snap.language)
    sections = []
    for entry in freezes:
        if entry.customer not in snap.policies.duty.customers:
            continue
        period = FreezePeriod(entry.title, entry.detail, entry.start, entry.end)
        roster = period_roster(snap.policies, entry.customer, period)
        sections.append((entry, [_roster_row(snap, day, L) for day in roster]))
    return Markup(render("duty_rosters.md.j2", L=L, sections=sections,
                         zone_of=lambda e: customer_zone(snap.policies, e.customer)))


def _roster_row(snap: Snapshot, day: AssuranceDuty, L: Labels) -> tuple[str, ...]:
    def people(ids: list[str]) -> str:
        return "; ".join(_named(snap, who, L) for who in ids) or "—"

    days = f"{day.days.start}" if day.days.start == day.days.end else f"{day.days.start} – {day.days.end}"
    note = text_in(day.days.note, L.language) if day.days.note is not None else ""
    return days, people(day.days.on_site), people(day.days.remote), _named(snap, day.contact, L), note


def _named(snap: Snapshot, person: str, L: Labels) -> str:
    phone = _phone(snap, person)
    name = display_name(person, snap.policies, L.language)
    return f"{name} {phone}" if phone else name


def _phone(snap: Snapshot, person: str) -> str:
    phone = phone_of(snap.policies, person)
    return phone_text(phone) if phone else ""


def _local(duty: OnDuty, moment: datetime) -> str:
    return moment.astimezone(duty.zone).strftime("%Y-%m-%d %H:%M")
