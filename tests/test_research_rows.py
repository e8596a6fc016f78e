"""dashboard.ingest.research: research-pack rows as the build first publishes them, the
conversion the build script and the `log` check share."""

from __future__ import annotations

import pytest

from dashboard.analysis import quality_log
from dashboard.ingest.corrections import official_key
from dashboard.ingest.research import PLACE_FIELDS, research_official, research_record

ROW = {
    "id": "jal-x",
    "date": "2026-02-22",
    "time_local": "",
    "time_precision": "day",
    "state": "Jalisco",
    "municipality": "Tuxpan",
    "place": "Town",
    "latitude": "19.55",
    "longitude": "-103.37",
    "geo_precision": "2",
    "event_type": "armed_clash",
    "blockade_count": "",
    "fatalities": "02",
    "injured": " ",
    "arrested": "1",
    "summary": " Two suspects were killed. ",
    "source_url": " https://example.org/a ",
    "source_name": "Outlet",
    "source_date": "n.d.",
    "confidence": "medium",
    "notes": (
        "Night. | Also: https://example.org/b ; https://example.org/a ; "
        "https://example.org/b. | Coords."
    ),
}
REVIEW = {"disputed": "true", "part_of_day": "night", "distinct_from": "", "distinct_reason": ""}


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({}, "start", "2026-02-22T00:00-06:00"),  # day: local midnight
        ({"time_precision": "hour", "time_local": "09:30"}, "start", "2026-02-22T09:30-06:00"),
        ({"time_precision": "part_of_day"}, "start", "2026-02-22T19:00-06:00"),  # reviewed part
        ({"time_precision": "part_of_day"}, "part_of_day", "night"),
        ({}, "part_of_day", ""),  # a part only for part_of_day precision
        ({}, "more_source_urls", "https://example.org/b"),  # "Also:" links, main one left out
        ({}, "notes", "Night. | Coords."),
        ({}, "source_url", "https://example.org/a"),
        ({}, "source_date", ""),  # n.d.
        ({"source_date": "2026-02-23"}, "source_date", "2026-02-23"),
        ({}, "fatalities", "2"),
        ({}, "injured", ""),
        ({}, "summary", "Two suspects were killed."),
        ({}, "disputed", "true"),
        ({}, "end", ""),
    ],
)
def test_a_research_row_converts_as_first_published(changes, field, expected):
    assert research_record({**ROW, **changes}, "14", REVIEW)[field] == expected


def test_the_place_is_kept_as_written_and_a_missing_review_field_is_empty():
    record = research_record(ROW, "14", {})
    assert {f: record[f] for f in PLACE_FIELDS} == {f: ROW[f] for f in PLACE_FIELDS}
    assert (record["disputed"], record["distinct_from"], record["part_of_day"]) == ("", "", "")


def test_a_count_that_is_not_a_number_is_an_error():
    with pytest.raises(ValueError):
        research_record({**ROW, "arrested": "some"}, "14", REVIEW)


def test_the_log_check_compares_against_the_same_conversion():
    assert quality_log.research_record(ROW, REVIEW) == research_record(ROW, "14", REVIEW)
    assert set(quality_log.INCIDENT_FIELDS) == set(research_record(ROW, "14", REVIEW))


OFFICIAL = {
    "date": "2026-02-22",
    "time_local": "15:00",
    "scope": "Baja California",
    "metric": "incidents",
    "value": "16",
    "reported_by": "Baja California government",
    "source_url": "https://example.org/o",
    "notes": "06:00-15:00",
}


@pytest.mark.parametrize(
    ("changes", "reported_at", "precision", "cve_ent"),
    [
        ({}, "2026-02-22T15:00-08:00", "minute", "02"),  # the state's own time zone
        ({"time_local": ""}, "2026-02-22T00:00-08:00", "day", "02"),
        ({"scope": "Jalisco (Puerto Vallarta)"}, "2026-02-22T15:00-06:00", "minute", ""),
        ({"scope": "national"}, "2026-02-22T15:00-06:00", "minute", ""),  # Mexico City
    ],
)
def test_an_official_figure_converts_as_first_published(changes, reported_at, precision, cve_ent):
    record = research_official({**OFFICIAL, **changes})
    assert (record["reported_at"], record["time_precision"], record["cve_ent"]) == (
        reported_at,
        precision,
        cve_ent,
    )
    assert (record["value"], record["notes"], record["disputed"]) == ("16", "06:00-15:00", "")


def test_the_log_check_keys_official_figures_by_the_same_conversion():
    key, fields = quality_log.official_record(OFFICIAL, {})
    record = research_official(OFFICIAL)
    assert key == official_key(record)
    assert fields == {f: record[f] for f in quality_log.OFFICIAL_FIELDS}
