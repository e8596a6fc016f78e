"""The records in view, and the per-state table, as files analysts open in their own tools.

- CSV (spreadsheets; cells a spreadsheet would run as formulas are defused),
- GeoJSON (RFC 7946: WGS84 longitude/latitude, no `crs` member; properties = the CSV's
  columns, typed: integers, booleans, null for empty),
- GeoParquet (GeoPandas; the same columns plus a point geometry, EPSG:4326),
- the per-state table as CSV,
- a data package: one zip of those files, the per-municipality, per-day and per-week
  tables (render/tables_csv.py) and a `datapackage.json` (Frictionless Data
  Package, built with the `frictionless` library) with each file's schema, the licence,
  the credit, the data version, the view's permalink and the generation time; for a
  user's file (model/origin.py) instead the file's name, detected format and encoding and
  when it was checked, and none of the bundled data's claims.

Every function takes the frame `filters.apply` returns (validated records joined to
their places) and returns the file's bytes or text; none writes to disk.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.model.mexico import BY_CODE
from dashboard.model.origin import UserFile
from dashboard.model.schema import ACLED_COLUMNS
from dashboard.text.escape import defuse

COLUMNS = (
    "incident_id",
    "start",
    "end",
    "time_precision",
    "part_of_day",
    "event_type",
    "state",
    "cve_ent",
    "municipality",
    "place",
    "place_es",  # the Spanish name where `place` is an English description, else empty
    "latitude",
    "longitude",
    "geo_precision",
    "blockades",
    "fatalities",
    "injured",
    "arrested",
    "summary",
    "source_url",
    "source_outlet",
    "source_date",
    "more_source_urls",
    "confidence",
    "disputed",
    "notes",
    # optional: empty where the data has none (schema.py's optional incident columns)
    "summary_es",
    "distinct_from",
    "distinct_reason",
    "event_label",
    # how the record is in the view's window (filters.IN_WINDOW): "known" (its time
    # interval lies inside) or "possible" (only overlaps it); empty in a whole-file export
    "in_window",
)
INTEGER_COLUMNS = ("geo_precision", "blockades", "fatalities", "injured", "arrested")
COORDINATE_DECIMALS = 5  # about 1 m: finer than any place in the data is known


def _iso(value) -> str:
    if isinstance(value, datetime):  # the validator's values: aware datetimes
        return value.isoformat(timespec="minutes")
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).isoformat("T", "minutes")


def export_columns(selected: pd.DataFrame) -> tuple[str, ...]:
    """COLUMNS, then the ACLED columns (schema.ACLED_COLUMNS) the records have: an import
    of an ACLED file keeps them all, and its export carries them (text, as ACLED wrote
    them); other data has none."""
    return COLUMNS + tuple(c for c in ACLED_COLUMNS if c in selected.columns)


def records_frame(selected: pd.DataFrame) -> pd.DataFrame:
    """The export's columns (export_columns), typed: times as ISO 8601 text with the
    record's own UTC offset, coordinates in degrees rounded to 5 decimals, counts as
    nullable integers, `disputed` as booleans, other text as strings ("" for empty)."""
    columns = export_columns(selected)
    frame = pd.DataFrame(
        {
            **{c: selected[c] for c in columns if c in selected.columns},
            "start": [_iso(v) for v in selected["start"]],
            "end": [_iso(v) for v in selected["end"]],
            "state": [BY_CODE[c].name for c in selected["cve_ent"]],
            "latitude": selected["lat"].round(COORDINATE_DECIMALS),
            "longitude": selected["lon"].round(COORDINATE_DECIMALS),
        }
    )
    frame = frame.reindex(columns=list(columns)).reset_index(drop=True)
    for column in INTEGER_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    frame["disputed"] = frame["disputed"].astype(bool)
    text = [c for c in columns if c not in INTEGER_COLUMNS + ("latitude", "longitude", "disputed")]
    for column in text:
        frame[column] = frame[column].astype("string").fillna("").astype(object)
    return frame


def records_csv(selected: pd.DataFrame) -> str:
    """The records as CSV text (UTF-8, "\\n" line ends), formula cells defused with "'"."""
    frame = records_frame(selected)
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    for column in text_columns:
        frame[column] = frame[column].map(defuse)
    return frame.to_csv(index=False, lineterminator="\n")


def records_geojson(selected: pd.DataFrame, origin: UserFile | None = None) -> str:
    """An RFC 7946 FeatureCollection: one Point feature per record at [longitude,
    latitude] (WGS84 degrees); its properties are the CSV's columns, not defused (JSON
    has no formulas), empty counts as null. The records of a user's file (`origin`) name
    it in a foreign member `source_file` (RFC 7946 §6.1: name, format, encoding,
    checked)."""
    frame = records_frame(selected)
    # pandas writes each row's properties in C; the features are assembled around them.
    lines = frame.to_json(orient="records", lines=True, force_ascii=False, double_precision=6)
    # pandas escapes every "/" as "\/", so each "/" in its output follows exactly its own
    # escape: dropping those gives plain slashes (an escaped backslash stays "\\").
    lines = lines.replace("\\/", "/")
    # JSON strings carry no raw "\n" (pandas escapes it); other line breaks may be raw.
    properties = [line for line in lines.split("\n") if line]
    features = []
    for record_id, lon, lat, props in zip(
        frame["incident_id"], frame["longitude"], frame["latitude"], properties, strict=True
    ):
        key = json.dumps(record_id, ensure_ascii=False)
        point = f'{{"type":"Point","coordinates":[{float(lon)!r},{float(lat)!r}]}}'
        features.append(f'{{"type":"Feature","id":{key},"geometry":{point},"properties":{props}}}')
    source = (
        ""
        if origin is None
        else f'"source_file":{json.dumps(origin.as_dict(), ensure_ascii=False)},'
    )
    return '{"type":"FeatureCollection",' + source + '"features":[' + ",".join(features) + "]}"


def records_geodataframe(selected: pd.DataFrame) -> gpd.GeoDataFrame:
    """The export's columns with a Point geometry, EPSG:4326."""
    frame = records_frame(selected)
    return gpd.GeoDataFrame(
        frame,
        geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
        crs="EPSG:4326",
    )


