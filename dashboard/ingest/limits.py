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
- MAX_VERTICES positions in one GeoJSON geometry (an incident is a Point: one);
- MAX_JSON_VALUES arrays and array or object members in one JSON feature or record,
  counted outside strings whatever its keys are called (a key written with escapes,
  "co\\u006frdinates", or an array under any other key is counted all the same);
- a delimited file's `sep=` line (Excel's) is not its header: the line after it is.

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
# A geometry of MAX_VERTICES positions is about 3 × MAX_VERTICES: "[", "," in and between
# positions; a record's properties a few hundred members at most.
MAX_JSON_VALUES = 4 * MAX_VERTICES + 2_000
_CHUNK = 1 << 22  # bytes of JSON scanned at once

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_COORDINATES = re.compile(rb'"coordinates"\s*:')
_NEWLINE, _RETURN, _QUOTE, _OPEN = ord("\n"), ord("\r"), ord('"'), ord("[")
_BACKSLASH, _CLOSE, _BRACE, _UNBRACE, _COMMA = ord("\\"), ord("]"), ord("{"), ord("}"), ord(",")
_SEP_LINE = re.compile(r'[ \t]*"?sep=(.)"?[ \t]*')


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


def positions(body: np.ndarray, byte: int, step: int = 1 << 22) -> np.ndarray:
    """np.flatnonzero(body == byte) (int64 offsets), found 4 MiB at a time: a
    country-scale file is not shadowed by a file-sized array of booleans per byte
    looked for (three of 460 MB each, whose fresh pages cost more than the scan)."""
    found = [np.flatnonzero(body[i : i + step] == byte) + i for i in range(0, len(body), step)]
    return np.concatenate(found).astype(np.int64, copy=False) if found else np.zeros(0, np.int64)


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
        return _check_json_values(body)
    brackets = positions(body, _OPEN)
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
    return _check_json_values(body)


def _check_json_values(body: np.ndarray) -> Refusal | None:
    """MAX_JSON_VALUES per feature or record, whatever its keys say: the `[` and `,`
    outside strings between two closes of an object or array back to the level of a
    record (an array of records) or of a feature (a FeatureCollection): depth 2 or less.
    String bytes are left out: quotes not escaped (an odd run of backslashes before a
    quote escapes it) pair up, and what lies between a pair is a string. Read in chunks
    of _CHUNK bytes (memory bounded by a chunk, not the file), stopping at the first
    feature over the limit."""
    quotes_before = depth_before = carry = features_before = current = 0
    for at in range(0, len(body), _CHUNK):
        chunk = body[at : at + _CHUNK]
        quotes = _unescaped_quotes(chunk, carry)
        slashes = np.flatnonzero(chunk == _BACKSLASH)
        carry = _trailing_run(slashes, len(chunk), carry)
        marks = np.flatnonzero(
            (chunk == _OPEN)
            | (chunk == _CLOSE)
            | (chunk == _BRACE)
            | (chunk == _UNBRACE)
            | (chunk == _COMMA)
        )
        chars = chunk[marks[(quotes_before + np.searchsorted(quotes, marks)) % 2 == 0]]
        del marks
        quotes_before += len(quotes)
        opens = (chars == _OPEN) | (chars == _BRACE)
        closes = (chars == _CLOSE) | (chars == _UNBRACE)
        depth = depth_before + np.cumsum(opens.astype(np.int8) - closes, dtype=np.int64)
        depth_before = int(depth[-1]) if len(depth) else depth_before
        counted = np.cumsum((chars == _OPEN) | (chars == _COMMA), dtype=np.int64)
        ends = np.flatnonzero(closes & (depth <= 2))  # a record, feature or member ends
        totals = np.diff(counted[ends], prepend=0) if len(ends) else counted[:0]
        if len(totals):
            totals[0] += current
        current = (0 if len(ends) else current) + int(counted[-1] if len(counted) else 0)
        current -= int(counted[ends[-1]]) if len(ends) else 0
        over = np.flatnonzero(totals > MAX_JSON_VALUES)
        if len(over) or current > MAX_JSON_VALUES:
            k = int(over[0]) if len(over) else len(ends)
            feature = features_before + int(np.count_nonzero(chars[ends[:k]] == _UNBRACE))
            return Refusal(
                feature + 1,
                None,
                f"{int(totals[k]) if len(over) else current:,} arrays and members",
                msg(
                    "more than {limit} arrays and members in one feature or record",
                    limit=f"{MAX_JSON_VALUES:,}",
                ),
                unit="feature",
            )
        features_before += int(np.count_nonzero(chars[ends] == _UNBRACE))
    return None


