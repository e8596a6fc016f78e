"""Timestamps and the time interval each record really covers.

Most reports give only the day or the part of the day, on the clock of the state where
they happened. A record's interval makes that honest: a window selects a record when the
two overlap, so a record known only to "22 Feb" is in every window that touches 22 Feb.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pandas as pd

from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.schema import PART_OF_DAY_SPANS
from dashboard.text.i18n import format_datetime
from dashboard.text.message import Message, msg, msg_n

# ACLED codebook (time_precision): 2 = the source gives a week (the date coded is the
# middle of it), 3 = only a month (coded to a day in it). The intervals below cover the
# seven days centred on the date, and the calendar month of the date.
WEEK_BEFORE, WEEK_AFTER = timedelta(days=3), timedelta(days=4)

_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_YEARS = range(1990, 2101)

# A date written with numbers only, day and month in either order, then a four-digit year
# (22/02/2026, 3/4/2026, 02-25-2026, 25.02.2026), and whatever follows (a time, an offset).
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d)(.*)$", re.DOTALL)
DAY_FIRST, MONTH_FIRST = "day first", "month first"


class TimestampError(ValueError):
    """A timestamp that cannot be used, with a reason a user can act on.

    `message` is the reason as a catalogue message (shown in Spanish or English);
    `str(error)` is its English text.
    """

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


def where_in_file(unit: str, row: int) -> Message:
    """ "line 3" / "feature 3" / "record 3": a place in a file, for a message's value."""
    if unit == "feature":
        return msg("feature {row}", row=row)
    if unit == "record":
        return msg("record {row}", row=row)
    return msg("line {row}", row=row)


def numeric_date(text: str) -> tuple[int, int, int, str] | None:
    """(first number, second number, year, the rest) of a date written with numbers only
    and a four-digit year (`3/4/2026 10:00-06:00` gives (3, 4, 2026, " 10:00-06:00")),
    whatever the order of day and month; None for any other text (ISO 8601 included)."""
    found = _NUMERIC_DATE.match(text.strip())
    if found is None:
        return None
    first, _, second, year, rest = found.groups()
    return int(first), int(second), int(year), rest


def _proves(first: int, second: int) -> str | None:
    """The order a numeric date can only be read in (a number above 12 is the day), or
    None when it proves nothing (both up to 12, or neither readable)."""
    if 12 < first <= 31 and 1 <= second <= 12:
        return DAY_FIRST
    if 12 < second <= 31 and 1 <= first <= 12:
        return MONTH_FIRST
    return None


def _ambiguous(first: int, second: int) -> bool:
    """Both numbers could be the month, and the two readings differ (3/4, not 4/4)."""
    return 1 <= first <= 12 and 1 <= second <= 12 and first != second


