"""Planted secrets of every shape, through real `changeops run`s on the lab: none reaches git, in any spelling.

Run 1 plants secret configuration lines in a device's running configuration before the
backup, sends more in ``ios_config`` commands (with ``diff``), and carries vault values
(a vault file with innocuous key names, an inline ``!vault``), a ``no_log`` task's
arguments and a verbose failure. The configuration values have innocuous names and come
from an inventory outside git, so only the grammar can mask them.

Run 2 is the fail-closed path: a playbook writes a vault value (base64-encoded) into the
run folder itself, past the run writer and its mask. The scan finds it, nothing is
committed, and the error names the file and the line.
"""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
import yaml
from changeops.estate.layout import Estate
from changeops.execute.pipeline import SecretLeakError, run_change
from changeops.execute.progress import Progress
from changeops.execute.run_record import state_dir
from execute_estate import AT, default_steps, git, make_estate

pytestmark = pytest.mark.integration
HOST, HOST2 = "sy-dc2-core-r1", "dl-pop1-edge-r1"
VAULT_PASSWORD = "lab-vault-password-7"

# Each configuration shape planted on the device, and the secret in it.
PLANTED = {
    "enable secret 9 $9$PlantEnab1eHash$q1w2e3r4t5y6": "$9$PlantEnab1eHash$q1w2e3r4t5y6",
    "username planted0 privilege 15 secret 0 PlantUser0Pw": "PlantUser0Pw",
    "username planted5 secret 5 $1$Pl4n$PlantUser5Hash": "$1$Pl4n$PlantUser5Hash",
    "username planted7 password 7 0956PlantUser7": "0956PlantUser7",
    "username planted8 secret 8 $8$PlantUser8Hash$abc": "$8$PlantUser8Hash$abc",
    "username planted9 secret 9 $9$PlantUser9Hash$def": "$9$PlantUser9Hash$def",
    "snmp-server community PlantComm1RO RO": "PlantComm1RO",
    "snmp-server host 192.0.2.50 version 2c PlantTrapComm": "PlantTrapComm",
    "snmp-server user plnms PLGRP v3 auth sha PlantAuthKey1 priv aes 128 PlantPrivKey1": "PlantAuthKey1",
    "snmp-server user plnms2 PLGRP v3 auth md5 PlantAuthKey2 priv des PlantPrivKey2": "PlantPrivKey2",
    "tacacs-server host 192.0.2.51 key 7 PlantTacLegacy1": "PlantTacLegacy1",
    "radius-server host 192.0.2.52 auth-port 1645 acct-port 1646 key PlantRadLegacy1": "PlantRadLegacy1",
    "ntp authentication-key 7 md5 PlantNtpKey1 7": "PlantNtpKey1",
    "crypto isakmp key PlantIsakmpPsk1 address 192.0.2.53": "PlantIsakmpPsk1",
    "key chain PLANTKC\n key 1\n  key-string 7 PlantChainKey1": "PlantChainKey1",
    "tacacs server PLANTTAC\n address ipv4 192.0.2.54\n key 7 PlantTacBlock1": "PlantTacBlock1",
    "radius server PLANTRAD\n address ipv4 192.0.2.55 auth-port 1812\n key PlantRadBlock1": "PlantRadBlock1",
    "crypto keyring PLANTKR\n pre-shared-key address 192.0.2.56 key PlantKeyringPsk1": "PlantKeyringPsk1",
    "crypto ikev2 keyring PLANTIK\n peer PL1\n  address 192.0.2.57\n  pre-shared-key PlantIkev2Psk1": "PlantIkev2Psk1",
    "router bgp 65501\n neighbor 192.0.2.58 password 7 PlantBgpPw1": "PlantBgpPw1",
    "interface Loopback77\n ip ospf authentication-key 7 PlantOspfKey1": "PlantOspfKey1",
    "interface Loopback78\n ip ospf message-digest-key 1 md5 PlantOspfMd5": "PlantOspfMd5",
    "interface Loopback79\n standby 1 authentication md5 key-string PlantHsrpMd5": "PlantHsrpMd5",
    "interface Loopback80\n standby 2 authentication PlantHsrpText": "PlantHsrpText",
    "interface Loopback81\n vrrp 1 authentication text PlantVrrpText": "PlantVrrpText",
    "interface Loopback82\n isis password PlantIsisPw1": "PlantIsisPw1",
    "router eigrp PLANTE\n af-interface default\n  authentication mode hmac-sha-256 7 PlantEigrpKey1": "PlantEigrpKey1",
    "router isis PLANTI\n area-password PlantIsisArea1": "PlantIsisArea1",
    "interface Serial9\n ppp chap password 7 PlantChapPw1": "PlantChapPw1",
    "interface Serial10\n ppp pap sent-username plisp password 0 PlantPapPw1": "PlantPapPw1",
    "line vty 5 15\n password 7 PlantLinePw1": "PlantLinePw1",
}
# Values from an inventory outside git, under innocuous names: only the grammar knows them as secrets when sent.
SENT = {"ro_material": "SentComm2RO", "user_material": "SentUserSec2", "tac_block_material": "SentTacKey2",
        "refused_material": "RefusedKey6"}
