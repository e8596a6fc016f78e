"""What only a browser shows: the Leaflet map really draws, offline, and the slider works.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright; every request that is not
to the local Streamlit server is refused, so a CDN dependency would fail the test.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.stats import incidents_only, key_figures
from dashboard.model.mexico import MEXICO_CITY
from dashboard.web.state import INCIDENT_TABLE_OPEN
from tests.conftest import (
    ARTIFACTS,
    COUNT_LAYERS,
    IFRAME,
    MAP_FRAME,
    free_port,
    map_frame,
    never,
    open_section,
    require_chromium,
    settled_map,
    start_server,
    stop_server,
    wait_for_app_run,
)

pytestmark = pytest.mark.browser


def metric_values(page) -> list[str]:
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def test_map_draws_states_and_every_incident_offline(page, server, bundle):
    page.goto(server)
    frame = map_frame(page)
    view = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
    )
    selected = apply(view, bundle.incidents)
    counts = frame.evaluate(COUNT_LAYERS)
    assert counts == {"markers": int((selected.geo_precision < 3).sum()), "polygons": 32}
    assert frame.locator(".tim-play-button").count() == 1
    assert frame.locator(".tim-legend").count() == 1
    assert not [u for u in page.blocked if "cdn" in u or "unpkg" in u or "jsdelivr" in u]
    expected = str(key_figures(selected).incidents)
    assert metric_values(page)[0] == expected
    ARTIFACTS.mkdir(exist_ok=True)
    wait_for_app_run(page)  # the screenshot shows the finished page
    page.screenshot(path=str(ARTIFACTS / "default-view.png"))


def test_play_control_animates_in_the_browser(page, server):
    page.goto(server)
    frame = map_frame(page)
    before = frame.evaluate(COUNT_LAYERS)["markers"]
    frame.locator(".tim-play-range").fill("8")  # 08:00 on the first day
    label = frame.locator(".tim-play-label").inner_text()
    assert "Mexico City" in label and "under way" in label
    assert frame.evaluate(COUNT_LAYERS)["markers"] < before
    frame.locator(".tim-play-all").click()
    assert frame.evaluate(COUNT_LAYERS)["markers"] == before


def test_moving_the_slider_changes_the_key_figures(page, server, bundle):
    from playwright.sync_api import expect

    page.goto(server)
    map_frame(page)
    end = datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
    before = key_figures(
        apply(ViewSpec(datetime(2026, 2, 22, tzinfo=MEXICO_CITY), end), bundle.incidents)
    )
    after = key_figures(
        apply(ViewSpec(datetime(2026, 2, 22, 12, tzinfo=MEXICO_CITY), end), bundle.incidents)
    )
    assert before.incidents != after.incidents
    incidents = page.locator("[data-testid='stMetricValue']").first
    expect(incidents).to_have_text(str(before.incidents), timeout=30_000)
    start_thumb = page.get_by_role("slider").first
    start_thumb.focus()
    for _ in range(12):  # one-hour steps: the start moves to 12:00 on 22 Feb
        start_thumb.press("ArrowRight")
    expect(start_thumb).to_have_attribute("aria-valuetext", "Sun 22 Feb, 12:00")
    expect(incidents).to_have_text(str(after.incidents), timeout=30_000)


def test_the_charts_are_drawn_in_the_browser(page, server, bundle):
    """The three SVG charts reach the page as drawn SVG (AppTest sees only what the
    server sends: st.html, for one, drops SVG in the browser and leaves empty slots).
    The two hourly charts are in the closed "Hour by hour" section: opened by keyboard,
    they are drawn, and they stay drawn when the window moves."""
    from playwright.sync_api import expect

    page.goto(server)
    map_frame(page)
    charts = page.locator("svg[role='img']")
    expect(charts).to_have_count(1, timeout=30_000)  # the state chart; the section is closed
    view = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
    )
    selected = apply(view, bundle.incidents)
    states = incidents_only(selected[selected["in_window"] == "known"])["cve_ent"].nunique()
    bars = charts.first.locator("rect")
    assert bars.count() == states  # one bar per state with incidents counted in the window
    box = charts.first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    section = page.locator("summary", has_text="Hour by hour")
    section.focus()
    section.press("Enter")
    expect(charts).to_have_count(3, timeout=30_000)
    for chart in charts.all():
        assert chart.locator("rect").count() > 0
    start_thumb = page.get_by_role("slider").first
    start_thumb.focus()
    start_thumb.press("ArrowRight")
    expect(start_thumb).to_have_attribute("aria-valuetext", re.compile(r"01:00"))
    # The charts still on the page may be the last run's: wait for the new window's run
    # (its link) to finish drawing.
    page.wait_for_url(lambda url: "from=2026-02-22T01:00" in unquote(url), timeout=30_000)
    wait_for_app_run(page)
    expect(charts).to_have_count(3, timeout=30_000)


def test_embed_url_shows_the_map_without_the_sidebar(page, server, bundle):
    page.goto(f"{server}/?embed=true&from=2026-02-22T00:00&to=2026-02-23T00:00&states=JAL")
    frame = settled_map(page)  # the view's records on the map, not only the map
    view = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY),
        datetime(2026, 2, 23, tzinfo=MEXICO_CITY),
        states=frozenset({"14"}),
    )
    selected = apply(view, bundle.incidents)
    assert frame.evaluate(COUNT_LAYERS)["markers"] == int((selected.geo_precision < 3).sum())
    assert page.locator("[data-testid='stSidebar']").count() == 0
    assert page.locator("[data-testid='stMetricValue']").count() == 0
    assert page.get_by_role("slider").count() == 2  # the time control stays
    assert page.get_by_text("Natural Earth").count() >= 1


# The lowest bottom edge of the page's elements, in CSS pixels from the top (scrolled to 0).
CONTENT_BOTTOM = """() => Math.max(...Array.from(
    document.querySelectorAll("[data-testid='stElementContainer']"),
    e => e.getBoundingClientRect().bottom))"""


@pytest.mark.parametrize("width", [390, 1400])
def test_the_suggested_embed_height_shows_everything(browser, server, width):
    """The share panel's iframe height fits the embed's map, slider and credit line."""
    from playwright.sync_api import expect

    from dashboard.model.schema import EMBED_FRAME_HEIGHT

    context = browser.new_context(viewport={"width": width, "height": EMBED_FRAME_HEIGHT})
    page = context.new_page()
    try:
        page.goto(f"{server}/?embed=true&from=2026-02-22T00:00&to=2026-02-23T00:00")
        map_frame(page)
        expect(page.get_by_text("Natural Earth").first).to_be_visible(timeout=30_000)
        expect(page.get_by_role("slider").first).to_be_attached(timeout=30_000)
        # The component iframe is drawn at 0 px high until streamlit-folium sets its
        # height; it has settled once the map drew its view in it at that height.
        page.wait_for_function(
            """(selector) => { const f = document.querySelector(selector + '[data-drawn]');
              return Boolean(f) && f.getBoundingClientRect().height > 0
                && f.getBoundingClientRect().height === Number(f.getAttribute('height')); }""",
            arg=IFRAME,
            timeout=30_000,
        )
        wait_for_app_run(page)
        assert page.evaluate(CONTENT_BOTTOM) <= EMBED_FRAME_HEIGHT
    finally:
        context.close()


def test_html_snapshot_works_offline_from_a_file(browser, tmp_path, bundle):
    from dashboard.analysis.permalink import PageView
    from dashboard.render.snapshot import html_document

    view = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 23, tzinfo=MEXICO_CITY)
    )
    path = tmp_path / "snapshot.html"
    path.write_text(html_document(bundle, PageView(view)), encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
    )
    page.goto(path.as_uri())
    page.wait_for_function("() => Object.keys(window).some(k => k.startsWith('map_'))")
    counts = page.evaluate(
        "() => { const m = window[Object.keys(window).find(k => k.startsWith('map_'))];"
        " let markers = 0, polygons = 0; m.eachLayer(l => {"
        " if (l instanceof L.Polygon) polygons += 1; });"
        # records held by the map's groups (Leaflet.markercluster), drawn alone or grouped
        " m._tim.incidents.eachLayer(l => { if (l instanceof L.CircleMarker) markers += 1; });"
        " return {markers, polygons}; }"
    )
    selected = apply(view, bundle.incidents)
    assert counts == {"markers": int((selected.geo_precision < 3).sum()), "polygons": 32}
    assert page.locator(".tim-play-button").count() == 1
    page.screenshot(path=str(ARTIFACTS / "html-snapshot.png"))
    context.close()


def test_clicking_a_state_selects_it(page, server):
    from playwright.sync_api import expect

    page.goto(server)
    frame = map_frame(page)
    # The whole map in view first: with its foot below the fold, Playwright's scroll moves
    # the click off the point computed here.
    page.locator(f"iframe[src*='{MAP_FRAME}']").evaluate("e => e.scrollIntoView({block: 'center'})")
    # A point inside Chihuahua, where no incident is drawn (a click on a dot opens its popup).
    # Page coordinates of the point, after scrolling the map into view: a click positioned
    # on an element inside the iframe lands off by the page's scroll.
    page.locator(f"iframe[src*='{MAP_FRAME}']").scroll_into_view_if_needed()
    x, y = frame.evaluate(
        "() => { const p = window.map.latLngToContainerPoint([28.5, -106.0]);"
        " const r = window.map.getContainer().getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }"
    )
    # Click through the page's mouse at the iframe's position: a locator click scrolls
    # Streamlit's main container while it aims, and lands tens of pixels off.
    iframe = page.locator(f"iframe[src*='{MAP_FRAME}']")
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    # The tap shows the state's summary; its button filters.
    frame.locator(".tim-state-summary").get_by_role("button", name="Show only this state").click()
    expect(page.get_by_role("checkbox", name="All states")).not_to_be_checked(timeout=30_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text("Chihuahua", exact=True)).to_be_visible(timeout=30_000)
    page.wait_for_url("**states=CHH**")


def test_clicking_an_incident_opens_its_popup_and_keeps_the_filters(page, server):
    """Through Leaflet's own event API: the marker's popup opens and no state is selected."""
    from playwright.sync_api import expect

    page.goto(server)
    frame = map_frame(page)
    # A record drawn alone (not in a group): close enough to one that it is.
    frame.wait_for_function("() => map._tim && map._tim.byId['jal-pv-costco']")
    frame.evaluate(
        "() => { map.setView(map._tim.byId['jal-pv-costco'].getLatLng(), map.getMaxZoom(),"
        " {animate: false}); }"
    )
    frame.wait_for_function("() => map._tim.markers.some(m => m._map)")
    frame.evaluate(
        "() => { const target = map._tim.markers.find(m => m._map);"
        " target.fire('click', {latlng: target.getLatLng()}); }"
    )
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_be_visible(timeout=10_000)
    expect(popup).to_contain_text("Sources:")
    assert frame.evaluate("() => window.__GLOBAL_DATA__.lat_lng_clicked") is None
    # A state selection would rerun the page (after the map's 350 ms click guard) and
    # drop the popup: neither may happen for longer than that and a rerun.
    never(
        frame,
        "() => !document.querySelector('.leaflet-popup-content')"
        " || window.parent.location.search.includes('states=')",
        1500,
    )
    expect(popup).to_be_visible()
    expect(page.get_by_role("checkbox", name="All states")).to_be_checked()


@pytest.mark.parametrize(("locale", "lang"), [("es-MX", "es"), ("en-US", "en")])
def test_the_browser_language_sets_the_page_and_map_language(browser, server, locale, lang):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
    page = context.new_page()
    try:
        page.goto(f"{server}/?from=2026-02-22T00:00&to=2026-02-23T00:00")
        frame = map_frame(page)
        expect(page.locator("html")).to_have_attribute("lang", lang, timeout=30_000)
        # the map frame is marked once it has loaded
        frame.wait_for_function(
            "(lang) => document.documentElement.lang === lang", arg=lang, timeout=10_000
        )
        assert frame.evaluate("() => document.documentElement.lang") == lang
        expect(
            page.get_by_role("radio", name={"es": "Español", "en": "English"}[lang])
        ).to_be_checked()
        assert parse_qs(urlsplit(page.url).query)["lang"] == [lang]
    finally:
        context.close()


def test_the_language_switch_keeps_the_view(page, server):
    from playwright.sync_api import expect

    page.goto(f"{server}/?from=2026-02-22T06:00&to=2026-02-23T00:00&states=JAL&lang=en")
    map_frame(page)
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=30_000)
    page.get_by_text("Español", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=30_000)
    page.wait_for_function("() => location.search.includes('lang=es')", timeout=30_000)
    query = parse_qs(urlsplit(page.url).query)
    assert (query["from"], query["states"], query["lang"]) == (
        ["2026-02-22T06:00"],
        ["JAL"],
        ["es"],
    )


def test_the_map_frame_is_titled_by_what_it_shows(page, server):
    page.goto(f"{server}/?from=2026-02-22T06:00&to=2026-02-23T00:00&states=JAL")
    map_frame(page)
    frame = page.locator(f"iframe[src*='{MAP_FRAME}']")
    from playwright.sync_api import expect

    expect(frame).to_have_attribute(
        "title",
        "Map: After the Tapalpa raid: reported incidents in Jalisco, Sun 22 Feb 06:00 to "
        "Mon 23 Feb 00:00 Mexico City time. Every incident is also listed in the table "
        "under the map.",
        timeout=10_000,
    )


def test_the_state_filter_finds_states_without_accents(page, server):
    from playwright.sync_api import expect

    page.goto(server)
    map_frame(page)
    page.get_by_role("checkbox", name="All states").uncheck(force=True)
    states = page.get_by_role("combobox", name="States")
    expect(states).to_be_visible(timeout=30_000)
    states.click()
    states.fill("Michoacan")
    # The page spells options with combining accents (NFD); they read the same.
    option = page.get_by_role("option", name=unicodedata.normalize("NFD", "Michoacán"))
    expect(option).to_be_visible(timeout=10_000)
    option.click()
    page.wait_for_url("**states=MIC**", timeout=30_000)


def test_choosing_a_table_row_shows_its_details(page, server, bundle):
    """A click on a row's marker: the same callback that sets the map's focus_incident."""
    from playwright.sync_api import expect

    from dashboard.render.incident_list import incident_table

    page.goto(server)
    map_frame(page)
    search = page.get_by_label("Search by place, municipality or state")
    search.fill("Tapalpa")
    search.press("Enter")
    view = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
    )
    rows = incident_table(apply(view, bundle.incidents), "Tapalpa").rows
    expect(page.get_by_text(f"{len(rows)} incidents matching the search")).to_be_visible(
        timeout=30_000
    )
    open_section(page, INCIDENT_TABLE_OPEN)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # The row-marker column is the grid's first ~30 px; rows are 35 px under a 35 px header.
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 * 1 + 17)
    details = page.locator("[data-testid='stMarkdownContainer']").filter(has_text="Sources:")
    expect(details).to_be_visible(timeout=30_000)
    second = rows.iloc[1]
    expect(details).to_contain_text(second["place"])
    expect(details).to_contain_text(second["when"])
    assert details.get_by_role("link").first.get_attribute("href") == second["source"]


def test_a_server_restart_keeps_the_readers_first_slider_move(browser, bundle):
    """The page reconnects to a new server process; the move it sends must not snap back
    to the window in the address bar."""
    from playwright.sync_api import expect

    require_chromium()
    port = free_port()
    process = start_server(port)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{port}/?from=2026-02-22T00:00&to=2026-02-24T00:00")
        map_frame(page)
        stop_server(process)
        process = start_server(port)
        start_thumb = page.get_by_role("slider").first
        # The frontend reconnects by itself; its status widget goes once it has.
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
        start_thumb.focus()
        for _ in range(3):
            start_thumb.press("ArrowRight")
        expected = key_figures(
            apply(
                ViewSpec(
                    datetime(2026, 2, 22, 3, tzinfo=MEXICO_CITY),
                    datetime(2026, 2, 24, tzinfo=MEXICO_CITY),
                ),
                bundle.incidents,
            )
        )
        page.wait_for_url(lambda url: "from=2026-02-22T03:00" in unquote(url), timeout=30_000)
        expect(page.locator("[data-testid='stMetricValue']").first).to_have_text(
            str(expected.incidents), timeout=30_000
        )
        expect(start_thumb).to_have_attribute("aria-valuetext", "Sun 22 Feb, 03:00")
    finally:
        context.close()
        stop_server(process)


def test_an_opened_section_stays_open_when_it_comes_back(page, server):
    """Streamlit forgets an expander's state after a run that does not draw it: a window
    with no state-level reports, or the state filter between unticking "All states" and
    choosing a state. Sections the reader opened open again when they come back."""
    from playwright.sync_api import expect

    page.goto(server)
    map_frame(page)
    main = page.locator("[data-testid='stMain']")
    summaries = main.locator("[data-testid='stExpander'] summary")
    opened = main.locator("details[open]")
    # the eight closed sections and "How the map counts"
    expect(summaries).to_have_count(9, timeout=30_000)
    for name in ("Reports known only to their state", "Hour by hour"):
        summaries.filter(has_text=name).focus()
        page.keyboard.press("Enter")
    expect(opened).to_have_count(2, timeout=30_000)
    expect(page.locator("svg[role='img']")).to_have_count(3, timeout=30_000)
    wait_for_app_run(page)  # the rerun that opened it has drawn the page
    # The keyboard focus stays on the section the reader opened (it is not drawn anew).
    expect(summaries.filter(has_text="Hour by hour")).to_be_focused()
    state_level = summaries.filter(has_text="Reports known only to their state")
    page.get_by_text("Wed 25 Feb", exact=True).click()  # no state-level reports that day
    expect(state_level).to_have_count(0, timeout=30_000)
    page.get_by_text("Sun 22 Feb", exact=True).click()
    expect(state_level).to_have_count(1, timeout=30_000)
    expect(opened).to_have_count(2, timeout=30_000)
    page.get_by_role("checkbox", name="All states").uncheck(force=True)
    expect(summaries).to_have_count(0, timeout=30_000)  # "No state selected"
    states = page.get_by_role("combobox", name="States")
    states.click()
    states.fill("Jalisco")
    page.get_by_role("option", name="Jalisco").click()
    page.wait_for_url("**states=JAL**", timeout=30_000)
    expect(summaries).to_have_count(9, timeout=30_000)
    expect(opened).to_have_count(2, timeout=30_000)
    expect(page.locator("svg[role='img']")).to_have_count(3)