class DayMonthOrder:
    """How one column of a file writes its numeric dates: day first (22/02/2026) or
    month first (02/22/2026), as its own values prove.

    A date whose first or second number is above 12 proves its column's order. When the
    column's values prove exactly one order, every numeric date in it is read that way
    (3/4/2026 is 3 April in a column holding 25/02/2026); when they prove none, or both,
    a date both of whose numbers could be the month is ambiguous and refused
    (`TimestampError`). A date that proves an order is always read in it.

    texts: the column's values (distinct values in order of first appearance are
    enough); where(i): the place of texts[i] in the file for messages (`where_in_file`),
    called only for a value that proves an order when the column proves both.
    """

    def __init__(self, texts: Sequence[str], where: Callable[[int], object] | None = None):
        self.texts = texts
        self.where = where or (lambda i: msg("value {n}", n=i + 1))
        # Order -> position in `texts` of the first value proving it.
        self.proofs: dict[str, int] = {}
        for i, text in enumerate(texts):
            parts = numeric_date(text) if text else None
            if parts is not None:
                proved = _proves(parts[0], parts[1])
                if proved is not None and proved not in self.proofs:
                    self.proofs[proved] = i
                    if len(self.proofs) == 2:
                        break

    @property
    def order(self) -> str | None:
        """DAY_FIRST or MONTH_FIRST when the column proves that order only, else None."""
        return next(iter(self.proofs)) if len(self.proofs) == 1 else None

    @property
    def proof(self) -> int | None:
        """Position in `texts` of the value proving `order` (None without an order)."""
        return self.proofs[self.order] if self.order else None

    def ambiguous(self, text: str) -> bool:
        """Whether `text` is a numeric date that only the column's order can read."""
        parts = numeric_date(text)
        return parts is not None and _ambiguous(parts[0], parts[1])

    def iso(self, text: str) -> str:
        """`text` with its numeric date written as ISO 8601 (`25/02/2026 10:00-06:00` gives
        `2026-02-25 10:00-06:00`), read in the order it proves or else the column's;
        any other text unchanged. Raises TimestampError for an ambiguous date the column
        cannot settle, and for numbers that are no day and month in either order."""
        parts = numeric_date(text)
        if parts is None:
            return text
        first, second, year, rest = parts
        order = _proves(first, second)
        if order is None and first == second and 1 <= first <= 12:
            order = DAY_FIRST  # 4/4/2026 reads the same either way
        if order is None and _ambiguous(first, second):
            order = self.order
            if order is None:
                raise TimestampError(self._ambiguous_reason(first, second, year))
        if order is None:  # 13/13/2026, 0/5/2026, 40/02/2026
            raise TimestampError(_IMPOSSIBLE)
        day, month = (first, second) if order == DAY_FIRST else (second, first)
        return f"{year:04d}-{month:02d}-{day:02d}{rest}"

    def _ambiguous_reason(self, first: int, second: int, year: int) -> Message:
        day_first = f"{year:04d}-{second:02d}-{first:02d}"
        month_first = f"{year:04d}-{first:02d}-{second:02d}"
        if not self.proofs:
            return msg(
                "ambiguous day/month date: {day_first} (day first) or {month_first} (month "
                "first)? No date in this column has a day above 12 to tell; write it as "
                "YYYY-MM-DD",
                day_first=day_first,
                month_first=month_first,
            )
        at_day, at_month = self.proofs[DAY_FIRST], self.proofs[MONTH_FIRST]
        return msg(
            "ambiguous day/month date: this column has dates written day first ({day_value}, "
            "{day_where}) and month first ({month_value}, {month_where}); write it as "
            "YYYY-MM-DD",
            day_value=self.texts[at_day],
            day_where=self.where(at_day),
            month_value=self.texts[at_month],
            month_where=self.where(at_month),
        )

    def read_as(self, moment: datetime) -> Message:
        """The note at a row whose ambiguous date was read in the column's order: the
        date it was read as (ISO 8601), so a wrong reading can be seen row by row."""
        if self.order == MONTH_FIRST:
            return msg(
                "could be day/month or month/day: read month first, as {date}, the order "
                "another date of this column shows",
                date=moment.date().isoformat(),
            )
        return msg(
            "could be day/month or month/day: read day first, as {date}, the order another "
            "date of this column shows",
            date=moment.date().isoformat(),
        )

    def inferred(self, n: int) -> Message:
        """The note a report gives at the proving value: `n` ambiguous dates of the
        column were read in its order."""
        if self.order == MONTH_FIRST:
            return msg_n(
                "{n} date of this column that could be day/month or month/day is read "
                "month first (MM/DD/YYYY), as this date shows",
                "{n} dates of this column that could be day/month or month/day are read "
                "month first (MM/DD/YYYY), as this date shows",
                n,
            )
        return msg_n(
            "{n} date of this column that could be day/month or month/day is read day "
            "first (DD/MM/YYYY), as this date shows",
            "{n} dates of this column that could be day/month or month/day are read day "
            "first (DD/MM/YYYY), as this date shows",
            n,
        )


_IMPOSSIBLE = msg(
    "impossible date or time (month 1–12, a day of that month, hour 0–23, minute 0–59)"
)


