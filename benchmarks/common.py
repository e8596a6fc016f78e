"""Helpers the benchmarks share: timing, percentiles, a free port, loading a script.

Import after putting the repository root on sys.path (each benchmark does), as
`from benchmarks.common import ...`.
"""

from __future__ import annotations

import importlib.util
import socket
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def median_ms(seconds: Iterable[float], digits: int | None = 1) -> float:
    """The median of durations given in seconds, in milliseconds, rounded to `digits`
    (None: not rounded, for sub-millisecond figures)."""
    value = statistics.median(seconds) * 1000
    return value if digits is None else round(value, digits)


def timed_median_ms(work: Callable[[], object], runs: int, digits: int | None = 1) -> float:
    """Call `work` `runs` times; the median wall-clock time of a call (median_ms)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return median_ms(times, digits)


def pct(values: list[float], q: int) -> float | None:
    """The q-th percentile (inclusive method); the value itself for a single one."""
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def load_script(name: str, path: Path) -> ModuleType:
    """Import a script that is not in a package (benchmarks/load.py, deploy/serve.py) as
    module `name`. It is registered in sys.modules first: dataclasses look their module
    up there while the script runs."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
