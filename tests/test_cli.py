from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import incident_row, run_cli, run_cli_in_process, to_csv


def run(*args: str) -> subprocess.CompletedProcess:
    return run_cli_in_process(*args)


@pytest.mark.slow  # end to end: `python -m dashboard` in a new process
def test_validate_bundled_data_exits_zero():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 5 warnings" in result.stdout


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


@pytest.mark.slow  # end to end: the exit status and stderr a shell sees
def test_validate_missing_file_is_a_clear_error(tmp_path):
    result = run_cli("validate", str(tmp_path / "nope.csv"))
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
        (["--start", "soon"], "--start 'soon': not a date and time"),
        (["--start", "2026-02-23T00:00", "--end", "2026-02-22T00:00"], "is not after --start"),
        (["--start", "2030-01-01T00:00"], "is not before the end of the data"),
        (["--format", "gif"], "invalid choice"),
        (["--width", "50"], "--width and --height"),
    ],
)
def test_snapshot_bad_arguments_exit_2(tmp_path, args, message):
    out = tmp_path / "x.png"
    result = run("snapshot", *args, "--out", str(out))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "Ignored" not in result.stderr
    assert not out.exists()


def test_snapshot_of_a_link_outside_the_data_shows_the_default_with_a_notice(tmp_path):
    """A --query link is read as the page reads it: what cannot be used is a notice."""
    out, default = tmp_path / "x.png", tmp_path / "default.png"
    result = run(
        "snapshot", "--query", "from=2030-01-01T00:00&to=2030-01-02T00:00", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "notice: Ignored a time window outside the data" in result.stderr
    assert run("snapshot", "--out", str(default)).returncode == 0
    assert out.read_bytes() == default.read_bytes()


def test_validate_user_file_reports_data_checks_as_warnings(tmp_path):
    path = tmp_path / "mine.csv"
    mirror = "https://archive.ph/AbC12"
    path.write_bytes(to_csv([incident_row(), incident_row(incident_id="t2", source_url=mirror)]))
    result = run("validate", str(path))
    assert result.returncode == 0, result.stdout
    assert (
        f"WARNING: {path}, line 3, field 'source_url' (value {mirror!r}): non_article_links [t2]"
        in result.stdout
    )
    # the two rows are one blockade at one place and hour: a candidate duplicate
    assert "line 2, field 'event_type' (value 'blockade'): duplicates [test-1, t2]" in result.stdout


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("geojson", "view.geojson"),
        ("csv", "view.csv"),
        ("package", "view.zip"),
        ("states", "s.csv"),
    ],
)
def test_export_writes_the_view(tmp_path, fmt, name):
    out = tmp_path / name
    result = run("export", "--state", "JAL", "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0 and "wrote" in result.stdout
    if fmt == "geojson":
        features = json.loads(out.read_text())["features"]
        assert features and {f["properties"]["cve_ent"] for f in features} == {"14"}


def test_export_format_from_suffix_and_bad_arguments(tmp_path):
    out = tmp_path / "view.parquet"
    assert run("export", "--out", str(out)).returncode == 0
    assert out.read_bytes()[:4] == b"PAR1"
    bad = run("export", "--out", str(tmp_path / "view.txt"))
    assert bad.returncode == 2 and "--format must be one of" in bad.stderr
    bad = run("export", "--state", "XYZ", "--out", str(out))
    assert bad.returncode == 2 and "--state 'XYZ'" in bad.stderr


def test_quality_names_each_check_and_record(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_bytes(
        to_csv(
            [
                incident_row(),
                incident_row(incident_id="t2", source_url="https://archive.ph/AbC12"),
            ]
        )
    )
    text = run("quality", str(path))
    assert text.returncode == 0, text.stderr
    assert "duplicates: test-1, t2: same type, 0 m apart" in text.stdout
    assert "non_article_links: t2: archive.ph is an archive or mirror" in text.stdout
    doc = json.loads(run("quality", "--json", str(path)).stdout)
    assert doc["checks"]["duplicates"]["rows"][0]["other_id"] == "t2"
    assert doc["checks"]["outside_state"]["count"] == 0


def test_quality_of_the_bundled_data_within_a_view():
    result = run("quality", "--state", "BCN", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["checks"]["outside_state"]["rows"]
    assert {r["incident_id"] for r in rows} == {
        "bc-tecate-km37",
        "bc-tecate-rancho-sanjose",
        "bc-tecate-testerazo",
    }


def test_snapshot_in_spanish_carries_spanish_alt_text(tmp_path):
    from PIL import Image

    english, spanish = tmp_path / "en.png", tmp_path / "es.png"
    view = ["--start", "2026-02-22T06:00", "--end", "2026-02-23T00:00", "--state", "JAL"]
    assert run("snapshot", *view, "--out", str(english)).returncode == 0
    result = run("snapshot", *view, "--lang", "es", "--out", str(spanish))
    assert result.returncode == 0, result.stderr
    info = Image.open(spanish).info
    assert info["Title"] == "Tras el operativo en Tapalpa: incidentes reportados en Jalisco"
    assert info["Description"].startswith("Entre el dom 22 feb, 06:00 y el lun 23 feb, 00:00")
    assert "se reportaron" in info["Description"]
    assert Image.open(english).info["Description"].startswith("Between Sun 22 Feb, 06:00")
    by_link = tmp_path / "link.png"
    query = "from=2026-02-22T06:00&to=2026-02-23T00:00&states=JAL&lang=es"
    assert run("snapshot", "--query", query, "--out", str(by_link)).returncode == 0
    assert by_link.read_bytes() == spanish.read_bytes()


def test_snapshot_html_in_spanish(tmp_path):
    out = tmp_path / "vista.html"
    result = run("snapshot", "--state", "JAL", "--lang", "es", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in html and "Tras el operativo en Tapalpa" in html


@pytest.mark.slow  # end to end: argparse's exit status through `python -m dashboard`
def test_snapshot_bad_language_exits_2(tmp_path):
    result = run_cli("snapshot", "--lang", "fr", "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "--lang" in result.stderr and "Traceback" not in result.stderr


def test_validate_fails_exactly_when_the_bundled_data_has_findings(bundle):
    from dashboard.analysis.quality import bundle_quality_report

    findings = bundle_quality_report(bundle)
    result = run("validate")
    assert result.returncode == (0 if findings.ok and bundle.report.ok else 1)
    for problem in findings.problems:
        assert str(problem) in result.stdout
