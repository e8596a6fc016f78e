"""The `disputed` check: a record or official figure whose notes record two values for
one fact (a count, a date, a time) but which is not flagged `disputed`.

The rule (geodata/README.md, "Data checks"): the notes, or the summary and the notes
together, keep two values for one fact when

- they say so: "differs", "conflicting", "contradicted", "disagree", "discrepancy",
  "vs", "versus", "ambiguous date/time/figure" (`DISAGREEMENT_WORDS`);
- they give alternatives: two different numbers or days joined by "/" or "or"
  ("22/23 Feb", "4 or 5 vehicles"; `ALTERNATIVES`);
- they give one kind of value (a count, a clock time) twice, different, each credited
  to a different source ("~08:00 (Univision) ... ~09:30 (KRGV)", "4 per Primera Línea,
  5 per Excélsior"; `CREDITED`);
- the summary counts "N things" and the notes "M things" for the same noun, M not N.

An official figure is also one side of a disagreement when another row of the same scope
and metric is flagged and its notes say it differs from this figure's value ("differs
from Gabinete 65"): every side is flagged. Only `disputed` clears a finding (the schema
has no "reviewed, not disputed" mark).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.analysis.quality_counts import NUMBER_WORDS
from dashboard.analysis.quality_findings import (
    Finding,
    arrow_column,
    arrow_notes_without_caveats,
    cell_text,
    folded,
    may_match,
    rows_of,
    without_caveats,
)
from dashboard.text.message import Message, msg

# Words that say two sources disagree; "ambiguous" alone also names unplaceable places,
# so it counts only before a date, time, day or figure.
DISAGREEMENT_WORDS = re.compile(
    r"\b(differs?\s+from|differing|conflict(?:s|ing)?|contradict(?:s|ed|ing)?|"
    r"disagree\w*|discrepanc\w*|vs\.?|versus|"
    r"(?:date|time|day|figure|count)s?\s+(?:is\s+|are\s+)?ambiguous|"
    r"ambiguous\s+(?:date|time|day|figure|count))\b",
    re.IGNORECASE,
)
_MONTH = r"(?:jan|feb|mar|apr|january|february|march|april|ene|enero|febrero|marzo|abril)\b"
# Two different numbers or days joined by "/" or "or" ("22/23 Feb", "4 or 5 vehicles"), not
# a date written d/m/y, a ratio such as 24/7, nor a range ("09:20–11:30").
ALTERNATIVES = re.compile(
    r"(?<![\d/:.])(?P<a>\d{1,4})\s*(?:/|\bor\b|\bo\b)\s*(?P<b>\d{1,4})(?![\d/:.])"
    rf"\s*(?:{_MONTH}|[^\W\d_]+)",
    re.IGNORECASE,
)
_SOURCE = r"[A-ZÁÉÍÓÚÑ][\w.+&'-]*(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ+][\w.+&'-]*)*"
# A value credited to a source: "~08:00 (Univision)", "5 per Excélsior", "72 según Notisistema".
CREDITED = re.compile(
    r"(?<![\w:.,])(?P<value>~?\d{1,2}:\d{2}|\d{1,5})(?![\w:])(?:\s+[a-záéíóúñ]+){0,2}"
    rf"(?:\s*\((?P<paren>{_SOURCE})[^)]{{0,30}}\)|\s+(?:per|según|according\s+to)\s+(?P<by>{_SOURCE}))"
)
_NUMBER_WORDS = "|".join(
    sorted((re.escape(w) for w in NUMBER_WORDS if " " not in w), key=len, reverse=True)
)
# "N things": a count and the plural noun after it ("eleven states", "13 states").
COUNTED = re.compile(
    rf"(?<![\d:.,/-])(?P<n>\d{{1,4}}|\b(?:{_NUMBER_WORDS})\b)\s+(?P<noun>[a-z]+s)\b", re.I
)


# What every match of the patterns above contains, for `may_match` (RE2; \\W covers
# Python's \\s, \\p{Nd} its \\d, `folded` its IGNORECASE): a text without any of it
# keeps no two values, so a country file's rows are not each read in Python.
_MAY_SAY = "|".join(
    folded(stem)
    for stem in ("differ", "conflict", "contradict", "disagree", "discrepanc", "vs", "ambiguous")
)
_MAY_ALTERNATIVES = r"\p{Nd}\W*(?:/|[oO][rR]?)\W*\p{Nd}"
_MAY_CREDIT = r"\p{Nd}(?:\W+\pL+){0,2}\W*(?:\(\p{Lu}|per\W|según\W|according\W)"
_MAY_DISAGREE = "|".join((_MAY_SAY, _MAY_ALTERNATIVES, _MAY_CREDIT))
# What every COUNTED match contains (a number, then a word ending in s).
_MAY_COUNT = (
    rf"(?:\p{{Nd}}|{'|'.join(folded(w) for w in NUMBER_WORDS if ' ' not in w)})"
    r"\W+[a-zA-ZſKİı]*[sSſ]"
)


def _counted(text: str) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for match in COUNTED.finditer(text):
        word = match.group("n").lower()
        value = NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)
        found.setdefault(match.group("noun").lower(), set()).add(value)
    return found


@lru_cache(maxsize=4096)  # summaries repeat (an ACLED file's are label lines); read only
def _summary_counted(summary: str) -> dict[str, set[int]]:
    return _counted(summary)


def competing_values(notes: str, summary: str = "") -> str | None:
    """The phrase by which the notes (with the summary) keep two values for one fact, as
    written, or None (the rule is the module's docstring)."""
    notes = without_caveats(notes)
    said = DISAGREEMENT_WORDS.search(notes)
    if said:
        return said.group(0)
    for match in ALTERNATIVES.finditer(notes):
        if match.group("a") != match.group("b"):
            return match.group(0)
    credited: dict[str, list[tuple[str, str, str]]] = {}
    for match in CREDITED.finditer(notes):
        value = match.group("value").lstrip("~")
        kind = "time" if ":" in value else "count"
        source = (match.group("paren") or match.group("by")).strip()
        credited.setdefault(kind, []).append((value, source, match.group(0)))
    for values in credited.values():
        if len({v for v, _, _ in values}) > 1 and len({s for _, s, _ in values}) > 1:
            return " … ".join(phrase for _, _, phrase in values)
    in_summary = _summary_counted(summary) if summary else {}
    # The notes are read for counts only when the summary states one whose noun the notes
    # contain (a noun is a lower-cased piece of the text: str.lower maps each character).
    lowered = notes.lower() if in_summary else ""
    if any(noun in lowered for noun in in_summary):
        in_notes = _counted(notes)
        for noun in sorted(in_summary.keys() & in_notes.keys()):
            other = in_notes[noun] - in_summary[noun]
            if other:
                return f"{min(in_summary[noun])} / {min(other)} {noun}"
    return None


def _detail(phrase: str) -> Message:
    return msg(
        "the notes keep two values for one fact ({phrase!r}) but the record is not flagged "
        "disputed: flag it (both values stay in the notes)",
        phrase=phrase,
    )


def undisputed_disagreements(frame: pd.DataFrame, id_column: str = "incident_id") -> list[Finding]:
    """Records not flagged `disputed` whose notes (with the summary) keep two values for
    one fact (`competing_values`); one finding per record, on `disputed`."""
    findings = []
    if frame.empty:
        return findings
    # Only rows whose notes (with the summary) can keep two values are read in Python.
    notes = arrow_notes_without_caveats(frame)
    summary = arrow_column(frame, "summary")
    maybe = may_match(notes, _MAY_DISAGREE) | _may_count_twice(notes, summary)
    for row in rows_of(frame, (id_column, "disputed", "notes", "summary"), maybe):
        if _flag(cell_text(row.disputed)):
            continue
        summary = cell_text(getattr(row, "summary", ""))
        phrase = competing_values(cell_text(row.notes), summary)
        if phrase:
            detail = _detail(phrase)
            record = getattr(row, id_column)
            findings.append(
                Finding("disputed", (record,), "disputed", "false", str(detail), detail)
            )
    return findings


def _may_count_twice(notes: pa.Array, summary: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Rows whose summary states a count (`_summary_counted`, run once per distinct
    summary among the rows `_MAY_COUNT` finds in both texts) and whose notes may state
    one: competing_values compares counts only for these. A country file's summaries
    are label lines ("Armed clash (Battles), Km 23. Sources ..."): few distinct ones."""
    both = may_match(summary, _MAY_COUNT) & may_match(notes, _MAY_COUNT)
    rows = np.flatnonzero(both)
    if not len(rows):
        return both
    encoded = pc.dictionary_encode(summary.take(pa.array(rows)))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    counts = np.array(
        [bool(_summary_counted(text)) for text in encoded.dictionary.to_pylist()], dtype=bool
    )
    both[rows] = counts[encoded.indices.to_numpy(zero_copy_only=False)]
    return both


def _flag(value: str) -> bool:
    return value.strip().lower() in ("true", "1")


def official_disagreements(rows: list[dict], name_of) -> list[Finding]:
    """Official figures (official_counts.csv rows as dicts of text cells) not flagged
    `disputed` whose notes keep two values for one fact, or that another flagged row of
    the same scope and metric says it differs from (its notes name this row's value next
    to a disagreement word). `name_of(row)` names a figure in the findings."""
    findings = []
    named: set[str] = set()
    for row in rows:
        if _flag(row.get("disputed", "")):
            continue
        phrase = competing_values(row.get("notes", ""))
        if phrase:
            detail = _detail(phrase)
            findings.append(
                Finding("disputed", (name_of(row),), "disputed", "false", str(detail), detail)
            )
            named.add(name_of(row))
    for row in rows:
        notes = without_caveats(row.get("notes", ""))
        if not _flag(row.get("disputed", "")) or not DISAGREEMENT_WORDS.search(notes):
            continue
        mentioned = set(re.findall(r"(?<![\d:.])\d+(?![\d:])", notes))
        for other in rows:
            same = (other.get("scope"), other.get("metric")) == (
                row.get("scope"),
                row.get("metric"),
            )
            if (
                same
                and other is not row
                and not _flag(other.get("disputed", ""))
                and other.get("value", "").strip() in mentioned
                and name_of(other) not in named
            ):
                detail = msg(
                    "{other} says it differs from this figure ({value}), but this row is not "
                    "flagged disputed: every side of a disagreement is flagged",
                    other=name_of(row),
                    value=other.get("value", ""),
                )
                findings.append(
                    Finding("disputed", (name_of(other),), "disputed", "false", str(detail), detail)
                )
                named.add(name_of(other))
    return findings
