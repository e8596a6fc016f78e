"""Check incident, location and official-count files; collect every problem at once.

A file is read row by row: a bad row is reported (file, row, field, value, reason) and
dropped, and every valid row is kept. Nothing here raises on bad data.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd
import shapely

from .mexico import BY_CODE, state_lookup
from .schema import (
    CONFIDENCE,
    COUNT_FIELDS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    INCIDENT_COLUMNS,
    INCIDENT_REQUIRED,
    LOCATION_FIELDS,
    MEXICO_BOUNDS,
    OFFICIAL_COLUMNS,
    PART_OF_DAY_SPANS,
    TIME_PRECISIONS,
    Report,
)
from .timing import TimestampError, interval, parse_timestamp

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_JSON_DEPTH = 20  # a FeatureCollection of points needs 6
# Points this close to a state polygon (degrees, about 5 km) are coast or border
# points that a 1:10m line puts just outside; farther is outside Mexico.
COAST_TOLERANCE_DEG = 0.05


@dataclass
class RawRow:
    number: int  # 1-based data row (CSV) or feature (GeoJSON)
    values: dict[str, Any]


@dataclass
class RawTable:
    rows: list[RawRow]
    columns: list[str]
    decimal_comma: bool = False


def is_http_url(value: str) -> bool:
    """Only http(s) URLs with a host become links; javascript:, data: etc. never do."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value.strip()


# ---------------------------------------------------------------- reading files


def read_table(data: bytes, name: str, report: Report) -> RawTable | None:
    """CSV or GeoJSON (by content) to raw rows; None when nothing can be read."""
    if len(data) > MAX_FILE_BYTES:
        report.add(name, None, None, f"{len(data)} bytes", f"file larger than {MAX_FILE_BYTES}")
        return None
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        report.add(name, None, None, None, "file is empty")
        return None
    text = decode(data, name, report)
    if text.lstrip().startswith(("{", "[")) or name.lower().endswith((".geojson", ".json")):
        return read_geojson(text, name, report)
    return read_csv(text, name, report)


def decode(data: bytes, name: str, report: Report) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add(
            name,
            None,
            None,
            repr(data[exc.start : exc.start + 4]),
            "not UTF-8; read as Windows-1252 (cp1252): save as UTF-8 to be sure",
            severity="warning",
        )
        return data.decode("cp1252", errors="replace")


def read_csv(text: str, name: str, report: Report) -> RawTable | None:
    lines = text.splitlines()
    header_line = lines[0] if lines else ""
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        report.add(name, None, None, None, f"unreadable CSV: {exc}")
        return None
    header = [h.strip() for h in records[0]]
    body = [(i, r) for i, r in enumerate(records[1:], start=1) if "".join(r).strip()]
    if not body:
        report.add(name, None, None, None, "header only: the file has no data rows")
        return None
    rows = []
    for number, record in body:
        if len(record) != len(header):
            report.add(
                name,
                number,
                None,
                f"{len(record)} fields",
                f"ragged row: {len(record)} fields where the header has {len(header)}",
            )
            continue
        rows.append(RawRow(number, dict(zip(header, map(str.strip, record), strict=True))))
    return RawTable(rows, header, decimal_comma=delimiter == ";")


def json_depth(value: Any) -> int:
    depth, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        depth = max(depth, level)
        if level > MAX_JSON_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return depth


