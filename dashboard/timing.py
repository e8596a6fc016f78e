"""Timestamps and the time interval each record really covers.

Most reports give only the day or the part of the day, on the clock of the state where
they happened. A record's interval makes that honest: a window selects a record when the
two overlap, so a record known only to "22 Feb" is in every window that touches 22 Feb.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

from .message import Message, msg
from .schema import PART_OF_DAY_SPANS

# ACLED codebook (time_precision): 2 = the source gives a week (the date coded is the
# middle of it), 3 = only a month (coded to a day in it). The intervals below cover the
# seven days centred on the date, and the calendar month of the date.
WEEK_BEFORE, WEEK_AFTER = timedelta(days=3), timedelta(days=4)

_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_YEARS = range(1990, 2101)


class TimestampError(ValueError):
    """A timestamp that cannot be used, with a reason a user can act on.

    `message` is the reason as a catalogue message (shown in Spanish or English);
    `str(error)` is its English text.
    """

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


def parse_timestamp(text: str) -> datetime:
    """ISO 8601 with a UTC offset, the only unambiguous form for records from many zones."""
    text = text.strip()
    if not text:
        raise TimestampError(msg("empty timestamp"))
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
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        if re.match(r"^\d{4}-\d{2}-\d{2}", text):
            raise TimestampError(
                msg(
                    "impossible date or time (month 1–12, a day of that month, hour 0–23, "
                    "minute 0–59)"
                )
            ) from None
        raise TimestampError(msg("not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM±HH:MM)")) from None
    if moment.tzinfo is None:
        raise TimestampError(msg("timestamp has no UTC offset (add e.g. -06:00 for Mexico City)"))
    if moment.year not in _YEARS:
        raise TimestampError(msg("impossible year {year}", year=moment.year))
    return moment


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
