"""Per state ("por estado"): the located figures of each state beside its latest official
figure, compared at the hour the figure was given, with a bar chart of incidents."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.analysis.filters import ViewSpec
from dashboard.render.captions import EMPTY_CELL
from dashboard.render.charts import state_chart
from dashboard.render.state_table import state_rows
from dashboard.text.i18n import translation
from dashboard.web import state
from dashboard.web.view_cache import Kept, Shown, grid_data, per_view


def state_table_rows(counts: pd.DataFrame, view: ViewSpec, kept: Kept) -> pd.DataFrame:
    """state_rows, kept per set of records in view (`kept`: rows_kept)."""
    return per_view("state_rows", kept, lambda: state_rows(counts, view))


# The official side of the table: the bundled event's figures, never a reader's file's.
OFFICIAL_COLUMNS = (
    "official_blockades",
    "official_source",
    "located_at_official",
    "located_at_official_possible",
    "difference",
    "official_url",
    "official_other",
)


def per_state(shown: Shown, lang: str = "en", official: bool = True) -> None:
    """The per-state bar chart and, in a section closed until opened, the comparison
    table (located and official figures); both kept per set of records in view.
    official=False (a reader's file): the located figures only, without the official
    columns and their caption."""
    t = translation(lang)
    kept = shown.same_rows
    table = state_table_rows(shown.counts, shown.view, kept)
    if not official:
        table = table.drop(columns=list(OFFICIAL_COLUMNS))
    chart = per_view("state_chart", kept, lambda: state_chart(table, lang))
    st.header(t.gettext("Per state"))
    if chart is not None:
        st.markdown(chart, unsafe_allow_html=True)
    # The table, closed until opened: Streamlit's data grid is most of a phone's
    # first-view work (README "Page weight").
    label = (
        t.gettext("Table per state: located and official figures")
        if official
        else t.gettext("Table per state")
    )
    box, is_open = state.lazy_section(label, state.STATE_TABLE_OPEN)
    if is_open:
        with box:
            state_table(table, kept, official, lang)


def state_table(table: pd.DataFrame, kept: Kept, official: bool, lang: str) -> None:
    """The per-state grid (`table`: state_table_rows, kept per `kept`) and its caption."""
    t = translation(lang)
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
        key=state.STATE_TABLE,
    )
    st.caption(
        t.gettext("Your file's own counts per state (no official figure is compared with it).")
        if not official
        else t.gettext(
            "The comparison counts the located road blockades known to have started by the "
            "hour the official figure was given, whatever the window; those known only to a "
            "day or part of day still running then are counted apart, as possible. A figure "
            "given without an hour is not compared."
        )
    )
