"""The sidebar's filters: the time window (a slider over the data's hours, the event's
days as quick choices, one-hour steps for each end), the states, the event types and the
map layers. Event types and layers are chosen by key (shown in the page's language), so
a change of language keeps the choice.

The window follows the records shown: the bundled data's hours, or a reader's file's own
range (filters.file_window), stepped by days and with months as quick choices when it
spans more than two weeks (filters.window_step, event_days)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.analysis.filters import (
    DAY_CHOICES_UP_TO,
    event_days,
    shift_window,
    window_step,
)
from dashboard.ingest.acled import name_label
from dashboard.model.schema import event_type_label
from dashboard.render.captions import day_label, slider_hours, slider_label
from dashboard.render.incident_list import typeable
from dashboard.render.maplayers import LAYERS, MAP_LAYER
from dashboard.text.escape import escape_text
from dashboard.text.i18n import translation
from dashboard.web import state
from dashboard.web.data import PageData


def _step(data: PageData):
    return window_step(data.first_hour, data.last_hour)


def time_slider(data: PageData, lang: str = "en"):
    """The window as a range over the data's hours (days for a long file). A select
    slider, so that the labels are Babel's text in the page's language: `st.slider`
    formats dates in the browser with moment.js tokens and English names only. Key WINDOW
    (permalinks and benchmarks find it by it); its value is a pair of naive Mexico City
    datetimes. When the records shown change (a file shown or put away), the window is
    set to their default (state.follow_records)."""
    step = _step(data)
    stops = slider_hours(data.first_hour, data.last_hour, step)
    state.follow_records(data, stops)
    value = state.opening(state.WINDOW)
    if not set(value) <= set(stops):  # the link's window is the bundled data's
        value = data.default_window
    return st.select_slider(
        translation(lang).gettext("Time window (Mexico City time)"),
        options=stops,
        value=value,
        format_func=partial(slider_label, lang=lang, by_day=step.days > 0),
        key=state.WINDOW,
    )


def choose_day(data: PageData, lang: str = "en") -> None:
    """A quick choice of one calendar day sets the window to it (then un-highlights)."""
    chosen = st.session_state.get(state.DAY_CHOICE)
    days = {day_label(d, lang): d for d in event_days(data.first_hour, data.last_hour)}
    if chosen in days:
        st.session_state[state.WINDOW] = days[chosen]
    st.session_state[state.DAY_CHOICE] = None


def step_window(data: PageData, start_hours: int, end_hours: int) -> None:
    st.session_state[state.WINDOW] = shift_window(
        state.setting(state.WINDOW),
        (data.first_hour, data.last_hour),
        start_hours,
        end_hours,
        _step(data),
    )


def time_controls(data: PageData, lang: str = "en") -> None:
    """The slider, a day (a month, for a long file) at a time as quick choices, and
    one-hour (one-day) steps for each end."""
    t = translation(lang)
    time_slider(data, lang)
    by_day = _step(data).days > 0
    months = data.last_hour - data.first_hour > DAY_CHOICES_UP_TO
    st.pills(
        t.gettext("Jump to a month") if months else t.gettext("Jump to a day"),
        [day_label(d, lang) for d in event_days(data.first_hour, data.last_hour)],
        key=state.DAY_CHOICE,
        on_change=choose_day,
        args=(data, lang),
    )
    if by_day:
        st.caption(t.gettext("Or move each end of the window by one day:"))
        steps = (
            (t.gettext("Start −1 day"), t.gettext("Start one day earlier"), -1, 0),
            (t.gettext("Start +1 day"), t.gettext("Start one day later"), 1, 0),
            (t.gettext("End −1 day"), t.gettext("End one day earlier"), 0, -1),
            (t.gettext("End +1 day"), t.gettext("End one day later"), 0, 1),
        )
    else:
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


# More distinct sub-event types than this are not offered as a list (free text is not
# ACLED's: its codebook has 25).
MAX_SUB_TYPES = 60


def analyst_filters(data: PageData, lang: str = "en") -> None:
    """For a file with ACLED's columns: an actor's name, sub-event types and a least
    number of deaths (filters.ViewSpec; each in the permalink). Shown only when the
    records have actors or sub-event types: the bundled data has neither."""
    t = translation(lang)
    frame = data.incidents
    has_actors = "actor1" in frame.columns
    labels = (
        sorted(
            (x for x in frame["event_label"].dropna().unique() if x),
            key=lambda x: name_label(x, lang).casefold(),  # in the order a reader sees
        )
        if "event_label" in frame.columns
        else []
    )
    st.session_state[state.ANALYST_SHOWN] = has_actors or bool(labels)
    if not has_actors and not labels:
        return
    if has_actors:
        st.text_input(
            t.gettext("Actor (any part of a name; actor1, actor2 or associated actors)"),
            value=state.opening(state.ACTOR),
            key=state.ACTOR,
        )
    if 0 < len(labels) <= MAX_SUB_TYPES:
        st.multiselect(
            t.gettext("Sub-event types (none chosen: all)"),
            labels,
            # ACLED's names as written are the values (data, permalink, exports); a reader
            # sees them in the page's language (acled.name_label).
            format_func=partial(name_label, lang=lang),
            default=[x for x in state.opening(state.SUB_TYPES) if x in labels],
            key=state.SUB_TYPES,
            placeholder=t.gettext("All sub-event types"),
        )
    st.number_input(
        t.gettext("At least this many deaths reported (0: any)"),
        min_value=0,
        step=1,
        value=int(state.opening(state.MIN_DEATHS)),
        key=state.MIN_DEATHS,
    )


def filters(data: PageData, lang: str = "en") -> None:
    """The filters, with a button back to the view a page opens with."""
    t = translation(lang)
    # A label, not a heading: the sidebar comes before the page's h1 in the document,
    # and a heading here would put the headings out of order (WCAG 1.3.1, axe
    # heading-order); its controls are named on their own.
    label = escape_text(t.gettext("Filters"))
    st.markdown(
        f'<p class="tapalpa-sidebar-label">{label}</p>',
        unsafe_allow_html=True,
    )
    time_controls(data, lang)
    if not st.checkbox(
        t.gettext("All states"), value=state.opening(state.ALL_STATES), key=state.ALL_STATES
    ):
        st.multiselect(
            t.gettext("States (type to search; accents optional; or click a state on the map)"),
            state.STATE_NAMES,
            format_func=typeable,
            default=state.opening(state.STATES_CHOSEN),
            key=state.STATES_CHOSEN,
            placeholder=t.gettext("Choose states"),
        )
    options = state.type_options(data)  # a file's own types (ACLED's, for an ACLED file)
    st.multiselect(
        t.gettext("Event types"),
        options,
        format_func=partial(event_type_label, lang=lang),
        default=[t for t in state.opening(state.TYPES) if t in options],
        key=state.TYPES,
    )
    st.checkbox(
        t.gettext("Leave out disputed and single-source records"),
        value=state.opening(state.TRUSTED),
        key=state.TRUSTED,
        help=t.gettext(
            "Every figure, the map, the lists and the downloads then count only records "
            "whose sources agree and that rest on two or more sources (links, or outlets "
            "named by ACLED)."
        ),
    )
    analyst_filters(data, lang)
    st.multiselect(
        t.gettext("Map layers"),
        [layer.key for layer in LAYERS],
        format_func=lambda key: t.gettext(MAP_LAYER[key].choice),
        default=state.opening(state.LAYERS),
        key=state.LAYERS,
    )
    st.button(
        t.gettext("Reset filters"), on_click=state.reset_filters, args=(data,), width="stretch"
    )
