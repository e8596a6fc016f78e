"""What a reader reads about each record: when, where, what, counts, sources, all escaped.

Popups and tooltips are HTML in Leaflet, so every data-derived string here goes through
dashboard/escape.py; only http(s) URLs become links. No folium, no Streamlit.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from .escape import escape_text
from .mexico import BY_CODE, MEXICO_CITY
from .schema import EVENT_TYPES, GEO_PRECISIONS, PART_OF_DAY_SPANS
from .validate import is_http_url


def records(frame: pd.DataFrame) -> list[SimpleNamespace]:
    """Rows with attribute access, built from column lists (itertuples and to_dict are slow)."""
    columns = [str(c) for c in frame.columns]
    values = [frame[c].tolist() for c in frame.columns]
    return [
        SimpleNamespace(**dict(zip(columns, row, strict=True))) for row in zip(*values, strict=True)
    ]


def _local(ts: pd.Timestamp) -> pd.Timestamp:
    return ts.tz_convert(MEXICO_CITY)


def when_label(row) -> str:
    """When, in Mexico City time, honest about how exactly it is known."""
    start = pd.Timestamp(row.start)
    own_day = start.strftime("%a %d %b %Y")
    precision = row.time_precision
    if precision == "day":
        return f"{own_day} (day only; time not reported)"
    if precision == "part_of_day":
        part = row.part_of_day
        if part in PART_OF_DAY_SPANS:
            first, last = PART_OF_DAY_SPANS[part]
            span = f"{first:%H:%M}–{'24:00' if last is None else format(last, '%H:%M')}"
            return f"{own_day}, {part.replace('_', ' ')} ({span} local time)"
        return f"{own_day}, part of day not stated"
    local = _local(row.t_start)
    text = f"{local:%a %d %b %Y, %H:%M} Mexico City time"
    if start.utcoffset() != local.utcoffset():
        text += f" ({start:%H:%M} local)"
    return text + (" (about; to the hour)" if precision == "hour" else "")


def counts_label(row) -> str:
    parts = []
    for field, label in (
        ("blockades", "blockades"),
        ("fatalities", "killed"),
        ("injured", "injured"),
        ("arrested", "arrested"),
    ):
        value = getattr(row, field)
        if value is not None and not pd.isna(value):
            parts.append(f"{int(value)} {label}")
    return ", ".join(parts)


def source_links(row) -> list[tuple[str, str]]:
    """(url, label) pairs: the main source with outlet and date, then the others."""
    outlet = row.source_outlet or "source"
    label = f"{outlet}, {row.source_date}" if row.source_date else outlet
    pairs = [(row.source_url, label)]
    pairs += [(u, f"source {n}") for n, u in enumerate((row.more_source_urls or "").split(), 2)]
    return pairs


def place_label(row) -> str:
    state = BY_CODE[row.cve_ent].name if row.cve_ent in BY_CODE else row.cve_ent
    parts = [p for p in (row.place, row.municipality, state) if p]
    return ", ".join(dict.fromkeys(parts))


def popup_body(row) -> str:
    """Everything in a popup between the title and the sources, escaped."""
    e = escape_text
    lines = [f"<i>{e(when_label(row))}</i>", e(place_label(row)), e(row.summary)]
    counts = counts_label(row)
    if counts:
        lines.append(e(counts))
    lines.append(
        f"Location: {e(GEO_PRECISIONS.get(row.geo_precision, ''))}"
        + (" (approximate)" if row.geo_precision > 1 else "")
        + f" · confidence: {e(row.confidence or 'not rated')}"
    )
    if row.disputed:
        lines.append("<b>Sources disagree</b> on a figure, place or time.")
    return "<br>".join(lines)


def tooltip_html(row) -> str:
    kind = EVENT_TYPES.get(row.event_type, row.event_type)
    return f"{escape_text(kind)}: {escape_text(row.place or row.municipality)}"


DISPLAY_COLUMNS = ("tip", "body", "sources")


def with_display_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Add each record's escaped tooltip, popup body and (url, label) sources.

    They do not depend on the view, so the page computes them once per data version,
    behind its cache, instead of on every rerun.
    """
    rows = records(frame)
    return frame.assign(
        tip=[tooltip_html(r) for r in rows],
        body=[popup_body(r) for r in rows],
        sources=[
            [
                (escape_text(u.strip()), escape_text(label))
                for u, label in source_links(r)
                if is_http_url(u)
            ]
            for r in rows
        ],
    )
