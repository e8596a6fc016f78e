"""The page, the map, the snapshots and the published site in Spanish and English.

AppTest for the page; the map as data (its config, points and state tooltips); the PNG's
pixels and metadata. The catalogue itself (every message translated, placeholders match)
is checked in tests/test_i18n.py.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest
from babel.messages.pofile import read_po
from PIL import Image
from streamlit.testing.v1 import AppTest

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import national_figures, state_counts
from dashboard.ingest.corrections import load_corrections
from dashboard.model import bundled_files
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.placenames import is_description
from dashboard.model.schema import NON_INCIDENT_TYPES
from dashboard.render.captions import KEY_FIGURES
from dashboard.render.incident_list import incident_table
from dashboard.render.mappoints import incident_points
from dashboard.render.mapstates import state_styles
from dashboard.render.mapstrings import MAP_STRINGS, map_strings
from dashboard.render.mapview import map_config
from dashboard.render.popups import counts_label, records, summary_text, when_label
from dashboard.render.publish import embed_page, views
from dashboard.render.snapshot import (
    MAP_BOX,
    alt_text,
    html_document,
    png_bytes,
    select,
    title,
)
from dashboard.text.escape import escape_text
from dashboard.text.i18n import LOCALE_DIR, translation
from tests.test_app import app_with

WINDOW = (datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY))
# Where the page's messages are written: the page itself and the render modules it shows.
PAGE_MODULES = (
    "dashboard/web/",
    "dashboard/render/captions.py",
    "dashboard/render/charts.py",
    "dashboard/render/mapview.py",
    "dashboard/render/maplayers.py",
    "dashboard/render/mappoints.py",
    "dashboard/render/mapsite.py",
    "dashboard/render/mapstates.py",
    "dashboard/render/mapstrings.py",
    "dashboard/render/popups.py",
    "dashboard/render/incident_list.py",
    "dashboard/render/symbols.py",
)


page_at = app_with  # the page opened from a link (tests/test_app.py)


@pytest.fixture(scope="module")
def english():
    return page_at({"lang": "en"})


@pytest.fixture(scope="module")
def spanish():
    return page_at({"lang": "es"})


def english_only_messages() -> list[str]:
    """English texts of the page's messages whose Spanish differs (msgid and plural), from
    the catalogue: a page in Spanish shows none of them."""
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    texts = []
    for message in catalogue:
        where = [path for path, _ in message.locations]
        if not message.id or not any(path.startswith(PAGE_MODULES) for path in where):
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        texts += [i for i in ids if i not in strings]
    return texts


def page_texts(at: AppTest) -> list[str]:
    """Every piece of interface text AppTest sees: headings, body text, captions, notices,
    widget labels, help and options, metric labels, tab and expander labels, table headers
    and the map frame's title."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning"):
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [e.label for e in at.expander]
    kinds = ("button", "checkbox", "multiselect", "selectbox", "slider", "select_slider")
    for kind in (*kinds, "text_input"):
        for widget in getattr(at, kind):
            texts += [widget.label, widget.help or ""]
            texts += [str(o) for o in getattr(widget, "options", [])]
    texts += [e.label for e in at.text_area] + [e.label for e in at.toggle]
    for metric in at.metric:
        texts += [metric.label, metric.help or ""]
    for frame in at.dataframe:
        texts += re.findall(r'"(?:label|help)": "((?:[^"\\]|\\.)*)"', frame.proto.columns)
    texts += [h.proto.body for h in at.get("html") if "data-map-title" in h.proto.body]
    return [t.encode().decode("unicode_escape") if "\\u" in t else t for t in texts if t]


def shows(message: str, texts: list[str]) -> bool:
    """Whether a message's English text is on the page: its literal parts between {fields}
    (those of 12 characters or more, so "All" or "from" do not match inside data), or the
    whole of a short message as a whole text."""
    parts = [p.strip() for p in re.split(r"\{\w+\}", message)]
    long_parts = [p for p in parts if len(p) >= 12]
    if long_parts:
        return any(all(p in text for p in long_parts) for text in texts)
    return any(text.strip() == message.strip() for text in texts)


