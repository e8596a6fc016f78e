"""How a delimited file was read, stated in the report (ingest/reading.py): delimiter and
its source (a `sep=` line, skipped, or the header), line endings, decimal comma; on the
command line's text and --json reports (the page shows the same sentence)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.ingest.reading import Reading, how_read, reading_text
from tests.conftest import ROOT, run_cli_in_process

BOM = "\ufeff".encode()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b\n1,2\n", Reading(",", False, "LF", False)),
        (b"sep=;\r\na;b\r\n1;2\r\n", Reading(";", True, "CRLF", True)),
        (BOM + b"sep=;\r\na;b\r\n", Reading(";", True, "CRLF", True)),  # Excel's UTF-8 BOM
        (b"a;b\r1;2\r", Reading(";", False, "CR", True)),  # Mac Excel
        (b"a\tb\r\n1\t2\n", Reading("\t", False, "mixed", True)),
        (b'a,b\n"20,6",2\n', Reading(",", False, "LF", False)),  # comma file: no decimal comma
    ],
)
def test_how_a_delimited_file_was_read(data, expected):
    assert how_read(data, "csv", "utf-8") == expected


@pytest.mark.parametrize(("file_format", "encoding"), [("geojson", "utf-8"), ("csv", "utf_16")])
def test_no_reading_line_where_lines_are_not_bytes_of_one_kind(file_format, encoding):
    assert how_read(b'{"type": "FeatureCollection"}', file_format, encoding) is None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "Delimiter ';' (from the sep= line, which was skipped: the header is line 2); "
            "line endings CR; decimal comma in numbers.",
        ),
        (
            "es",
            "Separador ';' (de la línea sep=, que se omitió: el encabezado es la línea 2); "
            "fin de línea CR; coma decimal en los números.",
        ),
    ],
)
def test_the_reading_sentence(lang, expected):
    assert reading_text(Reading(";", True, "CR", True), lang) == expected


def test_the_cli_reports_how_an_excel_file_was_read(tmp_path):
    # tester 11a #12: the report said only "Read as an ACLED CSV, encoding cp1252".
    frame = pd.read_csv(ROOT / "tests" / "data" / "acled_export.csv", dtype=str)
    for column in ("latitude", "longitude"):
        frame[column] = frame[column].str.replace(".", ",", regex=False)
    body = frame.to_csv(index=False, sep=";", lineterminator="\r")
    path = tmp_path / "mac.csv"
    path.write_bytes(("sep=;\r" + body).encode("cp1252"))
    done = run_cli_in_process("validate", "--json", str(path))
    document = json.loads(done.stdout)
    assert document["valid_rows"] == len(frame)
    assert document["reading"] == {
        "delimiter": ";",
        "sep_line": True,
        "line_endings": "CR",
        "decimal_comma": True,
    }
    text = run_cli_in_process("validate", str(path)).stdout
    assert "Delimiter ';' (from the sep= line, which was skipped: the header is line 2)" in text
