"""The folium map for a view: data in, folium.Map out. No Streamlit, no CDN.

Leaflet's JS and CSS come from the xstatic-leaflet package as data: URIs, so the map
works offline and behind strict newsroom policies; only basemap tiles come from outside,
and the map reads without them (the states layer is the geography). Incidents are one
canvas layer of circle markers built in the browser from compact arrays, with a small
play control of our own that animates them through time without a Python round-trip.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xstatic.pkg.leaflet as xstatic_leaflet
from branca.element import Element, MacroElement
from jinja2 import Template
from matplotlib import colormaps
from matplotlib.colors import to_hex

from .escape import escape_text, link, script_json
from .filters import ViewSpec
from .mexico import BY_CODE, MEXICO_CITY
from .schema import (
    EVENT_TYPES,
    GEO_PRECISIONS,
    MAP_LAYERS,
    MAP_ZOOM_RANGE,
    MEXICO_CENTER,
    PART_OF_DAY_SPANS,
)
from .validate import is_http_url

LAYER_STATES = "States: incidents in window"
LAYER_SITE = "Tapalpa operation site"
LAYER_INCIDENTS = "Reported incidents"
# Above this many drawable points the map shows grid cells with counts instead.
MAX_DRAWN_POINTS = 5_000
GRID_DEG = 0.25
COORD_DIGITS = 4

# Okabe-Ito colours (safe for colour-blind readers), one per kind of event.
EVENT_COLOURS = {
    "blockade": "#D55E00",
    "vehicle_arson": "#E69F00",
    "business_arson": "#CC79A7",
    "armed_clash": "#0072B2",
    "killing": "#000000",
    "raid": "#000000",
    "arrest": "#009E73",
    "transport_disruption": "#56B4E9",
    "public_order_measure": "#999999",
    "security_deployment": "#999999",
    "other": "#999999",
    "official_statement": "#F0E442",
}
TYPE_ORDER = list(EVENT_TYPES)
# Choropleth classes: (lowest count, label); zero has its own neutral grey.
BINS = ((1, "1–2"), (3, "3–5"), (6, "6–10"), (11, "11–20"), (21, "21–50"), (51, "51 or more"))
ZERO_COLOUR = "#f2f2f2"
STATE_PALETTE = [to_hex(colormaps["YlGnBu"](x)) for x in np.linspace(0.15, 0.9, len(BINS))]


def _data_uri(path: Path, mime: str, *, percent: bool) -> str:
    raw = path.read_bytes()
    if percent:  # ~3% larger than the file, where base64 would add a third
        text = quote(raw.decode("utf-8"), safe=" !$'()*+,-./:;=?@[]^_`{|}~")
        return f"data:{mime};charset=utf-8,{text}"
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}"


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    base = Path(xstatic_leaflet.BASE_DIR)
    return (
        _data_uri(base / "leaflet.js", "text/javascript", percent=True),
        _data_uri(base / "leaflet.css", "text/css", percent=True),
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


class DataLayer(DataElement, folium.map.Layer):
    """A layer of ours: listed in the layer control; adds itself to the map in its script."""


class OfflineMap(folium.Map):
    """A folium.Map that loads only Leaflet, from the Python package, never a CDN."""

    default_js = [("leaflet", leaflet_assets()[0])]
    default_css = [("leaflet_css", leaflet_assets()[1])]


def state_colour(count: int) -> str:
    if count <= 0:
        return ZERO_COLOUR
    index = max(i for i, (low, _) in enumerate(BINS) if count >= low)
    return STATE_PALETTE[index]


# ------------------------------------------------------------------ text for the page


def records(frame: pd.DataFrame) -> list[SimpleNamespace]:
    """Rows with attribute access, built from column lists (itertuples and to_dict are slow)."""
    columns = [str(c) for c in frame.columns]
    values = [frame[c].tolist() for c in frame.columns]
    return [
        SimpleNamespace(**dict(zip(columns, row, strict=True))) for row in zip(*values, strict=True)
    ]


def _local(ts: pd.Timestamp) -> pd.Timestamp:
    return ts.tz_convert(MEXICO_CITY)


def when_label(row) -> str:
    """When, in Mexico City time, honest about how exactly it is known."""
    start = pd.Timestamp(row.start)
    own_day = start.strftime("%a %d %b %Y")
    precision = row.time_precision
    if precision == "day":
        return f"{own_day} (day only; time not reported)"
    if precision == "part_of_day":
        part = row.part_of_day
        if part in PART_OF_DAY_SPANS:
            first, last = PART_OF_DAY_SPANS[part]
            span = f"{first:%H:%M}–{'24:00' if last is None else format(last, '%H:%M')}"
            return f"{own_day}, {part.replace('_', ' ')} ({span} local time)"
        return f"{own_day}, part of day not stated"
    local = _local(row.t_start)
    text = f"{local:%a %d %b %Y, %H:%M} Mexico City time"
    if start.utcoffset() != local.utcoffset():
        text += f" ({start:%H:%M} local)"
    return text + (" (about; to the hour)" if precision == "hour" else "")


def counts_label(row) -> str:
    parts = []
    for field, label in (
        ("blockades", "blockades"),
        ("fatalities", "killed"),
        ("injured", "injured"),
        ("arrested", "arrested"),
    ):
        value = getattr(row, field)
        if value is not None and not pd.isna(value):
            parts.append(f"{int(value)} {label}")
    return ", ".join(parts)


def source_links(row) -> list[tuple[str, str]]:
    """(url, label) pairs: the main source with outlet and date, then the others."""
    outlet = row.source_outlet or "source"
    label = f"{outlet}, {row.source_date}" if row.source_date else outlet
    pairs = [(row.source_url, label)]
    pairs += [(u, f"source {n}") for n, u in enumerate((row.more_source_urls or "").split(), 2)]
    return pairs


def place_label(row) -> str:
    state = BY_CODE[row.cve_ent].name if row.cve_ent in BY_CODE else row.cve_ent
    parts = [p for p in (row.place, row.municipality, state) if p]
    return ", ".join(dict.fromkeys(parts))


def popup_body(row) -> str:
    """Everything in a popup between the title and the sources, escaped."""
    e = escape_text
    lines = [f"<i>{e(when_label(row))}</i>", e(place_label(row)), e(row.summary)]
    counts = counts_label(row)
    if counts:
        lines.append(e(counts))
    lines.append(
        f"Location: {e(GEO_PRECISIONS.get(row.geo_precision, ''))}"
        + (" (approximate)" if row.geo_precision > 1 else "")
        + f" · confidence: {e(row.confidence or 'not rated')}"
    )
    if row.disputed:
        lines.append("<b>Sources disagree</b> on a figure, place or time.")
    return "<br>".join(lines)


def tooltip_html(row) -> str:
    kind = EVENT_TYPES.get(row.event_type, row.event_type)
    return f"{escape_text(kind)}: {escape_text(row.place or row.municipality)}"


# ------------------------------------------------------------------ the incidents layer


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


DISPLAY_COLUMNS = ("tip", "body", "sources")


def with_display_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Add each record's escaped tooltip, popup body and (url, label) sources.

    They do not depend on the view, so the page computes them once per data version,
    behind its cache, instead of on every rerun.
    """
    rows = records(frame)
    return frame.assign(
        tip=[tooltip_html(r) for r in rows],
        body=[popup_body(r) for r in rows],
        sources=[
            [
                (escape_text(u.strip()), escape_text(label))
                for u, label in source_links(r)
                if is_http_url(u)
            ]
            for r in rows
        ],
    )


