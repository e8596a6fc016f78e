from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.stats import state_counts
from dashboard.ingest.validate import validate_incidents
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render import export
from dashboard.render.export import COLUMNS, records_csv
from tests.conftest import incident_row, to_csv


def test_export_round_trips_through_the_validator(bundle):
    view = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 23, tzinfo=MEXICO_CITY)
    )
    selected = apply(view, bundle.incidents)
    text = records_csv(selected)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(selected) and tuple(rows[0]) == COLUMNS
    # The export is itself a valid incidents file (self-located rows).
    frame, report = validate_incidents(
        text.encode(), "export.csv", bundle.locations.iloc[0:0], bundle.states
    )
    assert report.errors == []
    assert sorted(frame.incident_id) == sorted(selected.incident_id)


def test_export_defuses_spreadsheet_formulas(bundle):
    frame, _ = validate_incidents(
        to_csv([incident_row(summary='=HYPERLINK("http://x")', notes="+1")]),
        "x.csv",
        bundle.locations,
        bundle.states,
    )
    rows = list(csv.DictReader(io.StringIO(records_csv(frame))))
    assert rows[0]["summary"].startswith("'=") and rows[0]["notes"] == "'+1"


# ------------------------------------------------------------------ every export re-imports

# What the validator reads back from a self-located row: every column but the place
# description and precision of the bundled location, which an own point does not carry.
READ_BACK = [c for c in COLUMNS if c not in ("place", "municipality", "geo_precision")]


@pytest.fixture(scope="module")
def everything(bundle):
    return bundle.incidents


def reimport(data: bytes, name: str, bundle) -> pd.DataFrame:
    frame, report = validate_incidents(data, name, bundle.locations.iloc[0:0], bundle.states)
    assert report.errors == [], report.to_text()
    return frame


def same_fields(original: pd.DataFrame, again: pd.DataFrame) -> None:
    left = export.records_frame(original).set_index("incident_id")
    right = export.records_frame(again).set_index("incident_id").loc[left.index]
    columns = [c for c in READ_BACK if c != "incident_id"]
    pd.testing.assert_frame_equal(left[columns], right[columns], check_dtype=False)


def test_csv_reimports_field_for_field(bundle, everything):
    again = reimport(export.records_csv(everything).encode(), "export.csv", bundle)
    assert len(again) == len(everything) == 326
    same_fields(everything, again)


def test_geojson_is_rfc7946_and_reimports_field_for_field(bundle, everything):
    text = export.records_geojson(everything)
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    first = doc["features"][0]
    assert first["geometry"]["type"] == "Point"
    lon, lat = first["geometry"]["coordinates"]
    assert -118.5 < lon < -86.5 and 14 < lat < 33  # longitude first, WGS84 degrees
    assert list(first["properties"]) == list(COLUMNS)
    assert isinstance(first["properties"]["disputed"], bool)
    again = reimport(text.encode(), "export.geojson", bundle)
    same_fields(everything, again)


def test_geojson_opens_in_geopandas(everything):
    frame = gpd.read_file(io.StringIO(export.records_geojson(everything)))
    assert len(frame) == len(everything) and frame.crs.to_epsg() == 4326


def test_geoparquet_opens_in_geopandas(everything):
    data = export.records_geoparquet(everything)
    frame = gpd.read_parquet(io.BytesIO(data))
    assert frame.crs.to_epsg() == 4326
    assert list(frame.columns) == [*COLUMNS, "geometry"]
    expected = export.records_frame(everything)
    pd.testing.assert_frame_equal(
        pd.DataFrame(frame.drop(columns="geometry")), expected, check_dtype=False
    )
    assert (frame.geometry.x == expected["longitude"]).all()
    assert (frame.geometry.y == expected["latitude"]).all()


def test_defused_cells_read_back_as_written(bundle):
    frame, _ = validate_incidents(
        to_csv([incident_row(summary="-3 vehicles, per a post", notes="=1+1")]),
        "x.csv",
        bundle.locations,
        bundle.states,
    )
    again = reimport(export.records_csv(frame).encode(), "again.csv", bundle)
    assert export.records_csv(frame).count("'=1+1") == 1  # defused in the file
    assert (again.loc[0, "summary"], again.loc[0, "notes"]) == ("-3 vehicles, per a post", "=1+1")
    geo = reimport(export.records_geojson(frame).encode(), "again.geojson", bundle)
    assert (geo.loc[0, "summary"], geo.loc[0, "notes"]) == ("-3 vehicles, per a post", "=1+1")


