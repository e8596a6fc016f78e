"""Benchmark validating analysts' files, against pandas.read_csv of the same file.

    .venv/bin/python benchmarks/bench_validate.py [--rows 100000] [--runs 9]

Builds three files in memory, then times, in this one run, pandas.read_csv(file) (the
baseline) and dashboard.ingest.validate.validate_incidents(file), --runs times each, the two
taking turns in every run (in alternating order). For each it prints the median and the
minimum of wall-clock time and of process CPU time, and the ratios (check / read_csv) of
the medians, of the minimums, and the median of each run's own ratio:

- ours: the project's schema, every row with its own point (latitude/longitude/cve_ent);
- acled: an ACLED export (22 February 2026 dates, admin1 names) of the same row count;
- hostile: a ~4.9 MB CSV with ten bad fields per row (bounded report: first 1,000
  problems and totals per kind), with the peak memory the check allocates.

The machine's load average is printed at the start and the end: on a shared machine
wall time depends on it, CPU time much less.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.ingest.bundle import load_bundle  # noqa: E402
from dashboard.ingest.validate import validate_incidents  # noqa: E402
from dashboard.model.mexico import BY_CODE  # noqa: E402


def places(bundle, n: int, rng) -> pd.DataFrame:
    """n points drawn from the bundled places (so inside their states)."""
    locations = bundle.locations
    pick = rng.integers(0, len(locations), n)
    return pd.DataFrame(
        {
            "lat": locations.geometry.y.to_numpy()[pick].round(5),
            "lon": locations.geometry.x.to_numpy()[pick].round(5),
            "cve_ent": locations.cve_ent.to_numpy()[pick],
            "municipality": locations.municipality.to_numpy()[pick],
            "place": locations.place.to_numpy()[pick],
        }
    )


def our_file(bundle, n: int, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    where = places(bundle, n, rng)
    minutes = rng.integers(0, 3 * 24 * 60, n)
    starts = pd.Timestamp("2026-02-22T00:00") + pd.to_timedelta(minutes, unit="min")
    frame = pd.DataFrame(
        {
            "incident_id": [f"syn-{i}" for i in range(n)],
            "start": starts.strftime("%Y-%m-%dT%H:%M") + "-06:00",
            "end": "",
            "time_precision": rng.choice(["minute", "hour", "day"], n),
            "part_of_day": "",
            "event_type": rng.choice(["blockade", "vehicle_arson", "business_arson"], n),
            "blockades": rng.choice(["", "1", "2"], n),
            "fatalities": rng.choice(["", "0", "1"], n),
            "injured": "",
            "arrested": "",
            "summary": [f"Synthetic incident {i} on a main road." for i in range(n)],
            "source_url": [f"https://example.org/report/{i}" for i in range(n)],
            "source_outlet": "Example",
            "source_date": "2026-02-22",
            "more_source_urls": "",
            "confidence": rng.choice(["high", "medium", "low"], n),
            "disputed": "false",
            "notes": "",
            "latitude": where.lat,
            "longitude": where.lon,
            "cve_ent": where.cve_ent,
            "geo_precision": rng.choice(["1", "2"], n),
            "place": where.place,
            "municipality": where.municipality,
        }
    )
    return frame.to_csv(index=False).encode("utf-8")


def acled_file(bundle, n: int, seed: int = 2) -> bytes:
    rng = np.random.default_rng(seed)
    where = places(bundle, n, rng)
    days = pd.Timestamp("2026-02-22") + pd.to_timedelta(rng.integers(0, 7, n), unit="D")
    frame = pd.DataFrame(
        {
            "event_id_cnty": [f"MEX{i}" for i in range(n)],
            "event_date": days.strftime("%d %B %Y"),
            "year": 2026,
            "time_precision": rng.choice([1, 2, 3], n, p=[0.8, 0.15, 0.05]),
            "disorder_type": "Political violence",
            "event_type": "Violence against civilians",
            "sub_event_type": rng.choice(["Attack", "Armed clash", "Arrests"], n),
            "actor1": "Unidentified Armed Group (Mexico)",
            "admin1": [BY_CODE[c].name for c in where.cve_ent],
            "admin2": where.municipality,
            "location": where.place,
            "latitude": where.lat,
            "longitude": where.lon,
            "geo_precision": rng.choice([1, 2, 3], n),
            "source": "Example Outlet",
            "notes": [f"Synthetic event {i}." for i in range(n)],
            "fatalities": rng.integers(0, 3, n),
        }
    )
    return frame.to_csv(index=False).encode("utf-8")


def hostile_file(target_bytes: int = 4_900_000) -> bytes:
    header = (
        "incident_id,start,time_precision,event_type,blockades,fatalities,injured,"
        "arrested,summary,source_url,confidence,disputed,latitude,longitude\n"
    )
    row = "h{i},soon,x,x,x,x,x,x,A row.,x,x,x,20.6,-103.3\n"
    rows, size, i = [header], len(header), 0
    while size < target_bytes:
        line = row.format(i=i)
        rows.append(line)
        size += len(line)
        i += 1
    return "".join(rows).encode()


def timed(action) -> tuple[float, float]:
    """Wall-clock and process CPU seconds of one call (CPU time is steadier on a busy box).

    A garbage collection is run first, so that one left over from the previous call does
    not land on this one."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - start_cpu


