"""The PNG's sizes for publication and how each is laid out, and what the PNG's map adds
to its layers: land outside Mexico against the sea, and state and city labels.

Presets (the page's buttons and `snapshot --preset`): `article` (700 px wide at 2x:
1400 x 1700 pixels, shown 700 x 850), `social` (1200 x 630, Open Graph and X cards,
shown about 500 px wide in a feed), `square` (1080 x 1080, shown about 400 px) and
`large` (1600 x 1000, the earlier default). The article and large presets have a text
scale chosen so that the legend and credit are legible where the image is shown (at
least 13 CSS pixels for the legend in an article column) and a layout: `side` (map left,
figures and legend in a column on the right) or `stacked` (title and figures above the
map, legend in columns and credit below: no empty quadrant). The two cards are laid out
by render/pngcard (`card-side`, `card-stacked`): their fonts are set from CSS pixels
where shown (11 for legend and credit, 14 for the title) and their legend names only
what the view draws.

Labels come from bundled data only: state names from geodata/states.geojson (via the
bundle's display geometry), cities from the bundled incident places (a municipality is
labelled at the point of a located record whose place is the town itself, e.g.
"Guadalajara (exact site not given)", in geodata/locations.geojson with its sources);
land outside Mexico is Natural Earth's 1:110m countries (geodata/neighbours.geojson).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from matplotlib import patheffects
from matplotlib.transforms import Bbox

from dashboard.model import bundled_files
from dashboard.render.pngcard import CARD_LAYOUTS, CARD_PX
from dashboard.text.i18n import N_

SEA = "#dbe8f1"  # the map box's background: sea
LAND = "#ecebe6"  # countries other than Mexico
LAND_EDGE = "#c9c6bd"
LABEL = "#1f1f1f"
CITY = "#333333"
NEIGHBOURS = bundled_files.GEODATA / "neighbours.geojson"


@dataclass(frozen=True)
class PngPreset:
    """A PNG size for publication: `size` in image pixels, `text_scale` the fonts'
    factor (1 = the 1600 x 1000 sizes: title 26 pt, legend 11 pt at 100 dpi; the cards
    set theirs from CSS pixels instead), `layout` "side", "stacked", "card-side" or
    "card-stacked" (pngcard), `shown_width` the CSS pixels it is meant to be shown at, and
    `label` an English message id (N_) for its button."""

    name: str
    size: tuple[int, int]
    text_scale: float
    layout: str
    shown_width: int
    label: str


PRESETS: dict[str, PngPreset] = {
    p.name: p
    for p in (
        PngPreset(
            "article", (1400, 1700), 1.8, "stacked", 700, N_("PNG for an article (700 px, 2x)")
        ),
        PngPreset("social", (1200, 630), 1.0, "card-side", 500, N_("PNG for social (1200×630)")),
        PngPreset("square", (1080, 1080), 1.0, "card-stacked", 400, N_("PNG square (1080×1080)")),
        PngPreset("large", (1600, 1000), 1.0, "side", 1600, N_("PNG large (1600×1000)")),
    )
}
DEFAULT_PRESET = "large"


def legend_css_pixels(preset: PngPreset) -> float:
    """The legend's text height in CSS pixels where the preset is shown: 11 pt times the
    text scale at 100 dpi (100/72 pixels a point), shrunk by shown width / image width;
    a card's (pngcard) is set in CSS pixels where shown: CARD_PX["text"]."""
    if preset.layout in CARD_LAYOUTS:
        return CARD_PX["text"]
    return 11 * preset.text_scale * 100 / 72 * preset.shown_width / preset.size[0]


@lru_cache(maxsize=1)
def neighbours(path: Path = NEIGHBOURS) -> gpd.GeoDataFrame:
    """The countries around Mexico (name, iso_a3, polygons; WGS84): Natural Earth
    1:110m admin 0, public domain (geodata/README.md). Empty when the file is absent."""
    if not path.exists():
        return gpd.GeoDataFrame({"name": [], "iso_a3": []}, geometry=[], crs="EPSG:4326")
    return gpd.read_file(path)


