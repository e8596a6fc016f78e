"""The page's words about a view: the key figures' labels and the notes under them, the
official figures' line, the counting rule, the map's captions and accessible title, the
time slider's stops, why a view is empty, and what an empty table cell shows.

Pure: text in the view's language, Markdown escaped where it carries data; the page
(dashboard/web/) only shows it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import pandas as pd

from dashboard.analysis.filters import ViewSpec, possible_mask, replay_step_ms, window_step
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import KeyFigures
from dashboard.ingest.acled import spanish_name
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.schema import NON_INCIDENT_TYPES
from dashboard.model.timing import window_ends_text
from dashboard.render.snapshot import title as snapshot_title
from dashboard.render.symbols import StateClasses
from dashboard.render.timing_text import longer_spans
from dashboard.text.escape import escape_markdown, link
from dashboard.text.i18n import (
    N_,
    SHORT_DATETIME,
    format_datetime,
    format_list,
    format_number,
    translation,
)

# Empty cells of the page's data tables (st.dataframe's placeholder), never "None".
EMPTY_CELL = "—"
DAY_MS = 86_400_000  # a replay step of a day (filters.replay_step_ms)

# The lead figures, one row: the incidents the map counts in the window, then each
# official national figure (stats.NATIONAL_METRICS' keys) with the map's own count of the
# same thing beside it. (KeyFigures field, official key or None, label, what the map's
# count counts: English message ids, shown translated.) The located counts are of the
# records known to be in the window (filters' counting rule).
KEY_FIGURES: tuple[tuple[str, str | None, str, str], ...] = (
    (
        "incidents",
        None,
        N_("Incidents in this window"),
        N_(
            "Reported incidents with a place (a site, a town or only the state) whose time "
            "lies inside the window; official statements are not counted."
        ),
    ),
    (
        "blockades",
        "blockades",
        N_("Road blockades (official)"),
        N_(
            "Under it, the map's own count: road blockades in the located records inside "
            "the window (a municipal tally counts as reported), whatever the hour of the "
            "official figure; the per-state table compares them at that hour. The federal "
            "count was never published by place."
        ),
    ),
    (
        "states_affected",
        "states_affected",
        N_("States with blockades (official)"),
        N_(
            "Under it, the map's own count: states with at least one road blockade in the "
            "located records inside the window."
        ),
    ),
    (
        "fatalities",
        "fatalities",
        N_("Deaths (official)"),
        N_(
            "Under it, the map's own count: deaths reported in the located records inside "
            "the window, before or after the official figure was given."
        ),
    ),
    (
        "arrests",
        "arrests",
        N_("Arrests (official)"),
        N_(
            "Under it, the map's own count: arrests reported in the located records inside "
            "the window, before or after the official figure was given."
        ),
    ),
)


# An official figure's label when the view names states: the figure stays national (no
# federal figure was published by state), and the label says so beside the states' count.
NATIONWIDE_LABELS: dict[str, str] = {
    "blockades": N_("Road blockades (official, nationwide)"),
    "states_affected": N_("States with blockades (official, nationwide)"),
    "fatalities": N_("Deaths (official, nationwide)"),
    "arrests": N_("Arrests (official, nationwide)"),
}


def lead_label(name: str, label: str, states_chosen: bool, lang: str) -> str:
    """A lead figure's label in `lang`: KEY_FIGURES' `label`, or, for an official figure of
    a view that names states, NATIONWIDE_LABELS' (the figure counts all of Mexico)."""
    chosen = NATIONWIDE_LABELS.get(name) if states_chosen else None
    return translation(lang).gettext(chosen or label)