def test_the_spanish_page_shows_no_english_message(spanish, english):
    texts = page_texts(spanish)
    messages = english_only_messages()
    assert len(messages) > 150  # the page's messages were found at all
    found = sorted(m for m in messages if shows(m, texts))
    assert not found, found
    # and the same check finds them on the English page (the test can fail)
    assert sum(shows(m, page_texts(english)) for m in messages) > 60


def english_data_texts(bundle) -> dict[str, list[str]]:
    """The bundled data's English texts that have a Spanish form (issue 8), by kind: the
    operation site's name and description, the place names that are English descriptions
    (dashboard/model/placenames.py), the corrections' reasons."""
    site = bundle.operation_site.iloc[0]
    places = bundle.locations["place"]
    corrections, _ = load_corrections(bundled_files.CORRECTIONS_FILE)
    return {
        "site": [site["name"], site["description"]],
        "places": sorted({p for p in places if is_description(p)}),
        "reasons": sorted({c.reason for c in corrections}),
    }


def data_texts(at: AppTest) -> list[str]:
    """What the page shows of the data: body text, captions, expander labels, the cells
    of its tables and the time slider's stops."""
    texts = [str(e.value) for kind in ("markdown", "caption") for e in getattr(at, kind)]
    texts += [e.label for e in at.expander]
    for frame in at.dataframe:
        table = frame.value
        texts += [str(v) for c in table.columns for v in table[c] if isinstance(v, str)]
    texts += [str(o) for s in at.select_slider for o in s.options]
    return texts


@pytest.mark.parametrize("kind", ["places", "reasons"])
def test_the_spanish_page_shows_no_english_data_text(spanish, english, bundle, kind):
    """Place names that are English descriptions and the corrections' reasons are shown
    in Spanish (`place_es`, `reason_es`) on the Spanish page; the English page shows them
    (so the check can fail)."""
    wanted = english_data_texts(bundle)[kind]
    shown_es, shown_en = "\n".join(data_texts(spanish)), "\n".join(data_texts(english))
    assert not [text for text in wanted if text in shown_es]
    assert sum(text in shown_en for text in wanted) >= 5


def test_the_time_slider_reads_as_dates_in_the_page_language(spanish, english):
    """Streamlit's own slider labels: Babel's "dom 22 feb, 14:00" on the Spanish page,
    "Sun 22 Feb, 14:00" on the English one, never digits only."""
    stops_es = spanish.select_slider(key="window").options
    stops_en = english.select_slider(key="window").options
    assert len(stops_es) == len(stops_en) > 48
    assert "dom 22 feb, 14:00" in stops_es and "Sun 22 Feb, 14:00" in stops_en
    spanish_date = re.compile(r"(dom|lun|mar|mié|jue|vie|sáb) \d{1,2} (feb|mar), \d\d:00")
    assert all(spanish_date.fullmatch(stop) for stop in stops_es), stops_es[:3]
    assert not set(stops_es) & set(stops_en)


def test_the_spanish_page_is_in_spanish(spanish):
    assert spanish.title[0].value == translation("es").gettext(
        "After the Tapalpa raid: blockades and attacks across Mexico"
    )
    assert [m.label for m in spanish.metric][0] == "Incidentes en este periodo"
    assert spanish.multiselect(key="types").options[:2] == ["Bloqueo", "Quema de vehículos"]
    assert "Incidentes en la vista" in [h.value for h in spanish.header]


def test_key_figures_are_the_same_in_both_languages(spanish, english):
    assert [m.value for m in spanish.metric] == [m.value for m in english.metric]
    # one row: the incidents, then the four official figures with the map's count under
    assert len(spanish.metric) == len(KEY_FIGURES) == 5

    def numbers(at):
        return [str(m.delta).split()[0] for m in at.metric]

    assert numbers(spanish) == numbers(english)


def test_summaries_and_key_moments_are_spanish(spanish):
    table = next(d.value for d in spanish.dataframe if "summary" in d.value.columns)
    spanish_words = ["solo el día", "parte del día", "a la hora", "al minuto"]
    assert table["time_known"].isin(spanish_words).all()
    markdown = " ".join(str(m.value) for m in spanish.markdown)
    assert "Gabinete de Seguridad" in markdown and "Morning:" not in markdown