def read_geojson(text: str, name: str, report: Report) -> RawTable | None:
    try:
        doc = json.loads(text)
    except RecursionError:
        report.add(name, None, None, None, "absurdly deep JSON nesting")
        return None
    except json.JSONDecodeError as exc:
        report.add(name, None, None, None, f"not JSON: {exc.msg} at line {exc.lineno}")
        return None
    if json_depth(doc) > MAX_JSON_DEPTH:
        report.add(name, None, None, None, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        report.add(name, None, "type", str(kind), "not a GeoJSON FeatureCollection")
        return None
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        report.add(name, None, "features", None, "FeatureCollection has no features")
        return None
    rows, columns = [], dict.fromkeys(())
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report.add(name, number, "type", None, "not a GeoJSON Feature")
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            report.add(name, number, "properties", None, "properties must be an object")
            continue
        values = {k: v.strip() if isinstance(v, str) else v for k, v in properties.items()}
        geometry = feature.get("geometry")
        if geometry is None:
            report.add(name, number, "geometry", "null", "feature has no geometry")
            continue
        values["__geometry__"] = geometry
        columns.update(dict.fromkeys(values))
        rows.append(RawRow(number, values))
    return RawTable(rows, [c for c in columns if c != "__geometry__"])


# ---------------------------------------------------------------- field checks


class RowCheck:
    """Reads one row's fields, recording each problem against the row."""

    def __init__(self, name: str, row: RawRow, report: Report, decimal_comma: bool = False):
        self.name, self.row, self.report, self.decimal_comma = name, row, report, decimal_comma
        self.values = row.values
        self.failed = False

    def problem(self, field: str | None, value: Any, reason: str, severity: str = "error"):
        shown = None if value is None else str(value)[:200]
        self.report.add(self.name, self.row.number, field, shown, reason, severity)
        if severity == "error":
            self.failed = True

    def text(self, field: str, required: bool = False) -> str:
        value = self.values.get(field, "")
        if type(value) is not str:  # GeoJSON properties: numbers, null
            value = "" if value is None else str(value).strip()
        if required and not value:
            self.problem(field, self.values.get(field), "required text is empty")
        return value

    def choice(self, field: str, allowed: Iterable[str], required: bool = True) -> str:
        """`allowed` is a dict, set or tuple of accepted values (in the message's order)."""
        value = self.text(field, required=required)
        if value and value not in allowed:
            self.problem(field, value, f"unknown value; expected one of: {', '.join(allowed)}")
        return value

    def count(self, field: str) -> int | None:
        raw = self.text(field)
        if not raw:
            return None
        try:
            number = float(raw.replace(",", ".") if self.decimal_comma else raw)
        except ValueError:
            self.problem(field, raw, "not a number")
            return None
        if not math.isfinite(number) or number != int(number):
            self.problem(field, raw, "not a whole number")
            return None
        if number < 0:
            self.problem(field, raw, "negative count")
            return None
        return int(number)

    def number(self, field: str) -> float | None:
        raw = self.row.values.get(field)
        if isinstance(raw, bool):
            self.problem(field, raw, "not a number")
            return None
        if isinstance(raw, int | float):
            number = float(raw)
        else:
            text = "" if raw is None else str(raw).strip()
            if not text:
                self.problem(field, raw, "required number is empty")
                return None
            if self.decimal_comma:
                text = text.replace(",", ".")
            try:
                number = float(text)
            except ValueError:
                self.problem(field, raw, "not a number")
                return None
        if not math.isfinite(number):
            self.problem(field, raw, "not a finite number (NaN or infinity)")
            return None
        return number

    def timestamp(self, field: str, required: bool = True) -> datetime | None:
        raw = self.text(field, required=required)
        if not raw:
            return None
        try:
            return parse_timestamp(raw)
        except TimestampError as exc:
            self.problem(field, raw, str(exc))
            return None

    def url(self, field: str, required: bool = True) -> str:
        value = self.text(field, required=required)
        if value and not is_http_url(value):
            self.problem(field, value, "source URL must be an http(s) address with a host")
        return value

    def urls(self, field: str) -> str:
        values = self.text(field).split()
        for value in values:
            if not is_http_url(value):
                self.problem(field, value, "source URL must be an http(s) address with a host")
        return " ".join(values)

    def flag(self, field: str) -> bool:
        value = self.text(field).lower()
        if value in ("", "false", "0", "no"):
            return False
        if value in ("true", "1", "yes"):
            return True
        self.problem(field, value, "expected true or false")
        return False

    def state_code(self, field: str, required: bool = True) -> str:
        value = self.text(field, required=required)
        if not value:
            return ""
        state = state_lookup(value)
        if state is None:
            self.problem(field, value, "unknown state: use the INEGI code 01..32 or MX-XXX")
            return ""
        return state.cve_ent

    def coordinates(self) -> tuple[float, float] | None:
        """(lon, lat) from a GeoJSON point or latitude/longitude fields."""
        geometry = self.row.values.get("__geometry__")
        if geometry is not None:
            if not isinstance(geometry, dict) or geometry.get("type") != "Point":
                kind = geometry.get("type") if isinstance(geometry, dict) else geometry
                self.problem("geometry", kind, "expected a Point geometry")
                return None
            coords = geometry.get("coordinates")
            if not isinstance(coords, list) or len(coords) not in (2, 3):
                self.problem("geometry", coords, "a Point needs [longitude, latitude]")
                return None
            self.row.values["longitude"], self.row.values["latitude"] = coords[0], coords[1]
        lat, lon = self.number("latitude"), self.number("longitude")
        if lat is None or lon is None:
            return None
        west, south, east, north = MEXICO_BOUNDS
        if west <= lat <= east and south <= lon <= north:
            self.problem(
                "latitude", f"{lat}, {lon}", "latitude and longitude look swapped for Mexico"
            )
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            field = "latitude" if not -90 <= lat <= 90 else "longitude"
            value = lat if field == "latitude" else lon
            self.problem(field, value, "out of range (latitude -90..90, longitude -180..180)")
            return None
        inside = west <= lon <= east and south <= lat <= north
        if not inside:
            self.problem("latitude", f"{lat}, {lon}", "point is outside Mexico")
            return None
        return lon, lat


# ---------------------------------------------------------------- spatial checks


def locate_in_states(
    name: str, records: list[dict], states: gpd.GeoDataFrame, report: Report
) -> tuple[list[str | None], list[bool]]:
    """State found by point in polygon for each point, and whether the point is in Mexico.

    A point in another state than declared, or just off the coast or border, is a warning
    naming both states; one far from every state is an error.
    """
    if not records:
        return [], []
    numbers = [r["row"] for r in records]
    declared = [r["cve_ent"] for r in records]
    geoms = shapely.points([r["point"] for r in records])
    tree = shapely.STRtree(states.geometry.values)
    hits = tree.query(geoms, predicate="within")
    found: list[str | None] = [None] * len(records)
    for point_index, state_index in zip(hits[0], hits[1], strict=True):
        found[point_index] = states.cve_ent.iloc[state_index]
    in_mexico = [True] * len(records)
    codes = states.cve_ent.tolist()
    for i, (number, point, code) in enumerate(zip(numbers, geoms, declared, strict=True)):
        where = f"{point.y:.4f}, {point.x:.4f}"
        if found[i] is None:
            nearest = int(tree.nearest(point))
            distance = states.geometry.iloc[nearest].distance(point)
            near_name = BY_CODE[codes[nearest]].name
            if distance > COAST_TOLERANCE_DEG:
                report.add(name, number, "latitude", where, "point is outside Mexico")
                in_mexico[i] = False
                continue
            found[i] = codes[nearest]
            if code and code != codes[nearest]:
                report.add(
                    name,
                    number,
                    "cve_ent",
                    code,
                    f"point lies just outside the state polygons, nearest {near_name}, "
                    f"not its declared state {BY_CODE[code].name}",
                    severity="warning",
                )
            elif code:
                report.add(
                    name,
                    number,
                    "latitude",
                    where,
                    f"point lies {distance * 111:.1f} km outside the {near_name} polygon "
                    "(coast or border at 1:10m)",
                    severity="warning",
                )
        elif code and found[i] != code:
            report.add(
                name,
                number,
                "cve_ent",
                code,
                f"point lies in {BY_CODE[found[i]].name}, not its declared state "
                f"{BY_CODE[code].name}",
                severity="warning",
            )
    return found, in_mexico


# ---------------------------------------------------------------- file validators


def missing_columns(
    table: RawTable, required: Iterable[str], name: str, report: Report, geojson_ok=()
) -> bool:
    missing = [c for c in required if c not in table.columns and c not in geojson_ok]
    for column in missing:
        report.add(name, None, column, None, "required column is missing")
    return bool(missing)


def validate_locations(
    data: bytes, name: str, states: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, Report]:
    report = Report()
    table = read_table(data, name, report)
    empty = gpd.GeoDataFrame(
        columns=[*LOCATION_FIELDS, "geometry"], geometry="geometry", crs="EPSG:4326"
    )
    if table is None or missing_columns(table, LOCATION_FIELDS, name, report):
        return empty, report
    records, seen = [], {}
    for row in table.rows:
        check = RowCheck(name, row, report, table.decimal_comma)
        location_id = check.text("location_id", required=True)
        if location_id in seen:
            check.problem(
                "location_id", location_id, f"duplicate id (first in row {seen[location_id]})"
            )
        record = {
            "location_id": location_id,
            "place": check.text("place", required=True),
            "municipality": check.text("municipality"),
            "cve_ent": check.state_code("cve_ent"),
            "geo_precision": check.choice(
                "geo_precision", [str(k) for k in GEO_PRECISIONS], required=True
            ),
            "point": check.coordinates(),
        }
        if not check.failed:
            seen[location_id] = row.number
            record["row"] = row.number
            records.append(record)
    _, in_mexico = locate_in_states(name, records, states, report)
    records = [r for r, ok in zip(records, in_mexico, strict=True) if ok]
    if not records:
        return empty, report
    frame = gpd.GeoDataFrame(
        {
            "location_id": [r["location_id"] for r in records],
            "place": [r["place"] for r in records],
            "municipality": [r["municipality"] for r in records],
            "cve_ent": [r["cve_ent"] for r in records],
            "geo_precision": [int(r["geo_precision"]) for r in records],
        },
        geometry=shapely.points([r["point"] for r in records]),
        crs="EPSG:4326",
    )
    return frame, report


def validate_incidents(
    data: bytes,
    name: str,
    locations: gpd.GeoDataFrame,
    states: gpd.GeoDataFrame,
) -> tuple[pd.DataFrame, Report]:
    """Incident records, each tied to a bundled location or placed by its own coordinates."""
    report = Report()
    table = read_table(data, name, report)
    if table is None or missing_columns(table, INCIDENT_REQUIRED, name, report):
        return empty_incidents(), report
    has_coords = {"latitude", "longitude"} <= set(table.columns) or any(
        "__geometry__" in r.values for r in table.rows
    )
    if "location_id" not in table.columns and not has_coords:
        report.add(
            name,
            None,
            "location_id",
            None,
            "required column is missing (or give latitude/longitude)",
        )
        return empty_incidents(), report
    known_locations = set(locations.location_id)
    records, seen = [], {}
    own_points: list[dict] = []
    for row in table.rows:
        check = RowCheck(name, row, report, table.decimal_comma)
        incident_id = check.text("incident_id", required=True)
        if incident_id in seen:
            check.problem(
                "incident_id", incident_id, f"duplicate id (first in row {seen[incident_id]})"
            )
        start = check.timestamp("start")
        end = check.timestamp("end", required=False)
        if start and end and end < start:
            check.problem("end", check.text("end"), "end is before start")
        precision = check.choice("time_precision", TIME_PRECISIONS)
        part = check.choice("part_of_day", PART_OF_DAY_SPANS, required=False)
        record: dict[str, Any] = {
            "incident_id": incident_id,
            "start": start,
            "end": end,
            "time_precision": precision,
            "part_of_day": part,
            "event_type": check.choice("event_type", EVENT_TYPES),
            **{f: check.count(f) for f in COUNT_FIELDS},
            "summary": check.text("summary", required=True),
            "source_url": check.url("source_url"),
            "source_outlet": check.text("source_outlet"),
            "source_date": check.text("source_date"),
            "more_source_urls": check.urls("more_source_urls"),
            "confidence": check.choice("confidence", CONFIDENCE, required=False),
            "disputed": check.flag("disputed"),
            "notes": check.text("notes"),
        }
        location_id = check.text("location_id")
        own = "__geometry__" in row.values or check.text("latitude") or check.text("longitude")
        if location_id:
            if location_id not in known_locations:
                check.problem("location_id", location_id, "unknown location_id")
            record["location_id"] = location_id
        elif own:
            record["point"] = check.coordinates()
            record["cve_ent"] = check.state_code("cve_ent", required=False)
            record["location_id"] = f"{name}#{row.number}"
        else:
            check.problem("location_id", "", "needs a location_id or latitude/longitude")
        if check.failed:
            continue
        seen[incident_id] = row.number
        record["row"] = row.number
        if "point" in record:
            own_points.append(record)
        records.append(record)
    dropped = drop_outside(name, own_points, states, report)
    records = [r for r in records if id(r) not in dropped]
    return incidents_frame(records, locations, name), report


def drop_outside(name: str, own: list[dict], states, report: Report) -> set[int]:
    found, in_mexico = locate_in_states(name, own, states, report)
    for record, code in zip(own, found, strict=True):
        record["cve_ent"] = record["cve_ent"] or code
    return {id(r) for r, ok in zip(own, in_mexico, strict=True) if not ok}


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
)


