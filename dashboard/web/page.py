"""The Streamlit page: reads widgets, calls the core, shows results. Streamlit runs
dashboard/app.py, which calls `main()` here: this module is imported once per process.

Loading, validation, joining and per-record display text happen once per process and data
version (the cache boundary below); a rerun only filters, aggregates and builds the map.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache, partial
from pathlib import Path
from typing import TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import folium
import pandas as pd
import pyarrow as pa
import streamlit as st
import streamlit_folium
from streamlit_folium import st_folium

from dashboard.analysis.filters import (
    IN_WINDOW,
    KNOWN,
    ViewSpec,
    apply,
    data_window,
    default_window,
    event_days,
    shift_window,
    toggle_state,
)
from dashboard.analysis.permalink import PageView, map_view, parse_params, to_params, to_query
from dashboard.analysis.quality import QUALITY_VIEWS, outlets_table, quality_tables, record_at
from dashboard.analysis.stats import (
    KeyFigures,
    OfficialTimeline,
    hourly_totals,
    key_figures,
    national_figures,
    state_counts,
)
from dashboard.ingest.bundle import Bundle, load_bundle
from dashboard.ingest.corrections import credit_line, load_corrections, log_entries
from dashboard.ingest.locate import state_at
from dashboard.ingest.read import MAX_FILE_BYTES
from dashboard.ingest.validate import check_incidents
from dashboard.model import layers
from dashboard.model.mexico import BY_CODE, MEXICO_CITY, STATES
from dashboard.model.schema import (
    EMBED_FRAME_HEIGHT,
    EMBED_MAP_HEIGHT,
    EVENT_TYPES,
    MAP_LAYERS,
    NON_INCIDENT_TYPES,
    event_type_label,
    report_rows,
)
from dashboard.render import charts
from dashboard.render.export import (
    data_package,
    records_csv,
    records_geojson,
    records_geoparquet,
    state_table_csv,
)
from dashboard.render.incident_list import incident_rows, incident_table
from dashboard.render.mapview import (
    MapLayers,
    PointCatalogue,
    ViewLayer,
    base_map,
    first_view,
    point_catalogue,
    published_json,
    states_geojson,
    view_layer,
)
from dashboard.render.popups import summary_text, when_label, with_display_text
from dashboard.render.publish import page_path
from dashboard.render.snapshot import (
    Selection,
    alt_text,
    credit_text,
    html_document,
    png_bytes,
    possible_sentence,
)
from dashboard.render.snapshot import title as snapshot_title
from dashboard.text.escape import defuse, escape_markdown, escape_text, link
from dashboard.text.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    SHORT_DATETIME,
    choose_language,
    format_datetime,
    format_number,
    gettext_for,
    translation,
)
from dashboard.web.memo import BytesBoundedCache

STATE_NAMES = [s.name for s in STATES]
CODE_BY_NAME = {s.name: s.cve_ent for s in STATES}
MAP_HEIGHT = 560
# The map layers' names in the layer filter (English message ids, shown translated).
LAYER_LABELS = {"states": N_("States"), "site": N_("Tapalpa site"), "incidents": N_("Incidents")}
PRECOMPUTE_TEXT_ROWS = 20_000
PAGE_LANG_JS = Path(__file__).resolve().parent.parent / "static" / "page_lang.js"
UPLOAD_TYPES = ["csv", "tsv", "txt", "geojson", "json"]
UPLOAD_CACHE_BYTES = 300 * 1024 * 1024  # all sessions' checked uploads together
STATIC = Path(__file__).resolve().parent.parent / "static"
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
    lang: str = "en"  # of the display text in `incidents` and the catalogue
    # Every record as a row of the incidents table, and its list-box label, made once
    # (bundled data up to VIEW_CACHE_ROWS records): a view only picks its rows.
    table_rows: pd.DataFrame | None = None
    labels: dict[str, str] | None = None
    state_lines: dict[str, str] | None = None  # state_level_entries of every record


@st.cache_resource(show_spinner=False)
def loaded_bundle(geodata: str, version: str) -> Bundle:
    """The validated bundle of a data version, shared by both languages' page data."""
    return load_bundle(Path(geodata))


@st.cache_resource(show_spinner="Loading the map data…")
def page_data(geodata: str, version: str, lang: str = "en") -> PageData:
    """Everything that does not depend on the view; `version` and `lang` key the cache
    (popup and tooltip text is in the page's language)."""
    bundle = loaded_bundle(geodata, version)
    first, last = (naive(t) for t in data_window(bundle.incidents))
    # Popup text is only drawn in points mode; precompute it where the data is small
    # enough to be drawn point by point, else the map builds it for what it draws.
    incidents = (
        with_display_text(bundle.incidents, lang)
        if len(bundle.incidents) <= PRECOMPUTE_TEXT_ROWS
        else bundle.incidents
    )
    states_json = states_geojson(bundle.states_display)
    served = map_assets_mode() == "served"
    rows = incident_rows(incidents, lang) if len(incidents) <= VIEW_CACHE_ROWS else None
    data = PageData(
        bundle=bundle,
        incidents=incidents,
        states_json=states_json,
        states_url=published_json("states", states_json) if served else None,
        catalogue=point_catalogue(incidents, lang) if served else None,
        timeline=OfficialTimeline(bundle.official, incidents),
        lang=lang,
        table_rows=rows,
        labels=None if rows is None else choice_labels(rows),
        state_lines=None
        if rows is None
        else state_level_entries(incidents[incidents["geo_precision"] >= 3], lang),
        first_hour=first,
        last_hour=last,
        default_window=tuple(naive(t) for t in default_window(bundle.incidents)),
    )
    # The data just loaded, and the libraries, live as long as the process. Move every
    # object alive now out of the garbage collector's reach, so each full collection
    # (Python's own; Streamlit's after every run is off: .streamlit/config.toml) walks
    # only what runs make.
    gc.freeze()
    return data


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
        "types": list(EVENT_TYPES),
        "layers": list(MAP_LAYERS),
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
        opening["types"] = [t for t in EVENT_TYPES if t in link.types]
    if link.layers is not None:
        opening["layers"] = [x for x in MAP_LAYERS if x in link.layers]
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


@lru_cache(maxsize=8)
def slider_hours(first: datetime, last: datetime) -> tuple[datetime, ...]:
    """Every whole hour from `first` to `last` inclusive (naive Mexico City time): the
    time slider's stops, made once per data window."""
    hours = int((last - first) / timedelta(hours=1))
    return tuple(first + timedelta(hours=k) for k in range(hours + 1))


def slider_label(hour: datetime, lang: str = "en") -> str:
    """A slider stop as the reader's language writes it, by Babel: "dom 22 feb, 14:00" /
    "Sun 22 Feb, 14:00" (`hour` naive Mexico City time; labels are cached in i18n)."""
    return format_datetime(hour.replace(tzinfo=MEXICO_CITY), lang, SHORT_DATETIME)


def time_slider(data: PageData, lang: str = "en") -> tuple[datetime, datetime]:
    """The window as a range over the data's hours. A select slider, so that the labels
    are Babel's text in the page's language: `st.slider` formats dates in the browser with
    moment.js tokens and English names only. Key "window" (permalinks and benchmarks find
    it by it); its value is a pair of naive Mexico City datetimes, as before."""
    return st.select_slider(
        translation(lang).gettext("Time window (Mexico City time)"),
        options=slider_hours(data.first_hour, data.last_hour),
        value=st.session_state["opening"]["window"],
        format_func=partial(slider_label, lang=lang),
        key="window",
    )


def day_label(day: tuple[datetime, datetime], lang: str = "en") -> str:
    """ "dom 22 feb" / "Sun 22 Feb", with the hours when the day is cut ("06–24 h")."""
    start, end = day
    label = format_datetime(start.replace(tzinfo=MEXICO_CITY), lang, "EEE d MMM")
    if start.hour or (end - start) < timedelta(days=1):
        label += f" {start:%H}–{'24' if end.hour == 0 else format(end, '%H')} h"
    return label


def choose_day(data: PageData, lang: str = "en") -> None:
    """A quick choice of one calendar day sets the window to it (then un-highlights)."""
    chosen = st.session_state.get("day_choice")
    days = {day_label(d, lang): d for d in event_days(data.first_hour, data.last_hour)}
    if chosen in days:
        st.session_state["window"] = days[chosen]
    st.session_state["day_choice"] = None


def step_window(data: PageData, start_hours: int, end_hours: int) -> None:
    st.session_state["window"] = shift_window(
        setting("window"), (data.first_hour, data.last_hour), start_hours, end_hours
    )


