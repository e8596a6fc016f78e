"""Snapshots of the reader's view: with a centre and zoom the HTML opens there and the PNG
shows that area (Web Mercator, at the PNG's map box size); without them, as before."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime

import pytest

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.snapshot import (
    MAP_BOX,
    html_document,
    map_extent,
    png_figure,
    view_extent,
)

VIEW = ViewSpec(
    datetime(2026, 2, 22, 6, tzinfo=MEXICO_CITY), datetime(2026, 2, 23, tzinfo=MEXICO_CITY)
)
JALISCO_MICHOACAN = frozenset({"14", "16"})


def mercator_y(lat: float) -> float:
    """Web Mercator y of a latitude, in units of the world's width (0 at the equator)."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


@pytest.mark.parametrize(
    ("center", "zoom", "size", "expected"),
    [
        # The whole Web Mercator world is one 256-pixel tile at zoom 0 ...
        ((0, 0), 0, (256, 256), (-180, 180, -85.0511, 85.0511)),
        # ... four at zoom 1: a 256-pixel box shows a quarter of the world's width.
        ((0, 0), 1, (256, 256), (-90, 90, -66.5133, 66.5133)),
        ((0, 0), 1, (512, 256), (-180, 180, -66.5133, 66.5133)),
        # A box taller than the world stops at its edges; longitudes are not wrapped.
        ((0, 0), 0, (512, 512), (-360, 360, -85.0511, 85.0511)),
        # zoom 2.5 is 2**2.5 tiles wide: 256 pixels span 360 / 2**2.5 degrees (and one
        # pixel at the equator 360 / 256 / 2**2.5 = 0.2486 degrees of latitude too).
        ((0, 10), 2.5, (256, 1), (10 - 31.8198, 10 + 31.8198, -0.1243, 0.1243)),
    ],
)
def test_view_extent_reference_values(center, zoom, size, expected):
    got = view_extent(center, zoom, *size)
    assert got == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(
    ("center", "zoom", "size"),
    [
        ((20.3, -103.0), 5.5, (1600, 1000)),
        ((20.3, -103.0), 8, (800, 500)),
        ((19.43, -99.13), 12.25, (1200, 1200)),
        ((28.0, -106.0), 4, (2000, 1500)),
    ],
)
def test_png_axis_limits_are_the_readers_view(bundle, center, zoom, size):
    page = PageView(VIEW, center=center, zoom=zoom)
    ax = png_figure(bundle, page, size)[0].axes[0]
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    box_width, box_height = MAP_BOX[2] * size[0], MAP_BOX[3] * size[1]
    world = 256 * 2**zoom  # pixels
    assert (west + east) / 2 == pytest.approx(center[1])
    assert (east - west) / 360 * world == pytest.approx(box_width, abs=1)
    y_centre = mercator_y(center[0])
    assert (mercator_y(north) - y_centre) * world == pytest.approx(box_height / 2, abs=1)
    assert (y_centre - mercator_y(south)) * world == pytest.approx(box_height / 2, abs=1)
    # The box keeps its shape (the aspect matches the extent), so nothing is cut off.
    position = ax.get_position(original=False)
    ax.apply_aspect()
    shown = ax.get_position(original=False)
    assert shown.width == pytest.approx(position.width, rel=0.01)
    assert shown.height == pytest.approx(position.height, rel=0.01)


@pytest.mark.parametrize(
    "page",
    [
        PageView(VIEW),
        PageView(ViewSpec(VIEW.start, VIEW.end, states=JALISCO_MICHOACAN)),
        PageView(VIEW, center=(20.3, -103.0)),  # a centre without a zoom: as before
        PageView(VIEW, zoom=5.5),
    ],
)
def test_png_without_centre_and_zoom_fits_the_states(bundle, page):
    limits = map_extent(bundle, page, 1600, 1000)
    ax = png_figure(bundle, page)[0].axes[0]
    assert (*ax.get_xlim(), *ax.get_ylim()) == pytest.approx(limits)
    states = bundle.states_display
    if page.view.states:
        states = states[states["cve_ent"].isin(page.view.states)]
    west, south, east, north = states.total_bounds
    assert limits[0] < west and limits[1] > east and limits[2] < south and limits[3] > north


def initial_view(html: str) -> dict:
    """The first view the snapshot's map opens on: TapalpaMap.init's config `initial`."""
    match = re.search(r"TapalpaMap\.init\([^,]+, (\{.*?\})\);\s*$", html, re.S | re.M)
    assert match, "no TapalpaMap.init in the snapshot"
    return json.loads(match.group(1))["initial"]


@pytest.mark.parametrize(
    ("page", "initial"),
    [
        (
            PageView(
                ViewSpec(VIEW.start, VIEW.end, states=JALISCO_MICHOACAN),
                center=(20.3, -103.0),
                zoom=5.5,
            ),
            {"center": [20.3, -103.0], "zoom": 5.5},
        ),
        (
            PageView(VIEW, center=(19.43, -99.13), zoom=12.25),
            {"center": [19.43, -99.13], "zoom": 12.25},
        ),
        (PageView(VIEW, center=(20.3, -103.0), zoom=6), {"center": [20.3, -103.0], "zoom": 6}),
        (
            PageView(ViewSpec(VIEW.start, VIEW.end, states=JALISCO_MICHOACAN)),
            {"states": ["14", "16"]},
        ),
        (PageView(VIEW), {}),
    ],
)
def test_html_opens_on_the_readers_view(bundle, page, initial):
    assert initial_view(html_document(bundle, page)) == initial
