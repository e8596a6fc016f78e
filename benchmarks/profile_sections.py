"""Which sections cost what in a slider-step rerun (server side, through AppTest).

    .venv/bin/python benchmarks/profile_sections.py [--runs 5]

Wraps every function the page's table of contents (dashboard/web/page.py) calls with a
clock (CPU time of this process and wall time), then: a first run, and --runs slider
steps (the window's start one hour later each time, on the bundled data, in one
session), each asked for as the browser asks (a rerun of the fragment the slider is
in, when the page has one: dashboard/web/page.py the_view). Prints, per section, the
median ms of a step and how many times it ran per step: a section that is not run on a
step (outside the fragment) shows 0 calls.
A section's time includes what it calls (the map's time includes building the map).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APP = str(ROOT / "dashboard" / "app.py")


def instrument(module, log: dict[str, list[tuple[float, float]]]) -> None:
    """Replace each section function `module` names with one that logs (wall, CPU) s."""
    for name, value in list(vars(module).items()):
        if not callable(value) or getattr(value, "__module__", "") is None:
            continue
        if not value.__module__.startswith("dashboard.web.sections"):
            continue

        def timed(*args, _f=value, _name=name, **kwargs):
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return _f(*args, **kwargs)
            finally:
                log[_name].append((time.perf_counter() - wall, time.thread_time() - cpu))

        setattr(module, name, timed)


@contextmanager
def as_the_browser_asks(at):
    """While open, `at`'s runs rerun the page's fragment (if it has exactly one), as a
    widget inside it makes the browser ask; otherwise whole runs."""
    from streamlit.testing.v1 import local_script_runner

    ids = list(at._fragment_storage._fragments)  # noqa: SLF001 (no public way)
    if len(ids) != 1:
        yield
        return
    plain = local_script_runner.RerunData

    def as_fragment(*args, **kwargs):
        return replace(plain(*args, **kwargs), fragment_id_queue=ids, is_fragment_scoped_rerun=True)

    with mock.patch.object(local_script_runner, "RerunData", as_fragment):
        yield


def main() -> int:
    from streamlit.testing.v1 import AppTest

    from dashboard.web import page

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    log: dict[str, list[tuple[float, float]]] = defaultdict(list)
    instrument(page, log)
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    assert not at.exception, at.exception
    per_step: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    totals = []
    names = sorted(log)
    for _ in range(args.runs):
        log.clear()
        slider = at.select_slider(key="window")
        start, end = slider.value
        wall = time.perf_counter()
        with as_the_browser_asks(at):
            slider.set_value((start + timedelta(hours=1), end)).run()
        totals.append(time.perf_counter() - wall)
        assert not at.exception, at.exception
        for name in names:
            calls = log.get(name, [])
            per_step[name].append((sum(w for w, _ in calls), sum(c for _, c in calls), len(calls)))
    print(f"{'section':<28} {'wall ms':>8} {'CPU ms':>8} {'calls':>6}")
    rows = []
    for name in names:
        samples = per_step[name]
        wall = statistics.median(s[0] for s in samples) * 1000
        cpu = statistics.median(s[1] for s in samples) * 1000
        calls = statistics.median(s[2] for s in samples)
        rows.append((wall, name, cpu, calls))
    for wall, name, cpu, calls in sorted(rows, reverse=True):
        print(f"{name:<28} {wall:>8.1f} {cpu:>8.1f} {calls:>6.0f}")
    print(f"{'whole step (AppTest run)':<28} {statistics.median(totals) * 1000:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
