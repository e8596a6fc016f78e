"""The map tested as data: its two parts, their layers, symbols and text, before Streamlit."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import warnings
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rjsmin
import xstatic.pkg.leaflet

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.stats import incidents_only, state_counts
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.schema import ACLED_EVENT_TYPES, EVENT_TYPES
from dashboard.render import symbols
from dashboard.render.mapassets import map_assets
from dashboard.render.mapfiles import DATA, STATIC
from dashboard.render.maplayers import LAYER_INCIDENTS, LAYER_SITE, LAYER_STATES
from dashboard.render.mappoints import MAX_DRAWN_POINTS, incident_points
from dashboard.render.mapstates import replay_counts, states_geojson
from dashboard.render.mapstrings import MAP_STRINGS, map_strings, osm_attribution
from dashboard.render.mapview import (
    MapSetup,
    ViewLayer,
    base_map,
    build_map,
    first_view,
    view_layer,
)
from dashboard.render.popups import with_display_text
from dashboard.render.symbols import (
    ACLED_CATEGORIES,
    BINS,
    CATEGORIES,
    CATEGORY_OF,
    HALO,
    OSM_LAND,
    PALETTES,
    STATE_FILL_OPACITY,
    STATE_PALETTE,
    ZERO_COLOUR,
    palette_of,
    state_colour,
)

VIEW = ViewSpec(
    datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
)
XSS = {
    "summary": "<img src=x onerror=alert(1)>",
    "place": "${alert(1)}",
    "source_outlet": "</script><script>alert(1)</script>",
    "municipality": "`",
    "more_source_urls": "javascript:alert(1)",
    "notes": "{{ config }}",
}


@pytest.fixture(scope="module")
def states_json(bundle):
    return states_geojson(bundle.states_display)


def render(bundle, states_json, frame, view=VIEW):
    selected = apply(view, frame)
    counts = state_counts(selected, bundle.official, view)
    fmap, info = build_map(selected, counts, states_json, bundle.operation_site, view)
    return fmap, info, fmap.get_root().render(), selected


def children(fmap, kind):
    return [c for c in fmap._children.values() if isinstance(c, kind)]


def view_data(html: str) -> dict:
    """The data a standalone map hands to TapalpaMap.update."""
    match = re.search(r"TapalpaMap\.update\(\w+, (\{.*?\})\);", html)
    return json.loads(match.group(1))


# ------------------------------------------------------------------ the two parts


def test_base_map_is_identical_across_views(bundle, states_json):
    """The page hands streamlit-folium the same base map on every rerun: nothing in it may
    depend on the window or the filters, or the map on screen would be rebuilt."""
    from streamlit_folium import _get_map_string, generate_js_hash

    def base_script():
        fmap = base_map(states_json, bundle.operation_site, live=True)
        fmap.get_root().render()
        return generate_js_hash(_get_map_string(fmap), "map", False)

    assert base_script() == base_script()


def test_view_layer_carries_the_view(bundle):
    frame = with_display_text(bundle.incidents)
    selected = apply(VIEW, frame)
    counts = state_counts(selected, bundle.official, VIEW)
    layer, info = view_layer(selected, counts, VIEW, layers=frozenset({"states", "incidents"}))
    assert isinstance(layer, ViewLayer)
    data = layer.view
    drawable = selected[selected.geo_precision < 3]
    assert data["mode"] == "points" and len(data["rows"]) == info.drawn_points == len(drawable)
    assert data["window"] == "2026-02-22T00:00/2026-02-24T00:00"
    assert data["layers"] == ["states", "incidents"]
    assert {r[10] for r in data["rows"]} == set(drawable.incident_id)
    # per-state counts agree with stats.state_counts; states without incidents are 0
    for code, (n, tooltip) in data["states"].items():
        assert n == int(counts.set_index("cve_ent").loc[code, "incidents"])
        assert "incident" in tooltip
    assert info.state_only_records == int((selected.geo_precision == 3).sum()) > 0


def test_layers_site_and_strings_are_in_the_map(bundle, states_json):
    fmap, _, html, _ = render(bundle, states_json, bundle.incidents)
    (setup,) = children(fmap, MapSetup)
    config = setup.config
    for name in (LAYER_STATES, LAYER_SITE, LAYER_INCIDENTS):
        assert json.dumps(name) in html  # named in the layer control
    [(lat, lon, tooltip, popup)] = config["site"]
    assert (lat, lon) == pytest.approx((19.925, -103.735), abs=0.01)
    assert "Tapalpa" in tooltip and 'rel="noopener noreferrer"' in popup
    # every string of the interface comes from Python, in one table
    assert config["strings"]["play"] == MAP_STRINGS["play"] == "Play"
    assert config["gesture"]["touch"] == MAP_STRINGS["gesture"]["touch"]
    script = (STATIC / "tapalpa-map.js").read_text(encoding="utf-8")
    quoted = re.findall(r'(?<![\w.])"([A-Z][a-z]+(?: [a-z]+)+)"', script)
    assert not quoted, f"interface text hard-coded in the JavaScript: {quoted}"


@pytest.mark.parametrize(
    ("center", "zoom", "states", "expected"),
    [
        ((20.6, -103.3), 9, None, {"center": [20.6, -103.3], "zoom": 9}),
        (None, None, frozenset({"14", "16"}), {"states": ["14", "16"]}),
        (None, None, None, {}),  # fit Mexico's bounds, at any screen size
    ],
)
def test_first_view(bundle, center, zoom, states, expected):
    view = VIEW.with_changes(states=states)
    assert first_view(view, center, zoom, bundle.states_display) == expected


def test_state_only_records_are_never_points(bundle):
    rows, _, _ = incident_points(bundle.incidents)
    ids = {r[10] for r in rows}
    state_level = set(bundle.incidents.loc[bundle.incidents.geo_precision == 3, "incident_id"])
    assert state_level and not ids & state_level
    assert len(rows) == int((bundle.incidents.geo_precision < 3).sum())


def test_points_carry_precision_and_timing(bundle):
    rows, urls, labels = incident_points(bundle.incidents)
    by_id = {r[10]: r for r in rows}
    costco = by_id["jal-pv-costco"]
    assert costco[3] == 1 and costco[4] == 0  # exact site, timed to the hour
    asientos = by_id["ags-asientos"]
    assert asientos[3] == 2 and asientos[4] == 1  # town-level, day only
    assert all(u.startswith(("http://", "https://")) for u in urls)
    assert "(day only; time not reported)" in asientos[8]


# ------------------------------------------------------------------ assets


def test_offline_no_cdn_and_readers_may_zoom(bundle, states_json):
    _, _, html, _ = render(bundle, states_json, bundle.incidents)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    # Leaflet, GestureHandling and markercluster (script and stylesheet each), ours, and
    # the print style (static/print.css).
    assert len(sources) == 9 and all(s.startswith("data:") for s in sources)
    assert "user-scalable=no" not in html and "maximum-scale" not in html
    assert "L.map(" in html or "L.map (" in html
    assert "TapalpaMap.init(" in html and "gestureHandling" in html


def test_served_assets_are_two_files_named_by_their_content():
    """The live page's map loads one script and one stylesheet (the frame loads scripts one
    after another), each the packages' and our files joined, byte for byte."""
    js, css = map_assets("served")
    assert [name for name, _ in js] == ["map.js"] and [name for name, _ in css] == ["map.css"]
    for (_, url), suffix in ((js[0], "js"), (css[0], "css")):
        assert re.fullmatch(rf"\.\./\.\./app/static/data/map-[0-9a-f]{{16}}\.{suffix}", url)
        raw = (DATA / url.rsplit("/", 1)[1]).read_bytes()
        assert url.endswith(f"-{hashlib.sha256(raw).hexdigest()[:16]}.{suffix}")
    script = (DATA / js[0][1].rsplit("/", 1)[1]).read_bytes()
    leaflet = (Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.js").read_bytes()
    ours = rjsmin.jsmin((STATIC / "tapalpa-map.js").read_bytes(), keep_bang_comments=True)
    assert script.startswith(leaflet) and script.endswith(ours)  # Leaflet first, ours last
    assert len(ours) < 0.7 * (STATIC / "tapalpa-map.js").stat().st_size  # shipped minified
    assert b"gestureHandling" in script and b"MarkerClusterGroup" in script
    with pytest.raises(ValueError, match="asset mode"):
        map_assets("cdn")


def test_bundled_map_html_fits_the_budget(bundle, states_json):
    _, _, html, _ = render(bundle, states_json, with_display_text(bundle.incidents))
    # Leaflet (154 KB), GestureHandling (31 KB), markercluster (34 KB) and our own files
    # included.
    assert len(html.encode()) <= 640_000


# ------------------------------------------------------------------ escaping


def test_hostile_text_only_escaped(bundle, states_json):
    frame = bundle.incidents.copy()
    target = frame.index[frame.incident_id == "jal-pv-costco"][0]
    for field, value in XSS.items():
        frame.loc[target, field] = value
    other = frame.index[frame.incident_id == "ags-asientos"][0]
    frame.loc[other, "source_url"] = "javascript:alert(1)"
    _, _, html, _ = render(bundle, states_json, frame)
    for raw in (
        "<img src=x",
        "${alert",
        "</script><script>alert",
        "javascript:alert",
        "{{ config",
    ):
        assert raw not in html, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&#36;&#123;alert(1)&#125;" in html
    assert "&#96;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"""href=["']?javascript""", html, re.I)


def test_hostile_incident_id_stays_data(bundle):
    frame = with_display_text(bundle.incidents.head(3)).copy()
    frame["incident_id"] = ["</script><b>x", "a", "b"]
    frame["geo_precision"] = 1
    layer, _ = view_layer(frame, state_counts(frame, bundle.official, VIEW), VIEW)
    assert "</script>" not in layer.view_json and "<\\/script>" in layer.view_json


# ------------------------------------------------------------------ views


def test_empty_selection_still_draws_states(bundle, states_json):
    view = VIEW.with_changes(event_types=frozenset())
    fmap, info, html, _ = render(bundle, states_json, bundle.incidents, view)
    assert info.drawn_points == 0
    assert view_data(html)["rows"] == [] and len(view_data(html)["states"]) == 32


def test_large_inputs_are_grouped_not_drawn_one_by_one(bundle, states_json):
    rng = np.random.default_rng(7)
    n = MAX_DRAWN_POINTS + 1000
    base = bundle.incidents[bundle.incidents.geo_precision < 3]
    frame = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True)
    frame["incident_id"] = [f"s{i}" for i in range(n)]
    frame["lon"] += rng.normal(0, 0.2, n)
    frame["lat"] += rng.normal(0, 0.2, n)
    fmap, info, html, selected = render(bundle, states_json, frame)
    assert len(selected) > MAX_DRAWN_POINTS
    assert info.mode == "cells" and 0 < info.drawn_points < len(selected)
    cells = view_data(html)["rows"]
    assert sum(c[2] for c in cells) == len(selected)
    assert pd.Series([c[2] for c in cells]).min() >= 1
    # a cell is "under way" in a replay only within the span of its timed records
    for _, _, _, t0, t1, timed0, timed1 in cells:
        assert (timed0 is None) == (timed1 is None)
        assert timed0 is None or t0 <= timed0 < timed1 <= t1