def incident_points(frame: pd.DataFrame) -> tuple[list[list], list[str], list[str]]:
    """Drawable records as compact arrays, plus the URL and label tables they refer to.

    A row is [lon, lat, type, geo_precision, uncertain_time, t0_ms, t1_ms, tooltip, body,
    [[url, label], ...]]; every string is already escaped, and only http(s) URLs are listed.
    """
    drawable = frame[frame["geo_precision"] < 3]
    if not set(DISPLAY_COLUMNS) <= set(drawable.columns):
        drawable = with_display_text(drawable)
    type_index = {t: i for i, t in enumerate(TYPE_ORDER)}
    other = TYPE_ORDER.index("other")
    urls, labels = Strings(), Strings()
    columns = zip(
        drawable["lon"].round(COORD_DIGITS).tolist(),
        drawable["lat"].round(COORD_DIGITS).tolist(),
        [type_index.get(t, other) for t in drawable["event_type"].tolist()],
        drawable["geo_precision"].astype(int).tolist(),
        drawable["time_precision"].isin(("day", "part_of_day")).astype(int).tolist(),
        _epoch_ms(drawable["t_start"]),
        _epoch_ms(drawable["t_end"]),
        drawable["tip"].tolist(),
        drawable["body"].tolist(),
        drawable["sources"].tolist(),
        strict=True,
    )
    rows = [
        [*head, [[urls.ref(u), labels.ref(label)] for u, label in sources]]
        for *head, sources in columns
    ]
    return rows, urls.values, labels.values


