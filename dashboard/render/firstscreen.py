"""The live page's first screen in its HTML document: the page's title, deck and lead
paragraph, painted by the browser from the document alone, before any of Streamlit's
scripts has run (deploy/serve.py page_document puts it in Streamlit's `<div id="root">`,
which React empties when it draws the app; Streamlit's own title then follows).

On a phone Streamlit draws nothing until its scripts have loaded and the first run's
elements have arrived (Lighthouse, mobile profile: first paint at 6.6-8 s, the title at
8-10 s); this screen says what the page is about from the first bytes. Both languages
are in the document; first-screen.js (inline, before the screen) picks the one the page
will choose (i18n.choose_language: `?lang=`, else the browser's language) and shows none
in an embed (`?embed=true`), which has no title.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.render.captions import deck_text
from dashboard.text.escape import escape_text
from dashboard.text.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext_for

STATIC = Path(__file__).resolve().parent.parent / "static"
FIRST_SCREEN_ID = "tim-first-screen"
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
    title (h1), the deck (captions.deck_text) and the lead paragraph."""
    title = escape_text(gettext_for(lang, TITLE))
    deck = escape_text(deck_text(lang))
    lead = escape_text(gettext_for(lang, LEAD))
    return (
        f'<div lang="{lang}"><h1>{title}</h1><p class="tim-deck">{deck}</p>'
        f'<p class="tim-first-lead">{lead}</p></div>'
    )


def first_screen_html() -> str:
    """What page_document puts in Streamlit's `<div id="root">`: first-screen.css, the
    script that picks the language (first-screen.js, DEFAULT_LANGUAGE for a browser in
    neither language), and the screen in every language (text, HTML)."""
    css = (STATIC / "first-screen.css").read_text(encoding="utf-8")
    script = (STATIC / "first-screen.js").read_text(encoding="utf-8")
    screens = "".join(first_screen(lang) for lang in LANGUAGES)
    return (
        f"<style>{css}</style>"
        f'<script data-default="{DEFAULT_LANGUAGE}">{script}</script>'
        f'<div id="{FIRST_SCREEN_ID}">{screens}</div>'
    )
