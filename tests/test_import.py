"""Files as analysts bring them: every real-world shape is a kind, each with the smallest
file that shows it (inline bytes or tests/data/)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from dashboard.ingest.read import read_table
from dashboard.ingest.validate import check_incidents, validate_incidents
from dashboard.model.mexico import BY_CODE
from dashboard.model.schema import REPORT_LIMIT, Report
from tests.conftest import incident_row, to_csv

DATA = Path(__file__).parent / "data"
ACCENTED = "Quema en Michoacán y Querétaro; Peña, Cañada"


def check(bundle, data: bytes, name: str = "mine.csv", **options):
    return validate_incidents(data, name, bundle.locations, bundle.states, **options)


def problems(report, severity=None):
    return [p for p in report.problems if severity is None or p.severity == severity]


# ---------------------------------------------------------------- encodings


def text_file(delimiter: str = ",") -> str:
    return to_csv([incident_row(summary=ACCENTED)], delimiter=delimiter).decode("utf-8")


ENCODINGS = [
    # (case, bytes, warned)
    ("utf-8", text_file().encode("utf-8"), False),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + text_file().encode("utf-8"), False),
    ("utf-16 LE with BOM", b"\xff\xfe" + text_file("\t").encode("utf-16-le"), False),
    ("utf-16 BE with BOM", b"\xfe\xff" + text_file("\t").encode("utf-16-be"), False),
    ("utf-16 LE without BOM", text_file("\t").encode("utf-16-le"), True),
    ("utf-16 BE without BOM", text_file("\t").encode("utf-16-be"), True),
    ("cp1252", text_file(";").encode("cp1252"), True),
    ("latin-1", text_file().encode("latin-1"), True),
]


@pytest.mark.parametrize(("case", "data", "warned"), ENCODINGS, ids=[c[0] for c in ENCODINGS])
def test_encodings_are_detected(bundle, case, data, warned):
    frame, report = check(bundle, data, "mine.txt")
    assert report.ok, report.to_text()
    assert frame.summary.tolist() == [ACCENTED]
    assert len(problems(report, "warning")) == int(warned)
    if warned:
        assert "detected" in problems(report, "warning")[0].reason


def test_excel_unicode_text_is_utf16_tab_separated(bundle):
    """Excel's "Unicode text" (.txt): UTF-16 LE with a BOM, tabs, CRLF."""
    text = text_file("\t").replace("\n", "\r\n")
    frame, report = check(bundle, text.encode("utf-16"), "export.txt")
    assert report.problems == [] and frame.summary.tolist() == [ACCENTED]


# ---------------------------------------------------------------- dialects and shapes


@pytest.mark.parametrize(
    ("delimiter", "name"), [(",", "a.csv"), (";", "a.csv"), ("\t", "a.tsv"), ("\t", "a.txt")]
)
def test_delimiters_and_extensions(bundle, delimiter, name):
    data = to_csv([incident_row(), incident_row(incident_id="t2")], delimiter=delimiter)
    frame, report = check(bundle, data, name)
    assert report.problems == [] and len(frame) == 2


def test_repeated_column_names_are_a_file_level_error_naming_them(bundle):
    text = to_csv([incident_row()]).decode()
    header, row = text.splitlines()
    data = f"{header}, Latitude \n{row},20.7\n".encode()
    frame, report = check(bundle, data)
    (problem,) = problems(report)
    assert problem.row is None and problem.field == "latitude"
    assert "'latitude'" in problem.value and "'Latitude'" in problem.value
    assert "repeated column name" in problem.reason
    assert frame.empty


def test_column_names_are_trimmed_and_case_insensitive(bundle):
    rows = [{f" {k.upper()} ": v for k, v in incident_row().items()}]
    frame, report = check(bundle, to_csv(rows))
    assert report.problems == [] and len(frame) == 1


