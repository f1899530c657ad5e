"""The simulated device's CLI, line by line, without SSH."""

from __future__ import annotations

import pytest
from changeops_lab.cli_session import CliSession
from changeops_lab.device import synthetic_device
from changeops_lab.faults import FaultError, Faults
from changeops_lab.maintenance import boot_target
from changeops_lab.ssh_server import LineSplitter


@pytest.fixture
def session() -> CliSession:
    device = synthetic_device(7, "netops")
    return CliSession(device, Faults(), lambda name: None, enable_secret="s3cret", user="netops")


def _enabled(session: CliSession) -> CliSession:
    session.handle("enable")
    session.handle("s3cret")
    return session


def test_enable_asks_for_the_secret_without_echo_and_raises_privilege(session: CliSession) -> None:
    assert session.prompt() == "lab-r007>"
    asked = session.handle("enable")
    assert asked.prompt == "Password: " and session.echo is False
    assert session.handle("wrong").output == "% Bad secrets"
    _enabled(session)
    assert session.prompt() == "lab-r007#"
    assert session.handle("show privilege").output == "Current privilege level is 15"


def test_configuration_modes_nest_and_end_returns_to_exec(session: CliSession) -> None:
    _enabled(session)
    prompts = [session.handle(line).prompt for line in (
        "configure terminal", "interface GigabitEthernet0/0/1", "router ospf 1", "address-family ipv4",
        "exit-address-family", "line vty 0 4", "end")]

    assert prompts == ["lab-r007(config)#", "lab-r007(config-if)#", "lab-r007(config-router)#",
                       "lab-r007(config-router-af)#", "lab-r007(config-router)#", "lab-r007(config-line)#",
                       "lab-r007#"]
    assert "%SYS-5-CONFIG_I: Configured from console by netops" in session.device.log[-1]


def test_show_in_config_mode_needs_do(session: CliSession) -> None:
    _enabled(session)
    session.handle("configure terminal")

    assert "% Invalid input" in session.handle("show version").output
    assert "Version 17.09.04a" in session.handle("do show version").output


def test_copy_running_startup_answers_the_filename_question(session: CliSession) -> None:
    _enabled(session)
    session.handle("configure terminal")
    session.handle("hostname edge-7")
    session.handle("end")
    splitter = LineSplitter()

    lines = splitter.feed("copy running-config startup-config\r\r")
    replies = [session.handle(line) for line in lines]

    assert replies[0].prompt == "Destination filename [startup-config]? "
    assert replies[1].output == "Building configuration...\n[OK]" and replies[1].prompt == "edge-7#"
    assert "hostname edge-7" in session.device.startup.render()


def test_reload_asks_to_save_then_confirm_and_boots_the_new_image(session: CliSession) -> None:
    device = _enabled(session).device
    device.software.add_file("c8000be-universalk9.17.12.04.SPA.bin")
    for line in ("configure terminal", "no boot system", "boot system flash:c8000be-universalk9.17.12.04.SPA.bin",
                 "end"):
        session.handle(line)

    assert session.handle("reload").prompt == "System configuration has been modified. Save? [yes/no]: "
    assert session.handle("yes").prompt == "Proceed with reload? [confirm]"
    final = session.handle("")
    assert final.hang_up and final.reload
    assert boot_target(device) == ("c8000be-universalk9.17.12.04.SPA.bin", "17.12.04")


def test_install_smu_needs_confirmation(session: CliSession) -> None:
    device = _enabled(session).device
    device.software.add_file("c8000be.17.09.04a.CSCxx1.SPA.smu.bin")

    asked = session.handle("install add file flash:c8000be.17.09.04a.CSCxx1.SPA.smu.bin activate commit")
    done = session.handle("y")

    assert asked.prompt.endswith("Do you want to proceed? [y/n]")
    assert "SUCCESS: install_add_activate_commit" in done.output
    assert "SMU   C    flash:c8000be.17.09.04a.CSCxx1.SPA.smu.bin" in session.handle("show install summary").output


def test_verify_md5_matches_and_mismatches(session: CliSession) -> None:
    device = _enabled(session).device
    image = device.software.add_file("x.17.12.04.SPA.bin", md5="0" * 32)

    assert f"Verified (flash:x.17.12.04.SPA.bin) = {image.md5}" in session.handle(
        f"verify /md5 flash:x.17.12.04.SPA.bin {image.md5}").output
    assert "%Error verifying" in session.handle("verify /md5 flash:x.17.12.04.SPA.bin " + "1" * 32).output
    assert "No such file" in session.handle("dir flash:missing.bin").output


def test_refuse_command_fault_answers_with_an_ios_error(session: CliSession) -> None:
    _enabled(session)
    session.faults.apply("refuse-command", r"^show ip route")

    assert "% Invalid input detected at '^' marker." in session.handle("show ip route summary").output
    assert "Version" in session.handle("show version").output
    with pytest.raises(FaultError):
        session.faults.apply("slow", "soon")


def test_abbreviations_and_ambiguity(session: CliSession) -> None:
    _enabled(session)

    assert "Version 17.09.04a" in session.handle("sh ver").output
    assert session.handle("conf t").prompt == "lab-r007(config)#"
    assert "Ambiguous" in CliSession(session.device, Faults(), lambda n: None, "x", "u").handle("c").output


def test_line_splitter_handles_cr_lf_and_crlf() -> None:
    splitter = LineSplitter()

    assert splitter.feed("a\r\nb\rc\nd") == ["a", "b", "c"]
    assert splitter.feed("\r\r") == ["d", ""]
