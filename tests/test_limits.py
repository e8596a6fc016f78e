"""Hostile shapes refused before a parse (dashboard/ingest/limits.py): the smallest file
over each limit, the largest one under it, and the refusal reaching the upload report."""

from __future__ import annotations

import json

import pytest

from dashboard.ingest import limits
from dashboard.ingest.read import read_table
from dashboard.model.schema import Report


def csv_columns(n: int, delimiter: str = ",") -> bytes:
    return (delimiter.join(f"c{i}" for i in range(n)) + "\n" + "1" + "\n").encode()


def polygon(vertices: int) -> bytes:
    ring = [[i * 1e-3, 20.5] for i in range(vertices)]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def points(n: int) -> bytes:
    feature = '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}'
    return ('{"type":"FeatureCollection","features":[' + ",".join([feature] * n) + "]}").encode()


MAX = limits


@pytest.mark.parametrize(
    ("data", "row", "value", "reason"),
    [
        (csv_columns(MAX.MAX_COLUMNS + 1), 1, "501", "more than {limit} columns"),
        (csv_columns(MAX.MAX_COLUMNS + 1, ";"), 1, "501", "more than {limit} columns"),
        (b"\n\n" + csv_columns(MAX.MAX_COLUMNS + 1, "\t"), 3, "501", "more than {limit} columns"),
        (
            "\ufeff".encode() + csv_columns(MAX.MAX_COLUMNS + 1).decode().encode("utf-16-le"),
            1,
            "501",
            "more than {limit} columns",
        ),
        (
            b"a\n" + b"x" * (MAX.MAX_LINE_BYTES + 1) + b"\n",
            2,
            "200,001 bytes",
            "a line longer than {limit} bytes",
        ),
        (
            b'a,b\n1,"' + b"xy\n" * (MAX.MAX_CELL_BYTES // 3 + 1) + b'"\n',
            2,
            "100,002 bytes",
            "a cell longer than {limit} bytes",
        ),
        (b"a\n" + b"1\n" * MAX.MAX_ROWS, None, "1,000,001", "more than {limit} lines"),
        (points(MAX.MAX_FEATURES + 1), None, "500,001", "more than {limit} features or records"),
        (
            polygon(MAX.MAX_VERTICES + 2),
            1,
            "10,004 coordinate arrays",
            "more than {limit} positions in one geometry",
        ),
    ],
    ids=[
        "columns",
        "columns-semicolon",
        "columns-after-blank-lines",
        "columns-utf16",
        "line",
        "cell",
        "lines",
        "features",
        "vertices",
    ],
)
def test_each_hostile_shape_is_refused(data, row, value, reason):
    refused = limits.check_shape(data)
    assert refused is not None
    assert (refused.row, refused.value, refused.reason.singular) == (row, value, reason)


@pytest.mark.parametrize(
    "data",
    [
        csv_columns(MAX.MAX_COLUMNS),
        b"a\n" + b"x" * MAX.MAX_LINE_BYTES + b"\n",
        b'a,b\n1,"' + b"x" * MAX.MAX_CELL_BYTES + b'"\n',
        b"a\n" + b"1\n" * (MAX.MAX_ROWS - 1),
        points(1000),
        polygon(MAX.MAX_VERTICES),
        b'"a,b,c",d\n1,2\n',  # a quoted header cell with commas is one column
        b"a,b\r" + b"1,2\r" * 100_000,  # Mac Excel's CSV: lines end with a lone CR
        b"a,b\r\n" + b"1,2\r\n" * 100_000,
        b"",
    ],
    ids=[
        "columns",
        "line",
        "cell",
        "lines",
        "points",
        "vertices",
        "quoted-header",
        "mac-cr",
        "crlf",
        "empty",
    ],
)
def test_shapes_at_the_limits_pass(data):
    assert limits.check_shape(data) is None


def test_the_bundled_files_pass():
    from tests.conftest import ROOT

    for path in (ROOT / "geodata").glob("*.*sv"):
        assert limits.check_shape(path.read_bytes()) is None, path
    for path in (ROOT / "tests" / "data").glob("*"):
        if path.is_file() and path.stat().st_size < 50_000_000:
            refused = limits.check_shape(path.read_bytes())
            assert refused is None or "hostile" in path.name, (path, refused)


def test_read_table_reports_the_refusal_with_the_file_line_and_value():
    report = Report()
    assert read_table(csv_columns(100_000), "wide.csv", report) is None
    (problem,) = report.problems
    assert (problem.file, problem.row, problem.value) == ("wide.csv", 1, "100,000")
    assert problem.reason == "more than 500 columns"


def test_a_geometry_refusal_names_the_feature():
    report = Report()
    assert read_table(polygon(MAX.MAX_VERTICES + 2), "shape.geojson", report) is None
    (problem,) = report.problems
    assert (problem.unit, problem.row, problem.field) == ("feature", 1, "geometry")


def test_the_header_after_a_sep_line_is_counted():
    for delimiter in ",|":
        data = f"sep={delimiter}\n".encode() + csv_columns(MAX.MAX_COLUMNS + 1, delimiter)
        refused = limits.check_shape(data)
        assert (refused.row, refused.value) == (2, "501"), delimiter
    assert limits.check_shape(b"sep=,\n" + csv_columns(MAX.MAX_COLUMNS)) is None


# JSON counted whatever its keys say; small limits and chunks (so that strings, escapes
# and depth cross chunk boundaries), the smallest file over each.
ESCAPED_KEY = (
    b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
    b'"geometry":{"type":"Polygon","co\\u006frdinates":[[[1,2],[3,4],[5,6],[1,2]]]}}]}'
)
NESTED = b'[{"incident_id":"a","x":[[0],[0],[0],[0],[0],[0]]}]'
FLAT = b'[{"incident_id":"a"},{"incident_id":"b","x":[0,0,0,0,0,0,0,0,0,0,0,0]}]'
STRINGS = b'[{"incident_id":"a","s":"[[[[,,,,,,]]]] \\" [[[,,,,,,", "t":"\\\\"}]'


@pytest.mark.parametrize("chunk", [1 << 22, 7, 1])
@pytest.mark.parametrize(
    ("data", "feature", "value"),
    [(ESCAPED_KEY, 1, 18), (NESTED, 1, 14), (FLAT, 2, 14)],
    ids=["escaped-key", "nested-array", "flat-array-second-record"],
)
def test_json_values_per_record_whatever_the_keys(monkeypatch, chunk, data, feature, value):
    monkeypatch.setattr(limits, "MAX_JSON_VALUES", 10)
    monkeypatch.setattr(limits, "_CHUNK", chunk)
    refused = limits.check_shape(data)
    assert refused is not None
    assert (refused.row, refused.unit) == (feature, "feature")
    assert (
        refused.reason.singular == "more than {limit} arrays and members in one feature or record"
    )
    if chunk > len(data):  # one chunk: the whole count (else the count where it stopped)
        assert refused.value == f"{value} arrays and members"


@pytest.mark.parametrize("chunk", [1 << 22, 5, 1])
def test_brackets_and_commas_inside_strings_are_not_counted(monkeypatch, chunk):
    monkeypatch.setattr(limits, "MAX_JSON_VALUES", 8)  # STRINGS: 3 outside its strings
    monkeypatch.setattr(limits, "_CHUNK", chunk)
    assert limits.check_shape(STRINGS) is None
    assert limits.check_shape(points(3)) is None


def test_read_table_names_the_file_and_record_of_a_nested_array(monkeypatch):
    monkeypatch.setattr(limits, "MAX_JSON_VALUES", 10)
    report = Report()
    assert read_table(NESTED, "records.json", report) is None
    (problem,) = report.problems
    assert (problem.file, problem.row, problem.unit) == ("records.json", 1, "feature")
    assert problem.value == "14 arrays and members"
