"""The `duplicates` check: two records of one event (same type, places within 1 km,
overlapping time intervals) unless marked distinct, and its side-by-side table.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.analysis.quality_findings import Finding, cell_text, rows_of, text_column
from dashboard.model.schema import EVENT_TYPES
from dashboard.text.message import msg

DUPLICATE_DISTANCE_M = 1000.0
# Mexico ITRF2008 / LCC (INEGI's national projection): metres across the whole country.
METRIC_CRS = "EPSG:6372"


# Optional columns marking two nearby records as distinct events (see `duplicates`).
DISTINCT_COLUMNS = ("distinct_from", "distinct_reason")


def _distinct_pairs(frame: pd.DataFrame) -> set[frozenset[str]]:
    """Pairs marked as distinct events: one lists the other in `distinct_from` (space-
    separated ids) and gives a non-empty `distinct_reason`."""
    pairs = set()
    if "distinct_reason" not in frame.columns or "distinct_from" not in frame.columns:
        return pairs  # no record is marked (an ACLED file has neither column)
    reasons = frame["distinct_reason"].astype("string").fillna("").str.strip() != ""
    frame = frame[reasons.to_numpy(bool)]
    for record, others, reason in zip(
        text_column(frame, "incident_id"),
        text_column(frame, "distinct_from"),
        text_column(frame, "distinct_reason"),
        strict=True,
    ):
        if reason.strip():
            pairs.update(frozenset((record, other)) for other in others.split())
    return pairs


MAX_DUPLICATE_PAIRS = 5_000  # a file of thousands of co-located records: bounded work
_QUERY_CHUNK = 256  # points per tree query: bounds the candidate arrays of one query


def duplicate_pairs(
    frame: pd.DataFrame,
    distance_m: float = DUPLICATE_DISTANCE_M,
    limit: int = MAX_DUPLICATE_PAIRS,
) -> list[tuple[int, int, float]]:
    """Positions (i, j, metres) of record pairs of the same event type whose places are
    within `distance_m` and whose time intervals overlap, not marked distinct; at most
    `limit` pairs (the first found, by event type then position), so a hostile file of
    co-located records costs bounded time and memory.

    State-only records (`geo_precision` 3) are left out: their point is a placeholder, so
    nearness says nothing about their place.
    """
    if len(frame) < 2:
        return []
    points = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326").to_crs(
        METRIC_CRS
    )
    geoms = np.asarray(points.values)
    kinds = frame["event_type"].to_numpy(dtype=object)
    precise = frame["geo_precision"].to_numpy() != 3
    t0 = pd.DatetimeIndex(frame["t_start"]).asi8
    t1 = pd.DatetimeIndex(frame["t_end"]).asi8
    distinct = _distinct_pairs(frame)
    ids = frame["incident_id"].to_numpy(dtype=object)
    pairs: list[tuple[int, int, float]] = []
    for kind in pd.unique(kinds[precise]):  # one tree per event type: far fewer candidates
        members = np.flatnonzero(precise & (kinds == kind))
        if len(members) < 2:
            continue
        tree = shapely.STRtree(geoms[members])
        for begin in range(0, len(members), _QUERY_CHUNK):
            chunk = members[begin : begin + _QUERY_CHUNK]
            a, b = tree.query(geoms[chunk], predicate="dwithin", distance=distance_m)
            left, right = chunk[a], members[b]
            keep = (left < right) & (t0[left] < t1[right]) & (t0[right] < t1[left])
            left, right = left[keep], right[keep]
            order = np.lexsort((right, left))
            left, right = left[order], right[order]
            metres = shapely.distance(geoms[left], geoms[right])
            for i, j, d in zip(left.tolist(), right.tolist(), metres.tolist(), strict=True):
                if distinct and frozenset((ids[i], ids[j])) in distinct:
                    continue
                pairs.append((i, j, float(d)))
                if len(pairs) >= limit:
                    return pairs
    return pairs


def type_name(key: str):
    """An event type's display name as a Message (shown in the report's language: "Riots",
    "Disturbios"); an unknown key as it is. The finding's value keeps the key."""
    return msg(EVENT_TYPES[key]) if key in EVENT_TYPES else key


def duplicates(frame: pd.DataFrame, limit: int = MAX_DUPLICATE_PAIRS) -> list[Finding]:
    """Candidate duplicates: same event type, within 1 km, overlapping intervals. At most
    `limit` pairs; when there are more, a last finding says the check stopped, and where
    (the record it had reached, in event-type then file order): the rest was not checked."""
    findings = []
    ids = frame["incident_id"].to_numpy(dtype=object)
    kinds = frame["event_type"].to_numpy(dtype=object)
    pairs = duplicate_pairs(frame, limit=limit + 1)
    stopped = len(pairs) > limit
    for i, j, metres in pairs[:limit]:
        kind = kinds[i]
        detail = msg(
            "two records of type “{kind}” {metres} m apart with overlapping times; merge them "
            "into one record with all sources, or mark them distinct (distinct_from and "
            "distinct_reason)",
            kind=type_name(kind),
            metres=f"{metres:,.0f}",
        )
        findings.append(
            Finding("duplicates", (ids[i], ids[j]), "event_type", kind, str(detail), detail)
        )
    if stopped:
        i = pairs[limit - 1][0]
        detail = msg(
            "the duplicate check stopped after {limit} pairs, at record {record} (records of "
            "type “{kind}”, in file order): later pairs were not looked for; check a smaller "
            "part of the file (a state or a window) to see them",
            limit=f"{limit:,}",
            record=ids[i],
            kind=type_name(kinds[i]),
        )
        findings.append(
            Finding("duplicates", (ids[i],), "event_type", kinds[i], str(detail), detail)
        )
    return findings


