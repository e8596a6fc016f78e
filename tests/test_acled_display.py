"""An ACLED record as a reader reads it (tester 9, finding 9): its outlets once, as the
source line (text: ACLED gives no links), never beside "none given"; its `notes` (ACLED's
description of the event) in the popup and the details; both escaped."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from dashboard.ingest.validate import check_incidents
from dashboard.render.incident_list import details_markdown, incident_table
from dashboard.render.popups import popup_body, records
from tests.conftest import to_csv

SOURCE = "**b**; [x](https://evil.example)"
NOTES = "<img src=x onerror=alert(1)> Incidente 0 en Guadalajara"


def acled_frame(bundle, **changes) -> pd.DataFrame:
    row = {
        "event_id_cnty": "MEX1",
        "event_date": "22 February 2026",
        "time_precision": "1",
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "actor1": "",
        "admin1": "Jalisco",
        "admin2": "Guadalajara",
        "location": "Guadalajara",
        "latitude": "20.6738",
        "longitude": "-103.3440",
        "geo_precision": "1",
        "source": SOURCE,
        "notes": NOTES,
        "fatalities": "0",
    } | changes
    result = check_incidents(to_csv([row]), "acled.csv", bundle.locations, bundle.states)
    assert result.report.ok, result.report.to_text()
    return result.frame


def popup(frame, lang):
    return popup_body(records(frame)[0], lang)


def details(frame, lang):
    table = incident_table(frame, lang=lang).rows
    return details_markdown(next(table.itertuples(index=False)), lang)


def read(text: str) -> str:
    """The text as the reader reads it: character references decoded, word joiners out."""
    return html.unescape(text).replace("\u2060", "")


EN = ("en", "Sources (per ACLED): **b**; [x](https://evil.example)", "none given")
ES = ("es", "Fuentes (según ACLED): **b**; [x](https://evil.example)", "no se indican")
# (surface, lang, the source line as read, what must not be there, a link the file made:
# popups are HTML, the details Markdown)
CASES = [
    (popup, *EN, "href"),
    (popup, *ES, "href"),
    (details, *EN, "](https://evil"),
    (details, *ES, "](https://evil"),
]


@pytest.mark.parametrize(("surface", "lang", "line", "absent", "made_link"), CASES)
def test_acled_outlets_are_the_source_line_once_and_notes_the_description(
    bundle, surface, lang, line, absent, made_link
):
    text = surface(acled_frame(bundle), lang)
    assert line in read(text)
    assert absent not in text
    # Once: the summary line no longer repeats the outlets.
    assert read(text).count("ACLED)") == 1, text
    # The description, escaped: no tag, no link markup from the file.
    assert NOTES in read(text)
    assert "<img" not in text
    assert made_link not in text


@pytest.mark.parametrize("surface", [popup, details])
def test_a_record_with_no_notes_has_no_empty_description_line(bundle, surface):
    text = surface(acled_frame(bundle, notes=""), "es")
    assert "<br><br>" not in text and "  \n  \n" not in text


@pytest.mark.parametrize(("lang", "label"), [("en", "Actors: "), ("es", "Actores: ")])
def test_the_details_name_an_acled_records_actors(bundle, lang, label):
    """Tester 11a #9: the details of an ACLED record had no actors line, though the README
    says they name them; the names are the file's, escaped."""
    frame = acled_frame(bundle, actor1="CJNG: Jalisco New Generation Cartel", actor2="[x](y)")
    text = details(frame, lang)
    line = next(x for x in text.split("  \n") if x.startswith(label))
    assert "CJNG" in read(line) and "Jalisco New Generation Cartel" in read(line)
    assert "](y)" not in line
    assert label not in details(acled_frame(bundle), lang)  # no actors: no line
