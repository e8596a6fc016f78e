"""The embed keeps the editor's view (browser): a link with the editor's centre, zoom and
map size (`size`) opens, in a narrower iframe, on a zoom that keeps the whole region the
editor saw in view; "+" zooms on the middle of the data's area; the legend is open from
360 px; the page does not shift as the map arrives (CLS ≤ 0.1)."""

from __future__ import annotations

import pytest

from tests.conftest import settled_map, wait_for_app_run

pytestmark = pytest.mark.browser

# The Jalisco–Michoacán night view of issue 23, as an editor saw it on a desktop map of
# 1100×560 CSS px at zoom 7.25.
NIGHT = "from=2026-02-22T18:00&to=2026-02-23T06:00&states=JAL,MIC"
EDITOR = "lat=19.9&lon=-103.1&zoom=7.25&size=1100x560"

# What the editor saw (the map's own projection at the link's zoom), and whether the
# embed's map shows it: every point and the Tapalpa star inside the map's bounds.
REGION = """() => {
  const tim = map._tim, z = 7.25, c = map.project([19.9, -103.1], z);
  const half = L.point(550, 280);
  const seen = L.latLngBounds(map.unproject(c.subtract(half), z), map.unproject(c.add(half), z));
  const shown = map.getBounds();
  const points = tim.markers.map(m => m.getLatLng()).filter(p => seen.contains(p));
  const site = [];
  tim.site.eachLayer(l => site.push(l.getLatLng()));
  return {
    zoom: map.getZoom(),
    seen: points.length,
    michoacan: points.filter(p => p.lng > -102.6).length,
    outside: points.filter(p => !shown.contains(p)).map(p => [p.lat, p.lng]),
    site: site.length, siteInside: site.every(p => shown.contains(p)),
  };
}"""


def embed(browser, server, width: int, query: str):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
    page = context.new_page()
    page.add_init_script(
        """window.__shifts = [];
        new PerformanceObserver(list => { for (const e of list.getEntries()) {
          if (!e.hadRecentInput) window.__shifts.push(e.value); } })
        .observe({type: 'layout-shift', buffered: true});"""
    )
    page.goto(f"{server}/?embed=true&{query}&lang=es")
    return context, page


@pytest.mark.parametrize("width", [390, 700])
def test_embed_keeps_the_editors_region_in_view(browser, server, width):
    context, page = embed(browser, server, width, f"{NIGHT}&{EDITOR}")
    try:
        frame = settled_map(page)
        region = frame.evaluate(REGION)
        assert region["seen"] >= 10 and region["michoacan"] >= 1, region
        assert region["outside"] == [], region
        assert region["site"] == 1 and region["siteInside"], region
        # zoomed out from the editor's 7.25, not further than the region needs
        assert 5 <= region["zoom"] < 7.25, region
    finally:
        context.close()


def test_a_link_without_a_size_keeps_the_desktop_region_in_view(browser, server):
    """A link from before size= is read as seen on the live page's 1100x560 desktop map
    (permalink.LEGACY_SCREEN): at 390 px it keeps the region the editor saw, as with
    EDITOR's size (before: it opened at 7.25 and cut off western Jalisco and the star)."""
    context, page = embed(browser, server, 390, f"{NIGHT}&lat=19.9&lon=-103.1&zoom=7.25")
    try:
        region = settled_map(page).evaluate(REGION)
        assert region["seen"] >= 10 and region["outside"] == [], region
        assert region["site"] == 1 and region["siteInside"], region
        assert 5 <= region["zoom"] < 7.25, region
    finally:
        context.close()


def test_plus_zooms_on_the_data_not_beside_the_legend(browser, server):
    """The first view fits the data into the area no control covers; "+" keeps the
    middle of that area (the data) where it was, not the container's middle."""
    context, page = embed(browser, server, 700, NIGHT)
    try:
        frame = settled_map(page)
        before = frame.evaluate(
            """() => { const tim = map._tim, a = tim.freeArea, s = map.getSize();
              const p = L.point((a.left + s.x - a.right) / 2, (a.top + s.y - a.bottom) / 2);
              window.__aim = map.containerPointToLatLng(p);
              return {p: [p.x, p.y], zoom: map.getZoom()}; }"""
        )
        frame.locator(".leaflet-control-zoom-in").click()
        frame.wait_for_function(
            "(z) => !map._animatingZoom && map.getZoom() > z", arg=before["zoom"], timeout=10_000
        )
        frame.wait_for_timeout(400)
        after = frame.evaluate(
            "() => { const p = map.latLngToContainerPoint(window.__aim); return [p.x, p.y]; }"
        )
        assert abs(after[0] - before["p"][0]) <= 2 and abs(after[1] - before["p"][1]) <= 2, (
            before,
            after,
        )
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 700])
def test_embed_legend_open_and_no_layout_shift(browser, server, width):
    context, page = embed(browser, server, width, f"{NIGHT}&{EDITOR}")
    try:
        frame = settled_map(page)
        wait_for_app_run(page)
        page.wait_for_timeout(2000)
        assert frame.evaluate("() => !document.querySelector('.tim-legend-body').hidden"), (
            "the legend starts closed"
        )
        shifts = page.evaluate("() => window.__shifts")
        print("CLS", width, round(sum(shifts), 3))
        assert sum(shifts) <= 0.1, shifts
    finally:
        context.close()
