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


# Markdown, as Streamlit renders it (react-markdown with GFM, math, directives, emoji and
# Material-icon shortcodes), reads structure in two places:
# 1. The parser: inline syntax anywhere (links, images, emphasis, code, HTML, tables, math
#    `$`, directives `:red[..]`), and block syntax at the start of a line (`#`, `>`, `-`,
#    `+`, `=`, `1.`). Line breaks become spaces, so a value starts one line at most; its
#    first character, and a "." or ")" after leading digits, are written as character
#    references, which CommonMark never reads as syntax (spec 2.5, 6.2); so are the inline
#    characters everywhere, and all that HTML needs (the same text is safe in HTML and JS
#    template literals, as escape_text's).
# 2. Transforms of the parsed text, after references are decoded: GFM's autolink literals
#    ("https://", "www.", "name@host") and the `:smile:` / `:material/icon:` shortcodes. A
#    word joiner (U+2060, invisible, no break) after a ":" that starts "//", ":word:" or
#    ":word[", after "@" before a non-space, and between "www" and ".", leaves no text
#    those patterns match ("20:00" stays as it is).
_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_INLINE = "&<>\"'\\`*_{}[]()#!|~$"
_MARKDOWN = str.maketrans({c: f"&#{ord(c)};" for c in _INLINE})
WORD_JOINER = "\u2060"
_SHAPES = re.compile(r"(?i):(?=//|[\w+/-]+[:\[])|@(?=\S)|\bwww(?=\.)")
_LEADING = re.compile(r"^(\d+)([.)])")
_LINE_START = tuple("\t #>-+=*_~`:|[!<")


def escape_markdown(value: object) -> str:
    """`value` as literal text in any Streamlit Markdown element (st.markdown, st.warning,
    captions, labels) and in HTML: no link, image, emphasis, heading, list, quote, code,
    table, math, colour, icon or emoji comes of it, and no bare address is autolinked.

    Line breaks (CR, LF, VT, FF, U+0085, U+2028, U+2029) become spaces; see _INLINE,
    _SHAPES and _LEADING for what is written as references or gets a word joiner. None
    gives "". Raises nothing."""
    if value is None:
        return ""
    text = _BREAKS.sub(" ", str(value))
    text = _SHAPES.sub(lambda m: m.group(0) + WORD_JOINER, text)
    digits = _LEADING.match(text)
    if digits:  # "1." or "1)": an ordered list's marker
        head, text = digits.group(1) + _reference(digits.group(2)), text[digits.end() :]
    elif text[:1] in _LINE_START:  # "#", ">", "-", "+", "=", "*", indentation...
        head, text = _reference(text[0]), text[1:]
    else:
        head = ""
    return head + text.translate(_MARKDOWN)


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


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
