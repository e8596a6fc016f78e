"""Which kind of file a validator is given, from its first bytes or its columns."""

from __future__ import annotations

from dashboard.ingest import acled
from dashboard.ingest.read import Table

# The kinds of file `file_kind` tells apart; "incidents" is ours or ACLED's.
FILE_KINDS = ("states", "locations", "official counts", "incidents")


def file_kind(data: bytes) -> str:
    """One of FILE_KINDS, from the columns named in the first 4 KiB of the file: a states
    layer names `iso_3166_2`; a places layer `location_id` and an official-counts table
    `reported_at`, neither with `incident_id`; anything else is read as incidents (whose
    validator says what is wrong with a file that is none of these)."""
    head = data[:4096].decode("utf-8", errors="replace")
    if '"iso_3166_2"' in head:
        return "states"
    if "location_id" in head and "incident_id" not in head:
        return "locations"
    if "reported_at" in head and "incident_id" not in head:
        return "official counts"
    return "incidents"


def detect_format(table: Table, bundled: bool = False) -> str:
    """ "acled-csv", "acled-json", "acled-geojson" or the table's own format ("csv",
    "geojson")."""
    if not bundled and acled.is_acled(table.columns):
        return f"acled-{table.format}"  # acled-csv, acled-json, acled-geojson
    return table.format
