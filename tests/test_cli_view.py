"""The CLI's view arguments and a user's file: `export FILE`, link notices vs flag errors,
and the messages' language (the environment's, not the link's)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from dashboard.model.schema import Problem, Report
from dashboard.text.i18n import translation
from dashboard.text.message import msg
from tests.conftest import ROOT, incident_row, run_cli_in_process, to_csv

DATA = ROOT / "tests" / "data"
# No language in the environment: the CLI must speak English.
NO_LANGUAGE = {"LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""}


def run(*args: str, **environ: str) -> subprocess.CompletedProcess:
    return run_cli_in_process(*args, environ={**NO_LANGUAGE, **environ})


def geojson(rows: list[dict]) -> bytes:
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(row["longitude"]), float(row["latitude"])],
            },
            "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")},
        }
        for row in rows
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


GOOD = incident_row()
BAD_TYPE = incident_row(incident_id="t2", event_type="riot")
OAXACA = incident_row(incident_id="oax-1", latitude="17.0654", longitude="-96.7237", cve_ent="20")


def ids_in(path: Path) -> list[str]:
    return [row["incident_id"] for row in csv.DictReader(io.StringIO(path.read_text("utf-8")))]


@pytest.mark.parametrize(
    ("name", "content", "args", "ids", "report"),
    [
        ("ours.csv", to_csv([GOOD, BAD_TYPE]), [], ["test-1"], "line 3, field 'event_type'"),
        (
            "excel.txt",
            b"\xff\xfe" + to_csv([GOOD, BAD_TYPE], delimiter="\t").decode().encode("utf-16-le"),
            [],
            ["test-1"],
            "read as csv, utf-16-le; 1 valid row",
        ),
        ("ours.tsv", to_csv([GOOD, OAXACA], delimiter="\t"), [], ["oax-1", "test-1"], "0 errors"),
        ("ours.geojson", geojson([GOOD, OAXACA]), [], ["oax-1", "test-1"], "2 valid rows"),
        ("ours.csv", to_csv([GOOD, OAXACA]), ["--state", "OAX"], ["oax-1"], "2 valid rows"),
        (
            "ours.csv",
            to_csv([GOOD, OAXACA]),
            ["--query", "states=JAL&zoom=5.5"],
            ["test-1"],
            "2 valid rows",
        ),
    ],
)
def test_export_takes_a_users_file(tmp_path, name, content, args, ids, report):
    path, out = tmp_path / name, tmp_path / "out.csv"
    path.write_bytes(content)
    result = run("export", str(path), "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    assert sorted(ids_in(out)) == ids
    assert report in result.stderr  # the validation report goes to stderr
    assert f"{len(ids)} record" in result.stdout


def test_export_takes_an_acled_file_to_geojson(tmp_path):
    out = tmp_path / "acled.geojson"
    result = run("export", str(DATA / "acled_export.csv"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "read as" in result.stderr and "3 valid rows" in result.stderr
    assert len(json.loads(out.read_text("utf-8"))["features"]) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),  # no such file
        (b"incident_id,start\n", "header only"),
        (to_csv([BAD_TYPE]), "no valid rows to export"),
    ],
)
def test_export_of_an_unusable_file_writes_nothing(tmp_path, content, message):
    path, out = tmp_path / "mine.csv", tmp_path / "out.csv"
    if content is not None:
        path.write_bytes(content)
    result = run("export", str(path), "--out", str(out))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("command", "query", "notices"),
    [
        (
            "export",
            "lang=es&zoom=999&lat=abc",
            [
                "notice: Ignored an unreadable map centre “abc, ” (use lat and lon in degrees);"
                " the map opens on the view's data instead.",
                "notice: Ignored a map zoom out of range, “999” (use 4 to 13).",
            ],
        ),
        ("export", "layers=satellite", ["notice: Ignored an unknown map layer: “satellite”."]),
        ("export", "from=banana", ["notice: Ignored an unreadable time window (from=banana)."]),
        ("export", "utm_source=x", ["notice: Ignored an unknown link parameter: “utm_source”."]),
        ("export", "lat=20.3&lon=-103&zoom=5.5", []),
        ("quality", "zoom=abc&states=JAL", ["notice: Ignored an unreadable map zoom “abc”"]),
    ],
)
def test_bad_link_parts_are_notices_not_errors(tmp_path, command, query, notices):
    out = ["--out", str(tmp_path / "out.csv")] if command == "export" else []
    result = run(command, "--query", query, *out)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("notice: ")]
    assert len(lines) == len(notices)
    for line, notice in zip(lines, notices, strict=True):
        assert line.startswith(notice)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2026-13-45"], "--start '2026-13-45': not a date and time"),
        (["--end", "tomorrow"], "--end 'tomorrow': not a date and time"),
        (
            ["--start", "2026-02-23T00:00", "--end", "2026-02-22T00:00"],
            "--end 2026-02-22T00:00 is not after --start 2026-02-23T00:00",
        ),
        (["--start", "2027-01-01T00:00"], "--start 2027-01-01T00:00 is not before the end"),
        (["--end", "2025-01-01T00:00"], "--end 2025-01-01T00:00 is not after the start"),
        (["--state", "Atlantis"], "--state 'Atlantis': unknown state"),
    ],
)
def test_unusable_flags_are_errors_that_say_so(tmp_path, args, message):
    out = tmp_path / "out.csv"
    result = run("export", "--out", str(out), *args)
    assert result.returncode == 2
    assert f"error: {message}" in result.stderr
    assert "Ignored" not in result.stderr  # nothing claims it went on without them
    assert not out.exists()


@pytest.mark.parametrize(
    ("environ", "args", "language"),
    [
        ({"LANG": "C"}, [], "en"),
        ({"LANG": "C.UTF-8"}, [], "en"),
        ({"LANG": "en_US.UTF-8"}, [], "en"),
        ({"LANG": "es_MX.UTF-8"}, [], "es"),
        ({"LANG": "C", "LC_MESSAGES": "es_ES.UTF-8"}, [], "es"),
        ({"LANG": "es_MX.UTF-8", "LC_ALL": "C"}, [], "en"),
        ({"LANG": "C"}, ["--lang", "es"], "es"),
        ({"LANG": "es_MX.UTF-8"}, ["--lang", "en"], "en"),
    ],
)
def test_messages_follow_the_environment_not_the_links_language(tmp_path, environ, args, language):
    """A link with lang=es makes a Spanish view; the messages stay in the CLI's language."""
    out = tmp_path / "out.csv"
    result = run("export", "--query", "lang=es&zoom=999", "--out", str(out), *args, **environ)
    assert result.returncode == 0, result.stderr
    t = translation(language)
    notice = t.gettext("Ignored a map zoom out of range, “{value}” (use {low} to {high}).").format(
        value="999", low=4, high=13
    )
    assert msg("notice: {notice}", notice=notice).text(language) in result.stderr
    assert msg("wrote {path} ({what})", path=out, what="").text(language).split(" (")[0] in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("severity", "lang", "label"),
    [
        ("error", "en", "ERROR"),
        ("warning", "en", "WARNING"),
        ("error", "es", "ERROR"),  # the same word in Spanish
        ("warning", "es", "ADVERTENCIA"),
    ],
)
def test_report_labels_come_from_the_catalogue(severity, lang, label):
    from babel.messages.pofile import read_po

    from dashboard.text.i18n import LOCALE_DIR

    with open(LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalogue = read_po(po)
    english = severity.upper()
    assert catalogue[english] is not None and catalogue[english].string  # a label of its own
    report = Report()
    report.add("f.csv", 3, "start", "x", "bad", severity)
    assert report.to_text(lang).startswith(f"{label}: f.csv, ")
    assert Problem("f.csv", 3, "start", "x", "bad", severity).text(lang).startswith(label)


def test_spanish_report_has_no_english_labels(tmp_path):
    path = tmp_path / "malo.csv"
    path.write_bytes(to_csv([GOOD, BAD_TYPE, incident_row(incident_id="t3")]))
    result = run("validate", str(path), LANG="es_MX.UTF-8")
    labels = {line.split(":")[0] for line in result.stdout.splitlines() if ": " in line}
    assert "WARNING" not in labels and "ADVERTENCIA" in labels and "ERROR" in labels


@pytest.mark.parametrize(
    ("query", "initial"),
    [
        ("lat=20.3&lon=-103&zoom=5.5&states=JAL,MIC", {"center": [20.3, -103.0], "zoom": 5.5}),
        ("states=JAL,MIC", {"states": ["14", "16"]}),
    ],
)
def test_snapshot_html_of_a_link_opens_on_its_centre_and_zoom(tmp_path, query, initial):
    from tests.test_snapshot_view import initial_view

    out = tmp_path / "view.html"
    result = run("snapshot", "--query", query, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "notice" not in result.stderr
    assert initial_view(out.read_text("utf-8")) == initial


def test_a_files_default_window_is_its_whole_range(tmp_path):
    """`export FILE --state JAL` with no window exports every Jalisco row of a year-long
    file (the page opens a shown file on its whole range too), not its first two days."""
    lines = (DATA / "acled_export.csv").read_text("utf-8").splitlines()
    rows = [
        lines[1],
        lines[1].replace("MEX90001,22 February 2026,2026", "MEX90004,3 March 2025,2025"),
        lines[1].replace("MEX90001,22 February 2026,2026", "MEX90005,30 December 2025,2025"),
        lines[2],
    ]
    path, out = tmp_path / "year.csv", tmp_path / "jal.csv"
    path.write_text("\n".join([lines[0], *rows]) + "\n", "utf-8")
    result = run("export", str(path), "--state", "JAL", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(ids_in(out)) == ["MEX90001", "MEX90004", "MEX90005"]
    assert "possibly" not in result.stdout
    # A window still narrows it.
    result = run("export", str(path), "--state", "JAL", "--end", "2025-06-01", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert ids_in(out) == ["MEX90004"]


def test_an_export_of_a_users_file_compares_no_official_figure(tmp_path):
    """The per-state table of a user's file has no official figures (the bundled event's)."""
    out = tmp_path / "states.csv"
    window = ["--start", "2026-02-21T00:00", "--end", "2026-02-27T00:00"]  # Jalisco's: 65
    result = run(
        "export", str(DATA / "acled_export.csv"), "--format", "states", *window, "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    jalisco = next(row for row in table if "Jalisco" in json.dumps(row, ensure_ascii=False))
    official = [k for k in jalisco if "official" in k.lower()]
    assert official and not any(jalisco[k] for k in official), jalisco


@pytest.mark.parametrize(
    ("fmt", "first_column", "total"),
    [("municipalities", "cve_ent", 3), ("days", "period_start", 1), ("weeks", "period_start", 1)],
)
def test_export_writes_the_per_municipality_and_period_tables(tmp_path, fmt, first_column, total):
    """A file's whole range per municipality, day and week; the ACLED week and month
    records fit in no single day or week (and are not counted there)."""
    out = tmp_path / f"t.{fmt}.csv"
    result = run("export", str(DATA / "acled_export.csv"), "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert next(iter(rows[0])) == first_column
    assert sum(int(r["incidents"]) for r in rows) == total