def time_controls(data: PageData, lang: str = "en") -> None:
    """The slider, a day at a time as quick choices, and one-hour steps for each end."""
    t = translation(lang)
    time_slider(data, lang)
    st.pills(
        t.gettext("Jump to a day"),
        [day_label(d, lang) for d in event_days(data.first_hour, data.last_hour)],
        key="day_choice",
        on_change=choose_day,
        args=(data, lang),
    )
    st.caption(t.gettext("Or move each end of the window by one hour:"))
    steps = (
        (t.gettext("Start −1 h"), t.gettext("Start one hour earlier"), -1, 0),
        (t.gettext("Start +1 h"), t.gettext("Start one hour later"), 1, 0),
        (t.gettext("End −1 h"), t.gettext("End one hour earlier"), 0, -1),
        (t.gettext("End +1 h"), t.gettext("End one hour later"), 0, 1),
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


def filters(data: PageData, lang: str = "en") -> None:
    """The sidebar. Event types and layers are chosen by key (shown in `lang`), so a
    change of language keeps the choice."""
    t = translation(lang)
    opening = st.session_state["opening"]
    megabytes = format_number(MAX_FILE_BYTES // 1_000_000, lang)
    with st.sidebar:
        st.header(t.gettext("Filters"))
        time_controls(data, lang)
        if not st.checkbox(t.gettext("All states"), value=opening["all_states"], key="all_states"):
            st.multiselect(
                t.gettext("States (type to search; accents optional; or click a state on the map)"),
                STATE_NAMES,
                format_func=typeable,
                default=opening["states"],
                key="states",
                placeholder=t.gettext("Choose states"),
            )
        st.multiselect(
            t.gettext("Event types"),
            list(EVENT_TYPES),
            format_func=partial(event_type_label, lang=lang),
            default=opening["types"],
            key="types",
        )
        st.multiselect(
            t.gettext("Map layers"),
            list(MAP_LAYERS),
            format_func=lambda layer: t.gettext(LAYER_LABELS[layer]),
            default=opening["layers"],
            key="layers",
        )
        st.button(t.gettext("Reset filters"), on_click=reset_filters, args=(data,), width="stretch")
        st.header(t.gettext("Your data"))
        upload = st.file_uploader(
            t.gettext(
                "Check an incident file (CSV, TSV, TXT, GeoJSON or ACLED; up to {mb} MB)"
            ).format(mb=megabytes),
            type=UPLOAD_TYPES,
            key="upload",
            help=t.gettext(
                "Same columns as geodata/incidents.csv, or an ACLED export (CSV from the "
                "export tool, CSV or JSON from the API). Rows may give latitude, longitude and "
                "cve_ent instead of a location_id. Every problem is listed by line and field."
            ),
        )
        if upload is None:
            st.caption(
                t.gettext(
                    "Files up to {mb} MB; larger ones are refused. UTF-8, UTF-16 (Excel's "
                    "Unicode text) or Windows-1252; comma, semicolon or tab."
                ).format(mb=megabytes)
            )
        else:
            st.checkbox(
                t.gettext("Show my file's valid rows instead of the bundled data"),
                key="use_upload",
            )


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


def check_upload(
    geodata: str, version: str, name: str, content: bytes, progress=None, lang: str = "en"
):
    """Validate an uploaded incidents file against the bundled places and states (popup
    text in `lang`)."""
    key = (geodata, version, name, hashlib.sha256(content).hexdigest(), lang)
    cache = upload_results()
    cached = cache.get(key)
    if cached is not None:
        return cached
    bundle = page_data(geodata, version, lang).bundle
    options = {} if progress is None else {"progress": progress}
    result = check_incidents(content, name, bundle.locations, bundle.states, **options)
    frame = result.frame
    if len(frame) <= PRECOMPUTE_TEXT_ROWS:
        frame = with_display_text(frame, lang)
    report = result.report
    checked = UploadResult(
        frame=frame,
        problems=[asdict(p) for p in report.problems],
        summary=report.summary(lang),
        format=result.format,
        encoding=result.encoding,
        mapping=result.mapping,
        report_csv=report.to_csv(lang),
    )
    size = int(frame.memory_usage(deep=True).sum()) + len(checked.report_csv) * 3
    cache.put(key, checked, size)
    return checked


FORMAT_NAMES = {
    "csv": "CSV",
    "geojson": "GeoJSON",
    "acled-csv": N_("an ACLED CSV (export tool or API)"),
    "acled-json": N_("an ACLED JSON (API)"),
    "acled-geojson": N_("ACLED events as GeoJSON features"),
}


def own_file(data: PageData, geodata: str, version: str, lang: str = "en") -> PageData:
    """The report on an uploaded file; its valid rows replace the bundled ones on request."""
    t = translation(lang)
    upload = st.session_state.get("upload")
    if upload is None:
        return data
    bar = st.progress(0.0, text=t.gettext("Checking your file…"))

    def progress(fraction: float, step: str) -> None:
        bar.progress(
            min(max(fraction, 0.0), 1.0),
            text=t.gettext("Checking your file: {step}…").format(step=step),
        )

    checked = check_upload(geodata, version, upload.name, upload.getvalue(), progress, lang)
    bar.empty()
    frame, problems = checked.frame, checked.problems
    title = t.ngettext(
        "Your file {name}: {n} valid row, {summary}",
        "Your file {name}: {n} valid rows, {summary}",
        len(frame),
    ).format(
        name=escape_markdown(upload.name),
        n=format_number(len(frame), lang),
        summary=checked.summary,
    )
    with st.expander(title, expanded=bool(problems)):
        if checked.format:
            kind = FORMAT_NAMES.get(checked.format, checked.format)
            st.caption(
                t.gettext("Read as {format}, encoding {encoding}.").format(
                    format=t.gettext(kind), encoding=escape_markdown(checked.encoding)
                )
            )
        if problems:
            unit = t.gettext("Feature") if problems[-1]["unit"] == "feature" else t.gettext("Line")
            st.dataframe(
                pd.DataFrame(report_rows(problems, lang))[
                    ["severity", "row", "field", "value", "reason"]
                ],
                hide_index=True,
                width="stretch",
                placeholder=EMPTY_CELL,  # a file-level problem has no line
                key="upload_report",
                column_config={
                    "severity": t.gettext("Severity"),
                    "row": st.column_config.NumberColumn(unit, format="%d"),
                    "field": t.gettext("Field"),
                    "value": t.gettext("Value"),
                    "reason": t.gettext("Reason"),
                },
            )
            st.caption(
                t.gettext(
                    "Rows with errors are left out; rows with warnings are kept. Features are "
                    "numbered from 1 in the file's order; a problem of the whole file has none."
                )
                if problems[-1]["unit"] == "feature"
                else t.gettext(
                    "Rows with errors are left out; rows with warnings are kept. Lines are the "
                    "file's own (the header is line 1); a problem of the whole file has none."
                )
            )
            st.download_button(
                t.gettext("Download this report (CSV)"),
                data=checked.report_csv,
                file_name=f"{Path(upload.name).stem}-report.csv",
                mime="text/csv",
                on_click="ignore",
            )
        else:
            st.success(t.gettext("No problems found."))
        if checked.mapping:
            st.markdown("**" + t.gettext("How the columns were read") + "**")
            st.dataframe(
                pd.DataFrame(
                    [(ours, source, t.gettext(how)) for ours, source, how in checked.mapping],
                    columns=["our column", "from", "how"],
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "our column": t.gettext("our column"),
                    "from": t.gettext("from"),
                    "how": t.gettext("how"),
                },
            )
    if not st.session_state.get("use_upload"):
        return data
    if not len(frame):
        st.warning(
            t.gettext(
                "Your file has no valid rows, so the map and numbers still show the bundled "
                "data. The report above says what to fix."
            )
        )
        return data
    st.caption(
        t.ngettext(
            "Showing the {n} valid row of your file. Links restore the filters, not the file.",
            "Showing the {n} valid rows of your file. Links restore the filters, not the file.",
            len(frame),
        ).format(n=format_number(len(frame), lang))
    )
    return replace(
        data,
        incidents=frame,
        bundle=replace(data.bundle, incidents=frame),
        catalogue=None,
        timeline=None,
        table_rows=None,
        labels=None,
        state_lines=None,
    )


T = TypeVar("T")

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
        selected, data.bundle.official, view, data.incidents, data.lang, timeline=data.timeline
    )
    return Selection(selected, counts)


Kept = tuple[str, str, str] | None  # (data version, language, view_key) or None


@st.cache_resource(max_entries=4096, show_spinner=False)
def kept_value(kind: str, version: str, lang: str, key: str, _compute: Callable[[], T]) -> T:
    """`_compute()` once per kind of result, data version, language and view, shared by
    every session (results are read, never changed)."""
    return _compute()


def view_kept(data: PageData, view: ViewSpec) -> Kept:
    """How per_view keeps results for `view`: by data version, language and view for
    the bundled data (up to VIEW_CACHE_ROWS records); None (not kept) for an uploaded
    file or larger data."""
    if data.timeline is None or len(data.incidents) > VIEW_CACHE_ROWS:
        return None
    return (data.bundle.version, data.lang, view_key(view))


def rows_kept(data: PageData, view: ViewSpec, selected: pd.DataFrame) -> Kept:
    """How per_view keeps the results that depend only on which records are in view, how
    each is in the window (filters.IN_WINDOW: known or possible) and the official reports
    known by the window's end, not on the window's exact hours: by data version,
    language, those records and their placement (a digest of their row labels and
    IN_WINDOW values: `selected` is a frame from filters.apply), the number of reports
    known (stats.OfficialTimeline.known) and the state and type filters. Many windows
    select the same records the same way, so a reader moving the slider mostly reuses what
    another window made. None when `view` is not kept (view_kept)."""
    kept = view_kept(data, view)
    if kept is None:
        return None
    version, lang, key = kept
    filters_part = key.split("|", 2)[2]  # view_key: start|end|states|types
    digest = hashlib.blake2b(digest_size=16)
    digest.update(selected.index.to_numpy(dtype="int64").tobytes())
    digest.update((selected[IN_WINDOW].to_numpy() == KNOWN).tobytes())
    rows = digest.hexdigest()
    return (version, lang, f"rows:{rows}|{data.timeline.known(view.end)}|{filters_part}")


def view_selection(data: PageData, view: ViewSpec) -> Selection:
    """The records in `view` (filters.apply) and the per-state table (all 32 states) for
    it; the same frames for every session viewing the bundled data's same records placed
    the same way (read, never changed), kept by rows_kept."""
    if view_kept(data, view) is None:
        return compute_selection(data, view)
    selected = apply(view, data.incidents)
    same_rows = rows_kept(data, view, selected)
    selected = per_view("selected", same_rows, lambda: selected)
    counts = per_view(
        "counts",
        same_rows,
        lambda: state_counts(
            selected, data.bundle.official, view, data.incidents, data.lang, timeline=data.timeline
        ),
    )
    return Selection(selected, counts)


def grid_data(rows: pd.DataFrame, kept: Kept, kind: str) -> pd.DataFrame | pa.Table:
    """`rows` for st.dataframe: converted to Arrow once per view when the view is kept
    (Streamlit converts a pandas frame on every call: a tenth of a rerun), else as is.
    The index is left out, as the grids hide it."""
    if kept is None:
        return rows
    return per_view(kind, kept, lambda: pa.Table.from_pandas(rows, preserve_index=False))


def per_view(kind: str, kept: Kept, compute: Callable[[], T]) -> T:
    """`compute()`, kept between sessions when `kept` names the view (bundled data), else
    computed each time (an uploaded file, data too large to keep per view)."""
    return kept_value(kind, *kept, compute) if kept else compute()


def current_page() -> PageView:
    """The view the widgets describe (it may select nothing)."""
    state = st.session_state
    start, end = setting("window")
    if end <= start:  # a slider with both ends together: one hour, not an error
        end = start + timedelta(hours=1)
    chosen = setting("states")
    states = None if setting("all_states") else frozenset(CODE_BY_NAME[n] for n in chosen)
    types = frozenset(t for t in setting("types") if t in EVENT_TYPES)
    address = map_view(st.query_params.to_dict())
    return PageView(
        ViewSpec(
            aware(start),
            aware(end),
            states=states,
            event_types=None if len(types) == len(EVENT_TYPES) else types,
        ),
        layers=frozenset(k for k in MAP_LAYERS if k in setting("layers")),
        # The reader's centre and zoom as the map last wrote them into the address (brought
        # by this rerun), so snapshots show what the reader sees; else the link's.
        center=address[0] if address else state.get("map_center"),
        zoom=address[1] if address else state.get("map_zoom"),
        lang=state.get("lang"),
    )


def empty_reason(page: PageView, lang: str = "en") -> str | None:
    t = translation(lang)
    if page.view.states is not None and not page.view.states:
        return t.gettext(
            "No state selected. Pick states in the sidebar, tick **All states**, "
            "or click a state on the map."
        )
    if page.view.event_types is not None and not page.view.event_types:
        return t.gettext(
            "No event type selected. Pick types in the sidebar or press **Reset filters**."
        )
    return None


def write_link(page: PageView, version: str) -> None:
    """Keep the address bar a permalink for what is on screen."""
    # Streamlit keeps ?embed=true itself and hides it from st.query_params.
    params = to_params(replace(page, embed=False), version)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


# Key figures: what each counts (English message ids, shown translated). The located
# ones count the records known to be in the window (filters' counting rule).
KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    (
        "incidents",
        N_("Incidents on the map"),
        N_(
            "Reported incidents with a place (site, town or only the state) whose time lies "
            "inside the window; official statements are not counted."
        ),
    ),
    (
        "blockades",
        N_("Road blockades on the map"),
        N_(
            "Road blockades in those records (a municipal tally counts as reported). The "
            "federal count was never published by place."
        ),
    ),
    (
        "states_affected",
        N_("States with road blockades on the map"),
        N_(
            "States with at least one road blockade in those records: what the official "
            "count of states counts."
        ),
    ),
    ("fatalities", N_("Deaths in those records"), N_("Deaths reported in those records.")),
    ("arrests", N_("Arrests in those records"), N_("Arrests reported in those records.")),
)
# The official national figures, led with: stats.NATIONAL_METRICS' keys, their labels.
OFFICIAL_FIGURES: tuple[tuple[str, str], ...] = (
    ("blockades", N_("Road blockades (official)")),
    ("states_affected", N_("States with blockades (official)")),
    ("fatalities", N_("Deaths (official)")),
    ("arrests", N_("Arrests (official)")),
)


