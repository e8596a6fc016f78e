"""Field names, allowed values and the validation report: the contract of geodata/."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import time

import numpy as np

from dashboard.text.i18n import N_, SOURCE_LANGUAGE, format_number, gettext_for
from dashboard.text.lookalike import visible
from dashboard.text.message import Message, msg, msg_n, text_in

# Keys are the data's values; the labels are English message ids, shown through
# dashboard.text.i18n.event_type_label in the reader's language (catalogue: dashboard/locale).
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
# ACLED's own event types (codebook, 2023 and later): the types of an ACLED file's records
# (ingest/acled.py: its event_type, as a key), each drawn in its own colour and shape
# (render/symbols.py). Event types too: filtered, counted and exported as ours are.
ACLED_EVENT_TYPES: dict[str, str] = {
    "battles": N_("Battles"),
    "violence_against_civilians": N_("Violence against civilians"),
    "explosions_remote_violence": N_("Explosions/Remote violence"),
    "riots": N_("Riots"),
    "protests": N_("Protests"),
    "strategic_developments": N_("Strategic developments"),
}
EVENT_TYPES.update(ACLED_EVENT_TYPES)
# Statements carry aggregate figures already in official_counts.csv: never counted as incidents.
NON_INCIDENT_TYPES = frozenset({"official_statement"})

# "week" and "month" come from ACLED's time_precision 2 and 3 (see dashboard/ingest/acled.py).
TIME_PRECISIONS = ("minute", "hour", "part_of_day", "day", "week", "month")
TIME_PRECISION_LABELS = {
    "minute": N_("to the minute"),
    "hour": N_("to the hour"),
    "part_of_day": N_("part of the day"),
    "day": N_("day only"),
    "week": N_("week only"),
    "month": N_("month only"),
}
UNCERTAIN_TIME = frozenset({"part_of_day", "day", "week", "month"})
TIMED = frozenset({"minute", "hour"})  # the other time precisions: a reported time
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
# Documented optional incident columns, kept through to the frame when a file has them:
# a Spanish summary, a note that two similar records are distinct events, and the label of
# an imported record whose type has no one-to-one match in EVENT_TYPES (ACLED sub-events).
OPTIONAL_INCIDENT_COLUMNS = ("summary_es", "distinct_from", "distinct_reason", "event_label")
# An ACLED record's own columns, kept under ACLED's names (codebook, 2023 and later)
# beside the ones converted to ours (ingest/acled.py), so that an import exports and
# re-imports field for field. `acled_geo_precision` is ACLED's geo_precision code (1-3),
# which ours merges (1 and 2 are both a town); ACLED's event_type is our event_type
# (ACLED_EVENT_TYPES), its time_precision ours (1, 2, 3: day, week, month), its latitude,
# longitude, notes and fatalities ours. A row with an `event_id_cnty` is an ACLED record:
# its sources are the outlets ACLED names (`source`), with no URL.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "disorder_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "acled_geo_precision",
    "source",
    "source_scale",
    "tags",
    "timestamp",
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
# The embed (?embed=true): its map's height, and the iframe height the share panel's
# snippet starts with, which fits the title, window, key figure, map, time slider and
# credit line at 390 and 1400 px wide (measured in a browser test, tests/test_browser.py;
# pixels); the snippet's script then sets the embed's own height.
EMBED_MAP_HEIGHT = 520
EMBED_FRAME_HEIGHT = 920
MEXICO_CENTER = (23.6, -102.0)  # (lat, lon)

# Mexico's extent with a margin for islands and coasts (lon/lat).
MEXICO_BOUNDS = (-118.5, 14.4, -86.5, 32.8)


# A report keeps this many problems (the first in file order) and totals per kind beyond.
REPORT_LIMIT = 1_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value, located precisely enough to fix it.

    `reason` is the English text (the CLI's --json, the CSV report); `message` keeps the
    catalogue message and its values, so `reason_in(lang)` gives it in Spanish or English.
    A problem built from plain text (no message) reads the same in both languages.
    """

    file: str
    row: int | None  # line of the file (CSV, header = line 1), feature (GeoJSON) or record
    field: str | None
    value: str | None
    reason: str
    # "error" drops the row; "warning" keeps it; "note" says what was not checked, and why
    severity: str = "error"
    unit: str = "line"  # what `row` counts: "line", "feature" or "record"
    message: Message | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return self.text("en")

    def reason_in(self, lang: str) -> str:
        """The reason in "es" or "en" (file, row, field and value are never translated)."""
        return self.reason if self.message is None else self.message.text(lang)

    def text(self, lang: str = "en") -> str:
        """One line: "ERROR: file, line 3, field 'start' (value 'x'): reason", in `lang`."""
        where = self.file
        if self.row is not None:
            where = located(self.file, self.row, self.unit).text(lang)
        if self.field:
            where += msg(", field {field!r}", field=self.field).text(lang)
        value = ""
        if self.value is not None:
            value = msg(" (value {value!r})", value=self.shown_value).text(lang)
        label = SEVERITY_LABELS.get(self.severity)
        severity = self.severity.upper() if label is None else label.text(lang)
        return f"{severity}: {where}{value}: {self.reason_in(lang)}"

    @property
    def shown_value(self) -> str | None:
        """`value` as a message shows it: invisible and look-alike characters written as
        their code points (text.lookalike.visible: "N1<U+200B>"); None stays None."""
        return None if self.value is None else visible(str(self.value))

    @property
    def kind(self) -> str:
        """What went wrong, without the value or the numbers: the key of the totals."""
        return f"{self.severity}: {self.field or '(file)'}: {_NUMBERS.sub('N', self.reason)}"

    def kind_in(self, lang: str) -> str:
        """`kind` in "es" or "en" (the totals' labels in a report shown to a person)."""
        where = self.field or msg("(file)").text(lang)
        reason = _NUMBERS.sub("N", self.reason_in(lang))
        return f"{severity_label(self.severity, lang)}: {where}: {reason}"


