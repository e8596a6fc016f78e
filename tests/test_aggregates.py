"""Per-municipality and per-day/week tables (analysis/aggregates.py) and their CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pandas as pd
import pytest

from dashboard.analysis.aggregates import municipality_counts, period_counts
from dashboard.analysis.filters import ViewSpec, apply
from dashboard.model.mexico import MEXICO_CITY, local_zone
from dashboard.render.tables_csv import municipality_csv, period_csv

PRECISION = {1: "day", 7: "week", 0.1: "hour"}


def records(*rows) -> pd.DataFrame:
    """Records as filters.apply needs them: (start on the state's own clock, days long,
    state, municipality, type, fatalities), as an import gives them (incident_table)."""
    frame = []
    for start, days, state, municipality, kind, deaths in rows:
        local = pd.Timestamp(start, tz=local_zone(state, municipality))
        t0 = local.tz_convert("UTC")
        frame.append(
            {
                "start": local.to_pydatetime(),
                "time_precision": PRECISION[days],
                "t_start": t0,
                "t_end": t0 + pd.Timedelta(days=days),
                "cve_ent": state,
                "municipality": municipality,
                "event_type": kind,
                "blockades": pd.NA,
                "fatalities": deaths,
                "arrested": pd.NA,
            }
        )
    out = pd.DataFrame(frame)
    for column in ("blockades", "fatalities", "arrested"):
        out[column] = out[column].astype("Int64")
    return out


FRAME = records(
    ("2026-02-22T00:00", 1, "14", "Tapalpa", "blockade", 2),  # a day
    ("2026-02-22T10:00", 0.1, "14", "Tapalpa", "battles", None),  # an hour, same day
    ("2026-02-23T00:00", 1, "14", "=cmd()", "riots", 1),  # a formula-like name
    ("2026-02-21T00:00", 7, "16", "Uruapan", "protests", 0),  # a week, Sat to Fri
    ("2026-02-24T00:00", 1, "16", "", "official_statement", 9),  # never counted
    ("2026-02-25T00:00", 1, "02", "", "battles", 0),  # state only (Baja California's clock)
)
ALL = ViewSpec(datetime(2026, 2, 20, tzinfo=MEXICO_CITY), datetime(2026, 3, 1, tzinfo=MEXICO_CITY))


def test_per_municipality_counts_known_records_and_possible_apart():
    view = ALL.with_changes(end=datetime(2026, 2, 25, tzinfo=MEXICO_CITY))
    table = municipality_counts(apply(view, FRAME))
    rows = table.set_index(["cve_ent", "municipality"])
    assert rows.loc[("14", "Tapalpa"), ["incidents", "blockades", "fatalities"]].tolist() == [
        2,
        1,
        2,
    ]
    # The Uruapan week runs past the window's end: only possibly in it.
    assert rows.loc[("16", "Uruapan"), ["incidents", "incidents_possible"]].tolist() == [0, 1]
    assert ("16", "") not in rows.index  # the statement is not an incident
    assert rows.loc[("14", "=cmd()"), "state"] == "Jalisco"


@pytest.mark.parametrize(
    ("period", "expected", "unplaced"),
    [
        # 22 Feb: the blockade and the hour; 23: the riot; 24: nothing (statement); 25: one.
        ("day", {"2026-02-22": 2, "2026-02-23": 1, "2026-02-24": 0, "2026-02-25": 1}, 1),
        # Weeks from Monday 16 and 23 Feb; the Saturday-to-Friday week fits neither.
        ("week", {"2026-02-16": 2, "2026-02-23": 2}, 1),
    ],
)
def test_per_period_counts_only_what_one_period_holds(period, expected, unplaced):
    result = period_counts(apply(ALL, FRAME), period)
    got = dict(
        zip(
            result.rows["period_start"].dt.strftime("%Y-%m-%d"),
            result.rows["incidents"],
            strict=True,
        )
    )
    assert got == expected
    assert result.unplaced == unplaced


# ACLED day records from states on another clock: each on its own event_date.
OTHER_CLOCKS = records(
    ("2025-06-15T00:00", 1, "25", "Culiacán", "battles", 3),  # Sinaloa, UTC-7
    ("2025-06-15T00:00", 1, "23", "Cancún", "riots", 0),  # Quintana Roo, UTC-5
    ("2025-06-16T00:00", 1, "26", "Cajeme", "battles", 1),  # Sonora, UTC-7
    ("2025-06-14T00:00", 7, "25", "Mazatlán", "battles", 2),  # a week record (ACLED 2)
)
WHOLE = ViewSpec(datetime(2025, 6, 1, tzinfo=MEXICO_CITY), datetime(2025, 7, 1, tzinfo=MEXICO_CITY))


@pytest.mark.parametrize(
    ("period", "expected", "fatalities"),
    [
        ("day", {"2025-06-15": 2, "2025-06-16": 1}, [3, 1]),
        # 15 Jun 2025 is a Sunday: its ISO week starts Monday 9 Jun; the 16th starts the next.
        ("week", {"2025-06-09": 2, "2025-06-16": 1}, [3, 1]),
    ],
)
def test_day_records_on_another_clock_count_on_their_own_date(period, expected, fatalities):
    result = period_counts(apply(WHOLE, OTHER_CLOCKS), period)
    days = result.rows["period_start"].dt.strftime("%Y-%m-%d")
    assert dict(zip(days, result.rows["incidents"], strict=True)) == expected
    assert result.rows["fatalities"].tolist() == fatalities
    assert (result.unplaced_long, result.unplaced_span) == (1, 0)  # the week record only


def test_the_tables_csv_are_defused_and_dated():
    selected = apply(ALL, FRAME)
    rows = list(csv.DictReader(io.StringIO(municipality_csv(selected))))
    assert "'=cmd()" in [r["municipality"] for r in rows]
    days = list(csv.DictReader(io.StringIO(period_csv(selected, "day"))))
    assert (days[0]["period_start"], days[0]["period_end"]) == ("2026-02-22", "2026-02-23")
    assert period_counts(FRAME.iloc[0:0].assign(), "week").rows.empty


H = 3600


@pytest.mark.parametrize(
    ("start", "utc", "state", "municipality", "expected"),
    [
        # a reported offset wins: a fixed one, or a zone's on that instant
        (datetime(2026, 2, 22, tzinfo=MEXICO_CITY), "2026-02-22T06:00", "02", "", -6 * H),
        ("2026-07-01T00:00-07:00", "2026-07-01T07:00", "14", "", -7 * H),
        (pd.Timestamp("2026-02-22", tz="America/Tijuana"), "2026-02-22T08:00", "14", "", -8 * H),
        (pd.Timestamp("2026-07-01", tz="America/Tijuana"), "2026-07-01T07:00", "14", "", -7 * H),
        # no reported offset: the state's clock, or the municipality's where it differs
        (None, "2026-07-01T07:00", "02", "", -7 * H),
        (None, "2026-02-22T08:00", "02", "", -8 * H),
        (datetime(2026, 2, 22), "2026-02-22T06:00", "14", "Tapalpa", -6 * H),
        (None, "2026-07-01T06:00", "08", "Juárez", -6 * H),
        (None, "2026-02-22T07:00", "08", "Juárez", -7 * H),
        (None, "2026-02-22T06:00", "08", "Chihuahua", -6 * H),
        (None, "2026-02-22T06:00", "99", "", 0),  # no such state: no clock known
    ],
)
def test_each_record_keeps_its_own_clock(start, utc, state, municipality, expected):
    """local_offsets (vectorised per clock) gives each record the offset of its own
    `start`, else of its state's or municipality's zone at t_start; mixed in one frame,
    every row keeps its own answer."""
    from dashboard.analysis.aggregates import local_offsets

    row = {
        "start": start if not isinstance(start, str) else datetime.fromisoformat(start),
        "t_start": pd.Timestamp(utc, tz="UTC"),
        "cve_ent": state,
        "municipality": municipality,
    }
    other = {  # a different clock around the row, so a per-group slip would show
        "start": pd.Timestamp("2026-02-22", tz="America/Cancun").to_pydatetime(),
        "t_start": pd.Timestamp("2026-02-22T05:00", tz="UTC"),
        "cve_ent": "23",
        "municipality": "",
    }
    frame = pd.DataFrame([other, row, other], index=[7, 3, 5])
    assert local_offsets(frame).tolist() == [-5 * H, expected, -5 * H]
    if start is None:  # a frame without `start` reads the places' clocks
        assert local_offsets(frame.drop(columns="start")).tolist() == [-5 * H, expected, -5 * H]
