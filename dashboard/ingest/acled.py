"""ACLED events to the project's incident columns: detection and the documented mapping.

ACLED (Armed Conflict Location & Event Data) files come from its export tool (CSV), or
its API (CSV, or JSON whose `data` array holds the events). Column names and meanings
follow the ACLED Codebook (2023 and later): `event_id_cnty`, `event_date`,
`time_precision`, `event_type`, `sub_event_type`, `actor1`, `assoc_actor_1`, `inter1`,
`actor2`, `assoc_actor_2`, `inter2`, `interaction`, `admin1`-`admin3`, `location`,
`latitude`, `longitude`, `geo_precision`, `source`, `source_scale`, `notes`,
`fatalities`, `tags`, `timestamp`.

What the conversion does, column by column, is `COLUMN_MAPPING` (the report shows it).
ACLED's event types are the records' types (schema.ACLED_EVENT_TYPES), never guessed into
ours; the sub-event type is the record's label (`event_label`), and `notes` (ACLED's
description of the event) its description in popups and details. Every other ACLED column
is kept under its own name (schema.ACLED_COLUMNS), so an export of the file carries it
and re-imports field for field. ACLED gives source outlets but no URLs: an imported row
shows "Sources (per ACLED): …" and needs no URL (never so for the bundled data); a row
with ACLED's `event_id_cnty` needs none when re-imported either.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.columns import excel_serial
from dashboard.ingest.read import STRING_DTYPE, Table, empty_texts
from dashboard.model.schema import ACLED_COLUMNS, ACLED_EVENT_TYPES, Report
from dashboard.model.timing import DayMonthOrder, TimestampError, numeric_date, where_in_file
from dashboard.text.i18n import N_, NC_, pgettext_for, translation
from dashboard.text.message import Message, msg

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
            "state's clock; a numeric date such as 3/4/2026 in the day/month order the "
            "column proves (a day above 12 somewhere in it), else it is refused"
        ),
    ),
    ("time_precision", "time_precision", N_("1 → day, 2 → week, 3 → month (ACLED codebook)")),
    (
        "event_type",
        "event_type",
        N_(
            "ACLED's event type as a key: Battles → battles, Violence against civilians → "
            "violence_against_civilians, Explosions/Remote violence → "
            "explosions_remote_violence, Riots → riots, Protests → protests, Strategic "
            "developments → strategic_developments; any other → other"
        ),
    ),
    ("event_label", "sub_event_type", N_("ACLED's sub-event type, kept as the record's label")),
    (
        "summary",
        "sub_event_type, event_type, location",
        N_(
            'a label line: "Attack (Violence against civilians), Uruapan." (the sources are '
            "the record's source line; `notes`, its description)"
        ),
    ),
    (
        "summary_es",
        "sub_event_type, event_type, location",
        N_(
            "the same line in Spanish, ACLED's type names translated: \"Ataque (Violencia "
            'contra civiles), Uruapan."'
        ),
    ),
    ("fatalities", "fatalities", N_("as is")),
    ("cve_ent", "admin1", N_("state name to INEGI code")),
    ("municipality", "admin2", N_("as is")),
    ("place", "location", N_("as is")),
    ("latitude", "latitude", N_("as is")),
    ("longitude", "longitude", N_("as is")),
    (
        "geo_precision",
        "geo_precision",
        N_(
            "1 (the town) and 2 (near a town, or part of a district) → 2, town or "
            "municipality; 3 (a larger region) → 3, state only (ACLED codebook: ACLED does "
            "not code sites within a town)"
        ),
    ),
    ("source_outlet", "source", N_('"Sources (per ACLED): …" (ACLED gives no URLs)')),
    ("source_url", "—", N_("empty: not required for ACLED rows")),
    ("notes", "notes", N_("as is")),
    (
        "acled_geo_precision",
        "geo_precision",
        N_("ACLED's own code (1, 2 or 3), as is"),
    ),
    (
        ", ".join(c for c in ACLED_COLUMNS if c != "acled_geo_precision"),
        ", ".join(c for c in ACLED_COLUMNS if c != "acled_geo_precision"),
        N_("kept as is under ACLED's names (exported, filterable, shown in popups)"),
    ),
)

# Our column -> the ACLED column a problem in it is reported under.
FILE_FIELDS: dict[str, str] = {
    "incident_id": "event_id_cnty",
    "start": "event_date",
    "event_type": "event_type",
    "summary": "sub_event_type",
    "summary_es": "sub_event_type",
    "cve_ent": "admin1",
    "municipality": "admin2",
    "place": "location",
    "source_outlet": "source",
}

# ACLED's event types (as written, any case) -> their keys (schema.ACLED_EVENT_TYPES).
ACLED_TYPES: dict[str, str] = {
    "battles": "battles",
    "violence against civilians": "violence_against_civilians",
    "explosions/remote violence": "explosions_remote_violence",
    "riots": "riots",
    "protests": "protests",
    "strategic developments": "strategic_developments",
}
assert set(ACLED_TYPES.values()) == set(ACLED_EVENT_TYPES)
# ACLED codebook: 1 = the day is known, 2 = the week, 3 = the month.
TIME_PRECISIONS: dict[str, str] = {"1": "day", "2": "week", "3": "month"}
# ACLED codebook: 1 = the town the source names (its coordinates), 2 = near a town or a
# part of a district (the nearest town's), 3 = a larger region (its capital's). Ours: 1 is
# an estimated exact site, which ACLED never codes, 2 a town or municipality, 3 the state.
GEO_PRECISIONS: dict[str, str] = {"1": "2", "2": "2", "3": "3"}
SOURCE_PREFIX = N_("Sources (per ACLED): ")
SOURCE_NOT_GIVEN = N_("not given")  # an ACLED row with an empty `source`
# ACLED's event and sub-event type names as its codebook writes them (2023 and later: six
# event types, 25 sub-event types). Catalogue entries in the context "ACLED" (their
# Spanish is this project's, in messages.po; "Armed clash" is also our own event type,
# translated differently): shown in the reader's language (`name_label`), kept as ACLED
# wrote them in the data and exports. A name not listed stays as written.
ACLED_CONTEXT = "ACLED"
NAMES: dict[str, str] = {
    name.lower(): name
    for name in (
        NC_("ACLED", "Battles"),
        NC_("ACLED", "Violence against civilians"),
        NC_("ACLED", "Protests"),
        NC_("ACLED", "Riots"),
        NC_("ACLED", "Strategic developments"),
        NC_("ACLED", "Explosions/Remote violence"),
        NC_("ACLED", "Armed clash"),
        NC_("ACLED", "Government regains territory"),
        NC_("ACLED", "Non-state actor overtakes territory"),
        NC_("ACLED", "Sexual violence"),
        NC_("ACLED", "Attack"),
        NC_("ACLED", "Abduction/forced disappearance"),
        NC_("ACLED", "Chemical weapon"),
        NC_("ACLED", "Air/drone strike"),
        NC_("ACLED", "Suicide bomb"),
        NC_("ACLED", "Shelling/artillery/missile attack"),
        NC_("ACLED", "Remote explosive/landmine/IED"),
        NC_("ACLED", "Grenade"),
        NC_("ACLED", "Peaceful protest"),
        NC_("ACLED", "Protest with intervention"),
        NC_("ACLED", "Excessive force against protesters"),
        NC_("ACLED", "Violent demonstration"),
        NC_("ACLED", "Mob violence"),
        NC_("ACLED", "Agreement"),
        NC_("ACLED", "Arrests"),
        NC_("ACLED", "Change to group/activity"),
        NC_("ACLED", "Disrupted weapons use"),
        NC_("ACLED", "Headquarters or base established"),
        NC_("ACLED", "Looting/property destruction"),
        NC_("ACLED", "Non-violent transfer of territory"),
        NC_("ACLED", "Other"),
    )
}


def name_label(name: str, lang: str) -> str:
    """An ACLED event or sub-event type name (any case, as a file writes it) as shown in
    `lang`: its catalogue entry in context ACLED_CONTEXT ("Armed clash" -> "Enfrentamiento
    armado" in "es"); a name not in NAMES, or any name in English, as written."""
    if not name:
        return name
    known = NAMES.get(name.strip().lower())
    if known is None:
        return name
    shown = pgettext_for(lang, ACLED_CONTEXT, known)
    return name if shown == known else shown


def spanish_name(name: str) -> str:
    """An ACLED event or sub-event type name in Spanish (`name_label` for "es")."""
    return name_label(name, "es")


def outlet_label(outlet: str, lang: str) -> str:
    """A record's `source_outlet` as shown in `lang`: an imported ACLED row's
    "Sources (per ACLED): …" reads "Fuentes (según ACLED): …" in Spanish."""
    if outlet.startswith(SOURCE_PREFIX):
        named = outlet[len(SOURCE_PREFIX) :]
        t = translation(lang)
        return t.gettext(SOURCE_PREFIX) + (t.gettext(named) if named == SOURCE_NOT_GIVEN else named)
    return outlet


def is_acled(columns: list[str]) -> bool:
    """Whether a table's (lower-cased) columns are ACLED's: its markers, and not our own
    schema's `incident_id` and `start` (an export of an imported ACLED file keeps
    ACLED's columns beside ours, and is read as ours)."""
    names = set(columns)
    return names >= MARKERS and not {"incident_id", "start"} <= names


# The ACLED columns `to_incidents` reads: those it converts and those it keeps.
READ_COLUMNS = frozenset(ACLED_COLUMNS) - {"acled_geo_precision"} | frozenset(
    {
        "event_id_cnty",
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "admin1",
        "admin2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "notes",
        "fatalities",
    }
)


def columns_to_read(columns: list[str]) -> frozenset[str] | None:
    """For `read.read_table`: of a header's (lower-cased) names, those an ACLED file's
    conversion uses; None (read all) when the header is not ACLED's."""
    return READ_COLUMNS if is_acled(columns) else None


# event_date as ACLED has written it: the API (ISO), the export tool ("22 February 2026").
# Numeric dates (22-02-2026, 22/02/2026: the codebook's day-first forms of older exports,
# or a spreadsheet's month-first ones) are read by timing.DayMonthOrder: in the order the
# file's own event_date column proves, never guessed.
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y")


# A date written in one of ACLED's forms whose day does not exist (2026-02-30,
# 31 April 2026, 30-02-2026): named as impossible, not as a form ACLED does not use.
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_SHAPE = re.compile(
    rf"\d{{4}}-\d{{1,2}}-\d{{1,2}}"  # 2026-02-30
    rf"|\d{{1,2}}[ -](?:{_MONTHS})[ -]\d{{4}}"  # 31 April 2026, 31-April-2026
    r"|\d{1,2}([-/])\d{1,2}\1\d{4}",  # 30-02-2026, 30/02/2026
    re.IGNORECASE,
)


def event_dates(raw: pd.Series) -> pd.Series:
    """ACLED event_date text to ISO dates ("" where unreadable or ambiguous).

    Forms: DATE_FORMATS, and numeric dates in the order the column proves (a day above 12
    somewhere: 25/02/2026 makes 3/4/2026 read 3 April); an ambiguous one the column cannot
    settle (3/4/2026 alone) gives "". Each distinct date is parsed once (a file has few);
    the result has raw's index.
    """
    return _dates(raw)[0]


def _dates(raw: pd.Series) -> tuple[pd.Series, tuple[np.ndarray, list], _DateReading]:
    """`event_dates`, with the (code per row, distinct ISO dates) it was spread from and
    how its numeric dates were read."""
    reading = _DateReading()

    def parse(distinct: list) -> list[str]:
        texts = [v if v is not None else "" for v in distinct]
        order = reading.order = DayMonthOrder(texts)
        # Numeric dates to ISO first (each distinct text once), then one vectorised pass
        # per form with its explicit format.
        written = []
        for text in texts:
            if numeric_date(text) is None:
                written.append(text)
                continue
            try:
                written.append(order.iso(text))
            except TimestampError as exc:
                reading.refused[text] = exc.message
                written.append("")
                continue
            if order.ambiguous(text):
                reading.resolved.add(text)
        series = pd.Series(written, dtype=object)
        dates = pd.Series(pd.NaT, index=series.index, dtype="datetime64[s]")
        for form in DATE_FORMATS:
            dates = dates.fillna(pd.to_datetime(series, format=form, errors="coerce"))
        return np.where(dates.isna(), "", dates.dt.strftime("%Y-%m-%d").fillna("")).tolist()

    [(column, codes)] = _spread(raw, parse)
    return column, codes, reading


class _DateReading:
    """How a column's numeric event dates were read: its DayMonthOrder, the ambiguous
    texts it settled, and the texts refused with their reason."""

    def __init__(self):
        self.order: DayMonthOrder | None = None
        self.resolved: set[str] = set()
        self.refused: dict[str, Message] = {}


def _report_dates(raw, dates, reading: _DateReading, table: Table, name: str, report: Report):
    """event_date's problems: ambiguous day/month dates (with the reason of each), other
    unreadable dates, and, when the column's order settled ambiguous dates, a warning at
    the first date proving that order."""
    bad = (dates == "").to_numpy() & (raw != "").to_numpy()
    if not bad.any() and not reading.resolved:
        return
    values = raw.to_numpy(dtype=object)
    # Rows compared by integer code, not text: a file may have many distinct bad dates.
    codes, distinct = pd.factorize(values)
    code_of = {text: code for code, text in enumerate(distinct)}

    def rows_with(text: str) -> np.ndarray:
        return codes == code_of.get(text, -2)

    def row_of(text: str) -> int:
        return int(table.rows[np.argmax(rows_with(text))])

    order = reading.order
    if order is not None:
        order.where = lambda i: where_in_file(table.unit, row_of(order.texts[i]))
    for text, reason in reading.refused.items():
        chosen = bad & rows_with(text)
        if order is not None:
            try:  # again, now that the order can say where its proofs are
                order.iso(text)
            except TimestampError as exc:
                reason = exc.message
        report.add_many(name, table.rows[chosen], "event_date", values[chosen], reason)
        bad &= ~chosen
    for text in pd.unique(np.asarray(values[bad], dtype=object)):  # Excel date serials
        serial = excel_serial(str(text), "2026-02-22")
        if serial is not None:
            chosen = bad & rows_with(text)
            report.add_many(name, table.rows[chosen], "event_date", values[chosen], serial)
            bad &= ~chosen
        elif DATE_SHAPE.fullmatch(str(text).strip()):
            chosen = bad & rows_with(text)
            impossible = msg("impossible date: that day does not exist (month 1–12, a day of it)")
            report.add_many(name, table.rows[chosen], "event_date", values[chosen], impossible)
            bad &= ~chosen
    report.add_many(
        name,
        table.rows[bad],
        "event_date",
        values[bad],
        msg("not an ACLED date (2026-02-22, 22 February 2026 or 22-02-2026)"),
    )
    if reading.resolved and order is not None and order.proof is not None:
        proof = order.texts[order.proof]
        n = int(np.isin(codes, [code_of[t] for t in reading.resolved if t in code_of]).sum())
        report.add(name, row_of(proof), "event_date", proof, order.inferred(n), "warning")


def _each_distinct(values: pd.Series, *functions) -> list[tuple[pd.Series, tuple]]:
    """Each function applied once per distinct value of a text column (ACLED repeats
    codes); per function, the column and its (code per row, distinct values)."""
    return _spread(
        values,
        *(
            lambda distinct, f=f: [f(v) if v is not None else "" for v in distinct]
            for f in functions
        ),
    )


def _spread(values: pd.Series, *converts) -> list[tuple[pd.Series, tuple[np.ndarray, list]]]:
    """Each convert(distinct values, a list with None for a missing one) -> one text
    each, spread to the rows in one Arrow take. Per convert: the column (with values'
    index) and (int code per row, its distinct values in order of first appearance)."""
    encoded = pc.dictionary_encode(_arrow(values).combine_chunks(), null_encoding="encode")
    distinct = encoded.dictionary.to_pylist()
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    out = []
    for convert in converts:
        # Two distinct texts may convert to one: each converted text once, in order.
        remap, once = pd.factorize(np.asarray(convert(distinct), dtype=object))
        codes = remap[indices]
        once = once.tolist()
        column = pd.Series(
            pa.array(once, type=pa.large_string()).take(pa.array(codes)),
            index=values.index,
            dtype=STRING_DTYPE,
        )
        out.append((column, (codes, once)))
    return out


def _arrow(values: pd.Series) -> pa.ChunkedArray:
    """The Arrow strings under a text column (large_string, as pandas keeps them)."""
    arrow = pa.chunked_array(pa.array(values.array))
    return arrow if arrow.type == pa.large_string() else arrow.cast(pa.large_string())


def _join(*parts) -> pa.ChunkedArray:
    """Texts and text columns joined row by row in one Arrow pass (null where any is)."""
    parts = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()))


