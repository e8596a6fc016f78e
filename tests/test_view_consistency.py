"""Every view shows the same figures whatever the server showed before.

The page keeps results between reruns and sessions (view_cache.per_view: per window, per
set of records in view). A key that leaves out something its value depends on makes a
view show what an earlier view left behind. Here one process serves random views of the bundled
data in three orders through the page's own kept path, and every view must show exactly
what it shows when nothing is kept: the same functions on the page data of an uploaded
file (no timeline, nothing kept: view_cache.view_kept is None), with a fresh official
timeline for every view.
"""

from __future__ import annotations

import random
from dataclasses import asdict, replace
from datetime import timedelta

import pandas as pd
import pytest

from dashboard.analysis.filters import ViewSpec
from dashboard.analysis.permalink import PageView
from dashboard.model import bundled_files
from dashboard.model.mexico import MEXICO_CITY, STATES
from dashboard.model.schema import EVENT_TYPES, MAP_LAYERS
from dashboard.render.captions import map_counts
from dashboard.web import data as web_data
from dashboard.web import view_cache
from dashboard.web.sections.key_figures import view_official
from dashboard.web.sections.map import map_layer_data
from dashboard.web.sections.per_state import state_table_rows
from dashboard.web.sections.share import view_alt_text

VIEWS = 200
ORDERS = ("as drawn", "reversed", "shuffled")


def random_views(data, n: int, seed: int = 19) -> list[PageView]:
    """`n` random views inside the data's hours: windows of 1 hour to the whole span,
    all or some states and event types, both languages, often starting at a midnight
    (or, on the raid's day, at the raid's first hour: 06:00). Every fourth view is the one
    before it with its start an hour earlier or later: the same end and filters, often
    the same records, but placed otherwise (a day that lay inside now only overlaps),
    which is where a key that leaves out the placement shows another view's figures."""
    rng = random.Random(seed)
    first = data.first_hour.replace(tzinfo=MEXICO_CITY)
    hours = int((data.last_hour - data.first_hour) / timedelta(hours=1))
    codes = [s.cve_ent for s in STATES]
    views = []
    for i in range(n):
        if i % 4 == 3 and views[-1].view.end - views[-1].view.start > timedelta(hours=2):
            before = views[-1].view
            shift = timedelta(hours=rng.choice([-1, 1]))
            start = max(first, before.start + shift)
            views.append(replace(views[-1], view=before.with_changes(start=start)))
            continue
        start = rng.randrange(hours)
        if rng.random() < 0.4:  # a day's own start: where day-only records begin
            start -= start % 24
            start += 6 if start == 0 and rng.random() < 0.5 else 0
        length = rng.choice([1, 1, 2, 3, 6, 12, 24, 48, hours])
        end = min(hours, start + length)
        states = None if rng.random() < 0.6 else frozenset(rng.sample(codes, rng.randint(1, 4)))
        types = (
            None
            if rng.random() < 0.7
            else frozenset(rng.sample(sorted(EVENT_TYPES), rng.randint(1, 3)))
        )
        view = ViewSpec(
            first + timedelta(hours=start),
            first + timedelta(hours=max(end, start + 1)),
            states=states,
            event_types=types,
        )
        views.append(PageView(view, layers=frozenset(MAP_LAYERS), lang=rng.choice(["en", "es"])))
    return views


def shown(data, view: PageView) -> dict:
    """What the page shows of `view` that the keeping can change: the records and how
    each is in the window, the key figures, the official figures, the per-state table,
    the caption's counts, the map's view data and the alt text (the functions the page's
    sections call, in the page's order)."""
    lang = view.lang
    selection = view_cache.view_selection(data, view.view)
    kept = view_cache.view_kept(data, view.view)
    same_rows = view_cache.rows_kept(data, view.view, selection.selected)
    figures = view_cache.view_figures(selection.selected, same_rows)
    _, layer_json, _ = map_layer_data(data, view, selection.selected, selection.counts, lang, kept)
    counts = view_cache.per_view("map_counts", same_rows, lambda: map_counts(selection.selected))
    return {
        "records": list(
            zip(selection.selected["incident_id"], selection.selected["in_window"], strict=True)
        ),
        "figures": asdict(figures),
        "official": {
            k: asdict(v) for k, v in view_official(data, view.view, lang, same_rows).items()
        },
        "state_rows": state_table_rows(selection.counts, view.view, same_rows).to_dict("records"),
        "map_counts": counts,
        "map": layer_json,
        "alt": view_alt_text(view, selection, lang, kept, same_rows),
    }


def normal(value):
    """Missing values compare equal (pd.NA != pd.NA)."""
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normal(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


@pytest.fixture(scope="module")
def page_data():
    view_cache.kept_value.clear()
    return {
        lang: web_data.page_data(str(bundled_files.GEODATA), "test", lang) for lang in ("en", "es")
    }


def fresh(data, view: PageView) -> dict:
    """What `view` shows with nothing kept and a new official timeline."""
    return shown(replace(data[view.lang], timeline=None), view)


def test_every_view_shows_the_same_whatever_was_shown_before(page_data):
    views = random_views(page_data["en"], VIEWS)
    expected = {i: normal(fresh(page_data, v)) for i, v in enumerate(views)}
    # Views that keep nothing would prove nothing: most must go through the kept path.
    assert sum(view_cache.view_kept(page_data["en"], v.view) is not None for v in views) == VIEWS
    for order in ORDERS:
        indexes = list(range(VIEWS))
        if order == "reversed":
            indexes.reverse()
        elif order == "shuffled":
            random.Random(order).shuffle(indexes)
        for i in indexes:
            got = normal(shown(page_data[views[i].lang], views[i]))
            assert got == expected[i], (order, views[i])


def test_the_views_cover_both_placements_and_official_figures(page_data):
    """The random views are worth checking: some count records known to be in their
    window, some only possible ones, some have official figures and some none."""
    views = random_views(page_data["en"], VIEWS)
    results = [fresh(page_data, v) for v in views[:60]]
    assert any(r["figures"]["incidents"] for r in results)
    assert any(r["figures"]["possible"] and not r["figures"]["incidents"] for r in results)
    assert any(r["official"] for r in results) and any(not r["official"] for r in results)
