"""Bad input, one case per test: a clear message naming file, row, field and value,
and every valid row kept."""

from __future__ import annotations

import json

import pytest

from dashboard.ingest.columns import MAX_COUNT
from dashboard.ingest.geodata_files import validate_locations
from dashboard.ingest.read import MAX_FILE_BYTES
from dashboard.ingest.validate import validate_incidents
from tests.conftest import incident_row, to_csv

NAME = "upload.csv"


def check(bundle, data: bytes, name: str = NAME):
    return validate_incidents(data, name, bundle.locations, bundle.states)


def two_rows(**bad) -> bytes:
    """Row 1 valid (line 2), row 2 (line 3) carrying the bad change."""
    return to_csv([incident_row(), incident_row(incident_id="test-2", **bad)])


def only(report, severity="error"):
    problems = [p for p in report.problems if p.severity == severity]
    assert len(problems) == 1, [str(p) for p in report.problems]
    return problems[0]


ROW_ERRORS = [
    # (case, change to row 2, field named, words in the reason)
    ("unknown event type", {"event_type": "riot"}, "event_type", "unknown value"),
    ("unknown location", {"location_id": "nowhere-1"}, "location_id", "unknown location_id"),
    ("unparsable time", {"start": "yesterday"}, "start", "not an ISO 8601"),
    ("impossible date", {"start": "2026-02-30T10:00-06:00"}, "start", "impossible date"),
    ("impossible hour", {"start": "2026-02-22T25:00-06:00"}, "start", "impossible"),
    ("no offset", {"start": "2026-02-22T10:00"}, "start", "no UTC offset"),
    ("ambiguous day/month", {"start": "02/03/2026 10:00"}, "start", "ambiguous day/month"),
    ("slashed unambiguous", {"start": "22/02/2026"}, "start", "not ISO 8601"),
    (
        "end before start",
        {"end": "2026-02-22T09:00-06:00"},
        "end",
        "end is before start",
    ),
    ("latitude not a number", {"latitude": "north"}, "latitude", "not a number"),
    ("latitude NaN", {"latitude": "nan"}, "latitude", "NaN or infinity"),
    ("longitude infinite", {"longitude": "-inf"}, "longitude", "NaN or infinity"),
    ("latitude out of range", {"latitude": "95"}, "latitude", "out of range"),
    ("longitude out of range", {"longitude": "-203.3"}, "longitude", "out of range"),
    ("swapped", {"latitude": "-103.3475", "longitude": "20.6767"}, "latitude", "swapped"),
    (
        "far outside Mexico",
        {"latitude": "40.7", "longitude": "-74.0"},
        "latitude",
        "outside Mexico",
    ),
    ("in Texas", {"latitude": "31.0", "longitude": "-100.0"}, "latitude", "outside Mexico"),
    ("in the Pacific", {"latitude": "17.0", "longitude": "-110.0"}, "latitude", "outside Mexico"),
    ("negative count", {"fatalities": "-2"}, "fatalities", "negative count"),
    ("fractional count", {"arrested": "1.5"}, "arrested", "whole number"),
    # More than Int64 holds: an error, never a silent overflow (to -9223372036854775808).
    ("count too large", {"fatalities": "99999999999999999999"}, "fatalities", "too large"),
    ("javascript URL", {"source_url": "javascript:alert(1)"}, "source_url", "http(s)"),
    ("data URL", {"source_url": "data:text/html,<b>x</b>"}, "source_url", "http(s)"),
    (
        "bad extra URL",
        {"more_source_urls": "https://ok.org/a javascript:x"},
        "more_source_urls",
        "http(s)",
    ),
    ("empty summary", {"summary": "   "}, "summary", "required text is empty"),
    ("empty source", {"source_url": ""}, "source_url", "required text is empty"),
    ("unknown precision", {"time_precision": "fortnight"}, "time_precision", "unknown value"),
    ("bad flag", {"disputed": "maybe"}, "disputed", "true or false"),
]


@pytest.mark.parametrize(
    ("case", "change", "field", "reason"), ROW_ERRORS, ids=[c[0] for c in ROW_ERRORS]
)
def test_bad_row_is_reported_and_good_row_kept(bundle, case, change, field, reason):
    frame, report = check(bundle, two_rows(**change))
    problem = only(report)
    assert (problem.file, problem.row, problem.field) == (NAME, 3, field)
    assert reason in problem.reason
    assert f"line 3, field {field!r}" in str(problem)
    assert frame.incident_id.tolist() == ["test-1"]


