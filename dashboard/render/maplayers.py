"""The map's layers, one table: what each is called and what draws it, on the live map
(the base map's config, each view's data, and its Leaflet group in
dashboard/static/tapalpa-map.js), in the standalone HTML (the same map) and on the PNG.

A layer's key is also the permalink's `layers=` value, which the link reader (below
render/) checks against model/schema.MAP_LAYERS: a new layer's key goes there too, in the
same order (tests/test_maplayers.py holds the two together).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard.analysis.filters import ViewSpec
from dashboard.render.mappoints import (
    MAX_DRAWN_POINTS,
    PointCatalogue,
    grid_cells,
    incident_points,
    possible_ids,
)
from dashboard.render.mapsite import STAR_SVG, site_markers
from dashboard.render.mapstates import SUMMARY_COLUMNS, replay_counts, state_styles
from dashboard.render.pnglayers import PngCanvas, draw_incidents, draw_site, draw_states
from dashboard.text.i18n import N_


@dataclass(frozen=True)
class BaseInputs:
    """What the base map's layers are made from (once per data version and language)."""

    states_json: str  # mapstates.states_geojson of the display geometry
    site: gpd.GeoDataFrame
    lang: str
    states_url: str | None = None  # where the live map fetches states_json instead


@dataclass(frozen=True)
class ViewInputs:
    """What a view's layers are made from."""

    selected: pd.DataFrame  # filters.apply of `view`, display text precomputed or not
    counts: pd.DataFrame  # stats.state_counts of the same view
    view: ViewSpec
    lang: str
    catalogue: PointCatalogue | None = None  # mappoints.point_catalogue of the same records


def _precise(selected: pd.DataFrame):
    return (selected["geo_precision"] < 3).to_numpy()


def _nothing(_inputs) -> dict:
    return {}


def _states_base(inputs: BaseInputs) -> dict:
    # The live map fetches the geometry (states_url); a snapshot carries it, pre-serialised
    # and spliced into the config's JSON as it is (mapview._config_json).
    return {
        "states": None if inputs.states_url else {"__raw__": inputs.states_json},
        "states_url": inputs.states_url,
    }


def _states_view(inputs: ViewInputs) -> dict:
    selected = inputs.selected
    summary_columns = [c for c in selected.columns if c in SUMMARY_COLUMNS]
    state_only = selected.loc[~_precise(selected), summary_columns]
    return {
        "states": state_styles(inputs.counts, state_only, inputs.lang),
        "replay": replay_counts(selected, inputs.view),
    }


def _site_base(inputs: BaseInputs) -> dict:
    return {"site": site_markers(inputs.site, inputs.lang), "site_svg": STAR_SVG}


def _incidents_view(inputs: ViewInputs) -> dict:
    """Points (whole, or as positions in the catalogue the map fetched), or grid cells
    with counts above MAX_DRAWN_POINTS drawable records."""
    precise = _precise(inputs.selected)
    drawable = inputs.selected[precise]
    if precise.sum() > MAX_DRAWN_POINTS:
        return {
            "mode": "cells",
            "rows": grid_cells(drawable),
            "urls": [],
            "labels": [],
            "possible": [],
        }
    data: dict = {"mode": "points"}
    if inputs.catalogue is not None:
        index = inputs.catalogue.index
        ids = [index[i] for i in drawable["incident_id"].to_numpy().astype(str).tolist()]
        ids.sort()  # the catalogue's order is the data's, as incident_points would give
        data.update(rows=[], urls=[], labels=[], catalogue=inputs.catalogue.url, ids=ids)
    else:
        rows, urls, labels = incident_points(drawable, inputs.lang)
        data.update(rows=rows, urls=urls, labels=labels)
    # drawn records only possibly in the window (filters.IN_WINDOW): drawn dashed
    data["possible"] = possible_ids(drawable)
    return data


@dataclass(frozen=True)
class MapLayer:
    """One layer of the map.

    `key`: its name in links and view data; `label` (an N_ message id): its name in the
    live map's layer control; `choice`: its name in the page's layer filter; `base`: its
    part of the base map's config (TapalpaMap.init); `view`: its part of each view's data
    (TapalpaMap.update), where its Leaflet group (tapalpa-map.js, `groups`) reads it;
    `png`: draws it on the PNG's map axes, called for every layer with whether the view
    shows it.
    """

    key: str
    label: str
    choice: str
    png: Callable[[PngCanvas, bool], None]
    base: Callable[[BaseInputs], dict] = _nothing
    view: Callable[[ViewInputs], dict] = _nothing


# In drawing order (bottom first): the control lists them in this order too.
LAYERS: tuple[MapLayer, ...] = (
    MapLayer(
        "states",
        N_("States: incidents in window"),
        N_("States"),
        png=draw_states,
        base=_states_base,
        view=_states_view,
    ),
    MapLayer(
        "site",
        N_("Tapalpa operation site"),
        N_("Tapalpa site"),
        png=draw_site,
        base=_site_base,
    ),
    MapLayer(
        "incidents",
        N_("Reported incidents"),
        N_("Incidents"),
        png=draw_incidents,
        view=_incidents_view,
    ),
)
MAP_LAYER = {layer.key: layer for layer in LAYERS}

LAYER_STATES = MAP_LAYER["states"].label
LAYER_SITE = MAP_LAYER["site"].label
LAYER_INCIDENTS = MAP_LAYER["incidents"].label
