"""The page with a memory probe, for `benchmarks/load.py --app benchmarks/memprobe_app.py`.

Runs dashboard/app.py unchanged and, once per process, starts a thread that appends one
JSON line every 2 s to $TAPALPA_MEMPROBE (default /tmp/tapalpa-memprobe.jsonl): the
process's RSS, glibc's own account of its heap (`mallinfo2`: bytes in use by malloc,
bytes free inside its arenas, bytes in mmapped blocks, number of arenas touched is not
given by glibc so the main-arena size is reported separately), the live Python sessions
Streamlit holds, and, with TAPALPA_MEMPROBE_TRACE=1, the bytes Python objects hold
(tracemalloc; slows the page) with the top allocation sites. Set TAPALPA_MEMPROBE_TRIM=1
to call glibc's `malloc_trim(0)` and pyarrow's `release_unused()` after each sample (what
returning free pages to the OS would give). Benchmark only: never used by the deployed page.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import runpy
import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
_STARTED = "_tapalpa_memprobe_started"


class MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",  # non-mmapped space allocated (main arena's sbrk heap + other arenas)
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",  # space in mmapped regions
            "usmblks",
            "fsmblks",
            "uordblks",  # total allocated space
            "fordblks",  # total free space
            "keepcost",
        )
    ]


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _sessions() -> int | None:
    try:
        from streamlit.runtime import Runtime

        return len(Runtime.instance()._session_mgr.list_sessions())
    except Exception:  # noqa: BLE001  (a probe: missing internals give no figure)
        return None


def _arrow() -> dict:
    """pyarrow's default memory pool (mimalloc in the PyPI wheels): bytes it hands out
    now and its peak; what it keeps cached is not in malloc's figures."""
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is None:
        return {}
    pool = pyarrow.default_memory_pool()
    return {
        "arrow_pool": pool.backend_name,
        "arrow_allocated_mb": round(pool.bytes_allocated() / 2**20, 1),
        "arrow_peak_mb": round(pool.max_memory() / 2**20, 1),
    }


def _probe(path: Path, trace: bool, trim: bool) -> None:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    baseline = None
    started = time.monotonic()
    while True:
        info = libc.mallinfo2()
        row = {
            "t": round(time.time(), 1),
            "rss_mb": round(_rss_kib() / 1024, 1),
            "malloc_in_use_mb": round(info.uordblks / 2**20, 1),
            "malloc_free_mb": round(info.fordblks / 2**20, 1),
            "arenas_mb": round(info.arena / 2**20, 1),
            "mmapped_mb": round(info.hblkhd / 2**20, 1),
            "sessions": _sessions(),
            **_arrow(),
            "gc_objects": len(gc.get_objects()),
        }
        # Tracing starts at the first idle moment after the warm-up session (tracing the
        # first run makes it minutes long): later rows give the allocation sites of what
        # was allocated since and is still alive, by line.
        if trace and baseline is None and row["sessions"] == 0 and time.monotonic() - started > 15:
            import tracemalloc

            tracemalloc.start(8)
            baseline = tracemalloc.take_snapshot()
        elif baseline is not None:
            import tracemalloc

            snapshot = tracemalloc.take_snapshot()
            row["python_traced_mb"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
            row["grown_since_idle"] = [
                f"{d.size_diff / 2**20:+.1f} MB {d.count_diff:+d} "
                f"{d.traceback[0].filename.split('site-packages/')[-1]}:"
                f"{d.traceback[0].lineno}"
                for d in snapshot.compare_to(baseline, "lineno")[:12]
            ]
        if trim:
            libc.malloc_trim(0)
            if "pyarrow" in sys.modules:
                sys.modules["pyarrow"].default_memory_pool().release_unused()
        with path.open("a") as handle:
            handle.write(json.dumps(row) + "\n")
        time.sleep(2)


if not getattr(sys, _STARTED, False):
    setattr(sys, _STARTED, True)
    threading.Thread(
        target=_probe,
        args=(
            Path(os.environ.get("TAPALPA_MEMPROBE", "/tmp/tapalpa-memprobe.jsonl")),  # noqa: S108
            os.environ.get("TAPALPA_MEMPROBE_TRACE") == "1",
            os.environ.get("TAPALPA_MEMPROBE_TRIM") == "1",
        ),
        daemon=True,
        name="tapalpa-memprobe",
    ).start()

runpy.run_path(str(APP), run_name="__main__")