# An ACLED row's fields that do not say what happened: its id, the id the import gives
# its point, and when ACLED last changed the row (the codebook's `timestamp`).
_ACLED_BOOKKEEPING = ("incident_id", "event_id_cnty", "location_id", "timestamp")


def acled_duplicates(frame: pd.DataFrame) -> list[Finding]:
    """Duplicates in ACLED data: rows identical in every field but `event_id_cnty` (the
    record's `incident_id`) and `timestamp`, one finding per later row, paired with the
    first. ACLED records separate events at one place and day as separate rows (its
    codebook), so nearness in place and time is no evidence of a duplicate there; a row
    repeated under another id is. (A repeated `event_id_cnty` is refused by validation.)"""
    columns = [c for c in frame.columns if c not in _ACLED_BOOKKEEPING and c != "geometry"]
    if len(frame) < 2 or not columns:
        return []
    # Rows identical in every field are identical in their notes: the few rows whose
    # notes repeat are compared field by field (one column hashed, not fifty).
    repeated = np.ones(len(frame), dtype=bool)
    if "notes" in columns:
        repeated = frame["notes"].duplicated(keep=False).to_numpy(dtype=bool, copy=True)
    if repeated.any():
        subset = frame.loc[repeated, columns]
        repeated[repeated] = subset.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return []
    rows = frame[columns].astype(str)  # only when some row repeats: keys of the repeats
    ids = frame["incident_id"].to_numpy(dtype=object)
    kinds = frame["event_type"].to_numpy(dtype=object)
    first: dict[tuple, int] = {}
    findings = []
    positions = np.flatnonzero(repeated)
    for position, key in zip(
        positions.tolist(), rows.iloc[positions].itertuples(index=False), strict=True
    ):
        key = tuple(key)
        if key not in first:
            first[key] = position
            continue
        detail = msg(
            "the same event twice: this row of type “{kind}” repeats {other} in every field "
            "but event_id_cnty and timestamp; keep one of them",
            kind=type_name(kinds[position]),
            other=ids[first[key]],
        )
        findings.append(
            Finding(
                "duplicates",
                (ids[position], ids[first[key]]),
                "event_id_cnty",
                ids[position],
                str(detail),
                detail,
            )
        )
    return findings


def _when(row) -> str:
    start = row.start
    text = "" if start is None or pd.isna(start) else pd.Timestamp(start).isoformat("T", "minutes")
    return f"{text} ({row.time_precision}{', ' + row.part_of_day if row.part_of_day else ''})"


def duplicates_table(
    frame: pd.DataFrame, lang: str = "en", limit: int = MAX_DUPLICATE_PAIRS
) -> pd.DataFrame:
    """Candidate duplicates with their evidence side by side: both records' time, place,
    summary and main source; `detail` in `lang`. At most `limit` pairs: when there are
    more, a last row (no other_id) says the check stopped there (as `duplicates` does)."""
    columns = [
        "incident_id",
        "other_id",
        "event_type",
        "metres_apart",
        "when",
        "other_when",
        "place",
        "other_place",
        "summary",
        "other_summary",
        "source",
        "other_source",
        "detail",
    ]
    rows = []
    records = list(
        rows_of(
            frame,
            (
                "incident_id",
                "event_type",
                "start",
                "time_precision",
                "part_of_day",
                "place",
                "summary",
                "source_url",
            ),
        )
    )
    pairs = duplicate_pairs(frame, limit=limit + 1)
    for i, j, metres in pairs[:limit]:
        a, b = records[i], records[j]
        rows.append(
            {
                "incident_id": a.incident_id,
                "other_id": b.incident_id,
                "event_type": a.event_type,
                "metres_apart": round(metres),
                "when": _when(a),
                "other_when": _when(b),
                "place": cell_text(a.place),
                "other_place": cell_text(b.place),
                "summary": cell_text(a.summary),
                "other_summary": cell_text(b.summary),
                "source": cell_text(a.source_url),
                "other_source": cell_text(b.source_url),
                "detail": msg(
                    "same type, {metres} m apart, overlapping times", metres=round(metres)
                ).text(lang),
            }
        )
    if len(pairs) > limit:
        stopped = duplicates(frame, limit)[-1]
        rows.append(
            {
                "incident_id": stopped.incident_ids[0],
                "event_type": stopped.value,
                "detail": stopped.detail_in(lang),
            }
        )
    return pd.DataFrame(rows, columns=columns)