def records_geoparquet(selected: pd.DataFrame, origin: UserFile | None = None) -> bytes:
    """GeoParquet (written by GeoPandas with pyarrow): the CSV's columns plus `geometry`.
    The records of a user's file (`origin`) name it in the file's key-value metadata,
    key `source_file` (JSON: name, format, encoding, checked), beside GeoParquet's `geo`."""
    out = io.BytesIO()
    records_geodataframe(selected).to_parquet(out, index=False)
    if origin is None:
        return out.getvalue()
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(out.getvalue()))
    metadata = dict(table.schema.metadata or {})
    metadata[b"source_file"] = json.dumps(origin.as_dict(), ensure_ascii=False).encode()
    named = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(metadata), named)
    return named.getvalue()


# ------------------------------------------------------------------ per-state table

# The per-state table's counts (integers; missing where there is no official figure).
STATE_COUNT_COLUMNS = (
    "incidents",
    "blockades",
    "fatalities",
    "arrests",
    "incidents_possible",
    "blockades_possible",
    "official_blockades",
    "located_at_official",
    "located_at_official_possible",
    "difference",
)
STATE_COLUMNS = (
    "cve_ent",
    "iso_3166_2",
    "state",
    "incidents",
    "blockades",
    "fatalities",
    "arrests",
    "incidents_possible",
    "blockades_possible",
    "official_blockades",
    "official_at",
    "official_by",
    "official_url",
    "located_at_official",
    "located_at_official_possible",
    "comparable",
    "difference",
    "official_other",
)


def state_table_frame(counts: pd.DataFrame, states: frozenset[str] | None = None) -> pd.DataFrame:
    """The per-state table (stats.state_counts) as exported: the view's states (all 32
    when `states` is None), in code order, with STATE_COLUMNS."""
    table = counts if states is None else counts[counts["cve_ent"].isin(states)]
    table = table.sort_values("cve_ent").reindex(columns=list(STATE_COLUMNS))
    for column in ("official_at", "official_by", "official_url", "official_other"):
        table[column] = table[column].fillna("").astype(str)
    return table.reset_index(drop=True)


def state_table_csv(counts: pd.DataFrame, states: frozenset[str] | None = None) -> str:
    """The per-state table as CSV; empty cells where there is no official figure or the
    two are not comparable."""
    frame = state_table_frame(counts, states)
    for column in ("official_by", "official_other"):
        frame[column] = frame[column].map(defuse)
    return frame.to_csv(index=False, lineterminator="\n")


