"""Named points where a kill test stops a run: inert unless ``CHANGEOPS_TEST_KILL_AT`` names one.

The exactly-once tests (``tests/integration/test_execute_kill_matrix.py``) SIGKILL a runner,
or its whole process tree, at moments nothing outside the process marks deterministically:
after the locks are taken and the stage recorded as started, before the stage's first
device command. Where a real mechanism marks the moment (a device's session log, a git
hook in the clone or on the remote), the tests use it instead.

When ``CHANGEOPS_TEST_KILL_AT`` equals the point a run reaches (``before-<stage>``, e.g.
``before-backup``), the process stops itself with SIGSTOP and the test kills it. Unset, or
naming another point, :func:`reached` does nothing. It never skips, repeats or reorders a
step, reads nothing else and changes no decision, so it cannot bypass a control: at worst
a run stops where it stands, and is closed out like any lost runner once its lease expires.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "CHANGEOPS_TEST_KILL_AT"


def reached(point: str) -> None:
    """Stop this process here when a kill test named ``point``; otherwise return at once."""
    if os.environ.get(VARIABLE) == point:
        os.kill(os.getpid(), signal.SIGSTOP)
