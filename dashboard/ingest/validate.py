"""Check incident, location and official-count files column by column; report every problem.

Reading is `read.py`, ACLED conversion `acled.py`, points to states `locate.py`; this
module checks values. Each check runs on a whole column at once (vectorised pandas /
pyarrow) and reports the rows it fails on (file, line or feature, field, value, reason);
a row with an error is dropped, every valid row is kept. Nothing here raises on bad data.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from dashboard.ingest import acled
from dashboard.ingest.locate import locate_points
from dashboard.ingest.read import (
    STRING_DTYPE,
    Table,
    drop_repeated_headers,
    empty_texts,
    read_table,
)
from dashboard.model.mexico import (
    BY_CODE,
    STATES_WITH_MUNICIPAL_ZONES,
    local_zone,
    resolve_state,
)
from dashboard.model.schema import (
    CONFIDENCE,
    COUNT_FIELDS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    INCIDENT_COLUMNS,
    INCIDENT_REQUIRED,
    LOCATION_FIELDS,
    MEXICO_BOUNDS,
    OFFICIAL_COLUMNS,
    OPTIONAL_INCIDENT_COLUMNS,
    PART_OF_DAY_SPANS,
    TIME_PRECISIONS,
    Report,
)
from dashboard.model.timing import (
    DayMonthOrder,
    TimestampError,
    aware_datetimes,
    intervals,
    parse_timestamp,
    where_in_file,
)
from dashboard.text.i18n import N_
from dashboard.text.message import Message, msg

Progress = Callable[[float, str], None]  # (fraction done 0..1, what is being done)

_ISO_MINUTES = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([+-]\d{2}:\d{2}|Z)"
_HTTP = r"[hH][tT][tT][pP][sS]?://[^\s/?#@]+([/?#]\S*)?"
_DECIMAL = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?"
_SOURCE_DATE = r"\d{4}-\d{2}(-\d{2})?"
_YEARS = (1990, 2100)
# The largest count accepted: counts are read as float64, which holds every whole number
# up to 2**53 (about 9.007e15) exactly; fifteen nines stays below that and reads plainly.
# Anything larger is reported (it would overflow the Int64 column or lose digits).
MAX_COUNT = 10**15 - 1


def _arrow(values: pd.Series) -> pa.Array:
    """The pyarrow array under a string column (no copy for pyarrow-backed strings)."""
    arrow = pa.array(values.array) if hasattr(values.array, "__arrow_array__") else None
    if arrow is None:
        arrow = pa.array(values.to_numpy(dtype=object), type=pa.string())
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    return arrow


def _fullmatch(values: pd.Series, pattern: str) -> np.ndarray:
    """Whether each whole value matches a (RE2) pattern, in pyarrow; bool per row."""
    matched = pc.match_substring_regex(_arrow(values), f"^(?:{pattern})$")
    return pc.fill_null(matched, False).to_numpy(zero_copy_only=False)


def _no_text(arrow: pa.Array) -> bool:
    """Whether every value of an Arrow string array is "" (its offsets never move)."""
    if not (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)):
        return False
    offsets = arrow.buffers()[1]
    if offsets is None:
        return False
    width = np.int64 if pa.types.is_large_string(arrow.type) else np.int32
    at = np.frombuffer(offsets, dtype=width)
    return bool(at[arrow.offset] == at[arrow.offset + len(arrow)])


class Distinct:
    """A text column as its distinct values and, per row, which of them it holds.

    values: the distinct values (pandas text, in order of first appearance; a missing
    value is one of them); codes: int32 per row, its position in `values`. A check that
    depends only on the value runs once per distinct value and is spread to the rows with
    `per_row` (a file repeats its states, dates, counts, places and precisions).
    """

    def __init__(self, column: pd.Series):
        arrow = _arrow(column)
        if len(arrow) and not arrow.null_count and _no_text(arrow):  # an empty column
            self.codes = np.zeros(len(arrow), dtype=np.int32)
            self.values = pd.Series([""], dtype=STRING_DTYPE)
            return
        encoded = pc.dictionary_encode(arrow, null_encoding="encode")
        self.codes = encoded.indices.to_numpy(zero_copy_only=False)
        self.values = pd.Series(encoded.dictionary, dtype=STRING_DTYPE)

    @classmethod
    def of(cls, codes: np.ndarray, values: list) -> Distinct:
        """From codes and distinct values known already (`Table.known`), not encoded."""
        distinct = cls.__new__(cls)
        distinct.codes = np.asarray(codes)
        distinct.values = pd.Series(values, dtype=STRING_DTYPE)
        return distinct

    def __len__(self) -> int:
        return len(self.values)

    def per_row(self, per_value) -> np.ndarray:
        """An array with one entry per distinct value, as one entry per row."""
        return np.asarray(per_value)[self.codes]


def _offset_seconds(tail: str) -> int:
    """ "-06:00" → -21600; "…Z" or anything else → 0 (only called on parsed values)."""
    if len(tail) == 6 and tail[0] in "+-" and tail[3] == ":":
        sign = -1 if tail[0] == "-" else 1
        return sign * (int(tail[1:3]) * 3600 + int(tail[4:6]) * 60)
    return 0


def _no_progress(fraction: float, step: str) -> None:
    return None


class _Lazy:
    """Values for messages that are only built when there is a problem to show."""

    def __init__(self, build):
        self.build = build

    def __call__(self):
        return self.build()


def _duplicate(unit: str, first: int) -> Message:
    """ "duplicate id (first in line 4)", with the word for what the rows count."""
    if unit == "feature":
        return msg("duplicate id (first in feature {first})", first=first)
    if unit == "record":
        return msg("duplicate id (first in record {first})", first=first)
    return msg("duplicate id (first in line {first})", first=first)


class Checks:
    """Column-wise checks of one table; `bad` marks the rows that have an error."""

    def __init__(self, table: Table, name: str, report: Report):
        self.table, self.name, self.report = table, name, report
        self.frame = table.frame
        self.rows = table.rows
        self.n = len(table.frame)
        self.bad = np.zeros(self.n, dtype=bool)
        self._empty = empty_texts(self.frame.index)
        self.file_fields: dict[str, str] = {}  # our column -> the file's, for messages
        # Rows whose emptiness was already reported under another name (ACLED's dates).
        self.already = np.zeros(self.n, dtype=bool)
        # (file's column, reason) -> rows reported: one problem per row and file column.
        self._reported: dict[tuple[str | None, str], np.ndarray] = {}
        self._distinct: dict[int, tuple[object, Distinct]] = {}  # id(column array) -> codes
        # Column -> (its Distinct, UTC epoch µs and offset s per distinct text): `timestamps`
        self.moments: dict[str, tuple[Distinct, np.ndarray, np.ndarray]] = {}
        # Column -> (position per row, INEGI code or "" per position): `states`
        self.state_codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for field, (codes, values) in table.known.items():
            self.seed(field, codes, values)

    def seed(self, field: str, codes: np.ndarray, values: list) -> None:
        """Give the column `field` of the current frame its codes and distinct values (in
        order of first appearance), known from how it was made."""
        if field in self.frame.columns:
            array = self.frame[field].array
            self._distinct[id(array)] = (array, Distinct.of(codes, values))

    def distinct(self, values: pd.Series) -> Distinct:
        """`Distinct(values)`, computed once per column (the cache holds the column)."""
        cached = self._distinct.get(id(values.array))
        if cached is None or cached[0] is not values.array:
            cached = self._distinct[id(values.array)] = (values.array, Distinct(values))
        return cached[1]

    def matches(self, values: pd.Series, pattern: str) -> np.ndarray:
        """`_fullmatch` once per distinct value (for columns that repeat their values)."""
        distinct = self.distinct(values)
        return distinct.per_row(_fullmatch(distinct.values, pattern))

    def col(self, field: str) -> pd.Series:
        return self.frame[field] if field in self.frame.columns else self._empty

    def problem(
        self, mask, field: str | None, reason: Message | str, severity="error", values=None
    ):
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        shown = self.col(field) if values is None else values
        if isinstance(shown, _Lazy):
            shown = shown()
        field_in_file = self.file_fields.get(field, field)
        # Two of our columns read from one column of the file (ACLED's sub_event_type gives
        # event_type and summary): its problem is reported once per row.
        key = (field_in_file, reason)
        earlier = self._reported.get(key)
        self._reported[key] = mask if earlier is None else earlier | mask
        if earlier is not None:
            mask = mask & ~earlier
        if isinstance(shown, pd.Series):  # only the rows shown become Python objects
            shown = shown[mask].to_numpy(dtype=object)
        else:
            shown = np.asarray(shown, dtype=object)[mask]
        self.report.add_many(self.name, self.rows[mask], field_in_file, shown, reason, severity)
        if severity == "error":
            self.bad |= mask

    def text(self, field: str, required: bool = False) -> pd.Series:
        values = self.col(field)
        if required:
            self.problem((values == "").to_numpy(), field, msg("required text is empty"))
        return values

    def problem_once(
        self, distinct: Distinct, mask_once, field: str, reason: Message | str, severity="error"
    ):
        """`problem` given a mask per distinct value of the field's column (`distinct`):
        spread to the rows only when some value has the problem."""
        mask_once = np.asarray(mask_once, dtype=bool)
        if mask_once.any():
            self.problem(distinct.per_row(mask_once), field, reason, severity)

    def choice(self, field: str, allowed: Iterable[str], required: bool = True) -> pd.Series:
        allowed = list(allowed)
        values = self.col(field)
        distinct = self.distinct(values)  # each distinct value compared once
        if required:
            empty = (distinct.values == "").to_numpy(dtype=bool)
            self.problem_once(distinct, empty, field, msg("required text is empty"))
        wrong = ((distinct.values != "") & ~distinct.values.isin(allowed)).to_numpy(dtype=bool)
        self.problem_once(
            distinct,
            wrong,
            field,
            msg("unknown value; expected one of: {allowed}", allowed=", ".join(allowed)),
        )
        return values

    def _numbers_once(self, distinct: Distinct) -> np.ndarray:
        """Float per distinct value of a text column: NaN where empty or not a number."""
        text = distinct.values
        if not (text != "").any():
            return np.full(len(text), np.nan)
        text = text.str.replace(",", ".", regex=False) if self.table.decimal_comma else text
        # Only what looks like a decimal number goes to pyarrow's parser (never raising);
        # the rest is NaN and reported by the callers.
        looks = _fullmatch(text, _DECIMAL)
        arrow = pc.if_else(pa.array(looks), _arrow(text), pa.scalar(None, pa.string()))
        try:
            number = pc.cast(arrow, pa.float64()).to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # e.g. an absurd exponent
            number = pd.to_numeric(text.where(looks).to_numpy(dtype=object), errors="coerce")
        return np.asarray(number, dtype=float)

    def _numbers(self, field: str) -> tuple[pd.Series, np.ndarray]:
        """(text, float per row: NaN where empty or not a number)."""
        values = self.col(field)
        distinct = self.distinct(values)  # each distinct text is read once
        return values, distinct.per_row(self._numbers_once(distinct))  # a new array

    def count(self, field: str) -> np.ndarray:
        """Whole numbers ≥ 0 as floats; NaN where empty or bad (each distinct text judged
        once; MAX_COUNT at most)."""
        distinct = self.distinct(self.col(field))
        number = self._numbers_once(distinct).copy()  # (may be a read-only Arrow view)
        given = (distinct.values != "").to_numpy(dtype=bool)
        if not given.any():
            return np.full(self.n, np.nan)
        nan = np.isnan(number)
        self.problem_once(distinct, given & nan, field, msg("not a number"))
        with np.errstate(invalid="ignore"):  # inf % 1 is NaN: not whole, as wanted
            fractional = given & ~nan & (~np.isfinite(number) | (np.mod(number, 1) != 0))
        self.problem_once(distinct, fractional, field, msg("not a whole number"))
        negative = given & ~nan & ~fractional & (number < 0)
        self.problem_once(distinct, negative, field, msg("negative count"))
        too_large = given & ~nan & ~fractional & ~negative & (number > MAX_COUNT)
        reason = msg("count too large: at most {max}", max=f"{MAX_COUNT:,}")
        self.problem_once(distinct, too_large, field, reason)
        number[~given | nan | fractional | negative | too_large] = np.nan
        return distinct.per_row(number)

    def number(self, field: str, rows: np.ndarray) -> np.ndarray:
        """Finite numbers for `rows` (a mask): empty, not a number, NaN and ±inf reported."""
        values, number = self._numbers(field)
        empty = rows & (values == "").to_numpy()
        self.problem(empty, field, msg("required number is empty"))
        nan = np.isnan(number)
        words = np.zeros(self.n, dtype=bool)
        if (rows & ~empty & nan).any():  # which of them say NaN or infinity
            words = self.matches(values, r"[+-]?([nN][aA][nN]|[iI][nN][fF]([iI][nN][iI][tT][yY])?)")
        self.problem(rows & ~empty & nan & ~words, field, msg("not a number"))
        self.problem(
            rows & ~empty & (words | (~nan & ~np.isfinite(number))),
            field,
            msg("not a finite number (NaN or infinity)"),
        )
        return number

    def url(self, field: str, required: bool = True, relaxed=None) -> pd.Series:
        values = self.col(field)
        empty = (values == "").to_numpy()
        if required:
            need = empty if relaxed is None else empty & ~relaxed
            self.problem(need, field, msg("required text is empty"))
        # (an all-empty column, as ACLED's, needs no pattern)
        ok = _fullmatch(values, _HTTP) if not empty.all() else np.zeros(self.n, dtype=bool)
        self.problem(~empty & ~ok, field, msg("source URL must be an http(s) address with a host"))
        return values

    def urls(self, field: str) -> pd.Series:
        values = self.col(field)
        given = (values != "").to_numpy()
        if not given.any():
            return values
        words = values[given].str.split()
        exploded = words.explode()
        ok = exploded.str.fullmatch(_HTTP).fillna(True).astype(bool)
        wrong_words = exploded[~ok]
        if len(wrong_words):
            positions = wrong_words.index.to_numpy()  # the frame's RangeIndex
            self.problem_at(
                positions,
                field,
                wrong_words.to_numpy(dtype=object),
                msg("source URL must be an http(s) address with a host"),
            )
        return values.str.split().str.join(" ").fillna("")

    def problem_at(self, positions, field, values, reason, severity="error"):
        """Problems at row positions that may repeat (one per bad word of a cell)."""
        positions = np.asarray(positions, dtype=int)
        self.report.add_many(self.name, self.rows[positions], field, values, reason, severity)
        if severity == "error":
            self.bad[positions] = True

    def flag(self, field: str) -> np.ndarray:
        distinct = self.distinct(self.col(field))
        lower = distinct.values.str.lower()
        true = distinct.per_row(lower.isin(["true", "1", "yes"]))
        false = distinct.per_row(lower.isin(["", "false", "0", "no"]))
        values = _Lazy(lambda: distinct.per_row(lower.to_numpy(dtype=object)))
        self.problem(~true & ~false, field, msg("expected true or false"), values=values)
        return true

    def unique(self, field: str) -> None:
        values = self.col(field)
        distinct = self.distinct(values)
        if len(distinct) == self.n:  # every value differs
            return
        # Codes number the values in order of first appearance: a row holds a value's
        # first occurrence exactly where the running maximum of the codes grows.
        codes = distinct.codes
        seen = np.maximum.accumulate(codes)
        first_time = np.empty(self.n, dtype=bool)
        first_time[:1] = True
        first_time[1:] = seen[1:] > seen[:-1]
        real = (distinct.values != "") & distinct.values.notna()  # as groupby: no NaN group
        repeated = ~first_time & distinct.per_row(real)
        if not repeated.any():
            return
        # One pass for every group of repeats (a loop per group is quadratic when a file
        # repeats many ids): the reasons, which differ only in the first line, are built
        # for the problems the report keeps.
        at = np.flatnonzero(repeated)
        firsts = self.rows[np.flatnonzero(first_time)][codes[at]]
        unit = self.table.unit
        self.report.add_numbered(
            self.name,
            self.rows[at],
            self.file_fields.get(field, field),
            values[repeated].to_numpy(dtype=object),
            lambda positions: [_duplicate(unit, int(firsts[p])) for p in positions],
        )
        self.bad[at] = True

    def source_date(self, field: str) -> pd.Series:
        values = self.col(field)
        codes = self.distinct(values)  # few dates: each read once
        given_once = (codes.values != "").to_numpy()
        form_once = _fullmatch(codes.values, _SOURCE_DATE)
        given, form = codes.per_row(given_once), codes.per_row(form_once)
        self.problem(given & ~form, field, msg("not a date: use YYYY-MM-DD or YYYY-MM"))
        distinct = pd.Series(codes.values.to_numpy(dtype=object), dtype=object)
        distinct = distinct.where(given_once & form_once, "")
        day = pd.to_datetime(
            distinct.where(distinct.str.len() == 10), format="%Y-%m-%d", errors="coerce"
        )
        month = pd.to_datetime(
            distinct.where(distinct.str.len() == 7), format="%Y-%m", errors="coerce"
        )
        impossible = codes.per_row((day.isna() & month.isna() & (distinct != "")).to_numpy())
        self.problem(impossible, field, msg("impossible date"))
        return values

    def states(self, field: str, per_row_aliases: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """(INEGI code or "" per row, mask of given-but-unknown values); aliases warned."""
        values = self.col(field)
        codes = np.full(self.n, "", dtype=object)
        unknown = np.zeros(self.n, dtype=bool)
        given = (values != "").to_numpy()
        if not given.any():
            self.state_codes[field] = (
                np.zeros(self.n, dtype="int64"),
                np.array([""], dtype=object),
            )
            return codes, unknown
        positions, distinct = pd.factorize(values)
        resolved = [resolve_state(v) if v else (None, False) for v in distinct]
        code_of = np.array([s.cve_ent if s else "" for s, _ in resolved] + [""], dtype=object)
        # (-1, a missing value, is the last: "")
        self.state_codes[field] = (np.where(positions < 0, len(distinct), positions), code_of)
        codes = code_of[positions]
        unknown = given & (code_of == "")[positions]
        for number, (value, (state, alias)) in enumerate(zip(distinct, resolved, strict=True)):
            if state is None or not alias:
                continue
            reason = msg(
                "read as {name} (INEGI {cve_ent}, {iso})",
                name=state.name,
                cve_ent=state.cve_ent,
                iso=state.iso_3166_2,
            )
            if per_row_aliases:
                self.problem(positions == number, field, reason, severity="warning")
            else:
                shown = self.file_fields.get(field, field)
                self.report.add(self.name, None, shown, value, reason, severity="warning")
        return codes, unknown

    def timestamps(self, field: str, required: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """(UTC epoch µs, UTC offset s) per row; -1 µs where empty or bad (reported).

        Each distinct text is parsed once (a file repeats its times) and spread to its rows.
        A numeric date (25/02/2026 10:00-06:00) is read in the day/month order the column
        proves (timing.DayMonthOrder; a warning at the proving row says so when it settled
        an ambiguous one), and is an error when ambiguous and the column cannot settle it.
        """
        values = self.col(field)
        distinct = self.distinct(values)
        codes, texts = distinct.codes, distinct.values
        given_once = (texts != "").to_numpy()
        given = distinct.per_row(given_once)
        if required:
            self.problem(~given & ~self.already, field, msg("required text is empty"))
        if not given_once.any():
            once = len(texts)
            self.moments[field] = (distinct, np.full(once, -1), np.zeros(once, dtype="int64"))
            return np.full(self.n, -1, dtype="int64"), np.zeros(self.n, dtype="int64")
        fast = given_once & _fullmatch(texts, _ISO_MINUTES)
        try:  # pyarrow's ISO 8601 parser on the whole column; it refuses 30 February
            arrow = pc.if_else(pa.array(fast), _arrow(texts), pa.scalar(None, pa.string()))
            utc = pc.cast(arrow, pa.timestamp("us", tz="UTC"))
            micros = pc.fill_null(pc.cast(utc, pa.int64()), -1).to_numpy()
            year = pc.fill_null(pc.cast(pc.year(utc), pa.float64()), np.nan).to_numpy().copy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            parsed = pd.to_datetime(texts.where(fast), format="ISO8601", utc=True, errors="coerce")
            parsed = parsed.astype("datetime64[us, UTC]")
            micros = parsed.to_numpy(dtype="datetime64[us]").astype("int64")
            micros[parsed.isna().to_numpy()] = -1
            year = parsed.dt.year.to_numpy(dtype=float).copy()
        ok = fast & (micros != -1)
        # The UTC offset is the text after the time: few distinct values, read once each.
        tail_codes, tails = pd.factorize(texts.str.slice(-6).where(ok, ""))
        tail_seconds = np.array([_offset_seconds(t) for t in tails], dtype="int64")
        seconds = tail_seconds[tail_codes] if len(tails) else np.zeros(len(texts), dtype="int64")
        epoch = np.where(ok, micros, -1).astype("int64")
        offset = np.where(ok, seconds, 0).astype("int64")
        # The rest one distinct value at a time (in the order they first appear): other
        # ISO forms, numeric dates (read in the column's day/month order), every message.
        rest = np.flatnonzero(given_once & ~ok)
        order = self._day_month_order(texts, codes, rest)
        resolved = 0  # rows whose ambiguous date the column's order settled
        for number in rest:
            chosen = codes == number
            text = texts.iat[number]
            if order.order is not None and order.ambiguous(text):
                resolved += int(chosen.sum())
            try:
                moment = parse_timestamp(text, order)
            except TimestampError as exc:
                self.problem(chosen, field, exc.message)
                continue
            epoch[number] = round(moment.timestamp() * 1_000_000)
            offset[number] = int(moment.utcoffset().total_seconds())
            year[number] = moment.year
        out_of_range = given_once & (epoch != -1) & ((year < _YEARS[0]) | (year > _YEARS[1]))
        year = distinct.per_row(year)  # per row, as the messages read it
        for number in np.flatnonzero(out_of_range):
            chosen = codes == number
            self.problem(chosen, field, msg("impossible year {year}", year=int(year[chosen][0])))
            epoch[number] = -1
        if resolved:
            proof = int(rest[order.proof])
            self.report.add(
                self.name,
                int(self.rows[np.argmax(codes == proof)]),
                self.file_fields.get(field, field),
                texts.iat[proof],
                order.inferred(resolved),
                severity="warning",
            )
        self.moments[field] = (distinct, epoch, offset)
        return distinct.per_row(epoch), distinct.per_row(offset)

    def _day_month_order(self, texts, codes, numbers) -> DayMonthOrder:
        """The day/month order of a column's numeric dates, from its distinct texts at
        `numbers` (in order of first appearance); messages name a proof's first row."""
        candidates = [texts.iat[n] for n in numbers]

        def where(i: int):
            return where_in_file(self.table.unit, int(self.rows[np.argmax(codes == numbers[i])]))

        return DayMonthOrder(candidates, where)

    def datetimes(self, field: str, keep: np.ndarray) -> np.ndarray:
        """Aware datetimes (object; None where missing or bad) of the `keep` rows of a
        column `timestamps` read: built once per distinct text and spread to the rows."""
        distinct, epoch, offset = self.moments[field]
        return aware_datetimes(epoch, offset)[distinct.codes[keep]]

    def coordinates(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lon, lat, ok) for `rows` (a mask) from latitude/longitude (or the geometry)."""
        lat = self.number("latitude", rows)
        lon = self.number("longitude", rows)
        ok = rows & np.isfinite(lat) & np.isfinite(lon)
        west, south, east, north = MEXICO_BOUNDS
        where = _Lazy(lambda: self.col("latitude") + ", " + self.col("longitude"))
        swapped = ok & (west <= lat) & (lat <= east) & (south <= lon) & (lon <= north)
        self.problem(
            swapped, "latitude", msg("latitude and longitude look swapped for Mexico"), values=where
        )
        ok &= ~swapped
        bad_lat = ok & ((lat < -90) | (lat > 90))
        self.problem(
            bad_lat, "latitude", msg("out of range (latitude -90..90, longitude -180..180)")
        )
        bad_lon = ok & ~bad_lat & ((lon < -180) | (lon > 180))
        self.problem(
            bad_lon, "longitude", msg("out of range (latitude -90..90, longitude -180..180)")
        )
        ok &= ~bad_lat & ~bad_lon
        outside = ok & ~((west <= lon) & (lon <= east) & (south <= lat) & (lat <= north))
        self.problem(outside, "latitude", msg("point is outside Mexico"), values=where)
        ok &= ~outside
        return lon, lat, ok


# ---------------------------------------------------------------- file validators


def missing_columns(
    columns: Iterable[str], required: Iterable[str], name: str, report: Report
) -> bool:
    columns = set(columns)
    missing = [c for c in required if c not in columns]
    for column in missing:
        report.add(name, None, column, None, msg("required column is missing"))
    return bool(missing)


def detect_format(table: Table, bundled: bool = False) -> str:
    """ "acled-csv", "acled-json", "acled-geojson" or the table's own format ("csv",
    "geojson")."""
    if not bundled and acled.is_acled(table.columns):
        return f"acled-{table.format}"  # acled-csv, acled-json, acled-geojson
    return table.format


class Incidents:
    """The outcome of checking an incidents file: valid rows, report, how it was read.

    frame: the valid rows joined to their places (INCIDENT_FRAME_COLUMNS and any
    OPTIONAL_INCIDENT_COLUMNS the file had); format: "csv", "geojson", "acled-csv",
    "acled-json" ("" when unreadable); encoding: as detected; mapping: ACLED's
    (our column, ACLED column, what happens) rows, empty for our own schema.
    """

    def __init__(self, frame, report, format="", encoding="", mapping=None):
        self.frame, self.report = frame, report
        self.format, self.encoding = format, encoding
        self.mapping = mapping or []  # [(our column, file column, what happens)]


def check_incidents(
    data: bytes,
    name: str,
    locations: gpd.GeoDataFrame,
    states: gpd.GeoDataFrame,
    *,
    bundled: bool = False,
    limit: int | None = None,
    keep_all: bool = False,
    progress: Progress = _no_progress,
) -> Incidents:
    """Incident records from our schema or ACLED's, each tied to a place or its own point.

    data: the file's bytes (CSV, TSV, GeoJSON, ACLED CSV/JSON); name: for messages.
    locations/states: the bundled layers (GeoDataFrames, EPSG:4326). bundled=True is the
    stricter contract of geodata/ (no ACLED, a URL on every row, `summary` and
    `summary_es` both required); a user's file needs `summary` or `summary_es`. The
    report keeps the first `limit` problems (schema default) or all of them with keep_all.
    `progress(fraction, step)` is called between steps; `step` is an English message id
    (marked with N_), shown translated with `i18n.gettext_for(lang, step)`.
    """
    report = (
        Report(limit=None) if keep_all else Report(**({} if limit is None else {"limit": limit}))
    )
    progress(0.0, N_("reading the file"))
    # An ACLED export's columns the conversion does not use are not converted.
    table = read_table(data, name, report, None if bundled else acled.columns_to_read)
    if table is None:
        return Incidents(empty_incidents(), report)
    fmt = detect_format(table, bundled)
    drop_repeated_headers(table, name, report)
    mapping: list = []
    if fmt.startswith("acled"):
        table.frame = acled.to_incidents(table, name, report)
        mapping = [list(m) for m in acled.COLUMN_MAPPING]
    progress(0.2, N_("checking columns"))
    missing = missing_columns(table.columns, _required(fmt), name, report)
    # The bundled data carries both languages; a user's file either one.
    if bundled:
        missing |= missing_columns(table.columns, ("summary", "summary_es"), name, report)
    elif not {"summary", "summary_es"} & set(table.columns):
        report.add(name, None, "summary", None, msg("required column is missing"))
        missing = True
    if missing:
        return Incidents(empty_incidents(), report, fmt, table.encoding, mapping)
    has_geometry = table.has_geometry is not None and bool(table.has_geometry.any())
    if (
        "location_id" not in table.columns
        and not {"latitude", "longitude"} <= set(table.columns)
        and not has_geometry
    ):
        report.add(
            name,
            None,
            "location_id",
            None,
            msg("required column is missing (or give latitude/longitude)"),
        )
        return Incidents(empty_incidents(), report, fmt, table.encoding, mapping)
    frame = _check_rows(table, fmt, name, locations, states, report, bundled, progress)
    progress(1.0, N_("done"))
    return Incidents(frame, report, fmt, table.encoding, mapping)


def _required(fmt: str) -> tuple[str, ...]:
    if fmt.startswith("acled"):
        return ("incident_id", "time_precision", "event_type")
    return tuple(c for c in INCIDENT_REQUIRED if c != "summary")


def validate_incidents(
    data: bytes,
    name: str,
    locations: gpd.GeoDataFrame,
    states: gpd.GeoDataFrame,
    **options,
) -> tuple[pd.DataFrame, Report]:
    """(valid rows joined to their places, report): `check_incidents` without the metadata."""
    result = check_incidents(data, name, locations, states, **options)
    return result.frame, result.report


def _check_rows(table, fmt, name, locations, states, report, bundled, progress):
    check = Checks(table, name, report)
    is_acled = fmt.startswith("acled")
    if is_acled:
        check.file_fields = dict(acled.FILE_FIELDS)
        # Unreadable event dates were reported by the conversion: drop those rows.
        check.bad |= ((check.col("event_date") != "") & (check.col("event_day") == "")).to_numpy()
    check.text("incident_id", required=True)
    check.unique("incident_id")
    precision = check.choice("time_precision", TIME_PRECISIONS)
    part = check.choice("part_of_day", PART_OF_DAY_SPANS, required=False)
    event_type = check.choice("event_type", EVENT_TYPES)
    counts = {f: check.count(f) for f in COUNT_FIELDS}
    summary = _summaries(check, bundled, derived_es=is_acled)
    source_url = check.url(
        "source_url", relaxed=np.full(check.n, is_acled) if not bundled else None
    )
    more_urls = check.urls("more_source_urls")
    check.source_date("source_date")
    confidence = check.choice("confidence", CONFIDENCE, required=False)
    disputed = check.flag("disputed")
    progress(0.4, N_("placing rows"))

    # Where: a bundled place by location_id, or the row's own point.
    location_id = check.col("location_id")
    has_id = (location_id != "").to_numpy()
    geometry = (
        table.has_geometry if table.has_geometry is not None else np.zeros(check.n, dtype=bool)
    )
    own = ~has_id & (
        geometry
        | (check.col("latitude") != "").to_numpy()
        | (check.col("longitude") != "").to_numpy()
    )
    ids = check.distinct(location_id)
    known = ids.per_row(ids.values.isin(locations["location_id"]))
    check.problem(has_id & ~known, "location_id", msg("unknown location_id"))
    neither = ~has_id & ~own
    reason = (
        msg("feature has no geometry and no location_id")
        if table.format == "geojson"
        else msg("needs a location_id or latitude/longitude")
    )
    check.problem(neither, "geometry" if table.format == "geojson" else "location_id", reason)
    lon, lat, point_ok = check.coordinates(own)
    declared, unknown_state = check.states("cve_ent", per_row_aliases=not is_acled)
    geo_precision = check.choice("geo_precision", [str(k) for k in GEO_PRECISIONS], required=False)
    place = check.col("place")
    municipality = check.col("municipality")
    # An unknown state name with a point: the point's state is used (warned below).
    check.problem(
        unknown_state & ~own,
        "cve_ent",
        msg("unknown state: use the INEGI code 01..32, MX-XXX or the state's name"),
    )
    candidates = np.flatnonzero(own & point_ok & ~check.bad)
    # The declared states as rows of the states layer (an unknown name is declared "").
    state_at, code_of = check.state_codes["cve_ent"]
    layer = {c: i for i, c in enumerate(states["cve_ent"].tolist())}
    in_layer = np.array([layer.get(c, -2) if c else -1 for c in code_of], dtype="int64")
    located = locate_points(
        name,
        table.rows[candidates],
        lon[candidates],
        lat[candidates],
        declared[candidates],
        states,
        report,
        declared_at=in_layer[state_at[candidates]],
    )
    state = declared.copy()
    state[candidates] = located.state
    # The same as integers: (position per row, code per position), for the combinations
    # below. Locating fills in only rows declared "" (none, or an unknown name).
    state_codes = _with_codes(
        state_at, list(code_of), state, candidates[(code_of == "")[state_at[candidates]]]
    )
    outside = np.zeros(check.n, dtype=bool)
    outside[candidates[~located.in_mexico]] = True
    check.bad |= outside
    fallback = unknown_state & own & ~check.bad
    if fallback.any():
        for code in pd.unique(state[fallback]):
            chosen = fallback & (state == code)
            check.problem(
                chosen,
                "cve_ent",
                msg("unknown state; using {name}, where the point lies", name=BY_CODE[code].name),
                severity="warning",
            )
    progress(0.6, N_("checking times"))

    # When: ACLED dates become local midnight once the state (its clock) is known.
    if is_acled:
        check.already = (check.col("event_date") != "").to_numpy()
        start_text, start_codes = _acled_starts(check, state_codes, municipality, has_id, locations)
        check.frame = check.frame.assign(start=start_text)
        check.seed("start", *start_codes)
    start_us, start_offset = check.timestamps("start")
    end_us, end_offset = check.timestamps("end", required=False)
    backwards = (end_us >= 0) & (start_us >= 0) & (end_us < start_us)
    check.problem(backwards, "end", msg("end is before start"))
    progress(0.8, N_("building the table"))

    keep = ~check.bad

    every = bool(keep.all())

    def kept(values: pd.Series) -> pd.Series:
        return (values if every else values[keep]).reset_index(drop=True)

    own_ids = pd.Series(  # file name + "#" + line, inserted in place
        pc.utf8_replace_slice(
            pc.cast(pa.array(table.rows), pa.large_string()),
            start=0,
            stop=0,
            replacement=name + "#",
        ),
        dtype=STRING_DTYPE,
    )
    # The columns are gathered first and made a frame once (each insert into a frame
    # costs about a millisecond at 100,000 rows).
    columns = {
        "incident_id": kept(check.col("incident_id")),
        "location_id": kept(
            own_ids
            if not has_id.any()
            else location_id
            if has_id.all()
            else location_id.where(has_id, own_ids)
        ),
        # Aware datetimes on each record's own clock (object: offsets differ).
        "start": pd.Series(check.datetimes("start", keep), dtype=object),
        "end": pd.Series(check.datetimes("end", keep), dtype=object),
        "time_precision": kept(precision),
        "part_of_day": kept(part),
        "event_type": kept(event_type),
        **{
            f: pd.arrays.IntegerArray(
                np.nan_to_num(counts[f][keep]).astype("int64"), np.isnan(counts[f][keep])
            )
            for f in COUNT_FIELDS
        },
        "summary": kept(summary),
        "source_url": kept(source_url),
        "source_outlet": kept(check.col("source_outlet")),
        "source_date": kept(check.col("source_date")),
        "more_source_urls": kept(more_urls),
        "confidence": kept(confidence),
        "disputed": disputed[keep],
        "notes": kept(check.col("notes")),
    }
    for column in OPTIONAL_INCIDENT_COLUMNS:
        if column in check.frame.columns:
            columns[column] = kept(check.col(column))

    def factorized(values: pd.Series) -> tuple[np.ndarray, list]:
        distinct = check.distinct(values)  # the choice checks encoded them already
        return (distinct.codes if every else distinct.codes[keep]), distinct.values.tolist()

    lo, hi = intervals(
        start_us[keep], start_offset[keep], factorized(precision), factorized(part), end_us[keep]
    )
    columns["t_start"] = pd.to_datetime(lo, unit="us", utc=True)
    columns["t_end"] = pd.to_datetime(hi, unit="us", utc=True)
    _join_places(
        columns,
        locations,
        keep,
        has_id,
        lon,
        lat,
        state_codes,
        place,
        municipality,
        factorized(geo_precision),
    )
    _join_place_es(columns, locations, keep, has_id, check.col("place_es"))
    return pd.DataFrame(columns)


def _summaries(check: Checks, bundled: bool, derived_es: bool = False) -> pd.Series:
    """`summary`, or for a user's file `summary_es` where summary is empty. `derived_es`:
    summary_es was made from the same fields as summary (ACLED's conversion), so only
    summary is checked (one problem, not two, for an empty sub-event type)."""
    summary = check.col("summary")
    has_es = "summary_es" in check.frame.columns
    if bundled or not has_es or derived_es:
        check.text("summary", required=True)
        if bundled and has_es:
            check.text("summary_es", required=True)
        return summary
    spanish = check.col("summary_es")
    check.problem(
        ((summary == "") & (spanish == "")).to_numpy(),
        "summary",
        msg("required text is empty (give summary or summary_es)"),
    )
    return summary.where(summary != "", spanish)


def _with_codes(at: np.ndarray, values: list, codes: np.ndarray, rows: np.ndarray):
    """(position per row, value per position) with the rows `rows` set to `codes` there
    (an object array per row): those few rows factorized, their values appended."""
    if not len(rows):
        return at, values
    at = at.copy()
    extra, more = pd.factorize(np.asarray(codes[rows], dtype=object))
    at[rows] = len(values) + extra
    return at, values + more.tolist()


def _acled_starts(check, state_codes, municipality, has_id, locations):
    """ACLED event dates as ISO local midnight with the state's (municipality's) offset:
    (text column, (code per row, distinct texts) for `Checks.seed`).

    state_codes: (position per row, INEGI code or "" per position). Computed once per
    distinct (date, state, municipality): a file repeats them. The municipality counts
    only in a state with a municipality on another clock.
    """
    state_at, state_values = state_codes
    if has_id.any():  # a bundled place's state
        by_id = locations.set_index("location_id")["cve_ent"]
        ids = check.col("location_id")[has_id].to_numpy(dtype=object)
        codes = np.empty(check.n, dtype=object)
        codes[has_id] = by_id.reindex(ids).fillna("").to_numpy(dtype=object)
        state_at, state_values = _with_codes(state_at, state_values, codes, np.flatnonzero(has_id))
    days = check.distinct(check.col("event_day"))  # known from the conversion
    day_at, day_values = days.codes.astype("int64"), days.values.tolist()
    # Elsewhere every town of a state is on the state's clock: "" stands for them all.
    special = np.array([c in STATES_WITH_MUNICIPAL_ZONES for c in state_values] + [False])
    town_at, town_values = np.zeros(check.n, dtype="int64"), [""]
    on_town_clock = special[state_at]
    if on_town_clock.any():
        at, towns = pd.factorize(municipality[on_town_clock].to_numpy(dtype=object))
        town_at[on_town_clock] = at + 1
        town_values += towns.tolist()
    # One integer per (date, state, municipality); each combination once, in order of
    # first appearance (factorize numbers them so).
    key = (day_at * (len(state_values) + 1) + state_at + 1) * len(town_values) + town_at
    inverse, _ = pd.factorize(key)
    seen = np.maximum.accumulate(inverse)
    first = np.flatnonzero(np.diff(seen, prepend=-1) > 0)
    zones: dict = {}  # (state, municipality) -> IANA zone name
    midnights: dict = {}  # (date, zone) -> ISO text
    texts = []
    for date_at, code_at, town in zip(
        day_at[first].tolist(), state_at[first].tolist(), town_at[first].tolist(), strict=True
    ):
        date, code = day_values[date_at], state_values[code_at] if code_at >= 0 else ""
        if not date or code not in BY_CODE:
            texts.append("")
            continue
        zone = zones.get((code, town))
        if zone is None:
            zone = zones[(code, town)] = local_zone(code, town_values[town])
        if (date, zone) not in midnights:
            day = datetime.fromisoformat(date).replace(tzinfo=zone)
            midnights[(date, zone)] = day.isoformat(timespec="minutes")
        texts.append(midnights[(date, zone)])
    unset = np.asarray(texts, dtype=object) == ""
    dated = (check.col("event_day") != "").to_numpy()
    missing = unset[inverse] & dated & ~check.bad
    check.problem(
        missing, "admin1", msg("no state to set the local clock of event_date (give admin1)")
    )
    remap, once = pd.factorize(np.asarray(texts, dtype=object))  # each text once
    text_at = remap[inverse]
    once = once.tolist()
    text = pa.array(once, type=pa.large_string()).take(pa.array(text_at))
    return pd.Series(text, index=check.frame.index, dtype=STRING_DTYPE), (text_at, once)


def _join_places(
    frame, locations, keep, has_id, lon, lat, state, place, municipality, precision_codes
):
    """lon, lat, place, municipality, cve_ent, geo_precision per kept row, added to
    `frame` (the kept rows' columns by name, "location_id" among them). state: every
    row's INEGI code as (position per row, code per position); precision_codes: the kept
    rows' geo_precision as (code per row, distinct texts).

    Rows with a location_id take them from the bundled place; the others keep their own.
    """
    by_id = has_id[keep]
    n = len(by_id)
    index = np.zeros(n, dtype=int)
    if by_id.any() and len(locations):
        index[by_id] = pd.Index(locations["location_id"]).get_indexer(frame["location_id"][by_id])

    def joined(own_values: pd.Series, table: pd.Series) -> pd.Series:
        own_values = own_values.reset_index(drop=True)
        if not by_id.any():
            return own_values
        taken = pd.Series(table.to_numpy(dtype=object), dtype=STRING_DTYPE).take(index)
        return taken.reset_index(drop=True).where(by_id, own_values)

    def numbers(own_values: np.ndarray, table: np.ndarray) -> np.ndarray:
        return np.where(by_id, table[index], own_values) if by_id.any() else own_values

    # geo_precision is "" (1) or one of GEO_PRECISIONS on every kept row (the choice
    # check); the distinct texts also hold the dropped rows' values.
    positions, distinct = precision_codes
    allowed = {str(k): k for k in GEO_PRECISIONS}
    levels = np.array([allowed.get(v, 1) for v in distinct], dtype="int64")
    frame["lon"] = numbers(lon[keep].astype(float), locations.geometry.x.to_numpy())
    frame["lat"] = numbers(lat[keep].astype(float), locations.geometry.y.to_numpy())
    frame["place"] = joined(place[keep], locations["place"])
    frame["municipality"] = joined(municipality[keep], locations["municipality"])
    state_at, state_values = state
    own_state = pa.array(state_values, type=pa.large_string()).take(pa.array(state_at[keep]))
    frame["cve_ent"] = joined(pd.Series(own_state, dtype=STRING_DTYPE), locations["cve_ent"])
    frame["geo_precision"] = numbers(
        levels[positions], locations["geo_precision"].to_numpy(dtype="int64")
    )


def _join_place_es(frame, locations, keep, has_id, place_es) -> None:
    """`place_es` per kept row (dashboard/model/placenames.py): a bundled place's Spanish name
    for rows with a location_id (empty where the place has none or the layer lacks the
    column), else the row's own; a user's row may give `place`, `place_es` or both."""
    own = place_es[keep].reset_index(drop=True)
    by_id = has_id[keep]
    if not by_id.any() or "place_es" not in locations.columns or not len(locations):
        frame["place_es"] = own.where(~pd.Series(by_id), "") if by_id.any() else own
        return
    index = pd.Index(locations["location_id"]).get_indexer(frame["location_id"][by_id])
    spanish = locations["place_es"].fillna("").to_numpy(dtype=object)
    values = own.to_numpy(dtype=object).copy()
    values[by_id] = spanish[index]
    frame["place_es"] = pd.Series(values, dtype=STRING_DTYPE)


# Validated records joined to their place, with their time interval in UTC.
INCIDENT_FRAME_COLUMNS = (
    *INCIDENT_COLUMNS,
    "t_start",
    "t_end",
    "lon",
    "lat",
    "place",
    "municipality",
    "cve_ent",
    "geo_precision",
    "place_es",
)


def empty_incidents() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=STRING_DTYPE) for c in INCIDENT_FRAME_COLUMNS})
    for column in COUNT_FIELDS:
        frame[column] = frame[column].astype("Int64")
    frame["disputed"] = frame["disputed"].astype(bool)
    for column in ("t_start", "t_end"):
        frame[column] = pd.to_datetime(pd.Series([], dtype="int64"), unit="us", utc=True)
    for column in ("lon", "lat"):
        frame[column] = frame[column].astype(float)
    frame["geo_precision"] = frame["geo_precision"].astype("int64")
    frame["start"] = frame["start"].astype(object)
    frame["end"] = frame["end"].astype(object)
    return frame


# ---------------------------------------------------------------- the other layers


def validate_locations(
    data: bytes, name: str, states: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, Report]:
    """The bundled places: id, place, municipality, state, precision and a point in it."""
    report = Report()
    table = read_table(data, name, report)
    empty = gpd.GeoDataFrame(
        columns=[*LOCATION_FIELDS, "geometry"], geometry="geometry", crs="EPSG:4326"
    )
    if table is None or missing_columns(table.columns, LOCATION_FIELDS, name, report):
        return empty, report
    check = Checks(table, name, report)
    location_id = check.text("location_id", required=True)
    check.unique("location_id")
    place = check.text("place", required=True)
    place_es = check.text("place_es")  # the Spanish form of a description (placenames.py)
    municipality = check.text("municipality")
    state, unknown = check.states("cve_ent")
    check.problem(
        unknown,
        "cve_ent",
        msg("unknown state: use the INEGI code 01..32, MX-XXX or the state's name"),
    )
    check.text("cve_ent", required=True)
    precision = check.choice("geo_precision", [str(k) for k in GEO_PRECISIONS], required=True)
    lon, lat, ok = check.coordinates(np.ones(check.n, dtype=bool))
    candidates = np.flatnonzero(ok & ~check.bad)
    located = locate_points(
        name,
        table.rows[candidates],
        lon[candidates],
        lat[candidates],
        state[candidates],
        states,
        report,
    )
    keep = np.zeros(check.n, dtype=bool)
    keep[candidates[located.in_mexico]] = True
    if not keep.any():
        return empty, report
    frame = gpd.GeoDataFrame(
        {
            "location_id": location_id[keep].to_numpy(dtype=object),
            "place": place[keep].to_numpy(dtype=object),
            "place_es": place_es[keep].to_numpy(dtype=object),
            "municipality": municipality[keep].to_numpy(dtype=object),
            "cve_ent": state[keep],
            "geo_precision": precision[keep].astype("int64").to_numpy(),
        },
        geometry=shapely.points(lon[keep], lat[keep]),
        crs="EPSG:4326",
    )
    return frame, report


def validate_official(data: bytes, name: str) -> tuple[pd.DataFrame, Report]:
    """Official figures: when, scope, metric, a whole-number value, who said it, where."""
    report = Report()
    table = read_table(data, name, report)
    required = ("reported_at", "scope", "metric", "value", "reported_by", "source_url")
    if table is None or missing_columns(table.columns, required, name, report):
        return pd.DataFrame(columns=[*OFFICIAL_COLUMNS, "t_reported"]), report
    check = Checks(table, name, report)
    reported_us, _ = check.timestamps("reported_at")
    precision = check.choice("time_precision", TIME_PRECISIONS, required=False)
    check.text("scope", required=True)
    state, unknown = check.states("cve_ent")
    check.problem(
        unknown,
        "cve_ent",
        msg("unknown state: use the INEGI code 01..32, MX-XXX or the state's name"),
    )
    check.text("metric", required=True)
    value = check.count("value")
    check.problem(np.isnan(value) & ~check.bad, "value", msg("required number is empty"))
    check.text("reported_by", required=True)
    check.url("source_url")
    disputed = check.flag("disputed")
    keep = ~check.bad
    frame = pd.DataFrame(
        {
            "reported_at": check.col("reported_at")[keep].to_numpy(dtype=object),
            "time_precision": precision[keep]
            .where(precision[keep] != "", "day")
            .to_numpy(dtype=object),
            "scope": check.col("scope")[keep].to_numpy(dtype=object),
            "cve_ent": state[keep],
            "metric": check.col("metric")[keep].to_numpy(dtype=object),
            "value": value[keep].astype("int64"),
            "reported_by": check.col("reported_by")[keep].to_numpy(dtype=object),
            "source_url": check.col("source_url")[keep].to_numpy(dtype=object),
            "disputed": disputed[keep],
            "notes": check.col("notes")[keep].to_numpy(dtype=object),
            "t_reported": pd.to_datetime(reported_us[keep], unit="us", utc=True),
        },
        columns=[*OFFICIAL_COLUMNS, "t_reported"],
    )
    return frame, report


def validate_key_moments(data: bytes, name: str) -> tuple[pd.DataFrame, Report]:
    """The short sourced timeline shown beside the map."""
    report = Report()
    table = read_table(data, name, report)
    columns = ["at", "time_precision", "headline", "source_url", "source_outlet"]
    if table is None or missing_columns(table.columns, columns[:4], name, report):
        return pd.DataFrame(columns=columns), report
    check = Checks(table, name, report)
    at_us, offset = check.timestamps("at")
    precision = check.choice("time_precision", TIME_PRECISIONS)
    check.text("headline", required=True)
    if "headline_es" in table.columns:  # the Spanish headline, when the file carries it
        check.text("headline_es", required=True)
    check.url("source_url")
    keep = ~check.bad
    # Aware datetimes on their own clock, as `timestamps` read them (a numeric date in
    # the column's day/month order).
    at = list(check.datetimes("at", keep))
    frame = pd.DataFrame(
        {
            "at": pd.Series(at, dtype=object),
            "time_precision": precision[keep].to_numpy(dtype=object),
            "headline": check.col("headline")[keep].to_numpy(dtype=object),
            "source_url": check.col("source_url")[keep].to_numpy(dtype=object),
            "source_outlet": check.col("source_outlet")[keep].to_numpy(dtype=object),
        },
        columns=columns,
    )
    return frame, report


def validate_states(data: bytes, name: str) -> tuple[gpd.GeoDataFrame, Report]:
    """The states layer: 32 valid polygons with their codes."""
    report = Report()
    try:
        collection = gpd.read_file(io.BytesIO(data), engine="pyogrio")
    except Exception as exc:  # noqa: BLE001 - any reader failure is a file-level problem
        report.add(
            name, None, None, None, msg("unreadable states layer: {detail}", detail=str(exc))
        )
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"), report
    report.unit = "feature"
    codes, geoms = [], []
    for number, (code_text, geom) in enumerate(
        zip(
            collection.get("cve_ent", pd.Series([""] * len(collection))),
            collection.geometry,
            strict=True,
        ),
        start=1,
    ):
        state, _ = resolve_state(str(code_text or ""))
        failed = False
        if state is None:
            report.add(name, number, "cve_ent", code_text, msg("unknown state"))
            failed = True
        if geom is None or geom.is_empty:
            report.add(name, number, "geometry", None, msg("no geometry"))
            continue
        if not geom.is_valid:
            reason = msg("invalid geometry: {detail}", detail=shapely.is_valid_reason(geom))
            report.add(name, number, "geometry", geom.geom_type, reason)
            failed = True
        if state is not None and state.cve_ent in codes:
            report.add(name, number, "cve_ent", state.cve_ent, msg("duplicate state"))
            failed = True
        if not failed:
            codes.append(state.cve_ent)
            geoms.append(geom)
    missing = sorted(set(BY_CODE) - set(codes))
    if missing:
        report.add(name, None, "cve_ent", ", ".join(missing), msg("states missing from the layer"))
    frame = gpd.GeoDataFrame(
        {
            "cve_ent": codes,
            "iso_3166_2": [BY_CODE[c].iso_3166_2 for c in codes],
            "name": [BY_CODE[c].name for c in codes],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    return frame, report
