"""The one way data-derived text reaches the page.

Leaflet renders popup, tooltip and layer-control strings as HTML, and folium writes some
strings into JavaScript template literals, so text is HTML-escaped and `$`, backtick and
backslash are turned into entities too. Only http(s) URLs ever become links.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

# Braces too: folium/branca pass rendered scripts through Jinja again, so "{{" in data
# must never reach it as template syntax.
_EXTRA = str.maketrans({"$": "&#36;", "`": "&#96;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def escape_text(value: object) -> str:
    """Safe inside HTML, attributes and JS template literals."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_EXTRA)


# Characters that make Markdown links, emphasis and tables, and those GFM's autolinks
# look for in the raw text ("https://", "www.", "name@host": a bare address would become
# a live link, the entities after it shown raw); none occurs in the entities escape_text
# writes, so translating after it is safe.
_MARKDOWN = str.maketrans({c: f"&#{ord(c)};" for c in "[]()*_~|!@"})
_AUTOLINK = re.compile(r"(?i)(?<=\w)(:)(?=//)|(?<=\bwww)(\.)")


def escape_markdown(value: object) -> str:
    """For st.markdown: HTML-escaped, and Markdown syntax ([text](url), emphasis) inert."""
    text = escape_text(value).translate(_MARKDOWN)
    return _AUTOLINK.sub(lambda m: f"&#{ord(m.group(0))};", text)


def link(url: str, label: str) -> str:
    """An escaped link for http(s) URLs; anything else is shown as plain escaped text.

    The label is Markdown-escaped as well: st.markdown parses the text between <a> and
    </a> as Markdown, so a label "[x](https://elsewhere)" would be a second link (the
    entities read the same in HTML, for Leaflet's popups)."""
    if not is_http_url(url):
        return escape_markdown(label or url)
    return (
        f'<a href="{escape_text(url.strip())}" target="_blank" '
        f'rel="noopener noreferrer">{escape_markdown(label)}</a>'
    )


def script_json(value: object) -> str:
    """JSON that is safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--")


def defuse(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with "'"; others as is.

    Formula starts: FORMULA_START, also after byte-order marks (U+FEFF, which some
    spreadsheets drop before reading the cell). A leading apostrophe is escaped too, so
    reading undoes exactly this (dashboard/ingest/read.py, DEFUSED).
    """
    if isinstance(value, str) and (
        value.startswith("'") or value.lstrip(BOM).startswith(FORMULA_START)
    ):
        return "'" + value
    return value


# Spreadsheets run cells that start with these as formulas (CSV injection, OWASP), the
# full-width forms too (＝ ＋ － ＠: an East Asian input method types them, and spreadsheets
# fold them to ASCII when they read a formula).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BOM = "\ufeff"
# What `defuse` added, as an RE2 pattern (pyarrow.compute) whose group 1 is the value as
# it was: an apostrophe before an apostrophe, or before byte-order marks then a formula
# start. Reading a CSV removes exactly that apostrophe and nothing else (a file's own
# "'x" or "'\ufeffx" keeps it).
_STARTS = "".join(f"\\x{{{ord(c):04X}}}" for c in FORMULA_START)
DEFUSED = rf"^'('|(?:\x{{FEFF}})*[{_STARTS}])"


def is_http_url(value: str) -> bool:
    """Only http(s) URLs with a host become links; javascript:, data: etc. never do."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value.strip()
