"""The view in words, for the article and large PNGs' stamp and the images' window line.

Before, the stamp printed the view's raw query ("view: from=2026-02-22T18:00&to=…&
states=JAL,MIC&lang=es"): nothing a reader or an editor reads. It now says the window
in Mexico City time, the states by name and every other filter the view has, in the
image's language.
"""

from __future__ import annotations

from dashboard.analysis.permalink import PageView
from dashboard.model.mexico import BY_CODE, MEXICO_CITY
from dashboard.model.schema import event_type_label
from dashboard.text.i18n import (
    DATETIME_WITH_YEAR,
    DEFAULT_LANGUAGE,
    N_,
    format_datetime,
    format_list,
    format_number,
    translation,
)

STAMP_DATETIME = "d MMM y, HH:mm"  # each end of the window in the stamp: no weekday
ALL_STATES = N_("all states")
NO_STATES = N_("no states")
TRUSTED = N_("disputed and single-source records left out")
ACTOR = N_("actor contains “{actor}”")
SUB_EVENTS = N_("sub-event types: {types}")
MIN_KILLED = N_("at least {n} killed")


def window_label(page: PageView, lang: str | None = None, pattern: str = DATETIME_WITH_YEAR) -> str:
    """ "Sun 22 Feb 2026, 06:00 to Mon 23 Feb 2026, 00:00, Mexico City time" (or Spanish);
    `lang`: else the view's language, else English; `pattern`: the CLDR pattern of each
    end (pngcard's cards and the stamp drop the weekday)."""
    lang = lang or page.lang or DEFAULT_LANGUAGE
    start, end = (
        format_datetime(t.astimezone(MEXICO_CITY), lang, pattern)
        for t in (page.view.start, page.view.end)
    )
    return (
        translation(lang).gettext("{start} to {end}, Mexico City time").format(start=start, end=end)
    )


def view_description(page: PageView, lang: str | None = None) -> str:
    """The view in words, parts joined by "; ": its window (Mexico City time, no
    weekday; "del 22 feb 2026, 18:00 al 23 feb 2026, 06:00, hora de la Ciudad de
    México"), its states by name (INEGI names, model.mexico; "all states" when the view does
    not choose), then only the filters it sets: event types by label, the trust filter, the
    analyst's actor, sub-event types and least deaths. `lang`: else the view's, else
    English. Never the raw query string."""
    lang = lang or page.lang or DEFAULT_LANGUAGE
    t = translation(lang)
    view = page.view
    when = window_label(page, lang, STAMP_DATETIME)
    parts = [when[:1].lower() + when[1:]]  # "Del …" mid-sentence: "del …"
    if view.states is None:
        parts.append(t.gettext(ALL_STATES))
    else:
        names = sorted(BY_CODE[c].name for c in view.states if c in BY_CODE)
        parts.append(format_list(names, lang) or t.gettext(NO_STATES))
    if view.event_types is not None:
        parts.append(format_list(sorted(event_type_label(k, lang) for k in view.event_types), lang))
    if view.trusted:
        parts.append(t.gettext(TRUSTED))
    if view.actor:
        parts.append(t.gettext(ACTOR).format(actor=view.actor))
    if view.sub_event_types:
        parts.append(
            t.gettext(SUB_EVENTS).format(types=format_list(sorted(view.sub_event_types), lang))
        )
    if view.min_fatalities:
        parts.append(t.gettext(MIN_KILLED).format(n=format_number(view.min_fatalities, lang)))
    return "; ".join(parts)
