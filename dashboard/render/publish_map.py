"""The published map page: a small HTML document whose first view is painted from the
HTML and its inline CSS alone, with the map's code and data in cacheable files.

    <stem>.html                      title, window, key figures (HTML), the map's box
                                     (its size fixed by CSS) holding the view as an
                                     inline SVG (firstpaint.py), the credit, the links
    assets/site-<hash>.js            tapalpa-site.js: the one script run on load (`defer`)
    assets/map-<hash>.js             Leaflet, its two plugins and tapalpa-map.js
    assets/map-<hash>.css            their stylesheets
    assets/geometry-<hash>.js        the states' outlines, shared by every page
    assets/<stem>-<hash>.js          the view: folium's map script

The last four are prefetched (fetched while the browser is idle, never run) and loaded
by tapalpa-site.js, in that order, when the reader asks for the interactive map.

Every asset is named by the SHA-256 of its content (16 hex digits), so a host may cache
it for good (deploy/Caddyfile does under /published/assets/). The view's script is the
one snapshot.html_document writes (the same map, popups and replay); it runs inside
TapalpaSite.run when the reader asks for it (a button over the picture: building the map
costs a phone about half a second of its main thread, and running Leaflet's code a
quarter more), once the stylesheet is in; then the SVG is removed. Nothing is
render-blocking: the document carries its CSS, its one script is `defer`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.analysis.permalink import PageView
from dashboard.ingest.bundle import Bundle
from dashboard.render.firstpaint import first_paint_key, first_paint_svg
from dashboard.render.mapassets import joined_assets
from dashboard.render.mapstates import states_geojson
from dashboard.render.snapshot import html_document, language, map_extent, select
from dashboard.text.escape import escape_text
from dashboard.text.i18n import translation

STATIC = Path(__file__).resolve().parent.parent / "static"
STYLE_FILE = STATIC / "publish-map.css"
SITE_JS = STATIC / "tapalpa-site.js"
ASSETS = "assets"

_TITLE_META = re.compile(r"<title>.*?</title><meta name=\"description\" content=\"[^\"]*\">", re.S)
_HEADER = re.compile(r'<header class="tim-head">.*?</header>', re.S)
_CREDIT = re.compile(r'<p class="tim-credit">.*?</p>', re.S)
_MAP_DIV = re.compile(r'<div class="folium-map" id="(map_[0-9a-f]{32})" ></div>')
_VIEW_SCRIPT = re.compile(r"</body>\s*<script>(.*)</script>\s*</html>\s*$", re.S)


# folium/branca name every element "<kind>_<uuid4 hex>"; the name is the only random part.
_ELEMENT_ID = re.compile(r"(?<=[A-Za-z])_([0-9a-f]{32})(?![0-9A-Za-z])")


def stable_ids(html: str) -> str:
    """folium's random element ids replaced by sequential ones, in order of appearance."""
    seen: dict[str, str] = {}

    def number(match: re.Match) -> str:
        token = match.group(1)
        if token not in seen:
            seen[token] = f"{len(seen) + 1:032x}"
        return f"_{seen[token]}"

    return _ELEMENT_ID.sub(number, html)


@dataclass(frozen=True)
class Asset:
    path: str  # "assets/<name>-<hash>.<suffix>", relative to the site's root
    data: bytes


def hashed(name: str, data: bytes, suffix: str) -> Asset:
    """`data` as assets/<name>-<sha256[:16]>.<suffix>."""
    return Asset(f"{ASSETS}/{name}-{hashlib.sha256(data).hexdigest()[:16]}.{suffix}", data)


def shared_assets(bundle: Bundle) -> tuple[Asset, Asset, Asset, Asset]:
    """(map.js, map.css, geometry.js, site.js): the files every map page loads."""
    js, css = joined_assets()
    states = states_geojson(bundle.states_display)
    return (
        hashed("map", js, "js"),
        hashed("map", css, "css"),
        hashed("geometry", f"TapalpaSite.states={states};\n".encode(), "js"),
        hashed("site", SITE_JS.read_bytes(), "js"),
    )


def _part(pattern: re.Pattern, html: str, what: str) -> re.Match:
    found = pattern.search(html)
    if found is None:  # pragma: no cover - snapshot.html_document always writes them
        raise ValueError(f"snapshot HTML has no {what}")
    return found


def map_page(
    bundle: Bundle,
    page: PageView,
    stem: str,
    figures: list[str],
    navigation: str = "",
    lang: str | None = None,
    meta: list[str] | None = None,
) -> tuple[str, list[Asset]]:
    """The page's HTML and the assets it loads (shared ones included; the caller keeps
    one copy of each path). `stem`: the page's path without ".html" ("index",
    "states/jal", "en/views/…map"); `figures`: key figures as escaped HTML list items;
    `navigation`: escaped HTML placed first in the body; `meta`: escaped <meta> tags for
    the head (publish_views.meta_tags: Open Graph and Twitter). folium's random element
    ids are made sequential (stable_ids): the same view gives the same bytes."""
    lang = language(page, lang)
    document = stable_ids(html_document(bundle, page, lang))
    shared = shared_assets(bundle)
    states = states_geojson(bundle.states_display)
    script = _part(_VIEW_SCRIPT, document, "map script").group(1)
    spliced = script.replace(f'"states":{states},', '"states":TapalpaSite.states,', 1)
    if spliced == script:  # pragma: no cover - mapview writes the geometry this way
        raise ValueError("the map script carries no states geometry to share")
    view = hashed(
        stem.replace("/", "-").replace(".", "-"),
        f"TapalpaSite.run(function () {{\n{spliced}\n}});\n".encode(),
        "js",
    )
    selection = select(bundle, page)
    extent = map_extent(bundle, page, 800, 600, box=(0, 0, 1, 1))
    site = bundle.operation_site.geometry.iloc[0]
    svg = first_paint_svg(
        bundle.states_display, selection.counts, selection.selected, extent, (site.x, site.y)
    )
    west, east, south, north = extent  # the key names the star only where it is drawn
    key = first_paint_key(
        selection.selected, west <= site.x <= east and south <= site.y <= north, lang
    )
    up = "../" * stem.count("/")
    start = translation(lang).gettext(
        "Explore the interactive map: zoom in, tap a point for its sources"
    )
    map_js, map_css, geometry, site = shared
    on_request = [f"{up}{a.path}" for a in (map_js, geometry, view)]
    map_id = _part(_MAP_DIV, document, "map").group(1)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        _part(_TITLE_META, document, "title").group(0),
        *(meta or ()),
        f"<style>{STYLE_FILE.read_text(encoding='utf-8')}</style>",
        f'<script defer src="{up}{site.path}"></script>',
        *(f'<link rel="prefetch" href="{href}">' for href in [*on_request, up + map_css.path]),
        "</head><body>",
        navigation,
        _part(_HEADER, document, "header").group(0),
        '<ul class="tim-figures">' + "".join(f"<li>{item}</li>" for item in figures) + "</ul>",
        f'<div class="tim-map" data-css="{up}{map_css.path}" '
        f'data-js="{" ".join(on_request)}">{svg}{key}'
        f'<div class="folium-map" id="{map_id}"></div>'
        f'<button type="button" class="tim-start"><span>{escape_text(start)}</span></button>'
        "</div>",
        _part(_CREDIT, document, "credit").group(0),
        "</body></html>",
        "",
    ]
    return "\n".join(parts), [*shared, view]
