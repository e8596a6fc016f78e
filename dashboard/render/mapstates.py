"""The states layer's data: its geometry (once per data version) and, per view, each
state's count, tooltip and replay counts."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.analysis.filters import ViewSpec, replay_step_ms
from dashboard.analysis.stats import incidents_only
from dashboard.model.schema import TIMED, event_type_label
from dashboard.render.popups import records, summary_text
from dashboard.text.escape import escape_text, script_json
from dashboard.text.i18n import DEFAULT_LANGUAGE, format_number, translation

# The columns state_styles reads of the records known only to their state.
SUMMARY_COLUMNS = ("cve_ent", "event_type", "summary", "summary_es")

# How many characters of a state-level report its state's popup shows (clip_words).
REPORT_CHARS = 90

# The grid (degrees) the drawn outlines' vertices are rounded to: 0.001 degrees (~100 m) is
# finer than a screen pixel at the zooms the map allows.
DRAWN_GRID = 10**-3


def drawn_states(states_display: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The state outlines as the map draws them: `cve_ent` and `geometry` of the display
    layer, vertices on the DRAWN_GRID (degrees). A tap on the map is looked up here, so it
    selects the state the reader saw (the full outlines differ by up to the simplification)."""
    drawn = states_display[["cve_ent", "geometry"]].copy()
    # Shared vertices round alike, so neighbours keep sharing their borders.
    drawn["geometry"] = shapely.set_precision(drawn.geometry.values, DRAWN_GRID, mode="pointwise")
    return drawn


def states_geojson(states_display: gpd.GeoDataFrame) -> str:
    """The display layer as drawn (drawn_states), GeoJSON text: built once per data
    version, reused every rerun."""
    return script_json(drawn_states(states_display).__geo_interface__)


def clip_words(text: str, limit: int = REPORT_CHARS) -> str:
    """`text` if it has at most `limit` characters, else its words that fit in `limit - 1`
    characters and "…" (a single word longer than that is cut and gets "…" too)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def state_styles(
    counts: pd.DataFrame, state_only: pd.DataFrame, lang: str = DEFAULT_LANGUAGE
) -> dict[str, list]:
    """Per state (cve_ent): [incidents in the window, tooltip HTML naming its state-level
    reports, in `lang`]; the fill colour follows from the count (symbols.state_colour).
    `counts`: stats.state_counts (`incidents_possible`, where present, is named beside the
    count: the map draws those records dashed); each report's text is clipped at a word
    (clip_words)."""
    t = translation(lang)
    listed: dict[str, list[tuple[str, str]]] = {}
    for row in records(state_only[[c for c in state_only.columns if c in SUMMARY_COLUMNS]]):
        listed.setdefault(row.cve_ent, []).append(
            (event_type_label(row.event_type, lang), summary_text(row, lang))
        )
    styles = {}
    columns = ["cve_ent", "state", "incidents", "official_blockades", "official_source"]
    columns += [c for c in ["incidents_possible"] if c in counts.columns]
    for row in records(counts[columns]):
        n = int(row.incidents)
        count = t.ngettext("{n} incident in the window", "{n} incidents in the window", n)
        count = count.format(n=format_number(n, lang))
        possible = getattr(row, "incidents_possible", 0)
        possible = 0 if pd.isna(possible) else int(possible)
        if possible:
            count += " " + t.ngettext(
                "(+{n} possible, time not precise enough)",
                "(+{n} possible, time not precise enough)",
                possible,
            ).format(n=format_number(possible, lang))
        lines = [f"<b>{escape_text(row.state)}</b>", count]
        if not pd.isna(row.official_blockades):
            lines.append(
                t.gettext("Official blockade figure: {count} ({source})").format(
                    count=format_number(int(row.official_blockades), lang),
                    source=escape_text(row.official_source),
                )
            )
        if row.cve_ent in listed:
            reports = listed[row.cve_ent]
            lines.append(
                t.ngettext(
                    "{n} report for the state as a whole, not placed:",
                    "{n} reports for the state as a whole, not placed:",
                    len(reports),
                ).format(n=format_number(len(reports), lang))
            )
            for kind, summary in reports[:4]:
                lines.append(f"&middot; {escape_text(kind)}: {escape_text(clip_words(summary))}")
        styles[row.cve_ent] = [n, "<br>".join(lines)]
    return styles


def replay_counts(selected: pd.DataFrame, view: ViewSpec) -> dict[str, list[int]]:
    """Per state, for each replay step k (an hour; a day for a long window:
    filters.replay_step_ms): incidents known to have happened by its end.

    A record timed to the hour or minute counts once it has started (t_start before
    start + (k+1) h); one known only to the day or part of day counts once its whole span
    has passed (t_end at or before that moment), never before. States with none are left
    out. Times are compared as UTC instants.
    """
    counted = incidents_only(
        selected[["event_type", "time_precision", "t_start", "t_end", "cve_ent"]]
    )
    start_ms = int(pd.Timestamp(view.start).timestamp() * 1000)
    step_ms = replay_step_ms(view)
    steps = max(1, -(-(int(pd.Timestamp(view.end).timestamp() * 1000) - start_ms) // step_ms))
    uncertain = ~counted["time_precision"].isin(TIMED).to_numpy()
    t0 = counted["t_start"].astype("int64").to_numpy() // 1_000 - start_ms  # ms since start
    t1 = counted["t_end"].astype("int64").to_numpy() // 1_000 - start_ms
    # The first hour k whose end (k + 1) h counts the record: timed, once t0 < (k + 1) h;
    # day or part of day, once t1 <= (k + 1) h.
    first = np.where(uncertain, -(-t1 // step_ms) - 1, t0 // step_ms)
    first = np.clip(first, 0, None)
    codes, index = np.unique(counted["cve_ent"].to_numpy().astype(str), return_inverse=True)
    keep = first < steps
    grid = np.zeros((len(codes), steps), dtype="int64")
    np.add.at(grid, (index[keep], first[keep]), 1)
    known = np.cumsum(grid, axis=1)
    return {str(code): known[i].tolist() for i, code in enumerate(codes)}
