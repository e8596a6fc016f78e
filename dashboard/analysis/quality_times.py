"""How well a record's time is known: the `unnamed_part_of_day` check (a part of the day
the text names but `part_of_day` lacks) and the table of records known only to the day,
week, month or state (`imprecise`).
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.analysis.quality_findings import Finding, cell_text, rows_of, text_column
from dashboard.text.message import msg

# The parts of the day a text can name, English and Mexican newsroom Spanish.
PART_OF_DAY_WORDS = re.compile(
    r"\b(early\s+hours|small\s+hours|overnight|dawn|daybreak|morning|midday|noon|afternoon|"
    r"evening|night|madrugada|amanecer|mañana|mediodía|tarde|noche)\b",
    re.IGNORECASE,
)
# Phrases that name a part of the day without dating the event by it.
NOT_THE_EVENT = re.compile(
    r"\b(morning\s+(press\s+)?(conference|briefing)|night\s+curfew|mañanera|"
    r"good\s+morning|buenas\s+(tardes|noches))\b",
    re.IGNORECASE,
)


def named_part_of_day(text: str) -> str | None:
    """The first part of the day a text names (e.g. "evening", "madrugada"), or None."""
    for match in PART_OF_DAY_WORDS.finditer(NOT_THE_EVENT.sub(" ", text)):
        return match.group(1)
    return None


def unnamed_part_of_day(frame: pd.DataFrame) -> list[Finding]:
    """`part_of_day`-precision records with an empty `part_of_day` whose summary or notes
    name a part of the day: the time is known better than the record says."""
    findings = []
    unnamed = frame[
        (frame["time_precision"] == "part_of_day") & (text_column(frame, "part_of_day") == "")
    ]
    for row in rows_of(unnamed, ("incident_id", "summary", "notes")):
        for field in ("summary", "notes"):
            word = named_part_of_day(cell_text(getattr(row, field)))
            if word:
                detail = msg(
                    "the {field} names the part of the day ({word!r}) but part_of_day is empty",
                    field=field,
                    word=word,
                )
                findings.append(
                    Finding(
                        "unnamed_part_of_day",
                        (row.incident_id,),
                        "part_of_day",
                        "",
                        str(detail),
                        detail,
                    )
                )
                break
    return findings


# Time precisions coarser than a part of the day (ACLED's week and month included).
COARSE_TIME = {
    "day": msg("time known only to the day"),
    "week": msg("time known only to the week"),
    "month": msg("time known only to the month"),
}


def imprecise_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Records known only to the day, week or month (or an unnamed part of a day), or only
    to the state; `detail` in `lang`."""
    columns = ["incident_id", "time_precision", "part_of_day", "geo_precision", "detail"]
    unnamed = (frame["time_precision"] == "part_of_day") & (text_column(frame, "part_of_day") == "")
    coarse = frame["time_precision"].isin(list(COARSE_TIME)) | unnamed
    state = frame["geo_precision"] == 3
    rows = []
    for row, is_coarse, is_state in zip(
        rows_of(frame, ("incident_id", "time_precision", "part_of_day", "geo_precision")),
        coarse.tolist(),
        state.tolist(),
        strict=True,
    ):
        if not (is_coarse or is_state):
            continue
        span = COARSE_TIME.get(row.time_precision, COARSE_TIME["day"])
        parts = ([span.text(lang)] if is_coarse else []) + (
            [msg("place known only to the state").text(lang)] if is_state else []
        )
        rows.append(
            {
                "incident_id": row.incident_id,
                "time_precision": row.time_precision,
                "part_of_day": cell_text(row.part_of_day),
                "geo_precision": int(row.geo_precision),
                "detail": "; ".join(parts),
            }
        )
    return pd.DataFrame(rows, columns=columns)
