"""Field names, allowed values and the validation report: the contract of geodata/."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import time

from .i18n import N_

# Keys are the data's values; the labels are English message ids, shown through
# dashboard.i18n.event_type_label in the reader's language (catalogue: dashboard/locale).
EVENT_TYPES: dict[str, str] = {
    "blockade": N_("Road blockade"),
    "vehicle_arson": N_("Vehicle burning"),
    "business_arson": N_("Business burning"),
    "armed_clash": N_("Armed clash"),
    "killing": N_("Killing"),
    "arrest": N_("Arrest"),
    "raid": N_("Security-force raid"),
    "transport_disruption": N_("Transport disruption"),
    "public_order_measure": N_("Public-order measure"),
    "security_deployment": N_("Security deployment"),
    "other": N_("Other"),
    "official_statement": N_("Official statement"),
}
# Statements carry aggregate figures already in official_counts.csv: never counted as incidents.
NON_INCIDENT_TYPES = frozenset({"official_statement"})

TIME_PRECISIONS = ("minute", "hour", "part_of_day", "day")
TIME_PRECISION_LABELS = {
    "minute": N_("to the minute"),
    "hour": N_("to the hour"),
    "part_of_day": N_("part of the day"),
    "day": N_("day only"),
}
UNCERTAIN_TIME = frozenset({"part_of_day", "day"})
# Local-clock spans for "morning" etc.; an unnamed part of day counts as the whole day.
PART_OF_DAY_SPANS: dict[str, tuple[time, time | None]] = {
    "early_morning": (time(0), time(6)),
    "morning": (time(6), time(12)),
    "midday": (time(11), time(15)),
    "afternoon": (time(12), time(19)),
    "evening": (time(18), None),
    "night": (time(19), None),  # None: until local midnight
}
PART_OF_DAY_LABELS = {
    "early_morning": N_("early morning"),
    "morning": N_("morning"),
    "midday": N_("midday"),
    "afternoon": N_("afternoon"),
    "evening": N_("evening"),
    "night": N_("night"),
}
GEO_PRECISIONS = {1: N_("exact site"), 2: N_("town / municipality"), 3: N_("state only")}
CONFIDENCE = ("high", "medium", "low")
COUNT_FIELDS = ("blockades", "fatalities", "injured", "arrested")

INCIDENT_REQUIRED = (
    "incident_id",
    "start",
    "time_precision",
    "event_type",
    "summary",
    "source_url",
)
INCIDENT_COLUMNS = (
    "incident_id",
    "location_id",
    "start",
    "end",
    "time_precision",
    "part_of_day",
    "event_type",
    *COUNT_FIELDS,
    "summary",
    "source_url",
    "source_outlet",
    "source_date",
    "more_source_urls",
    "confidence",
    "disputed",
    "notes",
)
LOCATION_FIELDS = ("location_id", "place", "municipality", "cve_ent", "geo_precision")

OFFICIAL_COLUMNS = (
    "reported_at",
    "time_precision",
    "scope",
    "cve_ent",
    "metric",
    "value",
    "reported_by",
    "source_url",
    "disputed",
    "notes",
)
# State-level official blockade figures, compared with located blockades.
OFFICIAL_BLOCKADE_METRICS = frozenset({"blockades_reported", "blockade_points", "narcobloqueos"})

# What a map view can show, and where it can look.
MAP_LAYERS = ("states", "site", "incidents")
MAP_ZOOM_RANGE = (4, 13)
MEXICO_CENTER = (23.6, -102.0)  # (lat, lon)

# Mexico's extent with a margin for islands and coasts (lon/lat).
MEXICO_BOUNDS = (-118.5, 14.4, -86.5, 32.8)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value, located precisely enough to fix it."""

    file: str
    row: int | None  # 1-based data row (CSV, header excluded) or feature index (GeoJSON)
    field: str | None
    value: str | None
    reason: str
    severity: str = "error"  # "error" drops the row; "warning" keeps it

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field!r}"
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{self.severity.upper()}: {where}{value}: {self.reason}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.problems.append(Problem(*args, **kwargs))

    def extend(self, other: Report) -> None:
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> str:
        return json.dumps(
            {
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "problems": [asdict(p) for p in self.problems],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_text(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)
