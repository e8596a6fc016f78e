"""What a view selects, and the paragraph that says it in words: the records of a view
(its window and filters, filters.apply) with their per-state counts, and the text a screen
reader reads in place of the map (the PNG's and HTML snapshot's description, the share
panel's alt text, the published pages' summary)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd

from dashboard.analysis.filters import apply
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import KeyFigures, key_figures, state_counts
from dashboard.ingest.bundle import Bundle
from dashboard.model.schema import event_type_label
from dashboard.model.timing import window_ends_text
from dashboard.render.timing_text import longer_spans
from dashboard.text.i18n import (
    DEFAULT_LANGUAGE,
    SHORT_DATETIME,
    format_list,
    format_number,
    translation,
)


@dataclass(frozen=True)
class Selection:
    selected: pd.DataFrame
    counts: pd.DataFrame


def select(bundle: Bundle, page: PageView) -> Selection:
    selected = apply(page.view, bundle.incidents)
    return Selection(
        selected,
        state_counts(selected, bundle.official, page.view, lang=page.lang or DEFAULT_LANGUAGE),
    )


def language(page: PageView, lang: str | None = None) -> str:
    """The language a snapshot is written in: `lang`, else the view's, else English."""
    return lang or page.lang or DEFAULT_LANGUAGE


def possible_sentence(n: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "18 more may have happened in this window: their time is known only to the day or
    part of the day." in `lang`, for `n` incidents only possibly in a window (filters'
    counting rule); "" for none."""
    if not n:
        return ""
    return (
        translation(lang)
        .ngettext(
            "{n} more may have happened in this window: its time is known only to the day "
            "or part of the day, so it is not counted.",
            "{n} more may have happened in this window: their time is known only to the "
            "day or part of the day, so they are not counted.",
            n,
        )
        .format(n=format_number(n, lang))
    )


def alt_text(
    page: PageView,
    selection: Selection,
    lang: str | None = None,
    figures: KeyFigures | None = None,
) -> str:
    """One paragraph a screen reader can read in place of the map, in the view's language.

    Says the window (Mexico City time), how many incidents are known to have happened in
    it (filters' counting rule) in how many states, the three leading states with their
    counts, how many are known only to the day or part of the day, how many more only
    possibly happened in it, and the event types when the view filters them. `figures`:
    stats.key_figures of `selection.selected` when already made.
    """
    lang = language(page, lang)
    t = translation(lang)
    number = partial(format_number, lang=lang)
    start, end = window_ends_text(page.view.start, page.view.end, lang, SHORT_DATETIME)
    when = t.gettext("Between {start} and {end} Mexico City time").format(start=start, end=end)
    figures = key_figures(selection.selected) if figures is None else figures
    selected_states = page.view.states
    possible = possible_sentence(figures.possible, lang)
    if figures.incidents == 0:
        if figures.possible:
            return t.ngettext(
                "{when}, no incident is known to have happened; {n} may have: its time is "
                "known only to the day or part of the day.",
                "{when}, no incident is known to have happened; {n} may have: their time is "
                "known only to the day or part of the day.",
                figures.possible,
            ).format(when=when, n=number(figures.possible))
        if selected_states is None:
            return t.gettext("{when}, no incidents were reported.").format(when=when)
        return t.gettext("{when}, no incidents were reported in the selected states.").format(
            when=when
        )
    top = selection.counts[selection.counts["incidents"] > 0].sort_values(
        ["incidents", "state"], ascending=[False, True]
    )
    n, states = figures.incidents, len(top)
    values = {
        "when": when,
        "count": number(n),
        "states": number(states),
        "selected": number(len(selected_states or ())),
        "state": top["state"].iloc[0],
    }
    if states == 1:
        text = t.ngettext(
            "{when}, {count} incident was reported, in {state}.",
            "{when}, {count} incidents were reported, all in {state}.",
            n,
        )
    elif selected_states is None:
        text = t.ngettext(
            "{when}, {count} incident was reported in {states} states.",
            "{when}, {count} incidents were reported in {states} states.",
            n,
        )
    elif states == len(selected_states):
        text = t.ngettext(
            "{when}, {count} incident was reported in the {states} selected states.",
            "{when}, {count} incidents were reported in the {states} selected states.",
            n,
        )
    else:
        text = t.ngettext(
            "{when}, {count} incident was reported in {states} of the {selected} selected states.",
            "{when}, {count} incidents were reported in {states} of the {selected} selected "
            "states.",
            n,
        )
    text = text.format(**values)
    leaders = _leaders(top, lang)
    if leaders and states > 1:
        text += " " + leaders
    if figures.uncertain_timing:
        text += " " + t.ngettext(
            "{uncertain} of them is known only to the day or part of the day.",
            "{uncertain} of them are known only to the day or part of the day.",
            figures.uncertain_timing,
        ).format(uncertain=number(figures.uncertain_timing))
    text = " ".join([text, *longer_spans(figures, lang), *([possible] if possible else [])])
    if page.view.event_types is not None:
        kinds = sorted(event_type_label(k, lang) for k in page.view.event_types)
        text += " " + t.gettext("Event types shown: {types}.").format(
            types=format_list(kinds, lang)
        )
    if page.view.trusted:  # the trust filter (filters.trusted_mask)
        text += " " + t.gettext(
            "Disputed and single-source records are left out of every figure, the map and "
            "the lists."
        )
    return text


def _leaders(top: pd.DataFrame, lang: str) -> str:
    """The states a reader should hear first, from `top` (state counts with incidents, most
    first): every state by name when there are at most three ("By state: Jalisco (64) and
    Michoacán (40)."); else the (up to three) states with more incidents than every state
    left out ("Most incidents: …"), none when the leaders tie with the rest: "most in
    Guanajuato (1), Jalisco (1) and Michoacán (1)" named three of many tied states as if
    they led (tester 10 #18)."""
    t = translation(lang)

    def named(rows: pd.DataFrame) -> str:
        return format_list(
            (f"{r.state} ({format_number(r.incidents, lang)})" for r in rows.itertuples()), lang
        )

    if len(top) <= 3:
        return t.gettext("By state: {leaders}.").format(leaders=named(top))
    rest = top["incidents"].iloc[3]
    ahead = top.head(3)[top.head(3)["incidents"] > rest]
    if ahead.empty:
        return ""
    return t.gettext("Most incidents: {leaders}.").format(leaders=named(ahead))
