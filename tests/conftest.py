from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.ingest.bundle import load_bundle


@pytest.fixture(scope="session")
def bundle():
    return load_bundle()


def open_sections(at):
    """Open the page's closed sections (dashboard.web.state.LAZY_SECTIONS: share, downloads,
    hour by hour, state-level reports, corrections log) for `at`'s next run, so a test
    sees everything the page can show. Returns `at`."""
    from dashboard.web.state import LAZY_SECTIONS, OPENED_SECTIONS

    at.session_state[OPENED_SECTIONS] = set(LAZY_SECTIONS)  # as the reader's clicks leave it
    return at


def to_csv(rows: list[dict], delimiter: str = ",", columns: list[str] | None = None) -> bytes:
    columns = columns or list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def incident_row(**changes) -> dict:
    """A valid incident placed by its own coordinates (central Guadalajara, Jalisco)."""
    row = {
        "incident_id": "test-1",
        "start": "2026-02-22T10:30-06:00",
        "end": "",
        "time_precision": "hour",
        "part_of_day": "",
        "event_type": "blockade",
        "blockades": "1",
        "fatalities": "",
        "injured": "",
        "arrested": "",
        "summary": "A test blockade.",
        "source_url": "https://example.org/report",
        "source_outlet": "Example",
        "source_date": "2026-02-22",
        "more_source_urls": "",
        "confidence": "high",
        "disputed": "false",
        "notes": "",
        "latitude": "20.6767",
        "longitude": "-103.3475",
        "cve_ent": "14",
    }
    row.update(changes)
    return row


ROOT = Path(__file__).resolve().parent.parent


def run_cli(
    *args: str, environ: dict[str, str] | None = None, timeout: int = 180
) -> subprocess.CompletedProcess:
    """`python -m dashboard ARGS` from the repository root, text output captured;
    `environ` is laid over this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(environ or {})},
    )
