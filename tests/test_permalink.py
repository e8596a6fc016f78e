"""View spec <-> query string: round trips, and bad links dropped with a notice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.filters import ViewSpec
from dashboard.mexico import MEXICO_CITY, STATES
from dashboard.permalink import PageView, parse_params, parse_query, to_params, to_query
from dashboard.schema import EVENT_TYPES, MAP_LAYERS

DATA_START = datetime(2026, 2, 21, 23, tzinfo=MEXICO_CITY)
DATA_END = datetime(2026, 3, 3, tzinfo=MEXICO_CITY)
BOUNDS = {"data_start": DATA_START, "data_end": DATA_END}
DEFAULT = (datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY))
HOURS = int((DATA_END - DATA_START) / timedelta(hours=1))

codes = [s.cve_ent for s in STATES]


@st.composite
def page_views(draw):
    first = draw(st.integers(0, HOURS - 1))
    last = draw(st.integers(first + 1, HOURS))
    states = draw(st.none() | st.frozensets(st.sampled_from(codes)))
    types = draw(
        st.none()
        | st.frozensets(st.sampled_from(list(EVENT_TYPES))).filter(
            lambda t: t != frozenset(EVENT_TYPES)
        )
    )
    layers = draw(st.frozensets(st.sampled_from(MAP_LAYERS)))
    center = draw(
        st.none()
        | st.tuples(
            st.floats(14, 33).map(lambda v: round(v, 4)),
            st.floats(-118, -86).map(lambda v: round(v, 4)),
        )
    )
    return PageView(
        ViewSpec(
            DATA_START + timedelta(hours=first),
            DATA_START + timedelta(hours=last),
            states=states,
            event_types=types,
        ),
        layers=layers,
        center=center,
        zoom=draw(st.none() | st.integers(4, 13)),
        embed=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(page_views())
def test_round_trip(page):
    link = parse_query(to_query(page, "abc"), version="abc", **BOUNDS)
    assert link.notices == []
    assert link.page_view(DEFAULT) == page


def test_query_is_short_and_readable():
    page = PageView(
        ViewSpec(*DEFAULT, states=frozenset({"14", "16"}), event_types=frozenset({"blockade"}))
    )
    assert to_params(page, "v1") == {
        "from": "2026-02-22T00:00",
        "to": "2026-02-24T00:00",
        "states": "JAL,MIC",
        "types": "blockade",
        "v": "v1",
    }
    assert (
        to_query(page) == "from=2026-02-22T00:00&to=2026-02-24T00:00&states=JAL,MIC&types=blockade"
    )


def test_empty_selections_survive_the_round_trip():
    page = PageView(ViewSpec(*DEFAULT, states=frozenset(), event_types=frozenset()))
    params = to_params(page)
    assert params["states"] == "none" and params["types"] == "none"
    assert parse_params(params, **BOUNDS).page_view(DEFAULT) == page


@pytest.mark.parametrize(
    ("params", "notice", "check"),
    [
        ({"from": "yesterday"}, "unreadable time window", lambda link: link.window is None),
        (
            {"from": "2026-02-23T00:00", "to": "2026-02-22T00:00"},
            "ends before",
            lambda link: link.window is None,
        ),
        (
            {"from": "2025-01-01T00:00", "to": "2025-01-02T00:00"},
            "outside the data",
            lambda link: link.window is None,
        ),
        (
            {"from": "2026-02-20T00:00", "to": "2026-02-23T00:00"},
            "trimmed",
            lambda link: link.window == (DATA_START, datetime(2026, 2, 23, tzinfo=MEXICO_CITY)),
        ),
        ({"states": "JAL,XYZ"}, "unknown state code: “XYZ”", lambda link: link.states == {"14"}),
        ({"states": "XYZ"}, "unknown state", lambda link: link.states is None),
        (
            {"types": "blockade,parade"},
            "unknown event type: “parade”",
            lambda link: link.types == {"blockade"},
        ),
        (
            {"layers": "states,satellite"},
            "unknown map layer: “satellite”",
            lambda link: link.layers == {"states"},
        ),
        ({"lat": "north", "lon": "-100"}, "map centre", lambda link: link.center is None),
        ({"lat": "95", "lon": "-100"}, "map centre", lambda link: link.center is None),
        ({"zoom": "99"}, "map zoom", lambda link: link.zoom is None),
        ({"v": "old"}, "data has been updated", lambda link: link.stale),
        ({"utm_source": "x"}, "unknown link parameter: “utm_source”", lambda link: True),
        ({"from": "<script>"}, "unreadable time window", lambda link: link.window is None),
    ],
)
def test_bad_or_stale_parameters_are_dropped_with_a_notice(params, notice, check):
    link = parse_params(params, version="new", **BOUNDS)
    assert any(notice in n for n in link.notices), link.notices
    assert check(link)
    link.page_view(DEFAULT)  # whatever was kept still makes a valid view


def test_repeated_parameters_take_the_last():
    link = parse_params({"states": ["JAL", "MIC"]}, **BOUNDS)
    assert link.states == {"16"}


def test_offsets_are_honoured():
    link = parse_params({"from": "2026-02-22T08:00-08:00", "to": "2026-02-23T00:00"}, **BOUNDS)
    assert link.window[0] == datetime(2026, 2, 22, 10, tzinfo=MEXICO_CITY)
