"""Pure helpers behind the filters: the state toggle, day choices, hour steps."""

from __future__ import annotations

from datetime import datetime

import pytest

from dashboard.analysis.filters import event_days, shift_window, toggle_state


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
