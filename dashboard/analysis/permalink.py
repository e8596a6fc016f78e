"""The whole view in a URL's query string, and back.

Editors paste a link into an article and must get the same view next week. Times are
Mexico City wall-clock times (unambiguous: no daylight saving since 2022; a `from`/`to`
carrying an ISO 8601 offset, even with its `+` decoded as a space, is converted to that
clock); states are ISO
3166-2 suffixes (JAL, MIC); a data-version token says when the data changed since.
Anything unreadable or stale is dropped with a notice, never an exception; notices are
in the view's language (`lang`, "es" or "en", see dashboard.text.i18n).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from dashboard.analysis.filters import ViewSpec
from dashboard.model.mexico import BY_CODE, MEXICO_CITY, state_lookup
from dashboard.model.schema import EVENT_TYPES, MAP_ZOOM_RANGE
from dashboard.model.schema import MAP_LAYERS as LAYERS
from dashboard.model.timing import TimestampError, parse_window_bound
from dashboard.text.i18n import (
    DAY_MONTH,
    DEFAULT_LANGUAGE,
    format_datetime,
    format_list,
    normalise_language,
)
from dashboard.text.i18n import translation as _translation
from dashboard.text.message import Message, msg

NONE = "none"
KNOWN_KEYS = frozenset(
    {"from", "to", "states", "types", "trust", "layers", "lat", "lon", "zoom", "size", "embed"}
    | {"lang", "v"}
    | {"actor", "sub", "deaths"}
)
TIME_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True)
class PageView:
    """What a link restores: the data view plus what the map shows and where."""

    view: ViewSpec
    layers: frozenset[str] = frozenset(LAYERS)
    center: tuple[float, float] | None = None  # (lat, lon)
    zoom: float | None = None  # Leaflet zoom level, quarter steps (5.5), within MAP_ZOOM_RANGE
    # The map's size on screen (CSS px, width, height) where that centre and zoom were seen:
    # a narrower or shorter map zooms out to keep that region in view (tapalpa-map.js).
    screen: tuple[int, int] | None = None
    embed: bool = False
    lang: str | None = None  # "es" or "en"; None: not chosen (the browser's language decides)


@dataclass
class ParsedLink:
    """A link read leniently: None fields were absent or dropped (see notices)."""

    window: tuple[datetime, datetime] | None = None
    states: frozenset[str] | None = None
    types: frozenset[str] | None = None
    trusted: bool = False
    layers: frozenset[str] | None = None
    center: tuple[float, float] | None = None
    zoom: float | None = None
    screen: tuple[int, int] | None = None
    embed: bool = False
    lang: str | None = None
    stale: bool = False
    notices: list[str] = field(default_factory=list)
    # The analyst's filters (filters.ViewSpec): actor text, sub-event types, least deaths.
    actor: str | None = None
    sub_event_types: frozenset[str] | None = None
    min_fatalities: int | None = None

    def page_view(self, default_window: tuple[datetime, datetime]) -> PageView:
        start, end = self.window or default_window
        return PageView(
            ViewSpec(
                start,
                end,
                states=self.states,
                event_types=self.types,
                trusted=self.trusted,
                actor=self.actor,
                sub_event_types=self.sub_event_types,
                min_fatalities=self.min_fatalities,
            ),
            layers=frozenset(LAYERS) if self.layers is None else self.layers,
            center=self.center,
            zoom=self.zoom,
            screen=self.screen,
            embed=self.embed,
            lang=self.lang,
        )


ZOOM_DECIMALS = 2  # the map zooms in quarter steps (zoomSnap 0.25): 5.25 needs two


def format_zoom(zoom: float) -> str:
    """A Leaflet zoom level as a link writes it: at most two decimals, no trailing zeros
    ("6", "5.5", "5.25"), so quarter steps survive and whole levels read as before.
    The map's script writes the address bar the same way (tapalpa-map.js, writeLink)."""
    return f"{round(float(zoom), ZOOM_DECIMALS) + 0.0:.{ZOOM_DECIMALS}f}".rstrip("0").rstrip(".")


def _is_finite(text: str) -> bool:
    """Whether `text` reads as a finite decimal number ("99", "-3.5"; not "abc", "inf")."""
    try:
        return math.isfinite(float(text.strip()))
    except ValueError:
        return False


def parse_zoom(text: str | None) -> float | None:
    """A link's `zoom` as a float within MAP_ZOOM_RANGE (4..13), rounded to two decimals;
    None when absent, unreadable (not a finite decimal number) or out of range.
    Whole numbers ("6", from links made before quarter steps) read as before."""
    if text is None:
        return None
    try:
        zoom = float(text.strip())
    except ValueError:
        return None
    if not math.isfinite(zoom) or not MAP_ZOOM_RANGE[0] <= zoom <= MAP_ZOOM_RANGE[1]:
        return None
    zoom = round(zoom, ZOOM_DECIMALS)
    return int(zoom) if zoom.is_integer() else zoom


