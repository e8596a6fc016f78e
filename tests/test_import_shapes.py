"""Spreadsheet shapes and hidden characters: each kind with the smallest file that shows
it; every valid row kept, line numbers the file's own, each problem named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.ingest.read import read_table
from dashboard.ingest.validate import validate_incidents
from dashboard.model.schema import Report, report_rows
from tests.conftest import incident_row, run_cli_in_process, to_csv

DATA = Path(__file__).parent / "data"


def check(bundle, data: bytes, name: str = "mine.csv"):
    return validate_incidents(data, name, bundle.locations, bundle.states)


def two(delimiter: str = ",") -> str:
    """Header and two valid rows, "\\n" line ends."""
    rows = [incident_row(), incident_row(incident_id="t2")]
    return to_csv(rows, delimiter=delimiter).decode()


SHAPES = [
    # (case, bytes, file lines of the two rows)
    ("CR-only line ends (Mac Excel)", two().replace("\n", "\r").encode(), [2, 3]),
    ("CRLF", two().replace("\n", "\r\n").encode(), [2, 3]),
    (
        "mixed CR, LF and CRLF",
        two().replace("\n", "\r", 1).replace("\n", "\r\n", 1).encode(),
        [2, 3],
    ),
    ("sep=; first line", ("sep=;\n" + two(";")).encode(), [3, 4]),
    (
        '"sep=," after a BOM, CRLF',
        ('\ufeff"sep=,"\n' + two()).replace("\n", "\r\n").encode(),
        [3, 4],
    ),
    (
        "sep=; line in cp1252 (Excel)",
        ("sep=;\r\n" + two(";").replace("Example", "Peña")).encode("cp1252"),
        [3, 4],
    ),
    (
        "sep=\\t in UTF-16, CR-only",
        ("sep=\t\r" + two("\t").replace("\n", "\r")).encode("utf-16"),
        [3, 4],
    ),
    ("BOM at the start", ("\ufeff" + two()).encode(), [2, 3]),
    ("BOM at a later line's start", two().replace("\nt", "\n\ufefft", 1).encode(), [2, 3]),
]


@pytest.mark.parametrize(("case", "data", "lines"), SHAPES, ids=[s[0] for s in SHAPES])
def test_spreadsheet_shapes_import_every_row(bundle, case, data, lines):
    report = Report()
    table = read_table(data, "mine.csv", report)
    assert table is not None, report.to_text()
    assert table.rows.tolist() == lines
    frame, report = check(bundle, data)
    # (cp1252 is read with a warning naming the detected encoding, and nothing else)
    assert [p for p in report.problems if "detected" not in p.reason] == [], report.to_text()
    assert frame.incident_id.tolist() == ["test-1", "t2"]


def test_a_file_joined_after_export_with_its_bom_repeats_a_header_named_once(bundle):
    text = two()
    header, first, second = text.rstrip("\n").split("\n")
    data = f"{header}\n{first}\n\ufeff{header}\n{second}\n".encode()
    frame, report = check(bundle, data)
    (error,) = report.problems
    assert error.row == 3 and "header is repeated" in error.reason
    assert frame.incident_id.tolist() == ["test-1", "t2"]


@pytest.mark.parametrize(
    ("case", "before", "trail", "row_trail", "line"),
    [
        ("every row carries them", "", ",,,", ",,,", 1),
        ("rows end at the last named column", "", ",,", "", 1),
        ("after a sep= line", "sep=,\n", ",,", ",,", 2),
    ],
)
def test_trailing_empty_columns_are_dropped_with_a_warning(
    bundle, case, before, trail, row_trail, line
):
    """Tester 10 #15: the warning gave no line and "22 fields" (English) as its value; it
    names the header's line and its end as written."""
    lines = two().rstrip("\n").split("\n")
    data = before + "\n".join([lines[0] + trail] + [x + row_trail for x in lines[1:]]) + "\n"
    frame, report = check(bundle, data.encode())
    (warning,) = report.problems
    assert warning.severity == "warning" and warning.row == line
    assert warning.value == lines[0].rsplit(",", 1)[-1] + trail
    assert f"{len(trail)} columns at the end of the header have no name" in warning.reason
    assert frame.incident_id.tolist() == ["test-1", "t2"]


