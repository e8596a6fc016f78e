"""The public corrections log (geodata/corrections.csv): read, check, apply, summarise.

Every change to a published record is one row: which record, which field, the value it
had, the value it has now, why, when and on what source. The build
(geodata/build_incidents.py) applies the rows in file order to the records it converts,
so regenerating geodata/ gives the corrected data; the page lists them as "Corrections
and updates", as newsrooms do.

A row whose `field` is ``record`` changes a whole record; its `new_value` says how:

- ``withdrawn``: the record is removed (its `reason` says why);
- ``merged into <id>``: the record described the same event as record <id>, which keeps
  it with all its sources (the build checks that every source link moved over);
- ``added``: a record that was not published before (its row lives in
  geodata/additions.csv).

Nothing here imports Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dashboard.ingest.read import read_table
from dashboard.model.schema import Report
from dashboard.text.escape import is_http_url
from dashboard.text.i18n import N_, gettext_for, text_for
from dashboard.text.message import Message, msg, msg_n

CORRECTION_COLUMNS = (
    "date",
    "record",
    "field",
    "old_value",
    "new_value",
    "reason",
    "source_url",
)
# Optional: the reason in Spanish, in our own words. Adding it to a row is a
# translation of the log, not a correction of the record; the bundled log has it on
# every row (`python -m dashboard validate`, check `spanish_text`).
SPANISH_REASON = "reason_es"
RECORD_FIELD = "record"  # the `field` of a row that changes a whole record
WITHDRAWN = "withdrawn"
ADDED = "added"
MERGED = re.compile(r"^merged into (\S+)$")
# Official figures have no id of their own: their key is these fields, joined by " | ".
OFFICIAL_KEY_FIELDS = ("reported_at", "scope", "metric", "reported_by")
OFFICIAL_PREFIX = "official: "
# Key moments (key_moments.csv, edited by hand) are keyed by their `at` as written.
KEY_MOMENT_PREFIX = "key_moment: "
URL = re.compile(r"https?://\S+")
SHORT_VALUE = 60  # characters: longer old/new values are summarised as "updated" in the log

FIELD_LABELS = {
    "disputed": N_("Disputed flag"),
    "part_of_day": N_("Part of day"),
    "time_precision": N_("Time precision"),
    "start": N_("Start time"),
    "end": N_("End time"),
    "event_type": N_("Event type"),
    "fatalities": N_("Fatalities"),
    "injured": N_("Injured"),
    "arrested": N_("Arrested"),
    "blockades": N_("Blockades"),
    "summary": N_("Summary"),
    "notes": N_("Notes"),
    "source_url": N_("Main source"),
    "more_source_urls": N_("Further sources"),
    "confidence": N_("Confidence"),
    "value": N_("Figure"),
    "summary_es": N_("Spanish summary"),
    "headline": N_("Headline"),
    "municipality": N_("Municipality"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "geo_precision": N_("Location precision"),
    "distinct_from": N_("Distinct from"),
    "distinct_reason": N_("Why distinct"),
}


class CorrectionError(ValueError):
    """A correction cannot be applied: the record or the old value is not what it says."""


@dataclass(frozen=True)
class Correction:
    """One row of the corrections log (`row` is its line in the file; the header is line 1)."""

    row: int
    date: str  # YYYY-MM-DD, when the correction was made
    record: str  # an incident_id, or "official: <reported_at> | <scope> | <metric> | <by>"
    field: str
    old_value: str
    new_value: str
    reason: str
    source_url: str
    reason_es: str = ""  # the reason in Spanish, where the log gives it

    def reason_in(self, lang: str) -> str:
        """The reason in `lang`: its own (`reason_es` in Spanish) where given, else
        `reason` (i18n.text_for)."""
        return text_for({"reason": self.reason, "reason_es": self.reason_es}, "reason", lang)

    @property
    def kind(self) -> str:
        """``withdrawn``, ``merged``, ``added`` or ``changed``."""
        if self.field != RECORD_FIELD:
            return "changed"
        if self.new_value == WITHDRAWN:
            return WITHDRAWN
        if self.new_value == ADDED:
            return ADDED
        return "merged"

    @property
    def merged_into(self) -> str | None:
        match = MERGED.match(self.new_value) if self.field == RECORD_FIELD else None
        return match.group(1) if match else None

    @property
    def official(self) -> bool:
        return self.record.startswith(OFFICIAL_PREFIX)

    @property
    def key_moment(self) -> bool:
        """A row of key_moments.csv (`record` is ``key_moment: <at>``), not an incident."""
        return self.record.startswith(KEY_MOMENT_PREFIX)


def official_key(row: dict) -> str:
    """The correction key of an official_counts.csv row (its fields as written)."""
    return OFFICIAL_PREFIX + " | ".join(str(row[f]) for f in OFFICIAL_KEY_FIELDS)


def read_corrections(data: bytes, name: str) -> tuple[list[Correction], Report]:
    """Parse and check a corrections CSV; every bad row is reported and dropped.

    Checks: the seven columns are present (an eighth, `reason_es`, is optional); `date`
    is an ISO date (YYYY-MM-DD); `record`, `field` and `reason` are not empty;
    `source_url` is an http(s) URL with a host; a `record` row's `new_value` is
    ``withdrawn``, ``added`` or ``merged into <id>``; a value actually changes.
    Returns the valid rows in file order and the report.
    """
    report = Report()
    lines = [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    if len(lines) == 1 and [c.strip() for c in lines[0].lstrip("\ufeff").split(",")] == list(
        CORRECTION_COLUMNS
    ):
        return [], report  # a log with no corrections yet
    table = read_table(data, name, report)
    if table is None:
        return [], report
    missing = [c for c in CORRECTION_COLUMNS if c not in table.columns]
    for column in missing:
        report.add(name, None, column, None, msg("required column is missing"))
    if missing:
        return [], report
    rows = []
    columns = list(CORRECTION_COLUMNS)
    if SPANISH_REASON in table.columns:
        columns.append(SPANISH_REASON)
    text = table.frame[columns].fillna("").astype(str)
    for number, record in zip(table.rows.tolist(), text.to_dict("records"), strict=True):
        problems = list(_row_problems(record))
        for field, value, reason in problems:
            report.add(name, number, field, value, reason)
        if not problems:
            rows.append(Correction(number, **record))
    return rows, report


def _row_problems(values: dict[str, str]) -> Iterable[tuple[str, str, Message]]:
    try:
        date.fromisoformat(values["date"])
        if len(values["date"]) != 10:
            raise ValueError
    except ValueError:
        yield "date", values["date"], msg("not a date (YYYY-MM-DD)")
    for field in ("record", "field", "reason"):
        if not values[field].strip():
            yield field, values[field], msg("required value is empty")
    if not is_http_url(values["source_url"]):
        yield "source_url", values["source_url"], msg("not an http(s) URL with a host")
    if values["field"] == RECORD_FIELD:
        new = values["new_value"]
        if new not in (WITHDRAWN, ADDED) and not MERGED.match(new):
            yield (
                "new_value",
                new,
                msg(
                    "a {field} correction is {withdrawn}, {added} or {merged}",
                    field=repr(RECORD_FIELD),
                    withdrawn="'withdrawn'",
                    added="'added'",
                    merged="'merged into <id>'",
                ),
            )
    elif values["old_value"] == values["new_value"]:
        yield "new_value", values["new_value"], msg("the new value is the old value")


def load_corrections(path: Path) -> tuple[list[Correction], Report]:
    """Read a corrections file; a missing file is an empty log (no problems)."""
    if not path.exists():
        return [], Report()
    return read_corrections(path.read_bytes(), path.name)


def apply_corrections(
    records: dict[str, dict[str, str]],
    corrections: Iterable[Correction],
    name: str = "corrections.csv",
    additions: dict[str, dict[str, str]] | None = None,
) -> dict[str, dict[str, str]]:
    """Apply corrections in order to `records` (key -> field -> value), in place.

    `additions` holds records that only an ``added`` correction may bring in. Returns the
    records removed by ``withdrawn``/``merged`` corrections, keyed like `records`.

    Raises CorrectionError, naming the corrections row, the record and the field, when a
    record is unknown, a field does not exist, the current value is not the row's
    `old_value`, an addition has no row (or a row no addition), or a merged record's
    source links did not all move to the record it was merged into.
    """
    pending = dict(additions or {})
    removed: dict[str, dict[str, str]] = {}
    merges: list[Correction] = []
    dropped_urls: set[str] = set()
    for c in corrections:
        where = f"{name}, line {c.row}, record {c.record!r}"
        if c.kind == ADDED:
            if c.record in records:
                raise CorrectionError(f"{where}: cannot add a record that already exists")
            if c.record not in pending:
                raise CorrectionError(f"{where}: no such record among the additions")
            records[c.record] = pending.pop(c.record)
            continue
        if c.record not in records:
            raise CorrectionError(f"{where}: no such record (already removed or renamed?)")
        record = records[c.record]
        if c.field == RECORD_FIELD:
            removed[c.record] = records.pop(c.record)
            if c.merged_into:
                merges.append(c)
            continue
        if c.field not in record:
            raise CorrectionError(f"{where}: the record has no field {c.field!r}")
        if record[c.field] != c.old_value:
            raise CorrectionError(
                f"{where}, field {c.field!r}: old value {c.old_value!r} does not match the "
                f"current value {record[c.field]!r}"
            )
        dropped_urls |= set(URL.findall(c.old_value)) - set(URL.findall(c.new_value))
        record[c.field] = c.new_value
    if pending:
        raise CorrectionError(
            f"{name}: additions without an 'added' correction: {', '.join(sorted(pending))}"
        )
    for c in merges:
        target = records.get(c.merged_into or "")
        if target is None:
            raise CorrectionError(
                f"{name}, line {c.row}, record {c.record!r}: merged into unknown record "
                f"{c.merged_into!r}"
            )
        kept = set(source_links(target))
        lost = [u for u in source_links(removed[c.record]) if u not in kept | dropped_urls]
        if lost:
            raise CorrectionError(
                f"{name}, line {c.row}, record {c.record!r}: merged into {c.merged_into!r} "
                f"without its sources {' '.join(lost)}"
            )
    return removed


def source_links(record: dict[str, str]) -> list[str]:
    """A record's source URLs: `source_url` then `more_source_urls` (space-separated)."""
    return [record.get("source_url", ""), *record.get("more_source_urls", "").split()]


