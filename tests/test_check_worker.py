"""A reader's file checked in the worker process (dashboard/analysis/check_worker.py) gets
the report and rows a check in the page's own process gets; a worker past its time or
memory gives a refusal naming the file and the reason, and the next check works."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import dashboard
from dashboard.analysis.check_file import check_file
from dashboard.analysis.check_worker import WORKER_NICENESS, Worker, worker_for
from dashboard.model import bundled_files
from tests.conftest import incident_row, to_csv


@pytest.fixture(scope="module")
def worker():
    started = Worker(str(bundled_files.GEODATA))
    yield started
    started.stop()


def polygon(vertices: int) -> bytes:
    ring = [[-103.3 + i * 1e-6, 20.6] for i in range(vertices)] + [[-103.3, 20.6]]
    feature = {"type": "Feature", "properties": {}}
    feature["geometry"] = {"type": "Polygon", "coordinates": [ring]}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


FILES = [
    ("valid.csv", to_csv([incident_row(), incident_row(incident_id="t2")])),
    ("errors.csv", to_csv([incident_row(), incident_row(incident_id="t2", latitude="north")])),
    ("duplicate.csv", to_csv([incident_row(), incident_row()])),
    ("wide.csv", (",".join(f"c{i}" for i in range(600)) + "\n").encode()),
    ("shape.geojson", polygon(10_001)),
    ("unreadable.json", b"{not json"),
]


@pytest.mark.parametrize(("name", "data"), FILES, ids=[n for n, _ in FILES])
def test_a_check_in_the_worker_is_the_check_in_process(bundle, worker, name, data):
    steps = []
    isolated = worker.check(data, name, progress=lambda fraction, step: steps.append(step))
    local = check_file(data, name, bundle.locations, bundle.states)
    assert isolated.report.to_text() == local.report.to_text()
    assert isolated.report.totals == local.report.totals
    assert (isolated.format, isolated.encoding, isolated.mapping) == (
        local.format,
        local.encoding,
        local.mapping,
    )
    assert isolated.frame.equals(local.frame) and list(isolated.frame) == list(local.frame)
    assert steps[-1] == "done"  # the page's progress bar hears the worker's steps


def test_a_check_past_its_time_is_refused_by_name_and_the_next_works(worker):
    data = to_csv([incident_row(incident_id=f"t{i}") for i in range(3000)])
    refused = worker.check(data, "slow.csv", seconds=0.05)
    assert [(p.file, p.row, p.severity) for p in refused.report.problems] == [
        ("slow.csv", None, "error")
    ]
    assert "took more than 0 s to check" in refused.report.to_text()
    assert len(refused.frame) == 0 and worker.process is None  # killed
    again = worker.check(to_csv([incident_row()]), "fine.csv")
    assert again.report.ok and len(again.frame) == 1


def test_a_check_past_its_memory_is_refused_by_name_and_the_next_works():
    small = Worker(str(bundled_files.GEODATA), memory=8 * 2**20)
    try:
        data = to_csv([incident_row(incident_id=f"t{i}") for i in range(20_000)])
        refused = small.check(data, "big.csv")
        assert [(p.file, p.row, p.severity) for p in refused.report.problems] == [
            ("big.csv", None, "error")
        ]
        text = refused.report.to_text()
        assert "needed more than the 8 MB a check may use" in text and "Traceback" not in text
        small.memory = 1024 * 2**20
        again = small.check(to_csv([incident_row()]), "fine.csv")
        assert again.report.ok and len(again.frame) == 1
    finally:
        small.stop()


def test_a_page_view_starts_the_worker_and_one_process_keeps_one_worker():
    geodata = str(bundled_files.GEODATA)
    first = worker_for(geodata, "v1")
    assert worker_for(geodata, "v1") is first
    first.warm()
    deadline = time.monotonic() + 120
    while first.process is None and time.monotonic() < deadline:
        time.sleep(0.2)
    with first.lock:  # the background start holds it until the worker is ready
        assert first.process is not None and first.process.poll() is None
    process = first.process
    second = worker_for(geodata, "v2")  # a new data version: a new worker, the old stopped
    assert second is not first and first.process is None and process.poll() is not None
    second.stop()


def test_the_worker_yields_the_cores_to_the_replica(worker):
    worker.check(to_csv([incident_row()]), "fine.csv")
    assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) >= os.getpriority(
        os.PRIO_PROCESS, 0
    ) + min(WORKER_NICENESS, 19 - os.getpriority(os.PRIO_PROCESS, 0))


def test_the_worker_runs_this_checkout_from_any_directory(tmp_path, monkeypatch):
    """Started from another directory, the worker imports the code the page runs (its
    PYTHONPATH starts with this checkout), not another install of the package."""
    monkeypatch.chdir(tmp_path)
    elsewhere = Worker(str(bundled_files.GEODATA))
    try:
        assert elsewhere.check(to_csv([incident_row()]), "fine.csv").report.ok
        environ = Path(f"/proc/{elsewhere.process.pid}/environ").read_bytes().split(b"\0")
        path = next(v for v in environ if v.startswith(b"PYTHONPATH=")).decode()[11:]
        checkout = Path(dashboard.__file__).resolve().parents[1]
        assert Path(path.split(os.pathsep)[0]) == checkout
    finally:
        elsewhere.stop()


class Stopped(Exception):
    """What Streamlit raises in a run it stops (a rerun while the file is checked)."""


def test_a_check_stopped_midway_never_answers_the_next_file(worker):
    def stop(fraction, step):
        raise Stopped

    with pytest.raises(Stopped):
        worker.check(to_csv([incident_row(incident_id="first")]), "first.csv", progress=stop)
    second = worker.check(to_csv([incident_row(incident_id="second")]), "second.csv")
    assert second.frame["incident_id"].tolist() == ["second"]
