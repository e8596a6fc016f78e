"""The map ("mapa"): the base map stays on screen across reruns and each view reaches it
as a feature group (dashboard/web/map_component.py), so the reader's centre and zoom
stay; clicking a state filters to it; the captions under it say what it draws. Also the
map frame's accessible title."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.analysis.filters import toggle_state, window_step
from dashboard.analysis.permalink import PageView
from dashboard.ingest.bundle import raid_start
from dashboard.ingest.locate import state_at
from dashboard.model.mexico import BY_CODE
from dashboard.model.schema import NON_INCIDENT_TYPES
from dashboard.render.captions import (
    empty_reason,
    figure_notes,
    map_captions,
    map_counts,
    map_title,
    shading_caption,
    slider_hours,
)
from dashboard.render.mapfallback import MAP_FAILED, MAP_RELOAD
from dashboard.render.mapview import (
    MapLayers,
    ViewLayer,
    base_map,
    first_view,
    view_change,
    view_layer,
)
from dashboard.render.snapshot import Selection
from dashboard.render.symbols import palette_of, state_classes
from dashboard.text.escape import escape_text, script_json
from dashboard.text.i18n import N_, translation
from dashboard.web import state
from dashboard.web.busy import alone
from dashboard.web.data import PageData, aware, map_assets_mode, naive
from dashboard.web.map_component import live_map, map_frame
from dashboard.web.view_cache import Kept, Shown, on_screen, per_view

MAP_HEIGHT = 560
MAP_BOX = "tapalpa-map-box"  # its min-height in page.css: MAP_HEIGHT + 8 px (the frame's)
EMBED_MAP_BOX = "tapalpa-embed-map"  # the embed's map container (sections/embed.EMBED_MAP)
HIDDEN_FRAME_TITLE = "tapalpa-frame-title"
# What page.js names Streamlit's own controls on a page not in English, by the key it
# knows them by (their English text is Streamlit's, in page.js).
STREAMLIT_NAMES = {
    "remove": N_("Remove the chosen option {name}"),
    "clear": N_("Clear all the chosen options"),
    "columns": N_("Show or hide the table's columns"),
    "csv": N_("Download the table as CSV"),
    "search": N_("Search the table"),
    "fullscreen": N_("Show the table full screen"),
    "close_fullscreen": N_("Leave the table's full screen"),
    # A help icon's button ("Help for {label}"), a heading's anchor link, and the text of
    # a list box with nothing matching what was typed.
    "help": N_("Help: {name}"),
    "heading_link": N_("Link to this heading"),
    "no_results": N_("No results"),
}
# Sets the map frame's title (Streamlit names it after the component); read once.
PAGE_JS = (Path(__file__).resolve().parent.parent.parent / "static" / "page.js").read_text(
    encoding="utf-8"
)


def map_frame_title(page: PageView, listed: bool = True, lang: str = "en") -> None:
    """The map frame's accessible title, and Spanish (or English) names page.js gives
    Streamlit's own controls that the page keeps: the skip link and the sidebar's
    buttons, which open and close the filters (the page CSS is sent first of all).
    `listed`: the full page (the embed has no list, no filters)."""
    t = translation(lang)
    names = {
        "map-title": map_title(page, listed, lang),
        "mode": "page" if listed else "embed",
        "slider": f"st-key-{state.WINDOW}",  # the time slider's box: page.js tells the map
        "skip": t.gettext("Skip to the map"),
        # The link before the map that moves the focus past it (page.js), and the mark
        # after the map it lands on; the map's container: the page's or the embed's.
        "skip-map": t.gettext("Skip the map"),
        "after-map": t.gettext("End of the map"),
        "map-box": f"st-key-{MAP_BOX if listed else EMBED_MAP_BOX}",
        # In the map's place when its frame's own files do not load (page.js).
        "map-failed": t.gettext(MAP_FAILED),
        "map-reload": t.gettext(MAP_RELOAD),
        "open-filters": t.gettext("Open the filters"),
        "close-filters": t.gettext("Close the filters"),
        # Streamlit's own accessible names, English only upstream (README "The first
        # screen on a phone"): page.js knows Streamlit's English for each key.
        "chrome": json.dumps(
            {key: t.gettext(text) for key, text in STREAMLIT_NAMES.items()} if lang != "en" else {},
            ensure_ascii=False,
        ),
    }
    attributes = " ".join(f'data-{key}="{escape_text(value)}"' for key, value in names.items())
    with st.container(key=HIDDEN_FRAME_TITLE):  # hidden by page.css (header.HIDDEN_ASSETS)
        st.html(
            f'<div id="tapalpa-page" hidden {attributes}></div><script>{PAGE_JS}</script>',
            unsafe_allow_javascript=True,
        )


def select_clicked_state(data: PageData) -> None:
    """Clicking a state on the map adds it to the state filter; clicking it again removes it
    (removing the last one goes back to all states)."""
    clicked = (st.session_state.get(state.MAP) or {}).get("last_clicked")
    if not clicked:
        return
    # The state the reader saw: the outlines as the map draws them (mapstates.drawn_states).
    code = state_at(data.states_drawn, clicked["lng"], clicked["lat"])
    if code is None:
        return
    all_states = st.session_state.get(state.ALL_STATES, True)
    chosen = None if all_states else st.session_state[state.STATES_CHOSEN]
    result = toggle_state(chosen, BY_CODE[code].name)
    st.session_state[state.ALL_STATES] = result is None
    st.session_state[state.STATES_CHOSEN] = result or []


def map_focus() -> tuple[str, int] | None:
    """The record a table asked the map to show (FOCUS_INCIDENT, set by the incidents
    table and the quality tab), with a request number that changes whenever the record
    does, so the map pans once per choice, not on every rerun."""
    wanted = st.session_state.get(state.FOCUS_INCIDENT)
    seen = st.session_state.get(state.MAP_FOCUS_REQUEST)
    if not wanted:
        if seen and seen[0] is not None:  # cleared: choosing the same record again pans again
            st.session_state[state.MAP_FOCUS_REQUEST] = (None, seen[1])
        return None
    if seen is None or seen[0] != wanted:
        seen = (str(wanted), (seen[1] + 1) if seen else 1)
        st.session_state[state.MAP_FOCUS_REQUEST] = seen
    return seen


def map_layer_data(
    data: PageData,
    page: PageView,
    selected: pd.DataFrame,
    counts: pd.DataFrame,
    lang: str,
    kept: Kept,
    focus: tuple[str, int] | None = None,
) -> tuple[dict, str, MapLayers]:
    """The view's map data (mapview.view_layer: its dict, its JSON, what it draws), kept
    per window, language, layers shown and focus request (`kept`: view_kept)."""

    def fresh() -> tuple[dict, str, MapLayers]:
        layer, drawn = view_layer(
            selected,
            counts,
            page.view,
            layers=page.layers,
            focus=focus,
            lang=lang,
            catalogue=data.catalogue if data.lang == lang else None,
            years=data.spans_years,
        )
        return layer.view, layer.view_json, drawn

    shown = ",".join(sorted(page.layers))
    return per_view(f"layer|{shown}|{focus}", kept, fresh)


def show_map(
    data: PageData,
    page: PageView,
    selection: Selection,
    height: int,
    lang: str = "en",
    kept: Kept = None,
) -> MapLayers:
    """The map keeps its view: the base map is the same on every rerun (its first view is
    fixed per session), and each view reaches the map on screen as a feature group (its
    data kept per view, layers and focus)."""
    initial = st.session_state.setdefault(
        state.MAP_FIRST_VIEW,
        first_view(
            page.view, page.center, page.zoom, data.bundle.states_display, screen=page.screen
        ),
    )
    assets = map_assets_mode()
    # An ACLED file is drawn in ACLED's own types (symbols.palette_of); the base map, its
    # legend included, is kept per palette.
    palette = palette_of(state.type_options(data)) if data.from_file else "ours"
    frame = map_frame(
        # A reader's file has no operation site (Bundle.with_user_file): its own base map.
        data.bundle.version
        + ("" if palette == "ours" else f"|{palette}")
        + ("|file" if data.from_file else ""),
        lang,
        height,
        json.dumps(initial, sort_keys=True),
        assets,
        data.states_url,
        partial(
            base_map,
            data.states_json,
            data.bundle.operation_site,
            height=height,
            initial=initial,
            live=True,
            assets=assets,
            lang=lang,
            states_url=data.states_url,
            palette=palette,
        ),
    )
    focus = map_focus()
    view, view_json, drawn = map_layer_data(
        data, page, selection.selected, selection.counts, lang, kept, focus
    )
    # The view's JSON object, with its neighbours' in "next" when results are kept and
    # this run has the process to itself (busy: previews are shed under load).
    if kept is not None and alone():
        shown = ",".join(sorted(page.layers))
        following = per_view(
            f"next|{shown}|{focus}", kept, lambda: next_views(data, page, view, lang, focus)
        )
        if following != "{}":
            view_json = f'{view_json[:-1]},"next":{following}}}'
    live_map(frame, ViewLayer(view, view_json), partial(select_clicked_state, data))
    return drawn


def next_views(
    data: PageData, page: PageView, view: dict, lang: str, focus: tuple[str, int] | None
) -> str:
    """The map views of the windows one slider stop away from `page`'s (each end one
    step earlier or later, the start still before the end), as JSON: an object keyed by
    the slider's stop positions "start,end" (the values of its two range inputs), each
    as mapview.view_change from `view` (`page`'s map view). page.js hands the map the
    one the reader's key press or drag reaches, so the map shows it at once; the rerun's
    view, made by the same function (map_layer_data), then confirms it. Windows the page
    would not draw a map for (empty_reason) are left out. Called only for views whose
    results are kept (the bundled data), where it is made once for every reader."""
    step = window_step(data.first_hour, data.last_hour)
    stops = slider_hours(data.first_hour, data.last_hour, step)
    position = {stop: i for i, stop in enumerate(stops)}
    # The view's own window (the cache key holds it), not the slider's session value.
    window = (naive(page.view.start), naive(page.view.end))
    if window[0] not in position or window[1] not in position:
        return "{}"
    start, end = position[window[0]], position[window[1]]
    near = [(start - 1, end), (start + 1, end), (start, end - 1), (start, end + 1)]
    following: dict[str, dict] = {}
    for first, last in near:
        if not 0 <= first < last < len(stops):
            continue
        other = replace(
            page, view=replace(page.view, start=aware(stops[first]), end=aware(stops[last]))
        )
        if empty_reason(other, lang):
            continue
        shown = on_screen(data, other)
        if shown.kept is None:
            continue
        near_view, _, _ = map_layer_data(
            data, other, shown.selected, shown.counts, lang, shown.kept, focus
        )
        following[f"{first},{last}"] = view_change(view, near_view)
    return script_json(following)


def map_section(data: PageData, shown: Shown, lang: str = "en") -> None:
    """The map of the view, what it draws, and the notes on the key figures."""
    t = translation(lang)
    if shown.selected["event_type"].isin(NON_INCIDENT_TYPES).all():  # (or no records)
        raid = raid_start(data.bundle.incidents, data.bundle.operation_site)
        if raid is not None and shown.view.end <= raid:
            st.info(
                t.gettext(
                    "Nothing to show: this window ends before the raid, which began in the "
                    "morning of 22 February (06:00 Mexico City time)."
                )
            )
        else:
            st.info(
                t.gettext(
                    "No incidents match these filters. Widen the time window or press "
                    "**Reset filters**."
                )
            )
    # The map's box holds the frame's height (page.css) before the frame exists: until
    # Streamlit has its component's code the frame is a 40 px placeholder.
    with st.container(key=MAP_BOX):
        drawn = show_map(data, shown.page, shown.selection, MAP_HEIGHT, lang, shown.kept)
    counts = per_view("map_counts", shown.same_rows, lambda: map_counts(shown.selected))
    for caption in map_captions(drawn.mode, drawn.drawn_points, counts, lang, shown.view):
        st.caption(caption)
    # The shading's classes follow the counts in view (symbols.state_classes): in words.
    st.caption(shading_caption(state_classes(shown.counts["incidents"]), lang))
    notes = figure_notes(shown.figures, lang)
    if notes:
        st.caption(notes)