NO_LOG = {"location_material": "NoLogRef3xyz"}
VAULT_FILE = {"tacacs_key": "VaultFileTac4", "ntp_material": "VaultFileNtp4"}
INLINE_VAULT = ("peer_material", "InlineVault5x")

PLAY = """
- name: Change with secrets in every shape
  hosts: "{{ target_hosts }}"
  gather_facts: false
  tasks:
    - name: Send secrets in configuration commands
      cisco.ios.ios_config:
        lines:
          - "snmp-server community {{ ro_material }} RO"
          - "username sentuser privilege 15 secret 0 {{ user_material }}"
      diff: true
    - name: A keyed section, sent line by line
      cisco.ios.ios_config:
        parents: "tacacs server SENTTAC"
        lines: ["key {{ tac_block_material }}"]
      diff: true
    - name: A section the device refuses (its error echoes the key line without the section)
      cisco.ios.ios_config:
        parents: "radius server SENTFAIL"
        lines: ["key {{ refused_material }}"]
      ignore_errors: true
    - name: Module arguments carrying vault values
      cisco.ios.ios_command:
        commands: ["show running-config | include {{ ntp_material }}|{{ peer_material }}"]
    - name: A hidden task
      cisco.ios.ios_config:
        lines: ["snmp-server location {{ location_material }}"]
      no_log: true
    - name: A verbose failure
      ansible.builtin.fail:
        msg: "TACACS key {{ tacacs_key }} rejected by peer {{ peer_material }} ({{ ntp_material }})"
      ignore_errors: true
"""
LEAK_PLAY = """
- name: A playbook that writes into the run folder itself, past the run writer
  hosts: "{{ target_hosts }}"
  gather_facts: false
  tasks:
    - name: Leave a note next to the run record
      ansible.builtin.copy:
        dest: "{{ estate_root }}/changes/CHG-20261208-lab-leak/runs/{{ changeops_run }}/notes.txt"
        content: "operator note\\n{{ tacacs_key | b64encode }}\\n"
        mode: "0600"
      delegate_to: localhost
      vars:
        ansible_connection: local
        ansible_python_interpreter: "{{ ansible_playbook_python }}"
        ansible_become: false
"""


