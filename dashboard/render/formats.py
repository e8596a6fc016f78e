"""The files a view can be downloaded as, in two registries (exports, snapshots): the
page's download buttons and the CLI's `export --format` and `snapshot --format` read them;
the publisher writes the `csv` export of every record.

A format is a name (the CLI's `--format` value), the file-name ending the page gives it,
its media type, its label (an English message id), which `--out` endings imply it, and
the function that builds its bytes from a `ViewFiles`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.text.i18n import N_

if TYPE_CHECKING:
    import pandas as pd

    from dashboard.analysis.permalink import PageView
    from dashboard.ingest.bundle import Bundle

# The builders import what they use when called: the CLI reads this registry for its
# arguments, and its --help (or `validate`) need not load matplotlib or GeoPandas.


@dataclass(frozen=True)
class ViewFiles:
    """What every format is built from: a view and its records.

    `selected` is filters.apply of the view (or every record, for a whole-file export),
    `counts` stats.state_counts of the same; `permalink` the view's link (the data
    package names it); `size` the PNG's; `generated_at` the data package's time (now).
    """

    bundle: Bundle
    page: PageView
    selected: pd.DataFrame
    counts: pd.DataFrame | None = None
    permalink: str = ""
    size: tuple[int, int] | None = None  # the PNG's; None: snapshot.PNG_SIZE
    screen: tuple[int, int] | None = None  # the map's size on screen (snapshot.map_extent)
    preset: str | None = None  # a pngpresets.PRESETS name: the image's size and layout
    generated_at: datetime | None = None


@dataclass(frozen=True)
class FileFormat:
    """One format: `name` is the CLI's --format value and the registry's key."""

    name: str
    suffix: str  # the file name's ending: f"{stem}{suffix}"
    media_type: str
    label: str  # an English message id (N_): show it with gettext
    build: Callable[[ViewFiles], bytes]
    implied_by: tuple[str, ...] = ()  # --out endings that choose this format
    share: bool = False  # offered beside the snapshots (the page's share panel)
    table: bool = False  # a per-municipality or per-period table (the page's tables section)


def _records_csv(files: ViewFiles) -> bytes:
    from dashboard.render import export

    return export.records_csv(files.selected).encode("utf-8")


def _records_geojson(files: ViewFiles) -> bytes:
    from dashboard.render import export

    return export.records_geojson(files.selected, files.bundle.origin).encode("utf-8")


def _records_geoparquet(files: ViewFiles) -> bytes:
    from dashboard.render import export

    return export.records_geoparquet(files.selected, files.bundle.origin)


def _state_table(files: ViewFiles) -> bytes:
    from dashboard.render import export

    return export.state_table_csv(files.counts, files.page.view.states).encode("utf-8")


def _municipalities(files: ViewFiles) -> bytes:
    from dashboard.render.tables_csv import municipality_csv

    return municipality_csv(files.selected).encode("utf-8")


def _days(files: ViewFiles) -> bytes:
    from dashboard.render.tables_csv import period_csv

    return period_csv(files.selected, "day").encode("utf-8")


def _weeks(files: ViewFiles) -> bytes:
    from dashboard.render.tables_csv import period_csv

    return period_csv(files.selected, "week").encode("utf-8")


def _data_package(files: ViewFiles) -> bytes:
    from dashboard.render import export
    from dashboard.render.snapshot import CREDIT, title

    # The package is data for tools: its credit (and column names) stay English.
    return export.data_package(
        files.selected,
        files.counts,
        states=files.page.view.states,
        title=title(files.page),
        version=files.bundle.version,
        permalink=files.permalink,
        credit=CREDIT,
        generated_at=files.generated_at or datetime.now(UTC),
        origin=files.bundle.origin,
    )


def _image(image_format: str) -> Callable[[ViewFiles], bytes]:
    def build(files: ViewFiles) -> bytes:
        from dashboard.render.imagefiles import image_bytes, preset_named

        return image_bytes(
            files.bundle,
            files.page,
            image_format,
            preset=preset_named(files.preset),
            size=files.size,
            screen=files.screen,
        )

    return build


_png = _image("png")


def _html(files: ViewFiles) -> bytes:
    from dashboard.render.snapshot import html_document

    return html_document(files.bundle, files.page).encode("utf-8")


EXPORT_FORMATS: dict[str, FileFormat] = {
    f.name: f
    for f in (
        FileFormat(
            "csv",
            ".csv",
            "text/csv",
            N_("Records in this view (CSV)"),
            _records_csv,
            (".csv",),
            share=True,
        ),
        FileFormat(
            "geojson",
            ".geojson",
            "application/geo+json",
            N_("GeoJSON (QGIS, web maps)"),
            _records_geojson,
            (".geojson", ".json"),
        ),
        FileFormat(
            "geoparquet",
            ".parquet",
            "application/vnd.apache.parquet",
            N_("GeoParquet (GeoPandas, R sf)"),
            _records_geoparquet,
            (".parquet",),
        ),
        FileFormat(
            "states",
            ".states.csv",
            "text/csv",
            N_("Per-state table (CSV)"),
            _state_table,
        ),
        FileFormat(
            "municipalities",
            ".municipalities.csv",
            "text/csv",
            N_("Per-municipality table (CSV)"),
            _municipalities,
            table=True,
        ),
        FileFormat("days", ".days.csv", "text/csv", N_("Per-day table (CSV)"), _days, table=True),
        FileFormat(
            "weeks", ".weeks.csv", "text/csv", N_("Per-week table (CSV)"), _weeks, table=True
        ),
        FileFormat(
            "package",
            ".zip",
            "application/zip",
            N_("Data package (zip: all files, schemas, licence)"),
            _data_package,
            (".zip",),
        ),
    )
}
SNAPSHOT_FORMATS: dict[str, FileFormat] = {
    f.name: f
    for f in (
        FileFormat("png", ".png", "image/png", N_("Download PNG (1600×1000)"), _png, (".png",)),
        FileFormat("svg", ".svg", "image/svg+xml", N_("Download SVG"), _image("svg"), (".svg",)),
        FileFormat(
            "html", ".html", "text/html", N_("Download interactive HTML"), _html, (".html",)
        ),
    )
}


def implied_format(path: Path, formats: dict[str, FileFormat]) -> str | None:
    """The name of the format among `formats` whose `implied_by` ends `path`'s name
    (case ignored), or None."""
    name = path.name.lower()
    for fmt in formats.values():
        if any(name.endswith(ending) for ending in fmt.implied_by):
            return fmt.name
    return None


def implying_suffixes(formats: dict[str, FileFormat]) -> list[str]:
    """Every `--out` ending that implies one of `formats`, in registry order."""
    return [ending for f in formats.values() for ending in f.implied_by]
