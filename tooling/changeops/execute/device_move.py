"""After a successful device move, the device's location in ``inventory/host_vars/<host>.yml``.

Round-trip edited with ruamel.yaml, so comments, key order and layout survive.
"""

from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML

from changeops.estate.layout import Estate
from changeops.records.model import Location


def record_new_location(estate: Estate, device: str, to: Location) -> Path | None:
    """Write ``to`` (site, room, rack, unit) into the device's host_vars; the file, or None if there is none."""
    path = estate.inventory / "host_vars" / f"{device}.yml"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    head, marker, body = text.partition("\n---\n") if "\n---\n" in text else ("", "", text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    # write null as the archive files do, not as an empty value
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    data = yaml.load(body)
    for key in ("site", "room", "rack", "unit"):
        data[key] = getattr(to, key)
    out = io.StringIO()
    yaml.dump(data, out)
    path.write_text(head + marker + out.getvalue(), encoding="utf-8")
    return path
