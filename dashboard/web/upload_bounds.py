"""Bounded memory for uploads: one file kept per session, a cap on what all sessions hold,
and a session's file freed when its connection closes.

Streamlit keeps every file a session uploads (its uploaded-file manager, in memory) until
the session ends, and keeps a disconnected session for `server.disconnectedSessionTTL`,
expired only when some later session disconnects: 12 uploads of 50 MB held 860 MB for
minutes (issue 25). Here, on each run of a session that has a file:

- every other file the session uploaded is dropped (a new upload replaces the old);
- if all sessions' files together exceed MAX_HELD_UPLOAD_BYTES, the new file is dropped
  too and the reader is asked to try again later (`keep_upload` returns False);
- the session is marked not resumable (Streamlit's `mark_session_nonresumable`): when its
  connection closes Streamlit shuts it down at once, which frees its files and its
  state. A reader whose connection drops gets a new session with the same filters (the
  browser sends its widget values again) and uploads the file again.

Between runs, a sweeper thread (one per process, every second) keeps each connected
session's newest file only, drops every file of a session that is not connected, and
applies MAX_HELD_UPLOAD_BYTES too: past it, the files seen last are dropped (their
readers get the "try again later" message on their next run), so files sent by scripts
that never let the page run are bounded per session and per process (probe 2b of issue
25: 8 connected sessions of one 50 MB file each held 350 MB between runs).

Uses one private name of Streamlit's MemoryUploadedFileManager, `file_storage` (the
files of each session), to find files a session sent without the page ever seeing
them (a script calling the upload endpoint): tests/test_upload_bounds.py checks it.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

# What all sessions' uploads may hold in one process: four files at the 50 MB limit.
MAX_HELD_UPLOAD_BYTES = 200 * 1024 * 1024
# New files one client (its address as Caddy saw it) may have checked per minute, per
# replica: a reader fixing a file re-uploads a few times; a script sending file after
# file to make the replica parse is stopped.
MAX_NEW_FILES_PER_MINUTE = 6
RATE_WINDOW_SECONDS = 60.0
_RECENT: dict[str, deque[float]] = {}  # client -> times of its new files
_LAST_FILE: OrderedDict[str, str] = OrderedDict()  # session -> the file it last had checked
_MAX_TRACKED = 10_000
_LOCK = threading.Lock()
# One file checked at a time per process (bounded threads): a second reader's file waits
# for the first, up to CHECK_WAIT_SECONDS, so two big checks never share a replica's CPU
# with its readers at once.
CHECK_SLOTS = threading.BoundedSemaphore(1)
CHECK_WAIT_SECONDS = 120.0


@contextmanager
def check_slot(
    wait: float = CHECK_WAIT_SECONDS, slots: threading.BoundedSemaphore | None = None
) -> Iterator[bool]:
    """Hold the process's check slot while the block runs: yields True once it is held,
    False if `wait` seconds passed first (the caller then does not check)."""
    slots = CHECK_SLOTS if slots is None else slots
    held = slots.acquire(timeout=wait)
    try:
        yield held
    finally:
        if held:
            slots.release()


def client_address(headers: Mapping[str, str] | None, ip: str | None = None) -> str | None:
    """The reader's address: the first X-Forwarded-For entry (Caddy sets it; the replicas
    listen on loopback only, so no one else can), else the socket's peer `ip` (a plain
    `streamlit run`), else None (no address known: no per-client limit)."""
    forwarded = (headers or {}).get("X-Forwarded-For", "")
    return forwarded.split(",")[0].strip() or ip or None


def allow_new_file(
    client: str,
    now: float,
    limit: int = MAX_NEW_FILES_PER_MINUTE,
    window: float = RATE_WINDOW_SECONDS,
    book: dict[str, deque[float]] | None = None,
) -> bool:
    """Whether `client` may have one more new file checked at `now` (monotonic seconds):
    fewer than `limit` in the last `window` seconds. Records it when allowed."""
    book = _RECENT if book is None else book
    with _LOCK:
        times = book.setdefault(client, deque())
        while times and times[0] <= now - window:
            times.popleft()
        if len(times) >= limit:
            return False
        times.append(now)
        if len(book) > _MAX_TRACKED:  # forget clients with nothing recent
            for key in [k for k, v in book.items() if not v or v[-1] <= now - window]:
                del book[key]
        return True


def session_file_ids(manager, session_id: str) -> list[str]:
    """Ids of every file `session_id` holds in `manager` (a MemoryUploadedFileManager;
    [] for a manager without per-session storage)."""
    storage = getattr(manager, "file_storage", None)
    if not isinstance(storage, dict):
        return []
    return list(storage.get(session_id, {}))


def held_bytes(manager) -> int:
    """Bytes of every session's uploaded files in `manager` (its cache statistics)."""
    stats = manager.get_stats()
    entries: Iterable = (
        (s for family in stats.values() for s in family) if isinstance(stats, dict) else stats
    )
    return sum(int(getattr(entry, "byte_length", 0)) for entry in entries)


