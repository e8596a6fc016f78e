"""The streamlit-folium adapter: the one module that uses streamlit-folium's private names.

`st_folium` renders the whole folium map on every call (Jinja compiles every element's
template anew, the tile provider is looked up); the page's base map is the same on every
rerun, so `map_frame` records once what `st_folium` hands its component for it, and
`live_map` sends that with each view's feature group, as `st_folium` would. That relies
on three private names of streamlit_folium, each checked by tests/test_map_component.py:

- `_component_func`: the declared component, looked up by module attribute when
  `st_folium` runs (so swapping it records the call) and called with keywords only;
- `_get_feature_group_string(layer, map=...)`: the script of `feature_group_to_add`,
  naming the map on screen `map_div`, as `get_full_id` names a map;
- `st_folium`'s `on_change` keeps the component's value under the caller's key.

tests/test_live_map.py holds what the page sends to what `st_folium` sends. When an
upgrade breaks either test (pyproject.toml bounds the version), this module is what to
change; the README ("Dependencies") says what to do when Streamlit drops
`components.v1`, on which streamlit-folium's component is declared.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import folium
import streamlit as st
import streamlit_folium
from streamlit_folium import st_folium

from dashboard.web import state

MAP_COMPONENT = streamlit_folium._component_func
MAP_KEY = state.MAP  # the key st_folium keeps the map's value under
# st_folium looks the component up by module name at call time: one recording at a time.
_RECORDING = threading.Lock()


@st.cache_resource(max_entries=256, show_spinner=False)
def map_frame(
    version: str,
    lang: str,
    height: int,
    initial: str,
    assets: str,
    states_url: str | None,
    _build: Callable[[], folium.Map],
) -> dict:
    """The arguments st_folium gives streamlit-folium's component for the base map
    `_build()` (script, header, html, map id, CSS and JS links, defaults, the component
    key), made once per data version, language, height, first view (`initial`, JSON),
    asset mode and states URL. Recorded from st_folium itself, so they are what it
    would send."""
    calls: list[dict] = []

    def record(**kwargs):
        calls.append(kwargs)
        return kwargs.get("default")

    with _RECORDING:
        previous, streamlit_folium._component_func = streamlit_folium._component_func, record
        try:
            st_folium(
                _build(),
                key=MAP_KEY,
                height=height,
                use_container_width=True,
                returned_objects=["last_clicked"],
            )
        finally:
            streamlit_folium._component_func = previous
    (arguments,) = calls
    return {k: v for k, v in arguments.items() if k not in ("feature_group", "on_change")}


def feature_group_script(layer: folium.FeatureGroup) -> str:
    """The script st_folium makes of `feature_group_to_add=layer` (streamlit-folium's own
    function, on a stand-in for the map on screen, which it names `map_div`)."""
    screen = folium.MacroElement()
    screen._name, screen._id = "Map", "div"
    folium.Figure().add_child(screen)  # the layer's script goes to its root's script section
    return streamlit_folium._get_feature_group_string(layer, map=screen)


def live_map(frame: dict, layer: folium.FeatureGroup, on_change: Callable[[], None]):
    """The map on the page: streamlit-folium's component with the base map `frame`
    (map_frame) and this run's `layer`; returns what the map sent back (as st_folium)."""
    hash_key = frame["key"]

    def changed() -> None:  # as st_folium: the map's value under the caller's key too
        st.session_state[MAP_KEY] = st.session_state.get(hash_key, {})
        on_change()

    return MAP_COMPONENT(**frame, feature_group=feature_group_script(layer), on_change=changed)
