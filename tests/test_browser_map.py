"""The map in a real browser: it keeps the reader's view, works on a phone, replays honestly.

Same server and browser fixtures as tests/test_browser.py (tests/conftest.py: Debian's
Chromium, every request outside the local server refused). Markers are on a canvas: they
are counted and inspected through Leaflet (page.evaluate), never with CSS selectors.
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
import pytest

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.symbols import ZERO_COLOUR
from tests.conftest import (
    COUNT_LAYERS,
    IFRAME,
    MAP_AT_REST,
    MAP_FRAME,
    VIEW_STATE,
    map_frame,
    never,
    settled_map,
    wait_for_app_run,
)

pytestmark = pytest.mark.browser

START, END = datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)


def drawable(bundle, start=START, end=END) -> pd.DataFrame:
    selected = apply(ViewSpec(start, end), bundle.incidents)
    return selected[selected.geo_precision < 3]


def test_slider_keeps_zoom_and_centre_and_draws_the_new_window(page, server, bundle):
    page.goto(server)
    frame = map_frame(page)
    frame.evaluate("() => { map.setView([20.67, -103.35], 8, {animate: false}); }")
    before = frame.evaluate(VIEW_STATE)
    page.wait_for_url("**zoom=8**")  # the pan reached the address bar, without a rerun
    thumb = page.get_by_role("slider").first
    thumb.focus()
    for _ in range(12):  # the window's start moves to 12:00 on 22 Feb
        thumb.press("ArrowRight")
    new_window = "2026-02-22T12:00/2026-02-24T00:00"
    page.wait_for_selector(f"{IFRAME}[data-window='{new_window}']", timeout=30_000)
    frames = [f for f in page.frames if MAP_FRAME in (f.url or "")]
    assert frames == [frame]  # the same map, not a new one
    assert frame.evaluate(VIEW_STATE) == before
    expected = drawable(bundle, start=datetime(2026, 2, 22, 12, tzinfo=MEXICO_CITY))
    assert frame.evaluate(COUNT_LAYERS)["markers"] == len(expected) < len(drawable(bundle))
    page.wait_for_url("**from=2026-02-22T12%3A00**zoom=8**")  # both kept in the link


def test_a_slider_step_is_drawn_at_once_and_the_rerun_does_not_draw_it_again(page, server, bundle):
    """The view of the window one stop later came with the last view (next_views): the
    map draws it when the slider moves, before the rerun's view arrives, and that view
    is the same, so the map is not drawn a second time. Both show that window's records."""
    page.goto(server)
    frame = settled_map(page)
    # What the map drew, and each view the rerun sent it (streamlit-folium runs
    # `TapalpaMap.update(map_div, view)`), in order.
    frame.evaluate(
        """() => { const tim = map._tim, draw = tim.update, sent = TapalpaMap.update;
          window.__seen = [];
          tim.update = function (v) {
            window.__seen.push('drawn ' + v.window);
            return draw.apply(this, arguments);
          };
          TapalpaMap.update = function (m, v) {
            window.__seen.push('sent ' + v.window);
            return sent.apply(this, arguments);
          }; }"""
    )
    thumb = page.get_by_role("slider").first
    thumb.focus()
    thumb.press("ArrowRight")
    new_window = "2026-02-22T01:00/2026-02-24T00:00"
    page.wait_for_selector(f"{IFRAME}[data-window='{new_window}']", timeout=30_000)
    # the rerun's view has reached the map (the view previews are made from)
    frame.wait_for_function(f"() => map._tim.base.window === '{new_window}'", timeout=30_000)
    wait_for_app_run(page)
    assert frame.evaluate("() => window.__seen") == [f"drawn {new_window}", f"sent {new_window}"]
    expected = drawable(bundle, start=datetime(2026, 2, 22, 1, tzinfo=MEXICO_CITY))
    assert frame.evaluate(COUNT_LAYERS)["markers"] == len(expected)


