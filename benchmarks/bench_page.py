"""Benchmark the page: first run, rerun after a slider move, and map HTML size.

    .venv/bin/python benchmarks/bench_page.py [--runs 5] [--synthetic 100000]

Each figure is the median of --runs runs, measured through Streamlit's AppTest (first
run: a fresh process-level cache, so loading and validation are included; rerun: moving
the time slider's start by one hour). Run on the bundled data, then on a synthetic
geodata folder of N incidents spread over the states (built in a temporary folder).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import median_ms  # noqa: E402
from dashboard.analysis.filters import ViewSpec, apply  # noqa: E402
from dashboard.analysis.stats import state_counts  # noqa: E402
from dashboard.ingest.bundle import load_bundle  # noqa: E402
from dashboard.model import bundled_files  # noqa: E402
from dashboard.model.mexico import MEXICO_CITY  # noqa: E402
from dashboard.model.schema import EVENT_TYPES, INCIDENT_COLUMNS  # noqa: E402
from dashboard.render.mapstates import states_geojson  # noqa: E402
from dashboard.render.mapview import build_map  # noqa: E402
from dashboard.render.popups import with_display_text  # noqa: E402

APP = str(ROOT / "dashboard" / "app.py")


def synthetic_geodata(n: int, folder: Path, seed: int = 42) -> None:
    """The bundled layers, plus n incidents at 3,000 random places inside the states."""
    for path in bundled_files.DATA_FILES:
        shutil.copy(path, folder / path.name)
    rng = np.random.default_rng(seed)
    states = load_bundle().states
    places = []
    while len(places) < 3_000:
        lon, lat = rng.uniform(-117, -87), rng.uniform(14.5, 32.5)
        hits = states.sindex.query(shapely.Point(lon, lat), predicate="within")
        if len(hits):
            places.append((f"syn-{len(places)}", states.cve_ent.iloc[int(hits[0])], lon, lat))
    features = pd.DataFrame(places, columns=["location_id", "cve_ent", "lon", "lat"])
    locations = [
        {
            "type": "Feature",
            "properties": {
                "location_id": p.location_id,
                "place": f"Synthetic place {p.location_id}",
                "municipality": "",
                "cve_ent": p.cve_ent,
                "geo_precision": 2,
            },
            "geometry": {"type": "Point", "coordinates": [round(p.lon, 4), round(p.lat, 4)]},
        }
        for p in features.itertuples()
    ]
    import json

    (folder / "locations.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": locations}), encoding="utf-8"
    )
    start = pd.Timestamp("2026-02-22T00:00", tz="America/Mexico_City")
    minutes = rng.integers(0, 3 * 24 * 60, n)
    types = [t for t in EVENT_TYPES if t != "official_statement"]
    frame = pd.DataFrame(
        {
            "incident_id": [f"syn-{i}" for i in range(n)],
            "location_id": features.location_id.to_numpy()[rng.integers(0, len(features), n)],
            "start": [
                (start + pd.Timedelta(minutes=int(m))).isoformat(timespec="minutes")
                for m in minutes
            ],
            "time_precision": rng.choice(["minute", "hour", "day"], n),
            "event_type": rng.choice(types, n),
            "summary": "A synthetic incident for benchmarking.",
            "summary_es": "Un incidente sintético para medir el rendimiento.",
            "source_url": "https://example.org/synthetic",
            "source_outlet": "Synthetic",
            "confidence": "low",
            "disputed": "false",
        }
    ).reindex(columns=[*INCIDENT_COLUMNS, "summary_es"], fill_value="")
    frame.to_csv(folder / "incidents.csv", index=False)


class Clock:
    """Wall and CPU time (this process, every thread: AppTest runs the script in its own
    thread) of a block; CPU time is what other programs on a busy machine cannot inflate
    much, wall time is what a reader waits."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def bench_app(geodata: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Medians in ms as (wall, CPU) of: the first run; a rerun to a window no session has
    viewed; the same rerun in a second session (the view kept from the first)."""
    from streamlit.testing.v1 import AppTest

    os.environ["TAPALPA_GEODATA"] = str(geodata)
    times = {"first": [], "rerun": [], "kept": []}
    for _ in range(runs):
        import streamlit as st

        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=600)
        with Clock() as clock:
            at.run()
        times["first"].append(clock)
        assert not at.exception, at.exception
        slider = at.select_slider(key="window")
        start, end = slider.value
        with Clock() as clock:
            slider.set_value((start + timedelta(hours=1), end)).run()
        times["rerun"].append(clock)
        assert not at.exception, at.exception
        other = AppTest.from_file(APP, default_timeout=600)
        other.run()
        slider = other.select_slider(key="window")
        with Clock() as clock:
            slider.set_value((start + timedelta(hours=1), end)).run()
        times["kept"].append(clock)
        assert not other.exception, other.exception
    return {
        k: (median_ms([c.wall for c in v]), median_ms([c.cpu for c in v])) for k, v in times.items()
    }


def bench_html(geodata: Path, runs: int) -> tuple[int, float]:
    bundle = load_bundle(geodata)
    incidents = with_display_text(bundle.incidents)
    states_json = states_geojson(bundle.states_display)
    view = ViewSpec(
        pd.Timestamp("2026-02-22", tz=MEXICO_CITY).to_pydatetime(),
        pd.Timestamp("2026-02-24", tz=MEXICO_CITY).to_pydatetime(),
    )
    sizes, times = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        selected = apply(view, incidents)
        counts = state_counts(selected, bundle.official, view)
        fmap, _ = build_map(selected, counts, states_json, bundle.operation_site, view)
        html = fmap.get_root().render()
        times.append(time.perf_counter() - t0)
        sizes.append(len(html.encode()))
    return sizes[0], median_ms(times)


def report(label: str, geodata: Path, runs: int) -> None:
    app = bench_app(geodata, runs)
    size, build = bench_html(geodata, runs)
    shown = " | ".join(
        f"{name} {wall:>7.1f} ms (CPU {cpu:>6.1f})"
        for name, (wall, cpu) in zip(
            ("first run", "rerun after slider move", "same move, view kept"),
            app.values(),
            strict=True,
        )
    )
    print(
        f"{label:<28} {shown} | map build+render {build:>6.1f} ms | "
        f"map HTML {size / 1000:>7.1f} KB",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=100_000)
    args = parser.parse_args()
    report("bundled data", bundled_files.GEODATA, args.runs)
    if args.synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            synthetic_geodata(args.synthetic, folder)
            report(f"{args.synthetic:,} synthetic incidents", folder, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