def spellings(value: str) -> dict[str, str]:
    """The value raw, URL-encoded, in hex and base64 at each of the three offsets (written apart from the code)."""
    raw = value.encode()
    forms = {"raw": value, "url": quote(value, safe=""), "url+": quote_plus(value), "hex": raw.hex(),
             "HEX": raw.hex().upper()}
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        forms[f"base64+{offset}"] = encoded[(0, 2, 3)[offset]:((offset + len(raw)) // 3) * 4]
    return forms


def every_blob(root: Path) -> str:
    """Every object git stores in the repository, as text (commits, trees, blobs)."""
    listing = git(root, "rev-list", "--all", "--objects").split()
    shas = sorted({item for item in listing if re.fullmatch(r"[0-9a-f]{40}", item)})
    out = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="\n".join(shas) + "\n",
                         capture_output=True, text=True, errors="replace", check=True).stdout
    return out


def folder_text(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(folder.rglob("*")) if p.is_file())


def assert_nowhere(secrets: list[str], places: dict[str, str]) -> None:
    """No spelling of any secret in any place (a failure shows where, with the text around it)."""
    leaks = []
    for secret in secrets:
        for form, text in spellings(secret).items():
            for place, haystack in places.items():
                at = haystack.find(text)
                if at >= 0:
                    leaks.append(f"{secret} ({form}) in {place}: ...{haystack[max(0, at - 160):at + 200]!r}")
    assert leaks == []


def _encrypt_file(password_file: Path, text: str) -> str:
    return subprocess.run([str(Path(sys.executable).parent / "ansible-vault"), "encrypt", "--vault-password-file",
                           str(password_file), "--output", "-", "-"], input=text, capture_output=True, text=True,
                          check=True).stdout


def _encrypt_string(password_file: Path, name: str, value: str) -> str:
    return subprocess.run([str(Path(sys.executable).parent / "ansible-vault"), "encrypt_string",
                           "--vault-password-file", str(password_file), value, "--name", name],
                          capture_output=True, text=True, check=True).stdout


def plant(lab, host: str, lines: list[str]) -> None:
    """Put ``lines`` into ``host``'s running configuration (through flash and `configure replace`)."""
    running = lab.control.device_state(host)["running_config"]
    seeded = running.replace("\nend", "\n" + "\n!\n".join(lines) + "\n!\nend")
    lab.control.add_flash_file(host, "planted.cfg", content=seeded)
    result = lab.run(f"""
- hosts: {host}
  gather_facts: false
  tasks:
    - cisco.ios.ios_command:
        commands: ["configure replace flash:planted.cfg force"]
""")
    assert result.rc == 0, result
    state = lab.control.device_state(host)["running_config"]
    assert all(secret in state for secret in PLANTED.values()), "the device holds every planted line"


@pytest.fixture
def vault_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    password_file = tmp_path / "vault-password"
    password_file.write_text(VAULT_PASSWORD + "\n")
    monkeypatch.setenv("CHANGEOPS_VAULT_PASSWORD_FILE", str(password_file))
    return password_file


def test_planted_secrets_of_every_shape_never_reach_git(lab, tmp_path: Path, vault_password: Path) -> None:
    lab.control.reset(HOST)
    plant(lab, HOST, list(PLANTED))
    steps = default_steps()
    steps["implementation"] = {"playbook": "secret-shapes.yml"}
    vault_file = _encrypt_file(vault_password, yaml.safe_dump(VAULT_FILE))
    inline = _encrypt_string(vault_password, *INLINE_VAULT)
    root = make_estate(tmp_path / "e", "CHG-20261208-lab-shapes", [HOST], steps=steps,
                       playbooks={"secret-shapes.yml": PLAY},
                       files={"inventory/group_vars/all.yml": vault_file, f"inventory/host_vars/{HOST}.yml": inline})
    site_vars = tmp_path / "site-secrets.yml"  # outside git, as an operator's --inventory
    site_vars.write_text(yaml.safe_dump({"all": {"hosts": {HOST: {**SENT, **NO_LOG}}}}))

    lab.control.set_fault(HOST, "refuse-command", "^key Refused")
    try:
        outcome = run_change(Estate(root), "CHG-20261208-lab-shapes", at=datetime.fromisoformat(AT),
                             overlays=[lab.info.overlay, site_vars], progress=Progress(live=False))
    finally:
        lab.control.clear_faults(HOST)

    assert outcome.result == "completed", outcome
    assert outcome.commit is not None and git(root, "status", "--porcelain") == ""
    original = (state_dir(Estate(root)) / "backups" / outcome.run_id / f"{HOST}.cfg").read_text()
    assert all(secret in original for secret in PLANTED.values()), "the backup taken really held them"
    received = "\n".join(lab.received(HOST))
    assert all(value in received for value in [*SENT.values(), *NO_LOG.values(), VAULT_FILE["ntp_material"]])
    secrets = [*PLANTED.values(), *SENT.values(), *NO_LOG.values(), *VAULT_FILE.values(), INLINE_VAULT[1],
               VAULT_PASSWORD, _lab_password(lab, HOST)]
    assert_nowhere(secrets, {"git log -p --all": git(root, "log", "-p", "--all"), "git objects": every_blob(root),
                             "run folder": folder_text(outcome.folder)})
    transcript = (outcome.folder / "hosts" / f"{HOST}.log").read_text()
    assert re.search(r"> snmp-server community \*{8} RO", transcript), "the sent command is masked, not dropped"
    assert re.search(r"< +ppp chap password 7 \*{8}", transcript), "the received configuration is masked"
    assert "tacacs server PLANTTAC" in (outcome.folder / "backups" / f"{HOST}.cfg").read_text()
    assert "TACACS key ******** rejected by peer ********" in folder_text(outcome.folder)
    events = (outcome.folder / "events.jsonl").read_text()
    assert '"event": "failed"' in events and "key ********" in events, "the refused section failed, masked"


def test_a_secret_the_mask_missed_stops_the_commit_and_is_named(lab, tmp_path: Path, vault_password: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from changeops.cli import main

    lab.control.reset(HOST2)
    steps = default_steps()
    steps["implementation"] = {"playbook": "leaky.yml", "vars": {"estate_root": str(tmp_path / "e")}}
    vault_file = _encrypt_file(vault_password, yaml.safe_dump(VAULT_FILE))
    root = make_estate(tmp_path / "e", "CHG-20261208-lab-leak", [HOST2], steps=steps,
                       playbooks={"leaky.yml": LEAK_PLAY}, files={"inventory/group_vars/all.yml": vault_file})
    head = git(root, "rev-parse", "HEAD")
    capsys.readouterr()

    code = main(["run", "CHG-20261208-lab-leak", "--repo", str(root), "--at", AT,
                 "--inventory", str(lab.info.overlay)])

    message = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
    assert code == 1, message
    assert "notes.txt:2: known-value (base64)" in message and "nothing was committed" in message
    assert git(root, "rev-parse", "HEAD") == head, "no commit"
    assert git(root, "status", "--porcelain", "--untracked-files=all") == "", "nothing left in the work tree"
    [kept] = (state_dir(Estate(root)) / "quarantine").iterdir()
    assert kept.name in message and (kept / "notes.txt").is_file() and (kept / "summary.yaml").is_file()
    assert_nowhere(list(VAULT_FILE.values()), {"git log -p --all": git(root, "log", "-p", "--all"),
                                               "git objects": every_blob(root), "the error": message})
    with pytest.raises(SecretLeakError):  # the same refusal, as the pipeline raises it
        run_change(Estate(root), "CHG-20261208-lab-leak", at=datetime.fromisoformat(AT),
                   overlays=[lab.info.overlay], progress=Progress(live=False))
    assert git(root, "rev-parse", "HEAD") == head


def _lab_password(lab, host: str) -> str:
    overlay = yaml.safe_load(lab.info.overlay.read_text())
    return overlay["all"]["children"]["lab_devices"]["hosts"][host]["ansible_become_password"]
