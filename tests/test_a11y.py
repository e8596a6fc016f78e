"""Accessibility in a real browser: axe-core on the page and the embed, at desktop and
phone sizes, and a keyboard-only route from page load to an incident's details.

axe-core comes from the `axe-playwright-python` package, which ships axe.min.js (no
download at test time); it is injected into the page and into the map's iframe.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.model.mexico import BY_CODE, MEXICO_CITY
from dashboard.render.incident_list import incident_table
from dashboard.web.state import INCIDENT_TABLE_OPEN
from tests.conftest import map_frame, open_section, wait_for_app_run

pytestmark = pytest.mark.browser

BLOCKING = ("critical", "serious")
VIEWPORTS = {"desktop": (1400, 1000), "phone": (390, 844)}
FOCUSED = """() => {
  const a = document.activeElement;
  return a && {tag: a.tagName, label: a.getAttribute('aria-label') || '',
               href: a.getAttribute('href') || '', text: (a.innerText || '').trim()};
}"""


def axe_violations(target) -> list[dict]:
    """Run axe-core in a page or frame (not descending into iframes: each is run alone)."""
    from axe_playwright_python.base import AXE_SCRIPT

    target.evaluate(AXE_SCRIPT)
    result = target.evaluate("axe.run(document, {resultTypes: ['violations'], iframes: false})")
    return result["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
        for v in violations
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", ["/", "/?embed=true"])
def test_no_serious_axe_violations(browser, server, path, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(server + path)
        frame = map_frame(page)
        # Wait for the page to finish its run (the metrics or the embed's credit line).
        page.get_by_text("Natural Earth").first.wait_for(timeout=30_000)
        for name, target in (("page", page), ("map frame", frame)):
            blocking = [v for v in axe_violations(target) if v["impact"] in BLOCKING]
            assert not blocking, f"{path} at {width}×{height}, {name}:\n{describe(blocking)}"
    finally:
        context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_serious_axe_violations_with_every_section_open(browser, server, viewport):
    """The sections under the map start closed (their contents are not on the page): open
    each by keyboard, wait for its contents, then run axe-core on the whole page."""
    from playwright.sync_api import expect

    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(server)
        map_frame(page)
        page.get_by_text("Natural Earth").first.wait_for(timeout=30_000)
        summaries = page.locator("[data-testid='stMain'] [data-testid='stExpander'] summary")
        # the eight closed sections (the per-municipality, day and week tables and the
        # two data grids among them) and "How the map counts"
        expect(summaries).to_have_count(9, timeout=30_000)
        for index in range(9):
            summaries.nth(index).focus()
            page.keyboard.press("Enter")
            expect(page.locator("[data-testid='stMain'] details[open]")).to_have_count(
                index + 1, timeout=30_000
            )
        expect(page.get_by_label("Alt text")).to_be_visible(timeout=30_000)
        expect(page.locator("svg[role='img']")).to_have_count(3, timeout=30_000)
        expect(page.get_by_role("button", name="GeoJSON (QGIS, web maps)")).to_be_visible()
        wait_for_app_run(page)  # the last rerun has finished drawing
        blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
        assert not blocking, f"sections open at {width}×{height}:\n{describe(blocking)}"
    finally:
        context.close()


def test_keyboard_alone_reaches_an_incidents_details(browser, server, bundle):
    """From page load, with key presses only: tab to the incident list, choose the first
    incident, tab on to its source link; the details name its place and time."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server)
        map_frame(page)
        page.get_by_text("Natural Earth").first.wait_for(timeout=30_000)
        chooser = "Show one on the map and read its details"
        for _ in range(150):
            page.keyboard.press("Tab")
            if page.evaluate(FOCUSED)["label"].startswith(chooser):
                break
        else:
            raise AssertionError("150 Tab presses never reached the incident list box")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        view = ViewSpec(
            datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
        )
        first = incident_table(apply(view, bundle.incidents)).rows.iloc[0]
        details = page.locator("[data-testid='stMarkdownContainer']").filter(has_text="Sources:")
        details.wait_for(timeout=30_000)
        text = details.inner_text()
        assert first["place"] in text and first["when"] in text
        for _ in range(5):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["tag"] == "A" and focused["href"].startswith("http"):
                break
        else:
            raise AssertionError("the details' source link is not reachable with Tab")
        assert focused["href"] == first["source"]
    finally:
        context.close()


