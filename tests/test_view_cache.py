"""Results shared between windows that select the same records (view_cache.rows_kept).

Moving the slider by an hour often leaves the same records in view: the figures, the
tables and the per-state comparison are then reused, while what names the window's
hours (the map's window, the hourly chart, the alt text) is made for the new window.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis.filters import ViewSpec, apply, data_window, in_window, known_in_window
from dashboard.analysis.permalink import local_text
from dashboard.analysis.stats import key_figures, state_counts
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.captions import slider_label
from dashboard.web import view_cache
from tests.conftest import open_sections

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


class Timeline:
    """Stands in for stats.OfficialTimeline: reports known by `end` = its hour of day."""

    def known(self, end) -> int:
        return end.hour


TIMELINE = Timeline()


def fake_data(timeline=TIMELINE):
    return SimpleNamespace(
        timeline=timeline,
        incidents=pd.DataFrame(index=range(10)),
        bundle=SimpleNamespace(version="v1"),
        lang="es",
    )


def view(start_hour: int, end_hour: int, **filters) -> ViewSpec:
    day = pd.Timestamp("2026-02-22", tz=MEXICO_CITY).to_pydatetime()
    return ViewSpec(day + timedelta(hours=start_hour), day + timedelta(hours=end_hour), **filters)


ROWS = pd.DataFrame({"in_window": ["known", "known", "possible"]}, index=[1, 4, 7])


@pytest.mark.parametrize(
    ("a", "rows_a", "b", "rows_b", "same"),
    [
        # Another window, the same records, the same reports known: shared.
        (view(0, 10), ROWS, view(2, 10), ROWS, True),
        # The same records but another report known by the window's end: not shared.
        (view(0, 10), ROWS, view(0, 11), ROWS, False),
        # Other records.
        (view(0, 10), ROWS, view(2, 10), ROWS.iloc[:2], False),
        # The same records, one placed otherwise (known in one window, possible in the
        # other): the figures count other records, so not shared.
        (view(0, 10), ROWS, view(2, 10), ROWS.assign(in_window="known"), False),
        # The same (no) records under other filters: the state table lists other states.
        (view(0, 10), ROWS.iloc[:0], view(0, 10, states=frozenset({"14"})), ROWS.iloc[:0], False),
        (view(0, 10), ROWS, view(0, 10, event_types=frozenset({"blockade"})), ROWS, False),
    ],
)
def test_windows_share_results_only_when_records_reports_and_filters_match(
    a, rows_a, b, rows_b, same
):
    data = fake_data()
    assert (view_cache.rows_kept(data, a, rows_a) == view_cache.rows_kept(data, b, rows_b)) is same


def test_nothing_is_shared_for_an_uploaded_file():
    assert view_cache.rows_kept(fake_data(timeline=None), view(0, 10), ROWS) is None


def windows_with_the_same_records(bundle) -> tuple[ViewSpec, ViewSpec]:
    """Two different two-day windows of the bundled data that select the same records."""
    first, last = data_window(bundle.incidents)
    seen: dict[bytes, ViewSpec] = {}
    hour = first
    while hour + timedelta(hours=48) <= last:
        window = ViewSpec(hour, hour + timedelta(hours=48))
        mask = in_window(bundle.incidents, window.start, window.end).to_numpy()
        inside = known_in_window(bundle.incidents, window.start, window.end).to_numpy()
        key = mask.tobytes() + inside.tobytes()
        if mask.any() and key in seen:
            return seen[key], window
        seen[key] = window
        hour += timedelta(hours=1)
    raise AssertionError("no two windows of the bundled data select the same records")


def naive(moment) -> pd.Timestamp:
    return moment.astimezone(MEXICO_CITY).replace(tzinfo=None)


def test_a_window_with_the_same_records_shows_its_own_hours_and_the_same_figures(bundle):
    a, b = windows_with_the_same_records(bundle)
    at = open_sections(AppTest.from_file(APP, default_timeout=60))
    at.run()
    at.select_slider(key="window").set_value((naive(a.start), naive(a.end))).run()
    before = {m.label: m.value for m in at.metric}
    at.select_slider(key="window").set_value((naive(b.start), naive(b.end))).run()
    assert not at.exception, at.exception
    figures = key_figures(apply(b, bundle.incidents))
    assert int(at.metric[0].value) == figures.incidents
    assert at.metric[1].delta == f"{figures.blockades} on the map"
    assert {m.label: m.value for m in at.metric} == before
    (table,) = [d.value for d in at.dataframe if "official_source" in d.value.columns]
    expected = state_counts(apply(b, bundle.incidents), bundle.official, b, bundle.incidents)
    by_state = expected.set_index("state")
    for row in table.itertuples():
        assert row.incidents == by_state.loc[row.state, "incidents"]
    # What names the hours follows the new window: the link and the alt text.
    assert at.query_params["from"] == local_text(b.start)
    (alt,) = [a.value for a in at.text_area if a.label.startswith("Alt text")]
    assert slider_label(naive(b.start)) in alt  # "Sun 22 Feb, 00:00"
    assert slider_label(naive(a.start)) not in alt
