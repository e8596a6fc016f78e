"""The data checks over the bundled files besides the incidents: where a check's findings
are in a file, by line (CSV, header = line 1) or feature (GeoJSON), as `validate` reports
them.

The registry (`dashboard/analysis/quality.py`, `DataCheck.other_files`) names which of
these each check runs; every function here returns a `Report` whose problems carry the
given severity ("error": the bundled data fails `python -m dashboard validate`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.analysis.quality_disputes import official_disagreements
from dashboard.analysis.quality_findings import findings_report
from dashboard.analysis.quality_links import non_article_links
from dashboard.analysis.quality_spanish import missing_spanish, missing_spanish_places
from dashboard.ingest.corrections import SPANISH_REASON, load_corrections
from dashboard.ingest.id_lines import id_lines
from dashboard.ingest.read import read_table
from dashboard.model import bundled_files
from dashboard.model.schema import Report

if TYPE_CHECKING:
    from dashboard.ingest.bundle import Bundle


def record_lines(data: bytes, name: str, key=None) -> tuple[dict[str, int], str]:
    """Record key -> its line in the file (CSV, header = line 1) or feature number, as the
    validator's reader counts them, and which of the two (`unit`: "line" or "feature");
    `key(row)` makes the key from a row (a dict of text cells; default: its incident_id).
    An unreadable file gives ({}, "line")."""
    table = read_table(data, name, Report())
    if table is None:
        return {}, "line"
    lines = table.rows.tolist()
    if key is None:  # by incident_id: one column, not a dict per row (7 s at 30,000 rows)
        found = id_lines(table.frame, table.rows)
        if found is None:
            return ({"": lines[-1]} if lines else {}), table.unit
        return found, table.unit
    rows = table.frame.fillna("").astype(str).to_dict("records")
    return {key(row): n for n, row in zip(lines, rows, strict=True)}, table.unit


def site_links_report(bundle: Bundle, severity: str = "error") -> Report:
    """Source links of the operation site (operation_site.geojson) that are not article
    pages (`non_article_links`)."""
    site_links = non_article_links(bundle.operation_site, id_column="site_id")
    name = f"geodata/{bundled_files.OPERATION_SITE_FILE.name}"
    return findings_report(site_links, name, severity=severity)


def official_name(row: dict) -> str:
    """An official figure's name in reports: "scope metric date (reported_by)"."""
    when = row.get("reported_at", "")[:10]
    by = row.get("reported_by", "")
    return f"{row.get('scope', '')} {row.get('metric', '')} {when}" + (f" ({by})" if by else "")


def official_links_report(data: bytes, severity: str = "error") -> Report:
    """Source links of official_counts.csv (its bytes) that are not article pages, by line;
    a figure is named "scope metric date (reported_by)" (`national blockades_reported
    2026-02-22 (Gabinete de Seguridad)`): two figures of one day by two reporters are two."""
    name = f"geodata/{bundled_files.OFFICIAL_FILE.name}"
    urls: dict[str, str] = {}
    notes: dict[str, str] = {}

    def key(row: dict) -> str:
        record = official_name(row)
        urls[record] = row.get("source_url", "")
        notes[record] = row.get("notes", "")
        return record

    lines, unit = record_lines(data, name, key)
    frame = pd.DataFrame(
        {
            "incident_id": list(urls),
            "source_url": list(urls.values()),
            "notes": list(notes.values()),
        }
    )
    return findings_report(non_article_links(frame), name, lines, severity, unit)


def other_links_report(bundle: Bundle, severity: str = "error") -> Report:
    """`non_article_links` on the bundled files besides incidents.csv: the operation site
    and official_counts.csv."""
    report = site_links_report(bundle, severity)
    report.extend(official_links_report(bundled_files.OFFICIAL_FILE.read_bytes(), severity))
    return report


def official_disputes_report(data: bytes, severity: str = "error") -> Report:
    """Official figures (official_counts.csv, its bytes) that keep two values for one
    fact, or that a flagged figure says it differs from, without the `disputed` flag
    (`official_disagreements`), by line."""
    name = f"geodata/{bundled_files.OFFICIAL_FILE.name}"
    table = read_table(data, name, Report())
    if table is None:  # the validator reports an unreadable file
        return Report()
    rows = table.frame.fillna("").astype(str).to_dict("records")
    lines, unit = record_lines(data, name, official_name)
    return findings_report(official_disagreements(rows, official_name), name, lines, severity, unit)