def empty_incidents() -> pd.DataFrame:
    return incidents_frame([], None, "")


def incidents_frame(records: list[dict], locations, name: str) -> pd.DataFrame:
    """Validated records joined to their place: the frame every view filters."""
    places = {}
    if locations is not None and len(locations):
        places = dict(
            zip(
                locations["location_id"].tolist(),
                zip(
                    locations.geometry.x.tolist(),
                    locations.geometry.y.tolist(),
                    locations["place"].tolist(),
                    locations["municipality"].tolist(),
                    locations["cve_ent"].tolist(),
                    locations["geo_precision"].tolist(),
                    strict=True,
                ),
                strict=True,
            )
        )
    own = {}
    for r in records:
        if "point" in r:
            own[r["location_id"]] = (*r["point"], "", "", r["cve_ent"], 1)
    joined = [own.get(r["location_id"]) or places[r["location_id"]] for r in records]
    spans = [interval(r["start"], r["time_precision"], r["part_of_day"], r["end"]) for r in records]
    frame = pd.DataFrame.from_records(records, columns=list(INCIDENT_COLUMNS))
    # Through epoch microseconds: pandas parses mixed-offset datetimes slowly.
    for column, side in (("t_start", 0), ("t_end", 1)):
        micros = [round(span[side].timestamp() * 1_000_000) for span in spans]
        frame[column] = pd.to_datetime(pd.Series(micros, dtype="int64"), unit="us", utc=True)
    for position, column in enumerate(("lon", "lat", "place", "municipality", "cve_ent")):
        frame[column] = [j[position] for j in joined]
    frame["geo_precision"] = pd.Series([j[5] for j in joined], dtype="int64")
    for column in COUNT_FIELDS:
        frame[column] = frame[column].astype("Int64")
    frame["disputed"] = frame["disputed"].astype(bool)
    frame["lon"] = frame["lon"].astype(float)
    frame["lat"] = frame["lat"].astype(float)
    return frame


