"""The page's words, tables and share strings, built without Streamlit (render/captions,
render/share, render/state_table, and the page's charts and lists in render/charts and
render/incident_list)."""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd
import pytest

from dashboard.analysis.filters import ViewSpec, apply
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import KeyFigures, OfficialFigure, key_figures, state_counts
from dashboard.model.mexico import MEXICO_CITY
from dashboard.render.captions import (
    day_label,
    empty_reason,
    figure_notes,
    map_captions,
    map_counts,
    map_title,
    official_line,
    slider_hours,
    why_they_differ,
)
from dashboard.render.charts import hourly_markup, state_chart
from dashboard.render.incident_list import (
    choice_labels,
    incident_rows,
    state_level_entries,
    state_level_lines,
    typeable,
)
from dashboard.render.share import iframe_snippet, published_site
from dashboard.render.state_table import STATE_TABLE_COLUMNS, state_rows

WINDOW = ViewSpec(
    datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
)


def figure(value: int, by: str = "Gabinete de Seguridad", disputed: bool = False):
    return OfficialFigure("m", value, by, "22 Feb 20:00", "https://example.org/a", disputed)


def test_official_figures_given_together_share_one_source():
    official = {"blockades": figure(252), "states_affected": figure(20), "arrests": figure(1)}
    line = official_line(official, states_filtered=False)
    assert line.startswith("Official figures (national, latest by the window's end): ")
    assert "**252** blockades and **20** states and **1** arrest (Gabinete de Seguridad" in line
    assert line.count("source") == 1


def test_official_figures_say_they_are_national_when_states_are_chosen():
    line = official_line({"fatalities": figure(2, disputed=True)}, True)
    assert line.startswith("Official figures (all of Mexico, not only the states chosen")
    assert "**2** deaths (disputed) (Gabinete de Seguridad, 22 Feb 20:00, " in line


def test_why_they_differ_only_beside_an_official_figure():
    assert why_they_differ({}) == ""
    assert why_they_differ({"blockades": figure(1)}).startswith("Why the map's counts differ")


def test_figure_notes_name_day_only_and_disputed_records():
    assert figure_notes(KeyFigures(0, 0, 0, 0, 0, 0, 0)) == ""
    notes = figure_notes(KeyFigures(3, 1, 1, 0, 0, 2, 1))
    assert notes.startswith("2 of the 3 incidents counted are known only to the day")
    assert notes.endswith("1 incident has figures that sources disagree on.")
    # "0 de los 3 incidentes contados se conocen solo por el día" said nothing (tester 10 #18)
    assert figure_notes(KeyFigures(3, 1, 1, 0, 0, 0, 0), "es") == ""
    assert figure_notes(KeyFigures(1, 1, 1, 0, 0, 1, 0), "es").startswith(
        "1 del 1 incidente contado se conoce solo por el día"
    )


def test_map_captions_count_points_statements_and_state_level_records():
    points = map_captions("points", 0, (5, 1, 0))
    assert points[0].startswith("5 incident points drawn. 1 official statement is marked")
    assert len(points) == 1
    # At scale: the records the area markers stand for, and how many markers (tester 11a #3).
    cells = map_captions("cells", 59, (11_380, 6, 2), "en")
    assert cells[0].startswith(
        "11,386 located records are drawn as 59 grouped area markers at this scale; "
        "a marker's number and tooltip give the records it stands for."
    )
    spanish = map_captions("cells", 59, (11_380, 6, 2), "es")
    assert spanish[0].startswith("11,386 registros ubicados se dibujan como 59 marcadores")
    assert cells[1].startswith("2 more incidents are known only to their state")


def test_map_counts_of_the_bundled_data(bundle):
    selected = apply(WINDOW, bundle.incidents)
    points, statements, state_level = map_counts(selected)
    assert points + statements + state_level <= len(selected)
    assert points > 0 and state_level > 0


def test_an_empty_choice_says_what_to_pick():
    assert empty_reason(PageView(WINDOW)) is None
    no_states = PageView(WINDOW.with_changes(states=frozenset()))
    assert empty_reason(no_states).startswith("No state selected.")
    no_types = PageView(WINDOW.with_changes(event_types=frozenset()))
    assert empty_reason(no_types).startswith("No event type selected.")


def test_the_map_title_names_the_window_and_the_list():
    title = map_title(PageView(WINDOW))
    assert title.startswith("Map: ") and "Sun 22 Feb 00:00 to Tue 24 Feb 00:00" in title
    assert title.endswith("Every incident is also listed in the table under the map.")
    assert not map_title(PageView(WINDOW), listed=False).endswith("under the map.")