def official_noun(t, name: str, value: int) -> str:
    """How an official national figure is named in the line under the key figures."""
    if name == "blockades":
        return t.ngettext("blockade", "blockades", value)
    if name == "states_affected":
        return t.ngettext("state", "states", value)
    if name == "fatalities":
        return t.ngettext("death", "deaths", value)
    return t.ngettext("arrest", "arrests", value)


def official_line(official: dict, states_filtered: bool, lang: str = "en") -> str:
    """ "Official national figures: 252 blockades and 20 states (Gabinete de Seguridad,
    22 Feb 20:00, source) · 62 deaths and 70 arrests (…)": grouped by who gave them when."""
    t = translation(lang)
    groups: dict[tuple[str, str, str], list[str]] = {}
    for name, figure in official.items():
        key = (figure.reported_by, figure.when, figure.source_url)
        groups.setdefault(key, []).append(
            f"**{format_number(figure.value, lang)}** {official_noun(t, name, figure.value)}"
            + (" " + t.gettext("(disputed)") if figure.disputed else "")
        )
    parts = [
        t.gettext("{figures} ({by}, {when}, {source})").format(
            figures=t.gettext(" and ").join(values),
            by=escape_markdown(by),
            when=escape_markdown(when),
            source=link(url, t.gettext("source")),
        )
        for (by, when, url), values in groups.items()
    ]
    if states_filtered:
        head = t.gettext(
            "Official figures (all of Mexico, not only the states chosen, latest by the "
            "window's end):"
        )
    else:
        head = t.gettext("Official figures (national, latest by the window's end):")
    return head + " " + " · ".join(parts) + "."


def official_metrics(official: dict, lang: str = "en") -> None:
    """The official national figures known by the window's end (stats.national_figures),
    first on the page, each labelled with who gave it and when; nothing when none."""
    t = translation(lang)
    shown = [(name, label) for name, label in OFFICIAL_FIGURES if name in official]
    if not shown:
        return
    for column, (name, label) in zip(st.columns(len(shown)), shown, strict=True):
        figure = official[name]
        column.metric(
            t.gettext(label),
            format_number(figure.value, lang),
            help=t.gettext("{by}, {when} (Mexico City time)").format(
                by=figure.reported_by, when=figure.when
            )
            + (" " + t.gettext("(disputed)") if figure.disputed else ""),
        )


def why_they_differ(official: dict, lang: str = "en") -> str:
    """One line on why the map's counts differ from the official figures beside them
    (what each counts), or "" when there is no official figure to compare."""
    if not official:
        return ""
    return translation(lang).gettext(
        "Why the map's counts differ from the official ones: the authorities counted every "
        "blockade and death in the country and gave no places; the map counts only reports "
        "with a place and a time that lies inside the window, and a state's tally that a "
        "source gave as one figure is one record."
    )