def draw_land(ax, scale: float) -> None:
    """Sea as the map box's background, the countries around Mexico as grey land under
    the states."""
    ax.set_facecolor(SEA)
    ax.patch.set_visible(True)
    land = neighbours()
    if not land.empty:
        land.plot(ax=ax, color=LAND, edgecolor=LAND_EDGE, linewidth=0.5 * scale, zorder=0.5)


def _halo(scale: float) -> list:
    return [patheffects.withStroke(linewidth=3 * scale, foreground="white")]


def state_labels(
    states: gpd.GeoDataFrame,
    extent: tuple[float, float, float, float],
    first: frozenset[str] | None = None,
) -> list[tuple[str, float, float]]:
    """(name, lon, lat) for each state whose label point (shapely's representative
    point, always inside the shape) lies inside `extent` (west, east, south, north), its
    name as in geodata/states.geojson; the states of `first` (INEGI cve_ent: the view's
    chosen states) first, then in file order."""
    west, east, south, north = extent
    first = first or frozenset()
    out = []
    points = states.geometry.representative_point()
    for code, name, point in zip(states["cve_ent"], states["name"], points, strict=True):
        if west < point.x < east and south < point.y < north:
            out.append((code not in first, str(name), float(point.x), float(point.y)))
    return [(name, x, y) for _, name, x, y in sorted(out, key=lambda row: row[0])]


def city_labels(
    selected: pd.DataFrame, extent: tuple[float, float, float, float], limit: int
) -> list[tuple[str, float, float]]:
    """(municipality, lon, lat) of up to `limit` towns with the most located records in
    view: a municipality is placed at a located record's point (geo_precision 2) whose
    place is the town itself ("Tapalpa", "Guadalajara (exact site not given)"), never
    at a point of our own making; a municipality without one is not labelled."""
    west, east, south, north = extent
    located = selected[(selected["geo_precision"] < 3) & selected["municipality"].astype(bool)]
    if located.empty:
        return []
    is_town = pd.Series(
        [
            place == muni or str(place).startswith(f"{muni} (")
            for place, muni in zip(located["place"], located["municipality"], strict=True)
        ],
        index=located.index,
    )
    town = located[(located["geo_precision"] == 2) & is_town]
    points = town.groupby("municipality")[["lon", "lat"]].first()
    ranked = located["municipality"].value_counts()
    out = []
    for muni in ranked.index:
        if muni not in points.index:
            continue
        lon, lat = (float(v) for v in points.loc[muni])
        if west < lon < east and south < lat < north:
            out.append((str(muni), lon, lat))
        if len(out) == limit:
            break
    return out


# Where a city's name may go around its dot, in turn: right, left, above, below, then the
# four corners, then the same again twice and three times as far ((dx, dy) in units of the offset,
# horizontal and vertical alignment).
_AROUND = (((1, 0), "left", "center"), ((-1, 0), "right", "center"),
           ((0, 1), "center", "bottom"), ((0, -1), "center", "top"),
           ((0.8, 0.8), "left", "bottom"), ((-0.8, 0.8), "right", "bottom"),
           ((0.8, -0.8), "left", "top"), ((-0.8, -0.8), "right", "top"))  # fmt: skip
CITY_SPOTS = tuple(
    ((dx * far, dy * far), ha, va) for far in (1, 2, 3) for (dx, dy), ha, va in _AROUND
)
# A state's name: at its point, a line above or below, then shifted left or right (in
# units of its font size, points).
STATE_SPOTS = ((0, 0), (0, 1.4), (0, -1.4), (-4, 0), (4, 0), (-4, 1.4), (4, 1.4), (-4, -1.4),
               (4, -1.4), (0, 2.8), (0, -2.8))  # fmt: skip


