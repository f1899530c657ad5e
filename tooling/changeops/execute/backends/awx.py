"""The AWX / Ansible Automation Platform backend: one stage as one job of a job template (REST API v2).

For each stage: launch the playbook's job template (``POST /api/v2/job_templates/{id}/launch/``)
with the record's variables and changeops' control variables as ``extra_vars`` (the record's
strings wrapped as ``{"__ansible_unsafe": ...}``, so AWX never templates them), the targets as
``limit``, ``job_type`` check or run, and the trusted commit as ``scm_branch``; refuse to go on
when AWX ignored any of them (a template without "prompt on launch" would silently run its own
values). Then poll the job and its events (``job_events/?order_by=counter&counter__gt=N``),
normalise every event into a :class:`HostEvent` as it arrives, pull the job's stdout when it
did not succeed, and cancel the job (``POST /api/v2/jobs/{id}/cancel/``) at the time limit.

Only the standard library is used. What is proven and what is not: ``docs/developers/awx.md``.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from changeops.execute.events import EventKind, HostEvent, from_runner
from changeops.execute.executor import Observe, StageRequest, StageResult, host_outcomes, playbook_stats
from changeops.records.run_summary import HostOutcome

FINISHED = {"successful", "failed", "error", "canceled"}
ASKED = ("extra_vars", "limit", "job_type", "scm_branch")


class AwxProblem(Exception):
    """AWX answered something the stage cannot go on from (its message is the run's note)."""


@dataclass(frozen=True)
class AwxSettings:
    """Where AWX is, how to authenticate, which job template runs which playbook."""

    url: str
    token: str
    templates: dict[str, int]
    """Playbook path in the repository (``playbooks/patch.yml``, as the AWX project sees it) -> job template id."""
    revision: str | None = None
    """The trusted commit: the project's ``scm_branch`` on launch, checked against the job's ``scm_revision``."""
    poll_seconds: float = 2.0
    timeout: float = 3600.0
    request_timeout: float = 30.0


@dataclass
class AwxClient:
    """The few REST calls the backend makes, with the token; errors become :class:`AwxProblem`."""

    settings: AwxSettings

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """JSON in, JSON out (text for ``?format=txt``)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.settings.url.rstrip("/") + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.settings.token}", "Content-Type": "application/json",
            "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.settings.request_timeout) as answer:
                raw = answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace")[:300]
            raise AwxProblem(f"AWX answered {err.code} {err.reason} to {method} {path}: {detail}") from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise AwxProblem(f"AWX at {self.settings.url} could not be reached ({method} {path}): {reason}") from None
        if "format=txt" in path:
            return raw
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            raise AwxProblem(f"AWX answered {method} {path} with something that is not JSON: {raw[:120]!r}") from None


@dataclass
class AwxExecutor:
    """Runs every stage as a job of the playbook's job template on AWX / AAP."""

    settings: AwxSettings
    name: str = "awx"
    launched: list[int] = field(default_factory=list)

    def run_stage(self, request: StageRequest, observe: Observe) -> StageResult:
        """Launch, follow and (at the time limit) cancel the stage's job; never raises."""
        job = _Job(AwxClient(self.settings), request, observe)
        note = ""
        try:
            job.launch(self._template(request), self._launch_body(request))
            self.launched.append(job.id)
            note = job.follow(self._deadline(request), self.settings.poll_seconds)
        except AwxProblem as problem:
            note = str(problem)
        return job.result(note)

    def _template(self, request: StageRequest) -> int:
        playbook = str(request.playbook.relative_to(request.project))
        # the project may be the repository (playbooks/x.yml) or its playbooks folder (x.yml)
        for key in (playbook, f"playbooks/{playbook}"):
            if key in self.settings.templates:
                return self.settings.templates[key]
        raise AwxProblem(f"no AWX job template is configured for playbook {playbook}")

    def _launch_body(self, request: StageRequest) -> dict[str, Any]:
        extra = {**record_extra_vars(request.record_vars), **request.control_vars,
                 "target_hosts": ",".join(request.targets)}
        body: dict[str, Any] = {"extra_vars": extra, "limit": ",".join(request.targets),
                                "job_type": "check" if request.check else "run"}
        if request.check:
            body["diff_mode"] = True
        if self.settings.revision:
            body["scm_branch"] = self.settings.revision
        return body

    def _deadline(self, request: StageRequest) -> float:
        # the stage's own limit, but never longer than this AWX connection allows a job
        limit = min(float(request.timeout), self.settings.timeout) if request.timeout else self.settings.timeout
        return time.monotonic() + limit


@dataclass
class _Job:
    client: AwxClient
    request: StageRequest
    observe: Observe
    id: int = 0
    counter: int = 0
    detail: dict[str, Any] = field(default_factory=dict)
    events: list[HostEvent] = field(default_factory=list)

    def launch(self, template: int, body: dict[str, Any]) -> None:
        answer = self.client.call("POST", f"/api/v2/job_templates/{template}/launch/", body)
        self.id = int(answer.get("job") or answer.get("id") or 0)
        ignored = sorted(set(answer.get("ignored_fields") or {}) & set(body))
        if ignored:
            if self.id:
                self.cancel()
            raise AwxProblem(f"job template {template} ignored {', '.join(ignored)} on launch (enable "
                             f"'prompt on launch' for them); job {self.id} was cancelled before it ran")
        if not self.id:
            raise AwxProblem(f"AWX launched template {template} but named no job: {json.dumps(answer)[:200]}")

    def follow(self, deadline: float, poll: float) -> str:
        """Poll until the job finishes; cancel it at ``deadline``. The note ('' when it simply ran)."""
        while True:
            self.detail = self.client.call("GET", f"/api/v2/jobs/{self.id}/")
            self.drain()
            if self.detail.get("status") in FINISHED:
                self.settle(poll)
                return self.verdict()
            if time.monotonic() >= deadline:
                self.cancel()
                return f"AWX job {self.id} was still {self.detail.get('status')} at the stage's time limit: cancelled"
            time.sleep(poll)

    def settle(self, poll: float, rounds: int = 10) -> None:
        """AWX may still be saving events when the job has finished: drain until it says it is done."""
        for _ in range(rounds):
            self.drain()
            if self.detail.get("event_processing_finished", True):
                return
            time.sleep(poll)
            self.detail = self.client.call("GET", f"/api/v2/jobs/{self.id}/")

    def drain(self) -> None:
        """Every event after the last one seen, following the pages AWX hands out."""
        path: str | None = f"/api/v2/jobs/{self.id}/job_events/?order_by=counter&counter__gt={self.counter}"
        while path:
            page = self.client.call("GET", path)
            for raw in page.get("results") or []:
                self.counter = max(self.counter, int(raw.get("counter") or 0))
                event = from_awx(raw, stage=self.request.name)
                if event is not None:
                    self.events.append(event)
                    self.observe(event)
            following = page.get("next")
            path = str(following) if following else None

    def verdict(self) -> str:
        status = str(self.detail.get("status"))
        revision = self.detail.get("scm_revision")
        wanted = self.client.settings.revision
        if wanted and revision and revision != wanted:
            return f"AWX job {self.id} ran revision {revision}, not the trusted commit {wanted}"
        if status == "successful":
            return ""
        stdout = self.client.call("GET", f"/api/v2/jobs/{self.id}/stdout/?format=txt")
        tail = " | ".join(line for line in str(stdout).strip().splitlines()[-3:])
        explanation = self.detail.get("job_explanation") or ""
        return f"AWX job {self.id} ended {status}" + (f" ({explanation})" if explanation else "") + \
            (f"; its output ends: {tail[:300]}" if tail else "")

    def cancel(self) -> None:
        self.client.call("POST", f"/api/v2/jobs/{self.id}/cancel/", {})

    def result(self, note: str) -> StageResult:
        if not any(e.kind is EventKind.STATS for e in self.events) and self.detail.get("artifacts"):
            stats = HostEvent(EventKind.STATS, self.events[-1].created if self.events else datetime.now(UTC),
                              stage=self.request.name, result=dict(self.detail["artifacts"]))
            self.events.append(stats)
        hosts = host_outcomes(self.events, self.request.targets)
        status = str(self.detail.get("status") or "error")
        failed = bool(note) or status != "successful" or bool(self.detail.get("failed"))
        if note:
            hosts = {h: HostOutcome.UNREACHABLE if o is HostOutcome.SKIPPED else o for h, o in hosts.items()}
        rc = 0 if not failed else 2 if status == "failed" else 1
        return StageResult(self.request.name, self.request.playbook.name, rc, hosts, self.events, None,
                           playbook_stats(self.events), status if not note else "failed", note=note)


def from_awx(event: dict[str, Any], *, stage: str) -> HostEvent | None:
    """The host event of one AWX job event (its ``event_data`` is ansible-runner's, ``host_name`` is its host)."""
    data = dict(event.get("event_data") or {})
    if event.get("host_name") and not data.get("host"):
        data["host"] = event["host_name"]
    if event.get("task") and not data.get("task"):
        data["task"] = event["task"]
    return from_runner({"event": event.get("event"), "created": event.get("created"), "event_data": data},
                       stage=stage)


class _UnsafeLoader(yaml.SafeLoader):
    """Reads the record-vars file back, keeping every ``!unsafe`` string unsafe for AWX."""


def _unsafe(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, str]:
    return {"__ansible_unsafe": str(loader.construct_scalar(node))}  # type: ignore[arg-type]


_UnsafeLoader.add_constructor("!unsafe", _unsafe)


def record_extra_vars(path: Path) -> dict[str, Any]:
    """The record's step variables as AWX ``extra_vars``: every string as ``{"__ansible_unsafe": ...}``."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UnsafeLoader)  # noqa: S506 - safe loader subclass
    return data if isinstance(data, dict) else {}

