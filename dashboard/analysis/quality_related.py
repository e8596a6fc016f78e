"""The `related_duplicates` check: two reports of one event that the `duplicates` rule
(same type, within 1 km, overlapping times) cannot see, unless marked distinct.

The rule (geodata/README.md, "Data checks"), for two records of the same or a related
type (`RELATED_TYPES`), neither an official statement nor placed only to the state:

- same town, same day: the same state and municipality, the same local day of `start`,
  and one of them placed at the town itself (its `place` is the municipality's name), so
  the other's site may be where it happened ("Cihuatlán" and "Crucero de Melaque");
- same place, consecutive periods: places within 1 km on different local days, the
  later starting on the calendar day after the earlier's start (a road closed on 22 Feb,
  at whatever precision, and the booth at the same point blocked on the morning of the
  23rd), or, both known to a part of the day or better, within 12 hours of the earlier's
  end (trucks burned at a toll booth at 22:00, the booth blocked next morning).

A pair marked distinct (`distinct_from` with a `distinct_reason`, as for `duplicates`)
is not a finding; a merged record is gone.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.analysis.quality_duplicates import (
    DUPLICATE_DISTANCE_M,
    MAX_DUPLICATE_PAIRS,
    METRIC_CRS,
    _distinct_pairs,
)
from dashboard.analysis.quality_findings import Finding, cell_text, text_column
from dashboard.model.mexico import fold
from dashboard.model.schema import NON_INCIDENT_TYPES
from dashboard.text.message import msg

# Types that one event can be reported as: burned vehicles block a road and close it;
# a clash and a killing are one shooting told two ways. Other types relate to themselves.
RELATED_TYPES: dict[str, str] = {
    "blockade": "roads",
    "vehicle_arson": "roads",
    "transport_disruption": "roads",
    "armed_clash": "shooting",
    "killing": "shooting",
}
CONSECUTIVE_GAP = pd.Timedelta(hours=12)  # the night, then the next morning
_TIMED = ("minute", "hour")


def related(kind: str, other: str) -> bool:
    """Whether two event types can be one event reported twice (`RELATED_TYPES`)."""
    group = RELATED_TYPES.get(kind)
    return kind == other or (group is not None and group == RELATED_TYPES.get(other))


def _local_days(frame: pd.DataFrame) -> np.ndarray:
    return np.array(
        [
            "" if s is None or (not isinstance(s, str) and pd.isna(s)) else str(s)[:10]
            for s in frame["start"]
        ],
        dtype=object,
    )


def _day_numbers(days: np.ndarray) -> np.ndarray:
    """Each local day ("YYYY-MM-DD") as a day number (proleptic ordinal); -1 where the
    start has no readable date."""
    parsed = pd.to_datetime(pd.Series(days, dtype=object), format="%Y-%m-%d", errors="coerce")
    numbers = (parsed - pd.Timestamp("1970-01-01")).dt.days
    return numbers.fillna(-1).astype("int64").to_numpy()


MAX_CANDIDATES = 1_000_000  # pairs looked at in all: a hostile file costs bounded time
_QUERY_CHUNK = 256  # points per tree query: bounds the candidate arrays of one query


def related_pairs(
    frame: pd.DataFrame, limit: int = MAX_DUPLICATE_PAIRS, candidates: int = MAX_CANDIDATES
) -> list[tuple[int, int, str]]:
    """Positions (i, j, "same_town" or "consecutive") of the record pairs the rule finds
    (the module's docstring), not marked distinct; at most `limit` pairs, found among at
    most about `candidates` pairs looked at (a hostile file of thousands of records in one
    town on one day costs bounded time and memory)."""
    if len(frame) < 2:
        return []
    ids = frame["incident_id"].to_numpy(dtype=object)
    kinds = frame["event_type"].to_numpy(dtype=object)
    usable = (frame["geo_precision"].to_numpy() != 3) & ~np.isin(kinds, list(NON_INCIDENT_TYPES))
    days = _local_days(frame)
    distinct = _distinct_pairs(frame)
    found: dict[tuple[int, int], str] = {}
    budget = [candidates]

    def add(i: int, j: int, why: str) -> bool:
        """Look at one candidate pair; False when the work is done (limit or budget)."""
        budget[0] -= 1
        i, j = min(i, j), max(i, j)
        if related(kinds[i], kinds[j]) and frozenset((ids[i], ids[j])) not in distinct:
            found.setdefault((i, j), why)
        return len(found) < limit and budget[0] > 0

    # Same town, same day.
    town = text_column(frame, "municipality").map(fold).to_numpy(dtype=object)
    place = text_column(frame, "place").map(fold).to_numpy(dtype=object)
    state = text_column(frame, "cve_ent").to_numpy(dtype=object)
    at_town = (place == town) | (place == "")
    groups: dict[tuple, list[int]] = {}
    for k in np.flatnonzero(usable & (town != "")).tolist():
        groups.setdefault((state[k], town[k], days[k]), []).append(k)
    for rows in groups.values():
        for i in (r for r in rows if at_town[r]):
            for j in rows:
                if i != j and not add(i, j, "same_town"):
                    return _sorted(found)
    # Same place, consecutive periods: on different days, the later starting within
    # CONSECUTIVE_GAP of the earlier's end.
    precision = text_column(frame, "time_precision").to_numpy(dtype=object)
    part = text_column(frame, "part_of_day").to_numpy(dtype=object)
    timed = np.isin(precision, _TIMED) | ((precision == "part_of_day") & (part != ""))
    ordinal = _day_numbers(days)
    members = np.flatnonzero(usable & (ordinal >= 0))
    if len(members) < 2:
        return _sorted(found)
    points = gpd.GeoSeries(
        gpd.points_from_xy(frame["lon"].to_numpy()[members], frame["lat"].to_numpy()[members]),
        crs="EPSG:4326",
    ).to_crs(METRIC_CRS)
    geoms = np.asarray(points.values)
    tree = shapely.STRtree(geoms)
    t0 = pd.DatetimeIndex(frame["t_start"])
    t1 = pd.DatetimeIndex(frame["t_end"])
    gap = pd.Timedelta(CONSECUTIVE_GAP)
    for begin in range(0, len(members), _QUERY_CHUNK):
        chunk = np.arange(begin, min(begin + _QUERY_CHUNK, len(members)))
        a, b = tree.query(geoms[chunk], predicate="dwithin", distance=DUPLICATE_DISTANCE_M)
        x, y = members[chunk[a]], members[b]
        keep = (x < y) & (days[x] != days[y])
        x, y = x[keep], y[keep]
        early = np.where(t0[x] <= t0[y], x, y)
        late = np.where(t0[x] <= t0[y], y, x)
        between = t0[late] - t1[early]
        next_day = ordinal[late] - ordinal[early] == 1
        within = timed[early] & timed[late] & (between >= pd.Timedelta(0)) & (between <= gap)
        near = next_day | within
        for i, j in zip(early[near].tolist(), late[near].tolist(), strict=True):
            if not add(i, j, "consecutive"):
                return _sorted(found)
        budget[0] -= len(a)
        if budget[0] <= 0:
            break
    return _sorted(found)


def _sorted(found: dict[tuple[int, int], str]) -> list[tuple[int, int, str]]:
    return [(i, j, why) for (i, j), why in sorted(found.items())]


_WHY = {
    "same_town": msg(
        "same or related type in the same municipality on the same day, one placed at the "
        "town itself: merge them into one record with all sources, or mark them distinct "
        "(distinct_from and distinct_reason)"
    ),
    "consecutive": msg(
        "same or related type at the same place in consecutive periods (on the next "
        "calendar day, or within 12 hours across midnight): merge them into one record with "
        "all sources, or mark them distinct (distinct_from and distinct_reason)"
    ),
}


def related_duplicates(frame: pd.DataFrame) -> list[Finding]:
    """Candidate duplicates by the same-town and consecutive-periods rules."""
    ids = frame["incident_id"].to_numpy(dtype=object)
    kinds = frame["event_type"].to_numpy(dtype=object)
    return [
        Finding(
            "related_duplicates",
            (ids[i], ids[j]),
            "event_type",
            f"{kinds[i]} / {kinds[j]}",
            str(_WHY[why]),
            _WHY[why],
        )
        for i, j, why in related_pairs(frame)
    ]


def related_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The pairs side by side: ids, types, places, starts and why (in `lang`)."""
    columns = [
        "incident_id",
        "other_id",
        "event_type",
        "other_event_type",
        "place",
        "other_place",
        "start",
        "other_start",
        "detail",
    ]
    rows = []
    for i, j, why in related_pairs(frame):
        a, b = frame.iloc[i], frame.iloc[j]
        rows.append(
            {
                "incident_id": a["incident_id"],
                "other_id": b["incident_id"],
                "event_type": a["event_type"],
                "other_event_type": b["event_type"],
                "place": cell_text(a.get("place")),
                "other_place": cell_text(b.get("place")),
                "start": cell_text(a.get("start")),
                "other_start": cell_text(b.get("start")),
                "detail": _WHY[why].text(lang),
            }
        )
    return pd.DataFrame(rows, columns=columns)