def validate_official(data: bytes, name: str) -> tuple[pd.DataFrame, Report]:
    report = Report()
    table = read_table(data, name, report)
    required = ("reported_at", "scope", "metric", "value", "reported_by", "source_url")
    if table is None or missing_columns(table, required, name, report):
        return pd.DataFrame(columns=[*OFFICIAL_COLUMNS, "t_reported"]), report
    rows = []
    for row in table.rows:
        check = RowCheck(name, row, report, table.decimal_comma)
        reported = check.timestamp("reported_at")
        record = {
            "reported_at": check.text("reported_at"),
            "time_precision": check.choice("time_precision", TIME_PRECISIONS, required=False)
            or "day",
            "scope": check.text("scope", required=True),
            "cve_ent": check.state_code("cve_ent", required=False),
            "metric": check.text("metric", required=True),
            "value": check.count("value"),
            "reported_by": check.text("reported_by", required=True),
            "source_url": check.url("source_url"),
            "disputed": check.flag("disputed"),
            "notes": check.text("notes"),
        }
        if record["value"] is None and not check.failed:
            check.problem("value", "", "required number is empty")
        if check.failed:
            continue
        record["t_reported"] = pd.Timestamp(reported).tz_convert("UTC")
        rows.append(record)
    frame = pd.DataFrame(rows, columns=[*OFFICIAL_COLUMNS, "t_reported"])
    frame["t_reported"] = pd.to_datetime(frame["t_reported"], utc=True)
    return frame, report


