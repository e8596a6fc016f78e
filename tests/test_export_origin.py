"""Provenance follows the data: exports of a user's file name the file and claim nothing
of the bundled data (licence, sources, version, permalink, official figures)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime

import pytest

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.stats import state_counts
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.origin import UserFile
from dashboard.render import export
from tests.conftest import incident_row, run_cli_in_process, to_csv

ORIGIN = UserFile("mis datos.csv", "acled-csv", "cp1252", datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
VIEW = ViewSpec(
    datetime(2026, 2, 22, tzinfo=MEXICO_CITY),
    datetime(2026, 2, 24, tzinfo=MEXICO_CITY),
    states=frozenset({"14", "16"}),
)


def package(bundle, origin: UserFile | None) -> tuple[dict, list[dict], bytes]:
    """(datapackage.json, states.csv rows, the zip) of the view over `bundle`'s records,
    as a user's file's when `origin` is given."""
    if origin is not None:
        bundle = bundle.with_user_file(bundle.incidents, origin)
    selected = apply(VIEW, bundle.incidents)
    counts = state_counts(selected, bundle.official, VIEW, bundle.incidents)
    data = export.data_package(
        selected,
        counts,
        states=VIEW.states,
        title="Jalisco and Michoacán",
        version=bundle.version,
        permalink="https://map.example.org/?states=JAL,MIC",
        credit="Sources: published news reports.",
        generated_at=datetime(2026, 3, 2, 12, tzinfo=UTC),
        origin=bundle.origin,
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        states = list(csv.DictReader(io.StringIO(archive.read("states.csv").decode())))
    return descriptor, states, data


def test_a_user_files_package_names_the_file_and_claims_nothing_of_the_bundled_data(bundle):
    descriptor, states, data = package(bundle, ORIGIN)
    assert descriptor["source_file"] == {
        "name": "mis datos.csv",
        "format": "acled-csv",
        "encoding": "cp1252",
        "checked": "2026-03-02T09:30:00Z",
    }
    assert "mis datos.csv" in descriptor["title"] and "mis datos.csv" in descriptor["description"]
    for claim in ("licenses", "sources", "version", "homepage", "view"):
        assert claim not in descriptor, claim
    text = json.dumps(descriptor)
    for words in ("MIT", "each record links its sources", bundle.version, "map.example.org"):
        assert words not in text, words
    # The per-state table compares nothing with the official Tapalpa figures.
    assert [s["official_blockades"] for s in states] == ["", ""]
    assert {s["comparable"] for s in states} == {"False"} and {s["difference"] for s in states} == {
        ""
    }
    states_resource = next(r for r in descriptor["resources"] if r["name"] == "states")
    assert "official" not in states_resource["title"]
    assert export.validate_package(data) == []


def test_the_bundled_datas_package_keeps_its_own_provenance(bundle):
    descriptor, states, _ = package(bundle, None)
    assert descriptor["licenses"][0]["name"] == "MIT"
    assert descriptor["version"] == bundle.version and "source_file" not in descriptor
    assert any(s["official_blockades"] for s in states)


def test_a_user_files_geojson_names_the_file_in_a_foreign_member(bundle):
    doc = json.loads(export.records_geojson(bundle.incidents.head(2), ORIGIN))
    assert doc["source_file"]["name"] == "mis datos.csv" and len(doc["features"]) == 2
    assert "source_file" not in json.loads(export.records_geojson(bundle.incidents.head(2)))


def test_a_user_files_geoparquet_names_the_file_in_its_metadata(bundle):
    import geopandas as gpd
    import pyarrow.parquet as pq

    data = export.records_geoparquet(bundle.incidents.head(2), ORIGIN)
    metadata = pq.read_schema(io.BytesIO(data)).metadata
    assert json.loads(metadata[b"source_file"])["encoding"] == "cp1252"
    assert b"geo" in metadata  # still GeoParquet
    assert len(gpd.read_parquet(io.BytesIO(data))) == 2
    plain = export.records_geoparquet(bundle.incidents.head(2))
    assert b"source_file" not in pq.read_schema(io.BytesIO(plain)).metadata


@pytest.mark.parametrize("fmt", ["package", "states"])
def test_cli_export_of_a_file_names_it_and_leaves_the_official_figures_out(tmp_path, fmt):
    # An Excel-saved shape: a sep= line, CRLF, a BOM.
    path = tmp_path / "excel.csv"
    rows = [incident_row(), incident_row(incident_id="t2")]
    text = "sep=;\n" + to_csv(rows, delimiter=";").decode()
    path.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode())
    out = tmp_path / ("view.zip" if fmt == "package" else "s.csv")
    result = run_cli_in_process("export", str(path), "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    if fmt == "states":
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        jalisco = next(r for r in rows if r["cve_ent"] == "14")
        assert jalisco["incidents"] == "2" and jalisco["official_blockades"] == ""
        return
    with zipfile.ZipFile(out) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["source_file"]["name"] == str(path)
    assert descriptor["source_file"]["format"] == "csv"
    assert descriptor["source_file"]["encoding"].startswith("utf")
    assert "licenses" not in descriptor
