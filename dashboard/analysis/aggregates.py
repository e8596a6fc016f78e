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

import pandas as pd

from dashboard.analysis.filters import known, possible
from dashboard.analysis.stats import blockades, incidents_only
from dashboard.model.mexico import BY_CODE, MEXICO_CITY

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


@dataclass(frozen=True)
class PeriodTable:
    """Per-period counts (PERIOD_COLUMNS; period_start/period_end naive Mexico City
    midnights, end exclusive) and how many records in view no single period holds."""

    rows: pd.DataFrame
    unplaced: int


def period_counts(selected: pd.DataFrame, period: str = "day") -> PeriodTable:
    """Per day or per week (PERIODS) of the records known to be in the view's window
    (a frame from filters.apply; columns t_start, t_end UTC): each record in the one
    period (Mexico City calendar) that holds its whole interval; periods without records
    are listed with zeros between the first and the last."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    incidents = known(incidents_only(selected))
    start = incidents["t_start"].dt.tz_convert(MEXICO_CITY)
    end = incidents["t_end"].dt.tz_convert(MEXICO_CITY)
    first = start.dt.floor("D").dt.tz_localize(None)
    if period == "week":
        first = first - pd.to_timedelta(first.dt.day_of_week, unit="D")
    step = pd.Timedelta(days=1 if period == "day" else 7)
    # A period is calendar days; its end is the local midnight `step` later (DST-safe).
    period_end = (first + step).dt.tz_localize(MEXICO_CITY, ambiguous=False)
    placed = (end <= period_end).to_numpy()
    table = _counts(incidents[placed], [first[placed].rename("period_start")])
    if len(table):
        every = pd.date_range(table.index.min(), table.index.max(), freq=step)
        table = table.reindex(every, fill_value=0)
    table = table.rename_axis("period_start").reset_index()
    table.insert(1, "period_end", table["period_start"] + step)
    return PeriodTable(
        table[list(PERIOD_COLUMNS)].astype({c: "int64" for c in COUNT_COLUMNS}),
        int((~placed).sum()),
    )
