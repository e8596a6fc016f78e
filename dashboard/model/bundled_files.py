"""Where the bundled data lives, and a version token for it."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

GEODATA = Path(__file__).resolve().parent.parent.parent / "geodata"
STATES_FILE = GEODATA / "states.geojson"
STATES_DISPLAY_FILE = GEODATA / "states_display.geojson"
LOCATIONS_FILE = GEODATA / "locations.geojson"
OPERATION_SITE_FILE = GEODATA / "operation_site.geojson"
INCIDENTS_FILE = GEODATA / "incidents.csv"
OFFICIAL_FILE = GEODATA / "official_counts.csv"
KEY_MOMENTS_FILE = GEODATA / "key_moments.csv"
# The public corrections log: part of the data version, so a link made before a
# correction says the data has been updated since.
CORRECTIONS_FILE = GEODATA / "corrections.csv"
DATA_FILES = (
    STATES_FILE,
    STATES_DISPLAY_FILE,
    LOCATIONS_FILE,
    OPERATION_SITE_FILE,
    INCIDENTS_FILE,
    OFFICIAL_FILE,
    KEY_MOMENTS_FILE,
    CORRECTIONS_FILE,
)


def data_files(geodata: Path = GEODATA) -> tuple[Path, ...]:
    return tuple(geodata / path.name for path in DATA_FILES)


def data_version(files: tuple[Path, ...] = DATA_FILES) -> str:
    """Short content hash of the bundled data: cache key and permalink token."""
    stats = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _content_hash(stats)


@lru_cache(maxsize=8)
def _content_hash(stats: tuple[tuple[str, int, int], ...]) -> str:
    """Hashed once per file version (the page asks on every rerun)."""
    digest = hashlib.sha256()
    for path, _, _ in stats:
        digest.update(Path(path).name.encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:10]
