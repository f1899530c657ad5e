"""What a simulated device answers: a reply to a line, or a question that waits for the next one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

INVALID = "% Invalid input detected at '^' marker."


@dataclass
class Reply:
    """What the device writes after a line: output, then a prompt (or a question), maybe a hang-up."""

    output: str = ""
    prompt: str = ""
    hang_up: bool = False
    reload: bool = False


@dataclass
class Question:
    """A question waiting for the next line (``Password:``, ``[confirm]``, ``[y/n]``)."""

    text: str
    on_answer: Callable[[str], Reply]
    echo: bool = True
