"""Per-municipality and per-day/week tables (analysis/aggregates.py) and their CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pandas as pd
import pytest

from dashboard.analysis.aggregates import municipality_counts, period_counts
from dashboard.analysis.filters import ViewSpec, apply
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.tables_csv import municipality_csv, period_csv


def records(*rows) -> pd.DataFrame:
    """Records as filters.apply needs them: (local start, days long, state, municipality,
    type, fatalities)."""
    frame = []
    for start, days, state, municipality, kind, deaths in rows:
        t0 = pd.Timestamp(start, tz=MEXICO_CITY).tz_convert("UTC")
        frame.append(
            {
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
    ("2026-02-25T00:00", 1, "02", "", "battles", 0),  # state only
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


def test_the_tables_csv_are_defused_and_dated():
    selected = apply(ALL, FRAME)
    rows = list(csv.DictReader(io.StringIO(municipality_csv(selected))))
    assert "'=cmd()" in [r["municipality"] for r in rows]
    days = list(csv.DictReader(io.StringIO(period_csv(selected, "day"))))
    assert (days[0]["period_start"], days[0]["period_end"]) == ("2026-02-22", "2026-02-23")
    assert period_counts(FRAME.iloc[0:0].assign(), "week").rows.empty