def parse_timestamp(text: str, order: DayMonthOrder | None = None) -> datetime:
    """ISO 8601 with a UTC offset, the only unambiguous form for records from many zones.

    Returns an aware datetime on the text's own offset. A numeric date (25/02/2026
    10:00-06:00) is read in the order it proves, else in `order`, its column's (see
    DayMonthOrder; None: the text alone decides). Raises TimestampError (a ValueError)
    naming what is wrong: empty, not ISO 8601, an ambiguous day/month date, an impossible
    date or time, no UTC offset, a year outside 1990..2100.
    """
    text = text.strip()
    if not text:
        raise TimestampError(msg("empty timestamp"))
    numeric = numeric_date(text)
    if numeric is not None:
        iso = (order or DayMonthOrder([text])).iso(text)
        moment = _from_iso(iso)
        if moment.tzinfo is None:
            written = iso if "T" in iso or " " in iso else iso + "T00:00"
            raise TimestampError(
                msg(
                    "not ISO 8601, and no UTC offset: write it with one, e.g. {suggestion} "
                    "for Mexico City time",
                    suggestion=written.replace(" ", "T", 1) + "-06:00",
                )
            )
    else:
        slashed = _SLASHED.match(text)
        if slashed:
            first, second = int(slashed.group(1)), int(slashed.group(2))
            if first <= 12 and second <= 12 and first != second:
                raise TimestampError(
                    msg(
                        "ambiguous day/month date: could be either order; use ISO 8601 "
                        "(YYYY-MM-DDTHH:MM±HH:MM)"
                    )
                )
            raise TimestampError(msg("not ISO 8601; write YYYY-MM-DDTHH:MM±HH:MM"))
        moment = _from_iso(text)
    if moment.tzinfo is None:
        raise TimestampError(msg("timestamp has no UTC offset (add e.g. -06:00 for Mexico City)"))
    if moment.year not in _YEARS:
        raise TimestampError(msg("impossible year {year}", year=moment.year))
    return moment


