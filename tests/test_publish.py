"""The static site: every file, deterministic, no CDN, escaped, safe to publish over."""

from __future__ import annotations

import hashlib
import html as htmllib
import io
import json
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from dashboard.analysis.stats import incidents_only
from dashboard.model.mexico import BY_CODE
from dashboard.render.export import records_csv
from dashboard.render.publish import PublishError, publish, site_files, stable_ids
from tests.conftest import run_cli_in_process
from tests.test_mapview import XSS


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def site(bundle, tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("site")
    publish(bundle, folder)
    return tree(folder)


@pytest.mark.slow  # a second publish of the whole site
def test_two_runs_on_the_same_data_are_byte_identical(bundle, site, tmp_path):
    publish(bundle, tmp_path / "again")
    again = tree(tmp_path / "again")
    assert again.keys() == site.keys()
    assert [name for name in site if site[name] != again[name]] == []


def test_a_figure_above_the_official_one_carries_the_live_pages_caveat(site):
    """Tester 10 #17: the index read "24 killed · 134 arrested" with no official figure
    beside it; the live page says why the map's 134 exceed the official 70."""
    index = site["index.html"].decode()
    assert "Arrests (official): the map&#x27;s 134 exceed the official 70" in index or (
        "Arrests (official): the map's 134 exceed the official 70" in index
    )


def test_one_page_and_png_per_state_with_incidents(bundle, site):
    codes = sorted(set(incidents_only(bundle.incidents)["cve_ent"]))
    stems = ["index"] + [f"states/{BY_CODE[c].abbrev.lower()}" for c in codes]
    expected = {f"{s}.{ext}" for s in stems for ext in ("html", "png")}
    expected |= {"data/incidents.csv", "embed.html", "manifest.json"}
    assert {p for p in site if not p.startswith("assets/")} == expected
    # The shared code, stylesheet and outlines once; one view script per page.
    kinds = sorted(re.sub(r"-[0-9a-f]{16}\.", ".", p) for p in site if p.startswith("assets/"))
    views = sorted(f"assets/{s.replace('/', '-')}.js" for s in stems)
    shared = ["assets/geometry.js", "assets/map.css", "assets/map.js", "assets/site.js"]
    assert kinds == sorted([*shared, *views])
    assert "states/jal.html" in site and "states/bcs.html" not in site  # BCS: no incidents
    jal = site["states/jal.html"].decode()
    assert "<title>After the Tapalpa raid: reported incidents in Jalisco</title>" in jal


def test_the_data_download_is_every_bundled_record(bundle, site):
    assert site["data/incidents.csv"].decode() == records_csv(bundle.incidents)


def test_manifest_lists_every_file_with_its_hash(site):
    manifest = json.loads(site["manifest.json"])
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(site) - {"manifest.json"}
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(site[path]).hexdigest(), path
        assert entry["bytes"] == len(site[path])


def test_pngs_carry_the_alt_text_that_embed_html_shows(site):
    manifest = {e["path"]: e for e in json.loads(site["manifest.json"])["files"]}
    embed = site["embed.html"].decode()
    for path in ("index.png", "states/jal.png", "states/mic.png"):
        image = Image.open(io.BytesIO(site[path]))
        assert image.size == (1600, 1000)
        alt = image.info["Description"]
        assert alt == manifest[path]["alt"]
        assert f'<img src="{path}" alt="{htmllib.escape(alt)}"' in embed


def test_without_a_base_url_embed_html_refuses_relative_snippets_saying_why(site):
    embed = site["embed.html"].decode()
    assert "<textarea" not in embed
    assert "No embed codes here" in embed and "relative address breaks" in embed
    assert "--base-url" in embed


def test_embed_page_has_a_snippet_per_view_pointing_at_the_files(bundle):
    base = "https://static.example.org/map/"
    files = {f.path: f.data for f in site_files(bundle, base_url=base, states=["14"])}
    embed = files["embed.html"].decode()
    snippets = [htmllib.unescape(t) for t in re.findall(r"<textarea[^>]*>(.*?)</textarea>", embed)]
    iframes = [s for s in snippets if s.startswith("<iframe")]
    pages = sorted(base + p for p in files if p.endswith(".html") and p != "embed.html")
    assert sorted(re.search(r'src="([^"]+)"', s).group(1) for s in iframes) == pages
    assert all('title="After the Tapalpa raid' in s for s in iframes)
    assert "No embed codes here" not in embed


def page_sources(text: str) -> list[str]:
    return re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', text)


def test_no_page_loads_anything_from_elsewhere(site):
    for path, data in site.items():
        if not path.endswith(".html"):
            continue
        text = data.decode()
        for source in page_sources(text):
            assert source.startswith("data:") or not re.match(r"[a-z]+:|//", source), (
                path,
                source,
            )
        linked = [s for s in page_sources(text) if not s.startswith("data:")]  # base64 aside
        assert "cdn" not in " ".join(linked).lower()


def test_navigation_links_resolve_to_published_files(site):
    for path in ("index.html", "states/jal.html"):
        text = site[path].decode()
        nav = re.search(r'<nav class="tim-credit".*?</nav>', text, re.S).group(0)
        base = Path(path).parent
        for href in re.findall(r'href="([^"]+)"', nav):
            target = (base / href).as_posix()
            target = re.sub(r"[^/]+/\.\./", "", target)
            assert target in site, (path, href)


def test_hostile_text_is_escaped_in_every_page(bundle):
    incidents = bundle.incidents.copy()
    target = incidents.index[incidents.incident_id == "jal-pv-costco"][0]
    for field, value in XSS.items():
        incidents.loc[target, field] = value
    hostile = replace(bundle, incidents=incidents)
    files = site_files(hostile, states=["14"])
    pages = [f for f in files if f.path.endswith(".html")]
    assert [f.path for f in pages] == ["index.html", "states/jal.html", "embed.html"]
    scripts = [f for f in files if f.path.startswith(("assets/index-", "assets/states-jal-"))]
    assert len(scripts) == 2  # the views' data, where the popups' text now travels
    for published in pages + scripts:
        text = published.data.decode()
        for raw in ("<img src=x", "${alert", "</script><script>alert", "javascript:alert"):
            assert raw not in text, (published.path, raw)
    jal = next(f for f in scripts if f.path.startswith("assets/states-jal-")).data.decode()
    escaped = "&lt;img src=x onerror=alert(1)&gt;"  # in the popup, inside the view's JSON
    assert escaped in jal or escaped.replace("&", "\\u0026") in jal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("map_" + "a" * 32, "map_" + "0" * 31 + "1"),
        (
            f"tile_layer_{'b' * 32}.addTo(map_{'c' * 32}); tile_layer_{'b' * 32}",
            f"tile_layer_{'0' * 31}1.addTo(map_{'0' * 31}2); tile_layer_{'0' * 31}1",
        ),
        (f"layer_control_{'d' * 32}_layers", f"layer_control_{'0' * 31}1_layers"),
        ("version 0123456789abcdef0123456789abcdef", "version 0123456789abcdef0123456789abcdef"),
        ("map_" + "e" * 33, "map_" + "e" * 33),  # not a uuid4 hex: left alone
    ],
)
def test_stable_ids(text, expected):
    assert stable_ids(text) == expected


