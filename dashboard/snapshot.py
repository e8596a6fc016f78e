"""Files an editor can publish without a live server: PNG, standalone HTML, alt text.

The page's download buttons and `python -m dashboard snapshot` both call these, so the
same view and data give the same file. The PNG is drawn with matplotlib (no browser) and
is byte-identical for identical input: its stamp names the data version, not the clock.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from . import layers  # noqa: E402
from .bundle import Bundle  # noqa: E402
from .corrections import credit_line, load_corrections  # noqa: E402
from .escape import escape_text  # noqa: E402
from .filters import apply  # noqa: E402
from .mapview import (  # noqa: E402
    BINS,
    EVENT_COLOURS,
    STATE_PALETTE,
    TYPE_ORDER,
    ZERO_COLOUR,
    RawScript,
    build_map,
    state_colour,
    states_geojson,
)
from .mexico import BY_CODE, MEXICO_CITY  # noqa: E402
from .permalink import PageView, to_query  # noqa: E402
from .schema import EVENT_TYPES, NON_INCIDENT_TYPES  # noqa: E402
from .stats import incidents_only, key_figures, state_counts  # noqa: E402

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
    states = bundle.states_display
    if page.view.states:
        states = states[states["cve_ent"].isin(page.view.states)]
    west, south, east, north = states.total_bounds
    pad_x, pad_y = (east - west) * 0.08 + 0.3, (north - south) * 0.08 + 0.3
    return west - pad_x, east + pad_x, south - pad_y, north + pad_y


def png_bytes(bundle: Bundle, page: PageView, size: tuple[int, int] = PNG_SIZE) -> bytes:
    width, height = size
    if not (200 <= width <= MAX_PNG_SIDE and 200 <= height <= MAX_PNG_SIDE):
        raise ValueError(f"PNG size must be 200..{MAX_PNG_SIDE} pixels a side, got {size}")
    selection = select(bundle, page)
    fig = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="white")
    scale = min(width / 1600, height / 1000)
    ax = fig.add_axes((0.02, 0.09, 0.70, 0.76))
    ax.set_axis_off()
    ax.set_aspect("equal")

    counts = selection.counts.set_index("cve_ent")["incidents"]
    states = bundle.states_display
    if "states" in page.layers:
        colours = [state_colour(int(counts.get(c, 0))) for c in states["cve_ent"]]
    else:
        colours = ["#ffffff"] * len(states)
    states.plot(ax=ax, color=colours, edgecolor="#5b5b5b", linewidth=0.5 * scale, alpha=0.7)

    drawable = selection.selected[selection.selected["geo_precision"] < 3]
    if "incidents" in page.layers and not drawable.empty:
        uncertain = drawable["time_precision"].isin(("day", "part_of_day"))
        edge = ["#6b6b6b" if u else "#1a1a1a" for u in uncertain]
        fill = [EVENT_COLOURS.get(t, "#999999") for t in drawable["event_type"]]
        exact = (drawable["geo_precision"] == 1).to_numpy()
        for mask, alpha, style, size_pt in ((~exact, 0.75, "--", 70), (exact, 0.95, "-", 50)):
            if mask.any():
                ax.scatter(
                    drawable["lon"][mask],
                    drawable["lat"][mask],
                    s=size_pt * scale**2,
                    c=[f for f, m in zip(fill, mask, strict=True) if m],
                    edgecolors=[e for e, m in zip(edge, mask, strict=True) if m],
                    linewidths=0.9 * scale,
                    linestyles=style,
                    alpha=alpha,
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
    west, east, south, north = _extent(bundle, page)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)

    fig.text(0.02, 0.955, title(page), fontsize=26 * scale, weight="bold", va="top")
    fig.text(0.02, 0.895, window_label(page), fontsize=15 * scale, color="#333333", va="top")
    figures = key_figures(selection.selected)
    fig.text(
        0.74,
        0.84,
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


def _legend(fig: Figure, page: PageView, selection: Selection, scale: float) -> None:
    handles = [Patch(facecolor=ZERO_COLOUR, edgecolor="#999999", label="no incidents")]
    handles += [
        Patch(facecolor=c, edgecolor="#5b5b5b", label=f"{label} incidents")
        for (_, label), c in zip(BINS, STATE_PALETTE, strict=True)
    ]
    present = set(incidents_only(selection.selected)["event_type"].unique()) | set(
        selection.selected["event_type"][
            selection.selected["event_type"].isin(NON_INCIDENT_TYPES)
        ].unique()
    )
    types = [t for t in TYPE_ORDER if t in present]
    handles += [dot(EVENT_COLOURS[t], "#1a1a1a", 9 * scale, EVENT_TYPES[t]) for t in types]
    handles += [
        dot("#bbbbbb", "#1a1a1a", 9 * scale, "exact site (estimated)"),
        dot("#dddddd", "#1a1a1a", 11 * scale, "town or municipality (paler)", alpha=0.75),
        dot("#ffffff", "#6b6b6b", 9 * scale, "grey edge: time known to the day only"),
        dot("#b2182b", "white", 18 * scale, "Tapalpa operation site", marker="*"),
    ]
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.74, 0.76),
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
            f"Data version {escape_text(bundle.version)}.<br>"
            f"{escape_text(credit_line(load_corrections(layers.CORRECTIONS_FILE)[0]))}</p>"
        ),
        name="tim_credit",
    )
    return figure.render()
