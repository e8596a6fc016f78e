"""A map whose files do not arrive (a 404 from a cold replica, a proxy that refuses
them) says so in its place, with a link that reloads the page, and the rest of the page
keeps working (render/mapfallback.py: map-fallback.js inside the frame, page.js for the
frame's own page and script). Playwright's route() makes one file fail at a time.
"""

from __future__ import annotations

import pytest

from tests.conftest import IFRAME

pytestmark = pytest.mark.browser

FAILED = ".tim-map-failed"


@pytest.mark.parametrize(
    ("failing", "lang", "message", "reload"),
    [
        # the map's own scripts (Leaflet, plugins, tapalpa-map.js), joined into one file
        ("**/app/static/data/map-*.js", "en", "The map could not be loaded", "Reload the page"),
        ("**/app/static/data/map-*.js", "es", "No se pudo cargar el mapa", "Recarga la página"),
        # the map's stylesheets: a map without them is garbled
        ("**/app/static/data/map-*.css", "en", "The map could not be loaded", "Reload the page"),
        # streamlit-folium's own script: nothing of the map runs in the frame
        (
            "**/component/streamlit_folium*/**/main.*.js",
            "es",
            "No se pudo cargar el mapa",
            "Recarga la página",
        ),
    ],
)
def test_a_map_whose_files_fail_says_so_and_the_page_works(
    page, server, failing, lang, message, reload
):
    failed: list[str] = []

    def not_found(route):
        failed.append(route.request.url)
        route.fulfill(status=404, body="not found")

    page.route(failing, not_found)
    page.goto(f"{server}/?lang={lang}")
    notice = page.frame_locator(IFRAME).locator(FAILED)
    notice.wait_for(timeout=60_000)
    assert failed, "the route never saw the file it makes fail"
    assert message in notice.inner_text()
    link = notice.get_by_role("link")
    assert link.inner_text().startswith(reload)
    assert link.get_attribute("target") == "_top"
    box = page.locator(IFRAME).bounding_box()
    assert box and box["height"] >= 100  # seen in the map's place, not a sliver
    # The rest of the page works: the time slider still moves the view (a rerun). (Not
    # wait_for_app_run: a page whose map component never loaded is never idle by it.)
    thumb = page.get_by_role("slider").first
    thumb.wait_for(timeout=30_000)
    thumb.focus()
    thumb.press("ArrowRight")
    page.wait_for_url("**from=2026-02-2*T01%3A00**", timeout=30_000)
    page.get_by_text("01:00").first.wait_for(timeout=30_000)  # the rerun's new window
    assert page.frame_locator(IFRAME).locator(FAILED).count() == 1  # still said, once
