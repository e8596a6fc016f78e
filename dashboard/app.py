"""The Streamlit page: reads widgets, calls the core, shows results.

Loading, validation, joining and per-record display text happen once per process and data
version (the cache boundary below); a rerun only filters, aggregates and builds the map.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import charts, layers
from dashboard.bundle import Bundle, load_bundle
from dashboard.corrections import LogEntry, credit_line, load_corrections, log_entries
from dashboard.escape import escape_markdown, escape_text, link
from dashboard.export import (
    data_package,
    defuse,
    records_csv,
    records_geojson,
    records_geoparquet,
    state_table_csv,
)
from dashboard.filters import (
    ViewSpec,
    apply,
    data_window,
    default_window,
    event_days,
    shift_window,
    toggle_state,
)
from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, choose_language
from dashboard.incident_list import IncidentTable, incident_table
from dashboard.join import state_at
from dashboard.mapview import (
    MapLayers,
    PointCatalogue,
    base_map,
    first_view,
    point_catalogue,
    published_json,
    states_geojson,
    view_layer,
    when_label,
    with_display_text,
)
from dashboard.memo import BytesBoundedCache
from dashboard.mexico import BY_CODE, MEXICO_CITY, STATES
from dashboard.permalink import PageView, parse_params, to_params, to_query
from dashboard.publish import page_path
from dashboard.quality import (
    QUALITY_VIEWS,
    outlets_table,
    quality_tables,
    record_at,
)
from dashboard.read import MAX_FILE_BYTES
from dashboard.schema import (
    EMBED_FRAME_HEIGHT,
    EMBED_MAP_HEIGHT,
    EVENT_TYPES,
    MAP_LAYERS,
    NON_INCIDENT_TYPES,
    report_rows,
)
from dashboard.snapshot import CREDIT, Selection, alt_text, html_document, png_bytes
from dashboard.snapshot import title as snapshot_title
from dashboard.stats import (
    KeyFigures,
    OfficialTimeline,
    hourly_counts,
    key_figures,
    national_figures,
    state_counts,
)
from dashboard.validate import check_incidents

STATE_NAMES = [s.name for s in STATES]
CODE_BY_NAME = {s.name: s.cve_ent for s in STATES}
TYPE_BY_LABEL = {label: key for key, label in EVENT_TYPES.items()}
MAP_HEIGHT = 560
LAYER_LABELS = {"states": "States", "site": "Tapalpa site", "incidents": "Incidents"}
PRECOMPUTE_TEXT_ROWS = 20_000
PAGE_LANG_JS = Path(__file__).with_name("static") / "page_lang.js"
UPLOAD_TYPES = ["csv", "tsv", "txt", "geojson", "json"]
UPLOAD_CACHE_BYTES = 300 * 1024 * 1024  # all sessions' checked uploads together
STATIC = Path(__file__).resolve().parent / "static"
# Sets the map frame's title (Streamlit names it after the component); read once.
PAGE_JS = (STATIC / "page.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class PageData:
    bundle: Bundle
    incidents: pd.DataFrame  # with escaped display text for popups
    states_json: str  # display geometry, serialised once
    first_hour: datetime  # slider bounds, naive Mexico City time
    last_hour: datetime
    default_window: tuple[datetime, datetime]
    # Served mode: the states geometry and every drawable record as static files the map
    # fetches once (mapview.published_json), so a rerun sends only the view.
    states_url: str | None = None
    catalogue: PointCatalogue | None = None
    # The official side of the per-state table, kept across reruns and sessions.
    timeline: OfficialTimeline | None = None


@st.cache_resource(show_spinner="Loading the map data…")
def page_data(geodata: str, version: str) -> PageData:
    """Everything that does not depend on the view; `version` keys the cache."""
    bundle = load_bundle(Path(geodata))
    first, last = (naive(t) for t in data_window(bundle.incidents))
    # Popup text is only drawn in points mode; precompute it where the data is small
    # enough to be drawn point by point, else the map builds it for what it draws.
    incidents = (
        with_display_text(bundle.incidents)
        if len(bundle.incidents) <= PRECOMPUTE_TEXT_ROWS
        else bundle.incidents
    )
    states_json = states_geojson(bundle.states_display)
    served = map_assets_mode() == "served"
    return PageData(
        bundle=bundle,
        incidents=incidents,
        states_json=states_json,
        states_url=published_json("states", states_json) if served else None,
        catalogue=point_catalogue(incidents) if served else None,
        timeline=OfficialTimeline(bundle.official, incidents),
        first_hour=first,
        last_hour=last,
        default_window=tuple(naive(t) for t in default_window(bundle.incidents)),
    )


def aware(local: datetime) -> datetime:
    return local.replace(tzinfo=MEXICO_CITY)


def naive(moment: datetime) -> datetime:
    return moment.astimezone(MEXICO_CITY).replace(tzinfo=None)


def link_defaults(data: PageData) -> dict:
    """The filters a page opens with when its link names nothing."""
    return {
        "window": data.default_window,
        "all_states": True,
        "states": [],
        "types": list(EVENT_TYPES.values()),
        "layers": list(LAYER_LABELS.values()),
    }


def reset_filters(data: PageData) -> None:
    for key, value in link_defaults(data).items():
        st.session_state[key] = value


def read_link(data: PageData) -> None:
    """Once per session: the view a permalink names becomes the widgets' initial values.

    They are handed to the widgets as defaults (`opening`), not written into their state:
    after a server restart under an open page, the browser sends the reader's widget
    values with its first rerun, and those must win over the link (which still names
    the window before the reader's move).
    """
    if "opening" in st.session_state:
        return
    opening = link_defaults(data)
    link = parse_params(
        st.query_params.to_dict(),
        data_start=aware(data.first_hour),
        data_end=aware(data.last_hour),
        version=data.bundle.version,
        lang=chosen_language(),
    )
    if link.window:
        opening["window"] = tuple(naive(t) for t in link.window)
    if link.states is not None:
        opening["all_states"] = False
        opening["states"] = sorted(BY_CODE[c].name for c in link.states)
    if link.types is not None:
        opening["types"] = [EVENT_TYPES[t] for t in EVENT_TYPES if t in link.types]
    if link.layers is not None:
        opening["layers"] = [LAYER_LABELS[x] for x in MAP_LAYERS if x in link.layers]
    st.session_state["opening"] = opening
    st.session_state["map_center"] = link.center
    st.session_state["map_zoom"] = link.zoom
    st.session_state["link_notices"] = link.notices


def setting(key: str):
    """A filter's current value: its widget's, else what the page opened with."""
    if key in st.session_state:
        return st.session_state[key]
    return st.session_state["opening"][key]


def select_clicked_state(data: PageData) -> None:
    """Clicking a state on the map adds it to the state filter; clicking it again removes it
    (removing the last one goes back to all states)."""
    clicked = (st.session_state.get("map") or {}).get("last_clicked")
    if not clicked:
        return
    code = state_at(data.bundle.states, clicked["lng"], clicked["lat"])
    if code is None:
        return
    chosen = None if st.session_state.get("all_states", True) else st.session_state["states"]
    result = toggle_state(chosen, BY_CODE[code].name)
    st.session_state["all_states"] = result is None
    st.session_state["states"] = result or []


def time_slider(data: PageData) -> tuple[datetime, datetime]:
    return st.slider(
        "Time window (Mexico City time)",
        min_value=data.first_hour,
        max_value=data.last_hour,
        value=st.session_state["opening"]["window"],
        step=timedelta(hours=1),
        format="ddd D MMM, HH:mm",
        key="window",
    )


def day_label(day: tuple[datetime, datetime]) -> str:
    start, end = day
    label = f"{start:%a %-d %b}"
    if start.hour or (end - start) < timedelta(days=1):
        label += f" {start:%H}–{'24' if end.hour == 0 else format(end, '%H')} h"
    return label


def choose_day(data: PageData) -> None:
    """A quick choice of one calendar day sets the window to it (then un-highlights)."""
    chosen = st.session_state.get("day_choice")
    days = {day_label(d): d for d in event_days(data.first_hour, data.last_hour)}
    if chosen in days:
        st.session_state["window"] = days[chosen]
    st.session_state["day_choice"] = None


def step_window(data: PageData, start_hours: int, end_hours: int) -> None:
    st.session_state["window"] = shift_window(
        setting("window"), (data.first_hour, data.last_hour), start_hours, end_hours
    )


def time_controls(data: PageData) -> None:
    """The slider, a day at a time as quick choices, and one-hour steps for each end."""
    time_slider(data)
    st.pills(
        "Jump to a day",
        [day_label(d) for d in event_days(data.first_hour, data.last_hour)],
        key="day_choice",
        on_change=choose_day,
        args=(data,),
    )
    st.caption("Or move each end of the window by one hour:")
    steps = (
        ("Start −1 h", "Start one hour earlier", -1, 0),
        ("Start +1 h", "Start one hour later", 1, 0),
        ("End −1 h", "End one hour earlier", 0, -1),
        ("End +1 h", "End one hour later", 0, 1),
    )
    columns = st.columns(2) + st.columns(2)
    for column, (label, help_text, start_hours, end_hours) in zip(columns, steps, strict=True):
        column.button(
            label,
            help=help_text,
            on_click=step_window,
            args=(data, start_hours, end_hours),
            key=f"step_{start_hours}_{end_hours}",
            width="stretch",
        )


def typeable(label: str) -> str:
    """The label with accents as separate combining marks (NFD): it looks the same, and
    the list's type-to-search, which matches letters in order, then finds "Michoacán"
    for "Michoacan"."""
    return unicodedata.normalize("NFD", label)


def filters(data: PageData) -> None:
    opening = st.session_state["opening"]
    with st.sidebar:
        st.header("Filters")
        time_controls(data)
        if not st.checkbox("All states", value=opening["all_states"], key="all_states"):
            st.multiselect(
                "States (type to search; accents optional; or click a state on the map)",
                STATE_NAMES,
                format_func=typeable,
                default=opening["states"],
                key="states",
                placeholder="Choose states",
            )
        st.multiselect(
            "Event types", list(EVENT_TYPES.values()), default=opening["types"], key="types"
        )
        st.multiselect(
            "Map layers", list(LAYER_LABELS.values()), default=opening["layers"], key="layers"
        )
        st.button("Reset filters", on_click=reset_filters, args=(data,), width="stretch")
        st.header("Your data")
        upload = st.file_uploader(
            f"Check an incident file (CSV, TSV, TXT, GeoJSON or ACLED; up to "
            f"{MAX_FILE_BYTES // 1_000_000} MB)",
            type=UPLOAD_TYPES,
            key="upload",
            help="Same columns as geodata/incidents.csv, or an ACLED export (CSV from the "
            "export tool, CSV or JSON from the API). Rows may give latitude, longitude and "
            "cve_ent instead of a location_id. Every problem is listed by line and field.",
        )
        if upload is None:
            st.caption(
                f"Files up to {MAX_FILE_BYTES // 1_000_000} MB; larger ones are refused. "
                "UTF-8, UTF-16 (Excel's Unicode text) or Windows-1252; comma, semicolon or tab."
            )
        else:
            st.checkbox("Show my file's valid rows instead of the bundled data", key="use_upload")


@dataclass(frozen=True)
class UploadResult:
    frame: pd.DataFrame  # valid rows, as the bundled incidents
    problems: list[dict]  # the kept problems (the first 1,000)
    summary: str  # "N error(s), M warning(s)[; the first 1000 are listed]"
    format: str
    encoding: str
    mapping: list
    report_csv: str  # the report table as a spreadsheet-safe CSV


@st.cache_resource
def upload_results() -> BytesBoundedCache:
    """Checked uploads shared by all sessions, bounded in bytes (not entries)."""
    return BytesBoundedCache(UPLOAD_CACHE_BYTES)


def check_upload(geodata: str, version: str, name: str, content: bytes, progress=None):
    """Validate an uploaded incidents file against the bundled places and states."""
    key = (geodata, version, name, hashlib.sha256(content).hexdigest())
    cache = upload_results()
    cached = cache.get(key)
    if cached is not None:
        return cached
    bundle = page_data(geodata, version).bundle
    options = {} if progress is None else {"progress": progress}
    result = check_incidents(content, name, bundle.locations, bundle.states, **options)
    frame = result.frame
    if len(frame) <= PRECOMPUTE_TEXT_ROWS:
        frame = with_display_text(frame)
    report = result.report
    checked = UploadResult(
        frame=frame,
        problems=[asdict(p) for p in report.problems],
        summary=report.summary(),
        format=result.format,
        encoding=result.encoding,
        mapping=result.mapping,
        report_csv=report.to_csv(),
    )
    size = int(frame.memory_usage(deep=True).sum()) + len(checked.report_csv) * 3
    cache.put(key, checked, size)
    return checked


FORMAT_NAMES = {
    "csv": "CSV",
    "geojson": "GeoJSON",
    "acled-csv": "an ACLED CSV (export tool or API)",
    "acled-json": "an ACLED JSON (API)",
    "acled-geojson": "ACLED events as GeoJSON features",
}


def own_file(data: PageData, geodata: str, version: str) -> PageData:
    """The report on an uploaded file; its valid rows replace the bundled ones on request."""
    upload = st.session_state.get("upload")
    if upload is None:
        return data
    bar = st.progress(0.0, text="Checking your file…")

    def progress(fraction: float, step: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"Checking your file: {step}…")

    checked = check_upload(geodata, version, upload.name, upload.getvalue(), progress)
    bar.empty()
    frame, problems = checked.frame, checked.problems
    title = (
        f"Your file {escape_markdown(upload.name)}: {len(frame)} valid row(s), {checked.summary}"
    )
    with st.expander(title, expanded=bool(problems)):
        if checked.format:
            st.caption(
                f"Read as {FORMAT_NAMES.get(checked.format, checked.format)}, "
                f"encoding {escape_markdown(checked.encoding)}."
            )
        if problems:
            unit = "Feature" if problems[-1]["unit"] == "feature" else "Line"
            st.dataframe(
                pd.DataFrame(report_rows(problems, chosen_language()))[
                    ["severity", "row", "field", "value", "reason"]
                ],
                hide_index=True,
                width="stretch",
                key="upload_report",
                column_config={"row": st.column_config.NumberColumn(unit, format="%d")},
            )
            st.caption(
                "Rows with errors are left out; rows with warnings are kept. Lines are the "
                "file's own (the header is line 1)."
            )
            st.download_button(
                "Download this report (CSV)",
                data=checked.report_csv,
                file_name=f"{Path(upload.name).stem}-report.csv",
                mime="text/csv",
                on_click="ignore",
            )
        else:
            st.success("No problems found.")
        if checked.mapping:
            st.markdown("**How the columns were read**")
            st.dataframe(
                pd.DataFrame(checked.mapping, columns=["our column", "from", "how"]),
                hide_index=True,
                width="stretch",
            )
    if not st.session_state.get("use_upload"):
        return data
    if not len(frame):
        st.warning(
            "Your file has no valid rows, so the map and numbers still show the bundled "
            "data. The report above says what to fix."
        )
        return data
    st.caption(
        f"Showing the {len(frame)} valid row(s) of your file. Links restore the filters, "
        "not the file."
    )
    return replace(
        data,
        incidents=frame,
        bundle=replace(data.bundle, incidents=frame),
        catalogue=None,
        timeline=None,
    )


# Views are kept per data version across reruns and sessions (readers of one story look
# at the same few windows); not for data this large, whose frames would fill memory.
VIEW_CACHE_ROWS = 20_000


def view_key(view: ViewSpec) -> str:
    """A view as a cache key: window (ISO 8601 with offset), states and types, sorted."""
    chosen = ["*" if c is None else ",".join(sorted(c)) for c in (view.states, view.event_types)]
    return "|".join([view.start.isoformat(), view.end.isoformat(), *chosen])


def compute_selection(data: PageData, view: ViewSpec) -> Selection:
    selected = apply(view, data.incidents)
    counts = state_counts(
        selected, data.bundle.official, view, data.incidents, timeline=data.timeline
    )
    return Selection(selected, counts)


@st.cache_resource(max_entries=512, show_spinner=False)
def kept_selection(version: str, key: str, _data: PageData, _view: ViewSpec) -> Selection:
    return compute_selection(_data, _view)


def view_selection(data: PageData, view: ViewSpec) -> Selection:
    """The records in `view` and the per-state table (all 32 states) for it; the same
    frames for every session viewing the bundled data's same view (read, never changed).
    """
    if data.timeline is not None and len(data.incidents) <= VIEW_CACHE_ROWS:
        return kept_selection(data.bundle.version, view_key(view), data, view)
    return compute_selection(data, view)


@st.cache_resource(max_entries=512, show_spinner=False)
def kept_table(version: str, key: str, query: str, _selected: pd.DataFrame) -> IncidentTable:
    return incident_table(_selected, query)


def current_page() -> PageView:
    """The view the widgets describe (it may select nothing)."""
    state = st.session_state
    start, end = setting("window")
    if end <= start:  # a slider with both ends together: one hour, not an error
        end = start + timedelta(hours=1)
    chosen = setting("states")
    states = None if setting("all_states") else frozenset(CODE_BY_NAME[n] for n in chosen)
    types = frozenset(TYPE_BY_LABEL[t] for t in setting("types"))
    return PageView(
        ViewSpec(
            aware(start),
            aware(end),
            states=states,
            event_types=None if len(types) == len(EVENT_TYPES) else types,
        ),
        layers=frozenset(k for k, label in LAYER_LABELS.items() if label in setting("layers")),
        center=state.get("map_center"),
        zoom=state.get("map_zoom"),
        lang=state.get("lang"),
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


# Key figures: what each counts, and the official national metric shown beside it.
KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    (
        "incidents",
        "Incidents located",
        "Reported incidents in the view with a place (site, town or only the state); "
        "official statements are not counted.",
    ),
    (
        "blockades",
        "Blockades in located records",
        "Blockades in the located records (a municipal tally counts as reported). The "
        "federal count was never published by place.",
    ),
    ("states_affected", "States with located incidents", "States with at least one."),
    ("fatalities", "Fatalities in located records", "Deaths reported in those records."),
    ("arrests", "Arrests in located records", "Arrests reported in those records."),
)


# How each official national figure is named in the line under the key figures.
OFFICIAL_NOUNS = {
    "blockades": "blockades",
    "states_affected": "states",
    "fatalities": "deaths",
    "arrests": "arrests",
}


def official_line(official: dict, states_filtered: bool) -> str:
    """ "Official national figures: 252 blockades and 20 states (Gabinete de Seguridad,
    22 Feb 20:00, source) · 62 deaths and 70 arrests (…)": grouped by who gave them when."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for name, figure in official.items():
        key = (figure.reported_by, figure.when, figure.source_url)
        groups.setdefault(key, []).append(
            f"**{figure.value:,}** {OFFICIAL_NOUNS[name]}"
            + (" (disputed)" if figure.disputed else "")
        )
    parts = [
        f"{' and '.join(values)} ({escape_markdown(by)}, {escape_markdown(when)}, "
        f"{link(url, 'source')})"
        for (by, when, url), values in groups.items()
    ]
    scope = "all of Mexico, not only the states chosen" if states_filtered else "national"
    return f"Official figures ({scope}, latest by the window's end): " + " · ".join(parts) + "."


