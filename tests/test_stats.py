from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from dashboard.analysis.filters import ViewSpec, apply, uncertain_timing
from dashboard.analysis.stats import (
    hourly_counts,
    hourly_totals,
    incidents_only,
    key_figures,
    national_official,
    state_counts,
)
from dashboard.ingest.validate import validate_incidents
from dashboard.model.mexico import MEXICO_CITY
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


@pytest.mark.parametrize(
    ("window", "known", "possible"),
    [
        ((local(22), local(23)), ["a", "b", "c", "d"], []),
        ((local(22, 11), local(22, 12)), [], ["b"]),  # the day record may or may not be here
        ((local(22, 10), local(22, 11)), ["a"], ["b"]),
        ((local(22, 23), local(23, 1)), [], ["b"]),
    ],
)
def test_records_are_known_in_a_window_only_when_their_interval_lies_inside(
    small, window, known, possible
):
    selected = apply(ViewSpec(*window), small)
    assert ids(selected[selected["in_window"] == "known"]) == known
    assert ids(selected[selected["in_window"] == "possible"]) == possible


def test_key_figures_count_only_known_records_and_name_the_possible_apart(small):
    figures = key_figures(apply(ViewSpec(local(22, 10), local(22, 11)), small))
    assert (figures.incidents, figures.blockades, figures.fatalities) == (1, 1, 0)
    assert figures.possible == 1  # b: known only to the day, with 4 blockades and 2 deaths
    counts = state_counts(
        apply(ViewSpec(local(22, 10), local(22, 11)), small),
        pd.DataFrame(
            columns=[
                "metric",
                "cve_ent",
                "t_reported",
                "time_precision",
                "scope",
                "value",
                "disputed",
            ]
        ).astype({"t_reported": "datetime64[us, UTC]"}),
        ViewSpec(local(22, 10), local(22, 11)),
    )
    jal = counts.set_index("cve_ent").loc["14"]
    assert (jal["incidents"], jal["blockades"]) == (1, 1)
    assert (jal["incidents_possible"], jal["blockades_possible"]) == (1, 4)


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
    # states with road blockades, as the official "20 states" counts: c (Tamaulipas) is
    # an arson record without blockades
    assert figures.states_affected == 1
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
    # at 20:00 only a (10:30) is known to have started; b's day (4) was still running
    assert by_state.loc["14", "located_at_official"] == 1
    assert by_state.loc["14", "located_at_official_possible"] == 4
    assert by_state.loc["14", "difference"] == 1 - 65
    assert "Gabinete de Seguridad" in by_state.loc["14", "official_source"]


def test_official_figures_only_once_reported(bundle):
    morning = ViewSpec(local(22, 6), local(22, 12))
    table = state_counts(bundle.incidents.iloc[0:0], bundle.official, morning).set_index("cve_ent")
    assert pd.isna(table.loc["14", "official_blockades"])  # 65 came at 20:00
    later = ViewSpec(local(22), local(24))
    table = state_counts(bundle.incidents.iloc[0:0], bundle.official, later).set_index("cve_ent")
    # 77 (23 Feb) is later; both are flagged disputed, and an authority's figure (the
    # Cabinet's 65) is preferred to a media tally of unclear attribution, kept beside it.
    assert table.loc["14", "official_blockades"] == 65
    assert (
        "77 (reported by Infobae (attribution unclear), 23 Feb, disputed)"
        in table.loc["14", "official_other"]
    )


@pytest.mark.parametrize(
    ("end", "shown"),
    [(local(22, 7), False), (local(22, 23), False), (local(23), True), (local(23, 6), True)],
)
def test_a_figure_dated_only_to_its_day_is_given_by_that_days_end(bundle, end, shown):
    """Michoacán's C5 gave 21 blocked points on 22 Feb, hour not published: it may have
    come at any hour of that day, so a window shows it only once the day is over."""
    view = ViewSpec(local(22, 6), end)
    table = state_counts(bundle.incidents.iloc[0:0], bundle.official, view).set_index("cve_ent")
    figure = table.loc["16", "official_blockades"]
    assert (figure == 21) if shown else pd.isna(figure)


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
    known_ones = incidents_only(selected[selected["in_window"] == "known"])
    assert figures.incidents == len(known_ones)
    assert figures.incidents + figures.possible == len(incidents_only(selected))
    assert figures.uncertain_timing == uncertain_timing(known_ones)
    assert 10 <= figures.states_affected <= 20  # states with road blockades (official: 20)


OFFICIAL_FIXTURE = "\n".join(
    [
        "reported_at,time_precision,scope,cve_ent,metric,value,reported_by,source_url,disputed",
        "2026-02-22T20:00-06:00,minute,Jalisco,14,blockades_reported,10,Gabinete de Seguridad,"
        "https://example.org/gabinete-20h-252,false",
        "2026-02-22T00:00-06:00,day,Michoacán,16,blockade_points,21,Michoacán C5,"
        "https://example.org/c5-michoacan-21,false",
    ]
)


