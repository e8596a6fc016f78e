"""Where the bundled data lives, and reading the layers that need no row checks."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

GEODATA = Path(__file__).resolve().parent.parent / "geodata"
STATES_FILE = GEODATA / "states.geojson"
STATES_DISPLAY_FILE = GEODATA / "states_display.geojson"
LOCATIONS_FILE = GEODATA / "locations.geojson"
OPERATION_SITE_FILE = GEODATA / "operation_site.geojson"
INCIDENTS_FILE = GEODATA / "incidents.csv"
OFFICIAL_FILE = GEODATA / "official_counts.csv"
KEY_MOMENTS_FILE = GEODATA / "key_moments.csv"
DATA_FILES = (
    STATES_FILE,
    STATES_DISPLAY_FILE,
    LOCATIONS_FILE,
    OPERATION_SITE_FILE,
    INCIDENTS_FILE,
    OFFICIAL_FILE,
    KEY_MOMENTS_FILE,
)


def read_states(path: Path = STATES_FILE) -> gpd.GeoDataFrame:
    states = gpd.read_file(path, engine="pyogrio")
    return states.sort_values("cve_ent").reset_index(drop=True)


@lru_cache(maxsize=4)
def bundled_states() -> gpd.GeoDataFrame:
    """Full-resolution states, read once per process: joins and checks use them."""
    return read_states(STATES_FILE)


def data_files(geodata: Path = GEODATA) -> tuple[Path, ...]:
    return tuple(geodata / path.name for path in DATA_FILES)


def data_version(files: tuple[Path, ...] = DATA_FILES) -> str:
    """Short content hash of the bundled data: cache key and permalink token."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]
