"""The live page's first screen in its HTML document: the page's title, deck and lead
paragraph, painted by the browser from the document alone, before any of Streamlit's
scripts has run. deploy/serve.py page_document puts it beside Streamlit's
`<div id="root">` (React empties the root when it draws its shell, seconds before the
title arrives: the reader saw a blank page for 0.3-2.5 s), as an overlay that
first-screen.js removes once Streamlit has drawn the page's title where the screen's is
(first-screen.css).

On a phone Streamlit draws nothing until its scripts have loaded and the first run's
elements have arrived (Lighthouse, mobile profile: first paint at 6.6-8 s, the title at
8-10 s); this screen says what the page is about from the first bytes. Both languages
are in the document; first-screen.js (inline, before the screen) picks the one the page
will choose (i18n.choose_language: `?lang=`, else the browser's language) and shows none
in an embed (`?embed=true`), which has no title. Without JavaScript the screen shows in
Spanish (NOSCRIPT_LANGUAGE, the readers' main language), with a line saying the map
needs JavaScript.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.render.captions import deck_text
from dashboard.text.escape import escape_text
from dashboard.text.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext_for

STATIC = Path(__file__).resolve().parent.parent / "static"
FIRST_SCREEN_ID = "tim-first-screen"
NOSCRIPT_LANGUAGE = "es"  # first-screen.css shows it when no script has chosen
# The document's title (web/sections/header.py page_head gives Streamlit the same).
PAGE_TITLE = N_("Tapalpa incident map")
NEEDS_JAVASCRIPT = N_("The interactive map needs JavaScript; turn it on to see the map.")
# The page's title and lead paragraph (web/sections/header.py shows them with Streamlit).
TITLE = N_("After the Tapalpa raid: blockades and attacks across Mexico")
LEAD = N_(
    'On 22 February 2026 special forces killed CJNG leader Nemesio Oseguera, "El Mencho", '
    "near Tapalpa, Jalisco. Within hours, blockades, burnings and clashes were reported "
    "across Mexico. Each point is a reported incident with its sources; places are "
    "estimates whose precision is shown."
)


def first_screen(lang: str) -> str:
    """The first screen in `lang` ("es" or "en"), as escaped HTML: a `<div lang>` with the
    title (h1), the deck (captions.deck_text), the lead paragraph and, in `<noscript>`,
    the line saying the map needs JavaScript."""
    title = escape_text(gettext_for(lang, TITLE))
    deck = escape_text(deck_text(lang))
    lead = escape_text(gettext_for(lang, LEAD))
    needs = escape_text(gettext_for(lang, NEEDS_JAVASCRIPT))
    return (
        f'<div lang="{lang}"><h1>{title}</h1><p class="tim-deck">{deck}</p>'
        f'<p class="tim-first-lead">{lead}</p>'
        f'<noscript><p class="tim-first-noscript">{needs}</p></noscript></div>'
    )


def page_title(lang: str) -> str:
    """The document's `<title>` text in `lang`, as Streamlit will set it (unescaped)."""
    return gettext_for(lang, PAGE_TITLE)


def first_screen_html() -> str:
    """What page_document puts right after Streamlit's `<div id="root">`: first-screen.css,
    the script that picks the language (first-screen.js, DEFAULT_LANGUAGE for a browser in
    neither language; the document's title in each language) and removes the screen once
    Streamlit has drawn the title, and the screen in every language in a `<main>` (the
    page's landmark until Streamlit's own; the root under it is inert) (text, HTML)."""
    css = (STATIC / "first-screen.css").read_text(encoding="utf-8")
    script = (STATIC / "first-screen.js").read_text(encoding="utf-8")
    screens = "".join(first_screen(lang) for lang in LANGUAGES)
    titles = "".join(f' data-title-{lang}="{escape_text(page_title(lang))}"' for lang in LANGUAGES)
    return (
        f"<style>{css}</style>"
        f'<script data-default="{DEFAULT_LANGUAGE}" data-screen="{FIRST_SCREEN_ID}"{titles}>'
        f"{script}</script>"
        f'<main id="{FIRST_SCREEN_ID}">{screens}</main>'
    )
