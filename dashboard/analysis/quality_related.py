"""The `related_duplicates` check: two reports of one event that the `duplicates` rule
(same type, within 1 km, overlapping times) cannot see, unless marked distinct.

The rule (geodata/README.md, "Data checks"), for two records of the same or a related
type (`RELATED_TYPES`), neither an official statement nor placed only to the state:

- same town, same day: the same state and municipality, the same local day of `start`,
  and one of them placed at the town itself (its `place` is the municipality's name), so
  the other's site may be where it happened ("Cihuatlán" and "Crucero de Melaque");
- same place, consecutive periods: places within 1 km, both known to a part of the day
  or better, on different local days, the later starting within 12 hours of the
  earlier's end (trucks burned at a toll booth at 22:00, the booth blocked next morning).

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


def related_pairs(
    frame: pd.DataFrame, limit: int = MAX_DUPLICATE_PAIRS
) -> list[tuple[int, int, str]]:
    """Positions (i, j, "same_town" or "consecutive") of the record pairs the rule finds
    (the module's docstring), not marked distinct; at most `limit` pairs."""
    if len(frame) < 2:
        return []
    ids = frame["incident_id"].to_numpy(dtype=object)
    kinds = frame["event_type"].to_numpy(dtype=object)
    usable = (frame["geo_precision"].to_numpy() != 3) & ~np.isin(kinds, list(NON_INCIDENT_TYPES))
    days = _local_days(frame)
    distinct = _distinct_pairs(frame)
    found: dict[tuple[int, int], str] = {}

    def add(i: int, j: int, why: str) -> None:
        i, j = min(i, j), max(i, j)
        if related(kinds[i], kinds[j]) and frozenset((ids[i], ids[j])) not in distinct:
            found.setdefault((i, j), why)

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
                if i != j and len(found) < limit:
                    add(i, j, "same_town")
    # Same place, consecutive periods.
    precision = text_column(frame, "time_precision").to_numpy(dtype=object)
    part = text_column(frame, "part_of_day").to_numpy(dtype=object)
    timed = usable & (np.isin(precision, _TIMED) | ((precision == "part_of_day") & (part != "")))
    members = np.flatnonzero(timed)
    if len(members) > 1 and len(found) < limit:
        points = gpd.GeoSeries(
            gpd.points_from_xy(frame["lon"].to_numpy()[members], frame["lat"].to_numpy()[members]),
            crs="EPSG:4326",
        ).to_crs(METRIC_CRS)
        geoms = np.asarray(points.values)
        a, b = shapely.STRtree(geoms).query(
            geoms, predicate="dwithin", distance=DUPLICATE_DISTANCE_M
        )
        t0 = frame["t_start"].to_numpy()
        t1 = frame["t_end"].to_numpy()
        for x, y in zip(members[a].tolist(), members[b].tolist(), strict=True):
            if x >= y or days[x] == days[y] or len(found) >= limit:
                continue
            early, late = (x, y) if t0[x] <= t0[y] else (y, x)
            between = pd.Timedelta(t0[late] - t1[early])
            if pd.Timedelta(0) <= between <= CONSECUTIVE_GAP:
                add(early, late, "consecutive")
    return [(i, j, why) for (i, j), why in sorted(found.items())]


_WHY = {
    "same_town": msg(
        "same or related type in the same municipality on the same day, one placed at the "
        "town itself: merge them into one record with all sources, or mark them distinct "
        "(distinct_from and distinct_reason)"
    ),
    "consecutive": msg(
        "same or related type at the same place in consecutive periods (within 12 hours "
        "across midnight): merge them into one record with all sources, or mark them "
        "distinct (distinct_from and distinct_reason)"
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
