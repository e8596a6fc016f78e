"""Data quality ("calidad de datos"), for analysts, behind a toggle: the weak spots of the
records in view (the bundled data or the reader's file), one sortable, downloadable table
per kind; choosing a row shows that record on the map. The tables' own columns and
reasons come from dashboard/analysis/quality.py."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard.analysis.quality import (
    QUALITY_VIEWS,
    check_rules,
    is_acled,
    quality_tables,
    record_at,
    tables_in_view,
)
from dashboard.render.captions import EMPTY_CELL
from dashboard.text.escape import defuse, escape_markdown
from dashboard.text.i18n import format_number, gettext_for, translation
from dashboard.web import state
from dashboard.web.data import PageData
from dashboard.web.view_cache import Shown


@st.cache_resource(max_entries=4, show_spinner="Checking the data's quality…")
def quality_of(source: str, lang: str, _frame: pd.DataFrame, _states) -> dict[str, pd.DataFrame]:
    """Quality tables for all records of a data source (`source` keys the cache), their
    details in `lang`."""
    return quality_tables(_frame, _states, lang)


def focus_on(name: str, table: pd.DataFrame) -> None:
    """A row chosen in a quality table: the map shows that record (mapcore and the
    incident list read FOCUS_INCIDENT)."""
    rows = st.session_state[state.QUALITY_TABLE.format(name)]["selection"]["rows"]
    chosen = record_at(table, rows)
    if chosen is not None:
        st.session_state[state.FOCUS_INCIDENT] = chosen


def quality_source(data: PageData, geodata: str, from_upload: bool) -> str:
    """Which data the page shows (bundled or the uploaded file), as a cache key."""
    upload = st.session_state.get(state.UPLOAD)
    if from_upload and upload is not None:
        return f"upload:{upload.name}:{hash(upload.getvalue())}"
    return f"bundle:{geodata}:{data.bundle.version}"


def table_csv(table: pd.DataFrame) -> str:
    """A quality table as CSV, formula cells defused (built when its button is clicked)."""
    return table.map(defuse).to_csv(index=False, lineterminator="\n")


def quality_panel(
    data: PageData, shown: Shown, geodata: str, from_upload: bool, lang: str = "en"
) -> None:
    """The toggle, and while it is on, a tab per kind of weak spot in view."""
    t = translation(lang)
    selected = shown.selected
    st.subheader(t.gettext("Data quality"))
    if not st.toggle(
        t.gettext("Show the data-quality view"),
        key=state.SHOW_QUALITY,
        help=t.gettext(
            "Duplicates, disputes, weak sources, imprecise records and links, for the "
            "records in this view (the bundled data or your file)."
        ),
    ):
        return
    key = quality_source(data, geodata, from_upload)
    everything = quality_of(key, lang, data.incidents, data.bundle.states)
    tables = tables_in_view(everything, selected, lang)
    labels = [
        f"{gettext_for(lang, QUALITY_VIEWS[name])} ({format_number(len(table), lang)})"
        for name, table in tables.items()
    ]
    rules = check_rules(lang, acled=is_acled(data.incidents))
    for tab, (name, table) in zip(st.tabs(labels), tables.items(), strict=True):
        with tab:
            if name in rules:  # the rule the check holds the data to (geodata/README.md)
                st.caption(escape_markdown(rules[name]))
            shown_table = table.reset_index(drop=True)
            st.dataframe(
                shown_table.replace({"": None}),
                hide_index=True,
                width="stretch",
                placeholder=EMPTY_CELL,
                on_select=partial(focus_on, name, shown_table),
                selection_mode="single-row",
                key=state.QUALITY_TABLE.format(name),
            )
            st.download_button(
                t.ngettext(
                    "Download this table (CSV, {n} row)",
                    "Download this table (CSV, {n} rows)",
                    len(shown_table),
                ).format(n=format_number(len(shown_table), lang)),
                data=partial(table_csv, shown_table),
                file_name=f"quality-{name}.csv",
                mime="text/csv",
                on_click="ignore",
                key=state.QUALITY_DOWNLOAD.format(name),
            )
    files_only = check_rules(lang, in_view=False)
    if files_only:
        with st.expander(t.gettext("Checks of the bundled files (run by validate)")):
            for key, rule in files_only.items():
                st.caption(f"`{key}`: {escape_markdown(rule)}")
    focus = st.session_state.get(state.FOCUS_INCIDENT)
    if focus:
        st.caption(t.gettext("On the map: {record}.").format(record=escape_markdown(focus)))