def map_counts(selected: pd.DataFrame) -> tuple[int, int, int]:
    """(incidents drawn as points, official statements drawn, incidents known only to
    their state) of the records in view: what the caption under the map counts."""
    placed = (selected["geo_precision"] < 3).to_numpy()
    incident = (~selected["event_type"].isin(NON_INCIDENT_TYPES)).to_numpy()
    return (
        int((placed & incident).sum()),
        int((placed & ~incident).sum()),
        int((~placed & incident).sum()),
    )


def view_figures(selected: pd.DataFrame, kept: Kept) -> KeyFigures:
    """stats.key_figures of the view, once per view (the key figures and the alt text)."""
    return per_view("key_figures", kept, lambda: key_figures(selected))


def view_official(data: PageData, view: ViewSpec, lang: str, kept: Kept) -> dict:
    """The official national figures given by the window's end (stats.national_figures),
    once per set of reports known then (`kept`: rows_kept holds their number)."""
    return per_view(
        "official",
        kept,
        lambda: (
            data.timeline.national(view.end, lang)
            if data.timeline is not None
            else national_figures(data.bundle.official, view, lang)
        ),
    )


def counting_rule(lang: str = "en") -> str:
    """The counting rule (filters' module docstring; README "How the map counts") for
    readers, in `lang`, with one worked example."""
    t = translation(lang)
    return "\n\n".join(
        [
            t.gettext(
                "Each report covers the time its source gives: a minute, an hour, a part of "
                "the day or only the day. Nothing reacted to the raid before it began, so "
                "no report starts before the morning of 22 February (06:00 Mexico City "
                "time)."
            ),
            t.gettext(
                "A report whose whole time lies inside the window is **counted**. One whose "
                "time only overlaps the window is **possibly** in it: drawn dashed on the "
                'map, listed as "possibly", named beside the figures, never counted.'
            ),
            t.gettext(
                'Example: a burning reported only as "22 February" covers 06:00 to '
                "midnight that day. In the window 22 Feb 00:00 to 23 Feb 00:00 it is "
                "counted; in the hour 14:00 to 15:00 it is only possible; before 06:00 it "
                "is not shown."
            ),
        ]
    )


def key_figure_row(
    selected: pd.DataFrame, data: PageData, view: ViewSpec, lang: str = "en", kept: Kept = None
) -> str:
    """The official national figures first, then the map's located figures beside them;
    returns the notes on what they count, which the page shows under the map (on a phone
    the map comes first)."""
    t = translation(lang)
    figures = view_figures(selected, kept)
    official = view_official(data, view, lang, kept)
    if official:
        official_metrics(official, lang)
        st.caption(official_line(official, view.states is not None, lang), unsafe_allow_html=True)
    else:
        st.caption(t.gettext("No official national figure had been given by the window's end."))
    columns = st.columns(len(KEY_FIGURES))
    for column, (name, label, help_text) in zip(columns, KEY_FIGURES, strict=True):
        column.metric(
            t.gettext(label),
            format_number(getattr(figures, name), lang),
            help=t.gettext(help_text),
        )
    lead = [possible_sentence(figures.possible, lang), why_they_differ(official, lang)]
    if any(lead):
        st.caption(" ".join(filter(None, lead)))
    with st.expander(t.gettext("How the map counts")):
        st.markdown(counting_rule(lang))
    notes = []
    if figures.incidents:
        notes.append(
            t.ngettext(
                "{uncertain} of the {n} incident counted is known only to the day or part "
                "of the day, which lies wholly inside the window.",
                "{uncertain} of the {n} incidents counted are known only to the day or part "
                "of the day, which lies wholly inside the window.",
                figures.incidents,
            ).format(
                uncertain=format_number(figures.uncertain_timing, lang),
                n=format_number(figures.incidents, lang),
            )
        )
    if figures.disputed:
        notes.append(
            t.ngettext(
                "{n} incident has figures that sources disagree on.",
                "{n} incidents have figures that sources disagree on.",
                figures.disputed,
            ).format(n=format_number(figures.disputed, lang))
        )
    return " ".join(notes)


# Empty cells of the data tables (st.dataframe's placeholder), never "None".
EMPTY_CELL = "—"


STATE_TABLE_COLUMNS = [
    "state",
    "incidents",
    "incidents_possible",
    "blockades",
    "official_blockades",
    "official_source",
    "located_at_official",
    "located_at_official_possible",
    "difference",
    "fatalities",
    "arrests",
    "official_url",
    "official_other",
]


def state_rows(counts: pd.DataFrame, view: ViewSpec) -> pd.DataFrame:
    """The per-state table as shown: the view's states, most incidents first, empty text
    as missing (the grid's placeholder)."""
    table = counts if view.states is None else counts[counts["cve_ent"].isin(view.states)]
    table = table.sort_values(["incidents", "state"], ascending=[False, True])
    return table[STATE_TABLE_COLUMNS].replace({"": None}).reset_index(drop=True)


def state_table_rows(counts: pd.DataFrame, view: ViewSpec, kept: Kept) -> pd.DataFrame:
    """state_rows, kept per set of records in view (`kept`: rows_kept)."""
    return per_view("state_rows", kept, lambda: state_rows(counts, view))


def state_chart(rows: pd.DataFrame, lang: str) -> str | None:
    """The bar chart of incidents by state (SVG markup), None when no state has any."""
    t = translation(lang)
    chart = rows.loc[rows["incidents"] > 0, ["state", "incidents"]]
    if chart.empty:
        return None
    return charts.bar_chart(
        chart["state"].tolist(),
        chart["incidents"].tolist(),
        label=t.gettext("Incidents in the window, by state"),
        colour="#225ea8",
        tip=lambda state, n: t.ngettext(
            "{state}: {n} incident", "{state}: {n} incidents", n
        ).format(state=state, n=format_number(n, lang)),
    )


def state_table(counts: pd.DataFrame, view: ViewSpec, lang: str = "en", kept: Kept = None) -> None:
    """The per-state comparison (located and official figures) and its bar chart; both
    kept per view (`kept`, per_view)."""
    t = translation(lang)
    table = state_table_rows(counts, view, kept)
    chart = per_view("state_chart", kept, lambda: state_chart(table, lang))
    st.header(t.gettext("Per state"))
    st.dataframe(
        grid_data(table, kept, "state_arrow"),
        hide_index=True,
        width="stretch",
        placeholder=EMPTY_CELL,
        column_config={
            "state": t.gettext("State"),
            "incidents": st.column_config.NumberColumn(
                t.gettext("Incidents"),
                help=t.gettext("Located records whose time lies inside the window"),
            ),
            "incidents_possible": st.column_config.NumberColumn(
                t.gettext("Possibly in the window"),
                help=t.gettext(
                    "Located records known only to a day or part of day that overlaps the "
                    "window without lying inside it: not counted"
                ),
            ),
            "blockades": st.column_config.NumberColumn(
                t.gettext("Road blockades (located)"),
                help=t.gettext("Road blockades in the located records inside the window"),
            ),
            "official_blockades": st.column_config.NumberColumn(
                t.gettext("Blockades (official)"),
                help=t.gettext("Latest state figure reported by the window's end"),
            ),
            "official_source": st.column_config.TextColumn(
                t.gettext("Official figure: by, when"),
                help=t.gettext("Authority and hour (Mexico City time)"),
            ),
            "located_at_official": st.column_config.NumberColumn(
                t.gettext("Located, known by that hour"),
                help=t.gettext(
                    "Located road blockades (any window) known to have started by the hour "
                    "the official figure was given; only for figures with an hour"
                ),
            ),
            "located_at_official_possible": st.column_config.NumberColumn(
                t.gettext("Located, possibly by that hour"),
                help=t.gettext(
                    "Located road blockades known only to a day or part of day still running "
                    "at that hour: they may have started before or after it"
                ),
            ),
            "difference": st.column_config.NumberColumn(
                t.gettext("Located − official"),
                help=t.gettext("Only where comparable: the official figure's hour is known"),
            ),
            "fatalities": t.gettext("Fatalities"),
            "arrests": t.gettext("Arrests"),
            "official_url": st.column_config.LinkColumn(
                t.gettext("Official source"), display_text=t.gettext("link")
            ),
            "official_other": t.gettext("Other figures"),
        },
        key="state_table",
    )
    st.caption(
        t.gettext(
            "The comparison counts the located road blockades known to have started by the "
            "hour the official figure was given, whatever the window; those known only to a "
            "day or part of day still running then are counted apart, as possible. A figure "
            "given without an hour is not compared."
        )
    )
    if chart is not None:
        st.markdown(chart, unsafe_allow_html=True)