def test_a_link_restores_centre_and_zoom_in_a_fresh_context(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    # with the size the map was seen at (the address bar writes it), no larger than this
    # map: a link without one is read as seen on a 1100x560 desktop map and zooms out on
    # this 1200 px window's narrower map (tests/test_browser_old_links.py)
    page.goto(f"{server}/?lat=20.6700&lon=-103.3500&zoom=8&size=700x500")
    frame = map_frame(page)
    state = frame.evaluate(VIEW_STATE)
    assert state["zoom"] == 8
    assert state["lat"] == pytest.approx(20.67, abs=5e-3)
    assert state["lng"] == pytest.approx(-103.35, abs=5e-3)
    context.close()


def test_replay_an_hour_before_the_first_report_draws_nothing_active(page, server, bundle):
    page.goto(server)
    frame = map_frame(page)
    records = drawable(bundle)
    timed = records[~records.time_precision.isin(("day", "part_of_day"))]
    first = timed.t_start.min()
    step = int((first - pd.Timestamp(START)).total_seconds() // 3600) - 1
    assert step >= 0
    frame.locator(".tim-play-range").fill(str(step))
    seen = frame.evaluate(
        """() => {
      const out = {active: 0, span: 0, earlier: 0, drawn: 0, uncertainSpan: true, fills: []};
      map._tim.markers.forEach(m => {
        if (!map._tim.incidents.hasLayer(m)) return;  // held alone or in a group
        out.drawn += 1;
        out[m.replayState] += 1;
        if (m.replayState === 'span' && !m.uncertain) out.uncertainSpan = false;
      });
      map._tim.states.eachLayer(l => out.fills.push(l.options.fillColor));
      out.label = document.querySelector('.tim-play-label').textContent;
      out.valuetext = document.querySelector('.tim-play-range').getAttribute('aria-valuetext');
      return out;
    }"""
    )
    assert seen["active"] == 0 and seen["earlier"] == 0
    assert seen["uncertainSpan"]  # only records without a reported time: "some time today"
    assert set(seen["fills"]) == {ZERO_COLOUR}  # the shading follows the replay
    assert seen["label"].split(": ")[1].startswith("0 under way")
    assert "Mexico City" in seen["valuetext"]
    # At the first report's hour it is drawn as active, and its state is shaded.
    frame.locator(".tim-play-range").fill(str(step + 1))
    active = frame.evaluate(
        "() => map._tim.markers.filter(m => map._tim.incidents.hasLayer(m)"
        " && m.replayState === 'active').length"
    )
    assert active >= 1


def test_play_button_says_what_it_does(page, server):
    from playwright.sync_api import expect

    page.goto(server)
    frame = map_frame(page)
    button = frame.get_by_role("button", name="Play")
    button.click()
    expect(frame.get_by_role("button", name="Pause")).to_be_visible()
    frame.get_by_role("button", name="Pause").click()
    expect(frame.get_by_role("button", name="Play")).to_be_visible()
    assert frame.locator("[role=status][aria-live=polite]").count() == 1


def test_map_focus_is_visible_and_pinch_zoom_is_allowed(page, server):
    page.goto(server)
    frame = map_frame(page)
    viewport = frame.evaluate(
        "() => [...document.querySelectorAll('meta[name=viewport]')].map(m => m.content)"
    )
    assert viewport and not any("user-scalable=no" in v for v in viewport)
    frame.locator("#map_div").focus()
    style = frame.evaluate(
        "() => { const s = getComputedStyle(document.getElementById('map_div'));"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert style[0] == "solid" and style[1] != "0px"


def test_focus_request_pans_and_opens_the_popup_keeping_a_closer_zoom(page, server):
    from playwright.sync_api import expect

    page.goto(server)
    frame = map_frame(page)
    # focus() does nothing until the view's points are on the map (a busy machine may
    # still be fetching them when the map itself exists).
    frame.wait_for_function("() => map._tim && Boolean(map._tim.byId['jal-pv-costco'])")
    frame.evaluate("() => { map._tim.focus('jal-pv-costco'); }")
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Sources:")
    assert frame.evaluate("() => map.getZoom()") == 9
    frame.evaluate("() => { map.setZoom(12, {animate: false}); map._tim.focus('jal-pv-costco'); }")
    assert frame.evaluate("() => map.getZoom()") == 12


@pytest.mark.parametrize(("width", "height", "phone"), [(390, 844, True), (1440, 900, False)])
def test_controls_leave_every_incident_visible(browser, server, width, height, phone):
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.goto(server)
    frame = settled_map(page)
    layout = frame.evaluate(
        """() => {
      const box = map.getContainer().getBoundingClientRect();
      const controls = [...document.querySelectorAll('.leaflet-control-container .leaflet-control')]
        .map(el => el.getBoundingClientRect()).filter(r => r.width && r.height)
        .map(r => [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
      const covered = controls.reduce((a, r) => a + (r[2] - r[0]) * (r[3] - r[1]), 0);
      const hidden = [];
      let shown = 0;
      // Every symbol: a point drawn alone, or a group (Leaflet.markercluster) of several.
      const group = map._tim.incidents, seen = new Set();
      map._tim.markers.forEach(m => {
        const symbol = map._tim.symbolOf(m);
        if (!symbol) return;
        shown += 1;  // records held by a symbol on the map
        if (seen.has(symbol)) return;
        seen.add(symbol);
        const p = map.latLngToContainerPoint(symbol.getLatLng());
        const r = symbol.getRadius ? symbol.getRadius() + 2 : 22;
        if (p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height) return;
        const under = c => p.x + r > c[0] && p.x - r < c[2] && p.y + r > c[1] && p.y - r < c[3];
        if (controls.some(under)) hidden.push([p.x, p.y]);
      });
      const layers = document.querySelector('.leaflet-control-layers');
      return {share: covered / (box.width * box.height), hidden, shown,
              collapsed: !layers.classList.contains('leaflet-control-layers-expanded')};
    }"""
    )
    assert layout["shown"] > 250 and layout["hidden"] == [], layout
    if not phone:
        context.close()
        return
    # The legend open and whole (every kind without scrolling, at most a third of the
    # map's area: test_browser_phone), the replay across the map's width, the zoom and
    # layer buttons at 44 px: under half of the map in all, and no incident under any of
    # them (above). It was 40 % while the legend was a 140 px scroll box that showed one
    # kind of seven (issue 23: the legend a reader can read without a tap).
    assert layout["share"] <= 0.48, layout
    assert layout["collapsed"]
    legend = frame.get_by_role("button", name="Hide legend")
    expect(legend).to_have_attribute("aria-expanded", "true")
    legend.click()
    expect(frame.get_by_role("button", name="Legend")).to_have_attribute("aria-expanded", "false")
    assert frame.evaluate("() => !!map.gestureHandling && map.gestureHandling.enabled()")
    page.screenshot(path="artifacts/phone-map.png")
    context.close()


def test_clicking_a_selected_state_again_removes_it(page, server):
    from playwright.sync_api import expect

    page.goto(server)
    frame = map_frame(page)
    all_states = page.get_by_role("checkbox", name="All states")
    for checked, lng, choice in (
        (False, -106.0, "Show only this state"),
        (True, -106.2, "Show every state again"),
    ):
        # A tap inside Chihuahua, through Leaflet's event API (the page's layout may still
        # shift under a mouse click while Streamlit renders), shows the state's summary;
        # its button filters (or unfilters).
        frame.evaluate(
            "() => { map._tim.stateLayers['08'].fire('click', "
            f"{{latlng: L.latLng(28.5, {lng})}}); }}"
        )
        frame.locator(".tim-state-summary").get_by_role("button", name=choice).click()
        if checked:
            expect(all_states).to_be_checked(timeout=30_000)
        else:
            expect(all_states).not_to_be_checked(timeout=30_000)
            page.wait_for_url("**states=CHH**")
        frame = map_frame(page)


def test_live_page_loads_our_map_files_as_cacheable_static_files(page, server):
    """With server.enableStaticServing, Leaflet and the map's own JS and CSS come from
    /app/static/ (content-hashed URLs, so a proxy may cache them for long) instead of
    riding along with every map render; so do the states geometry and the data version's
    points (content-hashed file names), and a rerun sends the view only."""
    responses = []
    page.on("response", lambda r: responses.append((r.url, r.status, r.headers)))
    page.goto(server)
    frame = map_frame(page)
    frame.wait_for_function("() => map._tim && map._tim.markers.length > 100")
    ours = [(u, s, h) for u, s, h in responses if "/app/static/" in u]
    names = {u.split("?")[0].rsplit("/", 1)[1] for u, _, _ in ours}
    # One script and one stylesheet (Leaflet, its plugin and ours, joined), the states
    # geometry and the points: each named by its content's hash.
    assert {n.split("-")[0] + "." + n.rsplit(".", 1)[1] for n in names} == {
        "map.js",
        "map.css",
        "states.json",
        "points.json",
    }, names
    assert all(re.fullmatch(r"(map|states|points)-[0-9a-f]{16}\.(js|css|json)", n) for n in names)
    kinds = {"js": "javascript", "css": "text/css", "json": "application/json"}
    for url, status, headers in ours:
        assert status == 200
        assert kinds[url.rsplit(".", 1)[1]] in headers["content-type"], (url, headers)
    # The states drawn from the fetched geometry; the view's points from the catalogue.
    assert frame.evaluate("() => Object.keys(map._tim.stateLayers).length") == 32
    drawn = int(frame.locator(".leaflet-container").get_attribute("data-drawn"))
    assert drawn == frame.evaluate("() => map._tim.view.ids.length") > 100
    assert frame.evaluate("() => typeof map._tim.view.catalogue") == "string"


def _states(url: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return ",".join(parse_qs(urlsplit(url).query).get("states", [""]))


def test_dragging_or_double_clicking_the_map_leaves_the_state_filter_alone(page, server):
    """A drag with the mouse across state borders pans the map; a double-click zooms it;
    neither touches the filter. A plain click shows the state's summary, whose button
    toggles the state."""
    page.goto(f"{server}/?from=2026-02-23T00:00&to=2026-02-24T00:00&states=GUA,JAL")
    frame = settled_map(page)
    box = page.locator(IFRAME).bounding_box()
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
    before = frame.evaluate(VIEW_STATE)
    frame.evaluate(
        "() => { window.__moves = 0; map.on('moveend', () => { window.__moves += 1; }); }"
    )
    for drags in range(1, 4):
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 14):  # ~130 px, as a reader drags
            page.mouse.move(x + 10 * step, y + 3 * step)
        page.mouse.up()
        # The drag is over once its pan, inertia included, has ended (one moveend each).
        frame.wait_for_function("(n) => window.__moves >= n", arg=drags, timeout=10_000)
        frame.wait_for_function(MAP_AT_REST, timeout=10_000)
    page.mouse.dblclick(x + 130, y + 39)
    # A click taken for a state would change the link after streamlit-folium's debounce
    # and a rerun: it must not, for longer than those take.
    never(page, "() => new URLSearchParams(location.search).get('states') !== 'GUA,JAL'", 2500)
    assert _states(page.url) == "GUA,JAL"
    frame.wait_for_function(MAP_AT_REST, timeout=10_000)  # the double-click's zoom
    after = frame.evaluate(VIEW_STATE)
    assert after["lng"] < before["lng"] and after["zoom"] > before["zoom"]  # panned, zoomed
    # A point inside a state with no symbol within 40 px (a group's tap zooms instead).
    free = frame.evaluate(
        """() => { const tim = map._tim, size = map.getSize(), symbols = [];
      tim.markers.forEach(m => { const s = tim.symbolOf(m);
        if (s) symbols.push(map.latLngToContainerPoint(s.getLatLng())); });
      for (let y = 60; y < size.y - 120; y += 15) for (let x = 60; x < size.x - 200; x += 15) {
        const p = L.point(x, y), ll = map.containerPointToLatLng(p);
        if (symbols.some(s => s.distanceTo(p) < 40)) continue;
        if (Object.values(tim.stateLayers).some(l => TapalpaMap.insideLayer(ll, l))) return [x, y];
      }
      return null; }"""
    )
    assert free, "no free point in a state"
    origin = frame.evaluate(
        "() => { const r = map.getContainer().getBoundingClientRect(); return [r.left, r.top]; }"
    )
    page.mouse.click(box["x"] + origin[0] + free[0], box["y"] + origin[1] + free[1])
    never(page, "() => new URLSearchParams(location.search).get('states') !== 'GUA,JAL'", 1500)
    frame.locator(".tim-state-filter").click()
    page.wait_for_url(lambda url: _states(url) not in ("GUA,JAL", ""), timeout=30_000)


CONTROL_BOXES = """() => {
  const box = map.getContainer().getBoundingClientRect();
  return [...document.querySelectorAll('.leaflet-control-container .leaflet-control')]
    .map(el => [el.className, el.getBoundingClientRect()]).filter(([, r]) => r.width && r.height)
    .map(([name, r]) => [name, r.left - box.left, r.top - box.top, r.right - box.left,
                         r.bottom - box.top]);
}"""


@pytest.mark.parametrize("path", ["/", "/?embed=true"])
def test_no_control_covers_another_at_desktop_width(browser, server, path):
    """The legend, open by default at desktop width, stays clear of the layer control:
    every checkbox there can be clicked, and no two controls overlap."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server + path)
        frame = settled_map(page)  # the controls are styled and the legend fitted
        assert frame.get_by_role("button", name="Hide legend").is_visible()
        boxes = frame.evaluate(CONTROL_BOXES)
        for i, (name, *a) in enumerate(boxes):
            for other, *b in boxes[i + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, f"{name} {a} overlaps {other} {b}"
        for label in ("States: incidents in window", "Reported incidents"):
            checkbox = frame.get_by_role("checkbox", name=label)
            checkbox.click(trial=True, timeout=5_000)  # fails if another element is on top
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_on_a_phone_the_map_starts_on_the_first_screen(browser, server, lang):
    """At 390×844 the title, introduction and key figures leave the map's top edge on the
    first screen (one key figure per row, or notes above the map, push it screens down),
    and every key figure's label is shown whole (wrapped, not cut off)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{server}/?lang={lang}")
    map_frame(page)
    wait_for_app_run(page)  # every element above the map is drawn
    top = page.locator(IFRAME).bounding_box()["y"]
    assert top <= 844 - 60, top  # the top of the map and its zoom buttons on the first screen
    cut = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetricLabel"] p')]
            .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.innerText)"""
    )
    assert cut == []
    context.close()


def test_a_hover_label_closes_when_the_map_is_dragged(page, server):
    """A label open before a drag (the Tapalpa star's, hovered) does not stay behind on
    the moved map over other places (tester 11e, issue 23): dragstart closes it."""
    page.goto(server)
    frame = settled_map(page)
    frame.evaluate("() => map._tim.site.eachLayer(l => l.openTooltip())")
    assert frame.locator(".leaflet-tooltip").count() == 1
    box = page.locator(IFRAME).bounding_box()
    x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(x + 20 * step, y + 8 * step)
    page.mouse.up()
    frame.wait_for_function(MAP_AT_REST)
    assert frame.evaluate("() => map._tim.userMoves"), "the map was not dragged"
    # The star's label, opened before the drag, is closed (a state's hover label may open
    # where the pointer rests after the drag: that one is not the bug; it made this test
    # fail once in a loaded CI run when it counted every label).
    star_open = (
        "() => { let open = false;"
        " map._tim.site.eachLayer(l => { open = open || l.isTooltipOpen(); }); return open; }"
    )
    assert frame.evaluate(star_open) is False


def test_the_replay_names_the_year_when_the_view_says_so(page, server):
    """The replay's time label (tapalpa-map.js timeLabel, Intl in the map's language)
    carries the year when the view says the data spans years (view.years, from
    timing.shows_years), and not for the bundled event's window."""
    page.goto(server)
    frame = settled_map(page)
    labels = frame.evaluate(
        """() => {
      const tim = map._tim, view = tim.view, strings = tim.s;
      const t = Date.UTC(2025, 11, 31, 20);  // 14:00 on 31 Dec 2025, Mexico City
      const out = {years: view.years, plain: tim.timeLabel(t)};
      tim.view = Object.assign({}, view, {years: true});
      out.en = tim.timeLabel(t);
      tim.s = Object.assign({}, strings, {locale: 'es-MX'});
      tim.timeFormats = {};
      out.es = tim.timeLabel(t);
      tim.view = view; tim.s = strings; tim.timeFormats = {};
      return out;
    }"""
    )
    assert labels["years"] is False
    assert labels["plain"].startswith("Wed 31 Dec, 14:00") and "2025" not in labels["plain"]
    assert labels["en"].startswith("Wed 31 Dec 2025, 14:00")
    assert labels["es"].startswith("mié 31 dic 2025, 14:00")
