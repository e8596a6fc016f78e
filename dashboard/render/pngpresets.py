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
The operation site's star is named by its municipality (geodata/operation_site.geojson).

How the names are set (draw_labels), as a news map sets them: the site's and the cities'
names are point labels, over every marker on a white halo, never covering a marker, the
star or another name, and near their point or not at all (CITY_REACH, SITE_NEAR,
SITE_REACH); state names are area labels, under the markers, where they cover the fewest;
the view's own states (chosen, else leading_states) are always named.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.transforms import Bbox
from shapely import contains_xy

from dashboard.model import bundled_files
from dashboard.render.pngcard import CARD_LAYOUTS, CARD_PX
from dashboard.text.i18n import N_

SEA = "#dbe8f1"  # the map box's background: sea
LAND = "#ecebe6"  # countries other than Mexico
LAND_EDGE = "#c9c6bd"
STATE_TEXT = "#3a3a3a"  # state names, under the markers
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


def leading_states(counts: pd.DataFrame, n: int = 2) -> frozenset[str]:
    """INEGI cve_ent of the states that lead the view on the map: those with at least as
    many records drawn as the `n`-th state (stats.state_counts' `incidents` counted in
    the window plus `incidents_possible`, the dashed ones possibly in it), none with no
    record. A national view names them on the PNG whatever else must give way
    (draw_labels' `first`)."""
    if counts.empty:
        return frozenset()
    drawn = counts["incidents"] + counts.get("incidents_possible", 0)
    least = int(drawn.sort_values(ascending=False).iloc[min(n, len(drawn)) - 1])
    return frozenset(counts.loc[drawn >= max(least, 1), "cve_ent"].astype(str))


def state_labels(
    states: gpd.GeoDataFrame,
    extent: tuple[float, float, float, float],
    first: frozenset[str] | None = None,
    counts: pd.DataFrame | None = None,
) -> list[tuple[str, float, float]]:
    """(name, lon, lat) for each state whose label point (shapely's representative
    point, always inside the shape) lies inside `extent` (west, east, south, north), its
    name as in geodata/states.geojson; the states of `first` (INEGI cve_ent: the view's
    chosen states, else its leading ones) first, then by incidents in `counts`
    (stats.state_counts: cve_ent, incidents), most first, then in file order."""
    west, east, south, north = extent
    first = first or frozenset()
    incidents = (
        {} if counts is None else dict(zip(counts["cve_ent"], counts["incidents"], strict=True))
    )
    out = []
    points = states.geometry.representative_point()
    for order, (code, name, point) in enumerate(
        zip(states["cve_ent"], states["name"], points, strict=True)
    ):
        if west < point.x < east and south < point.y < north:
            key = (code not in first, -int(incidents.get(code, 0)), order)
            out.append((key, str(name), float(point.x), float(point.y)))
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


# Point labels (the site's and the cities' names) go around their mark, nearest first: in
# 16 directions (right, left, above, below, the four corners, then the eight between),
# each as close as the mark allows, then a step further out, never further than
# CITY_REACH font sizes from the dot (a name that cannot go there is left out, never set
# far away). Directions as (dx, dy), unit-free; alignment follows from them.
_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1),
               (2, 1), (-2, 1), (2, -1), (-2, -1), (1, 2), (-1, 2), (1, -2), (-1, -2))  # fmt: skip
CITY_REACH = 2.0  # font sizes: the most a city name's box may stand off its dot
SITE_NEAR = 0.75  # font sizes beyond its star's edge: the site's name, right beside it
SITE_REACH = 4  # font sizes from the star, when crowded: then with a leader line to it
CITY_STEP = 0.35  # font sizes: each step further out
# A state's name is tried at its label point, then at the points of a STATE_GRID x
# STATE_GRID grid over the state's box on screen, nearest first; its centre must lie
# inside the state's outline, and of its box STATE_INSIDE (sampled on 3 x 3 points) to
# count as fitting the state.
STATE_GRID = 15
STATE_INSIDE = 2 / 3
STATE_CLEAR = 0.3  # font sizes round a state's name in which a marker counts as covered
STATE_CROWD = 0  # markers another state's name may cover
STATE_LEGIBLE = 2  # markers a leading state's name may cover before cities give way
STATE_Z = 2.2  # under the incident markers (2.5, 3) and the star (4), over the states' fill
POINT_Z = 7  # city and site names: over every marker
STATE_SIZE, CITY_SIZE, SITE_SIZE = 9.5, 10, 10.5  # points at text scale 1


