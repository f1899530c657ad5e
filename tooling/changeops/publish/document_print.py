"""How a customer document prints: its document number, and the running header (customer, number) and page
numbers of every A4 page, as CSS paged media (``@page`` margin boxes, which Chromium prints since 131).

A document number is derived, never counted: ``<CUSTOMER>-<KIND>-<YYYYMMDD>-<SLUG>`` from the customer's id,
the kind of document and the change ID, e.g. ``LNPDN-NT-20261208-CORE-SMU-SNMP`` for the notice of
CHG-20261208-core-smu-snmp. A change has at most one document of each kind and change IDs are unique, so the
number is unique; it is the same in Chinese and English and does not move when other changes are added.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

from changeops.records.fields import ID_PATTERN

KIND_CODES = {"notice": "NT", "maintenance-record": "MR", "fault-report": "FR", "drill-report": "DR",
              "inspection-report": "IR"}
"""Notice (of a patch, an upgrade, a move, a drill, an inspection), production maintenance record, fault report,
drill report, inspection report."""

_UNSAFE = re.compile(r"[^A-Za-z0-9]")
PAGE_OF = {"zh": ("第 ", " 页 / 共 ", " 页"), "en": ("Page ", " of ", "")}
"""The words around the page number and the page count, in each language."""


def document_number(customer: str, kind: str, change_id: str) -> str:
    """The number printed on the document ``kind`` (a key of ``KIND_CODES``) of the change ``change_id``."""
    match = ID_PATTERN.match(change_id)
    if match is None:
        raise ValueError(f"not a change ID: {change_id!r}")
    return f"{customer}-{KIND_CODES[kind]}-{match['date']}-{match['slug']}".upper()


def print_style(customer_name: str, number: str, language: str) -> Markup:
    """A ``<style>`` whose ``@page`` rule prints ``customer_name`` and ``number`` at the top of every page and
    "第 X 页 / 共 Y 页" (or "Page X of Y") at the bottom. Every character of the two texts other than an ASCII
    letter or digit is a CSS escape, so neither can end the string or the style element."""
    return Markup(f"<style>@page {{{_customer_and_pages(customer_name, language)}"
                  f" @top-right {{ content: {css_string(number)}; }} }}</style>")


@lru_cache(maxsize=64)
def _customer_and_pages(customer_name: str, language: str) -> str:
    """The parts of the page rule every document of a customer shares (thousands are built at once)."""
    before, between, after = PAGE_OF.get(language, PAGE_OF["en"])
    pages = f"{css_string(before)} counter(page) {css_string(between)} counter(pages) {css_string(after)}"
    return f" @top-left {{ content: {css_string(customer_name)}; }} @bottom-center {{ content: {pages}; }}"


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string: ASCII letters and digits as they are, all else escaped (spaces
    too: CSS takes a space after an escape as the escape's end, not as text)."""
    return '"' + _UNSAFE.sub(lambda m: f"\\{ord(m.group()):06x}", text) + '"'