def _from_iso(text: str) -> datetime:
    """datetime.fromisoformat, its failures as TimestampError."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        if re.match(r"^\d{4}-\d{2}-\d{2}", text):
            raise TimestampError(_IMPOSSIBLE) from None
        raise TimestampError(msg("not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM±HH:MM)")) from None


# A window bound (the CLI's --start/--end, a link's from/to): ISO 8601 date, optional
# time, optional UTC offset.
_BOUND = re.compile(
    r"^(?P<local>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?)?)"
    r"(?P<offset>.*)$",
    re.DOTALL,
)
_OFFSET = re.compile(r"^(?P<sign>[+-])(?P<hours>\d{2})(?::?(?P<minutes>\d{2}))?$")
# Offsets in use on Earth: UTC-12:00 (Baker Island) to UTC+14:00 (Line Islands).
OFFSET_RANGE = (timedelta(hours=-12), timedelta(hours=14))


def parse_window_bound(text: str, *, from_url: bool = False) -> datetime:
    """A time window's end as a person types it: the CLI's --start/--end, a link's from/to.

    ISO 8601: `YYYY-MM-DD`, optionally `THH`, `THH:MM` or `THH:MM:SS` (a space instead
    of `T` too), optionally a UTC offset: `Z`, `±HH:MM`, `±HHMM` or `±HH`, from -12:00 to
    +14:00. Without an offset the time is Mexico City wall-clock time (UTC-06:00 all year
    since 2022); a date alone is its midnight. Returns an aware datetime: on the text's own
    offset, or Mexico City's.

    from_url: the text comes from a URL's query string, where an unescaped `+` reads as a
    space, so `06:00 01:00` after the time is taken as `06:00+01:00`.

    Raises TimestampError (a ValueError) whose `message` says what is wrong: not this
    form, an impossible date or time, an unreadable or out-of-range offset.
    """
    text = text.strip()
    found = _BOUND.match(text)
    if found is None:
        raise TimestampError(
            msg(
                "write YYYY-MM-DDTHH:MM (Mexico City time), or add a UTC offset: "
                "2026-02-22T06:00-06:00, 2026-02-22T12:00Z"
            )
        )
    local, offset = found.group("local"), found.group("offset")
    if from_url and re.fullmatch(r" \d{2}(:?\d{2})?", offset):
        offset = "+" + offset[1:]
    try:
        moment = datetime.fromisoformat(local)
    except ValueError:
        raise TimestampError(_IMPOSSIBLE) from None
    if not offset:
        return moment.replace(tzinfo=MEXICO_CITY)
    if offset in ("Z", "z"):
        return moment.replace(tzinfo=UTC)
    parts = _OFFSET.match(offset)
    if parts is None:
        raise TimestampError(
            msg(
                "unreadable UTC offset {offset!r}: write Z, ±HH:MM, ±HHMM or ±HH",
                offset=offset,
            )
        )
    hours, minutes = int(parts.group("hours")), int(parts.group("minutes") or 0)
    shift = timedelta(hours=hours, minutes=minutes)
    shift = -shift if parts.group("sign") == "-" else shift
    if minutes > 59 or not OFFSET_RANGE[0] <= shift <= OFFSET_RANGE[1]:
        raise TimestampError(
            msg("UTC offset {offset} out of range (-12:00 to +14:00)", offset=offset)
        )
    return moment.replace(tzinfo=timezone(shift))


def interval(
    start: datetime, precision: str, part_of_day: str = "", end: datetime | None = None
) -> tuple[datetime, datetime]:
    """The span a record may have happened in, on the record's own clock.

    `start` and `end` are timezone-aware; the result is two aware datetimes on start's
    clock. `precision` is one of schema.TIME_PRECISIONS; "week" is the seven days centred
    on start's day, "month" its calendar month (ACLED's time_precision 2 and 3).
    """
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if precision == "week":
        lo, hi = midnight - WEEK_BEFORE, midnight + WEEK_AFTER
    elif precision == "month":
        lo = midnight.replace(day=1)
        hi = (lo + timedelta(days=32)).replace(day=1)
    elif precision == "minute":
        lo, hi = start, start + timedelta(minutes=1)
    elif precision == "hour":
        lo = start.replace(minute=0, second=0, microsecond=0)
        hi = lo + timedelta(hours=1)
    elif precision == "part_of_day" and part_of_day in PART_OF_DAY_SPANS:
        first, last = PART_OF_DAY_SPANS[part_of_day]
        lo = midnight.replace(hour=first.hour, minute=first.minute)
        hi = (
            midnight + timedelta(days=1)
            if last is None
            else midnight.replace(hour=last.hour, minute=last.minute)
        )
    else:  # "day", or a part of day the source did not name
        lo, hi = midnight, midnight + timedelta(days=1)
    if end is not None and end > hi:
        hi = end
    return lo, hi


DAY_US = 86_400_000_000
HOUR_US = 3_600_000_000
MINUTE_US = 60_000_000


class _Words:
    """A text column compared with a few words: each distinct value is compared once."""

    def __init__(self, values):
        if isinstance(values, tuple):  # (code per row, distinct values): factorized already
            self.codes, distinct = values
        else:
            if not isinstance(values, pd.Series | pd.Index):
                values = np.asarray(values, dtype=object)
            self.codes, distinct = pd.factorize(values)
        self.distinct = list(distinct)

    def equals(self, word: str) -> np.ndarray:
        """bool per row: the value is `word`."""
        if word in self.distinct:
            return self.codes == self.distinct.index(word)
        return np.zeros(len(self.codes), dtype=bool)


def intervals(
    start_us: np.ndarray,
    offset_s: np.ndarray,
    precision: np.ndarray,
    part_of_day: np.ndarray,
    end_us: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """`interval` for whole columns: UTC epoch microseconds (int64) of each span's ends.

    start_us: UTC epoch microseconds of each start; offset_s: its UTC offset in seconds
    (the record's own clock); precision, part_of_day: strings as in `interval` (arrays or
    pandas Series), or each as a tuple (int code per row, its distinct values) when the
    caller has them factorized already; end_us: epoch microseconds of the end, or a
    negative number where there is none.
    """
    start_us = np.asarray(start_us, dtype="int64")
    offset_us = np.asarray(offset_s, dtype="int64") * 1_000_000
    precision = _Words(precision)
    part_of_day = _Words(part_of_day)
    local = start_us + offset_us
    midnight = local // DAY_US * DAY_US
    lo, hi = midnight.copy(), midnight + DAY_US  # "day" and an unnamed part of day
    minute = precision.equals("minute")
    lo[minute], hi[minute] = local[minute], local[minute] + MINUTE_US
    hour = precision.equals("hour")
    lo[hour] = local[hour] // HOUR_US * HOUR_US
    hi[hour] = lo[hour] + HOUR_US
    parts = precision.equals("part_of_day")
    for name, (first, last) in PART_OF_DAY_SPANS.items():
        chosen = parts & part_of_day.equals(name)
        lo[chosen] = midnight[chosen] + (first.hour * 60 + first.minute) * MINUTE_US
        hi[chosen] = midnight[chosen] + (
            DAY_US if last is None else (last.hour * 60 + last.minute) * MINUTE_US
        )
    week = precision.equals("week")
    lo[week] = midnight[week] - 3 * DAY_US
    hi[week] = midnight[week] + 4 * DAY_US
    month = precision.equals("month")
    if month.any():
        months = (midnight[month] // DAY_US).astype("datetime64[D]").astype("datetime64[M]")
        lo[month] = months.astype("datetime64[D]").astype("int64") * DAY_US
        hi[month] = (months + 1).astype("datetime64[D]").astype("int64") * DAY_US
    lo, hi = lo - offset_us, hi - offset_us
    end_us = np.asarray(end_us, dtype="int64")
    return lo, np.maximum(hi, end_us)


def aware_datetimes(epoch_us: np.ndarray, offset_s: np.ndarray) -> np.ndarray:
    """Object array of timezone-aware datetimes on each record's own UTC offset.

    epoch_us: UTC epoch microseconds (int64; negative = missing, giving None);
    offset_s: the UTC offset in seconds to show each one in. Grouped by offset, so the
    cost is a few vectorised conversions rather than one parse per row.
    """
    epoch_us = np.asarray(epoch_us, dtype="int64")
    offset_s = np.asarray(offset_s, dtype="int64")
    out = np.full(len(epoch_us), None, dtype=object)
    present = epoch_us >= 0
    for offset in np.unique(offset_s[present]):
        chosen = present & (offset_s == offset)
        zone = timezone(timedelta(seconds=int(offset)))
        # One object per distinct moment, shared by the rows at it (datetimes are immutable).
        at, moments = pd.factorize(epoch_us[chosen])
        times = pd.to_datetime(moments, unit="us", utc=True).tz_convert(zone)
        out[chosen] = times.to_pydatetime()[at]
    return out


def not_before(frame: pd.DataFrame, moment: pd.Timestamp | None) -> pd.DataFrame:
    """`frame` with each record's interval cut to start no earlier than `moment`.

    `frame` has `t_start` and `t_end` (UTC); `moment` is an aware timestamp (None: no
    cut): what is
    known about the events as a whole (for the bundled data, the raid they answer:
    nothing reacted to it before it began). A record whose interval straddles `moment`
    starts at it; one wholly before or after it is left as it is. Returns a new frame when
    anything changes, else `frame` itself.
    """
    if moment is None:
        return frame
    moment = pd.Timestamp(moment).tz_convert("UTC")
    cut = (frame["t_start"] < moment) & (frame["t_end"] > moment)
    if not cut.any():
        return frame
    return frame.assign(t_start=frame["t_start"].mask(cut, moment))


EVENT_YEAR = 2026  # the bundled event's year: windows inside it leave the year out


def spans_years(first: datetime, last: datetime) -> bool:
    """Whether data from `first` to `last` (datetimes on one clock) is not all in one
    year, or not in EVENT_YEAR: then every date it shows carries its year (1 Mar 2025 and
    1 Mar 2026 are both in a year of ACLED data)."""
    return first.year != last.year or first.year != EVENT_YEAR


def shows_years(start: datetime, end: datetime, years: bool = False) -> bool:
    """Whether dates in a window from `start` to `end` (aware datetimes) carry their year:
    with `years` (the data spans years: spans_years), or when either end, on Mexico City's
    clock, lies outside EVENT_YEAR. The rule of window_ends_text, the replay's labels on
    the map (mapview.view_layer) and the hour-by-hour charts (charts.hourly_markup)."""
    return years or any(x.astimezone(MEXICO_CITY).year != EVENT_YEAR for x in (start, end))


def window_ends_text(
    start: datetime, end: datetime, lang: str, pattern: str = "EEE d MMM HH:mm", years: bool = False
) -> tuple[str, str]:
    """A window's two ends (aware datetimes) as text on Mexico City's clock, in `lang`,
    with the CLDR `pattern`; the year is added after the month when either end lies
    outside EVENT_YEAR (a reader's file of another year, or a year long: "sáb 1 mar" to
    "sáb 28 feb" would read as a window ending before it starts), or with `years` (the
    data spans more than one year: spans_years)."""
    local = [x.astimezone(MEXICO_CITY) for x in (start, end)]
    if shows_years(start, end, years):
        pattern = pattern.replace("MMM", "MMM y", 1)
    first, last = (format_datetime(x, lang, pattern) for x in local)
    return first, last