def bound(manager, session_id: str, current: str | None, limit: int) -> bool:
    """Drop every file of `session_id` but `current` (a file id, None: drop all); then,
    when all sessions hold more than `limit` bytes, drop `current` too. True when
    `current` is kept."""
    for file_id in session_file_ids(manager, session_id):
        if file_id != current:
            manager.remove_file(session_id, file_id)
    if current is None:
        return False
    if held_bytes(manager) > limit:
        manager.remove_file(session_id, current)
        return False
    return True


_ARRIVALS: dict[tuple[str, str], int] = {}  # (session, file id) -> order the sweeper saw it
_ORDER = itertools.count()
_DROPPED_FULL: OrderedDict[str, None] = OrderedDict()  # sessions whose file the cap dropped


def sweep(
    manager,
    is_active,
    limit: int = MAX_HELD_UPLOAD_BYTES,
    arrivals: dict[tuple[str, str], int] | None = None,
    dropped_full: OrderedDict[str, None] | None = None,
) -> int:
    """Between script runs: each session keeps only its newest file (a script may send
    file after file without the page running), a session that is no longer connected
    (`is_active(session_id)` false) keeps none; then, while the files kept hold more than
    `limit` bytes in all, the one seen last (by this sweeper: `arrivals` numbers each file
    the first time it is seen) is dropped and its session noted in `dropped_full` (its
    next run says "try again later": `keep_upload`). Returns the number of files dropped."""
    storage = getattr(manager, "file_storage", None)
    if not isinstance(storage, dict):
        return 0
    arrivals = _ARRIVALS if arrivals is None else arrivals
    dropped_full = _DROPPED_FULL if dropped_full is None else dropped_full
    dropped = 0
    kept: list[tuple[int, str, str, int]] = []  # (arrival, session, file id, bytes)
    for session_id in list(storage):
        files = list(storage.get(session_id, {}).items())  # dicts keep arrival order
        keep = [file_id for file_id, _ in files[-1:]] if is_active(session_id) else []
        for file_id, rec in files:
            if file_id not in keep:
                manager.remove_file(session_id, file_id)
                dropped += 1
                continue
            if (session_id, file_id) not in arrivals:
                arrivals[(session_id, file_id)] = next(_ORDER)
            order = arrivals[(session_id, file_id)]
            kept.append((order, session_id, file_id, len(getattr(rec, "data", b""))))
    held = sum(size for *_, size in kept)
    for _, session_id, file_id, size in sorted(kept, reverse=True):  # newest first
        if held <= limit:
            break
        manager.remove_file(session_id, file_id)
        held -= size
        dropped += 1
        with _LOCK:
            dropped_full[session_id] = None
            while len(dropped_full) > _MAX_TRACKED:
                dropped_full.popitem(last=False)
    present = {(session_id, file_id) for _, session_id, file_id, _ in kept}
    for key in [key for key in arrivals if key not in present]:
        del arrivals[key]  # dropped or gone: forget it
    return dropped


SWEEP_SECONDS = 1.0
_SWEEPER: list[threading.Thread] = []


def start_sweeper() -> None:
    """Run `sweep` on this process's uploaded-file manager every SWEEP_SECONDS, in one
    daemon thread per process (started by the first session that runs the page)."""
    with _LOCK:
        if _SWEEPER or not runtime.exists():
            return
        instance = runtime.get_instance()

        def loop() -> None:
            while True:
                time.sleep(SWEEP_SECONDS)
                try:
                    sweep(instance.uploaded_file_mgr, instance.is_active_session)
                except Exception:  # a sweep must never stop the sweeper
                    logging.getLogger(__name__).exception("upload sweep failed")

        thread = threading.Thread(target=loop, name="upload-sweeper", daemon=True)
        _SWEEPER.append(thread)
    thread.start()


def keep_upload(
    current_file_id: str | None,
    client: str | None = None,
    limit: int = MAX_HELD_UPLOAD_BYTES,
) -> str:
    """For the running session: apply `bound` to Streamlit's uploaded-file manager, refuse
    a new file past the client's rate (`allow_new_file`; `client` None: no limit), and
    free a kept file as soon as the connection closes. Returns "kept", "none" (no file),
    "full" (over the cap, here or when the sweeper dropped the session's file) or
    "rate" (too many new files from this client); outside a
    server (AppTest, bare runs) "kept" or "none"."""
    ctx = get_script_run_ctx()
    if ctx is None or not runtime.exists():
        return "none" if current_file_id is None else "kept"
    start_sweeper()
    instance = runtime.get_instance()
    manager, session = instance.uploaded_file_mgr, ctx.session_id
    with _LOCK:  # the sweeper dropped this session's file over the cap: say so once
        swept_full = session in _DROPPED_FULL
        _DROPPED_FULL.pop(session, None)
    if not bound(manager, session, current_file_id, limit):
        return "full" if current_file_id is not None or swept_full else "none"
    with _LOCK:
        new = _LAST_FILE.get(session) != current_file_id
    if new:
        if client is not None and not allow_new_file(client, time.monotonic()):
            manager.remove_file(session, current_file_id)
            return "rate"
        with _LOCK:
            _LAST_FILE[session] = current_file_id
            _LAST_FILE.move_to_end(session)
            while len(_LAST_FILE) > _MAX_TRACKED:
                _LAST_FILE.popitem(last=False)
    instance.mark_session_nonresumable(session)
    return "kept"
