"""Command line: `python -m dashboard validate [FILE ...]`, snapshot, export, quality, publish.

Messages (reports, errors, summaries, help) are in the `--lang es|en` language; without
it, the environment's locale decides (`LC_ALL`, then `LC_MESSAGES`, then `LANG`: Spanish
for any `es*`, English otherwise). argparse's own words ("usage:", "error:") stay English.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from dashboard.analysis.check_files import ACROSS_FILES, incident_file_count, validate_files
from dashboard.model.schema import Report, summary_text
from dashboard.text.i18n import DEFAULT_LANGUAGE, gettext_for, language_of_locale, translation
from dashboard.text.message import msg, msg_n

# Words for the `format` of a file in the text report (the JSON keeps these keys).
FORMAT_WORDS = {
    "states": msg("states layer"),
    "locations": msg("places layer"),
    "official counts": msg("official counts"),
    "unreadable": msg("unreadable"),
}


def environment_language(environ: Mapping[str, str]) -> str:
    """The registry's language of the locale the environment names ("es" for es,
    es_MX.UTF-8...), else the default, English. POSIX order: the first non-empty of LC_ALL,
    LC_MESSAGES, LANG."""
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = (environ.get(key) or "").strip()
        if value:
            return language_of_locale(value)
    return DEFAULT_LANGUAGE


def cli_language(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language of the CLI's messages: `--lang es|en` (or `--lang=es`) anywhere in
    argv, else the environment's (`environment_language`). Read before argparse runs, so
    help texts and argparse errors already use it; a bad value is argparse's to report."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in ("es", "en"):
            return value
    return environment_language(environ)


def validation_json(report: Report, files: list[dict], lang: str = "en") -> str:
    """The --json report: totals, per-file format/mapping/valid_rows, and the problems.

    Keys, `reason` and `totals` stay English (machine-readable); with lang "es" each
    problem also has `reason_es` and the report `totals_es`.
    """
    import json

    document = report.as_dict(lang)
    document["files"] = files
    if incident_file_count(files) > 1:  # the known limit of checking files one by one
        document["not_checked"] = [ACROSS_FILES]
    if len(files) == 1:  # one file: its facts at the top level too
        for key in ("format", "encoding", "reading", "mapping", "valid_rows"):
            if key in files[0]:
                document[key] = files[0][key]
    return json.dumps(document, ensure_ascii=False, indent=2)


def validation_text(report: Report, files: list[dict], lang: str = "en") -> str:
    """The report as text in `lang`: per file how it was read, then every problem."""
    lines = []
    for info in files:
        word = FORMAT_WORDS.get(info["format"])
        read_as = info["format"] if word is None else word.text(lang)
        read_as += f", {info['encoding']}" if info.get("encoding") else ""
        lines.append(
            msg_n(
                "{file}: read as {format}; {n} valid row",
                "{file}: read as {format}; {n} valid rows",
                info["valid_rows"],
                file=info["file"],
                format=read_as,
            ).text(lang)
        )
        if info.get("reading"):  # a delimited text file: how its lines and numbers were read
            from dashboard.ingest.reading import Reading, reading_text

            lines.append("  " + reading_text(Reading(**info["reading"]), lang))
        for column in info.get("mapping") or []:
            how = gettext_for(lang, column["how"])
            lines.append(f"  {column['ours']} <- {column['file']}: {how}")
    if incident_file_count(files) > 1:
        lines.append(gettext_for(lang, ACROSS_FILES))
    return "\n".join([*lines, report.to_text(lang)])


def write_output(path: Path, data: bytes, what: str, lang: str = "en") -> int:
    """Write a command's output file; the exit code: 0, or 1 with a message when the file
    cannot be written (no traceback). `what` says what was written, already in `lang`."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        error = exc.strerror or str(exc)
        print(
            msg("cannot write {path}: {error}", path=path, error=error).text(lang), file=sys.stderr
        )
        return 1
    print(msg("wrote {path} ({what})", path=path, what=what).text(lang))
    return 0


