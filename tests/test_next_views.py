"""A slider step drawn at once: each view carries its neighbouring windows' views
(sections/map.py next_views) as changes from itself (mapview.view_change), which the
map applies as tapalpa-map.js `preview` does (`merged` below). The rerun's view must be
exactly what the preview drew, or the map would show a window's records that the
page's figures do not count."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis.filters import data_window, window_step
from dashboard.ingest.bundle import load_bundle
from dashboard.render.captions import slider_hours
from dashboard.render.mapview import view_change
from dashboard.web import map_component, state
from dashboard.web.data import naive
from tests.test_app import APP


def merged(base: dict, change: dict) -> dict:
    """tapalpa-map.js `preview`: the view a change names, made from `base`."""
    if "view" in change:
        return change["view"]
    view = {**base, **change["set"]}
    for field, values in change["patch"].items():
        view[field] = {**base[field], **values}
    return view


BASE = {"window": "a", "ids": [1, 2], "states": {"01": [1, "x"], "02": [0, "y"]}, "mode": "points"}


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (BASE, {"set": {}, "patch": {}}),
        ({**BASE, "window": "b", "ids": [2]}, {"set": {"window": "b", "ids": [2]}, "patch": {}}),
        (
            {**BASE, "states": {"01": [2, "z"], "02": [0, "y"]}},
            {"set": {}, "patch": {"states": {"01": [2, "z"]}}},
        ),
        (  # a state more: the whole field (the map's objects keep the server's key order)
            {**BASE, "states": {"01": [1, "x"], "02": [0, "y"], "03": [1, "w"]}},
            {"set": {"states": {"01": [1, "x"], "02": [0, "y"], "03": [1, "w"]}}, "patch": {}},
        ),
        (  # other fields (grid cells): the whole view
            {"window": "b", "mode": "cells", "rows": []},
            {"view": {"window": "b", "mode": "cells", "rows": []}},
        ),
    ],
    ids=["same", "top-level", "patched", "new-key", "other-fields"],
)
def test_a_change_makes_the_other_view_from_the_base(other, expected):
    change = view_change(BASE, other)
    assert change == expected
    assert merged(BASE, change) == other


UPDATE = re.compile(r"TapalpaMap\.update\(map_div, (\{.*\})\);", re.S)


def sent_view(calls: list[dict]) -> dict:
    (match,) = UPDATE.findall(calls[-1]["feature_group"])
    return json.loads(match)


def test_each_neighbour_is_the_view_the_page_sends_for_that_window(monkeypatch):
    calls: list[dict] = []
    real = map_component.MAP_COMPONENT
    monkeypatch.setattr(map_component, "MAP_COMPONENT", lambda **kw: calls.append(kw) or real(**kw))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    slider = at.select_slider(key=state.WINDOW)
    start, end = slider.value
    first = sent_view(calls)
    following = first.pop("next")
    low, high = (naive(t) for t in data_window(load_bundle().incidents))
    stops = slider_hours(low, high, window_step(low, high))
    at_start, at_end = stops.index(start), stops.index(end)
    expected = {
        f"{a},{b}"
        for a, b in [(at_start - 1, at_end), (at_start + 1, at_end)]
        + [(at_start, at_end - 1), (at_start, at_end + 1)]
        if 0 <= a < b < len(stops)
    }
    assert set(following) == expected and len(expected) >= 3
    assert len(json.dumps(following)) < 4 * len(json.dumps(first))  # changes, not views
    for key, change in sorted(following.items()):
        a, b = map(int, key.split(","))
        at.select_slider(key=state.WINDOW).set_value((stops[a], stops[b])).run()
        assert not at.exception, at.exception
        sent = sent_view(calls)
        sent.pop("next", None)
        assert merged(first, change) == sent, key
        at.select_slider(key=state.WINDOW).set_value((start, end)).run()
