"""What the map shows on screen, for the share panel: the map writes its centre and zoom
into the page's address as the reader pans and zooms (no rerun), and Streamlit's next
rerun does not carry them (it sends the address the page itself last set). The probe, an
`st.components.v2` component running in the page (dashboard/static/view-probe.js), reads
the address and the map's size on screen while the share panel is open and hands them to
the page: the panel's link, embed snippet and PNG are then the view on screen.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.analysis.permalink import map_view
from dashboard.web import state

STATIC = Path(__file__).resolve().parent.parent / "static"
PROBE_KEY = "map_view_probe"
MAP_SCREEN = state.MAP_SCREEN  # (width, height) of the map on screen, CSS pixels, or absent
_PROBE = None


def _component():
    global _PROBE
    if _PROBE is None:
        _PROBE = st.components.v2.component(
            "tapalpa_view_probe", js=(STATIC / "view-probe.js").read_text(encoding="utf-8")
        )
    return _PROBE


def seen_view(value: object) -> tuple[dict[str, str], tuple[int, int] | None] | None:
    """The probe's report ({"lat", "lon", "zoom", "width", "height"}: the address's
    strings and the map frame's size in CSS pixels) as (query parameters, screen size);
    None when it does not name a usable view (permalink.map_view's rules: latitude
    -90..90, longitude -180..180, zoom within MAP_ZOOM_RANGE), so a hand-edited address
    changes nothing."""
    if not isinstance(value, dict):
        return None
    params = {k: str(value.get(k, "")) for k in ("lat", "lon", "zoom")}
    if map_view(params) is None:
        return None
    width, height = value.get("width"), value.get("height")
    screen = None
    numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (width, height))
    if numbers and 100 <= width <= 10_000 and 100 <= height <= 10_000:
        screen = (int(width), int(height))
    return params, screen


def _take_view() -> None:
    """on_view_change (before the rerun's script): the address's centre and zoom become
    the page's (st.query_params, read by state.current_page; and the session's, for a
    rerun whose address the browser has not yet updated)."""
    result = st.session_state.get(PROBE_KEY) or {}
    seen = seen_view(result.get("view") if hasattr(result, "get") else None)
    if seen is None:
        return
    params, screen = seen
    for key, value in params.items():
        st.query_params[key] = value
    (lat_lon, zoom) = map_view(params)
    st.session_state[state.MAP_CENTER], st.session_state[state.MAP_ZOOM] = lat_lon, zoom
    if screen is not None:
        st.session_state[MAP_SCREEN] = screen


def probe_view() -> None:
    """Mount the probe (inside the open share panel): it reruns the page when the map's
    centre, zoom or size on screen differ from what this run knows."""
    params = st.query_params.to_dict()
    screen = st.session_state.get(MAP_SCREEN)
    known = {k: params.get(k) for k in ("lat", "lon", "zoom")}
    known["width"], known["height"] = screen if screen else (None, None)
    _component()(key=PROBE_KEY, data=known, on_view_change=_take_view)


def screen_size() -> tuple[int, int] | None:
    """The map's size on screen (CSS pixels) as the probe last saw it, or None."""
    return st.session_state.get(MAP_SCREEN)
