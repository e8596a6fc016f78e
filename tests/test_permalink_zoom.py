"""The map's zoom in links: quarter steps survive a link (zoomSnap 0.25), whole-number links
made before keep working, and anything else is dropped with a notice."""

from __future__ import annotations

from datetime import datetime

import pytest

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import (
    LEGACY_SCREEN,
    PageView,
    format_zoom,
    map_view,
    parse_query,
    parse_zoom,
    to_params,
)
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.schema import MAP_ZOOM_RANGE

BOUNDS = {
    "data_start": datetime(2026, 2, 22, tzinfo=MEXICO_CITY),
    "data_end": datetime(2026, 2, 25, tzinfo=MEXICO_CITY),
}


@pytest.mark.parametrize(
    ("zoom", "text"),
    [
        (5.5, "5.5"),
        (5.25, "5.25"),
        (5.75, "5.75"),
        (6, "6"),
        (6.0, "6"),
        (13, "13"),
        (5.123456, "5.12"),  # a zoom mid-animation: two decimals are enough
        (7.999, "8"),
    ],
)
def test_format_zoom_keeps_quarter_steps(zoom, text):
    assert format_zoom(zoom) == text


@pytest.mark.parametrize(
    ("text", "zoom"),
    [
        ("5.5", 5.5),
        ("5.25", 5.25),
        (" 7.75 ", 7.75),
        ("6", 6),  # an old link: whole levels stay valid
        ("06", 6),
        ("4", MAP_ZOOM_RANGE[0]),
        ("13", MAP_ZOOM_RANGE[1]),
        ("5.123", 5.12),
        ("3.75", None),  # below the map's range
        ("13.25", None),  # above it
        ("999", None),
        ("abc", None),
        ("", None),
        ("nan", None),
        ("inf", None),
        ("5,5", None),  # a decimal comma is not a number in a URL
        (None, None),
    ],
)
def test_parse_zoom(text, zoom):
    assert parse_zoom(text) == zoom


@pytest.mark.parametrize("zoom", [4, 4.25, 5.5, 6, 8.75, 12.5, 13])
def test_a_link_restores_the_exact_zoom(zoom):
    page = PageView(
        ViewSpec(*BOUNDS.values()), center=(20.3, -103.0), zoom=zoom, screen=LEGACY_SCREEN
    )
    params = to_params(page)
    link = parse_query("&".join(f"{k}={v}" for k, v in params.items()), **BOUNDS)
    assert link.notices == []
    assert link.zoom == zoom
    assert link.page_view(tuple(BOUNDS.values())) == page


@pytest.mark.parametrize("text", ["5.5", "6", "12.75"])
def test_a_quarter_zoom_link_gives_no_notice(text):
    link = parse_query(f"lat=20.3&lon=-103&zoom={text}", **BOUNDS)
    assert (link.zoom, link.notices) == (float(text), [])


@pytest.mark.parametrize(
    ("text", "kind", "spanish"),
    [
        ("999", "a map zoom out of range,", "un acercamiento del mapa fuera de rango,"),
        ("3", "a map zoom out of range,", "un acercamiento del mapa fuera de rango,"),
        ("-1.5", "a map zoom out of range,", "un acercamiento del mapa fuera de rango,"),
        ("abc", "an unreadable map zoom", "un acercamiento del mapa que no se pudo leer,"),
        ("nan", "an unreadable map zoom", "un acercamiento del mapa que no se pudo leer,"),
    ],
)
def test_a_bad_zoom_is_dropped_with_a_notice(text, kind, spanish):
    """Tester 10 #18: zoom=99 was read, it is out of range, not unreadable."""
    link = parse_query(f"zoom={text}", **BOUNDS)
    assert link.zoom is None
    assert link.notices == [f"Ignored {kind} “{text}” (use 4 to 13)."]
    spanish_link = parse_query(f"zoom={text}&lang=es", **BOUNDS)
    assert spanish_link.notices == [f"Se ignoró {spanish} “{text}” (usa un valor de 4 a 13)."]


@pytest.mark.parametrize(
    ("params", "view"),
    [
        ({"lat": "20.3000", "lon": "-103.0000", "zoom": "5.5"}, ((20.3, -103.0), 5.5)),
        ({"lat": "20.3", "lon": "-103", "zoom": "8"}, ((20.3, -103.0), 8)),
        ({"lat": ["1", "20.3"], "lon": "-103", "zoom": "6.25"}, ((20.3, -103.0), 6.25)),
        ({"lat": "20.3", "lon": "-103"}, None),  # no zoom
        ({"lat": "20.3", "zoom": "6"}, None),  # no longitude
        ({"lat": "abc", "lon": "-103", "zoom": "6"}, None),
        ({"lat": "95", "lon": "-103", "zoom": "6"}, None),
        ({"lat": "20.3", "lon": "-103", "zoom": "999"}, None),
        ({}, None),
    ],
)
def test_map_view_of_an_address(params, view):
    assert map_view(params) == view
