"""Points to states for whole columns: which state a point lies in, and what to warn about.

A point is in a state when the state's polygon covers it (boundary included), so a point
exactly on a shared border is in both: with either declared it is fine, with none declared
it is ambiguous. Points just off the 1:10m coast or border line belong to the nearest state.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from .i18n import format_list
from .message import Message, msg
from .mexico import BY_CODE
from .schema import Report

# Points this close to a state polygon (degrees, about 5 km) are coast or border points
# that a 1:10m line puts just outside; farther is outside Mexico.
COAST_TOLERANCE_DEG = 0.05
KM_PER_DEGREE = 111.0


@dataclass
class Located:
    state: np.ndarray  # object: INEGI code per point (the declared one where consistent)
    in_mexico: np.ndarray  # bool: False where the point is an error (outside Mexico)


def covering_states(
    states: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(point index, state index) pairs where a state's polygon covers the point.

    Each polygon is prepared once (GEOS prepared geometry, kept on the shared layer) and
    tested against the points inside its bounding box: about 40 times faster than asking
    the spatial index per point with full-resolution polygons.
    """
    geoms = states.geometry.to_numpy()
    shapely.prepare(geoms)
    bounds = shapely.bounds(geoms)
    points, owners = [], []
    for j, (west, south, east, north) in enumerate(bounds.tolist()):
        box = np.flatnonzero((lon >= west) & (lon <= east) & (lat >= south) & (lat <= north))
        if len(box):
            inside = box[shapely.intersects_xy(geoms[j], lon[box], lat[box])]
            points.append(inside)
            owners.append(np.full(len(inside), j))
    if not points:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    point_index, state_index = np.concatenate(points), np.concatenate(owners)
    order = np.argsort(point_index, kind="stable")
    return point_index[order], state_index[order]


def locate_points(
    name: str,
    rows: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    declared: np.ndarray,
    states: gpd.GeoDataFrame,
    report: Report,
) -> Located:
    """The state of each point (degrees, WGS84), checked against the declared INEGI code.

    rows: file line/feature numbers for messages; declared: INEGI code or "" per point.
    A point in another state than declared, or just off the coast, is a warning naming
    both (the declared state is kept); one far from every state is an error; one on the
    border of two states with no state declared is a warning naming both (the first by
    code is used).
    """
    n = len(lon)
    state = np.asarray(declared, dtype=object).copy()
    in_mexico = np.ones(n, dtype=bool)
    if not n:
        return Located(state, in_mexico)
    rows = np.asarray(rows)
    codes = states["cve_ent"].to_numpy(dtype=object)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    point_index, state_index = covering_states(states, lon, lat)
    hit_codes = codes[state_index]
    declared = np.asarray(declared, dtype=object)
    matches = hit_codes == declared[point_index]
    agrees = np.zeros(n, dtype=bool)
    agrees[point_index[matches]] = True
    hits = np.bincount(point_index, minlength=n)
    first = np.full(n, -1)
    order = np.argsort(point_index, kind="stable")
    starts = np.searchsorted(point_index[order], np.arange(n))
    has = hits > 0
    first[has] = state_index[order][starts[has]]
    undeclared = declared == ""

    # In a state: silently fine when it agrees or nothing was declared and one state hit.
    wrong = np.flatnonzero(has & ~agrees & ~undeclared)
    if len(wrong):
        pairs = np.stack([codes[first[wrong]], declared[wrong]]).T.astype(str)
        for found_code, declared_code in {tuple(p) for p in pairs.tolist()}:
            chosen = wrong[(pairs[:, 0] == found_code) & (pairs[:, 1] == declared_code)]
            report.add_many(
                name,
                rows[chosen],
                "cve_ent",
                declared[chosen],
                msg(
                    "point lies in {found}, not its declared state {declared}",
                    found=BY_CODE[found_code].name,
                    declared=BY_CODE[declared_code].name,
                ),
                severity="warning",
            )
    plain = has & undeclared
    state[plain] = codes[first[plain]]
    border = plain & (hits > 1)
    for i in np.flatnonzero(border):
        names = tuple(sorted(BY_CODE[c].name for c in hit_codes[point_index == i]))
        report.add(
            name,
            int(rows[i]),
            "cve_ent",
            None,
            msg(
                "point lies on the border of {states}: give cve_ent to say which; counted in "
                "{counted}",
                states=_StateList(names),
                counted=BY_CODE[state[i]].name,
            ),
            severity="warning",
        )

    # Outside every polygon: near the coast or a border, or outside Mexico.
    outside = np.flatnonzero(~has)
    if len(outside):
        # Each distinct coordinate once: files repeat places (town seats, ACLED locations).
        coords = np.stack([lon[outside], lat[outside]], axis=1)
        distinct, inverse = np.unique(coords, axis=0, return_inverse=True)
        (_, nearest), distance = states.sindex.nearest(
            shapely.points(distinct[:, 0], distinct[:, 1]), return_distance=True, return_all=False
        )
        inverse = inverse.reshape(-1)
        nearest, distance = nearest[inverse], distance[inverse]
        for i, j, d in zip(outside.tolist(), nearest.tolist(), distance.tolist(), strict=True):
            where = f"{lat[i]:.4f}, {lon[i]:.4f}"
            if d > COAST_TOLERANCE_DEG:
                report.add(name, int(rows[i]), "latitude", where, msg("point is outside Mexico"))
                in_mexico[i] = False
                continue
            near = codes[j]
            if not declared[i]:
                state[i] = near
            elif declared[i] != near:
                report.add(
                    name,
                    int(rows[i]),
                    "cve_ent",
                    declared[i],
                    msg(
                        "point lies just outside the state polygons, nearest {nearest}, not its "
                        "declared state {declared}",
                        nearest=BY_CODE[near].name,
                        declared=BY_CODE[declared[i]].name,
                    ),
                    severity="warning",
                )
                continue
            if declared[i]:
                report.add(
                    name,
                    int(rows[i]),
                    "latitude",
                    where,
                    msg(
                        "point lies {km} km outside the {state} polygon (coast or border at 1:10m)",
                        km=f"{d * KM_PER_DEGREE:.1f}",
                        state=BY_CODE[near].name,
                    ),
                    severity="warning",
                )
    return Located(state, in_mexico)


class _StateList(Message):
    """State names joined as the language writes a list ("Colima y Jalisco")."""

    def __init__(self, names: tuple[str, ...]):
        super().__init__("{names}", values={"names": names})

    def text(self, lang: str = "en") -> str:
        return format_list(dict(self.values)["names"], lang)

    def __reduce__(self):
        return (_StateList, (dict(self.values)["names"],))


def locate_in_states(
    name: str, records: list[dict], states: gpd.GeoDataFrame, report: Report
) -> tuple[list[str | None], list[bool]]:
    """Records with "row", "point" (lon, lat) and "cve_ent" ("" if none) to (state, in Mexico).

    The record-list form of `locate_points`, for callers that hold records; the state is
    None where the point is outside Mexico.
    """
    if not records:
        return [], []
    located = locate_points(
        name,
        np.array([r["row"] for r in records]),
        np.array([r["point"][0] for r in records], dtype=float),
        np.array([r["point"][1] for r in records], dtype=float),
        np.array([r["cve_ent"] or "" for r in records], dtype=object),
        states,
        report,
    )
    found = [s if ok else None for s, ok in zip(located.state, located.in_mexico, strict=True)]
    return found, located.in_mexico.tolist()
