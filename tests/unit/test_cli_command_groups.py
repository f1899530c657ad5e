"""Command groups of other distributions (the device lab) are mounted from entry points, never imported."""

from __future__ import annotations

from importlib import metadata

import pytest
import typer
from changeops import cli

GROUP = "changeops.commands"


def _app_with(monkeypatch: pytest.MonkeyPatch, *registered: metadata.EntryPoint) -> typer.Typer:
    """A fresh main app whose entry point group holds exactly ``registered``; cli.main runs it."""
    monkeypatch.setattr(metadata, "entry_points", lambda group: [e for e in registered if e.group == group])
    fresh = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)
    fresh.command()(lambda: None)  # a second command, so Typer keeps sub-command names as on the real app
    cli.mount_command_groups(fresh)
    monkeypatch.setattr(cli, "app", fresh)
    return fresh


def fake_group() -> typer.Typer:
    group = typer.Typer()

    @group.command()
    def up(devices: int = 0) -> None:
        print(f"fake lab up with {devices} devices")

    @group.command()
    def down() -> None:
        print("fake lab down")

    return group


FAKE_LAB = fake_group()


@pytest.mark.parametrize("argv", [["lab"], ["lab", "up", "--devices", "3"], ["lab", "--help"], ["lab", "status"]])
def test_lab_not_installed_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, capsys, argv: list[str]) -> None:
    _app_with(monkeypatch)

    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert "the device lab is not installed" in captured.err
    assert "pip install -e tooling/changeops_lab" in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_a_registered_group_is_mounted_under_its_name(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    _app_with(monkeypatch, metadata.EntryPoint("lab", f"{__name__}:FAKE_LAB", GROUP))

    assert cli.main(["lab", "up", "--devices", "3"]) == 0
    assert cli.main(["lab", "down"]) == 0
    assert capsys.readouterr().out.splitlines() == ["fake lab up with 3 devices", "fake lab down"]


def test_other_entry_point_groups_are_ignored(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    _app_with(monkeypatch, metadata.EntryPoint("lab", f"{__name__}:FAKE_LAB", "console_scripts"))

    assert cli.main(["lab", "up"]) == 2
    assert "not installed" in capsys.readouterr().err


@pytest.mark.parametrize(("value", "problem"), [
    ("changeops_no_such_module:app", "could not be loaded (ModuleNotFoundError"),
    (f"{__name__}:GROUP", "is not a Typer app"),
])
def test_a_broken_group_explains_itself_and_leaves_the_rest_working(monkeypatch: pytest.MonkeyPatch, capsys,
                                                                    value: str, problem: str) -> None:
    app = _app_with(monkeypatch, metadata.EntryPoint("lab", value, GROUP),
                    metadata.EntryPoint("extra", f"{__name__}:FAKE_LAB", GROUP))

    assert cli.main(["lab", "up"]) == 2
    err = capsys.readouterr().err
    assert f"changeops lab: `{value}` {problem}" in err and "Traceback" not in err
    assert cli.main(["extra", "down"]) == 0 and "fake lab down" in capsys.readouterr().out
    assert sorted(g.name for g in app.registered_groups) == ["extra"]
