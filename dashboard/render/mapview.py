"""The folium map for a view: data in, folium.Map out. No Streamlit, no CDN.

The map has two parts:
- the **base map** (`base_map`): Leaflet, the layers' fixed data (the states' geometry,
  the Tapalpa site), the legend, the layer and replay controls. It depends only on the
  data version and the session's first view, so the page hands streamlit-folium the same
  map on every rerun and the map on screen (with the reader's centre and zoom) is never
  rebuilt;
- the **view** (`view_layer`): incidents, state shading, replay steps, visible layers and
  a record to focus, as data for `TapalpaMap.update` in dashboard/static/tapalpa-map.js.
  The page passes it as streamlit-folium's `feature_group_to_add`, which applies it to
  the map already on screen; the standalone HTML simply adds it to the map.

What each layer contributes to either part is in the layer table (maplayers.LAYERS);
assets are in mapassets, strings in mapstrings.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
from jinja2 import Template

from dashboard.analysis.filters import ViewSpec, replay_step_ms
from dashboard.model.mexico import BY_CODE, MEXICO_CITY
from dashboard.model.schema import MAP_LAYERS, MAP_ZOOM_RANGE, MEXICO_CENTER, event_type_label
from dashboard.model.timing import shows_years
from dashboard.render.mapassets import DataElement, OfflineMap
from dashboard.render.mapfallback import fallback_script
from dashboard.render.maplayers import LAYERS, BaseInputs, ViewInputs
from dashboard.render.mappoints import TYPE_ORDER, PointCatalogue
from dashboard.render.mapstrings import map_strings, osm_attribution
from dashboard.render.symbols import (
    BINS,
    HALO,
    PALETTES,
    SHORT_LABELS,
    STATE_EDGE,
    STATE_FILL_OPACITY,
    STATE_PALETTE,
    ZERO_COLOUR,
    category_index,
    palette_of,
    ramp,
    state_classes,
)
from dashboard.text.escape import escape_text, script_json
from dashboard.text.i18n import DEFAULT_LANGUAGE, gettext_for

NARROW_PX = 700  # below this map width: legend collapsed, layer control collapsed
FOCUS_ZOOM = 9  # zoom for a record chosen in the table, unless the reader is closer
REPLAY_STEP_MS = 700
ANNOUNCE_MS = 4000  # at most one screen-reader announcement this often while playing


# ------------------------------------------------------------------ the base map


def escape_template(template: str, field: str = "{n}") -> str:
    """`template` escaped for HTML (escape_text) except its `field`, which the map's
    JavaScript fills in (fill() in tapalpa-map.js) with a number: escaping the whole
    template first would turn "{n}" into entities that fill() never finds."""
    return field.join(escape_text(part) for part in template.split(field))


def map_config(
    states_json: str,
    site: gpd.GeoDataFrame,
    *,
    initial: dict | None = None,
    live: bool = False,
    strings: dict | None = None,
    lang: str = DEFAULT_LANGUAGE,
    states_url: str | None = None,
    palette: str = "ours",
) -> dict:
    """What TapalpaMap.init receives: each layer's fixed data, symbols, strings and the
    first view. `palette` (symbols.PALETTES, symbols.palette_of of the records' types):
    the categories the markers are drawn in and the legend lists ("acled": an ACLED
    file's, ACLED's event types).

    `initial` is {"center": [lat, lon], "zoom": float} or {"states": [cve_ent, ...]} or
    None (fit Mexico). `live`: the map may write its centre and zoom into the page's
    address (the Streamlit page; not a standalone file). `lang` ("es" or "en"): the
    language of every string (`map_strings`); `strings` overrides single entries.
    `states_url` (mapfiles.published_json of `states_json`): the map fetches the geometry
    from there instead of carrying it.
    """
    text = {**map_strings(lang), **(strings or {})}
    inputs = BaseInputs(states_json, site, lang, states_url)
    config: dict = {
        "strings": {k: v for k, v in text.items() if k != "gesture"},
        "gesture": text["gesture"],
    }
    for layer in LAYERS:
        config.update(layer.base(inputs))
    return config | {
        # No site (a reader's file: Bundle.with_user_file): no site layer in the control.
        "layers": [layer.key for layer in LAYERS if layer.key != "site" or not site.empty],
        "categories": [
            {
                "key": c.key,
                "label": gettext_for(lang, c.label),
                "short": gettext_for(lang, SHORT_LABELS.get(c.key, c.label)),
                "colour": c.colour,
                "shape": c.shape,
            }
            for c in PALETTES[palette]
        ],
        "type_category": [
            category_index(palette).get(t, len(PALETTES[palette]) - 1) for t in TYPE_ORDER
        ],
        "type_labels": [escape_text(event_type_label(t, lang)) for t in TYPE_ORDER],
        "sources_html": escape_text(text["sources"]),
        "grouped_html": escape_template(text["grouped"]),
        "grouped_html_one": escape_template(text["grouped_one"]),
        "halo": HALO,
        "zero": ZERO_COLOUR,
        "bins": [[low, colour] for (low, _), colour in zip(BINS, STATE_PALETTE, strict=True)],
        "ramp": [[colour, label] for colour, label in ramp(lang, short=True)],
        "state_fill_opacity": STATE_FILL_OPACITY,
        "state_edge": STATE_EDGE,
        "timezone": MEXICO_CITY.key,
        "narrow_px": NARROW_PX,
        "focus_zoom": FOCUS_ZOOM,
        "step_ms": REPLAY_STEP_MS,
        "announce_ms": ANNOUNCE_MS,
        "initial": initial or {},
        "live": live,
    }


def _config_json(config: dict) -> str:
    """JSON for a <script>, with the pre-serialised states geometry spliced in."""
    if config["states"] is None:  # fetched from states_url
        return script_json(config)
    states = config["states"]["__raw__"]
    text = script_json({**config, "states": "__STATES__"})
    return text.replace('"__STATES__"', states, 1)


class MapSetup(DataElement):
    """The base map's own script: TapalpaMap.init with the config (data only)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "TapalpaMap.init({{ this._parent.get_name() }}, {{ this.config_json }});"
        "{% endmacro %}"
    )

    def __init__(self, config: dict):
        super().__init__()
        self._name = "MapSetup"
        self.config = config
        self.config_json = _config_json(config)


