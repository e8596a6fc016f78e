"""The map layers as the PNG draws them (matplotlib, no basemap): the states shaded by
count, the operation site's star, the incidents with the live map's shapes and colours."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from matplotlib.axes import Axes

from dashboard.analysis.filters import possible_mask
from dashboard.render.symbols import (
    HALO,
    MPL_MARKERS,
    PALETTES,
    SITE_COLOUR,
    STATE_EDGE,
    category_index,
    palette_of,
    state_classes,
)

EXACT_SIZE, TOWN_SIZE = 46, 110  # marker areas (points^2) at 1600x1000, as on the live map
STAR_AREA = 420  # the site's star (points^2) at scale 1
MARKER_CLEARANCE = 2.5  # points between a marker's edge and a label, halo included
STAR_HALF = STAR_AREA**0.5 / 2  # its half width in points at scale 1 (labels keep clear)


@dataclass(frozen=True)
class PngCanvas:
    """What a layer draws on: the PNG's map axes and the view's data."""

    ax: Axes
    selected: pd.DataFrame  # filters.apply of the view
    counts: pd.DataFrame  # stats.state_counts of the same view
    states: gpd.GeoDataFrame  # the display geometry
    site: gpd.GeoDataFrame  # the operation site
    scale: float  # 1 at 1600x1000


def _palette(selected: pd.DataFrame) -> tuple[tuple, dict[str, int]]:
    """(the categories `selected` is drawn in: symbols.palette_of, type -> index)."""
    palette = palette_of(selected["event_type"].unique())
    return PALETTES[palette], category_index(palette)


def categories_present(selected: pd.DataFrame) -> list:
    """The categories (symbols.Category, in their palette's order) of `selected`'s event
    types, in the palette they are drawn in (an ACLED file's: ACLED's types)."""
    categories, index = _palette(selected)
    other = len(categories) - 1
    present = {index.get(t, other) for t in selected["event_type"].unique()}
    return [categories[i] for i in sorted(present)]


def marker_marks(
    selected: pd.DataFrame, scale: float, shown: bool = True
) -> list[tuple[float, float, float]]:
    """(lon, lat, half width in points) of every incident marker `draw_incidents` draws
    for `selected` at `scale`: towns (geo_precision 2) TOWN_SIZE, exact sites EXACT_SIZE
    (areas in points^2, so half the square root), plus MARKER_CLEARANCE: city names and
    the site's (pngpresets.draw_labels) keep that clear of them, so a name is not read
    (by eye or OCR) as one word with the symbols beside it; state names, drawn under the
    markers, cover as few of them as they can. None when the layer is not `shown`."""
    drawable = selected[selected["geo_precision"] < 3] if shown else selected.iloc[:0]
    out = []
    for lon, lat, precision in zip(
        drawable["lon"], drawable["lat"], drawable["geo_precision"], strict=True
    ):
        area = EXACT_SIZE if precision == 1 else TOWN_SIZE
        out.append((float(lon), float(lat), (area**0.5 / 2 + MARKER_CLEARANCE) * scale))
    return out


def draw_states(canvas: PngCanvas, shown: bool) -> None:
    """The states filled with the legend's swatch colours (opaque) by their count; hidden,
    they stay as white outlines: with no basemap they are the PNG's geography."""
    counts = canvas.counts.set_index("cve_ent")["incidents"]
    states = canvas.states
    if shown:
        classes = state_classes(canvas.counts["incidents"])  # the legend's classes
        colours = [classes.colour(int(counts.get(c, 0))) for c in states["cve_ent"]]
    else:
        colours = ["#ffffff"] * len(states)
    states.plot(ax=canvas.ax, color=colours, edgecolor=STATE_EDGE, linewidth=0.5 * canvas.scale)


def draw_site(canvas: PngCanvas, shown: bool) -> None:
    """The operation site as a red star with a white edge, above everything."""
    if not shown:
        return
    site = canvas.site
    canvas.ax.scatter(
        site.geometry.x,
        site.geometry.y,
        marker="*",
        s=STAR_AREA * canvas.scale**2,
        c=SITE_COLOUR,
        edgecolors="white",
        linewidths=1.2 * canvas.scale,
        zorder=4,
    )


def draw_incidents(canvas: PngCanvas, shown: bool) -> None:
    """Located records (geo_precision 1-2) by category shape and colour with a white
    halo, small for exact sites and large for towns; records only possibly in the window
    (filters' counting rule) hollow and dashed, as on the live map, under the others."""
    drawable = canvas.selected[canvas.selected["geo_precision"] < 3]
    if not shown or drawable.empty:
        return
    scale = canvas.scale
    categories, index = _palette(canvas.selected)
    other = len(categories) - 1
    cats = drawable["event_type"].map(lambda t: index.get(t, other)).to_numpy()
    exact = (drawable["geo_precision"] == 1).to_numpy()
    maybe = possible_mask(drawable)
    for possible, precise, area in (
        (p, q, a) for p in (True, False) for q, a in ((False, TOWN_SIZE), (True, EXACT_SIZE))
    ):
        for number, cat in enumerate(categories):
            mask = (cats == number) & (exact == precise) & (maybe == possible)
            if mask.any():
                canvas.ax.scatter(
                    drawable["lon"].to_numpy()[mask],
                    drawable["lat"].to_numpy()[mask],
                    s=area * scale**2,
                    marker=MPL_MARKERS[cat.shape],
                    c="white" if possible else cat.colour,
                    edgecolors=cat.colour if possible else HALO,
                    linewidths=(1.6 if possible else 1.1) * scale,
                    linestyles="--" if possible else "-",
                    zorder=2.5 if possible else 3,
                )
