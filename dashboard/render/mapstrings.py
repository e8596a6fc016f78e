"""Every string the map shows, in one table of English message ids, translated per
language for the map's JavaScript; and the basemap's credit."""

from __future__ import annotations

from dashboard.render.maplayers import LAYERS
from dashboard.text.escape import escape_text
from dashboard.text.i18n import DEFAULT_LANGUAGE, JS_LOCALES, N_, translation

# English message ids, marked for the catalogue and translated by `map_strings(lang)`;
# the layer control's names come from the layer table (maplayers.LAYERS).
MAP_STRINGS: dict[str, object] = {
    "locale": "en-GB",
    "tz_label": N_("Mexico City"),
    "map_label": N_("Map of reported incidents"),
    **{f"layer_{layer.key}": layer.label for layer in LAYERS},
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
    # The compact legend's (narrow maps) short forms; the long ones above stay its
    # accessible text.
    "legend_states_short": N_("Per state"),
    "legend_site_short": N_("Tapalpa operation"),
    "legend_exact_short": N_("small: exact site"),
    "legend_town_short": N_("large: town"),
    "legend_span_short": N_("dashed: time uncertain"),
    "legend_earlier_short": N_("faded: earlier"),
    "legend_state_only_short": N_("Placed only by state: counted on it"),
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
    # Leaflet.markercluster's symbols: a group of nearby points, a stack at one place.
    "cluster": "{n} incidents close together: tap to see them",
    "stack": "{n} records at this place",
    "near": "{n} records close together",
    # A tap on a state shows its summary; filtering is a button; chips undo it.
    "state_filter": N_("Show only this state"),
    "state_unfilter": N_("Show every state again"),
    "chip_remove": N_("Remove the filter: {state}"),
    "filtered_to": N_("Filtered:"),
    "empty": N_("No incidents on the map with these filters."),
    "empty_hint": N_(
        "Remove a state filter here, or change the window or the types under the map."
    ),
    "gesture": {
        "touch": N_("Use two fingers to move the map"),
        "scroll": N_("Use ctrl + scroll to zoom the map"),
        "scrollMac": N_("Use \u2318 + scroll to zoom the map"),
    },
}


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
        out["cluster" + suffix] = t.ngettext(
            "{n} incident close together: tap to see it",
            "{n} incidents close together: tap to see them",
            n,
        )
        out["stack" + suffix] = t.ngettext(
            "{n} record at this place", "{n} records at this place", n
        )
        out["near" + suffix] = t.ngettext(
            "{n} record close to others", "{n} records close together", n
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


OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"


def osm_attribution(lang: str = DEFAULT_LANGUAGE) -> str:
    """The basemap's credit as HTML, in `lang`: OpenStreetMap's own wording for its
    credit ("© OpenStreetMap contributors", "© colaboradores de OpenStreetMap"), the
    name linked to its copyright page (https://www.openstreetmap.org/copyright)."""
    before, _, after = translation(lang).gettext("© {osm} contributors").partition("{osm}")
    return f'{escape_text(before)}<a href="{OSM_COPYRIGHT}">OpenStreetMap</a>{escape_text(after)}'
