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


def publish_site(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """`publish OUTDIR`: the static site (dashboard/publish.py) from the bundled data."""
    from .bundle import load_bundle
    from .mexico import state_lookup
    from .publish import PublishError, publish

    codes = []
    for state in args.state:
        found = state_lookup(state)
        if found is None:
            parser.error(f"--state {state!r}: unknown state (use e.g. JAL, 14 or Jalisco)")
        codes.append(found.cve_ent)
    base = args.base_url or ""
    if base and not base.endswith("/"):
        base += "/"
    if base and not base.startswith(("https://", "http://")):
        parser.error(f"--base-url {args.base_url!r}: must start with https:// or http://")
    try:
        files = publish(load_bundle(), args.outdir, base_url=base, states=codes or None)
    except PublishError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"publish: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    total = sum(len(f.data) for f in files)
    print(f"wrote {len(files)} files ({total:,} bytes) to {args.outdir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate", help="check incident files (or, with no file, the bundled geodata)"
    )
    check.add_argument("files", nargs="*", type=Path)
    check.add_argument("--json", action="store_true", help="machine-readable report")
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
    pub = commands.add_parser(
        "publish",
        help="write a static site (maps, PNGs, data, embed codes) for any static host or CDN",
        description="Writes index.html (the default view), one page per state with incidents, "
        "PNG snapshots, data/incidents.csv, embed.html and manifest.json. OUTDIR must be new, "
        "empty or an earlier publish. The same data gives byte-identical files.",
    )
    pub.add_argument("outdir", type=Path)
    pub.add_argument(
        "--base-url", help="public address of OUTDIR, for absolute embed snippets (https://...)"
    )
    pub.add_argument("--state", action="append", default=[], help="only these state pages; repeat")
    args = parser.parse_args(argv)
    if args.command == "publish":
        return publish_site(args, pub)
    if args.command == "validate":
        report = validate_files(args.files)
        print(report.to_json() if args.json else report.to_text())
        return 0 if report.ok else 1
    if args.command == "snapshot":
        return snapshot(args, snap)
    return 2


if __name__ == "__main__":
    sys.exit(main())
