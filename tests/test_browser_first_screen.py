"""The first screen on a phone (issue 22): at 390×844, touch, es-MX, the map fills most of
it with its time control; no Streamlit English chrome; every point reachable (groups and
stacks, ≤ 5 % of symbols on another); every map control 44×44 px; a state tap shows its
summary first, filtering is a button and a chip on the map undoes it.

Same server and browser fixtures as tests/test_browser.py (tests/conftest.py). Boxes are
measured in the browser.
"""

from __future__ import annotations

import pytest

from tests.conftest import IFRAME, MAP_AT_REST, settled_map, wait_for_app_run

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "es-MX",
}
TAP = 44  # px, WCAG 2.5.5

# Every incident symbol the reader sees: groups (markercluster icons) and single points
# (on the canvas: their centre and radius), as boxes [left, top, right, bottom].
SYMBOLS = """() => {
  const tim = map._tim, out = [];
  const origin = map.getContainer().getBoundingClientRect();
  document.querySelectorAll('.tim-cluster').forEach(el => {
    const r = el.getBoundingClientRect();
    out.push([r.left - origin.left, r.top - origin.top, r.right - origin.left,
              r.bottom - origin.top]);
  });
  tim.markers.forEach(m => {
    if (!m._map) return;  // inside a group
    const p = map.latLngToContainerPoint(m.getLatLng()), r = m.getRadius() + 1;
    out.push([p.x - r, p.y - r, p.x + r, p.y + r]);
  });
  return out;
}"""

# Map controls a reader can press: [label, width, height].
CONTROLS = """() => [...document.querySelectorAll(
    '.leaflet-control-container button, .leaflet-control-container input,'
    + ' .leaflet-control-container a.leaflet-control-zoom-in,'
    + ' .leaflet-control-container a.leaflet-control-zoom-out,'
    + ' .leaflet-control-container a.leaflet-control-layers-toggle')]
  .filter(e => e.offsetParent !== null && e.type !== 'checkbox')
  .map(e => { const r = e.getBoundingClientRect();
    return [e.getAttribute('aria-label') || e.className || e.textContent, r.width, r.height]; })"""


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture
def phone(browser, server):
    from tests.conftest import offline

    context = browser.new_context(**PHONE)
    page = context.new_page()
    offline(page)
    page.goto(f"{server}/?lang=es")
    yield page
    context.close()


def test_the_first_screen_is_the_map_with_its_time_control(phone):
    """≥ 422 px of the 844 px screen is map; the replay (▶ and slider) lies on it within
    the screen; a one-line deck above; the view's summary under it is the frame's
    accessible description; a filter line saying what is filtered opens the filters."""
    frame = settled_map(phone)
    wait_for_app_run(phone)
    box = phone.locator(IFRAME).bounding_box()
    visible = min(box["y"] + box["height"], 844) - max(box["y"], 0)
    assert visible >= 422, box
    for selector in (".tim-play-button", ".tim-play-range"):
        r = frame.locator(selector).bounding_box()  # page coordinates
        assert r and r["y"] + r["height"] <= 844 and r["y"] >= box["y"], (selector, r)
    deck = phone.locator(".tim-deck")
    one_line = (
        "e => e.getBoundingClientRect().height < 1.6 * parseFloat(getComputedStyle(e).lineHeight)"
    )
    assert deck.evaluate(one_line)
    assert deck.bounding_box()["y"] < box["y"]
    summary = phone.locator("#tim-map-summary")
    assert "incidentes" in summary.inner_text()
    assert summary.is_visible()
    assert phone.locator(IFRAME).get_attribute("aria-describedby") == "tim-map-summary"
    line = phone.locator(".tim-filter-line")
    assert "todos los estados" in line.inner_text()
    line.get_by_role("button", name="Cambiar filtros").click()
    phone.get_by_test_id("stSidebar").get_by_text("Filtros").first.wait_for(timeout=10_000)


def test_no_streamlit_english_chrome_on_the_first_screen(phone):
    settled_map(phone)
    wait_for_app_run(phone)
    text = phone.locator("body").inner_text()
    for english in ("Made with Streamlit", "Stop", "Running", "Deploy", "Print", "Record"):
        assert english not in text, english
    assert not phone.get_by_test_id("stMainMenu").is_visible()
    assert phone.get_by_test_id("stExpandSidebarButton").get_attribute("aria-label") == (
        "Abrir los filtros"
    )


def test_at_most_five_percent_of_symbols_sit_on_another(phone):
    """At the default phone view, symbols (groups and single points) overlapping another."""
    frame = settled_map(phone)
    frame.wait_for_function(MAP_AT_REST)
    boxes = frame.evaluate(SYMBOLS)
    assert len(boxes) >= 3  # groups and points, not an empty map
    on_another = sum(
        any(overlaps(a, b) for j, b in enumerate(boxes) if j != i) for i, a in enumerate(boxes)
    )
    assert on_another <= 0.05 * len(boxes), (on_another, len(boxes))
    # And every record is in a symbol: groups count what they hold.
    held = frame.evaluate(
        """() => { let n = 0; map._tim.incidents.eachLayer(() => { n += 1; }); return n; }"""
    )
    assert held == frame.evaluate("() => map._tim.markers.length")