def byte_count(size: int, lang: str) -> str:
    """ "12,345 bytes" / "12,345 bytes" in `lang` (CLDR grouping)."""
    from dashboard.text.i18n import format_number

    return msg_n("{size} byte", "{size} bytes", size, size=format_number(size, lang)).text(lang)


def snapshot_view(args: argparse.Namespace, parser: argparse.ArgumentParser, bundle, records=None):
    """The page view the arguments name, over `records` (default: the bundled incidents).

    The command's own flags are checked strictly: an unreadable --start/--end, a window
    that ends before it starts or lies outside the data, an unknown --state or --type is a
    parser error (exit 2) naming the flag and the value. The --query link is read as the
    page reads it: its unusable parts (a bad centre or zoom, an unknown layer, a window
    that cannot be used...) are dropped, each with a notice on stderr in the messages'
    language, and the rest is used. Without a window, the view's is the page's default:
    the bundled data's first two days, or a user's file's whole range (filters.file_window),
    as the page opens a shown file.
    """
    from urllib.parse import urlencode, urlsplit

    from dashboard.analysis.filters import data_window, default_window, file_window
    from dashboard.analysis.permalink import parse_query, window_flags_error
    from dashboard.model.mexico import state_lookup
    from dashboard.model.schema import EVENT_TYPES

    # A user's file (Bundle.with_user_file names its origin) opens on its whole range.
    own_file = records is not None and (
        records is not bundle.incidents or bundle.origin is not None
    )
    records = bundle.incidents if records is None else records
    lo, hi = data_window(records)
    lang = args.ui_lang
    error = window_flags_error(args.start, args.end, lo, hi)
    if error is not None:
        parser.error(error.text(lang))
    query = args.query or ""
    if "?" in query:
        query = urlsplit(query).query
    parts = [query] if query else []
    # Encoded: a raw "+01:00" would reach the link reader as " 01:00".
    if args.start:
        parts.append(urlencode({"from": args.start}))
    if args.end:
        parts.append(urlencode({"to": args.end}))
    for state in args.state:
        if state_lookup(state) is None:
            parser.error(unknown_state(state).text(lang))
    for kind in args.type:
        if kind not in EVENT_TYPES:
            parser.error(
                msg(
                    "--type {kind!r}: unknown event type; one of {types}",
                    kind=kind,
                    types=", ".join(EVENT_TYPES),
                ).text(lang)
            )
    if args.state:
        parts.append("states=" + ",".join(state_lookup(s).abbrev for s in args.state))
    if args.type:
        parts.append("types=" + ",".join(args.type))
    if getattr(args, "trusted", False):  # (publish's views name no trust filter)
        parts.append("trust=1")
    if getattr(args, "actor", None):
        parts.append(urlencode({"actor": args.actor}))
    if getattr(args, "sub_event_type", None):
        parts.append(urlencode({"sub": "|".join(args.sub_event_type)}))
    if getattr(args, "min_fatalities", None):
        parts.append(f"deaths={args.min_fatalities}")
    if args.lang:
        parts.append(f"lang={args.lang}")
    # No data version: a snapshot is always of the current data, so a stale link is fine.
    # Notices in the messages' language (--lang, else the environment's), not the link's.
    link = parse_query("&".join(parts), data_start=lo, data_end=hi, lang=lang)
    for notice in link.notices:
        print(msg("notice: {notice}", notice=notice).text(lang), file=sys.stderr)
    # The page's default, too: a file opens on its whole range.
    return link.page_view(file_window(records) if own_file else default_window(records))


