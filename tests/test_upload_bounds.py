"""Bounded upload memory (dashboard/web/upload_bounds.py) on Streamlit's own
uploaded-file manager: one file per session, a cap over all sessions, and the one
private name it relies on."""

from __future__ import annotations

from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from dashboard.web.upload_bounds import bound, held_bytes, session_file_ids


def manager_with(files: dict[str, list[tuple[str, int]]]) -> MemoryUploadedFileManager:
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    for session, entries in files.items():
        for file_id, size in entries:
            manager.add_file(
                session, UploadedFileRec(file_id, f"{file_id}.csv", "text/csv", b"x" * size)
            )
    return manager


def test_streamlits_manager_still_has_the_private_storage_relied_on():
    manager = manager_with({"s": [("a", 3), ("b", 4)]})
    assert session_file_ids(manager, "s") == ["a", "b"]
    assert session_file_ids(manager, "other") == []
    assert held_bytes(manager) == 7


def test_a_new_upload_replaces_the_sessions_earlier_ones():
    manager = manager_with({"s": [("a", 10), ("b", 10), ("c", 10)], "t": [("d", 10)]})
    assert bound(manager, "s", "c", limit=1000)
    assert session_file_ids(manager, "s") == ["c"]
    assert session_file_ids(manager, "t") == ["d"]  # other sessions untouched
    assert held_bytes(manager) == 20


def test_no_file_on_the_page_frees_every_file_of_the_session():
    manager = manager_with({"s": [("a", 10)]})
    assert not bound(manager, "s", None, limit=1000)
    assert held_bytes(manager) == 0


def test_over_the_cap_the_new_file_is_dropped_and_the_others_kept():
    manager = manager_with({"t": [("d", 60)], "u": [("e", 30)], "s": [("a", 20)]})
    assert not bound(manager, "s", "a", limit=100)
    assert session_file_ids(manager, "s") == []
    assert held_bytes(manager) == 90
    manager.remove_file("t", "d")  # another reader leaves: room again
    manager.add_file("s", UploadedFileRec("a", "a.csv", "text/csv", b"x" * 20))
    assert bound(manager, "s", "a", limit=100)


def test_a_client_gets_six_new_files_a_minute_then_waits():
    from collections import deque

    from dashboard.web.upload_bounds import allow_new_file

    book: dict[str, deque[float]] = {}
    assert all(allow_new_file("1.2.3.4", 100.0 + i, book=book) for i in range(6))
    assert not allow_new_file("1.2.3.4", 110.0, book=book)
    assert allow_new_file("5.6.7.8", 110.0, book=book)  # another reader is not held up
    assert allow_new_file("1.2.3.4", 160.5, book=book)  # the first one is a minute old


def test_the_client_is_the_address_caddy_saw():
    from dashboard.web.upload_bounds import client_address

    assert client_address({"X-Forwarded-For": "203.0.113.7, 10.0.0.1"}) == "203.0.113.7"
    assert client_address({}, "198.51.100.2") == "198.51.100.2"  # a plain streamlit run
    assert client_address({}) is None
    assert client_address(None) is None


def test_one_check_at_a_time_and_a_bounded_wait():
    import threading

    from dashboard.web.upload_bounds import check_slot

    slots = threading.BoundedSemaphore(1)
    with check_slot(0.1, slots) as first:
        assert first
        with check_slot(0.1, slots) as second:
            assert not second  # the slot is busy: the caller does not check
    with check_slot(0.1, slots) as again:
        assert again  # released after the first


def test_the_sweeper_keeps_a_connected_sessions_newest_file_and_nothing_of_a_gone_one():
    from dashboard.web.upload_bounds import sweep

    manager = manager_with(
        {"live": [("a", 10), ("b", 10), ("c", 10)], "gone": [("d", 10)], "one": [("e", 5)]}
    )
    assert sweep(manager, lambda session: session != "gone") == 3
    assert session_file_ids(manager, "live") == ["c"]  # the newest: the one sent last
    assert session_file_ids(manager, "gone") == []
    assert session_file_ids(manager, "one") == ["e"]
    assert held_bytes(manager) == 15
    assert sweep(manager, lambda session: True) == 0


def test_the_sweeper_caps_what_all_connected_sessions_hold_dropping_the_newest():
    """Probe 2b of issue 25: sessions that each send one file and never let the page run
    held 7 x 50 MB against the 200 MiB cap; one sweep brings them under it."""
    from collections import OrderedDict

    from dashboard.web.upload_bounds import sweep

    files = {f"s{i}": [(f"f{i}", 50)] for i in range(8)}  # 8 sessions, 400 bytes, cap 200
    manager = manager_with(files)
    arrivals: dict[tuple[str, str], int] = {}
    dropped_full: OrderedDict[str, None] = OrderedDict()
    assert sweep(manager, lambda s: True, 200, arrivals, dropped_full) == 4
    assert held_bytes(manager) <= 200
    assert [s for s in files if session_file_ids(manager, s)] == ["s0", "s1", "s2", "s3"]
    assert list(dropped_full) == ["s7", "s6", "s5", "s4"]  # told "try again later"
    # A file arriving later is the newest: it is the one dropped, the others stay.
    manager.add_file("late", UploadedFileRec("g", "g.csv", "text/csv", b"x" * 10))
    assert sweep(manager, lambda s: True, 200, arrivals, dropped_full) == 1
    assert session_file_ids(manager, "late") == []
    assert held_bytes(manager) == 200
    assert sweep(manager, lambda s: True, 200, arrivals, dropped_full) == 0