def hourly_markup(selected: pd.DataFrame, view: ViewSpec, lang: str) -> list[tuple[str, str]]:
    """The two hour-by-hour charts as (title, SVG) in `lang`; empty without incidents."""
    t = translation(lang)
    series = hourly_totals(selected, view)
    if series.empty:
        return []
    hours = [h.to_pydatetime() for h in series["hour"]]
    when = {hour: format_datetime(hour, lang) for hour in hours}
    # Two charts with their own scales: day-only records dwarf the timed ones.
    charted = []
    for column, label, colour in (
        (
            "timed",
            t.gettext("Reports timed to the hour or minute, by the hour they started"),
            "#b34a00",
        ),
        (
            "overlapping",
            t.gettext("Records possibly under way (incl. day-only reports)"),
            "#7570b3",
        ),
    ):
        svg = charts.hourly_chart(
            hours,
            series[column].astype(int).tolist(),
            label=label,
            colour=colour,
            tip=lambda hour, n: t.ngettext("{when}: {n} record", "{when}: {n} records", n).format(
                when=when[hour], n=format_number(n, lang)
            ),
            day_label=lambda hour: format_datetime(hour, lang, "EEE d MMM"),
        )
        charted.append((label, svg))
    return charted


def hourly_chart(
    selected: pd.DataFrame, view: ViewSpec, lang: str = "en", kept: Kept = None
) -> None:
    """The "Hour by hour" section: closed until the reader opens it (lazy_section), then
    the two charts of the window's hours (Mexico City time) for `selected`."""
    t = translation(lang)
    box, is_open = lazy_section(t.gettext("Hour by hour"), "hourly_open")
    if not is_open:
        return
    with box:
        hourly_charts(selected, view, lang, kept)


def hourly_charts(selected: pd.DataFrame, view: ViewSpec, lang: str, kept: Kept) -> None:
    """The two hour-by-hour SVG charts (kept per window) and their caption."""
    t = translation(lang)
    charted = per_view("hourly", kept, lambda: hourly_markup(selected, view, lang))
    if not charted:
        st.caption(t.gettext("No incidents in this window."))
        return
    for label, svg in charted:
        st.markdown(f"**{escape_markdown(label)}**")
        st.markdown(svg, unsafe_allow_html=True)
    st.caption(
        t.gettext(
            "Mexico City time. Most reports give only the day, so the second chart counts every "
            "record whose time span overlaps the hour; the first counts only records timed to "
            "the hour or better."
        )
    )


# The sections under the map that start closed and are made only while open: a closed
# section's contents are neither computed nor sent nor drawn. Drawing them on every rerun
# (two SVG charts, the share and download panels, two long lists) was about a third of
# the browser's time from a slider key press to the new map (README, "In the browser").
# Each is an expander keyed by one of these names; tests open them by key.
LAZY_SECTIONS = ("hourly_open", "share_open", "downloads_open", "state_level_open", "log_open")
# The sections the reader has opened (a set of LAZY_SECTIONS keys). Streamlit forgets a
# widget's state after a run that does not draw it (a window with no state-level
# reports, a state filter being chosen, a new label after a language switch): the
# expander is opened again from here.
OPENED_SECTIONS = "opened_sections"


def remember_section(key: str) -> None:
    """on_change of a section's expander: note it as opened or closed by the reader."""
    opened = st.session_state.setdefault(OPENED_SECTIONS, set())
    if st.session_state.get(key):
        opened.add(key)
    else:
        opened.discard(key)


def lazy_section(label: str, key: str):
    """A closed expander (`label`) whose contents the caller makes only when it is open:
    (the container, whether it is open). Opening or closing it reruns the page; it opens
    again when it comes back after a run without it (OPENED_SECTIONS). Its state is set
    through Session State, not `expanded`, which would rename the expander when it
    changes: the browser would draw a new one and the reader's keyboard focus would be
    lost. `label` should not change with the view (no counts) for the same reason."""
    st.session_state[key] = key in st.session_state.get(OPENED_SECTIONS, ())
    box = st.expander(label, key=key, on_change=remember_section, args=(key,))
    return box, bool(box.open)


def state_level_entries(rows: pd.DataFrame, lang: str) -> dict[str, str]:
    """incident_id -> the record as one Markdown paragraph (state · type · when: summary
    (source link)), escaped, in `lang`; for reports known only to their state."""
    t = translation(lang)
    return {
        row.incident_id: f"**{escape_markdown(BY_CODE[row.cve_ent].name)}** · "
        f"{escape_markdown(event_type_label(row.event_type, lang))} · "
        f"{escape_markdown(when_label(row, lang))}: "
        f"{escape_markdown(summary_text(row, lang))} "
        f"({link(row.source_url, row.source_outlet or t.gettext('source'))})"
        for row in rows.itertuples(index=False)
    }


def state_level_lines(rows: pd.DataFrame, lang: str, made: dict[str, str] | None = None) -> str:
    """Reports known only to their state as Markdown paragraphs, escaped, in `lang`, in
    the order of `rows`; `made`: state_level_entries of all records, when already made."""
    entries = state_level_entries(rows, lang) if made is None else made
    return "\n\n".join(entries[i] for i in rows["incident_id"])


def state_level_reports(
    selected: pd.DataFrame, lang: str = "en", kept: Kept = None, data: PageData | None = None
) -> None:
    """The reports in view known only to their state, as a list in an expander (`data`'s
    state_lines are used when made for this language)."""
    t = translation(lang)
    made = data.state_lines if data is not None and data.lang == lang else None
    state_only = (selected["geo_precision"] >= 3).to_numpy()
    if not state_only.any():
        return
    box, is_open = lazy_section(
        t.gettext("Reports known only to their state (not placed on the map)"),
        "state_level_open",
    )
    if not is_open:
        return
    with box:
        text = per_view(
            "state-level", kept, lambda: state_level_lines(selected[state_only], lang, made)
        )
        st.markdown(text, unsafe_allow_html=True)


@st.cache_data(show_spinner=False)
def spanish_headlines(geodata: str, version: str) -> dict[str, str]:
    """Key moments' Spanish headlines (geodata/key_moments_es.csv: `at` -> `headline_es`),
    keyed by `at` as written; empty when the file is absent or unreadable."""
    path = Path(geodata) / "key_moments_es.csv"
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        return {}
    if not {"at", "headline_es"} <= set(table.columns):
        return {}
    return dict(zip(table["at"].str.strip(), table["headline_es"].str.strip(), strict=True))


def key_moments(data: PageData, lang: str = "en", spanish: dict | None = None) -> None:
    """The timeline of key moments; in Spanish, each headline's `headline_es` where it has
    one (matched on `at`), else the English headline."""
    t = translation(lang)
    st.header(t.gettext("Key moments"))
    spanish = spanish or {}
    for row in data.bundle.key_moments.itertuples(index=False):
        headline = row.headline
        if lang == "es":
            at = getattr(row, "at", "")
            key = at.isoformat(timespec="minutes") if hasattr(at, "isoformat") else str(at)
            headline = spanish.get(key) or spanish.get(str(at).strip()) or headline
        st.markdown(
            f"- {escape_markdown(headline)} "
            f"({link(row.source_url, row.source_outlet or t.gettext('source'))})",
            unsafe_allow_html=True,
        )


@dataclass(frozen=True)
class CorrectionsLog:
    credit: str  # one sentence, in the page's language
    count: int  # entries (grouped corrections)
    markdown: str  # the entries as a Markdown list, escaped, newest first
    problems: tuple[str, ...]  # problems reading the log, as text


@st.cache_resource(show_spinner=False, max_entries=8)
def corrections_log(path: str, version: str, lang: str = "en") -> CorrectionsLog:
    """The corrections log of a data version in `lang`, built once per version and
    language (the same text for every reader; not rebuilt on each rerun)."""
    t = translation(lang)
    corrections, report = load_corrections(Path(path))
    entries = log_entries(corrections, lang)
    lines = [
        f"- **{escape_markdown(e.date)}** · {escape_markdown(e.label)}: "
        f"{escape_markdown('; '.join(e.changes))}. {escape_markdown(e.reason)} "
        f"({link(e.source_url, t.gettext('source'))})"
        for e in entries
    ]
    return CorrectionsLog(
        credit_line(corrections, lang),
        len(entries),
        "\n".join(lines),
        tuple(str(p) for p in report.problems),
    )


def corrections_section(geodata: str, version: str, lang: str = "en") -> None:
    """ "Corrections and updates": what changed in the data, when, why, on what source.
    (Each correction's reason is data: `reason_es` on the Spanish page, else `reason`.)"""
    t = translation(lang)
    log = corrections_log(str(Path(geodata) / layers.CORRECTIONS_FILE.name), version, lang)
    st.subheader(t.gettext("Corrections and updates"))
    st.caption(
        t.gettext(
            "{credit} Data version {version}: links made before a correction say the data "
            "has been updated."
        ).format(credit=escape_markdown(log.credit), version=escape_markdown(version))
    )
    for problem in log.problems:
        st.warning(
            t.gettext("The corrections log has a problem: {problem}").format(
                problem=escape_markdown(problem)
            )
        )
    if not log.count:
        return
    box, is_open = lazy_section(
        t.ngettext(
            "The log's {n} entry, newest first",
            "The log's {n} entries, newest first (the changes made to a record together are "
            "one entry)",
            log.count,
        ).format(n=format_number(log.count, lang)),  # the same for a data version
        "log_open",
    )
    if is_open:
        with box:
            st.markdown(log.markdown, unsafe_allow_html=True)


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


