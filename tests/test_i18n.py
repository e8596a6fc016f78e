"""Languages: catalogues, the choice of language, Babel formatting, the Spanish data."""

from __future__ import annotations

import csv
import gettext
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.schema import (
    EVENT_TYPES,
    GEO_PRECISIONS,
    PART_OF_DAY_LABELS,
    TIME_PRECISIONS,
    event_type_label,
    geo_precision_label,
    part_of_day_label,
    time_precision_label,
)
from dashboard.text import i18n
from dashboard.text.i18n import (
    choose_language,
    format_datetime,
    format_list,
    format_number,
    translation,
)
from tests.conftest import ROOT

LOCALE = ROOT / "dashboard" / "locale"
GEODATA = ROOT / "geodata"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def catalogue(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def source_messages() -> set[str | tuple[str, str]]:
    """Every message id in the code, as Babel extracts it with babel.cfg's settings."""
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT / "dashboard"), method_map=[("**.py", "python")]
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


# ------------------------------------------------------------------ catalogues


def test_every_message_in_the_code_is_in_the_spanish_catalogue():
    ids = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalogue("es") if m.id}
    missing = source_messages() - ids
    assert not missing, (
        f"run the catalogue update in the README; missing: {sorted(map(str, missing))}"
    )


def test_every_spanish_message_is_translated_and_not_fuzzy():
    es = catalogue("es")
    assert not es.fuzzy  # the header
    for message in es:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert strings and all(s.strip() for s in strings), message.id


def test_spanish_plural_forms_are_one_and_other():
    es = catalogue("es")
    assert es.num_plurals == 2
    plurals = [m for m in es if m.pluralizable]
    assert plurals and all(len(m.string) == 2 for m in plurals)


