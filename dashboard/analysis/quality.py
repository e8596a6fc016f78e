"""The data checks: one registry, `CHECKS`, read by every place that runs or lists them.

`python -m dashboard validate` runs each check with a severity for the data it is given
(`DataCheck.bundled` for the bundled data, where "error" fails it; `DataCheck.user` for
an analyst's file) and reports its findings at their line of the file; the quality view
(the page's "Data quality" tabs, `python -m dashboard quality`) shows one table per check
that has a `find` or a `table`, in registry order. A new check is one `DataCheck` here,
its function in a `quality_*` module, and its tests.

The checks are pure functions of the incidents frame as `dashboard/ingest/bundle.py` (or
`validate_incidents` for a user's file) builds it: one row per record with
`incident_id`, `event_type`, the count fields, `summary`, `notes`, `source_url`,
`more_source_urls`, `time_precision`, `part_of_day`, `t_start`/`t_end` (UTC, the interval
from `dashboard/model/timing.py`), `lat`/`lon` (degrees WGS84) and `geo_precision`. None
of them changes the frame.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from dashboard.analysis.quality_confidence import confidence_mismatches
from dashboard.analysis.quality_counts import blockade_tallies, summary_counts
from dashboard.analysis.quality_disputes import undisputed_disagreements
from dashboard.analysis.quality_duplicates import acled_duplicates, duplicates, duplicates_table
from dashboard.analysis.quality_files import (
    other_disputes_report,
    other_links_report,
    record_lines,
    spanish_places_report,
    spanish_text_report,
)
from dashboard.analysis.quality_findings import Finding, findings_report, findings_table
from dashboard.analysis.quality_links import links_table, non_article_links
from dashboard.analysis.quality_log import log_report
from dashboard.analysis.quality_places import outside_state_table
from dashboard.analysis.quality_related import related_duplicates, related_table
from dashboard.analysis.quality_sources import disputed_table, outlets_table, weak_sources_table
from dashboard.analysis.quality_times import imprecise_table, unnamed_part_of_day, unstated_times
from dashboard.model import bundled_files
from dashboard.model.schema import Report
from dashboard.text.i18n import N_, gettext_for
from dashboard.text.message import msg

if TYPE_CHECKING:
    from dashboard.ingest.bundle import Bundle

# The records (the incidents frame) -> what the check finds in them.
Find = Callable[[pd.DataFrame], list[Finding]]
# (the records, the full-resolution states layer or None, "es" or "en") -> the quality
# view's table: one row per weak spot, starting with `incident_id` (or `outlet`) and ending
# with `detail` in that language.
Table = Callable[[pd.DataFrame, gpd.GeoDataFrame | None, str], pd.DataFrame]
# (the bundle, severity) -> the check's findings in the bundled files besides incidents.csv.
OtherFiles = Callable[["Bundle", str], Report]


@dataclass(frozen=True)
class DataCheck:
    """One data check, as every place that runs or lists it reads it.

    key: `Finding.check`, the quality table's key, the first word of report lines.
    title: the quality tab's and the CLI's heading, an English message id (N_; shown
    with `i18n.gettext_for(lang, title)`). finds: what it finds, one English sentence
    for programmers (the README's table says it to analysts).
    bundled, user: the severity of a finding ("error" or "warning") when `validate`
    checks the bundled data or an analyst's file; None: `validate` does not run it there.
    find: the check over the incidents frame. table: its quality-view table (default:
    the findings of `find` as a table); a check with neither is not in the quality view.
    per_view: the page builds the table again from the records in view (shares of the
    map) instead of keeping the rows whose records are in view.
    other_files: the bundled files besides incidents.csv that the check also covers.
    rule: the rule the check holds the data to, one English message id (N_) that
    geodata/README.md ("Data checks") states word for word and the quality view shows
    in the reader's language; "" for the checks that predate the rules (issue 21).
    acled: why the rule does not hold for an ACLED file (an English message id, N_),
    said in its report as one line; "" when it holds. acled_find: what the check runs on
    an ACLED file instead (None: nothing).
    """

    key: str
    title: str
    finds: str
    bundled: str | None = None
    user: str | None = None
    find: Find | None = None
    table: Table | None = None
    per_view: bool = False
    other_files: OtherFiles | None = None
    rule: str = ""
    acled: str = ""
    acled_find: Find | None = None

    @property
    def in_view(self) -> bool:
        """Whether the quality view shows a table for it."""
        return self.find is not None or self.table is not None

    def table_of(
        self, frame: pd.DataFrame, states: gpd.GeoDataFrame | None = None, lang: str = "en"
    ) -> pd.DataFrame:
        """Its quality-view table for the records in `frame`, `detail` in `lang`."""
        if self.table is not None:
            return self.table(frame, states, lang)
        return findings_table(self.find(frame), lang)


def _of_records(table: Callable[[pd.DataFrame, str], pd.DataFrame]) -> Table:
    """A table of the records alone as a `Table` (the states layer unused)."""
    return lambda frame, states, lang: table(frame, lang)


def _outside_state(frame: pd.DataFrame, states: gpd.GeoDataFrame | None, lang: str):
    if states is None:  # nothing to measure against: an empty table
        return pd.DataFrame(columns=["incident_id", "detail"])
    return outside_state_table(frame, states, lang)


# The rules of the checks, as geodata/README.md ("Data checks") states them word for word.
RULE_LINKS = N_(
    "A source link is the outlet's own article page: not a CMS, editor or staging host, an "
    "archive mirror, or a home, section, tag, search or listing page; never an aggregator's "
    "copy (msn.com, news.google.com, Yahoo News, Flipboard, NewsBreak, PressReader, Ground "
    "News); a republisher's copy (despertarmexico.com, of Infobae) or an AMP or mobile copy "
    "(an amp., m. or mobile. host, an /amp path, a .amp suffix, ?amp, outputType=amp, "
    "_amp=true, cdn.ampproject.org) only as a further link, with the original article also "
    "cited, or where the notes say the original was not found or not verified."
)
RULE_DISPUTED = N_(
    "A record or official figure whose notes keep two values for one fact is flagged "
    "disputed: notes that say sources differ (differs from, conflicting, contradicted, "
    "disagree, discrepancy, vs, an ambiguous date, time or figure), give two numbers or "
    "days joined by / or or (22/23 Feb), credit one kind of value (a count, a clock time) "
    "twice, differently, to two sources, or count a thing differently from the summary; an "
    "official figure that a flagged figure of the same scope and metric says it differs "
    "from is flagged too."
)
RULE_TIMES = N_(
    "A time of day that the summary or notes name for the event is in the record's fields: "
    "a day record's text names no part of the day and no clock time; a part_of_day "
    "record's names no other part and no clock time outside its part; an hour or minute "
    "record's summary names no part of the day its interval misses; a time that is a "
    "report's, an update's, a tally's, a statement's or a scheduled event's says so. A day "
    "named beside a part of the day (23 Feb morning) is the day of the record's start."
)
RULE_DUPLICATES = N_(
    "Two records of the same or a related type (blockade, vehicle_arson and "
    "transport_disruption; armed_clash and killing) are merged, or marked distinct with a "
    "reason, when they are in one municipality on one day and one is placed at the town "
    "itself, or within 1 km in consecutive periods: the later starting on the calendar day "
    "after the earlier's start, or within 12 hours of the earlier's end."
)
RULE_CONFIDENCE = N_(
    "A record rated high cites at least two distinct outlets (by host; an AMP copy counts "
    "as its article's outlet, a republisher's copy as the original's, an aggregator as "
    "none); a single outlet is medium."
)
RULE_LOG = N_(
    "Every field of incidents.csv, official_counts.csv and key_moments.csv that differs "
    "from the research build (the research pack and additions.csv, with review.csv and the "
    "key moments as first published) has a row in corrections.csv for that record and field."
)


# Order = order of the quality view's tabs, of the CLI's tables and of `validate`'s runs.
CHECKS: tuple[DataCheck, ...] = (
    DataCheck(
        "outside_state",
        N_("Points outside their declared state"),
        "a point outside the polygon of its declared state, and how far",
        table=_outside_state,
    ),
    DataCheck(
        "duplicates",
        N_("Candidate duplicates"),
        "two records of the same event_type within 1 km with overlapping intervals, "
        "not marked distinct (distinct_from with a distinct_reason)",
        bundled="error",
        user="warning",
        find=duplicates,
        acled=N_(
            "ACLED records separate events at one place on one day as separate rows by "
            "design, each with its own event_id_cnty: on an ACLED file only rows identical "
            "in every field but event_id_cnty and timestamp are duplicates"
        ),
        acled_find=acled_duplicates,
        table=_of_records(duplicates_table),
    ),
    DataCheck(
        "related_duplicates",
        N_("Candidate duplicates: same town and day, or night then morning"),
        "two records of the same or a related type in one municipality on one day (one "
        "placed at the town itself), or within 1 km on consecutive days or across midnight, "
        "not marked distinct",
        bundled="error",
        user="warning",
        find=related_duplicates,
        acled=N_(
            "not run on an ACLED file: ACLED records separate events in one town on one "
            "day, or at one place on consecutive days, as separate rows by design, each "
            "with its own event_id_cnty"
        ),
        table=_of_records(related_table),
        rule=RULE_DUPLICATES,
    ),
    DataCheck(
        "disputed",
        N_("Disputed records and competing figures"),
        "records flagged disputed, or whose notes say sources disagree, with their figures; "
        "validate: a record or official figure not flagged disputed whose notes keep two "
        "values for one fact",
        bundled="error",
        user="warning",
        find=undisputed_disagreements,
        table=_of_records(disputed_table),
        other_files=other_disputes_report,
        rule=RULE_DISPUTED,
    ),
    DataCheck(
        "weak_sources",
        N_("Single-source and social-media-only records"),
        "records resting on one source, or on social media only",
        table=_of_records(weak_sources_table),
    ),
    DataCheck(
        "confidence",
        N_("Confidence ratings the sources do not support"),
        "a record rated high that cites fewer than two distinct outlets (the data "
        "dictionary: a single outlet is medium)",
        bundled="error",
        user="warning",
        find=confidence_mismatches,
        rule=RULE_CONFIDENCE,
    ),
    DataCheck(
        "imprecise",
        N_("Known only to the day (or week, month) or the state"),
        "records known only to the day, week or month, or only to the state",
        table=_of_records(imprecise_table),
    ),
    DataCheck(
        "outlets",
        N_("Sources by outlet"),
        "how many records cite each outlet, as main source and as only source",
        table=_of_records(outlets_table),
        per_view=True,
    ),
    DataCheck(
        "non_article_links",
        N_("Links that are not article pages"),
        "a source link on a CMS, editor or staging host, an archive mirror, or a home, "
        "section, tag, search or listing page",
        bundled="error",
        user="warning",
        find=non_article_links,
        table=_of_records(links_table),
        other_files=other_links_report,
        rule=RULE_LINKS,
    ),
    DataCheck(
        "summary_counts",
        N_("Counts stated in summaries but missing"),
        "a summary stating a count that fatalities, injured, arrested or blockades lack",
        bundled="error",
        user="warning",
        find=summary_counts,
        acled=N_(
            "not run on an ACLED file: its summary is a label line made of the sub-event "
            "type, event type, location and sources, which states no counts (a number in "
            "a place name is not one); ACLED's fatalities is its own count"
        ),
    ),
    DataCheck(
        "unnamed_part_of_day",
        N_("Part of day named in the text but not recorded"),
        "a part_of_day-precision record with an empty part_of_day whose text names one",
        bundled="error",
        user="warning",
        find=unnamed_part_of_day,
    ),
    DataCheck(
        "unstated_time",
        N_("Times of day and days named in the text but not recorded"),
        "a record whose summary or notes name a part of the day or a clock time its "
        "time_precision and part_of_day do not carry, or date the event by another day "
        "than its start",
        bundled="error",
        user="warning",
        find=unstated_times,
        rule=RULE_TIMES,
    ),
    DataCheck(
        "blockade_tallies",
        N_("Blockade counts on records that are not blockades"),
        "a record that is not a blockade with a blockades count above one (a tally)",
        bundled="error",
        user="warning",
        find=blockade_tallies,
    ),
    DataCheck(
        "log",
        N_("Changes to the research build without a correction"),
        "a field of incidents.csv, official_counts.csv or key_moments.csv that differs "
        "from the research build with no row for that record and field in corrections.csv",
        bundled="error",
        other_files=log_report,
        rule=RULE_LOG,
    ),
    DataCheck(
        "spanish_text",
        N_("English text without its Spanish"),
        "a key moment without headline_es, the operation site without name_es or "
        "description_es, a correction without reason_es",
        bundled="error",
        other_files=spanish_text_report,
    ),
    DataCheck(
        "spanish_place",
        N_("Places described in English without a Spanish form"),
        "a place that is an English description with no place_es",
        bundled="error",
        other_files=spanish_places_report,
    ),
)
CHECKS_BY_KEY: dict[str, DataCheck] = {check.key: check for check in CHECKS}

# key -> title (an English message id) of the quality view's tables, in tab order.
QUALITY_VIEWS: dict[str, str] = {check.key: check.title for check in CHECKS if check.in_view}


def check_rules(
    lang: str = "en", in_view: bool | None = None, acled: bool = False
) -> dict[str, str]:
    """{key: rule in `lang`} of the checks that state one, in registry order; with
    `in_view` True or False only those that have (or have not) a quality-view table.
    With `acled` (ACLED data, `is_acled`) a check whose rule does not hold for it states
    what it does there instead (`DataCheck.acled`)."""
    rules = {}
    for check in CHECKS:
        if in_view is not None and check.in_view != in_view:
            continue
        if acled and check.acled:
            rules[check.key] = gettext_for(lang, check.acled)
        elif check.rule:
            rules[check.key] = gettext_for(lang, check.rule)
    return rules


def validation_findings(frame: pd.DataFrame) -> list[Finding]:
    """Every finding of the checks `validate` runs on incident records (those with a
    severity for the bundled data and a `find`), check by check in registry order."""
    return [f for check in CHECKS if check.bundled and check.find for f in check.find(frame)]


def quality_report(
    frame: pd.DataFrame,
    name: str,
    data: bytes,
    severity: str | None = None,
    bundled: bool = False,
    acled: bool | None = None,
    lines: tuple[dict[str, int], str] | None = None,
    threads: bool = False,
) -> Report:
    """The data checks of the incident records in `frame` (validated from the file `name`
    whose bytes are `data`) as validation problems, each at the file line (CSV) or
    feature (GeoJSON) of its first record.

    The checks run are those with a severity for this kind of data (`DataCheck.bundled`
    with bundled=True, else `DataCheck.user`), each at that severity unless `severity`
    ("error" or "warning") gives one for all. On ACLED data (`acled`; None: `is_acled`)
    a check whose rule does not hold for it (`DataCheck.acled`) runs its `acled_find`
    or nothing, and the report says so in one note (severity "note", in no count)
    naming the check and why. `lines`: (record id -> line or feature, unit) as the
    checker read them (Incidents.lines), so the file is not read again. `threads`: the
    checks of a frame of PARALLEL_CHECK_ROWS records or more may run on two threads (the
    command line; the same report).
    """
    lines, unit = record_lines(data, name) if lines is None else lines
    report = Report(unit=unit)
    acled = is_acled(frame) if acled is None else acled
    runs = []  # (level, the note on ACLED data or None, find or None), in registry order
    for check in CHECKS:
        level = check.bundled if bundled else check.user
        if not level or check.find is None:
            continue
        find, why = check.find, None
        if acled and check.acled:
            why = msg("{check}: {why}", check=check.key, why=msg(check.acled))
            find = check.acled_find
        runs.append((level, why, find))
    finds = [f for *_, f in runs]
    for (level, why, _), found in zip(runs, _found(frame, finds, threads), strict=True):
        if why is not None:
            report.add(name, None, None, None, why, "note")
        if found is not None:
            report.extend(findings_report(found, name, lines, severity or level, unit))
    return report


# From this many records on, on the command line (quality_report's `threads`; an upload's
# checks stay on one thread, on the shared server), the checks run on two threads: most
# of their time is in Arrow and pandas' vectorised code, which lets another thread run
# meanwhile (benchmarks/bench_country.py).
PARALLEL_CHECK_ROWS = 200_000


def _found(frame: pd.DataFrame, finds: list, threads: bool) -> list:
    """Each find's findings on `frame` (None for None), in the order given; with `threads`
    on two threads from PARALLEL_CHECK_ROWS records on (the checks only read the frame)."""
    if not threads or len(frame) < PARALLEL_CHECK_ROWS:
        return [None if find is None else find(frame) for find in finds]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [None if find is None else pool.submit(find, frame) for find in finds]
        return [None if future is None else future.result() for future in futures]


def is_acled(frame: pd.DataFrame) -> bool:
    """Whether the records are ACLED's: read from an ACLED file, or from an export of one
    (both keep ACLED's `event_id_cnty` column, schema.ACLED_COLUMNS)."""
    return "event_id_cnty" in frame.columns


def bundle_quality_report(bundle: Bundle) -> Report:
    """Every data check with a severity for the bundled data (`DataCheck.bundled`), on
    incidents.csv and the other files it covers; "error" findings fail `validate`."""
    path = bundled_files.INCIDENTS_FILE
    report = quality_report(
        bundle.incidents, f"geodata/{path.name}", path.read_bytes(), bundled=True
    )
    for check in CHECKS:
        if check.bundled and check.other_files is not None:
            report.extend(check.other_files(bundle, check.bundled))
    return report


def quality_tables(
    frame: pd.DataFrame, states: gpd.GeoDataFrame | None = None, lang: str = "en"
) -> dict[str, pd.DataFrame]:
    """Every quality table for the records in `frame`: {key: table} in QUALITY_VIEWS
    order. With `states` (full-resolution boundaries) the outside-state table is filled.
    Column names and keys stay English; each `detail` is in `lang` ("es" or "en"). On
    ACLED data (`is_acled`) a check with `DataCheck.acled` gives its `acled_find`'s
    findings (or none) as a findings table, as `quality_report` does."""
    frame = frame.reset_index(drop=True)
    if not is_acled(frame):
        return {key: CHECKS_BY_KEY[key].table_of(frame, states, lang) for key in QUALITY_VIEWS}
    tables = {}  # ACLED data: a check whose rule does not hold runs its acled_find or nothing
    for key in QUALITY_VIEWS:
        check = CHECKS_BY_KEY[key]
        if check.acled:
            found = check.acled_find(frame) if check.acled_find is not None else []
            tables[key] = findings_table(found, lang)
        else:
            tables[key] = check.table_of(frame, states, lang)
    return tables


def tables_in_view(
    tables: dict[str, pd.DataFrame], selected: pd.DataFrame, lang: str = "en"
) -> dict[str, pd.DataFrame]:
    """The `quality_tables` of every record narrowed to the records in view (`selected`,
    a frame with `incident_id`): a pair's row when both its records are in view, another
    row when its record is; a `per_view` table is built again from `selected`."""
    in_view = set(selected["incident_id"])
    narrowed = {}
    for key, table in tables.items():
        check = CHECKS_BY_KEY[key]
        if check.per_view:
            narrowed[key] = check.table_of(selected, None, lang)
        elif "other_id" in table.columns:
            both = table["incident_id"].isin(in_view) & table["other_id"].isin(in_view)
            narrowed[key] = table[both]
        else:
            narrowed[key] = table[table["incident_id"].isin(in_view)]
    return narrowed


def record_at(table: pd.DataFrame, rows: list[int]) -> str | None:
    """The record a chosen table row stands for (its `incident_id`; the first id of an
    outlet's records), or None when nothing is chosen. `rows` are positions in `table`."""
    if not rows or not 0 <= rows[0] < len(table):
        return None
    row = table.iloc[rows[0]]
    if "incident_id" in table.columns:
        return str(row["incident_id"])
    ids = str(row.get("incident_ids", "")).split()
    return ids[0] if ids else None


def _row_ids(check: str, row: dict) -> str:
    if check == "outlets":
        return row["outlet"]
    ids = [row["incident_id"]] + ([row["other_id"]] if row.get("other_id") else [])
    return ", ".join(ids)


def quality_text(tables: dict[str, pd.DataFrame], lang: str = "en") -> str:
    """One line per finding, `check: record ids: detail`, under a heading per table (its
    title in `lang`; the details are as `quality_tables` made them)."""
    lines = []
    for check, table in tables.items():
        lines.append(f"== {check}: {gettext_for(lang, QUALITY_VIEWS[check])} ({len(table)})")
        for row in table.to_dict(orient="records"):
            lines.append(f"{check}: {_row_ids(check, row)}: {row['detail']}")
    return "\n".join(lines)


def quality_json(tables: dict[str, pd.DataFrame], lang: str = "en") -> str:
    """{"checks": {check: {"title", "count", "rows": [...]}}} with JSON nulls for gaps;
    keys stay English, the title is in `lang`."""
    doc = {
        check: {
            "title": gettext_for(lang, QUALITY_VIEWS[check]),
            "count": len(table),
            "rows": json.loads(table.to_json(orient="records", force_ascii=False)),
        }
        for check, table in tables.items()
    }
    return json.dumps({"checks": doc}, ensure_ascii=False, indent=2)