def lead_figure(
    name: str, official_key: str | None, figures: KeyFigures, official: dict, lang: str
) -> tuple[str, str | None, str]:
    """One lead figure as the page shows it: (value, the line under it, help). An official
    figure's value is the official one ("—" before any was given), with the map's own
    count under it ("137 on the map"); the incidents' value is the map's, with the
    incidents only possibly in the window under it ("+17 possible")."""
    t = translation(lang)
    located = getattr(figures, name)
    label, help_text = next((x[2], x[3]) for x in KEY_FIGURES if x[0] == name)
    if official_key is None:
        under = (
            t.ngettext("+{n} possible", "+{n} possible", figures.possible).format(
                n=format_number(figures.possible, lang)
            )
            if figures.possible
            else None
        )
        return format_number(located, lang), under, t.gettext(help_text)
    under = t.ngettext("{n} on the map", "{n} on the map", located).format(
        n=format_number(located, lang)
    )
    figure = official.get(official_key)
    if figure is None:
        shown = "—"
        said = t.gettext("No official figure had been given by the window's end.")
    else:
        shown = format_number(figure.value, lang)
        said = official_help(figure, lang)
    return shown, under, said + " " + t.gettext(help_text)


# A reader's file's key figures: its own counts only (the official figures are the bundled
# event's, compared with the bundled data alone).
FILE_FIGURES: dict[str, tuple[str, str]] = {
    "blockades": (
        N_("Road blockades"),
        N_("Road blockades in your file's records inside the window."),
    ),
    "states_affected": (
        N_("States with blockades"),
        N_("States with at least one road blockade in your file's records inside the window."),
    ),
    "fatalities": (N_("Deaths"), N_("Deaths reported in your file's records inside the window.")),
    "arrests": (N_("Arrests"), N_("Arrests reported in your file's records inside the window.")),
}


def file_figure(
    name: str, figures: KeyFigures, lang: str, carried: frozenset[str] | None = None
) -> tuple[str, str, str | None, str]:
    """One lead figure of a reader's file: (label, value, the line under it, help); the
    file's own count, never an official figure (those are the bundled event's). A figure
    not in `carried` (stats.carried_figures of the whole file; None: all) reads "not in
    this file", not 0."""
    t = translation(lang)
    if name == "incidents":
        value, under, help_text = lead_figure(name, None, figures, {}, lang)
        return t.gettext(KEY_FIGURES[0][2]), value, under, help_text
    label, help_text = FILE_FIGURES[name]
    if carried is not None and name not in carried:
        return (
            t.gettext(label),
            t.gettext("not in this file"),
            None,
            t.gettext(
                "No record of your file gives this figure, so it is not counted (0 would "
                "read as a count)."
            ),
        )
    return t.gettext(label), format_number(getattr(figures, name), lang), None, t.gettext(help_text)


def official_noun(t, name: str, value: int) -> str:
    """How an official national figure is named in the line under the key figures."""
    if name == "blockades":
        return t.ngettext("blockade", "blockades", value)
    if name == "states_affected":
        return t.ngettext("state", "states", value)
    if name == "fatalities":
        return t.ngettext("death", "deaths", value)
    return t.ngettext("arrest", "arrests", value)


def official_line(official: dict, states_filtered: bool, lang: str = "en") -> str:
    """ "Official national figures: 252 blockades and 20 states (Gabinete de Seguridad,
    22 Feb 20:00, source) · 62 deaths and 70 arrests (…)": grouped by who gave them when."""
    t = translation(lang)
    groups: dict[tuple[str, str, str], list[str]] = {}
    for name, figure in official.items():
        key = (figure.reported_by, figure.when, figure.source_url)
        groups.setdefault(key, []).append(
            f"**{format_number(figure.value, lang)}** {official_noun(t, name, figure.value)}"
            + (" " + t.gettext("(disputed)") if figure.disputed else "")
        )
    parts = [
        t.gettext("{figures} ({by}, {when}, {source})").format(
            figures=t.gettext(" and ").join(values),
            by=escape_markdown(by),
            when=escape_markdown(when),
            source=link(url, t.gettext("source")),
        )
        for (by, when, url), values in groups.items()
    ]
    if states_filtered:
        head = t.gettext(
            "Official figures (all of Mexico, not only the states chosen, latest by the "
            "window's end):"
        )
    else:
        head = t.gettext("Official figures (national, latest by the window's end):")
    return head + " " + " · ".join(parts) + "."