LINK = {
    "from": "2026-02-22T06:00",
    "to": "2026-02-23T00:00",
    "states": "JAL,MIC",
    "types": "blockade,vehicle_arson",
    "layers": "states,incidents",
    "lat": "20.6000",
    "lon": "-103.3000",
    "zoom": "8",
    "lang": "en",
}


def test_switching_language_keeps_the_view():
    at = page_at(LINK)
    before = (
        at.select_slider(key="window").value,
        at.multiselect(key="states").value,
        at.multiselect(key="types").value,
        at.multiselect(key="layers").value,
    )
    # The map wrote where the reader panned and zoomed into the address (without a rerun).
    at.query_params["lat"], at.query_params["lon"], at.query_params["zoom"] = (
        "19.4000",
        "-99.1000",
        "9",
    )
    at.radio(key="lang").set_value("es").run()
    assert not at.exception
    after = (
        at.select_slider(key="window").value,
        at.multiselect(key="states").value,
        at.multiselect(key="types").value,
        at.multiselect(key="layers").value,
    )
    assert after == before
    # A link without size= is read as made on the desktop map (permalink.LEGACY_SCREEN).
    assert at.session_state["map_first_view"] == {
        "center": [19.4, -99.1],
        "zoom": 9,
        "screen": [1100, 560],
    }
    params = {k: at.query_params[k] for k in ("from", "to", "states", "types", "layers")}
    assert params == {k: LINK[k] for k in params}
    assert (at.query_params["lat"], at.query_params["zoom"], at.query_params["lang"]) == (
        "19.4000",
        "9",
        "es",
    )
    assert at.multiselect(key="types").options[0] == "Bloqueo"


# ------------------------------------------------------------------ the map as data


@pytest.mark.parametrize("key", [k for k, v in MAP_STRINGS.items() if isinstance(v, str)])
def test_every_map_string_is_translated(key):
    spanish, english = map_strings("es"), map_strings("en")
    if key == "locale":
        assert (spanish[key], english[key]) == ("es-MX", "en-GB")
    elif key in (
        "active",
        "span",
        "grouped",
        "whole_possible",
        "cluster",
        "stack",
        "near",
    ):  # counted: both plural forms, by ngettext
        assert spanish[key] != english[key] and spanish[key + "_one"] != english[key + "_one"]
        assert "{n}" in spanish[key] and "{n}" in spanish[key + "_one"]
    else:
        assert spanish[key] != english[key], key
        assert spanish[key] == translation("es").gettext(english[key])


def test_the_map_config_is_spanish(bundle):
    config = map_config("{}", bundle.operation_site, lang="es")
    assert config["strings"]["legend"] == "Simbología"
    assert config["strings"]["play"] == "Reproducir"
    assert config["gesture"]["touch"] == "Usa dos dedos para mover el mapa"
    assert config["categories"][0]["label"] == "Bloqueo"
    assert config["type_labels"][1] == "Quema de vehículos"
    assert config["ramp"][-1][1] == "26+"
    assert "Fuentes:" in config["site"][0][3]
    english = map_config("{}", bundle.operation_site, lang="en")
    assert english["strings"]["legend"] == "Legend" and english["categories"][0]["label"] == (
        "Road blockade"
    )


@pytest.mark.parametrize(
    ("lang", "type_word", "location", "when"),
    [
        ("es", "Quema de vehículos", "Ubicación:", "dom 22 feb 2026"),
        ("en", "Vehicle burning", "Location:", "Sun 22 Feb 2026"),
    ],
)
def test_tooltips_and_popups_in_each_language(bundle, lang, type_word, location, when):
    selected = apply(ViewSpec(*WINDOW), bundle.incidents)
    rows, _, labels = incident_points(selected, lang)
    arson = [r for r in rows if r[2] == 1]  # vehicle_arson, the second event type
    assert arson and all(r[7].startswith(type_word + ":") for r in arson)
    assert all(location in r[8] for r in rows)
    assert any(when in r[8] for r in rows)
    counts = state_counts(selected, bundle.official, ViewSpec(*WINDOW), lang=lang)
    tips = state_styles(counts, selected[selected["geo_precision"] >= 3], lang)
    jalisco = tips["14"][1]
    assert ("incidentes en el periodo" in jalisco) == (lang == "es")


