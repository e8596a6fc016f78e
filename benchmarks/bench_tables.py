"""Benchmark the page's per-municipality, per-day and per-week tables on a country-scale
ACLED file, beside `pandas.read_csv` of the same file.

    .venv/bin/python benchmarks/bench_tables.py [--rows 300000] [--runs 5]

Builds a synthetic ACLED export of --rows rows over a year (bench_country.acled_country_file),
validates it once as the command line does (no upload limit), then prints the median of
--runs runs of each table (analysis/aggregates.py) over every record, and of the baseline
read_csv, in this one run. Each table keeps its counting rule (each record on its own
local calendar; see aggregates.py); the figures are wall time in ms on whatever else the
machine is doing, so compare the rows of one run, not runs on different days.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_country import acled_country_file  # noqa: E402
from benchmarks.common import timed_median_ms  # noqa: E402
from dashboard.analysis.aggregates import municipality_counts, period_counts  # noqa: E402
from dashboard.ingest.bundle import load_bundle  # noqa: E402
from dashboard.ingest.validate import validate_incidents  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bundle = load_bundle()
    data = acled_country_file(bundle, args.rows).to_csv(index=False).encode()
    frame, _ = validate_incidents(
        data, "acled.csv", bundle.locations, bundle.states, max_bytes=None
    )
    row = {
        "records": f"{len(frame):,}",
        "baseline read_csv": timed_median_ms(lambda: pd.read_csv(io.BytesIO(data)), args.runs),
        "per-municipality": timed_median_ms(lambda: municipality_counts(frame), args.runs),
        "per-day": timed_median_ms(lambda: period_counts(frame, "day"), args.runs),
        "per-week": timed_median_ms(lambda: period_counts(frame, "week"), args.runs),
    }
    print("| " + " | ".join(row) + " |")
    print("| --- " * len(row) + "|")
    print("| " + " | ".join(str(v) for v in row.values()) + " |")


if __name__ == "__main__":
    main()