def test_line_numbers_are_file_lines_with_blank_lines_and_multiline_values(bundle):
    good = to_csv([incident_row(summary="Two\nlines")]).decode().split("\n", 1)[1]
    bad = to_csv([incident_row(incident_id="t2", event_type="riot")]).decode().split("\n", 1)[1]
    header = to_csv([incident_row()]).decode().split("\n", 1)[0]
    data = f"{header}\n{good}\n{bad}".encode()  # header 1, rows on 2-3, blank 4, bad 5
    frame, report = check(bundle, data)
    (problem,) = problems(report)
    assert (problem.row, problem.field, problem.unit) == (5, "event_type", "line")
    assert "line 5" in str(problem)
    assert frame.summary.tolist() == ["Two\nlines"]


def feature(properties: dict, geometry) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_geojson_null_geometry_with_a_location_id_uses_the_place(bundle):
    place = bundle.locations.iloc[0]
    props = incident_row(location_id=place.location_id)
    for key in ("latitude", "longitude", "cve_ent"):
        props.pop(key)
    frame, report = check(bundle, geojson(feature(props, None)), "mine.geojson")
    assert report.problems == []
    assert (frame.place.iloc[0], frame.cve_ent.iloc[0]) == (place.place, place.cve_ent)
    assert frame.lon.iloc[0] == pytest.approx(place.geometry.x)


def test_geojson_nan_and_infinity_properties_are_empty(bundle):
    props = incident_row(summary=float("nan"), notes=float("inf"))
    props.pop("latitude"), props.pop("longitude")
    text = json.dumps(feature(props, {"type": "Point", "coordinates": [-103.35, 20.68]}))
    assert "NaN" in text and "Infinity" in text  # what Python's and pandas' writers emit
    ok = incident_row(incident_id="t2", notes=float("nan"))
    ok.pop("latitude"), ok.pop("longitude")
    good = feature(ok, {"type": "Point", "coordinates": [-103.35, 20.68]})
    data = f'{{"type": "FeatureCollection", "features": [{text}, {json.dumps(good)}]}}'
    frame, report = check(bundle, data.encode(), "mine.geojson")
    (problem,) = problems(report)
    assert (problem.row, problem.unit, problem.field) == (1, "feature", "summary")
    assert problem.reason == "required text is empty"
    assert frame.notes.tolist() == [""]  # never the word "nan"


def test_json_array_of_records_is_read_with_record_numbers():
    report = Report()
    table = read_table(json.dumps([{"a": 1, "b": None}, {"a": 2.5}]).encode(), "x.json", report)
    assert table.format == "json" and table.rows.tolist() == [1, 2]
    assert table.frame.to_dict("list") == {"a": ["1", "2.5"], "b": ["", ""]}


# ---------------------------------------------------------------- states


STATE_ALIASES = [
    # (as written, INEGI code, warned)
    ("14", "14", False),
    ("9", "09", False),
    ("MX-JAL", "14", False),
    ("JAL", "14", False),
    ("Jalisco", "14", False),
    ("jalisco", "14", True),
    ("MX-DIF", "09", True),
    ("Mexico City", "09", True),
    ("CDMX", "09", True),
    ("Ciudad de Mexico", "09", True),
    ("Distrito Federal", "09", True),
    ("Estado de México", "15", True),
    ("State of Mexico", "15", True),
    ("Michoacán de Ocampo", "16", True),
    ("Michoacan", "16", True),
    ("Veracruz de Ignacio de la Llave", "30", True),
    ("Nuevo Leon", "19", True),
]


@pytest.mark.parametrize(("written", "code", "warned"), STATE_ALIASES)
def test_state_names_and_codes_resolve(bundle, written, code, warned):
    row = incident_row(cve_ent=written, latitude="", longitude="")
    row["location_id"] = bundle.locations.location_id[bundle.locations.cve_ent == code].iloc[0]
    # Own point in that state: a point of one of its bundled places.
    place = bundle.locations.set_index("location_id").loc[row.pop("location_id")]
    row.update(latitude=str(place.geometry.y), longitude=str(place.geometry.x))
    frame, report = check(bundle, to_csv([row]))
    assert report.ok and frame.cve_ent.tolist() == [code]
    alias_warnings = [p for p in problems(report, "warning") if "read as" in p.reason]
    assert len(alias_warnings) == int(warned)
    if warned:
        assert BY_CODE[code].name in alias_warnings[0].reason
        assert alias_warnings[0].value == written


