"""The print style (dashboard/static/print.css) in a browser, printed as Chromium would
(`emulate_media(media="print")`): the page and the embed print the title, the window,
the key figures and the map with its whole legend; no sidebar, widget, button or
Streamlit header, and none of the map's own controls."""

from __future__ import annotations

import pytest

from dashboard.web.state import INCIDENT_TABLE_OPEN, SHARE_OPEN
from tests.conftest import open_section, settled_map, wait_for_app_run

pytestmark = pytest.mark.browser

NIGHT = "from=2026-02-22T18:00&to=2026-02-23T06:00&states=JAL,MIC"

# Whether each selector's elements are drawn (a box of some size) in the document.
SHOWN = """(selectors) => Object.fromEntries(selectors.map(s => [s,
  [...document.querySelectorAll(s)].some(e => {
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })]))"""
CONTROLS = [
    "[data-testid='stSidebar']",
    "[data-testid='stHeader']",
    "[data-testid='stToolbar']",
    "[data-testid='stSlider']",
    "[data-testid='stButton']",
    "[data-testid='stExpander']",
    ".tim-open-filters",
]
MAP_CONTROLS = [
    ".leaflet-control-zoom",
    ".leaflet-control-layers",
    ".tim-play",
    ".tim-legend-toggle",
    ".tim-chip-x",
    # The state filter's chips: the title names the states (in the embed they printed
    # half under the legend, tester 11e #13).
    ".tim-filter",
]
MAP_CONTENT = [
    ".tim-legend-body",
    ".tim-types li",
    ".leaflet-container",
    ".leaflet-overlay-pane > *",
]


def printed(browser, server, width: int, query: str):
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale="es-MX")
    page = context.new_page()
    page.goto(f"{server}/?{query}&lang=es")
    frame = settled_map(page)
    wait_for_app_run(page)
    return context, page, frame


@pytest.mark.parametrize("width", [1400, 390])
def test_the_page_prints_map_legend_title_and_figures_without_controls(browser, server, width):
    context, page, frame = printed(browser, server, width, NIGHT)
    try:
        screen = page.evaluate(SHOWN, CONTROLS)
        assert screen["[data-testid='stSlider']"] and screen["[data-testid='stExpander']"]
        assert screen[".tim-open-filters"]
        assert frame.evaluate(SHOWN, [".tim-chip-x"])[".tim-chip-x"]  # on screen, the chips' ×
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        assert page.evaluate(SHOWN, CONTROLS) == dict.fromkeys(CONTROLS, False)
        content = page.evaluate(
            SHOWN,
            [
                "h1",
                "[data-testid='stMetric']",
                "iframe[title]",
                "[data-testid='stCaptionContainer']",
            ],
        )
        assert all(content.values()), content
        assert "22 feb" in page.locator("[data-testid='stMain']").inner_text()  # the window
        assert frame.evaluate(SHOWN, MAP_CONTROLS) == dict.fromkeys(MAP_CONTROLS, False)
        assert all(frame.evaluate(SHOWN, MAP_CONTENT).values())
        # the whole legend: its body not capped to scroll
        assert frame.evaluate(
            "() => { const b = document.querySelector('.tim-legend-body');"
            " return b.scrollHeight <= b.clientHeight + 1; }"
        )
        page.emulate_media(media="screen")  # back on screen, the controls return
        assert page.evaluate(SHOWN, ["[data-testid='stSlider']"])["[data-testid='stSlider']"]
    finally:
        context.close()


GRID = "[data-testid='stDataFrame']"
NOTE = ".st-key-tapalpa-print-note"


def test_the_incident_grid_is_left_out_of_print_and_a_sentence_says_where_the_list_is(
    browser, server
):
    """Tester 9, finding 13: the canvas grid printed only its scroll window (about 10 of
    64 rows). On paper it is left out and a sentence names where the whole list is; on
    screen it is the other way round."""
    context, page, _ = printed(browser, server, 1400, NIGHT)
    try:
        open_section(page, INCIDENT_TABLE_OPEN)  # the grid's section starts closed
        page.locator(GRID).first.wait_for(timeout=30_000)
        grid = ".st-key-tapalpa-incident-grid " + GRID
        assert page.evaluate(SHOWN, [grid, NOTE]) == {grid: True, NOTE: False}
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        assert page.evaluate(SHOWN, [grid, NOTE]) == {grid: False, NOTE: True}
        note = page.locator(NOTE).inner_text()
        assert "no se imprime" in note and "CSV" in note
        page.emulate_media(media="screen")
        assert page.evaluate(SHOWN, [grid, NOTE]) == {grid: True, NOTE: False}
    finally:
        context.close()


def test_the_embed_prints_its_map_and_legend_without_controls(browser, server):
    context, page, frame = printed(browser, server, 390, f"embed=true&{NIGHT}")
    try:
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        assert page.evaluate(SHOWN, CONTROLS) == dict.fromkeys(CONTROLS, False)
        assert all(page.evaluate(SHOWN, [".tapalpa-embed-title", "iframe[title]"]).values())
        assert frame.evaluate(SHOWN, MAP_CONTROLS) == dict.fromkeys(MAP_CONTROLS, False)
        assert all(frame.evaluate(SHOWN, MAP_CONTENT).values())
    finally:
        context.close()


SHARE_FIELDS = "[data-testid='stTextArea'], [data-testid='stTextInput'], [data-testid='stCode']"


def test_an_open_share_panel_does_not_print(browser, server):
    """Printing the live page with the share panel open (its link, snippets and copy
    buttons shown) prints the map and its legend, not the panel: a sheet is no place for
    a snippet (issue 23: printing clipped the legend and printed the controls)."""
    context, page, frame = printed(browser, server, 1400, NIGHT)
    try:
        open_section(page, SHARE_OPEN)
        panel = f".st-key-{SHARE_OPEN}"
        page.locator(f"{panel} [data-testid='stTextArea']").first.wait_for(timeout=30_000)
        assert page.evaluate(SHOWN, [SHARE_FIELDS, panel]) == {SHARE_FIELDS: True, panel: True}
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        hidden = [SHARE_FIELDS, panel, *CONTROLS]
        assert page.evaluate(SHOWN, hidden) == dict.fromkeys(hidden, False)
        assert all(page.evaluate(SHOWN, ["h1", "iframe[title]"]).values())
        assert all(frame.evaluate(SHOWN, MAP_CONTENT).values())  # the map and its legend
    finally:
        context.close()
