"""Exec commands that change the device: save, copy, verify, install, reload, configure replace.

These are the steps of a patch (补丁加载), an upgrade (系统升级) and a rollback
(回退计划), with the confirmation questions IOS-XE asks, so playbooks must
answer them as they would on a real box.
"""

from __future__ import annotations

from datetime import UTC, datetime

from changeops_lab.device import DeviceState
from changeops_lab.remediation import replace_listing
from changeops_lab.replies import Reply
from changeops_lab.running_config import ConfigError, RunningConfig
from changeops_lab.show_system import show_dir
from changeops_lab.software import Package, flash_name, is_smu
from changeops_lab.terminal import Terminal

PROCEED = "This operation may require a reload of the system. Do you want to proceed? [y/n]"
YES = ("y", "yes")


def clock_text() -> str:
    return datetime.now(UTC).strftime("*%H:%M:%S.000 UTC %a %b %d %Y")


def _missing(argument: str) -> str:
    return f"%Error opening {argument} (No such file or directory)"


def save(device: DeviceState) -> str:
    device.startup = device.running.copy()
    return "Building configuration...\n[OK]"


def write_memory(session: Terminal, args: list[str]) -> Reply:
    if args and args[0] not in ("memory",):
        return session.done(session.refuse("write " + " ".join(args)))
    return session.done(save(session.device))


def copy(session: Terminal, args: list[str]) -> Reply:
    if len(args) != 2 or args[0] not in ("running-config", "system:running-config"):
        return session.done(session.refuse("copy " + " ".join(args)))
    if args[1] in ("startup-config", "nvram:startup-config"):
        return session.ask("Destination filename [startup-config]? ", lambda answer: session.done(save(session.device)))
    target = flash_name(args[1])
    if not target:
        return session.done(session.refuse("copy " + " ".join(args)))

    def write_file(answer: str) -> Reply:
        text = session.device.running.render()
        session.device.software.add_file(answer or target, content=text)
        return session.done(f"{len(text.encode())} bytes copied in 0.041 secs")

    return session.ask(f"Destination filename [{target}]? ", write_file)


def delete(session: Terminal, args: list[str]) -> Reply:
    """`delete [/force] flash:X`: removes a file; without /force IOS asks to confirm."""
    force = bool(args) and args[0].lower() == "/force"
    targets = args[1:] if force else args
    name = flash_name(targets[0]) if len(targets) == 1 else None
    if name is None:
        return session.done(session.refuse("delete " + " ".join(args)))
    if name not in session.device.software.flash:
        return session.done(f"%Error deleting flash:{name} (No such file or directory)")

    def remove(answer: str = "") -> Reply:
        del session.device.software.flash[name]
        return session.done()

    if force:
        return remove()
    return session.ask(f"Delete filename [{name}]? ", lambda answer: session.ask(f"Delete flash:/{name}? [confirm]",
                                                                                 remove))


def dir_flash(session: Terminal, args: list[str]) -> Reply:
    name = flash_name(args[0]) if args else None
    if args and name is None:
        return session.done(_missing(args[0]))
    return session.done(show_dir(session.device, name or None))


def verify(session: Terminal, args: list[str]) -> Reply:
    """`verify /md5 flash:X [md5]` compares checksums; `verify flash:X` checks an image's signature."""
    if len(args) == 1:
        return session.done(_verify_signature(session.device, args[0]))
    if len(args) < 2 or args[0] != "/md5":
        return session.done(session.refuse("verify " + " ".join(args)))
    name = flash_name(args[1])
    flash_file = session.device.software.flash.get(name or "")
    if flash_file is None:
        return session.done(_missing(args[1]))
    dots = "." * 40 + "Done!"
    if len(args) < 3:
        return session.done(f"{dots}\nverify /md5 ({args[1]}) = {flash_file.md5}")
    if args[2].lower() == flash_file.md5:
        return session.done(f"{dots}\nVerified ({args[1]}) = {flash_file.md5}")
    return session.done(f"{dots}\n%Error verifying {args[1]}\nComputed signature   = {flash_file.md5}\n"
                        f"Submitted signature  = {args[2]}")


def _verify_signature(device: DeviceState, argument: str) -> str:
    flash_file = device.software.flash.get(flash_name(argument) or "")
    if flash_file is None:
        return _missing(argument)
    if flash_file.content is not None:
        return f"%Error verifying {argument}: not a signed image"
    return (f"Starting image verification\nHash Computation:    100%Done!\nComputed Hash   SHA2: {flash_file.md5 * 2}\n"
            f"Embedded Hash   SHA2: {flash_file.md5 * 2}\nDigitally Signed Release Software with key version A\n"
            f"Signature Verified for {argument}")


def configure_replace(session: Terminal, argument: str, force: bool, listing: bool = False) -> Reply:
    """`configure replace FILE [list] [force]`: the file becomes the running-config (``list``: print the commands)."""
    name = flash_name(argument)
    flash_file = session.device.software.flash.get(name or "")
    if flash_file is None or flash_file.content is None:
        return session.done(_missing(argument))

    def replace(answer: str = "y") -> Reply:
        if answer.lower() not in YES:
            return session.done()
        target = flash_file.content or ""
        try:
            replacement = RunningConfig.parse(target)
        except ConfigError as error:
            return session.done(f"%Error parsing {argument} ({error})\nRollback aborted")
        listed = replace_listing(session.device.running.render(), target) + "\n" if listing else ""
        session.device.running = replacement
        session.device.record("SYS-5-CONFIG_R", f"Config Replace is Done from {argument}")
        return session.done(f"{listed}Total number of passes: 1\nRollback Done")

    if force:
        return replace()
    return session.ask("This will apply all necessary additions and deletions\nto replace the current running "
                       "configuration with the\ncontents of the specified configuration file, which is\nassumed to "
                       "be a complete configuration, not a partial\nconfiguration. Enter Y if you are sure you want "
                       "to proceed. ? [no]: ", replace)