def test_focus_request_travels_with_the_view(bundle):
    selected = apply(VIEW, bundle.incidents)
    counts = state_counts(selected, bundle.official, VIEW)
    layer, _ = view_layer(selected, counts, VIEW, focus=("jal-pv-costco", 3))
    assert layer.view["focus"] == {"id": "jal-pv-costco", "n": 3}
    assert view_layer(selected, counts, VIEW)[0].view["focus"] is None


# ------------------------------------------------------------------ honest replay


def test_replay_counts_never_count_a_record_before_it_is_known(bundle):
    selected = apply(VIEW, bundle.incidents)
    replay = replay_counts(selected, VIEW)
    counted = incidents_only(selected)
    hours = 48
    assert all(len(v) == hours for v in replay.values())
    for code, series in replay.items():
        assert series == sorted(series)  # never decreasing
        mine = counted[counted.cve_ent == code]
        assert series[-1] <= len(mine)
    # An hour before the first report nothing is known anywhere.
    first = counted["t_start"].min()
    step = int((first - pd.Timestamp(VIEW.start)).total_seconds() // 3600) - 1
    if step >= 0:
        assert all(series[step] == 0 for series in replay.values())
    # Day-only records count only once their day is over.
    day_only = counted[counted.time_precision == "day"]
    row = day_only.iloc[0]
    end_step = int((row.t_end - pd.Timestamp(VIEW.start)).total_seconds() // 3600)
    timed_before = counted[
        (counted.cve_ent == row.cve_ent)
        & ~counted.time_precision.isin(("day", "part_of_day"))
        & (counted.t_start < pd.Timestamp(VIEW.start) + pd.Timedelta(hours=end_step))
    ]
    spans_before = counted[
        (counted.cve_ent == row.cve_ent)
        & counted.time_precision.isin(("day", "part_of_day"))
        & (counted.t_end <= pd.Timestamp(VIEW.start) + pd.Timedelta(hours=end_step))
    ]
    assert replay[row.cve_ent][end_step - 1] == len(timed_before) + len(spans_before)


# ------------------------------------------------------------------ symbols

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # colour-science warns that SciPy is not installed
    import colour

DEFICIENCIES = (None, "Protanomaly", "Deuteranomaly", "Tritanomaly")


def linear(hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return colour.cctf_decoding(rgb, function="sRGB")


def simulate(rgb_linear: np.ndarray, deficiency: str | None) -> np.ndarray:
    """Machado et al. (2009) simulation, full severity, on linear sRGB."""
    if deficiency is None:
        return rgb_linear
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tritanomaly is an approximation; the library says so
        matrix = colour.matrix_cvd_Machado2009(deficiency, 1.0)
    return np.clip(matrix @ rgb_linear, 0, 1)


def contrast(a: np.ndarray, b: np.ndarray) -> float:
    """WCAG 2 contrast ratio of two linear-sRGB colours."""
    la, lb = sorted(float(x @ [0.2126, 0.7152, 0.0722]) for x in (a, b))
    return (lb + 0.05) / (la + 0.05)


def delta_e(a: np.ndarray, b: np.ndarray) -> float:
    def lab(x):
        return colour.XYZ_to_Lab(colour.sRGB_to_XYZ(colour.cctf_encoding(x, function="sRGB")))

    return float(colour.delta_E(lab(a), lab(b), method="CIE 2000"))


def state_fills() -> list[np.ndarray]:
    """Every state fill as seen: at its opacity over white (no tiles) and over OSM land."""
    fills = [ZERO_COLOUR, *STATE_PALETTE]
    return [
        STATE_FILL_OPACITY * linear(f) + (1 - STATE_FILL_OPACITY) * linear(bg)
        for f in fills
        for bg in ("#ffffff", OSM_LAND)
    ]


@pytest.mark.parametrize("palette", list(PALETTES))
def test_at_most_eight_categories_cover_every_event_type(palette):
    """Each palette: at most eight categories, each its own shape and colour; ours cover
    our types, ACLED's ACLED's, with colour-and-shape pairs checked below (ours)."""
    categories = PALETTES[palette]
    assert len(categories) <= 8
    assert len({c.shape for c in categories}) == len(categories)
    assert len({c.colour for c in categories}) == len(categories)
    assert {(c.colour, c.shape) for c in categories} <= {(c.colour, c.shape) for c in CATEGORIES}
    assert set(CATEGORY_OF) | set(ACLED_EVENT_TYPES) == set(EVENT_TYPES)
    assert {t for c in ACLED_CATEGORIES for t in c.types} == {*ACLED_EVENT_TYPES, "other"}


def test_an_acled_file_is_drawn_in_acleds_types():
    assert palette_of(["battles", "protests", "other"]) == "acled"
    assert palette_of(["blockade", "other"]) == "ours"
    assert palette_of(["blockade", "battles"]) == "ours"  # mixed: ACLED's drawn as Other
    assert symbols.category("riots", "acled").label == "Riots"
    assert symbols.category("riots").key == "other"


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_categories_are_told_apart_by_colour_or_shape(deficiency):
    for a, b in itertools.combinations(CATEGORIES, 2):
        difference = delta_e(
            simulate(linear(a.colour), deficiency), simulate(linear(b.colour), deficiency)
        )
        if deficiency is None:
            assert difference >= 10, (a.key, b.key, difference)
        assert a.shape != b.shape or difference >= 10, (a.key, b.key, difference)


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_markers_keep_3_to_1_on_every_state_fill(deficiency):
    for category in CATEGORIES:
        marker = simulate(linear(category.colour), deficiency)
        for fill in state_fills():
            ratio = contrast(marker, simulate(fill, deficiency))
            assert ratio >= 3, (category.key, deficiency, ratio)
        # the halo separates the marker from anything under it
        assert contrast(marker, simulate(linear(HALO), deficiency)) >= 3


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_zero_and_neighbouring_classes_stay_apart(deficiency):
    ramp_colours = [ZERO_COLOUR, *STATE_PALETTE]
    seen = [simulate(linear(c), deficiency) for c in ramp_colours]
    steps = [delta_e(a, b) for a, b in itertools.pairwise(seen)]
    assert steps[0] >= 5, f"0 looks like the lowest class ({steps[0]:.1f})"
    assert min(steps) >= 3, steps
    lightness = [float(x @ [0.2126, 0.7152, 0.0722]) for x in seen]
    assert lightness == sorted(lightness, reverse=True)  # more incidents, darker


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, ZERO_COLOUR), (1, STATE_PALETTE[0]), (2, STATE_PALETTE[0]), (3, STATE_PALETTE[1])]
    + [(low, STATE_PALETTE[i]) for i, (low, _) in enumerate(BINS)]
    + [(10_000, STATE_PALETTE[-1])],
)
def test_state_colour_classes(count, expected):
    assert state_colour(count) == expected


