"""A hierarchical IOS configuration: sections of lines, as `show running-config` prints them.

The tree is what `ios_config` compares against: a line applied under
``interface X`` must appear indented under ``interface X`` in the rendered
text, a ``no`` line must remove what it negates, and a single-valued command
(``description``, ``ip address``, ``hostname``) must replace its old value,
so that a second run of the same task finds nothing to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from changeops_lab import access_lists

INDENT = " "

# Commands that hold one value: a new line replaces the old one (matched on these leading words).
SINGLE_VALUED: tuple[tuple[str, ...], ...] = (
    ("hostname",), ("description",), ("ip", "address"), ("ipv6", "address"), ("mtu",), ("ip", "mtu"),
    ("speed",), ("duplex",), ("bandwidth",), ("ip", "domain", "name"), ("ip", "domain-name"),
    ("switchport", "mode"), ("switchport", "access", "vlan"), ("switchport", "trunk", "native", "vlan"),
    ("logging", "buffered"), ("logging", "trap"), ("clock", "timezone"), ("enable", "secret"),
    ("snmp-server", "location"), ("snmp-server", "contact"), ("ntp", "source"),
    ("logging", "source-interface"), ("router-id",), ("exec-timeout",), ("transport", "input"),
    ("name",), ("vrf", "forwarding"), ("ip", "vrf", "forwarding"), ("load-interval",), ("media-type",),
    ("encapsulation",), ("config-register",), ("spanning-tree", "mode"), ("version",),
    ("banner", "login"), ("banner", "motd"), ("banner", "exec"), ("banner", "incoming"), ("banner", "slip-ppp"),
)
# Negations that IOS prints as a line of their own instead of just dropping the positive form.
SHOWN_NEGATED: tuple[tuple[str, ...], ...] = (
    ("ip", "address"), ("ip", "domain", "lookup"), ("ip", "http", "server"), ("ip", "http", "secure-server"),
    ("service", "pad"), ("logging", "console"), ("cdp", "run"), ("ip", "source-route"), ("switchport",),
    ("ip", "redirects"), ("ip", "proxy-arp"), ("negotiation", "auto"), ("mop", "enabled"),
)
# Text of `show running-config` / `show startup-config` that is not configuration.
_GROUPED_BY_KEYWORD = ("interface", "vlan", "line")
_SKIPPED = ("!", "end", "Building configuration", "Current configuration", "Using ")
# A banner as IOS prints it: `banner login ^C`, the text lines, then `^C` (the text may be empty).
BANNER_START = re.compile(r"^banner (\S+) \^C")
BANNER_END = "^C"
# Defaults `show running-config all` prints under a section when the configuration does not say otherwise.
_SECTION_DEFAULTS: tuple[tuple[str, str, str], ...] = (
    ("interface ", "shutdown", "no shutdown"),
)


@dataclass
class ConfigLine:
    """One configuration line and, for a section header, the lines under it."""

    text: str
    children: list[ConfigLine] = field(default_factory=list)

    def find(self, text: str) -> ConfigLine | None:
        return next((child for child in self.children if child.text == text), None)

    def words(self) -> list[str]:
        return self.text.split()


@dataclass
class RunningConfig:
    """The configuration tree; the root line's children are the global configuration."""

    root: ConfigLine = field(default_factory=lambda: ConfigLine(""))

    # -- reading -------------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> RunningConfig:
        """Build the tree from indented text (one space per level, as IOS prints it)."""
        config = cls()
        stack: list[tuple[int, ConfigLine]] = [(-1, config.root)]
        lines = iter(text.splitlines())
        for raw in lines:
            line = raw.rstrip()
            stripped = line.strip()
            if not stripped or stripped.startswith(_SKIPPED):
                continue
            if BANNER_START.match(line):
                config.root.children.append(ConfigLine(_read_banner(line, lines)))
                stack = [(-1, config.root)]
                continue
            depth = len(line) - len(line.lstrip(" "))
            while stack[-1][0] >= depth:
                stack.pop()
            node = ConfigLine(stripped)
            stack[-1][1].children.append(node)
            stack.append((depth, node))
        return config

    def section(self, path: list[str]) -> ConfigLine | None:
        """The section at ``path`` (header lines from the top), or None."""
        node: ConfigLine | None = self.root
        for header in path:
            node = node.find(header) if node else None
        return node

    def value(self, path: list[str], *prefix: str) -> str | None:
        """The first line under ``path`` that starts with the words ``prefix``."""
        node = self.section(path)
        if node is None:
            return None
        return next((child.text for child in node.children if _starts(child.words(), prefix)), None)

    def has(self, path: list[str], text: str) -> bool:
        node = self.section(path)
        return node is not None and node.find(text) is not None

    def lines(self, prefix: tuple[str, ...] = ()) -> list[ConfigLine]:
        """Global lines starting with the words ``prefix``."""
        return [child for child in self.root.children if _starts(child.words(), prefix)]

    # -- changing ------------------------------------------------------------------------------

    def apply(self, path: list[str], line: str) -> str:
        """Apply one configuration line under ``path``; returns IOS's complaint, empty when accepted."""
        parent = self._ensure(path)
        words = line.split()
        if access_lists.is_acl_section(parent.text):
            entries, message = access_lists.apply_entry([c.text for c in parent.children], line)
            parent.children = [ConfigLine(entry) for entry in entries]
            return message
        if words[:3] == ["ip", "access-list", "resequence"]:
            return self._resequence(words[3:])
        if words[0] == "no" and len(words) > 1:
            self._negate(parent, words[1:])
            return ""
        if words[0] == "default" and len(words) > 1:
            self._default(parent, words[1:])
            return ""
        if parent.find(line) is not None:
            return ""
        _drop_negation(parent, words)
        node = ConfigLine(line)
        index = _single_value_index(parent, words)
        if index is None:
            _insert_near_kin(parent, node)
        else:
            parent.children[index] = node  # a new value takes the old one's place
        return ""

    def _default(self, parent: ConfigLine, words: list[str]) -> None:
        """`default X`: an interface loses all its configuration; any other setting goes back to its default."""
        section = parent.find(" ".join(words)) if words[0] == "interface" else None
        if section is not None:
            section.children = []
        elif words[0] != "interface":
            parent.children = [child for child in parent.children if not _starts(child.words(), tuple(words))]

    def _resequence(self, args: list[str]) -> str:
        """`ip access-list resequence NAME START STEP`."""
        section = next((c for c in self.lines(("ip", "access-list")) if c.words()[3:] == args[:1]), None)
        if section is None or len(args) != 3 or not (args[1].isdigit() and args[2].isdigit()):
            return "% Invalid input detected at '^' marker."
        entries = access_lists.resequence([c.text for c in section.children], int(args[1]), int(args[2]))
        section.children = [ConfigLine(entry) for entry in entries]
        return ""

    def _ensure(self, path: list[str]) -> ConfigLine:
        node = self.root
        for header in path:
            child = node.find(header)
            if child is None:
                child = ConfigLine(header)
                _insert_near_kin(node, child)
            node = child
        return node

    def _negate(self, parent: ConfigLine, words: list[str]) -> None:
        parent.children = [child for child in parent.children if not _starts(child.words(), tuple(words))]
        shown = next((key for key in SHOWN_NEGATED if _starts(words, key)), None)
        if shown is not None and len(words) == len(shown) and parent.find("no " + " ".join(words)) is None:
            _insert_near_kin(parent, ConfigLine("no " + " ".join(words)))

    # -- writing -------------------------------------------------------------------------------

    def render(self, defaults: bool = False) -> str:
        """The configuration body as IOS prints it (sections followed by `!`), ending in `end`.

        ``defaults``: as `show running-config all` prints it, with default lines spelled out.
        """
        out: list[str] = []
        for node in self.root.children:
            _render(_with_defaults(node) if defaults else node, 0, out)
            if node.children:
                out.append("!")
        out.append("end")
        return "\n".join(out)

    def copy(self) -> RunningConfig:
        return RunningConfig.parse(self.render())