def incident_columns(lang: str = "en") -> dict:
    """The incidents table's column headers and help, in `lang`."""
    t = translation(lang)
    return {
        "when": st.column_config.TextColumn(
            t.gettext("When (Mexico City time)"),
            help=t.gettext(
                "Date and time for records timed to the hour or minute; otherwise the "
                "record's own date and, where reported, the part of the day (local clock)."
            ),
        ),
        "time_known": st.column_config.TextColumn(t.gettext("Time known")),
        "in_window": st.column_config.TextColumn(
            t.gettext("In this window"),
            help=t.gettext(
                "yes: its time lies inside the window, so it is counted; possibly: its day "
                "or part of day only overlaps the window, so it is listed and drawn dashed "
                "but not counted"
            ),
        ),
        "place": st.column_config.TextColumn(t.gettext("Place")),
        "municipality": st.column_config.TextColumn(t.gettext("Municipality")),
        "state": st.column_config.TextColumn(t.gettext("State")),
        "event_type": st.column_config.TextColumn(t.gettext("Type")),
        "place_known": st.column_config.TextColumn(t.gettext("Place known to")),
        "blockades": st.column_config.NumberColumn(t.gettext("Blockades")),
        "fatalities": st.column_config.NumberColumn(t.gettext("Killed")),
        "injured": st.column_config.NumberColumn(t.gettext("Injured")),
        "arrested": st.column_config.NumberColumn(t.gettext("Arrested")),
        "summary": st.column_config.TextColumn(t.gettext("Summary"), width="large"),
        "source": st.column_config.LinkColumn(t.gettext("Source")),
        "source_outlet": st.column_config.TextColumn(t.gettext("Outlet")),
        "more_sources": st.column_config.ListColumn(t.gettext("More sources")),
    }


INCIDENT_COLUMNS = incident_columns()


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


def incident_details(row, lang: str = "en") -> None:
    """The chosen incident in words, with its sources as real links (keyboard reachable)."""
    t = translation(lang)
    place = ", ".join(dict.fromkeys(p for p in (row.place, row.municipality, row.state) if p))
    labels = {
        "blockades": t.gettext("blockades"),
        "fatalities": t.gettext("killed"),
        "injured": t.gettext("injured"),
        "arrested": t.gettext("arrested"),
    }
    counts = ", ".join(
        f"{label}: {format_number(int(getattr(row, field)), lang)}"
        for field, label in labels.items()
        if not pd.isna(getattr(row, field))
    )
    sources = (
        [link(row.source, row.source_outlet or t.gettext("main source"))] if row.source else []
    )
    sources += [
        link(url, t.gettext("source {n}").format(n=n)) for n, url in enumerate(row.more_sources, 2)
    ]
    st.markdown(
        t.gettext("**{type}** at {place}").format(
            type=escape_markdown(row.event_type), place=escape_markdown(place)
        )
        + "  \n"
        + t.gettext("When: {when} ({known}); place known to: {place_known}").format(
            when=escape_markdown(row.when),
            known=escape_markdown(row.time_known),
            place_known=escape_markdown(row.place_known),
        )
        + (f"; {escape_markdown(counts)}" if counts else "")
        + f"  \n{escape_markdown(row.summary)}  \n"
        + t.gettext("Sources: {links}").format(
            links=" · ".join(sources) or t.gettext("none given")
        ),
        unsafe_allow_html=True,
    )


def choice_labels(rows: pd.DataFrame) -> dict[str, str]:
    """incident_id -> "when · type · place, state" as the list box shows it (typeable)."""
    text = rows.fillna({"place": "", "state": ""})
    joined = (
        text["when"] + " · " + text["event_type"] + " · " + text["place"] + ", " + text["state"]
    )
    return {i: typeable(label) for i, label in zip(text["incident_id"], joined, strict=True)}


def incidents_table(
    selected: pd.DataFrame, lang: str = "en", kept: Kept = None, data: PageData | None = None
) -> None:
    """The list twin of the map: every incident in view, sortable and searchable.

    `kept` (per_view) shares the unsearched table between sessions on the same view;
    `data.table_rows` and `data.labels`, when made, are picked from instead of rebuilt."""
    t = translation(lang)
    st.header(t.gettext("Incidents in view"))
    query = st.text_input(
        t.gettext("Search by place, municipality or state"),
        key="incident_search",
        placeholder=t.gettext("e.g. Michoacan, Zapopan (accents optional)"),
    )
    # Only the unsearched list is kept: a reader's searches are theirs (and unbounded).
    kept = None if query.strip() else kept
    made = data is not None and data.table_rows is not None and data.lang == lang
    rows = data.table_rows if made else None
    table = per_view("table", kept, lambda: incident_table(selected, query, lang=lang, rows=rows))
    shown = len(table.rows)
    numbers = {"shown": format_number(shown, lang), "matched": format_number(table.matched, lang)}
    if table.truncated:
        count = t.ngettext(
            "{shown} of {matched} incident", "{shown} of {matched} incidents", table.matched
        )
    elif query.strip():
        count = t.ngettext(
            "{shown} incident matching the search", "{shown} incidents matching the search", shown
        )
    else:
        count = t.ngettext("{shown} incident", "{shown} incidents", shown)
    if table.truncated and query.strip():
        count = t.ngettext(
            "{shown} of {matched} incident matching the search",
            "{shown} of {matched} incidents matching the search",
            table.matched,
        )
    st.caption(
        count.format(**numbers)
        + ". "
        + t.gettext(
            "Choose one in the list box, or a row of the table (sort it by a column's "
            "header), to show it on the map and read its details."
        )
        + (
            " " + t.gettext("Only the earliest are listed: narrow the search or the filters.")
            if table.truncated
            else ""
        )
    )
    if made:
        every = data.labels
        labels = per_view("labels", kept, lambda: {i: every[i] for i in table.rows["incident_id"]})
    else:
        labels = per_view("labels", kept, lambda: choice_labels(table.rows))
    if st.session_state.get("focus_incident") not in labels:
        # Left the view (or never chosen): nothing is focused or listed as chosen.
        st.session_state["focus_incident"] = st.session_state["incident_choice"] = None
    st.selectbox(
        t.gettext("Show one on the map and read its details (type to search the list)"),
        list(labels),
        format_func=labels.__getitem__,
        index=None,
        key="incident_choice",
        on_change=pick_incident,
        placeholder=t.gettext("Choose an incident"),
    )
    focus = st.session_state.get("focus_incident")
    if focus is not None:  # (focus is in labels: the listed rows)
        chosen = table.rows[table.rows["incident_id"] == focus]
        if len(chosen):
            incident_details(next(chosen.itertuples(index=False)), lang)
    st.session_state["incident_table_ids"] = table.rows["incident_id"].tolist()
    st.dataframe(
        grid_data(table.rows, kept, "table_arrow"),
        key="incident_table",
        on_select=choose_incident,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_order=list(INCIDENT_COLUMNS),
        column_config=incident_columns(lang),
    )


def page_style(page: PageView, listed: bool = True, lang: str = "en") -> None:
    """The map frame's accessible title (the page CSS is sent first of all, in main)."""
    title = escape_text(map_title(page, listed, lang))
    st.html(
        f'<div id="tapalpa-page" hidden data-map-title="{title}"></div><script>{PAGE_JS}</script>',
        unsafe_allow_javascript=True,
    )


def map_title(page: PageView, listed: bool = True, lang: str = "en") -> str:
    """The map frame's accessible name: what it shows, when, and where else to read it."""
    t = translation(lang)
    start, end = (
        format_datetime(x.astimezone(MEXICO_CITY), lang, "EEE d MMM HH:mm")
        for x in (page.view.start, page.view.end)
    )
    text = t.gettext("Map: {title}, {start} to {end} Mexico City time.").format(
        title=snapshot_title(page, lang), start=start, end=end
    )
    return text + (
        " " + t.gettext("Every incident is also listed in the table under the map.")
        if listed
        else ""
    )


