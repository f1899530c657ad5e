"""A device's configuration on hier-config's tree, printed as `show running-config` prints it.

hier-config holds the tree: it reads indented text (sections, sub-sections,
multi-line banners), keeps each level's children in order with a text index,
finds lines by match rules, deletes them, and knows through its IOS driver's
idempotency rules which new line replaces which old one (``description``,
``ip address`` without ``secondary``, ``hostname`` ...). The lab's driver is
hier-config's ``CISCO_IOS`` driver with three differences, because here the
tree *is* the device rather than a copy of one being compared:

- it keeps every configuration line IOS prints (``version``, `` no ip
  address``, ACL remarks and the ACL's own sequence numbers), dropping only
  what is not configuration (``Building configuration...``, ``!``, ``end``);
- it indents one space per level, as IOS prints;
- its single-valued commands are the lab's list below, at any depth.

What hier-config has no rule for stays here, thin: where IOS prints a new
line (next to its kin), which negations IOS shows as lines of their own
(``no ip address``), ACL entry arithmetic (``access_lists``), and the
defaults ``show running-config all`` spells out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from hier_config import HConfig, HConfigChild, get_hconfig
from hier_config.exceptions import DuplicateChildError
from hier_config.models import IdempotentCommandsAvoidRule, IdempotentCommandsRule, MatchRule, PerLineSubRule
from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS
from hier_config.platforms.driver_base import HConfigDriverRules
from hier_config.platforms.utils import split_vlan_id_lists

from changeops_lab import access_lists
from changeops_lab.config_modes import opener_mode

# Commands that hold one value: a new line replaces the old one (matched on these leading words).
SINGLE_VALUED: tuple[str, ...] = (
    "hostname", "description", "ip address", "mtu", "ip mtu", "speed", "duplex", "bandwidth",
    "ip domain name", "ip domain-name", "switchport mode", "switchport access vlan",
    "switchport trunk native vlan", "logging buffered", "logging trap", "clock timezone", "enable secret",
    "snmp-server location", "snmp-server contact", "ntp source", "logging source-interface", "router-id",
    "exec-timeout", "transport input", "name", "vrf forwarding", "ip vrf forwarding", "load-interval",
    "media-type", "encapsulation", "config-register", "spanning-tree mode", "version",
    "banner login", "banner motd", "banner exec", "banner incoming", "banner slip-ppp", "state",
)
# Negations that IOS prints as a line of their own instead of just dropping the positive form.
SHOWN_NEGATED: tuple[tuple[str, ...], ...] = (
    ("ip", "address"), ("ip", "domain", "lookup"), ("ip", "http", "server"), ("ip", "http", "secure-server"),
    ("service", "pad"), ("logging", "console"), ("cdp", "run"), ("ip", "source-route"), ("switchport",),
    ("ip", "redirects"), ("ip", "proxy-arp"), ("negotiation", "auto"), ("mop", "enabled"),
)
# Text of `show running-config` / `show startup-config` that is not configuration.
_NOT_CONFIGURATION = (
    r"^Building configuration.*", r"^Current configuration.*", r"^Using \d+ out of \d+ bytes.*",
    r"^! Last configuration change.*", r"^! NVRAM config last updated.*", r"^end$", r"^\s*[#!].*",
    r"^ exit-peer-policy", r"^ exit-peer-session", r"^ exit-address-family",
)
_GROUPED_BY_KEYWORD = ("interface", "vlan", "line")
# Global lines IOS prints before the interfaces; any other new global line goes before the `line` sections.
_PRINTED_BEFORE: tuple[tuple[str, str], ...] = (
    ("vlan ", "interface "), ("ipv6 unicast-routing", "interface "), ("spanning-tree ", "interface "),
    ("vtp ", "interface "),
)
# A banner as IOS prints it: `banner login ^C`, the text lines, then `^C` (the text may be empty).
BANNER_START = re.compile(r"^banner (\S+) \^C")
BANNER_END = "^C"
_ONE_LINE_BANNER = re.compile(r"^(banner \S+ \^C)(.+?)\^C$", re.MULTILINE)
# Defaults `show running-config all` prints under a section when the configuration does not say otherwise.
_SECTION_DEFAULTS: tuple[tuple[str, str, str], ...] = (
    ("interface ", "shutdown", "no shutdown"),
)
# Lines IOS accepts in a section but keeps as their default, i.e. not at all: (section, typed, applied as).
_DEFAULT_SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("vlan ", "state active", "no state"),
)
_DEPTHS = 4


def _single_valued_rules() -> list[IdempotentCommandsRule]:
    """One hier-config rule per depth: the newest of the lab's single-valued commands wins at any level."""
    keys = "|".join(re.escape(key) for key in sorted(SINGLE_VALUED, key=len, reverse=True))
    line = MatchRule(re_search=rf"^(?:{keys})(?= |$)")
    return [IdempotentCommandsRule(match_rules=(*(MatchRule(),) * depth, line)) for depth in range(_DEPTHS)]