class _Layout:
    """The map's label boxes in display pixels: `placed` (names set and the star) no
    label may overlap; `markers` (incident markers) no point label may overlap and a
    state's name, drawn under them, covers as few of as it can."""

    def __init__(self, ax, avoid, site, mexico):
        self.mexico = mexico  # the states' union: land that is a state's
        ax.apply_aspect()  # the axes' final box: label extents measured where they will be
        self.ax = ax
        self.renderer = ax.figure.canvas.get_renderer()
        self.frame = ax.get_window_extent(self.renderer)  # a label wholly inside, or none
        self.pt = ax.figure.dpi / 72  # pixels a point
        self.placed: list[Bbox] = []
        self.markers: list[Bbox] = []
        self.halves: list[tuple[float, float, float]] = []  # (x, y, half) pixels
        for lon, lat, half in avoid:
            x, y = ax.transData.transform((lon, lat))
            half *= self.pt
            box = Bbox.from_extents(x - half, y - half, x + half, y + half)
            is_star = site is not None and (lon, lat) == (site[1], site[2])
            (self.placed if is_star else self.markers).append(box)
            self.halves.append((x, y, half))
        self.drawn: list = []

    def size(self, name: str, **style) -> tuple[float, float]:
        """(width, height) in pixels of `name` set in `style`."""
        text = self.ax.text(0, 0, name, **style)
        box = text.get_window_extent(self.renderer)
        text.remove()
        return box.width, box.height

    def fits(self, box: Bbox) -> bool:
        frame = self.frame
        return (
            frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 <= box.y1 <= frame.y1
        )

    def own_half(self, x: float, y: float) -> float:
        """Pixels: the half width of the largest mark at pixel (x, y) (a town's marker, the
        star), 0 if none: a name next to it starts beyond it."""
        at = [h for mx, my, h in self.halves if abs(mx - x) < 1 and abs(my - y) < 1]
        return max(at, default=0)


def _point_spot(layout, xy, size, gaps, reach):
    """The nearest free spot for a point label of `size` (width, height; pixels) around
    pixel point `xy`: (offset in pixels, ha, va, box) or None. Tried in _DIRECTIONS at
    `gaps[0]` pixels from the point, then `gaps[1]` further each time, while the gap is at
    most `reach` pixels; the box (grown 5 % across, 15 % up) must be inside the map and
    clear of every name placed, the star and every marker."""
    (x, y), (width, height) = xy, size
    gap, step = gaps
    while gap <= reach + 1e-9:
        for dx, dy in _DIRECTIONS:
            norm = (dx * dx + dy * dy) ** 0.5
            ox, oy = gap * dx / norm, gap * dy / norm
            x0 = x + ox - (0 if dx > 0 else width if dx < 0 else width / 2)
            y0 = y + oy - (0 if dy > 0 else height if dy < 0 else height / 2)
            box = Bbox.from_bounds(x0, y0, width, height).expanded(1.05, 1.15)
            if layout.fits(box) and not any(
                box.overlaps(other) for other in layout.placed + layout.markers
            ):
                ha = "left" if dx > 0 else "right" if dx < 0 else "center"
                va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
                return (ox, oy), ha, va, box
        gap += step
    return None


def _point_label(layout, name, lon, lat, scale, site=False) -> tuple | None:
    """Sets a city's name (CITY_SIZE, with a small dot at its point) or the site's
    (`site`: SITE_SIZE, bold, no dot: the star marks it) on a white halo over every
    marker, at its nearest free spot (_point_spot): a city's within CITY_REACH font
    sizes of its dot; the site's within SITE_NEAR font sizes of its star's edge, else
    within SITE_REACH of the star with a thin leader line from the star's edge.
    Returns (box, artists drawn), or None (nothing drawn) when no spot is free."""
    font = (SITE_SIZE if site else CITY_SIZE) * scale
    weight = "bold" if site else "normal"
    font_px = font * layout.pt
    x, y = layout.ax.transData.transform((lon, lat))
    own = layout.own_half(x, y)
    gaps = (max(0.4 * font_px, own + 1.5 * scale * layout.pt), CITY_STEP * font_px)
    size = layout.size(name, fontsize=font, weight=weight)
    near = (own + SITE_NEAR * font_px) if site else CITY_REACH * font_px
    spot = _point_spot(layout, (x, y), size, gaps, near)
    leader = False
    if spot is None and site:
        far = (near + gaps[1], gaps[1])
        spot, leader = _point_spot(layout, (x, y), size, far, SITE_REACH * font_px), True
    if spot is None:
        return None
    (ox, oy), ha, va, box = spot
    text = layout.ax.annotate(
        name,
        (lon, lat),
        xytext=(ox / layout.pt, oy / layout.pt),
        textcoords="offset points",
        fontsize=font,
        color=CITY,
        weight=weight,
        ha=ha,
        va=va,
        path_effects=[patheffects.withStroke(linewidth=4 * scale, foreground="white")],
        zorder=POINT_Z,
        annotation_clip=True,
    )
    layout.placed.append(box)
    layout.drawn.append(text)
    artists = [text]
    if leader:  # from the star's edge to the box's nearest point
        near = (min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1))
        length = ((near[0] - x) ** 2 + (near[1] - y) ** 2) ** 0.5
        start = (x + (near[0] - x) * own / length, y + (near[1] - y) * own / length)
        to_data = layout.ax.transData.inverted()
        (x0, y0), (x1, y1) = to_data.transform([start, near])
        artists += layout.ax.plot(
            [x0, x1], [y0, y1], color=CITY, lw=0.8 * scale, zorder=POINT_Z - 0.5
        )
    if site:
        return box, artists
    (dot,) = layout.ax.plot(
        lon, lat, "o", ms=3 * scale, color=CITY, mec="white", mew=0.8 * scale, zorder=POINT_Z
    )
    return box, [*artists, dot]


