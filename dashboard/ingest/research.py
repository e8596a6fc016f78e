"""The research pack's rows as the bundled data first publishes them.

The research pack (`../shared/research/`, beside a clone) is the compiler's tables:
`incidents_2026-02.csv` and `official_counts.csv`. `geodata/build_incidents.py` converts
each row into an incidents.csv or official_counts.csv record before any correction, and
the `log` check (`dashboard/analysis/quality_log.py`) rebuilds the same records to find
fields changed without a corrections.csv row. Both call `research_record` and
`research_official`, so the two cannot drift apart. The rules are the data dictionary's
(geodata/README.md): `start` at the local midnight of `date`, at `time_local` for minute
and hour precision or at the start of the reviewed part of the day; "Also:" links in the
notes become `more_source_urls`; a source date "n.d." is empty; an official figure's
`cve_ent` only when its scope is a whole state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time

from dashboard.model.mexico import local_zone, state_by_name
from dashboard.model.schema import PART_OF_DAY_SPANS

# A link in the research notes; trailing ".,)" is punctuation, not part of the link.
URL = re.compile(r"https?://[^\s;|\"]+")
# A record's place fields as the research pack writes them (a correction may change them).
PLACE_FIELDS = ("place", "municipality", "latitude", "longitude", "geo_precision")


def research_start(row: Mapping[str, str], cve_ent: str, part: str) -> datetime:
    """When a research row's event starts, in the local time of its place.

    `row` needs `date` (YYYY-MM-DD), `time_precision`, `time_local` (HH:MM, read for
    minute and hour precision) and `municipality`; `cve_ent` is the INEGI state code
    ("" when unknown: Mexico City's zone); `part` is a key of PART_OF_DAY_SPANS or "".
    Returns an aware datetime (the zone from `local_zone`): the clock time for minute
    or hour precision, the start of `part` for part_of_day, else local midnight.
    Raises ValueError on a malformed date or clock time, KeyError on an unknown part.
    """
    zone = local_zone(cve_ent, row["municipality"])
    precision = row["time_precision"]
    if precision in ("minute", "hour"):
        clock = time.fromisoformat(row["time_local"])
    elif precision == "part_of_day" and part:
        clock = PART_OF_DAY_SPANS[part][0]
    else:
        clock = time(0)
    return datetime.combine(date.fromisoformat(row["date"]), clock, tzinfo=zone)


def _count(value: str) -> str:
    return str(int(value)) if value.strip() else ""


def research_record(
    row: Mapping[str, str], cve_ent: str, review: Mapping[str, str]
) -> dict[str, str]:
    """One research-pack incident row converted to an incidents.csv record, before any
    correction and without its ids, location or Spanish summary.

    `row`: a research row (str -> str: `date`, `time_local`, `time_precision`,
    `municipality`, `place`, `latitude`, `longitude`, `geo_precision`, `event_type`,
    `blockade_count`, `fatalities`, `injured`, `arrested`, `summary`, `source_url`,
    `source_name`, `source_date`, `confidence`, `notes`); `cve_ent`: its state's INEGI
    code; `review`: its review.csv row (`disputed`, `part_of_day`, `distinct_from`,
    `distinct_reason`; a missing key reads as ""). Returns str -> str, every value a
    string: PLACE_FIELDS as written, then `start` (ISO 8601 to the minute with the local
    offset, see `research_start`), `end` "", `time_precision`, `part_of_day` (the
    reviewed part, only for part_of_day precision), `event_type`, the four counts
    (integers as text, "" when not given), `summary`, `source_url`, `source_outlet`,
    `source_date` ("" for "n.d."), `more_source_urls` (the notes' links other than the
    main one, first use first, space-separated), `confidence`, `disputed`, `notes`
    (without the "Also:" part), `distinct_from`, `distinct_reason`. Raises ValueError on
    a count that is not an integer or a malformed date or time.
    """
    part = review.get("part_of_day", "") if row["time_precision"] == "part_of_day" else ""
    primary = row["source_url"].strip()
    more = [u.rstrip(".,)") for u in URL.findall(row["notes"])]
    notes = " | ".join(p for p in row["notes"].split(" | ") if not p.startswith("Also:"))
    start = research_start(row, cve_ent, part)
    return {
        **{field: row[field] for field in PLACE_FIELDS},
        "start": start.isoformat(timespec="minutes"),
        "end": "",
        "time_precision": row["time_precision"],
        "part_of_day": part,
        "event_type": row["event_type"],
        "blockades": _count(row["blockade_count"]),
        "fatalities": _count(row["fatalities"]),
        "injured": _count(row["injured"]),
        "arrested": _count(row["arrested"]),
        "summary": row["summary"].strip(),
        "source_url": primary,
        "source_outlet": row["source_name"],
        "source_date": "" if row["source_date"] in ("n.d.", "") else row["source_date"],
        "more_source_urls": " ".join(dict.fromkeys(u for u in more if u != primary)),
        "confidence": row["confidence"],
        "disputed": review.get("disputed", ""),
        "notes": notes,
        "distinct_from": review.get("distinct_from", ""),
        "distinct_reason": review.get("distinct_reason", ""),
    }


def research_official(row: Mapping[str, str]) -> dict[str, str]:
    """One research-pack official figure (`official_counts.csv` of the pack) converted to
    an official_counts.csv record, before any correction and without its review flag.

    `row`: str -> str with `date` (YYYY-MM-DD), `time_local` (HH:MM or ""), `scope`,
    `metric`, `value`, `reported_by`, `source_url`, `notes`. Returns str -> str with the
    OFFICIAL_COLUMNS: `reported_at` (ISO 8601 to the minute, in the local time of the
    scope's state, Mexico City's for a national or unknown scope; local midnight without
    a time), `time_precision` ("minute" with a time, else "day"), `cve_ent` (the state's
    INEGI code when the scope is a whole state, "" for a part of one, e.g. "Jalisco
    (Tapalpa raid)", or for the nation), `disputed` "" (set from review.csv), the rest as
    written. Raises ValueError on a malformed date or time.
    """
    scope_state = state_by_name(row["scope"].split("(")[0].strip())
    whole_state = scope_state is not None and "(" not in row["scope"]
    zone = local_zone(scope_state.cve_ent if scope_state else "09")
    clock = time.fromisoformat(row["time_local"]) if row["time_local"] else time(0)
    reported = datetime.combine(date.fromisoformat(row["date"]), clock, tzinfo=zone)
    return {
        "reported_at": reported.isoformat(timespec="minutes"),
        "time_precision": "minute" if row["time_local"] else "day",
        "scope": row["scope"],
        "cve_ent": scope_state.cve_ent if whole_state else "",
        "metric": row["metric"],
        "value": row["value"],
        "reported_by": row["reported_by"],
        "source_url": row["source_url"],
        "disputed": "",
        "notes": row["notes"],
    }
