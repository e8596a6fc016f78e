"""The page's run counter (dashboard/web/busy.py): previews of neighbouring windows are
made only by a run that has the process to itself."""

from __future__ import annotations

import threading

import pytest

from dashboard.web.busy import alone, page_run


def test_a_run_alone_and_runs_that_overlap():
    assert alone()  # no run under way (a call from outside any run)
    with page_run():
        assert alone()
        started, finish = threading.Event(), threading.Event()

        def other_run():
            with page_run():
                started.set()
                finish.wait(10)

        thread = threading.Thread(target=other_run)
        thread.start()
        assert started.wait(10)
        assert not alone()  # another session's run is under way
        finish.set()
        thread.join(10)
        assert alone()
    assert alone()


def test_an_interrupted_run_is_no_longer_counted():
    class Rerun(Exception):  # as Streamlit stops a run for a newer one
        pass

    with pytest.raises(Rerun), page_run():
        raise Rerun
    with page_run():
        assert alone()