def official_sources(official: dict, lang: str = "en") -> str:
    """ "Official figures given by Gabinete de Seguridad, 22 Feb 20:00 (source) · Omar
    García Harfuch (SSPC), 23 Feb 08:00 (source)." in `lang`: who gave the official
    figures (stats.national_figures), when, with a link each; once per report."""
    t = translation(lang)
    reports: dict[tuple[str, str], list[str]] = {}
    for figure in official.values():
        urls = reports.setdefault((figure.reported_by, figure.when), [])
        if figure.source_url not in urls:
            urls.append(figure.source_url)
    return t.gettext("Official figures given by {reports}.").format(
        reports=" · ".join(
            f"{escape_markdown(by)}, {escape_markdown(when)} ("
            + ", ".join(link(url, t.gettext("source")) for url in urls)
            + ")"
            for (by, when), urls in reports.items()
        )
    )


def analyst_filters(view: ViewSpec, lang: str = "en", *, trust: bool = True) -> list[str]:
    """The analyst's filters `view` sets, one phrase each in `lang` (plain text, not
    escaped): the actor (ViewSpec.actor), the ACLED sub-event types (up to two by name, in
    Spanish for "es": acled.spanish_name; else a count), the least number of deaths and,
    with `trust`, the trust filter (ViewSpec.trusted). Each changes every figure, so
    every statement of what is filtered names it. [] when none is set."""
    t = translation(lang)
    parts = []
    if view.actor:
        parts.append(t.gettext("actor “{actor}”").format(actor=view.actor))
    subs = view.sub_event_types
    if subs is not None and len(subs) <= 2:
        names = sorted(spanish_name(s) if lang == "es" else s for s in subs)
        parts.append(format_list(names, lang))
    elif subs is not None:
        parts.append(
            t.ngettext("{n} sub-event type", "{n} sub-event types", len(subs)).format(
                n=format_number(len(subs), lang)
            )
        )
    if view.min_fatalities:
        parts.append(
            t.ngettext("at least {n} death", "at least {n} deaths", view.min_fatalities).format(
                n=format_number(view.min_fatalities, lang)
            )
        )
    if trust and view.trusted:
        parts.append(t.gettext("disputed and single-source records left out"))
    return parts


def window_line(view: ViewSpec, lang: str = "en", years: bool = False) -> str:
    """ "Window: Sun 22 Feb 00:00 to Tue 24 Feb 00:00, Mexico City time." in `lang`; with
    the years ("Sat 1 Mar 2025 00:00 to Sun 1 Mar 2026 00:00") when the window is not
    within 2026 (a reader's file of another year, or a year long: one day and month of two
    years would read as a window of no length), or with `years` (the data spans more than
    one year: timing.spans_years)."""
    start, end = window_ends_text(view.start, view.end, lang, years=years)
    return (
        translation(lang)
        .gettext("Window: {start} to {end}, Mexico City time.")
        .format(start=start, end=end)
    )


def official_help(figure, lang: str = "en") -> str:
    """An official figure's tooltip: who gave it and when."""
    t = translation(lang)
    return t.gettext("{by}, {when} (Mexico City time)").format(
        by=figure.reported_by, when=figure.when
    ) + (" " + t.gettext("(disputed)") if figure.disputed else "")


def why_they_differ(official: dict, lang: str = "en") -> str:
    """One line on why the map's counts differ from the official figures beside them
    (what each counts), or "" when there is no official figure to compare."""
    if not official:
        return ""
    return translation(lang).gettext(
        "Why the map's counts differ from the official ones: the authorities counted every "
        "blockade and death in the country at one moment and gave no places; the map counts "
        "the reports with a place whose time lies inside the window, before or after that "
        "moment, and a state's tally that a source gave as one figure is one record."
    )


