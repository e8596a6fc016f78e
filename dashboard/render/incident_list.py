"""The list twin of the map: the incidents in view as table rows, searchable by name.

Pure: a filtered incidents frame in, a plain table out. The page shows it under the map as
the keyboard and screen-reader route to every incident (a canvas map has no DOM nodes per
point). Search ignores case and accents with `mexico.fold`, so "Michoacan" finds
"Michoacán" and "san pedro" finds "San Pedro Tlaquepaque". The list box beside the table
labels each record so that its type-to-search finds names without their accents
(`choice_labels`); the reports known only to their state are listed as paragraphs
(`state_level_lines`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from dashboard.analysis.filters import IN_WINDOW, KNOWN, POSSIBLE
from dashboard.ingest.acled import outlet_label
from dashboard.model.mexico import BY_CODE, MEXICO_CITY, fold
from dashboard.model.placenames import column_for, place_column
from dashboard.model.schema import (
    NON_INCIDENT_TYPES,
    PART_OF_DAY_SPANS,
    event_type_label,
    geo_precision_label,
    part_of_day_label,
    time_precision_label,
)
from dashboard.model.timing import spans_years
from dashboard.render.popups import (
    actors_text,
    description_text,
    records,
    source_text,
    summary_text,
    when_label,
)
from dashboard.text.escape import escape_markdown, is_http_url, link
from dashboard.text.i18n import (
    DATETIME_WITH_YEAR,
    DEFAULT_LANGUAGE,
    SHORT_DATETIME,
    format_datetime,
    format_number,
    translation,
)

DAY = "EEE d MMM"  # "dom 22 feb", as the time slider and the key figures write a day
ROW_LIMIT = 2_000  # a longer list is not read, only paid for on every rerun: search instead
COUNT_COLUMNS = ("blockades", "fatalities", "injured", "arrested")
STATE_NAMES = {code: state.name for code, state in BY_CODE.items()}
COLUMNS = (
    "incident_id",
    "when",
    "time_known",
    "in_window",
    "place",
    "municipality",
    "state",
    "event_type",
    "place_known",
    *COUNT_COLUMNS,
    "summary",
    "source",
    "source_outlet",
    "more_sources",
)


@dataclass(frozen=True)
class IncidentTable:
    """Rows to show (at most ROW_LIMIT, columns COLUMNS, sorted by time then place) and
    how many incidents matched before the limit."""

    rows: pd.DataFrame
    matched: int

    @property
    def truncated(self) -> bool:
        return self.matched > len(self.rows)


def _matching(values: pd.Series, word: str) -> pd.Series:
    """Rows whose folded value contains `word`; each distinct value is folded once
    (places repeat across incidents, so this stays fast at 100,000 rows)."""
    unique = pd.unique(values.fillna("").astype(str))
    hits = [v for v in unique if word in fold(v)]
    return values.isin(hits)


def search_mask(frame: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose place (in English or Spanish, `place_es`), municipality or state name
    contains every word of `query`, ignoring case and accents. An empty query matches
    every row."""
    mask = pd.Series(True, index=frame.index)
    words = fold(query or "").split()
    if not words:
        return mask
    names = frame["cve_ent"].map(STATE_NAMES)
    spanish = "place_es" in frame.columns
    for word in words:
        found = (
            _matching(frame["place"], word)
            | _matching(frame["municipality"], word)
            | _matching(names, word)
        )
        if spanish:
            found |= _matching(frame["place_es"], word)
        mask &= found
    return mask


def _babel(values: pd.Series, write) -> pd.Series:
    """`write(value)` of each distinct value once (a large import repeats its hours and
    days), mapped back onto `values`."""
    written = {v: write(v) for v in pd.unique(values)}
    return values.map(written)


def _day(day, lang: str, pattern: str = DAY) -> str:
    """A calendar date (datetime.date) by Babel in `lang`: "dom 22 feb" / "Sun 22 Feb"."""
    return format_datetime(
        datetime(day.year, day.month, day.day, 12, tzinfo=MEXICO_CITY), lang, pattern
    )


