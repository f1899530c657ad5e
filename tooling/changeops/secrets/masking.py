"""Masking a run's text and data: known values in every spelling, the configuration grammar, policy patterns.

:func:`texts_of` says which texts a piece of data holds *as the masking saw them* (a list of
strings is one configuration: ``ios_config``'s ``commands`` send ``tacacs server X`` and
``key Y`` as two items; its arguments put ``key Y`` in ``lines`` under ``parents``), so the
scan looks at exactly what the mask looked at. A runner's display line embeds the result as
JSON (``fatal: [r1]: FAILED! => {...}``): that result is masked as data, not as one line of text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from changeops.secrets.config_grammar import MASK, is_masked, mask_config
from changeops.secrets.known_values import KnownValues

_DECODER = json.JSONDecoder()


def mask_text(text: str, values: KnownValues, patterns: list[re.Pattern[str]]) -> str:
    """``text`` with known values (any spelling), secret configuration lines and policy patterns masked."""
    text = values.mask(text, MASK)
    text = mask_config(text)
    for pattern in patterns:
        text = pattern.sub(_mask_match, text)
    return text


def mask_data(data: Any, mask: Callable[[str], str], secret_name: Callable[[Any], bool]) -> Any:
    """A copy of plain data (events, results) with values under secret names and every text masked."""
    if isinstance(data, dict):
        masked = {key: (MASK if secret_name(key) and isinstance(value, (str, int)) and not isinstance(value, bool)
                        and value != "" else mask_data(value, mask, secret_name)) for key, value in data.items()}
        section = _section(data)
        if section is not None:  # `lines` under `parents`: `key X` is a secret only below `tacacs server T`
            parents, lines = section
            masked["lines"] = mask("\n".join([*parents, *lines])).split("\n")[len(parents):]
        return masked
    if isinstance(data, list):
        joined = _joined(data)
        if joined is not None:
            return mask(joined).split("\n")
        return [mask_data(value, mask, secret_name) for value in data]
    if isinstance(data, str):
        embedded = _embedded_json(data)
        if embedded is None:
            return mask(data)
        before, inner, after = embedded
        return mask(before) + json.dumps(mask_data(inner, mask, secret_name), ensure_ascii=False) + mask(after)
    return data


def texts_of(data: Any) -> Iterator[str]:
    """Every text in ``data`` as :func:`mask_data` masks it (lists of one-line strings joined)."""
    if isinstance(data, dict):
        section = _section(data)
        if section is not None:
            yield "\n".join([*section[0], *section[1]])
        for value in data.values():
            yield from texts_of(value)
    elif isinstance(data, list):
        joined = _joined(data)
        if joined is not None:
            yield joined
        else:
            for value in data:
                yield from texts_of(value)
    elif isinstance(data, str):
        yield data
        embedded = _embedded_json(data)
        if embedded is not None:
            yield from texts_of(embedded[1])


def pattern_hits(text: str, patterns: list[re.Pattern[str]]) -> Iterator[int]:
    """Offsets in ``text`` where a policy pattern matches something not masked yet."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            groups = [i for i in range(1, (pattern.groups or 0) + 1) if match.start(i) >= 0] or [0]
            for index in groups:
                if not is_masked(match.group(index)):
                    yield match.start(index)


def _embedded_json(text: str) -> tuple[str, Any, str] | None:
    """A runner line's result (``fatal: [r1]: FAILED! => {...}``): the text before, the data, the text after."""
    at = text.find("=> {")
    if at < 0:
        return None
    try:
        inner, end = _DECODER.raw_decode(text, at + 3)
    except ValueError:
        return None
    return text[: at + 3], inner, text[end:]


def _section(data: dict[Any, Any]) -> tuple[list[str], list[str]] | None:
    """``ios_config``-style arguments: the ``parents`` headers and the ``lines`` typed under them."""
    parents, lines = data.get("parents"), data.get("lines")
    parents = [parents] if isinstance(parents, str) else parents
    lines = [lines] if isinstance(lines, str) else lines
    if not parents or not lines or not all(isinstance(item, str) and "\n" not in item for item in [*parents, *lines]):
        return None
    return list(parents), list(lines)


def _joined(items: list[Any]) -> str | None:
    """Several one-line strings as one text, when that keeps one line per item."""
    if len(items) < 2 or not all(isinstance(item, str) and "\n" not in item for item in items):
        return None
    return "\n".join(items)


def _mask_match(match: re.Match[str]) -> str:
    """The match with its groups masked (the whole match when it has none)."""
    if not match.re.groups:
        return MASK
    text, start = match.group(0), match.start(0)
    pieces, at = [], 0
    for index in range(1, match.re.groups + 1):
        if match.start(index) < 0:
            continue
        begin, end = match.start(index) - start, match.end(index) - start
        pieces += [text[at:begin], MASK]
        at = end
    return "".join(pieces) + text[at:]