def test_unknown_state_with_own_point_uses_the_point(bundle):
    frame, report = check(bundle, to_csv([incident_row(cve_ent="Jalisko")]))
    (warning,) = problems(report, "warning")
    assert warning.field == "cve_ent" and "Jalisco" in warning.reason
    assert report.ok and frame.cve_ent.tolist() == ["14"]


def test_unknown_state_without_a_point_is_an_error(bundle):
    row = incident_row(location_id=bundle.locations.location_id.iloc[0], cve_ent="Texas")
    row.update(latitude="", longitude="")
    frame, report = check(bundle, to_csv([row]))
    (problem,) = problems(report)
    assert (problem.field, problem.value) == ("cve_ent", "Texas") and frame.empty


def border_point(states, a: str, b: str) -> tuple[float, float]:
    """A vertex both states' polygons share: exactly on their common border."""
    first = states.set_index("cve_ent").geometry[a]
    second = states.set_index("cve_ent").geometry[b]
    shared = shapely.get_coordinates(shapely.intersection(first.boundary, second.boundary))
    both = [
        (x, y)
        for x, y in shared
        if first.intersects(shapely.Point(x, y)) and second.intersects(shapely.Point(x, y))
    ]
    return both[len(both) // 2]


@pytest.mark.parametrize("declared", ["14", "16"])
def test_point_on_a_shared_border_belongs_to_either_state(bundle, declared):
    lon, lat = border_point(bundle.states, "14", "16")
    row = incident_row(latitude=repr(float(lat)), longitude=repr(float(lon)), cve_ent=declared)
    frame, report = check(bundle, to_csv([row]))
    assert report.problems == [] and frame.cve_ent.tolist() == [declared]


def test_point_on_a_shared_border_without_a_state_is_ambiguous(bundle):
    lon, lat = border_point(bundle.states, "14", "16")
    row = incident_row(latitude=repr(float(lat)), longitude=repr(float(lon)), cve_ent="")
    frame, report = check(bundle, to_csv([row]))
    (warning,) = problems(report, "warning")
    assert "border of Jalisco and Michoacán" in warning.reason
    assert frame.cve_ent.tolist() in (["14"], ["16"])


# ---------------------------------------------------------------- fields on own points


@pytest.mark.parametrize(
    ("value", "reason"),
    [("2026-13-45", "impossible date"), ("22/02/2026", "YYYY-MM-DD"), ("2026-02-30", "impossible")],
)
def test_source_date_is_checked(bundle, value, reason):
    frame, report = check(bundle, to_csv([incident_row(source_date=value)]))
    (problem,) = problems(report)
    assert problem.field == "source_date" and reason in problem.reason and frame.empty


@pytest.mark.parametrize("value", ["2026-02-22", "2026-02", ""])
def test_source_date_forms(bundle, value):
    assert check(bundle, to_csv([incident_row(source_date=value)]))[1].problems == []


def test_own_points_keep_precision_place_and_municipality(bundle):
    row = incident_row(geo_precision="3", place="Plaza de Armas", municipality="Guadalajara")
    frame, report = check(bundle, to_csv([row]))
    assert report.problems == []
    record = frame.iloc[0]
    assert (record.geo_precision, record.place, record.municipality) == (
        3,
        "Plaza de Armas",
        "Guadalajara",
    )


def test_own_point_bad_precision_is_an_error(bundle):
    frame, report = check(bundle, to_csv([incident_row(geo_precision="4")]))
    (problem,) = problems(report)
    assert problem.field == "geo_precision" and frame.empty


# ---------------------------------------------------------------- summaries


def test_a_users_file_may_give_only_summary_es(bundle):
    row = incident_row(summary_es="Un bloqueo de prueba.")
    del row["summary"]
    frame, report = check(bundle, to_csv([row]))
    assert report.problems == []
    assert frame.summary.tolist() == frame.summary_es.tolist() == ["Un bloqueo de prueba."]


def test_bundled_data_requires_summary_es_once_the_column_exists(bundle):
    data = to_csv([incident_row(summary_es="")])
    assert check(bundle, data)[1].ok
    _, report = check(bundle, data, bundled=True)
    (problem,) = problems(report)
    assert problem.field == "summary_es"


def test_documented_optional_columns_reach_the_frame(bundle):
    row = incident_row(distinct_from="test-0", distinct_reason="another road")
    frame, report = check(bundle, to_csv([row]))
    assert report.problems == []
    assert (frame.distinct_from.iloc[0], frame.distinct_reason.iloc[0]) == (
        "test-0",
        "another road",
    )


# ---------------------------------------------------------------- ACLED


def acled_result(bundle, name: str, data: bytes | None = None):
    data = (DATA / name).read_bytes() if data is None else data
    return check_incidents(data, name, bundle.locations, bundle.states)


def test_acled_export_csv(bundle):
    result = acled_result(bundle, "acled_export.csv")
    assert result.format == "acled-csv"
    assert result.report.ok, result.report.to_text()
    frame = result.frame.set_index("incident_id")
    assert frame.cve_ent.to_dict() == {"MEX90001": "14", "MEX90002": "16", "MEX90003": "02"}
    assert frame.time_precision.tolist() == ["day", "week", "month"]
    # ACLED's 1 is the town it names: our 2 (town or municipality), never an exact site.
    assert frame.geo_precision.tolist() == [2, 2, 3]
    # ACLED's own event types are the records' types; the sub-event type their label.
    assert frame.event_type.tolist() == [
        "battles",
        "violence_against_civilians",
        "strategic_developments",
    ]
    assert frame.event_label.tolist() == ["Armed clash", "Attack", "Arrests"]
    # Every other ACLED column is kept as ACLED wrote it.
    assert frame.actor1["MEX90002"] == "CJNG: Jalisco New Generation Cartel"
    assert frame.actor2["MEX90002"] == "Civilians (Mexico)"
    assert frame.interaction.tolist() == ["13", "37", "10"]
    assert frame.sub_event_type.tolist() == ["Armed clash", "Attack", "Arrests"]
    assert frame.source_scale.tolist() == ["National", "Subnational", "National"]
    assert frame.event_id_cnty.tolist() == ["MEX90001", "MEX90002", "MEX90003"]
    assert frame.acled_geo_precision.tolist() == ["2", "1", "3"]
    assert frame.admin1["MEX90002"] == "Michoacan"
    assert frame.source_url.tolist() == ["", "", ""]
    assert (
        frame.source_outlet["MEX90001"] == "Sources (per ACLED): Example Outlet A; Example Outlet B"
    )
    # The summary says what and where; the outlets are the source line (shown once).
    assert frame.summary["MEX90002"] == "Attack (Violence against civilians), Uruapan."
    assert frame.notes.tolist() == ["Test record: not a real event."] * 3
    assert frame.fatalities.tolist() == [4, 0, 0]
    # Local midnight on each state's clock (Tijuana UTC-8); week and month intervals.
    spans = {i: (r.t_start.isoformat(), r.t_end.isoformat()) for i, r in frame.iterrows()}
    assert spans == {
        "MEX90001": ("2026-02-22T06:00:00+00:00", "2026-02-23T06:00:00+00:00"),
        "MEX90002": ("2026-02-20T06:00:00+00:00", "2026-02-27T06:00:00+00:00"),
        "MEX90003": ("2026-02-01T08:00:00+00:00", "2026-03-01T08:00:00+00:00"),
    }
    # The alias ACLED spells without an accent: one file-level note, named by its column.
    (warning,) = problems(result.report, "warning")
    assert (warning.row, warning.field, warning.value) == (3, "admin1", "Michoacan")
    assert ["cve_ent", "admin1", "state name to INEGI code"] in result.mapping


def acled_records() -> list[dict]:
    frame = pd.read_csv(DATA / "acled_export.csv", dtype=str, keep_default_na=False)
    return frame.to_dict("records")


def test_acled_api_csv_with_iso_dates(bundle):
    records = acled_records()
    for r in records:
        r["event_date"] = pd.Timestamp(r["event_date"]).strftime("%Y-%m-%d")
    result = acled_result(bundle, "api.csv", to_csv(records))
    assert result.format == "acled-csv" and result.report.ok
    assert result.frame.t_start.iloc[0].isoformat() == "2026-02-22T06:00:00+00:00"


@pytest.mark.parametrize("wrapped", [True, False])
def test_acled_api_json(bundle, wrapped):
    records = acled_records()
    for r in records:
        r["event_date"] = pd.Timestamp(r["event_date"]).strftime("%Y-%m-%d")
        r["latitude"], r["fatalities"] = float(r["latitude"]), int(r["fatalities"])
    doc = {"status": 200, "success": True, "count": 3, "data": records} if wrapped else records
    result = acled_result(bundle, "acled.json", json.dumps(doc).encode())
    assert result.format == "acled-json" and result.report.ok, result.report.to_text()
    assert result.frame.cve_ent.tolist() == ["14", "16", "02"]
    assert result.frame.fatalities.tolist() == [4, 0, 0]


def test_acled_bad_date_is_named_by_acleds_column(bundle):
    records = acled_records()
    records[1]["event_date"] = "sometime in February"
    result = acled_result(bundle, "acled.csv", to_csv(records))
    (problem,) = problems(result.report, "error")
    assert (problem.row, problem.field) == (3, "event_date")
    assert result.frame.incident_id.tolist() == ["MEX90001", "MEX90003"]


def test_bundled_data_never_relaxes_the_url_rule(bundle):
    _, report = check(
        bundle,
        to_csv([incident_row(source_url="", summary_es="Un bloqueo de prueba.")]),
        bundled=True,
    )
    assert [p.field for p in report.errors] == ["source_url"]


# ---------------------------------------------------------------- bounded reports


def hostile_file(rows: int) -> bytes:
    bad = incident_row(
        start="soon",
        time_precision="x",
        event_type="x",
        blockades="x",
        fatalities="x",
        injured="x",
        arrested="x",
        source_url="x",
        confidence="x",
        disputed="x",
    )
    return to_csv([{**bad, "incident_id": f"h{i}"} for i in range(rows)])


def test_a_hostile_file_keeps_the_first_problems_and_totals_per_kind(bundle):
    frame, report = check(bundle, hostile_file(500))
    assert report.error_count == 5_000 and frame.empty
    assert len(report.problems) == REPORT_LIMIT
    assert [p.row for p in report.problems] == sorted(p.row for p in report.problems)
    assert report.problems[-1].row == 101  # lines 2..101: ten problems each
    assert report.totals["error: fatalities: not a number"] == 500
    assert report.truncated and "the first 1,000 are listed" in report.summary()


def test_keep_all_keeps_every_problem(bundle):
    _, report = check(bundle, hostile_file(150), keep_all=True)
    assert len(report.problems) == report.error_count == 1_500 and not report.truncated


def test_many_warnings_stay_bounded():
    report = Report()
    for row in range(5_000, 0, -1):
        report.add("f", row, "cve_ent", "x", "read as Jalisco", severity="warning")
    assert report.warning_count == 5_000
    assert [p.row for p in report.problems] == list(range(1, REPORT_LIMIT + 1))


def test_column_wise_checks_match_per_row_positions(bundle):
    rows = [incident_row(incident_id=f"r{i}") for i in range(30)]
    for i in (3, 17, 29):
        rows[i]["latitude"] = "north"
    frame, report = check(bundle, to_csv(rows))
    assert [p.row for p in report.errors] == [5, 19, 31]
    assert len(frame) == 27
    assert not np.isin(["r3", "r17", "r29"], frame.incident_id).any()


def test_report_csv_is_spreadsheet_safe_and_has_totals_when_cut(bundle):
    _, report = check(bundle, to_csv([incident_row(summary="", source_url="=cmd()")]))
    text = report.to_csv()
    assert text.splitlines()[0] == "file,line,field,value,reason,severity"
    assert "'=cmd()" in text and ",=cmd()" not in text
    _, big = check(bundle, hostile_file(120))
    assert "(total)" in big.to_csv()


def test_upload_cache_is_bounded_in_bytes():
    from dashboard.web.memo import BytesBoundedCache

    cache = BytesBoundedCache(100)
    cache.put("a", 1, 60)
    cache.put("b", 2, 30)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3, 30)  # over budget: b, the least recent, goes
    assert (cache.get("b"), cache.get("a"), cache.get("c"), cache.bytes) == (None, 1, 3, 90)
    cache.put("huge", 4, 101)  # never kept
    assert cache.get("huge") is None and len(cache) == 2


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2026-02-22", "2026-02-22"),
        ("22 February 2026", "2026-02-22"),
        ("22-February-2026", "2026-02-22"),
        ("22-02-2026", "2026-02-22"),
        ("22/02/2026", "2026-02-22"),
        ("02/30/2026", ""),  # month first (30 cannot be a month), and 30 February is no day
        ("February 2026", ""),
    ],
)
def test_acled_date_forms(written, iso):
    from dashboard.ingest.acled import event_dates

    assert event_dates(pd.Series([written], dtype="str")).tolist() == [iso]