SCREEN_RANGE = (100, 10_000)  # CSS px a map's side can have in a link's `size`
# The live page's map at its default desktop size (CSS px; web/sections/map.py MAP_HEIGHT
# 560 px high; its width in the page's wide layout, measured 2026-12-07 in Chromium:
# 820 in a 1280 px window, 906 at 1366, 980 at 1440, 1460 at 1920; 1100 is the desktop
# map of issue 23's editor, erring wide so a region is kept rather than cut): a link with
# a centre and zoom but no `size` (made before size= existed) is read as seen there, so a
# narrower map (an embed in a phone's article column) zooms out to keep that region.
LEGACY_SCREEN = (1100, 560)


def format_size(screen: tuple[int, int]) -> str:
    """A map's size on screen as a link writes it: "WIDTHxHEIGHT" in CSS pixels."""
    return f"{int(screen[0])}x{int(screen[1])}"


def parse_size(text: str | None) -> tuple[int, int] | None:
    """A link's `size` ("1100x560": the map's width and height on screen, CSS pixels,
    each within SCREEN_RANGE) as (width, height); None when absent or unreadable."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*", text or "")
    if not match:
        return None
    width, height = int(match[1]), int(match[2])
    low, high = SCREEN_RANGE
    if not (low <= width <= high and low <= height <= high):
        return None
    return width, height


def map_view(params: Mapping[str, object]) -> tuple[tuple[float, float], float] | None:
    """((lat, lon), zoom) when a link's parameters (or the page's address, which the map
    rewrites as the reader pans and zooms) carry a usable `lat`, `lon` (degrees, WGS84)
    and `zoom` (`parse_zoom`); None when any of the three is missing or unusable."""
    zoom = parse_zoom(_single(params, "zoom"))
    try:
        lat, lon = float(_single(params, "lat") or ""), float(_single(params, "lon") or "")
    except ValueError:
        return None
    if zoom is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return (lat, lon), zoom


def local_text(moment: datetime) -> str:
    return moment.astimezone(MEXICO_CITY).strftime(TIME_FORMAT)


def _codes(values: frozenset[str] | None, encode) -> str | None:
    if values is None:
        return None
    return ",".join(sorted(encode(v) for v in values)) or NONE


def to_params(page: PageView, version: str | None = None) -> dict[str, str]:
    """Query parameters, in a stable order; defaults (all states, all layers) are left out."""
    view = page.view
    params = {"from": local_text(view.start), "to": local_text(view.end)}
    states = _codes(view.states, lambda code: BY_CODE[code].abbrev)
    if states is not None:
        params["states"] = states
    every_type = view.event_types is not None and view.event_types == frozenset(EVENT_TYPES)
    types = None if every_type else _codes(view.event_types, str)
    if types is not None:
        params["types"] = types
    if view.trusted:  # ViewSpec.trusted: disputed and single-source records left out
        params["trust"] = "1"
    if view.actor:
        params["actor"] = view.actor
    if view.sub_event_types is not None:
        params["sub"] = "|".join(sorted(view.sub_event_types))  # ACLED's names have commas
    if view.min_fatalities:
        params["deaths"] = str(view.min_fatalities)
    if page.layers != frozenset(LAYERS):
        params["layers"] = ",".join(x for x in LAYERS if x in page.layers) or NONE
    if page.center is not None:
        params["lat"], params["lon"] = f"{page.center[0]:.4f}", f"{page.center[1]:.4f}"
    if page.zoom is not None:
        params["zoom"] = format_zoom(page.zoom)
    if page.screen is not None and page.center is not None:
        params["size"] = format_size(page.screen)
    if page.embed:
        params["embed"] = "true"
    if page.lang:
        params["lang"] = page.lang
    if version:
        params["v"] = version
    return params


def to_query(page: PageView, version: str | None = None) -> str:
    return urlencode(to_params(page, version), safe=",:")


def _single(params: Mapping[str, object], key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None else str(value).strip()


def read_time(text: str, *, from_url: bool = False) -> datetime:
    """A link's or the CLI's time: ISO 8601 ("2026-02-22T06:00"), Mexico City wall-clock
    time unless it carries an offset (Z, ±HH:MM, ±HHMM, ±HH); an aware datetime on that
    offset, or Mexico City's. `from_url`: a space before a trailing offset stands for the
    `+` a query string decodes as a space. Raises timing.TimestampError (a ValueError,
    its `message` saying why) when unreadable; see timing.parse_window_bound."""
    return parse_window_bound(text, from_url=from_url)


def _time(text: str) -> datetime:
    """A link's from/to as a Mexico City time (an offset it carries is converted)."""
    return read_time(text, from_url=True).astimezone(MEXICO_CITY)


