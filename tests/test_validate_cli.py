"""`python -m dashboard validate` on analysts' files: formats, JSON facts, bounded reports."""

from __future__ import annotations

import json

import pytest

from tests.conftest import incident_row, run_cli, to_csv
from tests.test_cli import run
from tests.test_import import DATA, hostile_file


def test_json_gives_format_mapping_valid_rows_and_problems():
    result = run("validate", "--json", str(DATA / "acled_export.csv"))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["format"] == "acled-csv"
    assert report["valid_rows"] == 3
    assert {"ours": "cve_ent", "file": "admin1", "how": "state name to INEGI code"} in report[
        "mapping"
    ]
    # Notes (file-level, first) say which checks do not apply to ACLED data, and why.
    found = [p for p in report["problems"] if p["severity"] != "note"]
    assert report["warnings"] == 1 and found[0]["field"] == "admin1"
    assert any("related_duplicates" in p["reason"] for p in report["problems"])
    assert report["totals"] and report["truncated"] is False


def test_tab_separated_txt(tmp_path):
    path = tmp_path / "excel.txt"
    rows = [incident_row(), incident_row(incident_id="t2", event_type="riot")]
    path.write_bytes(b"\xff\xfe" + to_csv(rows, delimiter="\t").decode().encode("utf-16-le"))
    result = run("validate", "--json", str(path))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert (report["format"], report["encoding"], report["valid_rows"]) == ("csv", "utf-16-le", 1)
    assert [(p["row"], p["field"]) for p in report["problems"]] == [(3, "event_type")]


def test_report_is_bounded_unless_all(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_bytes(hostile_file(120))
    bounded = json.loads(run("validate", "--json", str(path)).stdout)
    assert bounded["errors"] == 1_200 and len(bounded["problems"]) == 1_000
    assert bounded["truncated"] is True
    assert bounded["totals"]["error: disputed: expected true or false"] == 120
    text = run("validate", str(path)).stdout
    assert "Totals per kind:" in text and "the first 1,000 are listed" in text
    everything = json.loads(run("validate", "--json", "--all", str(path)).stdout)
    assert len(everything["problems"]) == 1_200 and everything["truncated"] is False


@pytest.mark.slow  # end to end, on a large file: its own process, as an analyst runs it
def test_a_20_mb_generated_file_validates_without_error(tmp_path):
    base = incident_row()
    rows = [
        {
            **base,
            "incident_id": f"gen-{i}",
            "latitude": f"{20.60 + (i % 997) * 0.0001:.5f}",
            "longitude": f"{-103.40 + (i % 991) * 0.0001:.5f}",
            "summary": f"Generated record {i}: a blockade reported on a main road.",
            "source_url": f"https://example.org/report/{i}",
        }
        for i in range(120_000)
    ]
    path = tmp_path / "big.csv"
    path.write_bytes(to_csv(rows))
    assert path.stat().st_size >= 20_000_000
    result = run_cli("validate", "--json", str(path))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["valid_rows"] == 120_000 and report["errors"] == 0