def _unset(layout, placed: tuple) -> None:
    """Takes a point label (_point_label's return) off the map."""
    box, artists = placed
    layout.placed.remove(box)
    layout.drawn.remove(artists[0])
    for artist in artists:
        artist.remove()


def _state_spots(layout, lon, lat, outline, size) -> list[tuple[float, float]]:
    """Pixel centres to try for a state's name of `size` (width, height; pixels): its
    label point, then the points of a STATE_GRID square grid over the state's box on
    screen grown by half the name's width and 1.5 times its height (a name may hang over
    the state's edge or sit off its coast), within
    the map, nearest the label point first (a line up or down counting double)."""
    x, y = layout.ax.transData.transform((lon, lat))
    west, south, east, north = outline.bounds
    (x0, y0), (x1, y1) = layout.ax.transData.transform([(west, south), (east, north)])
    frame, (width, height) = layout.frame, size
    x0, x1 = max(x0 - width / 2, frame.x0), min(x1 + width / 2, frame.x1)
    y0, y1 = max(y0 - 1.5 * height, frame.y0), min(y1 + 1.5 * height, frame.y1)
    steps = [i / (STATE_GRID - 1) for i in range(STATE_GRID)]
    grid = [(x0 + (x1 - x0) * i, y0 + (y1 - y0) * j) for i in steps for j in steps]
    return [(x, y)] + sorted(grid, key=lambda p: (p[0] - x) ** 2 + (2 * (p[1] - y)) ** 2)


def _state_spot(layout, name, lon, lat, outline, scale, required):
    """Where a state's name goes (an area label, drawn UNDER the markers): the spot of
    _state_spots that covers the fewest incident markers, nearest the state's label point
    on a tie (a marker within STATE_CLEAR font sizes of the name counts as covered: the
    name then reads apart from it); always clear of every name placed and of the star,
    and inside the map. Returns (markers covered, with the penalties below, offset from
    the label point in pixels, box) or None.

    A state of the view's own (`required`: chosen or leading) counts half a marker more
    against a spot with the name not wholly inside `outline` (the state's display
    polygon, WGS84; 3 x 3 points sampled), one more with less than STATE_INSIDE of it
    inside, and two more when its centre is outside too but over the sea or abroad (not
    in `layout.mexico`); a spot centred in another state is its last resort. Any other
    state is named only where STATE_INSIDE of it is inside and it covers at most
    STATE_CROWD markers."""
    font = STATE_SIZE * scale
    width, height = layout.size(name.upper(), fontsize=font, weight="bold")
    x, y = layout.ax.transData.transform((lon, lat))
    to_data = layout.ax.transData.inverted()
    markers = np.array([m.extents for m in layout.markers]).reshape(-1, 4)
    best = None
    for order, (cx, cy) in enumerate(_state_spots(layout, lon, lat, outline, (width, height))):
        box = Bbox.from_bounds(cx - width / 2, cy - height / 2, width, height)
        if not layout.fits(box) or any(box.overlaps(other) for other in layout.placed):
            continue
        samples = to_data.transform(
            [(cx + width * i / 2, cy + height * j / 2) for i in (-1, 0, 1) for j in (-1, 0, 1)]
        )
        inside = contains_xy(outline, samples[:, 0], samples[:, 1])
        share = inside.mean()
        clear = box.padded(STATE_CLEAR * font * layout.pt)  # a marker touching counts
        covered = int(
            (
                (markers[:, 0] < clear.x1)
                & (clear.x0 < markers[:, 2])
                & (markers[:, 1] < clear.y1)
                & (clear.y0 < markers[:, 3])
            ).sum()
        )
        if required:
            if inside[4]:
                rank = (covered + (share < 1) / 2 + (share < STATE_INSIDE) / 2, order)
            elif not contains_xy(layout.mexico, *samples[4]):
                rank = (covered + 2, order)
            else:
                rank = (1_000_000 + covered, order)
        elif share >= STATE_INSIDE and covered <= STATE_CROWD:
            rank = (covered, order)
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, (cx - x, cy - y), box)
    return None if best is None else (best[0][0], *best[1:])


