"""The map and the page by keyboard and screen reader, in Spanish (tester 10's #6, #9–#12):
Streamlit's English names renamed, the skip link into the map, Escape closing a popup
back onto its symbol, the site's star clear of a group's count, "at this place" only for
records at one point.

Same server and browser fixtures as tests/test_browser.py (tests/conftest.py)."""

from __future__ import annotations

import pytest

from dashboard.render.mapstrings import map_strings
from tests.conftest import IFRAME, MAP_AT_REST, settled_map, wait_for_app_run

pytestmark = pytest.mark.browser


@pytest.fixture
def es_page(browser, server):
    from tests.conftest import offline

    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="es-MX")
    page = context.new_page()
    offline(page)
    page.goto(f"{server}/?lang=es")
    yield page
    context.close()


NAMES = """() => [...document.querySelectorAll('[aria-label]')]
  .map(e => e.getAttribute('aria-label'))"""


def test_streamlit_help_buttons_heading_links_and_no_results_are_spanish(es_page):
    page = es_page
    settled_map(page)
    wait_for_app_run(page)
    page.wait_for_function(
        """() => ![...document.querySelectorAll('[aria-label]')]
             .some(e => /^(Help for |Link to heading$)/.test(e.getAttribute('aria-label')))""",
        timeout=10_000,
    )
    names = page.evaluate(NAMES)
    assert "Ayuda: Incidentes en este periodo" in names, names
    assert "Enlace a este encabezado" in names, names
    box = page.get_by_test_id("stSelectbox").first
    box.locator("input").click()
    page.keyboard.type("Zzqxw no existe")
    option = page.get_by_role("option").first
    option.wait_for(timeout=10_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[role=option]')]"
        ".some(o => o.textContent === 'Sin resultados')",
        timeout=10_000,
    )
    assert "No results" not in page.locator("body").inner_text()


ACTIVE = """() => { const a = document.activeElement;
  return a ? a.tagName + ' ' + (a.getAttribute('class') || '') : ''; }"""


def test_the_skip_link_puts_the_focus_in_the_map(es_page):
    """Tab onto "Ir al mapa", Enter: the focus is on the map (Leaflet's box, in the
    map's frame); the next Tab is on one of the map's own controls or symbols."""
    page = es_page
    frame = settled_map(page)
    wait_for_app_run(page)
    page.keyboard.press("Tab")
    skip = page.get_by_test_id("stSkipToContent")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.inner_text() == "Ir al mapa"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(sel) => document.activeElement === document.querySelector(sel)", arg=IFRAME
    )
    assert frame.evaluate("() => document.activeElement === map.getContainer()")
    page.keyboard.press("Tab")
    assert frame.evaluate(
        """() => { const a = document.activeElement, c = map.getContainer();
                   return a !== c && c.contains(a); }"""
    ), frame.evaluate(ACTIVE)


# A group's symbol focused (Tab), its list popup opened on its first record as a record
# chosen in the page's list does (openCluster(group, record)).
OPEN_GROUP = """() => {
  const tim = map._tim; let group = null;
  tim.incidents._featureGroup.eachLayer(l => {
    if (!group && l._icon && l.getAllChildMarkers && l.getChildCount() > 1) group = l; });
  group._icon.focus();
  tim.openCluster(group, group.getAllChildMarkers()[0]);
  return group.getChildCount();
}"""


@pytest.mark.parametrize("where", ["symbol", "popup link", "close button"])
def test_escape_closes_a_popup_and_returns_to_its_symbol(es_page, where):
    """Escape, or Enter on the popup's ×: the focus back on the symbol (the × lost it to
    the frame's body before)."""
    page = es_page
    frame = settled_map(page)
    frame.wait_for_function(MAP_AT_REST)
    frame.evaluate(OPEN_GROUP)
    popup = frame.locator(".leaflet-popup")
    popup.wait_for(timeout=10_000)
    if where == "popup link":
        frame.locator(".leaflet-popup a[href^='http']").first.focus()
    if where == "close button":
        frame.locator(".leaflet-popup-close-button").focus()
        page.keyboard.press("Enter")
    else:
        page.keyboard.press("Escape")
    frame.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=5_000)
    assert frame.evaluate("() => document.activeElement.classList.contains('tim-cluster')"), (
        frame.evaluate(ACTIVE)
    )


def test_escape_closes_the_site_popup_opened_by_keyboard(es_page):
    page = es_page
    frame = settled_map(page)
    frame.wait_for_function(MAP_AT_REST)
    star = frame.locator(".tim-site").first
    star.focus()
    page.keyboard.press("Enter")
    frame.locator(".leaflet-popup").wait_for(timeout=10_000)
    page.keyboard.press("Escape")
    frame.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=5_000)
    assert star.evaluate("e => e === document.activeElement")


def test_a_popup_of_records_apart_does_not_say_at_this_place(es_page):
    """A group of records at different points opened on one of them (a record chosen in
    the list) is headed "N registros cercanos", not "… en este lugar"."""
    frame = settled_map(es_page)
    frame.wait_for_function(MAP_AT_REST)
    frame.evaluate(
        """() => { const tim = map._tim; let group = null;
          tim.incidents._featureGroup.eachLayer(l => {
            if (group || !l.getAllChildMarkers) return;
            const m = l.getAllChildMarkers(), at = m[0].getLatLng();
            if (m.some(x => !x.getLatLng().equals(at, 1e-6))) group = l; });
          tim.openCluster(group, group.getAllChildMarkers()[0]); }"""
    )
    head = frame.locator(".leaflet-popup .tim-stack-list > b").inner_text()
    assert "en este lugar" not in head
    assert head.endswith("registros cercanos"), head


def test_near_and_stack_wording_in_both_languages():
    es, en = map_strings("es"), map_strings("en")
    assert es["near"] == "{n} registros cercanos"
    assert es["stack"] == "{n} registros en este lugar"
    assert en["near"] == "{n} records close together"


# The star's box and every group's count (its digits) on the map, in page pixels.
STAR_AND_COUNTS = """() => {
  const box = e => { const r = e.getBoundingClientRect();
                     return [r.left, r.top, r.right, r.bottom]; };
  const star = document.querySelector('.tim-site svg') || document.querySelector('.tim-site');
  return {star: box(star),
          counts: [...document.querySelectorAll('.tim-cluster span[aria-hidden=true]')].map(box)};
}"""


@pytest.mark.parametrize(
    "context_options",
    [
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
        {"viewport": {"width": 1400, "height": 900}},
    ],
    ids=["phone", "desktop"],
)
def test_the_site_star_leaves_every_group_count_readable(browser, server, context_options):
    from tests.conftest import offline

    context = browser.new_context(locale="es-MX", **context_options)
    page = context.new_page()
    offline(page)
    try:
        page.goto(f"{server}/?lang=es")
        frame = settled_map(page)
        frame.wait_for_function(MAP_AT_REST)
        for _ in range(3):  # the first view, and two zooms in around the star
            seen = frame.evaluate(STAR_AND_COUNTS)
            s = seen["star"]
            hidden = [
                c
                for c in seen["counts"]
                if s[0] < c[2] and c[0] < s[2] and s[1] < c[3] and c[1] < s[3]
            ]
            assert hidden == [], seen
            frame.evaluate(
                """() => { const s = map._tim.site.getLayers()[0];
                   map.setView(s.getLatLng(), map.getZoom() + 1, {animate: false}); }"""
            )
            frame.wait_for_function(MAP_AT_REST)
            page.wait_for_timeout(300)
    finally:
        context.close()
