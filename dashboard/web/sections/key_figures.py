"""The key figures ("cifras clave"): the official national figures first, each with who
gave it and when, then the map's located figures beside them, what makes them differ, and
the counting rule. Sent before the map, in page order: filling the figures in above a map
already drawn would make the page shift as it loads."""

from __future__ import annotations

import streamlit as st

from dashboard.analysis.filters import ViewSpec, in_view
from dashboard.analysis.stats import carried_figures, national_figures
from dashboard.render.captions import (
    KEY_FIGURES,
    above_official,
    analyst_filters,
    counting_rule,
    file_figure,
    lead_figure,
    lead_label,
    official_line,
    official_sources,
    why_they_differ,
    window_line,
)
from dashboard.render.snapshot import possible_sentence
from dashboard.text.escape import escape_markdown
from dashboard.text.i18n import format_list, format_number, translation
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


def key_figures(data: PageData, shown: Shown, lang: str = "en") -> dict:
    """One row of lead figures: the incidents the map counts in the window, then each
    official national figure given by the window's end with the map's own count of the
    same thing under it; then the window and who gave the official figures, when, with
    links. What they count and why they differ is under the map (figure_explanations):
    on a phone the map comes first. Returns the official figures shown (stats.national_figures),
    for figure_explanations."""
    t = translation(lang)
    figures = shown.figures
    if data.from_file:  # the official figures are compared with the bundled data only
        carried = carried_figures(data.incidents)  # blockades, arrests: not in an ACLED file
        for column, (name, *_) in zip(st.columns(len(KEY_FIGURES)), KEY_FIGURES, strict=True):
            label, value, under, help_text = file_figure(name, figures, lang, carried)
            column.metric(
                label, value, delta=under, delta_color="off", delta_arrow="off", help=help_text
            )
        official = {}
        said = t.gettext(
            "Your file's own counts. The official figures of the Tapalpa events are compared "
            "with the bundled data only."
        )
    else:
        official = view_official(data, shown.view, lang, shown.same_rows)
        for column, (name, key, label, _) in zip(
            st.columns(len(KEY_FIGURES)), KEY_FIGURES, strict=True
        ):
            value, under, help_text = lead_figure(name, key, figures, official, lang)
            column.metric(
                lead_label(name, label, bool(shown.view.states), lang),
                value,
                delta=under,
                delta_color="off",
                delta_arrow="off",
                help=help_text,
            )
        if official:
            said = official_sources(official, lang)
        else:
            said = t.gettext("No official national figure had been given by the window's end.")
    if shown.view.trusted:  # the trust filter (filters.trusted_mask), said with the figures
        every = in_view(shown.view.with_changes(trusted=False), data.incidents)
        left_out = int(every.sum()) - len(shown.selected)
        said += " " + t.ngettext(
            "{n} disputed or single-source record of this view is left out of every figure, "
            "the map and the lists.",
            "{n} disputed or single-source records of this view are left out of every "
            "figure, the map and the lists.",
            left_out,
        ).format(n=format_number(left_out, lang))
    applied = analyst_filters(shown.view, lang, trust=False)  # the trust filter: just above
    if applied:  # an actor is the reader's own text: escaped
        said = (
            escape_markdown(
                t.gettext("Filtered: {filters}.").format(filters=format_list(applied, lang))
            )
            + " "
            + said
        )
    st.caption(window_line(shown.view, lang, data.spans_years) + " " + said, unsafe_allow_html=True)
    return official


def figure_explanations(
    shown: Shown, official: dict, lang: str = "en", bundled: bool = True
) -> None:
    """Under the map: the official figures in words, with who gave them, when and a link;
    a sentence wherever the map counts more than an official figure; and, closed, why the
    two differ and the counting rule (`bundled` False: a reader's file is shown, the rule
    without the bundled event's own dates: captions.counting_rule)."""
    t = translation(lang)
    figures = shown.figures
    lines = [official_line(official, shown.view.states is not None, lang)] if official else []
    lines.append(above_official(figures, official, lang))
    if any(lines):
        st.caption(" ".join(filter(None, lines)), unsafe_allow_html=True)
    with st.expander(t.gettext("How the map counts")):
        st.markdown(
            "\n\n".join(
                filter(
                    None,
                    [
                        possible_sentence(figures.possible, lang),
                        why_they_differ(official, lang),
                        counting_rule(lang, bundled),
                    ],
                )
            )
        )