def test_slider_stops_and_day_labels():
    hours = slider_hours(datetime(2026, 2, 22, 6), datetime(2026, 2, 23, 0))
    assert len(hours) == 19 and hours[-1] == datetime(2026, 2, 23, 0)
    assert day_label((datetime(2026, 2, 22), datetime(2026, 2, 23))) == "Sun 22 Feb"
    cut = (datetime(2026, 2, 22, 6), datetime(2026, 2, 23))
    assert day_label(cut, "es") == "dom 22 feb 06–24 h"


def test_the_state_table_lists_the_view_states_most_incidents_first(bundle):
    view = WINDOW.with_changes(states=frozenset({"14", "16"}))
    counts = state_counts(apply(view, bundle.incidents), bundle.official, view)
    rows = state_rows(counts, view)
    assert list(rows.columns) == STATE_TABLE_COLUMNS
    assert set(rows["state"]) == {"Jalisco", "Michoacán"}
    assert rows["incidents"].is_monotonic_decreasing
    assert not (rows == "").any().any()  # empty text is missing: the grid's placeholder
    chart = state_chart(rows, "en")
    assert chart.startswith("<svg") and "Incidents in the window, by state" in chart


def test_no_state_chart_without_incidents():
    rows = pd.DataFrame({"state": ["Jalisco"], "incidents": [0]})
    assert state_chart(rows, "en") is None


def test_hourly_charts_are_titled_in_the_page_language(bundle):
    selected = apply(WINDOW, bundle.incidents)
    (timed, _), (overlapping, svg) = hourly_markup(selected, WINDOW, "es")
    assert svg.startswith("<svg")
    assert timed != "Reports timed to the hour or minute, by the hour they started"
    assert hourly_markup(selected.iloc[:0], WINDOW, "en") == []


def test_list_box_labels_find_names_without_accents(bundle):
    rows = incident_rows(apply(WINDOW, bundle.incidents).head(20))
    labels = choice_labels(rows)
    assert set(labels) == set(rows["incident_id"])
    assert all(" · " in label for label in labels.values())
    assert typeable("Michoacán") != "Michoacán" and typeable("Michoacán").startswith("Michoaca")


def test_state_level_lines_keep_the_order_of_the_rows(bundle):
    state_only = bundle.incidents[bundle.incidents["geo_precision"] >= 3].head(3)
    entries = state_level_entries(state_only, "en")
    reversed_rows = state_only.iloc[::-1]
    lines = state_level_lines(reversed_rows, "en", entries)
    assert lines == state_level_lines(reversed_rows, "en")
    assert lines.split("\n\n") == [entries[i] for i in reversed_rows["incident_id"]]
    assert all(line.startswith("**") for line in lines.split("\n\n"))


def test_iframe_snippets_escape_the_address():
    snippet = iframe_snippet('https://example.org/?a=1&b="x"', 600, PageView(WINDOW))
    assert 'src="https://example.org/?a=1&amp;b=&quot;x&quot;"' in snippet
    assert 'height="600"' in snippet and 'title="' in snippet


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("", None),
        ("/published", "https://example.org/published/"),
        ("https://cdn.example.mx/tapalpa/", "https://cdn.example.mx/tapalpa/"),
    ],
)
def test_the_published_copy_is_found_from_the_page_address(monkeypatch, setting, expected):
    monkeypatch.setenv("TAPALPA_PUBLISHED_URL", setting)
    assert published_site("https://example.org/map/") == expected


def test_key_figures_and_notes_agree(bundle):
    figures = key_figures(apply(WINDOW, bundle.incidents))
    notes = figure_notes(figures)
    if figures.incidents:
        assert f"of the {figures.incidents} incident" in notes


def test_each_official_figure_leads_with_the_maps_own_count_under_it():
    from dashboard.analysis.stats import KeyFigures, OfficialFigure
    from dashboard.render.captions import above_official, lead_figure

    figures = KeyFigures(
        incidents=248,
        blockades=137,
        states_affected=13,
        fatalities=24,
        arrests=134,
        uncertain_timing=0,
        disputed=0,
        possible=17,
    )
    official = {
        "arrests": OfficialFigure("arrests", 70, "SSPC", "23 Feb 08:00", "https://x.test/", False)
    }
    assert lead_figure("incidents", None, figures, official, "en")[:2] == ("248", "+17 possible")
    value, under, help_text = lead_figure("arrests", "arrests", figures, official, "en")
    assert (value, under) == ("70", "134 on the map") and help_text.startswith("SSPC, 23 Feb")
    value, under, help_text = lead_figure("blockades", "blockades", figures, official, "en")
    assert (value, under) == ("—", "137 on the map")
    assert "No official figure had been given" in help_text
    # the map counting more than the official figure is said, with why
    said = above_official(figures, official, "en")
    assert "Arrests (official): the map's 134 exceed the official 70, given 23 Feb 08:00" in said
    assert above_official(figures, {}, "en") == ""