# ------------------------------------------------------------------ data package

# The licence the repository declares (pyproject.toml) covers the compiled records; the
# linked articles remain their publishers'.
DATA_LICENSE = {
    "name": "MIT",
    "title": "MIT License",
    "path": "https://opensource.org/licenses/MIT",
}
SOURCE_NOTE = (
    "Compiled from published news reports and official statements; each record links "
    "its sources. Coordinates are estimates whose precision geo_precision states "
    "(1 exact site, 2 town or municipality, 3 state only). Boundaries: Natural Earth."
)
_DATETIME_FORMAT = "%Y-%m-%dT%H:%M%z"


def user_file_note(origin: UserFile) -> str:
    """The description of a package of a user's file: what it is and how it was read;
    its licence and sources are the file's own, which this package cannot know."""
    source = origin.as_dict()
    return (
        f"The valid rows of the file {source['name']} (read as {source['format']}, "
        f"encoding {source['encoding']}; checked {source['checked']}) in the view, "
        "converted to the map's columns. Its licence and sources are those of the file; "
        "the map's bundled data, its licence and the official figures are not part of it."
    )


def _incident_fields(with_geometry: bool = False, columns: tuple[str, ...] = COLUMNS) -> list:
    """The Table Schema fields of `columns` (export_columns: ACLED's are text, described
    as the ACLED codebook's own)."""
    from frictionless import fields

    described = {
        "incident_id": "stable id of the record",
        "start": "when it began, ISO 8601 with the state's UTC offset",
        "end": "when it ended or was cleared, where reported",
        "time_precision": "minute, hour, part_of_day or day",
        "part_of_day": "early_morning, morning, midday, afternoon, evening, night or empty",
        "event_type": "what happened (geodata/README.md lists the types)",
        "state": "state name",
        "cve_ent": "INEGI state code",
        "place": "the site as reported",
        "place_es": "the site's name in Spanish where place is an English description",
        "latitude": "degrees north, WGS84",
        "longitude": "degrees east, WGS84",
        "geo_precision": "1 exact site, 2 town or municipality, 3 state only",
        "blockades": "blockades the record stands for; empty = one for a blockade record",
        "disputed": "sources disagree on a figure, place or time (both are in notes)",
        "confidence": "high, medium (single outlet) or low (social media or contradicted)",
        "in_window": "known: the record's time interval lies inside the view's window; "
        "possible: it only overlaps the window (its time precision does not place it "
        "inside), so it is not in the view's counts",
    }
    for name in ACLED_COLUMNS:
        described.setdefault(name, "ACLED's own column, as ACLED wrote it (ACLED codebook)")
    result = []
    for name in columns:
        kwargs = {"name": name, "description": described.get(name, "")}
        if name in ("start", "end"):
            result.append(fields.DatetimeField(format=_DATETIME_FORMAT, **kwargs))
        elif name in INTEGER_COLUMNS:
            result.append(fields.IntegerField(**kwargs))
        elif name in ("latitude", "longitude"):
            result.append(fields.NumberField(**kwargs))
        elif name == "disputed":
            result.append(fields.BooleanField(**kwargs))
        else:
            result.append(fields.StringField(**kwargs))
    if with_geometry:
        result.append(fields.AnyField(name="geometry", description="Point, WKB, EPSG:4326"))
    return result


def _state_fields() -> list:
    from frictionless import fields

    described = {
        "incidents": "located incident records known to be in the view's window",
        "blockades": "road blockades in those records",
        "incidents_possible": "located incident records only possibly in the window "
        "(their time precision does not place them inside); not in incidents",
        "blockades_possible": "road blockades in those records; not in blockades",
        "official_blockades": "latest state-level official blockade figure by the window's end",
        "official_at": "when it was given (Mexico City time; the date alone if no hour)",
        "official_by": "the authority (or labelled media tally) that gave it",
        "official_url": "where it was published",
        "located_at_official": "located road blockades (any window) known to have started "
        "by official_at",
        "located_at_official_possible": "located road blockades that possibly had started "
        "by official_at (known only to a day or part of day still running then); not in "
        "located_at_official",
        "comparable": "official_at has an hour, so the two counts are comparable",
        "difference": "located_at_official minus official_blockades, where comparable",
        "official_other": "other figures for the state",
    }
    kinds = {
        "comparable": fields.BooleanField,
        "official_url": fields.StringField,
    }
    result = []
    for name in STATE_COLUMNS:
        kwargs = {"name": name, "description": described.get(name, "")}
        if name in kinds:
            result.append(kinds[name](**kwargs))
        elif name in STATE_COUNT_COLUMNS:
            result.append(fields.IntegerField(**kwargs))
        else:
            result.append(fields.StringField(**kwargs))
    return result


