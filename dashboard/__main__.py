"""Command line: `python -m dashboard validate [FILE ...]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .schema import Report


def validate_files(paths: list[Path], keep_all: bool = False) -> tuple[Report, list[dict]]:
    """Each file by its kind: states, locations, official counts or incidents (ours/ACLED).

    Returns the combined report (the first 1,000 problems and totals per kind, or all with
    keep_all) and, per file, what was detected: format, encoding, column mapping, rows kept.
    """
    from .bundle import load_bundle
    from .validate import (
        check_incidents,
        validate_locations,
        validate_official,
        validate_states,
    )

    bundle = load_bundle()
    if not paths:
        return bundle.report, []
    report = Report(limit=None) if keep_all else Report()
    files = []
    for path in paths:
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.add(name, None, None, None, f"cannot read file: {exc.strerror}")
            continue
        head = data[:4096].decode("utf-8", errors="replace")
        info: dict = {"file": name}
        if '"iso_3166_2"' in head:
            frame, part = validate_states(data, name)
            info["format"] = "states"
        elif "location_id" in head and "incident_id" not in head:
            frame, part = validate_locations(data, name, bundle.states)
            info["format"] = "locations"
        elif "reported_at" in head and "incident_id" not in head:
            frame, part = validate_official(data, name)
            info["format"] = "official counts"
        else:
            result = check_incidents(data, name, bundle.locations, bundle.states, keep_all=keep_all)
            frame, part = result.frame, result.report
            info.update(
                format=result.format or "unreadable",
                encoding=result.encoding,
                mapping=[
                    {"ours": ours, "file": theirs, "how": how}
                    for ours, theirs, how in result.mapping
                ],
            )
        info["valid_rows"] = len(frame)
        files.append(info)
        report.extend(part)
    return report, files


def validation_json(report: Report, files: list[dict]) -> str:
    """The --json report: totals, per-file format/mapping/valid_rows, and the problems."""
    import json

    document = report.as_dict()
    document["files"] = files
    if len(files) == 1:  # one file: its facts at the top level too
        for key in ("format", "encoding", "mapping", "valid_rows"):
            if key in files[0]:
                document[key] = files[0][key]
    return json.dumps(document, ensure_ascii=False, indent=2)


def validation_text(report: Report, files: list[dict]) -> str:
    lines = []
    for info in files:
        read_as = info["format"] + (f", {info['encoding']}" if info.get("encoding") else "")
        lines.append(f"{info['file']}: read as {read_as}; {info['valid_rows']} valid row(s)")
        for column in info.get("mapping") or []:
            lines.append(f"  {column['ours']} <- {column['file']}: {column['how']}")
    return "\n".join([*lines, report.to_text()])


def snapshot_view(args: argparse.Namespace, parser: argparse.ArgumentParser, bundle):
    """The page view the arguments name, or a parser error (exit 2) saying what is wrong."""
    from urllib.parse import urlsplit

    from .filters import data_window, default_window
    from .mexico import state_lookup
    from .permalink import parse_query
    from .schema import EVENT_TYPES

    lo, hi = data_window(bundle.incidents)
    query = args.query or ""
    if "?" in query:
        query = urlsplit(query).query
    parts = [query] if query else []
    if args.start:
        parts.append(f"from={args.start}")
    if args.end:
        parts.append(f"to={args.end}")
    for state in args.state:
        if state_lookup(state) is None:
            parser.error(f"--state {state!r}: unknown state (use e.g. JAL, 14 or Jalisco)")
    for kind in args.type:
        if kind not in EVENT_TYPES:
            parser.error(f"--type {kind!r}: unknown event type; one of {', '.join(EVENT_TYPES)}")
    if args.state:
        parts.append("states=" + ",".join(state_lookup(s).abbrev for s in args.state))
    if args.type:
        parts.append("types=" + ",".join(args.type))
    link = parse_query("&".join(parts), data_start=lo, data_end=hi, version=bundle.version)
    problems = [n for n in link.notices if not link.stale or "updated" not in n]
    if problems:
        parser.error(" ".join(problems))
    return link.page_view(default_window(bundle.incidents))  # the page's default, too


def snapshot(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .bundle import load_bundle
    from .snapshot import MAX_PNG_SIDE, html_document, png_bytes

    fmt = args.format or (args.out.suffix.lstrip(".").lower() if args.out.suffix else "")
    if fmt not in ("png", "html"):
        parser.error("--format must be png or html (or give --out a .png/.html name)")
    if not (200 <= args.width <= MAX_PNG_SIDE and 200 <= args.height <= MAX_PNG_SIDE):
        parser.error(f"--width and --height must be 200..{MAX_PNG_SIDE} pixels")
    bundle = load_bundle()
    page = snapshot_view(args, parser, bundle)
    if fmt == "png":
        data = png_bytes(bundle, page, (args.width, args.height))
    else:
        data = html_document(bundle, page).encode("utf-8")
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        print(f"cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate", help="check incident files (or, with no file, the bundled geodata)"
    )
    check.add_argument(
        "files", nargs="*", type=Path, help=".csv, .tsv, .txt, .geojson or .json (ours or ACLED)"
    )
    check.add_argument("--json", action="store_true", help="machine-readable report")
    check.add_argument(
        "--all", action="store_true", help="list every problem (default: the first 1,000)"
    )
    snap = commands.add_parser(
        "snapshot",
        help="write the PNG or HTML snapshot of a view, as the page's buttons do",
        description="Times are Mexico City time (YYYY-MM-DDTHH:MM), or carry an offset. "
        "Without --start/--end (or --query) the window is the page's default.",
    )
    snap.add_argument("--start", help="window start, e.g. 2026-02-22T06:00")
    snap.add_argument("--end", help="window end, e.g. 2026-02-23T00:00")
    snap.add_argument("--state", action="append", default=[], help="JAL, 14 or Jalisco; repeat")
    snap.add_argument("--type", action="append", default=[], help="event type key; repeat")
    snap.add_argument("--query", help="a permalink (URL or query string) naming the view")
    snap.add_argument("--format", choices=("png", "html"))
    snap.add_argument("--out", type=Path, required=True)
    snap.add_argument("--width", type=int, default=1600)
    snap.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)
    if args.command == "validate":
        report, files = validate_files(args.files, keep_all=args.all)
        print(validation_json(report, files) if args.json else validation_text(report, files))
        return 0 if report.ok else 1
    if args.command == "snapshot":
        return snapshot(args, snap)
    return 2


if __name__ == "__main__":
    sys.exit(main())