def _unescaped_quotes(chunk: np.ndarray, carry: int) -> np.ndarray:
    """Positions of the `"` in `chunk` that open or close a JSON string: not after an odd
    run of backslashes (`carry` of them end the chunk before)."""
    quotes = np.flatnonzero(chunk == _QUOTE)
    if not len(quotes):
        return quotes
    slashes = np.flatnonzero(chunk == _BACKSLASH)
    escaped = quotes[:0]
    after = quotes[np.isin(quotes - 1, slashes)] if len(slashes) else quotes[:0]
    if len(after):
        first = np.ones(len(slashes), dtype=bool)
        first[1:] = np.diff(slashes) != 1
        starts = slashes[first]
        start = starts[np.searchsorted(starts, after - 1, side="right") - 1]
        run = after - start + np.where(start == 0, carry, 0)
        escaped = after[run % 2 == 1]
    if quotes[0] == 0 and carry % 2:
        escaped = np.append(escaped, 0)
    return np.setdiff1d(quotes, escaped, assume_unique=True) if len(escaped) else quotes


def _trailing_run(slashes: np.ndarray, size: int, carry: int) -> int:
    """How many backslashes end a chunk of `size` bytes whose backslashes are at
    `slashes` (`carry` more before it, if the run reaches its start)."""
    if not len(slashes) or slashes[-1] != size - 1:
        return 0
    breaks = np.flatnonzero(np.diff(slashes) != 1)
    start = int(slashes[breaks[-1] + 1]) if len(breaks) else int(slashes[0])
    return size - start + (carry if start == 0 else 0)


def _check_delimited(
    data: bytes, body: np.ndarray, start: int, count_records: bool
) -> Refusal | None:
    newlines = positions(body, _NEWLINE)
    returns = positions(body, _RETURN)
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
    if _SEP_LINE.fullmatch(header.strip("\r")) and at < len(newlines):
        # Excel's "sep=;" line names the delimiter; the header is the line after it.
        start, at = int(newlines[at]) + 1, at + 1
        header_end = int(newlines[at]) if at < len(newlines) else len(data)
        header = data[start : min(header_end, start + MAX_LINE_BYTES)]
        header = header.replace(b"\x00", b"").decode("utf-8", errors="replace")
    columns = max(_fields(header, delimiter) for delimiter in ",;\t|")
    if columns > MAX_COLUMNS:
        if header_end - start > MAX_LINE_BYTES:  # a huge header: counted without quotes
            line = data[start:header_end].replace(b"\x00", b"")
            columns = max(line.count(d) + 1 for d in (b",", b";", b"\t", b"|"))
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
    quotes = positions(body, _QUOTE)
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


def count_newlines(data: bytes, step: int = 1 << 22) -> int:
    """The line feeds in `data`, counted by numpy 4 MiB at a time: about twice as fast as
    bytes.count, without a byte-sized array of the whole file (460 MB for a
    country-scale file, whose fresh pages cost the kernel more than the count)."""
    view = np.frombuffer(data, dtype=np.uint8)
    return sum(int(np.count_nonzero(view[i : i + step] == 0x0A)) for i in range(0, len(view), step))
