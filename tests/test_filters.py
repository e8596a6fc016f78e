"""Pure helpers behind the filters: the state toggle, day choices, hour steps."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from dashboard.analysis.filters import (
    ViewSpec,
    event_days,
    file_window,
    in_view,
    known_in_window,
    shift_window,
    toggle_state,
    window_step,
)
from dashboard.analysis.permalink import PageView, parse_query, to_query
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.captions import slider_hours
from dashboard.web.view_cache import view_key


@pytest.mark.parametrize(
    ("states", "clicked", "expected"),
    [
        (None, "14", ["14"]),  # from all states to the clicked one
        (["14"], "16", ["14", "16"]),  # add, in click order
        (["14", "16"], "14", ["16"]),  # a chosen state clicked again is removed
        (["14"], "14", None),  # removing the last one goes back to all states
        (["Jalisco", "Michoacán"], "Michoacán", ["Jalisco"]),  # names work the same
    ],
)
def test_toggle_state(states, clicked, expected):
    assert toggle_state(states, clicked) == expected


def test_event_days_are_calendar_days_trimmed_to_the_data():
    first, last = datetime(2026, 2, 21, 18), datetime(2026, 2, 24, 5)
    assert event_days(first, last) == [
        (datetime(2026, 2, 21, 18), datetime(2026, 2, 22)),
        (datetime(2026, 2, 22), datetime(2026, 2, 23)),
        (datetime(2026, 2, 23), datetime(2026, 2, 24)),
        (datetime(2026, 2, 24), datetime(2026, 2, 24, 5)),
    ]
    assert event_days(datetime(2026, 2, 22), datetime(2026, 2, 23)) == [
        (datetime(2026, 2, 22), datetime(2026, 2, 23))
    ]


D = datetime(2026, 2, 22)
BOUNDS = (D, datetime(2026, 2, 25))


@pytest.mark.parametrize(
    ("window", "start_hours", "end_hours", "expected"),
    [
        ((D.replace(hour=5), D.replace(hour=9)), 1, 0, (D.replace(hour=6), D.replace(hour=9))),
        ((D.replace(hour=5), D.replace(hour=9)), -1, 0, (D.replace(hour=4), D.replace(hour=9))),
        ((D.replace(hour=5), D.replace(hour=9)), 0, 1, (D.replace(hour=5), D.replace(hour=10))),
        ((D, D.replace(hour=9)), -1, 0, (D, D.replace(hour=9))),  # clipped at the data start
        ((D.replace(hour=5), BOUNDS[1]), 0, 1, (D.replace(hour=5), BOUNDS[1])),  # and end
        ((D.replace(hour=8), D.replace(hour=9)), 1, 0, (D.replace(hour=8), D.replace(hour=9))),
        ((D.replace(hour=8), D.replace(hour=9)), 0, -1, (D.replace(hour=8), D.replace(hour=9))),
    ],
)
def test_shift_window_moves_by_whole_hours_and_keeps_an_hour(
    window, start_hours, end_hours, expected
):
    assert shift_window(window, BOUNDS, start_hours, end_hours) == expected


def test_a_long_range_is_stepped_by_days_with_months_as_quick_choices():
    """A year of a reader's file (ACLED) slides by days and jumps by month, not by hour."""
    first, last = datetime(2025, 3, 4), datetime(2026, 3, 1)
    assert window_step(first, last) == timedelta(days=1)
    months = event_days(first, last)
    assert months[0] == (datetime(2025, 3, 4), datetime(2025, 4, 1))
    assert months[-1] == (datetime(2026, 2, 1), datetime(2026, 3, 1))
    assert len(months) == 12
    stops = slider_hours(first, last, window_step(first, last))
    assert (stops[0], stops[-1], len(stops)) == (first, last, 363)
    # Two weeks or less: hours, days.
    assert window_step(D, D + timedelta(days=14)) == timedelta(hours=1)
    assert len(event_days(D, D + timedelta(days=14))) == 14


def test_shift_window_by_days_for_a_long_range():
    bounds = (datetime(2025, 3, 1), datetime(2026, 3, 1))
    window = (datetime(2025, 5, 1), datetime(2025, 6, 1))
    day = timedelta(days=1)
    assert shift_window(window, bounds, -1, 0, day) == (datetime(2025, 4, 30), window[1])
    assert shift_window(window, bounds, 0, 1, day) == (window[0], datetime(2025, 6, 2))


def test_a_files_window_is_its_whole_range_at_day_ends():
    """filters.file_window: a file opens on all of its records; past two weeks the range
    ends at a midnight, so every slider stop is a day."""
    utc = pd.Timestamp
    frame = pd.DataFrame(
        {
            "t_start": [utc("2025-03-04T06:00Z"), utc("2026-02-27T06:00Z")],
            "t_end": [utc("2025-03-05T06:00Z"), utc("2026-02-28T06:00Z")],
        }
    )
    start, end = file_window(frame)
    assert (start.isoformat(), end.isoformat()) == (
        "2025-03-04T00:00:00-06:00",
        "2026-02-28T00:00:00-06:00",
    )
    assert known_in_window(frame, start, end).all()


def _acled_like() -> pd.DataFrame:
    at = pd.Timestamp("2025-05-01T06:00Z")
    return pd.DataFrame(
        {
            "t_start": [at] * 4,
            "t_end": [at + pd.Timedelta(days=1)] * 4,
            "cve_ent": ["14"] * 4,
            "event_type": ["battles"] * 4,
            "actor1": ["CJNG: Jalisco New Generation Cartel", "Police Forces of Mexico", "", ""],
            "actor2": ["", "Civilians (Mexico)", "", ""],
            "assoc_actor_1": ["", "", "Teachers (Mexico)", ""],
            "assoc_actor_2": [""] * 4,
            "event_label": ["Armed clash", "Attack", "Peaceful protest", ""],
            "fatalities": pd.array([3, 0, None, 1], dtype="Int64"),
        }
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, [0, 1, 2, 3]),
        ({"actor": "cjng"}, [0]),  # any case, any part of the name
        ({"actor": "civilians"}, [1]),  # actor2 too
        ({"actor": "teachers"}, [2]),  # and associated actors
        ({"sub_event_types": frozenset({"Attack", "Armed clash"})}, [0, 1]),
        ({"min_fatalities": 1}, [0, 3]),  # unknown deaths are not "at least one"
        ({"actor": "police", "min_fatalities": 1}, []),
    ],
)
def test_the_analysts_filters(changes, expected):
    frame = _acled_like()
    view = ViewSpec(
        datetime(2025, 1, 1, tzinfo=MEXICO_CITY), datetime(2026, 1, 1, tzinfo=MEXICO_CITY)
    ).with_changes(**changes)
    assert in_view(view, frame)[lambda s: s].index.tolist() == expected


def test_the_analysts_filters_are_in_the_permalink():
    view = ViewSpec(
        datetime(2025, 1, 1, tzinfo=MEXICO_CITY),
        datetime(2026, 1, 1, tzinfo=MEXICO_CITY),
        actor="CJNG",
        sub_event_types=frozenset({"Looting/property destruction", "Attack"}),
        min_fatalities=2,
    )
    query = to_query(PageView(view))
    link = parse_query(query, data_start=view.start, data_end=view.end)
    assert link.page_view((view.start, view.end)).view == view
    assert view_key(view) != view_key(view.with_changes(actor=None))