@pytest.fixture(scope="module")
def view_files(bundle):
    view = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY),
        datetime(2026, 2, 24, tzinfo=MEXICO_CITY),
        states=frozenset({"14", "16"}),
    )
    selected = apply(view, bundle.incidents)
    counts = state_counts(selected, bundle.official, view, bundle.incidents)
    return view, selected, counts


def test_state_table_csv(view_files):
    view, _, counts = view_files
    rows = list(csv.DictReader(io.StringIO(export.state_table_csv(counts, view.states))))
    assert [r["state"] for r in rows] == ["Jalisco", "Michoacán"]
    assert tuple(rows[0]) == export.STATE_COLUMNS
    jal, mic = rows
    assert (jal["official_blockades"], jal["official_by"]) == ("65", "Gabinete de Seguridad")
    assert jal["comparable"] == "True" and jal["difference"] != ""
    assert mic["comparable"] == "False" and mic["difference"] == ""  # a day-only figure


def package_bytes(view_files, bundle, credit: str = "Sources: published news reports.") -> bytes:
    view, selected, counts = view_files
    return export.data_package(
        selected,
        counts,
        states=view.states,
        title="Jalisco and Michoacán, 22–24 Feb",
        version=bundle.version,
        permalink="https://map.example.org/?from=2026-02-22T00:00&states=JAL,MIC",
        credit=credit,
        generated_at=datetime(2026, 3, 1, 12, tzinfo=MEXICO_CITY),
    )


def test_data_package_contents(view_files, bundle):
    data = package_bytes(view_files, bundle)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        descriptor = json.loads(archive.read("datapackage.json"))
        csv_text = archive.read("incidents.csv").decode()
    assert names == sorted(
        [
            "datapackage.json",
            "incidents.csv",
            "incidents.geojson",
            "incidents.parquet",
            "states.csv",
            "municipalities.csv",
            "days.csv",
            "weeks.csv",
        ]
    )
    assert descriptor["licenses"][0]["name"] == "MIT"
    assert descriptor["version"] == bundle.version
    assert descriptor["created"] == "2026-03-01T18:00:00Z"
    assert descriptor["view"]["permalink"].endswith("states=JAL,MIC")
    assert descriptor["sources"][0]["title"] == "Sources: published news reports."
    assert [r["path"] for r in descriptor["resources"]] == [
        "incidents.csv",
        "incidents.geojson",
        "incidents.parquet",
        "states.csv",
        "municipalities.csv",
        "days.csv",
        "weeks.csv",
    ]
    fields = [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]]
    assert fields == list(COLUMNS)
    assert csv_text == export.records_csv(view_files[1])


def test_the_package_carries_the_pages_tables(view_files, bundle):
    """The per-municipality, per-day and per-week tables are in the package, byte for byte
    the page's CSVs (tables_csv.py), with schemas naming every column; a period table's
    description counts the records no period holds."""
    from dashboard.analysis.aggregates import (
        MUNICIPALITY_COLUMNS,
        PERIOD_COLUMNS,
        period_counts,
    )
    from dashboard.render.tables_csv import municipality_csv, period_csv

    selected = view_files[1]
    with zipfile.ZipFile(io.BytesIO(package_bytes(view_files, bundle))) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        texts = {
            n: archive.read(n).decode() for n in ("municipalities.csv", "days.csv", "weeks.csv")
        }
    assert texts == {
        "municipalities.csv": municipality_csv(selected),
        "days.csv": period_csv(selected, "day"),
        "weeks.csv": period_csv(selected, "week"),
    }
    assert len(texts["days.csv"].splitlines()) > 1  # the view has located days
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name, columns in (
        ("municipalities", MUNICIPALITY_COLUMNS),
        ("days", PERIOD_COLUMNS),
        ("weeks", PERIOD_COLUMNS),
    ):
        schema = resources[name]["schema"]
        assert [f["name"] for f in schema["fields"]] == list(columns)
        kinds = {f["name"]: f["type"] for f in schema["fields"]}
        assert kinds["incidents"] == "integer"
    assert resources["days"]["schema"]["fields"][0]["type"] == "date"
    table = period_counts(selected, "day")
    assert f"{table.unplaced_long} record(s) known only" in resources["days"]["description"]