def test_a_binary_file_is_named_as_such(bundle):
    """A spreadsheet or image renamed .csv: one clear file-level error, no parser jargon."""
    png_header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    result = check_incidents(png_header, "sheet.csv", bundle.locations, bundle.states)
    [problem] = result.report.errors
    assert problem.row is None and "not a text file" in problem.reason
    assert len(result.frame) == 0


def test_acled_geojson_reports_a_shared_column_once(bundle):
    """event_type and summary both come from ACLED's sub_event_type: one problem, not two."""
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-103.35, 20.67]},
        "properties": {
            "event_id_cnty": "MEX1",
            "event_date": "2026-02-22",
            "time_precision": 1,
            "admin1": "Jalisco",
            "location": "Guadalajara",
            "sub_event_type": "",
            "source": "X",
        },
    }
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    result = check_incidents(data, "acled.geojson", bundle.locations, bundle.states)
    assert result.format == "acled-geojson"
    about = [p for p in result.report.errors if p.field == "sub_event_type"]
    assert len(about) == 1 and about[0].row == 1 and about[0].unit == "feature"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            {
                "MEX90002": "Fri 20 Feb 2026 to Thu 26 Feb 2026 (week only; day not reported)",
                "MEX90003": "February 2026 (month only; day not reported)",
            },
        ),
        (
            "es",
            {
                "MEX90002": "vie 20 feb 2026 al jue 26 feb 2026 (solo la semana; día no reportado)",
                "MEX90003": "febrero 2026 (solo el mes; día no reportado)",
            },
        ),
    ],
)
def test_acled_week_and_month_read_as_spans_never_as_an_hour(bundle, lang, expected):
    """ACLED's time precision 2 and 3 are a week and a month: the popup and the incident
    list name the span (never its first midnight, which would read as an exact time)."""
    from dashboard.render.incident_list import when_text
    from dashboard.render.popups import records, when_label

    frame = acled_result(bundle, "acled_export.csv").frame.set_index("incident_id", drop=False)
    rows = {r.incident_id: r for r in records(frame)}
    assert {i: when_label(rows[i], lang) for i in expected} == expected
    listed = when_text(frame, lang)  # by Babel, in the page's language
    spanish = lang == "es"
    assert listed["MEX90002"] == ("20 feb – 26 feb 2026" if spanish else "20 Feb – 26 Feb 2026")
    assert listed["MEX90003"] == ("febrero 2026" if spanish else "February 2026")
    assert listed["MEX90001"] == ("dom 22 feb" if spanish else "Sun 22 Feb")


