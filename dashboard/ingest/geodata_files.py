"""Check the geodata files beside the incidents: the states layer, the places layer, the
official figures and the key moments. Each returns (the valid rows, a `Report`); a row
with an error is left out, and nothing here raises on bad data.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.ingest.columns import Checks, missing_columns
from dashboard.ingest.locate import locate_points
from dashboard.ingest.read import read_table
from dashboard.model.mexico import BY_CODE, resolve_state
from dashboard.model.schema import (
    GEO_PRECISIONS,
    LOCATION_FIELDS,
    OFFICIAL_COLUMNS,
    TIME_PRECISIONS,
    Report,
)
from dashboard.text.message import msg


def validate_locations(
    data: bytes, name: str, states: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, Report]:
    """The bundled places: id, place, municipality, state, precision and a point in it."""
    report = Report()
    table = read_table(data, name, report)
    empty = gpd.GeoDataFrame(
        columns=[*LOCATION_FIELDS, "geometry"], geometry="geometry", crs="EPSG:4326"
    )
    if table is None or missing_columns(table.columns, LOCATION_FIELDS, name, report):
        return empty, report
    check = Checks(table, name, report)
    location_id = check.text("location_id", required=True)
    check.unique("location_id")
    place = check.text("place", required=True)
    place_es = check.text("place_es")  # the Spanish form of a description (placenames.py)
    municipality = check.text("municipality")
    state, unknown = check.states("cve_ent")
    check.problem(
        unknown,
        "cve_ent",
        msg("unknown state: use the INEGI code 01..32, MX-XXX or the state's name"),
    )
    check.text("cve_ent", required=True)
    precision = check.choice("geo_precision", [str(k) for k in GEO_PRECISIONS], required=True)
    lon, lat, ok = check.coordinates(np.ones(check.n, dtype=bool))
    candidates = np.flatnonzero(ok & ~check.bad)
    located = locate_points(
        name,
        table.rows[candidates],
        lon[candidates],
        lat[candidates],
        state[candidates],
        states,
        report,
    )
    keep = np.zeros(check.n, dtype=bool)
    keep[candidates[located.in_mexico]] = True
    if not keep.any():
        return empty, report
    frame = gpd.GeoDataFrame(
        {
            "location_id": location_id[keep].to_numpy(dtype=object),
            "place": place[keep].to_numpy(dtype=object),
            "place_es": place_es[keep].to_numpy(dtype=object),
            "municipality": municipality[keep].to_numpy(dtype=object),
            "cve_ent": state[keep],
            "geo_precision": precision[keep].astype("int64").to_numpy(),
        },
        geometry=shapely.points(lon[keep], lat[keep]),
        crs="EPSG:4326",
    )
    return frame, report


def validate_official(data: bytes, name: str) -> tuple[pd.DataFrame, Report]:
    """Official figures: when, scope, metric, a whole-number value, who said it, where."""
    report = Report()
    table = read_table(data, name, report)
    required = ("reported_at", "scope", "metric", "value", "reported_by", "source_url")
    if table is None or missing_columns(table.columns, required, name, report):
        return pd.DataFrame(columns=[*OFFICIAL_COLUMNS, "t_reported"]), report
    check = Checks(table, name, report)
    reported_us, _ = check.timestamps("reported_at")
    precision = check.choice("time_precision", TIME_PRECISIONS, required=False)
    check.text("scope", required=True)
    state, unknown = check.states("cve_ent")
    check.problem(
        unknown,
        "cve_ent",
        msg("unknown state: use the INEGI code 01..32, MX-XXX or the state's name"),
    )
    check.text("metric", required=True)
    value = check.count("value")
    check.problem(np.isnan(value) & ~check.bad, "value", msg("required number is empty"))
    check.text("reported_by", required=True)
    check.url("source_url")
    disputed = check.flag("disputed")
    keep = ~check.bad
    frame = pd.DataFrame(
        {
            "reported_at": check.col("reported_at")[keep].to_numpy(dtype=object),
            "time_precision": precision[keep]
            .where(precision[keep] != "", "day")
            .to_numpy(dtype=object),
            "scope": check.col("scope")[keep].to_numpy(dtype=object),
            "cve_ent": state[keep],
            "metric": check.col("metric")[keep].to_numpy(dtype=object),
            "value": value[keep].astype("int64"),
            "reported_by": check.col("reported_by")[keep].to_numpy(dtype=object),
            "source_url": check.col("source_url")[keep].to_numpy(dtype=object),
            "disputed": disputed[keep],
            "notes": check.col("notes")[keep].to_numpy(dtype=object),
            "t_reported": pd.to_datetime(reported_us[keep], unit="us", utc=True),
        },
        columns=[*OFFICIAL_COLUMNS, "t_reported"],
    )
    return frame, report


def validate_key_moments(data: bytes, name: str) -> tuple[pd.DataFrame, Report]:
    """The short sourced timeline shown beside the map."""
    report = Report()
    table = read_table(data, name, report)
    columns = ["at", "time_precision", "headline", "source_url", "source_outlet"]
    if table is None or missing_columns(table.columns, columns[:4], name, report):
        return pd.DataFrame(columns=columns), report
    check = Checks(table, name, report)
    at_us, offset = check.timestamps("at")
    precision = check.choice("time_precision", TIME_PRECISIONS)
    check.text("headline", required=True)
    if "headline_es" in table.columns:  # the Spanish headline, when the file carries it
        check.text("headline_es", required=True)
    check.url("source_url")
    keep = ~check.bad
    # Aware datetimes on their own clock, as `timestamps` read them (a numeric date in
    # the column's day/month order).
    at = list(check.datetimes("at", keep))
    frame = pd.DataFrame(
        {
            "at": pd.Series(at, dtype=object),
            "time_precision": precision[keep].to_numpy(dtype=object),
            "headline": check.col("headline")[keep].to_numpy(dtype=object),
            "source_url": check.col("source_url")[keep].to_numpy(dtype=object),
            "source_outlet": check.col("source_outlet")[keep].to_numpy(dtype=object),
        },
        columns=columns,
    )
    return frame, report


def validate_states(data: bytes, name: str) -> tuple[gpd.GeoDataFrame, Report]:
    """The states layer: 32 valid polygons with their codes."""
    report = Report()
    try:
        collection = gpd.read_file(io.BytesIO(data), engine="pyogrio")
    except Exception as exc:  # noqa: BLE001 - any reader failure is a file-level problem
        report.add(
            name, None, None, None, msg("unreadable states layer: {detail}", detail=str(exc))
        )
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"), report
    report.unit = "feature"
    codes, geoms = [], []
    for number, (code_text, geom) in enumerate(
        zip(
            collection.get("cve_ent", pd.Series([""] * len(collection))),
            collection.geometry,
            strict=True,
        ),
        start=1,
    ):
        state, _ = resolve_state(str(code_text or ""))
        failed = False
        if state is None:
            report.add(name, number, "cve_ent", code_text, msg("unknown state"))
            failed = True
        if geom is None or geom.is_empty:
            report.add(name, number, "geometry", None, msg("no geometry"))
            continue
        if not geom.is_valid:
            reason = msg("invalid geometry: {detail}", detail=shapely.is_valid_reason(geom))
            report.add(name, number, "geometry", geom.geom_type, reason)
            failed = True
        if state is not None and state.cve_ent in codes:
            report.add(name, number, "cve_ent", state.cve_ent, msg("duplicate state"))
            failed = True
        if not failed:
            codes.append(state.cve_ent)
            geoms.append(geom)
    missing = sorted(set(BY_CODE) - set(codes))
    if missing:
        report.add(name, None, "cve_ent", ", ".join(missing), msg("states missing from the layer"))
    frame = gpd.GeoDataFrame(
        {
            "cve_ent": codes,
            "iso_3166_2": [BY_CODE[c].iso_3166_2 for c in codes],
            "name": [BY_CODE[c].name for c in codes],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    return frame, report