def test_offending_value_is_in_the_message(bundle):
    _, report = check(bundle, two_rows(source_url="javascript:alert(1)"))
    assert only(report).value == "javascript:alert(1)"
    assert "'javascript:alert(1)'" in str(only(report))


def test_duplicate_id_names_both_rows(bundle):
    data = to_csv([incident_row(), incident_row()])
    frame, report = check(bundle, data)
    problem = only(report)
    assert (problem.row, problem.field, problem.value) == (3, "incident_id", "test-1")
    assert "first in line 2" in problem.reason
    assert len(frame) == 1


def test_missing_required_column(bundle):
    rows = [incident_row()]
    del rows[0]["summary"]
    frame, report = check(bundle, to_csv(rows))
    problem = only(report)
    assert (problem.row, problem.field) == (None, "summary")
    assert "required column is missing" in problem.reason
    assert frame.empty


def test_every_problem_reported_at_once(bundle):
    data = to_csv(
        [
            incident_row(event_type="riot", fatalities="-1"),
            incident_row(incident_id="b", start="yesterday"),
            incident_row(incident_id="c"),
        ]
    )
    frame, report = check(bundle, data)
    assert {(p.row, p.field) for p in report.errors} == {
        (2, "event_type"),
        (2, "fatalities"),
        (3, "start"),
    }
    assert frame.incident_id.tolist() == ["c"]


def test_the_largest_count_is_kept_exactly_and_one_more_is_refused(bundle):
    data = to_csv(
        [
            incident_row(injured=str(MAX_COUNT)),
            incident_row(incident_id="test-2", fatalities=str(MAX_COUNT + 1)),
        ]
    )
    frame, report = check(bundle, data)
    problem = only(report)
    assert (problem.row, problem.field, problem.value) == (3, "fatalities", str(MAX_COUNT + 1))
    assert problem.reason == "count too large: at most 999,999,999,999,999"
    assert problem.reason_in("es") == "conteo demasiado grande: como máximo 999,999,999,999,999"
    assert frame.incident_id.tolist() == ["test-1"]
    assert frame.injured.iloc[0] == MAX_COUNT


def test_point_near_its_declared_state_is_a_warning_naming_both(bundle):
    # In Jalisco, 8 km from Michoacán (locate.DECLARED_TOLERANCE_KM: 20 km)
    near = {"latitude": "19.9", "longitude": "-103.0", "cve_ent": "16"}
    frame, report = check(bundle, two_rows(**near))
    warning = only(report, "warning")
    assert warning.field == "cve_ent" and warning.row == 3
    assert "Jalisco" in warning.reason and "Michoacán" in warning.reason
    assert report.ok
    assert frame.set_index("incident_id").cve_ent.to_dict() == {"test-1": "14", "test-2": "16"}


@pytest.mark.parametrize(
    ("point", "declared", "found", "km"),
    [
        (("20.6767", "-103.3475"), ("16", "Michoacán"), "Jalisco", "69"),  # Guadalajara
        (("25.6866", "-100.3161"), ("14", "Jalisco"), "Nuevo León", "435"),  # Monterrey
    ],
)
def test_point_far_from_its_declared_state_is_an_error_naming_both_and_the_distance(
    bundle, point, declared, found, km
):
    (lat, lon), (code, state) = point, declared
    frame, report = check(bundle, two_rows(latitude=lat, longitude=lon, cve_ent=code))
    error = only(report)
    assert (error.row, error.field, error.value) == (3, "cve_ent", code)
    assert found in error.reason and state in error.reason
    assert f"{km} km" in error.reason
    assert frame.incident_id.tolist() == ["test-1"]


def test_bundled_location_reference(bundle):
    location = bundle.locations.iloc[0]
    row = incident_row(location_id=location.location_id, latitude="", longitude="", cve_ent="")
    frame, report = check(bundle, to_csv([row]))
    assert report.problems == []
    assert frame.cve_ent.tolist() == [location.cve_ent]


def test_csv_with_utf8_bom(bundle):
    frame, report = check(bundle, b"\xef\xbb\xbf" + two_rows())
    assert report.problems == [] and len(frame) == 2


def test_csv_with_semicolons_and_decimal_commas(bundle):
    row = incident_row(latitude="20,6767", longitude="-103,3475", summary="Uno, dos")
    frame, report = check(bundle, to_csv([row], delimiter=";"))
    assert report.problems == []
    assert frame.lat.iloc[0] == pytest.approx(20.6767)
    assert frame.summary.iloc[0] == "Uno, dos"


