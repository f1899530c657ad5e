"""Generate a synthetic changeops estate: N change records over M devices.

Usage: python bench/generate_estate.py OUT [--records 10000] [--devices 2000] [--seed 7]

The records are variations of the demo estate's records, one of each type that changes
devices, with their own IDs, windows and targets, so validation does the same work per
record as on a real estate; and, as the service plan has it, one routine inspection a
month (the first record of each month). Playbooks and runbooks are copied from the repository.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITES = [f"site-{n:02d}" for n in range(1, 21)]
ROLES = ["core-router", "dist-switch", "access-switch", "firewall", "edge-router"]
CST = timezone(timedelta(hours=8))


def generate(out: Path, records: int, devices: int, seed: int) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("playbooks", "runbooks", "policies"):
        shutil.copytree(REPO / folder, out / folder)
    hosts = _inventory(out / "inventory", devices)
    by_type = {_type(p.read_text(encoding="utf-8")): p for p in sorted((REPO / "changes").glob("*/change.yaml"))}
    inspection = by_type.pop("inspection").read_text(encoding="utf-8")
    sources = list(by_type.values())
    templates = [p.read_text(encoding="utf-8") for p in sources]
    month = ""
    for index in range(records):
        text, source = templates[index % len(templates)], sources[index % len(sources)]
        start = _night(index // 20) + timedelta(minutes=10 * (index % 20))
        if f"{start:%Y-%m}" != month:
            month = f"{start:%Y-%m}"
            text, source = inspection.replace("  period: 2026-12\n", f"  period: {month}\n"), None
        change_id = f"CHG-{start:%Y%m%d}-bench-{index:05d}"
        pick = rng.randrange(len(hosts) & ~1)
        targets = [hosts[pick], hosts[pick ^ 1]] if "type: patch" in text else [hosts[pick]]
        body = _retarget(text, change_id, start, targets)
        if "type: device-move" in text:
            body = _move(body, hosts[pick], pick)
        path = out / "changes" / change_id / "change.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(body, encoding="utf-8")
        for extra in source.parent.glob("fault-report.yaml") if source else ():
            (path.parent / extra.name).write_text(_closed(extra.read_text(encoding="utf-8")), encoding="utf-8")


def _closed(report: str) -> str:
    """The fault report with its follow-ups done before the first generated window: the copies keep the demo
    report's dates, and thousands of copies of one report's open actions would fill every summary's open
    issues (in a living estate actions get closed)."""
    done = f"done: {_night(0) - timedelta(days=1):%Y-%m-%d}\n"
    return "".join(line + (line[:line.index("due:")] + done if line.lstrip().startswith("due:") else "")
                   for line in report.splitlines(keepends=True))


def _type(text: str) -> str:
    return next(line[6:].strip() for line in text.splitlines() if line.startswith("type: "))


def _night(number: int) -> datetime:
    """The ``number``-th Tuesday or Thursday night from 2027-01-05 (the demo's maintenance windows)."""
    week, second = divmod(number, 2)
    return datetime(2027, 1, 5, 0, 30, tzinfo=CST) + timedelta(weeks=week, days=2 * second)


def _retarget(text: str, change_id: str, start: datetime, targets: list[str] | None) -> str:
    """The same record with a new ID and window, and new targets unless ``targets`` is None."""
    lines: list[str] = []
    in_targets = False
    for line in text.splitlines():
        if in_targets and line.startswith("  - "):
            continue
        in_targets = False
        if line.startswith("id: "):
            line = f"id: {change_id}"
        elif line.startswith("  start: "):
            line = f"  start: {start.isoformat()}"
        elif line.startswith("  end: "):
            line = f"  end: {(start + timedelta(hours=2)).isoformat()}"
        elif line == "targets:" and targets is not None:
            in_targets = True
            lines += [line, *(f"  - {t}" for t in targets)]
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def _move(text: str, host: str, index: int) -> str:
    """A device move of ``host`` from where its synthetic facts put it."""
    origin = (f"{{site: {SITES[index % len(SITES)]}, room: 1F-M{index % 9 + 101}, rack: A{index % 40:02d}, "
              f"unit: {index % 40 + 1}}}")
    lines = []
    for line in text.splitlines():
        if line.startswith("  device: "):
            line = f"  device: {host}"
        elif line.startswith("  from: "):
            line = f"  from: {origin}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _inventory(folder: Path, devices: int) -> list[str]:
    (folder / "host_vars").mkdir(parents=True)
    (folder / "group_vars").mkdir()
    shutil.copy(REPO / "inventory/group_vars/ios.yml", folder / "group_vars/ios.yml")
    names = [f"bench-{SITES[i % len(SITES)]}-{ROLES[i % len(ROLES)]}-{i:04d}" for i in range(devices)]
    real = sorted(p.stem for p in (REPO / "inventory/host_vars").glob("*.yml"))
    by_site: dict[str, list[str]] = {}
    for name in names:
        by_site.setdefault(name.split("-")[1] + "-" + name.split("-")[2], []).append(name)
    lines = ["all:", "  children:"]
    for site, members in sorted(by_site.items()):
        lines += [f"    {site.replace('-', '_')}:", "      hosts:"] + [f"        {h}:" for h in members]
    lines += ["    ios:", "      children:", "        demo:", "          hosts:"] + [f"            {h}:" for h in real]
    (folder / "hosts.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for host in real:
        shutil.copy(REPO / "inventory/host_vars" / f"{host}.yml", folder / "host_vars" / f"{host}.yml")
    for index, name in enumerate(names):
        peer = names[index ^ 1] if (index ^ 1) < len(names) else None
        (folder / "host_vars" / f"{name}.yml").write_text(_facts(index, peer), encoding="utf-8")
    return names


def _facts(index: int, peer: str | None) -> str:
    return (f"vendor: Cisco\nmodel: C9300-48P\nserial_number: FOC{index:08d}\nos_version: 17.09.04a\n"
            f"site: {SITES[index % len(SITES)]}\nroom: 1F-M{index % 9 + 101}\nrack: A{index % 40:02d}\n"
            f"unit: {index % 40 + 1}\nrole: {ROLES[index % len(ROLES)]}\npeer: {peer or 'null'}\n"
            "customer: lnpdn\nimage: cat9k_iosxe.17.09.04a.SPA.bin\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.records, args.devices, args.seed)
    print(f"wrote {args.records} records and {args.devices} devices to {args.out}")


if __name__ == "__main__":
    main()
