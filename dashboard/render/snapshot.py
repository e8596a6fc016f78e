"""Files an editor can publish without a live server: PNG, standalone HTML, alt text.

The page's download buttons and `python -m dashboard snapshot` both call these, so the
same view and data give the same file. The PNG is drawn with matplotlib (no browser) and
is byte-identical for identical input: its stamp names the data version, not the clock.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from dashboard.analysis.filters import (
    possible_mask,  # noqa: E402
)
from dashboard.analysis.permalink import PageView  # noqa: E402
from dashboard.analysis.stats import key_figures, national_figures  # noqa: E402
from dashboard.ingest.bundle import Bundle  # noqa: E402
from dashboard.ingest.corrections import credit_line, load_corrections  # noqa: E402
from dashboard.model import bundled_files  # noqa: E402
from dashboard.model.mexico import BY_CODE  # noqa: E402
from dashboard.model.origin import data_label  # noqa: E402
from dashboard.render.mapassets import RawScript  # noqa: E402
from dashboard.render.maplayers import LAYERS  # noqa: E402
from dashboard.render.mapstates import states_geojson  # noqa: E402
from dashboard.render.mapview import build_map  # noqa: E402
from dashboard.render.pngcard import (  # noqa: E402
    CARD_DATETIME,
    CARD_LAYOUTS,
    CARD_PX,
    card_texts,
    latest_report,
    points,
)
from dashboard.render.pnglayers import STAR_HALF, PngCanvas, categories_present, marker_marks
from dashboard.render.pngpresets import (  # noqa: E402
    PngPreset,
    draw_labels,
    draw_land,
    leading_states,
    stack,
)
from dashboard.render.pngstamp import view_description, window_label
from dashboard.render.summary import (  # noqa: F401 (Selection, select: re-exported)
    Selection,
    alt_text,
    language,
    possible_sentence,
    select,
)
from dashboard.render.symbols import (
    HALO,
    MPL_MARKERS,
    STATE_EDGE,
    state_classes,
)
from dashboard.text.escape import escape_text  # noqa: E402
from dashboard.text.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    format_list,
    format_number,
    translation,
)

CREDIT = N_(
    "Sources: published news reports, linked per incident in the data. "
    "Boundaries: Natural Earth. Places are estimates."
)  # English message id: show it with credit_text(lang)
PNG_SIZE = (1600, 1000)
MAX_PNG_SIDE = 6000


def credit_text(lang: str) -> str:
    """The credit line (sources, boundaries, the caveat on places) in `lang`."""
    return translation(lang).gettext(CREDIT)


def title(page: PageView, lang: str | None = None) -> str:
    """The snapshot's title: the view's states (up to three by name) or Mexico."""
    t = translation(language(page, lang))
    states = page.view.states
    if states is not None and 0 < len(states) <= 3:
        names = [BY_CODE[c].name for c in sorted(states)]
        return t.gettext("After the Tapalpa raid: reported incidents in {where}").format(
            where=format_list(names, language(page, lang))
        )
    if states:
        return t.ngettext(
            "After the Tapalpa raid: reported incidents in {count} state",
            "After the Tapalpa raid: reported incidents in {count} states",
            len(states),
        ).format(count=len(states))
    return t.gettext("After the Tapalpa raid: reported incidents in Mexico")


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
MIN_STACKED_MAP = 0.34  # the map's least share of a stacked preset's height


def _fit_extent(
    extent: tuple[float, float, float, float], box_width: float, box_height: float
) -> tuple[float, float, float, float]:
    """Grow (west, east, south, north) along its short side to the map box's shape
    (`box_width` x `box_height` pixels), so the map fills the box (1/cos(latitude)
    aspect: degrees of longitude shrink northwards)."""
    west, east, south, north = extent
    stretch = 1 / math.cos(math.radians((south + north) / 2))
    box = box_width / box_height
    data = (east - west) / ((north - south) * stretch)
    if data < box:
        grow = ((north - south) * stretch * box - (east - west)) / 2
        return west - grow, east + grow, south, north
    grow = ((east - west) / (stretch * box) - (north - south)) / 2
    return west, east, south - grow, north + grow  # left, bottom, width, height (figure fractions)


TILE_SIZE = 256  # pixels: Leaflet's Web Mercator world is TILE_SIZE * 2**zoom pixels wide
MERCATOR_MAX_LAT = 85.0511287798  # degrees: where the square Web Mercator world ends


def view_extent(
    center: tuple[float, float], zoom: float, width: float, height: float
) -> tuple[float, float, float, float]:
    """(west, east, south, north) in degrees: what a Leaflet map of `width` x `height`
    pixels, centred on `center` (lat, lon, degrees) at `zoom` (a float; quarter steps),
    shows, so a PNG of the reader's view shows the reader's area.

    Web Mercator (EPSG:3857) as Leaflet draws it: the world is 256 * 2**zoom pixels square;
    a longitude maps to x = (lon + 180) / 360 * world, a latitude to
    y = (1 - ln(tan(lat) + sec(lat)) / pi) / 2 * world (pixels down from 85.05 N).
    The box is width/2 pixels either side of the centre's x and height/2 above and below
    its y, turned back into degrees (lat = atan(sinh(pi * (1 - 2 y / world)))); y is kept
    within the world (latitudes within +-85.05). Longitudes are not wrapped.
    """
    lat, lon = center
    world = TILE_SIZE * 2.0**zoom
    lat = max(-MERCATOR_MAX_LAT, min(MERCATOR_MAX_LAT, lat))
    half_lon = width / 2 / world * 360
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * world

    def latitude(y_pixels: float) -> float:
        y_pixels = max(0.0, min(world, y_pixels))
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y_pixels / world))))

    return lon - half_lon, lon + half_lon, latitude(y + height / 2), latitude(y - height / 2)


def screen_zoom(zoom: float, screen: tuple[float, float], box: tuple[float, float]) -> float:
    """The zoom at which a map `box` (width, height, pixels) shows at least what a map of
    `screen` (width, height, CSS pixels) showed at `zoom`, on the same centre: Leaflet's
    scale doubles per zoom level, so zoom + log2 of the smaller of the two size ratios
    (a PNG box twice the screen's width and height: one level more)."""
    return zoom + math.log2(min(box[0] / screen[0], box[1] / screen[1]))


def map_extent(
    bundle: Bundle,
    page: PageView,
    width: int,
    height: int,
    screen: tuple[int, int] | None = None,
    box: tuple[float, float, float, float] = MAP_BOX,
) -> tuple[float, float, float, float]:
    """(west, east, south, north) in degrees of a PNG `width` x `height` pixels: the view's
    centre and zoom when it carries both (`view_extent` at the map box's pixel size, the
    area a reader of that view sees), else the chosen states (else Mexico), padded and
    grown to the box's shape. `screen`: the size of the map the reader saw that view in
    (CSS pixels); the box then shows that map's whole area (`screen_zoom`), whatever the
    PNG's size, and a little more along the side whose shape differs. `box`: the map's
    place in the figure (left, bottom, width, height; fractions), MAP_BOX by default."""
    box_width, box_height = box[2] * width, box[3] * height
    if page.center is not None and page.zoom is not None:
        zoom = page.zoom
        if screen is not None:
            zoom = screen_zoom(zoom, screen, (box_width, box_height))
        return view_extent(page.center, zoom, box_width, box_height)
    return _fit_extent(_extent(bundle, page), box_width, box_height)


def png_figure(
    bundle: Bundle,
    page: PageView,
    size: tuple[int, int] = PNG_SIZE,
    lang: str | None = None,
    selection: Selection | None = None,
    screen: tuple[int, int] | None = None,
    preset: PngPreset | None = None,
) -> tuple[Figure, Selection]:
    """The PNG's matplotlib figure (and the selection it shows), before it is saved:
    `size` = (width, height) in pixels, 200..6000 a side, texts in `lang` (else the view's
    language, else English); `selection` when the caller already made it (`select`);
    `preset` (pngpresets.PRESETS) gives the size, text scale and layout instead.

    Sea behind, the countries around Mexico as grey land, the states filled with exactly
    the legend's swatch colours, incidents drawn with the live map's category shapes and
    colours and a white halo, and state and city names (pngpresets.draw_labels).
    The map box's geographic extent (`map_extent`): the view's centre and zoom when it has
    both (the area a Leaflet map of the box's pixel size shows there, Web Mercator), else
    the chosen states (else Mexico) grown to the box's shape (1/cos(latitude) aspect).
    Every text (title, figures, legend, credit, stamp) is wrapped to the canvas
    (`_fit_texts`), in either language. Raises ValueError for a size out of range.
    """
    page = replace(page, lang=language(page, lang))
    if preset is not None:
        size = preset.size
    width, height = size
    if not (200 <= width <= MAX_PNG_SIDE and 200 <= height <= MAX_PNG_SIDE):
        raise ValueError(f"PNG size must be 200..{MAX_PNG_SIDE} pixels a side, got {size}")
    selection = selection if selection is not None else select(bundle, page)
    fig = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="white")
    FigureCanvasAgg(fig)  # a renderer to measure texts with (`_fit_texts`)

    if preset is not None and preset.layout in CARD_LAYOUTS:
        strings = {
            "title": title(page),
            "window": window_label(page, pattern=CARD_DATETIME),
            "data": data_label(bundle.version, bundle.origin, page.lang, capital=True),
            "reported": latest_report(bundle.incidents, page.lang),
        }
        box = card_texts(
            fig,
            preset,
            strings,
            selection,
            page,
            (_fit_texts, _wrap_text),
            site=not bundle.operation_site.empty,
        )
        scale, stacked = points(preset, CARD_PX["label"]) / 10, True  # city labels' size
    else:
        box, scale, stacked = _page_texts(fig, bundle, page, selection, preset, size)
    ax = fig.add_axes(box)
    ax.set_xticks([])  # no axes, but the background (the sea) drawn
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    draw_land(ax, scale)
    canvas = PngCanvas(
        ax,
        selection.selected,
        selection.counts,
        bundle.states_display,
        bundle.operation_site,
        scale if preset is None else scale**0.5,
    )
    for layer in LAYERS:  # bottom first; z-orders keep the site and incidents on top
        layer.png(canvas, layer.key in page.layers)
    ax.set_xlabel("")  # GeoPandas names the axes' units
    ax.set_ylabel("")
    west, east, south, north = map_extent(bundle, page, width, height, screen, box)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    if page.center is not None and page.zoom is not None:  # the box's own shape, exactly
        aspect = (east - west) / (north - south) * (box[3] * height) / (box[2] * width)
    else:
        aspect = 1 / math.cos(math.radians((south + north) / 2))
    ax.set_aspect(aspect, adjustable="box")
    draw_labels(
        ax,
        bundle.states_display,
        selection.selected,
        (west, east, south, north),
        scale,
        cities=4 if stacked or width < 1400 else 6,
        first=page.view.states or leading_states(selection.counts),
        avoid=[(p.x, p.y, STAR_HALF * canvas.scale) for p in bundle.operation_site.geometry]
        + marker_marks(selection.selected, canvas.scale, "incidents" in page.layers),
        site=_site_name(bundle.operation_site) if "site" in page.layers else None,
        counts=selection.counts,
    )
    return fig, selection


