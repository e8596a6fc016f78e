"""The sections under the map that start closed (dashboard.web.state.LAZY_SECTIONS): a closed
section sends none of its contents, an open one sends them, and an open section stays
open when the window moves (AppTest; the browser side is in tests/test_browser.py); and
the names of the files the share and download sections offer."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.share import download_stem
from dashboard.web.state import LAZY_SECTIONS, OPENED_SECTIONS
from tests.conftest import open_sections
from tests.test_app import APP


def svg_charts(at: AppTest) -> int:
    return sum(m.value.startswith("<svg") for m in at.markdown)


def downloads(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


# What each section shows when open, as a test on the page: (key, label, shown).
LOG_DATE = r"- \*\*\w{3} \d{1,2} \w{3} 2026\*\* · "  # "- **Mon 7 Dec 2026** · …" (Babel)
SECTIONS = [
    ("hourly_open", "Hour by hour", lambda at: svg_charts(at) == 3),  # + the state chart
    (
        "share_open",
        "Share, embed or download this view",
        lambda at: any(t.label.startswith("Alt text") for t in at.text_area),
    ),
    (
        "downloads_open",
        "Download the data of this view (GeoJSON, GeoParquet, CSV, data package)",
        lambda at: any(label.startswith("GeoJSON") for label in downloads(at)),
    ),
    (
        "state_level_open",
        "Reports known only to their state (not placed on the map)",
        lambda at: any(re.match(r"\*\*[^*]+\*\* · ", m.value) for m in at.markdown),
    ),
    (
        "log_open",
        "The log's ",
        lambda at: any(re.match(LOG_DATE, m.value) for m in at.markdown),
    ),
    (
        "tables_open",
        "Per municipality, per day and per week",
        lambda at: "Per-municipality table (CSV)" in downloads(at),
    ),
    (
        "incident_table_open",
        "Table of the incidents in view",
        lambda at: any("summary" in d.value.columns for d in at.dataframe),
    ),
    (
        "state_table_open",
        "Table per state",
        lambda at: any("official_source" in d.value.columns for d in at.dataframe),
    ),
]


SECTIONS_BY_KEY = {key: (label, shown) for key, label, shown in SECTIONS}


@pytest.fixture(scope="module")
def closed() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_every_closed_section_is_listed_and_tested():
    assert {key for key, _, _ in SECTIONS} == set(LAZY_SECTIONS)


@pytest.mark.parametrize(("key", "label", "shown"), SECTIONS, ids=[s[0] for s in SECTIONS])
def test_a_closed_section_sends_only_its_label(closed, key, label, shown):
    assert any(e.label.startswith(label) for e in closed.expander)
    assert closed.session_state[key] is False
    assert not shown(closed)


def test_closed_sections_send_no_contents(closed):
    assert svg_charts(closed) == 1  # the per-state chart, which is not in a section
    assert not downloads(closed)
    assert not closed.text_area
    assert not closed.dataframe  # no data grid on the first view (its code is not loaded)


@pytest.mark.parametrize(("key", "label", "shown"), SECTIONS, ids=[s[0] for s in SECTIONS])
def test_an_open_section_shows_its_contents(key, label, shown):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[OPENED_SECTIONS] = {key}  # as the expander's on_change leaves it
    at.run()
    assert not at.exception, at.exception
    assert shown(at)
    # ...and only its own: the other sections stay closed
    others = [s for k, _, s in SECTIONS if k != key]
    assert not any(other(at) for other in others if other is not shown)


def test_the_data_section_offers_the_records_csv():
    """Tester 10's #16: the section titled "… CSV …" has the view's records CSV (the
    share panel's, same file and counted label) first, beside the per-state table's."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[OPENED_SECTIONS] = {"downloads_open"}
    at.run()
    assert not at.exception, at.exception
    labels = downloads(at)
    assert re.fullmatch(r"Download the [\d,]+ records in this view \(CSV\)", labels[0]), labels
    assert labels[1:3] == ["GeoJSON (QGIS, web maps)", "GeoParquet (GeoPandas, R sf)"]
    assert "Per-state table (CSV)" in labels
    assert at.get("download_button")[0].proto.deferred_file_id  # built when pressed
    assert any(c.value.startswith("The CSV holds every record of this view") for c in at.caption)


def test_open_sections_stay_open_when_the_window_moves():
    """Their labels carry no counts: Streamlit names an expander by its label, so a label
    that changed with the window would close it at every move."""
    at = open_sections(AppTest.from_file(APP, default_timeout=60))
    at.run()
    before = downloads(at)
    at.select_slider(key="window").set_value(
        (datetime(2026, 2, 22, 6), datetime(2026, 2, 22, 18))
    ).run()
    assert not at.exception, at.exception
    assert all(at.session_state[key] is True for key in LAZY_SECTIONS)
    assert all(shown(at) for _, _, shown in SECTIONS)
    assert downloads(at) != before  # the record count in the CSV button's label moved


def test_sections_the_reader_opened_open_again_after_runs_without_them():
    """OPENED_SECTIONS (what the expanders' on_change leaves after the reader's clicks)
    opens a section again when Streamlit has forgotten its widget: after a run that did
    not draw it, and under a new label after a language switch."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[OPENED_SECTIONS] = {"state_level_open", "hourly_open"}
    at.run()
    label, listed = SECTIONS_BY_KEY["state_level_open"]
    assert listed(at) and svg_charts(at) == 3
    at.select_slider(key="window").set_value(
        (datetime(2026, 2, 25), datetime(2026, 2, 26))
    ).run()  # no state-level reports that day: the section is not drawn
    assert not any(e.label.startswith(label) for e in at.expander)
    at.select_slider(key="window").set_value((datetime(2026, 2, 22), datetime(2026, 2, 23))).run()
    assert listed(at) and svg_charts(at) == 3
    at.radio(key="lang").set_value("es").run()
    assert not at.exception, at.exception
    assert svg_charts(at) == 3 and listed(at)
    assert not downloads(at)  # never opened


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 2, day, hour, tzinfo=MEXICO_CITY)


@pytest.mark.parametrize(
    ("view", "stem"),
    [
        (ViewSpec(at(22), at(24)), "tapalpa-20260222-0000-20260224-0000"),
        (
            ViewSpec(at(22, 6), at(23), states=frozenset({"14", "16"})),
            "tapalpa-20260222-0600-20260223-0000-JAL-MIC",
        ),
        (
            ViewSpec(at(22), at(23), states=frozenset({"06", "11", "14", "16", "18"})),
            "tapalpa-20260222-0000-20260223-0000-5-states",
        ),
        (  # given in UTC: named in Mexico City time
            ViewSpec(datetime(2026, 2, 22, 12, tzinfo=UTC), datetime(2026, 2, 23, tzinfo=UTC)),
            "tapalpa-20260222-0600-20260222-1800",
        ),
    ],
)
def test_downloads_are_named_after_their_view(view, stem):
    """Two views' files do not share a name (window ends in Mexico City time, states)."""
    assert download_stem("tapalpa", PageView(view)) == stem
