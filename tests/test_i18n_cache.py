"""Formatting is memoised: equal instants on different clocks must not share a result."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dashboard.text.i18n import format_datetime, format_number

UTC_2200 = datetime(2026, 2, 22, 22, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("America/Mexico_City", "Sun 22 Feb, 16:00"),
        ("America/Tijuana", "Sun 22 Feb, 14:00"),
        ("America/Cancun", "Sun 22 Feb, 17:00"),
        ("UTC", "Sun 22 Feb, 22:00"),
    ],
)
def test_the_same_instant_keeps_each_clock(zone, expected):
    for other in ("UTC", "America/Tijuana", "America/Mexico_City"):  # fill the cache first
        format_datetime(UTC_2200.astimezone(ZoneInfo(other)), "en")
    assert format_datetime(UTC_2200.astimezone(ZoneInfo(zone)), "en") == expected


def test_numbers_keep_their_language():
    assert format_number(12345, "en") == "12,345"
    assert format_number(12345, "es") == "12,345"  # es_MX groups with commas too
    assert format_number(7.5, "es") == "7.5"
