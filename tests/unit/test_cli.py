"""The CLI maps outcomes to exit codes and never shows a raw traceback by default."""

from __future__ import annotations

from pathlib import Path

import changeops
import pytest
import typer
from changeops import cli
from changeops.publish import labels
from changeops.validation import validate as validate_module


def test_internal_error_is_exit_3_with_a_short_message(estate_root: Path, monkeypatch, capsys) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(validate_module, "validate", broken)
    assert cli.main(["validate", "--repo", str(estate_root)]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: disk on fire" in err and "Traceback" not in err


def test_debug_shows_the_traceback(estate_root: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(validate_module, "validate", lambda *a, **k: 1 / 0)
    assert cli.main(["--debug", "validate", "--repo", str(estate_root)]) == 3
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "code"), [
    (["validate"], 0),
    (["show", "CHG-20990101-missing"], 2),
    (["new", "rebuild", "--id", "CHG-20261222-x-yz", "--targets", "core_routers"], 2),
])
def test_exit_codes(estate_root: Path, argv: list[str], code: int) -> None:
    assert cli.main([*argv, "--repo", str(estate_root)]) == code


def test_commands_on_an_invalid_record_are_usage_errors(estate_root: Path, capsys) -> None:
    record = estate_root / "changes/CHG-20261210-dl-edge-upgrade/change.yaml"
    record.write_text(record.read_text().replace("outage_minutes: 20", "outage_minutes: lots"))
    for command in ("digest", "approvals"):
        assert cli.main([command, "CHG-20261210-dl-edge-upgrade", "--repo", str(estate_root)]) == 2
        assert "is not a valid record" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "message"), [
    (["foo"], "No such command 'foo'"),
    (["validate", "--bogus"], "No such option: --bogus"),
    (["show"], "Missing argument 'ID'"),
    (["calendar", "--from", "someday"], "Invalid value for '--from'"),
])
def test_usage_errors_exit_2_with_typers_message(argv: list[str], message: str, capsys) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err and "Traceback" not in err


def test_version(capsys) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"changeops {changeops.__version__}"


def _commands(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(getattr(group, "commands", {}).items()):
        found.append((*prefix, name))
        found += _commands(command, (*prefix, name))
    return found


COMMANDS = _commands(typer.main.get_command(cli.app))


def test_every_command_group_is_mounted() -> None:
    assert {("validate",), ("check",), ("approve",), ("run",), ("runs",), ("calendar",), ("lab", "up")} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_help_has_an_example_and_the_exit_codes(command: tuple[str, ...], capsys) -> None:
    assert cli.main([*command, "--help"]) == 0
    text = capsys.readouterr().out
    assert f"$ changeops {' '.join(command)}" in text, text
    assert "Exit codes: 0 clean, 1 findings or refused, 2 usage error, 3 internal error" in " ".join(text.split())
    assert "<bool>" not in text


def test_show_speaks_the_customers_language_with_the_sites_state_names(estate_root: Path, capsys) -> None:
    assert cli.main(["show", "CHG-20261208-core-smu-snmp", "--repo", str(estate_root)]) == 0
    text = capsys.readouterr().out
    state_line = next(line for line in text.splitlines() if line.startswith("状态"))
    assert state_line.split()[1] in labels.STATES["zh"].values(), state_line
    flat = "".join(text.split())
    risk = "补丁激活需重启路由器；一次只处理一台，对端路由器承载全部流量。若对端同时故障，业务中断。"
    assert risk in flat and "…" not in text

    assert cli.main(["show", "CHG-20261208-core-smu-snmp", "--lang", "en", "--repo", str(estate_root)]) == 0
    english = capsys.readouterr().out
    assert english.startswith("─") and "State" in english and "Maintenance window" in english


def test_show_refuses_an_unknown_language(estate_root: Path, capsys) -> None:
    assert cli.main(["show", "CHG-20261208-core-smu-snmp", "--lang", "fr", "--repo", str(estate_root)]) == 2
    assert "'fr' is not zh or en" in capsys.readouterr().err


@pytest.mark.parametrize("group", [[], ["lab"]])
def test_command_lists_are_not_cut_off(group: list[str], capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert cli.main([*group, "--help"]) == 0
    listing = capsys.readouterr().out.split("Commands:", 1)[1]
    assert "..." not in listing and "…" not in listing
