"""A real executor backend that runs nothing on a device: each stage's host outcomes come from a script.

It implements the same protocol as the ansible-runner backend and goes through the same
pipeline, observers, run record and commit, so a test can drive every branch of the
stage sequence (a failing verification, a failing rollback, an unreachable host) in a
second, and see what the pipeline asked of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from changeops.execute.events import EventKind, HostEvent
from changeops.execute.executor import Observe, StageRequest, StageResult, host_outcomes
from changeops.records.run_summary import HostOutcome

KIND = {HostOutcome.OK: EventKind.OK, HostOutcome.FAILED: EventKind.FAILED,
        HostOutcome.UNREACHABLE: EventKind.UNREACHABLE, HostOutcome.SKIPPED: EventKind.SKIPPED}


@dataclass
class ScriptedExecutor:
    """``script[stage][host]`` is the outcome (default ok); every request is kept in ``requests``."""

    script: dict[str, dict[str, HostOutcome]] = field(default_factory=dict)
    name: str = "scripted"
    requests: list[StageRequest] = field(default_factory=list)
    record_vars: dict[str, str] = field(default_factory=dict)
    """The text of each stage's record-vars file (the work folder is gone after the run)."""

    def run_stage(self, request: StageRequest, observe: Observe) -> StageResult:
        self.requests.append(request)
        self.record_vars[request.name] = request.record_vars.read_text(encoding="utf-8")
        events = []
        for host in request.targets:
            outcome = self.script.get(request.name, {}).get(host, HostOutcome.OK)
            kinds = (EventKind.TASK_START,) if outcome is HostOutcome.TIMED_OUT else (EventKind.TASK_START,
                                                                                      KIND[outcome])
            for kind in kinds:
                event = HostEvent(kind, datetime.now(UTC), host, f"{request.name} task", request.name,
                                  result={"msg": f"{request.name} {outcome.value}", "stdout": "scripted"})
                events.append(event)
                observe(event)
        hosts = host_outcomes(events, request.targets)
        hosts.update({h: HostOutcome.TIMED_OUT for h in request.targets
                      if self.script.get(request.name, {}).get(h) is HostOutcome.TIMED_OUT})
        rc = 0 if all(o.succeeded for o in hosts.values()) else 2
        return StageResult(request.name, request.playbook.name, rc, hosts, events, None, {}, "successful")