class LabIOSDriver(HConfigDriverCiscoIOS):
    """hier-config's IOS driver, keeping every line a device prints (see the module docstring)."""

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        rules = HConfigDriverCiscoIOS._instantiate_rules()
        secondary = MatchRule(re_search=r" secondary$")
        return rules.model_copy(update={
            "indentation": 1,
            "per_line_sub": [PerLineSubRule(search=pattern, replace="") for pattern in _NOT_CONFIGURATION],
            "post_load_callbacks": [split_vlan_id_lists],
            "idempotent_commands": _single_valued_rules(),
            "idempotent_commands_avoid": [IdempotentCommandsAvoidRule(match_rules=(*(MatchRule(),) * depth,
                                                                                   secondary))
                                          for depth in range(_DEPTHS)],
        })

    @staticmethod
    def config_preprocessor(config_text: str) -> str:
        """A banner IOS printed on one line (``banner motd ^Ctext^C``) in the multi-line form the lab keeps."""
        return _ONE_LINE_BANNER.sub(lambda m: f"{m.group(1)}\n{m.group(2)}\n{BANNER_END}", config_text)


DRIVER = LabIOSDriver()


class ConfigError(ValueError):
    """Text that cannot be a configuration (an unterminated banner, a line twice in one section)."""


@dataclass(frozen=True)
class ConfigLine:
    """A read-only view of one line of the tree and, for a section header, the lines under it."""

    node: HConfigChild

    @property
    def text(self) -> str:
        return self.node.text

    @property
    def children(self) -> list[ConfigLine]:
        return [ConfigLine(child) for child in self.node.children]

    def find(self, text: str) -> ConfigLine | None:
        child = self.node.children.get(text)
        return ConfigLine(child) if child is not None else None

    def words(self) -> list[str]:
        return self.text.split()


class RunningConfig:
    """The configuration tree; ``tree`` is the hier-config root whose children are the global configuration."""

    def __init__(self, tree: HConfig | None = None) -> None:
        self.tree = tree if tree is not None else HConfig(DRIVER)

    # -- reading -------------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> RunningConfig:
        """Build the tree from indented text (one space per level, as IOS prints it)."""
        try:
            return cls(get_hconfig(DRIVER, text))
        except (DuplicateChildError, ValueError) as error:  # a line twice in a section; an unterminated banner
            raise ConfigError(str(error)) from error

    def node(self, path: list[str]) -> HConfig | HConfigChild | None:
        """The hier-config node at ``path`` (header lines from the top), or None."""
        node: HConfig | HConfigChild | None = self.tree
        for header in path:
            node = node.children.get(header) if node is not None else None
        return node

    def section(self, path: list[str]) -> ConfigLine | None:
        """The section at ``path``, or None (the root has no line of its own: ``path`` must not be empty)."""
        node = self.node(path)
        return ConfigLine(node) if isinstance(node, HConfigChild) else None

    def value(self, path: list[str], *prefix: str) -> str | None:
        """The first line under ``path`` that starts with the words ``prefix``."""
        node = self.node(path)
        if node is None:
            return None
        return next((child.text for child in _starting(node, prefix)), None)

    def has(self, path: list[str], text: str) -> bool:
        node = self.node(path)
        return node is not None and text in node.children

    def lines(self, prefix: tuple[str, ...] = ()) -> list[ConfigLine]:
        """Global lines starting with the words ``prefix``."""
        return [ConfigLine(child) for child in _starting(self.tree, prefix)]

    # -- changing ------------------------------------------------------------------------------

    def apply(self, path: list[str], line: str) -> str:
        """Apply one configuration line under ``path``; returns IOS's complaint, empty when accepted."""
        parent = self._ensure(path)
        if isinstance(parent, HConfigChild):
            line = next((shown for header, typed, shown in _DEFAULT_SETTINGS
                         if parent.text.startswith(header) and line == typed), line)
        words = line.split()
        if words[0] == "access-list" or words[:2] == ["no", "access-list"]:
            return self._numbered_acl(words)
        if isinstance(parent, HConfigChild) and access_lists.is_acl_section(parent.text):
            apply = access_lists.apply_ipv6_entry if parent.text.startswith("ipv6 ") else access_lists.apply_entry
            entries, message = apply([c.text for c in parent.children], line)
            _replace_children(parent, entries)
            return message
        if words[:3] == ["ip", "access-list", "resequence"]:
            return self._resequence(words[3:])
        if words[0] == "no" and len(words) > 1:
            self._negate(parent, words[1:])
            return ""
        if words[0] == "default" and len(words) > 1:
            self._default(parent, words[1:])
            return ""
        if line in parent.children:
            return ""
        _drop_negation(parent, words)
        replaced = _replaced_by(parent, line)
        if replaced is not None:
            replaced.text = line  # a new value takes the old one's place
        else:
            insert_near_kin(parent, line)
        return ""

    def _default(self, parent: HConfig | HConfigChild, words: list[str]) -> None:
        """`default X`: an interface loses all its configuration; any other setting goes back to its default."""
        if words[0] == "interface":
            section = parent.children.get(" ".join(words))
            if section is not None:
                section.children.clear()
            return
        for child in tuple(_starting(parent, tuple(words))):
            child.delete()

    def _numbered_acl(self, words: list[str]) -> str:
        """`access-list N ...`: an entry of the numbered list, which IOS-XE keeps as `ip access-list KIND N`."""
        negated = words[0] == "no"
        number = words[2 if negated else 1] if len(words) > (2 if negated else 1) else ""
        header = access_lists.numbered_header(number)
        if header is None:
            return access_lists.INVALID
        section = self.tree.children.get(header)
        if negated:
            if section is not None:
                section.delete()
            return ""
        if len(words) < 3:
            return "% Incomplete command."
        return self.apply([header], " ".join(words[2:]))

    def _resequence(self, args: list[str]) -> str:
        """`ip access-list resequence NAME START STEP`."""
        section = next((c for c in _starting(self.tree, ("ip", "access-list")) if c.text.split()[3:] == args[:1]),
                       None)
        if section is None or len(args) != 3 or not (args[1].isdigit() and args[2].isdigit()):
            return "% Invalid input detected at '^' marker."
        _replace_children(section, access_lists.resequence([c.text for c in section.children], int(args[1]),
                                                           int(args[2])))
        return ""

    def _ensure(self, path: list[str]) -> HConfig | HConfigChild:
        node: HConfig | HConfigChild = self.tree
        for header in path:
            child = node.children.get(header)
            node = child if child is not None else insert_near_kin(node, header)
        return node

    def _negate(self, parent: HConfig | HConfigChild, words: list[str]) -> None:
        for child in tuple(_starting(parent, tuple(words))):
            child.delete()
        shown = next((key for key in SHOWN_NEGATED if tuple(words[:len(key)]) == key), None)
        negation = "no " + " ".join(words)
        if shown is not None and len(words) == len(shown) and negation not in parent.children:
            insert_near_kin(parent, negation)

    # -- writing -------------------------------------------------------------------------------

    def render(self, defaults: bool = False) -> str:
        """The configuration body as IOS prints it (sections followed by `!`), ending in `end`.

        ``defaults``: as `show running-config all` prints it, with default lines spelled out.
        """
        out: list[str] = []
        for node in self.tree.children:
            out.extend(_lines(node, defaults))
            if node.children or opener_mode("config", node.text):
                out.append("!")
        out.append("end")
        return "\n".join(out)

    def copy(self) -> RunningConfig:
        return RunningConfig(self.tree.deep_copy())


