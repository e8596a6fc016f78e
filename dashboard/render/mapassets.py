"""Leaflet without a CDN: the map's scripts and stylesheets, and the folium elements that
carry them.

Leaflet, Leaflet.GestureHandling and Leaflet.markercluster (its base stylesheet only: the
cluster symbols are styled in tapalpa-map.css) come from their PyPI packages (xstatic), our map's
JavaScript and CSS from dashboard/static/. They are inlined as data: URIs (snapshots, and
the page by default) or joined into two content-hashed files the page links
(`assets="served"`, mapfiles.published_file); nothing comes from a CDN.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import folium
import rjsmin
import xstatic.pkg.leaflet as xstatic_leaflet
import xstatic.pkg.leaflet_gesturehandling as xstatic_gestures
import xstatic.pkg.leaflet_markercluster as xstatic_cluster
from branca.element import Element, MacroElement

from dashboard.render.mapfiles import STATIC, published_file

MAP_JS, MAP_CSS = "tapalpa-map.js", "tapalpa-map.css"
PRINT_CSS = "print.css"  # the page's print style, shared with the map's frame
Links = tuple[tuple[str, str], ...]


def _data_uri(raw: bytes, mime: str) -> str:
    if mime.startswith("text/"):  # ~3% larger than the file, where base64 would add a third
        text = quote(raw.decode("utf-8"), safe=" !$'()*+,-./:;=?@[]^_`{|}~")
        return f"data:{mime};charset=utf-8,{text}"
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}"


_CSS_IMAGE = re.compile(rb"url\((images/[\w.-]+\.png)\)")


def _inline_images(css: bytes, folder: Path) -> bytes:
    """A stylesheet's url(images/x.png) as data: URIs: inside a data: stylesheet a
    relative URL resolves nowhere (Leaflet's layer-control icon would be blank)."""

    def inline(match: re.Match) -> bytes:
        image = folder / match.group(1).decode()
        if not image.is_file():
            return match.group(0)
        return b"url(" + _data_uri(image.read_bytes(), "image/png").encode() + b")"

    return _CSS_IMAGE.sub(inline, css)


def _vendor_files() -> dict[str, Path]:
    """Leaflet, GestureHandling and markercluster as their PyPI packages (xstatic) ship
    them."""
    leaflet = Path(xstatic_leaflet.BASE_DIR)
    gestures = Path(xstatic_gestures.BASE_DIR)
    cluster = Path(xstatic_cluster.BASE_DIR)
    return {
        "leaflet.js": leaflet / "leaflet.js",
        "leaflet.css": leaflet / "leaflet.css",
        "leaflet-gesture-handling.js": gestures / "leaflet-gesture-handling.min.js",
        "leaflet-gesture-handling.css": gestures / "leaflet-gesture-handling.min.css",
        "leaflet.markercluster.js": cluster / "leaflet.markercluster.js",
        "leaflet.markercluster.css": cluster / "MarkerCluster.css",
    }


def _asset_bytes(name: str, path: Path) -> bytes:
    """A file as the map ships it: a stylesheet with its images inlined; our script
    without its comments and indentation (rjsmin: 66 KB of source, about 40 KB shipped;
    Leaflet and its plugins come minified already)."""
    raw = path.read_bytes()
    if name.endswith(".css"):
        return _inline_images(raw, path.parent)
    return rjsmin.jsmin(raw, keep_bang_comments=True) if name == MAP_JS else raw


def _asset_files() -> list[tuple[str, Path]]:
    """(name, path) of the map's files in load order: Leaflet, its plugins, then ours (the
    print style last)."""
    ours = (MAP_JS, MAP_CSS, PRINT_CSS)
    return [*_vendor_files().items(), *((name, STATIC / name) for name in ours)]


@lru_cache(maxsize=1)
def joined_assets() -> tuple[bytes, bytes]:
    """(scripts, stylesheets): the map's files joined in load order, each kind one file
    (the live page's served mode, the published site's assets/)."""
    files = [(name, _asset_bytes(name, path)) for name, path in _asset_files()]
    # Each script ends its own statements: a newline and ";" keep them apart.
    js = b"\n;\n".join(raw for name, raw in files if name.endswith(".js"))
    css = b"\n".join(raw for name, raw in files if name.endswith(".css"))
    return js, css


@lru_cache(maxsize=4)
def map_assets(mode: str = "inline") -> tuple[Links, Links]:
    """(js, css) as (name, URL) pairs, read once per process.

    mode "inline": every file as a data: URI (self-contained; snapshots always use it).
    mode "served": the scripts joined into one file and the stylesheets into another,
    each named by its content's hash under /app/static/data/ (needs Streamlit's
    server.enableStaticServing), so the map frame makes two requests instead of six in a
    row and browsers and proxies may cache them for good; inline, as above, when that
    folder cannot be written.
    """
    if mode not in ("inline", "served"):
        raise ValueError(f"asset mode must be 'inline' or 'served', got {mode!r}")
    files = [(name, _asset_bytes(name, path)) for name, path in _asset_files()]
    scripts = [(n, raw) for n, raw in files if n.endswith(".js")]
    sheets = [(n, raw) for n, raw in files if n.endswith(".css")]
    if mode == "served":
        joined_js, joined_css = joined_assets()
        js_url = published_file("map", joined_js, "js")
        css_url = published_file("map", joined_css, "css")
        if js_url and css_url:
            return (("map.js", js_url),), (("map.css", css_url),)
    return (
        tuple((n, _data_uri(raw, "text/javascript")) for n, raw in scripts),
        tuple((n, _data_uri(raw, "text/css")) for n, raw in sheets),
    )


class RawScript(Element):
    """Rendered script text passed through as is.

    branca wraps each element's rendered script in a new Element, which Jinja compiles as
    a template: slow for our data-heavy layers (tens of ms per render), and it would
    evaluate any "{{ }}" that reached it. Our elements hand over plain text instead.
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class DataElement(MacroElement):
    """A MacroElement whose script and header are added verbatim, never re-templated."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        macros = self._template.module.__dict__
        if "header" in macros:
            figure.header.add_child(RawScript(macros["header"](self, kwargs)), name=self.get_name())
        if "script" in macros:
            figure.script.add_child(RawScript(macros["script"](self, kwargs)), name=self.get_name())


_NO_ZOOM_LOCK = re.compile(r",\s*maximum-scale=1\.0,\s*user-scalable=no")


class OfflineMap(folium.Map):
    """A folium.Map with our assets only (never a CDN) and a viewport readers may zoom."""

    def __init__(self, *args, assets: str = "inline", fallback: str | None = None, **kwargs):
        """`fallback`: script text run before every other script of the map (a data: URI,
        which cannot fail to load): mapfallback.fallback_script, the live map's watcher
        of the files that follow it."""
        super().__init__(*args, **kwargs)
        js, css = map_assets(assets)
        first = (
            []
            if fallback is None
            else [("map-fallback.js", _data_uri(fallback.encode(), "text/javascript"))]
        )
        self.default_js = [*first, *js]
        self.default_css = list(css)

    def render(self, **kwargs) -> None:
        super().render(**kwargs)
        # folium's header forbids pinch zoom (user-scalable=no): readers must be able to zoom.
        header = self.get_root().header
        name = self.get_name()
        if name in header._children:
            text = header._children[name].render()
            header.add_child(RawScript(_NO_ZOOM_LOCK.sub("", text)), name=name)
