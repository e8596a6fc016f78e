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

Uses one private name of Streamlit's MemoryUploadedFileManager, `file_storage` (the
files of each session), to find files a session sent without the page ever seeing
them (a script calling the upload endpoint): tests/test_upload_bounds.py checks it.
"""

from __future__ import annotations

from collections.abc import Iterable

from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

# What all sessions' uploads may hold in one process: four files at the 50 MB limit.
MAX_HELD_UPLOAD_BYTES = 200 * 1024 * 1024


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


def keep_upload(current_file_id: str | None, limit: int = MAX_HELD_UPLOAD_BYTES) -> bool:
    """For the running session: apply `bound` to Streamlit's uploaded-file manager and,
    when a file is kept, free it as soon as the connection closes. True when the file
    may be checked; always True outside a server (AppTest, bare runs)."""
    ctx = get_script_run_ctx()
    if ctx is None or not runtime.exists():
        return current_file_id is not None
    instance = runtime.get_instance()
    kept = bound(instance.uploaded_file_mgr, ctx.session_id, current_file_id, limit)
    if kept:
        instance.mark_session_nonresumable(ctx.session_id)
    return kept
