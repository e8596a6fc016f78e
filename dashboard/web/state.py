"""The page's session state: every key by name, the link the page opened with, and the
filters as the widgets (or that link) set them.

A widget's key is its value's name in `st.session_state`; tests and benchmarks find
widgets by the same names (AppTest's `select_slider(key=WINDOW)`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import streamlit as st

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView, map_view, parse_params, parse_size, to_params
from dashboard.model.mexico import BY_CODE, STATES
from dashboard.model.schema import ACLED_EVENT_TYPES, EVENT_TYPES, MAP_LAYERS
from dashboard.text.i18n import choose_language
from dashboard.web.data import PageData, aware, naive

# The filters (widget keys; a permalink names each).
WINDOW = "window"  # (start, end), naive Mexico City datetimes
ALL_STATES = "all_states"
STATES_CHOSEN = "states"  # state names
TYPES = "types"  # event-type keys
TRUSTED = "trusted"  # the trust filter: disputed and single-source records left out
ACTOR = "actor"  # text an actor's name contains ("": any)
SUB_TYPES = "sub_types"  # ACLED sub-event types ([]: all)
MIN_DEATHS = "min_deaths"  # at least this many deaths reported (0: any)
ANALYST_SHOWN = "analyst_shown"  # this run offers the three above (a file with ACLED's columns)
TYPE_OPTIONS = "type_options"  # the event types the records shown may have (type_options)
LAYERS = "layers"  # map-layer keys
DAY_CHOICE = "day_choice"  # the "Jump to a day" pills
# The slider's range the window was last set for: when the records shown change (a
# reader's file shown or put away), the window moves to theirs (follow_records).
WINDOW_RANGE = "window_range"
LANG = "lang"  # "es" or "en": the language switch
# What the page opened with: the link's filters (the widgets' defaults), centre and zoom,
# and its notices (shown once).
OPENING = "opening"
MAP_CENTER = "map_center"
MAP_ZOOM = "map_zoom"
MAP_SCREEN = "map_screen"  # (width, height) of the map on screen as the share probe saw it
LINK_SCREEN = "map_link_screen"  # the link's `size`: the map's size where its view was seen
LINK_NOTICES = "link_notices"
# The map.
MAP = "map"  # what the map sent back (its last click), as st_folium keeps it
MAP_FIRST_VIEW = "map_first_view"  # the base map's first centre and zoom, fixed per session
MAP_FOCUS_REQUEST = "map_focus_request"  # (record, request number): the map pans once each
FOCUS_INCIDENT = "focus_incident"  # the record a table asked the map to show
# The incidents in view.
INCIDENT_SEARCH = "incident_search"
INCIDENT_CHOICE = "incident_choice"  # the list box
INCIDENT_TABLE = "incident_table"  # the grid (its selection)
INCIDENT_TABLE_IDS = "incident_table_ids"  # the grid's rows' ids, for its selection
STATE_TABLE = "state_table"
# The reader's file.
UPLOAD = "upload"
USE_UPLOAD = "use_upload"
UPLOAD_REPORT = "upload_report"
# Data quality.
SHOW_QUALITY = "show_quality"
QUALITY_TABLE = "quality_{}"  # .format(the quality view's name): its grid (selection)
QUALITY_DOWNLOAD = "quality_download_{}"

# The sections under the map that start closed and are made only while open: a closed
# section's contents are neither computed nor sent nor drawn (README, "In the browser").
# Each is an expander keyed by one of these names; tests open them by key.
HOURLY_OPEN = "hourly_open"
SHARE_OPEN = "share_open"
DOWNLOADS_OPEN = "downloads_open"
STATE_LEVEL_OPEN = "state_level_open"
LOG_OPEN = "log_open"
TABLES_OPEN = "tables_open"
# The two grids the first view used to draw (Streamlit's data grid is about 1.5 MB of
# element code and most of a phone's first-view main-thread work; README "Page weight").
INCIDENT_TABLE_OPEN = "incident_table_open"
STATE_TABLE_OPEN = "state_table_open"
LAZY_SECTIONS = (
    HOURLY_OPEN,
    SHARE_OPEN,
    DOWNLOADS_OPEN,
    STATE_LEVEL_OPEN,
    LOG_OPEN,
    TABLES_OPEN,
    INCIDENT_TABLE_OPEN,
    STATE_TABLE_OPEN,
)
# The sections the reader has opened (a set of LAZY_SECTIONS keys). Streamlit forgets a
# widget's state after a run that does not draw it (a window with no state-level
# reports, a state filter being chosen, a new label after a language switch): the
# expander is opened again from here.
OPENED_SECTIONS = "opened_sections"

STATE_NAMES = [s.name for s in STATES]
CODE_BY_NAME = {s.name: s.cve_ent for s in STATES}


def chosen_language() -> str:
    """The page's language, "es" or "en" (session key LANG, which the switch sets).

    Chosen once per session from `?lang=`, else the browser's locale (Spanish for any
    es-*); afterwards the language switch decides.
    """
    if LANG not in st.session_state:
        st.session_state[LANG] = choose_language(st.query_params.get("lang"), st.context.locale)
    return st.session_state[LANG]


def link_defaults(data: PageData) -> dict:
    """The filters a page opens with when its link names nothing."""
    return {
        WINDOW: data.default_window,
        ALL_STATES: True,
        STATES_CHOSEN: [],
        TYPES: list(EVENT_TYPES),
        TRUSTED: False,
        LAYERS: list(MAP_LAYERS),
        ACTOR: "",
        SUB_TYPES: [],
        MIN_DEATHS: 0,
    }


def type_options(data: PageData) -> list[str]:
    """The event types the filter offers (keys, in EVENT_TYPES' order): the bundled data's
    schema types (ACLED's are not), or, for a reader's file, the types its records have
    (an ACLED file's are ACLED's own). Kept in session state for current_page."""
    present = set(data.incidents["event_type"].unique())
    options = [
        t
        for t in EVENT_TYPES
        if t in present or (not data.from_file and t not in ACLED_EVENT_TYPES)
    ]
    st.session_state[TYPE_OPTIONS] = options
    return options


def follow_records(data: PageData, stops) -> None:
    """Before the time slider is made: when the records shown are not those the window
    was set for (a reader's file shown, or put away), the window becomes their default
    (a file's whole range; the bundled data's first two days) and the quick choice is
    cleared. `stops` are the slider's options; a window already on them is kept."""
    span = (data.first_hour, data.last_hour, data.from_file)
    before = st.session_state.get(WINDOW_RANGE)
    st.session_state[WINDOW_RANGE] = span
    if before is None or before == span:
        return
    current = st.session_state.get(WINDOW)
    if current is None or not set(current) <= set(stops) or before[2] != span[2]:
        st.session_state[WINDOW] = data.default_window
    st.session_state[DAY_CHOICE] = None
    st.session_state[TYPES] = type_options(data)  # every type of the records now shown
    st.session_state[SUB_TYPES] = []


def reset_filters(data: PageData) -> None:
    """The filters back to the records' defaults (a shown file's whole range and types)."""
    for key, value in link_defaults(data).items():
        st.session_state[key] = value
    st.session_state[TYPES] = type_options(data)


def read_link(data: PageData) -> None:
    """Once per session: the view a permalink names becomes the widgets' initial values.

    They are handed to the widgets as defaults (OPENING), not written into their state:
    after a server restart under an open page, the browser sends the reader's widget
    values with its first rerun, and those must win over the link (which still names
    the window before the reader's move).
    """
    if OPENING in st.session_state:
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
        opening[WINDOW] = tuple(naive(t) for t in link.window)
    if link.states is not None:
        opening[ALL_STATES] = False
        opening[STATES_CHOSEN] = sorted(BY_CODE[c].name for c in link.states)
    if link.types is not None:
        opening[TYPES] = [t for t in EVENT_TYPES if t in link.types]
    opening[TRUSTED] = link.trusted
    if link.layers is not None:
        opening[LAYERS] = [x for x in MAP_LAYERS if x in link.layers]
    opening[ACTOR] = link.actor or ""
    opening[SUB_TYPES] = sorted(link.sub_event_types or ())
    opening[MIN_DEATHS] = link.min_fatalities or 0
    st.session_state[OPENING] = opening
    st.session_state[MAP_CENTER] = link.center
    st.session_state[MAP_ZOOM] = link.zoom
    st.session_state[LINK_SCREEN] = link.screen
    st.session_state[LINK_NOTICES] = link.notices


def setting(key: str):
    """A filter's current value: its widget's, else what the page opened with."""
    if key in st.session_state:
        return st.session_state[key]
    return st.session_state[OPENING][key]


def opening(key: str):
    """What the page opened with for a filter: its widget's default."""
    return st.session_state[OPENING][key]


def current_page() -> PageView:
    """The view the widgets describe (it may select nothing)."""
    state = st.session_state
    start, end = setting(WINDOW)
    if end <= start:  # a slider with both ends together: one hour, not an error
        end = start + timedelta(hours=1)
    chosen = setting(STATES_CHOSEN)
    states = None if setting(ALL_STATES) else frozenset(CODE_BY_NAME[n] for n in chosen)
    types = frozenset(t for t in setting(TYPES) if t in EVENT_TYPES)
    offered = set(state.get(TYPE_OPTIONS, EVENT_TYPES))
    analyst = bool(state.get(ANALYST_SHOWN))
    params = st.query_params.to_dict()
    address = map_view(params)
    # The map's size where that centre and zoom were seen: the share probe's, else the
    # address's (the map writes it with them), else the link's.
    screen = state.get(MAP_SCREEN) or (parse_size(params.get("size")) if address else None)
    return PageView(
        ViewSpec(
            aware(start),
            aware(end),
            states=states,
            event_types=None if offered <= types else types,
            trusted=bool(setting(TRUSTED)),
            # The analyst's filters count only where this run offers them.
            actor=(setting(ACTOR) or "").strip() or None if analyst else None,
            sub_event_types=frozenset(setting(SUB_TYPES)) or None if analyst else None,
            min_fatalities=int(setting(MIN_DEATHS) or 0) or None if analyst else None,
        ),
        layers=frozenset(k for k in MAP_LAYERS if k in setting(LAYERS)),
        # The reader's centre and zoom as the map last wrote them into the address (brought
        # by this rerun), so snapshots show what the reader sees; else the link's.
        center=address[0] if address else state.get(MAP_CENTER),
        zoom=address[1] if address else state.get(MAP_ZOOM),
        screen=screen or state.get(LINK_SCREEN),
        lang=state.get(LANG),
    )


def write_link(page: PageView, version: str) -> None:
    """Keep the address bar a permalink for what is on screen."""
    # Streamlit keeps ?embed=true itself and hides it from st.query_params.
    params = to_params(replace(page, embed=False), version)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def take_link_notices() -> list[str]:
    """The link's notices (an unknown state, a window outside the data…), once: on
    arrival."""
    return st.session_state.pop(LINK_NOTICES, [])


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
