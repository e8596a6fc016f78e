"""The top of the page: its title, lead paragraph and language switch; what the browser
is told before any element (page config, `<html lang>`, the page CSS); and the notice
when there is no data to map."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.analysis.permalink import map_view, parse_size
from dashboard.ingest.bundle import Bundle
from dashboard.render.captions import deck_text
from dashboard.render.firstscreen import LEAD, TITLE
from dashboard.text.escape import escape_markdown, escape_text
from dashboard.text.i18n import LANGUAGE_NAMES, LANGUAGES, translation
from dashboard.web import state
from dashboard.web.data import PageData, aware

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
PAGE_LANG_JS = (STATIC / "page_lang.js").read_text(encoding="utf-8")  # read once, as map.PAGE_JS
# Widgets whose values the browser sends back as the labels it shows (the event-type and
# layer chips, the time slider's dates), which a change of language would no longer
# match: the choice would be dropped, or the window reset, on the next move. Their values
# are set again, so the browser redraws them in the new language.
LABELLED_CHOICES = (state.TYPES, state.LAYERS, state.WINDOW)
# Containers of elements that draw nothing (scripts, CSS), hidden by page.css from the
# first paint (deploy/serve puts page.css in the page's document).
HIDDEN_ASSETS = "tapalpa-assets"


def no_records(bundle: Bundle, lang: str = "en") -> None:
    """Nothing to map: say why instead of failing."""
    st.error(
        translation(lang)
        .gettext(
            "The map's data has no valid incident records ({summary}). Check it with "
            "`python -m dashboard validate`."
        )
        .format(summary=escape_markdown(bundle.report.summary(lang)))
    )


def page_head(lang: str, embedded: bool) -> None:
    """The page's title and layout, `<html lang>` of the page and the map frame, and the
    page CSS (caption contrast, visible focus, the phone layout) before any element it
    styles, so nothing re-lays out when it arrives. In an embed the page's settings and
    embed.css (style only: Streamlit gives it no room); its title, map and slider come
    next, and `page_assets` after them (each other st.html is a 40 px placeholder until
    Streamlit has loaded its code, and would push them down, then let them jump up).
    Called first in a run, before the data is loaded."""
    st.set_page_config(
        page_title=translation(lang).gettext("Tapalpa incident map"),
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="collapsed" if embedded else "auto",
    )
    if embedded:  # style only: no room on the page (Streamlit's event container)
        st.html(STATIC / "embed.css")
    else:
        page_assets(lang)


def page_assets(lang: str) -> None:
    """`<html lang>` of the page and the map frame, the page CSS and the print style."""
    # In a container page.css hides: each st.html is a 40 px placeholder until Streamlit
    # has fetched its code, and its disappearing moved the whole page up (layout shift).
    with st.container(key=HIDDEN_ASSETS):
        st.html(
            f'<span data-tim-lang="{lang}" hidden></span><script>{PAGE_LANG_JS}</script>',
            unsafe_allow_javascript=True,
        )
        st.html(STATIC / "page.css")
        st.html(STATIC / "print.css")  # style only: Streamlit gives it no room on the page


def keep_map_view() -> None:
    """Before a change of language redraws the map (its legend and controls are in the
    language): open it where the reader left it. The map writes its centre and zoom into
    the address (lat, lon, zoom) without a rerun; the rerun brings that address here."""
    params = st.query_params.to_dict()
    view = map_view(params)  # quarter-step zoom (5.5) as the map writes it
    if view is not None:
        (lat, lon), zoom = view
        st.session_state[state.MAP_CENTER] = (lat, lon)
        st.session_state[state.MAP_ZOOM] = zoom
        first = {"center": [lat, lon], "zoom": zoom}
        screen = parse_size(params.get("size"))  # the map's size, written with them
        if screen is not None:
            first["screen"] = list(screen)
        st.session_state[state.MAP_FIRST_VIEW] = first


def change_language() -> None:
    """The language switch's callback: keep the map's view and every labelled choice."""
    keep_map_view()
    for key in LABELLED_CHOICES:
        if key in st.session_state:
            value = st.session_state[key]
            st.session_state[key] = tuple(value) if key == state.WINDOW else list(value)


def language_switch() -> None:
    """Español | English, each written in its own language (not shown when embedded)."""
    st.radio(
        "Idioma / Language",
        LANGUAGES,
        format_func=LANGUAGE_NAMES.get,
        horizontal=True,
        key=state.LANG,
        label_visibility="collapsed",
        on_change=change_language,
    )


def header(lang: str = "en"):
    """The language switch, the title, a one-line deck, and the notices about the link the
    reader arrived with (once). The map comes right after: on a phone it is the first
    screen (what happened in full is under it, lead_paragraph). Returns the deck's
    placeholder, for `file_deck` once the records shown are known."""
    t = translation(lang)
    language_switch()
    st.title(t.gettext(TITLE))
    deck = st.empty()
    show_deck(deck, deck_text(lang))
    for notice in state.take_link_notices():
        st.warning(escape_markdown(notice))  # link values and parameter names: text
    return deck


def show_deck(deck, text: str) -> None:
    """The deck line in its placeholder. Markdown, drawn with the code the title uses (an
    st.html would be a 40 px placeholder first, then shrink to its line: a layout shift)."""
    deck.markdown(f'<p class="tim-deck">{escape_text(text)}</p>', unsafe_allow_html=True)


def file_deck(deck, data: PageData, lang: str = "en") -> None:
    """With a reader's file shown, the deck describes the file (its range and the slider's
    step: captions.deck_text) instead of the bundled event."""
    if data.from_file:
        show_deck(deck, deck_text(lang, (aware(data.first_hour), aware(data.last_hour))))


def lead_paragraph(lang: str = "en") -> None:
    """What happened and what a point is, under the map and its key figures."""
    st.markdown(translation(lang).gettext(LEAD))
