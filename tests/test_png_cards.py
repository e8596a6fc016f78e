"""The social cards' texts measured as data: each font's size in the figure at the
card's design size, scaled to the width the card is shown at in a feed (1200 x 630 at
500 CSS pixels, 1080 x 1080 at 400), and the legend holding only what the view draws."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.origin import UserFile, data_label
from dashboard.render.imagefiles import image_bytes
from dashboard.render.pngcard import css_pixels, latest_report, points, short_label, stamp_text
from dashboard.render.pngpresets import PRESETS
from dashboard.render.snapshot import png_figure

NIGHT = ViewSpec(
    datetime(2026, 2, 22, 18, tzinfo=MEXICO_CITY),
    datetime(2026, 2, 23, 6, tzinfo=MEXICO_CITY),
    states=frozenset({"14", "16"}),
)
THREE_DAYS = ViewSpec(
    datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 25, tzinfo=MEXICO_CITY)
)


def test_points_and_css_pixels_are_inverse():
    social = PRESETS["social"]
    assert (social.size, social.shown_width) == ((1200, 630), 500)
    assert PRESETS["square"].shown_width == 400
    # 12 CSS px on a 1200 px card shown 500 px wide: 28.8 design px, 20.7 points
    assert points(social, 12) == pytest.approx(20.736)
    assert css_pixels(social, points(social, 11)) == pytest.approx(11)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("view", [NIGHT, THREE_DAYS], ids=["night", "three-days"])
@pytest.mark.parametrize("name", ["social", "square"])
def test_card_texts_are_legible_where_shown(bundle, name, view, lang):
    preset = PRESETS[name]
    fig, _ = png_figure(bundle, PageView(view, lang=lang), preset=preset)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    title, window, credit, stamp = fig.texts
    assert css_pixels(preset, title.get_fontsize()) >= 14 - 1e-9
    for text in (window, credit):
        assert css_pixels(preset, text.get_fontsize()) >= 11 - 1e-9, text.get_text()
    assert css_pixels(preset, stamp.get_fontsize()) >= 11 - 1e-9
    legend_texts = [t for legend in fig.legends for t in (legend.get_title(), *legend.get_texts())]
    assert len(legend_texts) >= 5
    for text in legend_texts:
        assert css_pixels(preset, text.get_fontsize()) >= 11 - 1e-9, text.get_text()
    for label in fig.axes[0].texts:  # state and city names on the map
        assert css_pixels(preset, label.get_fontsize()) >= 10 - 1e-9, label.get_text()
    # nothing overlaps: legends, the four texts, the map
    boxes = [a.get_window_extent(renderer) for a in (*fig.legends, *fig.texts, fig.axes[0])]
    for i, box in enumerate(boxes):
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width + 1 and box.y0 >= 0
        assert box.y1 <= fig.bbox.height + 1
        for other in boxes[i + 1 :]:
            assert not box.overlaps(other)


def test_card_legend_names_only_what_the_view_draws(bundle):
    fig, selection = png_figure(bundle, PageView(NIGHT, lang="en"), preset=PRESETS["social"])
    shading, kinds = fig.legends
    classes = [t.get_text() for t in shading.get_texts()]
    assert classes == ["0", "6–10"]  # the other states white; Michoacán's class
    names = [t.get_text().replace("\n", " ") for t in kinds.get_texts()]
    assert "Road blockade" in names and names[-1] == "Tapalpa operation site"
    assert "Burning" in names  # "Burning (vehicles, businesses)" shortened
    located = selection.selected[selection.selected["geo_precision"] < 3]
    assert len(names) <= located["event_type"].nunique() + 2  # kinds, dashed, star
    large = png_figure(bundle, PageView(NIGHT, lang="en"), preset=PRESETS["large"])[0]
    assert len(large.legends[0].get_texts()) > len(names) + len(classes)


@pytest.mark.parametrize(
    ("label", "short"),
    [
        ("Quema (de vehículos, de negocios)", "Quema"),
        ("Security forces (raid, arrest, deployment)", "Security forces"),
        ("Road blockade", "Road blockade"),
        ("Explosions/Remote violence", "Explosions/Remote violence"),
    ],
)
def test_short_label_drops_the_parenthesis(label, short):
    assert short_label(label) == short


# (lang, version, newest report, the stamp) (tester 9, finding 11: the stamp printed the
# raw query string, "vista: from=2026-02-22T18:00&to=…&states=JAL,MIC&lang=es")
STAMPS = [
    ("en", None, "5 Mar 2026", "Data version f1a7c0e0c1, reports to 5 Mar 2026"),
    ("es", None, "5 mar 2026", "Versión de los datos f1a7c0e0c1, notas hasta el 5 mar 2026"),
    ("es", None, "", "Versión de los datos f1a7c0e0c1"),
    # A reader's file: its name and the day it was checked, never the bundled data's version.
    ("es", "acled.csv", "", "Tu archivo acled.csv, revisado el 7 dic 2026"),
    ("en", "a.csv", "5 Mar 2026", "Your file a.csv, checked 7 Dec 2026, reports to 5 Mar 2026"),
]


@pytest.mark.parametrize(("lang", "file", "reported", "stamp"), STAMPS)
def test_the_card_stamp_is_short_words(lang, file, reported, stamp):
    checked = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # 11:00 in Mexico City
    origin = None if file is None else UserFile(file, "acled-csv", "utf-8", checked)
    data = data_label("f1a7c0e0c1", origin, lang, capital=True)
    assert stamp_text(data, reported, lang) == stamp


# (source dates of the records, lang, the newest report as the stamp writes it)
REPORTED = [
    (["2026-02-22", "2026-03-05", "", "2026-02"], "es", "5 mar 2026"),
    (["2026-02", "2026-03"], "en", "Mar 2026"),
    (["2026-03", "2026-03-02"], "en", "2 Mar 2026"),
    (["", ""], "en", ""),
]


@pytest.mark.parametrize(("dates", "lang", "reported"), REPORTED)
def test_latest_report_is_the_newest_source_date(dates, lang, reported):
    assert latest_report(pd.DataFrame({"source_date": dates}), lang) == reported


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_night_cards_stamp_has_no_query_string(bundle, lang):
    fig, _ = png_figure(bundle, PageView(NIGHT, lang=lang), preset=PRESETS["social"])
    stamp = fig.texts[-1].get_text().replace("\n", " ")  # wrapped to the card
    assert bundle.version in stamp
    assert latest_report(bundle.incidents, lang) in stamp
    for raw in ("from=", "&", "states=", "lang=", "view:", "vista:"):
        assert raw not in stamp


def test_a_readers_files_card_names_no_raid_site(bundle):
    origin = UserFile("mine.csv", "csv", "utf-8", datetime(2026, 3, 2, tzinfo=UTC))
    mine = bundle.with_user_file(bundle.incidents, origin)
    fig, _ = png_figure(mine, PageView(NIGHT, lang="en"), preset=PRESETS["social"])
    names = [t.get_text().replace("\n", " ") for t in fig.legends[-1].get_texts()]
    assert "Road blockade" in names
    assert "Tapalpa operation site" not in names


def _unaccented(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


# Words the card must read at the width it is shown in a feed (the preset's shown_width,
# 500 px for social and 400 for square: narrower than the 600 and 500 a feed gives them):
# the legend's title and kinds, the credit and the stamp (OCR, accents dropped).
CARD_WORDS = {
    "en": ("incidents per state", "road blockade", "burning", "operation site",
           "sources: news reports", "earth", "reports to"),
    "es": ("incidentes por estado", "bloqueo", "quema", "sitio del operativ",
           "fuentes: notas periodisticas", "earth", "notas hasta"),
}  # fmt: skip


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr not installed")
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", ["social", "square"])
def test_ocr_reads_the_card_legend_and_credit_at_its_display_width(bundle, name, lang, tmp_path):
    preset = PRESETS[name]
    png = image_bytes(bundle, PageView(NIGHT, lang=lang), "png", preset)
    path = tmp_path / "card.png"
    with Image.open(io.BytesIO(png)) as image:
        shown = (preset.shown_width, round(image.height * preset.shown_width / image.width))
        image.convert("RGB").resize(shown, Image.LANCZOS).save(path)
    text = subprocess.run(
        ["tesseract", str(path), "-", "--psm", "11"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(_unaccented(text).split())
    for phrase in CARD_WORDS[lang]:
        assert phrase in words, (phrase, text)


@pytest.mark.parametrize("name", ["social", "square"])
def test_no_quadrant_of_the_card_is_empty(bundle, name):
    png = image_bytes(bundle, PageView(NIGHT), "png", PRESETS[name])
    with Image.open(io.BytesIO(png)) as image:
        pixels = np.asarray(image.convert("L"), dtype=float)
    height, width = pixels.shape
    for top, left in ((0, 0), (0, width // 2), (height // 2, 0), (height // 2, width // 2)):
        quadrant = pixels[top : top + height // 2, left : left + width // 2]
        assert (quadrant < 200).mean() > 0.02, (name, top, left)  # text, symbols or map
