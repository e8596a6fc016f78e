"""The page's upload report in the page's language (AppTest): the reasons come from the
catalogue, the line, field and value are the file's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import incident_row, to_csv

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def report_table(at):
    (found,) = [d for d in at.dataframe if "reason" in d.value.columns]
    return found.value


@pytest.mark.parametrize(
    ("lang", "reason", "severity"),
    [
        ("es", "la fecha y hora no tiene desfase UTC", "error"),
        ("en", "timestamp has no UTC offset", "error"),
    ],
)
def test_the_upload_report_speaks_the_pages_language(lang, reason, severity):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    content = to_csv([incident_row(), incident_row(incident_id="t2", start="2026-02-22T10:00")])
    at.file_uploader(key="upload").set_value(("mine.csv", content, "text/csv")).run()
    assert not at.exception, at.exception
    table = report_table(at)
    assert table[["row", "field", "value"]].values.tolist() == [[3, "start", "2026-02-22T10:00"]]
    assert table["reason"].iloc[0].startswith(reason)
    assert table["severity"].iloc[0] == severity


@pytest.mark.parametrize(
    ("lang", "how"),
    [("es", "nombre del estado a clave INEGI"), ("en", "state name to INEGI code")],
)
def test_the_acled_column_mapping_speaks_the_pages_language(lang, how):
    """How an ACLED file's columns were read: ACLED's and our column names as they are,
    the explanation in the page's language."""
    from dashboard.ingest.acled import COLUMN_MAPPING
    from dashboard.text.i18n import translation

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    content = (Path(__file__).parent / "data" / "acled_export.csv").read_bytes()
    at.file_uploader(key="upload").set_value(("acled.csv", content, "text/csv")).run()
    assert not at.exception, at.exception
    (table,) = [d.value for d in at.dataframe if "how" in d.value.columns]
    assert ["cve_ent", "admin1", how] in table.values.tolist()
    t = translation(lang)
    assert table["how"].tolist() == [t.gettext(h) for _, _, h in COLUMN_MAPPING]
