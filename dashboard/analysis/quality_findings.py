"""What a data check returns, and the shapes it is shown in: a `Finding` per weak spot,
a table of findings for the quality view, a `Report` of them for `validate`.

The checks (dashboard/analysis/quality_*.py) are pure functions of the incidents frame as
`dashboard/ingest/bundle.py` (or `validate_incidents` for a user's file) builds it; the
helpers here read its text columns the same way everywhere (a missing optional column
or value is "").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.model.schema import Report
from dashboard.text.message import Message, msg


@dataclass(frozen=True)
class Finding:
    """One weak spot: which check found it, in which records, in which field and value."""

    check: str  # e.g. "duplicates"
    incident_ids: tuple[str, ...]  # the records concerned (two for a duplicate pair)
    field: str  # the field that shows it, e.g. "source_url", "fatalities"
    value: str  # the offending value or phrase, as found
    detail: str  # a sentence saying what is wrong and what would fix it (English)
    # The detail as a catalogue message, for reports shown in Spanish or English.
    message: Message | None = dataclasses.field(default=None, compare=False, repr=False)

    def detail_in(self, lang: str) -> str:
        """The detail in "es" or "en"."""
        return self.detail if self.message is None else self.message.text(lang)

    def __str__(self) -> str:
        ids = ", ".join(self.incident_ids)
        return f"{self.check}: {ids}: field {self.field!r} (value {self.value!r}): {self.detail}"


def cell_text(value: object) -> str:
    """A cell as text: "" for None, NaN and pandas' missing values."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def rows_of(frame: pd.DataFrame, columns: Iterable[str], where: np.ndarray | None = None):
    """Named tuples of just these columns (iterating all of them is several times slower);
    a column the frame lacks is left out (the tuples then have no such attribute).
    `where` (booleans, one per row): only those rows, picked after the columns (picking
    them from every column of a country-scale frame cost more than the check)."""
    kept = frame[[c for c in columns if c in frame.columns]]
    return (kept if where is None else kept[where]).itertuples(index=False)


