"""The Tapalpa operation site's layer data: its marker, tooltip and popup."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from dashboard.model.mexico import BY_CODE
from dashboard.render.popups import records
from dashboard.text.escape import escape_text, link
from dashboard.text.i18n import DEFAULT_LANGUAGE, REGISTRY, translation

STAR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 24 24" '
    'aria-hidden="true"><path d="M12 1.8l3 6.9 7.4.6-5.6 4.9 1.7 7.3L12 17.6'
    ' 5.5 21.5l1.7-7.3L1.6 9.3 9 8.7z" fill="#b2182b" stroke="#fff" stroke-width="1.4"/></svg>'
)


def _day(value) -> str:
    """A source date as written in the data (YYYY-MM-DD): the GeoJSON reader turns the
    site's `source_date` into a timestamp, which would print with a midnight clock."""
    if isinstance(value, str) or value is None:
        return value or ""
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _translated(row, field: str, lang: str) -> str:
    """A row's text `field` in `lang`'s own column (`name_es` on a Spanish map: field plus
    the i18n.REGISTRY suffix); "" in the source language, or when missing/NaN."""
    suffix = REGISTRY[lang].suffix
    value = getattr(row, field + suffix, "") if suffix else ""
    return value if isinstance(value, str) else ""


def site_markers(site: gpd.GeoDataFrame, lang: str = DEFAULT_LANGUAGE) -> list[list]:
    """[lat, lon, tooltip, popup] per operation site, escaped, in `lang`: in Spanish its
    `name_es` and `description_es` where the site has them, else `name`, `description`."""
    t = translation(lang)
    markers = []
    for row in records(site):
        name = _translated(row, "name", lang)
        label = f"{name or row.name}, {row.municipality}, {BY_CODE[row.cve_ent].name}"
        sources = [link(row.source_url, f"{row.source_outlet}, {_day(row.source_date)}")]
        sources += [
            link(url, t.gettext("source {n}").format(n=n))
            for n, url in enumerate((row.more_source_urls or "").split(), start=2)
        ]
        description = _translated(row, "description", lang)
        popup = "<br>".join(
            [
                f"<b>{escape_text(label)}</b>",
                escape_text(description or row.description),
                escape_text(t.gettext("Sources:")) + " " + " · ".join(sources),
            ]
        )
        markers.append([row.geometry.y, row.geometry.x, escape_text(label), popup])
    return markers
