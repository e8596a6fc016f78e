"""What the share panel and the embed give an editor: the public address and its warning,
the responsive snippet, the view probe's report, the PNG of the view on screen, and the
embed's title, key figure and notices (AppTest)."""

from __future__ import annotations

import math
from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.share import (
    HEIGHT_MESSAGE,
    RESIZE_SCRIPT,
    internal_host,
    public_address,
    responsive_snippet,
)
from dashboard.render.snapshot import MAP_BOX, map_extent, screen_zoom, view_extent
from dashboard.text.escape import escape_markdown
from dashboard.web.view_probe import seen_view
from tests.conftest import ROOT, open_sections

APP = str(ROOT / "dashboard" / "app.py")
NIGHT = ViewSpec(
    datetime(2026, 2, 22, 18, tzinfo=MEXICO_CITY),
    datetime(2026, 2, 23, 6, tzinfo=MEXICO_CITY),
    states=frozenset({"14", "16"}),
)


@pytest.mark.parametrize(
    ("url", "internal"),
    [
        ("http://localhost:8501/", True),
        ("http://127.0.0.1:8080/", True),
        ("http://[::1]:8501/", True),
        ("http://10.0.3.7/", True),
        ("http://192.168.1.20:8501/", True),
        ("http://172.16.0.2/", True),
        ("http://169.254.1.1/", True),
        ("http://0.0.0.0:8501/", True),
        ("http://intranet/", True),
        ("http://mapa.local/", True),
        ("https://map.corp.internal/", True),
        ("https://staging.example.org/", True),
        ("https://preview.news.example.com/", True),
        ("https://dev.example.org/", True),
        ("", True),
        ("https://mapa.example.org/", False),
        ("https://map-dev.example.org/", False),  # labels are whole
        ("https://tapalpa.dev/", False),  # a top-level domain, not a staging label
        ("https://8.8.8.8/", False),
    ],
)
def test_internal_hosts_are_recognised(url, internal):
    assert internal_host(url) is internal


def test_public_address_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("TAPALPA_PUBLIC_URL", raising=False)
    assert public_address("http://10.0.0.5:8501/?a=b") == "http://10.0.0.5:8501/"
    monkeypatch.setenv("TAPALPA_PUBLIC_URL", " https://mapa.example.org ")
    assert public_address("http://10.0.0.5:8501/?a=b") == "https://mapa.example.org/"
    monkeypatch.setenv("TAPALPA_PUBLIC_URL", "https://example.org/tapalpa/?x=1")
    assert public_address(None) == "https://example.org/tapalpa/"


def test_responsive_snippet_is_the_iframe_and_its_resizer():
    snippet = responsive_snippet(
        "https://mapa.example.org/?embed=true&from=a", 840, PageView(NIGHT), "es"
    )
    iframe, script = snippet.split("\n")
    assert iframe.startswith('<iframe src="https://mapa.example.org/?embed=true&amp;from=a"')
    assert 'title="' in iframe and "Jalisco" in iframe
    assert script == RESIZE_SCRIPT
    assert script.startswith("<script>") and script.endswith("</script>")
    assert f'"{HEIGHT_MESSAGE}"' in script and "e.source" in script  # only its own iframe


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (
            {"lat": "20.1000", "lon": "-103.2000", "zoom": "7.25", "width": 900, "height": 560},
            ({"lat": "20.1000", "lon": "-103.2000", "zoom": "7.25"}, (900, 560)),
        ),
        (
            {"lat": "20.1", "lon": "-103.2", "zoom": "7", "width": None, "height": None},
            ({"lat": "20.1", "lon": "-103.2", "zoom": "7"}, None),
        ),
        ({"lat": "20.1", "lon": "-103.2", "zoom": "7", "width": True, "height": 5}, "no screen"),
        ({"lat": "20.1", "lon": "-103.2", "zoom": "99"}, None),  # zoom out of range
        ({"lat": "91", "lon": "-103.2", "zoom": "7"}, None),
        ({"lat": "x", "lon": "-103.2", "zoom": "7"}, None),
        ({"lon": "-103.2", "zoom": "7"}, None),
        ("lat=20", None),
        (None, None),
    ],
)
def test_the_probe_report_is_read_or_dropped(report, expected):
    got = seen_view(report)
    if expected == "no screen":
        assert got is not None and got[1] is None
    else:
        assert got == expected