def above_official(figures: KeyFigures, official: dict, lang: str = "en") -> str:
    """A sentence for each lead figure whose count on the map exceeds the official one,
    saying why it can ("" when none does): the map counts the whole window, the official
    figure was given at one moment."""
    t = translation(lang)
    out = []
    for name, key, label, _ in KEY_FIGURES:
        figure = official.get(key) if key else None
        located = getattr(figures, name)
        if figure is not None and located > figure.value:
            out.append(
                t.gettext(
                    "{label}: the map's {located} exceed the official {value}, given "
                    "{when}: the map counts every located report inside the window, also "
                    "those after that moment and those a state or a city reported."
                ).format(
                    label=t.gettext(label),
                    located=format_number(located, lang),
                    value=format_number(figure.value, lang),
                    when=figure.when,
                )
            )
    return " ".join(out)


def counting_rule(lang: str = "en", bundled: bool = True) -> str:
    """The counting rule (filters' module docstring; README "How the map counts") for
    readers, in `lang`, with one worked example. `bundled` False (a reader's file is
    shown): the rule without what only the bundled data has (nothing before the raid's
    morning of 22 February), and an example of any file's dates."""
    t = translation(lang)
    if not bundled:
        return "\n\n".join(
            [
                t.gettext(
                    "Each record covers the time its file gives: a minute, an hour, a part "
                    "of the day, only the day, or (ACLED) only the week or the month."
                ),
                t.gettext(
                    "A report whose whole time lies inside the window is **counted**. One "
                    "whose time only overlaps the window is **possibly** in it: drawn dashed "
                    'on the map, listed as "possibly", named beside the figures, never '
                    "counted."
                ),
                t.gettext(
                    "Example: a record known only to its month is counted in a window that "
                    "holds the whole month; in a window of one day of that month it is only "
                    "possible."
                ),
            ]
        )
    return "\n\n".join(
        [
            t.gettext(
                "Each report covers the time its source gives: a minute, an hour, a part of "
                "the day or only the day. Nothing reacted to the raid before it began, so "
                "no report starts before the morning of 22 February (06:00 Mexico City "
                "time)."
            ),
            t.gettext(
                "A report whose whole time lies inside the window is **counted**. One whose "
                "time only overlaps the window is **possibly** in it: drawn dashed on the "
                'map, listed as "possibly", named beside the figures, never counted.'
            ),
            t.gettext(
                'Example: a burning reported only as "22 February" covers 06:00 to '
                "midnight that day. In the window 22 Feb 00:00 to 23 Feb 00:00 it is "
                "counted; in the hour 14:00 to 15:00 it is only possible; before 06:00 it "
                "is not shown."
            ),
        ]
    )


def figure_notes(figures: KeyFigures, lang: str = "en") -> str:
    """What the key figures hold that a reader should know (how many are known only to
    the day, how many are disputed), shown under the map; "" when nothing."""
    t = translation(lang)
    notes = []
    if figures.uncertain_timing:  # "0 of the 3 incidents are known only to the day" says nothing
        notes.append(
            t.ngettext(
                "{uncertain} of the {n} incident counted is known only to the day or part "
                "of the day, which lies wholly inside the window.",
                "{uncertain} of the {n} incidents counted are known only to the day or part "
                "of the day, which lies wholly inside the window.",
                figures.incidents,
            ).format(
                uncertain=format_number(figures.uncertain_timing, lang),
                n=format_number(figures.incidents, lang),
            )
        )
    notes += longer_spans(figures, lang)
    if figures.disputed:
        notes.append(
            t.ngettext(
                "{n} incident has figures that sources disagree on.",
                "{n} incidents have figures that sources disagree on.",
                figures.disputed,
            ).format(n=format_number(figures.disputed, lang))
        )
    return " ".join(notes)


