"""Readers on phones and in the embed: popups, legend, replay status, key figures and the
table's toolbar fit their screen, and Leaflet's own controls speak the map's language.

Same server and browser fixtures as tests/test_browser.py (tests/conftest.py: Debian's
Chromium, every request outside the local server refused). Boxes are measured in the browser.
"""

from __future__ import annotations

import pytest

from dashboard.web.state import INCIDENT_TABLE_OPEN
from tests.conftest import (
    IFRAME,
    MAP_AT_REST,
    STILL,
    open_section,
    settled_map,
    wait_for_app_run,
)

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1400, "height": 1000}}

# Boxes relative to the map's container: [left, top, right, bottom].
BOXES = """() => {
  const origin = map.getContainer().getBoundingClientRect();
  const box = el => { const r = el.getBoundingClientRect();
    return [r.left - origin.left, r.top - origin.top,
            r.right - origin.left, r.bottom - origin.top]; };
  const controls = {};
  document.querySelectorAll('.leaflet-control-container .leaflet-control').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width && r.height) controls[el.className.split(' ')[0]] = box(el);
  });
  return {map: [0, 0, origin.width, origin.height], controls};
}"""


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(a, outer) -> bool:
    return (
        a[0] >= outer[0] - 0.5
        and a[1] >= outer[1] - 0.5
        and a[2] <= outer[2] + 0.5
        and (a[3] <= outer[3] + 0.5)
    )


def area(a) -> float:
    return max(0, a[2] - a[0]) * max(0, a[3] - a[1])


def test_phone_popup_fits_the_map_and_no_control_covers_it(open_page, server):
    """At 390×844 a record's popup (long Spanish text, four source links) is no wider than
    the 358 px map, wraps instead of clipping, and sits clear of the zoom buttons and every
    other control; Leaflet's buttons and the basemap credit are in Spanish."""
    page = open_page(f"{server}/?lang=es", **PHONE)
    frame = settled_map(page)
    frame.evaluate("() => { map._tim.focus('jal-pv-costco'); }")
    frame.wait_for_selector(".leaflet-popup-content")
    frame.wait_for_function(MAP_AT_REST)
    seen = frame.evaluate(BOXES)
    seen.update(
        frame.evaluate(
            """() => {
      const origin = map.getContainer().getBoundingClientRect();
      const r = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
      return {wrapper: [r.left - origin.left, r.top - origin.top, r.right - origin.left,
                        r.bottom - origin.top],
        overflow: [...document.querySelectorAll('.leaflet-popup-content, .leaflet-popup-content *')]
          .filter(e => getComputedStyle(e).display !== 'inline')
          .filter(e => e.scrollWidth > e.clientWidth + 1)
          .map(e => e.outerHTML.slice(0, 80))};
    }"""
        )
    )
    assert seen["map"][2] < 370  # a phone's map, narrower than a desktop popup
    assert inside(seen["wrapper"], seen["map"]), seen
    assert seen["overflow"] == []
    covering = {k: c for k, c in seen["controls"].items() if overlap(seen["wrapper"], c)}
    assert covering == {}, (seen["wrapper"], covering)
    # Leaflet's own strings, from the catalogue
    close = frame.locator(".leaflet-popup-close-button")
    assert close.get_attribute("aria-label") == "Cerrar ventana emergente"
    for selector, text in (
        (".leaflet-control-zoom-in", "Acercar"),
        (".leaflet-control-zoom-out", "Alejar"),
    ):
        button = frame.locator(selector)
        assert (button.get_attribute("title"), button.get_attribute("aria-label")) == (text, text)
    assert frame.locator(".leaflet-control-layers-toggle").get_attribute("title") == "Capas"
    credit = frame.locator(".leaflet-control-attribution").inner_text()
    assert "colaboradores de OpenStreetMap" in credit and "contributors" not in credit