def test_the_operation_site_speaks_the_map_language(bundle):
    site = bundle.operation_site.iloc[0]
    spanish = map_config("{}", bundle.operation_site, lang="es")["site"][0]
    english = map_config("{}", bundle.operation_site, lang="en")["site"][0]
    assert spanish[2] == "Sitio del operativo en Tapalpa, Tapalpa, Jalisco"
    assert site["description_es"] in spanish[3] and site["description"] not in spanish[3]
    assert site["name"] not in spanish[2] + spanish[3]
    assert english[2] == "Tapalpa operation site, Tapalpa, Jalisco"
    assert site["description"] in english[3]
    assert "El Informador, 2026-02-22</a>" in english[3]  # the date as written, no clock


@pytest.mark.parametrize("lang", ["es", "en"])
def test_place_names_in_popups_tooltips_and_the_list(bundle, lang):
    """A place that is an English description is named in Spanish on the Spanish map and
    list (its `place_es`), in English on the English ones; proper nouns stay as written."""
    selected = apply(ViewSpec(*WINDOW), bundle.incidents)
    described = selected[selected["place"].map(is_description)]
    assert len(described) > 20
    rows, _, _ = incident_points(described, lang)
    table = incident_table(described, lang=lang).rows
    shown = "\n".join([*(r[7] for r in rows), *(r[8] for r in rows), *table["place"]])
    spanish = set(described["place_es"]) - {""}
    english = set(described["place"])
    hidden = english if lang == "es" else spanish
    assert not [p for p in hidden if escape_text(p) in shown or p in shown]
    listed = described[~described["event_type"].isin(NON_INCIDENT_TYPES)]
    expected = set(listed["place_es" if lang == "es" else "place"])
    assert expected == set(table["place"])


def test_the_list_search_finds_a_place_by_its_spanish_name(bundle):
    selected = apply(ViewSpec(*WINDOW), bundle.incidents)
    booths = incident_table(selected, "caseta", lang="es").rows
    assert len(booths) and booths["place"].str.contains("aseta").all()


def test_popups_use_the_spanish_summary_and_fall_back_to_english(bundle):
    row = records(bundle.incidents.head(1))[0]
    assert summary_text(row, "es") == row.summary_es != row.summary
    assert summary_text(row, "en") == row.summary
    row.summary_es = ""  # a user's file with only English
    assert summary_text(row, "es") == row.summary


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("es", "3 bloqueos, 1 muerto"), ("en", "3 blockades, 1 killed")],
)
def test_counts_are_plural_by_the_catalogue(lang, expected):
    row = type("Row", (), {"blockades": 3, "fatalities": 1, "injured": None, "arrested": None})
    assert counts_label(row, lang) == expected


def test_when_labels_are_spanish_dates(bundle):
    timed = bundle.incidents[bundle.incidents["time_precision"] == "minute"].head(1)
    label = when_label(records(timed)[0], "es")
    assert "hora de la Ciudad de México" in label
    assert re.match(r"(dom|lun|mar|mié|jue|vie|sáb) \d+ \w+ 2026, \d\d:\d\d", label)


def test_the_incident_list_speaks_spanish(bundle):
    table = incident_table(apply(ViewSpec(*WINDOW), bundle.incidents), lang="es")
    words = set(table.rows["place_known"]) | set(table.rows["event_type"])
    assert {"localidad / municipio", "Bloqueo"} <= words
    assert not set(table.rows["summary"]) & set(bundle.incidents["summary"])


def test_official_figures_are_dated_in_each_language(bundle):
    view = ViewSpec(*WINDOW)
    assert national_figures(bundle.official, view, "es")["blockades"].when == "22 feb 20:00"
    assert national_figures(bundle.official, view, "en")["blockades"].when == "22 Feb 20:00"


# ------------------------------------------------------------------ snapshots


@pytest.fixture(scope="module")
def pngs(bundle):
    page = PageView(ViewSpec(*WINDOW))
    return {lang: png_bytes(bundle, page, lang=lang) for lang in ("es", "en")}


