"""The registry of download formats (render/formats.py), read by the CLI, the publisher
and (README "Architecture") the page."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dashboard.__main__ import main
from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import state_counts
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render import export
from dashboard.render.formats import (
    EXPORT_FORMATS,
    SNAPSHOT_FORMATS,
    FileFormat,
    ViewFiles,
    implied_format,
    implying_suffixes,
)
from dashboard.render.publish import RECORDS_PATH, site_files
from dashboard.text.i18n import LOCALE_DIR

PAGE = PageView(
    ViewSpec(
        datetime(2026, 2, 22, 6, tzinfo=MEXICO_CITY),
        datetime(2026, 2, 23, tzinfo=MEXICO_CITY),
        states=frozenset({"14"}),
    )
)
ALL = {**EXPORT_FORMATS, **SNAPSHOT_FORMATS}
with (LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
    SPANISH = read_po(handle)


@pytest.fixture(scope="module")
def files(bundle):
    selected = apply(PAGE.view, bundle.incidents)
    counts = state_counts(selected, bundle.official, PAGE.view)
    when = datetime(2026, 3, 1, tzinfo=UTC)
    return ViewFiles(bundle, PAGE, selected, counts, "https://x.mx/?v=1", generated_at=when)


@pytest.mark.parametrize("fmt", ALL.values(), ids=list(ALL))
def test_every_format_is_complete_and_builds_bytes(files, fmt: FileFormat):
    assert fmt.suffix.startswith(".") and "/" in fmt.media_type
    assert SPANISH[fmt.label].string  # labelled in both languages (some read the same)
    data = fmt.build(files)
    assert isinstance(data, bytes) and data


def test_the_registry_builds_what_the_export_functions_write(files):
    assert EXPORT_FORMATS["csv"].build(files) == export.records_csv(files.selected).encode()
    assert EXPORT_FORMATS["states"].build(files) == (
        export.state_table_csv(files.counts, frozenset({"14"})).encode()
    )
    with zipfile.ZipFile(io.BytesIO(EXPORT_FORMATS["package"].build(files))) as archive:
        assert "datapackage.json" in archive.namelist()
        assert "https://x.mx/?v=1" in archive.read("datapackage.json").decode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("view.CSV", "csv"),
        ("view.json", "geojson"),
        ("view.geojson", "geojson"),
        ("view.parquet", "geoparquet"),
        ("view.zip", "package"),
        ("view.txt", None),
    ],
)
def test_an_out_name_implies_a_format(name, expected):
    assert implied_format(Path(name), EXPORT_FORMATS) == expected


def test_the_cli_offers_the_registry(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "{" + ",".join(EXPORT_FORMATS) + "}" in text
    for fmt in EXPORT_FORMATS.values():
        assert f"{fmt.name}: {fmt.label}" in text
    with pytest.raises(SystemExit):
        main(["snapshot", "--help"])
    assert "{" + ",".join(SNAPSHOT_FORMATS) + "}" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["export", "--out", "view.txt", "--lang", "en"])
    error = capsys.readouterr().err
    assert "/".join(implying_suffixes(EXPORT_FORMATS)) in error


def test_the_published_site_writes_its_records_through_the_registry(bundle):
    written = {f.path: f.data for f in site_files(bundle, states=["14"])}
    assert "data/incidents" + EXPORT_FORMATS["csv"].suffix == RECORDS_PATH
    assert written[RECORDS_PATH] == export.records_csv(bundle.incidents).encode()
