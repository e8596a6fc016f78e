"""The social cards' layout (pngpresets "social" 1200 x 630 and "square" 1080 x 1080):
every text sized for the width the card is shown at in a feed, not for its pixels.

A 1200 x 630 card is shown about 500 CSS pixels wide in a feed (a 1080 x 1080 one about
400), so a font of p design pixels is read at p x 500 / 1200. The card's texts are set
from their size where shown (`CARD_PX`: title 14, legend, window and credit 11, the
stamp 11 CSS pixels) back to points at 100 dpi, and the legend holds only what the view
draws: the state classes its states fall in, the kinds of located incident in it (short
names: the category's label without its parenthesis), the dashed "possible" symbol when
one is drawn, and the site's star. The map takes what is left: beside the legend
("card-side"), or between the texts above and the legend below ("card-stacked").
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from dashboard.analysis.filters import possible_mask
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.pnglayers import categories_present
from dashboard.render.symbols import HALO, MPL_MARKERS, SITE_COLOUR, STATE_EDGE, state_classes
from dashboard.text.i18n import N_, format_datetime, translation

CARD_LAYOUTS = ("card-side", "card-stacked")
# CSS pixels where the card is shown: the least each kind of text may have.
CARD_PX = {"title": 14.0, "text": 11.0, "label": 11.0, "stamp": 11.0}
CARD_DATETIME = "d MMM y, HH:mm"  # the window's ends without the weekday: one line
SHORT_CREDIT = N_("Sources: news reports · Boundaries: Natural Earth · Places are estimates")
# The stamp, for a feed: the data's version and its newest report, never the raw link
# (the window and the title already say the view in words).
CARD_STAMP = N_("{data}, reports to {date}")
RAMP_TITLE = N_("Incidents per state")
DASHED = N_("dashed: time too imprecise to count it")


def points(preset, css_px: float) -> float:
    """The font size in points (at 100 dpi, 72 points an inch) whose text is `css_px`
    CSS pixels high where `preset` is shown (its shown_width of its size[0] pixels)."""
    return css_px * preset.size[0] / preset.shown_width * 72 / 100


def css_pixels(preset, fontsize_points: float) -> float:
    """The inverse of `points`: a font of `fontsize_points` at 100 dpi, in CSS pixels
    where `preset` is shown."""
    return fontsize_points * 100 / 72 * preset.shown_width / preset.size[0]


def short_label(label: str) -> str:
    """A category label without its trailing parenthesis: "Quema (de vehículos, de
    negocios)" -> "Quema"."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", label)


def ramp_handles(counts: pd.DataFrame, states, lang: str) -> list:
    """Patches for the state classes the view's states fall in (`states`: INEGI codes
    chosen, None for all 32; "0" always: the other states are drawn white). The classes
    follow every state's count in view (symbols.state_classes), as the fills do."""
    classes = state_classes(counts["incidents"])
    if states:
        counts = counts[counts["cve_ent"].isin(states)]
    present = {0} | {classes.index(int(n)) for n in counts["incidents"]}
    return [
        Patch(facecolor=colour, edgecolor=STATE_EDGE, label=label)
        for i, (colour, label) in enumerate(classes.ramp(lang, short=True))
        if i in present
    ]


def kind_handles(selected: pd.DataFrame, lang: str, marker_pt: float, site: bool = True) -> list:
    """Line2D markers for the kinds of located incident in `selected` (their palette's
    shapes and colours, short labels), the dashed symbol when a drawn record is only
    possibly in the window, and the operation site's star (`site`: the data has it)."""
    t = translation(lang)
    located = selected[selected["geo_precision"] < 3]

    def dot(face, edge, size, label, marker="o", **style):
        return Line2D(
            [], [], marker=marker, linestyle="", markerfacecolor=face, markeredgecolor=edge,
            markersize=size, label=label, **style,
        )  # fmt: skip

    handles = [
        dot(c.colour, HALO, marker_pt, short_label(t.gettext(c.label)), MPL_MARKERS[c.shape])
        for c in (categories_present(located) if not located.empty else [])
    ]
    if not located.empty and possible_mask(located).any():
        handles.append(
            Patch(facecolor="white", edgecolor="#444444", linestyle="--", label=t.gettext(DASHED))
        )
    if site:
        handles.append(
            dot(SITE_COLOUR, "white", marker_pt * 1.5, t.gettext("Tapalpa operation site"), "*")
        )
    return handles


def latest_report(incidents: pd.DataFrame, lang: str) -> str:
    """The newest `source_date` of `incidents` (YYYY-MM-DD or YYYY-MM: the date of the
    reporting a record cites) in `lang`, "5 mar 2026" / "mar 2026"; "" when no record
    gives one (an ACLED file names outlets without dates)."""
    if "source_date" not in incidents.columns:
        return ""
    given = [d for d in incidents["source_date"].dropna().astype(str).unique() if d.strip()]
    if not given:
        return ""
    newest = max(given, key=lambda d: (d[:7], len(d), d))  # a day of a month after the month
    pattern = "d MMM y" if len(newest) == 10 else "LLL y"
    when = datetime.strptime(newest, "%Y-%m-%d" if len(newest) == 10 else "%Y-%m")
    return format_datetime(when.replace(hour=12, tzinfo=MEXICO_CITY), lang, pattern)


