"""A record's step variables as Ansible data that is never templated.

Every string value (at any depth) is written with YAML's ``!unsafe`` tag, which Ansible
loads as ``AnsibleUnsafeText``: ``{{ lookup('pipe', ...) }}`` in a record stays text. Keys
are variable names, already checked by the record model. The file is passed with
``-e @file`` so the values keep extra-vars precedence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def unsafe_yaml(value: Any) -> str:
    """``value`` as one line of flow YAML with every string tagged ``!unsafe``."""
    if isinstance(value, str):
        return "!unsafe " + json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, dict):
        items = (f"{json.dumps(str(key), ensure_ascii=False)}: {unsafe_yaml(item)}" for key, item in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(unsafe_yaml(item) for item in value) + "]"
    # dates and other scalars the YAML dialect gives: their text, still unsafe
    return "!unsafe " + json.dumps(str(value), ensure_ascii=False)


def write_record_vars(path: Path, variables: dict[str, Any]) -> Path:
    """Write the step's variables to ``path`` for ``-e @path``."""
    lines = [f"{json.dumps(str(name), ensure_ascii=False)}: {unsafe_yaml(value)}"
             for name, value in sorted(variables.items())]
    path.write_text("\n".join(lines) + "\n" if lines else "{}\n", encoding="utf-8")
    return path
