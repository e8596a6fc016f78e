"""Download the data of this view ("descargas"), closed until opened: the records in view
for GIS and analysis tools (GeoJSON, GeoParquet), the per-state table, and a data package
with its licence, credit, data version and permalink. The files keep English column
names and credit: they are data for tools."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.analysis.permalink import to_query
from dashboard.render.formats import EXPORT_FORMATS, FileFormat, ViewFiles
from dashboard.render.share import download_stem, page_address, records_in_the_csv
from dashboard.text.escape import escape_markdown
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
    permalink = f"{page_address(st.context.url)}?{to_query(page, data.bundle.version)}"
    files = ViewFiles(data.bundle, page, shown.selected, shown.counts, permalink)
    # The records' CSV (the share panel's too), then GeoJSON, GeoParquet, the per-state
    # table and the package; the tables section has the per-municipality and period tables.
    formats = [f for f in EXPORT_FORMATS.values() if f.share] + [
        f for f in EXPORT_FORMATS.values() if not f.share and not f.table
    ]
    n = len(shown.selected)
    with box:
        st.caption(
            t.ngettext(
                "The {n} record in this view.",
                "The {n} records in this view.",
                len(shown.selected),
            ).format(n=format_number(len(shown.selected), lang))
            + " "
            + (
                t.gettext(
                    "GeoJSON and GeoParquet carry the CSV's columns with a WGS84 point per "
                    "record; the data package adds the per-state, per-municipality, per-day and "
                    "per-week tables and a "
                    "datapackage.json (Frictionless) naming the data version ({version}) and "
                    "this view's link."
                ).format(version=data.bundle.version)
                if data.bundle.origin is None
                else t.gettext(
                    "GeoJSON and GeoParquet carry the CSV's columns with a WGS84 point per "
                    "record; they and the data package's datapackage.json (Frictionless) name "
                    "your file {name}, how it was read and when it was checked, and claim "
                    "nothing of the map's own data (its licence, sources or official figures)."
                ).format(name=escape_markdown(data.bundle.origin.name))
            )
        )
        download_buttons(
            formats,
            files,
            download_stem("tapalpa", page),
            lang,
            labels={"csv": records_csv_label(n, lang)},
            key_prefix="data_download",
        )
        st.caption(records_in_the_csv(shown.selected, lang))


def records_csv_label(n: int, lang: str) -> str:
    """The records CSV's button, counted: "Download the {n} records in this view (CSV)"
    in `lang` (the share panel's and the data section's)."""
    return (
        translation(lang)
        .ngettext(
            "Download the {n} record in this view (CSV)",
            "Download the {n} records in this view (CSV)",
            n,
        )
        .format(n=format_number(n, lang))
    )


def download_buttons(
    formats: list[FileFormat],
    files: ViewFiles,
    stem: str,
    lang: str,
    labels: dict[str, str] | None = None,
    key_prefix: str = "download",
) -> None:
    """One button per format of the registry (render.formats), side by side; a file is
    built only when its button is pressed, in another thread (no rerun pays for it).
    `labels` replaces a format's label by name (a counted one, say); `key_prefix` keeps
    the keys of a format offered in two sections apart."""
    t = translation(lang)
    for column, fmt in zip(st.columns(len(formats)), formats, strict=True):
        column.download_button(
            (labels or {}).get(fmt.name) or t.gettext(fmt.label),
            data=partial(fmt.build, files),
            file_name=f"{stem}{fmt.suffix}",
            mime=fmt.media_type,
            on_click="ignore",
            key=f"{key_prefix}_{fmt.name}",
        )