def stamp_text(data: str, reported: str, lang: str) -> str:
    """The card's stamp in `lang`: "Versión de los datos f1a7c0e0c1, notas hasta el 5 mar
    2026" (`data`: origin.data_label, sentence-initial; `reported`: latest_report), or
    `data` alone without a date."""
    if not reported:
        return data
    return translation(lang).gettext(CARD_STAMP).format(data=data, date=reported)


def card_texts(fig, preset, strings: dict, selection, page, helpers, site: bool = True) -> tuple:
    """Lay out a card: `strings` holds "title", "window", "data" and "reported" (the
    stamp's: stamp_text); the credit is SHORT_CREDIT; `site`: the view's data has the
    operation site (the legend names its star; a reader's file has none). `helpers` =
    (snapshot._fit_texts: wraps every text to the canvas and stacks the credit above the
    stamp, snapshot._wrap_text).
    Returns the map's box (left, bottom, width, height; figure fractions): under the
    title and window, left of the legends ("card-side") or above them ("card-stacked")."""
    fit_texts, wrap_text = helpers
    lang = page.lang
    t = translation(lang)
    size = {kind: points(preset, px) for kind, px in CARD_PX.items()}
    margin = 0.02
    grey = {"color": "#333333"}
    title = fig.text(margin, 1 - margin, strings["title"], fontsize=size["title"], weight="bold")
    window = fig.text(margin, 0.9, strings["window"], fontsize=size["text"], **grey)
    credit = fig.text(margin, 0.05, t.gettext(SHORT_CREDIT), fontsize=size["text"], **grey)
    stamp = fig.text(
        margin,
        0.01,
        stamp_text(strings["data"], strings["reported"], lang),
        fontsize=size["stamp"],
        color="#666666",
    )
    for text, va in ((title, "top"), (window, "top"), (credit, "bottom"), (stamp, "bottom")):
        text.set_va(va)
    side = preset.layout == "card-side"
    column = 0.57 if side else margin  # the legends' left edge
    common = {
        "frameon": False,
        "fontsize": size["text"],
        "title_fontsize": size["text"],
        "alignment": "left",
        "loc": "upper left",
        "borderaxespad": 0,
        "borderpad": 0.2,
        "handletextpad": 0.5,
        "labelspacing": 0.25,
        "columnspacing": 1.0,
    }
    shading = fig.legend(
        handles=ramp_handles(selection.counts, page.view.states, lang),
        ncol=3 if side else 6,
        title=t.gettext(RAMP_TITLE),
        bbox_to_anchor=(column, 0.8),
        **common,
    )
    kinds = kind_handles(selection.selected, lang, size["text"] * 0.9, site)
    halves = [kinds] if side else [kinds[: (len(kinds) + 1) // 2], kinds[(len(kinds) + 1) // 2 :]]
    legends = [
        fig.legend(handles=part, bbox_to_anchor=(x, 0.6), **common)
        for part, x in zip(halves, (column, 0.5), strict=False)
    ]
    fit_texts(fig, credit, stamp)
    renderer = fig.canvas.get_renderer()
    height = fig.bbox.height
    if len(legends) == 2:  # the left half's labels end before the right half
        for text in legends[0].get_texts():
            wrap_text(text, fig.bbox.width * 0.48, renderer)

    def top_of(artist):
        fig.draw_without_rendering()
        return artist.get_window_extent(renderer).y1 / height

    def bottom_of(artist):
        fig.draw_without_rendering()
        return artist.get_window_extent(renderer).y0 / height

    window.set_y(bottom_of(title) - 0.01)
    under_head = bottom_of(window) - margin
    if side:  # the legends run to the foot; the credit and stamp go under the map
        for text in (credit, stamp):
            wrap_text(text, fig.bbox.width * (column - margin), renderer)
        credit.set_y(top_of(stamp) + 0.004)
        shading.set_bbox_to_anchor((column, under_head), transform=fig.transFigure)
        below = bottom_of(shading) - margin
        legends[0].set_bbox_to_anchor((column, below), transform=fig.transFigure)
        above_foot = top_of(credit) + margin
        return (0.01, above_foot, column - 0.025, under_head - above_foot)
    above_foot = top_of(credit) + margin
    for legend, x in zip(legends, (margin, 0.5), strict=False):
        legend.set_bbox_to_anchor((x, above_foot), transform=fig.transFigure)
        legend.set_loc("lower left")
    kinds_top = max(top_of(legend) for legend in legends)
    for legend, x in zip(legends, (margin, 0.5), strict=False):  # both halves from the top
        legend.set_bbox_to_anchor((x, kinds_top), transform=fig.transFigure)
        legend.set_loc("upper left")
    shading.set_bbox_to_anchor((margin, kinds_top + margin / 2), transform=fig.transFigure)
    shading.set_loc("lower left")
    legend_top = top_of(shading) + margin / 2
    return (0.01, legend_top, 0.98, under_head - legend_top)
