"""Where a record is: points outside their declared state (`outside_state`, a
quality-view table measured on the full-resolution boundaries).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.analysis.quality_duplicates import METRIC_CRS
from dashboard.analysis.quality_findings import cell_text
from dashboard.model.mexico import BY_CODE
from dashboard.text.message import msg


def outside_state_table(
    frame: pd.DataFrame, states: gpd.GeoDataFrame, lang: str = "en"
) -> pd.DataFrame:
    """Records whose point is not inside their declared state's polygon (full-resolution
    boundaries): where the point is instead, and how far (km) from the declared state.
    `detail` (and `point_in` off every state) in `lang`."""

    columns = ["incident_id", "declared_state", "point_in", "km_outside", "place", "detail"]
    placed = frame[frame["geo_precision"] != 3]
    if placed.empty:
        return pd.DataFrame(columns=columns)
    points = shapely.points(placed["lon"].to_numpy(), placed["lat"].to_numpy())
    codes = states["cve_ent"].tolist()
    by_code = dict(zip(codes, states.geometry.values, strict=True))
    found = np.full(len(placed), None, dtype=object)
    hit_point, hit_state = shapely.STRtree(states.geometry.values).query(points, predicate="within")
    found[hit_point] = np.asarray(codes, dtype=object)[hit_state]
    declared_codes = placed["cve_ent"].to_numpy(dtype=object)
    rows = []
    for k in np.flatnonzero(found != declared_codes).tolist():
        declared = by_code.get(declared_codes[k])
        if declared is None or (found[k] is None and declared.covers(points[k])):
            continue  # unknown code (the validator says so), or a point on the border line
        where = BY_CODE[found[k]].name if found[k] else msg("no state (coast or border)").text(lang)
        metric = gpd.GeoSeries([declared, points[k]], crs="EPSG:4326").to_crs(METRIC_CRS)
        km = round(float(metric.iloc[0].distance(metric.iloc[1])) / 1000, 1)
        declared_name = BY_CODE[declared_codes[k]].name
        record = placed.iloc[k]
        rows.append(
            {
                "incident_id": record["incident_id"],
                "declared_state": declared_name,
                "point_in": where,
                "km_outside": km,
                "place": cell_text(record.get("place")),
                "detail": msg(
                    "point lies in {where}, {km} km outside {declared}",
                    where=where,
                    km=km,
                    declared=declared_name,
                ).text(lang),
            }
        )
    return pd.DataFrame(rows, columns=columns)