def read_records(path: Path, bundle, lang: str):
    """A user's incidents file (CSV, TSV, TXT, GeoJSON, ours or ACLED), validated as the
    page validates an upload: (valid rows, the text report in `lang`), or (None, the
    reason) when the file cannot be read. The report says how the file was read and every
    problem (the first 1,000, then totals per kind)."""
    from dashboard.analysis.check_file import check_file
    from dashboard.ingest.reading import how_read
    from dashboard.model.origin import UserFile

    try:
        data = path.read_bytes()
    except OSError as exc:
        error = exc.strerror or str(exc)
        return None, msg("cannot read {path}: {error}", path=path, error=error).text(lang)
    result = check_file(data, str(path), bundle.locations, bundle.states, max_bytes=None)
    # (the valid rows say which file they are: exports name it, not the bundled data)
    result.frame.attrs["origin"] = UserFile.now(str(path), result.format, result.encoding)
    info = {
        "file": str(path),
        "format": result.format or "unreadable",
        "encoding": result.encoding,
        "mapping": [
            {"ours": ours, "file": theirs, "how": how} for ours, theirs, how in result.mapping
        ],
        "valid_rows": len(result.frame),
    }
    reading = how_read(data, result.format, result.encoding, str(path))
    if reading is not None:
        info["reading"] = reading.as_dict()
    return result.frame, validation_text(result.report, [info], lang)


