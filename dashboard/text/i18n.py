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
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path

from babel import dates, lists, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


@dataclass(frozen=True)
class Language:
    """One language of the page, the CLI, the map and the data: its registry entry.

    Adding a language is a catalogue (dashboard/locale/<code>/LC_MESSAGES/messages.po),
    an entry here and, where the data has them, its text columns (`summary` + `suffix`).
    """

    code: str  # ISO 639-1: the `?lang=` value, the catalogue's folder
    name: str  # in its own language, for the switch
    cldr: str  # the Babel (Unicode CLDR) locale of its dates, numbers and lists
    js_locale: str  # the BCP 47 tag the map's JavaScript gives Intl.DateTimeFormat
    suffix: str  # its data columns: `summary` + suffix; "" for the source language


# In the order of the page's switch. English is the source language: message ids and the
# data's unsuffixed columns (`summary`, `place`, `reason`) are English.
REGISTRY: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("es", "Español", "es_MX", "es-MX", "_es"),
        Language("en", "English", "en_GB", "en-GB", ""),
    )
}
LANGUAGES = tuple(REGISTRY)
DEFAULT_LANGUAGE = "en"
SOURCE_LANGUAGE = "en"
LANGUAGE_NAMES = {code: lang.name for code, lang in REGISTRY.items()}  # each in its own
LOCALES = {code: lang.cldr for code, lang in REGISTRY.items()}  # CLDR: dates, numbers, lists
JS_LOCALES = {code: lang.js_locale for code, lang in REGISTRY.items()}
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


def NC_(context: str, message: str) -> str:  # noqa: N802 (as N_)
    """Mark `message` for the catalogue in a `context` (a msgctxt) without translating it:
    for a name that needs its own translation beside the same English text elsewhere
    (ACLED's sub-event "Armed clash" beside our event type "Armed clash"). Translated
    where shown, with `pgettext_for(lang, context, message)`."""
    return message


def pgettext_for(lang: str, context: str, message: str) -> str:
    """`message` in `context` (marked with `NC_`) in `lang`; the message itself when the
    catalogue lacks it."""
    return translation(lang).pgettext(context, message)


def normalise_language(value: object) -> str | None:
    """`"es"`/`"en"` for a `?lang=` value (any case, surrounding spaces), else None.

    Only the two bare codes are accepted in links, so a link names one language exactly.
    """
    if value is None:
        return None
    text = str(value).strip().lower()
    return text if text in LANGUAGES else None


def language_of_locale(browser_locale: str | None) -> str:
    """The page language for a browser's BCP 47 tag or a POSIX locale: the registry's
    language of its primary subtag (`es`, `es-MX`, `es-419`, `es_ES.UTF-8` are Spanish),
    else DEFAULT_LANGUAGE (for anything else or nothing)."""
    tag = (browser_locale or "").strip().lower().replace("_", "-")
    primary = tag.split("-", 1)[0].split(".", 1)[0]
    return primary if primary in REGISTRY else DEFAULT_LANGUAGE


def columns_for(field: str, lang: str) -> list[str]:
    """The data columns that give `field` to a reader of `lang`, in order of preference:
    its own (`summary_es` for Spanish), then the source language's (`summary`), then the
    other languages'. A reader gets the first non-empty one."""
    order = [lang, SOURCE_LANGUAGE, *(c for c in REGISTRY if c not in (lang, SOURCE_LANGUAGE))]
    return [field + REGISTRY[c].suffix for c in dict.fromkeys(order) if c in REGISTRY]


def text_for(values: dict[str, object], field: str, lang: str) -> str:
    """`field` in `lang` from one record's `values` (a mapping of column -> value, e.g. a
    row's dict): the first non-empty text of columns_for; missing, None and NaN are empty."""
    for column in columns_for(field, lang):
        value = values.get(column)
        if isinstance(value, str) and value:
            return value
    return ""


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
