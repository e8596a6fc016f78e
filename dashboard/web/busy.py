"""How many page runs this process has under way.

The map's previews of the neighbouring windows (sections/map.py, next_views: up to four
more selections per window no reader has viewed yet) are a luxury: they are made only when
a run has the process to itself. Under a spike, runs overlap and a step costs what it did
without previews (measured 2026-12-07 with benchmarks/load.py, 50 readers on one process:
60 ms of server CPU per step without previews, 79 ms with them made on every step, and
the 95th percentile of a step 1.2 s against 4.4 s); the step then waits for its rerun.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_runs = 0


@contextmanager
def page_run() -> Iterator[None]:
    """Count the page run in the body as under way (Streamlit runs each session's script
    in its own thread; an interrupted run leaves through the same `finally`)."""
    global _runs
    with _lock:
        _runs += 1
    try:
        yield
    finally:
        with _lock:
            _runs -= 1


def alone() -> bool:
    """Whether the calling run is the only page run under way in this process."""
    return _runs <= 1
