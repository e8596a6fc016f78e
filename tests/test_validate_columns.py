"""The column-wise shortcuts give what a per-value computation gives.

Checks run once per distinct value and are spread to the rows; trimming is skipped for
columns whose value edges cannot change; points are located once per distinct
coordinate; datetimes are built once per distinct moment. Each test compares the
shortcut with the plain computation on data with repeats (and missing values where the
shortcut can meet them).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import shapely

from dashboard.ingest import acled
from dashboard.ingest.columns import Distinct, _fullmatch
from dashboard.ingest.locate import covering_states, locate_points
from dashboard.ingest.read import STRING_DTYPE, read_table
from dashboard.ingest.validate import check_incidents
from dashboard.model.mexico import local_zone, state_lookup
from dashboard.model.schema import Report
from dashboard.model.timing import aware_datetimes, interval, intervals
from dashboard.text.escape import FORMULA_START
from tests.conftest import incident_row, to_csv
from tests.test_import import border_point

DATA = Path(__file__).parent / "data"


def texts(values) -> pd.Series:
    return pd.Series(values, dtype=STRING_DTYPE)


# ---------------------------------------------------------------- one value, many rows


def test_distinct_spreads_each_value_to_its_rows_with_repeats_and_missing():
    values = texts(["b", "", "a", None, "b", "a", None, " a", ""])
    distinct = Distinct(values)
    assert len(distinct) == 5  # b, "", a, missing, " a"
    rebuilt = distinct.per_row(distinct.values.to_numpy(dtype=object))
    for got, expected in zip(rebuilt, values.to_numpy(dtype=object), strict=True):
        assert got == expected or (pd.isna(got) and pd.isna(expected))
    same = distinct.codes[:, None] == distinct.codes[None, :]
    assert same[0, 4] and same[3, 6] and same[2, 5] and not same[2, 7]


@pytest.mark.parametrize("values", [["", "", ""], [""], ["", "x", ""], ["", None]])
def test_an_empty_column_is_one_distinct_value_without_encoding(values):
    distinct = Distinct(texts(values))
    encoded = pc.dictionary_encode(pa.array(values, pa.string()), null_encoding="encode")
    assert distinct.codes.tolist() == encoded.indices.to_pylist()
    assert distinct.values.fillna("<NA>").tolist() == [
        "<NA>" if v is None else v for v in encoded.dictionary.to_pylist()
    ]


@pytest.mark.parametrize("pattern", [r"[ab]", r"\d+", r"a|"])
def test_a_pattern_once_per_distinct_value_is_the_pattern_per_row(pattern):
    values = texts(["a", "b", "", None, "12", "a", None, "12", "x"])
    distinct = Distinct(values)
    spread = distinct.per_row(_fullmatch(distinct.values, pattern))
    np.testing.assert_array_equal(spread, _fullmatch(values, pattern))


# Values a file repeats, for the field being checked: good and bad ones, each several times.
REPEATED = [
    ("start", ["2026-02-22T10:00-06:00", "soon", "2026-02-30T10:00-06:00", "2026-02-22T10:00Z",
               "22/02/2026", "1890-01-01T00:00+00:00", "2026-02-22 10:00-06:00"]),
    ("latitude", ["20.67", "NaN", "abc", "-inf", "91", "", "1e999"]),
    ("fatalities", ["0", "2", "-1", "1.5", "x", "", "1e2"]),
    ("time_precision", ["hour", "day", "sometime", ""]),
    ("disputed", ["true", "FALSE", "maybe", "", "1"]),
    ("source_date", ["2026-02-22", "2026-02", "2026-13-45", "22/02/2026", ""]),
    ("cve_ent", ["14", "Jalisco", "jalisco", "Atlantis", "MX-DIF", ""]),
]  # fmt: skip


@pytest.mark.parametrize(("field", "pool"), REPEATED, ids=[f for f, _ in REPEATED])
def test_each_row_gets_what_its_value_gets_alone(bundle, field, pool):
    """A file repeating values reports, per row, what a one-row file with that value
    reports (same field, value, reason, severity) and keeps the same rows."""
    picks = [pool[i % len(pool)] for i in (0, 1, 2, 0, 3, 1, 4, 5, 6, 2, 0, 6, 5, 4, 3)]

    def result(values):
        rows = [incident_row(incident_id=f"r{i}", **{field: v}) for i, v in enumerate(values)]
        outcome = check_incidents(
            to_csv(rows), "f.csv", bundle.locations, bundle.states, keep_all=True
        )
        by_line: dict[int, list] = {}
        for p in outcome.report.problems:
            by_line.setdefault(p.row, []).append((p.field, p.value, p.reason, p.severity))
        return by_line, set(outcome.frame.incident_id)

    together, kept = result(picks)
    for i, value in enumerate(picks):
        alone, kept_alone = result([value])
        assert together.get(i + 2, []) == alone.get(2, []), value
        assert (f"r{i}" in kept) == ("r0" in kept_alone), value


def test_duplicate_ids_name_the_first_line_of_each(bundle):
    ids = ["a", "b", "a", "", "", "b", "a", "c"]
    rows = [incident_row(incident_id=i) for i in ids]
    frame, report = (lambda r: (r.frame, r.report))(
        check_incidents(to_csv(rows), "f.csv", bundle.locations, bundle.states)
    )
    found = [(p.row, p.reason) for p in report.problems if p.field == "incident_id"]
    assert found == [
        (4, "duplicate id (first in line 2)"),
        (5, "required text is empty"),
        (6, "required text is empty"),
        (7, "duplicate id (first in line 3)"),
        (8, "duplicate id (first in line 2)"),
    ]
    assert frame.incident_id.tolist() == ["a", "b", "c"]


def duplicate_calls(bundle, monkeypatch, groups: int, limit: int | None = None):
    """Check a file holding `groups` ids twice each (and one unique id); count the
    report calls that added incident_id problems."""
    calls = []
    for method in ("add", "add_many", "add_numbered"):
        original = getattr(Report, method)

        def spy(self, file, row, field, *rest, original=original, method=method, **options):
            if field == "incident_id":
                calls.append(method)
            return original(self, file, row, field, *rest, **options)

        monkeypatch.setattr(Report, method, spy)
    ids = [f"g{i}" for i in range(groups)] * 2 + ["alone"]
    rows = [incident_row(incident_id=i) for i in ids]
    options = {"keep_all": True} if limit is None else {"limit": limit}
    outcome = check_incidents(to_csv(rows), "f.csv", bundle.locations, bundle.states, **options)
    monkeypatch.undo()
    return calls, outcome


def test_duplicate_ids_cost_one_pass_however_many_groups(bundle, monkeypatch):
    # One pass over the column for every group of repeats, not one per group (quadratic
    # in a file that repeats many ids): the number of report calls must not grow with them.
    few, _ = duplicate_calls(bundle, monkeypatch, 2)
    many, outcome = duplicate_calls(bundle, monkeypatch, 300)
    assert len(many) == len(few) == 1
    found = [(p.row, p.value, p.reason) for p in outcome.report.problems]
    assert found == [
        (302 + i, f"g{i}", f"duplicate id (first in line {2 + i})") for i in range(300)
    ]
    assert outcome.frame.incident_id.tolist() == [f"g{i}" for i in range(300)] + ["alone"]


def test_many_duplicate_groups_keep_the_first_problems_and_count_them_all(bundle, monkeypatch):
    _, outcome = duplicate_calls(bundle, monkeypatch, 50, limit=7)
    report = outcome.report
    assert [(p.row, p.reason) for p in report.problems] == [
        (52 + i, f"duplicate id (first in line {2 + i})") for i in range(7)
    ]
    assert report.error_count == 50 and report.truncated
    assert report.totals == {"error: incident_id: duplicate id (first in line N)": 50}
    assert report.totals_in("es")[0][1] == 50


# ---------------------------------------------------------------- reading


EDGES = [
    "plain",
    " lead",
    "trail\t",
    "\u00a0nbsp\u00a0",
    "\u2003em",
    "ideographic\u3000",
    "\x1cseparator",
    "Tonalá",  # ends in a non-ASCII letter: looked at, unchanged
    "México",
    "'=1+1",  # the export's defusing apostrophe
    " '-3",  # not defused (defuse quotes only a value that starts with "="...): trimmed
    "''",
    "'\ufeff=1",  # defused behind a byte-order mark
    "'\ufeffx",  # a file's own apostrophe: kept
    "'x",
    "",
    "zero\u200bwidth",  # not whitespace for the trim
    "\u2028line\u2029",  # line and paragraph separators: kept
]


# str.isspace's characters but the line and paragraph separators, by a path independent
# of the reader's (read.TRIMMED).
SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\u2028\u2029")


def undefused(value: str) -> str:
    """`value` without the apostrophe escape.defuse would have added, if it has one."""
    rest = value[1:]
    if value[:1] == "'" and (rest[:1] == "'" or rest.lstrip("\ufeff").startswith(FORMULA_START)):
        return rest
    return value


@pytest.mark.parametrize("value", EDGES)
def test_cells_are_trimmed_and_undefused_as_the_full_pass_does(value):
    """Whatever the edge check decides, a column reads as if every cell lost the
    defusing apostrophe, then were trimmed (all Unicode whitespace but U+2028/U+2029)."""
    column = ["x", value, "y", value]
    quoted = ['"' + v.replace('"', '""') + '"' for v in column]
    data = ("a,b\n" + "".join(f"{q},z\n" for q in quoted)).encode("utf-8")
    table = read_table(data, "f.csv", Report())
    expected = [undefused(v).strip(SPACES) for v in column]
    assert table.frame["a"].tolist() == expected
    assert table.frame["b"].tolist() == ["z"] * 4


# ---------------------------------------------------------------- places and times


def test_repeated_points_are_located_as_each_point_alone(bundle):
    states = bundle.states
    lon_b, lat_b = border_point(states, "14", "16")  # on two states' border
    points = [(-103.35, 20.67), (lon_b, lat_b), (-99.13, 19.43), (-103.35, 20.67), (0.0, 0.0)]
    picks = [points[i] for i in (0, 1, 2, 1, 3, 4, 0, 1, 2)]
    lon = np.array([p[0] for p in picks])
    lat = np.array([p[1] for p in picks])
    point_index, state_index = covering_states(states, lon, lat)
    geoms = states.geometry.to_numpy()
    expected = [
        (i, j)
        for i in range(len(picks))
        for j in range(len(geoms))
        if geoms[j].intersects(shapely.Point(lon[i], lat[i]))
    ]
    assert list(zip(point_index.tolist(), state_index.tolist(), strict=True)) == expected
    assert sum(1 for i, _ in expected if i == 1) == 2  # the border point: both states


def test_declared_states_as_layer_rows_give_what_their_codes_give(bundle):
    # Guadalajara (Jalisco), a Jalisco–Michoacán border point, Mexico City, a point just
    # off the coast, one far outside; declared right, wrong, none, or a code the layer
    # (without Colima, 06) lacks.
    states = bundle.states[bundle.states.cve_ent != "06"].reset_index(drop=True)
    lon_b, lat_b = border_point(states, "14", "16")
    points = [(-103.35, 20.67), (lon_b, lat_b), (-99.13, 19.43), (-94.4333, 18.15), (0.0, 0.0)]
    declared = ["14", "", "09", "30", "06", "", "14", "06", "07", "", "16"]
    picks = [points[i % len(points)] for i in range(len(declared))]
    lon, lat = np.array([p[0] for p in picks]), np.array([p[1] for p in picks])
    rows = np.arange(2, 2 + len(picks))
    layer = {c: i for i, c in enumerate(states.cve_ent)}
    at = np.array([layer.get(c, -2) if c else -1 for c in declared])
    codes = np.array(declared, dtype=object)
    by_text, by_row = Report(limit=None), Report(limit=None)
    plain = locate_points("f.csv", rows, lon, lat, codes, states, by_text)
    fast = locate_points("f.csv", rows, lon, lat, codes, states, by_row, declared_at=at)
    assert plain.state.tolist() == fast.state.tolist()
    assert plain.in_mexico.tolist() == fast.in_mexico.tolist()
    assert [str(p) for p in by_text.problems] == [str(p) for p in by_row.problems]
    reasons = " ".join(p.reason for p in by_text.problems)
    for words in ("not its declared state", "border of", "km outside", "outside Mexico"):
        assert words in reasons


def test_datetimes_are_built_once_per_moment_and_equal_per_row():
    base = 1_771_776_000_000_000  # 2026-02-22T16:00Z in µs
    epoch = np.array([base, base, -1, base + 60_000_000, base, base, base + 60_000_000])
    offset = np.array([-21600, -21600, 0, -25200, -25200, -21600, -25200])
    got = aware_datetimes(epoch, offset)
    for moment, us, seconds in zip(got, epoch, offset, strict=True):
        if us < 0:
            assert moment is None
            continue
        zone = timezone(timedelta(seconds=int(seconds)))
        expected = datetime.fromtimestamp(us / 1_000_000, tz=zone)
        assert moment == expected and moment.utcoffset() == expected.utcoffset()


def test_intervals_take_series_with_repeats_and_missing_as_arrays():
    start = datetime(2026, 2, 22, 10, 30, tzinfo=timezone(timedelta(hours=-6)))
    precisions = ["minute", "hour", "day", "week", "month", "part_of_day", "hour", None, "day"]
    parts = ["", "", "", "", "", "morning", "", "", ""]
    n = len(precisions)
    start_us = np.full(n, int(start.timestamp() * 1_000_000))
    offsets = np.full(n, -21600)
    no_end = np.full(n, -1)
    from_series = intervals(start_us, offsets, texts(precisions), texts(parts), no_end)
    from_arrays = intervals(
        start_us, offsets, np.array(precisions, dtype=object), np.array(parts, dtype=object), no_end
    )
    np.testing.assert_array_equal(from_series[0], from_arrays[0])
    np.testing.assert_array_equal(from_series[1], from_arrays[1])
    lo, hi = interval(start, "part_of_day", "morning")
    assert from_series[0][5] == int(lo.timestamp() * 1_000_000)
    assert from_series[1][5] == int(hi.timestamp() * 1_000_000)


def test_acled_values_are_converted_once_each_and_spread_with_missing():
    raw = texts(["22 February 2026", "", "2026-02-23", None, "22 February 2026", "nope"])
    assert acled.event_dates(raw).tolist() == [
        "2026-02-22",
        "",
        "2026-02-23",
        "",
        "2026-02-22",
        "",
    ]
    calls: list[str] = []

    def upper(value: str) -> str:
        calls.append(value)
        return value.upper()

    [(spread, (codes, once))] = acled._each_distinct(texts(["a", "b", "a", None, "", "b"]), upper)
    assert spread.tolist() == ["A", "B", "A", "", "", "B"]
    assert calls == ["a", "b", ""]
    # The codes the checks reuse: each converted value once (None and "" both give "").
    assert once == ["A", "B", ""]
    assert [once[c] for c in codes] == spread.tolist()


def test_acled_dates_use_a_municipality_clock_only_where_one_differs(bundle):
    """Local midnight per (date, state, municipality) is computed once per combination;
    a municipality matters only where its clock differs from its state's (Bahía de
    Banderas in Nayarit, Juárez in Chihuahua); towns elsewhere share their state's."""
    records = pd.read_csv(DATA / "acled_export.csv", dtype=str, keep_default_na=False)
    template = records.iloc[0].to_dict()
    places = [  # (admin1, admin2, latitude, longitude)
        ("Jalisco", "Tapalpa", "19.9445", "-103.7589"),
        ("Nayarit", "Bahía de Banderas", "20.7833", "-105.2833"),
        ("Nayarit", "Tepic", "21.5042", "-104.8946"),
        ("Chihuahua", "Juárez", "31.6904", "-106.4245"),
        ("Chihuahua", "Chihuahua", "28.6353", "-106.0889"),
        ("Jalisco", "Zapopan", "20.7214", "-103.3918"),
    ]
    rows = []
    for number, (admin1, admin2, lat, lon) in enumerate(places * 2):
        rows.append(
            template
            | {
                "event_id_cnty": f"MEX{number}",
                "event_date": "22 February 2026" if number < len(places) else "23 February 2026",
                "admin1": admin1,
                "admin2": admin2,
                "location": admin2,
                "latitude": lat,
                "longitude": lon,
            }
        )
    result = check_incidents(to_csv(rows), "acled.csv", bundle.locations, bundle.states)
    assert len(result.frame) == len(rows), result.report.to_text()
    for row, start in zip(rows, result.frame.start, strict=True):
        code = state_lookup(row["admin1"]).cve_ent
        day = datetime.strptime(row["event_date"], "%d %B %Y")
        assert start == day.replace(tzinfo=local_zone(code, row["admin2"])), row
    offsets = {r["admin2"]: s.utcoffset() for r, s in zip(rows, result.frame.start, strict=True)}
    assert offsets["Bahía de Banderas"] != offsets["Tepic"]
    assert offsets["Juárez"] != offsets["Chihuahua"]
    assert offsets["Tapalpa"] == offsets["Zapopan"]