def when_text(frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.Series:
    """Local time as the page writes it (Babel, `lang`): "dom 22 feb, 10:30" (Mexico City)
    for records timed to the hour or minute; the record's own date, plus the part of the
    day where given, otherwise ("dom 22 feb", "dom 22 feb noche (19:00–24:00 local)");
    with the year ("dom 1 mar 2026") when the records are not all of one year, or not of
    the event's (timing.spans_years).

    Day-level dates come from the reported start in its own offset, so a Cancún record
    "22 Feb" stays on 22 Feb although its midnight is 23:00 on the 21st in Mexico City.
    A record known to the week gives its first and last day ("20 feb – 26 feb"), one
    known to the month the month ("febrero 2026").
    """
    if frame.empty:  # a filter that matches nothing (a reader's file: no text made ahead)
        return pd.Series([], index=frame.index, dtype=object)
    timed = frame["time_precision"].isin(("minute", "hour"))
    local = frame["t_start"].dt.tz_convert(MEXICO_CITY)
    # Records of more than one year (or not of the event's): every date with its year.
    years = len(frame) > 0 and spans_years(local.min(), local.max())
    day, moment = (f"{DAY} y", DATETIME_WITH_YEAR) if years else (DAY, SHORT_DATETIME)
    clock = _babel(local, lambda t: format_datetime(t.to_pydatetime(), lang, moment))
    own_date = _babel(
        frame["start"].map(lambda s: pd.Timestamp(s).date()), lambda d: _day(d, lang, day)
    )
    part = frame["part_of_day"].fillna("").astype(str)
    span = part.map(lambda p: _part_label(p, lang))
    dated = own_date.where(part.eq("") | ~frame["time_precision"].eq("part_of_day"))
    dated = dated.fillna(own_date + " " + span)
    # ACLED's week and month precision: the interval's first and last day, or the month.
    precision = frame["time_precision"]
    if precision.isin(("week", "month")).any():
        clocks = [pd.Timestamp(s).tz for s in frame["start"]]  # each record's own offset
        first = pd.Series(
            [
                pd.Timestamp(t).tz_convert(tz)
                for t, tz in zip(frame["t_start"], clocks, strict=True)
            ],
            index=frame.index,
        )
        last = [
            (pd.Timestamp(end) - pd.Timedelta(microseconds=1)).tz_convert(tz)
            for end, tz in zip(frame["t_end"], clocks, strict=True)
        ]
        weeks = [
            f"{_day(b.date(), lang, 'd MMM')} – {_day(e.date(), lang, 'd MMM yyyy')}"
            for b, e in zip(first, last, strict=True)
        ]
        dated = dated.mask(precision.eq("week"), pd.Series(weeks, index=frame.index))
        months = first.map(lambda b: _day(b.date(), lang, "MMMM yyyy"))
        dated = dated.mask(precision.eq("month"), months)
    return clock.where(timed, dated)


def list_order(frame: pd.DataFrame) -> pd.Series:
    """The list's time order (UTC timestamps): a record timed to the hour, the minute or
    a part of the day at its start; one known only to the day, week or month at the
    middle of its span, so that "some time on 22 Feb" (a Cozumel record's span begins at
    23:00 on the 21st, Mexico City time) no longer comes before that morning's reports."""
    spans = frame["time_precision"].isin(("day", "week", "month"))
    middle = frame["t_start"] + (frame["t_end"] - frame["t_start"]) / 2
    return frame["t_start"].mask(spans, middle)


def _part_label(part: str, lang: str = DEFAULT_LANGUAGE) -> str:
    if part not in PART_OF_DAY_SPANS:
        return part.replace("_", " ")
    first, last = PART_OF_DAY_SPANS[part]
    end = "24:00" if last is None else format(last, "%H:%M")
    return (
        translation(lang)
        .gettext("{part} ({start}–{end} local)")
        .format(part=part_of_day_label(part, lang), start=f"{first:%H:%M}", end=end)
    )


def _sources(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The main source URL (None unless http/https) and the other http(s) URLs."""
    main = frame["source_url"].map(lambda u: u.strip() if is_http_url(u or "") else None)
    more = (
        frame["more_source_urls"].fillna("").map(lambda s: [u for u in s.split() if is_http_url(u)])
    )
    return main, more


def _summaries(frame: pd.DataFrame, lang: str) -> pd.Series:
    """The summary in `lang` where a record has one, else in the next language
    (placenames.column_for)."""
    return column_for(frame, "summary", lang)


def incident_rows(frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Every record of `frame` as a table row (columns COLUMNS, `frame`'s index and order).

    Made once per data version and language for the bundled data, so a view only picks
    its rows (`incident_table(..., rows=...)`) instead of formatting them again.
    """
    main, more = _sources(frame)
    # An ACLED file's records: their sub-event type and actors beside their type.
    acled = {}
    if "event_label" in frame.columns and frame["event_label"].fillna("").astype(bool).any():
        acled["event_label"] = frame["event_label"].fillna("")
    if "actor1" in frame.columns:
        rows = records(frame[[c for c in frame.columns if c.startswith(("actor", "assoc_"))]])
        acled["actors"] = pd.Series([actors_text(r, lang) for r in rows], index=frame.index)
    # ACLED's description (`notes`) and link-less outlets, for the details (not a column
    # of the grid: INCIDENT_COLUMNS orders the grid).
    if "event_id_cnty" in frame.columns:
        keys = [
            c
            for c in ("event_id_cnty", "source_outlet", "source_url", "more_source_urls", "notes")
            if c in frame.columns
        ]
        rows = records(frame[keys])
        acled["description"] = pd.Series([description_text(r) for r in rows], index=frame.index)
        acled["source_text"] = pd.Series([source_text(r, lang) for r in rows], index=frame.index)
    table = pd.DataFrame(
        {
            "incident_id": frame["incident_id"],
            "when": when_text(frame, lang),
            "time_known": frame["time_precision"].map(lambda k: time_precision_label(k, lang)),
            "place": place_column(frame, lang),
            "municipality": frame["municipality"],
            "state": frame["cve_ent"].map(lambda c: BY_CODE[c].name if c in BY_CODE else c),
            "event_type": frame["event_type"].map(lambda t: event_type_label(t, lang)),
            "place_known": frame["geo_precision"].map(lambda g: geo_precision_label(g, lang)),
            **{c: frame[c] for c in COUNT_COLUMNS},
            "summary": _summaries(frame, lang),
            "source": main,
            "source_outlet": frame["source_outlet"]
            .fillna("")
            .astype(str)
            .map(lambda o: outlet_label(o, lang)),
            "more_sources": more,
        },
        columns=list(COLUMNS),
    )
    for column, values in acled.items():
        table.insert(table.columns.get_loc("event_type") + 1, column, values)
    return table


def incident_table(
    selected: pd.DataFrame,
    query: str = "",
    limit: int = ROW_LIMIT,
    lang: str = DEFAULT_LANGUAGE,
    rows: pd.DataFrame | None = None,
) -> IncidentTable:
    """The incidents of a filtered frame (official statements left out) as table rows.

    `selected` is a frame as `filters.apply` returns it (validated incidents joined to
    places). Rows are in time order (list_order), a raid first among records of the same
    time, then by place; at most `limit` are returned.
    Counts stay nullable integers (unknown is not zero). Text is returned as data, not
    markup: the page shows it in a data grid, which does not interpret HTML. Words (time
    and place precision, event types, summaries) are in `lang` ("es" or "en").
    `rows`: `incident_rows(frame, lang)` of the frame `selected` was filtered from (same
    index), when made already; the result is the same either way.
    """
    # Filter and sort the few columns that decide, then take the rows once.
    columns = ["t_start", "place", "municipality", "cve_ent", "incident_id", "event_type"]
    keys = selected[columns + (["place_es"] if "place_es" in selected.columns else [])]
    keys = keys[~keys["event_type"].isin(NON_INCIDENT_TYPES)]
    keys = keys[search_mask(keys, query)]
    matched = len(keys)
    # At the same time, the security forces' raid first: what the rest followed.
    keys = keys.assign(
        order=list_order(selected.loc[keys.index]), later=keys["event_type"].ne("raid")
    )
    if len(keys) > limit:  # the earliest `limit`, without sorting everything by text
        keys = keys[keys["order"] <= keys["order"].nsmallest(limit).iloc[-1]]
    keys = keys.sort_values(["order", "later", "place", "incident_id"], kind="stable").head(limit)
    made = rows is not None
    table = rows.loc[keys.index] if made else incident_rows(selected.loc[keys.index], lang)
    table = table.assign(in_window=window_labels(selected.loc[keys.index], lang))
    return IncidentTable(table.reset_index(drop=True), matched)


def window_labels(selected: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """Per record of `selected` (a frame from filters.apply), how it is in the view's
    window, in `lang`: "yes" when its time lies inside, "possibly (time not precise
    enough)" when it only overlaps (filters' counting rule); "" without IN_WINDOW."""
    if IN_WINDOW not in selected.columns:
        return [""] * len(selected)
    t = translation(lang)
    words = {KNOWN: t.gettext("yes"), POSSIBLE: t.gettext("possibly (time not precise enough)")}
    return [words.get(v, "") for v in selected[IN_WINDOW].tolist()]


def typeable(label: str) -> str:
    """The label with accents as separate combining marks (NFD): it looks the same, and
    a list's type-to-search, which matches letters in order, then finds "Michoacán" for
    "Michoacan"."""
    return unicodedata.normalize("NFD", label)


def choice_labels(rows: pd.DataFrame) -> dict[str, str]:
    """incident_id -> "when · type · place, state" as the list box shows it (typeable)."""
    text = rows.fillna({"place": "", "state": ""})
    joined = (
        text["when"] + " · " + text["event_type"] + " · " + text["place"] + ", " + text["state"]
    )
    return {i: typeable(label) for i, label in zip(text["incident_id"], joined, strict=True)}


def _state_level_source(row, lang: str, source: str) -> str:
    """The source part of a state-level entry: "(link)", or an outlet with no link (an
    ACLED record: "Fuentes (según ACLED): …", acled.outlet_label in `lang`) as a plain
    " · outlets" that needs no parentheses of its own."""
    outlet = outlet_label(row.source_outlet or "", lang)
    if is_http_url(row.source_url) or not outlet:
        return f"({link(row.source_url, outlet or source)})"
    return f"· {escape_markdown(outlet)}"


def state_level_entries(rows: pd.DataFrame, lang: str) -> dict[str, str]:
    """incident_id -> the record as one Markdown paragraph (state · type · when: summary
    (source link)), escaped, in `lang`; for reports known only to their state."""
    source = translation(lang).gettext("source")
    return {
        row.incident_id: f"**{escape_markdown(BY_CODE[row.cve_ent].name)}** · "
        f"{escape_markdown(event_type_label(row.event_type, lang))} · "
        f"{escape_markdown(when_label(row, lang))}: "
        f"{escape_markdown(summary_text(row, lang))} "
        f"{_state_level_source(row, lang, source)}"
        for row in rows.itertuples(index=False)
    }


def state_level_lines(rows: pd.DataFrame, lang: str, made: dict[str, str] | None = None) -> str:
    """Reports known only to their state as Markdown paragraphs, escaped, in `lang`, in
    the order of `rows`; `made`: state_level_entries of all records, when already made."""
    entries = state_level_entries(rows, lang) if made is None else made
    return "\n\n".join(entries[i] for i in rows["incident_id"])


def details_markdown(row, lang: str = DEFAULT_LANGUAGE) -> str:
    """The chosen incident in words as Markdown, every data-derived string escaped: type
    and place, when, counts, summary, an ACLED record's description (`notes`), then its
    sources: http(s) links, or an ACLED record's outlets as text (ACLED gives no links),
    or "none given". `row`: a row of `incident_table` (named tuple)."""
    t = translation(lang)
    place = ", ".join(dict.fromkeys(p for p in (row.place, row.municipality, row.state) if p))
    labels = {
        "blockades": t.gettext("blockades"),
        "fatalities": t.gettext("killed"),
        "injured": t.gettext("injured"),
        "arrested": t.gettext("arrested"),
    }
    counts = ", ".join(
        f"{label}: {format_number(int(getattr(row, field)), lang)}"
        for field, label in labels.items()
        if not pd.isna(getattr(row, field))
    )
    sources = (
        [link(row.source, row.source_outlet or t.gettext("main source"))] if row.source else []
    )
    sources += [
        link(url, t.gettext("source {n}").format(n=n)) for n, url in enumerate(row.more_sources, 2)
    ]
    description = getattr(row, "description", "") or ""
    actors = getattr(row, "actors", "") or ""  # an ACLED record's actors (actors_text)
    as_text = getattr(row, "source_text", "") or ""
    if sources:
        source_line = t.gettext("Sources: {links}").format(links=" · ".join(sources))
    elif as_text:
        source_line = escape_markdown(as_text)
    else:
        source_line = t.gettext("Sources: {links}").format(links=t.gettext("none given"))
    return (
        t.gettext("**{type}** at {place}").format(
            type=escape_markdown(row.event_type), place=escape_markdown(place)
        )
        + "  \n"
        + t.gettext("When: {when} ({known}); place known to: {place_known}").format(
            when=escape_markdown(row.when),
            known=escape_markdown(row.time_known),
            place_known=escape_markdown(row.place_known),
        )
        + (f"; {escape_markdown(counts)}" if counts else "")
        + f"  \n{escape_markdown(row.summary)}  \n"
        + (
            t.gettext("Actors: {actors}").format(actors=escape_markdown(actors)) + "  \n"
            if actors
            else ""
        )
        + (f"{escape_markdown(description)}  \n" if description else "")
        + source_line
    )