def test_screen_zoom_fits_the_screen_area_into_the_png_box():
    assert screen_zoom(7.25, (560, 395), (1120, 790)) == pytest.approx(8.25)
    assert screen_zoom(7.25, (1120, 790), (560, 395)) == pytest.approx(6.25)
    # the smaller ratio decides: the whole screen fits
    assert screen_zoom(6, (1000, 500), (1000, 1000)) == pytest.approx(6)


@pytest.mark.parametrize("size", [(1600, 1000), (1400, 1400), (1200, 630), (700, 500)])
@pytest.mark.parametrize("screen", [(1180, 560), (390, 520), (700, 560)])
def test_png_of_a_view_shows_what_the_screen_showed(bundle, size, screen):
    center, zoom = (19.6, -102.9), 7.25
    page = PageView(NIGHT, center=center, zoom=zoom)
    west, east, south, north = view_extent(center, zoom, *screen)
    got_west, got_east, got_south, got_north = map_extent(bundle, page, *size, screen=screen)
    assert got_west <= west + 1e-9 and got_east >= east - 1e-9
    assert got_south <= south + 1e-9 and got_north >= north - 1e-9
    # …and no more than the screen along the side that decides
    ratio_x = (got_east - got_west) / (east - west)
    box = (MAP_BOX[2] * size[0], MAP_BOX[3] * size[1])
    tight = min(box[0] / screen[0], box[1] / screen[1])
    assert math.isclose(ratio_x, box[0] / screen[0] / tight, rel_tol=1e-6)


def app_with(params: dict[str, str]) -> AppTest:
    at = open_sections(AppTest.from_file(APP, default_timeout=60))
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


NIGHT_LINK = {"from": "2026-02-22T18:00", "to": "2026-02-23T06:00", "states": "JAL,MIC"}


def test_share_panel_link_and_embed_carry_centre_and_zoom():
    at = app_with({**NIGHT_LINK, "lat": "19.6000", "lon": "-102.9000", "zoom": "7.25"})
    (link,) = [t.value for t in at.text_input if t.label.startswith("Link to this view")]
    assert "lat=19.6000&lon=-102.9000&zoom=7.25" in link
    (embed,) = [t.value for t in at.text_area if t.label == "Embed the live map in an article"]
    assert "embed=true" in embed and "lat=19.6000&amp;lon=-102.9000&amp;zoom=7.25" in embed
    assert RESIZE_SCRIPT in embed
    assert not at.warning  # AppTest has no address: nothing to warn about


def test_share_panel_warns_when_links_point_at_an_internal_host(monkeypatch):
    monkeypatch.setenv("TAPALPA_PUBLIC_URL", "http://localhost:8501")
    at = app_with(NIGHT_LINK)
    (warning,) = at.warning
    # the address is text, not a live link (escape_markdown breaks GFM's autolink)
    assert escape_markdown("http://localhost:8501/") in warning.value
    assert "TAPALPA_PUBLIC_URL" in warning.value
    (link,) = [t.value for t in at.text_input if t.label.startswith("Link to this view")]
    assert link.startswith("http://localhost:8501/?from=2026-02-22T18:00")


def test_a_public_address_makes_the_snippets_absolute_without_warning(monkeypatch):
    monkeypatch.setenv("TAPALPA_PUBLIC_URL", "https://mapa.example.org/tapalpa")
    at = app_with(NIGHT_LINK)
    assert not at.warning
    (embed,) = [t.value for t in at.text_area if t.label == "Embed the live map in an article"]
    assert embed.startswith('<iframe src="https://mapa.example.org/tapalpa?')


def embed_with(params: dict[str, str], lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {**params, "lang": lang}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"zoom": "99"}, "map zoom"),
        ({"states": "ZZZ"}, "unknown state"),
        ({"from": "2026-13-45T00:00"}, "unreadable time window"),
        ({"from": "2031-01-01T00:00", "to": "2031-01-02T00:00"}, "outside the data"),
    ],
)
def test_a_bad_embed_link_shows_a_visible_notice(params, notice, monkeypatch):
    monkeypatch.setattr("streamlit.context.__class__.is_embedded", property(lambda _: True))
    at = embed_with(params)
    assert any(notice in w.value and "embed's link" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]


def test_an_embed_link_with_several_bad_values_says_so_in_one_notice(monkeypatch):
    """Each bad value is named, after the prefix said once (not a box per value)."""
    monkeypatch.setattr("streamlit.context.__class__.is_embedded", property(lambda _: True))
    at = embed_with({"zoom": "99", "states": "ZZZ"})
    boxes = [w.value for w in at.warning if "embed's link" in w.value]
    assert len(boxes) == 1 and boxes[0].count("embed's link") == 1, boxes
    assert "map zoom" in boxes[0] and "unknown state" in boxes[0], boxes