@pytest.mark.parametrize(
    ("dates", "lang", "expected"),
    [
        # tester 11a #8: 1 Mar 2025 and 1 Mar 2026 are both in a year of ACLED data.
        (("2025-03-01", "2026-03-01"), "en", ["Sat 1 Mar 2025", "Sun 1 Mar 2026"]),
        (("2025-03-01", "2026-03-01"), "es", ["sáb 1 mar 2025", "dom 1 mar 2026"]),
        (("2026-02-22", "2026-02-23"), "en", ["Sun 22 Feb", "Mon 23 Feb"]),  # the event's year
    ],
)
def test_listed_dates_carry_the_year_when_the_records_span_years(bundle, dates, lang, expected):
    from dashboard.render.incident_list import when_text

    records = acled_records()[:2]
    for r, day in zip(records, dates, strict=True):
        r["event_date"], r["time_precision"] = day, "1"
    frame = acled_result(bundle, "years.csv", to_csv(records)).frame
    assert when_text(frame, lang).tolist() == expected


def test_a_window_line_carries_the_year_when_the_data_spans_years():
    from datetime import datetime

    from dashboard.analysis.filters import ViewSpec
    from dashboard.model.mexico import MEXICO_CITY
    from dashboard.model.timing import spans_years
    from dashboard.render.captions import window_line

    feb = ViewSpec(
        datetime(2026, 2, 1, tzinfo=MEXICO_CITY), datetime(2026, 3, 1, tzinfo=MEXICO_CITY)
    )
    assert "2026" not in window_line(feb, "en")
    years = spans_years(datetime(2025, 2, 26), datetime(2026, 3, 4))
    assert window_line(feb, "en", years) == (
        "Window: Sun 1 Feb 2026 00:00 to Sun 1 Mar 2026 00:00, Mexico City time."
    )
    assert not spans_years(datetime(2026, 2, 21), datetime(2026, 3, 3))