def parse_query(query: str, **kwargs) -> ParsedLink:
    return parse_params(dict(parse_qsl(query.lstrip("?"), keep_blank_values=True)), **kwargs)


def parse_params(
    params: Mapping[str, object],
    *,
    data_start: datetime,
    data_end: datetime,
    version: str | None = None,
    lang: str | None = None,
) -> ParsedLink:
    """Read a link, keeping what is valid and saying what was dropped and why.

    params: query parameters (a value may be a list: the last one counts).
    data_start, data_end: the data's time span (aware datetimes); windows are clipped to it.
    version: the current data version; a different `v` in the link marks it stale.
    lang: the language of the notices; None: the link's own `lang`, else English.
    A link with `lat`, `lon` and `zoom` but no `size` (shared before size= existed) is read
    as made on the live page's default desktop map, LEGACY_SCREEN (1100x560 CSS px): a
    narrower map then zooms out to keep that region in view instead of cutting it off.
    """
    link = ParsedLink()
    note = link.notices.append
    lang_text = _single(params, "lang")
    link.lang = normalise_language(lang_text)
    language = lang or link.lang or DEFAULT_LANGUAGE
    t = _translation(language)
    if lang_text is not None and link.lang is None:
        note(
            t.gettext("Ignored an unknown language “{value}” (use es or en).").format(
                value=lang_text
            )
        )

    start_text, end_text = _single(params, "from"), _single(params, "to")
    if start_text or end_text:
        try:
            start = _time(start_text or local_text(data_start))
            end = _time(end_text or local_text(data_end))
        except ValueError:
            given = [f"{k}={v}" for k, v in (("from", start_text), ("to", end_text)) if v]
            note(
                t.gettext("Ignored an unreadable time window ({given}).").format(
                    given=", ".join(given)
                )
            )
        else:
            if end <= start:
                note(t.gettext("Ignored a time window that ends before it starts."))
            elif end <= data_start or start >= data_end:
                note(
                    t.gettext(
                        "Ignored a time window outside the data ({first} onwards); "
                        "showing the default."
                    ).format(
                        first=format_datetime(
                            data_start.astimezone(MEXICO_CITY), language, DAY_MONTH
                        )
                    )
                )
            else:
                clipped = (max(start, data_start), min(end, data_end))
                if clipped != (start, end):
                    note(
                        t.gettext("The link's time window reached beyond the data and was trimmed.")
                    )
                link.window = (_whole_hour(clipped[0]), _whole_hour(clipped[1], up=True))

    states_text = _single(params, "states")
    if states_text is not None:
        if states_text.lower() == NONE or not states_text:
            link.states = frozenset()
        else:
            known, unknown = set(), []
            for item in states_text.split(","):
                state = state_lookup(item) if item.strip() else None
                if state is None:
                    unknown.append(item)
                else:
                    known.add(state.cve_ent)
            if unknown:
                note(
                    t.ngettext(
                        "Ignored an unknown state code: {codes}.",
                        "Ignored unknown state codes: {codes}.",
                        len(unknown),
                    ).format(codes=_quoted(unknown, language))
                )
            link.states = frozenset(known) if known else None

    types_text = _single(params, "types")
    if types_text is not None:
        if types_text.lower() == NONE or not types_text:
            link.types = frozenset()
        else:
            items = [t.strip() for t in types_text.split(",") if t.strip()]
            unknown = [t for t in items if t not in EVENT_TYPES]
            if unknown:
                note(
                    t.ngettext(
                        "Ignored an unknown event type: {types}.",
                        "Ignored unknown event types: {types}.",
                        len(unknown),
                    ).format(types=_quoted(unknown, language))
                )
            kept = frozenset(t for t in items if t in EVENT_TYPES)
            link.types = kept if kept else None

    # The analyst's filters: text as given (a filter matching nothing shows nothing).
    actor = _single(params, "actor")
    link.actor = actor or None
    sub = _single(params, "sub")
    if sub:
        link.sub_event_types = frozenset(x.strip() for x in sub.split("|") if x.strip()) or None
    deaths = _single(params, "deaths")
    if deaths:
        try:
            link.min_fatalities = max(int(deaths), 0) or None
        except ValueError:
            note(
                t.gettext("Ignored an unreadable least number of deaths: {value}.").format(
                    value=_quoted([deaths], language)
                )
            )

    layers_text = _single(params, "layers")
    if layers_text is not None:
        items = [x.strip() for x in layers_text.split(",") if x.strip()]
        if layers_text.lower() == NONE:
            link.layers = frozenset()
        else:
            unknown = [x for x in items if x not in LAYERS]
            if unknown:
                note(
                    t.ngettext(
                        "Ignored an unknown map layer: {layers}.",
                        "Ignored unknown map layers: {layers}.",
                        len(unknown),
                    ).format(layers=_quoted(unknown, language))
                )
            kept = frozenset(x for x in items if x in LAYERS)
            link.layers = kept if kept else None

    lat_text, lon_text = _single(params, "lat"), _single(params, "lon")
    if lat_text is not None or lon_text is not None:
        given = f"{lat_text or ''}, {lon_text or ''}"
        if not (_is_finite(lat_text or "") and _is_finite(lon_text or "")):
            note(
                t.gettext(
                    "Ignored an unreadable map centre “{value}” (use lat and lon in degrees); "
                    "the map opens on the view's data instead."
                ).format(value=given)
            )
        elif not (-90 <= float(lat_text) <= 90 and -180 <= float(lon_text) <= 180):
            note(
                t.gettext(
                    "Ignored a map centre out of range, “{value}” (latitude -90 to 90, "
                    "longitude -180 to 180); the map opens on the view's data instead."
                ).format(value=given)
            )
        else:
            link.center = (float(lat_text), float(lon_text))
    zoom_text = _single(params, "zoom")
    if zoom_text is not None:
        link.zoom = parse_zoom(zoom_text)
        if link.zoom is None:
            notice = (
                t.gettext("Ignored a map zoom out of range, “{value}” (use {low} to {high}).")
                if _is_finite(zoom_text)  # read, but not a zoom the map has
                else t.gettext("Ignored an unreadable map zoom “{value}” (use {low} to {high}).")
            )
            note(notice.format(value=zoom_text, low=MAP_ZOOM_RANGE[0], high=MAP_ZOOM_RANGE[1]))

    size_text = _single(params, "size")
    if size_text is None and link.center is not None and link.zoom is not None:
        link.screen = LEGACY_SCREEN  # a link from before size=: made on a desktop map
    elif size_text is not None:
        link.screen = parse_size(size_text)
        if link.screen is None:
            note(
                t.gettext(
                    "Ignored an unreadable map size “{value}” (use WIDTHxHEIGHT in pixels, "
                    "{low} to {high})."
                ).format(value=size_text, low=SCREEN_RANGE[0], high=SCREEN_RANGE[1])
            )

    link.embed = (_single(params, "embed") or "").lower() in ("true", "1", "yes")
    link.trusted = (_single(params, "trust") or "").lower() in ("true", "1", "yes")
    token = _single(params, "v")
    if token and version and token != version:
        link.stale = True
        note(
            t.gettext(
                "The data has been updated since this link was made: the same filters may now "
                "show different numbers."
            )
        )
    extra = sorted(k for k in params if k not in KNOWN_KEYS)
    if extra:
        note(
            t.ngettext(
                "Ignored an unknown link parameter: {names}.",
                "Ignored unknown link parameters: {names}.",
                len(extra),
            ).format(names=_quoted(extra, language))
        )
    return link