def _site_name(site) -> tuple[str, float, float] | None:
    """(town, lon, lat) of the operation site's star, named by its municipality
    (geodata/operation_site.geojson: "Tapalpa"); None without a site or a name."""
    if site.empty or "municipality" not in site or not site["municipality"].iloc[0]:
        return None
    point = site.geometry.iloc[0]
    return str(site["municipality"].iloc[0]), float(point.x), float(point.y)


def _page_texts(fig, bundle, page, selection, preset, size) -> tuple:
    """The side and stacked layouts' texts and legend (png_figure); returns the map's box
    (figure fractions), the text scale and whether the layout is stacked."""
    width, height = size
    scale = preset.text_scale if preset else min(width / 1600, height / 1000)
    stacked = preset is not None and preset.layout == "stacked"
    side = 0.01 if stacked else MAP_BOX[0] + MAP_BOX[2] + 0.02  # the figures' column (x)
    sizes = (20, 13, 12) if stacked else (26, 15, 13)  # title, window, figures (points)
    title_text = fig.text(
        0.02, 0.965, title(page), fontsize=sizes[0] * scale, weight="bold", va="top"
    )
    window = fig.text(
        0.02, 0.915, window_label(page), fontsize=sizes[1] * scale, color="#333333", va="top"
    )
    official = national_figures(bundle.official, page.view, page.lang)
    stats = fig.text(
        0.02 if stacked else side,
        0.86,
        stats_text(selection, page.lang, official),
        fontsize=sizes[2] * scale,
        va="top",
    )
    credit = fig.text(
        0.02, 0.045, credit_text(page.lang), fontsize=11 * scale, color="#333333", va="bottom"
    )
    stamp = fig.text(
        0.02,
        0.012,
        translation(page.lang)
        .gettext("Tapalpa incident map · {data} · view: {view}")
        .format(
            data=data_label(bundle.version, bundle.origin, page.lang), view=view_description(page)
        ),
        fontsize=9 * scale,
        color="#666666",
        va="bottom",
    )
    # The legend shrinks (12 % a step, at most four) until it fits: above the credit in
    # the side column, or leaving the map at least MIN_STACKED_MAP of a stacked figure.
    renderer = fig.canvas.get_renderer()
    legend_scale = scale
    for attempt in range(5):
        legend = _legend(
            fig,
            page,
            selection,
            legend_scale,
            *((2, (0.015, 0.3)) if stacked else (1, (side, 0.79))),
        )
        _fit_texts(fig, credit, stamp)
        box = stack(
            fig,
            [title_text, window, stats] if stacked else [title_text, window],
            legend,
            credit,
            stamp,
            stacked,
            MAP_BOX,
        )
        if stacked:
            fits = box[3] >= MIN_STACKED_MAP
        else:
            # The figures, then the legend, in the column right of the map, from its top.
            stats.set_y(box[1] + box[3])
            below = stats.get_window_extent(renderer).y0 / fig.bbox.height
            legend.set_bbox_to_anchor((side, below - 0.015), transform=fig.transFigure)
            fig.draw_without_rendering()
            fits = legend.get_window_extent(renderer).y0 >= credit.get_window_extent(renderer).y1
        if fits or attempt == 4:
            break
        legend.remove()
        legend_scale *= 0.88

    return box, scale, stacked


