"""Checking a file split into partitions (analysis/check_files.py): the piece of the
"data bigger than one machine" route that runs here. Three small partitions of one ACLED
file, one CSV and two GeoParquet (geometry only, no latitude/longitude columns): each is
checked by the page's checker, the merged totals equal the whole file's, and a duplicate
whose twins sit in two partitions is the stated known limit."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest

from dashboard.analysis.check_files import (
    ACROSS_FILES,
    check_partition,
    merge_partitions,
    parquet_as_csv,
)
from tests.conftest import ROOT, run_cli_in_process

ACLED = ROOT / "tests" / "data" / "acled_export.csv"


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    """The three-row ACLED export plus one bad row (latitude 'x'), in three partitions."""
    whole = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    bad = whole.iloc[[0]].assign(event_id_cnty="MEX90004", latitude="x")
    whole = pd.concat([whole, bad], ignore_index=True)
    folder = tmp_path_factory.mktemp("parts")
    whole.to_csv(folder / "whole.csv", index=False)
    whole.iloc[[0, 3]].to_csv(folder / "part-0.csv", index=False)
    for i in (1, 2):
        row = whole.iloc[[i]]
        points = gpd.points_from_xy(row.longitude.astype(float), row.latitude.astype(float))
        frame = gpd.GeoDataFrame(row.drop(columns=["latitude", "longitude"]), geometry=points)
        frame.set_crs(4326).to_parquet(folder / f"part-{i}.parquet")
    return folder


def test_geoparquet_partition_reads_as_csv_with_its_points(parts):
    text = parquet_as_csv((parts / "part-1.parquet").read_bytes()).decode()
    header, row = text.splitlines()[:2]
    assert '"longitude","latitude"' in header and "geometry" not in header
    assert "-102.0628" in row and "19.4208" in row


def test_partitions_merge_to_the_whole_files_totals(parts):
    whole = check_partition(parts / "whole.csv")
    results = [
        check_partition(parts / name) for name in ("part-0.csv", "part-1.parquet", "part-2.parquet")
    ]
    assert [r["valid_rows"] for r in results] == [1, 1, 1]
    merged = merge_partitions(results)
    assert merged["partitions"] == 3
    assert merged["valid_rows"] == whole["valid_rows"] == 3
    assert merged["errors"] == whole["errors"] >= 1
    assert merged["totals"] == dict(sorted(whole["totals"].items()))
    assert merged["not_checked"] == [ACROSS_FILES]
    assert json.loads(json.dumps(merged)) == merged  # plain data, for any engine
    assert merge_partitions(results[::-1]) == merged  # order-independent


def test_a_duplicate_across_partitions_is_not_caught_and_the_cli_says_so(parts, tmp_path):
    # The same record in two partitions: within one file it is a repeated id (an error),
    # across two it is not seen, and the report says that is not checked.
    row = pd.read_csv(ACLED, dtype=str, keep_default_na=False).iloc[[0]]
    pd.concat([row, row]).to_csv(tmp_path / "both.csv", index=False)
    row.to_csv(tmp_path / "a.csv", index=False)
    row.to_csv(tmp_path / "b.csv", index=False)
    assert check_partition(tmp_path / "both.csv")["errors"] >= 1
    merged = merge_partitions([check_partition(tmp_path / n) for n in ("a.csv", "b.csv")])
    assert merged["errors"] == 0 and merged["not_checked"] == [ACROSS_FILES]

    paths = [str(parts / n) for n in ("part-0.csv", "part-1.parquet", "part-2.parquet")]
    done = run_cli_in_process("validate", "--json", *paths)
    document = json.loads(done.stdout)
    assert [f["valid_rows"] for f in document["files"]] == [1, 1, 1]
    assert [f["format"] for f in document["files"]] == [
        "acled-csv",
        "parquet (acled-csv)",
        "parquet (acled-csv)",
    ]
    assert document["not_checked"] == [ACROSS_FILES]
    text = run_cli_in_process("validate", "--lang", "es", *paths).stdout
    assert "no entre archivos" in text


def test_a_file_that_is_not_parquet_is_named(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"event_id_cnty\nMEX1\n")
    done = run_cli_in_process("validate", str(path))
    assert done.returncode == 1
    assert "broken.parquet" in done.stdout and "Parquet" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.slow
def test_a_report_piped_into_head_ends_quietly(tmp_path):
    # `validate --all big.csv | head`: the reader closes the pipe after a few lines; the
    # command must not print a BrokenPipeError traceback.
    import subprocess
    import sys

    from tests.conftest import incident_row, to_csv

    rows = [incident_row(incident_id=f"b{i}", latitude="x") for i in range(3000)]
    (tmp_path / "big.csv").write_bytes(to_csv(rows))
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "validate", "--all", str(tmp_path / "big.csv")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout.readline()
    process.stdout.close()  # as `head -1` does
    errors = process.stderr.read().decode()
    assert process.wait(timeout=180) == 141
    assert "Traceback" not in errors and "BrokenPipe" not in errors


def test_a_parquet_partitions_problems_name_its_rows_not_csv_lines(tmp_path):
    """A Parquet partition has no lines: its third row is "record 3" (not "line 4", the
    line of the CSV it is read as), and a repeated id names the first record."""
    whole = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    first = whole.event_id_cnty[0]
    bad = whole.iloc[[0]].assign(event_id_cnty="MEX90077", latitude="x")  # record 3
    repeat = whole.iloc[[2]].assign(event_id_cnty=first)  # record 4 repeats record 1's id
    rows = pd.concat([whole.iloc[[0, 1]], bad, repeat], ignore_index=True)
    rows.to_parquet(tmp_path / "part.parquet", index=False)
    result = check_partition(tmp_path / "part.parquet")
    located = {(p["row"], p["unit"], p["field"]) for p in result["problems"] if p["row"]}
    assert (3, "record", "latitude") in located, result["problems"]
    assert (4, "record", "event_id_cnty") in located, result["problems"]
    repeated = [p for p in result["problems"] if p["field"] == "event_id_cnty"]
    assert "first in record 1" in repeated[0]["reason"]
    text = run_cli_in_process("validate", str(tmp_path / "part.parquet")).stdout
    assert "part.parquet, record 3, field 'latitude'" in text and ", line " not in text
