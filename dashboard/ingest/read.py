"""Bytes to a table of text: encodings, CSV dialects, GeoJSON and JSON record arrays.

Reading never judges values: every cell comes out as stripped text ("" when empty) in a
pandas frame of pyarrow strings, with the number of each row in the file (the CSV line,
header = line 1; the GeoJSON feature; the JSON record). What cannot be read at all is a
file-level problem in the report and `read_table` returns None; a CSV row with the wrong
number of fields or a GeoJSON feature without a usable geometry is reported and left out.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from charset_normalizer import from_bytes

from dashboard.ingest import limits
from dashboard.ingest.shapes import crs_axis_order, spreadsheet_lines
from dashboard.model.schema import Report
from dashboard.text.escape import DEFUSED
from dashboard.text.lookalike import described, hidden, plain, visible
from dashboard.text.message import Message, msg, msg_n

# The upload limit, one number everywhere: 50 MB as Streamlit counts them, 50 MiB =
# 52,428,800 bytes (.streamlit/config.toml `server.maxUploadSize = 50`, its server's limit;
# Caddy's body limit is this plus the multipart envelope). A 50.0-52.4 MB file passed
# Streamlit and Caddy and was then refused here, 8 s later (issue 25's re-probe, 5).
# (Streamlit's uploader in a browser outside Windows counts 1 MB as 10^6 bytes and stops
# a file over 50,000,000 bytes before it is sent, with its own message.)
MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_JSON_DEPTH = 20  # a FeatureCollection of points needs 6
# Above this size (more than any upload) the CSV parser runs on its thread pool (_fast_csv).
THREADED_PARSE_BYTES = 64_000_000
# Encodings a spreadsheet or export tool in Mexico writes; charset-normalizer picks among
# them for files that are not UTF-8 (Excel's "CSV" is cp1252, its "Unicode text" UTF-16).
CANDIDATE_ENCODINGS = ["utf_8", "cp1252", "latin_1", "utf_16_le", "utf_16_be", "utf_16"]
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
DELIMITERS = (",", ";", "\t")
STRING_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3 "str"


def empty_texts(index: pd.Index) -> pd.Series:
    """A text column of "" for every row of `index`, made from Arrow buffers (an offsets
    buffer of zeros, no characters): much cheaper than broadcasting a scalar."""
    offsets = pa.py_buffer(np.zeros(len(index) + 1, dtype=np.int64))
    array = pa.LargeStringArray.from_buffers(len(index), offsets, pa.py_buffer(b""))
    return pd.Series(array, index=index, dtype=STRING_DTYPE)


@dataclass
class Table:
    """A file's rows as text, and how the file was read."""

    frame: pd.DataFrame  # one string column per file column (lower-cased, trimmed names)
    rows: np.ndarray  # int64: file line (CSV), feature (GeoJSON) or record (JSON) per row
    format: str  # "csv", "geojson" or "json"
    encoding: str = "utf-8"
    delimiter: str | None = None
    decimal_comma: bool = False  # a semicolon CSV: "20,67" is 20.67
    # GeoJSON: whether each feature had a Point geometry (its coordinates are then in the
    # longitude/latitude columns); None for CSV and JSON.
    has_geometry: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)
    # Columns whose distinct values are known already (a conversion made them from
    # distinct values): column -> (int code per row, the distinct values in order of first
    # appearance), so the checks need not encode them again.
    known: dict[str, tuple[np.ndarray, list]] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)

    @property
    def unit(self) -> str:
        return {"csv": "line", "geojson": "feature"}.get(self.format, "record")


