"""Points to states for whole columns: which state a point lies in, and what to warn about.

A point is in a state when the state's polygon covers it (boundary included), so a point
exactly on a shared border is in both: with either declared it is fine, with none declared
it is ambiguous. Points just off the 1:10m coast or border line belong to the nearest state.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.model.mexico import BY_CODE
from dashboard.model.schema import Report
from dashboard.text.i18n import format_list
from dashboard.text.message import Message, msg

# Points this close to a state polygon (degrees, about 5 km) are coast or border points
# that a 1:10m line puts just outside; farther is outside Mexico.
COAST_TOLERANCE_DEG = 0.05
KM_PER_DEGREE = 111.0
# A point in (or nearest to) another state than the one declared stays a warning while it
# is at most this far (geodesic km, WGS84) from the declared state's polygon: a town
# near a border placed by its municipality's centroid, or a border drawn at 1:10m
# (Natural Earth: a few km off at most), is that close; a coordinate or a cve_ent that
# is simply wrong (a Monterrey point declared Jalisco: 435 km from it) is farther and is an
# error, naming both states and the distance. 20 km is about the radius of a large
# municipality of the Jalisco-Michoacán border (geo_precision 2 places a point anywhere in
# it).
DECLARED_TOLERANCE_KM = 20.0


@dataclass
class Located:
    state: np.ndarray  # object: INEGI code per point (the declared one where consistent)
    # bool: False where the point is an error (outside Mexico, or farther than
    # DECLARED_TOLERANCE_KM from its declared state)
    in_mexico: np.ndarray


def distance_km(geometry, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Geodesic distance (km, WGS84 ellipsoid, pyproj.Geod) from each point (degrees) to
    the nearest point of `geometry` (a shapely polygon in degrees; 0 inside it). The
    nearest point is found in degrees (shapely.shortest_line), which is exact enough at
    the distances it decides (DECLARED_TOLERANCE_KM)."""
    from pyproj import Geod

    points = shapely.points(lon, lat)
    lines = shapely.shortest_line(points, geometry)
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    _, _, metres = Geod(ellps="WGS84").inv(
        ends[:, 0, 0], ends[:, 0, 1], ends[:, 1, 0], ends[:, 1, 1]
    )
    return np.asarray(metres, dtype=float) / 1000.0


def _far_from_declared(
    name, rows, lon, lat, chosen, found_name, declared_code, states, report, in_mexico, warning
):
    """Points `chosen` (positions) declared `declared_code` but found in (or nearest to)
    the state `found_name`: beyond DECLARED_TOLERANCE_KM of the declared polygon an error
    naming both and the distance (in_mexico set False), else the `warning`."""
    layer_row = np.flatnonzero(states["cve_ent"].to_numpy(dtype=object) == declared_code)
    if len(layer_row):  # each distinct point measured once (files repeat places)
        coords = np.stack([lon[chosen], lat[chosen]], axis=1)
        distinct, inverse = np.unique(coords, axis=0, return_inverse=True)
        declared_geometry = states.geometry.to_numpy()[layer_row[0]]
        km = distance_km(declared_geometry, distinct[:, 0], distinct[:, 1])[inverse.reshape(-1)]
    else:  # a layer without the declared state: nothing to measure, the warning stands
        km = np.zeros(len(chosen))
    far = km > DECLARED_TOLERANCE_KM
    near = chosen[~far]
    if len(near):
        report.add_many(
            name, rows[near], "cve_ent", [declared_code] * len(near), warning, severity="warning"
        )
    if not far.any():
        return
    far_at, far_km = chosen[far], km[far]
    in_mexico[far_at] = False

    def reasons(positions: list[int]) -> list[Message]:  # built for the kept rows only
        return [
            msg(
                "point lies in {found}, {km} km from its declared state {declared} (more than "
                "{tolerance} km): correct the coordinates or cve_ent",
                found=found_name,
                km=f"{far_km[p]:.0f}",
                declared=BY_CODE[declared_code].name,
                tolerance=f"{DECLARED_TOLERANCE_KM:.0f}",
            )
            for p in positions
        ]

    report.add_numbered(name, rows[far_at], "cve_ent", [declared_code] * len(far_at), reasons)


