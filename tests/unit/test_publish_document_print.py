"""A customer document's number and the CSS that prints it, with the customer, on every A4 page."""

from __future__ import annotations

import re

import pytest
from changeops.publish.document_print import KIND_CODES, css_string, document_number, print_style


def test_a_document_number_is_the_customer_the_kind_and_the_change_id() -> None:
    assert document_number("lnpdn", "notice", "CHG-20261208-core-smu-snmp") == "LNPDN-NT-20261208-CORE-SMU-SNMP"
    assert document_number("lnpdn", "fault-report", "CHG-20261120-dl-edge-route-fix") \
        == "LNPDN-FR-20261120-DL-EDGE-ROUTE-FIX"


def test_each_kind_of_document_of_a_change_has_its_own_number() -> None:
    numbers = {document_number("lnpdn", kind, "CHG-20261215-core-failover-drill") for kind in KIND_CODES}
    assert len(numbers) == len(KIND_CODES)


def test_a_number_needs_a_change_id() -> None:
    with pytest.raises(ValueError, match="not a change ID"):
        document_number("lnpdn", "notice", "core-smu")


def test_css_strings_escape_everything_that_could_end_them() -> None:
    hostile = '辽宁"; } </style><script>alert(1)</script>\\'
    escaped = css_string(hostile)
    assert re.fullmatch(r'"(?:[A-Za-z0-9]|\\[0-9a-f]{6})*"', escaped)
    assert css_text(escaped) == hostile


def css_text(string: str) -> str:
    """What a CSS string means: an escape is up to six hex digits, and one space after it ends it."""
    assert string[0] == string[-1] == '"'
    return re.sub(r"\\([0-9a-fA-F]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), string[1:-1])


def test_the_page_rule_prints_the_header_and_page_x_of_y_in_the_language() -> None:
    zh = print_style("辽宁省数据网络中心", "LNPDN-NT-20261208-CORE-SMU-SNMP", "zh")
    assert zh.startswith("<style>@page {") and "</style>" not in zh[:-len("</style>")]
    assert css_string("辽宁省数据网络中心") in zh and css_string("LNPDN-NT-20261208-CORE-SMU-SNMP") in zh
    pages = re.search(r"@bottom-center \{ content: (\S+) counter\(page\) (\S+) counter\(pages\) (\S+); \}", zh)
    assert pages is not None and [css_text(s) for s in pages.groups()] == ["第 ", " 页 / 共 ", " 页"]
    en = print_style("Liaoning Provincial Data Network", "LNPDN-NT-20261208-CORE-SMU-SNMP", "en")
    pages = re.search(r"@bottom-center \{ content: (\S+) counter\(page\) (\S+) counter\(pages\) (\S+); \}", en)
    assert pages is not None and [css_text(s) for s in pages.groups()] == ["Page ", " of ", ""]
    top = re.search(r"@top-left \{ content: (\S+); \}", en)
    assert top is not None and css_text(top.group(1)) == "Liaoning Provincial Data Network"
