"""The live page's first screen in its document (dashboard/render/firstscreen.py, put in
Streamlit's root by deploy/serve.py page_document): the page's own title, deck and lead
paragraph in each language, escaped; the language the page itself would choose (a
browser test of first-screen.js); and none in an embed."""

from __future__ import annotations

import re

import pytest

from dashboard.render.captions import deck_text
from dashboard.render.firstscreen import (
    FIRST_SCREEN_ID,
    LEAD,
    NEEDS_JAVASCRIPT,
    TITLE,
    first_screen,
    first_screen_html,
    page_title,
)
from dashboard.text.escape import escape_text
from dashboard.text.i18n import LANGUAGES, gettext_for
from tests.test_deploy import load_serve


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_the_pages_own_title_deck_and_lead(lang):
    html = first_screen(lang)
    for text in (gettext_for(lang, TITLE), deck_text(lang), gettext_for(lang, LEAD)):
        assert escape_text(text) in html
    assert html.startswith(f'<div lang="{lang}"><h1>')
    assert '"' not in re.sub(r"<[^>]*>", "", html)  # the lead's quotes arrive escaped


def test_spanish_is_translated():
    assert first_screen("es") != first_screen("en")
    assert "Reportado" in first_screen("es") or "reportado" in first_screen("es")


def test_the_document_holds_the_screen_beside_its_root(tmp_path):
    """Beside the root, not in it: React empties the root when it draws its shell."""
    serve = load_serve()
    document = serve.page_document(serve.APP, tmp_path).read_text(encoding="utf-8")
    after = document.split('<div id="root"></div>', 1)[1]
    assert after.startswith(first_screen_html())
    assert document.count(f'id="{FIRST_SCREEN_ID}"') == 1
    assert document.index("tapalpa-page-css") < document.index('<div id="root">')
    # Spanish until the script chooses: not Streamlit's "Streamlit" and lang="en".
    assert '<html lang="es">' in document
    assert f"<title>{escape_text(page_title('es'))}</title>" in document
    assert "<title>Streamlit</title>" not in document


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_says_the_map_needs_javascript(lang):
    needs = escape_text(gettext_for(lang, NEEDS_JAVASCRIPT))
    assert f'<noscript><p class="tim-first-noscript">{needs}</p></noscript>' in first_screen(lang)
    assert needs != escape_text(gettext_for("en", NEEDS_JAVASCRIPT)) or lang == "en"


def test_another_app_gets_no_document(tmp_path):
    assert load_serve().page_document(tmp_path / "other.py", tmp_path) is None


# (query, browser language) -> the screen shown: the page's choice (i18n.choose_language).
CHOICES = [
    ("", "en-US", "en"),
    ("", "es-MX", "es"),
    ("", "fr-FR", "en"),  # neither: the default
    ("?lang=es", "en-US", "es"),
    ("?lang=EN", "es-MX", "en"),
    ("?lang=fr", "es-MX", "es"),  # not a language of the page: the browser's
    ("?embed=true", "es-MX", None),  # an embed has no title
    ("?embed=true&lang=en", "en-US", None),
]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "locale", "shown"), CHOICES)
def test_the_screen_in_the_language_the_page_will_choose(browser, tmp_path, query, locale, shown):
    path = tmp_path / "index.html"
    path.write_text(
        f'<!DOCTYPE html><html><head></head><body><div id="root"></div>{first_screen_html()}'
        "</body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(locale=locale)
    try:
        page = context.new_page()
        page.goto(path.as_uri() + query)
        visible = [
            lang
            for lang in LANGUAGES
            if page.locator(f"#{FIRST_SCREEN_ID} > [lang={lang}] h1").is_visible()
        ]
        assert visible == ([shown] if shown else [])
        if shown:
            assert page.evaluate("document.documentElement.lang") == shown
            assert page.title() == page_title(shown)
    finally:
        context.close()


def write_document(tmp_path):
    path = tmp_path / "index.html"
    path.write_text(
        f'<!DOCTYPE html><html lang="es"><head></head><body><div id="root"></div>'
        f"{first_screen_html()}</body></html>",
        encoding="utf-8",
    )
    return path.as_uri()


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
def test_without_javascript_the_spanish_screen_says_the_map_needs_it(browser, tmp_path, locale):
    context = browser.new_context(locale=locale, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(write_document(tmp_path))
        screen = page.locator(f"#{FIRST_SCREEN_ID}")
        assert screen.locator("[lang=es] h1").is_visible()
        assert not screen.locator("[lang=en] h1").is_visible()
        needs = gettext_for("es", NEEDS_JAVASCRIPT)
        assert screen.locator("[lang=es] .tim-first-noscript").inner_text() == needs
    finally:
        context.close()


@pytest.mark.browser
def test_the_screen_is_the_pages_main_landmark_for_axe(browser, tmp_path):
    """Held (no Streamlit): axe's landmark-one-main and region rules pass (both failed)."""
    from tests.test_a11y import axe_violations, describe

    context = browser.new_context(locale="es-MX")
    try:
        page = context.new_page()
        page.goto(write_document(tmp_path))
        found = axe_violations(page)
    finally:
        context.close()
    assert not [v for v in found if v["id"] in ("landmark-one-main", "region")], describe(found)


# The screen stays over an empty or half-drawn root (React's shell), goes once the root
# holds Streamlit's title and the language switch (main), and keys cannot reach the root
# under it.
DRAW_SHELL = "document.getElementById('root').innerHTML = '<div><button>x</button></div>'"
DRAW_TITLE = """document.getElementById('root').innerHTML = '<main data-testid="stMain">'
  + '<div data-testid="stRadio"></div><h1>Title</h1></main>'"""


@pytest.mark.browser
def test_the_screen_stays_until_streamlit_draws_the_title(browser, tmp_path):
    context = browser.new_context(locale="es-MX")
    try:
        page = context.new_page()
        page.goto(write_document(tmp_path))
        screen = page.locator(f"#{FIRST_SCREEN_ID}")
        page.evaluate(DRAW_SHELL)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")
        assert screen.is_visible()
        assert page.evaluate("document.getElementById('root').inert")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") != "BUTTON"
        page.evaluate(DRAW_TITLE)
        screen.wait_for(state="detached", timeout=5_000)
        assert not page.evaluate("document.getElementById('root').inert")
    finally:
        context.close()


def test_the_app_starts_after_the_first_paint(tmp_path):
    serve = load_serve()
    document = serve.page_document(serve.APP, tmp_path).read_text(encoding="utf-8")
    assert serve.ENTRY_SCRIPT.search(document) is None  # not started by the parser
    (src,) = re.findall(r'<script data-src="(\./static/js/index\.[\w-]+\.js)">', document)
    assert serve.START_APP_JS.read_text(encoding="utf-8") in document


def test_an_unknown_entry_script_is_left_as_it_is():
    serve = load_serve()
    html = '<head><script type="module" src="./app.js"></script></head>'
    assert serve.start_after_first_paint(html) == html
