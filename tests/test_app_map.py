"""The page's side of the map (AppTest): one base map per session, focus requests, clicks."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import APP


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_first_view_is_fixed_for_the_session(app):
    """The base map must not change when the view does (it would be rebuilt on screen)."""
    assert app.session_state["map_first_view"] == {}  # no link: fit Mexico
    app.checkbox(key="all_states").uncheck().run()
    app.multiselect(key="states").select("Jalisco").run()
    assert not app.exception
    assert app.session_state["map_first_view"] == {}


def test_a_link_to_a_state_opens_the_map_on_it():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["states"] = "JAL"
    at.run()
    assert at.session_state["map_first_view"] == {"states": ["14"]}


COSTCO = "jal-pv-costco"


@pytest.mark.parametrize(
    ("choices", "requests"),
    [
        ([COSTCO], [(COSTCO, 1)]),
        ([COSTCO, COSTCO], [(COSTCO, 1), (COSTCO, 1)]),
        ([COSTCO, "ags-asientos"], [(COSTCO, 1), ("ags-asientos", 2)]),
        # cleared by the table, then the same record chosen again: the map pans again
        (
            [COSTCO, None, COSTCO],
            [(COSTCO, 1), (None, 1), (COSTCO, 2)],
        ),
    ],
)
def test_focus_requests_pan_once_per_choice(app, choices, requests):
    for choice, expected in zip(choices, requests, strict=True):
        app.session_state["focus_incident"] = choice
        app.run()
        assert not app.exception
        assert app.session_state["map_focus_request"] == expected
