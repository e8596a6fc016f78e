"""One immutable view spec (time window, states, event types) and applying it.

The counting rule, used by every figure, table, chart, map, list, snapshot and export:
each record covers an interval (`t_start`, `t_end`, UTC; timing.intervals: its time
precision, and for the bundled data nothing before the raid: bundle.load_bundle). For a
window, a record is **known** to be in it when its whole interval lies inside, and
**possibly** in it when the two only overlap. Figures count known records; the records
possibly in the window are named apart ("18 more that day, hour not reported").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.schema import UNCERTAIN_TIME

DEFAULT_WINDOW = timedelta(hours=48)
# Data spanning more than this is stepped by whole days (slider stops, the window's
# moves), and its quick choices are months rather than days: a year of ACLED events has
# 365 days, not 8,760 hours to slide through.
HOUR_STEPS_UP_TO = timedelta(days=14)
DAY_CHOICES_UP_TO = timedelta(days=31)


@dataclass(frozen=True)
class ViewSpec:
    """What a reader is looking at. None means "all"; an empty set means "none".

    The analyst's filters (an ACLED file's columns; records without them never match a
    filter that is set): `actor`, text any of actor1, actor2, assoc_actor_1 or
    assoc_actor_2 contains (case ignored); `sub_event_types`, ACLED sub-event types
    (the records' `event_label`); `min_fatalities`, at least this many deaths reported.
    """

    start: datetime
    end: datetime
    states: frozenset[str] | None = None  # INEGI codes
    event_types: frozenset[str] | None = None
    # Leave out disputed and single-source records (trusted_mask) from everything shown.
    trusted: bool = False
    actor: str | None = None
    sub_event_types: frozenset[str] | None = None
    min_fatalities: int | None = None

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("view window needs timezone-aware datetimes")
        if self.end <= self.start:
            raise ValueError("view window must end after it starts")

    def with_changes(self, **changes) -> ViewSpec:
        return replace(self, **changes)


# The column `apply` adds: how a record is in the view's window.
IN_WINDOW = "in_window"
KNOWN, POSSIBLE = "known", "possible"


def in_window(frame: pd.DataFrame, start: datetime, end: datetime) -> pd.Series:
    """bool per record of `frame` (columns `t_start`, `t_end`: UTC): its interval overlaps
    the window [start, end) (aware datetimes): it is known or possibly in the window."""
    return (frame["t_start"] < pd.Timestamp(end)) & (frame["t_end"] > pd.Timestamp(start))


def known_in_window(frame: pd.DataFrame, start: datetime, end: datetime) -> pd.Series:
    """bool per record of `frame` (columns `t_start`, `t_end`: UTC): its whole interval
    lies inside the window [start, end) (aware datetimes), so its precision places it
    there. A record overlapping the window but not inside it is only possibly in it."""
    return (frame["t_start"] >= pd.Timestamp(start)) & (frame["t_end"] <= pd.Timestamp(end))


def possible_mask(selected: pd.DataFrame) -> np.ndarray:
    """bool per record of `selected` (a frame from `apply`): only possibly in the view's
    window (its interval overlaps it without lying inside). A frame without the IN_WINDOW
    column (a whole file) has none: all False."""
    if IN_WINDOW not in selected.columns:
        return np.zeros(len(selected), dtype=bool)
    return selected[IN_WINDOW].to_numpy() == POSSIBLE


def known(selected: pd.DataFrame) -> pd.DataFrame:
    """The records of `selected` (a frame from `apply`) known to be in the view's window
    (possible_mask false); a whole file's records are all known."""
    return selected[~possible_mask(selected)]


def possible(selected: pd.DataFrame) -> pd.DataFrame:
    """The records of `selected` (a frame from `apply`) only possibly in the view's
    window (possible_mask); none for a whole file."""
    return selected[possible_mask(selected)]


def source_count(frame: pd.DataFrame) -> np.ndarray:
    """How many sources each record of `frame` rests on (int per row): its links
    (`source_url` and the space-separated `more_source_urls`), or for a record without
    links (ACLED's) the outlets its `source_outlet` names (acled.SOURCE_PREFIX, then
    outlets separated by ";"; quality_sources.named_outlets reads them the same way)."""
    from dashboard.ingest.acled import SOURCE_PREFIX

    def column(name: str) -> pd.Series:
        if name not in frame.columns:
            return pd.Series("", index=frame.index, dtype=object)
        return frame[name].astype("string").fillna("").str.strip()

    links = (column("source_url") != "").to_numpy(dtype=int)
    more = column("more_source_urls").str.split().str.len().fillna(0).to_numpy(dtype=int)
    outlets = column("source_outlet").str.removeprefix(SOURCE_PREFIX).str.split(";")
    named = outlets.map(lambda names: sum(bool(n.strip()) for n in names)).to_numpy(dtype=int)
    count = links + more
    return np.where(count > 0, count, named)


def trusted_mask(frame: pd.DataFrame) -> pd.Series:
    """bool per record of `frame`: neither flagged `disputed` (sources disagree on a
    figure, place or time) nor resting on a single source (`source_count` <= 1): what the
    trust filter (ViewSpec.trusted) keeps."""
    disputed = frame["disputed"].fillna(False).astype(bool).to_numpy()
    return pd.Series(~disputed & (source_count(frame) > 1), index=frame.index)


ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


def in_view(view: ViewSpec, frame: pd.DataFrame) -> pd.Series:
    """Which records of `frame` (columns `t_start`, `t_end`, `cve_ent`, `event_type`;
    for the analyst's filters ACTOR_COLUMNS, `event_label`, `fatalities`) the view
    selects: a boolean Series on the frame's index (window overlap, then the state and
    event-type filters, with `trusted` the trust filter (trusted_mask), then the actor,
    sub-event-type and fatalities filters)."""
    mask = in_window(frame, view.start, view.end)
    if view.states is not None:
        mask &= frame["cve_ent"].isin(view.states)
    if view.event_types is not None:
        mask &= frame["event_type"].isin(view.event_types)
    if view.trusted:
        mask &= trusted_mask(frame)
    if view.actor:
        named = pd.Series(False, index=frame.index)
        for column in (c for c in ACTOR_COLUMNS if c in frame.columns):
            text = frame[column].astype("string").fillna("")
            named |= text.str.contains(view.actor, case=False, regex=False).fillna(False)
        mask &= named
    if view.sub_event_types is not None:
        labels = (
            frame["event_label"] if "event_label" in frame.columns else pd.Series("", frame.index)
        )
        mask &= labels.isin(view.sub_event_types)
    if view.min_fatalities:
        deaths = pd.to_numeric(frame["fatalities"], errors="coerce").fillna(0)
        mask &= deaths >= view.min_fatalities
    return mask


def placement(view: ViewSpec, frame: pd.DataFrame) -> np.ndarray:
    """For the records of `frame` (any, typically those in_view selects): KNOWN where the
    interval lies inside the view's window, else POSSIBLE; an object array of str."""
    inside = known_in_window(frame, view.start, view.end).to_numpy()
    return np.where(inside, KNOWN, POSSIBLE).astype(object)


def apply(view: ViewSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """The records of `frame` in `view` (in_view: known or possibly in the window, then
    the state and type filters), in the frame's order, with the column IN_WINDOW
    (`placement`: "known" or "possible")."""
    selected = frame[in_view(view, frame)]
    return selected.assign(**{IN_WINDOW: placement(view, selected)})


def uncertain_timing(frame: pd.DataFrame, precision: str = "") -> int:
    """How many records of `frame` are known only to the day or part of the day (with
    `precision` "week" or "month": only to that; ACLED's time_precision 2 and 3)."""
    if precision:
        return int((frame["time_precision"] == precision).sum())
    return int(frame["time_precision"].isin(UNCERTAIN_TIME - {"week", "month"}).sum())


def data_window(frame: pd.DataFrame) -> tuple[datetime, datetime]:
    """The time slider's range (aware, Mexico City time): from the Mexico City midnight
    on or before the first record's interval to the whole hour after the last one's (the
    midnight after it when the range is longer than HOUR_STEPS_UP_TO: stepped by days)."""
    lo = frame["t_start"].min().tz_convert(MEXICO_CITY).floor("D")
    hi = frame["t_end"].max().tz_convert(MEXICO_CITY).ceil("h")
    if hi - lo > HOUR_STEPS_UP_TO:
        hi = hi.ceil("D")
    return lo.to_pydatetime(), hi.to_pydatetime()


def window_step(first: datetime, last: datetime) -> timedelta:
    """The time slider's step, and each end's move, for data spanning first..last: one
    hour, or one day when the span is longer than HOUR_STEPS_UP_TO."""
    return timedelta(days=1) if last - first > HOUR_STEPS_UP_TO else timedelta(hours=1)


def replay_step_ms(view: ViewSpec) -> int:
    """The map replay's step for a view, in milliseconds: an hour, or a day for a window
    longer than HOUR_STEPS_UP_TO (window_step: a year of a file replays day by day)."""
    return int(window_step(view.start, view.end).total_seconds() * 1000)


def file_window(frame: pd.DataFrame) -> tuple[datetime, datetime]:
    """The window a reader's own file opens with, on the page and on the command line:
    the file's whole range (data_window), so every valid row is in view. (The bundled
    data opens with `default_window`, the event's first two days.)"""
    return data_window(frame)


def default_window(frame: pd.DataFrame) -> tuple[datetime, datetime]:
    """What a reader sees first, and what a snapshot names without a window: the first
    two days from the Mexico City midnight nearest the first report."""
    lo, hi = data_window(frame)
    start = max(lo, pd.Timestamp(lo).round("D").to_pydatetime())
    return start, min(hi, start + DEFAULT_WINDOW)


def toggle_state(states: Sequence[str] | None, cve_ent: str) -> list[str] | None:
    """The state filter after a reader clicks a state on the map.

    `states` is the chosen states in order (INEGI codes, or names if that is what the
    caller holds: items are compared as given), None meaning all states. Clicking a state
    that is not chosen adds it at the end (from "all", it becomes the only one); clicking a
    chosen state removes it. Removing the last one gives None (all states) rather than an
    empty filter, so the map never goes blank under the reader's finger.
    """
    if states is None:
        return [cve_ent]
    if cve_ent in states:
        kept = [s for s in states if s != cve_ent]
        return kept or None
    return [*states, cve_ent]


def event_days(first: datetime, last: datetime) -> list[tuple[datetime, datetime]]:
    """The calendar days the data spans, as (start, end) windows for quick choices; the
    calendar months instead when it spans more than DAY_CHOICES_UP_TO.

    `first` and `last` are the slider's bounds (Mexico City time, naive or aware, whole
    hours). Each window runs midnight to midnight (or first to first of the month),
    trimmed to the bounds; periods the bounds only touch at midnight are left out.
    """
    months = last - first > DAY_CHOICES_UP_TO
    days = []
    day = first.replace(hour=0, minute=0, second=0, microsecond=0)
    if months:
        day = day.replace(day=1)
    while day < last:
        if months:
            nxt = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
        else:
            nxt = day + timedelta(days=1)
        days.append((max(day, first), min(nxt, last)))
        day = nxt
    return days


def shift_window(
    window: tuple[datetime, datetime],
    bounds: tuple[datetime, datetime],
    start_hours: int = 0,
    end_hours: int = 0,
    step: timedelta = timedelta(hours=1),
) -> tuple[datetime, datetime]:
    """Move a window's start and/or end by whole steps (`step`: an hour, or a day for
    data stepped by days: window_step), kept inside `bounds`.

    The window stays at least one step long: a start pushed onto the end (or an end pulled
    onto the start) stops one step short of it. Times are Mexico City, naive or aware, as
    long as window and bounds agree.
    """
    lo, hi = bounds
    start = min(max(window[0] + start_hours * step, lo), hi - step)
    end = max(min(window[1] + end_hours * step, hi), lo + step)
    if end_hours and not start_hours:
        end = max(end, start + step)
    else:
        start = min(start, end - step)
    return start, end