def base_map(
    states_json: str,
    site: gpd.GeoDataFrame,
    *,
    height: int | str = 560,
    initial: dict | None = None,
    live: bool = False,
    assets: str = "inline",
    strings: dict | None = None,
    lang: str = DEFAULT_LANGUAGE,
    states_url: str | None = None,
    palette: str = "ours",
) -> folium.Map:
    """The part of the map that stays on screen: identical for identical arguments
    (`lang`, "es" or "en", is the language of its legend, controls and popups).

    With `states_url` the states geometry is fetched by the map (live page) rather than
    carried in its script (snapshots, which must work from a file)."""
    fmap = OfflineMap(
        location=list(MEXICO_CENTER),
        zoom_start=5,
        min_zoom=MAP_ZOOM_RANGE[0],
        max_zoom=MAP_ZOOM_RANGE[1],
        zoom_snap=0.25,
        zoom_delta=1,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,
        font_size="12px",
        height=height,
        assets=assets,
        # The live map's frame shows a message in the map's place if a file fails to load.
        fallback=fallback_script(lang) if live else None,
    )
    folium.TileLayer(
        "OpenStreetMap", name="Basemap", attr=osm_attribution(lang), control=False
    ).add_to(fmap)
    config = map_config(
        states_json,
        site,
        initial=initial,
        live=live,
        strings=strings,
        lang=lang,
        states_url=states_url,
        palette=palette,
    )
    MapSetup(config).add_to(fmap)
    return fmap


# ------------------------------------------------------------------ the view


