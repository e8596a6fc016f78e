"""publish with the editor's own views: a page per view with its figures, official
figures, summary, images, interactive map and live link; Open Graph and Twitter tags
with absolute addresses only when the site's address is given; both languages in one
run; the view arguments read as snapshot reads them."""

from __future__ import annotations

import html as htmllib
import io
import json
import re
import shutil
import subprocess
from datetime import datetime

import pytest
from PIL import Image

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.publish import site_files
from tests.conftest import run_cli_in_process

NIGHT = PageView(
    ViewSpec(
        datetime(2026, 2, 22, 18, tzinfo=MEXICO_CITY),
        datetime(2026, 2, 23, 6, tzinfo=MEXICO_CITY),
        states=frozenset({"14", "16"}),
    )
)
STEM = "views/view-20260222-1800-20260223-0600-JAL-MIC"
BASE = "https://static.example.org/tapalpa/"
QUERY = "from=2026-02-22T18:00&to=2026-02-23T06:00&states=JAL,MIC"


@pytest.fixture(scope="module")
def both(bundle) -> dict[str, bytes]:
    files = site_files(
        bundle,
        base_url=BASE,
        states=["14"],
        extra=[NIGHT],
        live_url="https://mapa.example.org/",
        languages=("es", "en"),
    )
    return {f.path: f.data for f in files}


def meta(page: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page)
    return htmllib.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_each_language_has_the_view_page_and_its_files(both, prefix):
    for ending in (".html", ".map.html", ".png", ".social.png"):
        assert f"{prefix}{STEM}{ending}" in both
    assert Image.open(io.BytesIO(both[f"{prefix}{STEM}.social.png"])).size == (1200, 630)
    assert Image.open(io.BytesIO(both[f"{prefix}{STEM}.png"])).size == (1400, 1700)
    assert f"{prefix}embed.html" in both and f"{prefix}index.html" in both


@pytest.mark.parametrize(
    ("prefix", "lang", "words"),
    [
        ("", "es", ["Jalisco y Michoacán", "Cifras oficiales", "Resumen", "bloqueos"]),
        ("en/", "en", ["Jalisco and Michoacán", "Official national figures", "Summary"]),
    ],
)
def test_the_view_page_has_figures_official_figures_summary_and_links(both, prefix, lang, words):
    page = both[f"{prefix}{STEM}.html"].decode()
    assert f'<html lang="{lang}"' in page
    for word in words:
        assert word in page, word
    assert "Gabinete de Seguridad" in page  # who gave the official figure, with its source
    assert re.search(r'<a href="https://[^"]+" target="_blank" rel="noopener noreferrer">', page)
    name = STEM.rsplit("/", 1)[1]
    assert f'<a href="{name}.map.html">' in page and f'<img src="{name}.png" alt="' in page
    live = re.search(r'href="(https://mapa\.example\.org/\?[^"]+)"', page).group(1)
    assert "from=2026-02-22T18:00" in htmllib.unescape(live) and f"lang={lang}" in live


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_open_graph_and_twitter_images_are_absolute(both, prefix):
    page = both[f"{prefix}{STEM}.html"].decode()
    image = f"{BASE}{prefix}{STEM}.social.png"
    assert meta(page, "og:image") == image and meta(page, "twitter:image") == image
    assert meta(page, "og:url") == f"{BASE}{prefix}{STEM}.html"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:image:alt") == meta(page, "og:description")


@pytest.mark.parametrize(
    ("prefix", "index", "twin", "twin_lang", "name"),
    [
        ("", "../index.html", f"../en/{STEM}.html", "en", "English"),
        ("en/", "../index.html", f"../../{STEM}.html", "es", "Español"),
    ],
)
def test_the_view_page_links_its_index_and_its_other_language(
    both, prefix, index, twin, twin_lang, name
):
    """Tester 11e #11: a published view page had no way to the site's other views or to
    its copy in the other language (the live link only came with --live-url)."""
    path = f"{prefix}{STEM}.html"
    page = both[path].decode()
    hrefs = re.findall(r'<a href="([^"]+)"', page)
    assert index in hrefs and twin in hrefs
    root = path.rsplit("/", 1)[0]
    for href in (index, twin):  # each resolves to a published file
        parts = f"{root}/{href}".split("/")
        resolved = []
        for part in parts:
            resolved = resolved[:-1] if part == ".." else [*resolved, part]
        assert "/".join(resolved) in both, href
    assert f'hreflang="{twin_lang}" lang="{twin_lang}">{name}</a>' in page
    alternate = f'<link rel="alternate" hreflang="{twin_lang}" href="{BASE}'
    assert alternate + f'{"en/" if twin_lang == "en" else ""}{STEM}.html">' in page