def other_disputes_report(bundle: Bundle, severity: str = "error") -> Report:
    """`disputed` on the bundled files besides incidents.csv: official_counts.csv."""
    return official_disputes_report(bundled_files.OFFICIAL_FILE.read_bytes(), severity)


def spanish_places_report(bundle: Bundle, severity: str = "error") -> Report:
    """Places that are English descriptions with no `place_es` (`spanish_place`), by
    feature of locations.geojson."""
    features = {str(v): n for n, v in enumerate(bundle.locations["location_id"], start=1)}
    name = f"geodata/{bundled_files.LOCATIONS_FILE.name}"
    places = missing_spanish_places(bundle.locations)
    return findings_report(places, name, features, severity, unit="feature")


def spanish_site_report(bundle: Bundle, severity: str = "error") -> Report:
    """The operation site's `name_es` and `description_es` (`spanish_text`)."""
    report = Report()
    site = pd.DataFrame(bundle.operation_site.drop(columns="geometry"))
    site_name = f"geodata/{bundled_files.OPERATION_SITE_FILE.name}"
    for english, spanish in (("name", "name_es"), ("description", "description_es")):
        found = missing_spanish(site, "site_id", english, spanish)
        report.extend(findings_report(found, site_name, severity=severity, unit="feature"))
    return report


def spanish_corrections_report(geodata: Path | None = None, severity: str = "error") -> Report:
    """Rows of the corrections log (in the folder `geodata`, default the bundled one)
    without `reason_es` (`spanish_text`), by line of corrections.csv."""
    folder = geodata or bundled_files.GEODATA
    corrections, _ = load_corrections(folder / bundled_files.CORRECTIONS_FILE.name)
    log = pd.DataFrame(
        {
            "row": [str(c.row) for c in corrections],
            "reason": [c.reason for c in corrections],
            SPANISH_REASON: [c.reason_es for c in corrections],
        }
    )
    lines = {str(c.row): c.row for c in corrections}
    found = missing_spanish(log, "row", "reason", SPANISH_REASON)
    name = f"geodata/{bundled_files.CORRECTIONS_FILE.name}"
    return findings_report(found, name, lines, severity, unit="line")


def spanish_data_report(bundle: Bundle, geodata: Path | None = None) -> Report:
    """The bundled data's Spanish text besides the incidents and key moments, as errors:
    place names that are English descriptions need `place_es` (by feature of
    locations.geojson); the operation site needs `name_es` and `description_es`; every
    row of the corrections log (in `geodata`, default the bundled folder) needs
    `reason_es` (by line of corrections.csv)."""
    report = spanish_places_report(bundle)
    report.extend(spanish_site_report(bundle))
    report.extend(spanish_corrections_report(geodata))
    return report


def spanish_headlines_report(geodata: Path | None = None, severity: str = "error") -> Report:
    """Key moments without a Spanish headline (`key_moments_es.csv`, joined on `at`), at
    their line of key_moments.csv (in the folder `geodata`, default the bundled one)."""
    folder = geodata or bundled_files.GEODATA
    moments_path = folder / bundled_files.KEY_MOMENTS_FILE.name
    spanish_path = folder / "key_moments_es.csv"
    name = f"geodata/{moments_path.name}"
    data = moments_path.read_bytes()
    moments = read_table(data, name, Report())
    if moments is None:  # the validator reports an unreadable file
        return Report()
    frame = moments.frame[["at", "headline"]].fillna("").astype(str)
    if "headline_es" not in moments.columns and spanish_path.exists():
        spanish = read_table(spanish_path.read_bytes(), f"geodata/{spanish_path.name}", Report())
        if spanish is not None and {"at", "headline_es"} <= set(spanish.columns):
            by_at = dict(zip(spanish.frame["at"], spanish.frame["headline_es"], strict=True))
            frame["headline_es"] = [by_at.get(at, "") or "" for at in frame["at"]]
    elif "headline_es" in moments.columns:
        frame["headline_es"] = moments.frame["headline_es"].fillna("").astype(str)
    frame = pd.DataFrame(frame)
    lines, unit = record_lines(data, name, key=lambda row: row.get("at", ""))
    found = missing_spanish(frame, "at", "headline", "headline_es")
    return findings_report(found, name, lines, severity, unit=unit)


def spanish_text_report(bundle: Bundle, severity: str = "error") -> Report:
    """`spanish_text` on the bundled files besides incidents.csv (whose `summary_es` the
    validator requires): key moments' headlines, the operation site, the corrections log."""
    report = spanish_headlines_report(severity=severity)
    report.extend(spanish_site_report(bundle, severity))
    report.extend(spanish_corrections_report(severity=severity))
    return report
