"""A data folder with no valid incidents gives the page a clear message, not a traceback."""

from __future__ import annotations

import shutil

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.model import bundled_files
from tests.test_app import APP


def test_no_valid_incidents_is_said_not_raised(tmp_path, monkeypatch):
    folder = tmp_path / "geodata"
    shutil.copytree(bundled_files.GEODATA, folder)
    incidents = pd.read_csv(folder / "incidents.csv", dtype=str, keep_default_na=False)
    # Bundled data must carry Spanish summaries: without the column no row is valid.
    incidents.drop(columns=["summary_es"]).to_csv(folder / "incidents.csv", index=False)
    monkeypatch.setenv("TAPALPA_GEODATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    (error,) = at.error
    assert "no valid incident records" in error.value
    assert "python -m dashboard validate" in error.value