@pytest.mark.parametrize(
    ("prefix", "scoped"),
    [("", "detenidos, en esos incidentes"), ("en/", "arrested, in those incidents")],
)
def test_deaths_and_arrests_say_they_are_those_of_the_counted_incidents(both, prefix, scoped):
    """Tester 11e #5: "0 killed" beside 56 uncounted records that report deaths read as
    none at all; the figure names what it counts."""
    page = both[f"{prefix}{STEM}.html"].decode()
    assert re.search(r"<li>[0-9]+ (muertos|killed) · [0-9]+ " + scoped + "</li>", page)


# (page, its own address, its picture, og:type) (tester 9, finding 12: the site's root
# and embed.html had no Open Graph or Twitter tags at all)
SITE_PAGES = [
    ("index.html", "", "index.png", "website"),
    ("en/index.html", "en/", "en/index.png", "website"),
    ("states/jal.html", "states/jal.html", "states/jal.png", "article"),
    ("embed.html", "embed.html", "index.png", "website"),
    ("en/embed.html", "en/embed.html", "en/index.png", "website"),
]


@pytest.mark.parametrize(("path", "url", "image", "kind"), SITE_PAGES)
def test_the_sites_own_pages_have_absolute_open_graph_and_twitter_tags(
    both, path, url, image, kind
):
    page = both[path].decode()
    assert meta(page, "og:url") == BASE + url
    assert meta(page, "og:image") == meta(page, "twitter:image") == BASE + image
    assert image in both  # the picture is published
    assert meta(page, "og:type") == kind
    assert meta(page, "og:title") and meta(page, "og:title") == meta(page, "twitter:title")
    assert meta(page, "og:description") == meta(page, "twitter:description")
    assert meta(page, "og:image:alt") == meta(page, "og:description")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1600", "1000")
    assert meta(page, "og:locale") == ("en_US" if path.startswith("en/") else "es_MX")


@pytest.mark.parametrize("path", ["index.html", "embed.html"])
def test_without_a_base_url_the_sites_pages_have_tags_but_no_relative_addresses(bundle, path):
    files = {f.path: f.data for f in site_files(bundle, states=["14"])}
    page = files[path].decode()
    assert meta(page, "og:title") and meta(page, "og:description")
    assert meta(page, "og:image") is None and meta(page, "og:url") is None
    assert meta(page, "twitter:card") == "summary"


def test_without_a_base_url_no_relative_image_tags(bundle):
    files = {f.path: f.data for f in site_files(bundle, states=["14"], extra=[NIGHT])}
    page = files[f"{STEM}.html"].decode()
    assert meta(page, "og:title") and meta(page, "og:image") is None
    assert meta(page, "twitter:image") is None and meta(page, "og:url") is None
    assert "mapa.example.org" not in page  # no live address given: no live link


def test_manifest_lists_both_languages(both):
    listed = {e["path"] for e in json.loads(both["manifest.json"])["files"]}
    assert listed == set(both) - {"manifest.json"}


def test_cli_publishes_views_in_both_languages_with_absolute_tags(tmp_path):
    out = tmp_path / "site"
    result = run_cli_in_process(
        "publish", str(out), "--state", "JAL", "--lang", "both", "--base-url", BASE,
        "--live-url", "https://mapa.example.org", "--query", QUERY,
        "--start", "2026-02-22T06:00", "--end", "2026-02-22T12:00", "--type", "blockade",
        environ={"LANG": "en_US.UTF-8"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = (out / f"{STEM}.html").read_text(encoding="utf-8")
    assert meta(page, "og:image") == meta(page, "twitter:image") == f"{BASE}{STEM}.social.png"
    assert (out / "en" / f"{STEM}.html").exists()
    # the published view's images name the states and main cities they show (OCR)
    if shutil.which("tesseract"):
        for image, cities in ((f"{STEM}.png", ("GUADALAJARA",)), (f"{STEM}.social.png", ())):
            text = subprocess.run(
                ["tesseract", str(out / image), "-", "--psm", "11"],
                capture_output=True, text=True, check=True,
            ).stdout.upper()  # fmt: skip
            for label in ("JALISCO", "MICHOAC", "TAPALPA", *cities):
                assert label in text, (image, label, text)
    # the --start/--end/--type view: Jalisco (its --state), one type
    assert (out / "views" / "view-20260222-0600-20260222-1200-JAL-1-types.html").exists()
    assert "no --base-url" not in result.stderr


def test_cli_without_base_url_says_why_there_are_no_codes(tmp_path):
    result = run_cli_in_process(
        "publish", str(tmp_path / "site"), "--state", "JAL", "--query", QUERY,
        environ={"LANG": "en_US.UTF-8", "TAPALPA_PUBLIC_URL": ""},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no --base-url" in result.stderr and "relative one breaks" in result.stderr
    assert "no --live-url" in result.stderr


def test_cli_bad_view_arguments_exit_2(tmp_path):
    result = run_cli_in_process(
        "publish", str(tmp_path / "site"), "--start", "2026-13-01T00:00", "--end", "x",
    )  # fmt: skip
    assert result.returncode == 2
    assert "--start" in result.stderr
    assert not (tmp_path / "site").exists()
