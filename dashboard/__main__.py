"""Command line: `python -m dashboard validate [FILE ...]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .schema import Report


def validate_files(paths: list[Path]) -> Report:
    """Each file by its kind: states, locations, official counts or incidents."""
    from .bundle import load_bundle
    from .validate import (
        validate_incidents,
        validate_locations,
        validate_official,
        validate_states,
    )

    bundle = load_bundle()
    if not paths:
        return bundle.report
    report = Report()
    for path in paths:
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.add(name, None, None, None, f"cannot read file: {exc.strerror}")
            continue
        head = data[:4096].decode("utf-8", errors="replace")
        if '"iso_3166_2"' in head:
            _, part = validate_states(data, name)
        elif "location_id" in head and "incident_id" not in head:
            _, part = validate_locations(data, name, bundle.states)
        elif "reported_at" in head and "incident_id" not in head:
            _, part = validate_official(data, name)
        else:
            _, part = validate_incidents(data, name, bundle.locations, bundle.states)
        report.extend(part)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate", help="check incident files (or, with no file, the bundled geodata)"
    )
    check.add_argument("files", nargs="*", type=Path)
    check.add_argument("--json", action="store_true", help="machine-readable report")
    args = parser.parse_args(argv)
    if args.command == "validate":
        report = validate_files(args.files)
        print(report.to_json() if args.json else report.to_text())
        return 0 if report.ok else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