def map_counts(selected: pd.DataFrame) -> tuple[int, int, int]:
    """(incidents drawn as points, official statements drawn, incidents known only to
    their state and known to be in the window) of the records in view (filters.apply):
    what the caption under the map counts. Points are drawn whether known or possibly in
    the window (dashed); a state-level record only possibly there is listed, not counted."""
    placed = (selected["geo_precision"] < 3).to_numpy()
    incident = (~selected["event_type"].isin(NON_INCIDENT_TYPES)).to_numpy()
    inside = ~possible_mask(selected)
    return (
        int((placed & incident).sum()),
        int((placed & ~incident).sum()),
        int((~placed & incident & inside).sum()),
    )


def deck_text(lang: str = "en", span: tuple[datetime, datetime] | None = None) -> str:
    """The one-line deck under the page's title, in `lang`: the bundled event's ("Lo
    reportado hora a hora desde el 22 feb 2026") or, with `span` (a reader's file's first
    and last moment, aware datetimes), the file's own range and the slider's step
    (filters.window_step): "Tu archivo: 1 mar 2025 a 27 feb 2026, día por día"; the
    years per timing.window_ends_text."""
    t = translation(lang)
    if span is None:
        return t.gettext("Reported hour by hour since 22 February 2026")
    first, last = span
    start, end = window_ends_text(first, last, lang, "d MMM")
    if window_step(first, last).days > 0:
        text = t.gettext("Your file: {start} to {end}, day by day")
    else:
        text = t.gettext("Your file: {start} to {end}, hour by hour")
    return text.format(start=start, end=end)


def shading_caption(classes: StateClasses, lang: str = "en") -> str:
    """The state shading's classes in words, in `lang`: "States are shaded by their
    incidents in the window: 1–2, 3–5, 6–10, 11–25 or 26 or more." When the classes are
    scaled to a view with large counts (symbols.state_classes: a year of an analyst's
    file), the sentence says so and names the largest state count they were chosen for."""
    t = translation(lang)
    classes_text = format_list(classes.labels(lang), lang)
    if classes.scale == 1:
        return t.gettext(
            "States are shaded by their incidents in the window, in five classes: {classes}."
        ).format(classes=classes_text)
    return t.gettext(
        "States are shaded by their incidents in the window, in five classes scaled to the "
        "largest state count in view ({largest}): {classes}."
    ).format(classes=classes_text, largest=format_number(classes.largest, lang))


def map_captions(
    mode: str,
    drawn_points: int,
    counts: tuple[int, int, int],
    lang: str = "en",
    view: ViewSpec | None = None,
) -> list[str]:
    """The captions under the map: what it draws (mapview.MapLayers' `mode` and
    `drawn_points`, the area markers in mode "cells", and map_counts' `counts`), how to
    read its symbols and replay the `view` (hour by hour, or day by day for a long
    window: filters.replay_step_ms), and the incidents known only to their state."""
    t = translation(lang)
    by_day = view is not None and replay_step_ms(view) >= DAY_MS
    points, statements, state_level = counts
    if mode == "cells":  # drawn_points counts the area markers; each stands for records
        drawn_text = t.ngettext(
            "{records} located record is drawn as {n} grouped area marker at this scale; "
            "a marker's number and tooltip give the records it stands for.",
            "{records} located records are drawn as {n} grouped area markers at this scale; "
            "a marker's number and tooltip give the records it stands for.",
            points + statements,
        ).format(
            records=format_number(points + statements, lang), n=format_number(drawn_points, lang)
        )
    else:  # the key figures count incidents: statements are told apart
        drawn_text = t.ngettext(
            "{n} incident point drawn.", "{n} incident points drawn.", points
        ).format(n=format_number(points, lang))
        if statements:
            drawn_text += " " + t.ngettext(
                "{n} official statement is marked as well.",
                "{n} official statements are marked as well.",
                statements,
            ).format(n=format_number(statements, lang))
    # The drawn text leads either way (a day-stepped replay dropped it: tester 11a #3).
    captions = [
        drawn_text
        + " "
        + (
            t.gettext(
                "Small symbols: an estimated exact site; large: town or municipality. "
                "Press ▶ on the map to replay the window hour by hour. Basemap © "
                "OpenStreetMap contributors; boundaries: Natural Earth."
            )
            if not by_day
            else t.gettext(
                "Small symbols: an estimated exact site; large: town or municipality. "
                "Press ▶ on the map to replay the window day by day. Basemap © OpenStreetMap "
                "contributors; boundaries: Natural Earth."
            )
        )
    ]
    if state_level:
        captions.append(
            t.ngettext(
                "{n} more incident is known only to its state: it counts in the figures "
                "above and is listed in the table below, not drawn as a point.",
                "{n} more incidents are known only to their state: they count in the figures "
                "above and are listed in the table below, not drawn as points.",
                state_level,
            ).format(n=format_number(state_level, lang))
        )
    return captions


