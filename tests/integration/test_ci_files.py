"""The CI definitions are valid for their forge, and the gate in them judges with the base's code.

The schemas are the ones check-jsonschema vendors (GitHub workflows, GitLab CI), so nothing
is fetched from the network.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from changeops.yaml12 import load

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def schema(name: str) -> dict[str, Any]:
    text = files("check_jsonschema.builtin_schemas.vendor").joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def document(path: str) -> Any:
    doc = load((REPO / path).read_bytes())
    assert doc.problem is None, doc.problem
    return doc.data


def errors(data: Any, name: str) -> list[str]:
    validator = jsonschema.Draft7Validator(schema(name), format_checker=None)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


WORKFLOWS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / ".github" / "workflows").glob("*.yml"))


def test_every_workflow_is_checked() -> None:
    assert {".github/workflows/changeops-check.yml", ".github/workflows/changeops-apply.yml",
            ".github/workflows/fresh-machine.yml"} <= set(WORKFLOWS)


@pytest.mark.parametrize("path", WORKFLOWS)
def test_github_workflows_match_the_schema(path: str) -> None:
    assert errors(document(path), "github-workflows") == []


def test_gitlab_ci_matches_the_schema() -> None:
    assert errors(document(".gitlab-ci.yml"), "gitlab-ci") == []


def test_the_schemas_do_refuse_a_broken_file() -> None:
    broken = document(".github/workflows/changeops-check.yml")
    del broken["jobs"]["check"]["runs-on"]  # a job must say where it runs
    assert errors(broken, "github-workflows")
    gitlab = document(".gitlab-ci.yml")
    gitlab["changeops-check"]["artifacts"]["when"] = "sometimes"
    assert errors(gitlab, "gitlab-ci")


def test_github_gate_installs_the_base_and_holds_no_write_token() -> None:
    workflow = document(".github/workflows/changeops-check.yml")
    assert list(workflow["on"]) == ["pull_request_target"] and workflow["permissions"] == {}
    check = workflow["jobs"]["check"]
    assert check["permissions"] == {"contents": "read"}
    steps = check["steps"]
    judge = next(s for s in steps if s.get("with", {}).get("path") == "judge")
    assert judge["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    runs = [s["run"] for s in steps if "run" in s]
    assert "pip install ./judge" in runs and not any("-e ." in r or "pip install ./pr" in r for r in runs)
    assert all(s.get("with", {}).get("persist-credentials") is False for s in steps if "checkout" in s.get("uses", ""))
    assert "GH_TOKEN" not in json.dumps(check) and "secrets." not in json.dumps(check)
    gate = next(s for s in steps if s.get("id") == "gate")
    assert gate["working-directory"] == "pr" and '--base "$BASE_SHA" --head "$HEAD_SHA"' in gate["run"]


def test_gitlab_gate_installs_the_base_and_holds_no_token() -> None:
    job = document(".gitlab-ci.yml")["changeops-check"]
    commands = "\n".join(job["before_script"] + job["script"])
    assert "pip install -q /tmp/changeops-judge" in commands and "-e ." not in commands
    assert 'git worktree add -q --detach /tmp/changeops-judge "$BASE_SHA"' in commands
    assert "TOKEN" not in json.dumps(job)