def key_figure_row(selected: pd.DataFrame, data: PageData, view: ViewSpec) -> None:
    figures: KeyFigures = key_figures(selected)
    official = national_figures(data.bundle.official, view)
    columns = st.columns(len(KEY_FIGURES))
    for column, (name, label, help_text) in zip(columns, KEY_FIGURES, strict=True):
        column.metric(label, getattr(figures, name), help=help_text)
    if official:
        st.caption(official_line(official, view.states is not None), unsafe_allow_html=True)
    notes = []
    if figures.incidents:
        notes.append(
            f"{figures.uncertain_timing} of the {figures.incidents} incidents shown are only "
            "known to the day or part of the day: they count in every window that overlaps it."
        )
    if official:
        notes.append(
            "The official figures were published without locations: the located records "
            "neither add up to them nor map onto them."
        )
    if figures.disputed:
        notes.append(f"{figures.disputed} incident(s) have figures that sources disagree on.")
    st.caption(" ".join(notes))


# Empty cells of the data tables (st.dataframe's placeholder), never "None".
EMPTY_CELL = "—"


def state_table(counts: pd.DataFrame, view: ViewSpec) -> None:
    table = counts if view.states is None else counts[counts["cve_ent"].isin(view.states)]
    table = table.sort_values(["incidents", "state"], ascending=[False, True])
    st.header("Per state")
    st.dataframe(
        table[
            [
                "state",
                "incidents",
                "blockades",
                "official_blockades",
                "official_source",
                "located_at_official",
                "difference",
                "fatalities",
                "arrests",
                "official_url",
                "official_other",
            ]
        ].replace({"": None}),
        hide_index=True,
        width="stretch",
        placeholder=EMPTY_CELL,
        column_config={
            "state": "State",
            "incidents": st.column_config.NumberColumn(
                "Incidents", help="Located records in the window"
            ),
            "blockades": st.column_config.NumberColumn(
                "Blockades (located)", help="Blockades in the located records in the window"
            ),
            "official_blockades": st.column_config.NumberColumn(
                "Blockades (official)", help="Latest state figure reported by the window's end"
            ),
            "official_source": st.column_config.TextColumn(
                "Official figure: by, when", help="Authority and hour (Mexico City time)"
            ),
            "located_at_official": st.column_config.NumberColumn(
                "Located up to that hour",
                help="Located blockades (any window) that started before the official "
                "figure was given; only for figures with an hour",
            ),
            "difference": st.column_config.NumberColumn(
                "Located − official",
                help="Only where comparable: the official figure's hour is known",
            ),
            "fatalities": "Fatalities",
            "arrests": "Arrests",
            "official_url": st.column_config.LinkColumn("Official source", display_text="link"),
            "official_other": "Other figures",
        },
        key="state_table",
    )
    st.caption(
        "The comparison counts the located blockades that had started by the hour the "
        "official figure was given, whatever the window; records known only to the day "
        "count if their day had begun. A figure given without an hour is not compared."
    )
    chart = table.loc[table["incidents"] > 0, ["state", "incidents"]]
    if not chart.empty:
        chart = chart.sort_values(["incidents", "state"], ascending=[False, True])
        st.markdown(
            charts.bar_chart(
                chart["state"].tolist(),
                chart["incidents"].tolist(),
                label="Incidents in the window, by state",
                colour="#225ea8",
                tip=lambda state, n: f"{state}: {n} incident{'s' if n != 1 else ''}",
            ),
            unsafe_allow_html=True,
        )