def validate_key_moments(data: bytes, name: str) -> tuple[pd.DataFrame, Report]:
    """The short sourced timeline shown beside the map."""
    report = Report()
    table = read_table(data, name, report)
    columns = ["at", "time_precision", "headline", "source_url", "source_outlet"]
    if table is None or missing_columns(table, columns[:4], name, report):
        return pd.DataFrame(columns=columns), report
    rows = []
    for row in table.rows:
        check = RowCheck(name, row, report)
        record = {
            "at": check.timestamp("at"),
            "time_precision": check.choice("time_precision", TIME_PRECISIONS),
            "headline": check.text("headline", required=True),
            "source_url": check.url("source_url"),
            "source_outlet": check.text("source_outlet"),
        }
        if not check.failed:
            rows.append(record)
    return pd.DataFrame(rows, columns=columns), report


def validate_states(data: bytes, name: str) -> tuple[gpd.GeoDataFrame, Report]:
    """The states layer: 32 valid polygons with their codes."""
    report = Report()
    table = read_table(data, name, report)
    if table is None or missing_columns(table, ("cve_ent", "iso_3166_2", "name"), name, report):
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326"), report
    codes, geoms = [], []
    for row in table.rows:
        check = RowCheck(name, row, report)
        code = check.state_code("cve_ent")
        try:
            geom = shapely.geometry.shape(row.values["__geometry__"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            check.problem("geometry", None, f"unreadable geometry: {exc}")
            continue
        if not geom.is_valid:
            check.problem("geometry", geom.geom_type, shapely.is_valid_reason(geom))
        if code in codes:
            check.problem("cve_ent", code, "duplicate state")
        if not check.failed:
            codes.append(code)
            geoms.append(geom)
    missing = sorted(set(BY_CODE) - set(codes))
    if missing:
        report.add(name, None, "cve_ent", ", ".join(missing), "states missing from the layer")
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
