from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from dashboard.filters import ViewSpec, apply, uncertain_timing
from dashboard.mexico import MEXICO_CITY
from dashboard.stats import (
    hourly_counts,
    incidents_only,
    key_figures,
    national_official,
    state_counts,
)
from dashboard.validate import validate_incidents
from tests.conftest import incident_row, to_csv


def local(day, hour=0):
    return datetime(2026, 2, day, hour, tzinfo=MEXICO_CITY)


DAY_22 = ViewSpec(local(22), local(23))


@pytest.fixture
def small(bundle):
    rows = [
        incident_row(incident_id="a", start="2026-02-22T10:30-06:00", time_precision="hour"),
        incident_row(
            incident_id="b",
            start="2026-02-22T00:00-06:00",
            time_precision="day",
            blockades="4",
            fatalities="2",
        ),
        incident_row(
            incident_id="c",
            start="2026-02-22T09:00-06:00",
            time_precision="minute",
            event_type="vehicle_arson",
            blockades="",
            latitude="26.0508",
            longitude="-98.2979",
            cve_ent="28",
            arrested="3",
        ),
        incident_row(
            incident_id="d",
            start="2026-02-22T14:00-06:00",
            time_precision="minute",
            event_type="official_statement",
            blockades="",
        ),
        incident_row(incident_id="e", start="2026-02-23T18:00-06:00", time_precision="hour"),
    ]
    frame, report = validate_incidents(to_csv(rows), "small.csv", bundle.locations, bundle.states)
    assert report.ok
    return frame


def ids(frame):
    return sorted(frame.incident_id)


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ((local(22), local(23)), ["a", "b", "c", "d"]),
        ((local(22, 11), local(22, 12)), ["b"]),  # only the day-known record overlaps
        ((local(22, 10), local(22, 11)), ["a", "b"]),
        ((local(23), local(24)), ["e"]),
        ((local(22, 23), local(23, 1)), ["b"]),
    ],
)
def test_window_selects_overlapping_intervals(small, window, expected):
    assert ids(apply(ViewSpec(*window), small)) == expected


def test_state_and_type_filters(small):
    assert ids(apply(DAY_22.with_changes(states=frozenset({"28"})), small)) == ["c"]
    assert ids(apply(DAY_22.with_changes(event_types=frozenset({"vehicle_arson"})), small)) == ["c"]
    assert apply(DAY_22.with_changes(states=frozenset()), small).empty


def test_view_spec_rejects_bad_windows():
    with pytest.raises(ValueError, match="end after"):
        ViewSpec(local(23), local(22))
    with pytest.raises(ValueError, match="timezone-aware"):
        ViewSpec(datetime(2026, 2, 22), datetime(2026, 2, 23))


def test_key_figures_leave_out_statements(small):
    figures = key_figures(apply(DAY_22, small))
    assert figures.incidents == 3  # d is an official statement
    assert figures.blockades == 1 + 4 + 0
    assert figures.states_affected == 2
    assert (figures.fatalities, figures.arrests) == (2, 3)
    assert figures.uncertain_timing == 1


def test_state_counts_cover_all_32_states_zero_filled(small, bundle):
    table = state_counts(apply(DAY_22, small), bundle.official, DAY_22)
    assert len(table) == 32 and table.cve_ent.is_unique
    by_state = table.set_index("cve_ent")
    assert by_state.loc["14", "incidents"] == 2 and by_state.loc["14", "blockades"] == 5
    assert by_state.loc["28", "incidents"] == 1
    assert by_state.loc["01", "incidents"] == 0
    assert by_state.loc["14", "official_blockades"] == 65
    assert by_state.loc["14", "difference"] == 5 - 65
    assert "Gabinete de Seguridad" in by_state.loc["14", "official_source"]


def test_official_figures_only_once_reported(bundle):
    morning = ViewSpec(local(22, 6), local(22, 12))
    table = state_counts(bundle.incidents.iloc[0:0], bundle.official, morning).set_index("cve_ent")
    assert pd.isna(table.loc["14", "official_blockades"])  # 65 came at 20:00
    later = ViewSpec(local(22), local(24))
    table = state_counts(bundle.incidents.iloc[0:0], bundle.official, later).set_index("cve_ent")
    # 77 (23 Feb) is later but of unclear attribution: kept beside the Cabinet's 65.
    assert table.loc["14", "official_blockades"] == 65
    assert (
        "77 (reported by Infobae (attribution unclear), 23 Feb, disputed)"
        in table.loc["14", "official_other"]
    )


def test_national_official_figure(bundle):
    figure = national_official(
        bundle.official, ViewSpec(local(22), local(23)), "blockades_reported"
    )
    assert figure["value"] == 252 and figure["reported_by"] == "Gabinete de Seguridad"
    assert (
        national_official(bundle.official, ViewSpec(local(22), local(22, 19)), "blockades_reported")
        is None
    )


def test_hourly_counts(small):
    hourly = hourly_counts(apply(DAY_22, small), DAY_22)
    jalisco = hourly[hourly.cve_ent == "14"].set_index(hourly[hourly.cve_ent == "14"].hour.dt.hour)
    assert len(jalisco) == 24
    assert jalisco.loc[10, "timed"] == 1 and jalisco.loc[11, "timed"] == 0
    assert jalisco.loc[10, "overlapping"] == 2 and jalisco.loc[3, "overlapping"] == 1
    assert hourly.timed.sum() == 2  # a (hour) and c (minute); b is day-only


def test_bundled_day_22_story(bundle):
    selected = apply(DAY_22, bundle.incidents)
    figures = key_figures(selected)
    assert figures.incidents == len(incidents_only(selected))
    assert figures.uncertain_timing == uncertain_timing(incidents_only(selected))
    assert figures.states_affected >= 20