def read_table(
    data: bytes,
    name: str,
    report: Report,
    columns: Callable[[list[str]], Collection[str] | None] | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
) -> Table | None:
    """CSV, GeoJSON or a JSON array of records (by content) to a Table; None if unreadable.

    `data` is the file's bytes, `name` its name as the user knows it (for messages and
    the `.tsv` hint). Problems go to `report` with the file's own line/feature numbers.
    `columns`, given the header's (lower-cased) names, may name the only ones the caller
    uses (None: all); a hint that lets the common CSV path skip converting the others
    (every row is still checked for its number of fields), other paths read them all.
    `max_bytes`: a larger file is refused (the page's upload limit); None for no limit
    (the command line).
    """
    if max_bytes is not None and len(data) > max_bytes:
        report.add(
            name,
            None,
            None,
            f"{len(data):,} bytes",
            msg("file larger than the {limit} MB limit", limit=max_bytes // 2**20),
        )
        return None
    # Hostile shapes (too many columns, lines, features or vertices) are refused here,
    # before a parse could cost seconds and a gigabyte: dashboard/ingest/limits.py.
    if (refused := limits.check_shape(data, count_records=max_bytes is not None)) is not None:
        report.unit = refused.unit
        report.add(name, refused.row, refused.field, refused.value, refused.reason)
        return None
    report.unit = "line"
    utf16 = data.startswith(BOMS[1][0]) or data.startswith(BOMS[2][0]) or b"\x00" in data[:4096]
    declared = None
    if not utf16:  # any encoding whose line ends and "sep=" are ASCII bytes
        data, declared = spreadsheet_lines(data)
    table = _plain_utf8_csv(data, name, columns, declared)
    if table is not None:
        return table
    text = decode(data, name, report)
    if text is None:
        return None
    encoding, text = text
    if utf16:
        text, declared = spreadsheet_lines(text)
    first = _FIRST_VISIBLE.search(text)
    if first is None:
        report.add(name, None, None, None, msg("file is empty"))
        return None
    if first.group() in "{[" or name.lower().endswith((".geojson", ".json")):
        report.unit = "feature"
        table = read_json(text, name, report)
    else:
        report.unit = "line"
        utf8 = data if encoding == "utf-8" else None  # pyarrow reads the bytes as they are
        table = read_csv(text, name, report, utf8=utf8, start=first.start(), delimiter=declared)
    if table is not None:
        table.encoding = encoding
        report.unit = table.unit
    return table


_FIRST_VISIBLE = re.compile(r"[^\s\ufeff]")
_FIRST_VISIBLE_BYTE = re.compile(rb"[^ \t\r\n\f\v]")


def _plain_utf8_csv(data: bytes, name: str, columns=None, declared=None) -> Table | None:
    """The common case without decoding the whole file: UTF-8 (no BOM) CSV, one line per
    record, no ragged rows (pyarrow checks the UTF-8). None: read it the careful way."""
    if data.startswith(tuple(bom for bom, _ in BOMS)) or b"\x00" in data[:4096]:
        return None
    if name.lower().endswith((".geojson", ".json")):
        return None
    first = _FIRST_VISIBLE_BYTE.search(data)
    if first is None or data[first.start() : first.start() + 1] in (b"{", b"["):
        return None
    end = data.find(b"\n", first.start())
    try:
        header = data[first.start() : end if end >= 0 else len(data)].decode("utf-8")
    except UnicodeDecodeError:
        return None
    header = header.rstrip("\r")
    delimiter = declared or sniff_delimiter(header, name)
    try:
        raw = next(csv.reader([header], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    if hidden(header) or not raw[-1].strip():  # the careful way reports these
        return None
    names = column_names(raw, name, Report())
    if names is None:
        return None
    header_line = 1 + data.count(b"\n", 0, first.start())
    used = columns(names) if columns is not None else None
    table = _fast_csv("", data, names, delimiter, header_line, used)
    if table is None or not len(table[0]):
        return None
    frame, rows = table
    return Table(
        frame, rows, "csv", "utf-8", delimiter=delimiter, decimal_comma=delimiter in (";", "\t")
    )


def decode(data: bytes, name: str, report: Report) -> tuple[str, str] | None:
    """(encoding, text): a byte-order mark decides; else UTF-8 if valid; else the library.

    UTF-8 and UTF-16 with a mark are read silently. Without one, valid UTF-8 is UTF-8;
    anything else (cp1252, Latin-1, UTF-16 without a mark) is detected by
    charset-normalizer among CANDIDATE_ENCODINGS and read with a warning naming it.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return encoding, data.decode(encoding)
            except UnicodeDecodeError as exc:
                report.add(
                    name,
                    None,
                    None,
                    None,
                    msg("not valid {encoding}: {detail}", encoding=encoding, detail=exc.reason),
                )
                return None
    if b"\x00" not in data[:4096]:
        try:
            return "utf-8", data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:  # no candidate encoding reads it as text: binary (image, zip, xlsx…)
        report.add(
            name,
            None,
            None,
            None,
            msg(
                "not a text file: it holds binary data (save the sheet as CSV UTF-8, or give a "
                "GeoJSON or JSON file)"
            ),
        )
        return None
    encoding = best.encoding if best is not None else "latin_1"
    shown = encoding.replace("_", "-")
    if encoding.startswith("utf_16"):
        report.add(
            name,
            None,
            None,
            None,
            msg("read as {encoding} without a byte-order mark (detected)", encoding=shown),
            severity="warning",
        )
    else:
        report.add(
            name,
            None,
            None,
            None,
            msg(
                "not UTF-8; read as {encoding} (detected): save as UTF-8 to be sure",
                encoding=shown,
            ),
            severity="warning",
        )
    try:
        return encoding, data.decode(encoding)
    except UnicodeDecodeError as exc:
        reason = msg("not readable as {encoding}: {detail}", encoding=shown, detail=exc.reason)
        report.add(name, None, None, None, reason)
        return None


# ---------------------------------------------------------------- CSV


def sniff_delimiter(header: str, name: str) -> str:
    """The most frequent of comma, semicolon and tab in the header line (tab for .tsv)."""
    if name.lower().endswith(".tsv") and "\t" in header:
        return "\t"
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


# The prefix of the names trailing empty columns are read under (never a real name:
# names are trimmed), f"{UNNAMED}0" the first after the last named column; dropped once
# read (drop_unnamed).
UNNAMED = "\x00unnamed"


def column_names(
    raw: list[str],
    name: str,
    report: Report,
    trailing: bool = False,
    line: int | None = None,
    delimiter: str = ",",
) -> list[str] | None:
    """Trimmed, lower-cased names; None (a file-level error) when two are the same.

    A name holding an invisible or look-alike character (U+200B after `latitude`, a
    Cyrillic `а`) is read without it (the Latin letter for a look-alike), with a warning
    naming the character and its code point. With `trailing` (a CSV header), empty names
    after the last named column (a spreadsheet's `,,,`) are UNNAMED placeholders, with a
    warning at the header's `line` (its value the header's end as written, `notes;;;` with
    `delimiter` ";"):
    the caller reads and drops those columns (`drop_unnamed`).
    """
    names = [c.strip().lower() for c in raw]
    extra = 0
    if trailing:
        while extra < len(names) - 1 and names[len(names) - 1 - extra] == "":
            extra += 1
    if extra:
        names = names[: len(names) - extra]
        report.add(
            name,
            line,
            None,
            raw[-extra - 1].strip()[-40:] + delimiter + delimiter.join(raw[-extra:]),
            msg_n(
                "{n} column at the end of the header has no name (a spreadsheet's trailing "
                "delimiter): left out",
                "{n} columns at the end of the header have no name (a spreadsheet's trailing "
                "delimiters): left out",
                extra,
            ),
            severity="warning",
        )
    for position, column in enumerate(names):
        if hidden(column):
            names[position] = plain(column).strip()
            report.add(
                name,
                None,
                names[position],
                raw[position].strip(),  # as written; messages show it visibly
                msg(
                    "column name holds {characters}: read as {plain}",
                    characters=described(column),
                    plain=names[position],
                ),
                severity="warning",
            )
    seen: dict[str, list[str]] = {}
    for original, key in zip(raw, names, strict=False):
        seen.setdefault(key, []).append(original.strip())
    repeated = {k: v for k, v in seen.items() if len(v) > 1}
    if repeated:
        listed = "; ".join(" / ".join(repr(visible(x)) for x in v) for v in repeated.values())
        report.add(
            name,
            None,
            ", ".join(repeated),
            listed,
            msg(
                "repeated column name (names are compared trimmed and ignoring case): keep one "
                "of each"
            ),
        )
        return None
    if "" in seen:
        report.add(name, None, None, None, msg("a column has no name in the header"))
        return None
    return names + [f"{UNNAMED}{i}" for i in range(extra)]


def drop_unnamed(frame: pd.DataFrame, rows: np.ndarray, name: str, report: Report) -> pd.DataFrame:
    """`frame` without its UNNAMED columns; a value under one is a warning naming its
    line (it is left out with the column)."""
    unnamed = [c for c in frame.columns if c.startswith(UNNAMED)]
    for column in unnamed:
        values = frame[column]
        given = (values != "").to_numpy(dtype=bool)
        if given.any():
            report.add_many(
                name,
                rows[given],
                None,
                values[given].to_numpy(dtype=object),
                msg("a value under a column with no name (after the last named column): left out"),
                severity="warning",
            )
    return frame.drop(columns=unnamed) if unnamed else frame


def read_csv(
    text: str,
    name: str,
    report: Report,
    utf8: bytes | None = None,
    start: int = 0,
    delimiter: str | None = None,
) -> Table | None:
    """Comma, semicolon or tab separated text; line numbers are the file's own.

    utf8: the same text as UTF-8 bytes when the file was UTF-8 already (saves a copy);
    start: offset of the first visible character (blank lines before the header);
    delimiter: the one a `sep=` line declared (spreadsheet_lines), else sniffed.
    """
    end = text.find("\n", start)
    first = text[start : end if end >= 0 else len(text)].rstrip("\r")
    delimiter = delimiter or sniff_delimiter(first, name)
    try:
        header = next(csv.reader([first], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        report.add(name, 1, None, None, msg("unreadable CSV header: {detail}", detail=str(exc)))
        return None
    header_line = 1 + text.count("\n", 0, start)
    names = column_names(header, name, report, True, header_line, delimiter)
    if names is None:
        return None
    table = _fast_csv(text, utf8, names, delimiter, header_line)
    if table is None:
        table = _careful_csv(text, names, delimiter, name, report)
    if table is None:
        return None
    frame, rows = table
    frame = drop_unnamed(frame, rows, name, report)
    if not len(frame):
        report.add(name, None, None, None, msg("header only: the file has no data rows"))
        return None
    return Table(frame, rows, "csv", delimiter=delimiter, decimal_comma=delimiter in (";", "\t"))


def _fast_csv(
    text: str,
    utf8: bytes | None,
    names: list[str],
    delimiter: str,
    header_line: int,
    used: Collection[str] | None = None,
):
    """pyarrow's parser when every record is one line; None means 'use the careful one'.

    used: the only columns to convert (the others are parsed, not kept); None: all.
    """
    if utf8 is None:
        utf8 = text.encode("utf-8", errors="surrogatepass")
    newlines = limits.count_newlines(utf8)
    lines = newlines + (0 if utf8.endswith(b"\n") else 1)
    try:
        arrow = pacsv.read_csv(
            io.BytesIO(utf8),
            # One thread up to THREADED_PARSE_BYTES (every upload): on the shared 2-core
            # server the pool costs about 40% more CPU for no shorter wall time
            # (benchmarks/bench_validate.py). A country-scale file (command line): the
            # pool, in 8 MiB blocks, not 1 MiB (fewer chunks per column for every later
            # step: 2-5 % less CPU at 1,000,000 rows, benchmarks/bench_country.py).
            read_options=pacsv.ReadOptions(
                column_names=names,
                skip_rows=header_line,
                **(
                    {"use_threads": True, "block_size": 8 << 20}
                    if len(utf8) > THREADED_PARSE_BYTES
                    else {"use_threads": False}
                ),
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                # large_string: the type pandas' Arrow-backed "str" keeps (no cast)
                column_types={c: pa.large_string() for c in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                include_columns=[c for c in names if c in used or c.startswith(UNNAMED)]
                if used is not None
                else [],
            ),
        )
    except pa.ArrowInvalid:
        return None
    if arrow.num_rows != lines - header_line:  # blank lines or line breaks inside values
        return None
    frame = _strings_frame(arrow)
    first = header_line + 1
    return frame, np.arange(first, first + len(frame), dtype="int64")


def _careful_csv(text: str, names: list[str], delimiter: str, name: str, report: Report):
    """Python's csv module: exact start lines, ragged rows reported and left out."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, numbers, previous = [], [], 0
    header_seen = False
    named = sum(not c.startswith(UNNAMED) for c in names)
    try:
        for record in reader:
            start, previous = previous + 1, reader.line_num
            if not "".join(record).strip():
                continue
            if not header_seen:
                header_seen = True
                continue
            if len(names) > len(record) >= named:  # trailing empty columns not written
                record = record + [""] * (len(names) - len(record))
            if len(record) != len(names):
                report.add(
                    name,
                    start,
                    None,
                    delimiter.join(record),  # the row as written: no words to translate
                    msg_n(
                        "ragged row: {n} field where the header has {columns}",
                        "ragged row: {n} fields where the header has {columns}",
                        len(record),
                        columns=named,
                    ),
                )
                continue
            records.append(record)
            numbers.append(start)
    except csv.Error as exc:
        report.add(
            name, reader.line_num, None, None, msg("unreadable CSV: {detail}", detail=str(exc))
        )
        return None
    columns = list(zip(*records, strict=True)) if records else [()] * len(names)
    arrow = pa.table(
        {c: pa.array(col, type=pa.string()) for c, col in zip(names, columns, strict=True)}
    )
    return _strings_frame(arrow), np.asarray(numbers, dtype="int64")


# Whitespace trimmed from a cell's edges: Unicode's (as str.strip and
# utf8_trim_whitespace see it) but the line and paragraph separators U+2028/U+2029, which
# are part of what a person wrote and survive an export and its re-import.
TRIMMED = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
TRIMMED += "\u202f\u205f\u3000"


def _undefuse(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The apostrophe escape.defuse put before a formula start or an apostrophe removed
    (escape.DEFUSED), before any trimming: nothing else loses a character."""
    if not pc.any(pc.starts_with(column, "'")).as_py():
        return column
    return pc.replace_substring_regex(column, DEFUSED, r"\1")


def _edges(array: pa.Array) -> np.ndarray | None:
    """Rows whose value may need trimming, from the first and last byte of each value in
    the Arrow buffers, without touching the text in between. None: look at every row.

    Whitespace (TRIMMED) can only sit at an edge whose
    byte is an ASCII control or space (<= 0x20) or not ASCII (>= 0x7F: Unicode spaces such
    as U+00A0 are multi-byte); a value with neither at either edge is unchanged by
    trimming. Empty values make the test look at their neighbours' bytes: it may say
    "maybe" needlessly, never "no" wrongly.
    """
    if pa.types.is_string(array.type):
        offset_type = np.int32
    elif pa.types.is_large_string(array.type):
        offset_type = np.int64
    else:  # another type: the full pass decides
        return None
    _, offsets_buffer, data_buffer = array.buffers()
    if data_buffer is None or offsets_buffer is None or not data_buffer.size:
        return np.zeros(len(array), dtype=bool)  # every value empty (or null)
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[
        array.offset : array.offset + len(array) + 1
    ]
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    first = data[np.minimum(offsets[:-1], len(data) - 1)]
    last = data[np.maximum(offsets[1:] - 1, 0)]
    maybe = None
    for edge in (first, last):  # 0x21..0x7E: printable ASCII, never trimmed
        if len(edge) and (edge.min() <= 0x20 or edge.max() >= 0x7F):
            outside = (edge <= 0x20) | (edge >= 0x7F)
            maybe = outside if maybe is None else maybe | outside
    return np.zeros(len(array), dtype=bool) if maybe is None else maybe


def _chunk_edges(column: pa.ChunkedArray) -> np.ndarray | None:
    """`_edges` of every chunk, end to end (None if any chunk says None)."""
    parts = [_edges(chunk) for chunk in column.chunks]
    if any(part is None for part in parts):
        return None
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _clean(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """With the export's defusing apostrophe removed, then trimmed (TRIMMED).

    Trimming runs on the whole column only when one of the values whose edges could
    change (`_edges`: a place ending in "á" is one) does change; the apostrophe's regex
    only when some value starts with one. The chunks are kept as the parser made them
    (joining them copied every column of a country-scale file once more).
    """
    array = _undefuse(column)
    maybe = _chunk_edges(array)
    if maybe is None:
        return pc.utf8_trim(array, TRIMMED)
    if maybe.any():
        some = array.take(pa.array(np.flatnonzero(maybe)))
        if not pc.all(pc.equal(some, pc.utf8_trim(some, TRIMMED))).as_py():
            return pc.utf8_trim(array, TRIMMED)
    return array


_TO_STRING_DTYPE = {pa.string(): STRING_DTYPE, pa.large_string(): STRING_DTYPE}.get


def _strings_frame(arrow: pa.Table) -> pd.DataFrame:
    trimmed = pa.table([_clean(arrow[c]) for c in arrow.column_names], names=arrow.column_names)
    frame = trimmed.to_pandas(types_mapper=_TO_STRING_DTYPE)
    return frame if len(frame.columns) else pd.DataFrame(index=range(arrow.num_rows))


# ---------------------------------------------------------------- JSON / GeoJSON


def json_depth(value: Any) -> int:
    """Nesting depth of parsed JSON (containers only), stopping past MAX_JSON_DEPTH."""
    if not isinstance(value, dict | list):
        return 0
    depth, stack = 1, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > depth:
            depth = level
            if depth > MAX_JSON_DEPTH:
                break
        children = item.values() if isinstance(item, dict) else item
        stack.extend((v, level + 1) for v in children if isinstance(v, dict | list))
    return depth


def cell(value: Any) -> str:
    """A JSON value as cell text: null, NaN and ±Infinity are empty (never "nan")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return value.strip(TRIMMED)
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def read_json(text: str, name: str, report: Report) -> Table | None:
    """A GeoJSON FeatureCollection, or a JSON array of flat records (an API's `data`)."""
    try:
        doc = json.loads(text)
    except RecursionError:
        report.add(name, None, None, None, msg("absurdly deep JSON nesting"))
        return None
    except json.JSONDecodeError as exc:
        reason = msg("not JSON: {detail} at line {line}", detail=exc.msg, line=exc.lineno)
        report.add(name, None, None, None, reason)
        return None
    if json_depth(doc) > MAX_JSON_DEPTH:
        reason = msg("JSON nested deeper than {depth} levels", depth=MAX_JSON_DEPTH)
        report.add(name, None, None, None, reason)
        return None
    records = doc.get("data") if isinstance(doc, dict) and "type" not in doc else doc
    if (
        isinstance(records, list)
        and records
        and all(isinstance(r, dict) for r in records)
        and records[0].get("type") != "Feature"
    ):
        report.unit = "record"
        return records_table(records, name, report)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, dict) else json_kind(doc)
        report.add(name, None, "type", str(kind), msg("not a GeoJSON FeatureCollection"))
        return None
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        report.add(name, None, "features", None, msg("FeatureCollection has no features"))
        return None
    swap = crs_axis_order(doc, features, name, report)
    if swap is None:
        return None
    return features_table(features, name, report, swap=swap)


def json_kind(value: Any) -> str:
    """JSON's own word for a parsed value's kind (array, string, number...), never
    Python's (list, str, float), for messages about a file's top level."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {list: "array", str: "string", dict: "object"}.get(type(value), "value")


def records_table(records: list[dict], name: str, report: Report) -> Table | None:
    keys = list(dict.fromkeys(k for r in records for k in r))
    names = column_names(keys, name, report)
    if names is None:
        return None
    frame = _frame_of(
        {n: [cell(r.get(k)) for r in records] for k, n in zip(keys, names, strict=True)}
    )
    return Table(frame, np.arange(1, len(records) + 1, dtype="int64"), "json")


def features_table(features: list, name: str, report: Report, swap: bool = False) -> Table | None:
    """GeoJSON features to a Table; `swap`: each Point is [latitude, longitude]."""
    rows, numbers, has_geometry = [], [], []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report.add(name, number, "type", None, msg("not a GeoJSON Feature"))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            report.add(name, number, "properties", None, msg("properties must be an object"))
            continue
        values = {k: cell(v) for k, v in properties.items()}
        geometry = feature.get("geometry")
        if geometry is None:
            has_geometry.append(False)
        else:
            point = _point(geometry)
            if isinstance(point, Message):
                kind = geometry.get("type") if isinstance(geometry, dict) else geometry
                value = geometry.get("coordinates") if "[" in point.singular else kind
                report.add(name, number, "geometry", value, point)
                continue
            values["longitude"], values["latitude"] = point[::-1] if swap else point
            has_geometry.append(True)
        rows.append(values)
        numbers.append(number)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    names = column_names(keys, name, report)
    if names is None:
        return None
    frame = _frame_of({n: [r.get(k, "") for r in rows] for k, n in zip(keys, names, strict=True)})
    return Table(
        frame,
        np.asarray(numbers, dtype="int64"),
        "geojson",
        has_geometry=np.asarray(has_geometry, dtype=bool),
    )


def _point(geometry: Any) -> tuple[str, str] | Message:
    """(lon, lat) texts of a Point, or the reason it is not one."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return msg("expected a Point geometry")
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) not in (2, 3):
        return msg("a Point needs [longitude, latitude]")
    texts = []
    for c in coords[:2]:
        if isinstance(c, float) and not math.isfinite(c):
            texts.append(repr(c))  # "nan", "inf": the checks say "NaN or infinity"
        else:
            texts.append(cell(c))
    return texts[0], texts[1]


def _frame_of(columns: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(v, dtype=STRING_DTYPE) for c, v in columns.items()})


# At most this many of a table's columns decide whether a row repeats the header.
HEADER_PROBE_COLUMNS = 4


def drop_repeated_headers(table: Table, name: str, report: Report) -> int:
    """Rows that repeat the header (two exports joined into one file: the second file's
    header is a row of the first) are reported once each, as one error naming the line,
    and left out of `table` (frame, rows and geometry flags), so they do not give one
    error per field. A row repeats the header when its first HEADER_PROBE_COLUMNS values
    are the column names (trimmed, ignoring ASCII case; at least two columns). Returns
    how many rows were left out.
    """
    columns = table.columns[:HEADER_PROBE_COLUMNS]
    if len(columns) < 2 or table.frame.empty:
        return 0
    repeated = None
    for column in columns:
        values = pa.chunked_array(pa.array(table.frame[column].array))
        same = pc.fill_null(
            pc.equal(pc.ascii_lower(pc.utf8_trim_whitespace(values)), column), False
        )
        repeated = same if repeated is None else pc.and_(repeated, same)
        if not pc.any(repeated).as_py():
            return 0
    mask = np.asarray(repeated.to_numpy(zero_copy_only=False), dtype=bool)
    lines = table.rows[mask]
    report.add_many(
        name,
        lines,
        None,
        table.frame[columns[0]][mask].to_numpy(dtype=object),  # the line's first cell
        msg("the header is repeated here (two files joined?): the line is left out"),
    )
    keep = ~mask
    table.frame = table.frame[keep].reset_index(drop=True)
    table.rows = table.rows[keep]
    if table.has_geometry is not None:
        table.has_geometry = table.has_geometry[keep]
    return int(mask.sum())
