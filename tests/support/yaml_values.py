"""Comparing loaded YAML values strictly, for the differential tests of the dialect."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


def meaning(value: Any) -> Any:
    """A form that only compares equal for the same types and values: 1 != True != 1.0, NaN == NaN,
    and two times with different UTC offsets differ even when they are the same instant."""
    if isinstance(value, dict):
        return ("map", [(meaning(k), meaning(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [meaning(v) for v in value])
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    if isinstance(value, dt.datetime):
        return ("datetime", value.replace(tzinfo=None).isoformat(), value.utcoffset())
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    if value is None or isinstance(value, (bool, int, str)):
        return (type(value).__name__, value)
    return ("unexpected", type(value).__name__, repr(value))
