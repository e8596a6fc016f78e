"""Benchmark the exports and the data-quality view, beside plain pandas baselines.

    .venv/bin/python benchmarks/bench_exports.py [--runs 5] [--synthetic 100000]

For the bundled data and a synthetic geodata folder of N incidents (benchmarks/bench_page.py
builds it), each figure is the median of --runs runs over every record: the CSV, GeoJSON,
GeoParquet and data-package exports, the per-municipality, per-day and per-week tables
(analysis/aggregates.py: the page's tables section), the four data checks (`validate`) and all the
quality tables, next to two baselines measured in the same run: `pandas.read_csv` of the
same incidents file, and `DataFrame.to_csv` of the frame.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_page import synthetic_geodata  # noqa: E402
from benchmarks.common import timed_median_ms  # noqa: E402
from dashboard.analysis import quality  # noqa: E402
from dashboard.analysis.aggregates import municipality_counts, period_counts  # noqa: E402
from dashboard.analysis.filters import ViewSpec  # noqa: E402
from dashboard.analysis.stats import state_counts  # noqa: E402
from dashboard.ingest.bundle import load_bundle  # noqa: E402
from dashboard.model import bundled_files  # noqa: E402
from dashboard.model.mexico import MEXICO_CITY  # noqa: E402
from dashboard.render import export  # noqa: E402


def bench(geodata: Path, runs: int) -> dict[str, float | int]:
    bundle = load_bundle(geodata)
    frame = bundle.incidents
    view = ViewSpec(
        datetime(2026, 2, 21, tzinfo=MEXICO_CITY), datetime(2026, 3, 3, tzinfo=MEXICO_CITY)
    )
    counts = state_counts(frame, bundle.official, view, frame)
    path = geodata / bundled_files.INCIDENTS_FILE.name
    package = {
        "states": None,
        "title": "benchmark",
        "version": bundle.version,
        "permalink": "https://example.org/?v=1",
        "credit": "benchmark",
    }
    return {
        "records": len(frame),
        "baseline read_csv": timed_median_ms(lambda: pd.read_csv(path), runs),
        "baseline to_csv": timed_median_ms(lambda: frame.to_csv(), runs),
        "csv": timed_median_ms(lambda: export.records_csv(frame), runs),
        "geojson": timed_median_ms(lambda: export.records_geojson(frame), runs),
        "geoparquet": timed_median_ms(lambda: export.records_geoparquet(frame), runs),
        "package": timed_median_ms(lambda: export.data_package(frame, counts, **package), runs),
        "per-municipality table": timed_median_ms(lambda: municipality_counts(frame), runs),
        "per-day table": timed_median_ms(lambda: period_counts(frame, "day"), runs),
        "per-week table": timed_median_ms(lambda: period_counts(frame, "week"), runs),
        "data checks": timed_median_ms(lambda: quality.validation_findings(frame), runs),
        "quality tables": timed_median_ms(
            lambda: quality.quality_tables(frame, bundle.states), runs
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=100_000)
    args = parser.parse_args()
    results = {"bundled": bench(bundled_files.GEODATA, args.runs)}
    with tempfile.TemporaryDirectory() as folder:
        synthetic_geodata(args.synthetic, Path(folder))
        results[f"{args.synthetic:,} synthetic"] = bench(Path(folder), max(1, args.runs // 2))
    keys = list(next(iter(results.values())))
    print("| data | " + " | ".join(keys) + " |")
    print("| --- " * (len(keys) + 1) + "|")
    for name, row in results.items():
        print(f"| {name} | " + " | ".join(f"{row[k]:,}" for k in keys) + " |")


if __name__ == "__main__":
    main()