def show_map(
    data: PageData,
    page: PageView,
    selected,
    counts,
    height: int,
    lang: str = "en",
    kept: Kept = None,
) -> MapLayers:
    """The map keeps its view: the base map is the same on every rerun (its first view is
    fixed per session), and each view reaches the map on screen as a feature group (its
    data kept per view, layers and focus)."""
    initial = st.session_state.setdefault(
        "map_first_view",
        first_view(page.view, page.center, page.zoom, data.bundle.states_display),
    )
    assets = map_assets_mode()
    frame = map_frame(
        data.bundle.version,
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
        ),
    )
    view, view_json, drawn = map_layer_data(data, page, selected, counts, lang, kept, map_focus())
    live_map(frame, ViewLayer(view, view_json), partial(select_clicked_state, data))
    return drawn


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
        )
        return layer.view, layer.view_json, drawn

    shown = ",".join(sorted(page.layers))
    return per_view(f"layer|{shown}|{focus}", kept, fresh)


# streamlit-folium's component. st_folium renders the whole folium map on every call
# (Jinja templates compiled anew, the tile provider looked up: 15-25 ms a rerun); the
# base map is the same on every rerun, so map_frame keeps what st_folium makes of it and
# live_map sends that with each view's feature group, as st_folium would.
MAP_COMPONENT = streamlit_folium._component_func
MAP_KEY = "map"
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

    with _RECORDING:  # st_folium looks the component up by module name at call time
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


def published_site(base: str) -> str | None:
    """Where `python -m dashboard publish` output is served (TAPALPA_PUBLISHED_URL, absolute
    or relative to this page, e.g. /published/ under deploy/serve), or None."""
    where = os.environ.get("TAPALPA_PUBLISHED_URL", "").strip()
    if not where:
        return None
    return urljoin(base, where if where.endswith("/") else where + "/")


def page_address(url: str | None) -> str:
    """The page's address without its query, for links and embed snippets: `url` as
    st.context.url gives it ("http://host:8501", "https://example.org/map/?a=b"), with the
    path "/" when it has none, so that a link reads "http://host:8501/?from=…"."""
    parts = urlsplit(url or "")
    if not parts.netloc:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def download_stem(prefix: str, page: PageView) -> str:
    """A download's file name without its suffix, naming the view so that two views'
    files do not share a name: "tapalpa-20260222-0600-20260223-0000", with the states'
    ISO 3166-2 abbreviations when filtered ("…-JAL-MIC"; "…-7-states" beyond four).
    Times are the window's ends in Mexico City time."""
    start, end = (t.astimezone(MEXICO_CITY) for t in (page.view.start, page.view.end))
    stem = f"{prefix}-{start:%Y%m%d-%H%M}-{end:%Y%m%d-%H%M}"
    states = page.view.states
    if states:
        codes = sorted(BY_CODE[c].abbrev for c in states)
        stem += "-" + ("-".join(codes) if len(codes) <= 4 else f"{len(codes)}-states")
    return stem


def iframe_snippet(url: str, height: int, page: PageView, lang: str = "en") -> str:
    return (
        f'<iframe src="{escape_text(url)}" width="100%" height="{height}" style="border:0" '
        f'loading="lazy" title="{escape_text(snapshot_title(page, lang))}"></iframe>'
    )


def view_alt_text(
    page: PageView, selection: Selection, lang: str, kept: Kept, same_rows: Kept
) -> str:
    """snapshot.alt_text of the view, kept per window (`kept`: view_kept); its key figures
    per set of records (`same_rows`: rows_kept)."""
    return per_view(
        "alt",
        kept,
        lambda: alt_text(
            page, selection, lang, figures=view_figures(selection.selected, same_rows)
        ),
    )


