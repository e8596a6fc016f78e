"""Share, embed or download this view ("compartir e insertar"), closed until opened: the
permalink, the live and static iframe snippets, the alt text, and the PNG, HTML and CSV
of the view."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import streamlit as st

from dashboard.analysis.permalink import PageView, to_query
from dashboard.model.schema import EMBED_FRAME_HEIGHT
from dashboard.render.formats import EXPORT_FORMATS, SNAPSHOT_FORMATS, ViewFiles
from dashboard.render.pngpresets import PRESETS
from dashboard.render.publish import page_path
from dashboard.render.share import (
    PUBLIC_URL_ENV,
    download_stem,
    iframe_snippet,
    internal_host,
    public_address,
    published_site,
    records_in_the_csv,
    responsive_snippet,
)
from dashboard.render.snapshot import Selection, alt_text
from dashboard.text.escape import escape_markdown
from dashboard.text.i18n import translation
from dashboard.web import state
from dashboard.web.copy_button import copy_button
from dashboard.web.data import PageData
from dashboard.web.sections.downloads import download_buttons, records_csv_label
from dashboard.web.view_cache import Kept, Shown, per_view, view_figures
from dashboard.web.view_probe import probe_view, screen_size


def view_alt_text(
    page: PageView, selection: Selection, lang: str, kept: Kept, same_rows: Kept
) -> str:
    """snapshot.alt_text of the view, kept per window (`kept`: view_kept); its key figures
    per set of records (`same_rows`: rows_kept)."""
    return per_view(
        "alt",
        kept,
        lambda: alt_text(
            page, selection, lang, figures=view_figures(selection.selected, same_rows)
        ),
    )


def share_panel(data: PageData, shown: Shown, lang: str = "en") -> None:
    """Permalink, live and static iframe snippets, alt text and the downloads.

    Plain text fields, not st.code: a code block pulls in a 1.5 MB syntax highlighter on
    the first view, collapsed or not. Select the text and copy it."""
    t = translation(lang)
    box, is_open = state.lazy_section(
        t.gettext("Share, embed or download this view"), state.SHARE_OPEN
    )
    if not is_open:
        return
    page, selection = shown.page, shown.selection
    base = public_address(st.context.url)
    query = to_query(page, data.bundle.version)
    embed_query = to_query(replace(page, embed=True), data.bundle.version)
    page = replace(page, lang=page.lang or lang)  # snapshots in the page's language
    with box:
        probe_view()  # the map's centre, zoom and size on screen, as the reader left them
        if base and internal_host(base):
            st.warning(
                t.gettext(
                    "These links point at {host}, a local, internal or staging address "
                    "that readers of an article cannot reach: they would break. Set the "
                    "map's public address in the environment variable {env} (for example "
                    "https://mapa.example.org/) and restart the app."
                ).format(host=escape_markdown(base), env=PUBLIC_URL_ENV)
            )
        link_text = f"{base}?{query}"
        st.text_input(
            t.gettext("Link to this view (restores the window, filters, layers, centre and zoom)"),
            link_text,
        )
        copy_button(link_text, t.gettext("Copy link"), t.gettext("Copied"), "link")
        if data.from_file:
            # A link carries the view, never the reader's file (it stays in this session).
            st.warning(
                t.gettext(
                    "This link and the embed codes cannot carry your file: whoever opens "
                    "them (you too, in a new tab) sees the map's own data, not your file, "
                    "in this window and with these filters. To share your file's view, use "
                    "the PNG, SVG or HTML downloads below, or send the file with the link."
                )
            )
        snippet = responsive_snippet(f"{base}?{embed_query}", EMBED_FRAME_HEIGHT, page, lang)
        st.text_area(t.gettext("Embed the live map in an article"), snippet, height=110)
        copy_button(snippet, t.gettext("Copy embed code"), t.gettext("Copied"), "embed")
        st.caption(
            t.gettext(
                "The embed opens on this view, centre and zoom, and sets its own height "
                "(the script after the iframe; paste both into the article's HTML box). "
                "Pan or zoom the map above and these codes follow."
            )
        )
        static = published_site(base)
        if static is not None:
            static_snippet = iframe_snippet(static + page_path(page), 660, page, lang)
            st.text_area(
                t.gettext("Or embed the static copy (for high traffic)"),
                static_snippet,
                height=90,
            )
            copy_button(static_snippet, t.gettext("Copy embed code"), t.gettext("Copied"), "static")
            st.caption(
                t.gettext(
                    "Prefer the static copy for a story that may draw heavy traffic: it is a "
                    "plain file that any CDN serves, while every reader of the live map holds a "
                    "session on this server. The static copy shows the default window (or this "
                    "state's whole span) and replays it with ▶; the live map follows these "
                    "filters. All static embed codes: {url}"
                ).format(url=f"{escape_markdown(static)}embed.html")
            )
        else:
            st.caption(
                t.gettext(
                    "For a story that may draw heavy traffic, embed a static copy instead: "
                    "`python -m dashboard publish` writes one for any static host or CDN."
                )
            )
        described = view_alt_text(page, selection, lang, shown.kept, shown.same_rows)
        st.text_area(
            t.gettext("Alt text (the images carry it, with the title, in their metadata)"),
            described,
            height=110,
        )
        files = ViewFiles(
            data.bundle, page, selection.selected, selection.counts, screen=screen_size()
        )
        image_buttons(files, download_stem("tapalpa-map", page), lang)
        n = len(selection.selected)
        download_buttons(
            [SNAPSHOT_FORMATS["html"], *(f for f in EXPORT_FORMATS.values() if f.share)],
            files,
            download_stem("tapalpa-map", page),
            lang,
            labels={"csv": records_csv_label(n, lang)},
        )
        st.caption(records_in_the_csv(selection.selected, lang))


def image_buttons(files: ViewFiles, stem: str, lang: str) -> None:
    """One PNG button per preset (render/pngpresets: article, social, square, large) and
    an SVG of the article layout; each file is built only when its button is pressed."""
    t = translation(lang)
    st.caption(
        t.gettext(
            "Images of this view, laid out for where they go: an article column (700 px "
            "wide, sharp on 2x screens), social cards, and a large copy; the SVG scales to "
            "any width. They show the map's area as on your screen."
        )
    )
    choices = [(p, "png") for p in PRESETS.values()] + [(PRESETS["article"], "svg")]
    # Three a row: five side by side cut their labels short ("PNG para nota (700 px…").
    columns = [column for _ in range(0, len(choices), 3) for column in st.columns(3)]
    for column, (preset, kind) in zip(columns, choices, strict=False):
        fmt = SNAPSHOT_FORMATS[kind]
        label = t.gettext(preset.label) if kind == "png" else t.gettext("SVG for an article")
        column.download_button(
            label,
            data=partial(fmt.build, replace(files, preset=preset.name)),
            file_name=f"{stem}-{preset.name}{fmt.suffix}",
            mime=fmt.media_type,
            on_click="ignore",
            key=f"download_{kind}_{preset.name}",
        )
