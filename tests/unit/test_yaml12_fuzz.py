"""Fuzzing the read path of a record: raw bytes, and the demo records mutated as text and as data,
through the loader and record validation. Whatever comes in, the outcome is data or findings that
name a line and a column; no exception escapes. Fixed, derandomized budgets keep CI deterministic.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from changeops.records.model import parse_change, read_change
from changeops.records.schema_findings import schema_findings
from changeops.validation.record_check import MODEL_OF_TYPE
from changeops.yaml12 import load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
RECORDS = [path.read_bytes() for path in sorted(REPO.glob("changes/*/change.yaml"))]
FILE = "changes/CHG-20261208-core-smu-snmp/change.yaml"


def budget(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def validated(raw: bytes) -> list[tuple[str, int, int]]:
    """The rules and places ``changeops validate`` would report for the shape of ``raw``;
    fails the test on any exception but pydantic's ValidationError (which becomes findings)."""
    doc = load(raw)
    if doc.problem is not None:
        assert doc.data is None and doc.problem.message and doc.problem.hint
        return [(doc.problem.rule, doc.problem.line, doc.problem.column)]
    read_change(raw)
    if not isinstance(doc.data, dict):
        return [("record-shape", 1, 1)]
    try:
        parse_change(doc.data)
    except ValidationError as err:
        model = MODEL_OF_TYPE.get(doc.data.get("type")) if isinstance(doc.data.get("type"), str) else None
        return [(f.rule, f.line, f.column) for f in schema_findings(err, doc, FILE, model)]
    return []


def located(findings: list[tuple[str, int, int]], raw: bytes) -> None:
    lines = raw.count(b"\n") + raw.count(b"\r") + 2
    for rule, line, column in findings:
        assert rule and 1 <= line <= lines and column >= 1, (rule, line, column)


def test_the_demo_records_are_valid() -> None:
    assert len(RECORDS) >= 5
    assert all(validated(raw) == [] for raw in RECORDS)


@budget(1_000)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_data_or_a_located_finding(raw: bytes) -> None:
    located(validated(raw), raw)


# Bytes that change how YAML reads what follows them, and that break it in ways that matter here.
TOKENS = [b":", b": ", b"- ", b"-", b"? ", b"[", b"]", b"{", b"}", b",", b"&a ", b"*a", b"&an:chor ", b"*an:chor",
          b"!!str ", b"!!binary ", b"!foo ", b"! ", b"<<: ", b"|", b">-", b"'", b'"', b"#", b" #", b"\t", b"\r",
          b"\r\n", b"\n", b"\n---\n", b"\n...\n", b"%YAML 1.1\n", b"\xef\xbb\xbf", b"\xc2\x85", b"\xe2\x80\xa8",
          b"\x00", b"\x07", b"\xff", b"\xe4\xb8", b"  ", b"022", b"NO", b".inf", b"~", b"2026-11-31",
          b"2026-12-08T00:30:00+24:00", b"2026-02-29T25:00:00Z", b"2026-12-08T00:30:00", b"9999-12-31T23:59:59-23:59",
          b"0000-01-01", b"1e999", b"0x", b"=", b"TODO: ", b"[" * 60, b"- " * 45]


@st.composite
def mutated_record(draw: st.DrawFn) -> bytes:
    """A demo record with a few values or slices deleted, duplicated, or replaced by tokens or random bytes."""
    raw = bytearray(draw(st.sampled_from(RECORDS)))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(raw)))
        end = min(len(raw), start + draw(st.integers(0, 40)))
        kind = draw(st.integers(0, 4))
        if kind == 4:
            # the value after a key: where a token is read as a whole scalar (a date, a number, ...)
            colon = raw.find(b": ", start)
            if colon >= 0:
                line_end = raw.find(b"\n", colon) % (len(raw) + 1)
                raw[colon + 2:line_end] = draw(st.sampled_from(TOKENS))
        elif kind == 0:
            raw[start:end] = draw(st.sampled_from(TOKENS))
        elif kind == 1:
            raw[start:start] = draw(st.sampled_from(TOKENS))
        elif kind == 2:
            raw[start:end] = raw[start:end] * draw(st.integers(0, 3))
        else:
            raw[start:end] = draw(st.binary(max_size=8))
    return bytes(raw)


@budget(1_500)
@given(mutated_record())
def test_mutated_records_give_data_or_located_findings(raw: bytes) -> None:
    located(validated(raw), raw)


LATEST_OFFSET = dt.timezone(dt.timedelta(hours=23, minutes=59))
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
    st.sampled_from(["", "TODO: fill in", "022", "NO", "all", "~x", "md5:0", "Asia/Shenyang", "24:00", "x" * 300]),
    st.text(max_size=12), st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones(), st.just(LATEST_OFFSET))),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``data`` (keys of mappings, indexes of lists)."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = replaced(data[head], tuple(rest), value)
    return copy


def dumped(data: Any) -> bytes:
    out = io.BytesIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()


PARSED = [load(raw).data for raw in RECORDS]


@budget(800)
@given(st.data())
def test_records_with_values_of_the_wrong_kind_give_located_findings(data: st.DataObject) -> None:
    record = data.draw(st.sampled_from(PARSED))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths(record)))
        record = replaced(record, path, data.draw(VALUES))
    raw = dumped(record)
    located(validated(raw), raw)


@pytest.mark.parametrize("raw", [
    b"id: CHG-20261208-x\ntype: patch\nwindow:\n  start: 2026-12-08T00:30:00+24:00\n",
    b"id: CHG-20261208-x\ntype: patch\nwindow:\n  start: 2026-11-31\n  end: 2026-12-08T00:30:00Z\n",
    b"id: CHG-20261208-x\ntype: patch\nwindow: {start: 2026-12-08T00:30:00Z, end: 2026-12-08T00:30:00}\n",
], ids=["offset-24h", "day-31-of-november", "aware-and-naive"])
def test_impossible_and_mixed_times_in_a_record_are_findings(raw: bytes) -> None:
    findings = validated(raw)
    assert findings
    located(findings, raw)
