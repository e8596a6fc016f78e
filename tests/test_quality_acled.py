"""Data checks on country-scale and ACLED files (issue 24): the vectorised pre-filters
find every row the Python patterns would (so the findings are those of the per-row
code), an ACLED file's duplicates are rows repeated under another id (not separate
events at one place and day), and counts are not read from place or road names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from dashboard.analysis import quality, quality_disputes, quality_findings, quality_times
from dashboard.analysis.check_file import check_file
from dashboard.analysis.quality_counts import stated_counts, summary_counts
from dashboard.analysis.quality_disputes import undisputed_disagreements
from dashboard.analysis.quality_times import unstated_times
from tests.conftest import incident_row, to_csv

# Notes that the patterns do or do not read as two values or a named time, with the
# characters where RE2 and Python's re differ: Unicode digits and spaces, long s, dotless
# and dotted i, the Kelvin sign, caveats and links cut out, record ids.
NOTES = [
    "",
    "On 8 December 2025, a synthetic event number 5 was reported in the place named.",
    "Sources differ on the count.",
    "Sources diffeR on the count (DIFFERS FROM Milenio).",
    "4 or 5 vehicles burned.",
    "4\u00a0or\u00a05 vehicles burned.",  # no-break spaces
    "٤ or ٥ vehicles burned.",  # Arabic-Indic digits: Python's \d
    "22/23 Feb: the date is ambiguous.",
    "Road closed 22/22 Feb.",
    "~08:00 (Univision) ... ~09:30 (KRGV)",
    "4 per Primera Línea, 5 per Excélsior",
    "72 según Notisistema, 80 según Milenio",
    "Coords = 4 or 5 km from town; a quiet night.",
    "See https://example.org/4/5 vehicles and jal-tapalpa-4-or-5-x.",
    "ConflIct over the figure; the ſame story",
    "The count is contradİcted by the mayor.",
    "Three trucks were burned; 5 trucks per the governor.",
    "eleven ſtates reported blockades; 13 states per another outlet",
    "The morning after, at 9 am, the road reopened.",
    "Police arrived at 22:15 and again at 23:40.",
    "In the early hours of 23 Feb morning, shots were heard.",
    "MAÑANA: a statement at noon.",
    "At ٩:٣٠ pm the blockade began.",
    "vs. the state's tally",
    "Reported overnight; curfew at night.",
    "At daybrea\u212a (with a Kelvin sign) the road closed.",  # odd casefolds
    "In the a\ufb05ernoon (a ligature) it reopened.",
    "Police said 4 trucks burned, not 2 trucks.",
]
SUMMARIES = ["", "Two trucks burned.", "Armed clash (Battles), Km 23. Sources (per ACLED): X"]


def _records() -> pd.DataFrame:
    rows = []
    for i, notes in enumerate(NOTES):
        for j, summary in enumerate(SUMMARIES):
            for precision in ("day", "part_of_day", "hour"):
                rows.append(
                    {
                        "incident_id": f"r{i}-{j}-{precision}",
                        "disputed": "false",
                        "notes": notes,
                        "summary": summary or notes,
                        "start": pd.Timestamp("2026-02-22T10:30-06:00"),
                        "end": None,
                        "time_precision": precision,
                        "part_of_day": "morning" if precision == "part_of_day" else "",
                    }
                )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("pattern", "superset"),
    [
        (quality_disputes.DISAGREEMENT_WORDS, quality_disputes._MAY_SAY),
        (quality_disputes.ALTERNATIVES, quality_disputes._MAY_ALTERNATIVES),
        (quality_disputes.CREDITED, quality_disputes._MAY_CREDIT),
        (quality_disputes.COUNTED, quality_disputes._MAY_COUNT),
    ],
)
def test_each_prefilter_finds_every_text_its_pattern_matches(pattern, superset):
    texts = pd.Series(NOTES + SUMMARIES, dtype=object)
    matched = np.array([bool(pattern.search(text)) for text in texts])
    assert matched.sum() >= 3  # planted matches, or the test proves nothing
    assert not (matched & ~quality_findings.may_match(texts, superset)).any()


def test_the_time_prefilter_finds_every_text_that_may_name_a_time():
    texts = pd.Series(NOTES + SUMMARIES, dtype=object)
    named = np.array([quality_times._may_name_time(text) for text in texts])
    assert named.sum() >= 5
    assert not (named & ~quality_times.may_name_times(texts)).any()


@pytest.mark.parametrize("check", [undisputed_disagreements, unstated_times])
def test_the_prefilter_keeps_every_finding_of_the_per_row_code(monkeypatch, check):
    records = _records()
    filtered = check(records)
    every_row = lambda texts, pattern: np.ones(len(texts), dtype=bool)  # noqa: E731
    for module in (quality_findings, quality_disputes, quality_times):
        monkeypatch.setattr(module, "may_match", every_row)
    unfiltered = check(records)
    assert len(unfiltered) > 20  # the planted notes are findings, or the test proves nothing
    assert [(f, f.detail) for f in filtered] == [(f, f.detail) for f in unfiltered]


def test_the_disputed_check_finds_what_competing_values_finds_on_every_row():
    # No pre-filter at all: competing_values on every record (the summary-count gate and
    # the RE2 pre-filters must lose none of these).
    records = _records()
    expected = [
        (row.incident_id, phrase)
        for row in records.itertuples()
        if (phrase := quality_disputes.competing_values(row.notes, row.summary))
    ]
    assert sum("/" in phrase and "trucks" in phrase for _, phrase in expected) >= 2
    found = [
        (f.incident_ids[0], dict(f.message.values)["phrase"])
        for f in undisputed_disagreements(records)
    ]
    assert found == expected


# The Arrow path of the text checks (arrow_column, arrow_notes_without_caveats) against
# the Python path it replaced (text_column, notes_without_caveats): the same text for
# every row, whatever the frame holds.
_TEXTS = [*NOTES, *SUMMARIES, None, "  Coords = a-b-c  ", "http://x.org/a:b", "ok"]


def _chunked(values: list) -> pd.Series:
    half = len(values) // 2
    chunks = [pa.array(part, pa.large_string()) for part in (values[:half], values[half:])]
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks)))


@pytest.mark.parametrize(
    ("kind", "column"),
    [
        ("object", pd.Series(_TEXTS, dtype=object)),
        ("str", pd.Series(_TEXTS, dtype="str")),
        ("str in two chunks", _chunked(_TEXTS)),
        ("numbers and gaps", pd.Series([1, None, 2.5, float("nan"), "a"] * 3, dtype=object)),
        ("Int64", pd.Series([1, None, 3], dtype="Int64")),
        ("empty", pd.Series([], dtype="str")),
        ("all missing", pd.Series([None, None], dtype="str")),
    ],
)
def test_the_arrow_path_reads_the_texts_the_python_path_reads(kind, column):
    frame = pd.DataFrame({"notes": column, "summary": column})
    for name in ("notes", "summary", "absent"):
        arrow = quality_findings.arrow_column(frame, name)
        assert arrow.to_pylist() == quality_findings.text_column(frame, name).tolist(), name
    notes = quality_findings.arrow_notes_without_caveats(frame)
    assert notes.to_pylist() == quality_findings.notes_without_caveats(frame).tolist()


def test_the_arrow_notes_lose_their_caveats():
    frame = pd.DataFrame({"notes": pd.Series(_TEXTS, dtype="str")})
    notes = quality_findings.arrow_notes_without_caveats(frame).to_pylist()
    assert notes[_TEXTS.index("  Coords = a-b-c  ")] == "   "  # the caveat cut out
    assert notes[_TEXTS.index("Road closed 22/22 Feb.")] == "Road closed 22/22 Feb."


@pytest.mark.parametrize(
    ("summary", "counts"),
    [
        ("Carretera 15 blockades lifted by noon.", {}),
        ("Km 23 roadblocks were cleared.", {}),
        ("Highway 200 blockades reported by drivers.", {}),
        ("Autopista 57 bloqueos persisted.", {}),
        ("Exit 4 blockades on the ring road.", {}),
        ("Three blockades on Carretera 15.", {"blockades": 3}),
        ("Drivers reported 2 blockades at Km 23.", {"blockades": 2}),
        ("Police detained 12 men on Carretera 15.", {"arrested": 12}),
    ],
)
def test_counts_are_not_read_from_road_numbers(summary, counts):
    assert {k: v[0] for k, v in stated_counts(summary).items()} == counts


@pytest.mark.parametrize(
    ("place", "summary", "found"),
    [
        (
            "Main road (4 blockades with burned vehicles)",
            "Main road (4 blockades with burned vehicles).",
            [],
        ),
        ("Carretera 15", "Carretera 15 blockades lifted.", []),
        ("Main road", "Main road: 4 blockades with burned vehicles.", ["4 blockades"]),
    ],
)
def test_summary_counts_leave_the_place_name_out(bundle, place, summary, found):
    row = incident_row(event_type="vehicle_arson", blockades="", summary=summary, place=place)
    result = check_file(to_csv([row]), "f.csv", bundle.locations, bundle.states)
    assert result.report.error_count == 0, result.report.to_text()
    assert [f.value for f in summary_counts(result.frame)] == found


ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
    "admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities,timestamp"
)


def _acled(*rows: str) -> bytes:
    return ("\n".join([ACLED_HEADER, *rows]) + "\n").encode()


def _acled_row(event_id: str, notes: str, timestamp: str = "1740000000") -> str:
    return (
        f"{event_id},22 February 2026,2026,1,Riots,Mob violence,Rioters (Mexico),Jalisco,"
        f"Tapalpa,Carretera 15 (4 blockades with burned vehicles),19.9447,-103.7589,1,"
        f"Milenio,{notes},0,{timestamp}"
    )


def test_acled_events_at_one_place_and_day_are_not_duplicates(bundle):
    data = _acled(
        _acled_row("MEX1", "Rioters burned a bus."),
        _acled_row("MEX2", "Rioters burned two cars."),  # another event, same place and day
        _acled_row("MEX3", "Rioters burned a bus.", timestamp="1740000999"),  # MEX1 again
    )
    result = check_file(data, "acled.csv", bundle.locations, bundle.states)
    lines = result.report.to_text().splitlines()
    duplicates = [line for line in lines if "duplicates [" in line]
    assert len(duplicates) == 1, lines
    assert "line 4" in duplicates[0] and "[MEX3, MEX1]" in duplicates[0]
    assert "merge" not in result.report.to_text()
    # The checks whose rule does not hold for ACLED say so, one line each.
    for check in ("duplicates", "related_duplicates", "summary_counts"):
        said = [line for line in lines if f": {check}: " in line and "ACLED" in line]
        assert len(said) == 1, (check, lines)
    # No count is read from the place name "Carretera 15 (4 blockades ...)".
    assert "summary_counts [" not in result.report.to_text()


def test_our_files_keep_the_duplicate_rule(bundle):
    rows = [incident_row(incident_id="a"), incident_row(incident_id="b")]
    result = check_file(to_csv(rows), "ours.csv", bundle.locations, bundle.states)
    text = result.report.to_text()
    assert "duplicates [a, b]" in text and "merge them" in text
    assert "ACLED" not in text


def test_the_quality_view_of_acled_data_follows_the_same_rules(bundle):
    data = _acled(
        _acled_row("MEX1", "Rioters burned a bus."),
        _acled_row("MEX2", "Rioters burned two cars."),
        _acled_row("MEX3", "Rioters burned a bus.", timestamp="1740000999"),
    )
    frame = check_file(data, "acled.csv", bundle.locations, bundle.states).frame
    tables = quality.quality_tables(frame, None, "es")
    assert tables["duplicates"]["incident_id"].tolist() == ["MEX3"]
    assert "MEX1" in tables["duplicates"]["detail"].iloc[0]
    assert tables["related_duplicates"].empty and tables["summary_counts"].empty
    rules = quality.check_rules("en", acled=True)
    assert all("ACLED" in rules[key] for key in ("duplicates", "related_duplicates"))
    assert "ACLED" not in "".join(quality.check_rules("en").values())