def test_a_value_under_a_trailing_unnamed_column_is_named_with_its_line(bundle):
    lines = two().rstrip("\n").split("\n")
    data = f"{lines[0]},,\n{lines[1]},,\n{lines[2]},,stray\n".encode()
    frame, report = check(bundle, data)
    stray = [p for p in report.problems if p.row not in (None, 1)]  # 1: the header's own
    assert [(p.row, p.value, p.severity) for p in stray] == [(3, "stray", "warning")]
    assert len(frame) == 2


def test_an_empty_column_name_between_named_ones_is_still_an_error(bundle):
    lines = two().rstrip("\n").split("\n")
    data = "\n".join(
        ",".join(["x", line]) if i else ",".join(["", line]) for i, line in enumerate(lines)
    )
    frame, report = check(bundle, data.encode())
    assert "a column has no name" in report.problems[0].reason and frame.empty


HIDDEN_HEADERS = [
    # (case, header text of `latitude`, named code point)
    ("zero width space after", "latitude\u200b", "U+200B ZERO WIDTH SPACE"),
    ("BOM inside", "lati\ufefftude", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("Cyrillic a", "l\u0430titude", "U+0430 CYRILLIC SMALL LETTER A"),
]


@pytest.mark.parametrize(
    ("case", "header", "named"), HIDDEN_HEADERS, ids=[h[0] for h in HIDDEN_HEADERS]
)
def test_hidden_characters_in_a_header_are_named_and_the_column_read(bundle, case, header, named):
    text = two().replace("latitude", header, 1)
    frame, report = check(bundle, text.encode())
    (warning,) = report.problems
    assert warning.severity == "warning" and warning.field == "latitude"
    assert named in warning.reason and warning.value == header  # as written
    code = named.split()[0]  # "U+200B"
    assert f"<{code}>" in warning.shown_value and f"<{code}>" in warning.text("es")
    assert frame.incident_id.tolist() == ["test-1", "t2"]


LOOKALIKE_IDS = [
    # (case, ids in file order, kept, [(line, severity, named code point)])
    ("zero width space after", ["N1", "N1\u200b"], ["N1"], [(3, "error", "U+200B")]),
    (
        "hidden one first",
        ["N1\u200b", "N1"],
        ["N1\u200b"],
        [(2, "warning", "U+200B"), (3, "error", "U+200B")],
    ),
    (
        "Greek capital nu",
        ["N1", "\u039d1"],
        ["N1"],
        [(3, "error", "U+039D GREEK CAPITAL LETTER NU")],
    ),
    (
        "no-break space inside",
        ["N 1", "N\u00a01"],
        ["N 1"],
        [(3, "error", "U+00A0 NO-BREAK SPACE")],
    ),
    ("alone", ["N1\u2060"], ["N1\u2060"], [(2, "warning", "U+2060 WORD JOINER")]),
    (
        "decomposed ñ",
        ["Peña-1", "Pen\u0303a-1"],
        ["Peña-1"],
        [(3, "error", "U+0303 COMBINING TILDE")],
    ),
]


@pytest.mark.parametrize(
    ("case", "ids", "kept", "named"), LOOKALIKE_IDS, ids=[c[0] for c in LOOKALIKE_IDS]
)
def test_lookalike_ids_are_named_with_their_code_point(bundle, case, ids, kept, named):
    frame, report = check(bundle, to_csv([incident_row(incident_id=i) for i in ids]))
    got = [(p.row, p.severity, p.field) for p in report.problems]
    assert got == [(row, severity, "incident_id") for row, severity, _ in named]
    for problem, (_, _, code_point) in zip(report.problems, named, strict=True):
        assert code_point in problem.reason
        assert problem.value == ids[problem.row - 2]  # as written (--json's "value")
        # ... and shown with the code point in place: two ids that look the same differ
        # on screen, in the CLI's lines and the page's table (report_rows).
        shown = f"<{code_point.split()[0]}>"
        assert shown in problem.text() and shown in problem.text("es")  # value or first id
        if problem.value != problem.value.encode("ascii", "ignore").decode():
            assert shown in problem.shown_value
        assert report_rows([problem], "es")[0]["value"] == problem.shown_value
    assert frame.incident_id.tolist() == kept


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_cli_shows_lookalike_ids_apart_and_json_keeps_the_raw_value(tmp_path, lang):
    """Issue 24 (#14): `N1` + U+200B and `N1` were named as look-alikes but printed the
    same; each is now shown with its code point, and --json keeps the value as written
    beside the visible form."""
    path = tmp_path / "ids.csv"
    path.write_bytes(to_csv([incident_row(incident_id=i) for i in ("N1\u200b", "N1")]))
    text = run_cli_in_process("validate", "--lang", lang, str(path)).stdout
    assert "'N1<U+200B>'" in text and "'N1'" in text  # the value and the first id
    assert "\u200b" not in text  # no invisible character left in what is printed
    document = json.loads(run_cli_in_process("validate", "--json", str(path)).stdout)
    values = [(p["value"], p["value_visible"]) for p in document["problems"]]
    assert values == [("N1\u200b", "N1<U+200B>"), ("N1", "N1")]
    assert "('N1<U+200B>')" in document["problems"][1]["reason"]


def crs_file(crs_name: str | None, lon_first: bool = True) -> bytes:
    """Two features at Guadalajara, with a `crs` member naming `crs_name` (None: none)."""
    features = []
    for record_id in ("test-1", "t2"):
        row = incident_row(incident_id=record_id)
        point = [float(row.pop("longitude")), float(row.pop("latitude"))]
        geometry = {"type": "Point", "coordinates": point if lon_first else point[::-1]}
        features.append({"type": "Feature", "properties": row, "geometry": geometry})
    doc = {"type": "FeatureCollection", "features": features}
    if crs_name is not None:
        doc["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return json.dumps(doc).encode()


WGS84_CRS = [
    # (crs name, longitude first in the file, words in the warning)
    ("urn:ogc:def:crs:OGC:1.3:CRS84", True, "longitude, latitude"),
    ("EPSG:4326", True, "longitude, latitude"),
    ("urn:ogc:def:crs:EPSG::4326", False, "latitude, longitude order"),
    ("http://www.opengis.net/def/crs/EPSG/0/4326", False, "latitude, longitude order"),
]


@pytest.mark.parametrize(("crs_name", "lon_first", "words"), WGS84_CRS)
def test_a_geojson_crs_naming_wgs84_is_read_in_either_axis_order(
    bundle, crs_name, lon_first, words
):
    frame, report = check(bundle, crs_file(crs_name, lon_first), "mine.geojson")
    (warning,) = report.problems
    assert (warning.severity, warning.field, warning.row) == ("warning", "crs", None)
    assert words in warning.reason and crs_name in warning.value
    assert frame.incident_id.tolist() == ["test-1", "t2"]
    assert frame.cve_ent.tolist() == ["14", "14"]


OTHER_CRS = [
    # (crs name, words in the error)
    ("EPSG:32613", "WGS 84 / UTM zone 13N"),
    ("urn:ogc:def:crs:EPSG::3857", "WGS 84 / Pseudo-Mercator"),
    ("my own grid", "names no coordinate reference system"),
]


@pytest.mark.parametrize(("crs_name", "words"), OTHER_CRS)
def test_a_geojson_crs_naming_another_system_is_refused_naming_the_member(bundle, crs_name, words):
    frame, report = check(bundle, crs_file(crs_name), "mine.geojson")
    (error,) = report.problems
    assert (error.severity, error.field, error.row) == ("error", "crs", None)
    assert words in error.reason and crs_name in error.value
    assert frame.empty


def test_a_geojson_without_crs_is_rfc_7946_and_says_nothing(bundle):
    frame, report = check(bundle, crs_file(None), "mine.geojson")
    assert report.problems == [] and len(frame) == 2


SEPARATED_NUMBERS = [
    # (case, change to row 2 in a comma file, field warned, words, how it is read)
    ("decimal comma latitude", {"latitude": "20,6767"}, "latitude", "20,6767 is 20.6767", None),
    ("decimal comma longitude", {"longitude": "-103,3475"}, "longitude", "is -103.3475", None),
    ("thousands in a count", {"fatalities": "1,234"}, "fatalities", "1,234 is 1234", 1234),
    ("millions in a count", {"arrested": "12,345,678"}, "arrested", "is 12345678", None),
]


@pytest.mark.parametrize(
    ("case", "change", "field", "words", "fatalities"),
    SEPARATED_NUMBERS,
    ids=[c[0] for c in SEPARATED_NUMBERS],
)
def test_quoted_numbers_with_the_files_separators_are_read_and_said(
    bundle, case, change, field, words, fatalities
):
    data = to_csv([incident_row(), incident_row(incident_id="t2", **change)])
    assert b'"' in data  # the comma-holding value is quoted, as a spreadsheet writes it
    frame, report = check(bundle, data)
    (warning,) = report.problems
    assert (warning.severity, warning.row, warning.field) == ("warning", 3, field)
    assert words in warning.reason and warning.value == change[field]
    assert frame.incident_id.tolist() == ["test-1", "t2"]
    assert frame.lat.round(4).tolist() == [20.6767, 20.6767]
    if fatalities is not None:
        assert frame.fatalities.tolist()[1] == fatalities


REFUSED_NUMBERS = [
    # (case, change to row 2, field, words in the error)
    ("a count with a decimal comma", {"fatalities": "1,5"}, "fatalities", "without separators"),
    ("a count grouped wrongly", {"fatalities": "12,34"}, "fatalities", "without separators"),
    ("a coordinate with thousands", {"latitude": "2,067,670"}, "latitude", "not a number"),
    ("an Excel date serial", {"start": "46075"}, "start", "2026-02-22 00:00"),
    ("an Excel date-time serial", {"start": "46075.4375"}, "start", "2026-02-22 10:30"),
]


@pytest.mark.parametrize(
    ("case", "change", "field", "words"), REFUSED_NUMBERS, ids=[c[0] for c in REFUSED_NUMBERS]
)
def test_numbers_whose_reading_is_not_clear_are_refused_with_the_fix(
    bundle, case, change, field, words
):
    frame, report = check(
        bundle, to_csv([incident_row(), incident_row(incident_id="t2", **change)])
    )
    (error,) = report.problems
    assert (error.severity, error.row, error.field, error.value) == (
        "error",
        3,
        field,
        change[field],
    )
    assert words in error.reason
    assert frame.incident_id.tolist() == ["test-1"]


def test_an_excel_date_serial_in_acleds_event_date_is_named_with_the_fix(bundle):
    text = (DATA / "acled_export.csv").read_text(encoding="utf-8")
    frame, report = check(bundle, text.replace("22 February 2026", "46075", 1).encode())
    (error,) = [p for p in report.problems if p.severity == "error"]
    assert (error.row, error.field, error.value) == (2, "event_date", "46075")
    assert "2026-02-22 00:00" in error.reason and "such as 2026-02-22)" in error.reason
    assert len(frame) == 2


def test_a_semicolon_file_keeps_its_decimal_comma_silently(bundle):
    row = incident_row(incident_id="t2", latitude="20,6767", longitude="-103,3475")
    frame, report = check(bundle, to_csv([incident_row(), row], delimiter=";"))
    assert report.problems == [] and frame.lat.round(4).tolist() == [20.6767, 20.6767]


def test_the_column_wide_class_finds_what_the_per_character_test_finds():
    import pyarrow as pa
    import pyarrow.compute as pc

    from dashboard.text.lookalike import HIDDEN_CLASS, hidden

    texts = ["N1", "N1\u200b", "Peña-1", "N 1", "N\u00a01", "\u039d1", "a\tb", "x\ue000"]
    texts += ["e\u0301", "\u2028", "x\x01", "\u0430", "Ω", "\ufeffid", "Pe\u00f1a"]
    found = pc.match_substring_regex(pa.array(texts), HIDDEN_CLASS).to_pylist()
    assert found == [bool(hidden(t)) for t in texts]
    assert found.count(True) == 9  # not Peña (composed), a space, a tab, nor Ω (no Latin twin)
