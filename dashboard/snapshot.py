"""Files an editor can publish without a live server: PNG, standalone HTML, alt text.

The page's download buttons and `python -m dashboard snapshot` both call these, so the
same view and data give the same file. The PNG is drawn with matplotlib (no browser) and
is byte-identical for identical input: its stamp names the data version, not the clock.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .bundle import Bundle  # noqa: E402
from .escape import escape_text  # noqa: E402
from .filters import apply  # noqa: E402
from .mapview import RawScript, build_map, states_geojson  # noqa: E402
from .mexico import BY_CODE, MEXICO_CITY  # noqa: E402
from .permalink import PageView, to_query  # noqa: E402
from .schema import EVENT_TYPES  # noqa: E402
from .stats import key_figures, state_counts  # noqa: E402
from .symbols import (  # noqa: E402
    CATEGORIES,
    CATEGORY_OF,
    HALO,
    MPL_MARKERS,
    OTHER,
    STATE_EDGE,
    ramp,
    state_colour,
)

CREDIT = (
    "Sources: published news reports, linked per incident in the data. "
    "Boundaries: Natural Earth. Places are estimates."
)
PNG_SIZE = (1600, 1000)
MAX_PNG_SIDE = 6000


@dataclass(frozen=True)
class Selection:
    selected: pd.DataFrame
    counts: pd.DataFrame


def select(bundle: Bundle, page: PageView) -> Selection:
    selected = apply(page.view, bundle.incidents)
    return Selection(selected, state_counts(selected, bundle.official, page.view))


def window_label(page: PageView) -> str:
    start = page.view.start.astimezone(MEXICO_CITY)
    end = page.view.end.astimezone(MEXICO_CITY)
    return f"{start:%a %d %b %Y %H:%M} to {end:%a %d %b %Y %H:%M}, Mexico City time"


def title(page: PageView) -> str:
    states = page.view.states
    where = "Mexico"
    if states is not None and 0 < len(states) <= 3:
        where = ", ".join(BY_CODE[c].name for c in sorted(states))
    elif states:
        where = f"{len(states)} states"
    return f"After the Tapalpa raid: reported incidents in {where}"


def alt_text(page: PageView, selection: Selection) -> str:
    """One paragraph a screen reader can read in place of the map."""
    start = page.view.start.astimezone(MEXICO_CITY)
    end = page.view.end.astimezone(MEXICO_CITY)
    when = f"Between {start:%d %b %H:%M} and {end:%d %b %H:%M} Mexico City time"
    figures = key_figures(selection.selected)
    scope = "" if page.view.states is None else " in the selected states"
    if figures.incidents == 0:
        return f"{when}, no incidents were reported{scope}."
    top = selection.counts[selection.counts["incidents"] > 0].sort_values(
        ["incidents", "state"], ascending=[False, True]
    )
    leaders = [f"{r.state} ({r.incidents})" for r in top.head(3).itertuples(index=False)]
    most = leaders[0] if len(leaders) == 1 else ", ".join(leaders[:-1]) + f" and {leaders[-1]}"
    text = (
        f"{when}, {figures.incidents} incidents were reported{scope} in "
        f"{figures.states_affected} state{'s' if figures.states_affected != 1 else ''}; "
        f"most in {most}. {figures.uncertain_timing} are known only to the day or part of "
        "the day."
    )
    if page.view.event_types is not None:
        kinds = sorted(EVENT_TYPES[t] for t in page.view.event_types)
        text += f" Event types shown: {', '.join(kinds)}."
    return text


# ------------------------------------------------------------------ PNG


def _extent(bundle: Bundle, page: PageView) -> tuple[float, float, float, float]:
    """(west, east, south, north) in degrees: the chosen states (else Mexico), padded."""
    states = bundle.states_display
    if page.view.states:
        states = states[states["cve_ent"].isin(page.view.states)]
    west, south, east, north = states.total_bounds
    pad_x, pad_y = (east - west) * 0.03 + 0.2, (north - south) * 0.03 + 0.2
    return west - pad_x, east + pad_x, south - pad_y, north + pad_y


MAP_BOX = (0.01, 0.085, 0.70, 0.79)  # left, bottom, width, height (figure fractions)


def _fit_extent(
    extent: tuple[float, float, float, float], width: int, height: int
) -> tuple[float, float, float, float]:
    """Grow (west, east, south, north) along its short side to the map box's shape, so the
    map fills the box (1/cos(latitude) aspect: degrees of longitude shrink northwards)."""
    west, east, south, north = extent
    stretch = 1 / math.cos(math.radians((south + north) / 2))
    box = (MAP_BOX[2] * width) / (MAP_BOX[3] * height)
    data = (east - west) / ((north - south) * stretch)
    if data < box:
        grow = ((north - south) * stretch * box - (east - west)) / 2
        return west - grow, east + grow, south, north
    grow = ((east - west) / (stretch * box) - (north - south)) / 2
    return west, east, south - grow, north + grow  # left, bottom, width, height (figure fractions)


EXACT_SIZE, TOWN_SIZE = 46, 110  # marker areas (points^2) at 1600x1000, as on the live map


def _categories_present(selected: pd.DataFrame) -> list[int]:
    present = {CATEGORY_OF.get(t, OTHER) for t in selected["event_type"].unique()}
    return sorted(present)


def png_bytes(bundle: Bundle, page: PageView, size: tuple[int, int] = PNG_SIZE) -> bytes:
    """The view as a PNG (bytes), `size` = (width, height) in pixels, 200..6000 a side.

    Byte-identical for the same view and data. States are filled with exactly the legend's
    swatch colours (opaque; no basemap), incidents drawn with the live map's category
    shapes and colours and a white halo; the map fills its box, whose geographic extent
    grows to the box's shape (equal-area-looking: 1/cos(latitude) aspect).
    Raises ValueError for a size out of range.
    """
    width, height = size
    if not (200 <= width <= MAX_PNG_SIDE and 200 <= height <= MAX_PNG_SIDE):
        raise ValueError(f"PNG size must be 200..{MAX_PNG_SIDE} pixels a side, got {size}")
    selection = select(bundle, page)
    fig = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="white")
    scale = min(width / 1600, height / 1000)
    ax = fig.add_axes(MAP_BOX)
    ax.set_axis_off()

    counts = selection.counts.set_index("cve_ent")["incidents"]
    states = bundle.states_display
    if "states" in page.layers:
        colours = [state_colour(int(counts.get(c, 0))) for c in states["cve_ent"]]
    else:
        colours = ["#ffffff"] * len(states)
    states.plot(ax=ax, color=colours, edgecolor=STATE_EDGE, linewidth=0.5 * scale)

    drawable = selection.selected[selection.selected["geo_precision"] < 3]
    if "incidents" in page.layers and not drawable.empty:
        cats = drawable["event_type"].map(lambda t: CATEGORY_OF.get(t, OTHER)).to_numpy()
        exact = (drawable["geo_precision"] == 1).to_numpy()
        for precise, area in ((False, TOWN_SIZE), (True, EXACT_SIZE)):
            for index, cat in enumerate(CATEGORIES):
                mask = (cats == index) & (exact == precise)
                if mask.any():
                    ax.scatter(
                        drawable["lon"].to_numpy()[mask],
                        drawable["lat"].to_numpy()[mask],
                        s=area * scale**2,
                        marker=MPL_MARKERS[cat.shape],
                        c=cat.colour,
                        edgecolors=HALO,
                        linewidths=1.1 * scale,
                        zorder=3,
                    )
    if "site" in page.layers:
        site = bundle.operation_site
        ax.scatter(
            site.geometry.x,
            site.geometry.y,
            marker="*",
            s=420 * scale**2,
            c="#b2182b",
            edgecolors="white",
            linewidths=1.2 * scale,
            zorder=4,
        )
    west, east, south, north = _fit_extent(_extent(bundle, page), width, height)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="box")

    fig.text(0.02, 0.965, title(page), fontsize=26 * scale, weight="bold", va="top")
    fig.text(0.02, 0.915, window_label(page), fontsize=15 * scale, color="#333333", va="top")
    figures = key_figures(selection.selected)
    fig.text(
        0.73,
        0.86,
        f"{figures.incidents} incidents · {figures.blockades} blockades located\n"
        f"{figures.states_affected} states · {figures.fatalities} killed · "
        f"{figures.arrests} arrested",
        fontsize=13 * scale,
        va="top",
    )
    _legend(fig, page, selection, scale)
    fig.text(0.02, 0.045, CREDIT, fontsize=11 * scale, color="#333333")
    fig.text(
        0.02,
        0.018,
        f"Tapalpa incident map · data version {bundle.version} · view: {to_query(page)}",
        fontsize=9 * scale,
        color="#666666",
    )
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        dpi=100,
        metadata={
            "Title": title(page),
            "Description": alt_text(page, selection),
            "Source": f"data version {bundle.version}",
            "Software": None,
        },
    )
    return buffer.getvalue()


def dot(face: str, edge: str, size: float, label: str, marker: str = "o", alpha: float = 1):
    """A legend entry drawn like the map's markers."""
    return Line2D(
        [],
        [],
        marker=marker,
        linestyle="",
        markerfacecolor=face,
        markeredgecolor=edge,
        markersize=size,
        alpha=alpha,
        label=label,
    )


