"""Hour by hour ("hora por hora"), closed until opened: two charts of the window's hours
(Mexico City time), the reports timed to the hour and every record possibly under way."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.filters import HOUR_STEPS_UP_TO
from dashboard.render.charts import hourly_markup
from dashboard.text.escape import escape_markdown
from dashboard.text.i18n import translation
from dashboard.web import state
from dashboard.web.view_cache import Shown, per_view


def hour_by_hour(shown: Shown, lang: str = "en", years: bool = False) -> None:
    """The section: its two SVG charts (kept per window) and their caption, made only
    while it is open; `years` (PageData.spans_years): the charts' dates carry the year."""
    t = translation(lang)
    box, is_open = state.lazy_section(t.gettext("Hour by hour"), state.HOURLY_OPEN)
    if not is_open:
        return
    with box:
        if shown.view.end - shown.view.start > HOUR_STEPS_UP_TO:
            # A year of hours is not read, and its overlap matrix would be too big to make.
            st.caption(
                t.gettext(
                    "The window is longer than two weeks: see the per-day and per-week "
                    "tables instead, or narrow the window to chart it hour by hour."
                )
            )
            return
        charted = per_view(
            "hourly",
            shown.kept,
            lambda: hourly_markup(shown.selected, shown.view, lang, years),
        )
        if not charted:
            st.caption(t.gettext("No incidents in this window."))
            return
        for label, svg in charted:
            st.markdown(f"**{escape_markdown(label)}**")
            st.markdown(svg, unsafe_allow_html=True)
        st.caption(
            t.gettext(
                "Mexico City time. Most reports give only the day, so the second chart counts "
                "every record whose time span overlaps the hour; the first counts only records "
                "timed to the hour or better."
            )
        )