def test_the_spanish_png_has_spanish_alt_text(bundle, pngs):
    image = Image.open(io.BytesIO(pngs["es"]))
    page = PageView(ViewSpec(*WINDOW), lang="es")
    assert image.text["Description"] == alt_text(page, select(bundle, page))
    assert image.text["Description"].startswith("Entre el dom 22 feb")
    assert (
        image.text["Title"]
        == title(page)
        == ("Tras el operativo en Tapalpa: incidentes reportados en México")
    )
    assert image.text["Source"].startswith("versión de los datos")
    english = Image.open(io.BytesIO(pngs["en"]))
    assert english.text["Description"].startswith("Between Sun 22 Feb")


def test_the_two_pngs_of_a_view_differ_only_in_text(pngs):
    spanish, english = (
        np.asarray(Image.open(io.BytesIO(pngs[lang])).convert("RGB")).astype(int)
        for lang in ("es", "en")
    )
    height, width = spanish.shape[:2]
    left, bottom, box_width, box_height = MAP_BOX
    top_px, bottom_px = round((1 - bottom - box_height) * height), round((1 - bottom) * height)
    left_px, right_px = round(left * width), round((left + box_width) * width)
    differ = (spanish != english).any(axis=2)
    assert differ.any()  # the texts differ
    # ...and nothing in the map box does (title, stats, legend and credit are outside it)
    assert not differ[top_px:bottom_px, left_px:right_px].any()


def test_the_html_snapshot_in_spanish(bundle):
    html = html_document(bundle, PageView(ViewSpec(*WINDOW)), lang="es")
    assert '<html lang="es">' in html
    assert "Reproducir" in html and "Ocultar simbolog" in html and '"es-MX"' in html
    assert "Tras el operativo en Tapalpa" in html
    # the corrections credit line too (tester 10 #8: it was English in the Spanish file)
    assert "Correcciones y actualizaciones:" in html
    assert "Corrections and updates" not in html


@pytest.mark.parametrize("lang", ["es", "en"])
def test_snapshot_and_published_site_name_the_site_and_places_in_their_language(bundle, lang):
    """The operation site's name and description and the places' names in the HTML
    snapshot (which is also the published site's index page) follow its language."""
    html = html_document(bundle, PageView(ViewSpec(*WINDOW)), lang=lang)
    texts = english_data_texts(bundle)
    site = bundle.operation_site.iloc[0]
    spanish_site = [site["name_es"], site["description_es"]]
    selected = apply(ViewSpec(*WINDOW), bundle.incidents)
    described = selected[selected["place"].map(is_description)]
    english = texts["site"] + sorted(set(described["place"]))
    spanish = spanish_site + sorted(set(described["place_es"]))
    hidden, shown = (english, spanish) if lang == "es" else (spanish, english)
    assert not [t for t in hidden if in_html(t, html)]
    assert all(in_html(t, html) for t in spanish_site if lang == "es")
    assert sum(in_html(t, html) for t in shown) > 20


def in_html(text: str, html: str) -> bool:
    """Whether data text is in a snapshot: escaped, as is or inside its JSON data."""
    escaped = escape_text(text)
    return escaped in html or json.dumps(escaped)[1:-1] in html


def test_the_published_site_in_spanish(bundle):
    site_views = views(bundle, states=["14"], lang="es")
    assert site_views[0].label == "Todos los estados"
    assert all(v.page.lang == "es" for v in site_views)
    page = embed_page([(site_views[0], "título", "texto")], "", "v1", "es")
    assert '<html lang="es">' in page and "códigos para insertar" in page


def test_a_view_in_one_language_is_a_view_in_the_other(bundle):
    """Language is presentation only: the records selected do not change."""
    page = PageView(ViewSpec(*WINDOW, states=frozenset({"14"})))
    english, spanish = (select(bundle, replace(page, lang=lang)) for lang in ("en", "es"))
    assert english.selected["incident_id"].tolist() == spanish.selected["incident_id"].tolist()
    assert english.counts["incidents"].tolist() == spanish.counts["incidents"].tolist()
