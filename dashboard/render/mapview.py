"""The folium map for a view: data in, folium.Map out. No Streamlit, no CDN.

The map has two parts:
- the **base map** (`base_map`): Leaflet, the states' geometry, the Tapalpa site, the
  legend, the layer and replay controls. It depends only on the data version and the
  session's first view, so the page hands streamlit-folium the same map on every rerun
  and the map on screen (with the reader's centre and zoom) is never rebuilt;
- the **view** (`view_layer`): incidents, state shading, replay steps, visible layers and
  a record to focus, as data for `TapalpaMap.update` in dashboard/static/tapalpa-map.js.
  The page passes it as streamlit-folium's `feature_group_to_add`, which applies it to
  the map already on screen; the standalone HTML simply adds it to the map.

The JavaScript and CSS are files in dashboard/static/, read once. Leaflet,
Leaflet.GestureHandling and our files are inlined as data: URIs (snapshots, and the
page by default), or linked as Streamlit static files when the page serves them
(`assets="served"`); nothing comes from a CDN. Basemap tiles are the one outside
resource, and the map reads without them (the states layer is the geography).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xstatic.pkg.leaflet as xstatic_leaflet
import xstatic.pkg.leaflet_gesturehandling as xstatic_gestures
from branca.element import Element, MacroElement
from jinja2 import Template

from dashboard.analysis.filters import IN_WINDOW, POSSIBLE, ViewSpec
from dashboard.analysis.stats import incidents_only
from dashboard.model.mexico import BY_CODE, MEXICO_CITY
from dashboard.model.schema import (
    EVENT_TYPES,
    MAP_LAYERS,
    MAP_ZOOM_RANGE,
    MEXICO_CENTER,
    TIMED,
    event_type_label,
)
from dashboard.render.popups import (
    DISPLAY_COLUMNS,
    records,
    summary_text,
    when_label,
    with_display_text,
)
from dashboard.render.symbols import (
    BINS,
    CATEGORIES,
    CATEGORY_OF,
    HALO,
    OTHER,
    STATE_EDGE,
    STATE_FILL_OPACITY,
    STATE_PALETTE,
    ZERO_COLOUR,
    ramp,
    state_colour,
)
from dashboard.text.escape import escape_text, link, script_json
from dashboard.text.i18n import DEFAULT_LANGUAGE, N_, format_number, gettext_for, translation

# Every string the map shows, in one place: English message ids, marked for the catalogue
# and translated by `map_strings(lang)`.
MAP_STRINGS: dict[str, object] = {
    "locale": "en-GB",
    "tz_label": N_("Mexico City"),
    "map_label": N_("Map of reported incidents"),
    "layer_states": N_("States: incidents in window"),
    "layer_site": N_("Tapalpa operation site"),
    "layer_incidents": N_("Reported incidents"),
    "site": N_("Tapalpa operation site (approx.)"),
    "legend": N_("Legend"),
    "legend_hide": N_("Hide legend"),
    "legend_states": N_("Incidents per state in the window"),
    "legend_types": N_("Event type"),
    "legend_precision": N_("Place and time"),
    "legend_exact": N_("small: estimated exact site"),
    "legend_town": N_("large: town or municipality"),
    "legend_span": N_(
        "dashed: its time is not known precisely enough to place it wholly inside the "
        "window or the replay hour: possibly there, not counted"
    ),
    "legend_earlier": N_("replay: earlier in the window"),
    "legend_state_only": N_(
        "Reports known only to the state are counted on the state "
        "(tap or hover over it), never drawn as points."
    ),
    "play": N_("Play"),
    "pause": N_("Pause"),
    "all": N_("All"),
    "all_title": N_("Show the whole window"),
    "replay_time": N_("Replay time"),
    "whole": N_("Whole window"),
    "whole_possible": "Whole window; {n} possibly in it (dashed)",
    "active": "{n} under way (time reported)",
    "span": "{n} some time in this span (time not reported)",
    "sources": N_("Sources:"),
    # Leaflet's own controls (its English defaults otherwise): titles and accessible names.
    "zoom_in": N_("Zoom in"),
    "zoom_out": N_("Zoom out"),
    "close_popup": N_("Close popup"),
    "layers": N_("Layers"),
    "grouped": "{n} incidents in this area (grouped at this scale)",
    "gesture": {
        "touch": N_("Use two fingers to move the map"),
        "scroll": N_("Use ctrl + scroll to zoom the map"),
        "scrollMac": N_("Use \u2318 + scroll to zoom the map"),
    },
}
# The language tag the map's JavaScript gives Intl.DateTimeFormat (replay dates).
JS_LOCALES = {"es": "es-MX", "en": "en-GB"}


def _plural_strings(t) -> dict[str, str]:
    """The replay's and grid's counted phrases: `<key>_one` for n = 1, `<key>` for any
    other n (Spanish and English share that rule, the catalogues' Plural-Forms); the
    JavaScript fills in {n}."""
    out = {}
    for n, suffix in ((1, "_one"), (2, "")):
        out["active" + suffix] = t.ngettext(
            "{n} under way (time reported)", "{n} under way (time reported)", n
        )
        out["span" + suffix] = t.ngettext(
            "{n} some time in this span (time not reported)",
            "{n} some time in this span (time not reported)",
            n,
        )
        out["whole_possible" + suffix] = t.ngettext(
            "Whole window; {n} possibly in it (dashed)",
            "Whole window; {n} possibly in it (dashed)",
            n,
        )
        out["grouped" + suffix] = t.ngettext(
            "{n} incident in this area (grouped at this scale)",
            "{n} incidents in this area (grouped at this scale)",
            n,
        )
    return out


def map_strings(lang: str = DEFAULT_LANGUAGE) -> dict[str, object]:
    """MAP_STRINGS in `lang` ("es" or "en"), with the Intl locale for the replay's dates."""
    t = translation(lang)
    text: dict[str, object] = {
        k: (t.gettext(v) if isinstance(v, str) else v) for k, v in MAP_STRINGS.items()
    }
    text["gesture"] = {k: t.gettext(v) for k, v in MAP_STRINGS["gesture"].items()}
    text["locale"] = JS_LOCALES.get(lang, JS_LOCALES[DEFAULT_LANGUAGE])
    text.update(_plural_strings(t))
    return text


LAYER_STATES = str(MAP_STRINGS["layer_states"])
LAYER_SITE = str(MAP_STRINGS["layer_site"])
LAYER_INCIDENTS = str(MAP_STRINGS["layer_incidents"])

SUMMARY_COLUMNS = ("cve_ent", "event_type", "summary", "summary_es")
# Above this many drawable points the map shows grid cells with counts instead.
MAX_DRAWN_POINTS = 5_000
GRID_DEG = 0.25
COORD_DIGITS = 4
NARROW_PX = 700  # below this map width: legend collapsed, layer control collapsed
FOCUS_ZOOM = 9  # zoom for a record chosen in the table, unless the reader is closer
REPLAY_STEP_MS = 700
ANNOUNCE_MS = 4000  # at most one screen-reader announcement this often while playing
TYPE_ORDER = list(EVENT_TYPES)
HOUR_MS = 3_600_000

STATIC = Path(__file__).resolve().parent.parent / "static"
MAP_JS, MAP_CSS = "tapalpa-map.js", "tapalpa-map.css"
# What the page links when Streamlit serves dashboard/static/ (server.enableStaticServing):
# relative to the streamlit-folium iframe (/component/streamlit_folium.st_folium/index.html),
# so it also works under a base URL path.
SERVED_PREFIX = "../../app/static/"


# ------------------------------------------------------------------ assets


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
    """Leaflet and GestureHandling as their PyPI packages (xstatic) ship them."""
    leaflet = Path(xstatic_leaflet.BASE_DIR)
    gestures = Path(xstatic_gestures.BASE_DIR)
    return {
        "leaflet.js": leaflet / "leaflet.js",
        "leaflet.css": leaflet / "leaflet.css",
        "leaflet-gesture-handling.js": gestures / "leaflet-gesture-handling.min.js",
        "leaflet-gesture-handling.css": gestures / "leaflet-gesture-handling.min.css",
    }


def _asset_bytes(name: str, path: Path) -> bytes:
    raw = path.read_bytes()
    return _inline_images(raw, path.parent) if name.endswith(".css") else raw


DATA = STATIC / "data"  # content-hashed files the live map fetches (not in git)


def published_file(kind: str, raw: bytes, suffix: str = "json") -> str | None:
    """Write `raw` to dashboard/static/data/<kind>-<sha256[:16]>.<suffix> unless that file
    exists, and return its URL as the map frame fetches it (under /app/static/).

    The name is the content's hash: a file never changes once written, so browsers and
    proxies may cache it for good, and versions and languages sit side by side. None when
    the folder cannot be written (the caller then sends the content inline).
    """
    name = f"{kind}-{hashlib.sha256(raw).hexdigest()[:16]}.{suffix}"
    try:
        DATA.mkdir(exist_ok=True)
        target = DATA / name
        if not target.is_file():
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(raw)
            partial.replace(target)  # atomic: a reader never sees half a file
    except OSError:
        return None
    return f"{SERVED_PREFIX}data/{name}"


def published_json(kind: str, text: str) -> str | None:
    """published_file for JSON text (UTF-8): <kind>-<hash>.json, or None."""
    return published_file(kind, text.encode("utf-8"))


Links = tuple[tuple[str, str], ...]


def _asset_files() -> list[tuple[str, Path]]:
    """(name, path) of the map's files in load order: Leaflet, its plugin, then ours."""
    return [*_vendor_files().items(), *((name, STATIC / name) for name in (MAP_JS, MAP_CSS))]


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
        # Each script ends its own statements: a newline and ";" keep them apart.
        js_url = published_file("map", b"\n;\n".join(raw for _, raw in scripts), "js")
        css_url = published_file("map", b"\n".join(raw for _, raw in sheets), "css")
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

    def __init__(self, *args, assets: str = "inline", **kwargs):
        super().__init__(*args, **kwargs)
        js, css = map_assets(assets)
        self.default_js = list(js)
        self.default_css = list(css)

    def render(self, **kwargs) -> None:
        super().render(**kwargs)
        # folium's header forbids pinch zoom (user-scalable=no): readers must be able to zoom.
        header = self.get_root().header
        name = self.get_name()
        if name in header._children:
            text = header._children[name].render()
            header.add_child(RawScript(_NO_ZOOM_LOCK.sub("", text)), name=name)


# ------------------------------------------------------------------ the incidents


def _epoch_ms(series: pd.Series) -> list[int]:
    return (series.astype("int64") // 1_000).astype("int64").tolist()  # us -> ms


class Strings:
    """Each distinct string once; records refer to it by index (URLs repeat a lot)."""

    def __init__(self):
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def ref(self, value: str) -> int:
        if value not in self._index:
            self._index[value] = len(self.values)
            self.values.append(value)
        return self._index[value]


def incident_points(
    frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE
) -> tuple[list[list], list[str], list[str]]:
    """Drawable records as compact arrays, plus the URL and label tables they refer to.

    A row is [lon, lat, type index (TYPE_ORDER), geo_precision, uncertain_time (0/1),
    t0_ms, t1_ms (UTC epoch milliseconds of the record's interval), tooltip, body,
    [[url index, label index], ...], incident_id]; every string that reaches HTML is
    already escaped, and only http(s) URLs are listed.
    """
    drawable = frame[frame["geo_precision"] < 3]
    if not set(DISPLAY_COLUMNS) <= set(drawable.columns):
        drawable = with_display_text(drawable, lang)
    type_index = {t: i for i, t in enumerate(TYPE_ORDER)}
    other = TYPE_ORDER.index("other")
    urls, labels = Strings(), Strings()
    columns = zip(
        drawable["lon"].round(COORD_DIGITS).tolist(),
        drawable["lat"].round(COORD_DIGITS).tolist(),
        [type_index.get(t, other) for t in drawable["event_type"].tolist()],
        drawable["geo_precision"].astype(int).tolist(),
        (~drawable["time_precision"].isin(TIMED)).astype(int).tolist(),
        _epoch_ms(drawable["t_start"]),
        _epoch_ms(drawable["t_end"]),
        drawable["tip"].tolist(),
        drawable["body"].tolist(),
        drawable["sources"].tolist(),
        drawable["incident_id"].astype(str).tolist(),
        strict=True,
    )
    rows = [
        [*head, [[urls.ref(u), labels.ref(label)] for u, label in sources], incident_id]
        for *head, sources, incident_id in columns
    ]
    return rows, urls.values, labels.values


@dataclass(frozen=True)
class PointCatalogue:
    """Every drawable record of a data version, once, as the live map fetches it.

    `url` is where the map fetches {"rows", "urls", "labels"} (incident_points of all
    drawable records); `index` maps incident_id to the row's position, so a view names
    its points by position instead of carrying them (a few bytes per point, not ~600).
    """

    url: str
    index: dict[str, int]


def point_catalogue(
    frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE, max_rows: int = 20_000
) -> PointCatalogue | None:
    """The catalogue of `frame`'s drawable records (geo_precision 1-2), published as a
    static JSON file (published_json); None above `max_rows` drawable records (the file
    would outweigh what any view sends: views of such data are grouped in cells) or when
    the file cannot be written. Tooltips and popups are in `lang` (one file per language);
    precomputed display text in `frame` (with_display_text) is used as it is."""
    drawable = frame[frame["geo_precision"] < 3]
    if len(drawable) > max_rows:
        return None
    rows, urls, labels = incident_points(drawable, lang)
    url = published_json("points", script_json({"rows": rows, "urls": urls, "labels": labels}))
    if url is None:
        return None
    return PointCatalogue(url, {str(row[10]): i for i, row in enumerate(rows)})


def possible_ids(frame: pd.DataFrame) -> list[str]:
    """The `incident_id`s of the records of `frame` (from filters.apply) only possibly in
    the view's window, in the frame's order; none without the IN_WINDOW column."""
    if IN_WINDOW not in frame.columns:
        return []
    return frame.loc[frame[IN_WINDOW].to_numpy() == POSSIBLE, "incident_id"].astype(str).tolist()


def grid_cells(frame: pd.DataFrame) -> list[list]:
    """At scale: one circle per grid cell: [lon, lat, count, first t0_ms, last t1_ms,
    first t0_ms and last t1_ms of its records timed to the hour or minute (None if none)].

    In a replay a cell is "under way" only within the span of its timed records.
    """
    drawable = frame[frame["geo_precision"] < 3]
    timed = drawable["time_precision"].isin(TIMED)
    cells = (
        drawable.assign(
            gx=np.floor(drawable["lon"] / GRID_DEG).astype(int),
            gy=np.floor(drawable["lat"] / GRID_DEG).astype(int),
            timed_start=drawable["t_start"].where(timed),
            timed_end=drawable["t_end"].where(timed),
        )
        .groupby(["gx", "gy"])
        .agg(
            lon=("lon", "mean"),
            lat=("lat", "mean"),
            n=("incident_id", "size"),
            t0=("t_start", "min"),
            t1=("t_end", "max"),
            tt0=("timed_start", "min"),
            tt1=("timed_end", "max"),
        )
        .reset_index()
    )
    t0, t1 = _epoch_ms(cells["t0"]), _epoch_ms(cells["t1"])
    has_timed = cells["tt0"].notna().tolist()
    tt0 = _epoch_ms(cells["tt0"].fillna(cells["t0"]))
    tt1 = _epoch_ms(cells["tt1"].fillna(cells["t1"]))
    return [
        [
            round(lon, 3),
            round(lat, 3),
            int(n),
            t0[i],
            t1[i],
            tt0[i] if has_timed[i] else None,
            tt1[i] if has_timed[i] else None,
        ]
        for i, (lon, lat, n) in enumerate(
            zip(cells["lon"].tolist(), cells["lat"].tolist(), cells["n"].tolist(), strict=True)
        )
    ]


# ------------------------------------------------------------------ states and site


def states_geojson(states_display: gpd.GeoDataFrame) -> str:
    """The display layer as GeoJSON text: built once per data version, reused every rerun."""
    rounded = states_display[["cve_ent", "geometry"]].copy()
    # 3 decimals (~100 m) is finer than a screen pixel at the zooms the map allows; shared
    # vertices round alike, so neighbours keep sharing their borders.
    rounded["geometry"] = shapely.set_precision(rounded.geometry.values, 10**-3, mode="pointwise")
    return script_json(rounded.__geo_interface__)


def state_styles(
    counts: pd.DataFrame, state_only: pd.DataFrame, lang: str = DEFAULT_LANGUAGE
) -> dict[str, list]:
    """Per state (cve_ent): [incidents in the window, tooltip HTML naming its state-level
    reports, in `lang`]; the fill colour follows from the count (symbols.state_colour)."""
    t = translation(lang)
    listed: dict[str, list[tuple[str, str]]] = {}
    for row in records(state_only[[c for c in state_only.columns if c in SUMMARY_COLUMNS]]):
        listed.setdefault(row.cve_ent, []).append(
            (event_type_label(row.event_type, lang), summary_text(row, lang))
        )
    styles = {}
    columns = ["cve_ent", "state", "incidents", "official_blockades", "official_source"]
    for row in records(counts[columns]):
        n = int(row.incidents)
        lines = [
            f"<b>{escape_text(row.state)}</b>",
            t.ngettext(
                "{n} incident in the window (click to select)",
                "{n} incidents in the window (click to select)",
                n,
            ).format(n=format_number(n, lang)),
        ]
        if not pd.isna(row.official_blockades):
            lines.append(
                t.gettext("Official blockade figure: {count} ({source})").format(
                    count=format_number(int(row.official_blockades), lang),
                    source=escape_text(row.official_source),
                )
            )
        if row.cve_ent in listed:
            reports = listed[row.cve_ent]
            lines.append(
                t.ngettext(
                    "{n} report for the state as a whole, not placed:",
                    "{n} reports for the state as a whole, not placed:",
                    len(reports),
                ).format(n=format_number(len(reports), lang))
            )
            for kind, summary in reports[:4]:
                lines.append(f"&middot; {escape_text(kind)}: {escape_text(summary[:90])}")
        styles[row.cve_ent] = [n, "<br>".join(lines)]
    return styles


def replay_counts(selected: pd.DataFrame, view: ViewSpec) -> dict[str, list[int]]:
    """Per state, for each replay hour k: incidents known to have happened by its end.

    A record timed to the hour or minute counts once it has started (t_start before
    start + (k+1) h); one known only to the day or part of day counts once its whole span
    has passed (t_end at or before that moment), never before. States with none are left
    out. Times are compared as UTC instants.
    """
    counted = incidents_only(
        selected[["event_type", "time_precision", "t_start", "t_end", "cve_ent"]]
    )
    start_ms = int(pd.Timestamp(view.start).timestamp() * 1000)
    steps = max(1, -(-(int(pd.Timestamp(view.end).timestamp() * 1000) - start_ms) // HOUR_MS))
    uncertain = ~counted["time_precision"].isin(TIMED).to_numpy()
    t0 = counted["t_start"].astype("int64").to_numpy() // 1_000 - start_ms  # ms since start
    t1 = counted["t_end"].astype("int64").to_numpy() // 1_000 - start_ms
    # The first hour k whose end (k + 1) h counts the record: timed, once t0 < (k + 1) h;
    # day or part of day, once t1 <= (k + 1) h.
    first = np.where(uncertain, -(-t1 // HOUR_MS) - 1, t0 // HOUR_MS)
    first = np.clip(first, 0, None)
    codes, index = np.unique(counted["cve_ent"].to_numpy().astype(str), return_inverse=True)
    keep = first < steps
    grid = np.zeros((len(codes), steps), dtype="int64")
    np.add.at(grid, (index[keep], first[keep]), 1)
    known = np.cumsum(grid, axis=1)
    return {str(code): known[i].tolist() for i, code in enumerate(codes)}


STAR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 24 24" '
    'aria-hidden="true"><path d="M12 1.8l3 6.9 7.4.6-5.6 4.9 1.7 7.3L12 17.6'
    ' 5.5 21.5l1.7-7.3L1.6 9.3 9 8.7z" fill="#b2182b" stroke="#fff" stroke-width="1.4"/></svg>'
)


def _day(value) -> str:
    """A source date as written in the data (YYYY-MM-DD): the GeoJSON reader turns the
    site's `source_date` into a timestamp, which would print with a midnight clock."""
    if isinstance(value, str) or value is None:
        return value or ""
    return "" if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _spanish(row, field: str, lang: str) -> str:
    """A row's Spanish text `field` on a Spanish map ("" elsewhere, or when missing/NaN)."""
    value = getattr(row, field, "") if lang == "es" else ""
    return value if isinstance(value, str) else ""


def site_markers(site: gpd.GeoDataFrame, lang: str = DEFAULT_LANGUAGE) -> list[list]:
    """[lat, lon, tooltip, popup] per operation site, escaped, in `lang`: in Spanish its
    `name_es` and `description_es` where the site has them, else `name`, `description`."""
    t = translation(lang)
    markers = []
    for row in records(site):
        name = _spanish(row, "name_es", lang)
        label = f"{name or row.name}, {row.municipality}, {BY_CODE[row.cve_ent].name}"
        sources = [link(row.source_url, f"{row.source_outlet}, {_day(row.source_date)}")]
        sources += [
            link(url, t.gettext("source {n}").format(n=n))
            for n, url in enumerate((row.more_source_urls or "").split(), start=2)
        ]
        description = _spanish(row, "description_es", lang)
        popup = "<br>".join(
            [
                f"<b>{escape_text(label)}</b>",
                escape_text(description or row.description),
                f"{escape_text(t.gettext('Sources:'))} {' · '.join(sources)}",
            ]
        )
        markers.append([row.geometry.y, row.geometry.x, escape_text(label), popup])
    return markers


# ------------------------------------------------------------------ the two parts


def map_config(
    states_json: str,
    site: gpd.GeoDataFrame,
    *,
    initial: dict | None = None,
    live: bool = False,
    strings: dict | None = None,
    lang: str = DEFAULT_LANGUAGE,
    states_url: str | None = None,
) -> dict:
    """What TapalpaMap.init receives: geometry, symbols, strings and the first view.

    `initial` is {"center": [lat, lon], "zoom": float} or {"states": [cve_ent, ...]} or
    None (fit Mexico). `live`: the map may write its centre and zoom into the page's
    address (the Streamlit page; not a standalone file). `lang` ("es" or "en"): the
    language of every string (`map_strings`); `strings` overrides single entries.
    `states_url` (published_json of `states_json`): the map fetches the geometry from
    there instead of carrying it.
    """
    text = {**map_strings(lang), **(strings or {})}
    return {
        "strings": {k: v for k, v in text.items() if k != "gesture"},
        "gesture": text["gesture"],
        "states": None if states_url else {"__raw__": states_json},
        "states_url": states_url,
        "site": site_markers(site, lang),
        "site_svg": STAR_SVG,
        "categories": [
            {
                "key": c.key,
                "label": gettext_for(lang, c.label),
                "colour": c.colour,
                "shape": c.shape,
            }
            for c in CATEGORIES
        ],
        "type_category": [CATEGORY_OF.get(t, OTHER) for t in TYPE_ORDER],
        "type_labels": [escape_text(event_type_label(t, lang)) for t in TYPE_ORDER],
        "sources_html": escape_text(text["sources"]),
        "grouped_html": escape_text(text["grouped"]),
        "grouped_html_one": escape_text(text["grouped_one"]),
        "halo": HALO,
        "zero": ZERO_COLOUR,
        "bins": [[low, colour] for (low, _), colour in zip(BINS, STATE_PALETTE, strict=True)],
        "ramp": [[colour, label] for colour, label in ramp(lang, short=True)],
        "state_fill_opacity": STATE_FILL_OPACITY,
        "state_edge": STATE_EDGE,
        "timezone": MEXICO_CITY.key,
        "narrow_px": NARROW_PX,
        "focus_zoom": FOCUS_ZOOM,
        "step_ms": REPLAY_STEP_MS,
        "announce_ms": ANNOUNCE_MS,
        "initial": initial or {},
        "live": live,
    }


def _config_json(config: dict) -> str:
    """JSON for a <script>, with the pre-serialised states geometry spliced in."""
    if config["states"] is None:  # fetched from states_url
        return script_json(config)
    states = config["states"]["__raw__"]
    text = script_json({**config, "states": "__STATES__"})
    return text.replace('"__STATES__"', states, 1)


class MapSetup(DataElement):
    """The base map's own script: TapalpaMap.init with the config (data only)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "TapalpaMap.init({{ this._parent.get_name() }}, {{ this.config_json }});"
        "{% endmacro %}"
    )

    def __init__(self, config: dict):
        super().__init__()
        self._name = "MapSetup"
        self.config = config
        self.config_json = _config_json(config)


def base_map(
    states_json: str,
    site: gpd.GeoDataFrame,
    *,
    height: int | str = 560,
    initial: dict | None = None,
    live: bool = False,
    assets: str = "inline",
    strings: dict | None = None,
    lang: str = DEFAULT_LANGUAGE,
    states_url: str | None = None,
) -> folium.Map:
    """The part of the map that stays on screen: identical for identical arguments
    (`lang`, "es" or "en", is the language of its legend, controls and popups).

    With `states_url` the states geometry is fetched by the map (live page) rather than
    carried in its script (snapshots, which must work from a file)."""
    fmap = OfflineMap(
        location=list(MEXICO_CENTER),
        zoom_start=5,
        min_zoom=MAP_ZOOM_RANGE[0],
        max_zoom=MAP_ZOOM_RANGE[1],
        zoom_snap=0.25,
        zoom_delta=1,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,
        font_size="12px",
        height=height,
        assets=assets,
    )
    folium.TileLayer(
        "OpenStreetMap", name="Basemap", attr=osm_attribution(lang), control=False
    ).add_to(fmap)
    config = map_config(
        states_json,
        site,
        initial=initial,
        live=live,
        strings=strings,
        lang=lang,
        states_url=states_url,
    )
    MapSetup(config).add_to(fmap)
    return fmap


OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"


def osm_attribution(lang: str = DEFAULT_LANGUAGE) -> str:
    """The basemap's credit as HTML, in `lang`: OpenStreetMap's own wording for its
    credit ("© OpenStreetMap contributors", "© colaboradores de OpenStreetMap"), the
    name linked to its copyright page (https://www.openstreetmap.org/copyright)."""
    before, _, after = translation(lang).gettext("© {osm} contributors").partition("{osm}")
    return f'{escape_text(before)}<a href="{OSM_COPYRIGHT}">OpenStreetMap</a>{escape_text(after)}'


class ViewLayer(folium.FeatureGroup):
    """One view's data for TapalpaMap.update; a feature group, so streamlit-folium can
    apply it to the map on screen (`feature_group_to_add`) without re-rendering it."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.featureGroup();"
        "TapalpaMap.update({{ this._parent.get_name() }}, {{ this.view_json }});"
        "{% endmacro %}"
    )

    def __init__(self, view: dict, view_json: str | None = None):
        """`view_json`: script_json(view) when already made (a view kept for reuse)."""
        super().__init__(name="view", control=False, show=True)
        self._name = "FeatureGroup"  # streamlit-folium adds it to the map by this name
        self.view = view
        self.view_json = script_json(view) if view_json is None else view_json
        self.count = len(view["ids"]) if "ids" in view else len(view["rows"])

    def render(self, **kwargs) -> None:  # verbatim, never re-templated (see DataElement)
        DataElement.render(self, **kwargs)


@dataclass(frozen=True)
class MapLayers:
    """What the map was built from, for tests and the page's captions."""

    drawn_points: int
    state_only_records: int
    mode: str


def window_id(view: ViewSpec) -> str:
    """The window as the permalink writes it (Mexico City time): "from/to"."""
    start, end = (t.astimezone(MEXICO_CITY) for t in (view.start, view.end))
    return f"{start:%Y-%m-%dT%H:%M}/{end:%Y-%m-%dT%H:%M}"


def view_layer(
    selected: pd.DataFrame,
    counts: pd.DataFrame,
    view: ViewSpec,
    *,
    layers: frozenset[str] = frozenset(MAP_LAYERS),
    focus: tuple[str, int] | None = None,
    lang: str = DEFAULT_LANGUAGE,
    catalogue: PointCatalogue | None = None,
) -> tuple[ViewLayer, MapLayers]:
    """The changing part of the map for `selected` (filters.apply of `view`).

    `counts` is stats.state_counts for the same view; `focus` is (incident_id, request
    number): the map pans to that record and opens its popup once per request number.
    `lang`: the language of tooltips and popups built here (precomputed display text in
    `selected`, from `with_display_text(frame, lang)`, is used as it is).
    With a `catalogue` of the same records (point_catalogue), points travel as positions
    in it (`ids`) and the map fetches the catalogue once; grid cells always travel whole.
    """
    precise = (selected["geo_precision"] < 3).to_numpy()
    summary_columns = [c for c in selected.columns if c in SUMMARY_COLUMNS]
    state_only = selected.loc[~precise, summary_columns]  # the columns state_styles reads
    ids = None
    if precise.sum() > MAX_DRAWN_POINTS:
        rows, urls, labels, mode = grid_cells(selected[precise]), [], [], "cells"
    elif catalogue is not None:
        drawn_ids = selected["incident_id"].to_numpy()[precise].astype(str).tolist()
        ids = [catalogue.index[i] for i in drawn_ids]
        ids.sort()  # the catalogue's order is the data's, as incident_points would give
        rows, urls, labels, mode = [], [], [], "points"
    else:
        rows, urls, labels = incident_points(selected[precise], lang)
        mode = "points"
    data = {
        "window": window_id(view),
        "start": int(pd.Timestamp(view.start).timestamp() * 1000),
        "end": int(pd.Timestamp(view.end).timestamp() * 1000),
        "mode": mode,
        "rows": rows,
        "urls": urls,
        "labels": labels,
        "states": state_styles(counts, state_only, lang),
        "replay": replay_counts(selected, view),
        # drawn records only possibly in the window (filters.IN_WINDOW): drawn dashed
        "possible": possible_ids(selected[precise]) if mode == "points" else [],
        "layers": [x for x in MAP_LAYERS if x in layers],
        "focus": {"id": focus[0], "n": focus[1]} if focus else None,
    }
    if ids is not None:
        data.update(catalogue=catalogue.url, ids=ids)
    drawn = len(rows) if ids is None else len(ids)
    return ViewLayer(data), MapLayers(drawn, len(state_only), mode)


def build_map(
    selected: pd.DataFrame,
    counts: pd.DataFrame,
    states_base: str,
    site: gpd.GeoDataFrame,
    view: ViewSpec,
    *,
    height: int | str = 560,
    layers: frozenset[str] = frozenset(MAP_LAYERS),
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    focus: gpd.GeoDataFrame | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> tuple[folium.Map, MapLayers]:
    """A whole, self-contained map for one view (the standalone HTML, tests).

    `counts` is stats.state_counts for the same view. A link to some states opens on them
    (unless it names its own centre and zoom); `focus` is kept for compatibility and only
    says whether states may be fitted.
    """
    fmap = base_map(
        states_base, site, height=height, initial=first_view(view, center, zoom, focus), lang=lang
    )
    layer, info = view_layer(selected, counts, view, layers=layers, lang=lang)
    layer.add_to(fmap)
    return fmap, info


def first_view(
    view: ViewSpec,
    center: tuple[float, float] | None,
    zoom: float | None,
    states_display: gpd.GeoDataFrame | None = None,
) -> dict:
    """The map's first view: the link's centre and zoom, else its states, else Mexico."""
    if center is not None:
        return {"center": list(center), "zoom": zoom or 5}
    if view.states and states_display is not None:
        return {"states": sorted(view.states)}
    return {}


__all__ = [
    "LAYER_INCIDENTS",
    "LAYER_SITE",
    "LAYER_STATES",
    "MAP_STRINGS",
    "map_strings",
    "MAX_DRAWN_POINTS",
    "MapLayers",
    "RawScript",
    "ViewLayer",
    "base_map",
    "build_map",
    "first_view",
    "incident_points",
    "map_assets",
    "state_colour",
    "states_geojson",
    "view_layer",
    "when_label",
    "with_display_text",
]
