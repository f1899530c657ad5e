"""Output pipes: include, exclude, begin, section, count."""

from __future__ import annotations

import pytest
from changeops_lab.filters import PipeError, apply_pipes, split_pipes

TEXT = "hostname r1\n!\ninterface Gi1\n description a\n shutdown\n!\ninterface Gi2\n description b\nend"


def test_include_keeps_regex_alternation_inside_one_pipe() -> None:
    base, pipes = split_pipes("show running-config | include ^hostname|^end")

    assert base == "show running-config"
    assert apply_pipes(TEXT, pipes) == "hostname r1\nend"


def test_section_shows_whole_sections_in_which_a_line_matches() -> None:
    _, pipes = split_pipes("show run | section shutdown")

    assert apply_pipes(TEXT, pipes) == "interface Gi1\n description a\n shutdown"


def test_chained_pipes_and_count() -> None:
    _, pipes = split_pipes("show run | begin Gi2 | count desc")

    assert apply_pipes(TEXT, pipes) == "Number of lines which match regexp = 1"


def test_unknown_pipe_is_refused() -> None:
    with pytest.raises(PipeError):
        split_pipes("show run | frobnicate x")
