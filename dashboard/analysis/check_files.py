"""Checking many files, and the pieces of a file too big for one machine.

`validate_files` is `python -m dashboard validate FILE ...`: each file by its kind (states,
places, official counts, incidents ours or ACLED's through check_file, the page's checker).

Partitions: an analyst whose data outgrows one machine splits it with an engine of their
choice (DuckDB, Dask, Spark...) into GeoParquet or CSV partitions, runs `check_partition`
on each (in any process, on any machine: it returns plain JSON-able data) and merges with
`merge_partitions`, or runs `python -m dashboard validate parts/*.parquet` on one machine.
Every row is checked by the same checker; what is NOT checked is anything across two
partitions (a duplicate whose twins sit in different partitions), said in the merged
result (`not_checked`).
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from dashboard.model.schema import Problem, Report
from dashboard.text.i18n import N_
from dashboard.text.message import msg

PARQUET_SUFFIXES = (".parquet", ".geoparquet", ".pq")

# The known limit of checking partitions one by one (English key; Spanish in the catalogue).
ACROSS_FILES = N_(
    "Duplicates and repeated ids are checked within each file, not across files: "
    "records split over two partitions are not compared."
)


def parquet_as_csv(data: bytes) -> bytes:
    """A (Geo)Parquet partition as UTF-8 CSV bytes for the checker: every column as text
    (dates ISO 8601, numbers as pyarrow writes them); a GeoParquet point `geometry` (WKB,
    GeoParquet 1.x) becomes `longitude`/`latitude` when the partition has neither.
    Line N+1 of the CSV is row N of the partition (line 1 is the header).
    Raises pyarrow.ArrowInvalid for bytes that are not Parquet."""
    import pyarrow as pa  # here, not at the top: `python -m dashboard --help` stays quick
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    if "geometry" in table.column_names:
        if not {"longitude", "latitude"} & set(table.column_names):
            import shapely

            points = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
            table = table.append_column("longitude", pa.array(shapely.get_x(points)))
            table = table.append_column("latitude", pa.array(shapely.get_y(points)))
        table = table.drop(["geometry"])
    table = pa.table({name: table.column(name).cast(pa.string()) for name in table.column_names})
    sink = io.BytesIO()
    pacsv.write_csv(table, sink)
    return sink.getvalue()


def partition_record(problem: Problem) -> Problem:
    """A problem of a Parquet partition read as CSV (parquet_as_csv: line N+1 is the
    partition's row N) located by the partition's own row, "record N" (1-based): a
    Parquet file has no lines. A repeated id's "first in line M" becomes "first in
    record M-1"."""
    if problem.unit != "line" or problem.row is None:
        return problem
    message = problem.message
    if message is not None and message.singular == "duplicate id (first in line {first})":
        message = msg(
            "duplicate id (first in record {first})", first=dict(message.values)["first"] - 1
        )
    reason = problem.reason if message is None else str(message)
    return replace(problem, row=problem.row - 1, unit="record", message=message, reason=reason)


def file_bytes(path: Path) -> bytes:
    """The bytes the checker reads for `path`: the file's own, or a Parquet partition's
    as CSV (parquet_as_csv). Raises OSError, pyarrow.ArrowInvalid."""
    data = path.read_bytes()
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return parquet_as_csv(data)
    return data


def validate_files(paths: list[Path], keep_all: bool = False) -> tuple[Report, list[dict]]:
    """Each file by its kind: states, locations, official counts or incidents (ours/ACLED,
    as CSV, GeoJSON or a (Geo)Parquet partition).

    Returns the combined report (the first 1,000 problems and totals per kind, or all with
    keep_all) and, per file, what was detected: format, encoding, column mapping, rows kept.
    """
    import pyarrow as pa

    from dashboard.analysis.check_file import check_file
    from dashboard.analysis.quality import bundle_quality_report
    from dashboard.ingest.bundle import load_bundle
    from dashboard.ingest.detect import file_kind
    from dashboard.ingest.geodata_files import (
        validate_locations,
        validate_official,
        validate_states,
    )
    from dashboard.ingest.reading import how_read

    if not paths:
        bundle = load_bundle()
        report = Report()
        report.extend(bundle.report)
        report.extend(bundle_quality_report(bundle))
        return report, []
    # The bundled layers load on another thread while the first file is read (both wait
    # mostly on the disk or in libraries that let another thread run: about 0.4 s of a
    # country-scale file's start-up); an error loading them is raised as before.
    loading = ThreadPoolExecutor(max_workers=1)
    bundle_loaded = loading.submit(load_bundle)
    loading.shutdown(wait=False)
    report = Report(limit=None) if keep_all else Report()
    files = []
    for path in paths:
        name = str(path)
        try:
            data = file_bytes(path)
        except OSError as exc:
            reason = msg("cannot read file: {error}", error=exc.strerror or str(exc))
            report.add(name, None, None, None, reason)
            continue
        except pa.ArrowInvalid as exc:
            report.add(name, None, None, None, msg("not a Parquet file: {error}", error=exc))
            continue
        bundle = bundle_loaded.result()
        kind = file_kind(data)
        info: dict = {"file": name}
        if kind == "states":
            frame, part = validate_states(data, name)
            info["format"] = kind
        elif kind == "locations":
            frame, part = validate_locations(data, name, bundle.states)
            info["format"] = kind
        elif kind == "official counts":
            frame, part = validate_official(data, name)
            info["format"] = kind
        else:
            # The page's checker (check_file): the same problems and totals as an upload.
            result = check_file(
                data, name, bundle.locations, bundle.states, keep_all=keep_all, max_bytes=None
            )
            frame, part = result.frame, result.report
            info.update(
                format=result.format or "unreadable",
                encoding=result.encoding,
                mapping=[
                    {"ours": ours, "file": theirs, "how": how}
                    for ours, theirs, how in result.mapping
                ],
            )
            reading = how_read(data, result.format, result.encoding, name)
            if reading is not None:  # a delimited text file: delimiter, line ends, decimals
                info["reading"] = reading.as_dict()
        if path.suffix.lower() in PARQUET_SUFFIXES:
            part.relocate(partition_record)  # the partition's rows, not the CSV's lines
            if info["format"] != "unreadable":
                info["format"] = f"parquet ({info['format']})"  # read as CSV by parquet_as_csv
        info["valid_rows"] = len(frame)
        files.append(info)
        report.extend(part)
    bundle_loaded.result()  # raises what load_bundle raised, read files or not
    return report, files


def incident_file_count(files: list[dict]) -> int:
    """How many of `files` (validate_files' list) were read as incidents tables."""
    layers = ("states", "locations", "official counts", "unreadable")
    return sum(info.get("format") not in layers for info in files)


def check_partition(path: str | Path) -> dict:
    """One partition checked by the page's checker, as plain data for any engine's map
    step (Dask `bag.map`, a process pool, a job per file): {"file", "valid_rows",
    "errors", "warnings", "totals": {kind: count}, "problems": [first 1,000 as dicts]}.
    Kinds and reasons are English keys (machine-readable, as `validate --json`)."""
    report, files = validate_files([Path(path)])
    document = report.as_dict("en")
    return {
        "file": str(path),
        "valid_rows": files[0]["valid_rows"] if files else 0,
        "errors": report.error_count,
        "warnings": report.warning_count,
        "totals": dict(report.totals),
        "problems": document.get("problems", []),
    }


def merge_partitions(results: list[dict]) -> dict:
    """check_partition's results summed: {"partitions", "valid_rows", "errors", "warnings",
    "totals", "files": [per partition: file, valid_rows, errors, warnings],
    "not_checked": [the known limit, ACROSS_FILES]}. Order-independent."""
    totals: dict[str, int] = {}
    for result in results:
        for kind, count in result["totals"].items():
            totals[kind] = totals.get(kind, 0) + count
    keys = ("file", "valid_rows", "errors", "warnings")
    return {
        "partitions": len(results),
        "valid_rows": sum(r["valid_rows"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "warnings": sum(r["warnings"] for r in results),
        "totals": dict(sorted(totals.items())),
        "files": sorted(({k: r[k] for k in keys} for r in results), key=lambda r: r["file"]),
        "not_checked": [ACROSS_FILES] if len(results) > 1 else [],
    }
