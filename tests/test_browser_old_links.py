"""Links shared before `size=` existed open as they did (browser, the embed at 390 px,
an article's phone column): a link with a centre and zoom opens there at that zoom (not
a size the link never had); a link without them fits the region it names, its states,
else the view's data; a whole-number zoom from before quarter steps reads as it was."""

from __future__ import annotations

import pytest

from tests.conftest import settled_map

pytestmark = pytest.mark.browser

NIGHT = "from=2026-02-22T18:00&to=2026-02-23T06:00"
SEEN = """() => {
  const tim = map._tim, shown = map.getBounds(), c = map.getCenter(), site = [];
  tim.site.eachLayer(l => site.push(l.getLatLng()));
  return {
    zoom: map.getZoom(), center: [c.lat, c.lng],
    points: tim.markers.length,
    outside: tim.markers.filter(m => !shown.contains(m.getLatLng())).length,
    siteInside: site.every(p => shown.contains(p)),
  };
}"""


@pytest.mark.parametrize(
    ("query", "zoom", "fits"),
    [
        # the night view of issue 23 as shared before size=: states named, no centre
        (f"{NIGHT}&states=JAL,MIC", None, True),
        # the same with the editor's centre and zoom (quarter steps) but no size
        (f"{NIGHT}&states=JAL,MIC&lat=19.9&lon=-103.1&zoom=7.25", 7.25, False),
        # a whole-number zoom, from links made before quarter steps
        (f"{NIGHT}&states=JAL,MIC&lat=19.9&lon=-103.1&zoom=7", 7, False),
        # only a window: the view's data, country-wide
        (NIGHT, None, True),
        # only states: the default window in those states
        ("states=MIC", None, True),
    ],
    ids=["states", "centre-zoom", "whole-zoom", "window-only", "states-only"],
)
def test_an_old_link_opens_as_it_did(browser, server, query, zoom, fits):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
    page = context.new_page()
    try:
        page.goto(f"{server}/?embed=true&{query}&lang=es")
        seen = settled_map(page).evaluate(SEEN)
        assert seen["points"] > 0, seen
        if zoom is not None:  # exactly the link's zoom and centre
            assert seen["zoom"] == zoom, seen
            assert abs(seen["center"][0] - 19.9) < 0.02 and abs(seen["center"][1] + 103.1) < 0.02
        if fits:  # the region the link names, whole, at a phone's width
            assert seen["outside"] == 0, seen
            assert seen["siteInside"], seen
        assert page.locator("[data-testid='stAlert']").count() == 0  # no "ignored" notice
    finally:
        context.close()
