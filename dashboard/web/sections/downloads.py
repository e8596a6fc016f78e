"""Download the data of this view ("descargas"), closed until opened: the records in view
for GIS and analysis tools (GeoJSON, GeoParquet), the per-state table, and a data package
with its licence, credit, data version and permalink. The files keep English column
names and credit: they are data for tools."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.analysis.permalink import to_query
from dashboard.render.export import (
    data_package,
    records_geojson,
    records_geoparquet,
    state_table_csv,
)
from dashboard.render.share import download_stem, page_address
from dashboard.render.snapshot import credit_text
from dashboard.render.snapshot import title as snapshot_title
from dashboard.text.i18n import format_number, translation
from dashboard.web import state
from dashboard.web.data import PageData
from dashboard.web.view_cache import Shown


def data_downloads(data: PageData, shown: Shown, lang: str = "en") -> None:
    """The download buttons; each file is built only when its button is pressed."""
    t = translation(lang)
    box, is_open = state.lazy_section(
        t.gettext("Download the data of this view (GeoJSON, GeoParquet, CSV, data package)"),
        state.DOWNLOADS_OPEN,
    )
    if not is_open:
        return
    page = shown.page
    base = page_address(st.context.url)
    permalink = f"{base}?{to_query(page, data.bundle.version)}"
    selected, counts, states = shown.selected, shown.counts, page.view.states
    stem = download_stem("tapalpa", page)
    downloads = (
        (
            t.gettext("GeoJSON (QGIS, web maps)"),
            partial(records_geojson, selected),
            "geojson",
            "application/geo+json",
        ),
        (
            t.gettext("GeoParquet (GeoPandas, R sf)"),
            partial(records_geoparquet, selected),
            "parquet",
            "application/vnd.apache.parquet",
        ),
        (
            t.gettext("Per-state table (CSV)"),
            partial(state_table_csv, counts, states),
            "states.csv",
            "text/csv",
        ),
        (
            t.gettext("Data package (zip: all files, schemas, licence)"),
            partial(
                data_package,
                selected,
                counts,
                states=states,
                title=snapshot_title(page),
                version=data.bundle.version,
                permalink=permalink,
                credit=credit_text("en"),
            ),
            "zip",
            "application/zip",
        ),
    )
    with box:
        st.caption(
            t.ngettext(
                "The {n} record in this view.",
                "The {n} records in this view.",
                len(selected),
            ).format(n=format_number(len(selected), lang))
            + " "
            + t.gettext(
                "GeoJSON and GeoParquet carry the CSV's columns with a WGS84 point per record; "
                "the data package adds the per-state table and a datapackage.json "
                "(Frictionless) naming the data version ({version}) and this view's link."
            ).format(version=data.bundle.version)
        )
        for column, (label, build, suffix, mime) in zip(
            st.columns(len(downloads)), downloads, strict=True
        ):
            column.download_button(
                label,
                data=build,
                file_name=f"{stem}.{suffix}",
                mime=mime,
                on_click="ignore",
                key=f"download_{suffix}",
            )
