"""A slider step reruns the filters' fragment (dashboard/web/page.py the_view), not the
page around it, and its figures are those a full run shows for the same window.

AppTest runs the whole script on a widget's change; the browser asks for a rerun of the
fragment the widget is in. `fragment_rerun` asks AppTest's runner the browser's way (the
fragment's id in the rerun request), so the script runs as it does behind a slider step.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest, local_script_runner

from dashboard.web import page as page_module
from dashboard.web.state import WINDOW
from tests.conftest import APP

# Sections a filter does not change: made by main() only (a full run).
OUTSIDE = ("page_head", "header", "file_picker", "your_file")
# Sections that show the view: made again on every step.
INSIDE = ("filters", "map_section", "map_summary", "key_figures", "incidents_in_view", "per_state")


@contextmanager
def fragment_rerun(at: AppTest):
    """While open, `at`'s runs are reruns of the page's one fragment (as a widget inside
    it asks for in the browser)."""
    ids = list(at._fragment_storage._fragments)  # noqa: SLF001 (AppTest has no public way)
    assert len(ids) == 1, ids
    plain = local_script_runner.RerunData

    def as_fragment(*args, **kwargs):
        data = plain(*args, **kwargs)
        return replace(data, fragment_id_queue=ids, is_fragment_scoped_rerun=True)

    with mock.patch.object(local_script_runner, "RerunData", as_fragment):
        yield


@pytest.fixture
def counted(monkeypatch):
    """How many times each section of the page ran (a Counter, by function name)."""
    calls: Counter[str] = Counter()
    for name in OUTSIDE + INSIDE:
        function = getattr(page_module, name)

        def counting(*args, _f=function, _name=name, **kwargs):
            calls[_name] += 1
            return _f(*args, **kwargs)

        monkeypatch.setattr(page_module, name, counting)
    return calls


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_slider_step_reruns_only_the_fragment(counted):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert all(counted[name] == 1 for name in OUTSIDE + INSIDE), counted
    counted.clear()
    start, end = at.select_slider(key=WINDOW).value
    with fragment_rerun(at):
        at.select_slider(key=WINDOW).set_value((start, start + timedelta(hours=6))).run()
    assert not at.exception, at.exception
    assert {name: counted[name] for name in OUTSIDE} == dict.fromkeys(OUTSIDE, 0)
    assert {name: counted[name] for name in INSIDE} == dict.fromkeys(INSIDE, 1)


def test_a_step_shows_what_a_full_run_shows():
    """The figures after a fragment rerun are those of a full run of the same window: no
    figure is left from the window before."""
    stepped = AppTest.from_file(str(APP), default_timeout=60)
    stepped.run()
    start, end = stepped.select_slider(key=WINDOW).value
    before = metrics(stepped)
    window = (start, start + timedelta(hours=6))
    with fragment_rerun(stepped):
        stepped.select_slider(key=WINDOW).set_value(window).run()
    assert not stepped.exception, stepped.exception
    full = AppTest.from_file(str(APP), default_timeout=60)
    full.run()
    full.select_slider(key=WINDOW).set_value(window).run()
    assert not full.exception, full.exception
    assert metrics(stepped) == metrics(full)
    assert metrics(stepped) != before  # the step changed the figures (a test that can fail)
