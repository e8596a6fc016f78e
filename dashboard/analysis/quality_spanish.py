"""The bundled data's Spanish text: `spanish_text` (an English text with no Spanish
counterpart) and `spanish_place` (a place described in English with no `place_es`).
The bundled data is bilingual; a user's file may be in either language, so these run on
the bundled data only (dashboard/analysis/quality_files.py).
"""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.quality_findings import Finding, text_column
from dashboard.model.placenames import english_words
from dashboard.text.message import msg


def missing_spanish(
    frame: pd.DataFrame, id_column: str, english: str, spanish: str
) -> list[Finding]:
    """Records of the bundled data with English text in `english` but none in `spanish`
    (the bundled data has every summary and key-moment headline in both languages).

    frame: one row per record with `id_column`, `english` and (if present) `spanish`
    columns; a frame without the `spanish` column lacks it on every record.
    """
    findings = []
    for record, text, translated in zip(
        text_column(frame, id_column),
        text_column(frame, english),
        text_column(frame, spanish),
        strict=True,
    ):
        if text.strip() and not translated.strip():
            detail = msg(
                "the {field} has no Spanish text in {spanish}", field=english, spanish=spanish
            )
            findings.append(Finding("spanish_text", (record,), spanish, "", str(detail), detail))
    return findings


def missing_spanish_places(locations: pd.DataFrame) -> list[Finding]:
    """Places of the bundled data whose `place` is an English description
    (dashboard/model/placenames.py: "Toll booth near …", "… International Airport") with no
    Spanish form in `place_es`; a proper noun ("Tapalpa", "Col. Venecia") needs none.

    locations: one row per place with `location_id`, `place` and (if present) `place_es`.
    """
    findings = []
    for record, place, spanish in zip(
        text_column(locations, "location_id"),
        text_column(locations, "place"),
        text_column(locations, "place_es"),
        strict=True,
    ):
        words = english_words(place)
        if words and not spanish.strip():
            detail = msg(
                "the place is an English description ({words}) and has no Spanish form in "
                "{spanish}",
                words=", ".join(words),
                spanish="place_es",
            )
            findings.append(
                Finding("spanish_place", (record,), "place_es", place, str(detail), detail)
            )
    return findings
