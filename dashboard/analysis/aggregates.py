"""Per-municipality and per-day or per-week tables of the records in a view, beside the
per-state one (stats.state_counts), under the same counting rule (filters.py).

Per municipality: the records known to be in the window (filters.known), by state and
municipality as the records give them ("" when a record is placed only to its state);
the records only possibly in the window are counted apart (`incidents_possible`).

Per day or week (Mexico City calendar; weeks run Monday to Sunday, ISO 8601): a record
is counted in a period when its whole interval (its time precision) lies inside it, as a
figure never counts a record its precision does not place there; a record known only to
a longer span (an ACLED week that runs Saturday to Friday, a month) is counted in no
period and named apart (`unplaced`). Official statements are never counted (stats).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.filters import IN_WINDOW, known, possible, possible_mask
from dashboard.analysis.stats import blockades, incidents_only
from dashboard.model.mexico import BY_CODE, local_zone
from dashboard.model.schema import NON_INCIDENT_TYPES
from dashboard.model.timing import DAY_US

COUNT_COLUMNS = ("incidents", "blockades", "fatalities", "arrests")
MUNICIPALITY_COLUMNS = ("cve_ent", "state", "municipality", *COUNT_COLUMNS, "incidents_possible")
PERIODS = ("day", "week")
PERIOD_COLUMNS = ("period_start", "period_end", *COUNT_COLUMNS)


def _counts(frame: pd.DataFrame, by: list) -> pd.DataFrame:
    """incidents, blockades, fatalities and arrests of `frame`'s records per group."""
    values = pd.DataFrame(
        {
            "incidents": 1,
            "blockades": blockades(frame).to_numpy(),
            "fatalities": frame["fatalities"].fillna(0).astype("int64").to_numpy(),
            "arrests": frame["arrested"].fillna(0).astype("int64").to_numpy(),
        },
        index=frame.index,
    )
    keys = [frame[k] if isinstance(k, str) else k for k in by]
    return values.groupby(keys, sort=True, dropna=False).sum()


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    """COUNT_COLUMNS of each record of `frame` (int64, a RangeIndex): 1 incident, its
    blockades (stats.blockades), fatalities and arrests (empty = 0)."""
    return pd.DataFrame(
        {
            "incidents": np.ones(len(frame), dtype="int64"),
            "blockades": blockades(frame).to_numpy(dtype="int64"),
            "fatalities": frame["fatalities"].fillna(0).to_numpy(dtype="int64"),
            "arrests": frame["arrested"].fillna(0).to_numpy(dtype="int64"),
        }
    )


def _utc_us(times: pd.Series) -> np.ndarray:
    """Microseconds since the epoch (int64) of a UTC datetime Series."""
    return times.to_numpy(dtype="datetime64[us]").astype("int64")


def municipality_counts(selected: pd.DataFrame) -> pd.DataFrame:
    """Per municipality (a frame from filters.apply, or every record of a file): one row
    per (cve_ent, municipality) with a record in view, MUNICIPALITY_COLUMNS, sorted by
    state code then municipality; counts are ints. `municipality` is "" for records
    placed only to their state."""
    incidents = incidents_only(_narrow(selected))
    sure, maybe = known(incidents), possible(incidents)
    names = ["cve_ent", "municipality"]

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(municipality=frame["municipality"].fillna("").astype(str))

    table = _counts(keyed(sure), names)
    extra = keyed(maybe).groupby(names).size().rename("incidents_possible")
    table = table.join(extra, how="outer").fillna(0).astype("int64").reset_index()
    table["state"] = [BY_CODE[c].name if c in BY_CODE else c for c in table["cve_ent"]]
    return table.sort_values(names, kind="stable").reset_index(drop=True)[
        list(MUNICIPALITY_COLUMNS)
    ]


LONG_PRECISIONS = ("week", "month")


@dataclass(frozen=True)
class PeriodTable:
    """Per-period counts (PERIOD_COLUMNS; period_start/period_end naive local calendar
    midnights, end exclusive) and the records in view no single period holds:
    `unplaced_long` known only to a week or month (time_precision), `unplaced_span` known
    to the day or better but whose time runs past one period (an end on a later day)."""

    rows: pd.DataFrame
    unplaced_long: int
    unplaced_span: int = 0

    @property
    def unplaced(self) -> int:
        """Every record in view that no period holds."""
        return self.unplaced_long + self.unplaced_span


def _offsets_in(zone, utc: pd.Series) -> np.ndarray:
    """UTC offset in seconds (int64) of each instant of `utc` (a UTC datetime Series) on
    the clock `zone` (a tzinfo), vectorised: local wall time minus UTC."""
    local = utc.dt.tz_convert(zone).dt.tz_localize(None)
    seconds = (local - utc.dt.tz_localize(None)).dt.total_seconds()
    return seconds.to_numpy(dtype="float64").round().astype("int64")


