"""The key figures ("cifras clave"): the official national figures first, each with who
gave it and when, then the map's located figures beside them, what makes them differ, and
the counting rule. Sent before the map, in page order: filling the figures in above a map
already drawn would make the page shift as it loads."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.stats import national_figures
from dashboard.render.captions import (
    KEY_FIGURES,
    OFFICIAL_FIGURES,
    counting_rule,
    official_help,
    official_line,
    why_they_differ,
)
from dashboard.render.snapshot import possible_sentence
from dashboard.text.i18n import format_number, translation
from dashboard.web.data import PageData
from dashboard.web.view_cache import Kept, Shown, per_view


def view_official(data: PageData, view: ViewSpec, lang: str, kept: Kept) -> dict:
    """The official national figures given by the window's end (stats.national_figures),
    once per set of reports known then (`kept`: rows_kept holds their number)."""
    return per_view(
        "official",
        kept,
        lambda: (
            data.timeline.national(view.end, lang)
            if data.timeline is not None
            else national_figures(data.bundle.official, view, lang)
        ),
    )


def official_metrics(official: dict, lang: str = "en") -> None:
    """The official national figures known by the window's end (stats.national_figures),
    first on the page, each labelled with who gave it and when; nothing when none."""
    t = translation(lang)
    shown = [(name, label) for name, label in OFFICIAL_FIGURES if name in official]
    if not shown:
        return
    for column, (name, label) in zip(st.columns(len(shown)), shown, strict=True):
        figure = official[name]
        column.metric(
            t.gettext(label),
            format_number(figure.value, lang),
            help=official_help(figure, lang),
        )


def key_figures(data: PageData, shown: Shown, lang: str = "en") -> None:
    """The official national figures, then the map's located figures of the view (the
    notes on what they count are under the map: on a phone the map comes first)."""
    t = translation(lang)
    figures = shown.figures
    official = view_official(data, shown.view, lang, shown.same_rows)
    if official:
        official_metrics(official, lang)
        st.caption(
            official_line(official, shown.view.states is not None, lang), unsafe_allow_html=True
        )
    else:
        st.caption(t.gettext("No official national figure had been given by the window's end."))
    columns = st.columns(len(KEY_FIGURES))
    for column, (name, label, help_text) in zip(columns, KEY_FIGURES, strict=True):
        column.metric(
            t.gettext(label),
            format_number(getattr(figures, name), lang),
            help=t.gettext(help_text),
        )
    lead = [possible_sentence(figures.possible, lang), why_they_differ(official, lang)]
    if any(lead):
        st.caption(" ".join(filter(None, lead)))
    with st.expander(t.gettext("How the map counts")):
        st.markdown(counting_rule(lang))
