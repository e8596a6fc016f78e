"""Check an incidents file (ours or ACLED's) row by row and keep every valid row.

Reading is `read.py`, ACLED conversion `acled.py`, the column checks `columns.py`, points
to states `locate.py`, the kept rows' table `incident_table.py`; this module says which
checks each column of an incidents file gets, and where a row is and when. A row with an
error is dropped, every valid row is kept; nothing here raises on bad data. The other
geodata files are checked by `geodata_files.py`.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest import acled
from dashboard.ingest.columns import Checks, missing_columns
from dashboard.ingest.detect import detect_format
from dashboard.ingest.id_lines import id_lines
from dashboard.ingest.incident_table import (
    acled_starts,
    empty_incidents,
    join_place_es,
    join_places,
    with_codes,
)
from dashboard.ingest.locate import locate_points
from dashboard.ingest.municipalities import one_spelling
from dashboard.ingest.read import (
    MAX_FILE_BYTES,
    STRING_DTYPE,
    drop_repeated_headers,
    read_table,
)
from dashboard.model.mexico import BY_CODE
from dashboard.model.schema import (
    ACLED_COLUMNS,
    CONFIDENCE,
    COUNT_FIELDS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    INCIDENT_REQUIRED,
    OPTIONAL_INCIDENT_COLUMNS,
    PART_OF_DAY_SPANS,
    REPORT_LIMIT,
    TIME_PRECISIONS,
    Report,
)
from dashboard.model.timing import intervals
from dashboard.text.i18n import N_
from dashboard.text.message import msg

Progress = Callable[[float, str], None]  # (fraction done 0..1, what is being done)


def no_progress(fraction: float, step: str) -> None:
    """A `Progress` that reports nothing (the default of check_incidents and check_file)."""
    return None


class Incidents:
    """The outcome of checking an incidents file: valid rows, report, how it was read.

    frame: the valid rows joined to their places (INCIDENT_FRAME_COLUMNS and any
    OPTIONAL_INCIDENT_COLUMNS the file had); format: "csv", "geojson", "acled-csv",
    "acled-json" ("" when unreadable); encoding: as detected; mapping: ACLED's
    (our column, ACLED column, what happens) rows, empty for our own schema.
    """

    def __init__(self, frame, report, format="", encoding="", mapping=None, lines=None):
        self.frame, self.report = frame, report
        self.format, self.encoding = format, encoding
        self.mapping = mapping or []  # [(our column, file column, what happens)]
        # (record id -> its line or feature, unit) as read, or None: id_lines.id_lines.
        self.lines: tuple[dict[str, int], str] | None = lines


def check_incidents(
    data: bytes,
    name: str,
    locations: gpd.GeoDataFrame,
    states: gpd.GeoDataFrame,
    *,
    bundled: bool = False,
    limit: int | None = None,
    keep_all: bool = False,
    progress: Progress = no_progress,
    max_bytes: int | None = MAX_FILE_BYTES,
) -> Incidents:
    """Incident records from our schema or ACLED's, each tied to a place or its own point.

    data: the file's bytes (CSV, TSV, GeoJSON, ACLED CSV/JSON); name: for messages.
    locations/states: the bundled layers (GeoDataFrames, EPSG:4326). bundled=True is the
    stricter contract of geodata/ (no ACLED, a URL on every row, `summary` and
    `summary_es` both required); a user's file needs `summary` or `summary_es`. The
    report keeps the first `limit` problems (schema default) or all of them with keep_all.
    `progress(fraction, step)` is called between steps; `step` is an English message id
    (marked with N_), shown translated with `i18n.gettext_for(lang, step)`. A file
    larger than `max_bytes` is refused (the page's upload limit; None: no limit, as the
    command line has).
    """
    if not bundled and (stopped := _error_probe(data, name, locations, states, limit, keep_all)):
        return stopped
    report = (
        Report(limit=None) if keep_all else Report(**({} if limit is None else {"limit": limit}))
    )
    progress(0.0, N_("reading the file"))
    # An ACLED export's columns the conversion does not use are not converted.
    table = read_table(
        data, name, report, None if bundled else acled.columns_to_read, max_bytes=max_bytes
    )
    if table is None:
        return Incidents(empty_incidents(), report)
    fmt = detect_format(table, bundled)
    drop_repeated_headers(table, name, report)
    mapping: list = []
    if fmt.startswith("acled"):
        table.frame = acled.to_incidents(table, name, report)
        mapping = [list(m) for m in acled.COLUMN_MAPPING]
    progress(0.2, N_("checking columns"))
    missing = missing_columns(table.columns, _required(fmt), name, report)
    # The bundled data carries both languages; a user's file either one.
    if bundled:
        missing |= missing_columns(table.columns, ("summary", "summary_es"), name, report)
    elif not {"summary", "summary_es"} & set(table.columns):
        report.add(name, None, "summary", None, msg("required column is missing"))
        missing = True
    if missing:
        return Incidents(empty_incidents(), report, fmt, table.encoding, mapping)
    has_geometry = table.has_geometry is not None and bool(table.has_geometry.any())
    if (
        "location_id" not in table.columns
        and not {"latitude", "longitude"} <= set(table.columns)
        and not has_geometry
    ):
        report.add(
            name,
            None,
            "location_id",
            None,
            msg("required column is missing (or give latitude/longitude)"),
        )
        return Incidents(empty_incidents(), report, fmt, table.encoding, mapping)
    ids = id_lines(table.frame, table.rows)  # before _check_rows: the file's ids, as read
    lines = None if ids is None else (ids, table.unit)
    frame = _check_rows(table, fmt, name, locations, states, report, bundled, progress)
    if not bundled:  # a reader's free-text municipalities: one spelling each, reported
        field = acled.FILE_FIELDS["municipality"] if fmt.startswith("acled") else "municipality"
        frame = one_spelling(frame, locations, name, report, field)
    progress(1.0, N_("done"))
    return Incidents(frame, report, fmt, table.encoding, mapping, lines)


# A delimited file longer than PROBE_LINES lines is first checked on its first PROBE_LINES
# lines: with MAX_ERRORS errors or more there, the check stops at that line (the rest is
# not read: 2 million rows of errors had cost the command line 15 s and 845 MB). The same
# rule on the page and the command line; a file this wrong is not worth reading in full.
# The probe is kept small because a valid country-scale file pays for it too (10,000 of
# 300,000 lines: about 3 % more work).
# It also stops when at least MAX_BAD_SHARE of the probe's data lines have an error, however
# few errors each: one valid line then rows of one error each got past the count above
# (9,999 errors) and cost the command line 45 s and 1.69 GB for 2 million rows (issue 25's
# re-probe, 3d). A file whose first lines are nine in ten wrong is not an incidents file
# with some mistakes; one with some bad rows (half of them, say) is still checked whole.
PROBE_LINES = 10_000
MAX_ERRORS = 10_000
MAX_BAD_SHARE = 0.9


def _error_probe(
    data: bytes,
    name: str,
    locations: gpd.GeoDataFrame,
    states: gpd.GeoDataFrame,
    limit: int | None,
    keep_all: bool,
) -> Incidents | None:
    """The check of the first PROBE_LINES lines, ending with an error that says where it
    stopped, if they hold MAX_ERRORS errors or more, or if at least MAX_BAD_SHARE of their
    data lines (all but the header) have an error; else None (check the whole file).
    Only for delimited text in an 8-bit encoding (not JSON, not UTF-16, whose line ends
    are not single bytes) of more than PROBE_LINES lines."""
    head = data[:4096].lstrip(b" \t\r\n\xef\xbb\xbf")
    if head[:1] in (b"{", b"[") or b"\x00" in head:
        return None
    # The end of the PROBE_LINES-th line, found from the start: a valid country-scale
    # file is not scanned whole for it (counting every line of 460 MB took 1 s).
    cut = 0
    for _ in range(PROBE_LINES):
        cut = data.find(b"\n", cut) + 1
        if cut == 0:
            return None
    if data.find(b"\n", cut) < 0:  # no more than PROBE_LINES lines
        return None
    # Every problem of the probe is kept (at most a few per line of PROBE_LINES) to count
    # the lines with an error; the caller's limit is applied again when it stops.
    probe = check_incidents(data[:cut], name, locations, states, bundled=False, keep_all=True)
    errors = probe.report.error_count
    bad = len({p.row for p in probe.report.problems if p.severity == "error" and p.row})
    rest = format(data.count(b"\n", cut), ",")
    if errors >= MAX_ERRORS:
        stop = msg(
            "stopped after {n} errors in the first {lines} lines: the other {rest} lines "
            "were not checked (fix these and check the file again)",
            n=f"{errors:,}",
            lines=f"{PROBE_LINES:,}",
            rest=rest,
        )
    elif bad >= MAX_BAD_SHARE * (PROBE_LINES - 1):
        stop = msg(
            "stopped: {bad} of the first {lines} lines have errors: the other {rest} lines "
            "were not checked (fix these and check the file again)",
            bad=f"{bad:,}",
            lines=f"{PROBE_LINES:,}",
            rest=rest,
        )
    else:
        return None
    probe.report.add(name, None, None, f"{errors:,} errors", stop)  # file-level: first
    probe.report.limit = None if keep_all else (REPORT_LIMIT if limit is None else limit)
    return probe


def _required(fmt: str) -> tuple[str, ...]:
    if fmt.startswith("acled"):
        return ("incident_id", "time_precision", "event_type")
    return tuple(c for c in INCIDENT_REQUIRED if c != "summary")


def validate_incidents(
    data: bytes,
    name: str,
    locations: gpd.GeoDataFrame,
    states: gpd.GeoDataFrame,
    **options,
) -> tuple[pd.DataFrame, Report]:
    """(valid rows joined to their places, report): `check_incidents` without the metadata."""
    result = check_incidents(data, name, locations, states, **options)
    return result.frame, result.report


def _check_rows(table, fmt, name, locations, states, report, bundled, progress):
    check = Checks(table, name, report)
    is_acled = fmt.startswith("acled")
    if is_acled:
        check.file_fields = dict(acled.FILE_FIELDS)
        # Unreadable event dates were reported by the conversion: drop those rows.
        check.bad |= ((check.col("event_date") != "") & (check.col("event_day") == "")).to_numpy()
    check.text("incident_id", required=True)
    check.unique("incident_id")
    precision = check.choice("time_precision", TIME_PRECISIONS)
    part = check.choice("part_of_day", PART_OF_DAY_SPANS, required=False)
    event_type = check.choice("event_type", EVENT_TYPES)
    counts = {f: check.count(f) for f in COUNT_FIELDS}
    summary = _summaries(check, bundled, derived_es=is_acled)
    # ACLED gives outlets, no URLs: its rows (and rows that name an ACLED event, as an
    # export of them does) need none.
    source_url = check.url(
        "source_url",
        relaxed=None
        if bundled
        else np.full(check.n, True)
        if is_acled
        else (check.col("event_id_cnty") != "").to_numpy(),
    )
    more_urls = check.urls("more_source_urls")
    check.source_date("source_date")
    confidence = check.choice("confidence", CONFIDENCE, required=False)
    disputed = check.flag("disputed")
    progress(0.4, N_("placing rows"))

    # Where: a bundled place by location_id, or the row's own point.
    location_id = check.col("location_id")
    has_id = (location_id != "").to_numpy()
    geometry = (
        table.has_geometry if table.has_geometry is not None else np.zeros(check.n, dtype=bool)
    )
    own = ~has_id & (
        geometry
        | (check.col("latitude") != "").to_numpy()
        | (check.col("longitude") != "").to_numpy()
    )
    ids = check.distinct(location_id)
    known = ids.per_row(ids.values.isin(locations["location_id"]))
    check.problem(has_id & ~known, "location_id", msg("unknown location_id"))
    neither = ~has_id & ~own
    # Named in the file's own terms: an ACLED file has no location_id; its rows are placed
    # by ACLED's latitude and longitude (admin1, admin2 and location name the places).
    if is_acled:
        reason = msg(
            "no usable location: ACLED's latitude and longitude are empty or missing (a row "
            "is placed by them; admin1, admin2 and location name its state, municipality "
            "and place)"
        )
        where = "latitude"
    elif table.format == "geojson":
        reason, where = msg("feature has no geometry and no location_id"), "geometry"
    else:
        reason, where = msg("needs a location_id or latitude/longitude"), "location_id"
    check.problem(neither, where, reason)
    lon, lat, point_ok = check.coordinates(own)
    declared, unknown_state = check.states("cve_ent", per_row_aliases=not is_acled)
    geo_precision = check.choice("geo_precision", [str(k) for k in GEO_PRECISIONS], required=False)
    place = check.col("place")
    municipality = check.col("municipality")
    # An unknown state name with a point: the point's state is used (warned below).
    check.problem(
        unknown_state & ~own,
        "cve_ent",
        msg("unknown state: use the INEGI code 01..32, MX-XXX or the state's name"),
    )
    candidates = np.flatnonzero(own & point_ok & ~check.bad)
    # The declared states as rows of the states layer (an unknown name is declared "").
    state_at, code_of = check.state_codes["cve_ent"]
    layer = {c: i for i, c in enumerate(states["cve_ent"].tolist())}
    in_layer = np.array([layer.get(c, -2) if c else -1 for c in code_of], dtype="int64")
    located = locate_points(
        name,
        table.rows[candidates],
        lon[candidates],
        lat[candidates],
        declared[candidates],
        states,
        report,
        declared_at=in_layer[state_at[candidates]],
    )
    state = declared.copy()
    state[candidates] = located.state
    # The same as integers: (position per row, code per position), for the combinations
    # below. Locating fills in only rows declared "" (none, or an unknown name).
    state_codes = with_codes(
        state_at, list(code_of), state, candidates[(code_of == "")[state_at[candidates]]]
    )
    outside = np.zeros(check.n, dtype=bool)
    outside[candidates[~located.in_mexico]] = True
    check.bad |= outside
    fallback = unknown_state & own & ~check.bad
    if fallback.any():
        for code in pd.unique(state[fallback]):
            chosen = fallback & (state == code)
            check.problem(
                chosen,
                "cve_ent",
                msg("unknown state; using {name}, where the point lies", name=BY_CODE[code].name),
                severity="warning",
            )
    progress(0.6, N_("checking times"))

    # When: ACLED dates become local midnight once the state (its clock) is known.
    if is_acled:
        check.already = (check.col("event_date") != "").to_numpy()
        start_text, start_codes = acled_starts(check, state_codes, municipality, has_id, locations)
        check.frame = check.frame.assign(start=start_text)
        check.seed("start", *start_codes)
    start_us, start_offset = check.timestamps("start")
    end_us, end_offset = check.timestamps("end", required=False)
    backwards = (end_us >= 0) & (start_us >= 0) & (end_us < start_us)
    check.problem(backwards, "end", msg("end is before start"))
    progress(0.8, N_("building the table"))

    keep = ~check.bad

    every = bool(keep.all())

    def kept(values: pd.Series) -> pd.Series:
        return (values if every else values[keep]).reset_index(drop=True)

    own_ids = pd.Series(  # file name + "#" + line, inserted in place
        pc.utf8_replace_slice(
            pc.cast(pa.array(table.rows), pa.large_string()),
            start=0,
            stop=0,
            replacement=name + "#",
        ),
        dtype=STRING_DTYPE,
    )
    # The columns are gathered first and made a frame once (each insert into a frame
    # costs about a millisecond at 100,000 rows).
    columns = {
        "incident_id": kept(check.col("incident_id")),
        "location_id": kept(
            own_ids
            if not has_id.any()
            else location_id
            if has_id.all()
            else location_id.where(has_id, own_ids)
        ),
        # Aware datetimes on each record's own clock (object: offsets differ).
        "start": pd.Series(check.datetimes("start", keep), dtype=object),
        "end": pd.Series(check.datetimes("end", keep), dtype=object),
        "time_precision": kept(precision),
        "part_of_day": kept(part),
        "event_type": kept(event_type),
        **{
            f: pd.arrays.IntegerArray(
                np.nan_to_num(counts[f][keep]).astype("int64"), np.isnan(counts[f][keep])
            )
            for f in COUNT_FIELDS
        },
        "summary": kept(summary),
        "source_url": kept(source_url),
        "source_outlet": kept(check.col("source_outlet")),
        "source_date": kept(check.col("source_date")),
        "more_source_urls": kept(more_urls),
        "confidence": kept(confidence),
        "disputed": disputed[keep],
        "notes": kept(check.col("notes")),
    }
    for column in OPTIONAL_INCIDENT_COLUMNS + ACLED_COLUMNS:
        if column in check.frame.columns and not (bundled and column in ACLED_COLUMNS):
            columns[column] = kept(check.col(column))

    def factorized(values: pd.Series) -> tuple[np.ndarray, list]:
        distinct = check.distinct(values)  # the choice checks encoded them already
        return (distinct.codes if every else distinct.codes[keep]), distinct.values.tolist()

    lo, hi = intervals(
        start_us[keep], start_offset[keep], factorized(precision), factorized(part), end_us[keep]
    )
    columns["t_start"] = pd.to_datetime(lo, unit="us", utc=True)
    columns["t_end"] = pd.to_datetime(hi, unit="us", utc=True)
    join_places(
        columns,
        locations,
        keep,
        has_id,
        lon,
        lat,
        state_codes,
        place,
        municipality,
        factorized(geo_precision),
    )
    join_place_es(columns, locations, keep, has_id, check.col("place_es"))
    return pd.DataFrame(columns)


def _summaries(check: Checks, bundled: bool, derived_es: bool = False) -> pd.Series:
    """`summary`, or for a user's file `summary_es` where summary is empty. `derived_es`:
    summary_es was made from the same fields as summary (ACLED's conversion), so only
    summary is checked (one problem, not two, for an empty sub-event type)."""
    summary = check.col("summary")
    has_es = "summary_es" in check.frame.columns
    if bundled or not has_es or derived_es:
        check.text("summary", required=True)
        if bundled and has_es:
            check.text("summary_es", required=True)
        return summary
    spanish = check.col("summary_es")
    check.problem(
        ((summary == "") & (spanish == "")).to_numpy(),
        "summary",
        msg("required text is empty (give summary or summary_es)"),
    )
    return summary.where(summary != "", spanish)
