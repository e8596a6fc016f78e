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

from dashboard.analysis.filters import known, possible
from dashboard.analysis.stats import blockades, incidents_only
from dashboard.model.mexico import BY_CODE, local_zone
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


def municipality_counts(selected: pd.DataFrame) -> pd.DataFrame:
    """Per municipality (a frame from filters.apply, or every record of a file): one row
    per (cve_ent, municipality) with a record in view, MUNICIPALITY_COLUMNS, sorted by
    state code then municipality; counts are ints. `municipality` is "" for records
    placed only to their state."""
    incidents = incidents_only(selected)
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


def local_offsets(frame: pd.DataFrame) -> np.ndarray:
    """UTC offset in seconds (int64) of each record's own clock at its start: the offset
    of its reported `start` (an aware datetime) where the frame has one, else the clock of
    its state or municipality (mexico.local_zone) at `t_start` (UTC)."""
    n = len(frame)
    out = np.full(n, np.iinfo("int64").min, dtype="int64")
    if "start" in frame.columns:
        for i, moment in enumerate(frame["start"].tolist()):
            offset = moment.utcoffset() if hasattr(moment, "utcoffset") else None
            if offset is not None:
                out[i] = int(offset.total_seconds())
    missing = out == np.iinfo("int64").min
    if missing.any():
        rest = frame[missing]
        towns = (
            rest["municipality"] if "municipality" in rest.columns else pd.Series("", rest.index)
        )
        keys = list(zip(rest["cve_ent"].astype(str), towns.fillna("").astype(str), strict=True))
        values = np.zeros(len(rest), dtype="int64")
        for key in set(keys):
            chosen = np.array([k == key for k in keys])
            if key[0] not in BY_CODE:
                continue
            local = rest["t_start"][chosen].dt.tz_convert(local_zone(*key))
            values[chosen] = [int(t.utcoffset().total_seconds()) for t in local]
        out[missing] = values
    return out


def period_counts(selected: pd.DataFrame, period: str = "day") -> PeriodTable:
    """Per day or per week (PERIODS) of the records known to be in the view's window
    (a frame from filters.apply; columns t_start, t_end UTC, start, time_precision,
    cve_ent, municipality): each record known to the day or better in the one period of
    its own local calendar (local_offsets) that holds its whole time; periods without
    records are listed with zeros between the first and the last. Raises ValueError for
    a period not in PERIODS."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    incidents = known(incidents_only(selected))
    offset_us = local_offsets(incidents) * 1_000_000
    start = incidents["t_start"].to_numpy(dtype="datetime64[us]").astype("int64") + offset_us
    end = incidents["t_end"].to_numpy(dtype="datetime64[us]").astype("int64") + offset_us
    day = start // DAY_US  # days since 1970-01-01 (a Thursday) on the record's clock
    if period == "week":
        day = day - (day + 3) % 7  # back to the Monday
    step = 1 if period == "day" else 7
    if "time_precision" in incidents.columns:
        precision = incidents["time_precision"].astype(str).to_numpy()
        long = np.isin(precision, LONG_PRECISIONS)
    else:
        long = np.zeros(len(incidents), dtype=bool)
    fits = end <= (day + step) * DAY_US
    placed = fits & ~long
    first = pd.Series(day[placed].astype("datetime64[D]").astype("datetime64[ns]"))
    table = _counts(incidents[placed], [first.rename("period_start").to_numpy()])
    table.index.name = "period_start"
    offset = pd.Timedelta(days=step)
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