def located(file: str, row: int, unit: str) -> Message:
    """ "{file}, line {row}" with the word for what `row` counts (line, feature, record)."""
    if unit == "feature":
        return msg("{file}, feature {row}", file=file, row=row)
    if unit == "record":
        return msg("{file}, record {row}", file=file, row=row)
    return msg("{file}, line {row}", file=file, row=row)


SEVERITIES = {"error": msg("error"), "warning": msg("warning"), "note": msg("note")}
# The label opening a report line ("ERROR: file, line 3..."), a word of its own in the
# catalogue (es: "ERROR", "ADVERTENCIA"), not the lower-case word upper-cased in code.
SEVERITY_LABELS = {"error": msg("ERROR"), "warning": msg("WARNING"), "note": msg("NOTE")}


def severity_label(severity: str, lang: str) -> str:
    """ "error" / "warning" in `lang` ("error" / "advertencia"); others as given."""
    label = SEVERITIES.get(severity)
    return severity if label is None else label.text(lang)


_NUMBERS = re.compile(r"\d+(?:\.\d+)?")


def _shown(value) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


class Report:
    """Problems of one or more files: the first `limit` in file order, and totals per kind.

    `limit=None` keeps every problem (the CLI's `--all`). Totals (`error_count`,
    `warning_count`, `totals`) always count every problem, kept or not, so a file with
    millions of bad values costs memory for about 2 × `limit` problems only.
    """

    def __init__(self, limit: int | None = REPORT_LIMIT, unit: str = "line"):
        self.limit = limit
        self.unit = unit  # unit of new problems' `row`, set by the reader
        self.totals: Counter = Counter()  # kind -> count, kept or not
        self._samples: dict[str, Problem] = {}  # kind -> its first problem (for labels)
        self.error_count = 0
        self.note_count = 0  # "note": what was not checked and why; in no count or total
        self.warning_count = 0
        self._kept: list[Problem] = []
        self._sorted = True

    @property
    def problems(self) -> list[Problem]:
        """The kept problems: file-level first, then by line / feature, in file order."""
        self._trim()
        return self._kept

    def add(
        self,
        file: str,
        row: int | None,
        field: str | None,
        value,
        reason: str | Message,
        severity: str = "error",
    ) -> None:
        """One problem; `reason` is a Message (shown in either language) or plain text."""
        message = reason if isinstance(reason, Message) else None
        problem = Problem(
            file, row, field, _shown(value), str(reason), severity, self.unit, message
        )
        self._count(problem.kind, severity, 1, problem)
        self._kept.append(problem)
        self._sorted = False
        if self.limit is not None and len(self._kept) >= 2 * self.limit:
            self._trim()

    def add_many(
        self,
        file: str,
        rows: Sequence[int] | np.ndarray,
        field: str | None,
        values: Sequence,
        reason: str | Message,
        severity: str = "error",
    ) -> None:
        """The same problem on many rows (column-wise checks): only what is kept is built."""
        rows = np.asarray(rows)
        if not len(rows):
            return
        message = reason if isinstance(reason, Message) else None
        reason = str(reason)
        sample = Problem(file, None, field, None, reason, severity, self.unit, message)
        self._count(sample.kind, severity, len(rows), sample)
        values = np.asarray(values, dtype=object)
        room = self._room(file, rows)
        if room is not None:
            rows, values = rows[room], values[room]
        if self.limit is not None and len(rows) > self.limit:
            keep = np.argpartition(rows, self.limit - 1)[: self.limit]
            rows, values = rows[keep], values[keep]
        self._kept.extend(
            Problem(file, int(r), field, _shown(v), reason, severity, self.unit, message)
            for r, v in zip(rows.tolist(), values.tolist(), strict=True)
        )
        self._sorted = False
        if self.limit is not None and len(self._kept) >= 2 * self.limit:
            self._trim()

    def add_numbered(
        self,
        file: str,
        rows: Sequence[int] | np.ndarray,
        field: str | None,
        values: Sequence,
        reasons: Callable[[list[int]], list[Message]],
        severity: str = "error",
    ) -> None:
        """One kind of problem on many rows, its reason differing from row to row only in
        numbers ("duplicate id (first in line 4)"): `reasons(positions)` gives the reasons
        of the rows at those positions of `rows` and is called for the rows kept only.

        All of them count under one kind (a kind ignores numbers), so this costs a pass
        over `rows` and one Problem per kept row, however many different reasons there are.
        """
        rows = np.asarray(rows)
        if not len(rows):
            return
        values = np.asarray(values, dtype=object)
        first = reasons([0])[0]
        sample = Problem(file, None, field, None, str(first), severity, self.unit, first)
        self._count(sample.kind, severity, len(rows), sample)
        room = self._room(file, rows)
        positions = np.arange(len(rows)) if room is None else room
        if self.limit is not None and len(positions) > self.limit:
            nearest = np.argpartition(rows[positions], self.limit - 1)[: self.limit]
            positions = np.sort(positions[nearest])
        built = reasons(positions.tolist())
        texts: dict = {}  # reasons repeat (a distance per place): each shown once
        for p, reason in zip(positions.tolist(), built, strict=True):
            text = texts.get(reason)
            if text is None:
                text = texts[reason] = str(reason)
            message = reason if isinstance(reason, Message) else None
            self._kept.append(
                Problem(
                    file, int(rows[p]), field, _shown(values[p]), text, severity, self.unit, message
                )
            )
        self._sorted = False
        if self.limit is not None and len(self._kept) >= 2 * self.limit:
            self._trim()

    def _room(self, file: str, rows: np.ndarray) -> np.ndarray | None:
        """Positions of `rows` (of `file`) that can still be among the kept problems, or
        None for all of them: once `limit` problems are kept, a new one comes after them
        in file order unless its row is before the last one kept (one of the same row
        would come after it too), so it is counted but not built."""
        if self.limit is None or len(self._kept) < self.limit:
            return None
        self._trim()  # sorted, `limit` long
        last = self._kept[-1]
        if file != last.file:
            return None if file < last.file else np.zeros(0, dtype=int)
        return np.flatnonzero(rows < (-1 if last.row is None else last.row))

    def _count(self, kind: str, severity: str, n: int, sample: Problem) -> None:
        if severity == "note":
            self.note_count += n
            return
        self.totals[kind] += n
        self._samples.setdefault(kind, sample)
        if severity == "error":
            self.error_count += n
        else:
            self.warning_count += n

    def _trim(self) -> None:
        if not self._sorted:
            self._kept.sort(key=lambda p: (p.file, -1 if p.row is None else p.row))
            self._sorted = True
        if self.limit is not None and len(self._kept) > self.limit:
            del self._kept[self.limit :]

    def extend(self, other: Report) -> None:
        for kind, n in other.totals.items():
            self.totals[kind] += n
        for kind, sample in other._samples.items():
            self._samples.setdefault(kind, sample)
        self.error_count += other.error_count
        self.warning_count += other.warning_count
        self.note_count += other.note_count
        self._kept.extend(other.problems)
        self._sorted = False
        self._trim()

    def relocate(self, change: Callable[[Problem], Problem]) -> None:
        """Replace every kept problem by `change(problem)` (same kind: its file, field,
        reason and severity kept), e.g. to locate them in another unit."""
        self._kept = [change(p) for p in self._kept]

    @property
    def errors(self) -> list[Problem]:
        """The kept errors (see `error_count` for all of them)."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def truncated(self) -> bool:
        return len(self.problems) < self.error_count + self.warning_count + self.note_count

    @property
    def ok(self) -> bool:
        return not self.error_count

    def summary(self, lang: str = "en") -> str:
        """ "2 errors, 1 warning" (and "; the first 1,000 are listed" when truncated)."""
        return summary_text(self.error_count, self.warning_count, self.listed, lang)

    @property
    def listed(self) -> int | None:
        """How many problems are listed when some are left out; None when all are."""
        return len(self.problems) if self.truncated else None

    def totals_in(self, lang: str = "en") -> list[tuple[str, int]]:
        """(kind in `lang`, count), most frequent first: the totals shown to a person."""
        return [
            (self._samples[kind].kind_in(lang) if kind in self._samples else kind, n)
            for kind, n in self.totals.most_common()
        ]

    def as_dict(self, lang: str | None = None) -> dict:
        """The report as JSON-ready data; machine keys and `reason` stay English.

        lang: also give each problem's reason in that language as `reason_<lang>`
        (e.g. `reason_es`), and the totals' labels as `totals_<lang>`.
        """
        problems = []
        for p in self.problems:
            row = {k: v for k, v in asdict(p).items() if k != "message"}
            # The value exactly as the file has it, and as a person can read it.
            row["value_visible"] = p.shown_value
            if lang and lang != SOURCE_LANGUAGE:
                row[f"reason_{lang}"] = p.reason_in(lang)
            problems.append(row)
        document = {
            "errors": self.error_count,
            "warnings": self.warning_count,
            "truncated": self.truncated,
            "totals": dict(self.totals.most_common()),
        }
        if lang and lang != SOURCE_LANGUAGE:
            document[f"totals_{lang}"] = dict(self.totals_in(lang))
        document["problems"] = problems
        return document

    def to_json(self, lang: str | None = None) -> str:
        return json.dumps(self.as_dict(lang), ensure_ascii=False, indent=2)

    def to_csv(self, lang: str = "en") -> str:
        """The kept problems as CSV, spreadsheet-safe (values come from users' files).

        The header and the `severity` column stay machine words; `reason` is in `lang`.
        """
        import csv
        import io

        from dashboard.text.escape import defuse

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            ["file", self.unit if self.problems else "row", "field", "value", "reason", "severity"]
        )
        for p in self.problems:
            writer.writerow(
                [
                    defuse(x)
                    for x in (p.file, p.row, p.field, p.shown_value, p.reason_in(lang), p.severity)
                ]
            )
        if self.truncated:
            for kind, n in self.totals_in(lang):
                writer.writerow(["(total)", "", "", n, kind, ""])
        return out.getvalue()

    def to_text(self, lang: str = "en") -> str:
        """One line per kept problem, the totals per kind when truncated, the summary."""
        lines = [p.text(lang) for p in self.problems]
        if self.truncated:
            lines.append(msg("Totals per kind:").text(lang))
            lines += [f"  {n:>9,}  {kind}" for kind, n in self.totals_in(lang)]
        lines.append(self.summary(lang))
        return "\n".join(lines)


def summary_text(errors: int, warnings: int, listed: int | None = None, lang: str = "en") -> str:
    """ "2 errors, 1 warning", in `lang`; with `listed`, "; the first 1,000 are listed".
    Counts are written with the language's digit grouping (text.i18n.format_number).

    errors, warnings: counts of every problem (kept or not); listed: how many are listed
    when the report was truncated (None when every problem is listed).
    """

    text = msg(
        "{errors}, {warnings}",
        errors=msg_n("{n} error", "{n} errors", errors, n=format_number(errors, lang)),
        warnings=msg_n("{n} warning", "{n} warnings", warnings, n=format_number(warnings, lang)),
    ).text(lang)
    if listed is not None:
        n = format_number(listed, lang)
        text += msg_n("; the first {n} is listed", "; the first {n} are listed", listed, n=n).text(
            lang
        )
    return text


def report_rows(problems: Iterable[Problem | dict], lang: str) -> list[dict]:
    """Problems as table rows for a person reading `lang`: the reason and the severity in
    that language; file, row, field, value and unit exactly as reported.

    problems: Problem objects or their `dataclasses.asdict` form (as the page caches
    them). Returns dicts with the keys file, row, field, value, reason, severity, unit.
    """
    rows = []
    for p in problems:
        data = p if isinstance(p, dict) else asdict(p)
        reason = text_in(data.get("message"), lang) or data["reason"]
        rows.append(
            {
                "file": data["file"],
                "row": data["row"],
                "field": data["field"],
                # invisible characters written as code points (lookalike.visible)
                "value": None if data["value"] is None else visible(str(data["value"])),
                "reason": reason,
                "severity": severity_label(data["severity"], lang),
                "unit": data.get("unit", "line"),
            }
        )
    return rows


def event_type_label(key: str, lang: str) -> str:
    """Display name of an event type key (schema.EVENT_TYPES), e.g. "Bloqueo carretero";
    an unknown key is returned as given."""
    return gettext_for(lang, EVENT_TYPES[key]) if key in EVENT_TYPES else key


def geo_precision_label(value: int, lang: str) -> str:
    """Words for a `geo_precision` code (1, 2, 3); "" for anything else."""
    return gettext_for(lang, GEO_PRECISIONS[value]) if value in GEO_PRECISIONS else ""


def time_precision_label(key: str, lang: str) -> str:
    """Words for a `time_precision` key ("minute", "hour", "part_of_day", "day")."""
    return gettext_for(lang, TIME_PRECISION_LABELS[key]) if key in TIME_PRECISION_LABELS else key


def part_of_day_label(key: str, lang: str) -> str:
    """Words for a `part_of_day` key ("early_morning"...); "" for an empty or unknown key."""
    return gettext_for(lang, PART_OF_DAY_LABELS[key]) if key in PART_OF_DAY_LABELS else ""
