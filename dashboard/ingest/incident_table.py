"""The valid incident rows as the table every view reads: joined to their places, with
ACLED's dates set to local midnight on the state's clock.

`dashboard/ingest/validate.py` checks the rows and hands the kept ones here; the table's
columns are INCIDENT_FRAME_COLUMNS (and any OPTIONAL_INCIDENT_COLUMNS a file has).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.ingest.read import STRING_DTYPE
from dashboard.model.mexico import BY_CODE, STATES_WITH_MUNICIPAL_ZONES, local_zone
from dashboard.model.schema import COUNT_FIELDS, GEO_PRECISIONS, INCIDENT_COLUMNS
from dashboard.text.message import msg


def with_codes(at: np.ndarray, values: list, codes: np.ndarray, rows: np.ndarray):
    """(position per row, value per position) with the rows `rows` set to `codes` there
    (an object array per row): those few rows factorized, their values appended."""
    if not len(rows):
        return at, values
    at = at.copy()
    extra, more = pd.factorize(np.asarray(codes[rows], dtype=object))
    at[rows] = len(values) + extra
    return at, values + more.tolist()


def acled_starts(check, state_codes, municipality, has_id, locations):
    """ACLED event dates as ISO local midnight with the state's (municipality's) offset:
    (text column, (code per row, distinct texts) for `Checks.seed`).

    state_codes: (position per row, INEGI code or "" per position). Computed once per
    distinct (date, state, municipality): a file repeats them. The municipality counts
    only in a state with a municipality on another clock.
    """
    state_at, state_values = state_codes
    if has_id.any():  # a bundled place's state
        by_id = locations.set_index("location_id")["cve_ent"]
        ids = check.col("location_id")[has_id].to_numpy(dtype=object)
        codes = np.empty(check.n, dtype=object)
        codes[has_id] = by_id.reindex(ids).fillna("").to_numpy(dtype=object)
        state_at, state_values = with_codes(state_at, state_values, codes, np.flatnonzero(has_id))
    days = check.distinct(check.col("event_day"))  # known from the conversion
    day_at, day_values = days.codes.astype("int64"), days.values.tolist()
    # Elsewhere every town of a state is on the state's clock: "" stands for them all.
    special = np.array([c in STATES_WITH_MUNICIPAL_ZONES for c in state_values] + [False])
    town_at, town_values = np.zeros(check.n, dtype="int64"), [""]
    on_town_clock = special[state_at]
    if on_town_clock.any():
        at, towns = pd.factorize(municipality[on_town_clock].to_numpy(dtype=object))
        town_at[on_town_clock] = at + 1
        town_values += towns.tolist()
    # One integer per (date, state, municipality); each combination once, in order of
    # first appearance (factorize numbers them so).
    key = (day_at * (len(state_values) + 1) + state_at + 1) * len(town_values) + town_at
    inverse, _ = pd.factorize(key)
    seen = np.maximum.accumulate(inverse)
    first = np.flatnonzero(np.diff(seen, prepend=-1) > 0)
    zones: dict = {}  # (state, municipality) -> IANA zone name
    midnights: dict = {}  # (date, zone) -> ISO text
    texts = []
    for date_at, code_at, town in zip(
        day_at[first].tolist(), state_at[first].tolist(), town_at[first].tolist(), strict=True
    ):
        date, code = day_values[date_at], state_values[code_at] if code_at >= 0 else ""
        if not date or code not in BY_CODE:
            texts.append("")
            continue
        zone = zones.get((code, town))
        if zone is None:
            zone = zones[(code, town)] = local_zone(code, town_values[town])
        if (date, zone) not in midnights:
            day = datetime.fromisoformat(date).replace(tzinfo=zone)
            midnights[(date, zone)] = day.isoformat(timespec="minutes")
        texts.append(midnights[(date, zone)])
    unset = np.asarray(texts, dtype=object) == ""
    dated = (check.col("event_day") != "").to_numpy()
    missing = unset[inverse] & dated & ~check.bad
    check.problem(
        missing, "admin1", msg("no state to set the local clock of event_date (give admin1)")
    )
    remap, once = pd.factorize(np.asarray(texts, dtype=object))  # each text once
    text_at = remap[inverse]
    once = once.tolist()
    text = pa.array(once, type=pa.large_string()).take(pa.array(text_at))
    return pd.Series(text, index=check.frame.index, dtype=STRING_DTYPE), (text_at, once)


def join_places(
    frame, locations, keep, has_id, lon, lat, state, place, municipality, precision_codes
):
    """lon, lat, place, municipality, cve_ent, geo_precision per kept row, added to
    `frame` (the kept rows' columns by name, "location_id" among them). state: every
    row's INEGI code as (position per row, code per position); precision_codes: the kept
    rows' geo_precision as (code per row, distinct texts).

    Rows with a location_id take them from the bundled place; the others keep their own.
    """
    by_id = has_id[keep]
    n = len(by_id)
    index = np.zeros(n, dtype=int)
    if by_id.any() and len(locations):
        index[by_id] = pd.Index(locations["location_id"]).get_indexer(frame["location_id"][by_id])

    def joined(own_values: pd.Series, table: pd.Series) -> pd.Series:
        own_values = own_values.reset_index(drop=True)
        if not by_id.any():
            return own_values
        taken = pd.Series(table.to_numpy(dtype=object), dtype=STRING_DTYPE).take(index)
        return taken.reset_index(drop=True).where(by_id, own_values)

    def numbers(own_values: np.ndarray, table: np.ndarray) -> np.ndarray:
        return np.where(by_id, table[index], own_values) if by_id.any() else own_values

    # geo_precision is "" (1) or one of GEO_PRECISIONS on every kept row (the choice
    # check); the distinct texts also hold the dropped rows' values.
    positions, distinct = precision_codes
    allowed = {str(k): k for k in GEO_PRECISIONS}
    levels = np.array([allowed.get(v, 1) for v in distinct], dtype="int64")
    frame["lon"] = numbers(lon[keep].astype(float), locations.geometry.x.to_numpy())
    frame["lat"] = numbers(lat[keep].astype(float), locations.geometry.y.to_numpy())
    frame["place"] = joined(place[keep], locations["place"])
    frame["municipality"] = joined(municipality[keep], locations["municipality"])
    state_at, state_values = state
    own_state = pa.array(state_values, type=pa.large_string()).take(pa.array(state_at[keep]))
    frame["cve_ent"] = joined(pd.Series(own_state, dtype=STRING_DTYPE), locations["cve_ent"])
    frame["geo_precision"] = numbers(
        levels[positions], locations["geo_precision"].to_numpy(dtype="int64")
    )


def join_place_es(frame, locations, keep, has_id, place_es) -> None:
    """`place_es` per kept row (dashboard/model/placenames.py): a bundled place's Spanish name
    for rows with a location_id (empty where the place has none or the layer lacks the
    column), else the row's own; a user's row may give `place`, `place_es` or both."""
    own = place_es[keep].reset_index(drop=True)
    by_id = has_id[keep]
    if not by_id.any() or "place_es" not in locations.columns or not len(locations):
        frame["place_es"] = own.where(~pd.Series(by_id), "") if by_id.any() else own
        return
    index = pd.Index(locations["location_id"]).get_indexer(frame["location_id"][by_id])
    spanish = locations["place_es"].fillna("").to_numpy(dtype=object)
    values = own.to_numpy(dtype=object).copy()
    values[by_id] = spanish[index]
    frame["place_es"] = pd.Series(values, dtype=STRING_DTYPE)


# Validated records joined to their place, with their time interval in UTC.
INCIDENT_FRAME_COLUMNS = (
    *INCIDENT_COLUMNS,
    "t_start",
    "t_end",
    "lon",
    "lat",
    "place",
    "municipality",
    "cve_ent",
    "geo_precision",
    "place_es",
)


def empty_incidents() -> pd.DataFrame:
    """A table of no records with the columns (INCIDENT_FRAME_COLUMNS) and dtypes of a
    validated one: what a file with no valid row gives."""
    frame = pd.DataFrame({c: pd.Series([], dtype=STRING_DTYPE) for c in INCIDENT_FRAME_COLUMNS})
    for column in COUNT_FIELDS:
        frame[column] = frame[column].astype("Int64")
    frame["disputed"] = frame["disputed"].astype(bool)
    for column in ("t_start", "t_end"):
        frame[column] = pd.to_datetime(pd.Series([], dtype="int64"), unit="us", utc=True)
    for column in ("lon", "lat"):
        frame[column] = frame[column].astype(float)
    frame["geo_precision"] = frame["geo_precision"].astype("int64")
    frame["start"] = frame["start"].astype(object)
    frame["end"] = frame["end"].astype(object)
    return frame
