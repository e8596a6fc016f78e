"""ACLED events to the project's incident columns: detection and the documented mapping.

ACLED (Armed Conflict Location & Event Data) files come from its export tool (CSV), or
its API (CSV, or JSON whose `data` array holds the events). Column names and meanings
follow the ACLED Codebook (2023 and later): `event_id_cnty`, `event_date`,
`time_precision`, `event_type`, `sub_event_type`, `admin1`, `admin2`, `location`,
`latitude`, `longitude`, `geo_precision`, `source`, `notes`, `fatalities`.

What the conversion does, column by column, is `COLUMN_MAPPING` (the report shows it).
Event types map one-to-one only where the meanings match (`SUB_EVENT_TYPES`); any other
ACLED event keeps ACLED's own sub-event type as its label (`event_label`) with our type
`other`, rather than being guessed into one of ours. ACLED gives source outlets but no
URLs: an imported row shows "Sources (per ACLED): …" and needs no URL (never so for the
bundled data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .i18n import N_
from .message import msg
from .read import STRING_DTYPE, Table
from .schema import Report

# Columns whose presence together marks a file as ACLED's.
MARKERS = frozenset({"event_id_cnty", "event_date", "sub_event_type"})

# (our column, ACLED column(s), what happens): shown in the report and the README. What
# happens is an English message id, shown in the reader's language with i18n.gettext_for.
COLUMN_MAPPING: tuple[tuple[str, str, str], ...] = (
    ("incident_id", "event_id_cnty", N_("as is")),
    (
        "start",
        "event_date",
        N_(
            "local midnight of that day (2026-02-22, 22 February 2026, 22-02-2026) on the "
            "state's clock"
        ),
    ),
    ("time_precision", "time_precision", N_("1 → day, 2 → week, 3 → month (ACLED codebook)")),
    (
        "event_type",
        "sub_event_type",
        N_("Armed clash → armed_clash, Arrests → arrest; any other → other"),
    ),
    ("event_label", "sub_event_type", N_("ACLED's sub-event type, kept as the record's label")),
    (
        "summary",
        "sub_event_type, event_type, location, source",
        N_('a label line: "Attack (Violence against civilians), Uruapan. Sources (per ACLED): …"'),
    ),
    ("fatalities", "fatalities", N_("as is")),
    ("cve_ent", "admin1", N_("state name to INEGI code")),
    ("municipality", "admin2", N_("as is")),
    ("place", "location", N_("as is")),
    ("latitude", "latitude", N_("as is")),
    ("longitude", "longitude", N_("as is")),
    ("geo_precision", "geo_precision", N_("1, 2, 3 kept as is (same meanings)")),
    ("source_outlet", "source", N_('"Sources (per ACLED): …" (ACLED gives no URLs)')),
    ("source_url", "(none)", N_("empty: not required for ACLED rows")),
    ("notes", "notes", N_("as is")),
)

# Our column -> the ACLED column a problem in it is reported under.
FILE_FIELDS: dict[str, str] = {
    "incident_id": "event_id_cnty",
    "start": "event_date",
    "event_type": "sub_event_type",
    "summary": "sub_event_type",
    "cve_ent": "admin1",
    "municipality": "admin2",
    "place": "location",
    "source_outlet": "source",
}

# ACLED sub-event types whose meaning is one of ours exactly. Others (e.g. "Attack",
# which does not say anyone died; "Looting/property destruction", which does not say
# arson) are kept under their own ACLED label.
SUB_EVENT_TYPES: dict[str, str] = {
    "armed clash": "armed_clash",
    "arrests": "arrest",
}
# ACLED codebook: 1 = the day is known, 2 = the week, 3 = the month.
TIME_PRECISIONS: dict[str, str] = {"1": "day", "2": "week", "3": "month"}
SOURCE_PREFIX = "Sources (per ACLED): "


def is_acled(columns: list[str]) -> bool:
    """Whether a table's (lower-cased) columns are ACLED's."""
    return set(columns) >= MARKERS


# event_date as ACLED has written it: the API (ISO), the export tool ("22 February 2026"),
# and the codebook's day-first forms of older exports. Day first always: never mm/dd.
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d-%m-%Y", "%d/%m/%Y")


def event_dates(raw: pd.Series) -> pd.Series:
    """ACLED event_date text to ISO dates ("" where unreadable), per DATE_FORMATS.

    Each distinct date is parsed once (a file has few); the result has raw's index.
    """
    positions, distinct = pd.factorize(raw)
    distinct = pd.Series(distinct, dtype=object)
    dates = pd.Series(pd.NaT, index=distinct.index, dtype="datetime64[s]")
    for form in DATE_FORMATS:
        dates = dates.fillna(pd.to_datetime(distinct, format=form, errors="coerce"))
    text = np.append(np.where(dates.isna(), "", dates.dt.strftime("%Y-%m-%d").fillna("")), "")
    return pd.Series(text[positions], index=raw.index, dtype=STRING_DTYPE)


def _each_distinct(values: pd.Series, function) -> pd.Series:
    """`function` applied once per distinct value of a text column (ACLED repeats codes)."""
    positions, distinct = pd.factorize(values)
    results = np.asarray([*(function(v) for v in distinct), ""], dtype=object)
    return pd.Series(results[positions], index=values.index, dtype=STRING_DTYPE)


def to_incidents(table: Table, name: str, report: Report) -> pd.DataFrame:
    """ACLED columns to ours (text), per COLUMN_MAPPING; `event_date` stays for `start`.

    Bad dates and time precisions are reported here (with the ACLED field's name); the
    rest is checked as any incident file is. Returns a frame with the same index.
    """
    acled = table.frame
    empty = pd.Series("", index=acled.index, dtype=STRING_DTYPE)

    def column(key: str) -> pd.Series:
        return acled[key] if key in acled.columns else empty

    dates = event_dates(column("event_date"))
    bad = (dates == "").to_numpy() & (column("event_date") != "").to_numpy()
    report.add_many(
        name,
        table.rows[bad],
        "event_date",
        column("event_date")[bad].to_numpy(dtype=object),
        msg("not an ACLED date (2026-02-22, 22 February 2026 or 22-02-2026)"),
    )
    precision = _each_distinct(
        column("time_precision"), lambda v: TIME_PRECISIONS.get(v.removesuffix(".0"), v)
    )
    sub = column("sub_event_type")
    ours = _each_distinct(sub, lambda v: SUB_EVENT_TYPES.get(v.lower(), "other") if v else "")
    label = sub.where(ours == "other", "")
    location = column("location")
    summary = sub + " (" + column("event_type") + ")" + (", " + location).where(location != "", "")
    source = column("source")
    outlet = (SOURCE_PREFIX + source).where(source != "", SOURCE_PREFIX + "not given")
    # Popups show the summary: the sources ACLED names are seen there, links or not.
    summary = (summary + ". " + outlet).where(sub != "", "")
    frame = pd.DataFrame(
        {
            "incident_id": column("event_id_cnty"),
            "event_date": column("event_date"),  # as written, for messages
            "event_day": dates,  # ISO date, "" where unreadable
            "time_precision": precision,
            "event_type": ours,
            "event_label": label,
            "summary": summary,
            "fatalities": column("fatalities"),
            "cve_ent": column("admin1"),
            "municipality": column("admin2"),
            "place": location,
            "latitude": column("latitude"),
            "longitude": column("longitude"),
            "geo_precision": column("geo_precision"),
            "source_outlet": outlet,
            "source_url": empty,
            "notes": column("notes"),
        }
    )
    return frame.astype(STRING_DTYPE)
