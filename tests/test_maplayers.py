"""The map's layer table (render/maplayers.py): one entry per layer, read by the live
map's config and view data, its layer control, the standalone HTML and the PNG."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime

import pytest

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import state_counts
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.schema import MAP_LAYERS
from dashboard.render import maplayers, mapview, snapshot
from dashboard.render.mapfiles import STATIC
from dashboard.render.maplayers import LAYERS, MAP_LAYER, MapLayer
from dashboard.render.mapstates import states_geojson
from dashboard.render.mapstrings import map_strings
from dashboard.text.i18n import translation

VIEW = ViewSpec(
    datetime(2026, 2, 22, 6, tzinfo=MEXICO_CITY), datetime(2026, 2, 23, tzinfo=MEXICO_CITY)
)


def test_the_table_holds_the_link_vocabulary_in_order():
    """The permalink reader (below render/) checks `layers=` against schema.MAP_LAYERS."""
    assert tuple(MAP_LAYER) == MAP_LAYERS
    assert all(isinstance(layer, MapLayer) for layer in LAYERS)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.key)
def test_every_layer_is_named_in_both_languages(layer):
    spanish = translation("es")
    assert spanish.gettext(layer.label) != layer.label
    assert spanish.gettext(layer.choice) != layer.choice
    assert map_strings("es")[f"layer_{layer.key}"] == spanish.gettext(layer.label)


def test_the_live_map_builds_its_layer_control_from_the_table(bundle):
    config = mapview.map_config("{}", bundle.operation_site)
    assert config["layers"] == [layer.key for layer in LAYERS]
    script = (STATIC / "tapalpa-map.js").read_text(encoding="utf-8")
    assert "config.layers.forEach" in script and "this.config.layers.forEach" in script
    for key in MAP_LAYERS:  # a Leaflet group per layer
        assert re.search(rf"\b{key}: this\.{key}\b", script), key


def test_the_view_lists_the_shown_layers_in_table_order(bundle):
    selected = apply(VIEW, bundle.incidents)
    counts = state_counts(selected, bundle.official, VIEW)
    layer, _ = mapview.view_layer(selected, counts, VIEW, layers=frozenset({"incidents", "states"}))
    assert layer.view["layers"] == ["states", "incidents"]


def test_a_new_layer_is_one_entry_and_its_functions(bundle, monkeypatch):
    """An added entry reaches the base map's config, every view, the standalone HTML and
    the PNG (called with whether the view shows it), without touching those modules."""
    drawn = []

    def draw(canvas, shown):
        drawn.append(shown)
        if shown:
            canvas.ax.plot([-103.5], [20.5], marker="x", color="#000000", zorder=5)

    roads = MapLayer(
        "roads",
        "Roads",
        "Roads",
        png=draw,
        base=lambda inputs: {"roads": [[20.5, -103.5]]},
        view=lambda inputs: {"roads_open": len(inputs.selected)},
    )
    table = (*LAYERS, roads)
    for module in (maplayers, mapview, snapshot):
        monkeypatch.setattr(module, "LAYERS", table)
    fmap, _ = mapview.build_map(
        apply(VIEW, bundle.incidents),
        state_counts(apply(VIEW, bundle.incidents), bundle.official, VIEW),
        states_geojson(bundle.states_display),
        bundle.operation_site,
        VIEW,
        layers=frozenset({"states", "roads"}),
    )
    html = fmap.get_root().render()
    init = json.loads(re.search(r"TapalpaMap\.init\(\w+, (\{.*?\})\);", html).group(1))
    update = json.loads(re.search(r"TapalpaMap\.update\(\w+, (\{.*?\})\);", html).group(1))
    assert init["roads"] == [[20.5, -103.5]] and init["layers"][-1] == "roads"
    assert update["roads_open"] > 0 and update["layers"] == ["states", "roads"]
    page = PageView(VIEW, layers=frozenset({"states", "roads"}))
    snapshot.png_figure(bundle, page)
    assert drawn == [True]
    snapshot.png_figure(bundle, replace(page, layers=frozenset({"states"})))
    assert drawn == [True, False]


def test_hidden_layers_leave_the_png_but_keep_the_states_as_geography(bundle):
    """With no basemap, the states stay as white outlines when their layer is hidden (over
    the grey land around Mexico, which is not a layer); the incidents and the site are
    left out."""
    shown = snapshot.png_figure(bundle, PageView(VIEW))[0]
    bare = snapshot.png_figure(bundle, PageView(VIEW, layers=frozenset()))[0]
    (ax,), (bare_ax,) = shown.axes, bare.axes
    assert len(bare_ax.collections) == 2 < len(ax.collections)  # land, then the states
    faces = bare_ax.collections[1].get_facecolors()
    assert (faces[:, :3] == 1).all()  # white


@pytest.mark.parametrize(
    ("text", "clipped"),
    [
        ("short", "short"),
        ("a" * 90, "a" * 90),
        (
            "dañadas el 22 de febrero " * 5,
            "dañadas el 22 de febrero " * 3 + "dañadas el 22…",
        ),
        ("x" * 100, "x" * 89 + "…"),
        ("word, " * 20, ("word, " * 15).rstrip(" ,") + "…"),
    ],
)
def test_a_state_popups_report_is_clipped_at_a_word_with_an_ellipsis(text, clipped):
    from dashboard.render.mapstates import clip_words

    assert clip_words(text) == clipped
    assert len(clip_words(text)) <= 90


@pytest.mark.parametrize(
    ("lang", "possible", "expected"),
    [
        ("es", 56, "0 incidentes en el periodo (+56 posibles, hora poco precisa)"),
        ("es", 1, "0 incidentes en el periodo (+1 posible, hora poco precisa)"),
        ("en", 56, "0 incidents in the window (+56 possible, time not precise enough)"),
        ("es", 0, "0 incidentes en el periodo<"),
    ],
)
def test_a_state_popup_names_its_possible_incidents_and_clips_reports(lang, possible, expected):
    """Tester 10 #5: Jalisco's popup said "0 incidentes en el periodo" while the map drew
    56 dashed (possible) records there, and cut its reports mid-word."""
    import pandas as pd

    from dashboard.render.mapstates import state_styles

    counts = pd.DataFrame(
        {
            "cve_ent": ["14"],
            "state": ["Jalisco"],
            "incidents": [0],
            "incidents_possible": [possible],
            "official_blockades": [65.0],
            "official_source": ["Gabinete"],
        }
    )
    report = (
        "Reportan camionetas dañadas el 22 de febrero en varios municipios de la región "
        "con tres aeronaves"
    )
    state_only = pd.DataFrame(
        {"cve_ent": ["14"], "event_type": ["clash"], "summary": [report], "summary_es": [report]}
    )
    html = state_styles(counts, state_only, lang)["14"][1] + "<"
    assert expected in html
    assert "con tres aeron" not in html
    assert "en varios municipios de la región con tres…<" in html
