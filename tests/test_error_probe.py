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


@pytest.fixture
def eleven(monkeypatch):
    """A probe of 11 lines (10 data lines), the error count's stop out of reach."""
    monkeypatch.setattr(validate, "PROBE_LINES", 11)


def one_error_rows(n: int, start: int = 0) -> list[dict]:
    """`n` rows with exactly one error each (an unknown event type)."""
    return [incident_row(incident_id=f"e{i}", event_type="nope") for i in range(start, start + n)]


def test_a_file_of_lines_with_one_error_each_is_stopped_after_the_first_lines(bundle, eleven):
    """Issue 25's re-probe (3d): the full header, one valid row, then rows with one error
    each got past the error count (2 million rows: 45 s, 1.69 GB in the command line)."""
    data = to_csv([incident_row(incident_id="ok")] + one_error_rows(15))
    outcome = check_incidents(data, "one.csv", bundle.locations, bundle.states, limit=3)
    first = outcome.report.problems[0]
    assert (first.file, first.row) == ("one.csv", None)
    assert first.reason == (
        "stopped: 9 of the first 11 lines have errors: the other 6 lines were not checked "
        "(fix these and check the file again)"
    )
    assert len(outcome.report.problems) == 3  # the caller's limit, applied again
    assert outcome.report.error_count == 10  # nine rows' errors and the stop
    assert len(outcome.frame) == 1


def test_a_file_with_half_its_lines_bad_is_checked_whole(bundle, eleven):
    rows = [incident_row(incident_id=f"ok{i}") for i in range(10)]
    bad = one_error_rows(10)
    data = to_csv([row for pair in zip(rows, bad, strict=True) for row in pair])
    outcome = check_incidents(data, "half.csv", bundle.locations, bundle.states)
    assert not any("stopped" in p.reason for p in outcome.report.problems)
    assert outcome.report.error_count == 10
    assert len(outcome.frame) == 10  # every valid row kept


def test_the_command_line_stops_a_file_of_one_error_lines(tmp_path, eleven):
    path = tmp_path / "one.csv"
    path.write_bytes(to_csv([incident_row(incident_id="ok")] + one_error_rows(15)))
    done = run_cli_in_process("validate", str(path))
    assert done.returncode == 1
    assert "stopped: 9 of the first 11 lines have errors" in done.stdout + done.stderr
