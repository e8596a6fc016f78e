"""Hostile shapes, refused before a full parse: a file whose shape alone would cost a
replica seconds of CPU and a gigabyte of memory (100,000 columns in 2.7 MB, one polygon
of 5 million vertices, millions of rows) is turned away by a scan of its bytes.

The scan is a few passes of numpy over the bytes (newline, quote and bracket positions),
no decoding and no parse: well under a second and about twice the file's size in
memory for a 50 MB file. Limits (README, "Limits of an uploaded file"):

- MAX_COLUMNS columns in the header (by the delimiter that gives the most);
- MAX_LINE_BYTES bytes in a line of a delimited file (JSON may be one line);
- MAX_CELL_BYTES bytes inside one pair of double quotes (a quoted cell may span lines);
- MAX_ROWS lines of a delimited file, MAX_FEATURES features or records of a JSON file;
- MAX_VERTICES positions in one GeoJSON geometry (an incident is a Point: one).

Lengths are in bytes as the file holds them (a UTF-16 file's are twice its characters).
Pure core: never imports Streamlit.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

import numpy as np

from dashboard.text.message import Message, msg

MAX_COLUMNS = 500
MAX_LINE_BYTES = 200_000
MAX_CELL_BYTES = 100_000
MAX_ROWS = 1_000_000
MAX_FEATURES = 500_000
MAX_VERTICES = 10_000

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_COORDINATES = re.compile(rb'"coordinates"\s*:')
_NEWLINE, _RETURN, _QUOTE, _OPEN = ord("\n"), ord("\r"), ord('"'), ord("[")


@dataclass(frozen=True)
class Refusal:
    """Why a file is refused: the line or feature (1-based, None for the whole file), the
    field (None), the measured value as text, the reason (a Message), and what `row`
    counts ("line" or "feature")."""

    row: int | None
    field: str | None
    value: str
    reason: Message
    unit: str = "line"


def check_shape(data: bytes, count_records: bool = True) -> Refusal | None:
    """The first limit `data` (a whole uploaded file's bytes) exceeds, or None.

    JSON (first visible byte `{` or `[`) is checked for features and vertices per
    geometry, anything else as delimited text for lines, line length, quoted cells and
    header columns. `count_records` False (the command line, which reads files of any
    size) leaves out the counts of lines, features and records; the shape limits stay.
    Runs in O(len(data)) with numpy; raises nothing."""
    start = len(data) - len(data.lstrip(b" \t\r\n\f\v\x00" + b"".join(_BOMS)))
    body = np.frombuffer(data, dtype=np.uint8)
    first = data[start : start + 2].replace(b"\x00", b"")[:1]
    if first in (b"{", b"["):
        return _check_json(data, body, count_records)
    return _check_delimited(data, body, start, count_records)


def _check_json(data: bytes, body: np.ndarray, count_records: bool) -> Refusal | None:
    features = data.count(b'"Feature"')
    records = features or data.count(b"{")
    if count_records and records > MAX_FEATURES:
        return Refusal(
            None,
            None,
            f"{records:,}",
            msg("more than {limit} features or records", limit=f"{MAX_FEATURES:,}"),
            unit="feature",
        )
    starts = np.fromiter((m.end() for m in _COORDINATES.finditer(data)), dtype=np.int64)
    if not len(starts):
        return None
    brackets = np.flatnonzero(body == _OPEN)
    # The positions of each geometry: the `[` between its "coordinates" and the next.
    per_geometry = np.diff(np.searchsorted(brackets, np.append(starts, len(data))))
    worst = int(per_geometry.argmax())
    # Each position is an array, and so is each ring, polygon and the whole: up to three
    # arrays more than positions (a MultiPolygon's).
    if per_geometry[worst] > MAX_VERTICES + 3:
        return Refusal(
            worst + 1,
            "geometry",
            f"{int(per_geometry[worst]):,} coordinate arrays",
            msg("more than {limit} positions in one geometry", limit=f"{MAX_VERTICES:,}"),
            unit="feature",
        )
    return None


def _check_delimited(
    data: bytes, body: np.ndarray, start: int, count_records: bool
) -> Refusal | None:
    newlines = np.flatnonzero(body == _NEWLINE)
    returns = np.flatnonzero(body == _RETURN)
    if len(returns):  # a carriage return alone ends a line too (Mac Excel's CSV)
        after = body[np.minimum(returns + 1, len(body) - 1)]
        lone = returns[(returns + 1 == len(body)) | (after != _NEWLINE)]
        if len(lone):
            newlines = np.union1d(newlines, lone)
    if count_records and len(newlines) > MAX_ROWS:
        return Refusal(
            None, None, f"{len(newlines):,}", msg("more than {limit} lines", limit=f"{MAX_ROWS:,}")
        )
    at = int(np.searchsorted(newlines, start))  # the header's line, from 0
    header_end = int(newlines[at]) if at < len(newlines) else len(data)
    header = data[start : min(header_end, start + MAX_LINE_BYTES)]
    header = header.replace(b"\x00", b"").decode("utf-8", errors="replace")
    columns = max(_fields(header, delimiter) for delimiter in ",;\t")
    if columns > MAX_COLUMNS:
        if header_end - start > MAX_LINE_BYTES:  # a huge header: counted without quotes
            line = data[start:header_end].replace(b"\x00", b"")
            columns = max(line.count(d) + 1 for d in (b",", b";", b"\t"))
        return Refusal(
            at + 1,
            None,
            f"{columns:,}",
            msg("more than {limit} columns", limit=f"{MAX_COLUMNS:,}"),
        )
    ends = np.append(newlines, len(data))
    lengths = np.diff(np.insert(ends, 0, -1)) - 1
    longest = int(lengths.argmax())
    if lengths[longest] > MAX_LINE_BYTES:
        return Refusal(
            longest + 1,
            None,
            f"{int(lengths[longest]):,} bytes",
            msg("a line longer than {limit} bytes", limit=f"{MAX_LINE_BYTES:,}"),
        )
    quotes = np.flatnonzero(body == _QUOTE)
    pairs = len(quotes) // 2 * 2
    if pairs:
        inside = quotes[1:pairs:2] - quotes[0:pairs:2] - 1
        worst = int(inside.argmax())
        if inside[worst] > MAX_CELL_BYTES:
            line = int(np.searchsorted(newlines, quotes[2 * worst])) + 1
            return Refusal(
                line,
                None,
                f"{int(inside[worst]):,} bytes",
                msg("a cell longer than {limit} bytes", limit=f"{MAX_CELL_BYTES:,}"),
            )
    return None


def _fields(line: str, delimiter: str) -> int:
    """How many fields `line` has, split on `delimiter` as CSV (quotes respected)."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter)))
    except (csv.Error, StopIteration):
        return line.count(delimiter) + 1