def draw_labels(
    ax, states, selected, extent, scale: float, cities: int, chosen=None, avoid=()
) -> list:
    """City names (with a small dot, on a white halo above every marker) and state
    names (bold, grey-black, haloed) inside `extent`, where each town's or state's point
    is: the `chosen` states first, then the cities, then the other states. A city's
    name goes right of its dot, else left, above, below, at a corner, then twice as far
    (CITY_SPOTS); a state's at its point, else a line above or below or shifted aside
    (STATE_SPOTS); a label that would overlap one already placed or a mark of `avoid`
    in every spot is left out, never drawn over a marker. `avoid`: (lon, lat, half width
    in points) of marks no label may cover (the operation site's star, every incident
    marker: pnglayers.marker_marks); a town at one has its name set beyond it. Returns
    the matplotlib texts drawn."""
    ax.apply_aspect()  # the axes' final box: label extents measured where they will be
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)  # a label wholly inside the map, or none
    placed, drawn = [], []
    marks = []
    for lon, lat, half in avoid:
        x, y = ax.transData.transform((lon, lat))
        half *= ax.figure.dpi / 72  # pixels
        marks.append((lon, lat, half))
        placed.append(Bbox.from_extents(x - half, y - half, x + half, y + half))

    def place(text):
        box = text.get_window_extent(renderer).expanded(1.05, 1.15)
        inside = (
            frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 <= box.y1 <= frame.y1
        )
        if not inside or any(box.overlaps(other) for other in placed):
            text.remove()
            return False
        placed.append(box)
        drawn.append(text)
        return True

    def state(name, lon, lat):
        size = 9.5 * scale
        for dx, dy in STATE_SPOTS:
            text = ax.annotate(
                name.upper(),
                (lon, lat),
                xytext=(dx * size, dy * size),
                textcoords="offset points",
                fontsize=size,
                color=LABEL,
                weight="bold",
                ha="center",
                va="center",
                alpha=0.85,
                path_effects=_halo(scale),
                zorder=5,
                annotation_clip=True,
            )
            if place(text):
                return

    labels = state_labels(states, extent, chosen)  # the chosen ones first
    chosen_names = set(states.loc[states["cve_ent"].isin(chosen or ()), "name"])
    for name, lon, lat in labels:
        if name in chosen_names:
            state(name, lon, lat)
    for name, lon, lat in city_labels(selected, extent, cities):
        offset = 6 * scale  # points from the dot: clear of a town's marker, or the star
        for mark_lon, mark_lat, half in marks:
            if abs(mark_lon - lon) < 0.05 and abs(mark_lat - lat) < 0.05:
                offset = max(offset, half * 72 / ax.figure.dpi + 2 * scale)
        for (dx, dy), ha, va in CITY_SPOTS:
            text = ax.annotate(
                name,
                (lon, lat),
                xytext=(dx * offset, dy * offset),
                textcoords="offset points",
                fontsize=10 * scale,
                color=CITY,
                ha=ha,
                va=va,
                path_effects=[patheffects.withStroke(linewidth=4 * scale, foreground="white")],
                zorder=7,
                annotation_clip=True,
            )
            if place(text):
                ax.plot(
                    lon, lat, "o", ms=3 * scale, color=CITY, mec="white", mew=0.8 * scale, zorder=7
                )
                break
    for name, lon, lat in labels:
        if name not in chosen_names:
            state(name, lon, lat)
    return drawn


def stack(
    fig,
    top_texts: list,
    legend,
    credit,
    stamp,
    stacked: bool,
    side_box: tuple[float, float, float, float],
    margin: float = 0.012,
):
    """Where the map goes: `top_texts` (title, window; the figures too when `stacked`)
    one under another from the top, the stamp at the bottom with the credit above it
    (placed by snapshot._fit_texts); returns the map box between them (left, bottom,
    width, height; figure fractions). `stacked`: the legend, in columns, goes above the
    credit and the map is the figure's width; else the map keeps snapshot.MAP_BOX (its
    top lowered if the texts above reach into it) beside a column for figures and legend.
    Texts must already be wrapped to the width (snapshot._fit_texts)."""
    renderer = fig.canvas.get_renderer()
    height = fig.bbox.height
    y = 1 - margin
    for text in top_texts:
        text.set_y(y)
        y = text.get_window_extent(renderer).y0 / height - margin * 0.6
    if not stacked:
        left, bottom, width, box_height = side_box
        top = min(bottom + box_height, y - margin)
        return (left, bottom, width, top - bottom)
    credit_top = credit.get_window_extent(renderer).y1 / height
    legend.set_bbox_to_anchor((0.015, credit_top + margin), transform=fig.transFigure)
    legend.set_loc("lower left")
    fig.draw_without_rendering()
    legend_top = legend.get_window_extent(renderer).y1 / height + margin
    return (0.01, legend_top, 0.98, max(0.2, y - legend_top))