def covering_states(
    states: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(point index, state index) pairs where a state's polygon covers the point.

    Sorted by point, then by state. Each distinct point is tested once (files repeat
    places: town seats, ACLED locations), and each polygon is prepared once (GEOS
    prepared geometry, kept on the shared layer) and tested against the points inside its
    bounding box: about 40 times faster than asking the spatial index per point with
    full-resolution polygons.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    at, distinct_lon, distinct_lat = _distinct_points(lon, lat)
    hit, owner = _covering_distinct(states, distinct_lon, distinct_lat)
    # Spread each distinct point's pairs to every point at it (in point order).
    hits = np.bincount(hit, minlength=len(distinct_lon))
    first = np.cumsum(hits) - hits  # where each distinct point's pairs start
    per_point = hits[at]
    point_index = np.repeat(np.arange(len(lon)), per_point)
    within = np.arange(len(point_index)) - np.repeat(np.cumsum(per_point) - per_point, per_point)
    state_index = owner[np.repeat(first[at], per_point) + within]
    return point_index, state_index


def _distinct_points(lon: np.ndarray, lat: np.ndarray):
    """(per point: its distinct point, distinct longitudes, distinct latitudes)."""
    lon_at, lons = pd.factorize(lon, use_na_sentinel=False)
    lat_at, lats = pd.factorize(lat, use_na_sentinel=False)
    at, pairs = pd.factorize(lon_at.astype("int64") * len(lats) + lat_at)
    return at, np.asarray(lons)[pairs // len(lats)], np.asarray(lats)[pairs % len(lats)]


def _covering_distinct(states, lon: np.ndarray, lat: np.ndarray):
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
    declared_at: np.ndarray | None = None,
) -> Located:
    """The state of each point (degrees, WGS84), checked against the declared INEGI code.

    rows: file line/feature numbers for messages; declared: INEGI code or "" per point;
    declared_at (optional, when the caller has it: no string comparisons then): the same
    as the row of `states` holding that code, -1 for "" and -2 for a code not in `states`.
    A point in another state than declared, or just off the coast, is a warning naming
    both (the declared state is kept) while within DECLARED_TOLERANCE_KM of the declared
    state, an error naming both and the distance beyond; one far from every state is an
    error; one on the
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
    if declared_at is None:
        matches = hit_codes == declared[point_index]
        undeclared = declared == ""
    else:
        matches = state_index == declared_at[point_index]
        undeclared = declared_at == -1
    agrees = np.zeros(n, dtype=bool)
    agrees[point_index[matches]] = True
    hits = np.bincount(point_index, minlength=n)
    first = np.full(n, -1)
    starts = np.cumsum(hits) - hits  # covering_states sorts the pairs by point
    has = hits > 0
    first[has] = state_index[starts[has]]

    # In a state: silently fine when it agrees or nothing was declared and one state hit.
    wrong = np.flatnonzero(has & ~agrees & ~undeclared)
    if len(wrong):
        pairs = np.stack([codes[first[wrong]], declared[wrong]]).T.astype(str)
        for found_code, declared_code in {tuple(p) for p in pairs.tolist()}:
            chosen = wrong[(pairs[:, 0] == found_code) & (pairs[:, 1] == declared_code)]
            warning = msg(
                "point lies in {found}, not its declared state {declared}",
                found=BY_CODE[found_code].name,
                declared=BY_CODE[declared_code].name,
            )
            _far_from_declared(
                name,
                rows,
                lon,
                lat,
                chosen,
                BY_CODE[found_code].name,
                declared_code,
                states,
                report,
                in_mexico,
                warning,
            )
    plain = has & undeclared
    state[plain] = codes[first[plain]]
    border = plain & (hits > 1)
    if border.any():
        # The states each border point lies in, as one tuple of names per point (the
        # pairs are sorted by point), then one report call per set of states.
        on_border = border[point_index]
        names: dict[int, list[str]] = {}
        for i, code in zip(
            point_index[on_border].tolist(), hit_codes[on_border].tolist(), strict=True
        ):
            names.setdefault(i, []).append(BY_CODE[code].name)
        groups: dict[tuple, list[int]] = {}
        for i, found in names.items():
            groups.setdefault((tuple(sorted(found)), state[i]), []).append(i)
        for (found, counted), chosen in groups.items():
            report.add_many(
                name,
                rows[chosen],
                "cve_ent",
                [None] * len(chosen),
                msg(
                    "point lies on the border of {states}: give cve_ent to say which; counted "
                    "in {counted}",
                    states=_StateList(found),
                    counted=BY_CODE[counted].name,
                ),
                severity="warning",
            )

    # Outside every polygon: near the coast or a border, or outside Mexico.
    outside = np.flatnonzero(~has)
    if len(outside):
        _outside(name, rows, lon, lat, declared, state, in_mexico, outside, states, report)
    return Located(state, in_mexico)


def _outside(name, rows, lon, lat, declared, state, in_mexico, outside, states, report):
    """Points outside every state polygon (positions `outside`): outside Mexico (an
    error), or within COAST_TOLERANCE_DEG of the nearest state (that state where none was
    declared; a warning where one was). Updates `state` and `in_mexico` in place.

    Each distinct coordinate is looked up once (files repeat places: town seats, ACLED
    locations), and each kind of problem is one report call, not one per row.
    """
    coords = np.stack([lon[outside], lat[outside]], axis=1)
    distinct, inverse = np.unique(coords, axis=0, return_inverse=True)
    (_, nearest), distance_once = states.sindex.nearest(
        shapely.points(distinct[:, 0], distinct[:, 1]), return_distance=True, return_all=False
    )
    inverse = inverse.reshape(-1)
    codes = states["cve_ent"].to_numpy(dtype=object)
    shown = np.array([f"{y:.4f}, {x:.4f}" for x, y in distinct.tolist()], dtype=object)
    where, near = shown[inverse], codes[nearest][inverse]
    distance = distance_once[inverse]
    points = rows[outside]
    said = declared[outside]

    far = distance > COAST_TOLERANCE_DEG
    report.add_many(name, points[far], "latitude", where[far], msg("point is outside Mexico"))
    in_mexico[outside[far]] = False

    close = ~far
    undeclared = close & (said == "")
    state[outside[undeclared]] = near[undeclared]
    other = close & (said != "") & (said != near)
    if other.any():
        pairs = np.stack([near[other], said[other]]).T.astype(str)
        for near_code, declared_code in dict.fromkeys(map(tuple, pairs.tolist())):
            chosen = np.flatnonzero(other)[
                (pairs[:, 0] == near_code) & (pairs[:, 1] == declared_code)
            ]
            warning = msg(
                "point lies just outside the state polygons, nearest {nearest}, not its "
                "declared state {declared}",
                nearest=BY_CODE[near_code].name,
                declared=BY_CODE[declared_code].name,
            )
            _far_from_declared(
                name,
                rows,
                lon,
                lat,
                outside[chosen],
                BY_CODE[near_code].name,
                declared_code,
                states,
                report,
                in_mexico,
                warning,
            )
    same = close & (said != "") & (said == near)
    if same.any():
        # The distance as shown, once per distinct coordinate; one message per distance.
        km = np.array([f"{d * KM_PER_DEGREE:.1f}" for d in distance_once.tolist()])[inverse]
        for code in dict.fromkeys(near[same].tolist()):
            chosen = np.flatnonzero(same & (near == code))
            reasons: dict[str, Message] = {}

            def reason(shown: str, state: str = BY_CODE[code].name, reasons=reasons) -> Message:
                if shown not in reasons:
                    reasons[shown] = msg(
                        "point lies {km} km outside the {state} polygon (coast or border at 1:10m)",
                        km=shown,
                        state=state,
                    )
                return reasons[shown]

            report.add_numbered(
                name,
                points[chosen],
                "latitude",
                where[chosen],
                lambda positions, chosen=chosen, reason=reason: [
                    reason(km[chosen[p]]) for p in positions
                ],
                severity="warning",
            )


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


def state_at(states: gpd.GeoDataFrame, lon: float, lat: float) -> str | None:
    """The INEGI code of the state containing a point, or None off the map."""
    hits = states.sindex.query(shapely.Point(lon, lat), predicate="within")
    return None if len(hits) == 0 else states.cve_ent.iloc[int(hits[0])]
