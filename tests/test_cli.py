from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import incident_row, to_csv

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_bundled_data_exits_zero():
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 5 warning(s)" in result.stdout


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event_type": "riot"}, "event_type"),
        ({"start": "2026-02-22T10:00"}, "start"),
        ({"latitude": "nan"}, "latitude"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"fatalities": "-3"}, "fatalities"),
    ],
)
def test_validate_bad_file_exits_one_naming_row_and_field(tmp_path, change, field):
    path = tmp_path / "bad.csv"
    path.write_bytes(to_csv([incident_row(), incident_row(incident_id="t2", **change)]))
    result = run("validate", str(path))
    assert result.returncode == 1
    assert f"line 3, field {field!r}" in result.stdout
    assert str(path) in result.stdout


def test_validate_json_report(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(to_csv([incident_row(summary="")]))
    result = run("validate", "--json", str(path))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1
    problem = report["problems"][0]
    assert (problem["row"], problem["field"], problem["severity"]) == (2, "summary", "error")


def test_validate_good_file_exits_zero(tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(to_csv([incident_row()]))
    assert run("validate", str(path)).returncode == 0


def test_validate_missing_file_is_a_clear_error(tmp_path):
    result = run("validate", str(tmp_path / "nope.csv"))
    assert result.returncode == 1
    assert "cannot read file" in result.stdout
    assert "Traceback" not in result.stderr


def test_snapshot_png_matches_the_permalink_form(tmp_path):
    by_flags, by_query = tmp_path / "a.png", tmp_path / "b.png"
    flags = run(
        "snapshot",
        "--start",
        "2026-02-22T06:00",
        "--end",
        "2026-02-23T00:00",
        "--state",
        "JAL",
        "--state",
        "MIC",
        "--out",
        str(by_flags),
    )
    assert flags.returncode == 0, flags.stderr
    query = run(
        "snapshot",
        "--query",
        "https://example.org/?from=2026-02-22T06:00&to=2026-02-23T00:00&states=JAL,MIC",
        "--out",
        str(by_query),
    )
    assert query.returncode == 0, query.stderr
    assert by_flags.read_bytes() == by_query.read_bytes()
    assert by_flags.read_bytes().startswith(b"\x89PNG")


def test_snapshot_html(tmp_path):
    out = tmp_path / "view.html"
    result = run("snapshot", "--type", "blockade", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--state", "XYZ"], "unknown state"),
        (["--type", "parade"], "unknown event type"),
        (["--start", "soon"], "unreadable time window"),
        (["--start", "2026-02-23T00:00", "--end", "2026-02-22T00:00"], "ends before"),
        (["--query", "from=2030-01-01T00:00&to=2030-01-02T00:00"], "outside the data"),
        (["--format", "gif"], "invalid choice"),
        (["--width", "50"], "--width and --height"),
    ],
)
def test_snapshot_bad_arguments_exit_2(tmp_path, args, message):
    out = tmp_path / "x.png"
    result = run("snapshot", *args, "--out", str(out))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
