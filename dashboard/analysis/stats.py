"""Counts a newsroom can defend: per state (all 32, zero-filled), official vs located, hourly."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.filters import (
    ViewSpec,
    known,
    possible,
    possible_mask,
    trusted_mask,
    uncertain_timing,
)
from dashboard.model.mexico import BY_CODE, MEXICO_CITY, STATES
from dashboard.model.schema import NON_INCIDENT_TYPES, OFFICIAL_BLOCKADE_METRICS
from dashboard.text.i18n import DEFAULT_LANGUAGE, format_datetime, translation

HOUR_US = 3_600_000_000


def micros(series: pd.Series) -> np.ndarray:
    """UTC microseconds since the epoch, for fast interval arithmetic."""
    return pd.DatetimeIndex(series).as_unit("us").asi8


def micro(moment) -> int:
    """One aware moment as UTC microseconds since the epoch (Timestamp.value is always
    nanoseconds, whatever the unit: never use it for microseconds)."""
    return int(pd.DatetimeIndex([pd.Timestamp(moment)]).as_unit("us").asi8[0])


def incidents_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Official statements repeat aggregate figures: never counted as incidents."""
    return frame[~frame["event_type"].isin(NON_INCIDENT_TYPES)]


def blockades(frame: pd.DataFrame) -> pd.Series:
    """Blockades per record: the reported count, else one for a blockade record."""
    one_if_blockade = (frame["event_type"] == "blockade").astype("Int64")
    return frame["blockades"].fillna(one_if_blockade).fillna(0).astype("int64")


def carried_figures(frame: pd.DataFrame) -> frozenset[str]:
    """The key figures (KeyFigures field names) the records of `frame` (a whole file's
    validated records) give at all: road blockades and the states with them when a record
    gives a `blockades` count or is a blockade record; fatalities and arrests when a record
    gives `fatalities` or `arrested`. An ACLED file carries no blockades or arrests: a 0
    there would read as a count."""
    out = {"incidents"}
    if frame["blockades"].notna().any() or (frame["event_type"] == "blockade").any():
        out |= {"blockades", "states_affected"}
    if frame["fatalities"].notna().any():
        out.add("fatalities")
    if frame["arrested"].notna().any():
        out.add("arrests")
    return frozenset(out)


@dataclass(frozen=True)
class KeyFigures:
    """What the located records known to be in a window add up to (filters' rule);
    every field a count."""

    incidents: int  # incident records known to be in the window (statements left out)
    blockades: int  # road blockades in them (`blockades`, else 1 for a blockade record)
    states_affected: int  # states with at least one such road blockade
    fatalities: int
    arrests: int
    uncertain_timing: int  # of the incidents, how many are known only to the day/part of day
    disputed: int
    possible: int = 0  # incident records only possibly in the window: not in the above
    week_timing: int = 0  # of the incidents, how many are known only to a week (ACLED 2)
    month_timing: int = 0  # ... only to a month (ACLED 3)


KEY_FIGURE_COLUMNS = [
    "cve_ent",
    "event_type",
    "blockades",
    "fatalities",
    "arrested",
    "disputed",
    "time_precision",
]


def key_figures(selected: pd.DataFrame) -> KeyFigures:
    """The key figures of the incidents in `selected` (a frame from filters.apply;
    official statements left out), counting only the records known to be in the window
    (filters.known): records, road blockades, states with road blockades (what the
    Security Cabinet's "252 blockades in 20 states" counts), fatalities, arrests, records
    known only to the day or part of it (and apart, to a week or a month), records with
    disputed figures; and, apart,
    `possible`: the incidents only possibly in the window."""
    columns = [c for c in (*KEY_FIGURE_COLUMNS, "in_window") if c in selected.columns]
    counted = incidents_only(known(selected[columns]))
    road = blockades(counted)
    return KeyFigures(
        incidents=len(counted),
        blockades=int(road.sum()),
        states_affected=int(counted.loc[road.to_numpy() > 0, "cve_ent"].nunique()),
        fatalities=int(counted["fatalities"].fillna(0).sum()),
        arrests=int(counted["arrested"].fillna(0).sum()),
        uncertain_timing=uncertain_timing(counted),
        disputed=int(counted["disputed"].sum()),
        possible=len(incidents_only(possible(selected[columns]))),
        week_timing=uncertain_timing(counted, "week"),
        month_timing=uncertain_timing(counted, "month"),
    )


