"""The language of a view: Spanish (Mexico) or English; its messages, dates and numbers.

Messages are GNU gettext catalogues read by the standard library's `gettext`:
`dashboard/locale/<lang>/LC_MESSAGES/messages.po`, kept in the repository and managed with
Babel (`pybabel extract/update`, see the README). The compiled `.mo` is built at install
time (`setup.py`); where it is missing or older than its `.po` (a fresh clone, an editable
install, a `.po` just edited) the catalogue is compiled in memory from the `.po` with
Babel, so every way of running the code sees the same messages.

English is the source language: message ids are the English text, so an English
catalogue only needs entries where the English wording changes. Dates, times, numbers and
lists are formatted by Babel from the Unicode CLDR data for Mexican Spanish (`es_MX`) and
British English (`en_GB`, the spelling this project writes).

Pure core: never imports Streamlit. Callers pass the language as a string.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path

from babel import dates, lists, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("es", "en")  # the order of the page's switch
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"es": "Español", "en": "English"}  # each in its own language
LOCALES = {"es": "es_MX", "en": "en_GB"}  # CLDR locales for dates, numbers, lists
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# "dom 22 feb, 14:00" / "Sun 22 Feb, 14:00" (CLDR date pattern letters)
SHORT_DATETIME = "EEE d MMM, HH:mm"
# "dom 22 feb 2026, 14:00" / "Sun 22 Feb 2026, 14:00"
DATETIME_WITH_YEAR = "EEE d MMM y, HH:mm"
DAY_MONTH = "d MMM"  # "22 feb" / "22 Feb"


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Mark `message` for the catalogue without translating it here.

    For module-level labels (event types, precisions, credit lines): the English text is
    the message id; it is translated where it is shown, with `gettext(lang, message)`.
    """
    return message


def normalise_language(value: object) -> str | None:
    """`"es"`/`"en"` for a `?lang=` value (any case, surrounding spaces), else None.

    Only the two bare codes are accepted in links, so a link names one language exactly.
    """
    if value is None:
        return None
    text = str(value).strip().lower()
    return text if text in LANGUAGES else None


def language_of_locale(browser_locale: str | None) -> str:
    """The page language for a browser's BCP 47 tag: Spanish for `es` and any `es-*`
    (es-MX, es-419, es_ES...), English for anything else or nothing."""
    tag = (browser_locale or "").strip().lower().replace("_", "-")
    return "es" if tag == "es" or tag.startswith("es-") else DEFAULT_LANGUAGE


def choose_language(requested: str | None, browser_locale: str | None) -> str:
    """The language of a view: a valid `?lang=` wins, else the browser's locale.

    requested: the link's `lang` parameter, as given (None when absent).
    browser_locale: what the browser reports (`navigator.language`, e.g. "es-MX"), or None.
    Returns "es" or "en"; never raises.
    """
    return normalise_language(requested) or language_of_locale(browser_locale)


def _catalogue_paths(lang: str) -> tuple[Path, Path]:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    return po, po.with_suffix(".mo")


def compile_catalogue(po_path: Path) -> bytes:
    """The `.mo` bytes for a `.po` file (fuzzy entries left out, as `msgfmt` does).

    Raises OSError if the file cannot be read; Babel's parser is lenient about the rest.
    """
    with po_path.open("rb") as handle:
        catalogue = read_po(handle, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    return buffer.getvalue()


@cache
def translation(lang: str) -> gettext.NullTranslations:
    """The stdlib translations object for "es" or "en" (`.gettext`, `.ngettext`).

    Reads the compiled `.mo` when it is at least as new as its `.po`, else compiles the
    `.po` in memory. A language without a catalogue (or an unknown one) gets the message
    ids, i.e. English, with English plural rules.
    """
    po, mo = _catalogue_paths(lang)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po.is_file():
        return gettext.GNUTranslations(io.BytesIO(compile_catalogue(po)))
    return gettext.NullTranslations()


def gettext_for(lang: str, message: str) -> str:
    """`message` (an English message id, e.g. one marked with `N_`) in `lang`."""
    return translation(lang).gettext(message)


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, LOCALES[DEFAULT_LANGUAGE])


def format_datetime(moment: datetime, lang: str, pattern: str = SHORT_DATETIME) -> str:
    """`moment` on its own clock (convert it first), e.g. "dom 22 feb, 14:00".

    moment: a timezone-aware datetime; pattern: CLDR pattern letters (see babel.dates).
    """
    # Equal instants on different clocks compare (and hash) equal: the clock is part of
    # the cache key.
    return _format_datetime(moment, moment.tzinfo, lang, pattern)


@lru_cache(maxsize=8192)  # the same hours recur on every rerun; Babel takes ~0.1 ms each
def _format_datetime(moment: datetime, clock, lang: str, pattern: str) -> str:
    return dates.format_datetime(moment, pattern, tzinfo=clock, locale=locale_of(lang))


@lru_cache(maxsize=8192)
def format_number(value: float, lang: str) -> str:
    """A count or figure with the locale's separators: 12,345 (both es_MX and en_GB
    group with commas; Mexican Spanish writes 7.2 with a decimal point)."""
    return numbers.format_decimal(value, locale=locale_of(lang))


def format_list(items: Iterable[str], lang: str) -> str:
    """ "a, b and c" / "a, b y c"; an empty iterable gives ""."""
    items = list(items)
    return lists.format_list(items, locale=locale_of(lang)) if items else ""
