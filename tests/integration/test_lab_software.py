"""Patch (SMU install) and upgrade (boot + reload) flows of the real playbooks against the lab."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"
FAST_RELOAD = {"reload_wait_seconds": 0, "reload_timeout": 60}


def test_smu_patch_is_installed_and_committed(lab) -> None:
    host, smu = "sy-dc1-core-r2", "asr1000-universalk9.17.09.04a.CSCwk63254.SPA.smu.bin"
    lab.control.reset(host)
    added = lab.control.add_flash_file(host, smu)

    result = lab.run(PLAYBOOKS / "patch.yml",
                     extravars={"target_hosts": host, "patch_file": smu, "patch_md5": added["md5"], **FAST_RELOAD})

    assert result.rc == 0, result.stdout
    assert lab.control.device_state(host)["packages"] == [{"filename": smu, "state": "C"}]
    assert any(e.text.endswith("Do you want to proceed? [y/n]") for e in lab.session_log(host))
    assert "y" in lab.received(host), "the playbook answered the install confirmation"


def test_upgrade_reloads_into_the_new_version(lab) -> None:
    host, image = "dl-pop1-edge-r1", "isr4400-universalk9.17.12.04.SPA.bin"
    lab.control.reset(host)
    added = lab.control.add_flash_file(host, image)

    result = lab.run(PLAYBOOKS / "upgrade.yml", extravars={
        "target_hosts": host, "target_image": image, "target_image_md5": added["md5"],
        "target_version": "17.12.04", **FAST_RELOAD})

    state = lab.control.device_state(host)
    assert result.rc == 0, result.stdout
    assert (state["version"], state["image"]) == ("17.12.04", image)
    assert "Proceed with reload? [confirm]" in [e.text for e in lab.session_log(host)]
    assert any(e.text == "reload: up on 17.12.04 (isr4400-universalk9.17.12.04.SPA.bin)"
               for e in lab.session_log(host))


def test_bad_reload_keeps_the_old_version_and_boot_image_rollback_recovers(lab) -> None:
    host, old_image = "sy-dc2-core-r2", "asr1001x-universalk9.17.06.05.SPA.bin"
    new_image = "asr1001x-universalk9.17.09.04a.SPA.bin"
    lab.control.reset(host)
    lab.control.add_flash_file(host, new_image)
    lab.control.set_fault(host, "bad-reload")

    upgrade = lab.run(PLAYBOOKS / "upgrade.yml", extravars={
        "target_hosts": host, "target_image": new_image, "target_version": "17.09.04a", **FAST_RELOAD})
    lab.control.clear_faults(host)
    rollback = lab.run(PLAYBOOKS / "rollback.yml", extravars={
        "target_hosts": host, "rollback_action": "boot-image", "rollback_image": old_image,
        "rollback_version": "17.06.05", **FAST_RELOAD})

    failed = upgrade.last(host, "Device runs the target version")
    assert upgrade.rc != 0 and failed.status == "failed"
    assert f"{host} did not come up on 17.09.04a" in failed.result["msg"]
    assert rollback.rc == 0, rollback.stdout
    state = lab.control.device_state(host)
    assert state["version"] == "17.06.05"
    assert f"boot system flash:{old_image}" in state["startup_config"]
    assert any("BOOT-3-BOOTTIME_IMAGE_FAIL" in line for line in state["log"])
