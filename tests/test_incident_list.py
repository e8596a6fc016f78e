"""The list twin of the map: rows, order, accent-blind search, limits."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from dashboard.ingest.validate import validate_incidents
from dashboard.model.mexico import BY_CODE, MEXICO_CITY, fold
from dashboard.render.incident_list import COLUMNS, incident_table, search_mask
from tests.conftest import incident_row, to_csv


def frame_of(bundle, rows: list[dict]) -> pd.DataFrame:
    frame, report = validate_incidents(to_csv(rows), "t.csv", bundle.locations, bundle.states)
    assert not [p for p in report.problems if p.severity == "error"], report.problems
    return frame


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Michoacan", "Michoacán"),
        ("MICHOACÁN", "Michoacán"),
        ("queretaro", "Querétaro"),
        ("nuevo leon", "Nuevo León"),
    ],
)
def test_search_ignores_accents_and_case_for_states(bundle, query, expected):
    rows = incident_table(bundle.incidents, query).rows
    assert expected in set(rows["state"])
    fields = rows[["place", "municipality", "state"]].fillna("").map(fold)
    assert fields.apply(lambda r: any(fold(query) in f for f in r), axis=1).all()
    in_state = bundle.incidents["cve_ent"].map(lambda c: BY_CODE[c].name) == expected
    statements = bundle.incidents["event_type"] == "official_statement"
    assert (rows["state"] == expected).sum() == int((in_state & ~statements).sum())


def test_search_matches_place_and_municipality_words(bundle):
    incidents = bundle.incidents
    place = incidents.loc[incidents["municipality"].str.contains("á|é|í|ó|ú"), "municipality"]
    name = place.iloc[0]
    plain = fold(name)
    assert plain != name.lower()  # the test needs an accented name
    rows = incident_table(incidents, plain).rows
    assert len(rows) and rows["municipality"].map(fold).str.contains(plain).all()
    words = plain.split()
    assert len(incident_table(incidents, " ".join(reversed(words))).rows) == len(rows)


def test_empty_search_keeps_every_incident_but_not_statements(bundle):
    incidents = bundle.incidents
    table = incident_table(incidents, "")
    statements = int((incidents["event_type"] == "official_statement").sum())
    assert table.matched == len(incidents) - statements
    assert list(table.rows.columns) == list(COLUMNS)
    assert table.rows["incident_id"].is_unique
    assert not search_mask(incidents, "no such place zzz").any()


def test_rows_are_sorted_by_time_and_timed_rows_show_mexico_city_clock(bundle):
    rows = [
        incident_row(incident_id="b", start="2026-02-22T10:30-06:00", time_precision="minute"),
        # Cancún clock (UTC-5): 11:00 there is 10:00 in Mexico City.
        incident_row(
            incident_id="a",
            start="2026-02-22T11:00-05:00",
            time_precision="hour",
            latitude="21.1619",
            longitude="-86.8515",
            cve_ent="23",
        ),
        incident_row(incident_id="c", start="2026-02-23T00:00-06:00", time_precision="day"),
        incident_row(
            incident_id="d",
            start="2026-02-22T00:00-06:00",
            time_precision="part_of_day",
            part_of_day="night",
        ),
    ]
    table = incident_table(frame_of(bundle, rows))
    got = table.rows[["incident_id", "when", "time_known"]].values.tolist()
    assert got == [  # dates by Babel, as the rest of the page writes them
        ["a", "Sun 22 Feb, 10:00", "to the hour"],
        ["b", "Sun 22 Feb, 10:30", "to the minute"],
        ["d", "Sun 22 Feb night (19:00–24:00 local)", "part of the day"],  # starts 19:00
        ["c", "Mon 23 Feb", "day only"],  # at its day's middle
    ]
    spanish = incident_table(frame_of(bundle, rows), lang="es").rows["when"].tolist()
    assert spanish[0] == "dom 22 feb, 10:00" and spanish[3] == "lun 23 feb"


def test_the_list_starts_with_the_raid_and_day_only_records_sit_mid_day(bundle):
    """A record known only to its day is listed at the middle of the day, not at its
    first midnight (Cancún's 00:00 is 23:00 the day before in Mexico City); among records
    of the same time, the security forces' raid comes first."""
    rows = [
        incident_row(
            incident_id="cozumel-fire",
            start="2026-02-22T00:00-05:00",
            time_precision="day",
            event_type="business_arson",
            latitude="20.5083",
            longitude="-86.9458",
            cve_ent="23",
        ),
        incident_row(
            incident_id="a-blockade",
            start="2026-02-22T00:00-06:00",
            time_precision="part_of_day",
            part_of_day="morning",
            place="Aaa",
        ),
        incident_row(
            incident_id="the-raid",
            start="2026-02-22T00:00-06:00",
            time_precision="part_of_day",
            part_of_day="morning",
            event_type="raid",
            place="Zzz",
        ),
        incident_row(incident_id="noon", start="2026-02-22T13:00-06:00", time_precision="hour"),
    ]
    order = incident_table(frame_of(bundle, rows)).rows["incident_id"].tolist()
    assert order == ["the-raid", "a-blockade", "cozumel-fire", "noon"]


def test_the_bundled_list_starts_with_the_raid(bundle):
    from dashboard.analysis.filters import ViewSpec, apply

    window = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
    )
    rows = incident_table(apply(window, bundle.incidents)).rows
    assert rows["event_type"].iloc[0] == "Security-force raid"


def test_a_day_only_record_keeps_its_own_date_across_time_zones(bundle):
    row = incident_row(
        start="2026-02-22T00:00-05:00",
        time_precision="day",
        latitude="21.1619",
        longitude="-86.8515",
        cve_ent="23",
    )
    assert incident_table(frame_of(bundle, [row])).rows["when"].tolist() == ["Sun 22 Feb"]


def test_counts_stay_unknown_and_only_http_sources_are_links(bundle):
    row = incident_row(blockades="2", fatalities="")
    frame = frame_of(bundle, [row])
    # Validation refuses other schemes; the table checks again rather than trust its input.
    frame["more_source_urls"] = "https://example.org/b javascript:alert(1) http://example.org/c"
    got = incident_table(frame).rows.iloc[0]
    assert got["blockades"] == 2 and pd.isna(got["fatalities"])
    assert got["source"] == "https://example.org/report"
    assert got["more_sources"] == ["https://example.org/b", "http://example.org/c"]
    assert got["state"] == "Jalisco" and got["event_type"] == "Road blockade"


def test_the_limit_keeps_the_earliest_and_says_how_many_matched(bundle):
    rows = [
        incident_row(incident_id=f"r{i}", start=f"2026-02-22T{i:02d}:00-06:00") for i in range(6)
    ]
    table = incident_table(frame_of(bundle, rows), limit=4)
    assert table.matched == 6 and table.truncated
    assert table.rows["incident_id"].tolist() == ["r0", "r1", "r2", "r3"]
