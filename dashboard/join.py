"""Points to states, on the full-resolution layer."""

from __future__ import annotations

import geopandas as gpd
import shapely


def state_at(states: gpd.GeoDataFrame, lon: float, lat: float) -> str | None:
    """The INEGI code of the state containing a point, or None off the map."""
    hits = states.sindex.query(shapely.Point(lon, lat), predicate="within")
    return None if len(hits) == 0 else states.cve_ent.iloc[int(hits[0])]