def grid_cells(frame: pd.DataFrame) -> list[list]:
    """At scale: one circle per grid cell with its count, instead of a marker per record."""
    drawable = frame[frame["geo_precision"] < 3]
    cells = (
        drawable.assign(
            gx=np.floor(drawable["lon"] / GRID_DEG).astype(int),
            gy=np.floor(drawable["lat"] / GRID_DEG).astype(int),
        )
        .groupby(["gx", "gy"])
        .agg(
            lon=("lon", "mean"),
            lat=("lat", "mean"),
            n=("incident_id", "size"),
            t0=("t_start", "min"),
            t1=("t_end", "max"),
        )
        .reset_index()
    )
    t0, t1 = _epoch_ms(cells["t0"]), _epoch_ms(cells["t1"])
    return [
        [
            round(c.lon, 3),
            round(c.lat, 3),
            int(c.n),
            t0[i],
            t1[i],
        ]
        for i, c in enumerate(records(cells))
    ]


class IncidentLayer(DataLayer):
    """Incidents as canvas circle markers plus an in-map play control."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.featureGroup();
(function () {
  var map = {{ this._parent.get_name() }};
  var layer = {{ this.get_name() }};
  var colours = {{ this.colours_json }};
  var mode = {{ this.mode_json }};
  var rows = {{ this.rows_json }};
  var urls = {{ this.urls_json }}, labels = {{ this.labels_json }}, types = {{ this.types_json }};
  var markers = [];
  rows.forEach(function (r) {
    var m;
    if (mode === "points") {
      var exact = r[3] === 1;
      m = L.circleMarker([r[1], r[0]], {
        radius: exact ? 6 : 8,
        color: r[4] ? "#6b6b6b" : "#1a1a1a",
        weight: exact ? 1.2 : 1.5,
        dashArray: exact ? null : "3 3",
        fillColor: colours[r[2]],
        fillOpacity: exact ? 0.9 : 0.45,
        bubblingMouseEvents: false
      });
      m.bindTooltip(r[7]);
      var links = r[9].map(function (s) {
        return '<a href="' + urls[s[0]] + '" target="_blank" rel="noopener noreferrer">' +
          labels[s[1]] + "</a>";
      });
      m.bindPopup("<b>" + types[r[2]] + "</b><br>" + r[8] + "<br>Sources: " + links.join(" · "),
                  {maxWidth: 340});
      m.t0 = r[5]; m.t1 = r[6];
    } else {
      m = L.circleMarker([r[1], r[0]], {
        radius: Math.min(30, 4 + Math.sqrt(r[2])),
        color: "#1a1a1a", weight: 1, fillColor: "#D55E00", fillOpacity: 0.6,
        bubblingMouseEvents: false
      });
      m.bindTooltip(r[2] + " incidents in this area (grouped at this scale)");
      m.t0 = r[3]; m.t1 = r[4];
    }
    m.baseOpacity = m.options.fillOpacity;
    markers.push(m);
    layer.addLayer(m);
  });
  {% if this.show %}layer.addTo(map);{% endif %}

  var start = {{ this.start_ms }}, end = {{ this.end_ms }}, hour = 3600000;
  var steps = Math.max(1, Math.ceil((end - start) / hour));
  function label(t) {
    return new Date(t).toLocaleString("en-GB", {
      timeZone: "America/Mexico_City", weekday: "short", day: "2-digit",
      month: "short", hour: "2-digit", minute: "2-digit"
    }) + " Mexico City";
  }
  function showAll() {
    markers.forEach(function (m) {
      if (!layer.hasLayer(m)) { layer.addLayer(m); }
      m.setStyle({opacity: 1, fillOpacity: m.baseOpacity});
    });
  }
  function showAt(t) {
    var shown = 0;
    markers.forEach(function (m) {
      if (m.t0 >= t + hour) {
        if (layer.hasLayer(m)) { layer.removeLayer(m); }
        return;
      }
      if (!layer.hasLayer(m)) { layer.addLayer(m); }
      var active = m.t1 > t;
      if (active) { shown += 1; }
      m.setStyle({opacity: active ? 1 : 0.25, fillOpacity: active ? m.baseOpacity : 0.1});
    });
    return shown;
  }
  var Play = L.Control.extend({
    options: {position: "bottomleft"},
    onAdd: function () {
      var box = L.DomUtil.create("div", "tim-play leaflet-bar");
      box.innerHTML =
        '<button type="button" class="tim-play-button" aria-label="Play">&#9654;</button>' +
        '<input type="range" class="tim-play-range" min="0" max="' + steps + '" value="' + steps +
        '" step="1" aria-label="Time">' +
        '<button type="button" class="tim-play-all">All</button>' +
        '<div class="tim-play-label" aria-live="polite">Whole window</div>';
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var button = box.querySelector(".tim-play-button");
      var range = box.querySelector(".tim-play-range");
      var text = box.querySelector(".tim-play-label");
      var timer = null;
      function update() {
        var t = start + Number(range.value) * hour;
        if (Number(range.value) >= steps) { showAll(); text.textContent = "Whole window"; return; }
        var n = showAt(t);
        text.textContent = label(t) + ": " + n + " active";
      }
      function stop() { clearInterval(timer); timer = null; button.innerHTML = "&#9654;"; }
      button.addEventListener("click", function () {
        if (timer) { stop(); return; }
        if (Number(range.value) >= steps) { range.value = 0; }
        button.innerHTML = "&#10074;&#10074;";
        update();
        timer = setInterval(function () {
          if (Number(range.value) >= steps - 1) { stop(); return; }
          range.value = Number(range.value) + 1;
          update();
        }, 500);
      });
      range.addEventListener("input", function () { stop(); update(); });
      box.querySelector(".tim-play-all").addEventListener("click", function () {
        stop(); range.value = steps; update();
      });
      return box;
    }
  });
  if (markers.length) { new Play().addTo(map); }
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        rows: list[list],
        mode: str,
        view: ViewSpec,
        urls: list[str] = (),
        labels: list[str] = (),
        name: str = LAYER_INCIDENTS,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "IncidentLayer"
        self.rows_json = script_json(rows)
        self.urls_json = script_json(list(urls))
        self.labels_json = script_json(list(labels))
        self.types_json = script_json([escape_text(EVENT_TYPES[t]) for t in TYPE_ORDER])
        self.mode_json = script_json(mode)
        self.colours_json = script_json([EVENT_COLOURS[t] for t in TYPE_ORDER])
        self.start_ms = int(pd.Timestamp(view.start).timestamp() * 1000)
        self.end_ms = int(pd.Timestamp(view.end).timestamp() * 1000)
        self.count = len(rows)


PLAY_CSS = """
<style>
.tim-play{background:#fff;padding:6px 8px;font:12px/1.3 system-ui,sans-serif;max-width:330px}
.tim-play button{cursor:pointer;margin-right:4px;min-width:28px}
.tim-play-range{width:170px;vertical-align:middle}
.tim-legend{background:rgba(255,255,255,.92);padding:4px 8px;font:11px/1.3 system-ui,sans-serif;
  max-width:290px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3)}