@pytest.mark.parametrize(
    ("lang", "strings", "credit"),
    [
        (
            "es",
            {
                "zoom_in": "Acercar",
                "zoom_out": "Alejar",
                "close_popup": "Cerrar ventana emergente",
                "layers": "Capas",
            },
            "© colaboradores de <a",
        ),
        (
            "en",
            {
                "zoom_in": "Zoom in",
                "zoom_out": "Zoom out",
                "close_popup": "Close popup",
                "layers": "Layers",
            },
            "© <a",
        ),
    ],
)
def test_leaflet_controls_and_basemap_credit_in_the_map_language(
    bundle, states_json, lang, strings, credit
):
    """Leaflet's own buttons (zoom, popup close, layers) and the basemap credit come from
    the catalogues, in the map's language; the credit links OpenStreetMap's copyright."""
    fmap = base_map(states_json, bundle.operation_site, lang=lang)
    (setup,) = children(fmap, MapSetup)
    assert {k: setup.config["strings"][k] for k in strings} == strings
    html = fmap.get_root().render()
    attribution = osm_attribution(lang)
    assert attribution.startswith(credit)
    assert '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>' in attribution
    (tiles,) = [c for c in fmap._children.values() if c._name == "TileLayer"]
    assert tiles.options["attribution"] == attribution
    assert ("contributors" in html) == (lang == "en")