def legend_entries(selection: Selection, scale: float = 1.0) -> list:
    """The PNG legend's handles: state classes (the exact fill colours), the categories
    in view with their shapes, precision, the site."""
    handles = [
        Patch(facecolor=colour, edgecolor=STATE_EDGE, label=f"{label} incidents")
        for colour, label in ramp()
    ]
    handles += [
        dot(c.colour, HALO, 10 * scale, c.label, MPL_MARKERS[c.shape])
        for c in (CATEGORIES[i] for i in _categories_present(selection.selected))
    ]
    handles += [
        dot("#444444", HALO, 7 * scale, "small: estimated exact site"),
        dot("#444444", HALO, 11 * scale, "large: town or municipality"),
        dot("#b2182b", "white", 18 * scale, "Tapalpa operation site", marker="*"),
    ]
    return handles


def _legend(fig: Figure, page: PageView, selection: Selection, scale: float) -> None:
    fig.legend(
        handles=legend_entries(selection, scale),
        loc="upper left",
        bbox_to_anchor=(0.73, 0.79),
        frameon=False,
        fontsize=11 * scale,
        title="States shaded by incidents in the window",
        title_fontsize=12 * scale,
        alignment="left",
    )


# ------------------------------------------------------------------ HTML


def html_document(bundle: Bundle, page: PageView) -> str:
    """One self-contained file: the interactive map with popups and the play control."""
    selection = select(bundle, page)
    fmap, _ = build_map(
        selection.selected,
        selection.counts,
        states_geojson(bundle.states_display),
        bundle.operation_site,
        page.view,
        height="82%",
        layers=page.layers,
        center=page.center,
        zoom=page.zoom,
        focus=bundle.states_display,
    )
    figure = fmap.get_root()
    alt = alt_text(page, selection)
    figure.header.add_child(
        RawScript(
            f"<title>{escape_text(title(page))}</title>"
            f'<meta name="description" content="{escape_text(alt)}">'
            "<style>.tim-head{font:15px/1.35 system-ui,sans-serif;margin:8px 12px}"
            ".tim-head h1{font-size:20px;margin:0 0 2px}.tim-head p{margin:0;color:#333}"
            ".tim-credit{font:12px/1.4 system-ui,sans-serif;margin:4px 12px;color:#444}</style>"
        ),
        name="tim_meta",
    )
    figure.html.add_child(
        RawScript(
            f'<header class="tim-head"><h1>{escape_text(title(page))}</h1>'
            f"<p>{escape_text(window_label(page))}</p></header>"
        ),
        name="tim_title",
        index=0,
    )
    figure.html.add_child(
        RawScript(
            f'<p class="tim-credit">{escape_text(alt)}<br>{escape_text(CREDIT)} Basemap: '
            "&copy; OpenStreetMap contributors (tiles load only when online). "
            f"Data version {escape_text(bundle.version)}.</p>"
        ),
        name="tim_credit",
    )
    return figure.render()
