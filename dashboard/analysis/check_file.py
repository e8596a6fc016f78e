"""One checker for a reader's incidents file, on the page and on the command line: the row
by row validation (ingest/validate.py) and then the data checks (analysis/quality.py:
duplicates, summary counts, links...), into one report, so an upload and `python -m
dashboard validate FILE` report the same problems and the same totals."""

from __future__ import annotations

import geopandas as gpd

from dashboard.analysis.quality import is_acled, quality_report
from dashboard.ingest.read import MAX_FILE_BYTES
from dashboard.ingest.validate import Incidents, Progress, check_incidents, no_progress
from dashboard.text.i18n import N_


def check_file(
    data: bytes,
    name: str,
    locations: gpd.GeoDataFrame,
    states: gpd.GeoDataFrame,
    *,
    keep_all: bool = False,
    max_bytes: int | None = MAX_FILE_BYTES,
    progress: Progress = no_progress,
) -> Incidents:
    """validate.check_incidents (a user's file: ours or ACLED's; `max_bytes` the page's
    upload limit, None on the command line) and the data checks at their severity for a
    user's file (quality.quality_report: warnings), in one report (the first 1,000
    problems and totals per kind, or all with keep_all). `progress(fraction, step)` as
    check_incidents calls it; the data checks are its last step. Without `max_bytes` (the
    command line) the data checks of a country-scale file run on two threads
    (quality.PARALLEL_CHECK_ROWS; the same report)."""
    result = check_incidents(
        data,
        name,
        locations,
        states,
        keep_all=keep_all,
        max_bytes=max_bytes,
        progress=lambda fraction, step: progress(fraction * 0.8, step),
    )
    if len(result.frame):
        progress(0.8, N_("running the data checks"))
        acled = result.format.startswith("acled") or is_acled(result.frame)
        found = quality_report(
            result.frame,
            name,
            data,
            acled=acled,
            lines=result.lines,
            threads=max_bytes is None,  # the command line: a country-scale file's checks
        )
        result.report.extend(found)
    progress(1.0, N_("done"))
    return result