@pytest.mark.parametrize("lang", ["es", "en"])
def test_phone_legend_leaves_the_map_and_the_replay_usable(open_page, server, lang):
    """On a phone the legend is open from the start (the map is 358 px wide), compact: at
    most a third of the map's area, whole (no scrolling), none of the replay control,
    whose button still takes a tap; during a replay the status text (several lines on a
    phone) never runs under the legend; its button closes it."""
    page = open_page(f"{server}/?lang={lang}", **PHONE)
    frame = settled_map(page)
    # A replay step: the status line appears under the replay control.
    frame.locator(".tim-play-range").fill("20")
    frame.wait_for_function(MAP_AT_REST)
    assert frame.locator(".tim-play-label").is_visible()
    opened = frame.evaluate(BOXES)
    legend, play = opened["controls"]["tim-legend"], opened["controls"]["tim-play"]
    assert not overlap(play, opened["controls"]["leaflet-control-attribution"]), opened
    assert frame.locator(".tim-legend-body").is_visible()
    assert area(legend) <= area(opened["map"]) / 3, (legend, opened["map"])
    assert not overlap(legend, play), opened
    for name, box in opened["controls"].items():
        if name != "tim-legend":
            assert not overlap(legend, box), (name, box, legend)
    frame.locator(".tim-play-button").click(trial=True, timeout=5_000)  # nothing on top
    frame.locator(".tim-play-all").click(trial=True, timeout=5_000)
    # Compact, the whole legend is on screen: nothing a scroll away.
    body = frame.locator(".tim-legend-body")
    assert body.evaluate("b => b.scrollHeight <= b.clientHeight + 1")
    frame.locator(".tim-legend-toggle").click()
    assert not body.is_visible()
    closed = frame.evaluate(BOXES)
    assert not overlap(closed["controls"]["tim-legend"], closed["controls"]["tim-play"])


NIGHT = "&from=2026-02-22T18%3A00-06%3A00&to=2026-02-23T06%3A00-06%3A00"
# The compact legend, measured in the map: its body's hidden overflow, the kinds the map
# draws and those the legend shows (their full names, the accessible text), the smallest
# text any of its visible elements sets, and the boxes of what it must not cover.
COMPACT = """() => {
  const origin = map.getContainer().getBoundingClientRect();
  const box = el => { const r = el.getBoundingClientRect();
    return [r.left - origin.left, r.top - origin.top,
            r.right - origin.left, r.bottom - origin.top]; };
  const tim = map._tim, legend = document.querySelector('.tim-legend');
  const body = legend.querySelector('.tim-legend-body');
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).clipPath === 'none';
  const drawn = [...new Set(tim.markers.map(m => tim.config.categories[m.cat].label))];
  const listed = [...legend.querySelectorAll('li[data-kind]')].filter(shown)
    .map(li => ({name: li.textContent, label: tim.config.categories[+li.dataset.kind].label}));
  const fonts = [...legend.querySelectorAll('*')].filter(e => shown(e)
      && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => parseFloat(getComputedStyle(e).fontSize));
  const chips = [...document.querySelectorAll('.tim-chip')].map(box);
  return {over: body.scrollHeight - body.clientHeight, hidden: body.hidden, drawn, listed,
    least: Math.min(...fonts), legend: box(legend), map: [0, 0, origin.width, origin.height],
    play: box(tim.play.box), chips, compact: legend.classList.contains('tim-compact'),
    zoom: box(map.zoomControl.getContainer())};
}"""


VIEWS = ["", "&states=JAL,MIC", "&states=JAL,MIC" + NIGHT]
HIDE = {"es": "Ocultar simbología", "en": "Hide legend"}


