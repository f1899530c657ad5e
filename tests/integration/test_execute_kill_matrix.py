"""Exactly once under SIGKILL: a runner killed at each point, its clone discarded, closed out by another runner.

Each case runs a real change on two lab devices from clone A under host name ``runner-a``,
kills it (the process alone, or its whole tree) at the point, deletes clone A and its state
folder, and lets runner B (clone B, host name ``runner-b``) try while the lease runs and
close the run out once it expired (see ``kill_harness``). The selected cases are killed one
after another, then closed out, so their leases run out side by side.
``bench/kill_matrix.py`` repeats the matrix and prints the figures.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kill_harness import HOSTS, KINDS, POINTS, RUNNER_A, Trial, run_matrix, uts_namespace_works

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not uts_namespace_works(), reason="needs unshare -u for a second host name")]


@pytest.fixture(scope="module")
def matrix(request: pytest.FixtureRequest, lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        dict[tuple[str, str], Trial]]:
    """The trials of the cases selected in this module (run before the function-scoped fixtures: isolate here)."""
    cells = [(item.callspec.params["point"], item.callspec.params["kind"]) for item in request.session.items
             if item.module is request.module and hasattr(item, "callspec")]
    home = tmp_path_factory.mktemp("kill-home")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
                            "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Test Engineer",
                            "GIT_AUTHOR_EMAIL": "engineer@example.test", "GIT_COMMITTER_NAME": "Test Engineer",
                            "GIT_COMMITTER_EMAIL": "engineer@example.test",
                            "ANSIBLE_HOME": str(home / ".ansible")}.items():
            patch.setenv(name, value)
        yield {cell: trials[0] for cell, trials in run_matrix(lab, tmp_path_factory.mktemp("kill"), cells).items()}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("point", POINTS)
def test_a_killed_runner_leaves_no_unrecorded_change_no_relabel_no_stuck_lock_no_duplicate(
        matrix: dict[tuple[str, str], Trial], point: str, kind: str) -> None:
    trial = matrix[(point, kind)]
    assert not trial.error, trial.error
    context = "\n".join(trial.details)[-4000:]
    assert trial.refused_before_lease, context
    assert trial.changed_without_record == 0, context
    assert trial.relabelled == 0, context
    assert trial.stuck_locks == 0, context
    assert trial.duplicates == 0, context
    assert not trial.diverged, "runner B's clone still follows the remote"
    if point == "before-backup":
        assert trial.changed == [], "killed before its first device command, the run changed nothing"
    if point in ("implementation", "commit", "push"):
        assert HOSTS[0] in trial.changed, "the point is past the first device's change"
    assert trial.remote_result in ("interrupted", "completed"), trial.remote_result
    if trial.remote_result == "interrupted":
        assert f"runner ({RUNNER_A}," in context or RUNNER_A in trial.lost_note, "the record names runner A's host"
