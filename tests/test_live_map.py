"""The live map's component call: what the page sends is what st_folium would send.

The page keeps streamlit-folium's arguments for the base map (map_component.map_frame)
and sends them with each view's feature group (map_component.live_map) instead of
rendering the whole folium map on every rerun. These tests hold it to st_folium's own
output, so an upgrade of streamlit-folium that changes what it sends fails here rather
than on a reader's screen (tests/test_map_component.py checks the private names the
adapter uses one by one).
"""

from __future__ import annotations

import re
from functools import partial

import pandas as pd
import pytest
import streamlit_folium
from streamlit_folium import st_folium

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.stats import state_counts
from dashboard.ingest.bundle import load_bundle
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.mapstates import states_geojson
from dashboard.render.mapview import ViewLayer, base_map, view_layer
from dashboard.render.popups import with_display_text
from dashboard.web import map_component

# folium names every element with a random hex suffix (map_3f2a…, tile_layer_9c…);
# streamlit-folium's own component key ignores them the same way (generate_js_hash).
RANDOM_NAME = re.compile(r"_[a-z0-9]{32}")


@pytest.fixture(scope="module")
def parts():
    bundle = load_bundle()
    incidents = with_display_text(bundle.incidents)
    view = ViewSpec(
        pd.Timestamp("2026-02-22T06:00", tz=MEXICO_CITY).to_pydatetime(),
        pd.Timestamp("2026-02-23T06:00", tz=MEXICO_CITY).to_pydatetime(),
    )
    selected = apply(view, incidents)
    layer, _ = view_layer(selected, state_counts(selected, bundle.official, view), view)
    build = partial(
        base_map,
        states_geojson(bundle.states_display),
        bundle.operation_site,
        height=560,
        initial={},
        live=True,
        assets="served",
        lang="es",
        states_url="/app/static/data/states-test.json",
    )
    return build, layer.view


def sent_by_st_folium(build, view: dict, monkeypatch) -> dict:
    calls = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: calls.append(kw))
    st_folium(
        build(),
        key=map_component.MAP_KEY,
        height=560,
        use_container_width=True,
        returned_objects=["last_clicked"],
        feature_group_to_add=ViewLayer(view),
        on_change=lambda: None,
    )
    (arguments,) = calls
    return arguments


def sent_by_the_page(build, view: dict, monkeypatch, version: str) -> dict:
    calls = []
    monkeypatch.setattr(map_component, "MAP_COMPONENT", lambda **kw: calls.append(kw))
    frame = map_component.map_frame(version, "es", 560, "{}", "served", "/x.json", build)
    map_component.live_map(frame, ViewLayer(view), lambda: None)
    (arguments,) = calls
    return arguments


def comparable(arguments: dict) -> dict:
    return {
        k: RANDOM_NAME.sub("_", v) if isinstance(v, str) else v
        for k, v in arguments.items()
        if k != "on_change"
    }


def test_the_page_sends_what_st_folium_sends(parts, monkeypatch):
    build, view = parts
    expected = sent_by_st_folium(build, view, monkeypatch)
    sent = sent_by_the_page(build, view, monkeypatch, "test-same")
    assert set(sent) == set(expected)
    assert comparable(sent) == comparable(expected)
    assert "TapalpaMap.update(map_div," in sent["feature_group"]
    assert callable(sent["on_change"])


def test_the_base_map_is_made_once_per_frame_key(parts, monkeypatch):
    build, view = parts
    built = []

    def counted():
        built.append(1)
        return build()

    component = streamlit_folium._component_func
    for _ in range(3):
        sent_by_the_page(counted, view, monkeypatch, "test-once")
    assert len(built) == 1
    # and st_folium's component is back in place after recording
    assert streamlit_folium._component_func is component


def test_each_view_reaches_the_map_as_its_own_feature_group(parts, monkeypatch):
    build, view = parts
    other = {**view, "window": "2026-02-23T00:00/2026-02-24T00:00"}
    first = sent_by_the_page(build, view, monkeypatch, "test-views")
    second = sent_by_the_page(build, other, monkeypatch, "test-views")
    assert first["key"] == second["key"]  # the same map on screen: no re-mount
    assert first["feature_group"] != second["feature_group"]
    assert "2026-02-23T00:00/2026-02-24T00:00" in second["feature_group"]