def hourly_chart(selected: pd.DataFrame, view: ViewSpec) -> None:
    hourly = hourly_counts(selected, view)
    st.header("Hour by hour")
    if hourly.empty:
        st.caption("No incidents in this window.")
        return
    series = hourly.groupby("hour")[["timed", "overlapping"]].sum().reset_index()
    hours = [h.to_pydatetime() for h in series["hour"]]
    # Two charts with their own scales: day-only records dwarf the timed ones.
    for column, label, colour in (
        ("timed", "Reports timed to the hour or minute, by the hour they started", "#b34a00"),
        ("overlapping", "Records possibly under way (incl. day-only reports)", "#7570b3"),
    ):
        st.markdown(f"**{escape_markdown(label)}**")
        st.markdown(
            charts.hourly_chart(
                hours,
                series[column].astype(int).tolist(),
                label=label,
                colour=colour,
                tip=lambda hour, n: f"{hour:%a %-d %b %H:%M}: {n} record{'s' if n != 1 else ''}",
                day_label=lambda hour: f"{hour:%a %-d %b}",
            ),
            unsafe_allow_html=True,
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
    st.header("Key moments")
    for row in data.bundle.key_moments.itertuples(index=False):
        st.markdown(
            f"- {escape_markdown(row.headline)} "
            f"({link(row.source_url, row.source_outlet or 'source')})",
            unsafe_allow_html=True,
        )


@st.cache_data(show_spinner=False)
def corrections_log(path: str, version: str) -> tuple[str, list[LogEntry], list[str]]:
    """The corrections log of a data version: credit line, entries, problems (as text)."""
    corrections, report = load_corrections(Path(path))
    return credit_line(corrections), log_entries(corrections), [str(p) for p in report.problems]


def corrections_section(geodata: str, version: str) -> None:
    """ "Corrections and updates": what changed in the data, when, why, on what source."""
    credit, entries, problems = corrections_log(
        str(Path(geodata) / layers.CORRECTIONS_FILE.name), version
    )
    st.subheader("Corrections and updates")
    st.caption(
        f"{escape_markdown(credit)} Data version {escape_markdown(version)}: links made "
        "before a correction say the data has been updated."
    )
    for problem in problems:
        st.warning(f"The corrections log has a problem: {escape_markdown(problem)}")
    if not entries:
        return
    lines = [
        f"- **{escape_markdown(e.date)}** · {escape_markdown(e.label)}: "
        f"{escape_markdown('; '.join(e.changes))}. {escape_markdown(e.reason)} "
        f"({link(e.source_url, 'source')})"
        for e in entries
    ]
    with st.expander(f"All {len(entries)} corrections, newest first"):
        st.markdown("\n".join(lines), unsafe_allow_html=True)


def map_assets_mode() -> str:
    """Leaflet plugins of ours as cacheable static files when Streamlit serves
    dashboard/static/ (server.enableStaticServing), else inlined in the map."""
    return "served" if st.get_option("server.enableStaticServing") else "inline"


def map_focus() -> tuple[str, int] | None:
    """The record a table asked the map to show (st.session_state["focus_incident"], set
    by the incidents table and the quality tab), with a request number that changes
    whenever the record does, so the map pans once per choice, not on every rerun."""
    wanted = st.session_state.get("focus_incident")
    seen = st.session_state.get("map_focus_request")
    if not wanted:
        if seen and seen[0] is not None:  # cleared: choosing the same record again pans again
            st.session_state["map_focus_request"] = (None, seen[1])
        return None
    if seen is None or seen[0] != wanted:
        seen = (str(wanted), (seen[1] + 1) if seen else 1)
        st.session_state["map_focus_request"] = seen
    return seen


INCIDENT_COLUMNS = {
    "when": st.column_config.TextColumn(
        "When (Mexico City time)",
        help="Date and time for records timed to the hour or minute; otherwise the "
        "record's own date and, where reported, the part of the day (local clock).",
    ),
    "time_known": st.column_config.TextColumn("Time known"),
    "place": st.column_config.TextColumn("Place"),
    "municipality": st.column_config.TextColumn("Municipality"),
    "state": st.column_config.TextColumn("State"),
    "event_type": st.column_config.TextColumn("Type"),
    "place_known": st.column_config.TextColumn("Place known to"),
    "blockades": st.column_config.NumberColumn("Blockades"),
    "fatalities": st.column_config.NumberColumn("Killed"),
    "injured": st.column_config.NumberColumn("Injured"),
    "arrested": st.column_config.NumberColumn("Arrested"),
    "summary": st.column_config.TextColumn("Summary", width="large"),
    "source": st.column_config.LinkColumn("Source"),
    "source_outlet": st.column_config.TextColumn("Outlet"),
    "more_sources": st.column_config.ListColumn("More sources"),
}


def choose_incident() -> None:
    """A row chosen in the incidents table becomes the map's focus (mapcore's show_map
    pans to it and opens its popup) and the details shown under the table."""
    rows = st.session_state["incident_table"]["selection"]["rows"]
    ids = st.session_state.get("incident_table_ids", [])
    focus = ids[rows[0]] if rows and rows[0] < len(ids) else None
    st.session_state["focus_incident"] = focus
    st.session_state["incident_choice"] = focus


def pick_incident() -> None:
    """The same choice made with the keyboard: the list box next to the table."""
    st.session_state["focus_incident"] = st.session_state.get("incident_choice")


def incident_details(row) -> None:
    """The chosen incident in words, with its sources as real links (keyboard reachable)."""
    place = ", ".join(dict.fromkeys(p for p in (row.place, row.municipality, row.state) if p))
    counts = ", ".join(
        f"{label}: {int(getattr(row, field))}"
        for field, label in (
            ("blockades", "blockades"),
            ("fatalities", "killed"),
            ("injured", "injured"),
            ("arrested", "arrested"),
        )
        if not pd.isna(getattr(row, field))
    )
    sources = [link(row.source, row.source_outlet or "main source")] if row.source else []
    sources += [link(url, f"source {n}") for n, url in enumerate(row.more_sources, 2)]
    st.markdown(
        f"**{escape_markdown(row.event_type)}** at {escape_markdown(place)}  \n"
        f"When: {escape_markdown(row.when)} ({escape_markdown(row.time_known)}); "
        f"place known to: {escape_markdown(row.place_known)}"
        + (f"; {escape_markdown(counts)}" if counts else "")
        + f"  \n{escape_markdown(row.summary)}  \nSources: "
        + (" · ".join(sources) or "none given"),
        unsafe_allow_html=True,
    )


def incidents_table(selected: pd.DataFrame, kept: tuple[str, str] | None = None) -> None:
    """The list twin of the map: every incident in view, sortable and searchable.

    `kept` (data version, view_key) shares the table between sessions on the same view."""
    st.header("Incidents in view")
    query = st.text_input(
        "Search by place, municipality or state",
        key="incident_search",
        placeholder="e.g. Michoacan, Zapopan (accents optional)",
    )
    table = kept_table(*kept, query, selected) if kept else incident_table(selected, query)
    shown = len(table.rows)
    st.caption(
        (f"{shown} of {table.matched} incidents" if table.truncated else f"{shown} incidents")
        + (" matching the search" if query.strip() else "")
        + ". Choose one in the list box, or a row of the table (sort it by a column's "
        "header), to show it on the map and read its details."
        + (
            " Only the earliest are listed: narrow the search or the filters."
            if table.truncated
            else ""
        )
    )
    text = table.rows.fillna({"place": "", "state": ""})
    labels = dict(
        zip(
            text["incident_id"],
            text["when"]
            + " · "
            + text["event_type"]
            + " · "
            + text["place"]
            + ", "
            + text["state"],
            strict=True,
        )
    )
    if st.session_state.get("focus_incident") not in labels:
        # Left the view (or never chosen): nothing is focused or listed as chosen.
        st.session_state["focus_incident"] = st.session_state["incident_choice"] = None
    st.selectbox(
        "Show one on the map and read its details (type to search the list)",
        list(labels),
        format_func=lambda incident_id: typeable(labels[incident_id]),
        index=None,
        key="incident_choice",
        on_change=pick_incident,
        placeholder="Choose an incident",
    )
    focus = st.session_state.get("focus_incident")
    chosen = table.rows[table.rows["incident_id"] == focus]
    if len(chosen):
        incident_details(next(chosen.itertuples(index=False)))
    st.session_state["incident_table_ids"] = table.rows["incident_id"].tolist()
    st.dataframe(
        table.rows,
        key="incident_table",
        on_select=choose_incident,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_order=list(INCIDENT_COLUMNS),
        column_config=INCIDENT_COLUMNS,
    )


def page_style(page: PageView, listed: bool = True) -> None:
    """Page CSS (caption contrast, visible focus) and the map frame's accessible title."""
    st.html(STATIC / "page.css")
    title = escape_text(map_title(page, listed))
    st.html(
        f'<div id="tapalpa-page" hidden data-map-title="{title}"></div><script>{PAGE_JS}</script>',
        unsafe_allow_javascript=True,
    )


def map_title(page: PageView, listed: bool = True) -> str:
    """The map frame's accessible name: what it shows, when, and where else to read it."""
    start, end = (naive(t) for t in (page.view.start, page.view.end))
    text = (
        f"Map: {snapshot_title(page)}, {start:%a %-d %b %H:%M} to {end:%a %-d %b %H:%M} "
        "Mexico City time."
    )
    return text + (" Every incident is also listed in the table under the map." if listed else "")


def show_map(data: PageData, page: PageView, selected, counts, height: int) -> MapLayers:
    """The map keeps its view: the base map is the same on every rerun (its first view is
    fixed per session), and each view reaches the map on screen as a feature group."""
    initial = st.session_state.setdefault(
        "map_first_view",
        first_view(page.view, page.center, page.zoom, data.bundle.states_display),
    )
    fmap = base_map(
        data.states_json,
        data.bundle.operation_site,
        height=height,
        initial=initial,
        live=True,
        assets=map_assets_mode(),
        states_url=data.states_url,
    )
    layer, drawn = view_layer(
        selected,
        counts,
        page.view,
        layers=page.layers,
        focus=map_focus(),
        catalogue=data.catalogue,
    )
    st_folium(
        fmap,
        key="map",
        height=height,
        use_container_width=True,
        returned_objects=["last_clicked"],
        feature_group_to_add=layer,
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
        st.caption(
            "After you pan or zoom the map, the browser's address bar holds this link with the "
            "map's centre and zoom added (`lat`, `lon`, `zoom`): copy it from there to keep them."
        )
        st.text_area(
            "Embed the live map in an article",
            iframe_snippet(f"{base}?{embed_query}", EMBED_FRAME_HEIGHT, page),
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


def data_downloads(data: PageData, page: PageView, selection: Selection) -> None:
    """The view's records for GIS and analysis tools, the per-state table, and a data
    package with its licence, credit, data version and permalink."""
    base = (st.context.url or "").split("?")[0]
    permalink = f"{base}?{to_query(page, data.bundle.version)}"
    selected, counts, states = selection.selected, selection.counts, page.view.states
    stem = f"tapalpa-{page.view.start:%Y%m%d-%H%M}"
    downloads = (
        (
            "GeoJSON (QGIS, web maps)",
            partial(records_geojson, selected),
            "geojson",
            "application/geo+json",
        ),
        (
            "GeoParquet (GeoPandas, R sf)",
            partial(records_geoparquet, selected),
            "parquet",
            "application/vnd.apache.parquet",
        ),
        (
            "Per-state table (CSV)",
            partial(state_table_csv, counts, states),
            "states.csv",
            "text/csv",
        ),
        (
            "Data package (zip: all files, schemas, licence)",
            partial(
                data_package,
                selected,
                counts,
                states=states,
                title=snapshot_title(page),
                version=data.bundle.version,
                permalink=permalink,
                credit=CREDIT,
            ),
            "zip",
            "application/zip",
        ),
    )
    with st.expander(f"Download the data: the {len(selected)} records in this view"):
        st.caption(
            "GeoJSON and GeoParquet carry the CSV's columns with a WGS84 point per record; "
            "the data package adds the per-state table and a datapackage.json (Frictionless) "
            f"naming the data version ({data.bundle.version}) and this view's link."
        )
        for column, (label, build, suffix, mime) in zip(
            st.columns(len(downloads)), downloads, strict=True
        ):
            column.download_button(
                label,
                data=build,
                file_name=f"{stem}.{suffix}",
                mime=mime,
                on_click="ignore",
                key=f"download_{suffix}",
            )


@st.cache_resource(max_entries=4, show_spinner="Checking the data's quality…")
def quality_of(source: str, _frame: pd.DataFrame, _states) -> dict[str, pd.DataFrame]:
    """Quality tables for all records of a data source (`source` keys the cache)."""
    return quality_tables(_frame, _states)


def focus_on(name: str, table: pd.DataFrame) -> None:
    """A row chosen in a quality table: the map shows that record (mapcore and the
    incident list read `focus_incident`)."""
    chosen = record_at(table, st.session_state[f"quality_{name}"]["selection"]["rows"])
    if chosen is not None:
        st.session_state["focus_incident"] = chosen


def quality_source(data: PageData, geodata: str, from_upload: bool) -> str:
    """Which data the page shows (bundled or the uploaded file), as a cache key."""
    upload = st.session_state.get("upload")
    if from_upload and upload is not None:
        return f"upload:{upload.name}:{hash(upload.getvalue())}"
    return f"bundle:{geodata}:{data.bundle.version}"


def table_csv(table: pd.DataFrame) -> str:
    """A quality table as CSV, formula cells defused (built when its button is clicked)."""
    return table.map(defuse).to_csv(index=False, lineterminator="\n")


def quality_panel(data: PageData, selected: pd.DataFrame, geodata: str, from_upload: bool) -> None:
    """For analysts: the weak spots of the records in view, one sortable, downloadable
    table per kind; choosing a row shows that record on the map."""
    st.subheader("Data quality")
    if not st.toggle(
        "Show the data-quality view",
        key="show_quality",
        help="Duplicates, disputes, weak sources, imprecise records and links, for the "
        "records in this view (the bundled data or your file).",
    ):
        return
    key = quality_source(data, geodata, from_upload)
    everything = quality_of(key, data.incidents, data.bundle.states)
    in_view = set(selected["incident_id"])
    tables = {}
    for name, table in everything.items():
        if name == "outlets":
            tables[name] = outlets_table(selected)
        elif "other_id" in table.columns:  # both records of a pair in view
            tables[name] = table[
                table["incident_id"].isin(in_view) & table["other_id"].isin(in_view)
            ]
        else:
            tables[name] = table[table["incident_id"].isin(in_view)]
    labels = [f"{QUALITY_VIEWS[name]} ({len(table)})" for name, table in tables.items()]
    for tab, (name, table) in zip(st.tabs(labels), tables.items(), strict=True):
        with tab:
            shown = table.reset_index(drop=True)
            st.dataframe(
                shown.replace({"": None}),
                hide_index=True,
                width="stretch",
                placeholder=EMPTY_CELL,
                on_select=partial(focus_on, name, shown),
                selection_mode="single-row",
                key=f"quality_{name}",
            )
            st.download_button(
                f"Download this table (CSV, {len(shown)} rows)",
                data=partial(table_csv, shown),
                file_name=f"quality-{name}.csv",
                mime="text/csv",
                on_click="ignore",
                key=f"quality_download_{name}",
            )
    focus = st.session_state.get("focus_incident")
    if focus:
        st.caption(f"On the map: {escape_markdown(focus)}.")


def embed_page(data: PageData, page: PageView, selection: Selection) -> None:
    """For iframes: the map, its legend, the time control and a credit line only."""
    show_map(data, page, selection.selected, selection.counts, EMBED_MAP_HEIGHT)
    st.caption(
        f"{escape_markdown(snapshot_title(page))}. {escape_markdown(CREDIT)} "
        "Basemap © OpenStreetMap contributors."
    )


def chosen_language() -> str:
    """The page's language, "es" or "en" (session key "lang", which the switch sets).

    Chosen once per session from `?lang=`, else the browser's locale (Spanish for any
    es-*); afterwards the language switch decides.
    """
    if "lang" not in st.session_state:
        st.session_state["lang"] = choose_language(st.query_params.get("lang"), st.context.locale)
    return st.session_state["lang"]


def page_language() -> str:
    """The page's language, with `<html lang>` of the page and the map frame set to it."""
    lang = chosen_language()
    st.html(
        f'<span data-tim-lang="{lang}" hidden></span>'
        f"<script>{PAGE_LANG_JS.read_text(encoding='utf-8')}</script>",
        unsafe_allow_javascript=True,
    )
    return lang


def language_switch() -> None:
    """Español | English, each written in its own language (not shown when embedded)."""
    st.radio(
        "Idioma / Language",
        LANGUAGES,
        format_func=LANGUAGE_NAMES.get,
        horizontal=True,
        key="lang",
        label_visibility="collapsed",
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
    page_language()
    if embedded:
        map_area = st.container()
        time_slider(data)  # created before the view is read: its value beats the link's
        page = current_page()
        write_link(page, data.bundle.version)
        page_style(page, listed=False)
        with map_area:
            embed_page(data, page, view_selection(data, page.view))
        return
    language_switch()
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
    bundled = data
    data = own_file(data, geodata, data.bundle.version)
    page = current_page()
    write_link(page, data.bundle.version)
    page_style(page)
    reason = empty_reason(page)
    if reason:
        st.info(reason)
        return
    view = page.view
    selection = view_selection(data, view)
    selected, counts = selection.selected, selection.counts
    key_figure_row(selected, data, view)
    if selected[~selected["event_type"].isin(NON_INCIDENT_TYPES)].empty:
        st.info(
            "No incidents match these filters. Widen the time window or press **Reset filters**."
        )
    drawn = show_map(data, page, selected, counts, MAP_HEIGHT)
    st.caption(
        f"{drawn.drawn_points} incident points drawn"
        + (" (grouped by area at this scale)" if drawn.mode == "cells" else "")
        + ". Small symbols: an estimated exact site; large: town or municipality. "
        "Press ▶ on the map to replay the window hour by hour. Basemap © OpenStreetMap "
        "contributors; boundaries: Natural Earth."
    )
    cacheable = data.timeline is not None and len(data.incidents) <= VIEW_CACHE_ROWS
    incidents_table(selected, (data.bundle.version, view_key(view)) if cacheable else None)
    share_panel(data, page, Selection(selected, counts))
    data_downloads(data, page, Selection(selected, counts))
    state_level_reports(selected)
    left, right = st.columns([3, 2])
    with left:
        state_table(counts, view)
    with right:
        hourly_chart(selected, view)
        key_moments(data)
    corrections_section(geodata, layers.data_version(layers.data_files(Path(geodata))))
    quality_panel(data, selected, geodata, from_upload=data is not bundled)


main()
