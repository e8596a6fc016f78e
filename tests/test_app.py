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


def app_with(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_permalink_restores_the_view(bundle):
    at = app_with(
        {
            "from": "2026-02-22T06:00",
            "to": "2026-02-23T00:00",
            "states": "JAL,MIC",
            "types": "blockade,vehicle_arson",
            "layers": "states,incidents",
            "v": bundle.version,
        }
    )
    assert at.slider(key="window").value == (datetime(2026, 2, 22, 6), datetime(2026, 2, 23))
    assert at.checkbox(key="all_states").value is False
    assert at.multiselect(key="states").value == ["Jalisco", "Michoacán"]
    assert at.multiselect(key="types").value == ["Road blockade", "Vehicle burning"]
    assert at.multiselect(key="layers").value == ["States", "Incidents"]
    assert not at.warning
    assert metrics(at) == expected(
        bundle,
        datetime(2026, 2, 22, 6),
        datetime(2026, 2, 23),
        states=frozenset({"14", "16"}),
        event_types=frozenset({"blockade", "vehicle_arson"}),
    )
    assert at.query_params["states"] == "JAL,MIC"


def test_the_address_follows_every_change(app):
    app.checkbox(key="all_states").uncheck().run()
    app.multiselect(key="states").set_value(["Jalisco"]).run()
    assert app.query_params["states"] == "JAL"
    assert app.query_params["from"] == "2026-02-22T00:00"
    app.slider(key="window").set_value((datetime(2026, 2, 22, 12), DEFAULT[1])).run()
    assert app.query_params["from"] == "2026-02-22T12:00"


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"from": "garbage", "states": "ZZZ"}, "unknown state"),
        ({"from": "2031-01-01T00:00", "to": "2031-01-02T00:00"}, "outside the data"),
        ({"v": "0000000000"}, "data has been updated"),
        ({"zoom": "<b>"}, "map zoom"),
    ],
)
def test_garbage_links_show_a_notice_not_an_error(bundle, params, notice):
    at = app_with(params)
    assert any(notice in w.value for w in at.warning), [w.value for w in at.warning]
    assert metrics(at) == expected(bundle, *DEFAULT)


def test_share_panel_offers_link_embed_and_downloads(app):
    texts = [t.value for t in (*app.text_input, *app.text_area)]
    assert not app.code  # st.code would load a 1.5 MB syntax highlighter on the first view
    assert any("?from=2026-02-22T00:00" in t for t in texts)
    assert any("<iframe" in t and "embed=true" in t for t in texts)
    assert any(t.startswith("Between 22 Feb 00:00") for t in texts)
    assert any("python -m dashboard publish" in c.value for c in app.caption)
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels[:2] == ["Download PNG (1600×1000)", "Download interactive HTML"]
    assert labels[2].startswith("Download the ") and labels[2].endswith(
        "records in this view (CSV)"
    )


def test_share_panel_offers_the_static_copy_when_one_is_published(monkeypatch):
    monkeypatch.setenv("TAPALPA_PUBLISHED_URL", "https://static.example.org/tapalpa")
    at = app_with({"states": "JAL"})
    static = [t.value for t in at.text_area if t.label.startswith("Or embed the static copy")]
    assert len(static) == 1
    assert static[0].startswith('<iframe src="https://static.example.org/tapalpa/states/jal.html"')
    assert any("heavy traffic" in c.value for c in at.caption)


def test_an_uploaded_file_gets_a_row_by_row_report_and_can_be_shown(app):
    from tests.conftest import incident_row, to_csv

    content = to_csv(
        [
            incident_row(),
            incident_row(incident_id="t2", start="2026-02-22T10:00"),
            incident_row(incident_id="t3", latitude="nan"),
            incident_row(incident_id="t4", latitude="26.0508", longitude="-98.2979", cve_ent="28"),
        ]
    )
    app.file_uploader(key="upload").set_value(("mine.csv", content, "text/csv")).run()
    assert not app.exception
    assert any("2 valid row(s), 2 error(s)" in e.label for e in app.expander)
    report = app.dataframe[0].value
    assert report[["row", "field"]].values.tolist() == [[2, "start"], [3, "latitude"]]
    assert metrics(app)["Incidents"] > 2  # still the bundled data
    app.checkbox(key="use_upload").check().run()
    assert not app.exception
    assert metrics(app) == {
        "Incidents": 2,
        "Blockades located": 2,
        "States affected": 2,
        "Fatalities": 0,
        "Arrests": 0,
    }


def test_an_unreadable_upload_is_reported_not_raised(app):
    app.file_uploader(key="upload").set_value(("bad.geojson", b"{nope", "application/json")).run()
    assert not app.exception
    assert any("0 valid row(s), 1 error(s)" in e.label for e in app.expander)
    app.checkbox(key="use_upload").check().run()
    assert not app.exception
    assert metrics(app)["Incidents"] > 0  # nothing valid to show: the bundled data stays
