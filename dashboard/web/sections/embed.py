"""The embed page (`?embed=true`, an article's iframe): the map with its legend and play
control, and a credit line; the page adds the time slider."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.permalink import PageView
from dashboard.model.schema import EMBED_MAP_HEIGHT
from dashboard.render.snapshot import credit_text
from dashboard.render.snapshot import title as snapshot_title
from dashboard.text.escape import escape_markdown
from dashboard.text.i18n import translation
from dashboard.web.data import PageData
from dashboard.web.sections.map import show_map
from dashboard.web.view_cache import view_selection


def embed_page(data: PageData, page: PageView, lang: str = "en") -> None:
    """For iframes: the map, its legend, the time control and a credit line only."""
    show_map(data, page, view_selection(data, page.view), EMBED_MAP_HEIGHT, lang)
    st.caption(
        f"{escape_markdown(snapshot_title(page, lang))}. {escape_markdown(credit_text(lang))} "
        + translation(lang).gettext("Basemap © OpenStreetMap contributors.")
    )