def test_placeholders_match_between_languages():
    for message in catalogue("es"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == wanted, (message.id, text)


def test_the_catalogue_works_without_a_compiled_file(tmp_path, monkeypatch):
    """A fresh clone has only the .po: it is compiled in memory, with plural rules."""
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes((LOCALE / "es/LC_MESSAGES/messages.po").read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translation.cache_clear()
    try:
        t = i18n.translation("es")
        assert not (folder / "messages.mo").exists()
        assert isinstance(t, gettext.GNUTranslations)
        assert t.gettext("Road blockade") == "Bloqueo"
        one = t.ngettext(
            "Ignored an unknown state code: {codes}.", "Ignored unknown state codes: {codes}.", 1
        )
        two = t.ngettext(
            "Ignored an unknown state code: {codes}.", "Ignored unknown state codes: {codes}.", 2
        )
        assert (one, two) == (
            "Se ignoró una clave de estado desconocida: {codes}.",
            "Se ignoraron claves de estado desconocidas: {codes}.",
        )
        assert isinstance(i18n.translation("fr"), gettext.NullTranslations)
    finally:
        i18n.translation.cache_clear()


def test_a_compiled_file_equals_the_catalogue():
    compiled = gettext.GNUTranslations(
        io.BytesIO(i18n.compile_catalogue(LOCALE / "es" / "LC_MESSAGES" / "messages.po"))
    )
    for message in catalogue("es"):
        if message.id and isinstance(message.id, str):
            if message.context:  # a msgctxt (i18n.NC_: ACLED's names)
                assert compiled.pgettext(message.context, message.id) == message.string
            else:
                assert compiled.gettext(message.id) == message.string


# ------------------------------------------------------------------ choosing the language


@pytest.mark.parametrize(
    ("requested", "browser", "expected"),
    [
        (None, None, "en"),
        (None, "es-MX", "es"),
        (None, "es", "es"),
        (None, "es-419", "es"),
        (None, "es_ES", "es"),
        (None, "ES-mx", "es"),
        (None, "en-US", "en"),
        (None, "fr-FR", "en"),
        (None, "", "en"),
        (None, "estonian", "en"),  # not a Spanish tag, however it starts
        ("es", "en-GB", "es"),
        ("en", "es-MX", "en"),
        (" ES ", None, "es"),
        ("fr", "es-MX", "es"),  # an unknown ?lang= falls back to the browser
        ("", "en-US", "en"),
        ("es-MX", "en-US", "en"),  # links name the bare code only
    ],
)
def test_language_choice(requested, browser, expected):
    assert choose_language(requested, browser) == expected


# ------------------------------------------------------------------ Babel formatting


SUNDAY_2PM = datetime(2026, 2, 22, 14, 0, tzinfo=MEXICO_CITY)


@pytest.mark.parametrize(
    ("lang", "when", "number", "items"),
    [
        ("es", "dom 22 feb, 14:00", "12,345", "Jalisco, Michoacán y Colima"),
        ("en", "Sun 22 Feb, 14:00", "12,345", "Jalisco, Michoacán and Colima"),
    ],
)
def test_dates_numbers_and_lists_per_language(lang, when, number, items):
    assert format_datetime(SUNDAY_2PM, lang) == when
    assert format_number(12345, lang) == number
    assert format_list(["Jalisco", "Michoacán", "Colima"], lang) == items
    assert format_list([], lang) == ""


def test_dates_keep_their_own_clock():
    tijuana = SUNDAY_2PM.astimezone(ZoneInfo("America/Tijuana"))  # UTC-8 in Feb 2026
    assert format_datetime(tijuana, "en") == "Sun 22 Feb, 12:00"


# ------------------------------------------------------------------ labels of the data


def test_every_label_of_the_data_has_both_languages():
    for key in EVENT_TYPES:
        assert event_type_label(key, "en") == EVENT_TYPES[key]
        assert event_type_label(key, "es") not in ("", EVENT_TYPES[key]), key
    for code in GEO_PRECISIONS:
        assert geo_precision_label(code, "es") not in ("", GEO_PRECISIONS[code])
    for key in TIME_PRECISIONS:
        assert time_precision_label(key, "es") != time_precision_label(key, "en")
    for key in PART_OF_DAY_LABELS:
        assert part_of_day_label(key, "es") != part_of_day_label(key, "en")


@pytest.mark.parametrize(
    ("key", "spanish"),
    [
        ("blockade", "Bloqueo"),
        ("vehicle_arson", "Quema de vehículos"),
        ("business_arson", "Quema de negocios"),
        ("armed_clash", "Enfrentamiento"),
    ],
)
def test_mexican_newsroom_terms(key, spanish):
    assert event_type_label(key, "es") == spanish


def test_unknown_keys_are_shown_as_given():
    assert event_type_label("parade", "es") == "parade"
    assert geo_precision_label(7, "es") == ""
    assert part_of_day_label("", "es") == ""


def test_spanish_messages_use_mexican_terms():
    text = " ".join(
        s
        for m in catalogue("es")
        if m.id
        for s in (m.string if isinstance(m.string, tuple) else (m.string,))
    )
    assert "Ciudad de México" in text
    assert "Distrito Federal" not in text and " DF" not in text


def test_spanish_translation_is_used():
    assert translation("es").gettext("After the Tapalpa raid: reported incidents in Mexico") == (
        "Tras el operativo en Tapalpa: incidentes reportados en México"
    )


# ------------------------------------------------------------------ Spanish data


def read_csv(name: str) -> list[dict[str, str]]:
    with (GEODATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_incident_has_a_spanish_summary():
    ids = [r["incident_id"] for r in read_csv("incidents.csv")]
    spanish = read_csv("summary_es.csv")
    assert list(spanish[0]) == ["incident_id", "summary_es"]
    by_id = {r["incident_id"]: r["summary_es"] for r in spanish}
    assert len(by_id) == len(spanish), "duplicate incident_id in summary_es.csv"
    assert sorted(by_id) == sorted(ids)
    for incident_id, summary in by_id.items():
        assert summary.strip(), incident_id
        assert summary.rstrip().endswith("."), incident_id


def test_spanish_summaries_are_not_the_english_ones():
    english = {r["incident_id"]: r["summary"] for r in read_csv("incidents.csv")}
    for row in read_csv("summary_es.csv"):
        assert row["summary_es"] != english[row["incident_id"]], row["incident_id"]


def test_spanish_data_uses_mexican_terms():
    text = " ".join(r["summary_es"] for r in read_csv("summary_es.csv"))
    text += " ".join(r["headline_es"] for r in read_csv("key_moments_es.csv"))
    assert "Gabinete de Seguridad" in text and "Ciudad de México" in text
    assert not re.search(r"\bDF\b|Distrito Federal", text)


def test_every_key_moment_has_a_spanish_headline():
    moments = [r["at"] for r in read_csv("key_moments.csv")]
    spanish = read_csv("key_moments_es.csv")
    assert list(spanish[0]) == ["at", "headline_es"]
    assert [r["at"] for r in spanish] == moments
    assert all(r["headline_es"].strip() for r in spanish)


@pytest.mark.parametrize(
    ("tag", "lang"),
    [("es-MX", "es"), ("es_ES.UTF-8", "es"), ("es-419", "es"), ("en-GB", "en"), ("fr-FR", "en")],
)
def test_a_locale_names_a_language_of_the_registry(tag, lang):
    from dashboard.text.i18n import language_of_locale

    assert language_of_locale(tag) == lang


def test_data_columns_come_from_the_language_registry():
    from dashboard.text.i18n import REGISTRY, columns_for, text_for

    assert [lang.suffix for lang in REGISTRY.values()] == ["_es", ""]
    assert columns_for("summary", "es") == ["summary_es", "summary"]
    assert columns_for("summary", "en") == ["summary", "summary_es"]
    row = {"summary": "A burning.", "summary_es": float("nan")}
    assert text_for(row, "summary", "es") == "A burning."  # a missing Spanish text falls back
    assert text_for({"summary_es": "Una quema."}, "summary", "en") == "Una quema."