@pytest.mark.parametrize(
    ("lang", "touch"), [("en", "tap or hover"), ("es", "tócalo o pasa el cursor")]
)
def test_legend_speaks_to_touch_and_mouse(lang, touch):
    assert touch in map_strings(lang)["legend_state_only"]


def test_a_long_window_replays_day_by_day(bundle):
    """A window longer than two weeks (a year of a file) replays by days: one count per
    day, and the view tells the map its step."""
    view = ViewSpec(
        datetime(2026, 2, 1, tzinfo=MEXICO_CITY), datetime(2026, 3, 31, tzinfo=MEXICO_CITY)
    )
    selected = apply(view, bundle.incidents)
    replay = replay_counts(selected, view)
    assert {len(v) for v in replay.values()} == {58}
    assert sum(v[-1] for v in replay.values()) == len(incidents_only(selected))
    layer, _ = view_layer(selected, state_counts(selected, bundle.official, view), view)
    assert '"step":86400000' in layer.view_json.replace(" ", "")


@pytest.mark.parametrize(
    ("window", "years", "expected"),
    [
        ((datetime(2026, 2, 22), datetime(2026, 2, 24)), False, False),  # the event
        ((datetime(2026, 2, 22), datetime(2026, 2, 24)), True, True),  # a file over years
        ((datetime(2025, 12, 31), datetime(2026, 1, 2)), False, True),  # not the event's year
        ((datetime(2025, 3, 1), datetime(2025, 3, 8)), False, True),
    ],
)
def test_the_view_tells_the_replay_to_name_the_year(bundle, window, years, expected):
    """view["years"] (timing.shows_years) makes the replay's labels (tapalpa-map.js
    timeLabel) carry the year: when the data spans years or the window is not 2026."""
    view = ViewSpec(*(t.replace(tzinfo=MEXICO_CITY) for t in window))
    selected = apply(view, bundle.incidents)
    layer, _ = view_layer(
        selected, state_counts(selected, bundle.official, view), view, years=years
    )
    assert layer.view["years"] is expected


@pytest.mark.parametrize(
    ("live", "lang", "message"),
    [
        (True, "en", "The map could not be loaded"),
        (True, "es", "No se pudo cargar el mapa"),
        (False, "es", None),  # a snapshot carries every file inline: nothing can fail
    ],
)
def test_the_live_map_watches_its_files_first(bundle, states_json, live, lang, message):
    """mapfallback: the live map's first script (a data: URI) is the watcher of the files
    after it, with its texts in the page's language; snapshots have none."""
    from urllib.parse import unquote

    fmap = base_map(states_json, bundle.operation_site, live=live, lang=lang)
    names = [name for name, _ in fmap.default_js]
    if message is None:
        assert "map-fallback.js" not in names
        return
    assert names[0] == "map-fallback.js" and len(names) > 1
    script = unquote(fmap.default_js[0][1])
    assert script.startswith("data:text/javascript") and message in script
    assert 'addEventListener("error"' in script
