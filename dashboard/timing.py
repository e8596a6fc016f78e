"""Timestamps and the time interval each record really covers.

Most reports give only the day or the part of the day, on the clock of the state where
they happened. A record's interval makes that honest: a window selects a record when the
two overlap, so a record known only to "22 Feb" is in every window that touches 22 Feb.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .schema import PART_OF_DAY_SPANS

_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_YEARS = range(1990, 2101)


class TimestampError(ValueError):
    """A timestamp that cannot be used, with a reason a user can act on."""


def parse_timestamp(text: str) -> datetime:
    """ISO 8601 with a UTC offset, the only unambiguous form for records from many zones."""
    text = text.strip()
    if not text:
        raise TimestampError("empty timestamp")
    slashed = _SLASHED.match(text)
    if slashed:
        first, second = int(slashed.group(1)), int(slashed.group(2))
        if first <= 12 and second <= 12 and first != second:
            raise TimestampError(
                "ambiguous day/month date: could be either order; use ISO 8601 "
                "(YYYY-MM-DDTHH:MM±HH:MM)"
            )
        raise TimestampError("not ISO 8601; write YYYY-MM-DDTHH:MM±HH:MM")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        if re.match(r"^\d{4}-\d{2}-\d{2}", text):
            raise TimestampError(f"impossible date or time ({exc})") from None
        raise TimestampError("not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM±HH:MM)") from None
    if moment.tzinfo is None:
        raise TimestampError("timestamp has no UTC offset (add e.g. -06:00 for Mexico City)")
    if moment.year not in _YEARS:
        raise TimestampError(f"impossible year {moment.year}")
    return moment


def interval(
    start: datetime, precision: str, part_of_day: str = "", end: datetime | None = None
) -> tuple[datetime, datetime]:
    """The span a record may have happened in, on the record's own clock."""
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if precision == "minute":
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