def share_panel(
    data: PageData,
    page: PageView,
    selection: Selection,
    lang: str = "en",
    kept: Kept = None,
    same_rows: Kept = None,
) -> None:
    """Permalink, live and static iframe snippets, alt text and the downloads. The alt
    text is kept per window (`kept`), its key figures per set of records (`same_rows`,
    rows_kept).

    Plain text fields, not st.code: a code block pulls in a 1.5 MB syntax highlighter on
    the first view, collapsed or not. Select the text and copy it."""
    t = translation(lang)
    box, is_open = lazy_section(t.gettext("Share, embed or download this view"), "share_open")
    if not is_open:
        return
    base = page_address(st.context.url)
    query = to_query(page, data.bundle.version)
    embed_query = to_query(replace(page, embed=True), data.bundle.version)
    page = replace(page, lang=page.lang or lang)  # snapshots in the page's language
    with box:
        st.text_input(
            t.gettext("Link to this view (restores the window, filters and layers)"),
            f"{base}?{query}",
        )
        st.caption(
            t.gettext(
                "After you pan or zoom the map, the browser's address bar holds this link with "
                "the map's centre and zoom added (`lat`, `lon`, `zoom`): copy it from there to "
                "keep them."
            )
        )
        st.text_area(
            t.gettext("Embed the live map in an article"),
            iframe_snippet(f"{base}?{embed_query}", EMBED_FRAME_HEIGHT, page, lang),
            height=90,
        )
        static = published_site(base)
        if static is not None:
            st.text_area(
                t.gettext("Or embed the static copy (for high traffic)"),
                iframe_snippet(static + page_path(page), 660, page, lang),
                height=90,
            )
            st.caption(
                t.gettext(
                    "Prefer the static copy for a story that may draw heavy traffic: it is a "
                    "plain file that any CDN serves, while every reader of the live map holds a "
                    "session on this server. The static copy shows the default window (or this "
                    "state's whole span) and replays it with ▶; the live map follows these "
                    "filters. All static embed codes: {url}"
                ).format(url=f"{escape_markdown(static)}embed.html")
            )
        else:
            st.caption(
                t.gettext(
                    "For a story that may draw heavy traffic, embed a static copy instead: "
                    "`python -m dashboard publish` writes one for any static host or CDN."
                )
            )
        described = view_alt_text(page, selection, lang, kept, same_rows)
        st.text_area(t.gettext("Alt text"), described, height=110)
        stem = download_stem("tapalpa-map", page)
        downloads = (
            (
                t.gettext("Download PNG (1600×1000)"),
                partial(png_bytes, data.bundle, page),
                "png",
                "image/png",
            ),
            (
                t.gettext("Download interactive HTML"),
                partial(html_document, data.bundle, page),
                "html",
                "text/html",
            ),
            (
                t.ngettext(
                    "Download the {n} record in this view (CSV)",
                    "Download the {n} records in this view (CSV)",
                    len(selection.selected),
                ).format(n=format_number(len(selection.selected), lang)),
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


def data_downloads(data: PageData, page: PageView, selection: Selection, lang: str = "en") -> None:
    """The view's records for GIS and analysis tools, the per-state table, and a data
    package with its licence, credit, data version and permalink (the files themselves
    keep English column names and credit: they are data for tools)."""
    t = translation(lang)
    box, is_open = lazy_section(
        t.gettext("Download the data of this view (GeoJSON, GeoParquet, CSV, data package)"),
        "downloads_open",
    )
    if not is_open:
        return
    base = page_address(st.context.url)
    permalink = f"{base}?{to_query(page, data.bundle.version)}"
    selected, counts, states = selection.selected, selection.counts, page.view.states
    stem = download_stem("tapalpa", page)
    downloads = (
        (
            t.gettext("GeoJSON (QGIS, web maps)"),
            partial(records_geojson, selected),
            "geojson",
            "application/geo+json",
        ),
        (
            t.gettext("GeoParquet (GeoPandas, R sf)"),
            partial(records_geoparquet, selected),
            "parquet",
            "application/vnd.apache.parquet",
        ),
        (
            t.gettext("Per-state table (CSV)"),
            partial(state_table_csv, counts, states),
            "states.csv",
            "text/csv",
        ),
        (
            t.gettext("Data package (zip: all files, schemas, licence)"),
            partial(
                data_package,
                selected,
                counts,
                states=states,
                title=snapshot_title(page),
                version=data.bundle.version,
                permalink=permalink,
                credit=credit_text("en"),
            ),
            "zip",
            "application/zip",
        ),
    )
    with box:
        st.caption(
            t.ngettext(
                "The {n} record in this view.",
                "The {n} records in this view.",
                len(selected),
            ).format(n=format_number(len(selected), lang))
            + " "
            + t.gettext(
                "GeoJSON and GeoParquet carry the CSV's columns with a WGS84 point per record; "
                "the data package adds the per-state table and a datapackage.json "
                "(Frictionless) naming the data version ({version}) and this view's link."
            ).format(version=data.bundle.version)
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
def quality_of(source: str, lang: str, _frame: pd.DataFrame, _states) -> dict[str, pd.DataFrame]:
    """Quality tables for all records of a data source (`source` keys the cache), their
    details in `lang`."""
    return quality_tables(_frame, _states, lang)


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


def quality_panel(
    data: PageData, selected: pd.DataFrame, geodata: str, from_upload: bool, lang: str = "en"
) -> None:
    """For analysts: the weak spots of the records in view, one sortable, downloadable
    table per kind; choosing a row shows that record on the map. (The tables' own columns
    and reasons come from dashboard/analysis/quality.py.)"""
    t = translation(lang)
    st.subheader(t.gettext("Data quality"))
    if not st.toggle(
        t.gettext("Show the data-quality view"),
        key="show_quality",
        help=t.gettext(
            "Duplicates, disputes, weak sources, imprecise records and links, for the "
            "records in this view (the bundled data or your file)."
        ),
    ):
        return
    key = quality_source(data, geodata, from_upload)
    everything = quality_of(key, lang, data.incidents, data.bundle.states)
    in_view = set(selected["incident_id"])
    tables = {}
    for name, table in everything.items():
        if name == "outlets":
            tables[name] = outlets_table(selected, lang)
        elif "other_id" in table.columns:  # both records of a pair in view
            tables[name] = table[
                table["incident_id"].isin(in_view) & table["other_id"].isin(in_view)
            ]
        else:
            tables[name] = table[table["incident_id"].isin(in_view)]
    labels = [
        f"{gettext_for(lang, QUALITY_VIEWS[name])} ({format_number(len(table), lang)})"
        for name, table in tables.items()
    ]
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
                t.ngettext(
                    "Download this table (CSV, {n} row)",
                    "Download this table (CSV, {n} rows)",
                    len(shown),
                ).format(n=format_number(len(shown), lang)),
                data=partial(table_csv, shown),
                file_name=f"quality-{name}.csv",
                mime="text/csv",
                on_click="ignore",
                key=f"quality_download_{name}",
            )
    focus = st.session_state.get("focus_incident")
    if focus:
        st.caption(t.gettext("On the map: {record}.").format(record=escape_markdown(focus)))


def embed_page(data: PageData, page: PageView, selection: Selection, lang: str = "en") -> None:
    """For iframes: the map, its legend, the time control and a credit line only."""
    show_map(data, page, selection.selected, selection.counts, EMBED_MAP_HEIGHT, lang)
    st.caption(
        f"{escape_markdown(snapshot_title(page, lang))}. {escape_markdown(credit_text(lang))} "
        + translation(lang).gettext("Basemap © OpenStreetMap contributors.")
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


def keep_map_view() -> None:
    """Before a change of language redraws the map (its legend and controls are in the
    language): open it where the reader left it. The map writes its centre and zoom into
    the address (lat, lon, zoom) without a rerun; the rerun brings that address here."""
    view = map_view(st.query_params.to_dict())  # quarter-step zoom (5.5) as the map writes it
    if view is not None:
        (lat, lon), zoom = view
        st.session_state["map_center"] = (lat, lon)
        st.session_state["map_zoom"] = zoom
        st.session_state["map_first_view"] = {"center": [lat, lon], "zoom": zoom}


# Widgets whose values the browser sends back as the labels it shows (the event-type and
# layer chips, the time slider's dates), which a change of language would no longer
# match: the choice would be dropped, or the window reset, on the next move. Their values
# are set again, so the browser redraws them in the new language.
LABELLED_CHOICES = ("types", "layers", "window")


def change_language() -> None:
    """The language switch's callback: keep the map's view and every labelled choice."""
    keep_map_view()
    for key in LABELLED_CHOICES:
        if key in st.session_state:
            value = st.session_state[key]
            st.session_state[key] = tuple(value) if key == "window" else list(value)


def language_switch() -> None:
    """Español | English, each written in its own language (not shown when embedded)."""
    st.radio(
        "Idioma / Language",
        LANGUAGES,
        format_func=LANGUAGE_NAMES.get,
        horizontal=True,
        key="lang",
        label_visibility="collapsed",
        on_change=change_language,
    )


def main() -> None:
    geodata = os.environ.get("TAPALPA_GEODATA", str(layers.GEODATA))
    lang = chosen_language()
    t = translation(lang)
    version = layers.data_version(layers.data_files(Path(geodata)))
    bundle = loaded_bundle(geodata, version)
    if bundle.incidents.empty:  # nothing to map: say why instead of failing
        st.error(
            t.gettext(
                "The map's data has no valid incident records ({summary}). Check it with "
                "`python -m dashboard validate`."
            ).format(summary=escape_markdown(bundle.report.summary(lang)))
        )
        return
    data = page_data(geodata, version, lang)
    read_link(data)
    embedded = bool(st.context.is_embedded)
    st.set_page_config(
        page_title=t.gettext("Tapalpa incident map"),
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="collapsed" if embedded else "auto",
    )
    page_language()
    # Page CSS (caption contrast, visible focus, the phone layout) before any element it
    # styles, so nothing re-lays out when it arrives.
    st.html(STATIC / "page.css")
    if embedded:
        map_area = st.container()
        time_slider(data, lang)  # created before the view is read: its value beats the link's
        page = current_page()
        write_link(page, data.bundle.version)
        page_style(page, listed=False, lang=lang)
        with map_area:
            embed_page(data, page, view_selection(data, page.view), lang)
        return
    language_switch()
    st.title(t.gettext("After the Tapalpa raid: blockades and attacks across Mexico"))
    st.markdown(
        t.gettext(
            "On 22 February 2026 special forces killed CJNG leader Nemesio Oseguera, "
            '"El Mencho", near Tapalpa, Jalisco. Within hours, blockades, burnings and clashes '
            "were reported across Mexico. Each point is a reported incident with its sources; "
            "places are estimates whose precision is shown."
        )
    )
    for notice in st.session_state.pop("link_notices", []):  # shown once, on arrival
        st.warning(notice)
    filters(data, lang)
    bundled = data
    data = own_file(data, geodata, data.bundle.version, lang)
    page = current_page()
    write_link(page, data.bundle.version)
    page_style(page, lang=lang)
    reason = empty_reason(page, lang)
    if reason:
        st.info(reason)
        return
    view = page.view
    selection = view_selection(data, view)
    selected, counts = selection.selected, selection.counts
    kept = view_kept(data, view)  # results of the window's hours (map, chart, alt text)
    same_rows = rows_kept(data, view, selected)  # results of its records (figures, tables)
    # The key figures are sent before the map, in page order: sending the map first and
    # filling the figures in above it made the page shift as it loaded (Lighthouse CLS).
    notes = key_figure_row(selected, data, view, lang, same_rows)
    if selected["event_type"].isin(NON_INCIDENT_TYPES).all():  # (or no records)
        st.info(
            t.gettext(
                "No incidents match these filters. Widen the time window or press "
                "**Reset filters**."
            )
        )
    drawn = show_map(data, page, selected, counts, MAP_HEIGHT, lang, kept)
    points, statements, state_level = per_view(
        "map_counts", same_rows, lambda: map_counts(selected)
    )
    if drawn.mode == "cells":
        drawn_text = t.ngettext(
            "{n} incident point drawn (grouped by area at this scale).",
            "{n} incident points drawn (grouped by area at this scale).",
            drawn.drawn_points,
        ).format(n=format_number(drawn.drawn_points, lang))
    else:  # the key figures count incidents: statements are told apart
        drawn_text = t.ngettext(
            "{n} incident point drawn.", "{n} incident points drawn.", points
        ).format(n=format_number(points, lang))
        if statements:
            drawn_text += " " + t.ngettext(
                "{n} official statement is marked as well.",
                "{n} official statements are marked as well.",
                statements,
            ).format(n=format_number(statements, lang))
    st.caption(
        drawn_text
        + " "
        + t.gettext(
            "Small symbols: an estimated exact site; large: town or municipality. "
            "Press ▶ on the map to replay the window hour by hour. Basemap © OpenStreetMap "
            "contributors; boundaries: Natural Earth."
        )
    )
    if state_level:
        st.caption(
            t.ngettext(
                "{n} more incident is known only to its state: it counts in the figures "
                "above and is listed in the table below, not drawn as a point.",
                "{n} more incidents are known only to their state: they count in the figures "
                "above and are listed in the table below, not drawn as points.",
                state_level,
            ).format(n=format_number(state_level, lang))
        )
    if notes:
        st.caption(notes)
    incidents_table(selected, lang, same_rows, data)
    share_panel(data, page, selection, lang, kept, same_rows)
    data_downloads(data, page, selection, lang)
    state_level_reports(selected, lang, same_rows, data)
    left, right = st.columns([3, 2])
    with left:
        state_table(counts, view, lang, same_rows)
    with right:
        hourly_chart(selected, view, lang, kept)
        key_moments(data, lang, spanish_headlines(geodata, version) if lang == "es" else None)
    corrections_section(geodata, version, lang)
    quality_panel(data, selected, geodata, from_upload=data is not bundled, lang=lang)
