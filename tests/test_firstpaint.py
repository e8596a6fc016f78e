"""The published page's first paint (render/firstpaint.py): the picture the reader sees
before the interactive map is built must say what it draws, as the live map does."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.analysis.filters import IN_WINDOW, POSSIBLE
from dashboard.render.firstpaint import first_paint_key, first_paint_svg
from dashboard.render.symbols import SITE_COLOUR

EXTENT = (-106.0, -100.0, 17.0, 23.0)  # west, east, south, north (degrees): Jalisco-Michoacán
SITE = (-103.76, 19.95)  # Tapalpa (lon, lat)


def records(*rows: tuple[str, int, str]) -> pd.DataFrame:
    """(event_type, geo_precision, in_window) per record, all near Guadalajara."""
    return pd.DataFrame(
        {
            "event_type": [r[0] for r in rows],
            "geo_precision": [r[1] for r in rows],
            IN_WINDOW: [r[2] for r in rows],
            "lon": [-103.35] * len(rows),
            "lat": [20.67] * len(rows),
        }
    )


def test_the_picture_draws_the_site_star_and_hollow_dashed_possible_records(bundle):
    counts = pd.DataFrame({"cve_ent": ["14"], "incidents": [3]})
    chosen = records(("blockade", 1, "known"), ("killing", 2, POSSIBLE))
    svg = first_paint_svg(bundle.states_display, counts, chosen, EXTENT, SITE)
    assert '<polygon points="' in svg and f'fill="{SITE_COLOUR}"' in svg
    circles = re.findall(r"<circle [^>]*>", svg)
    assert len(circles) == 2
    assert sum("stroke-dasharray" in c and 'fill="none"' in c for c in circles) == 1
    assert "<polygon" not in first_paint_svg(bundle.states_display, counts, chosen, EXTENT)


@pytest.mark.parametrize(
    ("rows", "lang", "expected", "absent"),
    [
        # Only the kinds drawn as dots: a state-level record (precision 3) is not drawn.
        ([("blockade", 1, "known"), ("killing", 3, "known")], "es", ["Bloqueo"], ["Enfrent"]),
        ([("blockade", 1, "known"), ("killing", 2, POSSIBLE)], "en", ["Blockade", "dashed"], []),
        ([("vehicle_arson", 1, "known")], "en", ["Burning"], ["dashed", "Blockade"]),
    ],
)
def test_the_key_names_what_the_picture_draws(rows, lang, expected, absent):
    key = first_paint_key(records(*rows), True, lang)
    for text in [*expected, "Tapalpa"]:
        assert text in key
    for text in absent:
        assert text not in key


def test_the_key_is_empty_when_nothing_is_drawn():
    assert first_paint_key(records(("blockade", 3, "known")), False, "en") == ""