def test_a_table_toolbar_button_with_keyboard_focus_is_visible(browser, server):
    """The toolbars (download, search, full screen) appear on hover only; a keyboard user
    tabbing onto one of their buttons must see it and where the focus is."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server)
        map_frame(page)
        open_section(page, INCIDENT_TABLE_OPEN)
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
        search = page.get_by_label("Search by place, municipality or state")
        search.focus()
        toolbar = None
        for _ in range(10):
            page.keyboard.press("Tab")
            toolbar = page.evaluate(
                """() => {
                  const a = document.activeElement;
                  const bar = a && a.closest('[data-testid="stElementToolbar"]');
                  if (!bar) return null;
                  const s = getComputedStyle(a);
                  return {opacity: getComputedStyle(bar).opacity, outline: s.outlineStyle,
                          width: parseFloat(s.outlineWidth)};
                }"""
            )
            if toolbar:
                break
        assert toolbar, "no toolbar button is reachable with Tab from the search box"
        assert toolbar["opacity"] == "1"
        assert toolbar["outline"] != "none" and toolbar["width"] >= 2
    finally:
        context.close()


def test_the_operation_site_marker_has_an_accessible_name(browser, server, bundle):
    """The site's star is focusable (role=button): axe finds it named after the site, also
    after its layer is switched off and on; the name is text, never markup."""
    site = bundle.operation_site.iloc[0]
    name = f"{site['name']}, {site['municipality']}, {BY_CODE[site['cve_ent']].name}"
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server)
        frame = map_frame(page)
        layer = frame.get_by_role("checkbox", name="Tapalpa operation site")
        layer.uncheck()
        layer.check()
        star = frame.get_by_role("button", name=name, exact=True)
        assert star.get_attribute("tabindex") == "0"
        from axe_playwright_python.base import AXE_SCRIPT

        frame.evaluate(AXE_SCRIPT)
        result = frame.evaluate(
            "axe.run('.tim-site', {runOnly: ['aria-command-name'], iframes: false})"
        )
        assert not result["violations"] and result["passes"], result
        hostile = "&lt;img src=x onerror=&quot;window.hit=1&quot;&gt; &amp; Co"
        text = frame.evaluate(f"() => TapalpaMap.plainText({hostile!r})")
        assert text == '<img src=x onerror="window.hit=1"> & Co'
        # Had plainText parsed the markup, the image's error would have fired by the time
        # a request for the same source fails: wait for that, then look.
        frame.evaluate(
            """() => new Promise(done => { const probe = new Image();
              probe.onerror = probe.onload = done; probe.src = 'x'; })"""
        )
        assert frame.evaluate("() => window.hit") is None
    finally:
        context.close()


SKIP_STATE = """() => {
  const a = document.activeElement;
  const box = document.querySelector('[class*="st-key-tapalpa-"][class*="-map"]');
  const frame = document.querySelector("iframe[src*='streamlit_folium']");
  const r = a ? a.getBoundingClientRect() : {width: 0, height: 0};
  return {id: a ? a.id : '', tag: a ? a.tagName : '', text: a ? a.textContent : '',
          width: r.width, height: r.height,
          afterMap: !!(a && frame
            && (frame.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING)),
          inBox: !!(a && box && box.contains(a))};
}"""


@pytest.mark.parametrize(
    ("path", "skip", "after"),
    [
        ("/", "Skip the map", "End of the map"),
        ("/?lang=es", "Saltar el mapa", "Fin del mapa"),
        ("/?embed=true", "Skip the map", "End of the map"),
    ],
)
def test_a_skip_link_moves_the_keyboard_past_the_map(browser, server, path, skip, after):
    """Before the map's ~44 tab stops (controls, symbols): a link, visible once it has the
    focus, whose Enter puts the focus right after the map; the next Tab goes on to what
    follows the map, not into it."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server + path)
        map_frame(page)
        page.locator("#tim-skip-map").wait_for(state="attached", timeout=30_000)
        for _ in range(80):
            page.keyboard.press("Tab")
            focused = page.evaluate(SKIP_STATE)
            if focused["id"] == "tim-skip-map" or focused["tag"] == "IFRAME":
                break
        assert focused["id"] == "tim-skip-map", "Tab reached the map before a skip link"
        assert focused["text"] == skip
        assert focused["width"] > 20 and focused["height"] > 10  # seen, not clipped away
        page.keyboard.press("Enter")
        landed = page.evaluate(SKIP_STATE)
        assert landed["id"] == "tim-after-map" and landed["text"] == after
        assert landed["afterMap"] and landed["width"] > 20  # after the map, and seen
        page.keyboard.press("Tab")
        onward = page.evaluate(SKIP_STATE)
        assert onward["tag"] not in ("IFRAME", "BODY") and onward["afterMap"]
        assert "#" not in page.url  # the permalink is not changed by the skip
    finally:
        context.close()
