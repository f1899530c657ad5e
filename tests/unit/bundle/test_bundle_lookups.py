"""Which lookups read repository files, which read none, and which cannot be known before the run."""

from __future__ import annotations

import pytest
from changeops.bundle.lookups import INVENTORY_LOOKUPS, FileRead, Unknowable, jinja_uses


def reads(text: str, **options: bool) -> list[tuple[str, tuple[str, ...]]]:
    uses = jinja_uses(text, **options)  # type: ignore[arg-type]
    assert all(isinstance(use, FileRead) for use in uses), uses
    return [(use.folder, use.names) for use in uses if isinstance(use, FileRead)]


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ lookup('file', 'a.txt') }}", [("files", ("a.txt",))]),
    ("{{ lookup('ansible.builtin.template', 'b.j2') }}", [("templates", ("b.j2",))]),
    ("{{ query('first_found', ['x.yml', 'y.yml']) }}", [("files", ("x.yml", "y.yml"))]),
    ("{{ lookup('ini', 'user section=db file=users.ini') }}", [("files", ("users.ini",))]),
    ("{{ lookup('ini', 'user', section='db') }}", [("files", ("ansible.ini",))]),
    ("{{ lookup('csvfile', 'k', file='hosts.csv') }}", [("files", ("hosts.csv",))]),
    ("{{ lookup('unvault', 'secret.bin') }}", [("files", ("secret.bin",))]),
    ("{% include 'part.j2' %}", [("templates", ("part.j2",))]),
    ("{{ lookup('env', 'HOME') }} {{ lookup('pipe', 'date') }} {{ q('vars', 'x') }}", []),
    ("plain text, no Jinja", []),
])
def test_the_files_a_piece_of_jinja_reads(text: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    assert reads(text) == expected


@pytest.mark.parametrize("text", [
    "{{ lookup('file', name) }}", "{{ lookup(kind, 'a.txt') }}", "{{ lookup('fileglob', '*.cfg') }}",
    "{{ lookup('community.general.filetree', 'x') }}", "{{ lookup('password', '/tmp/p length=8') }}",
    "{% include name ~ '.j2' %}", "{{ lookup('ini', 'k file=' ~ f) }}", "{{ lookup('file', 'a' }}",
])
def test_reads_that_cannot_be_known_before_the_run(text: str) -> None:
    uses = jinja_uses(text)
    assert uses and all(isinstance(use, Unknowable) for use in uses)


def test_lines_are_counted_from_where_the_text_starts() -> None:
    uses = jinja_uses("first\nsecond {{ lookup('file', x) }}\n", first_line=10)
    assert [use.line for use in uses] == [11]


def test_a_bare_condition_is_read_as_an_expression() -> None:
    assert reads("lookup('file', 'flag') == 'on'", expression=True) == [("files", ("flag",))]
    assert jinja_uses("lookup('file', 'flag') == 'on'") == []  # not Jinja without the expression flag


def test_inventory_may_read_the_environment_but_never_run_a_command() -> None:
    assert jinja_uses("{{ lookup('env', 'USER') }}", allowed=INVENTORY_LOOKUPS) == []
    assert jinja_uses("{{ lookup('pipe', 'id') }}", allowed=INVENTORY_LOOKUPS)
