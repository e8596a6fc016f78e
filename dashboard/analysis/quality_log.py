"""The `log` check: every field of the bundled data that differs from the research build
has a row in the corrections log (geodata/corrections.csv) for that record and field.

The research build is what `geodata/build_incidents.py` makes of the research pack
(`../shared/research/`, beside a clone) before any correction: each research row (and
each row of `additions.csv`) with the `disputed`, `part_of_day` and `distinct_from` /
`distinct_reason` that `review.csv` gave it as first published. "As first published" is
review.csv at PUBLISHED_COMMIT (read with git) for the records it had then, so a later
edit of review.csv is a change without a correction; key moments (hand-written, not in
the research pack) are compared with key_moments.csv at the same commit. A correction
row names an incident by its id, an official figure as `official: <reported_at> |
<scope> | <metric> | <reported_by>`, a key moment as `key_moment: <at>`; a record that
is gone needs a `record` row (withdrawn, merged), a record not in the research build an
`added` row.

Without the research pack the incidents and official figures are not compared, and
without git history review.csv is taken as it is and key moments are not compared:
nothing in a bare copy of geodata/ can say what was first published.
"""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from dashboard.analysis.quality_files import record_lines
from dashboard.analysis.quality_findings import Finding, findings_report
from dashboard.ingest.corrections import (
    OFFICIAL_PREFIX,
    RECORD_FIELD,
    load_corrections,
    official_key,
)
from dashboard.ingest.research import research_official
from dashboard.ingest.research import research_record as convert_research_row
from dashboard.model import bundled_files
from dashboard.model.mexico import state_by_name
from dashboard.model.schema import INCIDENT_COLUMNS, Report
from dashboard.text.message import msg

RESEARCH = bundled_files.GEODATA.parent.parent / "shared" / "research"
# The first publication of the reviewed flags and the corrections log (2026-11-29).
PUBLISHED_COMMIT = "8e04c659377a256d7065ecc3f74e0e5c556869ac"
KEY_MOMENT_PREFIX = "key_moment: "
# Fields compared, as incidents.csv and the log name them.
INCIDENT_FIELDS = (
    *INCIDENT_COLUMNS[2:],  # start … notes (not the ids)
    "distinct_from",
    "distinct_reason",
    "place",
    "municipality",
    "latitude",
    "longitude",
    "geo_precision",
)
OFFICIAL_FIELDS = ("time_precision", "cve_ent", "value", "source_url", "disputed", "notes")
KEY_MOMENT_FIELDS = ("time_precision", "headline", "source_url", "source_outlet")