def local_offsets(frame: pd.DataFrame) -> np.ndarray:
    """UTC offset in seconds (int64) of each record's own clock at its start: the offset
    of its reported `start` (an aware datetime) where the frame has one, else the clock of
    its state or municipality (mexico.local_zone) at `t_start` (UTC); 0 for a record of
    an unknown state without an aware `start`.

    Vectorised per clock: the records are grouped by their `start`'s tzinfo (a fixed
    offset, or a zone whose offset is that of `t_start` on it, which is the instant
    `start` names), and the rest by (cve_ent, municipality)."""
    n = len(frame)
    missing_value = np.iinfo("int64").min
    out = np.full(n, missing_value, dtype="int64")
    utc = frame["t_start"].reset_index(drop=True)
    if "start" in frame.columns:
        zones = pd.Series([getattr(v, "tzinfo", None) for v in frame["start"].tolist()])
        codes, uniques = pd.factorize(zones, use_na_sentinel=True)
        for code, zone in enumerate(uniques):
            if zone is None:
                continue
            chosen = codes == code
            fixed = zone.utcoffset(None)  # a fixed offset (datetime.timezone); None for a zone
            if fixed is not None:
                out[chosen] = int(fixed.total_seconds())
            else:
                out[chosen] = _offsets_in(zone, utc[chosen])
    missing = out == missing_value
    if missing.any():
        rest = frame[["cve_ent"]].assign(
            municipality=frame["municipality"] if "municipality" in frame.columns else ""
        )[missing]
        keys = pd.MultiIndex.from_arrays(
            [rest["cve_ent"].astype(str), rest["municipality"].fillna("").astype(str)]
        )
        codes, uniques = pd.factorize(keys)
        values = np.zeros(len(rest), dtype="int64")
        missing_utc = utc[missing].reset_index(drop=True)
        for code, (cve_ent, municipality) in enumerate(uniques):
            if cve_ent not in BY_CODE:
                continue
            chosen = codes == code
            values[chosen] = _offsets_in(local_zone(cve_ent, municipality), missing_utc[chosen])
        out[missing] = values
    return out


# What the per-period and per-municipality tables read: selecting these columns first
# keeps the row filters from copying a wide file's every column (an ACLED file has ~60).
_USED = (
    "event_type",
    "blockades",
    "fatalities",
    "arrested",
    "t_start",
    "t_end",
    "start",
    "time_precision",
    "cve_ent",
    "municipality",
    IN_WINDOW,
)


def _narrow(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[[c for c in _USED if c in frame.columns]]


def period_counts(selected: pd.DataFrame, period: str = "day") -> PeriodTable:
    """Per day or per week (PERIODS) of the records known to be in the view's window
    (a frame from filters.apply; columns t_start, t_end UTC, start, time_precision,
    cve_ent, municipality): each record known to the day or better in the one period of
    its own local calendar (local_offsets) that holds its whole time; periods without
    records are listed with zeros between the first and the last. Raises ValueError for
    a period not in PERIODS."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    # Array code over the few columns used (a boolean row filter of a wide frame of
    # Arrow strings copies every column: seconds at 300,000 ACLED rows).
    frame = _narrow(selected)
    chosen = ~frame["event_type"].isin(NON_INCIDENT_TYPES).to_numpy(dtype=bool)
    chosen &= ~possible_mask(frame)
    values = _values(frame)[chosen]
    where = np.flatnonzero(chosen)
    incidents = frame.iloc[where] if len(where) < len(frame) else frame
    offset_us = local_offsets(incidents) * 1_000_000
    start = _utc_us(incidents["t_start"]) + offset_us
    end = _utc_us(incidents["t_end"]) + offset_us
    day = start // DAY_US  # days since 1970-01-01 (a Thursday) on the record's clock
    if period == "week":
        day = day - (day + 3) % 7  # back to the Monday
    step = 1 if period == "day" else 7
    if "time_precision" in incidents.columns:
        long = incidents["time_precision"].isin(LONG_PRECISIONS).to_numpy(dtype=bool)
    else:
        long = np.zeros(len(incidents), dtype=bool)
    fits = end <= (day + step) * DAY_US
    placed = fits & ~long
    table = values[placed].groupby(day[placed], sort=True).sum()
    offset = pd.Timedelta(days=step)
    first = table.index.to_numpy().astype("datetime64[D]").astype("datetime64[ns]")
    table.index = pd.DatetimeIndex(first, name="period_start")
    if len(table):
        every = pd.date_range(table.index.min(), table.index.max(), freq=offset)
        table = table.reindex(every, fill_value=0)
    table = table.rename_axis("period_start").reset_index()
    table.insert(1, "period_end", table["period_start"] + offset)
    return PeriodTable(
        table[list(PERIOD_COLUMNS)].astype({c: "int64" for c in COUNT_COLUMNS}),
        int(long.sum()),
        int((~fits & ~long).sum()),
    )