def png_bytes(
    bundle: Bundle,
    page: PageView,
    size: tuple[int, int] = PNG_SIZE,
    lang: str | None = None,
    screen: tuple[int, int] | None = None,
) -> bytes:
    """The view as a PNG (bytes): `png_figure`, saved with the title and alt text as
    metadata. Byte-identical for the same view and data. Raises ValueError for a size out
    of range (200..6000 pixels a side). `screen`: see map_extent."""
    page = replace(page, lang=language(page, lang))
    fig, selection = png_figure(bundle, page, size, screen=screen)
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        dpi=100,
        metadata={
            "Title": title(page),
            "Description": alt_text(page, selection),
            "Source": data_label(bundle.version, bundle.origin, page.lang),
            "Software": None,
        },
    )
    return buffer.getvalue()


def stats_text(
    selection: Selection, lang: str = DEFAULT_LANGUAGE, official: dict | None = None
) -> str:
    """The PNG's key figures, in `lang`, with the locale's separators: first the official
    national figures given by the window's end (`official`: stats.national_figures), then
    the located records known to be in the window (filters' counting rule), those only
    possibly in it apart: "Official, nationwide: 252 road blockades · 20 states (Gabinete
    de Seguridad, 22 Feb 20:00)" / "On the map: 0 incidents (+18 possible, time not
    precise enough) · 0 road blockades" / "0 states with road blockades · 0 killed"."""
    t = translation(lang)
    f = key_figures(selection.selected)

    def num(value: int) -> str:
        return format_number(value, lang)

    lines = []
    if official:
        nouns = {
            "blockades": lambda n: t.ngettext("{n} road blockade", "{n} road blockades", n),
            "states_affected": lambda n: t.ngettext("{n} state", "{n} states", n),
            "fatalities": lambda n: t.ngettext("{n} killed", "{n} killed", n),
            "arrests": lambda n: t.ngettext("{n} arrested", "{n} arrested", n),
        }
        figures = " · ".join(
            nouns[name](figure.value).format(n=num(figure.value))
            for name, figure in official.items()
            if name in nouns
        )
        sources = "; ".join(
            dict.fromkeys(f"{figure.reported_by}, {figure.when}" for figure in official.values())
        )
        official_line = t.gettext("Official, nationwide: {figures} ({sources})")
        lines.append(official_line.format(figures=figures, sources=sources))
    first = t.ngettext("{n} incident", "{n} incidents", f.incidents).format(n=num(f.incidents))
    if f.possible:
        first += " " + t.ngettext(
            "(+{n} possible, time not precise enough)",
            "(+{n} possible, time not precise enough)",
            f.possible,
        ).format(n=num(f.possible))
    first += " · " + t.ngettext(
        "{n} road blockade located", "{n} road blockades located", f.blockades
    ).format(n=num(f.blockades))
    lines.append(t.gettext("On the map, in this window: {figures}").format(figures=first))
    lines.append(
        " · ".join(
            [
                t.ngettext(
                    "{n} state with road blockades",
                    "{n} states with road blockades",
                    f.states_affected,
                ).format(n=num(f.states_affected)),
                t.ngettext("{n} killed", "{n} killed", f.fatalities).format(n=num(f.fatalities)),
                t.ngettext("{n} arrested", "{n} arrested", f.arrests).format(n=num(f.arrests)),
            ]
        )
    )
    return "\n".join(lines)


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