def test_reading_only_the_columns_used_changes_nothing_but_the_work(bundle):
    """An ACLED export's columns the conversion neither uses nor keeps (a column ACLED's
    codebook does not have) are not converted: the same records and problems as the file
    without them; the hint names the columns kept."""
    records = pd.read_csv(DATA / "acled_export.csv", dtype=str, keep_default_na=False)
    records["analyst_note"] = "mine"
    unused = sorted(set(records.columns) - acled.READ_COLUMNS)
    assert unused == ["analyst_note"]  # every ACLED column is read: kept or converted
    full, lean = (
        to_csv(records.to_dict("records")),
        to_csv(records.drop(columns=unused).to_dict("records")),
    )
    results = [
        check_incidents(data, "acled.csv", bundle.locations, bundle.states, keep_all=True)
        for data in (full, lean)
    ]
    pd.testing.assert_frame_equal(results[0].frame, results[1].frame)
    assert [str(p) for p in results[0].report.problems] == [
        str(p) for p in results[1].report.problems
    ]
    table = read_table(full, "acled.csv", Report(), acled.columns_to_read)
    assert set(table.columns) == set(records.columns) & acled.READ_COLUMNS
    assert read_table(b"a,b\n1,2\n", "x.csv", Report(), acled.columns_to_read).columns == [
        "a",
        "b",
    ]