class ViewLayer(folium.FeatureGroup):
    """One view's data for TapalpaMap.update; a feature group, so streamlit-folium can
    apply it to the map on screen (`feature_group_to_add`) without re-rendering it."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.featureGroup();"
        "TapalpaMap.update({{ this._parent.get_name() }}, {{ this.view_json }});"
        "{% endmacro %}"
    )

    def __init__(self, view: dict, view_json: str | None = None):
        """`view_json`: script_json(view) when already made (a view kept for reuse)."""
        super().__init__(name="view", control=False, show=True)
        self._name = "FeatureGroup"  # streamlit-folium adds it to the map by this name
        self.view = view
        self.view_json = script_json(view) if view_json is None else view_json
        self.count = len(view["ids"]) if "ids" in view else len(view["rows"])

    def render(self, **kwargs) -> None:  # verbatim, never re-templated (see DataElement)
        DataElement.render(self, **kwargs)


def view_change(base: dict, other: dict) -> dict:
    """How view data `other` (view_layer's `.view`) differs from `base`, for the map to
    make `other` from the `base` it holds (tapalpa-map.js, `preview`): {"set": top-level
    fields whose values differ, "patch": {field: {key: value}} for a dict field with the
    same keys, only the keys whose values differ}; {"view": other} whole when the two
    have different fields (one draws points, the other grid cells). Neighbouring windows
    share most of their view (the states' tooltips, the replay's counts), so this is a
    fraction of the view's size."""
    if set(base) != set(other):
        return {"view": other}
    changed: dict = {}
    patch: dict = {}
    for key, value in other.items():
        old = base[key]
        if value == old:
            continue
        if isinstance(value, dict) and isinstance(old, dict) and set(value) == set(old):
            patch[key] = {k: v for k, v in value.items() if v != old[k]}
        else:
            changed[key] = value
    return {"set": changed, "patch": patch}


@dataclass(frozen=True)
class MapLayers:
    """What the map was built from, for tests and the page's captions."""

    drawn_points: int
    state_only_records: int
    mode: str


def window_id(view: ViewSpec) -> str:
    """The window as the permalink writes it (Mexico City time): "from/to"."""
    start, end = (t.astimezone(MEXICO_CITY) for t in (view.start, view.end))
    return f"{start:%Y-%m-%dT%H:%M}/{end:%Y-%m-%dT%H:%M}"


def view_layer(
    selected: pd.DataFrame,
    counts: pd.DataFrame,
    view: ViewSpec,
    *,
    layers: frozenset[str] = frozenset(MAP_LAYERS),
    focus: tuple[str, int] | None = None,
    lang: str = DEFAULT_LANGUAGE,
    catalogue: PointCatalogue | None = None,
    years: bool = False,
) -> tuple[ViewLayer, MapLayers]:
    """The changing part of the map for `selected` (filters.apply of `view`): every
    layer's view data (maplayers.LAYERS), the window, the layers shown and a focus.

    `counts` is stats.state_counts for the same view; `focus` is (incident_id, request
    number): the map pans to that record and opens its popup once per request number.
    `lang`: the language of tooltips and popups built here (precomputed display text in
    `selected`, from `with_display_text(frame, lang)`, is used as it is).
    With a `catalogue` of the same records (mappoints.point_catalogue), points travel as
    positions in it (`ids`) and the map fetches the catalogue once; grid cells always
    travel whole. `years` (the data spans years: timing.spans_years) makes the replay's
    time labels carry the year (`years` in the view: timing.shows_years).
    """
    inputs = ViewInputs(selected, counts, view, lang, catalogue)
    data: dict = {
        "window": window_id(view),
        "start": int(pd.Timestamp(view.start).timestamp() * 1000),
        "end": int(pd.Timestamp(view.end).timestamp() * 1000),
        "step": replay_step_ms(view),  # the replay's step: an hour, a day for a long window
        "years": shows_years(view.start, view.end, years),  # the replay's labels name the year
    }
    for layer in LAYERS:
        data.update(layer.view(inputs))
    # The state classes follow the counts in view (symbols.state_classes): the fills,
    # the legend's ramp and the sentence under the map use the same classes.
    classes = state_classes(counts["incidents"])
    data["bins"] = classes.bins()
    data["ramp"] = [[colour, label] for colour, label in classes.ramp(lang, short=True)]
    data["layers"] = [layer.key for layer in LAYERS if layer.key in layers]
    data["focus"] = {"id": focus[0], "n": focus[1]} if focus else None
    # The state filter (INEGI codes and names): the map fits them and shows a chip each.
    data["filter_states"] = (
        [[code, BY_CODE[code].name] for code in sorted(view.states)]
        if view.states is not None
        else None
    )
    drawn = len(data["ids"]) if "ids" in data else len(data["rows"])
    state_only = int((selected["geo_precision"] >= 3).sum())
    return ViewLayer(data), MapLayers(drawn, state_only, data["mode"])


def build_map(
    selected: pd.DataFrame,
    counts: pd.DataFrame,
    states_base: str,
    site: gpd.GeoDataFrame,
    view: ViewSpec,
    *,
    height: int | str = 560,
    layers: frozenset[str] = frozenset(MAP_LAYERS),
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    focus: gpd.GeoDataFrame | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> tuple[folium.Map, MapLayers]:
    """A whole, self-contained map for one view (the standalone HTML, tests).

    `counts` is stats.state_counts for the same view. A link to some states opens on them
    (unless it names its own centre and zoom); `focus` is kept for compatibility and only
    says whether states may be fitted.
    """
    fmap = base_map(
        states_base,
        site,
        height=height,
        initial=first_view(view, center, zoom, focus),
        lang=lang,
        palette=palette_of(selected["event_type"].unique()),
    )
    layer, info = view_layer(selected, counts, view, layers=layers, lang=lang)
    layer.add_to(fmap)
    return fmap, info


def first_view(
    view: ViewSpec,
    center: tuple[float, float] | None,
    zoom: float | None,
    states_display: gpd.GeoDataFrame | None = None,
    screen: tuple[int, int] | None = None,
) -> dict:
    """The map's first view: the link's centre and zoom, else its states, else Mexico.
    `screen` (CSS px, width, height) is the map's size where that centre and zoom were
    seen: a smaller map zooms out until that whole region is in view (tapalpa-map.js)."""
    if center is not None:
        first = {"center": list(center), "zoom": zoom or 5}
        if screen is not None:
            first["screen"] = [int(screen[0]), int(screen[1])]
        return first
    if view.states and states_display is not None:
        return {"states": sorted(view.states)}
    return {}
