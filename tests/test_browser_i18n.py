"""The page and its map in a browser set to Mexican Spanish, and a change of language.

Same Chromium, server and offline routing as tests/test_browser.py (tests/conftest.py).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.text.i18n import translation
from tests.conftest import IFRAME, map_frame, offline

pytestmark = pytest.mark.browser
SPANISH_DAY = (
    r"(dom|lun|mar|mié|jue|vie|sáb) \d{1,2} "
    r"(ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic), \d\d:\d\d"
)


@pytest.fixture
def spanish_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-MX")
    page = context.new_page()
    offline(page)
    yield page
    context.close()


# The first record's symbol the map holds (drawn alone or inside a group).
FIRST_MARKER = """() => window.map._tim.markers.find(l => l.getPopup()) || null"""


def test_a_spanish_browser_gets_the_page_and_map_in_spanish(spanish_page, server):
    from playwright.sync_api import expect

    page = spanish_page
    page.goto(server)  # no lang parameter: the browser's language decides
    frame = map_frame(page)
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tras el operativo en Tapalpa")
    # legend
    legend = frame.locator(".tim-legend")
    expect(legend).to_contain_text("Incidentes por estado en el periodo")
    expect(legend).to_contain_text("Tipo de hecho")
    # tooltip and popup of an incident
    tooltip = frame.evaluate(f"() => ({FIRST_MARKER})().getTooltip().getContent()")
    popup = frame.evaluate(f"() => ({FIRST_MARKER})().getPopup().getContent()")
    spanish_types = {
        translation("es").gettext(t)
        for t in ("Road blockade", "Vehicle burning", "Business burning", "Armed clash")
    } | {"Homicidio", "Detención", "Otro", "Medida preventiva", "Despliegue de seguridad"}
    assert tooltip.split(":")[0] in spanish_types | {
        "Operativo de fuerzas de seguridad",
        "Afectación al transporte",
        "Declaración oficial",
    }, tooltip
    assert "Ubicación:" in popup and "Fuentes:" in popup and "confianza:" in popup, popup
    # play control: names, and a Spanish date for the hour shown
    button = frame.locator(".tim-play-button")
    expect(button).to_have_attribute("aria-label", "Reproducir")
    range_input = frame.locator(".tim-play-range")
    expect(range_input).to_have_attribute("aria-label", "Momento de la reproducción")
    range_input.fill("8")
    label = frame.locator(".tim-play-label").inner_text()
    assert re.match(SPANISH_DAY + " Ciudad de México: ", label), label
    assert "en curso" in label
    assert re.match(SPANISH_DAY, range_input.get_attribute("aria-valuetext"))
    button.click()
    expect(button).to_have_attribute("aria-label", "Pausa")
    button.click()
    expect(button).to_have_attribute("aria-label", "Reproducir")


def test_switching_language_keeps_window_states_types_centre_and_zoom(spanish_page, server):
    from playwright.sync_api import expect

    page = spanish_page
    page.goto(
        f"{server}/?from=2026-02-22T06:00&to=2026-02-23T00:00&states=JAL,MIC"
        "&types=blockade,vehicle_arson&lang=en"
    )
    frame = map_frame(page)
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=30_000)
    frame.evaluate("() => window.map.setView([20.1, -102.9], 8, {animate: false})")
    page.wait_for_function("() => location.search.includes('zoom=8')", timeout=30_000)
    page.get_by_text("Español", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=30_000)
    # Streamlit writes the link it knows (no centre and zoom: Python never learns them);
    # the redrawn map puts the reader's centre and zoom back into it within a second.
    page.wait_for_function(
        "() => location.search.includes('lang=es') && location.search.includes('zoom=8')",
        timeout=30_000,
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tras el operativo")
    query = parse_qs(urlsplit(page.url).query)
    assert (query["from"], query["to"], query["states"], query["types"]) == (
        ["2026-02-22T06:00"],
        ["2026-02-23T00:00"],
        ["JAL,MIC"],
        ["blockade,vehicle_arson"],
    )
    assert (query["lat"], query["lon"], query["zoom"]) == (["20.1000"], ["-102.9000"], ["8"])
    # the redrawn map (Spanish legend) opens where the reader left it
    expect(page.frame_locator(IFRAME).locator(".tim-legend")).to_contain_text(
        re.compile("Simbología|Ocultar"), timeout=20_000
    )
    frame = map_frame(page)
    view = frame.evaluate(
        "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"
    )
    assert view[2] == 8 and abs(view[0] - 20.1) < 0.01 and abs(view[1] + 102.9) < 0.01, view


def test_after_a_change_of_language_the_next_move_keeps_every_filter(spanish_page, server):
    """The type and layer chips carry the other language's labels into the next rerun;
    the browser sends the chosen labels, which must still name the same choices."""
    from playwright.sync_api import expect

    page = spanish_page
    page.goto(
        f"{server}/?from=2026-02-22T06:00&to=2026-02-23T00:00"
        "&types=blockade,vehicle_arson&layers=incidents,states&lang=es"
    )
    map_frame(page)
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=30_000)
    page.get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("After the Tapalpa raid")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Road blockade", exact=True)).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Start +1 h").click()
    page.wait_for_function(
        "() => location.search.includes('from=2026-02-22T07%3A00') "
        "|| location.search.includes('from=2026-02-22T07:00')",
        timeout=30_000,
    )
    query = parse_qs(urlsplit(page.url).query)
    assert query["types"] == ["blockade,vehicle_arson"], query
    assert set(query["layers"][0].split(",")) == {"incidents", "states"}, query
    expect(sidebar.get_by_text("Vehicle burning", exact=True)).to_be_visible()
    # and back to Spanish, then a move of another widget: the slider's dates (sent back
    # as the labels it shows) keep the window
    page.get_by_text("Español", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tras el operativo")
    sidebar.get_by_text("Todos los estados", exact=True).click()
    page.wait_for_function("() => location.search.includes('states')", timeout=30_000)
    query = parse_qs(urlsplit(page.url).query)
    assert (query["from"], query["to"]) == (["2026-02-22T07:00"], ["2026-02-23T00:00"]), query
    sidebar.get_by_text("Todos los estados", exact=True).click()
    page.get_by_role("button", name="Fin +1 h").click()
    page.wait_for_function("() => location.search.includes('to=2026-02-23T01')", timeout=30_000)
    query = parse_qs(urlsplit(page.url).query)
    assert query["types"] == ["blockade,vehicle_arson"], query
    assert set(query["layers"][0].split(",")) == {"incidents", "states"}, query


def test_the_time_slider_reads_spanish_dates(spanish_page, server):
    """Streamlit draws the slider's labels itself: on the Spanish page they are Babel's
    Spanish dates, for the eye and for screen readers, also after a key press."""
    from playwright.sync_api import expect

    page = spanish_page
    page.goto(server + "/?lang=es&from=2026-02-22T06:00&to=2026-02-23T00:00")
    slider = page.locator('[data-testid="stSlider"]').filter(
        has_text=translation("es").gettext("Time window (Mexico City time)")
    )
    thumb = slider.get_by_role("slider").first
    expect(thumb).to_have_attribute("aria-valuetext", "dom 22 feb, 06:00", timeout=30_000)
    expect(slider).to_contain_text("dom 22 feb, 06:00")
    expect(slider).to_contain_text("lun 23 feb, 00:00")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    expect(thumb).to_have_attribute("aria-valuetext", "dom 22 feb, 07:00", timeout=30_000)
    assert not re.search(r"\b(Sun|Mon) \d", slider.inner_text())
