"""The per-state comparison as the page shows it: the view's states, most incidents
first, located and official figures side by side (stats.state_counts makes the figures;
the bar chart is charts.state_chart of these rows).

Pure: a frame in, a frame out.
"""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.filters import ViewSpec

STATE_TABLE_COLUMNS = [
    "state",
    "incidents",
    "incidents_possible",
    "blockades",
    "official_blockades",
    "official_source",
    "located_at_official",
    "located_at_official_possible",
    "difference",
    "fatalities",
    "arrests",
    "official_url",
    "official_other",
]


def state_rows(counts: pd.DataFrame, view: ViewSpec) -> pd.DataFrame:
    """The per-state table as shown: the view's states, most incidents first, empty text
    as missing (the grid's placeholder)."""
    table = counts if view.states is None else counts[counts["cve_ent"].isin(view.states)]
    table = table.sort_values(["incidents", "state"], ascending=[False, True])
    return table[STATE_TABLE_COLUMNS].replace({"": None}).reset_index(drop=True)