def _starting(node: HConfig | HConfigChild, prefix: tuple[str, ...]) -> Iterable[HConfigChild]:
    """The children of ``node`` whose first words are ``prefix`` (all of them for an empty prefix)."""
    if not prefix:
        return node.children
    return node.get_children(re_search=rf"^{re.escape(' '.join(prefix))}(?=\s|$)")


def _lines(node: HConfigChild, defaults: bool) -> list[str]:
    out = [node.cisco_style_text()]
    for child in node.children:
        out.extend(_lines(child, defaults))
    if defaults:
        indent = " " * node.depth()
        out += [indent + default for header, setting, default in _SECTION_DEFAULTS
                if node.text.startswith(header) and setting not in node.children and default not in node.children]
    return out


def _replaced_by(parent: HConfig | HConfigChild, line: str) -> HConfigChild | None:
    """The line a single-valued command replaces, by the driver's idempotency rules (secondaries never do)."""
    candidate = HConfigChild(parent, line)  # not added: only its lineage is matched against the rules
    if any(candidate.is_lineage_match(rule.match_rules) for rule in DRIVER.rules.idempotent_commands_avoid):
        return None
    others = [c for c in parent.children if not any(c.is_lineage_match(rule.match_rules)
                                                     for rule in DRIVER.rules.idempotent_commands_avoid)]
    return DRIVER.idempotent_for(candidate, others)


def _drop_negation(parent: HConfig | HConfigChild, words: list[str]) -> None:
    for key in SHOWN_NEGATED:
        if tuple(words[:len(key)]) == key:
            parent.children.delete("no " + " ".join(key))


def _replace_children(parent: HConfigChild, lines: list[str]) -> None:
    parent.children.clear()
    parent.add_children(lines)


def insert_near_kin(parent: HConfig | HConfigChild, text: str) -> HConfigChild:
    """Add ``text`` after the last sibling sharing its first two words (IOS groups like lines), else at the end."""
    words = text.split()
    kin = words[:1] if words[0] in _GROUPED_BY_KEYWORD else words[:2]
    siblings = list(parent.children)
    child = parent.add_child(text)
    at = next((i for i in range(len(siblings) - 1, -1, -1) if siblings[i].text.split()[:len(kin)] == kin), None)
    if at is None and isinstance(parent, HConfig):
        # no kin yet: where IOS prints this kind of line, before the first section it precedes
        ahead = next((before for first, before in _PRINTED_BEFORE if text.startswith(first)), "line ")
        at = next((i - 1 for i, sibling in enumerate(siblings) if sibling.text.startswith(ahead)), None)
    if at is not None and at < len(siblings) - 1:
        parent.children.clear()
        parent.children.extend([*siblings[:at + 1], child, *siblings[at + 1:]])
    return child
