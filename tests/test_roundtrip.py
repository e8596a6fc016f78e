"""The page's CSV export, re-imported, gives the same records field for field (our schema's
files, and ACLED's: every ACLED column kept)."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.ingest.acled import ACLED_TYPES
from dashboard.ingest.validate import validate_incidents
from dashboard.model.schema import (
    ACLED_COLUMNS,
    ACLED_EVENT_TYPES,
    CONFIDENCE,
    COUNT_FIELDS,
    EVENT_TYPES,
    PART_OF_DAY_SPANS,
)
from dashboard.render.export import COLUMNS, records_csv, records_geojson
from dashboard.text.escape import BOM, FORMULA_START, defuse
from tests.conftest import incident_row, to_csv

# Text as people type it: letters with accents, digits, punctuation (formula starters and
# quotes included), spaces and line breaks inside; trimmed, as every reader trims.
TEXT = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"))
        | st.sampled_from(["\n", "'", "=", "-", "+", "@", '"', ",", ";"]),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
OPTIONAL_TEXT = st.one_of(st.just(""), TEXT)
COUNT = st.one_of(st.just(""), st.integers(0, 500).map(str))
OFFSETS = ["-08:00", "-07:00", "-06:00", "-05:00"]


@st.composite
def records(draw, locations) -> dict:
    precision = draw(st.sampled_from(["minute", "hour", "part_of_day", "day", "week", "month"]))
    day = draw(st.integers(18, 28))
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    offset = draw(st.sampled_from(OFFSETS))
    start = f"2026-02-{day:02d}T{hour:02d}:{minute:02d}{offset}"
    end = draw(st.one_of(st.just(""), st.just(f"2026-03-01T{hour:02d}:{minute:02d}{offset}")))
    row = {
        "start": start,
        "end": end,
        "time_precision": precision,
        "part_of_day": draw(st.sampled_from(["", *PART_OF_DAY_SPANS]))
        if precision == "part_of_day"
        else "",
        "event_type": draw(st.sampled_from(list(EVENT_TYPES))),
        **{f: draw(COUNT) for f in COUNT_FIELDS},
        "summary": draw(TEXT),
        "source_url": f"https://example.org/{draw(st.integers(0, 10**6))}",
        "source_outlet": draw(OPTIONAL_TEXT),
        "source_date": draw(st.sampled_from(["", "2026-02-22", "2026-03"])),
        "more_source_urls": draw(
            st.sampled_from(["", "https://a.example/x https://b.example/y?q=1"])
        ),
        "confidence": draw(st.sampled_from(["", *CONFIDENCE])),
        "disputed": draw(st.sampled_from(["true", "false"])),
        "notes": draw(OPTIONAL_TEXT),
    }
    if draw(st.booleans()):  # a bundled place
        row["location_id"] = draw(st.sampled_from(locations))
    else:  # its own point, in Jalisco or at most 12 km from it (locate's tolerance: 20)
        row.update(
            latitude=f"{draw(st.integers(1990000, 2100000)) / 100000:.5f}",
            longitude=f"{-draw(st.integers(10280000, 10380000)) / 100000:.5f}",
            cve_ent="14",
            geo_precision=draw(st.sampled_from(["1", "2", "3"])),
            place=draw(OPTIONAL_TEXT),
            municipality=draw(OPTIONAL_TEXT),
        )
    return row


def comparable(frame: pd.DataFrame, exported=COLUMNS) -> pd.DataFrame:
    """The exported fields plus the time interval, as plain Python values."""
    columns = [c for c in exported if c in frame.columns] + ["lat", "lon", "t_start", "t_end"]
    out = frame[columns].copy()
    out["lat"], out["lon"] = out["lat"].round(5), out["lon"].round(5)
    out["start"] = [t.isoformat() for t in out["start"]]
    out["end"] = [None if t is None else t.isoformat() for t in out["end"]]
    return out.astype(object).where(out.notna(), None).reset_index(drop=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_csv_export_reimports_to_the_same_records(bundle, data):
    locations = bundle.locations.location_id.tolist()[:50]
    rows = data.draw(st.lists(records(locations), min_size=1, max_size=8))
    for number, row in enumerate(rows):
        row["incident_id"] = f"r{number}"
    columns = list(dict.fromkeys(k for row in rows for k in row))
    first, report = validate_incidents(
        to_csv(rows, columns=columns), "mine.csv", bundle.locations, bundle.states
    )
    assert report.ok, report.to_text()
    exported = records_csv(first)
    again, report = validate_incidents(
        exported.encode("utf-8"), "export.csv", bundle.locations, bundle.states
    )
    assert report.ok, report.to_text()
    # The export always has the optional columns (summary_es, distinct_*, event_label):
    # empty where the records had none, and nothing else changes.
    extra = [c for c in again.columns if c not in first.columns]
    assert all((again[c].fillna("") == "").all() for c in extra), extra
    pd.testing.assert_frame_equal(comparable(first), comparable(again[list(first.columns)]))
    assert records_csv(again) == exported


# escape.DEFUSED as a Python pattern: an apostrophe before an apostrophe, or before
# byte-order marks then a formula start.
UNDEFUSE = re.compile(f"^'('|{BOM}*[{re.escape(''.join(FORMULA_START))}])")


@st.composite
def acled_rows(draw) -> dict:
    """An ACLED export row (every column of the export tool), within Jalisco."""
    kind = draw(st.sampled_from(list(ACLED_TYPES)))
    day = draw(st.integers(1, 28))
    return {
        "event_date": f"{day} {draw(st.sampled_from(['March', 'October']))} 2025",
        "year": "2025",
        "time_precision": draw(st.sampled_from(["1", "2", "3"])),
        "disorder_type": draw(st.sampled_from(["Political violence", "Demonstrations"])),
        "event_type": kind.title(),
        "sub_event_type": draw(TEXT),
        "actor1": draw(TEXT),
        "assoc_actor_1": draw(OPTIONAL_TEXT),
        "inter1": draw(st.sampled_from(["State forces", "Political militia", "1"])),
        "actor2": draw(OPTIONAL_TEXT),
        "assoc_actor_2": draw(OPTIONAL_TEXT),
        "inter2": draw(st.sampled_from(["", "Civilians", "7"])),
        "interaction": draw(st.sampled_from(["State forces-Civilians", "13", ""])),
        "civilian_targeting": draw(st.sampled_from(["", "Civilian targeting"])),
        "iso": "484",
        "region": "Caribbean and Central America",
        "country": "Mexico",
        "admin1": "Jalisco",
        "admin2": draw(OPTIONAL_TEXT),
        "admin3": "",
        "location": draw(OPTIONAL_TEXT),
        "latitude": f"{draw(st.integers(199000, 210000)) / 10000:.4f}",
        "longitude": f"{-draw(st.integers(1028000, 1038000)) / 10000:.4f}",
        "geo_precision": draw(st.sampled_from(["1", "2", "3"])),
        "source": draw(TEXT),
        "source_scale": draw(st.sampled_from(["National", "Subnational", "New media"])),
        "notes": draw(OPTIONAL_TEXT),
        "fatalities": str(draw(st.integers(0, 40))),
        "tags": draw(OPTIONAL_TEXT),
        "timestamp": str(draw(st.integers(1_700_000_000, 1_800_000_000))),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), geojson=st.booleans())
def test_an_acled_files_export_reimports_every_row_field_for_field(bundle, data, geojson):
    """An ACLED file's CSV or GeoJSON export re-imports with every row, its ACLED columns
    (actors, interaction codes, sub-event type, tags, source, source_scale...) included
    and ACLED's event types as the records' types."""
    rows = data.draw(st.lists(acled_rows(), min_size=1, max_size=6))
    for number, row in enumerate(rows):
        row["event_id_cnty"] = f"MEX{number}"
    first, report = validate_incidents(to_csv(rows), "acled.csv", bundle.locations, bundle.states)
    assert len(first) == len(rows), report.to_text()
    assert set(first["event_type"]) <= set(ACLED_EVENT_TYPES)
    kept = [c for c in ACLED_COLUMNS if c != "acled_geo_precision"]
    # Reading any CSV takes off the apostrophe a defusing export puts before a formula
    # start or an apostrophe (escape.DEFUSED): a file's own "'=" reads as "=".
    as_read = [[UNDEFUSE.sub(r"\1", r[c]) for c in kept] for r in rows]
    assert first[kept].astype(object).values.tolist() == as_read
    name = "export.geojson" if geojson else "export.csv"
    exported = records_geojson(first) if geojson else records_csv(first)
    again, report = validate_incidents(
        exported.encode("utf-8"), name, bundle.locations, bundle.states
    )
    assert report.error_count == 0 and len(again) == len(rows), report.to_text()
    columns = [*COLUMNS[:-1], *ACLED_COLUMNS]  # in_window: empty in a whole-file export
    pd.testing.assert_frame_equal(
        comparable(first, columns), comparable(again[list(first.columns)], columns)
    )


# Values a person can write that a trimming or un-defusing reader would change: each one
# must come back as written from the page's CSV and GeoJSON exports (issue 25, item 8).
AS_WRITTEN = [
    "-5",  # defused on export ("'-5"), un-defused on import
    "=1+2",
    "@here",
    "＝1",  # full-width formula start
    "\ufeff=x",  # a byte-order mark before a formula start
    "'-5",  # the writer's own apostrophe before a formula start: exported "''-5"
    "'=x",
    "'+1",
    "'@a",
    "''",
    "'",
    "'x",
    "'\ufeffx",  # an apostrophe before a byte-order mark and no formula: left alone
    "x'",
    "a\u2028b",
    "a\u2028",  # line and paragraph separators at an edge: part of the text, not spaces
    "\u2028a",
    "a\u2029",
    "\u2029'-1",  # not defused (no formula start first), so no apostrophe is removed
    "'\u2028",
]


def geojson_of(row: dict) -> bytes:
    """`row` as a one-feature FeatureCollection (its point from latitude/longitude)."""
    properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
    point = [float(row["longitude"]), float(row["latitude"])]
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": point}}
    feature["properties"] = properties
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode("utf-8")


@pytest.mark.parametrize("value", AS_WRITTEN)
def test_an_exported_value_reimports_as_written(bundle, value):
    """Read from a GeoJSON file (values as written), exported as CSV (defused) and as
    GeoJSON, and read again: each text field is `value`, character for character."""
    row = incident_row(summary=value, notes=value, source_outlet=value)
    fields = ["summary", "notes", "source_outlet"]
    first, report = validate_incidents(
        geojson_of(row), "mine.geojson", bundle.locations, bundle.states
    )
    assert report.ok and first[fields].iloc[0].tolist() == [value] * 3, report.to_text()
    for name, exported in (
        ("export.csv", records_csv(first)),
        ("export.geojson", records_geojson(first)),
    ):
        again, report = validate_incidents(
            exported.encode("utf-8"), name, bundle.locations, bundle.states
        )
        assert report.ok, report.to_text()
        assert again[fields].iloc[0].tolist() == [value] * 3, name
    exported_row = next(csv.DictReader(io.StringIO(records_csv(first))))
    assert exported_row["summary"] == defuse(value)  # spreadsheet-safe as written