def state_counts(
    selected: pd.DataFrame,
    official: pd.DataFrame,
    view: ViewSpec,
    records: pd.DataFrame | None = None,
    lang: str = DEFAULT_LANGUAGE,
    *,
    timeline: OfficialTimeline | None = None,
) -> pd.DataFrame:
    """All 32 states, zero-filled: the window's located counts and the official blockade
    figure known by the window's end, compared at the figure's own hour.

    `selected` are the records in view (filters.apply; counts per state of those known
    to be in the window: `incidents`, `blockades`, `fatalities`, `arrests`; of those only
    possibly in it: `incidents_possible`, `blockades_possible`). The comparison counts
    located road blockades in `records` (all records, any window and event type; default
    `selected`) known to have started by the moment the official figure was given
    (`located_at_official`), and apart those that possibly had
    (`located_at_official_possible`: stats.started_by), and
    gives `difference` = located − official only where the two are `comparable`: the
    figure's hour is known (`time_precision` minute). Missing values are `<NA>`.
    `lang` ("es" or "en"): the language of the text columns `official_source` and
    `official_other` (dates by Babel; exports keep the default, English).

    `timeline` (an OfficialTimeline of the same `official` and `records`) reuses the
    official side, which changes only when the window's end passes another report. A
    view with the trust filter (`view.trusted`) compares only the records it keeps
    (filters.trusted_mask), with a timeline of its own (`timeline` is not used).
    """
    if view.trusted:  # the comparison, too, counts only what the trust filter keeps
        records = selected if records is None else records
        records, timeline = records[trusted_mask(records).to_numpy()], None
    if timeline is None:
        timeline = OfficialTimeline(official, selected if records is None else records)
    table = pd.concat([located_counts(selected), timeline.state_columns(view.end, lang)], axis=1)
    return table.reset_index()


_STATE_INDEX = {s.cve_ent: i for i, s in enumerate(STATES)}
_STATE_CODES = pd.Index([s.cve_ent for s in STATES], name="cve_ent")


def located_counts(selected: pd.DataFrame) -> pd.DataFrame:
    """Per state (all 32, index `cve_ent`, INEGI order): `iso_3166_2`, `state`, the
    located `incidents`, `blockades`, `fatalities`, `arrests` of the incidents in
    `selected` (a frame from filters.apply; official statements left out) known to be in
    the window, and `incidents_possible`, `blockades_possible` of those only possibly in
    it (counts, int64, zero-filled)."""
    columns = ["cve_ent", "event_type", "blockades", "fatalities", "arrested"]
    columns += [c for c in ("in_window",) if c in selected.columns]
    counted = incidents_only(selected[columns])
    where = counted["cve_ent"].map(_STATE_INDEX).to_numpy(dtype="float64", na_value=np.nan)
    placed = ~np.isnan(where)
    maybe = possible_mask(counted)
    n = len(STATES)

    def total(values: pd.Series | None, rows: np.ndarray) -> np.ndarray:
        chosen = placed & rows
        index = where[chosen].astype(np.intp)
        weights = None if values is None else values.to_numpy(dtype="int64")[chosen]
        return np.bincount(index, weights=weights, minlength=n).astype("int64")

    road = blockades(counted)
    return pd.DataFrame(
        {
            "iso_3166_2": [s.iso_3166_2 for s in STATES],
            "state": [s.name for s in STATES],
            "incidents": total(None, ~maybe),
            "blockades": total(road, ~maybe),
            "fatalities": total(counted["fatalities"].fillna(0), ~maybe),
            "arrests": total(counted["arrested"].fillna(0), ~maybe),
            "incidents_possible": total(None, maybe),
            "blockades_possible": total(road, maybe),
        },
        index=pd.Index([s.cve_ent for s in STATES], name="cve_ent"),
    )


def given_by(official: pd.DataFrame) -> pd.Series:
    """When each official figure of `official` (columns `t_reported`: UTC,
    `time_precision`) is known to have been given (UTC): its minute; for a figure dated
    only to the day, the last moment of that day (on the report's own clock), since it may
    have come at any hour. A window shows a figure only if it was given before its end."""
    day = official["time_precision"].eq("day").to_numpy()
    late = pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return official["t_reported"].mask(day, official["t_reported"] + late)