def _quoted(items: list[str], lang: str) -> str:
    """“a”, “b” and “c”: values from a link, quoted so blanks and commas show."""
    return format_list((f"“{item}”" for item in items), lang)


def _whole_hour(moment: datetime, up: bool = False) -> datetime:
    floored = moment.replace(minute=0, second=0, microsecond=0)
    return floored + timedelta(hours=1) if up and floored != moment else floored


def window_flags_error(start: str | None, end: str | None, lo, hi) -> Message | None:
    """What is wrong with --start/--end (texts as given: ISO 8601, Mexico City time unless
    they carry an offset such as Z, +00:00, -0600; timing.parse_window_bound) for data
    spanning lo..hi (aware datetimes), as a Message naming the flag and its value; None
    when usable (absent, or a window overlapping the data: the part beyond it is
    trimmed). An unreadable value is never replaced by the default window."""
    times = {}
    for flag, text in (("--start", start), ("--end", end)):
        if text is not None:
            try:
                times[flag] = read_time(text)
            except TimestampError as exc:
                return msg(
                    "{flag} {value!r}: not a date and time: {reason}",
                    flag=flag,
                    value=text,
                    reason=exc.message,
                )
    first, last = times.get("--start", lo), times.get("--end", hi)
    if len(times) == 2 and last <= first:
        return msg("--end {end} is not after --start {start}", start=start, end=end)
    if "--end" in times and last <= lo:
        return msg(
            "--end {end} is not after the start of the data ({first}, Mexico City time)",
            end=end,
            first=local_text(lo),
        )
    if "--start" in times and first >= hi:
        return msg(
            "--start {start} is not before the end of the data ({last}, Mexico City time)",
            start=start,
            last=local_text(hi),
        )
    return None
