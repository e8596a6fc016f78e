"""How well a record's time is known: the `unnamed_part_of_day` check (a part of the day
the text names but `part_of_day` lacks), the `unstated_time` check (a time of day or a day
the text names that the fields do not carry) and the table of records known only to the
day, week, month or state (`imprecise`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.analysis.quality_findings import (
    Finding,
    arrow_column,
    arrow_notes_without_caveats,
    cell_text,
    may_match,
    rows_of,
    text_column,
)
from dashboard.model.schema import PART_OF_DAY_SPANS
from dashboard.text.message import msg

# The parts of the day a text can name, English and Mexican newsroom Spanish.
PART_OF_DAY_WORDS = re.compile(
    r"\b(early\s+morning|early\s+hours|small\s+hours|overnight|dawn|daybreak|morning|midday|noon|afternoon|"
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
    unnamed = pc.equal(arrow_column(frame, "time_precision"), "part_of_day").to_numpy(
        zero_copy_only=False
    ) & pc.equal(arrow_column(frame, "part_of_day"), "").to_numpy(zero_copy_only=False)
    for row in rows_of(frame, ("incident_id", "summary", "notes"), unnamed):
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


# ------------------------------------------------------------------ unstated_time

# The part of the day each word names (PART_OF_DAY_SPANS keys): a record's fields carry
# a word when its span overlaps one of these.
WORD_PARTS: dict[str, tuple[str, ...]] = {
    "early morning": ("early_morning",),
    "early hours": ("early_morning",),
    "small hours": ("early_morning",),
    "overnight": ("night", "early_morning"),
    "dawn": ("early_morning",),
    "daybreak": ("early_morning",),
    "madrugada": ("early_morning",),
    "amanecer": ("early_morning",),
    "morning": ("morning",),
    "mañana": ("morning",),
    "midday": ("midday",),
    "noon": ("midday",),
    "mediodía": ("midday",),
    "afternoon": ("afternoon",),
    "tarde": ("afternoon",),
    "evening": ("evening",),
    "night": ("night",),
    "noche": ("night",),
}
# A clock time: 24-hour "08:20" (also "~08:20") or 12-hour "9 am", "9:30 p.m.".
CLOCK = re.compile(
    r"(?<![\d:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])(?!\s*[ap]\.?m\b)|"
    r"\b(?P<h12>1[0-2]|0?[1-9])(?::(?P<m12>[0-5]\d))?\s*(?P<ap>a|p)\.?m\b\.?",
    re.IGNORECASE,
)
# Words near a time that make it the time of a report, an update or a scheduled event,
# not of the record's event ("report published 13:17", "update at 16:00", "(20:00) concert").
REPORT_CONTEXT = re.compile(
    r"\b(report\w*|publish\w*|publication|posted|update[sd]?|tally|announc\w*|live\s+blog|"
    r"communiqu\w*|comunicado|mañanera|press\s+conference|conferencia|briefing|statement|"
    r"concert|concierto|match|partido|game)\b",
    re.IGNORECASE,
)
_NEAR = 40  # characters either side of a time in which REPORT_CONTEXT discounts it
_MONTHS = {"feb": 2, "february": 2, "febrero": 2, "mar": 3, "march": 3, "marzo": 3}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WORD = "|".join(w.replace(" ", r"\s+") for w in sorted(WORD_PARTS, key=len, reverse=True))
# A day named beside a part of the day ("23 Feb morning", "morning of 23 Feb", "evening
# 23 Feb", "night 22/early 23 Feb"): the text dates the event by it.
DAY_AND_PART = re.compile(
    rf"\b(?:{_WORD})\s+(?:of\s+|del\s+|de\s+)?(?:\w+\s+)?(?P<a>[1-3]?\d)\s+(?:de\s+)?(?P<ma>{_MONTH})\b|"
    rf"\b(?P<b>[1-3]?\d)\s+(?:de\s+)?(?P<mb>{_MONTH})\.?,?\s+(?:in\s+the\s+|por\s+la\s+)?(?:{_WORD})\b",
    re.IGNORECASE,
)


# What every CLOCK, PART_OF_DAY_WORDS, NOT_THE_EVENT and DAY_AND_PART match contains (a
# part-of-day word, "d:d", or a digit before am/pm), without word bounds: a text with
# none of it names no time, so named_times and _other_day skip it with one search (a
# country file's notes rarely name one; a per-row regex pass was most of its check).
_TIME_WORDS = tuple(
    sorted(
        {part for key in WORD_PARTS for part in key.split()}
        | {"morning", "hours", "overnight", "dawn", "daybreak", "midday", "noon", "afternoon"}
        | {"evening", "night", "madrugada", "amanecer", "mañana", "mediodía", "tarde", "noche"}
        | {"curfew", "mañanera"}
    )
)
_CLOCKISH = re.compile(r"\d:\d|\d\s*[ap]\.?m", re.IGNORECASE)


def _may_name_time(text: str) -> bool:
    """False only for a text that names no time (see _TIME_WORDS); casefold() as re's
    IGNORECASE folds ("MAÑANA", long s)."""
    folded = text.casefold()
    return any(word in folded for word in _TIME_WORDS) or bool(_CLOCKISH.search(text))


_WORD_LETTERS = set("".join(_TIME_WORDS))
_BOTH_CASES = _WORD_LETTERS | {c.upper() for c in _WORD_LETTERS if len(c.upper()) == 1}
# Characters other than a word letter's two cases whose casefold() gives a word letter
# ("ß" -> "ss", the "ﬅ" ligature -> "st", "İ" -> "i̇", the Kelvin sign -> "k"); all lie
# in the Basic Multilingual Plane.
_ODD_FOLDS = "".join(
    c
    for c in map(chr, range(0x80, 0x10000))
    if c not in _BOTH_CASES and set(c.casefold()) & _WORD_LETTERS
)


def _either_case(word: str) -> str:
    return "".join(
        f"[{re.escape(c)}{re.escape(c.upper())}]"
        if c.upper() != c and len(c.upper()) == 1
        else re.escape(c)
        for c in word
    )


# _may_name_time for `may_match` on the texts as written (RE2): each word in either case
# of each letter, any character that casefolds oddly, \\p{Nd} for \\d, \\W covering \\s
# (casefolding does not change digits, spaces or ":").
_MAY_NAME_TIME = "|".join(
    [
        *(_either_case(word) for word in _TIME_WORDS),
        f"[{re.escape(_ODD_FOLDS)}]",
        r"\p{Nd}:\p{Nd}",
        r"\p{Nd}\W*[aApP]\.?[mM]",
    ]
)


def may_name_times(texts: pd.Series | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """True for every text (a Series of str, or Arrow strings) that `_may_name_time`
    finds may name a time, in one vectorised pass (a few more: any with a character that
    casefolds oddly)."""
    return may_match(texts, _MAY_NAME_TIME)


def _minutes(span: str) -> tuple[int, int]:
    lo, hi = PART_OF_DAY_SPANS[span]
    return lo.hour * 60 + lo.minute, 24 * 60 if hi is None else hi.hour * 60 + hi.minute


def _in_report_context(text: str, start: int, end: int) -> bool:
    return bool(REPORT_CONTEXT.search(text[max(0, start - _NEAR) : end + _NEAR]))


def named_times(text: str) -> list[tuple[str, int | None, tuple[str, ...]]]:
    """The parts of the day and clock times a text names for its event, as (phrase,
    minute of the day or None, parts of the day or ()), in order; times and words in a
    report's context (`REPORT_CONTEXT`) and phrases such as "morning press conference"
    (`NOT_THE_EVENT`) are left out."""
    if not _may_name_time(text):
        return []
    original, text = text, NOT_THE_EVENT.sub(lambda m: " " * len(m.group(0)), text)
    found = []
    for match in CLOCK.finditer(text):
        if _in_report_context(original, match.start(), match.end()):
            continue
        if match.group("h") is not None:
            minute = int(match.group("h")) * 60 + int(match.group("m"))
        else:
            hour = int(match.group("h12")) % 12 + (12 if match.group("ap").lower() == "p" else 0)
            minute = hour * 60 + int(match.group("m12") or 0)
        found.append((match.start(), match.group(0), minute, ()))
    for match in PART_OF_DAY_WORDS.finditer(text):
        if _in_report_context(original, match.start(), match.end()):
            continue
        word = re.sub(r"\s+", " ", match.group(1).lower())
        found.append((match.start(), match.group(1), None, WORD_PARTS.get(word, ())))
    return [(phrase, minute, parts) for _, phrase, minute, parts in sorted(found)]


def _uncarried(row, phrase: str, minute: int | None, parts: tuple[str, ...]) -> bool:
    """Whether the record's fields fail to carry a named time or part of the day."""
    precision, part = row.time_precision, cell_text(row.part_of_day)
    end = getattr(row, "end", None)
    has_end = end is not None and not pd.isna(end)
    if (
        minute is not None
        and has_end
        and minute == pd.Timestamp(end).hour * 60 + pd.Timestamp(end).minute
    ):
        return False  # the record's end
    if precision in ("minute", "hour"):
        if minute is not None:
            return False  # another clock time: a disagreement or a later status, not this
        start = pd.Timestamp(row.start)
        lo = start.hour * 60 + start.minute
        hi = lo + 60
        if end is not None and not pd.isna(end) and pd.Timestamp(end).date() == start.date():
            hi = max(hi, pd.Timestamp(end).hour * 60 + pd.Timestamp(end).minute)
        return not any(_minutes(p)[0] < hi and lo < _minutes(p)[1] for p in parts)
    if precision == "part_of_day" and part in PART_OF_DAY_SPANS:
        lo, hi = _minutes(part)
        if minute is not None:
            return not lo <= minute < hi
        return not any(_minutes(p)[0] < hi and lo < _minutes(p)[1] for p in parts)
    if precision == "part_of_day":  # unnamed: its words are `unnamed_part_of_day`'s
        return minute is not None
    return True  # day, week, month: no time of day at all