@pytest.mark.parametrize(
    ("width", "query", "lang"),
    [(width, query, "es") for width in (360, 390, 700) for query in VIEWS]
    + [(360, VIEWS[2], "en")],  # English names are no longer at the narrowest width
)
def test_embed_compact_legend_shows_every_drawn_kind_without_scrolling(
    open_page, server, width, query, lang
):
    """In an article column (?embed=true, 360-700 px) the legend is open from the start,
    a link on states too (issue 23: before, narrower than 520 px it started closed), as a
    key: its body has nothing hidden below a scroll, every kind the map draws has its
    entry on screen (named in full for screen readers), it keeps to the map's top band
    (no lower than the zoom buttons' bottom), covers neither the replay control nor a
    state filter's chip, and no text in it is under 11 px."""
    page = open_page(
        f"{server}/?embed=true&lang={lang}{query}",
        viewport={"width": width, "height": 900},
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    frame = settled_map(page)
    seen = frame.evaluate(COMPACT)
    assert seen["compact"] and not seen["hidden"], seen
    assert seen["over"] <= 1, seen
    assert seen["drawn"], seen
    assert sorted(e["label"] for e in seen["listed"]) == sorted(seen["drawn"]), seen
    for e in seen["listed"]:  # the full name is the entry's text (the short one is for the eye)
        assert e["name"].startswith(e["label"]), e
    assert area(seen["legend"]) <= area(seen["map"]) / 3, seen
    assert inside(seen["legend"], seen["map"]), seen
    assert seen["legend"][3] <= seen["zoom"][3] + 8, seen  # the top band
    assert not overlap(seen["legend"], seen["play"]), seen
    assert len(seen["chips"]) == (2 if "states" in query else 0), seen
    for chip in seen["chips"]:
        assert not overlap(seen["legend"], chip), (chip, seen["legend"])
    assert seen["least"] >= 11, seen
    for chip in frame.locator(".tim-chip").all():  # nothing on top of them
        chip.click(trial=True, timeout=5_000)
    frame.locator(".tim-play-button").click(trial=True, timeout=5_000)
    close = frame.get_by_role("button", name=HIDE[lang])
    assert close.get_attribute("aria-expanded") == "true"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_embed_legend_fits_and_never_covers_the_scale_or_credit(open_page, server, lang):
    """?embed=true at 1400×840 (the suggested iframe height): the open legend lies inside
    the map, clear of the scale bar and the basemap credit; where its body must scroll,
    the scroll bar is drawn (not an overlay that hides the cut) and its last line can be
    scrolled into view."""
    page = open_page(f"{server}/?embed=true&lang={lang}", viewport={"width": 1400, "height": 840})
    frame = settled_map(page)
    boxes = frame.evaluate(BOXES)
    controls = boxes["controls"]
    legend = controls["tim-legend"]
    assert inside(legend, boxes["map"]), boxes
    for name in ("leaflet-control-scale", "leaflet-control-attribution"):
        assert name in controls
        assert not overlap(legend, controls[name]), (name, controls[name], legend)
    body = frame.locator(".tim-legend-body")
    scroll = body.evaluate(
        """b => { const out = {over: b.scrollHeight - b.clientHeight,
                           bar: b.offsetWidth - b.clientWidth};
      b.scrollTop = b.scrollHeight;
      const last = b.lastElementChild.getBoundingClientRect(), r = b.getBoundingClientRect();
      out.lastShown = last.bottom <= r.bottom + 1; return out; }"""
    )
    if scroll["over"] > 0:
        assert scroll["bar"] >= 4, scroll
    assert scroll["lastShown"], scroll
    frame_box = page.locator(IFRAME).bounding_box()
    assert frame_box["y"] + frame_box["height"] <= 840  # the whole map in the iframe


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("width", [1400, 390])
def test_key_figure_labels_are_never_cut(open_page, server, lang, width):
    """Every key figure's label is shown whole, wrapped if need be: no element inside a
    label is wider than its box (Streamlit's own style ellipsises a long one: "Bloqueos en
    registros u…")."""
    options = PHONE if width == 390 else DESKTOP
    page = open_page(f"{server}/?lang={lang}", **options)
    page.wait_for_selector("[data-testid='stMetricLabel']", timeout=60_000)
    wait_for_app_run(page)  # every key figure drawn, the fonts loaded
    cut = page.evaluate(
        """() => [...document.querySelectorAll(
            '[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *')]
          .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""
    )
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert len(labels) >= 4
    assert cut == []


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("options", [PHONE, DESKTOP], ids=["390", "1400"])
def test_table_toolbar_never_covers_the_select_box(open_page, server, options, lang):
    """The incident table's hover toolbar (search, download, full screen) appears above
    the table: it stays clear of the list box above it, chevron included."""
    page = open_page(f"{server}/?lang={lang}", **options)
    open_section(page, INCIDENT_TABLE_OPEN)
    grid = page.locator(".st-key-incident_table")
    grid.wait_for(timeout=60_000)
    grid.scroll_into_view_if_needed()
    grid.hover()
    toolbar = grid.locator("[data-testid='stElementToolbar']")
    toolbar.wait_for()
    wait_for_app_run(page)
    toolbar.evaluate(STILL)  # its fade-in and the boxes around it
    select = page.locator(".st-key-incident_choice [data-testid='stSelectbox']")
    chevron = select.locator("svg").last
    boxes = [x.bounding_box() for x in (toolbar, select, chevron)]
    tb, sel, chev = ([b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]] for b in boxes)
    assert not overlap(tb, chev), (tb, chev)
    assert not overlap(tb, sel), (tb, sel)


def test_a_tapped_marker_shows_its_popup_without_its_hover_label(open_page, server):
    """On a phone a tap opens the marker's hover label as well as its popup; the label runs
    past the map beside the popup. Once the popup is open, no label is left open."""
    from playwright.sync_api import expect

    page = open_page(f"{server}/?lang=es", **PHONE)
    frame = settled_map(page)
    # At the closest zoom: the record's symbol is its own, or its stack's (records at the
    # same place), whose popup lists them.
    frame.evaluate(
        """() => { const m = map._tim.byId['jal-pv-costco'];
        map.setView(m.getLatLng(), map.getMaxZoom(), {animate: false}); }"""
    )
    frame.wait_for_function(MAP_AT_REST)
    frame.wait_for_function("() => map._tim.symbolOf(map._tim.byId['jal-pv-costco'])")
    box = frame.evaluate(
        """() => { const m = map._tim.symbolOf(map._tim.byId['jal-pv-costco']);
        const p = map.latLngToContainerPoint(m.getLatLng());
        const o = map.getContainer().getBoundingClientRect();
        return [o.left + p.x, o.top + p.y]; }"""
    )
    iframe = page.locator(IFRAME)
    iframe.scroll_into_view_if_needed()
    iframe.evaluate(STILL)  # the page has stopped scrolling
    frame_box = iframe.bounding_box()
    page.touchscreen.tap(frame_box["x"] + box[0], frame_box["y"] + box[1])
    frame.wait_for_selector(".leaflet-popup-content", timeout=10_000)
    # A closed label fades out for 0.2 s before Leaflet removes it; one left open stays.
    expect(frame.locator(".leaflet-tooltip")).to_have_count(0, timeout=5_000)
    assert frame.locator(".leaflet-tooltip").count() == 0


@pytest.mark.parametrize("width", [1200, 700])
def test_an_article_embed_shows_its_whole_legend_at_any_width(browser, server, width):
    """An embed framed by an article shows every legend entry without scrolling at desktop
    widths too (the full legend scrolled in the embed's fixed height: at 1,200 px a reader
    saw 4 of 7 kinds); the compact legend is used in any framed page."""
    from tests.test_deploy_faults import article_site

    src = f"{server}/?embed=true&lang=es&states=JAL,MIC"
    html = f'<!doctype html><iframe src="{src}" style="width:100%;height:860px;border:0"></iframe>'
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        with article_site(html) as address:
            page.goto(address)
            body = None
            for _ in range(120):  # the map frame is two frames down: article, page, map
                body = next((f for f in page.frames if f.locator(".tim-legend-body").count()), None)
                if body is not None:
                    break
                page.wait_for_timeout(250)
            assert body is not None, "no map legend in the embed"
            legend = body.locator(".tim-legend-body")
            legend.wait_for(state="visible", timeout=30_000)
            over = legend.evaluate("b => b.scrollHeight - b.clientHeight")
            assert over <= 1, over
            assert body.locator(".tim-legend.tim-compact").count() == 1
    finally:
        context.close()
