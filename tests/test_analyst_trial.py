"""The analyst's trial of issue 24, small enough to run every time: an ACLED Mexico year
(benchmarks/bench_country.py's generator, 300 rows) as the export tool writes it and as
Excel saves it (cp1252, `sep=;` line, `;`, decimal commas, CRLF, trailing `;;;`), through
the CLI: validate, export --format csv and validate that again (every row back, ACLED's
columns kept), and the per-state and per-municipality tables that add up to the file."""

from __future__ import annotations

import importlib.util
import io
import json

import pandas as pd
import pytest

from tests.conftest import ROOT, run_cli_in_process

ROWS = 300


def country_file(bundle) -> pd.DataFrame:
    spec = importlib.util.spec_from_file_location(
        "bench_country", ROOT / "benchmarks" / "bench_country.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.acled_country_file(bundle, ROWS)


def excel_bytes(frame: pd.DataFrame) -> bytes:
    """As Excel (Spanish locale, Windows) saves a CSV: cp1252, `sep=;` first line, `;`,
    decimal commas, CRLF, and empty trailing columns."""
    frame = frame.astype(str)
    for column in ("latitude", "longitude"):
        frame[column] = frame[column].str.replace(".", ",", regex=False)
    body = frame.to_csv(index=False, sep=";", lineterminator=";;;\r\n")
    return ("sep=;\r\n" + body).encode("cp1252")


@pytest.fixture(scope="module")
def files(bundle, tmp_path_factory):
    folder = tmp_path_factory.mktemp("trial")
    frame = country_file(bundle)
    frame.to_csv(folder / "acled.csv", index=False)
    (folder / "excel.csv").write_bytes(excel_bytes(frame))
    return folder


def validated(path) -> dict:
    done = run_cli_in_process("validate", "--json", str(path))
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", ["acled.csv", "excel.csv"])
def test_every_row_comes_back_through_export_and_validate(files, tmp_path, name):
    first = validated(files / name)
    assert first["valid_rows"] == ROWS and first["errors"] == 0
    out = tmp_path / "out.csv"
    done = run_cli_in_process("export", str(files / name), "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    again = validated(out)
    assert again["valid_rows"] == ROWS and again["errors"] == 0
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    original = pd.read_csv(files / "acled.csv", dtype=str, keep_default_na=False)
    for column in ("actor1", "actor2", "sub_event_type", "interaction", "tags", "admin2"):
        assert exported[column].tolist() == original[column].tolist(), column


def test_the_excel_file_reads_as_the_export_tools(files, tmp_path):
    outs = []
    for name in ("acled.csv", "excel.csv"):
        out = tmp_path / f"{name}.out.csv"
        run_cli_in_process("export", str(files / name), "--format", "csv", "--out", str(out))
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.parametrize("table", ["states", "municipalities"])
def test_per_state_and_per_municipality_tables_add_up_to_the_file(files, tmp_path, table):
    out = tmp_path / f"{table}.csv"
    done = run_cli_in_process(
        "export", str(files / "excel.csv"), "--format", table, "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    counts = pd.read_csv(io.BytesIO(out.read_bytes()), dtype={"cve_ent": str})
    original = pd.read_csv(files / "acled.csv")
    assert counts["incidents"].sum() + counts["incidents_possible"].sum() == ROWS
    # The file's own window holds every record whole: none is only "possible".
    assert counts["incidents_possible"].sum() == 0
    assert counts["fatalities"].sum() == original["fatalities"].sum()
    if table == "states":  # a user's file is never compared with the official figures
        assert counts["official_blockades"].isna().all()
        assert not counts["comparable"].any()


@pytest.mark.parametrize(("lang", "name"), [("en", "“Battles”"), ("es", "«Batallas»")])
def test_a_duplicate_names_acleds_type_in_the_reports_language(tmp_path, lang, name):
    row = pd.read_csv(ROOT / "tests" / "data" / "acled_export.csv", dtype=str).iloc[[0]]
    twin = row.assign(event_id_cnty="MEX90009")
    pd.concat([row, twin]).to_csv(tmp_path / "two.csv", index=False)
    text = run_cli_in_process("validate", "--lang", lang, str(tmp_path / "two.csv")).stdout
    assert f" {name} " in text and "battles records" not in text


def test_the_excel_file_on_the_page_every_row_its_whole_year_and_its_tables(files):
    """The same Excel-saved year uploaded on the page: every row valid, shown on its own
    range (first to last day), and the per-municipality table adds up to the file."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import open_sections

    at = open_sections(AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120))
    at.run()
    data = (files / "excel.csv").read_bytes()
    at.file_uploader(key="upload").set_value(("excel.csv", data, "text/csv")).run()
    assert not at.exception
    assert any(f"{ROWS} valid rows" in e.label for e in at.expander), [e.label for e in at.expander]
    at.checkbox(key="use_upload").check().run()
    assert not at.exception
    dates = pd.to_datetime(pd.read_csv(files / "acled.csv")["event_date"], format="%d %B %Y")
    start, end = at.select_slider(key="window").value
    assert start.date() <= dates.min().date() and end.date() > dates.max().date()
    (municipalities,) = [
        d.value
        for d in at.dataframe
        if {"municipality", "incidents_possible"} <= set(d.value.columns)
    ]
    assert municipalities["incidents"].sum() == ROWS