class OfficialTimeline:
    """The official side of the per-state comparison, as known at any moment.

    Which figures are known at a moment depends only on how many reports were given
    before it (given_by), so each distinct set is computed once and kept: a slider
    that moves the window's end within the same hours between two reports costs a
    lookup. `records` are all records (any window); the located blockades compared with
    each figure come from them. Frames are read, never changed; not thread-safe for
    writes beyond a dict assignment (each key is computed the same way by any thread).
    """

    def __init__(self, official: pd.DataFrame, records: pd.DataFrame):
        self.official = official
        self.records = incidents_only(records)
        self._reported = np.sort(micros(given_by(official)))
        self._states: dict[tuple[int, str], pd.DataFrame] = {}
        self._columns: dict[tuple[int, str], pd.DataFrame] = {}
        self._national: dict[tuple[int, str], dict] = {}

    def known(self, end) -> int:
        """How many official reports were given before `end` (an aware datetime)."""
        return int(np.searchsorted(self._reported, micro(end), side="left"))

    def state_figures(self, end, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
        """official_state_blockades joined with located_before for a window ending at
        `end` (aware datetime), indexed by `cve_ent`; only states with a figure; text
        columns in `lang`."""
        key = (self.known(end), lang)
        if key not in self._states:
            figures = _state_blockades_by(self.official, end, lang)
            self._states[key] = figures.join(located_before(self.records, figures))
        return self._states[key]

    def state_columns(self, end, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
        """The official columns of state_counts for a window ending at `end` (aware
        datetime), all 32 states (index `cve_ent`, INEGI order): state_figures with the
        counts as nullable integers, `comparable` (bool: the figure's minute is known)
        and `difference` (located − official where comparable, else <NA>)."""
        key = (self.known(end), lang)
        if key not in self._columns:
            table = self.state_figures(end, lang).reindex(_STATE_CODES)
            for column in (
                "official_blockades",
                "located_at_official",
                "located_at_official_possible",
            ):
                table[column] = table[column].astype("Int64")
            table["comparable"] = table["official_precision"].eq("minute").fillna(False)
            table["comparable"] = table["comparable"].astype(bool)
            table["difference"] = (
                table["located_at_official"] - table["official_blockades"]
            ).where(table["comparable"])
            self._columns[key] = table
        return self._columns[key]

    def national(self, end, lang: str = DEFAULT_LANGUAGE) -> dict[str, OfficialFigure]:
        """national_figures for a window ending at `end` (aware datetime), kept per set
        of reports known by then."""
        key = (self.known(end), lang)
        if key not in self._national:
            self._national[key] = _national_by(self.official, end, lang)
        return self._national[key]


def started_by(records: pd.DataFrame, moment) -> tuple[np.ndarray, np.ndarray]:
    """(known, possible) bool arrays over `records` (columns `t_start`, `t_end`: UTC,
    `time_precision`): the record is known to have started by `moment` (aware) when its
    start's whole interval lies before it (to the minute or hour: `t_start` plus that
    span; coarser: the record's whole interval, `t_end`), and possibly started by then
    when its interval begins before `moment` without being known to have."""
    t0 = micros(records["t_start"])
    t1 = micros(records["t_end"])
    precision = records["time_precision"].to_numpy()
    width = np.where(precision == "minute", 60_000_000, HOUR_US)
    start_hi = np.where(np.isin(precision, ("minute", "hour")), t0 + width, t1)
    at = micro(moment)
    known_by = start_hi <= at
    return known_by, (t0 < at) & ~known_by


def located_before(records: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Per state with an official figure timed to the minute: located road blockades
    known to have started by the figure's moment (`t_official`, UTC; started_by) as
    `located_at_official`, and those that only possibly had (a day or part of day still
    running then) as `located_at_official_possible`; counts."""
    columns = ["located_at_official", "located_at_official_possible"]
    timed = figures[figures["official_precision"] == "minute"]
    rows = {}
    counted = records.assign(blockade_n=lambda f: blockades(f))
    for code, figure in timed.iterrows():
        state = counted[counted["cve_ent"] == code]
        known_by, possible_by = started_by(state, figure["t_official"])
        road = state["blockade_n"].to_numpy()
        rows[code] = {
            "located_at_official": int(road[known_by].sum()),
            "located_at_official_possible": int(road[possible_by].sum()),
        }
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


# How official_counts.csv labels a figure a media outlet tallied (not an authority's).
MEDIA_TALLY = "reported by "


def official_state_blockades(
    official: pd.DataFrame, view: ViewSpec, lang: str = DEFAULT_LANGUAGE
) -> pd.DataFrame:
    """Latest undisputed state-level blockade figure reported by the window's end.

    A figure marked disputed (e.g. of unclear attribution) is used only when nothing
    undisputed was reported; among disputed ones (every side of a disagreement is flagged,
    geodata/README.md), an authority's figure is preferred to a labelled media tally
    (`reported_by` "reported by <outlet>"). Every other figure for the state stays in
    `official_other`.
    Columns: `official_blockades` (count), `official_source` (authority and when, as
    shown), `official_by` (authority), `official_at` (ISO 8601, Mexico City time; the date
    alone for day-only figures), `official_precision` (`minute` or `day`), `t_official`
    (UTC), `official_url`, `official_other`.
    """
    return _state_blockades_by(official, view.end, lang)


def _state_blockades_by(official: pd.DataFrame, end, lang: str) -> pd.DataFrame:
    columns = [
        "official_blockades",
        "official_source",
        "official_by",
        "official_at",
        "official_precision",
        "t_official",
        "official_url",
        "official_other",
    ]
    known = official[
        official["metric"].isin(OFFICIAL_BLOCKADE_METRICS)
        & (official["cve_ent"] != "")
        & (given_by(official) < pd.Timestamp(end))
    ]
    by = known["reported_by"] if "reported_by" in known else pd.Series("", index=known.index)
    known = known.assign(_media=by.astype(str).str.startswith(MEDIA_TALLY)).sort_values(
        ["disputed", "_media", "t_reported"], ascending=[False, False, True]
    )
    rows = {}
    for code, group in known.groupby("cve_ent"):
        latest = group.iloc[-1]  # undisputed ones sort last, then an authority's
        others = group.iloc[:-1].sort_values("t_reported")
        rows[code] = {
            "official_blockades": int(latest["value"]),
            "official_source": f"{latest['reported_by']}, {report_label(latest, lang)}",
            "official_by": latest["reported_by"],
            "official_at": report_time(latest),
            "official_precision": latest["time_precision"],
            "t_official": latest["t_reported"],
            "official_url": latest["source_url"],
            "official_other": "; ".join(
                (
                    translation(lang).gettext("{value} ({by}, {when}, disputed)")
                    if o["disputed"]
                    else "{value} ({by}, {when})"
                ).format(value=int(o["value"]), by=o["reported_by"], when=report_label(o, lang))
                for _, o in others.iterrows()
            ),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    frame["t_official"] = pd.to_datetime(frame["t_official"], utc=True)
    return frame


def report_time(row: pd.Series) -> str:
    """When a figure was reported, ISO 8601 in Mexico City time; the date alone when the
    source gave no hour."""
    if row["time_precision"] == "day":
        return str(row["reported_at"])[:10]
    return row["t_reported"].tz_convert(MEXICO_CITY).isoformat(timespec="minutes")


def national_official(official: pd.DataFrame, view: ViewSpec, metric: str) -> pd.Series | None:
    """The latest national figure for a metric reported by the window's end."""
    return _national_row(official, view.end, metric)


def _national_row(official: pd.DataFrame, end, metric: str) -> pd.Series | None:
    rows = official[
        (official["scope"] == "national")
        & (official["metric"] == metric)
        & (given_by(official) < pd.Timestamp(end))
    ].sort_values("t_reported")
    return None if rows.empty else rows.iloc[-1]


# The key figures and the official national metric each is shown beside.
NATIONAL_METRICS = {
    "blockades": "blockades_reported",
    "states_affected": "states_affected",
    "fatalities": "fatalities",
    "arrests": "arrests",
}


@dataclass(frozen=True)
class OfficialFigure:
    """An official national figure as shown beside a key figure."""

    metric: str
    value: int
    reported_by: str
    when: str  # "22 Feb 20:00" (Mexico City time), or "22 Feb" when only the day is known
    source_url: str
    disputed: bool


def national_figures(
    official: pd.DataFrame, view: ViewSpec, lang: str = DEFAULT_LANGUAGE
) -> dict[str, OfficialFigure]:
    """For each key figure in NATIONAL_METRICS, the latest official national figure
    reported by the window's end (absent when there was none yet); `when` in `lang`."""
    return _national_by(official, view.end, lang)


def _national_by(official: pd.DataFrame, end, lang: str) -> dict[str, OfficialFigure]:
    figures = {}
    for key, metric in NATIONAL_METRICS.items():
        row = _national_row(official, end, metric)
        if row is not None:
            figures[key] = OfficialFigure(
                metric=metric,
                value=int(row["value"]),
                reported_by=str(row["reported_by"]),
                when=report_label(row, lang),
                source_url=str(row["source_url"]),
                disputed=bool(row["disputed"]),
            )
    return figures


def window_hours(view: ViewSpec) -> pd.DatetimeIndex:
    """The Mexico City hours (aware, on the hour) that the window touches."""
    return pd.date_range(
        pd.Timestamp(view.start).tz_convert(MEXICO_CITY).floor("h"),
        pd.Timestamp(view.end).tz_convert(MEXICO_CITY),
        freq="h",
        inclusive="left",
    )


def _hour_edges(
    hours: pd.DatetimeIndex, records: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The hours' edges and the records' starts and ends, UTC microseconds."""
    edges = np.append(hours.as_unit("us").asi8, micro(hours[-1]) + HOUR_US)
    return edges, micros(records["t_start"]), micros(records["t_end"])


def hourly_counts(frame: pd.DataFrame, view: ViewSpec) -> pd.DataFrame:
    """Per Mexico City hour and state: records timed to the hour or better starting then,
    and all records whose interval overlaps the hour (day-only records overlap 24 hours)."""
    columns = ["hour", "cve_ent", "state", "timed", "overlapping"]
    counted = incidents_only(frame[["event_type", "time_precision", "t_start", "t_end", "cve_ent"]])
    hours = window_hours(view)
    if counted.empty or hours.empty:
        return pd.DataFrame(columns=columns)
    edges, t0, t1 = _hour_edges(hours, counted)
    codes, state_index = np.unique(counted["cve_ent"].to_numpy(dtype=str), return_inverse=True)
    order = np.argsort(state_index, kind="stable")
    overlap = (t0[order, None] < edges[None, 1:]) & (t1[order, None] > edges[None, :-1])
    starts = np.searchsorted(state_index[order], np.arange(len(codes)))
    overlapping = np.add.reduceat(overlap.astype(np.int32), starts, axis=0)
    timed = np.zeros_like(overlapping)
    is_timed = counted["time_precision"].isin(("minute", "hour")).to_numpy()
    slot = (t0 - edges[0]) // HOUR_US
    keep = is_timed & (slot >= 0) & (slot < len(hours))
    np.add.at(timed, (state_index[keep], slot[keep]), 1)
    n_hours = len(hours)
    return pd.DataFrame(
        {
            "hour": hours[np.tile(np.arange(n_hours), len(codes))],
            "cve_ent": np.repeat(codes, n_hours),
            "state": np.repeat([BY_CODE[c].name for c in codes], n_hours),
            "timed": timed.ravel(),
            "overlapping": overlapping.ravel(),
        },
        columns=columns,
    )


def hourly_totals(frame: pd.DataFrame, view: ViewSpec) -> pd.DataFrame:
    """hourly_counts summed over the states: per Mexico City hour of the window (`hour`,
    aware), `timed` (records timed to the hour or better starting then) and `overlapping`
    (records whose interval overlaps the hour), counts; empty without incidents."""
    columns = ["hour", "timed", "overlapping"]
    counted = incidents_only(frame[["event_type", "time_precision", "t_start", "t_end"]])
    hours = window_hours(view)
    if counted.empty or hours.empty:
        return pd.DataFrame(columns=columns)
    edges, t0, t1 = _hour_edges(hours, counted)
    overlapping = ((t0[:, None] < edges[None, 1:]) & (t1[:, None] > edges[None, :-1])).sum(axis=0)
    slot = (t0 - edges[0]) // HOUR_US
    is_timed = counted["time_precision"].isin(("minute", "hour")).to_numpy()
    keep = is_timed & (slot >= 0) & (slot < len(hours))
    timed = np.bincount(slot[keep], minlength=len(hours))
    return pd.DataFrame(
        {"hour": hours, "timed": timed.astype("int64"), "overlapping": overlapping.astype("int64")},
        columns=columns,
    )


def report_label(row: pd.Series, lang: str = DEFAULT_LANGUAGE) -> str:
    """When a figure was reported, Mexico City time, in `lang` (Babel, CLDR): "22 Feb 20:00"
    / "22 feb 20:00"; the day alone ("22 Feb") when the source gave no hour."""
    if row["time_precision"] == "day":
        day = pd.Timestamp(row["reported_at"][:10]).tz_localize(MEXICO_CITY).to_pydatetime()
        return format_datetime(day, lang, "dd MMM")
    local = row["t_reported"].tz_convert(MEXICO_CITY).to_pydatetime()
    return format_datetime(local, lang, "dd MMM HH:mm")
