"""Validation reports and CLI messages in Spanish and English (issue 8, the core half).

Each bad input is the smallest file that shows it; the same problem is read in both
languages, and only the reason (and the words around it) changes: file, line or feature,
field and value stay exactly as the file has them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.__main__ import cli_language, environment_language, main
from dashboard.analysis.quality_files import spanish_headlines_report
from dashboard.ingest.validate import check_incidents, validate_incidents
from dashboard.model.schema import Report, report_rows, summary_text
from dashboard.text.message import Message, msg, msg_n
from tests.conftest import ROOT, incident_row, run_cli, run_cli_in_process, to_csv

NAME = "subida.csv"


def validate(bundle, data: bytes, name: str = NAME, **options):
    return validate_incidents(data, name, bundle.locations, bundle.states, **options)


def second_row(**bad) -> bytes:
    """Line 2 valid, line 3 carrying the change."""
    return to_csv([incident_row(), incident_row(incident_id="t2", **bad)])


# (case, file bytes, file name, severity, row, field, value, English words, Spanish words)
CASES = [
    (
        "unknown event type",
        second_row(event_type="riot"),
        NAME,
        "error",
        3,
        "event_type",
        "riot",
        "unknown value; expected one of: blockade,",
        "valor desconocido; se esperaba uno de estos: blockade,",
    ),
    (
        "no UTC offset",
        second_row(start="2026-02-22T10:00"),
        NAME,
        "error",
        3,
        "start",
        "2026-02-22T10:00",
        "timestamp has no UTC offset",
        "no tiene desfase UTC",
    ),
    (
        "impossible date",
        second_row(start="2026-02-30T10:00-06:00"),
        NAME,
        "error",
        3,
        "start",
        "2026-02-30T10:00-06:00",
        "impossible date or time",
        "fecha u hora imposible",
    ),
    (
        "latitude NaN",
        second_row(latitude="nan"),
        NAME,
        "error",
        3,
        "latitude",
        "nan",
        "not a finite number (NaN or infinity)",
        "no es un número finito (NaN o infinito)",
    ),
    (
        "javascript link",
        second_row(source_url="javascript:alert(1)"),
        NAME,
        "error",
        3,
        "source_url",
        "javascript:alert(1)",
        "source URL must be an http(s) address with a host",
        "la URL de la fuente debe ser una dirección http(s) con dominio",
    ),
    (
        "negative count",
        second_row(fatalities="-3"),
        NAME,
        "error",
        3,
        "fatalities",
        "-3",
        "negative count",
        "conteo negativo",
    ),
    (
        "duplicate id",
        to_csv([incident_row(), incident_row()]),
        NAME,
        "error",
        3,
        "incident_id",
        "test-1",
        "duplicate id (first in line 2)",
        "identificador repetido (aparece primero en la línea 2)",
    ),
    (
        "state name alias",
        second_row(cve_ent="jalisco"),
        NAME,
        "warning",
        3,
        "cve_ent",
        "jalisco",
        "read as Jalisco (INEGI 14, MX-JAL)",
        "se interpretó como Jalisco (INEGI 14, MX-JAL)",
    ),
    (
        "point in another state, near it",  # 8 km from Michoacán (20 km tolerance)
        second_row(cve_ent="16", latitude="19.9", longitude="-103.0"),
        NAME,
        "warning",
        3,
        "cve_ent",
        "16",
        "point lies in Jalisco, not its declared state Michoacán",
        "el punto cae en Jalisco, no en el estado declarado, Michoacán",
    ),
    (
        "point far from its declared state",
        second_row(cve_ent="09"),
        NAME,
        "error",
        3,
        "cve_ent",
        "09",
        "point lies in Jalisco, 447 km from its declared state Ciudad de México",
        "el punto está en Jalisco, a 447 km de su estado declarado, Ciudad de México",
    ),
    (
        "ragged row (a plural)",
        second_row().decode().encode() + b"t3,2026-02-22T10:00-06:00,too,few\n",
        NAME,
        "error",
        4,
        None,
        "t3,2026-02-22T10:00-06:00,too,few",
        "ragged row: 4 fields where the header has",
        "fila irregular: 4 campos, pero el encabezado tiene",
    ),
    ("empty file", b"", NAME, "error", None, None, None, "file is empty", "el archivo está vacío"),
    (
        "not JSON",
        b"{nope",
        "subida.geojson",
        "error",
        None,
        None,
        None,
        "not JSON:",
        "no es JSON:",
    ),
    (
        "GeoJSON feature without a point",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                        "properties": incident_row(),
                    }
                ],
            }
        ).encode(),
        "subida.geojson",
        "error",
        1,
        "geometry",
        "LineString",
        "expected a Point geometry",
        "se esperaba una geometría Point",
    ),
]


@pytest.mark.parametrize(
    ("data", "name", "severity", "row", "field", "value", "english", "spanish"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_problem_reads_in_both_languages_and_keeps_its_place(
    bundle, data, name, severity, row, field, value, english, spanish
):
    _, report = validate(bundle, data, name)
    found = [p for p in report.problems if (p.severity, p.row, p.field) == (severity, row, field)]
    assert len(found) == 1, [str(p) for p in report.problems]
    problem = found[0]
    assert problem.value == value
    assert english in problem.reason  # the English text, as --json and the CSV give it
    assert problem.reason_in("en") == problem.reason
    assert spanish in problem.reason_in("es")
    assert english not in problem.reason_in("es")
    (es_row,) = [r for r in report_rows([problem], "es")]
    (en_row,) = [r for r in report_rows([problem], "en")]
    for key in ("file", "row", "field", "value", "unit"):
        assert es_row[key] == en_row[key] == getattr(problem, key)
    assert es_row["reason"] == problem.reason_in("es")
    assert en_row["reason"] == problem.reason
    for text in (es_row["reason"], en_row["reason"]):
        assert "None" not in text and "(s)" not in text.replace("http(s)", "")


def test_the_page_rows_come_from_cached_dicts_as_well_as_problems(bundle):
    """The page caches `asdict(problem)`; the rows it shows are the same from either."""
    from dataclasses import asdict

    _, report = validate(bundle, second_row(event_type="riot"))
    dicts = [asdict(p) for p in report.problems]
    assert report_rows(dicts, "es") == report_rows(report.problems, "es")
    assert report_rows(dicts, "es")[0]["severity"] == "error"
    _, warned = validate(bundle, second_row(cve_ent="jalisco"))
    assert report_rows(warned.problems, "es")[0]["severity"] == "advertencia"
    assert report_rows(warned.problems, "en")[0]["severity"] == "warning"


def test_one_line_per_problem_in_spanish(bundle):
    _, report = validate(bundle, second_row(event_type="riot"))
    (problem,) = report.problems
    assert problem.text("es").startswith(
        "ERROR: subida.csv, línea 3, campo 'event_type' (valor 'riot'): valor desconocido"
    )
    assert str(problem).startswith(
        "ERROR: subida.csv, line 3, field 'event_type' (value 'riot'): unknown value"
    )
    geojson = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [1]},
                    "properties": incident_row(),
                }
            ],
        }
    )
    _, other = validate(bundle, geojson.encode(), "f.geojson")
    (point,) = [p for p in other.problems if p.row == 1]
    assert point.text("es") == (
        "ERROR: f.geojson, elemento 1, campo 'geometry' (valor '[1]'): "
        "un Point necesita [longitud, latitud]"
    )


@pytest.mark.parametrize(
    ("errors", "warnings", "listed", "english", "spanish"),
    [
        (0, 0, None, "0 errors, 0 warnings", "0 errores, 0 advertencias"),
        (1, 1, None, "1 error, 1 warning", "1 error, 1 advertencia"),
        (2, 5, None, "2 errors, 5 warnings", "2 errores, 5 advertencias"),
        (
            3000,
            0,
            1000,
            "3,000 errors, 0 warnings; the first 1,000 are listed",
            "3,000 errores, 0 advertencias; se muestran los primeros 1,000",
        ),
    ],
)
def test_summaries_use_the_catalogue_plurals(errors, warnings, listed, english, spanish):
    assert summary_text(errors, warnings, listed, "en") == english
    assert summary_text(errors, warnings, listed, "es") == spanish


def test_a_truncated_report_gives_its_totals_per_kind_in_spanish():
    report = Report(limit=1)
    report.add_many("f.csv", [2, 3, 4], "start", ["a", "b", "c"], msg("impossible date"))
    report.add(
        "f.csv",
        5,
        "event_type",
        "riot",
        msg("unknown value; expected one of: {allowed}", allowed="x"),
    )
    text = report.to_text("es")
    assert "Totales por tipo:" in text
    assert "error: start: fecha imposible" in text
    assert text.endswith("4 errores, 0 advertencias; se muestra el primero (1)")
    assert report.to_text("en").endswith("4 errors, 0 warnings; the first 1 is listed")
    # The machine keys of the totals stay English whatever the language shown.
    assert set(report.totals) == {
        "error: start: impossible date",
        "error: event_type: unknown value; expected one of: x",
    }
    csv_es = report.to_csv("es")
    assert "fecha imposible" in csv_es and csv_es.startswith("file,line,field,value,reason")


def test_a_message_inside_a_message_follows_the_language():
    inner = msg_n("{n} error", "{n} errors", 2)
    outer = msg("{check} [{ids}]: {detail}", check="duplicates", ids="a, b", detail=inner)
    assert outer.text("es") == "duplicates [a, b]: 2 errores"
    assert str(outer) == "duplicates [a, b]: 2 errors"
    assert isinstance(outer, Message) and outer == msg(
        "{check} [{ids}]: {detail}", check="duplicates", ids="a, b", detail=inner
    )


def test_quality_findings_are_reported_in_spanish(bundle):
    """The four data checks of `validate` read in Spanish too (a CMS link here)."""
    from dashboard.analysis.quality_findings import findings_report
    from dashboard.analysis.quality_links import non_article_links

    frame, _ = validate(bundle, to_csv([incident_row(source_url="https://admin.example.org/a")]))
    report = findings_report(non_article_links(frame), NAME, {"test-1": 2})
    (problem,) = report.problems
    assert problem.reason.startswith("non_article_links [test-1]: admin.example.org is a")
    assert "es un servidor de gestión de contenidos" in problem.reason_in("es")
    assert (problem.row, problem.field) == (2, "source_url")


# ------------------------------------------------------------------ bundled data: Spanish


def test_bundled_data_without_a_summary_es_column_fails(bundle):
    result = check_incidents(
        to_csv([incident_row()]),
        "geodata/incidents.csv",
        bundle.locations,
        bundle.states,
        bundled=True,
    )
    assert not result.report.ok and result.frame.empty
    (problem,) = result.report.errors
    assert (problem.field, problem.reason) == ("summary_es", "required column is missing")
    assert problem.reason_in("es") == "falta una columna obligatoria"


def test_bundled_data_with_an_empty_summary_es_fails_on_that_line(bundle):
    data = to_csv(
        [incident_row(summary_es="Un bloqueo."), incident_row(incident_id="t2", summary_es="")]
    )
    frame, report = validate(bundle, data, "geodata/incidents.csv", bundled=True)
    (problem,) = report.errors
    assert (problem.row, problem.field) == (3, "summary_es")
    assert frame.incident_id.tolist() == ["test-1"]


@pytest.mark.parametrize(
    "row",
    [
        incident_row(),  # summary only
        {k: v for k, v in incident_row(summary_es="Un bloqueo.").items() if k != "summary"},
        incident_row(summary_es="Un bloqueo."),  # both
    ],
    ids=["summary only", "summary_es only", "both"],
)
def test_a_users_file_needs_either_summary(bundle, row):
    frame, report = validate(bundle, to_csv([row]))
    assert report.problems == [] and len(frame) == 1


def test_a_users_file_with_neither_summary_column_fails(bundle):
    row = {k: v for k, v in incident_row().items() if k != "summary"}
    _, report = validate(bundle, to_csv([row]))
    assert [(p.field, p.reason) for p in report.errors] == [
        ("summary", "required column is missing")
    ]


def test_every_bundled_key_moment_has_a_spanish_headline():
    assert spanish_headlines_report().problems == []


def test_a_key_moment_without_a_spanish_headline_fails_the_bundled_check(tmp_path):
    geodata = ROOT / "geodata"
    (tmp_path / "key_moments.csv").write_bytes((geodata / "key_moments.csv").read_bytes())
    lines = (geodata / "key_moments_es.csv").read_text(encoding="utf-8").splitlines()
    at = lines[2].split(",", 1)[0]
    lines[2] = f"{at},"  # the second key moment loses its Spanish headline
    (tmp_path / "key_moments_es.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = spanish_headlines_report(tmp_path)
    (problem,) = report.errors
    assert (problem.file, problem.row, problem.field) == (
        "geodata/key_moments.csv",
        3,
        "headline_es",
    )
    assert at in problem.reason
    assert "no tiene texto en español" in problem.reason_in("es")


# ------------------------------------------------------------------ the CLI


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "es_MX.UTF-8"}, "es"),
        ({"LANG": "es"}, "es"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "estonian"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "es_ES.UTF-8"}, "es"),
        ({"LANG": "es_MX.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "es_MX"}, "es"),
        ({"LC_ALL": "", "LANG": "es_MX"}, "es"),
    ],
)
def test_the_environment_chooses_the_language(environ, expected):
    assert environment_language(environ) == expected


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["validate"], {"LANG": "es_MX.UTF-8"}, "es"),
        (["validate", "--lang", "en"], {"LANG": "es_MX.UTF-8"}, "en"),
        (["validate", "--lang=es"], {}, "es"),
        (["snapshot", "--lang", "es", "--out", "x.png"], {}, "es"),
        (["validate", "--lang", "fr"], {"LANG": "es_MX"}, "es"),  # argparse reports "fr"
    ],
)
def test_lang_wins_over_the_environment(argv, environ, expected):
    assert cli_language(argv, environ) == expected


def run(*args: str, lang_env: str = "C.UTF-8", runner=run_cli_in_process):
    return runner(*args, environ={"LANG": lang_env, "LC_ALL": "", "LC_MESSAGES": ""})


@pytest.fixture(scope="module")
def bad_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "malo.csv"
    path.write_bytes(second_row(event_type="riot"))
    return path


def test_validate_lang_es_prints_spanish(bad_file):
    result = run("validate", "--lang", "es", str(bad_file))
    assert result.returncode == 1
    out = result.stdout
    assert f"{bad_file}: leído como csv, utf-8; 1 fila válida" in out
    assert "ERROR: " + str(bad_file) + ", línea 3, campo 'event_type' (valor 'riot'): " in out
    assert "valor desconocido" in out and "unknown value" not in out
    assert out.rstrip().endswith("1 error, 0 advertencias")


@pytest.mark.slow  # end to end: a new process started with a Spanish locale
def test_validate_follows_a_spanish_environment_and_lang_en_overrides_it(bad_file):
    spanish = run("validate", str(bad_file), lang_env="es_MX.UTF-8", runner=run_cli)
    assert "valor desconocido" in spanish.stdout
    english = run("validate", "--lang", "en", str(bad_file), lang_env="es_MX.UTF-8", runner=run_cli)
    assert "unknown value" in english.stdout and "1 valid row" in english.stdout
    assert english.stdout.rstrip().endswith("1 error, 0 warnings")


def test_validate_json_keeps_english_keys_and_adds_the_spanish_reason(bad_file):
    result = run("validate", "--json", "--lang", "es", str(bad_file))
    report = json.loads(result.stdout)
    (problem,) = [p for p in report["problems"] if p["field"] == "event_type"]
    assert problem["reason"].startswith("unknown value")
    assert problem["reason_es"].startswith("valor desconocido")
    assert (problem["row"], problem["severity"], problem["value"]) == (3, "error", "riot")
    assert "totals_es" in report and all(k.startswith("error") for k in report["totals"])
    english = json.loads(run("validate", "--json", "--lang", "en", str(bad_file)).stdout)
    assert "reason_es" not in english["problems"][0] and "totals_es" not in english


def test_a_missing_file_is_reported_in_spanish(tmp_path):
    result = run("validate", "--lang", "es", str(tmp_path / "no-existe.csv"))
    assert result.returncode == 1
    assert "no se puede leer el archivo" in result.stdout
    assert "Traceback" not in result.stderr


def test_help_and_errors_follow_the_language(capsys):
    with pytest.raises(SystemExit) as done:
        main(["validate", "--help", "--lang", "es"])
    assert done.value.code == 0
    assert "idioma del informe" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        main(["snapshot", "--out", "x.png", "--state", "Atlantis", "--lang", "es"])
    assert done.value.code == 2
    assert "--state 'Atlantis': estado desconocido" in capsys.readouterr().err


def test_write_messages_follow_the_language(tmp_path, capsys):
    from dashboard.__main__ import byte_count, write_output

    assert write_output(tmp_path / "a.bin", b"x" * 1234, byte_count(1234, "es"), "es") == 0
    assert capsys.readouterr().out.strip() == f"se escribió {tmp_path / 'a.bin'} (1,234 bytes)"
    assert write_output(tmp_path / "nope" / "a.bin", b"x", "1 byte", "es") == 1
    assert capsys.readouterr().err.startswith(f"no se puede escribir {tmp_path / 'nope' / 'a.bin'}")


# ------------------------------------------------------------------ the corrections log


def test_the_corrections_log_and_its_problems_read_in_spanish():
    from dashboard.ingest.corrections import (
        CORRECTION_COLUMNS,
        credit_line,
        log_entries,
        official_key,
        read_corrections,
        record_label,
    )

    source = "https://example.org/fe-de-erratas"
    data = "\n".join(
        [
            ",".join(CORRECTION_COLUMNS),
            f"2026-11-29,a,fatalities,,2,count,{source}",
            f"2026-12-01,b,record,published,withdrawn,no source,{source}",
            f"29/11/2026,c,notes,,x,why,{source}",
        ]
    ).encode()
    rows, report = read_corrections(data, "corrections.csv")
    (problem,) = report.problems
    assert (problem.row, problem.field, problem.value) == (4, "date", "29/11/2026")
    assert problem.reason_in("es") == "no es una fecha (AAAA-MM-DD)"
    entries = log_entries(rows, "es")
    assert entries[0].changes == ("Registro retirado",)
    assert entries[1].changes == ("Muertos: (vacío) → “2”",)
    assert entries[1].reason == "count"  # the correction's reason is data, as written
    assert credit_line(rows, "es") == (
        "Correcciones y actualizaciones: 2 cambios en 2 registros, la más reciente el "
        "2026-12-01; cada una aparece con su motivo y su fuente en la página del mapa."
    )
    assert credit_line(rows[:1], "en").startswith("Corrections and updates: 1 change to 1 record,")
    assert credit_line([], "es") == "Hasta ahora no hay correcciones a los datos."
    key = official_key(
        {
            "reported_at": "2026-02-23T00:00-06:00",
            "scope": "Jalisco",
            "metric": "arrests",
            "reported_by": "FGE",
        }
    )
    assert record_label(key, "es") == "Cifra oficial: Jalisco, arrests (FGE, 2026-02-23)"


def test_the_quality_tables_and_cli_speak_spanish(bundle):
    from dashboard.analysis.quality import QUALITY_VIEWS, quality_tables, quality_text

    english = quality_tables(bundle.incidents, bundle.states)
    spanish = quality_tables(bundle.incidents, bundle.states, "es")
    assert list(english) == list(spanish) == list(QUALITY_VIEWS)
    for name in QUALITY_VIEWS:  # the same rows and keys; only the detail's words differ
        columns = [c for c in english[name].columns if c not in ("detail", "point_in")]
        assert english[name][columns].equals(spanish[name][columns]), name
    outlets = spanish["outlets"]["detail"].iloc[0]
    assert outlets.startswith("citado por ") and "(s)" not in english["outlets"]["detail"].iloc[0]
    assert all(
        d.startswith("de la hora solo se conoce") or d.startswith("del lugar")
        for d in spanish["imprecise"]["detail"]
    )
    text = quality_text(spanish, "es")
    assert "== duplicates: Posibles duplicados" in text


def test_every_problem_of_the_bad_inputs_is_a_catalogue_message(bundle):
    """No reason is plain text: each one can be shown in Spanish."""
    from dashboard.__main__ import validate_files

    plain = []
    for case, data, name, *_ in CASES:
        _, report = validate(bundle, data, name)
        plain += [(case, p.reason) for p in report.problems if p.message is None]
    report, _ = validate_files([])  # the bundled data, with its data checks
    plain += [("bundled", p.reason) for p in report.problems if p.message is None]
    assert plain == []