def _read(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@lru_cache(maxsize=16)  # a file at a commit never changes
def published(path: Path, commit: str = PUBLISHED_COMMIT) -> bytes | None:
    """A bundled file as it was at `commit` (git), or None without git history."""
    try:
        done = subprocess.run(  # noqa: S603 (a fixed command, our own file name)
            ["git", "show", f"{commit}:geodata/{path.name}"],  # noqa: S607
            cwd=path.parent,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def research_record(row: dict[str, str], review: dict[str, str]) -> dict[str, str]:
    """One research-pack row as the build converts it, before corrections (the fields of
    INCIDENT_FIELDS; `latitude`/`longitude` as written): `dashboard.ingest.research`'s
    conversion, which the build calls too, with the state's code ("" when unknown)."""
    state = state_by_name(row["state"])
    return convert_research_row(row, state.cve_ent if state else "", review)


def official_record(row: dict[str, str], review: dict[str, dict]) -> tuple[str, dict]:
    """One research official figure as the build converts it (`dashboard.ingest.research`'s
    conversion, which the build calls too): (its log key, the OFFICIAL_FIELDS)."""
    record = research_official(row)
    key = official_key(record)
    fields = {field: record[field] for field in OFFICIAL_FIELDS}
    fields["disputed"] = review.get(key, {}).get("disputed", "")
    return key, fields


def _same(field: str, old: str, new: str) -> bool:
    if field in ("latitude", "longitude"):
        try:
            return abs(float(old) - float(new)) < 1e-9
        except ValueError:
            return old == new
    return old == new


def log_gaps(
    current: dict[str, dict[str, str]],
    baseline: dict[str, dict[str, str]],
    logged: set[tuple[str, str]],
    fields: Iterable[str],
) -> list[Finding]:
    """Fields of `current` (record key -> field -> value) that differ from `baseline`
    (the research build) with no correction row for that record and field (`logged`:
    (record, field) pairs of the log; `record` rows for whole records); records gone
    without a `record` row; records not in the baseline without one."""
    findings = []
    for key, record in current.items():
        before = baseline.get(key)
        if before is None:
            if (key, RECORD_FIELD) not in logged:
                detail = msg("a record that is not in the research build has no 'added' row")
                findings.append(Finding("log", (key,), RECORD_FIELD, "", str(detail), detail))
            continue
        for field in fields:
            old, new = before.get(field, ""), record.get(field, "")
            if field in record and not _same(field, old, new) and (key, field) not in logged:
                detail = msg(
                    "differs from the research build ({old!r} there) and corrections.csv has "
                    "no row for this record and field",
                    old=old,
                )
                findings.append(Finding("log", (key,), field, new, str(detail), detail))
    for key in baseline.keys() - current.keys():
        if (key, RECORD_FIELD) not in logged:
            detail = msg("a record of the research build is gone without a 'record' row")
            findings.append(Finding("log", (key,), RECORD_FIELD, "", str(detail), detail))
    return findings


def _current_incidents(bundle) -> dict[str, dict[str, str]]:
    rows = _read(bundled_files.INCIDENTS_FILE.read_bytes())
    places = {
        str(p["location_id"]): p
        for p in bundle.locations.drop(columns="geometry").to_dict("records")
    }
    points = dict(
        zip(bundle.locations["location_id"].astype(str), bundle.locations.geometry, strict=True)
    )
    current = {}
    for row in rows:
        place = places.get(row["location_id"], {})
        point = points.get(row["location_id"])
        current[row["incident_id"]] = {
            **row,
            "place": str(place.get("place", "")),
            "municipality": str(place.get("municipality", "")),
            "geo_precision": str(place.get("geo_precision", "")),
            "latitude": repr(point.y) if point is not None else "",
            "longitude": repr(point.x) if point is not None else "",
        }
    return current


def _review(geodata: Path) -> dict[str, dict[str, str]]:
    """review.csv as first published (PUBLISHED_COMMIT) for the records it had then, as
    it is for the others; as it is without git history."""
    path = geodata / "review.csv"
    review = {r["record"]: r for r in _read(path.read_bytes())} if path.exists() else {}
    before = published(path)
    if before is not None:
        review.update({r["record"]: r for r in _read(before)})
    return review


def _logged(geodata: Path) -> set[tuple[str, str]]:
    corrections, _ = load_corrections(geodata / bundled_files.CORRECTIONS_FILE.name)
    return {(c.record, c.field) for c in corrections}


def incident_gaps(bundle, research: Path = RESEARCH) -> list[Finding]:
    """`log_gaps` of incidents.csv (and the places it joins) against the research build."""
    geodata = bundled_files.GEODATA
    review = _review(geodata)
    rows = _read((research / "incidents_2026-02.csv").read_bytes())
    additions = geodata / "additions.csv"
    rows += _read(additions.read_bytes()) if additions.exists() else []
    # Additions are in the baseline as written (the build takes one in only through its
    # 'added' row, and stops without it).
    baseline = {r["id"]: research_record(r, review.get(r["id"], {})) for r in rows}
    return log_gaps(_current_incidents(bundle), baseline, _logged(geodata), INCIDENT_FIELDS)


def official_gaps(research: Path = RESEARCH) -> list[Finding]:
    """`log_gaps` of official_counts.csv against the research build."""
    geodata = bundled_files.GEODATA
    review = _review(geodata)
    baseline = dict(
        official_record(r, review) for r in _read((research / "official_counts.csv").read_bytes())
    )
    rows = _read(bundled_files.OFFICIAL_FILE.read_bytes())
    current = {official_key(row): row for row in rows}
    return log_gaps(current, baseline, _logged(geodata), OFFICIAL_FIELDS)


def key_moment_gaps() -> list[Finding]:
    """`log_gaps` of key_moments.csv against its first publication (needs git)."""
    before = published(bundled_files.KEY_MOMENTS_FILE)
    if before is None:
        return []

    def keyed(data: bytes) -> dict[str, dict[str, str]]:
        return {KEY_MOMENT_PREFIX + r["at"]: r for r in _read(data)}

    current = keyed(bundled_files.KEY_MOMENTS_FILE.read_bytes())
    return log_gaps(current, keyed(before), _logged(bundled_files.GEODATA), KEY_MOMENT_FIELDS)


def log_report(bundle, severity: str = "error", research: Path = RESEARCH) -> Report:
    """`log` on the bundled data, by line of incidents.csv, official_counts.csv and
    key_moments.csv; incidents and official figures only where the research pack is."""
    report = Report()
    parts = []
    if (research / "incidents_2026-02.csv").exists():
        parts.append((bundled_files.INCIDENTS_FILE, incident_gaps(bundle, research), None))
        parts.append(
            (
                bundled_files.OFFICIAL_FILE,
                official_gaps(research),
                lambda r: (
                    f"{OFFICIAL_PREFIX}{r.get('reported_at', '')} | {r.get('scope', '')} | "
                    f"{r.get('metric', '')} | {r.get('reported_by', '')}"
                ),
            )
        )
    parts.append(
        (
            bundled_files.KEY_MOMENTS_FILE,
            key_moment_gaps(),
            lambda r: KEY_MOMENT_PREFIX + r.get("at", ""),
        )
    )
    for path, found, key in parts:
        name = f"geodata/{path.name}"
        lines, unit = record_lines(path.read_bytes(), name, key)
        report.extend(findings_report(found, name, lines, severity, unit))
    return report