def text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A text column (object dtype, "" for missing), or empty strings when the frame
    lacks it (optional columns)."""
    if name not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    column = frame[name]
    # dtype=object: pandas 3 would infer its Arrow-backed "str", whose cells Python
    # iterates one by one (most of a country file's data checks).
    if isinstance(column.dtype, pd.StringDtype):  # str or missing: no per-cell Python
        return pd.Series(column.fillna("").to_numpy(dtype=object), index=frame.index, dtype=object)
    texts = [cell_text(value) for value in column.to_numpy(dtype=object)]
    return pd.Series(texts, index=frame.index, dtype=object)


# The standing caveats of the notes about coordinates ("Coords = town/municipal seat ...",
# "State-level item: coords = ..."): they say nothing about the event's facts or times.
CAVEATS = re.compile(r"(?:Coords?|Coordinates)\s*=[^|.;]*|State-level item:[^|.;]*", re.I)


# Links and record ids ("mich-ecuandureo-night") name no time or figure of the event.
_NOT_PROSE = re.compile(r"https?://\S+|\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b")


def without_caveats(text: str) -> str:
    """Notes without their standing caveats about coordinates (`CAVEATS`), links and
    record ids (lower-case words joined by two or more hyphens), each replaced by a space."""
    return _NOT_PROSE.sub(" ", CAVEATS.sub(" ", text))


# What every CAVEATS and _NOT_PROSE match contains (Arrow's RE2 syntax, which matches
# exactly these ASCII characters as Python's re does): "=" (Coords =), ":" (item:, http:)
# or lower-case letters or digits joined by two hyphens (a record id).
_MAY_HAVE_CAVEATS = r"[=:]|[a-z0-9]-[a-z0-9]+-[a-z0-9]"


def arrow_texts(texts: pd.Series) -> pa.Array:
    """A Series of str as an Arrow array, to give `may_match` more than once."""
    return pa.array(texts, from_pandas=True).cast(pa.large_string())


def arrow_column(frame: pd.DataFrame, name: str) -> pa.Array | pa.ChunkedArray:
    """A text column as Arrow large strings ("" for missing), as `text_column` reads it:
    the frame's own Arrow buffers when it holds pandas' Arrow-backed "str" (no Python
    string is made for a row), else through `text_column`."""
    if name in frame.columns and isinstance(frame[name].dtype, pd.StringDtype):
        values = frame[name].array
        if hasattr(values, "__arrow_array__"):
            arrow = pa.array(values)
            return pc.fill_null(arrow.cast(pa.large_string()), "")
    return arrow_texts(text_column(frame, name))


def may_match(texts: pd.Series | pa.Array | pa.ChunkedArray, pattern: str) -> np.ndarray:
    """Booleans (one per text, a Series of str): whether Arrow's regex engine (RE2) finds
    `pattern` in the text. The checks use it to find, in one vectorised pass over a
    column, the few rows whose text can match their Python patterns, and visit only
    those in Python; `pattern` must then match every text the Python pattern matches
    (RE2's \\d, \\w, \\s and \\b are ASCII-only: \\p{Nd} stands for Python's \\d, \\W
    covers Python's \\s)."""
    if len(texts) == 0:
        return np.zeros(0, dtype=bool)
    array = texts if isinstance(texts, pa.Array | pa.ChunkedArray) else arrow_texts(texts)
    return pc.match_substring_regex(array, pattern).to_numpy(zero_copy_only=False)


# The characters Python's re.IGNORECASE matches for an ASCII letter beyond its two cases
# (sre's equivalences: dotless and dotted i, long s, the Kelvin sign).
_FOLDS = {"i": "iIİı", "s": "sSſ", "k": "kKK"}


def folded(word: str) -> str:
    """An RE2 pattern (for `may_match`) matching `word` as Python's re.IGNORECASE does
    (each ASCII letter as a class of every character that re folds to it)."""
    return "".join(
        f"[{_FOLDS.get(c.lower(), c.lower() + c.upper())}]"
        if c.isascii() and c.isalpha()
        else re.escape(c)
        for c in word
    )


def notes_without_caveats(frame: pd.DataFrame) -> pd.Series:
    """`without_caveats` of every record's notes (text_column), computed in Python only
    for the notes that can hold a caveat, a link or a record id (`may_match`); the others
    are returned as they are (without_caveats would leave them unchanged)."""
    notes = text_column(frame, "notes")
    maybe = may_match(notes, _MAY_HAVE_CAVEATS)
    if maybe.any():
        notes = notes.copy()
        notes[maybe] = [without_caveats(text) for text in notes[maybe]]
    return notes


def arrow_notes_without_caveats(frame: pd.DataFrame) -> pa.Array:
    """`notes_without_caveats` as one Arrow array of large strings (`arrow_column`): only
    the notes that can hold a caveat, a link or a record id become Python strings."""
    notes = arrow_column(frame, "notes")
    if isinstance(notes, pa.ChunkedArray):
        notes = notes.combine_chunks()
    maybe = may_match(notes, _MAY_HAVE_CAVEATS)
    if not maybe.any():
        return notes
    cleaned = [without_caveats(text) for text in notes.filter(pa.array(maybe)).to_pylist()]
    return pc.replace_with_mask(notes, pa.array(maybe), pa.array(cleaned, pa.large_string()))


FINDING_COLUMNS = ["incident_id", "field", "value", "detail"]


def findings_table(findings: list[Finding], lang: str = "en") -> pd.DataFrame:
    """Findings as a quality-view table: one row per finding with its first record's
    `incident_id`, `field`, `value` and `detail` (in `lang`, "es" or "en")."""
    rows = [
        {
            "incident_id": f.incident_ids[0],
            "field": f.field,
            "value": f.value,
            "detail": f.detail_in(lang),
        }
        for f in findings
    ]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def findings_report(
    findings: Iterable[Finding],
    file: str,
    rows: dict[str, int] | None = None,
    severity: str = "error",
    unit: str = "line",
) -> Report:
    """Findings as validation problems (file, row of the first record, field, value);
    `unit` says what `rows` count: "line" (CSV, header = line 1) or "feature" (GeoJSON)."""
    report = Report(unit=unit)
    rows = rows or {}
    for f in findings:
        ids = ", ".join(f.incident_ids)
        detail = f.detail if f.message is None else f.message
        report.add(
            file,
            rows.get(f.incident_ids[0]) if f.incident_ids else None,
            f.field,
            f.value,
            msg("{check} [{ids}]: {detail}", check=f.check, ids=ids, detail=detail),
            severity=severity,
        )
    return report
