"""Link values and parameter names in a real browser: each shows as literal text in the
page's own notices (st.warning, the embed's notice), never as a link, heading, list,
quote, image, emphasis, colour, icon, emoji or math (dashboard/text/escape.py,
escape_markdown). Streamlit's renderer autolinks and expands shortcodes after decoding
character references, which only a browser shows."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.conftest import wait_for_app_run

pytestmark = pytest.mark.browser

# (link parameter or name, value): the probe of issue 25, and the rest of each element kind
PAYLOADS = [
    ("zoom", "[Official: verify here](https://evil.example/zoomlink)"),
    ("www.evil.example/www a@evil.example", "1"),
    ("**BOLDNAME** _EMNAME_ ~~DELNAME~~ `CODENAME` <b>HTMLB</b>", "1"),
    ("states", "x\n# HEADSTATES"),
    ("to", "BOLDTO\n===\n\n- LISTTO\n> QUOTETO\n1. OLTO"),
    ("lang", ":red[REDLANG] :material/warning: :smile: $x^2$"),
    ("from", "![IMGFROM](https://evil.example/pixel) | TBL |\n|---|"),
    ("[NAMELINK](https://evil.example/namelink)", "1"),
    ("x\n# HEADNAME", "1"),
    ("https://evil.example/namebare", "1"),
]

# Everything a notice must not hold, as (what, CSS selector)
FORBIDDEN = [
    ("link", "a"),
    ("image", "img"),
    ("heading", "h1,h2,h3,h4,h5,h6"),
    ("list", "li,ul,ol"),
    ("quote", "blockquote"),
    ("emphasis", "strong,b,em,i,del,s"),
    ("code", "code"),
    ("table", "table"),
    ("math", ".katex,math"),
    ("colour", "[class*=ColoredText],span[style*=color]"),
    ("icon", "[data-testid=stIconMaterial]"),
]

SCAN = """(forbidden) => [...document.querySelectorAll("[data-testid=stAlert]")].map(alert => ({
  text: alert.innerText,
  found: forbidden.filter(([, css]) => alert.querySelector(
    `[data-testid=stMarkdownContainer] :is(${css})`)).map(([what]) => what),
}))"""


def notices(page, url: str) -> list[dict]:
    page.goto(url)
    page.wait_for_selector("[data-testid=stAlert]", timeout=60_000)
    wait_for_app_run(page, timeout=60_000)
    return page.evaluate(SCAN, FORBIDDEN)


@pytest.mark.parametrize("embed", [False, True], ids=["page", "embed"])
def test_link_values_are_text_in_notices(page, server, embed):
    query = ([("embed", "true")] if embed else []) + PAYLOADS
    found = notices(page, f"{server}/?{urlencode(query)}")
    text = " ".join(alert["text"] for alert in found)
    assert [a["found"] for a in found if a["found"]] == []
    # shown as typed (a word joiner may sit after ":" and "@"), nothing expanded
    plain = text.replace("\u2060", "")
    for literal in (
        "[Official: verify here](https://evil.example/zoomlink)",
        "# HEADSTATES",
        "**BOLDNAME**",
        "`CODENAME`",
        "<b>HTMLB</b>",
        ":red[REDLANG]",
        ":material/warning:",
        "$x^2$",
        "![IMGFROM]",
        "a@evil.example",
        "www.evil.example",
    ):
        assert literal in plain, plain
    assert "\U0001f604" not in text  # :smile: stays a word


def test_the_share_panels_address_warning_has_no_link(page, server):
    """The internal-address warning shows the app's own address (http://127.0.0.1:PORT/)
    as text: Streamlit's renderer autolinked it before (issue 25's probe)."""
    page.goto(f"{server}/?lang=en")
    wait_for_app_run(page, timeout=60_000)
    page.get_by_text("Share, embed or download this view").click()
    warning = page.locator("[data-testid=stAlert]", has_text="readers of an article cannot reach")
    warning.wait_for(timeout=30_000)
    assert server.removeprefix("http://") in warning.inner_text().replace("\u2060", "")
    links = warning.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert not [href for href in links if "127.0.0.1" in href], links
