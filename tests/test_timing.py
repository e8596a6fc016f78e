from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from dashboard.model.timing import TimestampError, interval, parse_timestamp

CDMX = timezone(timedelta(hours=-6))
BC = timezone(timedelta(hours=-8))


def at(hour, minute=0, day=22, tz=CDMX):
    return datetime(2026, 2, day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-22T10:30-06:00", at(10, 30)),
        ("2026-02-22T10:30:00-06:00", at(10, 30)),
        ("2026-02-22 10:30-06:00", at(10, 30)),
        ("2026-02-22T18:30Z", datetime(2026, 2, 22, 18, 30, tzinfo=UTC)),
        ("2026-02-22T08:31-08:00", at(8, 31, tz=BC)),
    ],
)
def test_parse_timestamp(text, expected):
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("soon", "not an ISO 8601"),
        ("2026-02-22T10:30", "no UTC offset"),
        ("2026-02-22", "no UTC offset"),
        ("2026-02-29T10:00-06:00", "impossible date"),  # 2026 is not a leap year
        ("2026-13-01T10:00-06:00", "impossible date"),
        ("1850-02-22T10:00-06:00", "impossible year"),
        ("03/04/2026", "ambiguous day/month"),
        ("23/02/2026", "not ISO 8601"),
    ],
)
def test_parse_timestamp_rejects(text, reason):
    with pytest.raises(TimestampError, match=reason):
        parse_timestamp(text)


@pytest.mark.parametrize(
    ("start", "precision", "part", "end", "expected"),
    [
        (at(9, 15), "minute", "", None, (at(9, 15), at(9, 16))),
        (at(10, 30), "hour", "", None, (at(10), at(11))),
        (at(6), "part_of_day", "morning", None, (at(6), at(12))),
        (at(19), "part_of_day", "night", None, (at(19), at(0, day=23))),
        (at(0), "part_of_day", "", None, (at(0), at(0, day=23))),  # unnamed part: whole day
        (at(0), "day", "", None, (at(0), at(0, day=23))),
        (at(0, tz=BC), "day", "", None, (at(0, tz=BC), at(0, day=23, tz=BC))),
        (at(8), "hour", "", at(13), (at(8), at(13))),  # cleared later: interval runs to end
    ],
)
def test_interval_follows_precision(start, precision, part, end, expected):
    assert interval(start, precision, part, end) == expected


def test_baja_california_day_is_its_own_local_day():
    lo, hi = interval(at(0, tz=BC), "day")
    assert lo.astimezone(CDMX) == at(2)  # 00:00 in Mexicali is 02:00 in Mexico City