@pytest.fixture
def at_official_hour(bundle):
    """Jalisco records around the official figure's 20:00 (hand-counted in the test)."""
    from dashboard.ingest.geodata_files import validate_official

    rows = [
        incident_row(incident_id="j1", start="2026-02-22T10:30-06:00", time_precision="minute"),
        incident_row(
            incident_id="j2", start="2026-02-22T00:00-06:00", time_precision="day", blockades="4"
        ),
        incident_row(incident_id="j3", start="2026-02-22T21:00-06:00", time_precision="minute"),
        incident_row(incident_id="j4", start="2026-02-22T19:59-06:00", time_precision="minute"),
        incident_row(
            incident_id="j5",
            start="2026-02-22T09:00-06:00",
            time_precision="minute",
            event_type="vehicle_arson",
            blockades="",
        ),
        incident_row(
            incident_id="j6",
            start="2026-02-22T14:00-06:00",
            time_precision="minute",
            event_type="official_statement",
            blockades="21",
        ),
        incident_row(
            incident_id="j7",
            start="2026-02-22T00:00-06:00",
            time_precision="part_of_day",
            part_of_day="morning",
        ),
        incident_row(incident_id="j8", start="2026-02-23T00:00-06:00", time_precision="day"),
        incident_row(
            incident_id="m1",
            start="2026-02-22T10:00-06:00",
            latitude="19.70",
            longitude="-101.19",
            cve_ent="16",
        ),
    ]
    frame, report = validate_incidents(to_csv(rows), "hour.csv", bundle.locations, bundle.states)
    assert report.ok, report.to_text()
    official, report = validate_official(OFFICIAL_FIXTURE.encode(), "official.csv")
    assert report.ok, report.to_text()
    return frame, official


@pytest.mark.parametrize("window_start", [local(22), local(22, 18), local(23)])
def test_comparison_at_the_official_figures_hour(at_official_hour, window_start):
    """Hand count for Jalisco at 20:00: known to have started by then, j1 (10:30, 1), j4
    (19:59, its minute over at 20:00, 1), j7 (morning, over at 12:00, 1) = 3; possibly,
    j2 (day-only, 4: its day runs past 20:00); not j3 (21:00), j5 (no blockade), j6 (a
    statement), j8 (23 Feb). The window does not change the count."""
    records, official = at_official_hour
    view = ViewSpec(window_start, local(24))
    table = state_counts(apply(view, records), official, view, records).set_index("cve_ent")
    jal = table.loc["14"]
    assert (jal["official_blockades"], jal["located_at_official"]) == (10, 3)
    assert jal["located_at_official_possible"] == 4
    assert bool(jal["comparable"]) and jal["difference"] == 3 - 10
    assert jal["official_at"] == "2026-02-22T20:00-06:00"
    assert jal["official_by"] == "Gabinete de Seguridad"
    mic = table.loc["16"]  # a day-only figure has no hour to compare at
    assert mic["official_blockades"] == 21 and not mic["comparable"]
    assert pd.isna(mic["located_at_official"]) and pd.isna(mic["difference"])
    assert mic["official_at"] == "2026-02-22"
    assert pd.isna(table.loc["01", "difference"]) and not table.loc["01", "comparable"]


def test_national_figures_beside_the_key_figures(bundle):
    from dashboard.analysis.stats import national_figures

    before = national_figures(bundle.official, ViewSpec(local(22), local(22, 19)))
    assert "blockades" not in before  # 252 came at 20:00
    after = national_figures(bundle.official, ViewSpec(local(22), local(24)))
    assert (after["blockades"].value, after["blockades"].when) == (252, "22 Feb 20:00")
    assert after["blockades"].reported_by == "Gabinete de Seguridad"
    assert after["fatalities"].value == 62 and after["arrests"].value == 70


@pytest.mark.parametrize(
    "window",
    [
        DAY_22,
        ViewSpec(
            datetime(2026, 2, 21, 18, tzinfo=MEXICO_CITY),
            datetime(2026, 2, 24, 6, tzinfo=MEXICO_CITY),
        ),
    ],
)
def test_hourly_totals_are_the_states_counts_summed(small, window):
    selected = apply(window, small)
    by_state = hourly_counts(selected, window)
    expected = by_state.groupby("hour")[["timed", "overlapping"]].sum().reset_index()
    totals = hourly_totals(selected, window)
    assert totals["hour"].tolist() == expected["hour"].tolist()
    assert totals["timed"].tolist() == expected["timed"].astype(int).tolist()
    assert totals["overlapping"].tolist() == expected["overlapping"].astype(int).tolist()


def test_key_figures_count_each_time_precision_apart():
    # tester 11a #6: 980 week and 248 month records were called "known only to the day".
    precisions = ["day", "part_of_day", "day", "week", "week", "month", "minute"]
    frame = pd.DataFrame(
        {
            "cve_ent": "25",
            "event_type": "battles",
            "blockades": pd.array([pd.NA] * 7, dtype="Int64"),
            "fatalities": pd.array([0] * 7, dtype="Int64"),
            "arrested": pd.array([pd.NA] * 7, dtype="Int64"),
            "disputed": False,
            "time_precision": precisions,
        }
    )
    figures = key_figures(frame)
    assert (figures.incidents, figures.uncertain_timing) == (7, 3)
    assert (figures.week_timing, figures.month_timing) == (2, 1)
