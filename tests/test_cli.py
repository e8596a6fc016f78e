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
    assert f"row 2, field {field!r}" in result.stdout
    assert str(path) in result.stdout


def test_validate_json_report(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(to_csv([incident_row(summary="")]))
    result = run("validate", "--json", str(path))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1
    problem = report["problems"][0]
    assert (problem["row"], problem["field"], problem["severity"]) == (1, "summary", "error")


def test_validate_good_file_exits_zero(tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(to_csv([incident_row()]))
    assert run("validate", str(path)).returncode == 0


def test_validate_missing_file_is_a_clear_error(tmp_path):
    result = run("validate", str(tmp_path / "nope.csv"))
    assert result.returncode == 1
    assert "cannot read file" in result.stdout
    assert "Traceback" not in result.stderr