def _starts(words: list[str], prefix: tuple[str, ...]) -> bool:
    return tuple(words[: len(prefix)]) == prefix


def _render(node: ConfigLine, depth: int, out: list[str]) -> None:
    out.append(INDENT * depth + node.text)
    for child in node.children:
        _render(child, depth + 1, out)


def _read_banner(first: str, rest: Iterator[str]) -> str:
    """The banner starting at ``first`` as one multi-line text, up to and including its closing ``^C``."""
    if first.count(BANNER_END) >= 2:
        return first
    text = [first]
    for line in rest:
        text.append(line)
        if BANNER_END in line:
            break
    return "\n".join(text)


def _with_defaults(node: ConfigLine) -> ConfigLine:
    extra = [ConfigLine(default) for header, setting, default in _SECTION_DEFAULTS
             if node.text.startswith(header) and node.find(setting) is None and node.find(default) is None]
    return ConfigLine(node.text, node.children + extra) if extra else node


def _drop_negation(parent: ConfigLine, words: list[str]) -> None:
    for key in SHOWN_NEGATED:
        if _starts(words, key):
            negation = "no " + " ".join(key)
            parent.children = [child for child in parent.children if child.text != negation]


def _single_value_index(parent: ConfigLine, words: list[str]) -> int | None:
    """Index of the line a single-valued command replaces (secondary addresses add, never replace)."""
    key = next((k for k in SINGLE_VALUED if _starts(words, k)), None)
    if key is None or words[-1] == "secondary":
        return None
    return next((i for i, child in enumerate(parent.children)
                 if _starts(child.words(), key) and child.words()[-1] != "secondary"), None)


def _insert_near_kin(parent: ConfigLine, node: ConfigLine) -> None:
    """Insert after the last sibling sharing the first two words (IOS groups like lines), else at the end."""
    words = node.words()
    kin = tuple(words[:1] if words[0] in _GROUPED_BY_KEYWORD else words[:2])
    for index in range(len(parent.children) - 1, -1, -1):
        if tuple(parent.children[index].words()[:len(kin)]) == kin:
            parent.children.insert(index + 1, node)
            return
    parent.children.append(node)
