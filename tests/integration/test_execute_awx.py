"""The AWX backend against a conversation served on 127.0.0.1, written from the AWX REST API v2 documentation.

No AWX runs here: the fixtures under tests/fixtures/awx/ are what the documentation says AWX
answers (see docs/developers/awx.md for what that proves and what it does not). The server
answers each (method, path) with its recorded responses in order, the last one repeating,
and keeps every request so the tests can check what the backend asked for.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from changeops.estate.layout import Estate
from changeops.execute.backends.awx import AwxExecutor, AwxSettings
from changeops.execute.pipeline import run_change
from changeops.execute.preconditions import LAB_HEADER
from changeops.execute.progress import Progress
from execute_estate import AT, git, make_estate, summary

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "awx"
HOST, CHANGE, TOKEN = "sy-dc1-core-r1", "CHG-20261208-lab-awx", "changeops-test-token"
TEMPLATES = {"playbooks/lab-backup.yml": 11, "playbooks/lab-config.yml": 12, "playbooks/lab-verify.yml": 13,
             "playbooks/rollback.yml": 14}


class Conversation:
    """A recorded conversation: responses by (method, path), requests as received."""

    def __init__(self, name: str, revision: str) -> None:
        data = json.loads((FIXTURES / name).read_text(encoding="utf-8").replace("@REVISION@", revision))
        self.responses = {(x["method"], x["path"]): list(x["responses"]) for x in data["exchanges"]}
        self.received: list[dict[str, Any]] = []

    def answer(self, method: str, path: str, body: bytes, auth: str) -> tuple[int, str, bytes]:
        self.received.append({"method": method, "path": path, "auth": auth,
                              "body": json.loads(body) if body else None})
        queue = self.responses.get((method, path))
        if not queue:
            return 404, "application/json", b'{"detail": "Not found."}'
        response = queue.pop(0) if len(queue) > 1 else queue[0]
        if "text" in response:
            return response["status"], "text/plain", response["text"].encode()
        return response["status"], "application/json", json.dumps(response["json"]).encode()

    def unexpected(self) -> list[str]:
        return [f"{r['method']} {r['path']}" for r in self.received if (r["method"], r["path"]) not in self.responses]

    def paths(self, method: str) -> list[str]:
        return [r["path"] for r in self.received if r["method"] == method]


def _serve(conversation: Conversation) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, kind, payload = conversation.answer(self.command, self.path, body,
                                                        self.headers.get("Authorization", ""))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _reply

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def estate(tmp_path: Path) -> tuple[Path, str, Path]:
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    overlay = tmp_path / "lab.yml"  # the clock of a lab run: the target on loopback, as `lab up` writes it
    overlay.write_text(f"{LAB_HEADER}\nall:\n  hosts:\n    {HOST}:\n      ansible_host: 127.0.0.1\n")
    return root, git(root, "rev-parse", "HEAD").strip(), overlay


def _run(estate: tuple[Path, str, Path], fixture: str, **settings: Any) -> tuple[Any, Conversation]:
    root, revision, overlay = estate
    conversation = Conversation(fixture, revision)
    for url in _serve(conversation):
        executor = AwxExecutor(AwxSettings(url, TOKEN, TEMPLATES, revision=revision, poll_seconds=0.05, **settings))
        outcome = run_change(Estate(root), CHANGE, at=datetime.fromisoformat(AT), overlays=[overlay],
                             progress=Progress(live=False), executor=executor)
    return outcome, conversation


def test_a_change_runs_as_awx_jobs_and_is_recorded_like_a_local_run(estate) -> None:
    outcome, conversation = _run(estate, "run-completed.json")

    assert outcome.result == "completed", outcome
    assert conversation.unexpected() == []
    record = summary(outcome.folder)
    assert record["executor"] == "awx"
    assert [(s["name"], s["hosts"]) for s in record["stages"]] == [
        ("backup", {HOST: "ok"}), ("implementation", {HOST: "ok"}), ("verification", {HOST: "ok"})]
    launches = [r for r in conversation.received if r["method"] == "POST"]
    assert [r["path"] for r in launches] == [f"/api/v2/job_templates/{t}/launch/" for t in (11, 12, 13)]
    assert all(r["auth"] == f"Bearer {TOKEN}" for r in conversation.received)
    body = launches[1]["body"]
    assert body["limit"] == HOST and body["job_type"] == "run" and body["scm_branch"] == estate[1]
    assert body["extra_vars"]["log_host"] == {"__ansible_unsafe": "10.20.250.99"}
    assert body["extra_vars"]["target_hosts"] == HOST and body["extra_vars"]["changeops_run"] == outcome.run_id
    assert "/api/v2/jobs/101/job_events/?order_by=counter&counter__gt=0&page=2" in conversation.paths("GET")
    transcript = (outcome.folder / "hosts" / f"{HOST}.log").read_text()
    assert "TASK [Add the logging host]" in transcript and "logging host 10.20.250.99" in transcript
    events = [json.loads(line) for line in (outcome.folder / "events.jsonl").read_text().splitlines()]
    assert [e["event"] for e in events if e.get("host") and e.get("stage") == "implementation"] == ["task-start", "ok"]
    assert git(estate[0], "for-each-ref", "refs/changeops/locks/") == ""


def test_a_job_still_running_at_the_time_limit_is_cancelled(estate) -> None:
    outcome, conversation = _run(estate, "job-timeout.json", timeout=0.5)

    assert outcome.result == "failed"
    assert "/api/v2/jobs/201/cancel/" in conversation.paths("POST")
    notes = " ".join(summary(outcome.folder)["notes"])
    assert "AWX job 201 was still running at the stage's time limit: cancelled" in notes
    assert summary(outcome.folder)["stages"][0]["hosts"] == {HOST: "unreachable"}
    assert "Result: failed" in git(estate[0], "log", "-1", "--format=%B")
    assert git(estate[0], "for-each-ref", "refs/changeops/locks/") == ""


def test_a_failed_job_fails_the_stage_with_its_output(estate) -> None:
    outcome, conversation = _run(estate, "job-failed.json")

    assert outcome.result == "failed" and conversation.unexpected() == []
    record = summary(outcome.folder)
    assert record["stages"][0]["hosts"] == {HOST: "failed"}
    notes = " ".join(record["notes"])
    assert "AWX job 301 ended failed" in notes and "failed=1" in notes
    assert "/api/v2/jobs/301/job_events/?order_by=counter&counter__gt=2" in conversation.paths("GET"), \
        "events saved after the job finished were not drained"


def test_a_template_that_ignores_the_targets_is_not_run(estate) -> None:
    outcome, conversation = _run(estate, "launch-ignored-fields.json")

    assert outcome.result == "failed"
    notes = " ".join(summary(outcome.folder)["notes"])
    assert "job template 11 ignored limit, scm_branch on launch" in notes
    assert conversation.paths("POST") == ["/api/v2/job_templates/11/launch/", "/api/v2/jobs/401/cancel/"]


def test_a_refused_token_is_a_note_not_a_traceback(estate) -> None:
    outcome, _ = _run(estate, "unauthorized.json")

    assert outcome.result == "failed"
    assert "AWX answered 401 Unauthorized to POST /api/v2/job_templates/11/launch/" in " ".join(
        summary(outcome.folder)["notes"])


def test_an_unreachable_awx_is_a_note(estate, tmp_path: Path) -> None:
    root, revision, overlay = estate
    executor = AwxExecutor(AwxSettings("http://127.0.0.1:9", TOKEN, TEMPLATES, revision=revision))
    outcome = run_change(Estate(root), CHANGE, at=datetime.fromisoformat(AT), overlays=[overlay],
                         progress=Progress(live=False), executor=executor)

    assert outcome.result == "failed"
    assert "AWX at http://127.0.0.1:9 could not be reached" in " ".join(summary(outcome.folder)["notes"])
