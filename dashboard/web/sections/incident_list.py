"""The incidents in view ("incidentes en vista"): the list twin of the map, sortable and
searchable, with a list box; choosing one shows it on the map and its details with its
source links (the keyboard and screen-reader route to every point on the map)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.render.incident_list import (
    choice_labels,
    details_markdown,
    incident_rows,
    incident_table,
)
from dashboard.text.escape import escape_markdown
from dashboard.text.i18n import format_number, translation
from dashboard.web import state
from dashboard.web.data import PageData
from dashboard.web.view_cache import Shown, grid_data, per_data, per_view


def incident_columns(lang: str = "en") -> dict:
    """The incidents table's column headers and help, in `lang`, in the grid's order: when,
    where and what first (all a phone's width shows), then how precise, then the rest."""
    t = translation(lang)
    return {
        "when": st.column_config.TextColumn(
            t.gettext("When (Mexico City time)"),
            help=t.gettext(
                "Date and time for records timed to the hour or minute; otherwise the "
                "record's own date and, where reported, the part of the day (local clock)."
            ),
        ),
        "place": st.column_config.TextColumn(t.gettext("Place")),
        "event_type": st.column_config.TextColumn(t.gettext("Type")),
        "state": st.column_config.TextColumn(t.gettext("State")),
        "municipality": st.column_config.TextColumn(t.gettext("Municipality")),
        "time_known": st.column_config.TextColumn(t.gettext("Time known")),
        "in_window": st.column_config.TextColumn(
            t.gettext("In this window"),
            help=t.gettext(
                "yes: its time lies inside the window, so it is counted; possibly: its day "
                "or part of day only overlaps the window, so it is listed and drawn dashed "
                "but not counted"
            ),
        ),
        # An ACLED file's records only.
        "event_label": st.column_config.TextColumn(t.gettext("Sub-event type")),
        "actors": st.column_config.TextColumn(t.gettext("Actors"), width="medium"),
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
    rows = st.session_state[state.INCIDENT_TABLE]["selection"]["rows"]
    ids = st.session_state.get(state.INCIDENT_TABLE_IDS, [])
    focus = ids[rows[0]] if rows and rows[0] < len(ids) else None
    st.session_state[state.FOCUS_INCIDENT] = focus
    st.session_state[state.INCIDENT_CHOICE] = focus


def pick_incident() -> None:
    """The same choice made with the keyboard: the list box next to the table."""
    st.session_state[state.FOCUS_INCIDENT] = st.session_state.get(state.INCIDENT_CHOICE)


def incident_details(row, lang: str = "en") -> None:
    """The chosen incident in words, with its sources as real links (keyboard reachable)."""
    st.markdown(details_markdown(row, lang), unsafe_allow_html=True)


def every_row(data: PageData, lang: str) -> tuple[pd.DataFrame | None, dict[str, str] | None]:
    """Every record of `data` as a table row and its list-box label, made once per data
    version and language (view_cache.per_data), from which each view picks its own; (None,
    None) where they are not kept or not in `lang`: the view's rows are then made."""
    if data.lang != lang:
        return None, None
    rows = per_data("table_rows", data, lambda: incident_rows(data.incidents, lang))
    if rows is None:
        return None, None
    return rows, per_data("labels", data, lambda: choice_labels(rows))


def incidents_in_view(data: PageData, shown: Shown, lang: str = "en") -> None:
    """The list twin of the map: every incident in view, sortable and searchable.

    The unsearched table is shared between sessions on the same records (per_view)."""
    t = translation(lang)
    selected = shown.selected
    st.header(t.gettext("Incidents in view"))
    query = st.text_input(
        t.gettext("Search by place, municipality or state"),
        key=state.INCIDENT_SEARCH,
        placeholder=t.gettext("e.g. Michoacan, Zapopan (accents optional)"),
    )
    # Only the unsearched list is kept: a reader's searches are theirs (and unbounded).
    kept = None if query.strip() else shown.same_rows
    rows, every = every_row(data, lang)
    table = per_view("table", kept, lambda: incident_table(selected, query, lang=lang, rows=rows))
    count_shown = len(table.rows)
    numbers = {
        "shown": format_number(count_shown, lang),
        "matched": format_number(table.matched, lang),
    }
    if table.truncated:
        count = t.ngettext(
            "{shown} of {matched} incident", "{shown} of {matched} incidents", table.matched
        )
    elif query.strip():
        count = t.ngettext(
            "{shown} incident matching the search",
            "{shown} incidents matching the search",
            count_shown,
        )
    else:
        count = t.ngettext("{shown} incident", "{shown} incidents", count_shown)
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
    if every is not None:
        labels = per_view("labels", kept, lambda: {i: every[i] for i in table.rows["incident_id"]})
    else:
        labels = per_view("labels", kept, lambda: choice_labels(table.rows))
    if st.session_state.get(state.FOCUS_INCIDENT) not in labels:
        # Left the view (or never chosen): nothing is focused or listed as chosen.
        st.session_state[state.FOCUS_INCIDENT] = st.session_state[state.INCIDENT_CHOICE] = None
    st.selectbox(
        t.gettext("Show one on the map and read its details (type to search the list)"),
        list(labels),
        format_func=labels.__getitem__,
        index=None,
        key=state.INCIDENT_CHOICE,
        on_change=pick_incident,
        placeholder=t.gettext("Choose an incident"),
    )
    focus = st.session_state.get(state.FOCUS_INCIDENT)
    if focus is not None:  # (focus is in labels: the listed rows)
        chosen = table.rows[table.rows["incident_id"] == focus]
        if len(chosen):
            incident_details(next(chosen.itertuples(index=False)), lang)
    # Print: the canvas grid prints only the rows it shows, and print.css leaves out the
    # sections (expanders) with it; a sentence, hidden on screen (page.css), says where
    # the whole list is, whether the section is open or not.
    with st.container(key=PRINT_NOTE):
        st.markdown(escape_markdown(print_note(table.matched, lang)))
    # The grid, closed until opened: the list box above is the keyboard's route to every
    # incident, and the grid's element code loads only when a reader asks for it.
    box, is_open = state.lazy_section(
        t.gettext("Table of the incidents in view (sort by any column)"),
        state.INCIDENT_TABLE_OPEN,
    )
    if not is_open:
        return
    st.session_state[state.INCIDENT_TABLE_IDS] = table.rows["incident_id"].tolist()
    with box, st.container(key=GRID):
        incident_grid(table, kept, lang)


# Keyed containers (class st-key-…): the list's print note and its grid (page.css and
# print.css show one on screen and the other on paper).
PRINT_NOTE = "tapalpa-print-note"
GRID = "tapalpa-incident-grid"


def print_note(count: int, lang: str = "en") -> str:
    """The sentence printed in place of the incidents grid (a canvas prints only the rows
    it shows), in `lang`: where the `count` incidents of the view are listed in full."""
    return (
        translation(lang)
        .ngettext(
            "The list of the {n} incident in this view is not printed: it is in the CSV "
            "download of this view and on the map's page online.",
            "The list of the {n} incidents in this view is not printed: they are in the "
            "CSV download of this view and on the map's page online.",
            count,
        )
        .format(n=format_number(count, lang))
    )


def incident_grid(table, kept, lang: str = "en") -> None:
    """The incidents in view as Streamlit's data grid (sortable, one row selectable)."""
    st.dataframe(
        grid_data(table.rows, kept, "table_arrow"),
        key=state.INCIDENT_TABLE,
        on_select=choose_incident,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_order=list(INCIDENT_COLUMNS),
        column_config=incident_columns(lang),
    )