def snapshot(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from dashboard.ingest.bundle import load_bundle
    from dashboard.render.formats import SNAPSHOT_FORMATS, ViewFiles, implied_format
    from dashboard.render.snapshot import MAX_PNG_SIDE

    lang = args.ui_lang
    fmt = args.format or implied_format(args.out, SNAPSHOT_FORMATS)
    if fmt not in SNAPSHOT_FORMATS:
        parser.error(format_error(SNAPSHOT_FORMATS).text(lang))
    if not (200 <= args.width <= MAX_PNG_SIDE and 200 <= args.height <= MAX_PNG_SIDE):
        parser.error(
            msg(
                "--width and --height must be {low} to {high} pixels", low=200, high=MAX_PNG_SIDE
            ).text(lang)
        )
    bundle = load_bundle()
    page = snapshot_view(args, parser, bundle)
    size = None if args.preset else (args.width, args.height)
    files = ViewFiles(bundle, page, bundle.incidents, size=size, preset=args.preset)
    data = SNAPSHOT_FORMATS[fmt].build(files)
    code = write_output(args.out, data, byte_count(len(data), lang), lang)
    if code or fmt not in ("png", "svg"):
        return code
    from dashboard.render.imagefiles import alt_sidecar

    text = alt_sidecar(bundle, page).encode("utf-8")
    return write_output(alt_path(args.out), text, byte_count(len(text), lang), lang)


def alt_path(image: Path) -> Path:
    """Where an image's title and alt text go: map.png -> map.alt.txt."""
    return image.with_name(image.stem + ".alt.txt")


def format_error(formats):
    """The --format error: the registry's names (render/formats.py) and the --out endings
    that choose one."""
    from dashboard.render.formats import implying_suffixes

    return msg(
        "--format must be one of {formats} (or give --out a {endings} name)",
        formats=", ".join(formats),
        endings="/".join(implying_suffixes(formats)),
    )


def add_view_arguments(sub: argparse.ArgumentParser, lang: str = "en") -> None:
    """The view arguments `snapshot` takes (window, states, types, permalink, language);
    help texts in `lang`."""
    t = translation(lang)
    sub.add_argument(
        "--start",
        help=t.gettext(
            "window start, e.g. 2026-02-22T06:00 (Mexico City time) or with a UTC offset: "
            "2026-02-22T12:00Z, 2026-02-22T06:00-06:00"
        ),
    )
    sub.add_argument(
        "--end",
        help=t.gettext(
            "window end, e.g. 2026-02-23T00:00 (Mexico City time) or with a UTC offset: "
            "2026-02-23T06:00+00:00"
        ),
    )
    sub.add_argument(
        "--state", action="append", default=[], help=t.gettext("JAL, 14 or Jalisco; repeat")
    )
    sub.add_argument(
        "--type", action="append", default=[], help=t.gettext("event type key; repeat")
    )
    sub.add_argument(
        "--trusted",
        action="store_true",
        help=t.gettext(
            "leave out disputed and single-source records from every figure (the link's trust=1)"
        ),
    )
    sub.add_argument("--query", help=t.gettext("a permalink (URL or query string) naming the view"))
    sub.add_argument(
        "--actor",
        help=t.gettext("records whose actor1, actor2 or associated actors contain this text"),
    )
    sub.add_argument(
        "--sub-event-type",
        action="append",
        default=[],
        help=t.gettext("an ACLED sub-event type, as ACLED writes it; repeat"),
    )
    sub.add_argument(
        "--min-fatalities",
        type=int,
        help=t.gettext("records with at least this many deaths reported"),
    )
    sub.add_argument(
        "--lang",
        choices=("es", "en"),
        help=t.gettext(
            "language of the view (title, window, credit and alt text; default: the --query "
            "link's lang, else en) and of the messages (default: the environment's LANG)"
        ),
    )


def export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Write the records in a view (or its per-state table, or a data package): of the
    bundled data, or of a user's FILE (validated as the page validates an upload, the
    report on stderr; without view arguments every valid row of it). Exit 0 when written;
    1 when FILE cannot be read or has no valid rows, or the output cannot be written; 2
    for a bad argument."""
    from dashboard.analysis.filters import apply, possible_mask
    from dashboard.analysis.permalink import to_query
    from dashboard.analysis.stats import state_counts
    from dashboard.ingest.bundle import load_bundle
    from dashboard.render.formats import EXPORT_FORMATS, ViewFiles, implied_format

    lang = args.ui_lang
    fmt = args.format or implied_format(args.out, EXPORT_FORMATS)
    if fmt not in EXPORT_FORMATS:
        parser.error(format_error(EXPORT_FORMATS).text(lang))
    bundle = load_bundle()
    records = bundle.incidents
    if args.file is not None:  # a user's file: its valid rows instead of the bundled ones
        records, report = read_records(args.file, bundle, lang)
        print(report, file=sys.stderr)
        if records is None:
            return 1
        if records.empty:
            print(
                msg("{file}: no valid rows to export", file=args.file).text(lang), file=sys.stderr
            )
            return 1
        bundle = bundle.with_user_file(records, records.attrs["origin"])
    page = snapshot_view(args, parser, bundle, records)
    every = args.file is not None and not any(
        (
            args.start,
            args.end,
            args.state,
            args.type,
            args.query,
            args.trusted,
            args.actor,
            args.sub_event_type,
            args.min_fatalities,
        )
    )
    selected = records if every else apply(page.view, records)
    # The official figures are the bundled event's: compared with the bundled data only.
    official = bundle.official if args.file is None else bundle.official.iloc[0:0]
    counts = state_counts(selected, official, page.view, records)
    permalink = f"{args.base_url.rstrip('?')}?{to_query(page, bundle.version)}"
    data = EXPORT_FORMATS[fmt].build(ViewFiles(bundle, page, selected, counts, permalink))
    what = msg_n(
        "{size}, {n} record", "{size}, {n} records", len(selected), size=byte_count(len(data), lang)
    ).text(lang)
    maybe = int(possible_mask(selected).sum())
    if maybe:  # filters' counting rule: the column in_window says which
        what += msg_n(
            "; {n} of them only possibly in the window (in_window: possible)",
            "; {n} of them only possibly in the window (in_window: possible)",
            maybe,
        ).text(lang)
    return write_output(args.out, data, what, lang)


def quality(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Print the data-quality tables for the bundled data or an incidents file."""
    from dashboard.analysis.check_file import check_file
    from dashboard.analysis.filters import apply
    from dashboard.analysis.quality import quality_json, quality_tables, quality_text
    from dashboard.ingest.bundle import load_bundle

    lang = args.ui_lang
    bundle = load_bundle()
    frame = bundle.incidents
    if args.file is not None:
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            error = exc.strerror or str(exc)
            print(
                msg("cannot read {path}: {error}", path=args.file, error=error).text(lang),
                file=sys.stderr,
            )
            return 1
        result = check_file(data, str(args.file), bundle.locations, bundle.states, max_bytes=None)
        frame, report = result.frame, result.report
        if report.problems:
            counts = summary_text(report.error_count, report.warning_count, lang=lang)
            print(
                msg_n(
                    "{file}: {n} valid row; {problems}: see python -m dashboard validate",
                    "{file}: {n} valid rows; {problems}: see python -m dashboard validate",
                    len(frame),
                    file=args.file,
                    problems=counts,
                ).text(lang),
                file=sys.stderr,
            )
    window = args.start is not None or args.end is not None  # "" too: it is refused
    if window or any(
        (args.state, args.type, args.query, args.actor, args.sub_event_type, args.min_fatalities)
    ):
        frame = apply(snapshot_view(args, parser, bundle, frame).view, frame)
    tables = quality_tables(frame, bundle.states, lang)
    print(quality_json(tables, lang) if args.json else quality_text(tables, lang))
    return 0