def test_every_map_control_is_a_thumb_wide(phone):
    frame = settled_map(phone)
    frame.wait_for_function(MAP_AT_REST)
    small = [c for c in frame.evaluate(CONTROLS) if c[1] < TAP - 0.5 or c[2] < TAP - 0.5]
    assert small == []
    # The replay slider runs (nearly) the map's width.
    width = frame.evaluate("() => map.getSize().x")
    assert frame.locator(".tim-play").bounding_box()["width"] >= width - 24


def test_a_stack_is_one_symbol_whose_popup_lists_each_record(phone):
    """The largest stack (records at one place), seen at the map's closest zoom: one
    symbol; a tap lists every record it holds in one popup."""
    frame = settled_map(phone)
    frame.evaluate(
        """() => {
      const tim = map._tim, groups = {};
      tim.markers.forEach(m => { const k = m.getLatLng().toString();
        (groups[k] = groups[k] || []).push(m); });
      window.__stack = Object.values(groups).sort((a, b) => b.length - a.length)[0];
      map.setView(window.__stack[0].getLatLng(), map.getMaxZoom(), {animate: false});
    }"""
    )
    frame.wait_for_function(MAP_AT_REST)
    listed = frame.evaluate(
        """() => {
      const tim = map._tim, stack = window.__stack;
      const parent = tim.symbolOf(stack[0]);
      parent.fire('click', {latlng: parent.getLatLng()}, true);
      const items = document.querySelectorAll('.leaflet-popup .tim-stack-item').length;
      return {size: stack.length, items, same: parent.getAllChildMarkers().length};
    }"""
    )
    assert listed["size"] >= 2
    assert listed["items"] == listed["same"] >= listed["size"], listed


def test_a_state_tap_shows_its_summary_then_filters_on_request_and_a_chip_undoes_it(phone):
    frame = settled_map(phone)
    jalisco = """() => { const tim = map._tim, p = tim.stateAnchor('14');
      tim.stateLayers['14'].fire('click', {latlng: p}); }"""
    frame.evaluate(jalisco)
    popup = frame.locator(".leaflet-popup .tim-state-summary")
    popup.wait_for()
    assert "Jalisco" in popup.inner_text()
    assert frame.locator(".tim-chip").count() == 0  # nothing filtered by the tap
    zoom = frame.evaluate("() => map.getZoom()")
    popup.get_by_role("button", name="Ver solo este estado").click()
    chip = frame.locator(".tim-chip", has_text="Jalisco")
    chip.wait_for(timeout=30_000)
    assert chip.get_attribute("aria-label") == "Quitar el filtro: Jalisco"
    frame.wait_for_function(MAP_AT_REST)
    assert frame.evaluate("() => map.getZoom()") > zoom  # fitted to Jalisco
    assert frame.evaluate(
        "() => map.getBounds().contains(map._tim.stateLayers['14'].getBounds().getCenter())"
    )
    wait_for_app_run(phone)
    assert "Jalisco" in phone.locator(".tim-filter-line").inner_text()
    chip.click()
    frame.locator(".tim-chip").first.wait_for(state="detached", timeout=30_000)
    wait_for_app_run(phone)
    assert "todos los estados" in phone.locator(".tim-filter-line").inner_text()


FOCUSED = """() => { const e = document.activeElement;
  return [e.tagName, e.getAttribute('aria-label') || '',
          !!e.closest('[data-testid=stSidebar]')]; }"""


def test_a_closed_sidebar_is_out_of_the_tab_order_and_opens_with_its_button(phone):
    """On a phone the sidebar starts closed, off screen: Tab never lands in it (Tabs 2-20
    did, with no focus to see); its button still opens it, and then its controls take
    focus."""
    from playwright.sync_api import expect

    settled_map(phone)
    wait_for_app_run(phone)
    sidebar = phone.get_by_test_id("stSidebar")
    assert sidebar.get_attribute("data-collapsed") == "true"
    seen = []
    for _ in range(25):
        phone.keyboard.press("Tab")
        seen.append(phone.evaluate(FOCUSED))
    assert not [s for s in seen if s[2]], seen
    assert any(s[1] == "Abrir los filtros" for s in seen), seen  # its button is reached
    phone.get_by_test_id("stExpandSidebarButton").click()
    slider = sidebar.get_by_role("slider").first
    expect(slider).to_be_visible(timeout=10_000)
    slider.focus()
    assert phone.evaluate(FOCUSED)[2]
