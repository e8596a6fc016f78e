"""A quarter-step zoom reaches the address bar as it is and a fresh load restores it.

The map zooms in quarter steps (zoomSnap 0.25); a link that rounded the zoom to a whole
level would bring a reader's 5.5 back as 6. Fixtures from tests/conftest.py.
"""

from __future__ import annotations

import pytest

from tests.conftest import VIEW_STATE, map_frame

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("zoom", [5.5, 7.25])
def test_a_quarter_zoom_survives_the_link(page, browser, server, zoom):
    page.goto(server)
    frame = map_frame(page)
    frame.evaluate(f"() => {{ map.setView([20.3, -103.0], {zoom}, {{animate: false}}); }}")
    page.wait_for_url(f"**zoom={zoom}**")  # written as it is, not rounded
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    fresh = context.new_page()
    fresh.goto(page.url)
    state = map_frame(fresh).evaluate(VIEW_STATE)
    context.close()
    assert state["zoom"] == zoom
    pixel = 360 / (256 * 2**zoom)  # degrees of longitude a screen pixel spans at this zoom
    assert state["lat"] == pytest.approx(20.3, abs=pixel)  # Leaflet rounds to whole pixels
    assert state["lng"] == pytest.approx(-103.0, abs=pixel)
