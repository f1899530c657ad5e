"""What a person sees of the CLI in a terminal: tables that fit, usage errors without click."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

pytestmark = pytest.mark.integration
FIX = "CHG-20261120-dl-edge-route-fix"
STAGES = ("precheck", "backup", "implementation", "verification", "rollback", "rollback-verification")
SUMMARY = """\
schema_version: 1
run: 20261120T051000Z-7f3a
change: CHG-20261120-dl-edge-route-fix
started: 2026-11-19T21:10:02Z
finished: 2026-11-19T21:13:41Z
result: rolled-back
operator: 李海涛 (Li Haitao) <lihaitao@netops.example.com>
stages:
""" + "".join(f"  - {{name: {name}, started: 2026-11-19T21:11:00Z, hosts: {{dl-pop1-edge-r1: ok}}}}\n"
              for name in STAGES)


def changeops(*args: str, cwd: Path, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-m", "changeops", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("columns", [80, 50])
def test_runs_table_fits_the_terminal_and_cuts_nothing(estate_root: Path, columns: int) -> None:
    run = estate_root / "changes" / FIX / "runs" / "20261120T051000Z-7f3a"
    run.mkdir(parents=True)
    (run / "summary.yaml").write_text(SUMMARY, encoding="utf-8")

    result = changeops("runs", FIX, cwd=estate_root, columns=columns)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= columns for line in lines), result.stdout
    assert "…" not in result.stdout
    words = set(result.stdout.replace("│", " ").split())
    assert {"rolled-back", "20261120T051000Z-7f3a", "rollback-verification", "<lihaitao@netops.example.com>"} <= words
    assert "state: rolled-back" in result.stdout


def test_usage_errors_need_no_click(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['click'] = None\n"  # an import of click now fails, as in a clean venv
            "from changeops.cli import main\n"
            "sys.exit(main(['validate', '--bogus']))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 2, result.stderr
    assert "No such option: --bogus" in result.stderr and "Traceback" not in result.stderr
