"""The contract dashboard/web/map_component.py relies on: streamlit-folium's private names
exist and behave as the adapter assumes.

The adapter records what `st_folium` hands its component for the base map once
(`map_frame`) and sends it with each view's feature group (`live_map`). Each test here is
one assumption; when an upgrade of streamlit-folium (or Streamlit's component API under
it) breaks one, the failing test names what to change in the adapter
(tests/test_live_map.py then compares the whole call with st_folium's own).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import folium
import pytest
import streamlit_folium
from streamlit_folium import st_folium

from dashboard.web import map_component

RANDOM_NAME = re.compile(r"_[a-z0-9]{32}")
DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"


def small_map() -> folium.Map:
    return folium.Map(location=[20.0, -103.0], zoom_start=5, tiles=None)


def layer(name: str = "Incidents") -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=name)
    folium.CircleMarker([20.5, -103.4], radius=4).add_to(group)
    return group


def recorded_call(monkeypatch, **options) -> dict:
    """What st_folium hands `_component_func` for small_map(), recorded."""
    calls = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: calls.append(kw))
    st_folium(
        small_map(),
        key=map_component.MAP_KEY,
        height=300,
        use_container_width=True,
        returned_objects=["last_clicked"],
        **options,
    )
    (arguments,) = calls
    return arguments


def test_the_private_names_exist():
    assert callable(streamlit_folium._component_func)
    assert callable(streamlit_folium._get_feature_group_string)
    assert streamlit_folium.get_full_id(folium.Map()).startswith("map_")


def test_st_folium_looks_the_component_up_when_it_runs(monkeypatch):
    """map_frame swaps `_component_func` to record the call: st_folium must read the
    module's attribute at call time, pass keywords only, and pass it once."""
    arguments = recorded_call(monkeypatch)
    assert "script" in arguments and "key" in arguments


def test_st_folium_passes_the_keys_map_frame_records(monkeypatch):
    """map_frame keeps every argument but the feature group and the callback; live_map
    adds those two. So st_folium's keywords are exactly those."""
    arguments = recorded_call(monkeypatch, feature_group_to_add=layer(), on_change=lambda: None)
    expected = {
        "script",
        "header",
        "html",
        "id",
        "key",
        "height",
        "width",
        "returned_objects",
        "default",
        "zoom",
        "center",
        "feature_group",
        "return_on_hover",
        "layer_control",
        "pixelated",
        "css_links",
        "js_links",
        "on_change",
        "wrap_longitude",
    }
    assert set(arguments) == expected
    assert arguments["returned_objects"] == ["last_clicked"]
    # The component's key is a hash of the base map's script, not the caller's key: the
    # same base map keeps the same component on screen.
    assert arguments["key"] != map_component.MAP_KEY
    assert arguments["key"] == recorded_call(monkeypatch)["key"]


def test_map_frame_records_what_st_folium_sends(monkeypatch):
    frame = map_component.map_frame("contract", "en", 300, "{}", "inline", None, small_map)
    arguments = recorded_call(monkeypatch)
    assert set(frame) == set(arguments) - {"feature_group", "on_change"}
    assert {k: RANDOM_NAME.sub("_", str(v)) for k, v in frame.items()} == {
        k: RANDOM_NAME.sub("_", str(v))
        for k, v in arguments.items()
        if k not in ("feature_group", "on_change")
    }


def test_the_feature_group_script_names_the_layer_on_map_div():
    """`_get_feature_group_string` on the adapter's stand-in map: the layer's own script,
    its variable named by its index, added to `map_div` (the map on screen)."""
    script = map_component.feature_group_script(layer())
    assert "var feature_group_feature_group_0 = L.featureGroup(" in script
    assert "L.circleMarker(" in script
    assert "feature_group_feature_group_0.addTo(map_div);" in script
    assert "map_div.addLayer(feature_group_feature_group_0);" in script
    assert not RANDOM_NAME.search(script)  # no folium name (map_<hash>) left in it


def test_the_feature_group_script_is_what_st_folium_sends(monkeypatch):
    arguments = recorded_call(monkeypatch, feature_group_to_add=layer())
    sent = RANDOM_NAME.sub("_", arguments["feature_group"])
    assert RANDOM_NAME.sub("_", map_component.feature_group_script(layer())) == sent


@pytest.mark.parametrize("stored", [{"last_clicked": {"lat": 20.1, "lng": -103.2}}, None])
def test_on_change_keeps_the_value_under_the_callers_key(monkeypatch, stored):
    """st_folium's callback copies the component's value (under its hash key) to the
    caller's key; live_map's does the same, then calls the page's callback."""
    arguments = recorded_call(monkeypatch, on_change=lambda: None)
    hash_key = arguments["key"]
    theirs = {} if stored is None else {hash_key: stored}
    monkeypatch.setattr(streamlit_folium, "st", SimpleNamespace(session_state=theirs))
    arguments["on_change"]()
    ours = {} if stored is None else {hash_key: stored}
    monkeypatch.setattr(map_component, "st", SimpleNamespace(session_state=ours))
    calls, called = [], []
    monkeypatch.setattr(map_component, "MAP_COMPONENT", lambda **kw: calls.append(kw))
    frame = {k: v for k, v in arguments.items() if k not in ("feature_group", "on_change")}
    map_component.live_map(frame, layer(), lambda: called.append(1))
    calls[0]["on_change"]()
    assert ours[map_component.MAP_KEY] == theirs[map_component.MAP_KEY] == (stored or {})
    assert called == [1]


def test_only_the_adapter_imports_streamlit_folium():
    """An upgrade of streamlit-folium is checked here and in tests/test_live_map.py only
    if no other module of dashboard/ relies on it."""
    users = set()
    for path in DASHBOARD.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            if any(n.split(".")[0] == "streamlit_folium" for n in names):
                users.add(path.relative_to(DASHBOARD).as_posix())
    assert users == {"web/map_component.py"}
