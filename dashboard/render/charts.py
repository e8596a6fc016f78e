"""The page's small charts as inline SVG: incidents per state, reports hour by hour.

Three charts of a few dozen bars each do not need a charting runtime: Streamlit's Vega-Lite
element loads about 1 MB of JavaScript (Vega's embed, its expression interpreter, d3
modules) before it draws anything, which a phone on a slow connection pays on every first
visit. These charts are plain SVG built here: rectangles, text and a `<title>` per bar
(the browser shows it on hover and screen readers read it), sized by a viewBox so they
scale to the column they sit in. Every data-derived string is escaped (escape.escape_text).
`state_chart` and `hourly_markup` are the page's charts of a view, titled in its language.

Pure core: never imports Streamlit; returns markup strings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import pandas as pd

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.stats import hourly_totals
from dashboard.model.timing import shows_years
from dashboard.text.escape import escape_text
from dashboard.text.i18n import DATETIME_WITH_YEAR, format_datetime, format_number, translation

FONT = "font-family:'Source Sans',sans-serif;font-size:12px;fill:#31333f"
AXIS = "#6b6b6b"  # 5.3:1 on white: axis text and ticks
WIDTH = 360  # viewBox units (about CSS px in a page column); text scales with the column


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape_text(label)}" '
        f'style="max-width:{width * 1.5:.0f}px;height:auto;{FONT}">'
        f"<title>{escape_text(label)}</title>" + "".join(body) + "</svg>"
    )


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int],
    *,
    label: str,
    colour: str,
    tip: Callable[[str, int], str],
    row_px: int = 20,
    label_px: int = 120,
) -> str:
    """Horizontal bars, one row per label, longest first as given (the caller sorts).

    `labels` and `values` are parallel (counts, non-negative); `label` names the chart
    (its accessible name and title); `tip(label, value)` is each bar's hover and
    screen-reader text. Returns an SVG element as a string; an empty chart for no rows.
    """
    if len(labels) != len(values):
        raise ValueError("labels and values must be the same length")
    top, bottom = 4, 22
    height = top + row_px * len(labels) + bottom
    largest = max([*values, 1])
    span = WIDTH - label_px - 40
    body = []
    for i, (name, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row_px
        length = span * value / largest
        body.append(
            f"<g><title>{escape_text(tip(name, value))}</title>"
            f'<text x="{label_px - 6}" y="{y + row_px * 0.7:.1f}" text-anchor="end">'
            f"{escape_text(name)}</text>"
            f'<rect x="{label_px}" y="{y + 2}" width="{max(length, 1):.1f}" '
            f'height="{row_px - 4}" fill="{colour}"/>'
            f'<text x="{label_px + length + 4:.1f}" y="{y + row_px * 0.7:.1f}">{value}</text></g>'
        )
    body.append(
        f'<line x1="{label_px}" x2="{label_px}" y1="{top}" y2="{height - bottom}" stroke="{AXIS}"/>'
    )
    return _svg(WIDTH, height, label, body)


def hourly_chart(
    hours: Sequence[datetime],
    values: Sequence[int],
    *,
    label: str,
    colour: str,
    tip: Callable[[datetime, int], str],
    day_label: Callable[[datetime], str],
    height: int = 130,
) -> str:
    """Columns over consecutive hours (local time, as given), one per hour.

    `hours` are the hours' starts in order; `values` the counts (non-negative) for each;
    days are marked where an hour is midnight, labelled by `day_label(hour)`; the largest
    count labels the vertical scale. `tip(hour, value)` is each column's hover and
    screen-reader text. Returns an SVG element as a string.
    """
    if len(hours) != len(values):
        raise ValueError("hours and values must be the same length")
    left, right, top, bottom = 34, 6, 8, 20
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    largest = max([*values, 1])
    step = plot_w / max(len(hours), 1)
    base = top + plot_h
    body = [
        f'<line x1="{left}" x2="{WIDTH - right}" y1="{base}" y2="{base}" stroke="{AXIS}"/>',
        f'<text x="{left - 4}" y="{top + 9}" text-anchor="end" fill="{AXIS}">{largest}</text>',
        f'<text x="{left - 4}" y="{base}" text-anchor="end" fill="{AXIS}">0</text>',
    ]
    for i, (hour, value) in enumerate(zip(hours, values, strict=True)):
        x = left + i * step
        if hour.hour == 0:
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{base + 4}" '
                f'stroke="{AXIS}" stroke-dasharray="2 3"/>'
                f'<text x="{x + 3:.1f}" y="{height - 5}" fill="{AXIS}">'
                f"{escape_text(day_label(hour))}</text>"
            )
        size = plot_h * value / largest
        body.append(
            f'<rect x="{x:.1f}" y="{base - size:.1f}" width="{max(step - 0.6, 0.6):.1f}" '
            f'height="{size:.1f}" fill="{colour}">'
            f"<title>{escape_text(tip(hour, value))}</title></rect>"
        )
    return _svg(WIDTH, height, label, body)


def state_chart(rows: pd.DataFrame, lang: str) -> str | None:
    """The bar chart of incidents by state (SVG markup) of the per-state table's `rows`
    (in their order), None when no state has any."""
    t = translation(lang)
    chart = rows.loc[rows["incidents"] > 0, ["state", "incidents"]]
    if chart.empty:
        return None
    return bar_chart(
        chart["state"].tolist(),
        chart["incidents"].tolist(),
        label=t.gettext("Incidents in the window, by state"),
        colour="#225ea8",
        tip=lambda state, n: t.ngettext(
            "{state}: {n} incident", "{state}: {n} incidents", n
        ).format(state=state, n=format_number(n, lang)),
    )


def hourly_markup(
    selected: pd.DataFrame, view: ViewSpec, lang: str, years: bool = False
) -> list[tuple[str, str]]:
    """The two hour-by-hour charts as (title, SVG) in `lang`; empty without incidents.
    The day labels of the axis and each column's text carry the year when `years` (the
    data spans years: timing.spans_years) or the window lies outside the event's year
    (timing.shows_years): "mié 31 dic 2025", not "mié 31 dic"."""
    t = translation(lang)
    series = hourly_totals(selected, view)
    if series.empty:
        return []
    hours = [h.to_pydatetime() for h in series["hour"]]
    with_year = shows_years(view.start, view.end, years)
    day_pattern = "EEE d MMM y" if with_year else "EEE d MMM"
    when = {
        hour: format_datetime(hour, lang, *([DATETIME_WITH_YEAR] if with_year else []))
        for hour in hours
    }
    # Two charts with their own scales: day-only records dwarf the timed ones.
    charted = []
    for column, label, colour in (
        (
            "timed",
            t.gettext("Reports timed to the hour or minute, by the hour they started"),
            "#b34a00",
        ),
        (
            "overlapping",
            t.gettext("Records possibly under way (incl. day-only reports)"),
            "#7570b3",
        ),
    ):
        svg = hourly_chart(
            hours,
            series[column].astype(int).tolist(),
            label=label,
            colour=colour,
            tip=lambda hour, n: t.ngettext("{when}: {n} record", "{when}: {n} records", n).format(
                when=when[hour], n=format_number(n, lang)
            ),
            day_label=lambda hour: format_datetime(hour, lang, day_pattern),
        )
        charted.append((label, svg))
    return charted
