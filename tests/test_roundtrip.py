"""The page's CSV export, re-imported, gives the same records field for field."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.ingest.validate import validate_incidents
from dashboard.model.schema import CONFIDENCE, COUNT_FIELDS, EVENT_TYPES, PART_OF_DAY_SPANS
from dashboard.render.export import COLUMNS, records_csv
from tests.conftest import to_csv

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


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """The exported fields plus the time interval, as plain Python values."""
    columns = [c for c in COLUMNS if c in frame.columns] + ["lat", "lon", "t_start", "t_end"]
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
