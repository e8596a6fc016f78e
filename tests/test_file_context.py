"""A reader's file shown (tester 9, finding 7): the deck and the replay caption describe
the file (its range and step), not the bundled event; the Tapalpa raid site, the bundled
event's context, is left off the file's map."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dashboard.analysis.filters import ViewSpec
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.origin import UserFile
from dashboard.render.captions import deck_text, map_captions
from dashboard.render.mapview import map_config


def local(*args) -> datetime:
    return datetime(*args, tzinfo=MEXICO_CITY)


YEAR = (local(2025, 3, 1), local(2026, 2, 28))
DAYS = (local(2026, 2, 22, 6), local(2026, 2, 24, 18))

# (lang, the file's span or None for the bundled data, the deck)
DECKS = [
    ("es", None, "Lo reportado hora a hora desde el 22 feb 2026"),
    ("en", None, "Reported hour by hour since 22 February 2026"),
    ("es", YEAR, "Tu archivo: 1 mar 2025 a 28 feb 2026, día por día"),
    ("en", YEAR, "Your file: 1 Mar 2025 to 28 Feb 2026, day by day"),
    ("es", DAYS, "Tu archivo: 22 feb a 24 feb, hora por hora"),
    ("en", DAYS, "Your file: 22 Feb to 24 Feb, hour by hour"),
]


@pytest.mark.parametrize(("lang", "span", "deck"), DECKS)
def test_the_deck_describes_the_records_shown(lang, span, deck):
    assert deck_text(lang, span) == deck


# (lang, the view's window, words the replay caption has, words it must not have)
REPLAYS = [
    ("en", DAYS, "replay the window hour by hour", "day by day"),
    ("es", DAYS, "hora por hora", "día por día"),
    ("en", YEAR, "replay the window day by day", "hour by hour"),
    ("es", YEAR, "día por día", "hora por hora"),
]


@pytest.mark.parametrize(("lang", "window", "has", "lacks"), REPLAYS)
def test_the_replay_caption_names_the_replays_own_step(lang, window, has, lacks):
    (caption,) = map_captions("points", 3, (3, 0, 0), lang, ViewSpec(*window))
    assert has in caption
    assert lacks not in caption


def test_a_readers_file_has_no_raid_site_layer_star_or_legend_entry(bundle):
    assert len(bundle.operation_site) == 1  # the bundled data's
    origin = UserFile("mine.csv", "csv", "utf-8", datetime(2026, 3, 2, tzinfo=UTC))
    mine = bundle.with_user_file(bundle.incidents.head(2), origin)
    assert mine.operation_site.empty
    assert "site" in map_config(bundle.states_display.to_json(), bundle.operation_site)["layers"]
    config = map_config(bundle.states_display.to_json(), mine.operation_site)
    assert config["site"] == []
    assert "site" not in config["layers"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_readers_files_pictures_name_the_file_not_the_bundled_data_version(bundle, lang):
    """The PNG's Source metadata and the HTML snapshot's credit say whose records they
    show: a reader's file by name and the day it was checked, never the bundled data's
    version (the bundled pictures keep theirs)."""
    import io

    from PIL import Image

    from dashboard.analysis.permalink import PageView
    from dashboard.render.snapshot import html_document, png_bytes

    origin = UserFile("mine.csv", "csv", "utf-8", datetime(2026, 3, 2, 18, tzinfo=UTC))
    mine = bundle.with_user_file(bundle.incidents, origin)
    page = PageView(ViewSpec(local(2026, 2, 22), local(2026, 2, 24)))
    named = {
        "es": "archivo mine.csv, revisado el 2 mar 2026",
        "en": "file mine.csv, checked 2 Mar 2026",
    }
    for data, says, lacks in (
        (mine, named[lang], bundle.version),
        (bundle, bundle.version, "mine.csv"),
    ):
        source = Image.open(io.BytesIO(png_bytes(data, page, (400, 300), lang=lang))).text["Source"]
        html = html_document(data, page, lang=lang)
        assert says in source and lacks not in source
        assert says in html and lacks not in html
