"""Place names, the operation site and the corrections' reasons in Spanish (issue 8):
which place names are English descriptions, which form each language shows, what the
validator requires of the bundled data and accepts from a user's file."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pandas as pd
import pytest

from dashboard.analysis.quality_files import spanish_data_report
from dashboard.ingest.corrections import load_corrections, log_entries, read_corrections
from dashboard.ingest.validate import validate_incidents
from dashboard.model import bundled_files
from dashboard.model.placenames import english_words, is_description, place_column, place_name
from dashboard.render.popups import place_label, records, tooltip_html
from tests.conftest import incident_row, to_csv


@pytest.mark.parametrize(
    ("place", "words"),
    [
        ("Tapalpa", []),
        ("Col. Venecia", []),
        ("Crucero de Melaque", []),
        ("Libramiento Norte", []),
        ("Terminal Central de Autobuses del Norte", []),
        ("Banco del Bienestar, Xonacatepec", []),
        ("Circuito Exterior Mexiquense km 19", []),
        ("Toll booth near the Río San Juan bridge", ["booth", "bridge", "near", "the", "toll"]),
        ("Puerto Vallarta International Airport", ["airport", "international"]),
        ("Oxxo store", ["store"]),
        ("Sonora (statewide)", ["statewide"]),
        ("Crucero de Caleras, Colima–Manzanillo autopista", ["autopista"]),
        ("Autopista del Sol", []),
        ("", []),
    ],
)
def test_english_descriptions_are_told_from_proper_nouns(place, words):
    assert english_words(place) == words
    assert is_description(place) == bool(words)


@pytest.mark.parametrize(
    ("place", "place_es", "lang", "shown"),
    [
        ("Oxxo store", "Tienda Oxxo", "es", "Tienda Oxxo"),
        ("Oxxo store", "Tienda Oxxo", "en", "Oxxo store"),
        ("Tapalpa", "", "es", "Tapalpa"),  # a proper noun: no Spanish form needed
        ("", "Tienda Oxxo", "en", "Tienda Oxxo"),  # a user's file with only Spanish
        ("", "", "es", ""),
    ],
)
def test_each_language_shows_its_form_and_falls_back_to_the_other(place, place_es, lang, shown):
    assert place_name(place, place_es, lang) == shown
    frame = pd.DataFrame({"place": [place], "place_es": [place_es]})
    assert place_column(frame, lang).tolist() == [shown]


def test_a_frame_without_place_es_shows_place():
    frame = pd.DataFrame({"place": ["Oxxo store", None]})
    assert place_column(frame, "es").tolist() == ["Oxxo store", ""]


# ---------------------------------------------------------------- the bundled data


def test_every_bundled_description_has_a_spanish_form_and_proper_nouns_none(bundle):
    places = bundle.locations
    described = places["place"].map(is_description)
    assert described.sum() > 200
    assert (places.loc[described, "place_es"] != "").all()
    assert (places.loc[~described, "place_es"] == "").all()
    assert not (places["place_es"] == places["place"]).any()
    assert spanish_data_report(bundle).problems == []


def test_the_operation_site_has_its_name_and_description_in_spanish(bundle):
    site = bundle.operation_site.iloc[0]
    assert site["name_es"] == "Sitio del operativo en Tapalpa"
    assert "Tapalpa" in site["description_es"] and "cabañas" in site["description_es"]
    assert site["description_es"] != site["description"]


def test_validate_requires_the_spanish_forms_of_the_bundled_data(bundle, tmp_path):
    locations = bundle.locations.copy()
    toll = locations.index[locations["place"].str.contains("toll booth")][0]
    locations.loc[toll, "place_es"] = ""
    locations.loc[locations["place"] == "Tapalpa", "place_es"] = ""  # fine: a proper noun
    site = bundle.operation_site.copy()
    site["description_es"] = ""
    with bundled_files.CORRECTIONS_FILE.open(encoding="utf-8", newline="") as f:
        log = list(csv.DictReader(f))
    log[0]["reason_es"] = ""  # the first correction (line 2) loses its Spanish reason
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(log[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(log)
    (tmp_path / "corrections.csv").write_text(out.getvalue(), encoding="utf-8")
    broken = dataclasses.replace(bundle, locations=locations, operation_site=site)
    problems = spanish_data_report(broken, tmp_path).problems
    found = {(p.file, p.row, p.field) for p in problems}
    assert found == {
        ("geodata/locations.geojson", int(toll) + 1, "place_es"),
        ("geodata/operation_site.geojson", None, "description_es"),
        ("geodata/corrections.csv", 2, "reason_es"),
    }
    place = next(p for p in problems if p.field == "place_es")
    assert "booth" in place.reason and "place_es" in place.reason
    assert "descripción en inglés" in place.reason_in("es")


# ---------------------------------------------------------------- a user's file


@pytest.mark.parametrize(
    ("given", "english", "spanish"),
    [
        ({"place": "Toll booth", "place_es": "Caseta"}, "Toll booth", "Caseta"),
        ({"place": "Toll booth"}, "Toll booth", "Toll booth"),
        ({"place_es": "Caseta"}, "Caseta", "Caseta"),
    ],
)
def test_a_users_file_may_give_place_place_es_or_both(bundle, given, english, spanish):
    row = incident_row(**given)
    frame, report = validate_incidents(to_csv([row]), "mine.csv", bundle.locations, bundle.states)
    assert report.ok, report.to_text()
    [record] = records(frame)
    assert place_label(record, "en").startswith(english + ",")
    assert place_label(record, "es").startswith(spanish + ",")
    assert tooltip_html(record, "es").endswith(": " + spanish)


def test_a_row_on_a_bundled_place_takes_its_spanish_name(bundle):
    place = bundle.locations[bundle.locations["place"] == "Walmart parking lot"].iloc[0]
    row = incident_row(location_id=place["location_id"])
    for column in ("latitude", "longitude", "cve_ent", "geo_precision", "place"):
        row.pop(column, None)
    frame, report = validate_incidents(to_csv([row]), "mine.csv", bundle.locations, bundle.states)
    assert report.ok, report.to_text()
    assert frame["place_es"].tolist() == ["Estacionamiento de Walmart"]


# ---------------------------------------------------------------- corrections


HEADER = "date,record,field,old_value,new_value,reason,source_url"
SOURCE = "https://example.org/article-1"


def test_a_correction_shows_its_reason_in_the_log_language():
    data = (
        f"{HEADER},reason_es\n"
        f"2026-11-29,a,fatalities,,2,The source counts two.,{SOURCE},La fuente cuenta dos.\n"
        f"2026-11-29,b,fatalities,,1,The source counts one.,{SOURCE},\n"
    ).encode()
    rows, report = read_corrections(data, "corrections.csv")
    assert report.ok
    assert [r.reason_es for r in rows] == ["La fuente cuenta dos.", ""]
    spanish = [e.reason for e in log_entries(rows, "es")]
    english = [e.reason for e in log_entries(rows, "en")]
    assert spanish == ["La fuente cuenta dos.", "The source counts one."]  # falls back
    assert english == ["The source counts two.", "The source counts one."]


def test_a_log_without_reason_es_is_still_valid():
    data = f"{HEADER}\n2026-11-29,a,fatalities,,2,The source counts two.,{SOURCE}\n".encode()
    rows, report = read_corrections(data, "corrections.csv")
    assert report.ok and rows[0].reason_es == ""
    assert log_entries(rows, "es")[0].reason == "The source counts two."


def test_every_bundled_correction_has_its_reason_in_spanish():
    rows, report = load_corrections(bundled_files.CORRECTIONS_FILE)
    assert report.ok and len(rows) >= 100
    assert all(r.reason_es.strip() and r.reason_es != r.reason for r in rows)
    # one Spanish reason per English reason: a translation, not a new reason
    pairs = {(r.reason, r.reason_es) for r in rows}
    assert len(pairs) == len({r.reason for r in rows}) == len({r.reason_es for r in rows})


def test_the_build_wrote_the_spanish_forms():
    """locations.geojson and operation_site.geojson carry what place_es.csv and the build
    give (regenerated with the build script, not edited by hand)."""
    features = json.loads(bundled_files.LOCATIONS_FILE.read_text(encoding="utf-8"))["features"]
    with (bundled_files.GEODATA / "place_es.csv").open(encoding="utf-8", newline="") as f:
        by_place = {row["place"]: row["place_es"] for row in csv.DictReader(f)}
    for feature in features:
        props = feature["properties"]
        assert props["place_es"] == by_place.get(props["place"], "")