def legend_entries(selection: Selection, scale: float = 1.0, lang: str = DEFAULT_LANGUAGE) -> list:
    """The PNG legend's handles, labelled in `lang`: state classes (the exact fill
    colours), the categories in view with their shapes, precision, the site."""
    t = translation(lang)
    handles = [
        Patch(
            facecolor=colour,
            edgecolor=STATE_EDGE,
            label=t.gettext("{range} incidents").format(range=label),
        )
        for colour, label in state_classes(selection.counts["incidents"]).ramp(lang)
    ]
    handles += [
        dot(c.colour, HALO, 10 * scale, t.gettext(c.label), MPL_MARKERS[c.shape])
        for c in categories_present(selection.selected)
    ]
    if possible_mask(selection.selected[selection.selected["geo_precision"] < 3]).any():
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#444444",
                linestyle="--",
                linewidth=1.2 * scale,
                label=t.gettext(
                    "dashed: its time is not known precisely enough to place it wholly "
                    "inside the window: possibly there, not counted"
                ),
            )
        )
    handles += [
        dot("#444444", HALO, 7 * scale, t.gettext("small: estimated exact site")),
        dot("#444444", HALO, 11 * scale, t.gettext("large: town or municipality")),
        dot("#b2182b", "white", 18 * scale, t.gettext("Tapalpa operation site"), marker="*"),
    ]
    return handles


