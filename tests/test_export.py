from __future__ import annotations

import csv
import io
from datetime import datetime

from dashboard.export import COLUMNS, records_csv
from dashboard.filters import ViewSpec, apply
from dashboard.mexico import MEXICO_CITY
from dashboard.validate import validate_incidents
from tests.conftest import incident_row, to_csv


def test_export_round_trips_through_the_validator(bundle):
    view = ViewSpec(
        datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 23, tzinfo=MEXICO_CITY)
    )
    selected = apply(view, bundle.incidents)
    text = records_csv(selected)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(selected) and tuple(rows[0]) == COLUMNS
    # The export is itself a valid incidents file (self-located rows).
    frame, report = validate_incidents(
        text.encode(), "export.csv", bundle.locations.iloc[0:0], bundle.states
    )
    assert report.errors == []
    assert sorted(frame.incident_id) == sorted(selected.incident_id)


def test_export_defuses_spreadsheet_formulas(bundle):
    frame, _ = validate_incidents(
        to_csv([incident_row(summary='=HYPERLINK("http://x")', notes="+1")]),
        "x.csv",
        bundle.locations,
        bundle.states,
    )
    rows = list(csv.DictReader(io.StringIO(records_csv(frame))))
    assert rows[0]["summary"].startswith("'=") and rows[0]["notes"] == "'+1"
