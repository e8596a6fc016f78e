"""The map's size in links (`size=WIDTHxHEIGHT`, CSS px): the size the editor's map had
when its centre and zoom were taken, so a smaller map (an embed in a phone's article
column) can keep that region in view. It round-trips, goes only with a centre, and a
bad one is dropped with a notice."""

from __future__ import annotations

from datetime import datetime

import pytest

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView, parse_query, parse_size, to_params
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.mapview import first_view

BOUNDS = {
    "data_start": datetime(2026, 2, 22, tzinfo=MEXICO_CITY),
    "data_end": datetime(2026, 2, 25, tzinfo=MEXICO_CITY),
}
VIEW = ViewSpec(*BOUNDS.values())


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("1100x560", (1100, 560)),
        ("358X520", (358, 520)),
        (" 700 x 600 ", (700, 600)),
        ("100x10000", (100, 10_000)),
        ("99x560", None),  # below 100 px
        ("1100x10001", None),  # above 10,000 px
        ("1100", None),
        ("1100x", None),
        ("-1100x560", None),
        ("1100.5x560", None),
        ("axb", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_size(text, size):
    assert parse_size(text) == size


def test_a_link_restores_the_size_with_the_centre():
    page = PageView(VIEW, center=(19.9, -103.1), zoom=7.25, screen=(1100, 560))
    params = to_params(page)
    assert params["size"] == "1100x560"
    link = parse_query("&".join(f"{k}={v}" for k, v in params.items()), **BOUNDS)
    assert link.notices == []
    assert link.page_view(tuple(BOUNDS.values())) == page


def test_no_size_without_a_centre():
    assert "size" not in to_params(PageView(VIEW, screen=(1100, 560)))


@pytest.mark.parametrize("text", ["99x560", "wide", "1100x"])
def test_a_bad_size_is_dropped_with_a_notice(text):
    link = parse_query(f"lat=19.9&lon=-103.1&zoom=7&size={text}", **BOUNDS)
    assert link.screen is None and link.zoom == 7
    assert link.notices == [
        f"Ignored an unreadable map size “{text}” (use WIDTHxHEIGHT in pixels, 100 to 10000)."
    ]


def test_the_first_view_carries_the_size_to_the_map():
    assert first_view(VIEW, (19.9, -103.1), 7.25, screen=(1100, 560)) == {
        "center": [19.9, -103.1],
        "zoom": 7.25,
        "screen": [1100, 560],
    }
    assert first_view(VIEW, (19.9, -103.1), 7.25) == {"center": [19.9, -103.1], "zoom": 7.25}


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # links shared before size= existed: read as made on the live page's default
        # desktop map (LEGACY_SCREEN), so a narrower map keeps that region in view
        # (tests/test_browser_old_links.py at 390 px)
        (
            "lat=19.9&lon=-103.1&zoom=7.25",
            {"center": [19.9, -103.1], "zoom": 7.25, "screen": [1100, 560]},
        ),
        (
            "lat=19.9&lon=-103.1&zoom=7",
            {"center": [19.9, -103.1], "zoom": 7, "screen": [1100, 560]},
        ),
        ("states=JAL,MIC", {"states": ["14", "16"]}),
        ("from=2026-02-22T18:00&to=2026-02-23T06:00", {}),
    ],
)
def test_an_old_link_without_a_size_opens_where_it_says(bundle, query, first):
    link = parse_query(query, **BOUNDS)
    assert link.notices == []
    page = link.page_view(tuple(BOUNDS.values()))
    first_seen = first_view(page.view, page.center, page.zoom, bundle.states_display, page.screen)
    assert first_seen == first
    # shared on with the size it was read at, only when it has a centre
    assert ("size" in to_params(page)) == ("screen" in first)