def _prefixed(prefix: str, values: pd.Series) -> pa.ChunkedArray:
    """prefix + each text (null where missing), inserted in place: cheaper than a join."""
    return pc.utf8_replace_slice(_arrow(values), start=0, stop=0, replacement=prefix)


def _is_empty(values: pd.Series) -> pa.ChunkedArray:
    """Arrow booleans: the value is "" (a missing value is not, as in pandas' `!= ""`)."""
    return pc.fill_null(pc.equal(_arrow(values), ""), False)


def _where_empty(values: pd.Series, then, otherwise: pa.ChunkedArray) -> pa.ChunkedArray:
    """`then` where a value is "" (not where it is missing), `otherwise` elsewhere; no
    second pass over `otherwise` when no value is "" (the usual case)."""
    empty = _is_empty(values)
    return pc.if_else(empty, then, otherwise) if pc.any(empty).as_py() else otherwise


def _text(arrow) -> pd.Series:
    return pd.Series(arrow, dtype=STRING_DTYPE)


def _our_type(event_type: str) -> str:
    """The key of an ACLED event type ("" for none), per ACLED_TYPES; "other" for a name
    the codebook does not have."""
    return ACLED_TYPES.get(event_type.strip().lower(), "other") if event_type else ""


def to_incidents(table: Table, name: str, report: Report) -> pd.DataFrame:
    """ACLED columns to ours (text), per COLUMN_MAPPING; `event_date` stays for `start`.

    Bad dates and time precisions are reported here (with the ACLED field's name); the
    rest is checked as any incident file is. Returns a frame with the same index, and
    sets `table.known` for the columns converted once per distinct value.
    """
    acled = table.frame
    empty = empty_texts(acled.index)

    def column(key: str) -> pd.Series:
        return acled[key] if key in acled.columns else empty

    raw_dates = column("event_date")
    dates, date_codes, reading = _dates(raw_dates)
    _report_dates(raw_dates, dates, reading, table, name, report)
    [(precision, precision_codes)] = _each_distinct(
        column("time_precision"), lambda v: TIME_PRECISIONS.get(v.removesuffix(".0"), v)
    )
    [(geo_precision, _)] = _each_distinct(
        column("geo_precision"), lambda v: GEO_PRECISIONS.get(v.removesuffix(".0"), v)
    )
    sub = column("sub_event_type")
    [(ours, our_codes)] = _each_distinct(column("event_type"), _our_type)
    label = sub
    # Made from distinct values: the checks reuse the codes instead of encoding again.
    table.known = {
        "event_day": date_codes,
        "time_precision": precision_codes,
        "event_type": our_codes,
    }
    location = column("location")
    source = column("source")
    # Texts joined in one Arrow pass per column (no intermediate column per "+").
    outlet = _where_empty(
        source, SOURCE_PREFIX + SOURCE_NOT_GIVEN, _prefixed(SOURCE_PREFIX, source)
    )
    at = _where_empty(location, "", _prefixed(", ", location))
    # The summary says what and where; the sources ACLED names are the record's source
    # line (popups.source_text), shown once, links or not.
    summary = _join(_arrow(sub), " (", _arrow(column("event_type")), ")", at, ".")
    summary = _text(_where_empty(sub, "", summary))
    # The same line in Spanish: ACLED's type names from NAMES_ES (once per distinct name).
    [(sub_es, _)] = _each_distinct(sub, spanish_name)
    [(kind_es, _)] = _each_distinct(column("event_type"), spanish_name)
    summary_es = _join(_arrow(sub_es), " (", _arrow(kind_es), ")", at, ".")
    summary_es = _text(_where_empty(sub, "", summary_es))
    outlet = _text(outlet)
    frame = pd.DataFrame(
        {
            "incident_id": column("event_id_cnty"),
            "event_date": column("event_date"),  # as written, for messages
            "event_day": dates,  # ISO date, "" where unreadable
            "time_precision": precision,
            "event_type": ours,
            "event_label": label,
            "summary": summary,
            "summary_es": summary_es,
            "fatalities": column("fatalities"),
            "cve_ent": column("admin1"),
            "municipality": column("admin2"),
            "place": location,
            "latitude": column("latitude"),
            "longitude": column("longitude"),
            "geo_precision": geo_precision,
            "source_outlet": outlet,
            "source_url": empty,
            "notes": column("notes"),
            # ACLED's own columns, kept under their names (schema.ACLED_COLUMNS).
            **{
                key: column("geo_precision" if key == "acled_geo_precision" else key)
                for key in ACLED_COLUMNS
                if key not in ("event_date",)
            },
        }
    )
    return frame.astype(STRING_DTYPE)
