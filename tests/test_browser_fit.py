"""The first view fits its data into the area the map's controls leave free (tester 10's
#1, #2, #14), on a phone, in a phone's embed and in a bad link's fallback; a state's popup
opens clear of every control (#4); a pan the page makes itself (a popup's) is never kept
as the reader's view (#3). Boxes are measured in the browser, relative to the map."""

from __future__ import annotations

import functools
import json

import pytest

from tests.conftest import MAP_AT_REST, settled_map

pytestmark = pytest.mark.browser

NIGHT = "from=2026-02-22T18:00&to=2026-02-23T06:00&states=JAL,MIC"
BAD = "from=2026-13-45T99:00&to=ma%C3%B1ana&states=ZZZ&zoom=99"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# The fitted region's box (the chosen states, or every state), the map's box and every
# control's box, relative to the map: [left, top, right, bottom].
FITTED = """(codes) => {
  const tim = map._tim, origin = map.getContainer().getBoundingClientRect();
  let b = null;
  Object.keys(tim.stateLayers).forEach(code => {
    if (codes.length && !codes.includes(code)) return;
    const lb = tim.stateLayers[code].getBounds();
    b = b ? b.extend(lb) : L.latLngBounds(lb.getSouthWest(), lb.getNorthEast());
  });
  const sw = map.latLngToContainerPoint(b.getSouthWest());
  const ne = map.latLngToContainerPoint(b.getNorthEast());
  const controls = {};
  document.querySelectorAll('.leaflet-control-container .leaflet-control').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width && r.height) controls[el.className.split(' ')[0]] =
      [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top];
  });
  return {data: [sw.x, ne.y, ne.x, sw.y], map: [0, 0, origin.width, origin.height], controls,
          zoom: map.getZoom()};
}"""


def overlap(a, b) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def inside(a, outer) -> bool:
    return all(a[i] >= outer[i] - 1 for i in (0, 1)) and all(a[i] <= outer[i] + 1 for i in (2, 3))


def check_fitted(seen, least_share: float) -> None:
    """The data's box inside the map, under no control, and not tiny: at least
    `least_share` of the map's width or of its height."""
    data, box = seen["data"], seen["map"]
    assert inside(data, box), seen
    covering = {k: c for k, c in seen["controls"].items() if overlap(data, c)}
    assert covering == {}, (data, covering)
    wide, tall = data[2] - data[0], data[3] - data[1]
    assert wide >= least_share * box[2] or tall >= least_share * box[3], seen


@pytest.fixture
def opener(open_page):
    """open_page (tests/conftest.py) in a Spanish (es-MX) browser."""
    return functools.partial(open_page, locale="es-MX")


@pytest.mark.parametrize(
    ("path", "options"),
    [
        (f"/?{NIGHT}", PHONE),  # tester 10 #1: the live page on a phone
        (f"/?embed=true&{NIGHT}", {**PHONE, "viewport": {"width": 360, "height": 900}}),  # #2
        (f"/?embed=true&{NIGHT}", {"viewport": {"width": 700, "height": 900}}),
    ],
)
def test_a_link_on_states_fits_them_clear_of_every_control(opener, server, path, options):
    """Jalisco and Michoacán fill the free area: under no control (an open legend, the
    replay box, the chips), at least 45 % of the map's width or height (on a phone they were
    95×92 px at the bottom of a 358×560 map, under the replay box)."""
    frame = settled_map(opener(server + path, **options))
    check_fitted(frame.evaluate(FITTED, ["14", "16"]), 0.45)


def test_a_bad_links_fallback_fits_the_whole_country_in_the_free_area(opener, server):
    """#14: the bad link's national map in a 700 px column is not pushed into a corner
    under the replay bar. (On a phone the open legend hangs over the country's empty
    north by design: no free rectangle holds the country at half the map's size.)"""
    page = opener(f"{server}/?embed=true&{BAD}", viewport={"width": 700, "height": 900})
    frame = settled_map(page)
    check_fitted(frame.evaluate(FITTED, []), 0.4)


def test_a_state_popup_on_a_phone_opens_clear_of_every_control(opener, server):
    """#4: Jalisco's summary (tall on a phone) overlaps no control: it scrolls within the
    room the controls leave instead of running under the replay box."""
    frame = settled_map(opener(f"{server}/?{NIGHT}", **PHONE))
    frame.evaluate("() => map._tim.stateSummary('14', map._tim.stateAnchor('14'))")
    frame.wait_for_selector(".leaflet-popup-content")
    frame.wait_for_function(MAP_AT_REST)
    seen = frame.evaluate(
        FITTED.replace(
            "return {data:",
            "const w = document.querySelector('.leaflet-popup-content-wrapper')"
            ".getBoundingClientRect();"
            " return {popup: [w.left - origin.left, w.top - origin.top, w.right - origin.left,"
            " w.bottom - origin.top], data:",
        ),
        ["14"],
    )
    assert inside(seen["popup"], seen["map"]), seen
    covering = {k: c for k, c in seen["controls"].items() if overlap(seen["popup"], c)}
    assert covering == {}, (seen["popup"], covering)


def test_a_popups_own_pan_is_not_kept_as_the_readers_view(opener, server):
    """#3: a popup pans the map to make room; the view kept for the tab (sessionStorage) and
    written into the address stays the reader's own, here the first view's, so the
    same link opened again fits its states."""
    page = opener(f"{server}/?{NIGHT}", **PHONE)
    frame = settled_map(page)
    before = frame.evaluate("() => [map.getCenter().lat, map.getCenter().lng, map.getZoom()]")
    frame.evaluate("() => map._tim.stateSummary('14', map._tim.stateAnchor('14'))")
    frame.wait_for_selector(".leaflet-popup-content")
    frame.wait_for_function(MAP_AT_REST)
    page.wait_for_timeout(1500)  # the link is rewritten each second
    saved = frame.evaluate("() => sessionStorage.getItem('tapalpa-map-view')")
    if saved:
        view = json.loads(saved)
        moved = max(abs(view["center"][0] - before[0]), abs(view["center"][1] - before[1]))
        assert moved < 1e-3, (view, before)
    assert "lat=" not in page.url, page.url
