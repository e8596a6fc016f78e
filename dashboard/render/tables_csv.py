"""The per-municipality and per-day/week tables (analysis/aggregates.py) as CSV files,
beside the per-state one (export.state_table_csv): UTF-8, "\\n" line ends, English column
names (data for tools), text cells a spreadsheet would run as formulas defused."""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.aggregates import municipality_counts, period_counts
from dashboard.text.escape import defuse


def municipality_csv(selected: pd.DataFrame) -> str:
    """aggregates.municipality_counts of `selected` (a frame from filters.apply) as CSV."""
    frame = municipality_counts(selected)
    frame["municipality"] = frame["municipality"].map(defuse)
    return frame.to_csv(index=False, lineterminator="\n")


def period_csv(selected: pd.DataFrame, period: str) -> str:
    """aggregates.period_counts of `selected` per "day" or "week" as CSV: period_start and
    period_end as ISO dates (each record's own local calendar date, as reported; end
    exclusive), then the counts. Records known only to a week or month, and those whose
    time runs past one period, are not in it (the page and README say so)."""
    return period_frame_csv(period_counts(selected, period).rows)


def period_frame_csv(rows: pd.DataFrame) -> str:
    """A PeriodTable's rows (aggregates.period_counts) as CSV: period bounds as ISO dates
    (YYYY-MM-DD), then the counts."""
    frame = rows.copy()
    for column in ("period_start", "period_end"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame.to_csv(index=False, lineterminator="\n")
