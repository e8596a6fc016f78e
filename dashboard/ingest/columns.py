"""Column-wise checks of one table: the machinery every validator of ingest/ uses.

`Checks` runs each check on a whole column at once (vectorised pandas / pyarrow) and
reports the rows it fails on (file, line or feature, field, value, reason) to a `Report`;
a row with an error is marked in `Checks.bad`, and the validators keep the others.
Nothing here raises on bad data. A file repeats its states, dates, counts, places and
precisions, so a check that depends only on the value runs once per distinct value
(`Distinct`) and is spread to the rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.read import STRING_DTYPE, Table, empty_texts
from dashboard.model.mexico import resolve_state
from dashboard.model.schema import MEXICO_BOUNDS, Report
from dashboard.model.timing import (
    DayMonthOrder,
    TimestampError,
    aware_datetimes,
    parse_timestamp,
    where_in_file,
)
from dashboard.text.lookalike import HIDDEN_CLASS, described, hidden, plain, visible
from dashboard.text.message import Message, msg, msg_n

_ISO_MINUTES = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([+-]\d{2}:\d{2}|Z)"
_HTTP = r"[hH][tT][tT][pP][sS]?://[^\s/?#@]+([/?#]\S*)?"
_DECIMAL = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?"
_SOURCE_DATE = r"\d{4}-\d{2}(-\d{2})?"
_THOUSANDS = r"[+-]?\d{1,3}(,\d{3})+"  # 1,234: a count in a comma-separated file
_DECIMAL_COMMA = r"[+-]?\d{1,3},\d+"  # 20,6597: a coordinate in a comma-separated file
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
        """The column `field` as text ("" where empty), or all "" when the file lacks it."""
        return self.frame[field] if field in self.frame.columns else self._empty

    def problem(
        self, mask, field: str | None, reason: Message | str, severity="error", values=None
    ):
        """Report `reason` at every row of `mask` (bool per row) for `field`, showing the
        field's values (or `values`: a Series, an array per row, or a `_Lazy` of one, built
        only when some row has the problem). An "error" marks the rows bad; a "warning"
        keeps them. Reported once per row and column of the file."""
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
        """The text column `field`; with `required`, an empty value is an error."""
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
        """The text column `field`, whose values must be one of `allowed` (or "" unless
        `required`); each distinct value is judged once."""
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

    def _separators(self, distinct: Distinct, field: str, kind: str) -> pd.Series:
        """The distinct texts of a number column with the separators its file's convention
        makes clear taken out, each kind of reading warned once per column (naming the
        first line, the value and how many rows).

        In a comma-separated file (where a number holding a comma was quoted), a count
        (`kind` "count": whole numbers) written in groups of three digits ("1,234",
        "12,345,678") has thousands separators: a decimal comma would not be whole. A
        coordinate (`kind` "coordinate": degrees, |value| <= 180) written with one comma
        ("20,6597", "-103,3475") has a decimal comma: 20,660 thousand degrees is no
        place. Anything else stays as written (and is "not a number" if it is not one).
        Semicolon- and tab-separated files read a comma as the decimal mark already.
        """
        text = distinct.values
        if self.table.decimal_comma or self.table.format != "csv":
            return text
        pattern = _THOUSANDS if kind == "count" else _DECIMAL_COMMA
        found = _fullmatch(text, pattern)
        if not found.any():
            return text
        changed = text.where(
            ~found, text.str.replace(",", "" if kind == "count" else ".", regex=False)
        )
        rows = distinct.per_row(found)
        first = int(np.argmax(rows))
        shown = text.iat[int(distinct.codes[first])]
        reading = changed.iat[int(distinct.codes[first])]
        reason = (
            msg_n(
                "{n} value read with thousands separators ({value} is {number})",
                "{n} values read with thousands separators ({value} is {number})",
                int(rows.sum()),
                value=shown,
                number=reading,
            )
            if kind == "count"
            else msg_n(
                "{n} value read with a decimal comma ({value} is {number})",
                "{n} values read with a decimal comma ({value} is {number})",
                int(rows.sum()),
                value=shown,
                number=reading,
            )
        )
        field_in_file = self.file_fields.get(field, field)
        self.report.add(
            self.name, int(self.rows[first]), field_in_file, shown, reason, severity="warning"
        )
        return changed

    def _numbers_once(self, distinct: Distinct, text: pd.Series | None = None) -> np.ndarray:
        """Float per distinct value of a text column (or `text`, the same values with
        their separators read: `_separators`): NaN where empty or not a number."""
        text = distinct.values if text is None else text
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
        text = self._separators(distinct, field, "coordinate")
        return values, distinct.per_row(self._numbers_once(distinct, text))  # a new array

    def count(self, field: str) -> np.ndarray:
        """Whole numbers ≥ 0 as floats; NaN where empty or bad (each distinct text judged
        once; MAX_COUNT at most)."""
        distinct = self.distinct(self.col(field))
        text = self._separators(distinct, field, "count")
        number = self._numbers_once(distinct, text).copy()  # (may be a read-only Arrow view)
        given = (distinct.values != "").to_numpy(dtype=bool)
        if not given.any():
            return np.full(self.n, np.nan)
        nan = np.isnan(number)
        comma = given & nan & _fullmatch(distinct.values, r"[+-]?\d+([.,]\d+)+")
        reason = msg("not a whole number as written: a count is written without separators (1234)")
        self.problem_once(distinct, comma, field, reason)
        self.problem_once(distinct, given & nan & ~comma, field, msg("not a number"))
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
        """The column `field`, one http(s) address with a host per row; with `required`,
        empty is an error except on the rows of `relaxed` (bool per row, or None)."""
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
        """The column `field` of space-separated http(s) addresses (each bad one is an
        error of its own), with single spaces between them."""
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
        """Bool per row: true for true/1/yes, false for ""/false/0/no (any case); anything
        else is an error (and false)."""
        distinct = self.distinct(self.col(field))
        lower = distinct.values.str.lower()
        true = distinct.per_row(lower.isin(["true", "1", "yes"]))
        false = distinct.per_row(lower.isin(["", "false", "0", "no"]))
        values = _Lazy(lambda: distinct.per_row(lower.to_numpy(dtype=object)))
        self.problem(~true & ~false, field, msg("expected true or false"), values=values)
        return true

    def lookalike_ids(self, field: str) -> None:
        """Ids holding an invisible or look-alike character (text.lookalike: `N1` and
        `N1` + U+200B look the same and are two ids). Ids that are the same once those
        characters are left out (look-alikes read as the Latin letter) are one id: each
        after the first is an error naming the first's line and the characters; an id
        alone with such characters is a warning naming them. Values are kept as written.
        """
        values = self.col(field)
        distinct = self.distinct(values)
        texts = distinct.values
        odd = pc.match_substring_regex(_arrow(texts), HIDDEN_CLASS)  # RE2, whole column
        odd = pc.fill_null(odd, False).to_numpy(zero_copy_only=False)
        suspects = {int(i) for i in np.flatnonzero(odd) if hidden(texts.iat[i])}
        if not suspects:
            return
        keys = {plain(texts.iat[i]) for i in suspects}
        groups: dict[str, list[int]] = {}
        for i, text in enumerate(texts.tolist()):
            key = plain(text) if i in suspects else text
            if key in keys and key:
                groups.setdefault(key, []).append(i)
        _, first_at = np.unique(distinct.codes, return_index=True)  # each value's first row
        for members in groups.values():
            first = members[0]  # distinct values are numbered in order of appearance
            for i in members:
                text = texts.iat[i]
                shown = np.full(self.n, text, dtype=object)  # as written; shown visibly
                if i == first:
                    if i in suspects:
                        reason = msg("id holds {characters}", characters=described(text))
                        self.problem(distinct.codes == i, field, reason, "warning", values=shown)
                    continue
                reason = msg(
                    "id looks the same as the id in {where} ({first}), but they differ by "
                    "{characters}",
                    where=where_in_file(self.table.unit, int(self.rows[first_at[first]])),
                    first=repr(visible(texts.iat[first])),
                    characters=described(text) or described(texts.iat[first]),
                )
                self.problem(distinct.codes == i, field, reason, values=shown)

    def unique(self, field: str) -> None:
        """Every repeat of a non-empty value of `field` is an error naming the row of its
        first occurrence; ids that differ only by hidden characters are named
        (`lookalike_ids`)."""
        self.lookalike_ids(field)
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
        """The column `field`, a YYYY-MM-DD or YYYY-MM date or ""; another form or an
        impossible date is an error."""
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
            else:  # once per spelling: at its first row, with how many more rows it has
                rows = np.flatnonzero(positions == number)
                if len(rows) > 1:
                    reason = msg_n(
                        "read as {name} (INEGI {cve_ent}, {iso}), here and in {n} more row",
                        "read as {name} (INEGI {cve_ent}, {iso}), here and in {n} more rows",
                        len(rows) - 1,
                        name=state.name,
                        cve_ent=state.cve_ent,
                        iso=state.iso_3166_2,
                    )
                shown = self.file_fields.get(field, field)
                line = int(self.rows[rows[0]])
                self.report.add(self.name, line, shown, value, reason, severity="warning")
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
            serial = excel_serial(text)
            if serial is not None:
                self.problem(chosen, field, serial)
                continue
            settled = order.order is not None and order.ambiguous(text)
            try:
                moment = parse_timestamp(text, order)
            except TimestampError as exc:
                self.problem(chosen, field, exc.message)
                continue
            if settled:  # each row read by the column's order is named, kept as a warning
                resolved += int(chosen.sum())
                self.problem(chosen, field, order.read_as(moment), severity="warning")
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


# Excel counts days from 30 December 1899 (its 1900 leap-year bug included); serials of
# 1990..2100 (_YEARS) are 32874..73415.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_SERIAL = re.compile(r"\d{5}(\.\d+)?")


def excel_serial(text: str, form: str = "2026-02-22T10:30-06:00") -> Message | None:
    """The reason a time is refused when it is an Excel date serial (a date cell saved
    as its number: "46075" or "46075.4375"), naming the date it stands for and the fix;
    None for any other text. Refused rather than read: a serial carries no UTC offset
    and a sheet may hold it in the 1904 date system (four years later). `form`: an
    example of the text the column should hold, for the fix."""
    if not _EXCEL_SERIAL.fullmatch(text):
        return None
    days = float(text)
    moment = _EXCEL_EPOCH + pd.Timedelta(days=days)
    if not _YEARS[0] <= moment.year <= _YEARS[1]:
        return None
    return msg(
        "an Excel date serial ({value} is {moment} in Excel's 1900 date system), not a "
        "date: format the column as text (such as {form}) before saving the CSV",
        value=text,
        form=form,
        moment=moment.strftime("%Y-%m-%d %H:%M"),
    )


def missing_columns(
    columns: Iterable[str], required: Iterable[str], name: str, report: Report
) -> bool:
    """Whether any of the `required` column names is missing from `columns`; each missing
    one is reported as an error of the file `name` (no row)."""
    columns = set(columns)
    missing = [c for c in required if c not in columns]
    for column in missing:
        report.add(name, None, column, None, msg("required column is missing"))
    return bool(missing)