def test_a_foreign_folder_is_refused_and_an_earlier_publish_replaced(bundle, tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(PublishError, match="not empty"):
        publish(bundle, foreign, states=["14"])
    assert (foreign / "notes.txt").read_text() == "keep me"

    site = tmp_path / "site"
    publish(bundle, site, states=["14", "16"])
    assert (site / "states" / "mic.html").exists()
    publish(bundle, site, states=["14"])  # Michoacán's page is no longer produced
    assert not (site / "states" / "mic.html").exists()
    assert (site / "states" / "jal.html").exists()


def cli(*args: str) -> subprocess.CompletedProcess:
    return run_cli_in_process("publish", *args)


def test_cli_writes_absolute_snippets_with_a_base_url(tmp_path):
    result = cli(str(tmp_path / "out"), "--state", "JAL", "--base-url", "https://example.org/map")
    assert result.returncode == 0, result.stderr
    # 2 views x (HTML, PNG), CSV, embed, manifest; assets/: the map's code, stylesheet
    # and outlines, the loader, and each view's script.
    assert "wrote 13 files" in result.stdout
    embed = (tmp_path / "out" / "embed.html").read_text()
    assert "&lt;iframe src=&quot;https://example.org/map/states/jal.html&quot;" in embed
    assert "No embed codes here" not in embed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--state", "Atlantis"], "--state 'Atlantis': unknown state"),
        (["--base-url", "ftp://example.org/"], "must start with https:// or http://"),
    ],
)
def test_cli_bad_arguments_exit_2_saying_why(tmp_path, args, message):
    result = cli(str(tmp_path / "out"), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_publishes_the_site_in_spanish_with_lang_es(tmp_path):
    result = cli(str(tmp_path / "out"), "--state", "JAL", "--lang", "es")
    assert result.returncode == 0, result.stderr
    assert "escrib" in result.stdout.lower()  # the CLI's own line, in Spanish
    index = (tmp_path / "out" / "index.html").read_text()
    assert '<html lang="es"' in index
    # the map's arrests above the official figure carry the live page's caveat (tester 10 #17)
    assert "Detenciones (oficial): los 134 del mapa superan la cifra oficial de 70" in index
    # the corrections credit line on the index and the state pages (tester 10 #7)
    for page in (index, (tmp_path / "out" / "states" / "jal.html").read_text()):
        assert "Correcciones y actualizaciones:" in page
        assert "Corrections and updates" not in page


# ------------------------------------------------------------ the map pages' weight


MAP_PAGES = ("index.html", "states/jal.html")


def head(text: str) -> str:
    return text.split("</head>", 1)[0]


@pytest.mark.parametrize("path", MAP_PAGES)
def test_map_page_is_small_and_nothing_in_it_blocks_the_first_paint(site, path):
    text = site[path].decode()
    assert len(site[path]) < 80_000  # was 0.47-0.63 MB with the map's code inlined
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert len(scripts) == 1  # the loader; the map's code runs when the reader asks
    assert re.fullmatch(r'<script defer src="(\.\./)?assets/site-[0-9a-f]{16}\.js">', scripts[0])
    assert "<script>" not in text  # no inline script: every one waits for the parse
    # No stylesheet to fetch before the first paint: the page's CSS is inline; the map's
    # code, data and stylesheet are prefetched (fetched while idle, never run).
    assert not re.search(r'<link rel="stylesheet"', head(text))
    prefetched = re.findall(r'<link rel="prefetch" href="([^"]+)">', head(text))
    assert [re.sub(r"^.*assets/|-[0-9a-f]{16}", "", p) for p in prefetched] == [
        "map.js",
        "geometry.js",
        f"{path.removesuffix('.html').replace('/', '-')}.js",
        "map.css",
    ]
    loaded = re.search(r'data-js="([^"]+)"', text).group(1).split()
    assert loaded == prefetched[:3]  # run in this order by the loader
    assert "<style>" in head(text)


@pytest.mark.parametrize("path", MAP_PAGES)
def test_map_page_paints_the_view_as_svg_in_a_box_of_fixed_size(site, path):
    text = site[path].decode()
    box = re.search(
        r'<div class="tim-map" data-css="([^"]+)" data-js="[^"]+">'
        r'(<svg class="tim-first".*?</svg>)',
        text,
    )
    assert box, "the map box opens with the first-paint SVG"
    svg = box.group(2)
    assert 'viewBox="0 0 1000 ' in svg and 'aria-hidden="true"' in svg
    assert svg.count("<path ") >= 30  # the states (32; those outside the box may be dropped)
    if path == "index.html":
        assert svg.count("<circle ") > 50  # the located incidents
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    rule = re.search(r"\.tim-map \{([^}]*)\}", style).group(1)
    assert "height: 68vh" in rule and "min-height" in rule  # sized before any script runs
    assert re.search(r"\.tim-map > \.folium-map, \.tim-map > \.tim-first \{[^}]*inset: 0", style)


@pytest.mark.parametrize("path", MAP_PAGES)
def test_map_page_assets_resolve_and_are_named_by_their_hash(site, path):
    text = site[path].decode()
    sources = re.findall(r'(?:src|href|data-css)="([^"]*assets/[^"]+)"', text)
    sources += re.search(r'data-js="([^"]+)"', text).group(1).split()
    assert len(sources) >= 9
    for source in sources:
        target = re.sub(r"^(\.\./)+", "", source)
        assert target in site, (path, source)
    for name, data in site.items():
        if name.startswith("assets/"):
            digest = re.search(r"-([0-9a-f]{16})\.(js|css)$", name).group(1)
            assert digest == hashlib.sha256(data).hexdigest()[:16], name


def test_view_script_waits_for_the_map_code_and_shares_the_outlines(site):
    view = next(site[p] for p in site if p.startswith("assets/index-")).decode()
    assert view.startswith("TapalpaSite.run(function () {")
    assert '"states":TapalpaSite.states,' in view and "FeatureCollection" not in view
    geometry = next(site[p] for p in site if p.startswith("assets/geometry-")).decode()
    assert geometry.startswith('TapalpaSite.states={"type":"FeatureCollection"')