# ---------------------------------------------------------------- the public log


@dataclass(frozen=True)
class LogEntry:
    """What readers see: one line per record, date, reason and source."""

    date: str
    record: str
    label: str  # the record as readers see it (an incident id, or an official figure)
    changes: tuple[str, ...]  # plain text, e.g. 'Disputed flag: "false" → "true"'
    reason: str  # in the log's language of `lang` (Spanish where the log gives it)
    source_url: str


def record_label(record: str, lang: str = "en") -> str:
    """An incident id as is; an official key as 'Official figure: scope, metric (by, date)'
    ("Cifra oficial: …" in Spanish); a key moment as 'Key moment: <date> <time>'; scope,
    metric and authority are data, shown as given."""
    if record.startswith(KEY_MOMENT_PREFIX):
        at = record[len(KEY_MOMENT_PREFIX) :]
        return msg("Key moment: {at}", at=at[:16].replace("T", " ")).text(lang)
    if not record.startswith(OFFICIAL_PREFIX):
        return record
    parts = record[len(OFFICIAL_PREFIX) :].split(" | ")
    if len(parts) != len(OFFICIAL_KEY_FIELDS):
        return record
    reported_at, scope, metric, by = parts
    return msg(
        "Official figure: {scope}, {metric} ({by}, {date})",
        scope=scope,
        metric=metric,
        by=by,
        date=reported_at[:10],
    ).text(lang)


