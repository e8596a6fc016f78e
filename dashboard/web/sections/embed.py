"""The embed page (`?embed=true`, an article's iframe): a title and the window, one key
figure with its source, the map with its legend and play control, a link to the full
page and the credit line; the page adds the time slider. It tells the article its height
(dashboard/static/embed-resize.js) and says so visibly when its link was bad."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from dashboard.analysis.permalink import PageView, to_query
from dashboard.analysis.stats import key_figures as count_figures
from dashboard.model.schema import EMBED_MAP_HEIGHT
from dashboard.render.share import public_address
from dashboard.render.snapshot import credit_text, window_label
from dashboard.render.snapshot import title as snapshot_title
from dashboard.text.escape import escape_markdown, escape_text, link
from dashboard.text.i18n import format_number, translation
from dashboard.web import state
from dashboard.web.data import PageData
from dashboard.web.sections.key_figures import view_official
from dashboard.web.sections.map import EMBED_MAP_BOX, show_map
from dashboard.web.view_cache import view_kept, view_selection

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
EMBED_MAIN = "tapalpa-embed-main"  # the container of title, map and credit (embed.css)
EMBED_MAP = EMBED_MAP_BOX  # the map's own container, its height fixed (embed.css)
EMBED_HEAD = "tapalpa-embed-head"  # title, window and key figure: its height held (embed.css)
# Its height before embed.css arrives (CSS px): title, window and key figure (~63 px on a
# wide iframe), the map's frame (EMBED_MAP_HEIGHT + 8), the credit (~45 px) and the gaps.
EMBED_MAIN_HEIGHT = EMBED_MAP_HEIGHT + 140


def embed_head() -> None:
    """The embed's height reporter; sent last (web/page.py), its placeholder below
    everything. Its CSS comes first (header.page_head)."""
    st.html(  # with an element, not a lone script, which Streamlit would not run here
        "<span data-tapalpa-embed hidden></span>"
        f"<script>{(STATIC / 'embed-resize.js').read_text(encoding='utf-8')}</script>",
        unsafe_allow_javascript=True,
    )


def key_line(data: PageData, page: PageView, selected, lang: str) -> str:
    """One key figure with its source, as HTML (every data-derived text escaped; only an
    http(s) source is a link): the official national count of road blockades given by
    the window's end, who gave it and when; else the map's own count of incidents known
    to be in the window (filters' rule), whose sources are on the full page."""
    t = translation(lang)
    official = view_official(data, page.view, lang, None).get("blockades")
    if official is not None:
        figure = t.ngettext(
            "Official, nationwide: {n} road blockade",
            "Official, nationwide: {n} road blockades",
            official.value,
        ).format(n=format_number(official.value, lang))
        said = t.gettext("{who}, {when}").format(who=official.reported_by, when=official.when)
        return f"{escape_text(figure)} ({link(official.source_url, said)})"
    n = count_figures(selected).incidents
    return escape_text(
        t.ngettext(
            "On the map: {n} incident known in this window (sources on the full page)",
            "On the map: {n} incidents known in this window (sources on the full page)",
            n,
        ).format(n=format_number(n, lang))
    )


def embed_page(data: PageData, page: PageView, lang: str = "en") -> None:
    """For iframes: title, window, one key figure, the map (legend, time control), a link
    to the full page and a credit line."""
    t = translation(lang)
    notices = list(state.take_link_notices())
    if notices:  # a bad embed link says so, visibly: one box, the prefix once
        st.warning(
            t.gettext("This embed's link was changed or is out of date: {notice}").format(
                notice=" · ".join(escape_markdown(n) for n in notices)  # a link's values are text
            )
        )
    selection = view_selection(data, page.view)
    # In a container whose height embed.css holds from the first paint (deploy/serve puts
    # it in the document): st.html is a 40 px placeholder until its code has loaded, and
    # the taller text then pushed the map down (layout shift 0.07 at 390 px).
    st.container(key=EMBED_HEAD).html(
        f'<p class="tapalpa-embed-title">{escape_text(snapshot_title(page, lang))}</p>'
        f'<p class="tapalpa-embed-window">{escape_text(window_label(page, lang))}</p>'
        f'<p class="tapalpa-embed-figure">{key_line(data, page, selection.selected, lang)}</p>'
    )
    # The map's height held from the first paint: a container is drawn at once, the
    # map's frame only once Streamlit has loaded its code (a 40 px placeholder until then).
    with st.container(height=EMBED_MAP_HEIGHT, border=False, key=EMBED_MAP):
        # kept per view as on the full page: the map then gets its neighbouring windows
        show_map(data, page, selection, EMBED_MAP_HEIGHT, lang, view_kept(data, page.view))
    full = public_address(st.context.url)
    full_page = f"{full}?{to_query(replace(page, embed=False, lang=lang), data.bundle.version)}"
    full_label = t.gettext("Full map, sources and data")
    st.caption(
        f"{link(full_page, full_label)} · "
        f"{escape_markdown(credit_text(lang))} "
        + t.gettext("Basemap © OpenStreetMap contributors."),
        unsafe_allow_html=True,
    )
