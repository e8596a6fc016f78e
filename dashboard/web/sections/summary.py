"""Under the map: the view in one paragraph of words ("resumen"; snapshot.alt_text, the
same text as the share panel's alt text), visible to every reader and the map frame's
accessible description (page.js points the frame's aria-describedby at it); and one line
saying what is filtered, with a button that opens the filters (on a phone the sidebar is
closed: this line is the one tap to them)."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.permalink import PageView
from dashboard.model.mexico import BY_CODE
from dashboard.model.schema import event_type_label
from dashboard.render.captions import analyst_filters, window_line
from dashboard.text.escape import escape_text
from dashboard.text.i18n import format_list, translation
from dashboard.web.sections.share import view_alt_text
from dashboard.web.view_cache import Shown

SUMMARY_ID = "tim-map-summary"  # page.js: the map frame's aria-describedby


def filter_line(page: PageView, lang: str = "en", years: bool = False) -> str:
    """What the view filters, in words: "Filters: Jalisco · Road blockade · Window: …"
    (states by name, up to three, then a count; event types likewise; every analyst
    filter set: captions.analyst_filters; the window, `years`: with its years). Plain
    text, not escaped."""
    t = translation(lang)
    states = page.view.states
    if states is None:
        where = t.gettext("all states")
    elif len(states) <= 3:
        where = format_list(sorted(BY_CODE[c].name for c in states), lang)
    else:
        where = t.ngettext("{n} state", "{n} states", len(states)).format(n=len(states))
    types = page.view.event_types
    if types is None:
        what = t.gettext("all event types")
    elif len(types) <= 2:
        what = format_list(sorted(event_type_label(k, lang) for k in types), lang)
    else:
        what = t.ngettext("{n} event type", "{n} event types", len(types)).format(n=len(types))
    what = " · ".join([what, *analyst_filters(page.view, lang)])
    return t.gettext("Filters: {states} · {types} · {window}").format(
        states=where, types=what, window=window_line(page.view, lang, years)
    )


def map_summary(shown: Shown, lang: str = "en", years: bool = False) -> None:
    """The filter line with its button (`years`: PageData.spans_years), then the view's
    summary paragraph."""
    t = translation(lang)
    button = escape_text(t.gettext("Change filters"))
    st.html(
        '<div class="tim-filter-line">'
        f"<span>{escape_text(filter_line(shown.page, lang, years))}</span> "
        f'<button type="button" class="tim-open-filters" data-tim-open-filters>{button}</button>'
        "</div>"
        f'<p id="{SUMMARY_ID}" class="tim-summary">'
        + escape_text(view_alt_text(shown.page, shown.selection, lang, shown.kept, shown.same_rows))
        + "</p>"
    )