_TABLE_DESCRIPTIONS = {
    "cve_ent": "INEGI state code",
    "state": "state name",
    "municipality": "municipality as the records give it; empty for records placed only "
    "to their state",
    "incidents": "incident records known to be in the view's window",
    "blockades": "road blockades in those records",
    "fatalities": "fatalities reported in those records",
    "arrests": "arrests reported in those records",
    "incidents_possible": "incident records only possibly in the window (their time "
    "precision does not place them inside); not in incidents",
    "period_start": "first day of the period, each record's own local calendar date",
    "period_end": "the day after the period's last day (end exclusive)",
}


def _table_fields(columns: tuple[str, ...]) -> list:
    """The Table Schema fields of an aggregates.py table (MUNICIPALITY_COLUMNS or
    PERIOD_COLUMNS as tables_csv.py writes them): counts integer, period bounds ISO dates,
    the rest text."""
    from frictionless import fields

    from dashboard.analysis.aggregates import COUNT_COLUMNS

    result = []
    for name in columns:
        kwargs = {"name": name, "description": _TABLE_DESCRIPTIONS.get(name, "")}
        if name in COUNT_COLUMNS or name == "incidents_possible":
            result.append(fields.IntegerField(constraints={"minimum": 0}, **kwargs))
        elif name in ("period_start", "period_end"):
            result.append(fields.DateField(**kwargs))
        else:
            result.append(fields.StringField(**kwargs))
    return result


def _table_resources(selected: pd.DataFrame) -> tuple[dict[str, bytes], list]:
    """The per-municipality, per-day and per-week tables of `selected` (tables_csv.py)
    as package files {name: bytes} and their Frictionless resources, in that order. A
    period table's description says how many records in view no period holds."""
    from frictionless import Resource, Schema

    from dashboard.analysis.aggregates import (
        MUNICIPALITY_COLUMNS,
        PERIOD_COLUMNS,
        period_counts,
    )
    from dashboard.render.tables_csv import municipality_csv, period_frame_csv

    files = {"municipalities.csv": municipality_csv(selected).encode("utf-8")}
    resources = [
        Resource(
            name="municipalities",
            path="municipalities.csv",
            title="Per municipality: located counts",
            description="Incident records known to be in the view's window, per state and "
            "municipality; records only possibly in it are counted apart "
            "(incidents_possible). Official statements are not counted.",
            format="csv",
            encoding="utf-8",
            mediatype="text/csv",
            schema=Schema(
                fields=_table_fields(MUNICIPALITY_COLUMNS),
                primary_key=["cve_ent", "municipality"],
            ),
        )
    ]
    for period, name in (("day", "days"), ("week", "weeks")):
        table = period_counts(selected, period)
        files[f"{name}.csv"] = period_frame_csv(table.rows).encode("utf-8")
        span = "day" if period == "day" else "week (Monday to Sunday, ISO 8601)"
        resources.append(
            Resource(
                name=name,
                path=f"{name}.csv",
                title=f"Per {period}: located counts",
                description=f"Incident records known to be in the view's window, per {span} "
                "of each record's own local calendar (Mexico's time zones); a record is "
                "counted in a period only when its whole time lies inside it, and periods "
                "without records between the first and the last are listed with zeros. "
                f"Not in any row: {table.unplaced_long} record(s) known only to a week or "
                f"month, {table.unplaced_span} whose time runs past one {period}.",
                format="csv",
                encoding="utf-8",
                mediatype="text/csv",
                schema=Schema(fields=_table_fields(PERIOD_COLUMNS), primary_key=["period_start"]),
            )
        )
    return files, resources