def reload(session: Terminal, args: list[str]) -> Reply:
    device = session.device

    def confirm(answer: str) -> Reply:
        if answer.lower() in ("", "y", "yes", "confirm"):
            return Reply("", "", hang_up=True, reload=True)
        return session.done()

    def proceed(output: str = "") -> Reply:
        return session.ask("Proceed with reload? [confirm]", confirm, output=output)

    if device.running.render() == device.startup.render():
        return proceed()

    def save_first(answer: str) -> Reply:
        if answer.lower() in YES:
            return proceed(save(device))
        return proceed() if answer.lower() in ("n", "no") else session.done("% Please answer 'yes' or 'no'.")

    return session.ask("System configuration has been modified. Save? [yes/no]: ", save_first)


def boot_target(device: DeviceState) -> tuple[str, str]:
    """(image, version) the device comes up with: the first bootable `boot system` file of the startup-config."""
    for line in device.startup.lines(("boot", "system")):
        name = flash_name(line.words()[-1])
        version = device.software.version_of(name) if name in device.software.flash else None
        if name and version:
            return name, version
    return device.image, device.version


def install(session: Terminal, args: list[str]) -> Reply:
    if len(args) >= 3 and args[0] == "add" and args[1] == "file":
        return _install_add(session, args[2], activate="activate" in args[3:])
    if len(args) >= 3 and args[1] == "file" and args[0] in ("deactivate", "activate", "remove"):
        return _install_change(session, args[0], args[2])
    if args[:1] == ["commit"]:
        return session.done(_commit(session.device))
    return session.done(session.refuse("install " + " ".join(args)))


def _install_add(session: Terminal, argument: str, activate: bool) -> Reply:
    device, name = session.device, flash_name(argument) or ""
    operation = "install_add_activate_commit" if activate else "install_add"
    head = f"{operation}: START {clock_text()}\n"
    if name not in device.software.flash:
        return session.done(f"{head}FAILED: {operation}: file {argument} not found")
    added = f"{head}{operation}: Adding {'SMU' if is_smu(name) else 'PACKAGE'}\nFinished Add operation\n"
    if not activate:
        if is_smu(name):
            device.software.packages.append(Package(name, "I"))
        return session.done(added + f"SUCCESS: {operation} {clock_text()}")

    def proceed(answer: str) -> Reply:
        if answer.lower() not in YES:
            return session.done(f"{operation}: Aborted by user")
        if is_smu(name):
            device.software.packages = [p for p in device.software.packages if p.filename != name]
            device.software.packages.append(Package(name, "C"))
            device.record("INSTALL-5-INSTALL_COMPLETED_INFO", f"Completed install activate SMU flash:{name}")
            return session.done(f"--- Starting SMU Activate operation ---\nSUCCESS: {operation} {clock_text()}")
        for config in (device.running, device.startup):
            config.apply([], "no boot system")
            config.apply([], f"boot system flash:{name}")
        return Reply("--- Starting Activate ---\nFinished Activate\nReloading the system ...", "",
                     hang_up=True, reload=True)

    return session.ask(PROCEED, proceed, output=added.rstrip())


def _install_change(session: Terminal, action: str, argument: str) -> Reply:
    device, name = session.device, flash_name(argument) or ""
    package = next((p for p in device.software.packages if p.filename == name), None)
    if package is None and action != "remove":
        return session.done(f"FAILED: install_{action}: {argument} not found")
    question = "Do you want to remove the above files? [y/n]" if action == "remove" else PROCEED

    def proceed(answer: str) -> Reply:
        if answer.lower() not in YES:
            return session.done(f"install_{action}: Aborted by user")
        if action == "remove":
            device.software.packages = [p for p in device.software.packages if p.filename != name]
            device.software.flash.pop(name, None)
        elif package is not None:
            package.state = "D" if action == "deactivate" else "U"
        return session.done(f"SUCCESS: install_{action} {clock_text()}")

    return session.ask(question, proceed, output=f"install_{action}: START {clock_text()}")


def _commit(device: DeviceState) -> str:
    for package in device.software.packages:
        package.state = {"U": "C", "D": "I"}.get(package.state, package.state)
    return f"install_commit: START {clock_text()}\nSUCCESS: install_commit {clock_text()}"


def ping(session: Terminal, args: list[str]) -> Reply:
    target = next((a for a in args if a[0].isdigit() or "." in a), args[0] if args else "")
    if not target:
        return session.done(session.refuse("ping"))
    return session.done(f"Type escape sequence to abort.\nSending 5, 100-byte ICMP Echos to {target}, timeout is 2 "
                        "seconds:\n!!!!!\nSuccess rate is 100 percent (5/5), round-trip min/avg/max = 1/1/2 ms")


def clear_logging(session: Terminal, args: list[str]) -> Reply:
    if args[:1] != ["logging"]:
        return session.done(session.refuse("clear " + " ".join(args)))

    def clear(answer: str) -> Reply:
        if answer.lower() in ("", "y", "yes", "confirm"):
            session.device.log.clear()
        return session.done()

    return session.ask("Clear logging buffer [confirm]", clear)