# Where a line of the PNG's text may break: after a space, and inside the view's query
# string (after "&", "," or "=") so a long link wraps too.
_BREAKS = re.compile(r"(?<=[ &,=])")
TEXT_MARGIN = 0.015  # figure fraction kept clear at the right edge


def wrap_to_width(text: str, width: float, measure) -> str:
    """`text` with newlines inserted so that no line is wider than `width` (pixels)
    according to `measure(line) -> pixels`; existing newlines are kept. Lines break after
    a space or at "&", "," or "="; a single word wider than `width` is split between
    characters."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in (p for p in _BREAKS.split(paragraph) if p):
            if line and measure((line + piece).rstrip()) > width:
                out.append(line.rstrip())
                line = ""
            line += piece
            while len(line) > 1 and measure(line.rstrip()) > width:  # one overlong word
                cut = len(line) - 1
                while cut > 1 and measure(line[:cut]) > width:
                    cut -= 1
                out.append(line[:cut])
                line = line[cut:]
        out.append(line.rstrip())
    return "\n".join(out)


def _wrap_text(text, right: float, renderer) -> None:
    """Wrap a matplotlib Text in place so that it ends left of `right` (pixels)."""
    props = text.get_fontproperties()
    x0 = text.get_window_extent(renderer).x0

    def measure(line: str) -> float:
        return renderer.get_text_width_height_descent(line, props, ismath=False)[0]

    text.set_text(wrap_to_width(text.get_text(), max(right - x0, 1.0), measure))


def _fit_texts(fig: Figure, credit, stamp) -> None:
    """Wrap every text of the figure (titles, figures, legend, credit, stamp) to the
    canvas's right edge, and stack the credit above the stamp at the bottom.

    Spanish runs about 20 % longer than English, and the stamp's link is one long word:
    without this the legend and footer ran off the right edge."""
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()  # lays out the legend: its texts get their positions
    right = fig.bbox.width * (1 - TEXT_MARGIN)
    texts = list(fig.texts)
    for legend in fig.legends:
        texts += [legend.get_title(), *legend.get_texts()]
    for text in texts:
        if text.get_text():
            _wrap_text(text, right, renderer)
    top = stamp.get_window_extent(renderer).y1
    credit.set_y((top + 0.004 * fig.bbox.height) / fig.bbox.height)


def _legend(
    fig: Figure,
    page: PageView,
    selection: Selection,
    scale: float,
    ncol: int = 1,
    anchor: tuple[float, float] = (0.73, 0.79),
):
    return fig.legend(
        ncol=ncol,
        handles=legend_entries(selection, scale, page.lang or DEFAULT_LANGUAGE),
        loc="upper left",
        bbox_to_anchor=anchor,
        frameon=False,
        fontsize=11 * scale,
        title=translation(page.lang or DEFAULT_LANGUAGE).gettext(
            "States shaded by incidents in the window"
        ),
        title_fontsize=12 * scale,
        alignment="left",
    )


# ------------------------------------------------------------------ HTML


def html_document(bundle: Bundle, page: PageView, lang: str | None = None) -> str:
    """One self-contained file: the interactive map with popups and the play control.

    Title, description, header and credit are in `lang` (else the view's language, else
    English), and so is the document's `<html lang>`.
    """
    page = replace(page, lang=language(page, lang))
    t = translation(page.lang)
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
        lang=page.lang,
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
            f'<p class="tim-credit">{escape_text(alt)}<br>{escape_text(credit_text(page.lang))} '
            + escape_text(
                t.gettext(
                    "Basemap: © OpenStreetMap contributors (tiles load only when online). {data}."
                ).format(data=data_label(bundle.version, bundle.origin, page.lang, capital=True))
            )
            + "<br>"
            + escape_text(
                credit_line(load_corrections(bundled_files.CORRECTIONS_FILE)[0], page.lang)
            )
            + "</p>"
        ),
        name="tim_credit",
    )
    return figure.render().replace("<html>", f'<html lang="{page.lang}">', 1)