def map_title(page: PageView, listed: bool = True, lang: str = "en") -> str:
    """The map frame's accessible name: what it shows, when, and where else to read it."""
    t = translation(lang)
    start, end = window_ends_text(page.view.start, page.view.end, lang)
    text = t.gettext("Map: {title}, {start} to {end} Mexico City time.").format(
        title=snapshot_title(page, lang), start=start, end=end
    )
    return text + (
        " " + t.gettext("Every incident is also listed in the table under the map.")
        if listed
        else ""
    )


def empty_reason(page: PageView, lang: str = "en") -> str | None:
    """Why a view selects nothing by its filters (no state, no event type), or None."""
    t = translation(lang)
    if page.view.states is not None and not page.view.states:
        return t.gettext(
            "No state selected. Pick states in the sidebar, tick **All states**, "
            "or click a state on the map."
        )
    if page.view.event_types is not None and not page.view.event_types:
        return t.gettext(
            "No event type selected. Pick types in the sidebar or press **Reset filters**."
        )
    return None


@lru_cache(maxsize=8)
def slider_hours(
    first: datetime, last: datetime, step: timedelta = timedelta(hours=1)
) -> tuple[datetime, ...]:
    """Every whole hour (or every `step`: a day for a long file, filters.window_step)
    from `first` to `last` inclusive (naive Mexico City time): the time slider's stops,
    made once per data window."""
    stops = int((last - first) / step)
    return tuple(first + step * k for k in range(stops + 1))


def slider_label(hour: datetime, lang: str = "en", by_day: bool = False) -> str:
    """A slider stop as the reader's language writes it, by Babel: "dom 22 feb, 14:00" /
    "Sun 22 Feb, 14:00" (`hour` naive Mexico City time; labels are cached in i18n); with
    `by_day` (a slider stepped by days) the day and year: "22 feb 2026" / "22 Feb 2026"."""
    if by_day:
        return format_datetime(hour.replace(tzinfo=MEXICO_CITY), lang, "d MMM y")
    return format_datetime(hour.replace(tzinfo=MEXICO_CITY), lang, SHORT_DATETIME)


def day_label(day: tuple[datetime, datetime], lang: str = "en") -> str:
    """ "dom 22 feb" / "Sun 22 Feb", with the hours when the day is cut ("06–24 h"); a
    month's quick choice (filters.event_days over a long file) is "mar 2025" / "Mar 2025"."""
    start, end = day
    if end - start > timedelta(days=1):
        return format_datetime(start.replace(tzinfo=MEXICO_CITY), lang, "LLL y")
    label = format_datetime(start.replace(tzinfo=MEXICO_CITY), lang, "EEE d MMM")
    if start.hour or (end - start) < timedelta(days=1):
        label += f" {start:%H}–{'24' if end.hour == 0 else format(end, '%H')} h"
    return label