def publish_site(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """`publish OUTDIR`: the static site (dashboard/render/publish.py) from the bundled data."""
    from dashboard.ingest.bundle import load_bundle
    from dashboard.model.mexico import state_lookup
    from dashboard.render.publish import PublishError, publish

    lang = args.ui_lang
    codes = []
    for state in args.state:
        found = state_lookup(state)
        if found is None:
            parser.error(unknown_state(state).text(lang))
        codes.append(found.cve_ent)
    base = args.base_url or ""
    if base and not base.endswith("/"):
        base += "/"
    if base and not base.startswith(("https://", "http://")):
        parser.error(
            msg("--base-url {url!r}: must start with https:// or http://", url=args.base_url).text(
                lang
            )
        )
    bundle = load_bundle()
    extra = publish_views(args, parser, bundle)
    from dashboard.render.share import PUBLIC_URL_ENV, public_address

    live = args.live_url or os.environ.get(PUBLIC_URL_ENV, "")
    live = public_address(live) if live else ""
    if not base:
        print(
            msg(
                "publish: no --base-url: embed.html lists no embed codes and the view pages "
                "carry no og:image or twitter:image, because both need absolute addresses "
                "(a relative one breaks once pasted into a CMS or shared)"
            ).text(lang),
            file=sys.stderr,
        )
    if extra and not live:
        print(
            msg(
                "publish: no --live-url (or {env}): the view pages do not link to the live map",
                env=PUBLIC_URL_ENV,
            ).text(lang),
            file=sys.stderr,
        )
    languages = ("es", "en") if args.lang == "both" else None
    try:
        files = publish(
            bundle,
            args.outdir,
            base_url=base,
            states=codes or None,
            lang=args.lang if args.lang in ("es", "en") else lang,
            extra=extra,
            live_url=live,
            languages=languages,
        )
    except PublishError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        error = msg(
            "cannot write {path}: {error}", path=exc.filename, error=exc.strerror or str(exc)
        )
        print(f"publish: {error.text(lang)}", file=sys.stderr)
        return 1
    total = sum(len(f.data) for f in files)
    done = msg_n(
        "wrote {n} file ({size}) to {outdir}",
        "wrote {n} files ({size}) to {outdir}",
        len(files),
        size=byte_count(total, lang),
        outdir=args.outdir,
    )
    print(done.text(lang))
    return 0


def publish_views(args: argparse.Namespace, parser: argparse.ArgumentParser, bundle) -> list:
    """The editor's views `publish` writes pages for: one per --query, and one of
    --start/--end/--type (with --state) when any of those is given; read as `snapshot`
    reads its view arguments (snapshot_view: bad flags exit 2, a link's unusable parts
    are dropped with a notice)."""
    wanted = [
        argparse.Namespace(
            query=query, start=None, end=None, state=[], type=[], lang=None, ui_lang=args.ui_lang
        )
        for query in args.query
    ]
    if args.start or args.end or args.type:
        wanted.append(
            argparse.Namespace(
                query=None,
                start=args.start,
                end=args.end,
                state=args.state,
                type=args.type,
                lang=None,
                ui_lang=args.ui_lang,
            )
        )
    return [snapshot_view(view, parser, bundle) for view in wanted]


def unknown_state(state: str):
    """The --state error: the value as given and examples of what works."""
    return msg("--state {state!r}: unknown state (use e.g. JAL, 14 or Jalisco)", state=state)


def main(argv: list[str] | None = None) -> int:
    from dashboard.render.formats import EXPORT_FORMATS, SNAPSHOT_FORMATS

    argv = sys.argv[1:] if argv is None else list(argv)
    lang = cli_language(argv, os.environ)
    t = translation(lang)
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate",
        help=t.gettext("check incident files (or, with no file, the bundled geodata)"),
    )
    check.add_argument(
        "files",
        nargs="*",
        type=Path,
        help=t.gettext(
            ".csv, .tsv, .txt, .geojson, .json or .parquet (ours or ACLED), of any size"
        ),
    )
    check.add_argument("--json", action="store_true", help=t.gettext("machine-readable report"))
    check.add_argument(
        "--all",
        action="store_true",
        help=t.gettext("list every problem (default: the first 1,000)"),
    )
    check.add_argument(
        "--lang",
        choices=("es", "en"),
        help=t.gettext("language of the report (default: the environment's LANG)"),
    )
    snap = commands.add_parser(
        "snapshot",
        help=t.gettext("write the PNG or HTML snapshot of a view, as the page's buttons do"),
        description=t.gettext(
            "Times are Mexico City time (YYYY-MM-DDTHH:MM), or carry an offset. "
            "Without --start/--end (or --query) the window is the page's default."
        ),
    )
    add_view_arguments(snap, lang)
    snap.add_argument("--format", choices=tuple(SNAPSHOT_FORMATS))
    snap.add_argument("--out", type=Path, required=True)
    snap.add_argument("--width", type=int, default=1600)
    snap.add_argument("--height", type=int, default=1000)
    snap.add_argument(
        "--preset",
        choices=("article", "social", "square", "large"),
        help=t.gettext(
            "an image laid out for publication (PNG or SVG): article (700 px wide at 2x), "
            "social (1200x630), square (1080x1080), large (1600x1000); instead of "
            "--width/--height. Its title and alt text are written beside it (.alt.txt)"
        ),
    )
    out = commands.add_parser(
        "export",
        help=t.gettext(
            "write the records in a view as CSV, GeoJSON or GeoParquet, the per-state "
            "table (states), or a data package (zip), as the page's buttons do"
        ),
        description=t.gettext(
            "Same view arguments as snapshot. Times are Mexico City time. A --query link's "
            "unusable parts are dropped with a notice; an unusable --start, --end, --state or "
            "--type is an error."
        ),
    )
    add_view_arguments(out, lang)
    out.add_argument(
        "file",
        nargs="?",
        type=Path,
        help=t.gettext(
            "an incidents file to export instead of the bundled data: .csv, .tsv, .txt, "
            ".geojson or .json (ours or ACLED), any size; its valid rows are kept and the "
            "report goes to stderr; without view arguments, every valid row. A file is its "
            "own view: without --start/--end the window is the file's whole range (as on "
            "the page), and it is never compared with the official Tapalpa figures"
        ),
    )
    out.add_argument(
        "--format",
        choices=tuple(EXPORT_FORMATS),
        help="; ".join(f"{f.name}: {t.gettext(f.label)}" for f in EXPORT_FORMATS.values()),
    )
    out.add_argument("--out", type=Path, required=True)
    out.add_argument(
        "--base-url",
        default="",
        help=t.gettext("the page's address, for the view's permalink in a data package"),
    )
    qual = commands.add_parser(
        "quality",
        help=t.gettext(
            "data-quality tables (duplicates, disputes, weak sources, links...) for the "
            "bundled data or an incidents file"
        ),
        description=t.gettext(
            "Without view arguments every record is checked; with them, the view "
            "as the page shows it (the default window unless --start/--end say otherwise: "
            "a file's whole range, the bundled data's first two days)."
        ),
    )
    qual.add_argument("file", nargs="?", type=Path)
    qual.add_argument("--json", action="store_true", help=t.gettext("machine-readable tables"))
    add_view_arguments(qual, lang)
    pub = commands.add_parser(
        "publish",
        help=t.gettext(
            "write a static site (maps, PNGs, data, embed codes) for any static host or CDN"
        ),
        description=t.gettext(
            "Writes index.html (the default view), one page per state with incidents, "
            "PNG snapshots, data/incidents.csv, embed.html and manifest.json. OUTDIR must be "
            "new, empty or an earlier publish. The same data gives byte-identical files."
        ),
    )
    pub.add_argument("outdir", type=Path)
    pub.add_argument(
        "--base-url",
        help=t.gettext("public address of OUTDIR, for absolute embed snippets (https://...)"),
    )
    pub.add_argument(
        "--state",
        action="append",
        default=[],
        help=t.gettext("only these state pages, and the states of the --start/--end view; repeat"),
    )
    pub.add_argument(
        "--query",
        action="append",
        default=[],
        help=t.gettext(
            "a view to publish as a page of its own (a permalink or its query string, as "
            "the share panel gives it); repeat for several"
        ),
    )
    pub.add_argument("--start", help=t.gettext("with --end (and --state, --type): one more view"))
    pub.add_argument("--end", help=t.gettext("window end of that view (Mexico City time)"))
    pub.add_argument(
        "--type", action="append", default=[], help=t.gettext("event type key; repeat")
    )
    pub.add_argument(
        "--live-url",
        help=t.gettext(
            "public address of the live map, which the view pages link to (default: the "
            "TAPALPA_PUBLIC_URL environment variable)"
        ),
    )
    pub.add_argument(
        "--lang",
        choices=("es", "en", "both"),
        help=t.gettext(
            "language of the site's pages and PNGs and of the messages (default: the "
            "environment's LANG); both: Spanish at the root and English under en/"
        ),
    )
    args = parser.parse_args(argv)
    # The language of this run's messages and, for publish, of the site: --lang, else the
    # environment's.
    args.ui_lang = getattr(args, "lang", None) or lang
    if args.ui_lang not in ("es", "en"):  # publish --lang both: messages as the environment's
        args.ui_lang = lang
    if args.command == "export":
        return export(args, out)
    if args.command == "quality":
        return quality(args, qual)
    if args.command == "publish":
        return publish_site(args, pub)
    if args.command == "validate":
        report, files = validate_files(args.files, keep_all=args.all)
        if args.json:
            print(validation_json(report, files, args.ui_lang))
        else:
            print(validation_text(report, files, args.ui_lang))
        return 0 if report.ok else 1
    if args.command == "snapshot":
        return snapshot(args, snap)
    return 2


def run() -> int:
    """main() for `python -m dashboard`: a reader who pipes the report into `head` closes
    the pipe early; that ends the command quietly (exit 141, as a shell reports SIGPIPE),
    not with a traceback. Python's documented recipe: stdout pointed at /dev/null.

    Arrow's memory comes from its jemalloc pool (unless ARROW_DEFAULT_MEMORY_POOL says
    otherwise; set before pyarrow is first imported): on a 1,000,000-row ACLED file it
    cost about a third less system time than the wheel's default, mimalloc, and 2-5 %
    less peak memory (benchmarks/bench_country.py; README "Country-scale files")."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return code


if __name__ == "__main__":
    sys.exit(run())
