"""The editor's view reaches what ships (browser): the share panel's link and embed code
follow the map as the editor pans and zooms; the embed, pasted into an article on another
origin with the panel's snippet, opens on that view, sizes its iframe to its content
(postMessage) at article widths, and shows a bad link's notice."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from dashboard.render.share import responsive_snippet
from tests.conftest import map_frame, settled_map, wait_for_app_run

pytestmark = pytest.mark.browser

NIGHT = "from=2026-02-22T18:00&to=2026-02-23T06:00&states=JAL,MIC"


FIELD_HOLDS = """([label, pattern]) => Array.from(document.querySelectorAll('input, textarea'))
  .some(e => (e.getAttribute('aria-label') || '').startsWith(label)
             && new RegExp(pattern).test(e.value))"""


def field_holds(page, label: str, pattern: str) -> None:
    """Wait until a text field whose accessible name starts with `label` holds a value
    matching `pattern` (a regular expression)."""
    page.wait_for_function(FIELD_HOLDS, arg=[label, pattern], timeout=30_000)


def test_share_panel_follows_the_map_view(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/?{NIGHT}&lang=en")
    frame = settled_map(page)
    frame.evaluate("() => { window.map._tim.userMoves = true; map.setView([19.9, -103.1], 7.25); }")
    page.wait_for_url(lambda url: "zoom=7.25" in unquote(url), timeout=30_000)
    page.get_by_text("Share, embed or download this view").click()
    # A rerun may briefly show the old field beside its replacement: wait until one of the
    # fields so named holds the value (not a single locator, which would be ambiguous).
    # …with the map's size on screen, so a narrower embed keeps that region in view
    field_holds(
        page, "Link to this view", r"lat=19\.9000&lon=-103\.1000&zoom=7\.25&size=\d{3,4}x\d{3}&"
    )
    field_holds(
        page, "Embed the live map in an article", r"lat=19\.9000&amp;lon=-103\.1000&amp;zoom=7\.25"
    )
    # served from 127.0.0.1: the panel says readers could not reach these links
    expect(page.get_by_text("readers of an article cannot reach")).to_be_visible()
    # …and follows a later move without reopening
    frame.evaluate("() => map.setView([19.5, -102.5], 8)")
    field_holds(page, "Link to this view", r"lat=19\.5000&lon=-102\.5000&zoom=8(&|$)")
    wait_for_app_run(page)


# Another origin than the app's (127.0.0.1): the article's page, served by the test.
# Chromium refuses a page's iframe of a loopback address unless the page is on one too
# (Local Network Access); a news site and a public map server are both public, so the
# rule does not apply to them, and here it is turned off.
ARTICLE = "http://localhost:9/story.html"


@pytest.fixture(scope="module")
def article_browser(browser):
    """A second Chromium from the same Playwright, with that rule off."""
    from tests.conftest import CHROMIUM

    other = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests",
        ],
    )
    yield other
    other.close()


def article_html(snippet: str) -> str:
    return (
        "<!doctype html><html><head><meta name=viewport content='width=device-width'>"
        "<style>body{margin:0;font:16px serif}p{margin:0 8px 12px}</style></head><body>"
        "<p>Lead paragraph of the story.</p>" + snippet + "<p>After the map.</p></body></html>"
    )


@pytest.mark.parametrize("width", [390, 700, 1200])
def test_embed_in_an_article_on_another_origin_sizes_itself(article_browser, server, width):
    from dashboard.analysis.permalink import PageView
    from tests.test_share import NIGHT as NIGHT_VIEW

    page_view = PageView(NIGHT_VIEW)
    snippet = responsive_snippet(
        f"{server}/?embed=true&{NIGHT}&lat=19.9&lon=-103.1&zoom=7.25&lang=en", 840, page_view
    )
    context = article_browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.route(ARTICLE, lambda r: r.fulfill(body=article_html(snippet), content_type="text/html"))
    try:
        page.goto(ARTICLE)
        embed = page.frame_locator("iframe").first
        page.wait_for_function(
            "() => document.querySelector('iframe').contentWindow.frames.length > 0",
            timeout=60_000,
        )
        (frame,) = page.main_frame.child_frames
        # the embed's height reached the article: the iframe is no longer 840 px high
        page.wait_for_function(
            "() => document.querySelector('iframe').style.height !== ''", timeout=60_000
        )
        embed.get_by_text("Full map, sources and data").wait_for(timeout=60_000)
        frame.wait_for_function(
            """() => { const f = document.querySelector("iframe[src*='streamlit_folium']");
              try { return Boolean(f && f.contentWindow.map); } catch (e) { return false; } }""",
            timeout=60_000,
        )
        wait_for_app_run(frame)
        page.wait_for_timeout(500)
        iframe_height = page.evaluate(
            "() => document.querySelector('iframe').getBoundingClientRect().height"
        )
        content = frame.evaluate(
            """() => { const b = document.querySelector('[data-testid="stMainBlockContainer"]');
              const pad = parseFloat(getComputedStyle(b).paddingBottom) || 0;
              return b.firstElementChild.getBoundingClientRect().bottom + pad; }"""
        )
        assert abs(iframe_height - content) <= 4, (iframe_height, content)  # no blank band
        assert embed.get_by_text("Jalisco and Michoacán").first.is_visible()
        zoom = frame.evaluate(
            """() => document.querySelector("iframe[src*='streamlit_folium']")
              .contentWindow.map.getZoom()"""
        )
        # the editor's zoom, or out from it until the region a 1100x560 desktop map showed
        # is in view (a link without size=: permalink.LEGACY_SCREEN), never in
        assert 5.5 <= zoom <= 7.25, zoom
    finally:
        context.close()


def test_a_bad_embed_link_shows_its_notice(browser, server):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{server}/?embed=true&{NIGHT}&zoom=99&lang=en")
        map_frame(page)
        expect(page.get_by_text("This embed's link was changed or is out of date")).to_be_visible(
            timeout=30_000
        )
    finally:
        context.close()