def _set_state(layout, name, lon, lat, spot, scale) -> None:
    """Draws a state's name at `spot` (_state_spot): bold capitals in grey on a light
    halo, under the markers (STATE_Z)."""
    _, (ox, oy), box = spot
    text = layout.ax.annotate(
        name.upper(),
        (lon, lat),
        xytext=(ox / layout.pt, oy / layout.pt),
        textcoords="offset points",
        fontsize=STATE_SIZE * scale,
        weight="bold",
        color=STATE_TEXT,
        ha="center",
        va="center",
        path_effects=[patheffects.withStroke(linewidth=2.5 * scale, foreground="white", alpha=0.7)],
        zorder=STATE_Z,
        annotation_clip=True,
    )
    layout.placed.append(box)
    layout.drawn.append(text)


def draw_labels(
    ax,
    states,
    selected,
    extent,
    scale: float,
    cities: int,
    first=None,
    avoid=(),
    site=None,
    counts=None,
) -> list:
    """The map's names inside `extent` (west, east, south, north), as a news map sets
    them, in this order of claim on the space:

    1. the operation site's name (`site`: (name, lon, lat), its star one of `avoid`),
       bold, next to its star;
    2. up to `cities` towns (city_labels; the site's town is named at its star instead),
       each with a small dot;
    3. the states of `first` (INEGI cve_ent: the view's chosen states, else its leading
       ones, leading_states), always named;
    4. the other states, by incidents in `counts` (stats.state_counts), most first, where
       the name fits the state.

    A required state with no free spot, or none where its name covers at most
    STATE_LEGIBLE markers (penalties of _state_spot included), takes off city names, the
    last set first, until it has one; those cities are then set again where they still
    fit.

    Point labels (site, cities) are drawn over every marker on a white halo and never
    cover a marker, the star or another name; a city's box stays within CITY_REACH font
    sizes of its dot, else the city is left out (the site's beside its star, else within
    SITE_REACH with a leader line). State names are area labels: drawn under the markers
    (STATE_Z, grey on a light halo, so the markers read on top), inside their outline
    where they cover the fewest markers (_state_label), never over another name or the
    star. `avoid`: (lon, lat, half width in points) of the star and every incident marker
    (pnglayers.marker_marks). `scale`: the text scale (1 at 1600 x 1000). Returns the
    matplotlib texts drawn (names only; dots and leader lines are lines)."""
    layout = _Layout(ax, avoid, site, states.geometry.union_all())
    if site is not None:
        _point_label(layout, site[0], site[1], site[2], scale, site=True)
    named = {site[0]} if site is not None else set()
    towns = [row for row in city_labels(selected, extent, cities + 1) if row[0] not in named]
    placed = [(town, _point_label(layout, *town, scale)) for town in towns[:cities]]
    placed = [(town, label) for town, label in placed if label is not None]
    first = frozenset(first or ())
    outlines = dict(zip(states["name"].astype(str), states.geometry, strict=True))
    codes = dict(zip(states["name"].astype(str), states["cve_ent"], strict=True))
    labels = state_labels(states, extent, first, counts)
    lifted = []  # cities taken off for a required state, least important first
    for name, lon, lat in labels:
        if codes[name] not in first:
            continue
        spot = _state_spot(layout, name, lon, lat, outlines[name], scale, True)
        while placed and (spot is None or spot[0] > STATE_LEGIBLE):
            town, label = placed.pop()
            _unset(layout, label)
            lifted.append(town)
            again = _state_spot(layout, name, lon, lat, outlines[name], scale, True)
            if again is not None and (spot is None or again[0] < spot[0]):
                spot = again
        if spot is not None:
            _set_state(layout, name, lon, lat, spot, scale)
    for town in reversed(lifted):  # set again where they still fit
        _point_label(layout, *town, scale)
    for name, lon, lat in labels:
        if codes[name] not in first:
            spot = _state_spot(layout, name, lon, lat, outlines[name], scale, False)
            if spot is not None:
                _set_state(layout, name, lon, lat, spot, scale)
    return layout.drawn


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