@pytest.mark.parametrize("name", ["municipalities.csv", "days.csv"])
def test_frictionless_catches_a_broken_table(view_files, bundle, name):
    """The tables' schemas can fail: a count that is not an integer is an error."""
    data = package_bytes(view_files, bundle)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.namelist():
            text = source.read(member)
            if member == name:
                lines = text.decode().splitlines()
                header = lines[0].split(",")
                cells = lines[1].split(",")
                cells[header.index("incidents")] = "many"
                lines[1] = ",".join(cells)
                text = ("\n".join(lines) + "\n").encode()
            target.writestr(member, text)
    errors = export.validate_package(out.getvalue())
    assert errors and any("many" in e or "type" in e for e in errors), errors


def test_the_package_description_says_each_thing_once(view_files, bundle):
    """The page's credit line (sources, boundaries, places are estimates) is the package's
    source; the description does not repeat it after its own note."""
    from dashboard.render.snapshot import credit_text

    data = package_bytes(view_files, bundle, credit=credit_text("en"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["description"].count("Natural Earth") == 1
    assert descriptor["sources"] == [{"title": credit_text("en")}]


def test_data_package_passes_frictionless_validate(view_files, bundle, tmp_path):
    data = package_bytes(view_files, bundle)
    assert export.validate_package(data) == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
    tool = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(tool), "validate", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_frictionless_catches_a_broken_package(view_files, bundle):
    """The validation can fail: a non-integer count in states.csv is an error."""
    data = package_bytes(view_files, bundle)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "states.csv":
                content = content.replace(b",65,", b",sixty-five,")
            target.writestr(name, content)
    errors = export.validate_package(out.getvalue())
    assert errors and "type-error" in errors[0]


def test_geojson_keeps_awkward_text_exactly(bundle):
    awkward = 'Back\\slash\\/ and "quotes", a line\u2028separator, ñ and / slashes'
    frame, _ = validate_incidents(
        to_csv([incident_row(summary=awkward, notes="tab\there")]),
        "x.csv",
        bundle.locations,
        bundle.states,
    )
    text = export.records_geojson(frame)
    assert "https://example.org/report" in text  # slashes are not escaped
    properties = json.loads(text)["features"][0]["properties"]
    assert properties["summary"] == awkward and properties["notes"] == "tab\there"
    assert reimport(text.encode(), "x.geojson", bundle).loc[0, "summary"] == awkward


@pytest.mark.parametrize(
    "value",
    [
        "\uff1d1+1",  # full-width =
        "\uff0bcmd",
        "\uff0d3",
        "\uff20SUM(A1)",
        "\ufeff=1+1",  # a byte-order mark before =
        "\ufeff\ufeff-2",
    ],
)
def test_full_width_and_bom_prefixed_formulas_are_defused_and_read_back(bundle, value):
    from dashboard.text.escape import defuse

    assert defuse(value) == "'" + value
    frame, _ = validate_incidents(
        to_csv([incident_row(notes=value)]), "x.csv", bundle.locations, bundle.states
    )
    assert frame.loc[frame.index[0], "notes"] == value
    again = reimport(export.records_csv(frame).encode(), "again.csv", bundle)
    assert again.loc[0, "notes"] == value


def test_a_bom_or_full_width_letter_alone_is_left_as_is():
    from dashboard.text.escape import defuse

    assert defuse("\ufeffabc") == "\ufeffabc"
    assert defuse("\uff21BC") == "\uff21BC"


def test_an_acled_files_package_carries_its_columns_and_validates(bundle):
    """An ACLED file's export keeps ACLED's columns after ours; the package's schema names
    them, so the package still validates (export.validate_package: frictionless)."""
    from dashboard.ingest.validate import validate_incidents
    from dashboard.model.schema import ACLED_COLUMNS
    from tests.test_import import DATA

    frame, _ = validate_incidents(
        (DATA / "acled_export.csv").read_bytes(), "acled.csv", bundle.locations, bundle.states
    )
    view = ViewSpec(
        datetime(2026, 2, 1, tzinfo=MEXICO_CITY), datetime(2026, 3, 2, tzinfo=MEXICO_CITY)
    )
    data = export.data_package(
        frame,
        state_counts(frame, bundle.official.iloc[0:0], view, frame),
        states=None,
        title="ACLED",
        version=bundle.version,
        permalink="",
        credit="ACLED",
        generated_at=datetime(2026, 3, 1, 12, tzinfo=MEXICO_CITY),
    )
    assert export.validate_package(data) == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        header = archive.read("incidents.csv").decode().splitlines()[0].split(",")
    fields = [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]]
    assert fields == header == [*COLUMNS, *ACLED_COLUMNS]