def data_package(
    selected: pd.DataFrame,
    counts: pd.DataFrame,
    *,
    states: frozenset[str] | None,
    title: str,
    version: str,
    permalink: str,
    credit: str,
    generated_at: datetime | None = None,
    origin: UserFile | None = None,
) -> bytes:
    """A zip: `incidents.csv`, `incidents.geojson`, `incidents.parquet`, `states.csv`,
    `municipalities.csv`, `days.csv`, `weeks.csv` (_table_resources) and
    `datapackage.json` (Frictionless Data Package v1) describing them.

    `version` is the data version token (bundled_files.data_version), `permalink` the view's
    link (or query string), `generated_at` the generation time (default now, UTC).
    `origin`: the user's file the records come from (None: the bundled data). The package
    of a user's file names it (name, detected format and encoding, when it was checked:
    `source_file`, and the description) and carries none of the bundled data's claims: no
    licence, no credit or source note, no data version, no permalink (a link restores
    the filters, not the file), no official figures.
    """
    from frictionless import Package, Resource, Schema

    generated_at = (generated_at or datetime.now(UTC)).astimezone(UTC)
    files = {
        "incidents.csv": records_csv(selected).encode("utf-8"),
        "incidents.geojson": records_geojson(selected, origin).encode("utf-8"),
        "incidents.parquet": records_geoparquet(selected, origin),
        "states.csv": state_table_csv(counts, states).encode("utf-8"),
    }
    resources = [
        Resource(
            name="incidents",
            path="incidents.csv",
            title="Incidents in view (CSV)",
            description="One row per reported event. Cells starting with = + - @ are "
            "prefixed with ' so spreadsheets do not run them.",
            format="csv",
            encoding="utf-8",
            mediatype="text/csv",
            schema=Schema(
                fields=_incident_fields(columns=export_columns(selected)),
                primary_key=["incident_id"],
            ),
        ),
        Resource(
            name="incidents-geojson",
            path="incidents.geojson",
            title="Incidents in view (GeoJSON, RFC 7946)",
            description="Point features, WGS84 longitude/latitude; properties are the "
            "columns of incidents.csv.",
            format="geojson",
            mediatype="application/geo+json",
            encoding="utf-8",
        ),
        Resource(
            name="incidents-geoparquet",
            path="incidents.parquet",
            title="Incidents in view (GeoParquet)",
            description="The columns of incidents.csv plus a Point geometry (EPSG:4326).",
            format="parquet",
            mediatype="application/vnd.apache.parquet",
            schema=Schema(
                fields=_incident_fields(with_geometry=True, columns=export_columns(selected))
            ),
        ),
        Resource(
            name="states",
            path="states.csv",
            title="Per state: located and official blockades"
            if origin is None
            else "Per state: located counts",
            description="Located counts in the window, and located blockades up to the "
            "hour of the official figure beside it; difference only where comparable."
            if origin is None
            else "Located counts of the file's records in the window. The official "
            "columns are empty: official figures are compared only with the map's own data.",
            format="csv",
            encoding="utf-8",
            mediatype="text/csv",
            schema=Schema(fields=_state_fields(), primary_key=["cve_ent"]),
        ),
    ]
    table_files, table_resources = _table_resources(selected)
    files.update(table_files)
    resources.extend(table_resources)
    created = generated_at.isoformat(timespec="seconds").replace("+00:00", "Z")
    if origin is not None:
        package = Package(
            name="user-file-view",
            title=f"{origin.name}: records in view",
            description=user_file_note(origin),
            created=created,
            resources=resources,
        )
        descriptor = package.to_dict()
        descriptor["source_file"] = origin.as_dict()
    else:
        package = Package(
            name="tapalpa-incident-map-view",
            title=title,
            description=SOURCE_NOTE,  # the credit line is the source's title below: not twice
            version=version,
            licenses=[DATA_LICENSE],
            sources=[{"title": credit}],
            homepage=permalink if permalink.startswith(("http://", "https://")) else None,
            created=created,
            resources=resources,
        )
        descriptor = package.to_dict()
        descriptor["view"] = {"permalink": permalink, "data_version": version}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        )
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def validate_package(data: bytes) -> list[str]:
    """Frictionless's own validation of a data-package zip: the errors, [] when valid."""
    from frictionless import Package

    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(folder)  # noqa: S202 - our own zip, names fixed above
        report = Package(str(Path(folder) / "datapackage.json")).validate()
        return [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors] + [
            f"{e.type}: {e.message}" for e in report.errors
        ]