@pytest.mark.parametrize(("acled", "ours"), [("1", 2), ("2", 2), ("3", 3), ("1.0", 2), ("3.0", 3)])
def test_acled_geo_precision_means_what_the_codebook_says(bundle, acled, ours):
    """ACLED codes a town, never a site within it: its 1 and 2 are our town or
    municipality (drawn as such), its 3 our state only (listed, not drawn)."""
    rows = acled_records()[:1]
    rows[0]["geo_precision"] = acled
    data = pd.DataFrame(rows).to_csv(index=False).encode()
    result = acled_result(bundle, "one.csv", data)
    assert result.report.ok, result.report.to_text()
    assert result.frame["geo_precision"].tolist() == [ours]


def test_acled_rows_read_in_spanish_too(bundle):
    """An imported ACLED row has a Spanish summary line (ACLED's type names translated by
    acled.NAMES_ES) and its sources read "Fuentes (según ACLED)" on the Spanish page."""
    from dashboard.ingest.acled import outlet_label
    from dashboard.render.popups import records, source_links, summary_text

    frame = acled_result(bundle, "acled_export.csv").frame.set_index("incident_id", drop=False)
    assert frame.summary_es["MEX90002"] == "Ataque (Violencia contra civiles), Uruapan."
    assert frame.summary_es["MEX90001"].startswith("Enfrentamiento armado (Batallas), Tapalpa.")
    row = {r.incident_id: r for r in records(frame)}["MEX90002"]
    assert summary_text(row, "es") == frame.summary_es["MEX90002"]
    assert summary_text(row, "en").startswith("Attack (Violence against civilians), Uruapan.")
    [(_, label_es)] = source_links(row, "es")[:1]
    [(_, label_en)] = source_links(row, "en")[:1]
    assert label_es.startswith("Fuentes (según ACLED): Example Outlet C")
    assert label_en.startswith("Sources (per ACLED): Example Outlet C")
    assert outlet_label("Reforma", "es") == "Reforma"  # other outlets as written
    # A row whose `source` is empty says so in the page's language.
    assert (
        outlet_label("Sources (per ACLED): not given", "es")
        == "Fuentes (según ACLED): no se indican"
    )
    assert outlet_label("Sources (per ACLED): not given", "en") == "Sources (per ACLED): not given"


