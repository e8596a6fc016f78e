"""The published map's first paint: the view as an inline SVG (states shaded by their
count, the located incidents as dots), drawn by the browser from the HTML alone before
any script has run, and replaced by the interactive Leaflet map once that has loaded.

Web Mercator (EPSG:3857) like Leaflet, over the same area the map opens on (the view's
states, else Mexico; its centre and zoom when it names them): the reader sees the same
picture before and after. Colours are the live map's (symbols.py). Coordinates are whole
SVG units of a VIEW_WIDTH-wide box, outlines simplified to half a unit, so the SVG of
every state is a few tens of kB.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

from dashboard.analysis.filters import possible_mask
from dashboard.render.symbols import (
    PALETTES,
    SHORT_LABELS,
    SITE_COLOUR,
    STATE_EDGE,
    STATE_FILL_OPACITY,
    category,
    palette_of,
    state_classes,
)
from dashboard.text.escape import escape_text
from dashboard.text.i18n import gettext_for

VIEW_WIDTH = 1000  # SVG units across the box
DOT_RADIUS = 6  # SVG units (2.3 px on a 390 px phone, 6 px at 1000 px)
STAR_RADIUS = 14  # SVG units, the operation site's star (outer points)
BACKGROUND = "#dddddd"  # Leaflet's container background (leaflet.css), where tiles are missing


def mercator(lon, lat):
    """Web Mercator (x, y) in radians-based units, y growing northwards: lon and lat in
    degrees (numbers or numpy arrays); latitudes are clipped to +-85.0511."""
    lat = np.clip(lat, -85.0511287798, 85.0511287798)
    return np.radians(lon), np.arcsinh(np.tan(np.radians(lat)))


def _ring_path(coords: np.ndarray) -> str:
    """One closed ring as "M x y l dx dy ... z" in whole units, repeated points dropped."""
    points = np.rint(coords).astype(int)
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)
    points = points[keep]
    if len(points) < 3:
        return ""
    steps = np.diff(points, axis=0)
    return f"M{points[0][0]} {points[0][1]}l" + " ".join(f"{dx} {dy}" for dx, dy in steps) + "z"


def _path(geometry, project) -> str:
    """A (multi)polygon as SVG path data in the box's units."""
    geometry = shapely.transform(geometry, project)
    geometry = shapely.simplify(geometry, 0.5, preserve_topology=True)
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            parts.append(_ring_path(np.asarray(ring.coords)))
    return "".join(parts)


def _star(x: float, y: float, radius: float) -> str:
    """A five-pointed star centred on (x, y), as an SVG polygon's points (box units)."""
    corners = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.42
        angle = math.pi / 2 - i * math.pi / 5
        corners.append(f"{x + r * math.cos(angle):.0f},{y - r * math.sin(angle):.0f}")
    return " ".join(corners)


def _drawn(selected: pd.DataFrame) -> pd.DataFrame:
    """The records drawn as dots: placed finer than their state (geo_precision < 3)."""
    return selected[selected["geo_precision"] < 3]


def first_paint_key(selected: pd.DataFrame, site_shown: bool, lang: str) -> str:
    """The picture's key (escaped HTML, a `<ul>`): one entry per kind of incident drawn as a
    dot (`selected`: event_type, geo_precision, in_window), in the live legend's order and
    short names (symbols.SHORT_LABELS, in `lang`), the hollow dashed dot when a record only
    possibly in the window is drawn, then the operation site's star when it is drawn.
    The live map's own legend replaces it with the picture."""
    palette = palette_of(selected["event_type"].unique())
    points = _drawn(selected)
    drawn = {category(kind, palette).key for kind in points["event_type"]}
    items = [
        f'<li><i style="background:{c.colour}"></i>'
        f"{escape_text(gettext_for(lang, SHORT_LABELS.get(c.key, c.label)))}</li>"
        for c in PALETTES[palette]
        if c.key in drawn
    ]
    if possible_mask(points).any():
        label = gettext_for(lang, "dashed: time uncertain")
        items.append(f'<li><i class="tim-maybe"></i>{escape_text(label)}</li>')
    if site_shown:
        label = gettext_for(lang, "Tapalpa operation")
        items.append(f'<li><b style="color:{SITE_COLOUR}">★</b>{escape_text(label)}</li>')
    return f'<ul class="tim-first-key">{"".join(items)}</ul>' if items else ""


def first_paint_svg(
    states_display,
    counts: pd.DataFrame,
    selected: pd.DataFrame,
    extent: tuple[float, float, float, float],
    site: tuple[float, float] | None = None,
) -> str:
    """The SVG element (text): `states_display` (GeoDataFrame with cve_ent, EPSG:4326),
    `counts` (stats.state_counts: cve_ent, incidents), `selected` (the view's records:
    lon, lat (degrees), geo_precision, event_type; those placed finer than the state,
    geo_precision < 3, are drawn as dots), `extent` (west, east, south, north, degrees) the
    area to show, `site` the operation site (lon, lat degrees; None: not drawn). Decorative
    (aria-hidden): the page says in text what it shows; first_paint_key is its key."""
    west, east, south, north = extent
    (x0, x1), (y0, y1) = mercator(np.array([west, east]), np.array([south, north]))
    scale = VIEW_WIDTH / (x1 - x0)
    height = max(1, math.ceil((y1 - y0) * scale))

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = mercator(coords[:, 0], coords[:, 1])
        return np.column_stack([(x - x0) * scale, (y1 - y) * scale])

    count_of = dict(zip(counts["cve_ent"], counts["incidents"].astype(int), strict=True))
    classes = state_classes(count_of.values())  # the live map's classes for these counts
    shapes = []
    for code, geometry in zip(states_display["cve_ent"], states_display.geometry, strict=True):
        path = _path(geometry, project)
        if path:
            shapes.append(f'<path fill="{classes.colour(count_of.get(code, 0))}" d="{path}"/>')
    dots = []
    points = _drawn(selected)
    if len(points):
        palette = palette_of(selected["event_type"].unique())
        xy = np.rint(project(points[["lon", "lat"]].to_numpy(dtype=float))).astype(int)
        possible = possible_mask(points)
        for (x, y), kind, maybe in zip(xy, points["event_type"], possible, strict=True):
            if 0 <= x <= VIEW_WIDTH and 0 <= y <= height:
                colour = category(kind, palette).colour
                # Only possibly in the window: hollow and dashed, as on the live map.
                paint = (
                    f'fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="3 2"'
                    if maybe
                    else f'fill="{colour}"'
                )
                dots.append(f'<circle cx="{x}" cy="{y}" r="{DOT_RADIUS}" {paint}/>')
    star = ""
    if site is not None:
        (sx, sy) = project(np.array([site], dtype=float))[0]
        if 0 <= sx <= VIEW_WIDTH and 0 <= sy <= height:
            corners = _star(sx, sy, STAR_RADIUS)
            star = f'<polygon points="{corners}" fill="{SITE_COLOUR}" stroke="#fff"/>'
    return (
        f'<svg class="tim-first" viewBox="0 0 {VIEW_WIDTH} {height}" '
        'preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg" style="background:{BACKGROUND}">'
        f'<g fill-opacity="{STATE_FILL_OPACITY}" stroke="{STATE_EDGE}" stroke-width="0.6" '
        f'stroke-linejoin="round">{"".join(shapes)}</g>'
        f'<g stroke="#fff" stroke-width="1">{"".join(dots)}</g>{star}</svg>'
    )
