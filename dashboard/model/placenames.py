"""Place names in two languages: which names are English descriptions, and which form a
reader of each language sees.

A place (`locations.geojson`'s `place`, or a user's row) is either a proper noun that
reads the same in both languages ("Tapalpa", "Col. Venecia", "Crucero de Melaque") or a
description written in English by the compiler ("Toll booth near the Río San Juan bridge",
"Puerto Vallarta International Airport"). A description has a Spanish form, `place_es`
(geodata/place_es.csv, joined by geodata/build_incidents.py); proper nouns inside it stay
as they are. The bundled data must give `place_es` wherever `place` is a description
(`python -m dashboard validate`, check `spanish_place`); a user's file may give `place`,
`place_es` or both.

Nothing here imports Streamlit.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.text.i18n import columns_for, text_for

# Words that mark a place name as English prose: English function words, and the nouns
# and adjectives the compiler used to describe sites. None of them is also a Spanish word
# used in Mexican place names ("Federal", "Plaza", "Centro", "Norte", "No." are left out
# on purpose). Compared in lower case, as whole words.
_ENGLISH_WORDS = """
    about access administration agency airport along also alert and area areas arch at
    authorities before beside between both booth booths border borders branch branches
    bridge burned bus by bypass cabin cabins car cemetery center centre city closed closure
    community complex conference construction crossing depot directions dirt education
    embassy entrance exact exit facade façade factory fire focus forest forested free front
    fruit further gas given government grocery highway hit house hwy in incl
    intercepted international lights lot main made match morning municipality
    municipalities names national near next north northern not of office offices old on one
    opposite other outlet outside palace paper parking partial patrol per pharmacy pier
    points police port precinct presidential press prison public rear report road roads
    same says security shops shopping shot site south state statement station statewide
    store stores street stretch supermarket surrounding suspended taken tax the to toll
    tow toward towards traffic trailer transport truck trucks turnoff update us
    various vehicles venues west western with women's
"""
ENGLISH_WORDS = frozenset(_ENGLISH_WORDS.split())
# "Colima–Manzanillo autopista": a route named before its noun is English word order
# (Spanish writes "autopista Colima–Manzanillo").
ENGLISH_ORDER = re.compile(r"\S[–-]\S+ (?:autopista|highway|road)\b", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def english_words(place: str) -> list[str]:
    """The words of `place` that mark it as an English description (lower case, sorted,
    each once), plus "autopista" when a route is named before it; [] for a proper noun."""
    found = {w.lower() for w in WORD.findall(place or "") if w.lower() in ENGLISH_WORDS}
    if ENGLISH_ORDER.search(place or ""):
        found.add("autopista")
    return sorted(found)


def is_description(place: str) -> bool:
    """Whether `place` is an English description that needs a Spanish form."""
    return bool(english_words(place))


def place_name(place: str, place_es: str, lang: str) -> str:
    """The name a reader of `lang` ("es" or "en") sees: in Spanish `place_es` where given,
    else `place`; in English `place`, else `place_es` (a user's file with only Spanish)."""
    return text_for({"place": place, "place_es": place_es}, "place", lang)


def place_column(frame: pd.DataFrame, lang: str) -> pd.Series:
    """`place_name` for every row of `frame` (its `place` and, if present, `place_es`
    columns; missing values are empty), as a Series of str on the frame's index."""
    return column_for(frame, "place", lang)


def column_for(frame: pd.DataFrame, field: str, lang: str) -> pd.Series:
    """`field` in `lang` for every row of `frame` (i18n.columns_for: its own column, e.g.
    `summary_es`, where non-empty, else the next), as a Series of str on the frame's
    index; missing columns and values are empty."""
    index = frame.index
    result = pd.Series("", index=index, dtype=object)
    for column in reversed(columns_for(field, lang)):
        text = _text(frame, column, index)
        result = text.where(text != "", result)
    return result


def _text(frame: pd.DataFrame, column: str, index: pd.Index) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=index, dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str)