@pytest.mark.parametrize("kind", ["ours", "acled"])
def test_a_header_repeated_inside_the_file_is_one_error_and_its_line_is_left_out(bundle, kind):
    """Two exports joined into one file: the second header is line 3. One error naming the
    line (not one per field); the rows on either side are kept."""
    if kind == "ours":
        first = to_csv([incident_row(incident_id="a1")]).decode()
        second = to_csv([incident_row(incident_id="a2")]).decode()
    else:
        lines = (DATA / "acled_export.csv").read_text().splitlines()
        first = "\n".join(lines[:2]) + "\n"
        second = "\n".join([lines[0], lines[2]]) + "\n"
    data = (first + second).encode()
    result = check_incidents(data, "joined.csv", bundle.locations, bundle.states)
    errors = problems(result.report, "error")
    assert [(p.row, p.reason) for p in errors] == [
        (3, "the header is repeated here (two files joined?): the line is left out")
    ], result.report.to_text()
    assert len(result.frame) == 2


def test_an_acled_records_actors_and_sub_event_type_are_shown(bundle):
    """The popup names the actors; the list has the sub-event type and actors columns."""
    from dashboard.render.incident_list import incident_rows
    from dashboard.render.popups import popup_body, records

    frame = acled_result(bundle, "acled_export.csv").frame
    row = next(r for r in records(frame) if r.incident_id == "MEX90002")
    assert "Actors: CJNG: Jalisco New Generation Cartel; Civilians (Mexico)" in popup_body(row)
    assert "Actores:" in popup_body(row, "es")
    rows = incident_rows(frame).set_index("incident_id")
    assert rows.loc["MEX90002", "event_label"] == "Attack"
    assert rows.loc["MEX90003", "actors"] == "Actors: Police Forces of Mexico (2024-)"
    assert rows.loc["MEX90002", "event_type"] == "Violence against civilians"


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2026-02-30", "impossible date: that day does not exist"),
        ("31 April 2026", "impossible date: that day does not exist"),
        ("30-02-2026", "impossible date: that day does not exist"),
        ("2026-13-01", "impossible date: that day does not exist"),
        ("sometime in February", "not an ACLED date"),
        ("22 Febuary 2026", "not an ACLED date"),
    ],
)
def test_an_impossible_acled_date_is_named_as_impossible(bundle, written, reason):
    """Tester 10 #19: 2026-02-30 is in ACLED's form but names no day; saying "not an
    ACLED date (2026-02-22, …)" sent the analyst looking for a format problem."""
    records = acled_records()
    records[1]["event_date"] = written
    result = acled_result(bundle, "acled.csv", to_csv(records))
    (problem,) = problems(result.report, "error")
    assert (problem.row, problem.field, problem.value) == (3, "event_date", written)
    assert problem.reason.startswith(reason)
    assert result.frame.incident_id.tolist() == ["MEX90001", "MEX90003"]


@pytest.mark.parametrize(
    ("copies", "lang", "reason"),
    [
        (0, "en", "read as Michoacán (INEGI 16, MX-MIC)"),
        (2, "en", "read as Michoacán (INEGI 16, MX-MIC), here and in 2 more rows"),
        (1, "es", "se interpretó como Michoacán (INEGI 16, MX-MIC), aquí y en 1 fila más"),
    ],
)
def test_an_acled_state_spelling_is_named_at_its_first_line_with_its_count(
    bundle, copies, lang, reason
):
    """Tester 10 #15: "Michoacan" was named with no line, so an analyst could not find
    its rows; it is named once, at its first line, with how many more rows spell it so."""
    records = acled_records()
    for k in range(copies):
        records.append({**records[1], "event_id_cnty": f"MEX9100{k}"})
    result = acled_result(bundle, "acled.csv", to_csv(records))
    (warning,) = problems(result.report, "warning")
    assert (warning.row, warning.field, warning.value) == (3, "admin1", "Michoacan")
    assert warning.reason_in(lang) == reason
