"""One CLI session on a simulated device: prompts, modes, questions, configuration lines.

The session turns each line the client sends into a :class:`Reply` (output,
then the next prompt or a question). It knows the modes (``>``, ``#``,
``(config)#`` and sub-modes); the exec commands live in ``exec_commands``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from changeops_lab import vlans
from changeops_lab.config_input import normalise
from changeops_lab.config_modes import SECTION_EXITS, Section, belongs_at, opener_mode, prompt_suffix
from changeops_lab.device import DeviceState
from changeops_lab.exec_commands import run_exec
from changeops_lab.faults import Faults
from changeops_lab.replies import INVALID, Question, Reply
from changeops_lab.show_network import Lookup

EXEC_ONLY = ("show", "write", "copy", "reload", "dir", "verify", "ping", "install", "terminal", "clear",
             "configure", "enable", "disable", "traceroute", "more", "delete")
BANNER_START = re.compile(r"^banner (login|motd|exec|incoming|slip-ppp)(?: (\^C|\S)(.*))?$")
BANNER = "\nchangeops lab device {name} ({model}, serial {serial})\nAuthorized access only.\n"


@dataclass
class CliSession:
    device: DeviceState
    faults: Faults
    neighbours: Lookup
    enable_secret: str
    user: str
    privileged: bool = False
    stack: list[Section] | None = None
    question: Question | None = None
    banner: list[str] | None = None  # the banner being typed: `banner KIND ^C`, then its text lines
    banner_delimiter: str = ""
    changed_config: bool = field(default=False, repr=False)

    # -- prompts -------------------------------------------------------------------------------

    def prompt(self) -> str:
        host = self.device.hostname
        if self.stack is not None:
            return host + prompt_suffix(self.stack)
        return host + ("#" if self.privileged else ">")

    def greeting(self) -> Reply:
        return Reply(BANNER.format(name=self.device.name, model=self.device.model, serial=self.device.serial),
                     self.prompt())

    @property
    def echo(self) -> bool:
        return self.question.echo if self.question else True

    def ask(self, text: str, on_answer: Callable[[str], Reply], echo: bool = True, output: str = "") -> Reply:
        self.question = Question(text, on_answer, echo)
        return Reply(output, text)

    def done(self, output: str = "") -> Reply:
        return Reply(output, self.prompt())

    # -- lines ---------------------------------------------------------------------------------

    def handle(self, line: str) -> Reply:
        """The device's reply to one line the client sent."""
        if self.question is not None:
            question, self.question = self.question, None
            return question.on_answer(line.strip())
        if self.banner is not None:
            return self.banner_line(line)
        command = line.strip()
        if not command:
            return self.done()
        refusal = self.faults.refusal_for(command)
        if refusal is not None:
            return self.done(self.refuse(command, refusal))
        if self.stack is not None:
            return self.configure_line(command)
        return run_exec(self, command)

    def refuse(self, command: str, message: str = INVALID) -> str:
        marker = " " * (len(self.prompt()) + len(command.split()[0]) + 1) + "^\n" if "marker" in message else ""
        return marker + message

    # -- configuration mode --------------------------------------------------------------------

    def enter_config(self) -> Reply:
        self.stack = []
        return self.done("Enter configuration commands, one per line.  End with CNTL/Z.")

    def leave_config(self) -> None:
        if self.changed_config:
            self.device.record("SYS-5-CONFIG_I", f"Configured from console by {self.user} on vty0 (127.0.0.1)")
        self.stack, self.changed_config = None, False

    def configure_line(self, command: str) -> Reply:
        assert self.stack is not None
        words = command.split()
        if command.startswith("!"):
            return self.done()
        if words[0] == "end":
            self.leave_config()
            return self.done()
        if words[0] in SECTION_EXITS:
            if self.stack:
                self.stack.pop()
            else:
                self.leave_config()
            return self.done()
        if words[0] == "do" and len(words) > 1:
            return run_exec(self, command[2:].strip(), from_config=True)
        if words[0] in EXEC_ONLY and not command.startswith(("enable secret", "enable password")):
            return self.done(self.refuse(command))
        banner = BANNER_START.match(command)
        if banner and banner.group(2):
            return self.start_banner(banner.group(1), banner.group(2), banner.group(3))
        if banner or command == "banner":
            return self.done("% Incomplete command.")
        return self.done(self.apply_config(command))

    def apply_config(self, command: str) -> str:
        assert self.stack is not None
        normalised = normalise(command, lambda name: self.device.port(name) is not None)
        if normalised.error:
            return " " * (len(self.prompt()) + normalised.marker_at) + "^\n" + normalised.error
        command = normalised.line
        refused = vlans.refusal(command)
        if refused:
            return refused
        depth = belongs_at(self.stack, command)
        del self.stack[depth:]
        parent_mode = self.stack[-1].mode if self.stack else "config"
        message = self.device.running.apply([s.header for s in self.stack], command)
        if message:
            return message
        self.changed_config = True
        self._note_interface_change(command)
        mode = opener_mode(parent_mode, command)
        if mode is not None and not command.startswith("no "):
            self.stack.append(Section(command, mode))
        return ""

    def _note_interface_change(self, command: str) -> None:
        if not self.stack or not self.stack[-1].header.startswith("interface ") or command not in (
                "shutdown", "no shutdown"):
            return
        name = self.stack[-1].header.split(None, 1)[1]
        state = "administratively down" if command == "shutdown" else "up"
        self.device.record("LINK-5-CHANGED", f"Interface {name}, changed state to {state}")
        self.device.record("LINEPROTO-5-UPDOWN", f"Line protocol on Interface {name}, changed state to "
                           f"{'down' if command == 'shutdown' else 'up'}")

    # -- banners -------------------------------------------------------------------------------

    def start_banner(self, kind: str, delimiter: str, text: str) -> Reply:
        """`banner KIND D text...D`: text up to the next delimiter, possibly on later lines."""
        self.banner, self.banner_delimiter = [f"banner {kind} ^C"], delimiter
        if delimiter in text:
            self.banner.append(text.split(delimiter, 1)[0])
            return self.done(self.finish_banner())
        if text:
            self.banner.append(text)
        # no prompt while the text is typed: the next prompt follows the closing delimiter
        return Reply(f"Enter TEXT message.  End with the character '{delimiter}'.")

    def banner_line(self, line: str) -> Reply:
        """One line of banner text; no prompt until the closing delimiter, as on IOS."""
        assert self.banner is not None
        if self.banner_delimiter not in line:
            self.banner.append(line.rstrip("\r"))
            return Reply()
        before = line.split(self.banner_delimiter, 1)[0]
        if before:
            self.banner.append(before)
        return self.done(self.finish_banner())

    def finish_banner(self) -> str:
        assert self.banner is not None
        text = "\n".join([*self.banner, "^C"])
        self.banner = None
        self.device.running.apply([], text)
        self.changed_config = True
        return ""
