"""Last session's analyst trial (issue 24), what remained: ACLED's type names in the
reader's language (#11), a file with no usable location named in ACLED's terms (#16),
and the sections about the bundled data under a reader's file (#17). Each with the
smallest file that shows it: tests/data/acled_export.csv (three ACLED rows) or a
column-less copy of it."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest.acled import NAMES, name_label, spanish_name
from dashboard.ingest.validate import validate_incidents
from dashboard.model.schema import event_type_label
from dashboard.text.i18n import pgettext_for
from tests.conftest import ROOT, open_sections

ACLED_FILE = ROOT / "tests" / "data" / "acled_export.csv"


# ------------------------------------------------------------- ACLED's names (#11)

NAMES_SHOWN = [
    # (as a file writes it, language, shown)
    ("Armed clash", "es", "Enfrentamiento armado"),
    ("armed clash", "es", "Enfrentamiento armado"),  # any case
    ("Remote explosive/landmine/IED", "es", "Explosivo a distancia/mina/artefacto improvisado"),
    ("Battles", "es", "Batallas"),
    ("Armed clash", "en", "Armed clash"),
    ("armed clash", "en", "armed clash"),  # English: as the file writes it
    ("Cartel turf war", "es", "Cartel turf war"),  # not ACLED's: as written
    ("", "es", ""),
]


@pytest.mark.parametrize(("name", "lang", "shown"), NAMES_SHOWN)
def test_acled_names_are_shown_in_the_readers_language(name, lang, shown):
    assert name_label(name, lang) == shown


def test_every_name_of_acleds_codebook_has_its_spanish_entry():
    assert len(NAMES) == 31  # six event types, 25 sub-event types (codebook 2023)
    untranslated = [n for n in NAMES.values() if pgettext_for("es", "ACLED", n) == n]
    assert untranslated == []
    # The summary line of an imported row still takes them (acled.spanish_name).
    assert spanish_name("Peaceful protest") == "Protesta pacífica"


def test_acleds_armed_clash_keeps_apart_from_our_own_type():
    """The same English, two translations: a context keeps them apart in the catalogue."""
    assert event_type_label("armed_clash", "es") == "Enfrentamiento"
    assert name_label("Armed clash", "es") == "Enfrentamiento armado"


def upload(lang: str, data: bytes, name: str = "acled.csv") -> AppTest:
    at = open_sections(AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120))
    at.query_params["lang"] = lang
    at.run()
    at.file_uploader(key="upload").set_value((name, data, "text/csv")).run()
    at.checkbox(key="use_upload").check().run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def spanish_file():
    return upload("es", ACLED_FILE.read_bytes())


@pytest.fixture(scope="module")
def english_file():
    return upload("en", ACLED_FILE.read_bytes())


def test_the_spanish_filters_show_acleds_types_in_spanish_and_keep_its_values(spanish_file):
    at = spanish_file
    subs = at.multiselect(key="sub_types")
    assert subs.options == sorted(["Enfrentamiento armado", "Ataque", "Detenciones"])
    types = at.multiselect(key="types")
    assert {"Batallas", "Violencia contra civiles", "Acontecimientos estratégicos"} <= set(
        types.options
    )
    # The value chosen is ACLED's English name: the data, the permalink and the exports.
    subs.select("Armed clash").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="sub_types").value == ["Armed clash"]
    assert at.query_params["sub"] in ("Armed clash", ["Armed clash"])  # the link, in English


# ------------------------------------------------------------- no location (#16)


def acled_without(columns: list[str]) -> bytes:
    frame = pd.read_csv(ACLED_FILE, dtype=str, keep_default_na=False)
    out = io.StringIO()
    frame.drop(columns=columns).to_csv(out, index=False)
    return out.getvalue().encode()


@pytest.mark.parametrize(
    "dropped",
    [["latitude", "longitude"], ["latitude", "longitude", "admin1", "admin2", "location"]],
)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_acled_file_without_a_location_is_told_in_acleds_columns(bundle, dropped, lang):
    frame, report = validate_incidents(
        acled_without(dropped), "acled.csv", bundle.locations, bundle.states
    )
    errors = [p for p in report.problems if p.severity == "error"]
    assert frame.empty and len(errors) == 3  # one per row
    for problem in errors:
        assert problem.field == "latitude"
        reason = problem.reason_in(lang)
        for column in ("latitude", "longitude", "admin1", "admin2", "location"):
            assert column in reason, (column, reason)
        assert "location_id" not in reason


def test_our_own_file_without_a_location_still_names_our_columns(bundle):
    from tests.conftest import incident_row, to_csv

    row = incident_row(latitude="", longitude="")
    _, report = validate_incidents(to_csv([row]), "mine.csv", bundle.locations, bundle.states)
    (problem,) = report.problems
    assert (problem.field, problem.reason) == (
        "location_id",
        "needs a location_id or latitude/longitude",
    )


# ------------------------------------------------ what is about the bundled data (#17)


def texts(at: AppTest) -> str:
    found = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "expander"):
        for element in getattr(at, kind):
            found.append(str(getattr(element, "value", None) or getattr(element, "label", "")))
    return "\n".join(found)


def test_under_a_readers_file_the_bundled_sections_are_left_out_or_say_so(english_file):
    at = english_file
    shown = texts(at)
    # The lead paragraph (the raid near Tapalpa) and the key moments are the bundled
    # event's: left out.
    assert "special forces killed CJNG leader" not in shown
    assert "Key moments" not in [h.value for h in at.header]
    # The counting rule keeps no date of the bundled event.
    assert "Nothing reacted to the raid" not in shown
    assert "known only to its month is counted" in shown
    # The corrections log is the bundled data's, and says so.
    assert "Corrections and updates of the map's own data" in [s.value for s in at.subheader]
    assert any("not your file" in c.value for c in at.caption)
    # The official figures are compared with the bundled data only (already so).
    assert any("compared with the bundled data only" in c.value for c in at.caption)


def test_the_spanish_page_under_a_file_says_the_same(spanish_file):
    shown = texts(spanish_file)
    assert "Momentos clave" not in [h.value for h in spanish_file.header]
    assert "no de tu archivo" in shown
    assert "Nada reaccionó al operativo" not in shown


def test_the_bundled_page_keeps_its_sections(app):
    shown = texts(app)
    assert "Key moments" in [h.value for h in app.header]
    assert "Corrections and updates" in [s.value for s in app.subheader]
    assert "Nothing reacted to the raid" in shown
    assert "special forces killed CJNG leader" in shown  # the lead paragraph


# ------------------------------------------------------------- a search that finds nothing


def test_a_search_that_matches_none_of_a_readers_records_says_so(english_file):
    """Under a reader's file (no display text made ahead) a search that finds nothing
    listed 0 records without a crash: before, incident_list.when_text failed on the empty
    frame and the page stopped with Streamlit's error box (fresh24's re-try)."""
    at = english_file
    at.text_input(key="incident_search").set_value("zzzz").run()
    assert not at.exception, at.exception
    assert "0 incidents matching the search" in texts(at)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_when_text_of_no_records_is_empty(bundle, lang):
    from dashboard.render.incident_list import when_text

    assert when_text(bundle.incidents.iloc[:0], lang).tolist() == []