def _other_day(row, text: str) -> str | None:
    if not _may_name_time(text):
        return None
    start = pd.Timestamp(row.start)
    for match in DAY_AND_PART.finditer(text):
        if _in_report_context(text, match.start(), match.end()):
            continue
        day = int(match.group("a") or match.group("b"))
        month = _MONTHS[(match.group("ma") or match.group("mb")).lower()]
        if (month, day) != (start.month, start.day):
            return match.group(0)
    return None


def _time_finding(row, field: str, text: str) -> Finding | None:
    for phrase, minute, parts in named_times(text):
        if _uncarried(row, phrase, minute, parts):
            detail = msg(
                "the {field} field names a time of day ({phrase!r}) that time_precision "
                "{precision} and part_of_day do not carry: record it (start, time_precision, "
                "part_of_day, end), or say whose time it is (a report's, an update's)",
                field=field,
                phrase=phrase,
                precision=row.time_precision,
            )
            record = (row.incident_id,)
            return Finding(
                "unstated_time", record, "time_precision", row.time_precision, str(detail), detail
            )
    return None


def _day_finding(row, field: str, text: str) -> Finding | None:
    other = _other_day(row, text)
    if other is None:
        return None
    start = pd.Timestamp(row.start)
    detail = msg(
        "the {field} field dates the event by another day ({phrase!r}) than its start "
        "({day}): correct start, or say whose day it is (a report's, a statement's)",
        field=field,
        phrase=other,
        day=start.strftime("%Y-%m-%d"),
    )
    return Finding(
        "unstated_time", (row.incident_id,), "start", start.isoformat(), str(detail), detail
    )


