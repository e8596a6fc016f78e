"""Per municipality, per day and per week ("por municipio, por día, por semana"): the
records in view counted by municipality and by calendar period (analysis/aggregates.py),
each with its CSV (render/formats.py). Closed until opened (state.lazy_section)."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.aggregates import municipality_counts, period_counts
from dashboard.render.formats import EXPORT_FORMATS, ViewFiles
from dashboard.render.share import download_stem
from dashboard.text.i18n import format_number, translation
from dashboard.web import state
from dashboard.web.data import PageData
from dashboard.web.sections.downloads import download_buttons
from dashboard.web.view_cache import Shown, per_view

TABLE_CHOICE = "table_choice"


def tables(data: PageData, shown: Shown, lang: str = "en") -> None:
    """The chosen table (per municipality, day or week) and the three CSV files."""
    t = translation(lang)
    box, is_open = state.lazy_section(
        t.gettext("Per municipality, per day and per week (tables and CSV)"), state.TABLES_OPEN
    )
    if not is_open:
        return
    choices = {
        "municipality": t.gettext("Per municipality"),
        "day": t.gettext("Per day"),
        "week": t.gettext("Per week (Monday to Sunday)"),
    }
    with box:
        choice = st.radio(
            t.gettext("Table"),
            list(choices),
            format_func=choices.get,
            horizontal=True,
            key=TABLE_CHOICE,
        )
        kept = shown.same_rows
        columns = {
            "cve_ent": None,
            "state": t.gettext("State"),
            "municipality": t.gettext("Municipality"),
            "period_start": st.column_config.DateColumn(t.gettext("From")),
            "period_end": st.column_config.DateColumn(t.gettext("To (not included)")),
            "incidents": t.gettext("Incidents"),
            "blockades": t.gettext("Road blockades"),
            "fatalities": t.gettext("Fatalities"),
            "arrests": t.gettext("Arrests"),
            "incidents_possible": t.gettext("Possibly in the window"),
        }
        if choice == "municipality":
            table = per_view("municipalities", kept, lambda: municipality_counts(shown.selected))
            note = t.gettext(
                "Records known to be in the window, by the municipality they give; an empty "
                "municipality is a record placed only to its state. Records only possibly in "
                "the window are counted apart."
            )
        else:
            result = per_view(
                f"period_{choice}", kept, lambda: period_counts(shown.selected, choice)
            )
            table = result.rows
            note = t.gettext(
                "Each record known to the day or better is counted on its own local "
                "calendar date (the date as reported, on its state's clock; for ACLED, "
                "event_date), and a week is Monday to Sunday of those dates."
            )
            note += " " + t.ngettext(
                "{n} record known only to a week or month is in none.",
                "{n} records known only to a week or month are in none.",
                result.unplaced_long,
            ).format(n=format_number(result.unplaced_long, lang))
            if result.unplaced_span:
                note += " " + t.ngettext(
                    "{n} record whose time runs past one period is in none.",
                    "{n} records whose time runs past one period are in none.",
                    result.unplaced_span,
                ).format(n=format_number(result.unplaced_span, lang))
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={k: v for k, v in columns.items() if k in table.columns},
        )
        st.caption(note)
        formats = [f for f in EXPORT_FORMATS.values() if f.table]
        files = ViewFiles(data.bundle, shown.page, shown.selected, shown.counts)
        download_buttons(formats, files, download_stem("tapalpa", shown.page), lang)
