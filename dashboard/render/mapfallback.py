"""What the reader sees in the map's place when a file the map needs does not load (a
404 from a replica that has not written the map's content-hashed files yet, a proxy
that refuses them, a network that drops them): a message and a link that reloads the
page, instead of an empty box; the rest of the page keeps working.

Two watchers, one message:

- inside the map's frame, static/map-fallback.js runs first of the frame's scripts (a
  data: URI, which cannot fail to load): a script or stylesheet of the map that fails
  (Leaflet, its plugins, tapalpa-map.js and its CSS, joined or not) puts the message in
  the map's place;
- on the page, static/page.js looks at the map's frame once it has loaded: a frame in
  which streamlit-folium's own code never ran (its page or script failed) gets the
  message written into it.
"""

from __future__ import annotations

import json

from dashboard.render.mapfiles import STATIC
from dashboard.text.i18n import DEFAULT_LANGUAGE, N_, translation

FALLBACK_JS = "map-fallback.js"
MAP_FAILED = N_(
    "The map could not be loaded: a file it needs did not arrive. The rest of the page works."
)
MAP_RELOAD = N_("Reload the page to try again")


def fallback_strings(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """{"failed", "reload"}: the message and the link's text in `lang` ("es" or "en")."""
    t = translation(lang)
    return {"failed": t.gettext(MAP_FAILED), "reload": t.gettext(MAP_RELOAD)}


def fallback_script(lang: str = DEFAULT_LANGUAGE) -> str:
    """The frame's watcher as script text: its strings in `lang` (window.TIM_FALLBACK,
    JSON with "<" escaped), then static/map-fallback.js."""
    strings = json.dumps(fallback_strings(lang), ensure_ascii=False).replace("<", "\\u003c")
    code = (STATIC / FALLBACK_JS).read_text(encoding="utf-8")
    return f"window.TIM_FALLBACK = {strings};\n{code}"