@pytest.mark.parametrize(
    ("lang", "title", "official", "full"),
    [
        ("en", "reported incidents in Jalisco and Michoacán", "Official, nationwide: ", "Full map"),
        ("es", "Jalisco y Michoacán", "Oficial, en todo el país: ", "Mapa completo"),
    ],
)
def test_the_embed_has_title_window_key_figure_and_full_page_link(
    lang, title, official, full, monkeypatch
):
    monkeypatch.setattr("streamlit.context.__class__.is_embedded", property(lambda _: True))
    monkeypatch.setenv("TAPALPA_PUBLIC_URL", "https://mapa.example.org/")
    at = embed_with(NIGHT_LINK, lang)
    html = " ".join(h.proto.body for h in at.get("html"))
    assert 'class="tapalpa-embed-title"' in html and title in html
    assert 'class="tapalpa-embed-window"' in html
    assert f'class="tapalpa-embed-figure">{official}' in html
    assert 'target="_blank" rel="noopener noreferrer">' in html  # the figure's source
    captions = " ".join(c.value for c in at.caption)
    assert 'href="https://mapa.example.org/?from=2026-02-22T18:00' in captions
    assert full in captions and "embed=true" not in captions.split(full)[0].split("href=")[-1]
    assert "tapalpa-map-height" in html  # the height reporter is loaded


def test_the_embed_script_survives_streamlits_sanitiser():
    """st.html runs scripts through DOMPurify, which drops a script whose text has "<"
    before a letter, digit, "/" or "!" (the embed would never post its height)."""
    import re

    from dashboard.web.sections.embed import STATIC

    script = (STATIC / "embed-resize.js").read_text(encoding="utf-8")
    assert not re.search(r"<[\w/!]", script)


@pytest.mark.parametrize(
    ("start", "end", "states"),
    [
        ("2026-02-22T18:00", "2026-02-23T06:00", ("14", "16")),  # the editors' night view
        ("2026-02-22T00:00", "2026-02-24T00:00", None),  # the default window, nationwide
    ],
)
def test_the_csv_caption_squares_the_file_with_the_key_figures(bundle, start, end, states):
    """The share panel's CSV holds every record of the view; its caption splits that count
    into the figures' incidents, the possible ones and the official statements."""
    import re

    from dashboard.analysis.filters import apply
    from dashboard.analysis.stats import key_figures
    from dashboard.render.share import records_in_the_csv

    view = ViewSpec(
        datetime.fromisoformat(start).replace(tzinfo=MEXICO_CITY),
        datetime.fromisoformat(end).replace(tzinfo=MEXICO_CITY),
        states=states,
    )
    selected = apply(view, bundle.incidents)
    said = records_in_the_csv(selected, "en")
    known, possible, statements = (int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", said))
    figures = key_figures(selected)
    assert (known, possible) == (figures.incidents, figures.possible), said
    assert known + possible + statements == len(selected)


@pytest.mark.parametrize(
    ("types", "windows", "lang", "expected"),
    [
        (
            ["blockade", "official_statement"],
            ["known", "known"],
            "es",
            "1 incidente que se sabe ocurrió en el periodo (las cifras clave cuentan estos), "
            "0 que solo posiblemente ocurrieron en él (hora poco precisa) y 1 declaración "
            "oficial;",
        ),
        (
            ["blockade", "blockade", "clash", "official_statement", "official_statement"],
            ["known", "known", "possible", "known", "known"],
            "es",
            "2 incidentes que se sabe ocurrieron en el periodo (las cifras clave cuentan "
            "estos), 1 que solo posiblemente ocurrió en él (hora poco precisa) y 2 "
            "declaraciones oficiales;",
        ),
        (
            ["blockade", "official_statement"],
            ["known", "known"],
            "en",
            "1 incident known to be in the window (the key figures count these), 0 only "
            "possibly in it (time not precise enough) and 1 official statement;",
        ),
    ],
)
def test_the_csv_caption_agrees_in_number(types, windows, lang, expected):
    """Tester 10 #18: the share panel said "1 declaraciones oficiales"."""
    import pandas as pd

    from dashboard.render.share import records_in_the_csv

    selected = pd.DataFrame({"event_type": types, "in_window": windows})
    assert expected in records_in_the_csv(selected, lang)
