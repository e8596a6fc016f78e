"""States by keyboard and headings in order (browser): a state is reached with Tab in the
map and Enter (or Space) opens the same summary a tap opens; the page's headings, the
map frame's included where the frame sits, never skip a level and start with the h1."""

from __future__ import annotations

import pytest

from tests.conftest import map_frame, settled_map, wait_for_app_run
from tests.test_a11y import axe_violations, describe

pytestmark = pytest.mark.browser

ACTIVE = """() => { const a = document.activeElement; if (!a) return null;
  const kind = a.classList.contains('tim-state-key') ? 'state:' : '';
  return kind + (a.getAttribute('aria-label') || a.tagName); }"""


@pytest.mark.parametrize("path", ["/?lang=es", "/?embed=true&lang=es"])
def test_a_state_reached_by_keyboard_opens_its_summary(browser, server, path):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-MX")
    page = context.new_page()
    try:
        page.goto(server + path)
        frame = settled_map(page)
        wait_for_app_run(page)
        frame.locator(".leaflet-container").first.focus()  # where Tab enters the map
        seen = []
        for _ in range(80):  # Tab, Tab, … until Jalisco
            page.keyboard.press("Tab")
            seen.append(frame.evaluate(ACTIVE))
            if seen[-1] and seen[-1].startswith("state:Jalisco"):
                break
        else:
            pytest.fail(f"Jalisco never reached by Tab: {seen}")
        assert "incidentes en el periodo" in seen[-1]  # its name says what it holds
        page.keyboard.press("Enter")
        summary = frame.locator(".leaflet-popup .tim-state-summary")
        expect(summary).to_contain_text("Jalisco", timeout=10_000)
        expect(summary.get_by_role("button")).to_contain_text("Ver solo este estado")
        # …and Space on the next one (Michoacán comes after Jalisco by name)
        for _ in range(10):
            page.keyboard.press("Tab")
            if (frame.evaluate(ACTIVE) or "").startswith("state:Michoacán"):
                break
        page.keyboard.press(" ")
        expect(summary.filter(has_text="Michoacán")).to_be_visible(timeout=10_000)
        expect(summary).to_have_count(1, timeout=10_000)  # Jalisco's closed
        # nothing was filtered: the page's state filter is untouched
        assert "states=" not in page.url
    finally:
        context.close()


HEADINGS = """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6,iframe'))
  .filter(e => e.tagName === 'IFRAME' || e.getClientRects().length
               || e.closest('[data-testid=stSidebar]'))
  .map(e => e.tagName === 'IFRAME' ? (e.src.includes('streamlit_folium') ? 'MAP' : null)
                                   : [Number(e.tagName[1]), e.textContent.trim().slice(0, 40)])
  .filter(Boolean)"""
FRAME_HEADINGS = """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
  .map(e => [Number(e.tagName[1]), e.textContent.trim().slice(0, 40)])"""


@pytest.mark.parametrize("path", ["/?lang=es", "/?embed=true&lang=es"])
@pytest.mark.parametrize("width", [390, 1400])
def test_headings_in_order(browser, server, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
    page = context.new_page()
    try:
        page.goto(server + path)
        frame = map_frame(page)
        page.get_by_text("Natural Earth").first.wait_for(timeout=30_000)
        wait_for_app_run(page)
        inner = frame.evaluate(FRAME_HEADINGS)
        order = []
        for item in page.evaluate(HEADINGS):
            order.extend(inner if item == "MAP" else [item])
        assert inner, "the legend's sections are headings"
        if "embed" not in path:
            assert order[0][0] == 1, order  # the h1 first: nothing before it
        for before, after in zip(order, order[1:], strict=False):
            assert after[0] <= before[0] + 1, f"{before} → {after} in {order}"
        for name, target in (("page", page), ("map frame", frame)):
            found = [v for v in axe_violations(target) if v["id"] == "heading-order"]
            assert not found, f"{name}:\n{describe(found)}"
    finally:
        context.close()


def test_enter_on_a_group_of_points_does_what_a_tap_does(browser, server):
    """A group (several records near one another) is a focusable button: Enter on it
    zooms in to its points or lists a stack's records, as a tap does (a tester found
    Enter did nothing: Leaflet opens only a bound popup, and a group has none)."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-MX")
    page = context.new_page()
    try:
        page.goto(server + "/?lang=es")
        frame = settled_map(page)
        wait_for_app_run(page)
        group = frame.locator(".tim-cluster").first
        expect(group).to_be_visible(timeout=30_000)
        zoom = frame.evaluate("() => map.getZoom()")
        group.focus()
        group.evaluate("(node) => node.setAttribute('data-pressed', '')")
        page.keyboard.press("Enter")
        # a group zooms in to its points; a stack (one place) lists its records
        frame.wait_for_function(
            "(z) => map.getZoom() > z || document.querySelector('.leaflet-popup .tim-stack-list')",
            arg=zoom,
            timeout=10_000,
        )
        if frame.evaluate("(z) => map.getZoom() > z", zoom):
            # after the zoom the keyboard goes on from the map: the first group or point
            # the group held takes the focus (a tester found it dropped to the page once
            # the pressed group's icon was redrawn)
            frame.wait_for_function(
                "() => { const a = document.activeElement;"
                " return a && !a.hasAttribute('data-pressed') && a.isConnected"
                " && !!a.closest('.leaflet-container'); }",
                timeout=10_000,
            )
    finally:
        context.close()
