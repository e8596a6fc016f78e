"""The article and large PNGs' stamp says the view in words (render/pngstamp): the
window in Mexico City time, the states by name and each filter the view sets, in the
image's language; never the raw query string it printed before ("vista: from=…&to=…")."""

from __future__ import annotations

from datetime import datetime

import pytest

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.pngpresets import PRESETS
from dashboard.render.pngstamp import view_description
from dashboard.render.snapshot import png_figure

NIGHT = ViewSpec(
    datetime(2026, 2, 22, 18, tzinfo=MEXICO_CITY),
    datetime(2026, 2, 23, 6, tzinfo=MEXICO_CITY),
    states=frozenset({"14", "16"}),
)

# (view, lang, the description)
DESCRIPTIONS = [
    (NIGHT, "en", "22 Feb 2026, 18:00 to 23 Feb 2026, 06:00, Mexico City time; "
     "Jalisco and Michoacán"),
    (NIGHT, "es", "del 22 feb 2026, 18:00 al 23 feb 2026, 06:00, hora de la Ciudad de "
     "México; Jalisco y Michoacán"),
    (NIGHT.with_changes(states=None), "es", "del 22 feb 2026, 18:00 al 23 feb 2026, 06:00, "
     "hora de la Ciudad de México; todos los estados"),
    (NIGHT.with_changes(states=frozenset()), "en", "22 Feb 2026, 18:00 to 23 Feb 2026, "
     "06:00, Mexico City time; no states"),
    (NIGHT.with_changes(event_types=frozenset({"blockade"}), trusted=True), "es",
     "del 22 feb 2026, 18:00 al 23 feb 2026, 06:00, hora de la Ciudad de México; Jalisco y "
     "Michoacán; Bloqueo; sin registros en disputa ni de una sola fuente"),
    (NIGHT.with_changes(states=frozenset({"16"}), actor="CJNG", min_fatalities=2,
                        sub_event_types=frozenset({"Armed clash"})), "en",
     "22 Feb 2026, 18:00 to 23 Feb 2026, 06:00, Mexico City time; Michoacán; "
     "actor contains “CJNG”; sub-event types: Armed clash; at least 2 killed"),
]  # fmt: skip


@pytest.mark.parametrize(("view", "lang", "text"), DESCRIPTIONS)
def test_view_description(view, lang, text):
    assert view_description(PageView(view), lang) == text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", ["article", "large"])
def test_the_image_stamp_describes_the_view_not_its_query(bundle, name, lang):
    fig, _ = png_figure(bundle, PageView(NIGHT, lang=lang), preset=PRESETS[name])
    stamp = " ".join(fig.texts[-1].get_text().split())  # wrapped to the image
    assert bundle.version in stamp
    assert view_description(PageView(NIGHT), lang) in stamp
    for raw in ("from=", "&", "states=", "lang=", "JAL,MIC"):
        assert raw not in stamp
