"""The incidents layer's data: drawable records as compact arrays, the catalogue the live
map fetches once per data version, grid cells at scale, and which records are only
possibly in the window."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.filters import possible_mask
from dashboard.model.schema import EVENT_TYPES, TIMED
from dashboard.render.mapfiles import published_json
from dashboard.render.popups import DISPLAY_COLUMNS, with_display_text
from dashboard.text.escape import script_json
from dashboard.text.i18n import DEFAULT_LANGUAGE

# Above this many drawable points the map shows grid cells with counts instead.
MAX_DRAWN_POINTS = 5_000
GRID_DEG = 0.25
COORD_DIGITS = 4
TYPE_ORDER = list(EVENT_TYPES)


def _epoch_ms(series: pd.Series) -> list[int]:
    return (series.astype("int64") // 1_000).astype("int64").tolist()  # us -> ms


class Strings:
    """Each distinct string once; records refer to it by index (URLs repeat a lot)."""

    def __init__(self):
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def ref(self, value: str) -> int:
        if value not in self._index:
            self._index[value] = len(self.values)
            self.values.append(value)
        return self._index[value]


def incident_points(
    frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE
) -> tuple[list[list], list[str], list[str]]:
    """Drawable records as compact arrays, plus the URL and label tables they refer to.

    A row is [lon, lat, type index (TYPE_ORDER), geo_precision, uncertain_time (0/1),
    t0_ms, t1_ms (UTC epoch milliseconds of the record's interval), tooltip, body,
    [[url index, label index], ...], incident_id]; every string that reaches HTML is
    already escaped, and only http(s) URLs are listed.
    """
    drawable = frame[frame["geo_precision"] < 3]
    if not set(DISPLAY_COLUMNS) <= set(drawable.columns):
        drawable = with_display_text(drawable, lang)
    type_index = {t: i for i, t in enumerate(TYPE_ORDER)}
    other = TYPE_ORDER.index("other")
    urls, labels = Strings(), Strings()
    columns = zip(
        drawable["lon"].round(COORD_DIGITS).tolist(),
        drawable["lat"].round(COORD_DIGITS).tolist(),
        [type_index.get(t, other) for t in drawable["event_type"].tolist()],
        drawable["geo_precision"].astype(int).tolist(),
        (~drawable["time_precision"].isin(TIMED)).astype(int).tolist(),
        _epoch_ms(drawable["t_start"]),
        _epoch_ms(drawable["t_end"]),
        drawable["tip"].tolist(),
        drawable["body"].tolist(),
        drawable["sources"].tolist(),
        drawable["incident_id"].astype(str).tolist(),
        strict=True,
    )
    rows = [
        [*head, [[urls.ref(u), labels.ref(label)] for u, label in sources], incident_id]
        for *head, sources, incident_id in columns
    ]
    return rows, urls.values, labels.values


@dataclass(frozen=True)
class PointCatalogue:
    """Every drawable record of a data version, once, as the live map fetches it.

    `url` is where the map fetches {"rows", "urls", "labels"} (incident_points of all
    drawable records); `index` maps incident_id to the row's position, so a view names
    its points by position instead of carrying them (a few bytes per point, not ~600).
    """

    url: str
    index: dict[str, int]


def point_catalogue(
    frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE, max_rows: int = 20_000
) -> PointCatalogue | None:
    """The catalogue of `frame`'s drawable records (geo_precision 1-2), published as a
    static JSON file (mapfiles.published_json); None above `max_rows` drawable records (the
    file would outweigh what any view sends: views of such data are grouped in cells) or
    when the file cannot be written. Tooltips and popups are in `lang` (one file per
    language); precomputed display text in `frame` (with_display_text) is used as it is."""
    drawable = frame[frame["geo_precision"] < 3]
    if len(drawable) > max_rows:
        return None
    rows, urls, labels = incident_points(drawable, lang)
    url = published_json("points", script_json({"rows": rows, "urls": urls, "labels": labels}))
    if url is None:
        return None
    return PointCatalogue(url, {str(row[10]): i for i, row in enumerate(rows)})


def possible_ids(frame: pd.DataFrame) -> list[str]:
    """The `incident_id`s of the records of `frame` (from filters.apply) only possibly in
    the view's window, in the frame's order; none without the IN_WINDOW column."""
    return frame.loc[possible_mask(frame), "incident_id"].astype(str).tolist()


def grid_cells(frame: pd.DataFrame) -> list[list]:
    """At scale: one circle per grid cell: [lon, lat, count, first t0_ms, last t1_ms,
    first t0_ms and last t1_ms of its records timed to the hour or minute (None if none)].

    In a replay a cell is "under way" only within the span of its timed records.
    """
    drawable = frame[frame["geo_precision"] < 3]
    timed = drawable["time_precision"].isin(TIMED)
    cells = (
        drawable.assign(
            gx=np.floor(drawable["lon"] / GRID_DEG).astype(int),
            gy=np.floor(drawable["lat"] / GRID_DEG).astype(int),
            timed_start=drawable["t_start"].where(timed),
            timed_end=drawable["t_end"].where(timed),
        )
        .groupby(["gx", "gy"])
        .agg(
            lon=("lon", "mean"),
            lat=("lat", "mean"),
            n=("incident_id", "size"),
            t0=("t_start", "min"),
            t1=("t_end", "max"),
            tt0=("timed_start", "min"),
            tt1=("timed_end", "max"),
        )
        .reset_index()
    )
    t0, t1 = _epoch_ms(cells["t0"]), _epoch_ms(cells["t1"])
    has_timed = cells["tt0"].notna().tolist()
    tt0 = _epoch_ms(cells["tt0"].fillna(cells["t0"]))
    tt1 = _epoch_ms(cells["tt1"].fillna(cells["t1"]))
    return [
        [
            round(lon, 3),
            round(lat, 3),
            int(n),
            t0[i],
            t1[i],
            tt0[i] if has_timed[i] else None,
            tt1[i] if has_timed[i] else None,
        ]
        for i, (lon, lat, n) in enumerate(
            zip(cells["lon"].tolist(), cells["lat"].tolist(), cells["n"].tolist(), strict=True)
        )
    ]
