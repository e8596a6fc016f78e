"""A delimited file whose first lines are nearly all errors is checked no further
(dashboard/ingest/validate.py, _error_probe): the same rule on the page and the command
line, saying where it stopped. Small limits, the smallest files that show it."""

from __future__ import annotations

import pytest

from dashboard.ingest import validate
from dashboard.ingest.validate import check_incidents
from tests.conftest import incident_row, run_cli_in_process, to_csv

HEADER = b"incident_id,start,time_precision,event_type,source_url,summary,latitude,longitude\n"
BAD = b"x,b,b,b,f,,9,9\n"  # six errors a line, seven from the second (a duplicate id)


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(validate, "PROBE_LINES", 3)
    monkeypatch.setattr(validate, "MAX_ERRORS", 10)


def test_a_file_of_errors_is_stopped_after_the_first_lines(bundle, small):
    outcome = check_incidents(HEADER + BAD * 5, "e.csv", bundle.locations, bundle.states)
    first = outcome.report.problems[0]
    assert (first.file, first.row) == ("e.csv", None)
    assert first.reason == (
        "stopped after 13 errors in the first 3 lines: the other 3 lines were not checked "
        "(fix these and check the file again)"
    )
    assert {p.row for p in outcome.report.problems} == {None, 2, 3}  # line 4 on: unread


def test_few_errors_in_the_first_lines_check_the_whole_file(bundle, small):
    rows = [incident_row(incident_id=f"r{i}") for i in range(6)]
    data = to_csv(rows[:5]) + BAD  # one bad line, the last
    outcome = check_incidents(data, "f.csv", bundle.locations, bundle.states)
    assert not any("stopped" in p.reason for p in outcome.report.problems)
    assert {p.row for p in outcome.report.problems if p.severity == "error"} == {7}
    assert len(outcome.frame) == 5


def test_a_short_file_of_errors_is_checked_whole(bundle, small):
    outcome = check_incidents(HEADER + BAD * 2, "e.csv", bundle.locations, bundle.states)
    assert not any("stopped" in p.reason for p in outcome.report.problems)
    assert {p.row for p in outcome.report.problems} == {2, 3}


def test_the_command_line_says_where_it_stopped(tmp_path, small):
    path = tmp_path / "e.csv"
    path.write_bytes(HEADER + BAD * 5)
    done = run_cli_in_process("validate", str(path))
    assert done.returncode == 1
    assert "stopped after 13 errors in the first 3 lines" in done.stdout + done.stderr