def test_csv_in_cp1252_is_read_with_a_warning(bundle):
    data = to_csv([incident_row(summary="Quema en Michoacán, Querétaro")]).decode("utf-8")
    frame, report = check(bundle, data.encode("cp1252"))
    assert only(report, "warning").reason.startswith("not UTF-8")
    assert frame.summary.iloc[0] == "Quema en Michoacán, Querétaro"


def test_ragged_rows_are_reported_and_the_rest_kept(bundle):
    text = two_rows().decode() + "test-3,2026-02-22T10:00-06:00,too,few\n"
    frame, report = check(bundle, text.encode())
    problem = only(report)
    assert problem.row == 4 and "ragged row" in problem.reason
    assert len(frame) == 2


@pytest.mark.parametrize(
    ("case", "data", "reason"),
    [
        ("empty", b"", "file is empty"),
        ("whitespace", b"  \n\n", "file is empty"),
        ("header only", to_csv([incident_row()]).splitlines()[0] + b"\n", "header only"),
    ],
)
def test_empty_files(bundle, case, data, reason):
    frame, report = check(bundle, data)
    assert reason in only(report).reason and frame.empty


def feature(lon, lat, **properties) -> dict:
    props = incident_row(**properties)
    for key in ("latitude", "longitude"):
        props.pop(key)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_geojson_incidents_valid(bundle):
    data = collection(
        feature(-103.35, 20.68), feature(-98.30, 26.05, incident_id="t2", cve_ent="28")
    )
    frame, report = check(bundle, data, "upload.geojson")
    assert report.problems == [] and len(frame) == 2


@pytest.mark.parametrize(
    ("case", "data", "row", "reason"),
    [
        ("not JSON", b"{not json", None, "not JSON"),
        (
            "not a collection",
            json.dumps({"type": "Feature"}).encode(),
            None,
            "not a GeoJSON FeatureCollection",
        ),
        ("a list", b"[1, 2]", None, "not a GeoJSON FeatureCollection"),
        ("no features", collection(), None, "no features"),
        # 100,000 nested arrays: past the arrays-and-members limit (ingest/limits.py) before
        # any parse; the depth limit is the next case's
        ("deep nesting", b"[" * 100_000 + b"]" * 100_000, 1, "arrays and members"),
        (
            "nested geometry",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {},
                            "geometry": {
                                "type": "Point",
                                "coordinates": [[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]],
                            },
                        }
                    ],
                }
            ).encode(),
            None,
            "nested deeper",
        ),
    ],
)
def test_unreadable_geojson(bundle, case, data, row, reason):
    frame, report = check(bundle, data, "upload.geojson")
    problem = only(report)
    assert problem.row == row and reason in problem.reason
    assert frame.empty


def test_geojson_too_large(bundle):
    data = b" " * (MAX_FILE_BYTES + 1)
    frame, report = check(bundle, data, "upload.geojson")
    assert "larger than" in only(report).reason and frame.empty


@pytest.mark.parametrize(
    ("case", "geometry", "reason"),
    [
        ("null geometry", None, "no geometry"),
        (
            "polygon",
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
            "expected a Point",
        ),
        ("one coordinate", {"type": "Point", "coordinates": [-103.3]}, "[longitude, latitude]"),
        ("NaN coordinate", {"type": "Point", "coordinates": [float("nan"), 20.6]}, "NaN"),
        ("string coordinate", {"type": "Point", "coordinates": ["x", 20.6]}, "not a number"),
    ],
)
def test_bad_geojson_geometry_is_reported_per_feature(bundle, case, geometry, reason):
    bad = feature(0, 0, incident_id="t2")
    bad["geometry"] = geometry
    frame, report = check(bundle, collection(feature(-103.35, 20.68), bad), "upload.geojson")
    problem = only(report)
    assert problem.row == 2 and reason in problem.reason
    assert frame.incident_id.tolist() == ["test-1"]


def test_locations_file_checks(bundle):
    rows = [
        {
            "location_id": "a",
            "place": "Plaza",
            "municipality": "Guadalajara",
            "cve_ent": "14",
            "geo_precision": "1",
            "latitude": "20.6767",
            "longitude": "-103.3475",
        },
        {
            "location_id": "a",
            "place": "Plaza",
            "municipality": "Guadalajara",
            "cve_ent": "14",
            "geo_precision": "5",
            "latitude": "20.6767",
            "longitude": "-103.3475",
        },
    ]
    frame, report = validate_locations(to_csv(rows), "places.csv", bundle.states)
    assert {(p.row, p.field) for p in report.errors} == {(3, "location_id"), (3, "geo_precision")}
    assert frame.location_id.tolist() == ["a"]
