"""The Streamlit page as a table of contents: `main()` calls one function per section, in
the order the reader sees them. Streamlit runs dashboard/app.py, which calls `main()`
here: this module is imported once per process.

Loading, validation, joining and per-record display text happen once per process and data
version (dashboard/web/data.py); a rerun only filters, aggregates and builds what the
open sections show, reusing what another rerun or session made of the same view
(dashboard/web/view_cache.py). Each section is a module of dashboard/web/sections/;
session state keys are named in dashboard/web/state.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard.model import bundled_files
from dashboard.render.captions import empty_reason
from dashboard.text.i18n import translation
from dashboard.web.busy import page_run
from dashboard.web.data import loaded_bundle, page_data
from dashboard.web.sections.corrections import corrections_section
from dashboard.web.sections.downloads import data_downloads
from dashboard.web.sections.embed import EMBED_MAIN, EMBED_MAIN_HEIGHT, embed_head, embed_page
from dashboard.web.sections.filters import filters, time_slider
from dashboard.web.sections.header import (
    file_deck,
    header,
    lead_paragraph,
    no_records,
    page_assets,
    page_head,
)
from dashboard.web.sections.hourly import hour_by_hour
from dashboard.web.sections.incident_list import incidents_in_view
from dashboard.web.sections.key_figures import figure_explanations, key_figures
from dashboard.web.sections.key_moments import key_moments
from dashboard.web.sections.map import map_frame_title, map_section
from dashboard.web.sections.per_state import per_state
from dashboard.web.sections.quality import quality_panel
from dashboard.web.sections.share import share_panel
from dashboard.web.sections.state_level import state_level_reports
from dashboard.web.sections.summary import map_summary
from dashboard.web.sections.tables import tables
from dashboard.web.sections.upload import file_picker, your_file
from dashboard.web.state import chosen_language, current_page, read_link, write_link
from dashboard.web.view_cache import on_screen


def main() -> None:
    """The page, one run; counted as under way while it runs (busy.page_run)."""
    with page_run():
        _page()


def _page() -> None:
    geodata = os.environ.get("TAPALPA_GEODATA", str(bundled_files.GEODATA))
    lang = chosen_language()
    embedded = bool(st.context.is_embedded)
    # The page's settings (wide layout) and CSS before anything is drawn: sent after a
    # first element, or after a slow first load, they moved the whole page (layout shift).
    page_head(lang, embedded)
    version = bundled_files.data_version(bundled_files.data_files(Path(geodata)))
    bundle = loaded_bundle(geodata, version)
    if bundle.incidents.empty:
        no_records(bundle, lang)
        return
    if embedded:  # no spinner: above the map's reserved area it pushed the map down
        data = page_data(geodata, version, lang)
    else:
        with st.spinner(translation(lang).gettext("Loading the map data…")):
            data = page_data(geodata, version, lang)
    read_link(data)

    if embedded:  # an article's iframe: the map, the time slider, a credit line
        # The map's area first, its height reserved from the first paint (a container is
        # drawn at once; embed.css, which arrives later, lets it grow to its content), so
        # the slider under it does not jump down as the map arrives (layout shift); the
        # page's CSS and scripts last, where their placeholders push nothing down.
        map_area = st.container(height=EMBED_MAIN_HEIGHT, border=False, key=EMBED_MAIN)
        time_slider(data, lang)  # created before the view is read: its value beats the link's
        page = current_page()
        write_link(page, data.bundle.version)
        map_frame_title(page, listed=False, lang=lang)
        with map_area:
            embed_page(data, page, lang)
        page_assets(lang)
        embed_head()
        return

    deck = header(lang)
    with st.sidebar:
        filter_box = st.container()  # above the file picker, filled once the records are known
        file_picker(lang)
    bundled = data
    data = your_file(data, geodata, lang)  # the reader's file, its rows on request
    file_deck(deck, data, lang)  # the deck says what is shown: the file's own range
    with filter_box:  # the window follows the records shown: a file's own range
        filters(data, lang)
    page = current_page()
    write_link(page, data.bundle.version)
    map_frame_title(page, lang=lang)
    reason = empty_reason(page, lang)
    if reason:
        st.info(reason)
        return

    shown = on_screen(data, page)
    # The map first (on a phone, the first screen), its summary and filters right under
    # it, then the key figures and what happened in full.
    map_section(data, shown, lang)
    map_summary(shown, lang, data.spans_years)
    official = key_figures(data, shown, lang)
    # Under a reader's file, what is only about the bundled Tapalpa data is left out (the
    # lead paragraph, the key moments) or says that it is (the corrections log).
    if not data.from_file:
        lead_paragraph(lang)
    figure_explanations(shown, official, lang, bundled=not data.from_file)
    incidents_in_view(data, shown, lang)
    share_panel(data, shown, lang)
    data_downloads(data, shown, lang)
    state_level_reports(data, shown, lang)
    left, right = st.columns([3, 2])
    with left:
        per_state(shown, lang, official=not data.from_file)
        tables(data, shown, lang)  # per municipality, day and week
    with right:
        hour_by_hour(shown, lang, data.spans_years)
        if not data.from_file:
            key_moments(data, geodata, version, lang)
    corrections_section(geodata, version, lang, about_bundled=data.from_file)
    quality_panel(data, shown, geodata, from_upload=data is not bundled, lang=lang)
