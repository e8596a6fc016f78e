"""One immutable view spec (time window, states, event types) and applying it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pandas as pd

from .mexico import MEXICO_CITY
from .schema import UNCERTAIN_TIME

DEFAULT_WINDOW = timedelta(hours=48)


@dataclass(frozen=True)
class ViewSpec:
    """What a reader is looking at. None means "all"; an empty set means "none"."""

    start: datetime
    end: datetime
    states: frozenset[str] | None = None  # INEGI codes
    event_types: frozenset[str] | None = None

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("view window needs timezone-aware datetimes")
        if self.end <= self.start:
            raise ValueError("view window must end after it starts")

    def with_changes(self, **changes) -> ViewSpec:
        return replace(self, **changes)


def in_window(frame: pd.DataFrame, start: datetime, end: datetime) -> pd.Series:
    """A record is in a window when its time interval overlaps it."""
    return (frame["t_start"] < pd.Timestamp(end)) & (frame["t_end"] > pd.Timestamp(start))


def apply(view: ViewSpec, frame: pd.DataFrame) -> pd.DataFrame:
    mask = in_window(frame, view.start, view.end)
    if view.states is not None:
        mask &= frame["cve_ent"].isin(view.states)
    if view.event_types is not None:
        mask &= frame["event_type"].isin(view.event_types)
    return frame[mask]


def uncertain_timing(frame: pd.DataFrame) -> int:
    """How many records are only known to the day or part of the day."""
    return int(frame["time_precision"].isin(UNCERTAIN_TIME).sum())


def data_window(frame: pd.DataFrame) -> tuple[datetime, datetime]:
    """The whole hours (Mexico City time) the records span: the time slider's range."""
    lo = frame["t_start"].min().tz_convert(MEXICO_CITY).floor("h")
    hi = frame["t_end"].max().tz_convert(MEXICO_CITY).ceil("h")
    return lo.to_pydatetime(), hi.to_pydatetime()


def default_window(frame: pd.DataFrame) -> tuple[datetime, datetime]:
    """What a reader sees first, and what a snapshot names without a window: the first
    two days from the Mexico City midnight nearest the first report."""
    lo, hi = data_window(frame)
    start = max(lo, pd.Timestamp(lo).round("D").to_pydatetime())
    return start, min(hi, start + DEFAULT_WINDOW)