YEAR = ViewSpec(datetime(2025, 3, 1, tzinfo=MEXICO_CITY), datetime(2026, 3, 1, tzinfo=MEXICO_CITY))
DAYS = ViewSpec(
    datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
)


def _window_line(view, lang, bundle):
    from dashboard.render.captions import window_line

    return window_line(view, lang)


def _map_title(view, lang, bundle):
    from dashboard.render.captions import map_title

    return map_title(PageView(view=view, lang=lang), lang=lang)


def _alt_text(view, lang, bundle):
    from dashboard.render.snapshot import alt_text, select

    page = PageView(view=view, lang=lang)
    return alt_text(page, select(bundle, page), lang)


@pytest.mark.parametrize("say", [_window_line, _map_title, _alt_text])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_window_beyond_2026_names_its_years(say, lang, bundle):
    """Every text that names a window (the window line, the map frame's name, the alt
    text) shows the years of a year-long window of a reader's file: "sáb 1 mar" to
    "sáb 28 feb" alone would read as a window ending before it starts."""
    said = say(YEAR, lang, bundle)
    assert "2025" in said and "2026" in said, said
    assert "2026" not in say(DAYS, lang, bundle).replace("2026-", "")


@pytest.mark.parametrize(
    ("name", "states_chosen", "lang", "label"),
    [
        ("blockades", False, "es", "Bloqueos (oficial)"),
        ("blockades", True, "es", "Bloqueos (oficial, todo el país)"),
        ("arrests", True, "en", "Arrests (official, nationwide)"),
        ("incidents", True, "en", "Incidents in this window"),  # the view's own count
    ],
)
def test_an_official_figure_beside_chosen_states_says_it_is_nationwide(
    name, states_chosen, lang, label
):
    from dashboard.render.captions import KEY_FIGURES, lead_label

    english = next(x[2] for x in KEY_FIGURES if x[0] == name)
    assert lead_label(name, english, states_chosen, lang) == label


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "10,772 of the 12,000 incidents counted are known only to the day or part of the "
            "day, which lies wholly inside the window. 980 incidents counted are known only "
            "to a week, which lies wholly inside the window. 248 incidents counted are known "
            "only to a month, which lies wholly inside the window.",
        ),
        ("es", "980 incidentes contados se conocen solo por semana"),
    ],
)
def test_figure_notes_name_each_time_precision(lang, expected):
    figures = KeyFigures(12_000, 0, 0, 0, 0, 10_772, 0, week_timing=980, month_timing=248)
    assert expected in figure_notes(figures, lang)


@pytest.mark.parametrize(
    ("changes", "lang", "expected"),
    [
        ({}, "en", "Filters: all states · all event types · Window:"),
        (
            {"actor": "cjng", "sub_event_types": frozenset({"Armed clash"}), "min_fatalities": 5},
            "en",
            "Filters: all states · all event types · actor “cjng” · Armed clash · "
            "at least 5 deaths · Window:",
        ),
        (
            {"sub_event_types": frozenset({"Armed clash", "Attack", "Abduction"})},
            "en",
            "all event types · 3 sub-event types · Window:",
        ),
        (
            {"trusted": True, "min_fatalities": 1},
            "en",
            "at least 1 death · disputed and single-source records left out · Window:",
        ),
        (
            {"actor": "cjng", "sub_event_types": frozenset({"Armed clash"}), "trusted": True},
            "es",
            "actor “cjng” · Enfrentamiento armado · sin registros en disputa ni de una sola "
            "fuente · ",
        ),
    ],
)
def test_the_filter_line_names_every_analyst_filter(changes, lang, expected):
    # tester 11a #7: the figures changed with the actor, sub-event and deaths filters but
    # the "Filters:" line did not say so.
    from dashboard.web.sections.summary import filter_line

    page = PageView(view=WINDOW.with_changes(**changes))
    assert expected in filter_line(page, lang)