def interleaved(baseline, check, runs: int) -> tuple[np.ndarray, np.ndarray]:
    """(baseline samples, check samples): arrays of (wall, CPU) seconds, one row per run.

    The two take turns in every run, in alternating order (baseline first in even runs,
    the check first in odd ones), so that a change in the machine's load falls on both
    alike and neither always runs right after the other.
    """
    base, ours = [], []
    for run in range(runs):
        if run % 2 == 0:
            base.append(timed(baseline))
            ours.append(timed(check))
        else:
            ours.append(timed(check))
            base.append(timed(baseline))
    return np.array(base), np.array(ours)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{when}; {os.cpu_count()} CPUs; load average at the start: {load}")
    print(f"{args.runs} runs, read_csv and the check taking turns in each (order alternating)\n")
    bundle = load_bundle()
    files = {
        "ours (own points)": our_file(bundle, args.rows),
        "ACLED export": acled_file(bundle, args.rows),
        "hostile (10 bad fields a row)": hostile_file(),
    }
    print(
        "| file | rows | MB | timed | wall median | wall min | CPU median | CPU min | "
        "valid rows | problems (kept) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, data in files.items():

        def check(data=data):
            return validate_incidents(data, "bench.csv", bundle.locations, bundle.states)

        check()  # warm caches (prepared polygons, imports)
        base, ours = interleaved(lambda data=data: pd.read_csv(io.BytesIO(data)), check, args.runs)
        frame, report = check()
        rows = data.count(b"\n") - 1
        median_base, median_ours = np.median(base, axis=0), np.median(ours, axis=0)
        min_base, min_ours = base.min(axis=0), ours.min(axis=0)
        paired = np.median(ours / base, axis=0)  # each run's check over its own read_csv
        problems = f"{report.error_count + report.warning_count:,} ({len(report.problems):,})"
        print(
            f"| {label} | {rows:,} | {len(data) / 1e6:.1f} | pandas.read_csv | "
            f"{ms(median_base[0])} | {ms(min_base[0])} | {ms(median_base[1])} | "
            f"{ms(min_base[1])} | | |"
        )
        print(
            f"| | | | validate | {ms(median_ours[0])} | {ms(min_ours[0])} | "
            f"{ms(median_ours[1])} | {ms(min_ours[1])} | {len(frame):,} | {problems} |"
        )
        print(
            f"| | | | ratio | **{median_ours[0] / median_base[0]:.1f}×** | "
            f"{min_ours[0] / min_base[0]:.1f}× | **{median_ours[1] / median_base[1]:.1f}×** | "
            f"{min_ours[1] / min_base[1]:.1f}× | | |"
        )
        print(
            f"| | | | ratio within a run (median) | {paired[0]:.1f}× | | {paired[1]:.1f}× | | | |"
        )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nload average at the end: {load}")
    tracemalloc.start()
    validate_incidents(
        files["hostile (10 bad fields a row)"], "bench.csv", bundle.locations, bundle.states
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\nhostile file: peak Python allocation during the check {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
