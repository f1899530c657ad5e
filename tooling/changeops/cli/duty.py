"""Who is on duty: the duty roster of policies/duty.yml at a moment."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from changeops.cli.common import EXIT_CLEAN, EXIT_FINDINGS, RepoOption, epilog, err, estate, out, print_table
from changeops.errors import UsageError

if TYPE_CHECKING:
    from changeops.policy.files import Policies
    from changeops.policy.rota import OnDuty


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command(short_help="Who is on duty now, or at a time.",
                epilog=epilog("changeops duty", "changeops duty --at '2027-02-05 22:00' --customer lnpdn"))(duty)


def duty(
    at: Annotated[str | None, typer.Option("--at", metavar="TIME",
                                           help="YYYY-MM-DD HH:MM, in the customer's zone unless it has an offset "
                                                "(+08:00, Z); default: now.")] = None,
    customer: Annotated[str | None, typer.Option("--customer", metavar="ID", help="Only this customer.")] = None,
    repo: RepoOption = None,
) -> None:
    """The duty engineers, the assurance roster and the escalation chain with their phones (policies/duty.yml)."""
    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource
    from changeops.policy.rota import who_is_on_duty

    policies = read_policies(DirectorySource(estate(repo).policies))
    if any(f.file.endswith("/duty.yml") for f in policies.findings):
        err.print("warning: policies/duty.yml has problems; run `changeops validate policies/` to see them")
    found = who_is_on_duty(policies, _moment(at), customer)
    if not found:
        raise UsageError("policies/duty.yml holds no roster; see the demo estate's policies/duty.yml for one")
    for on_duty in found:
        _print(on_duty, policies)
    raise typer.Exit(EXIT_CLEAN if all(d.shift is not None for d in found) else EXIT_FINDINGS)


def _moment(at: str | None) -> datetime:
    if at is None:
        return datetime.now().astimezone()
    try:
        return datetime.fromisoformat(at.strip())
    except ValueError:
        raise UsageError(f"--at {at!r} is not a time: write YYYY-MM-DD HH:MM, e.g. '2027-02-05 22:00'") from None


def _print(on_duty: OnDuty, policies: Policies) -> None:
    from changeops.policy.duty import phone_text
    from changeops.policy.people import display_name
    from changeops.policy.rota import phone_of
    from changeops.records.fields import text_in

    def person(who: str) -> tuple[str, str]:
        phone = phone_of(policies, who)
        return escape(display_name(who, policies, "en")), escape(phone_text(phone)) if phone else "-"

    def local(moment: datetime) -> str:
        return f"{moment.astimezone(on_duty.zone):%Y-%m-%d %a %H:%M}"

    rows = [("service desk (值班电话)", "", escape(phone_text(on_duty.hotline)), "7×24")]
    shift = on_duty.shift
    if shift is None:
        rows.append(("duty engineer", "[red]nobody: the rotation has a gap[/]", "-", ""))
    else:
        until = f"until {local(shift.end)}"
        rows += [("duty engineer (level 1)", *person(shift.primary), until), ("backup", *person(shift.backup), until)]
    for day in on_duty.assurance:
        what = escape(day.freeze)
        rows += [("on site", *person(who), what) for who in day.days.on_site]
        rows += [("remote", *person(who), what) for who in day.days.remote]
        rows.append(("customer duty contact", *person(day.contact), what))
    for level, step in enumerate(on_duty.escalation, start=2):
        delays = step.after_minutes
        rows.append((f"level {level}: {escape(text_in(step.role, 'en'))}", *person(step.person),
                     f"after {delays.critical}/{delays.major}/{delays.severe}/{delays.general} min"))
    if on_duty.next_shift is not None:
        rows.append(("next shift", *person(on_duty.next_shift.primary), f"from {local(on_duty.next_shift.start)}"))
    print_table(out, ("role", "who", "phone", "when"), rows,
                title=f"{escape(on_duty.customer)} at {local(on_duty.at)} ({on_duty.zone.key})")
    if on_duty.escalation:
        out.print("Escalation: minutes after the fault report, critical/major/severe/general (特大/重大/严重/一般).")