def describe(c: Correction, lang: str = "en") -> str:
    """One change as plain text (not escaped), in "es" or "en"; values as written."""
    if c.kind == WITHDRAWN:
        return msg("Record withdrawn").text(lang)
    if c.kind == ADDED:
        return msg("Record added").text(lang)
    if c.kind == "merged":
        return msg("Merged into {record}", record=c.merged_into).text(lang)
    label = gettext_for(lang, FIELD_LABELS[c.field]) if c.field in FIELD_LABELS else c.field
    if max(len(c.old_value), len(c.new_value)) > SHORT_VALUE:
        return msg("{label} updated", label=label).text(lang)
    empty = msg("(empty)").text(lang)
    old = f"“{c.old_value}”" if c.old_value else empty
    new = f"“{c.new_value}”" if c.new_value else empty
    return f"{label}: {old} → {new}"


def log_entries(corrections: Iterable[Correction], lang: str = "en") -> list[LogEntry]:
    """Corrections grouped by date, record, reason and source, newest date first; the
    labels and changes in `lang`, and the reason as the log writes it in `lang`
    (`reason_es` in Spanish where given, else `reason`)."""
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for c in corrections:
        key = (c.date, c.record, c.reason_in(lang), c.source_url)
        groups.setdefault(key, []).append(describe(c, lang))
    entries = [
        LogEntry(d, record, record_label(record, lang), tuple(dict.fromkeys(changes)), reason, url)
        for (d, record, reason, url), changes in groups.items()
    ]
    return sorted(entries, key=lambda e: e.date, reverse=True)  # stable: file order kept


def credit_line(corrections: list[Correction], lang: str = "en") -> str:
    """One sentence for credits: how many corrections, the latest date (ISO), in `lang`."""
    if not corrections:
        return msg("No corrections to the data so far.").text(lang)
    records = len({c.record for c in corrections})
    latest = max(c.date for c in corrections)
    return msg(
        "Corrections and updates: {changes} {records}, latest {latest}; each is listed with "
        "its reason and source on the map page.",
        changes=msg_n("{n} change", "{n} changes", len(corrections)),
        records=msg_n("to {n} record", "to {n} records", records),
        latest=latest,
    ).text(lang)
