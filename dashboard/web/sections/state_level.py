"""Reports known only to their state ("reportes a nivel estatal"), closed until opened:
never drawn as points (a state-level record must not look like a place), listed here
with their sources."""

from __future__ import annotations

import streamlit as st

from dashboard.render.incident_list import state_level_entries, state_level_lines
from dashboard.text.i18n import translation
from dashboard.web import state
from dashboard.web.data import PageData
from dashboard.web.view_cache import Shown, per_data, per_view


def state_level_reports(data: PageData, shown: Shown, lang: str = "en") -> None:
    """The reports in view known only to their state, as a list in an expander; nothing
    when there are none. Every record's paragraph is made once per data version and
    language (per_data), and each view picks its own."""
    t = translation(lang)
    selected = shown.selected
    state_only = (selected["geo_precision"] >= 3).to_numpy()
    if not state_only.any():
        return
    box, is_open = state.lazy_section(
        t.gettext("Reports known only to their state (not placed on the map)"),
        state.STATE_LEVEL_OPEN,
    )
    if not is_open:
        return
    with box:
        text = per_view(
            "state-level",
            shown.same_rows,
            lambda: state_level_lines(selected[state_only], lang, every_entry(data, lang)),
        )
        st.markdown(text, unsafe_allow_html=True)


def every_entry(data: PageData, lang: str) -> dict[str, str] | None:
    """state_level_entries of every record known only to its state, when kept for `data`
    in `lang`; None: the view's are made."""
    if data.lang != lang:
        return None
    incidents = data.incidents
    return per_data(
        "state_lines",
        data,
        lambda: state_level_entries(incidents[incidents["geo_precision"] >= 3], lang),
    )
