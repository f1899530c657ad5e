"""The nesting bound while composing, exact at the first collection more than ``MAX_DEPTH`` levels down.

Both composers recurse once per level. ruamel.yaml's (on Python's stack) counts the levels
itself and stops at the bound. libyaml's (on the C stack) is handed a file that could nest
deeper than it survives only after a walk of the flat event stream has bounded it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml
from ruamel.yaml.composer import Composer

from changeops.yaml12.problems import MAX_DEPTH, Abort, line_and_column, too_deep

# Levels libyaml's composer is handed without a scan first (it survives tens of thousands)
LIBYAML_LEVELS = 2000

# A block collection starts right of its parent, or in the same column when it is a sequence
# under a mapping key: a collection k levels deep starts at least k/2 - 1 columns in, and
# everything left of it on its line is indentation or indicators. Each flow level costs a bracket.
# Lines break at LF and CR for libyaml (NEL, LS and PS send a file to ruamel.yaml, which counts
# its own levels); `^` only follows LF, so CR gets a pattern of its own.
_RUN = f"[ \\t?:-]{{{LIBYAML_LEVELS // 4}}}"
_DEEP_AFTER_LF = re.compile("^" + _RUN, re.MULTILINE)
_DEEP_AFTER_CR = re.compile("\r" + _RUN)


def may_nest_deeper(text: str) -> bool:
    """False only when libyaml cannot read ``text`` as nesting more than ``LIBYAML_LEVELS`` deep."""
    if text.count("[") + text.count("{") > LIBYAML_LEVELS // 2 or _DEEP_AFTER_LF.search(text):
        return True
    return "\r" in text and _DEEP_AFTER_CR.search(text) is not None


def scan_depth(text: str, events: Iterable[Any], syntax_errors: tuple[type[Exception], ...]) -> None:
    """Refuse the first collection of ``text`` more than ``MAX_DEPTH`` levels down, walking ``events`` flat.

    A syntax error ends the scan quietly: the composer stops at the same place, no deeper than
    the scan got, and reports it.
    """
    depth = 0
    try:
        for event in events:
            kind = event.__class__.__name__
            if kind in ("SequenceStartEvent", "MappingStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    raise Abort(too_deep(_mark_at(text, event.start_mark.index)))
            elif kind in ("SequenceEndEvent", "MappingEndEvent"):
                depth -= 1
    except syntax_errors:
        return


class BoundedComposer(Composer):
    """ruamel.yaml's composer, refusing the first collection more than ``MAX_DEPTH`` levels down.

    Counting collections (not scalars) the way the builder does keeps the bound the same on both
    read paths, and stopping there keeps ruamel.yaml's recursion far from Python's limit.
    """

    levels = 0

    def compose_sequence_node(self, anchor: Any) -> Any:
        return self._deeper(super().compose_sequence_node, anchor)

    def compose_mapping_node(self, anchor: Any) -> Any:
        return self._deeper(super().compose_mapping_node, anchor)

    def _deeper(self, compose_collection: Any, anchor: Any) -> Any:
        if self.levels >= MAX_DEPTH:
            raise Abort(too_deep(self.parser.peek_event().start_mark))
        self.levels += 1
        try:
            return compose_collection(anchor)
        finally:
            self.levels -= 1


def _mark_at(text: str, index: int) -> Any:
    line, column = line_and_column(text, index)
    return yaml.Mark("", index, line - 1, column - 1, None, 0)