def acled_like(**columns) -> pd.DataFrame:
    """Two validated records with ACLED's figures: deaths given, no blockades or arrests."""
    frame = {
        "event_type": ["battles", "riots"],
        "blockades": pd.array([pd.NA, pd.NA], dtype="Int64"),
        "fatalities": pd.array([3, 0], dtype="Int64"),
        "arrested": pd.array([pd.NA, pd.NA], dtype="Int64"),
    }
    return pd.DataFrame(frame | columns)


@pytest.mark.parametrize(
    ("frame", "name", "lang", "value"),
    [
        # tester 11a #5: an ACLED file showed "Road blockades 0" and "Arrests 0".
        (acled_like(), "blockades", "en", "not in this file"),
        (acled_like(), "states_affected", "en", "not in this file"),
        (acled_like(), "arrests", "es", "no está en este archivo"),
        (acled_like(), "fatalities", "en", "7"),
        (acled_like(event_type=["blockade", "riots"]), "blockades", "en", "2"),
        (acled_like(arrested=pd.array([pd.NA, 0], dtype="Int64")), "arrests", "en", "0"),
    ],
)
def test_a_file_figure_it_does_not_carry_is_not_a_zero(frame, name, lang, value):
    from dashboard.analysis.stats import carried_figures
    from dashboard.render.captions import file_figure

    figures = KeyFigures(2, 2, 1, 7, 0, 0, 0)
    assert file_figure(name, figures, lang, carried_figures(frame))[1] == value


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", " · Fuentes (según ACLED): El Universal"),
        ("en", " · Sources (per ACLED): El Universal"),
    ],
)
def test_a_state_level_acled_record_names_its_outlets_in_the_page_language(bundle, lang, expected):
    # tester 11a #10: "(Sources (per ACLED): El Universal)" on the Spanish page.
    import html

    row = bundle.incidents[bundle.incidents["geo_precision"] >= 3].head(1)
    row = row.assign(source_url="", source_outlet="Sources (per ACLED): El Universal", summary="x")
    entry = html.unescape(next(iter(state_level_entries(row, lang).values())))
    assert entry.endswith(expected)  # no parentheses around it: it has its own


def test_a_day_stepped_map_caption_still_says_what_is_drawn():
    # tester 11a #3: with a year of data (replay by day) the "drawn" sentence was dropped.
    year = ViewSpec(
        datetime(2025, 3, 1, tzinfo=MEXICO_CITY), datetime(2026, 3, 1, tzinfo=MEXICO_CITY)
    )
    caption = map_captions("cells", 59, (11_386, 0, 614), "en", year)[0]
    assert caption.startswith("11,386 located records are drawn as 59 grouped area markers")
    assert "replay the window day by day" in caption


NEW_YEAR = ViewSpec(
    datetime(2025, 12, 31, tzinfo=MEXICO_CITY), datetime(2026, 1, 2, tzinfo=MEXICO_CITY)
)


@pytest.mark.parametrize(
    ("window", "years", "lang", "day_labels"),
    [
        (WINDOW, False, "en", ["Sun 22 Feb", "Mon 23 Feb"]),
        (WINDOW, False, "es", ["dom 22 feb", "lun 23 feb"]),
        # a file spanning years: the same window's days name their year
        (WINDOW, True, "en", ["Sun 22 Feb 2026", "Mon 23 Feb 2026"]),
        (WINDOW, True, "es", ["dom 22 feb 2026", "lun 23 feb 2026"]),
        # a window outside the event's year names it without being told
        (NEW_YEAR, False, "en", ["Wed 31 Dec 2025", "Thu 1 Jan 2026"]),
        (NEW_YEAR, False, "es", ["mié 31 dic 2025", "jue 1 ene 2026"]),
    ],
)
def test_hourly_chart_dates_carry_the_year_when_the_data_spans_years(
    bundle, window, years, lang, day_labels
):
    """The axis's day labels and each column's text carry the year when the data spans
    years (PageData.spans_years) or the window is not in 2026 (timing.shows_years)."""
    shift = window.start - WINDOW.start  # the bundled event's two days, moved to the window
    frame = bundle.incidents.assign(
        t_start=bundle.incidents["t_start"] + shift, t_end=bundle.incidents["t_end"] + shift
    )
    (_, svg), _ = hourly_markup(apply(window, frame), window, lang, years)
    axis = re.findall(r'<text x="[\d.]+" y="\d+" fill="[^"]+">([^<]+)</text>', svg)
    assert axis == day_labels
    tips = re.findall(r"<title>([^<]+)</title>", svg)[1:]  # the first is the chart's
    assert len(tips) == 48
    named = [bool(re.search(r"\b20\d\d,", tip)) for tip in tips]
    assert named == [day_labels[0][-4:].isdigit()] * 48, tips[:2]
