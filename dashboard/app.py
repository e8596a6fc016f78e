"""The Streamlit page: reads widgets, calls the core, shows results.

Loading, validation, joining and per-record display text happen once per process and data
version (the cache boundary below); a rerun only filters, aggregates and builds the map.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import layers
from dashboard.bundle import Bundle, load_bundle
from dashboard.escape import escape_markdown, escape_text, link
from dashboard.export import records_csv
from dashboard.filters import ViewSpec, apply, data_window, default_window
from dashboard.join import state_at
from dashboard.mapview import (
    MapLayers,
    build_map,
    states_geojson,
    when_label,
    with_display_text,
)
from dashboard.mexico import BY_CODE, MEXICO_CITY, STATES
from dashboard.permalink import PageView, parse_params, to_params, to_query
from dashboard.publish import page_path
from dashboard.schema import EVENT_TYPES, MAP_LAYERS, NON_INCIDENT_TYPES
from dashboard.snapshot import CREDIT, Selection, alt_text, html_document, png_bytes, select
from dashboard.snapshot import title as snapshot_title
from dashboard.stats import (
    hourly_counts,
    key_figures,
    national_official,
    report_label,
    state_counts,
)
from dashboard.validate import validate_incidents

STATE_NAMES = [s.name for s in STATES]
CODE_BY_NAME = {s.name: s.cve_ent for s in STATES}
TYPE_BY_LABEL = {label: key for key, label in EVENT_TYPES.items()}
MAP_HEIGHT = 560
EMBED_HEIGHT = 520
LAYER_LABELS = {"states": "States", "site": "Tapalpa site", "incidents": "Incidents"}
PRECOMPUTE_TEXT_ROWS = 20_000


@dataclass(frozen=True)
class PageData:
    bundle: Bundle
    incidents: pd.DataFrame  # with escaped display text for popups
    states_json: str  # display geometry, serialised once
    first_hour: datetime  # slider bounds, naive Mexico City time
    last_hour: datetime
    default_window: tuple[datetime, datetime]


@st.cache_resource(show_spinner="Loading the map data…")
def page_data(geodata: str, version: str) -> PageData:
    """Everything that does not depend on the view; `version` keys the cache."""
    bundle = load_bundle(Path(geodata))
    first, last = (naive(t) for t in data_window(bundle.incidents))
    return PageData(
        bundle=bundle,
        # Popup text is only drawn in points mode; precompute it where the data is small
        # enough to be drawn point by point, else the map builds it for what it draws.
        incidents=(
            with_display_text(bundle.incidents)
            if len(bundle.incidents) <= PRECOMPUTE_TEXT_ROWS
            else bundle.incidents
        ),
        states_json=states_geojson(bundle.states_display),
        first_hour=first,
        last_hour=last,
        default_window=tuple(naive(t) for t in default_window(bundle.incidents)),
    )


def aware(local: datetime) -> datetime:
    return local.replace(tzinfo=MEXICO_CITY)


def naive(moment: datetime) -> datetime:
    return moment.astimezone(MEXICO_CITY).replace(tzinfo=None)


def reset_filters(data: PageData) -> None:
    st.session_state["window"] = data.default_window
    st.session_state["all_states"] = True
    st.session_state["states"] = []
    st.session_state["types"] = list(EVENT_TYPES.values())
    st.session_state["layers"] = list(LAYER_LABELS.values())


def read_link(data: PageData) -> None:
    """Once per session: restore the view a permalink names, noting what was dropped."""
    if "window" in st.session_state:
        return
    reset_filters(data)
    link = parse_params(
        st.query_params.to_dict(),
        data_start=aware(data.first_hour),
        data_end=aware(data.last_hour),
        version=data.bundle.version,
    )
    if link.window:
        st.session_state["window"] = tuple(naive(t) for t in link.window)
    if link.states is not None:
        st.session_state["all_states"] = False
        st.session_state["states"] = sorted(BY_CODE[c].name for c in link.states)
    if link.types is not None:
        st.session_state["types"] = [EVENT_TYPES[t] for t in EVENT_TYPES if t in link.types]
    if link.layers is not None:
        st.session_state["layers"] = [LAYER_LABELS[x] for x in MAP_LAYERS if x in link.layers]
    st.session_state["map_center"] = link.center
    st.session_state["map_zoom"] = link.zoom
    st.session_state["link_notices"] = link.notices


def select_clicked_state(data: PageData) -> None:
    """Clicking a state on the map adds it to the state filter."""
    clicked = (st.session_state.get("map") or {}).get("last_clicked")
    if not clicked:
        return
    code = state_at(data.bundle.states, clicked["lng"], clicked["lat"])
    if code is None:
        return
    name = BY_CODE[code].name
    chosen = [] if st.session_state.get("all_states", True) else st.session_state["states"]
    st.session_state["all_states"] = False
    st.session_state["states"] = list(dict.fromkeys([*chosen, name]))


def time_slider(data: PageData) -> tuple[datetime, datetime]:
    return st.slider(
        "Time window (Mexico City time)",
        min_value=data.first_hour,
        max_value=data.last_hour,
        step=timedelta(hours=1),
        format="ddd D MMM, HH:mm",
        key="window",
    )


def filters(data: PageData) -> None:
    with st.sidebar:
        st.header("Filters")
        time_slider(data)
        if not st.checkbox("All states", key="all_states"):
            st.multiselect(
                "States (or click a state on the map)",
                STATE_NAMES,
                key="states",
                placeholder="Choose states",
            )
        st.multiselect("Event types", list(EVENT_TYPES.values()), key="types")
        st.multiselect("Map layers", list(LAYER_LABELS.values()), key="layers")
        st.button("Reset filters", on_click=reset_filters, args=(data,), width="stretch")
        st.header("Your data")
        upload = st.file_uploader(
            "Check an incident file (CSV or GeoJSON)",
            type=["csv", "geojson", "json"],
            key="upload",
            help="Same columns as geodata/incidents.csv; rows may give latitude, longitude "
            "and cve_ent instead of a location_id. Every problem is listed by row and field.",
        )
        if upload is not None:
            st.checkbox("Show my file's valid rows instead of the bundled data", key="use_upload")


@st.cache_data(max_entries=4, show_spinner="Checking your file…")
def check_upload(
    geodata: str, version: str, name: str, content: bytes
) -> tuple[pd.DataFrame, list[dict]]:
    """Validate an uploaded incidents file against the bundled places and states."""
    bundle = page_data(geodata, version).bundle
    frame, report = validate_incidents(content, name, bundle.locations, bundle.states)
    if len(frame) <= PRECOMPUTE_TEXT_ROWS:
        frame = with_display_text(frame)
    return frame, [asdict(p) for p in report.problems]


def own_file(data: PageData, geodata: str, version: str) -> PageData:
    """The report on an uploaded file; its valid rows replace the bundled ones on request."""
    upload = st.session_state.get("upload")
    if upload is None:
        return data
    frame, problems = check_upload(geodata, version, upload.name, upload.getvalue())
    errors = sum(p["severity"] == "error" for p in problems)
    title = (
        f"Your file {escape_markdown(upload.name)}: {len(frame)} valid row(s), "
        f"{errors} error(s), {len(problems) - errors} warning(s)"
    )
    with st.expander(title, expanded=bool(problems)):
        if problems:
            st.dataframe(
                pd.DataFrame(problems)[["severity", "row", "field", "value", "reason"]],
                hide_index=True,
                width="stretch",
                key="upload_report",
            )
            st.caption("Rows with errors are left out; rows with warnings are kept.")
        else:
            st.success("No problems found.")
    if not (st.session_state.get("use_upload") and len(frame)):
        return data
    st.caption(
        f"Showing the {len(frame)} valid row(s) of your file. Links restore the filters, "
        "not the file."
    )
    return replace(data, incidents=frame, bundle=replace(data.bundle, incidents=frame))


def current_page() -> PageView:
    """The view the widgets describe (it may select nothing)."""
    state = st.session_state
    start, end = state["window"]
    if end <= start:  # a slider with both ends together: one hour, not an error
        end = start + timedelta(hours=1)
    states = None if state["all_states"] else frozenset(CODE_BY_NAME[n] for n in state["states"])
    types = frozenset(TYPE_BY_LABEL[t] for t in state["types"])
    return PageView(
        ViewSpec(
            aware(start),
            aware(end),
            states=states,
            event_types=None if len(types) == len(EVENT_TYPES) else types,
        ),
        layers=frozenset(k for k, label in LAYER_LABELS.items() if label in state["layers"]),
        center=state.get("map_center"),
        zoom=state.get("map_zoom"),
    )


def empty_reason(page: PageView) -> str | None:
    if page.view.states is not None and not page.view.states:
        return (
            "No state selected. Pick states in the sidebar, tick **All states**, "
            "or click a state on the map."
        )
    if page.view.event_types is not None and not page.view.event_types:
        return "No event type selected. Pick types in the sidebar or press **Reset filters**."
    return None


def write_link(page: PageView, version: str) -> None:
    """Keep the address bar a permalink for what is on screen."""
    # Streamlit keeps ?embed=true itself and hides it from st.query_params.
    params = to_params(replace(page, embed=False), version)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def key_figure_row(selected: pd.DataFrame, data: PageData, view: ViewSpec) -> None:
    figures = key_figures(selected)
    columns = st.columns(5)
    columns[0].metric("Incidents", figures.incidents)
    national = national_official(data.bundle.official, view, "blockades_reported")
    columns[1].metric(
        "Blockades located",
        figures.blockades,
        help="Blockades in the located records (a municipal tally counts as reported). "
        "The federal count was never published by place.",
    )
    columns[2].metric("States affected", figures.states_affected)
    columns[3].metric("Fatalities", figures.fatalities)
    columns[4].metric("Arrests", figures.arrests)
    notes = []
    if figures.incidents:
        notes.append(
            f"{figures.uncertain_timing} of the {figures.incidents} incidents shown are only "
            "known to the day or part of the day: they count in every window that overlaps it."
        )
    if national is not None and view.states is None:
        notes.append(
            f"Official national tally: {int(national['value'])} blockades "
            f"({escape_markdown(national['reported_by'])}, "
            f"{escape_markdown(report_label(national))}), reported without locations."
        )
    if figures.disputed:
        notes.append(f"{figures.disputed} incident(s) have figures that sources disagree on.")
    st.caption(" ".join(notes))


def state_table(counts: pd.DataFrame, view: ViewSpec) -> None:
    table = counts if view.states is None else counts[counts["cve_ent"].isin(view.states)]
    table = table.sort_values(["incidents", "state"], ascending=[False, True])
    st.subheader("Per state")
    st.dataframe(
        table[
            [
                "state",
                "incidents",
                "blockades",
                "official_blockades",
                "difference",
                "fatalities",
                "arrests",
                "official_source",
                "official_other",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "state": "State",
            "incidents": st.column_config.NumberColumn("Incidents", help="Located records"),
            "blockades": st.column_config.NumberColumn("Blockades (located)"),
            "official_blockades": st.column_config.NumberColumn(
                "Blockades (official)", help="Latest state figure reported by the window's end"
            ),
            "difference": st.column_config.NumberColumn("Located − official"),
            "fatalities": "Fatalities",
            "arrests": "Arrests",
            "official_source": "Official figure from",
            "official_other": "Other figures",
        },
        key="state_table",
    )
    chart = table.loc[table["incidents"] > 0, ["state", "incidents"]]
    if not chart.empty:
        # A plain Vega-Lite spec: st.bar_chart goes through Altair's slow schema validation.
        st.vega_lite_chart(
            chart,
            {
                "mark": {"type": "bar", "color": "#225ea8"},
                "encoding": {
                    "y": {
                        "field": "state",
                        "type": "nominal",
                        "sort": "-x",
                        "title": None,
                        "axis": {"labelOverlap": False, "labelLimit": 160},
                    },
                    "x": {"field": "incidents", "type": "quantitative", "title": "Incidents"},
                    "tooltip": [{"field": "state"}, {"field": "incidents"}],
                },
                "height": {"step": 20},
            },
            width="stretch",
        )


def hourly_chart(selected: pd.DataFrame, view: ViewSpec) -> None:
    hourly = hourly_counts(selected, view)
    st.subheader("Hour by hour")
    if hourly.empty:
        st.caption("No incidents in this window.")
        return
    series = hourly.groupby("hour")[["timed", "overlapping"]].sum().reset_index()
    series["hour"] = series["hour"].dt.tz_localize(None).dt.strftime("%Y-%m-%dT%H:%M")
    # Two charts with their own scales: day-only records dwarf the timed ones.
    for column, label, mark in (
        ("timed", "Reports timed to the hour or minute, by the hour they started", "bar"),
        (
            "overlapping",
            "Records possibly under way (incl. day-only reports)",
            "line",
        ),
    ):
        st.vega_lite_chart(
            series[["hour", column]],
            {
                "title": {"text": label, "fontSize": 12, "fontWeight": "normal", "anchor": "start"},
                "mark": {"type": mark, "color": "#d95f02" if mark == "bar" else "#7570b3"}
                | ({"interpolate": "step-after"} if mark == "line" else {}),
                "encoding": {
                    "x": {"field": "hour", "type": "temporal", "title": None},
                    "y": {"field": column, "type": "quantitative", "title": None},
                    "tooltip": [
                        {"field": "hour", "type": "temporal", "format": "%d %b %H:%M"},
                        {"field": column, "type": "quantitative", "title": "records"},
                    ],
                },
                "height": 120,
            },
            width="stretch",
        )
    st.caption(
        "Mexico City time. Most reports give only the day, so the second chart counts every "
        "record whose time span overlaps the hour; the first counts only records timed to "
        "the hour or better."
    )


def state_level_reports(selected: pd.DataFrame) -> None:
    rows = selected[selected["geo_precision"] >= 3]
    if rows.empty:
        return
    with st.expander(f"{len(rows)} report(s) known only to the state (not placed on the map)"):
        for row in rows.itertuples(index=False):
            st.markdown(
                f"**{escape_markdown(BY_CODE[row.cve_ent].name)}** · "
                f"{escape_markdown(EVENT_TYPES[row.event_type])} · "
                f"{escape_markdown(when_label(row))}: "
                f"{escape_markdown(row.summary)} "
                f"({link(row.source_url, row.source_outlet or 'source')})",
                unsafe_allow_html=True,
            )


def key_moments(data: PageData) -> None:
    st.subheader("Key moments")
    for row in data.bundle.key_moments.itertuples(index=False):
        st.markdown(
            f"- {escape_markdown(row.headline)} "
            f"({link(row.source_url, row.source_outlet or 'source')})",
            unsafe_allow_html=True,
        )


def show_map(data: PageData, page: PageView, selected, counts, height: int) -> MapLayers:
    fmap, drawn = build_map(
        selected,
        counts,
        data.states_json,
        data.bundle.operation_site,
        page.view,
        height=height,
        layers=page.layers,
        center=page.center,
        zoom=page.zoom,
        focus=data.bundle.states_display,
    )
    st_folium(
        fmap,
        key="map",
        height=height,
        use_container_width=True,
        returned_objects=["last_clicked"],
        on_change=partial(select_clicked_state, data),
    )
    return drawn


def published_site(base: str) -> str | None:
    """Where `python -m dashboard publish` output is served (TAPALPA_PUBLISHED_URL, absolute
    or relative to this page, e.g. /published/ under deploy/serve), or None."""
    where = os.environ.get("TAPALPA_PUBLISHED_URL", "").strip()
    if not where:
        return None
    return urljoin(base, where if where.endswith("/") else where + "/")


def iframe_snippet(url: str, height: int, page: PageView) -> str:
    return (
        f'<iframe src="{escape_text(url)}" width="100%" height="{height}" style="border:0" '
        f'loading="lazy" title="{escape_text(snapshot_title(page))}"></iframe>'
    )


def share_panel(data: PageData, page: PageView, selection: Selection) -> None:
    """Permalink, live and static iframe snippets, alt text and the downloads.

    Plain text fields, not st.code: a code block pulls in a 1.5 MB syntax highlighter on
    the first view, collapsed or not. Select the text and copy it."""
    base = (st.context.url or "").split("?")[0]
    query = to_query(page, data.bundle.version)
    embed_query = to_query(replace(page, embed=True), data.bundle.version)
    with st.expander("Share, embed or download this view"):
        st.text_input(
            "Link to this view (restores the window, filters and layers)", f"{base}?{query}"
        )
        st.text_area(
            "Embed the live map in an article",
            iframe_snippet(f"{base}?{embed_query}", EMBED_HEIGHT + 140, page),
            height=90,
        )
        static = published_site(base)
        if static is not None:
            st.text_area(
                "Or embed the static copy (for high traffic)",
                iframe_snippet(static + page_path(page), 660, page),
                height=90,
            )
            st.caption(
                "Prefer the static copy for a story that may draw heavy traffic: it is a plain "
                "file that any CDN serves, while every reader of the live map holds a session "
                "on this server. The static copy shows the default window (or this state's "
                "whole span) and replays it with ▶; the live map follows these filters. "
                f"All static embed codes: {escape_markdown(static)}embed.html"
            )
        else:
            st.caption(
                "For a story that may draw heavy traffic, embed a static copy instead: "
                "`python -m dashboard publish` writes one for any static host or CDN."
            )
        st.text_area("Alt text", alt_text(page, selection), height=110)
        stem = f"tapalpa-map-{page.view.start:%Y%m%d-%H%M}"
        downloads = (
            ("Download PNG (1600×1000)", partial(png_bytes, data.bundle, page), "png", "image/png"),
            (
                "Download interactive HTML",
                partial(html_document, data.bundle, page),
                "html",
                "text/html",
            ),
            (
                f"Download the {len(selection.selected)} records in this view (CSV)",
                partial(records_csv, selection.selected),
                "csv",
                "text/csv",
            ),
        )
        for column, (label, build, suffix, mime) in zip(st.columns(3), downloads, strict=True):
            # Built only when clicked, in another thread: no rerun pays for a snapshot.
            column.download_button(
                label, data=build, file_name=f"{stem}.{suffix}", mime=mime, on_click="ignore"
            )


def embed_page(data: PageData, page: PageView, selection: Selection) -> None:
    """For iframes: the map, its legend, the time control and a credit line only."""
    show_map(data, page, selection.selected, selection.counts, EMBED_HEIGHT)
    time_slider(data)
    st.caption(
        f"{escape_markdown(snapshot_title(page))}. {escape_markdown(CREDIT)} "
        "Basemap © OpenStreetMap contributors."
    )


def main() -> None:
    geodata = os.environ.get("TAPALPA_GEODATA", str(layers.GEODATA))
    data = page_data(geodata, layers.data_version(layers.data_files(Path(geodata))))
    read_link(data)
    embedded = bool(st.context.is_embedded)
    st.set_page_config(
        page_title="Tapalpa incident map",
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="collapsed" if embedded else "auto",
    )
    if embedded:
        page = current_page()
        write_link(page, data.bundle.version)
        embed_page(data, page, select(data.bundle, page))
        return
    st.title("After the Tapalpa raid: blockades and attacks across Mexico")
    st.markdown(
        "On 22 February 2026 special forces killed CJNG leader Nemesio Oseguera, "
        '"El Mencho", near Tapalpa, Jalisco. Within hours, blockades, burnings and clashes '
        "were reported across Mexico. Each point is a reported incident with its sources; "
        "places are estimates whose precision is shown."
    )
    for notice in st.session_state.pop("link_notices", []):  # shown once, on arrival
        st.warning(notice)
    filters(data)
    data = own_file(data, geodata, data.bundle.version)
    page = current_page()
    write_link(page, data.bundle.version)
    reason = empty_reason(page)
    if reason:
        st.info(reason)
        return
    view = page.view
    selected = apply(view, data.incidents)
    counts = state_counts(selected, data.bundle.official, view)
    key_figure_row(selected, data, view)
    if selected[~selected["event_type"].isin(NON_INCIDENT_TYPES)].empty:
        st.info(
            "No incidents match these filters. Widen the time window or press **Reset filters**."
        )
    drawn = show_map(data, page, selected, counts, MAP_HEIGHT)
    st.caption(
        f"{drawn.drawn_points} incident points drawn"
        + (" (grouped by area at this scale)" if drawn.mode == "cells" else "")
        + ". Solid dots: an estimated exact site; dashed: town or municipality. "
        "Press ▶ on the map to replay the window hour by hour. Basemap © OpenStreetMap "
        "contributors; boundaries: Natural Earth."
    )
    share_panel(data, page, Selection(selected, counts))
    state_level_reports(selected)
    left, right = st.columns([3, 2])
    with left:
        state_table(counts, view)
    with right:
        hourly_chart(selected, view)
        key_moments(data)


main()
