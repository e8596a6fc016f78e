"""The page through Streamlit's AppTest: it runs, widgets change what is shown."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import ViewSpec, apply
from dashboard.join import state_at
from dashboard.mexico import MEXICO_CITY
from dashboard.stats import key_figures

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
DEFAULT = (datetime(2026, 2, 22), datetime(2026, 2, 24))


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def metrics(at) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


def expected(bundle, start, end, **filters) -> dict[str, int]:
    view = ViewSpec(start.replace(tzinfo=MEXICO_CITY), end.replace(tzinfo=MEXICO_CITY), **filters)
    figures = key_figures(apply(view, bundle.incidents))
    return {
        "Incidents": figures.incidents,
        "Blockades located": figures.blockades,
        "States affected": figures.states_affected,
        "Fatalities": figures.fatalities,
        "Arrests": figures.arrests,
    }


def test_default_view_matches_the_core(app, bundle):
    assert app.slider(key="window").value == DEFAULT
    assert metrics(app) == expected(bundle, *DEFAULT)
    assert app.title[0].value.startswith("After the Tapalpa raid")
    assert len(app.get("component_instance")) == 1  # the map
    table = app.dataframe[0].value
    assert len(table) == 32


def test_moving_the_start_past_the_first_blockades_changes_the_figures(app, bundle):
    later = (datetime(2026, 2, 22, 12), DEFAULT[1])
    app.slider(key="window").set_value(later).run()
    assert not app.exception
    assert metrics(app) == expected(bundle, *later)
    assert metrics(app) != expected(bundle, *DEFAULT)


def test_selecting_jalisco_limits_the_table(app, bundle):
    app.checkbox(key="all_states").uncheck().run()
    app.multiselect(key="states").set_value(["Jalisco"]).run()
    assert not app.exception
    assert app.dataframe[0].value["state"].tolist() == ["Jalisco"]
    assert metrics(app) == expected(bundle, *DEFAULT, states=frozenset({"14"}))


def test_selecting_no_state_shows_an_empty_state(app):
    app.checkbox(key="all_states").uncheck().run()
    assert not app.exception
    assert any("No state selected" in i.value for i in app.info)
    assert not app.metric and not app.get("component_instance")


def test_selecting_no_event_type_shows_an_empty_state(app):
    app.multiselect(key="types").set_value([]).run()
    assert not app.exception
    assert any("No event type selected" in i.value for i in app.info)


def test_reset_brings_back_everything(app, bundle):
    app.checkbox(key="all_states").uncheck().run()
    app.multiselect(key="types").set_value(["Road blockade"]).run()
    app.button[0].click().run()
    assert app.checkbox(key="all_states").value is True
    assert metrics(app) == expected(bundle, *DEFAULT)


def test_only_statements_selected_says_so(app):
    app.multiselect(key="types").set_value(["Official statement"]).run()
    assert not app.exception
    assert any("No incidents match" in i.value for i in app.info)


def test_map_clicks_resolve_to_states(bundle):
    assert state_at(bundle.states, -103.35, 20.67) == "14"
    assert state_at(bundle.states, -110.0, 17.0) is None  # the Pacific
