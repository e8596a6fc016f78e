"""The state shading's classes follow the counts in view (issue 24, #4): a year of an
analyst's ACLED rows has hundreds or thousands per state, and fixed classes ending at
"26+" drew every state alike. One set of classes (symbols.state_classes) for the live
map's fills and legend, the PNG, the standalone HTML and the sentence under the map."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView
from dashboard.model.origin import UserFile
from dashboard.render.captions import shading_caption
from dashboard.render.symbols import (
    BINS,
    STATE_PALETTE,
    ZERO_COLOUR,
    StateClasses,
    state_classes,
)

CLASSES = [
    # (largest state count in view, lowest count of each class, English labels)
    (0, (1, 3, 6, 11, 26), ["1–2", "3–5", "6–10", "11–25", "26 or more"]),
    (25, (1, 3, 6, 11, 26), ["1–2", "3–5", "6–10", "11–25", "26 or more"]),
    (50, (1, 3, 6, 11, 26), ["1–2", "3–5", "6–10", "11–25", "26 or more"]),
    (51, (1, 5, 11, 21, 51), ["1–4", "5–10", "11–20", "21–50", "51 or more"]),
    (
        3_000,
        (1, 201, 501, 1_001, 2_501),
        ["1–200", "201–500", "501–1,000", "1,001–2,500", "2,501 or more"],
    ),
    (
        12_000,
        (1, 401, 1_001, 2_001, 5_001),
        ["1–400", "401–1,000", "1,001–2,000", "2,001–5,000", "5,001 or more"],
    ),
]


@pytest.mark.parametrize(("largest", "lows", "labels"), CLASSES)
def test_the_classes_are_round_and_follow_the_largest_count(largest, lows, labels):
    classes = state_classes([0, 1, largest])
    assert classes.lows == lows
    assert classes.labels("en") == labels
    assert classes.labels("en", short=True)[-1] == f"{labels[-1].split()[0]}+"


def test_small_counts_keep_the_bundled_classes():
    assert state_classes([3, 25, 50]) == StateClasses(1, 50)
    assert StateClasses().lows == tuple(low for low, _ in BINS)


@pytest.mark.parametrize("largest", [51, 60, 99, 101, 250, 999, 2_600, 48_000, 1_000_000])
def test_the_largest_count_is_in_the_open_class_and_each_class_can_be_reached(largest):
    classes = state_classes([largest])
    assert classes.index(largest) == len(STATE_PALETTE)  # the darkest class holds it
    lows = classes.lows
    assert list(lows) == sorted(set(lows))  # five distinct classes
    assert [classes.index(low) for low in lows] == [1, 2, 3, 4, 5]
    assert [classes.index(low - 1) for low in lows] == [0, 1, 2, 3, 4]
    assert classes.colour(0) == ZERO_COLOUR


def test_the_classes_in_spanish():
    classes = state_classes([3_000])
    assert classes.labels("es")[-1] == "2,501 o más"
    assert classes.ramp("es", short=True)[-1] == (STATE_PALETTE[-1], "2,501+")


def test_the_sentence_under_the_map_names_the_classes_and_why():
    assert shading_caption(state_classes([12])) == (
        "States are shaded by their incidents in the window, in five classes: 1–2, 3–5, "
        "6–10, 11–25 and 26 or more."
    )
    scaled = shading_caption(state_classes([3_120]), "es")
    assert "(3,120)" in scaled and "2,501 o más" in scaled and "ajustadas" in scaled


# --------------------------------------------------------------- a file with many rows

JALISCO, VERACRUZ = "14", "30"


@pytest.fixture(scope="module")
def many(bundle):
    """The bundle with a reader's file of 60 copies of a Jalisco blockade and 30 of a
    Veracruz one: with "26+" as the last class both states were one colour."""
    records = bundle.incidents
    copies = []
    for record_id, n in (("jal-tapalpa-access-blockades", 60), ("ver-alamo-tihuatlan", 30)):
        row = records[records["incident_id"] == record_id]
        copy = pd.concat([row] * n, ignore_index=True)
        copy["incident_id"] = [f"{record_id}-{i}" for i in range(n)]
        copies.append(copy)
    frame = pd.concat(copies, ignore_index=True)
    origin = UserFile("many.csv", "csv", "utf-8", datetime(2026, 3, 2, tzinfo=UTC))
    mine = bundle.with_user_file(frame, origin)
    start = frame["t_start"].min().floor("D")
    end = frame["t_end"].max().ceil("D") + pd.Timedelta(days=1)
    return mine, PageView(ViewSpec(start.to_pydatetime(), end.to_pydatetime()))


def test_the_view_layer_carries_the_views_classes(many):
    from dashboard.render.mapview import view_layer
    from dashboard.render.summary import select

    mine, page = many
    selection = select(mine, page)
    counts = selection.counts.set_index("cve_ent")["incidents"]
    assert (counts[JALISCO], counts[VERACRUZ]) == (60, 30)
    layer, _ = view_layer(selection.selected, selection.counts, page.view, lang="es")
    assert layer.view["bins"] == [
        [1, STATE_PALETTE[0]],
        [5, STATE_PALETTE[1]],
        [11, STATE_PALETTE[2]],
        [21, STATE_PALETTE[3]],
        [51, STATE_PALETTE[4]],
    ]
    assert [label for _, label in layer.view["ramp"]] == [
        "0",
        "1–4",
        "5–10",
        "11–20",
        "21–50",
        "51+",
    ]


def test_the_png_draws_and_lists_the_same_classes(many):
    from dashboard.render.snapshot import legend_entries, png_bytes
    from dashboard.render.summary import select

    mine, page = many
    labels = [h.get_label() for h in legend_entries(select(mine, page), lang="en")][:6]
    assert labels[-1] == "51 or more incidents" and labels[-2] == "21–50 incidents"
    pixels = np.asarray(Image.open(io.BytesIO(png_bytes(mine, page))).convert("RGB"))
    width = pixels.shape[1]
    map_part, legend_part = pixels[:, : int(width * 0.71)], pixels[:, int(width * 0.73) :]

    def count(part, hex_colour):
        rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
        return int((part == rgb).all(axis=-1).sum())

    # Veracruz (30) in the fourth class, Jalisco (60) in the fifth; each swatch in the legend.
    for colour in (STATE_PALETTE[3], STATE_PALETTE[4]):
        assert count(map_part, colour) > 500, colour
        assert count(legend_part, colour) > 50, colour


def test_the_standalone_html_carries_the_views_classes(many):
    from dashboard.render.snapshot import html_document

    mine, page = many
    document = html_document(mine, page, lang="en")
    views = re.findall(r"TapalpaMap\.update\([^,]+, (\{.*?\})\);", document, re.S)
    assert views, "the view's data"
    view = json.loads(views[-1])
    assert view["ramp"][-1][1] == "51+" and view["bins"][-1][0] == 51


@pytest.mark.browser
def test_the_maps_fills_and_legend_follow_the_views_classes(browser, tmp_path, many):
    """What only a browser shows: the map's JavaScript fills each state with the view's
    classes and redraws the legend's ramp with their labels."""
    from dashboard.render.snapshot import html_document

    mine, page = many
    path = tmp_path / "many.html"
    path.write_text(html_document(mine, page, lang="en"), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        tab = context.new_page()
        tab.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        tab.goto(path.as_uri())
        tab.wait_for_function("() => Object.keys(window).some(k => k.startsWith('map_'))")
        fills = tab.evaluate(
            "() => { const m = window[Object.keys(window).find(k => k.startsWith('map_'))];"
            " const s = m._tim.stateLayers;"
            f" return [s['{JALISCO}'].options.fillColor, s['{VERACRUZ}'].options.fillColor]; }}"
        )
        assert fills == [STATE_PALETTE[4], STATE_PALETTE[3]]
        ramp = tab.locator(".tim-ramp .tim-ramp-label").all_text_contents()
        assert ramp == ["0", "1–4", "5–10", "11–20", "21–50", "51+"]
    finally:
        context.close()
