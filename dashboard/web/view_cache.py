"""Results kept between reruns and sessions: per view, per set of records in view, per
data version; and the checked uploads.

Readers of one story look at the same few windows, and moving the slider by an hour often
leaves the same records in view: what a view shows is kept by what it depends on (README,
"Performance"), for every session, and read, never changed. A key that left out
something its value depends on would show one view what another left behind:
tests/test_view_consistency.py serves random views through these functions and holds
them to fresh results.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard.analysis.filters import IN_WINDOW, KNOWN, ViewSpec, apply
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import KeyFigures, key_figures, state_counts
from dashboard.model.origin import UserFile
from dashboard.render.snapshot import Selection
from dashboard.web.data import PageData
from dashboard.web.memo import BytesBoundedCache

T = TypeVar("T")

# Views are kept per data version across reruns and sessions; not for data this large,
# whose frames would fill memory.
VIEW_CACHE_ROWS = 20_000
UPLOAD_CACHE_BYTES = 300 * 1024 * 1024  # all sessions' checked uploads together

Kept = tuple[str, str, str] | None  # (data version, language, view_key) or None


def view_key(view: ViewSpec) -> str:
    """A view as a cache key: window (ISO 8601 with offset), states and types, sorted, the
    trust filter, then the analyst's filters (actor, sub-event types, least deaths) when
    any is set."""
    chosen = ["*" if c is None else ",".join(sorted(c)) for c in (view.states, view.event_types)]
    if view.actor or view.sub_event_types is not None or view.min_fatalities:
        subs = "*" if view.sub_event_types is None else "\x1f".join(sorted(view.sub_event_types))
        chosen += [repr(view.actor or ""), subs, str(view.min_fatalities or 0)]
    trust = "trusted" if view.trusted else "all"
    return "|".join([view.start.isoformat(), view.end.isoformat(), *chosen, trust])


@st.cache_resource(max_entries=4096, show_spinner=False)
def kept_value(kind: str, version: str, lang: str, key: str, _compute: Callable[[], T]) -> T:
    """`_compute()` once per kind of result, data version, language and view, shared by
    every session (results are read, never changed)."""
    return _compute()


def per_view(kind: str, kept: Kept, compute: Callable[[], T]) -> T:
    """`compute()`, kept between sessions when `kept` names the view (bundled data), else
    computed each time (an uploaded file, data too large to keep per view)."""
    return kept_value(kind, *kept, compute) if kept else compute()


def keeps_views(data: PageData) -> bool:
    """Whether results are kept for `data`: the bundled data (it has an official
    timeline) up to VIEW_CACHE_ROWS records; never an uploaded file."""
    return data.timeline is not None and len(data.incidents) <= VIEW_CACHE_ROWS


@st.cache_resource(max_entries=32, show_spinner=False)
def kept_for_data(kind: str, version: str, lang: str, _compute: Callable[[], T]) -> T:
    """`_compute()` once per kind, data version and language, shared by every session."""
    made = _compute()
    gc.freeze()  # lives as long as the data: out of the collector's walks (data.page_data)
    return made


def per_data(kind: str, data: PageData, compute: Callable[[], T]) -> T | None:
    """`compute()` made once per data version and language for every record of `data`
    (a section's rows or lines, from which each view picks its own), when results are
    kept for it (keeps_views); None otherwise: the section builds what a view needs."""
    if not keeps_views(data):
        return None
    return kept_for_data(kind, data.bundle.version, data.lang, compute)


def view_kept(data: PageData, view: ViewSpec) -> Kept:
    """How per_view keeps results for `view`: by data version, language and view for
    the bundled data (up to VIEW_CACHE_ROWS records); None (not kept) for an uploaded
    file or larger data."""
    if not keeps_views(data):
        return None
    return (data.bundle.version, data.lang, view_key(view))


def rows_kept(data: PageData, view: ViewSpec, selected: pd.DataFrame) -> Kept:
    """How per_view keeps the results that depend only on which records are in view, how
    each is in the window (filters.IN_WINDOW: known or possible) and the official reports
    known by the window's end, not on the window's exact hours: by data version,
    language, those records and their placement (a digest of their row labels and
    IN_WINDOW values: `selected` is a frame from filters.apply), the number of reports
    known (stats.OfficialTimeline.known) and the state and type filters. Many windows
    select the same records the same way, so a reader moving the slider mostly reuses what
    another window made. None when `view` is not kept (view_kept)."""
    kept = view_kept(data, view)
    if kept is None:
        return None
    version, lang, key = kept
    filters_part = key.split("|", 2)[2]  # view_key: start|end|states|types|trust
    digest = hashlib.blake2b(digest_size=16)
    digest.update(selected.index.to_numpy(dtype="int64").tobytes())
    digest.update((selected[IN_WINDOW].to_numpy() == KNOWN).tobytes())
    rows = digest.hexdigest()
    return (version, lang, f"rows:{rows}|{data.timeline.known(view.end)}|{filters_part}")


def compute_selection(data: PageData, view: ViewSpec) -> Selection:
    selected = apply(view, data.incidents)
    counts = state_counts(
        selected, data.bundle.official, view, data.incidents, data.lang, timeline=data.timeline
    )
    return Selection(selected, counts)


def view_selection(data: PageData, view: ViewSpec) -> Selection:
    """The records in `view` (filters.apply) and the per-state table (all 32 states) for
    it; the same frames for every session viewing the bundled data's same records placed
    the same way (read, never changed), kept by rows_kept."""
    if view_kept(data, view) is None:
        return compute_selection(data, view)
    selected = apply(view, data.incidents)
    same_rows = rows_kept(data, view, selected)
    selected = per_view("selected", same_rows, lambda: selected)
    counts = per_view(
        "counts",
        same_rows,
        lambda: state_counts(
            selected, data.bundle.official, view, data.incidents, data.lang, timeline=data.timeline
        ),
    )
    return Selection(selected, counts)


def grid_data(rows: pd.DataFrame, kept: Kept, kind: str) -> pd.DataFrame | pa.Table:
    """`rows` for st.dataframe: converted to Arrow once per view when the view is kept
    (Streamlit converts a pandas frame on every call), else as is.
    The index is left out, as the grids hide it."""
    if kept is None:
        return rows
    return per_view(kind, kept, lambda: pa.Table.from_pandas(rows, preserve_index=False))


def view_figures(selected: pd.DataFrame, kept: Kept) -> KeyFigures:
    """stats.key_figures of the view, once per set of records (`kept`: rows_kept): the key
    figures, the notes under the map and the alt text count the same."""
    return per_view("key_figures", kept, lambda: key_figures(selected))


@dataclass(frozen=True)
class Shown:
    """The view on screen and how its results are kept: what every section takes."""

    page: PageView
    selection: Selection
    kept: Kept  # results that name the window's hours (the map, the charts, the alt text)
    same_rows: Kept  # results of its records (figures, tables), shared between windows

    @property
    def view(self) -> ViewSpec:
        return self.page.view

    @property
    def selected(self) -> pd.DataFrame:
        return self.selection.selected

    @property
    def counts(self) -> pd.DataFrame:
        return self.selection.counts

    @cached_property
    def figures(self) -> KeyFigures:
        """The view's key figures, made or fetched once per run."""
        return view_figures(self.selected, self.same_rows)


def on_screen(data: PageData, page: PageView) -> Shown:
    """The records in `page`'s view, its per-state table and the keys its results are
    kept by."""
    selection = view_selection(data, page.view)
    return Shown(
        page,
        selection,
        view_kept(data, page.view),
        rows_kept(data, page.view, selection.selected),
    )


@dataclass(frozen=True)
class UploadResult:
    frame: pd.DataFrame  # valid rows, as the bundled incidents
    problems: list[dict]  # the kept problems (the first 1,000)
    summary: str  # "N error(s), M warning(s)[; the first 1,000 are listed]"
    format: str
    encoding: str
    mapping: list
    report_csv: str  # the report table as a spreadsheet-safe CSV
    origin: UserFile | None = None  # the file as checked: exports name it
    reading: dict | None = None  # reading.how_read of a delimited text file, as_dict


@st.cache_resource
def upload_results() -> BytesBoundedCache:
    """Checked uploads shared by all sessions, bounded in bytes (not entries)."""
    return BytesBoundedCache(UPLOAD_CACHE_BYTES)