def unstated_times(frame: pd.DataFrame) -> list[Finding]:
    """Records whose summary or notes name a part of the day or a clock time their fields
    do not carry (a `day` record: any; a `part_of_day` record: one outside its part, or a
    clock time when its part is unnamed; an `hour`/`minute` record: a part of the day its
    summary names that its interval does not meet), or that date the event by another
    day than `start` ("23 Feb morning" on a 22 Feb record). A time equal to `end` is
    carried. At most one finding per record and kind (time, day), the first phrase found."""
    findings = []
    if frame.empty:
        return findings
    # Only rows whose summary or notes can name a time are read in Python.
    notes = arrow_notes_without_caveats(frame)
    maybe = may_name_times(arrow_column(frame, "summary")) | may_name_times(notes)
    fields = ("incident_id", "start", "end", "time_precision", "part_of_day", "summary")
    candidates = notes.filter(pa.array(maybe)).to_pylist()
    for row, clean_notes in zip(rows_of(frame, fields, maybe), candidates, strict=True):
        if row.start is None or pd.isna(row.start):
            continue
        texts = {"summary": cell_text(row.summary), "notes": clean_notes}
        # An hour or minute record's notes may name later consequences ("stranded
        # overnight"): only its summary, which tells the event, is read for times.
        timed = row.time_precision in ("minute", "hour")
        time = next(
            (
                found
                for field, text in texts.items()
                if not (timed and field == "notes")
                and (found := _time_finding(row, field, text)) is not None
            ),
            None,
        )
        day = next(
            (f for field, text in texts.items() if (f := _day_finding(row, field, text))), None
        )
        findings.extend(f for f in (time, day) if f is not None)
    return findings