.tim-legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
.tim-legend .dot{border-radius:50%;border:1px solid #1a1a1a;background:#888}
.tim-legend .approx{border-style:dashed;opacity:.6}
.tim-legend .ring{background:#fff;border-color:#6b6b6b}
.tim-legend .grid{display:grid;grid-template-columns:1fr 1fr;column-gap:6px}
.tim-legend .ramp{display:flex;gap:3px}.tim-legend .ramp span{text-align:center;font-size:10px}
.tim-legend .ramp i{display:block;width:28px;height:10px;margin:0 0 1px}
.tim-legend .star{color:#b2182b;font-size:14px}
.tim-site{background:none;border:none}
.tim-legend h4{margin:4px 0 2px;font-size:12px}
</style>
"""


class Legend(DataElement):
    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var Legend = L.Control.extend({
    options: {position: "bottomright"},
    onAdd: function () {
      var box = L.DomUtil.create("div", "tim-legend");
      box.innerHTML = {{ this.html_json }};
      L.DomEvent.disableClickPropagation(box);
      return box;
    }
  });
  new Legend().addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html_json = script_json(html)


def legend_html(types_shown: list[str]) -> str:
    e = escape_text
    ramp = [(ZERO_COLOUR, "0")] + [
        (colour, label.replace(" or more", "+"))
        for (_, label), colour in zip(BINS, STATE_PALETTE, strict=True)
    ]
    parts = ["<h4>Incidents per state in the window</h4><div class='ramp'>"]
    parts += [f"<span><i style='background:{c}'></i>{e(label)}</span>" for c, label in ramp]
    parts.append("</div><h4>Event type</h4><div class='grid'>")
    for event_type in types_shown:
        colour = EVENT_COLOURS[event_type]
        parts.append(
            f"<span><i class='dot' style='background:{colour}'></i>"
            f"{e(EVENT_TYPES[event_type])}</span>"
        )
    parts.append(
        "</div><h4>Precision</h4>"
        "<i class='dot'></i>site (estimated) "
        "<i class='dot approx'></i>town<br>"
        "<i class='dot ring'></i>grey ring: day or part of day only<br>"
        "State-only reports: counted on the state (hover it)<br>"
        "<span class='star'>&#9733;</span> Tapalpa operation site (approx.)"
    )
    return "".join(parts)


# ------------------------------------------------------------------ states and site


def states_geojson(states_display: gpd.GeoDataFrame) -> str:
    """The display layer as GeoJSON text: built once per data version, reused every rerun."""
    rounded = states_display[["cve_ent", "geometry"]].copy()
    # 3 decimals (~100 m) is finer than a screen pixel at the zooms the map allows; shared
    # vertices round alike, so neighbours keep sharing their borders.
    rounded["geometry"] = shapely.set_precision(rounded.geometry.values, 10**-3, mode="pointwise")
    return script_json(rounded.__geo_interface__)


class StateLayer(DataLayer):
    """States shaded by count; only the small per-state style table changes per view."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var styles = {{ this.styles_json }};
  var layer = L.geoJSON({{ this.geometry_json }}, {
    style: function (f) {
      return {fillColor: styles[f.properties.cve_ent][0], fillOpacity: 0.75,
              color: "#5b5b5b", weight: 0.8};
    },
    onEachFeature: function (f, l) {
      l.bindTooltip(styles[f.properties.cve_ent][1], {sticky: true});
      l.on("mouseover", function () { l.setStyle({weight: 2.5, color: "#1a1a1a"}); });
      l.on("mouseout", function () { layer.resetStyle(l); });
    }
  });
  // A click on a state reaches the map (the page selects the state from it); incident
  // markers do not bubble, so opening a popup selects nothing.
  var map = {{ this._parent.get_name() }};
  return {% if this.show %}layer.addTo(map){% else %}layer{% endif %};
})();
{% endmacro %}
"""
    )

    def __init__(
        self,
        geometry_json: str,
        styles: dict[str, list[str]],
        name: str = LAYER_STATES,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "StateLayer"
        self.geometry_json = geometry_json
        self.styles_json = script_json(styles)


def state_styles(counts: pd.DataFrame, state_only: pd.DataFrame) -> dict[str, list[str]]:
    """Per state: [fill colour, tooltip HTML], the tooltip naming its state-level reports."""
    listed: dict[str, list[tuple[str, str]]] = {}
    for code, kind, summary in zip(
        state_only["cve_ent"].tolist(),
        state_only["event_type"].tolist(),
        state_only["summary"].tolist(),
        strict=True,
    ):
        listed.setdefault(code, []).append((EVENT_TYPES.get(kind, kind), summary))
    styles = {}
    columns = ["cve_ent", "state", "incidents", "official_blockades", "official_source"]
    for row in records(counts[columns]):
        n = int(row.incidents)
        lines = [
            f"<b>{escape_text(row.state)}</b>",
            f"{n} incident{'s' if n != 1 else ''} in the window (click to select)",
        ]
        if not pd.isna(row.official_blockades):
            lines.append(
                f"Official blockade figure: {int(row.official_blockades)} "
                f"({escape_text(row.official_source)})"
            )
        if row.cve_ent in listed:
            reports = listed[row.cve_ent]
            lines.append(f"{len(reports)} report(s) for the state as a whole, not placed:")
            for kind, summary in reports[:4]:
                lines.append(f"&middot; {escape_text(kind)}: {escape_text(summary[:90])}")
        styles[row.cve_ent] = [state_colour(n), "<br>".join(lines)]
    return styles


STAR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 24 24" '
    'aria-label="Tapalpa operation site"><path d="M12 1.8l3 6.9 7.4.6-5.6 4.9 1.7 7.3L12 17.6'
    ' 5.5 21.5l1.7-7.3L1.6 9.3 9 8.7z" fill="#b2182b" stroke="#fff" stroke-width="1.4"/></svg>'
)


def site_markers(site: gpd.GeoDataFrame) -> list[list]:
    """[lat, lon, tooltip, popup] per operation site, escaped."""
    markers = []
    for row in records(site):
        label = f"{row.name}, {row.municipality}, {BY_CODE[row.cve_ent].name}"
        sources = [link(row.source_url, f"{row.source_outlet}, {row.source_date}")]
        sources += [
            link(url, f"source {n}")
            for n, url in enumerate((row.more_source_urls or "").split(), start=2)
        ]
        popup = "<br>".join(
            [
                f"<b>{escape_text(label)}</b>",
                escape_text(row.description),
                f"Sources: {' · '.join(sources)}",
            ]
        )
        markers.append([row.geometry.y, row.geometry.x, escape_text(label), popup])
    return markers


class SiteLayer(DataLayer):
    """The raid site with its own symbol (a star), never confused with incident dots."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.featureGroup();
{{ this.markers_json }}.forEach(function (s) {
  L.marker([s[0], s[1]], {
    icon: L.divIcon({html: {{ this.svg_json }}, className: "tim-site", iconSize: [26, 26],
                     iconAnchor: [13, 13]}),
    keyboard: true, title: "Tapalpa operation site", zIndexOffset: 1000
  }).bindTooltip(s[2]).bindPopup(s[3], {maxWidth: 340}).addTo({{ this.get_name() }});
});
{% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
{% endmacro %}
"""
    )

    def __init__(self, site: gpd.GeoDataFrame, name: str = LAYER_SITE, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "SiteLayer"
        self.markers = site_markers(site)
        self.markers_json = script_json(self.markers)
        self.svg_json = script_json(STAR_SVG)


class PageStyle(DataElement):
    """CSS for our controls, in the header (compiled once, unlike a branca Element)."""

    _template = Template("{% macro header(this, kwargs) %}" + PLAY_CSS + "{% endmacro %}")


# ------------------------------------------------------------------ the map


@dataclass(frozen=True)
class MapLayers:
    """What the map was built from, for tests and the page's captions."""

    drawn_points: int
    state_only_records: int
    mode: str


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
    zoom: int | None = None,
    focus: gpd.GeoDataFrame | None = None,
) -> tuple[folium.Map, MapLayers]:
    """Map for the selected records; `counts` is stats.state_counts for the same view."""
    fmap = OfflineMap(
        location=list(center or MEXICO_CENTER),
        zoom_start=zoom or 5,
        min_zoom=MAP_ZOOM_RANGE[0],
        max_zoom=MAP_ZOOM_RANGE[1],
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        height=height,
    )
    PageStyle().add_to(fmap)
    folium.TileLayer("OpenStreetMap", name="Basemap", control=False).add_to(fmap)
    state_only = selected[selected["geo_precision"] >= 3]
    StateLayer(states_base, state_styles(counts, state_only), show="states" in layers).add_to(fmap)
    SiteLayer(site, show="site" in layers).add_to(fmap)
    drawable = selected[selected["geo_precision"] < 3]
    if len(drawable) > MAX_DRAWN_POINTS:
        rows, urls, labels, mode = grid_cells(drawable), [], [], "cells"
    else:
        rows, urls, labels = incident_points(drawable)
        mode = "points"
    IncidentLayer(rows, mode, view, urls, labels, show="incidents" in layers).add_to(fmap)
    present = set(selected["event_type"].unique())
    types_shown = [t for t in TYPE_ORDER if t in present]
    Legend(legend_html(types_shown)).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    if center is None and view.states and focus is not None:
        # A link to a few states opens on them, unless it names its own centre.
        chosen = focus[focus["cve_ent"].isin(view.states)]
        if len(chosen):
            west, south, east, north = chosen.total_bounds
            fmap.fit_bounds([[south, west], [north, east]], padding=(12, 12))
    return fmap, MapLayers(len(rows), len(state_only), mode)
