"""Editors' files: PNG and standalone HTML snapshots, and alt text."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import key_figures
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.schema import EVENT_TYPES
from dashboard.render.snapshot import (
    alt_text,
    credit_text,
    html_document,
    png_bytes,
    png_figure,
    select,
    window_label,
    wrap_to_width,
)
from dashboard.render.snapshot import title as snapshot_title
from tests.test_mapview import XSS


def local(day, hour=0):
    return datetime(2026, 2, day, hour, tzinfo=MEXICO_CITY)


PAGE = PageView(ViewSpec(local(22, 6), local(23)))


@pytest.fixture(scope="module")
def png(bundle):
    return png_bytes(bundle, PAGE)


def test_png_has_the_requested_size_and_is_not_blank(bundle, png):
    image = Image.open(io.BytesIO(png))
    assert image.size == (1600, 1000)
    pixels = np.asarray(image.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50
    small = Image.open(io.BytesIO(png_bytes(bundle, PAGE, (800, 500))))
    assert small.size == (800, 500)


def test_png_is_byte_identical_for_identical_input(bundle, png):
    assert png_bytes(bundle, PAGE) == png


def test_png_changes_with_the_window(bundle, png):
    later = replace(PAGE, view=PAGE.view.with_changes(start=local(22, 18)))
    assert png_bytes(bundle, later) != png


def test_png_carries_title_and_alt_text(bundle, png):
    info = Image.open(io.BytesIO(png)).info
    assert info["Description"] == alt_text(PAGE, select(bundle, PAGE))
    assert info["Title"].startswith("After the Tapalpa raid")
    assert "Software" not in info


def test_png_size_is_bounded(bundle):
    with pytest.raises(ValueError, match="PNG size"):
        png_bytes(bundle, PAGE, (100_000, 100))


def test_alt_text_names_window_counts_and_leading_states(bundle):
    text = alt_text(PAGE, select(bundle, PAGE))
    assert text.startswith("Between Sun 22 Feb, 06:00 and Mon 23 Feb, 00:00 Mexico City time, ")
    leading = r"\d+ incidents were reported in \d+ states\. Most incidents: Jalisco \(\d+\)"
    assert re.search(leading, text)
    empty = PageView(ViewSpec(local(22), local(23), event_types=frozenset()))
    assert alt_text(empty, select(bundle, empty)).endswith("no incidents were reported.")


def incident_rows(html: str) -> list:
    match = re.search(r"TapalpaMap\.update\(\w+, (\{.*?\})\);", html)
    return json.loads(match.group(1))["rows"]


def test_html_snapshot_holds_only_the_filtered_features(bundle):
    page = PageView(ViewSpec(local(22), local(23), states=frozenset({"14"})))
    html = html_document(bundle, page)
    selection = select(bundle, page)
    assert len(incident_rows(html)) == int((selection.selected.geo_precision < 3).sum())
    assert set(selection.selected.cve_ent) == {"14"}
    assert "<title>After the Tapalpa raid: reported incidents in Jalisco</title>" in html
    assert 'name="description"' in html
    assert "tim-play" in html  # the play control travels with the file
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert all(s.startswith("data:") for s in sources)


def test_html_snapshot_escapes_hostile_text(bundle):
    incidents = bundle.incidents.copy()
    target = incidents.index[incidents.incident_id == "jal-pv-costco"][0]
    for field, value in XSS.items():
        incidents.loc[target, field] = value
    hostile = replace(bundle, incidents=incidents)
    html = html_document(hostile, PageView(ViewSpec(local(22), local(23))))
    for raw in ("<img src=x", "${alert", "</script><script>alert", "javascript:alert", "{{ config"):
        assert raw not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_html_snapshot_credits_name_the_corrections_log(bundle):
    html = html_document(bundle, PAGE)
    credit = html[html.index('class="tim-credit"') :]
    assert "Corrections and updates:" in credit
    assert "listed with its reason and source on the map page" in credit


# ------------------------------------------------------------------ languages

JALISCO_MICHOACAN = PageView(ViewSpec(local(22, 6), local(23), states=frozenset({"14", "16"})))


@pytest.mark.parametrize(
    ("lang", "opening", "counts", "uncertain"),
    [
        (
            "en",
            "Between Sun 22 Feb, 06:00 and Mon 23 Feb, 00:00 Mexico City time, ",
            r"(\d+) incidents were reported in the 2 selected states\. "
            r"By state: Jalisco \((\d+)\) and Michoacán \((\d+)\)\.",
            r"(\d+) of them (is|are) known only to the day or part of the day\.",
        ),
        (
            "es",
            "Entre el dom 22 feb, 06:00 y el lun 23 feb, 00:00, hora de la Ciudad de México, ",
            r"se reportaron (\d+) incidentes en los 2 estados seleccionados\. "
            r"Por estado: Jalisco \((\d+)\) y Michoacán \((\d+)\)\.",
            r"De ellos, de (\d+) solo se conoce el día o la parte del día\.",
        ),
    ],
)
def test_alt_text_in_each_language(bundle, lang, opening, counts, uncertain):
    selection = select(bundle, JALISCO_MICHOACAN)
    figures = key_figures(selection.selected)
    by_state = selection.counts.set_index("cve_ent")["incidents"]
    text = alt_text(JALISCO_MICHOACAN, selection, lang)
    assert text.startswith(opening)
    match = re.search(counts, text)
    assert match, text
    assert [int(g) for g in match.groups()] == [figures.incidents, by_state["14"], by_state["16"]]
    assert int(re.search(uncertain, text).group(1)) == figures.uncertain_timing
    assert "selected states in" not in text and "None" not in text


def _counts(pairs):
    return pd.DataFrame(pairs, columns=["state", "incidents"])


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([("Jalisco", 5), ("Colima", 2)], "By state: Jalisco (5) and Colima (2)."),
        ([("Guanajuato", 1), ("Jalisco", 1), ("Michoacán", 1)], "By state: "),
        ([("A", 4), ("B", 3), ("C", 2), ("D", 1)], "Most incidents: A (4), B (3) and C (2)."),
        ([("A", 4), ("B", 3), ("C", 1), ("D", 1)], "Most incidents: A (4) and B (3)."),
        ([("A", 1), ("B", 1), ("C", 1), ("D", 1), ("E", 1)], ""),  # all tied: no leaders
    ],
    ids=["two", "three-tied", "strict", "third-tied", "all-tied"],
)
def test_leading_states_are_named_only_when_they_lead(counts, expected):
    """Tester 10 #18: "la mayoría en Guanajuato (1), Jalisco (1) y Michoacán (1)" named
    tied states as leaders and claimed a majority."""
    from dashboard.render.summary import _leaders

    text = _leaders(_counts(counts), "en")
    assert text.startswith(expected) if expected else text == ""
    assert "most in" not in text


@pytest.mark.parametrize(
    ("lang", "one_state", "no_incidents", "types"),
    [
        (
            "en",
            "incidents were reported, all in Colima.",
            "no incidents were reported in the selected states.",
            "Event types shown: Road blockade and Vehicle burning.",
        ),
        (
            "es",
            "se reportaron {n} incidentes, todos en Colima.",
            "no se reportaron incidentes en los estados seleccionados.",
            "Tipos de hecho mostrados: Bloqueo y Quema de vehículos.",
        ),
    ],
)
def test_alt_text_sentences_follow_the_counts(bundle, lang, one_state, no_incidents, types):
    colima = PageView(ViewSpec(local(22), local(24), states=frozenset({"06"})))
    selection = select(bundle, colima)
    n = key_figures(selection.selected).incidents
    assert n > 1
    assert one_state.format(n=n) in alt_text(colima, selection, lang)
    quiet = PageView(ViewSpec(local(22), local(23), states=frozenset({"03"})))  # Baja Calif. Sur
    assert alt_text(quiet, select(bundle, quiet), lang).endswith(no_incidents)
    kinds = PageView(
        ViewSpec(local(22), local(24), event_types=frozenset({"blockade", "vehicle_arson"}))
    )
    assert alt_text(kinds, select(bundle, kinds), lang).endswith(types)


def test_one_incident_is_singular(bundle):
    one = select(bundle, PAGE)
    one = type(one)(one.selected.head(1), one.counts)
    first = one.selected.iloc[0]
    counts = one.counts.assign(incidents=(one.counts["cve_ent"] == first["cve_ent"]).astype(int))
    one = type(one)(one.selected, counts)
    english, spanish = alt_text(PAGE, one, "en"), alt_text(PAGE, one, "es")
    assert ", 1 incident was reported, in " in english
    assert ", se reportó 1 incidente, en " in spanish


@pytest.mark.parametrize(
    ("lang", "title", "window", "credit"),
    [
        (
            "en",
            "After the Tapalpa raid: reported incidents in Jalisco and Michoacán",
            "Sun 22 Feb 2026, 06:00 to Mon 23 Feb 2026, 00:00, Mexico City time",
            "Sources: published news reports",
        ),
        (
            "es",
            "Tras el operativo en Tapalpa: incidentes reportados en Jalisco y Michoacán",
            "Del dom 22 feb 2026, 06:00 al lun 23 feb 2026, 00:00, hora de la Ciudad de México",
            "Fuentes: notas periodísticas publicadas",
        ),
    ],
)
def test_title_window_and_credit_in_each_language(lang, title, window, credit):
    assert snapshot_title(JALISCO_MICHOACAN, lang) == title
    assert window_label(JALISCO_MICHOACAN, lang) == window
    assert credit_text(lang).startswith(credit)
    # the view's own language is the default
    assert snapshot_title(replace(JALISCO_MICHOACAN, lang=lang)) == title


def test_titles_count_states_in_words():
    many = PageView(ViewSpec(local(22), local(23), states=frozenset({"14", "16", "11", "06"})))
    assert snapshot_title(many, "en").endswith("in 4 states")
    assert snapshot_title(many, "es").endswith("en 4 estados")
    assert snapshot_title(PAGE, "es").endswith("en México")


def test_png_metadata_follows_the_language(bundle, png):
    spanish = png_bytes(bundle, PAGE, lang="es")
    info = Image.open(io.BytesIO(spanish)).info
    assert info["Title"] == snapshot_title(PAGE, "es")
    assert info["Description"] == alt_text(PAGE, select(bundle, PAGE), "es")
    assert info["Description"].startswith("Entre el dom 22 feb")
    assert spanish != png
    assert png_bytes(bundle, replace(PAGE, lang="es")) == spanish


def test_html_snapshot_declares_its_language(bundle):
    page = PageView(ViewSpec(local(22), local(23), states=frozenset({"14"})))
    spanish = html_document(bundle, page, lang="es")
    assert '<html lang="es">' in spanish
    assert "<title>Tras el operativo en Tapalpa" in spanish
    assert "Mapa base: © colaboradores de OpenStreetMap" in spanish
    assert '<html lang="en">' in html_document(bundle, page)


def test_png_state_fills_are_the_legend_swatches(bundle, png):
    from dashboard.render.symbols import state_colour

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    width = pixels.shape[1]
    map_part, legend_part = pixels[:, : int(width * 0.71)], pixels[:, int(width * 0.73) :]

    def count(part, hex_colour):
        rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
        return int((part == rgb).all(axis=-1).sum())

    counts = select(bundle, PAGE).counts
    used = {state_colour(int(n)) for n in counts["incidents"]}
    assert len(used) >= 4
    for colour in used:
        assert count(map_part, colour) > 500, colour  # states drawn in exactly this colour
        assert count(legend_part, colour) > 50, colour  # and the same swatch in the legend


def test_png_map_fills_its_box(png):
    from dashboard.render.snapshot import MAP_BOX

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    height, width = pixels.shape[:2]
    left, bottom, box_w, box_h = MAP_BOX
    x0, x1 = int(left * width), int((left + box_w) * width)
    y0, y1 = int((1 - bottom - box_h) * height), int((1 - bottom) * height)
    drawn = (pixels[y0:y1, x0:x1] < 250).any(axis=-1)
    rows, cols = np.nonzero(drawn)
    assert (cols.max() - cols.min()) / (x1 - x0) >= 0.9
    assert (rows.max() - rows.min()) / (y1 - y0) >= 0.8  # Mexico is wider than the box


def _every_text(fig):
    texts = list(fig.texts)
    for legend in fig.legends:
        texts += [legend.get_title(), *legend.get_texts()]
    return [t for t in texts if t.get_text()]


# A view whose stamp (its link) is long: most types but one, several states.
LONG_VIEW = PageView(
    ViewSpec(
        local(22, 6),
        local(24),
        states=frozenset({"14", "16", "11", "06", "01", "18"}),
        event_types=frozenset(EVENT_TYPES) - {"other"},
    )
)


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("size", [(1600, 1000), (1200, 630), (800, 500)])
@pytest.mark.parametrize("page", [PAGE, LONG_VIEW], ids=["default", "long-link"])
def test_png_texts_lie_inside_the_canvas(bundle, lang, size, page):
    """Every legend, key-figure and footer text is drawn whole: its rendered extent lies
    inside the figure (long Spanish legend labels and the stamp's link are the ones that
    would run off the right)."""
    fig, _ = png_figure(bundle, page, size, lang=lang)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = size
    outside = []
    for text in _every_text(fig):
        box = text.get_window_extent(renderer)
        if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
            outside.append((text.get_text(), [round(v) for v in box.extents]))
    assert outside == []


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("short", 100, ["short"]),
        ("aaa bbb ccc", 6, ["aaa", "bbb", "ccc"]),
        ("aaa bbb ccc", 8, ["aaa bbb", "ccc"]),
        ("v=1&types=a,b,c", 6, ["v=1&", "types=", "a,b,c"]),
        ("abcdefgh", 3, ["abc", "def", "gh"]),
        ("one\ntwo three", 5, ["one", "two", "three"]),
    ],
)
def test_wrap_to_width(text, width, lines):
    assert wrap_to_width(text, width, len).split("\n") == lines


def test_a_png_of_an_hour_claims_only_what_that_hour_holds(bundle):
    """23 Feb 03:00-04:00: every record there is known only to its day, so the PNG's
    figures and alt text count nothing in that hour and name the rest as possible, beside
    the incidents (not the blockades), after the official figures given by then."""
    from dashboard.analysis.filters import apply
    from dashboard.analysis.stats import national_figures, state_counts
    from dashboard.render.snapshot import Selection, alt_text, stats_text

    page = PageView(ViewSpec(local(23, 3), local(23, 4)), lang="en")
    selected = apply(page.view, bundle.incidents)
    selection = Selection(selected, state_counts(selected, bundle.official, page.view))
    figures = key_figures(selected)
    assert figures.incidents == 0 and figures.possible > 0
    official = national_figures(bundle.official, page.view, "en")
    lines = stats_text(selection, "en", official).split("\n")
    assert lines[0].startswith("Official, nationwide: 252 road blockades · 20 states")
    assert lines[1] == (
        "On the map, in this window: 0 incidents "
        f"(+{figures.possible} possible, time not precise enough) · 0 road blockades located"
    )
    assert "no incident is known to have happened; " in alt_text(page, selection)


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        ("en", "Official, nationwide: 252 road blockades · 20 states"),
        ("es", "Cifras oficiales nacionales: 252 bloqueos carreteros · 20 estados"),
    ],
)
def test_the_pngs_official_figures_say_they_count_the_whole_country(bundle, lang, start):
    """Tester 10 #13: a view of Jalisco and Michoacán read "Cifras oficiales: 252
    bloqueos" as if 252 were theirs; the official figures are national, and say so."""
    from dashboard.analysis.filters import apply
    from dashboard.analysis.stats import national_figures, state_counts
    from dashboard.render.snapshot import Selection, stats_text

    view = ViewSpec(local(22, 18), local(23, 6), states=frozenset({"14", "16"}))
    selected = apply(view, bundle.incidents)
    selection = Selection(selected, state_counts(selected, bundle.official, view))
    official = national_figures(bundle.official, view, lang)
    assert stats_text(selection, lang, official).split("\n")[0].startswith(start)
