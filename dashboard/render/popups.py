"""What a reader reads about each record: when, where, what, counts, sources, all escaped.

Popups and tooltips are HTML in Leaflet, so every data-derived string here goes through
dashboard/text/escape.py; only http(s) URLs become links. No folium, no Streamlit.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from dashboard.ingest.acled import SOURCE_PREFIX, outlet_label
from dashboard.model.mexico import BY_CODE, MEXICO_CITY
from dashboard.model.placenames import place_name
from dashboard.model.schema import (
    PART_OF_DAY_SPANS,
    event_type_label,
    geo_precision_label,
    part_of_day_label,
)
from dashboard.text.escape import escape_text, is_http_url
from dashboard.text.i18n import (
    DATETIME_WITH_YEAR,
    DEFAULT_LANGUAGE,
    N_,
    columns_for,
    format_datetime,
    format_number,
    gettext_for,
    text_for,
    translation,
)


def records(frame: pd.DataFrame) -> list[SimpleNamespace]:
    """Rows with attribute access, built from column lists (itertuples and to_dict are slow)."""
    columns = [str(c) for c in frame.columns]
    values = [frame[c].tolist() for c in frame.columns]
    return [
        SimpleNamespace(**dict(zip(columns, row, strict=True))) for row in zip(*values, strict=True)
    ]


def _local(ts: pd.Timestamp) -> pd.Timestamp:
    return ts.tz_convert(MEXICO_CITY)


# "dom 22 feb 2026" / "Sun 22 Feb 2026" (CLDR pattern letters, see dashboard.text.i18n)
DAY_WITH_YEAR = "EEE d MMM y"
MONTH_WITH_YEAR = "LLLL y"  # "febrero 2026" / "February 2026" (stand-alone month name)
# The words for `confidence` values (schema.CONFIDENCE), translated where shown.
CONFIDENCE_LABELS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}


def summary_text(row, lang: str = DEFAULT_LANGUAGE) -> str:
    """The record's one-sentence summary in `lang` (a row: named tuple or Series): its
    own column (`summary_es` in Spanish) where the record has one (a user's file may give
    only one language), else `summary` (i18n.columns_for)."""
    values = {c: getattr(row, c, "") for c in columns_for("summary", lang)}
    return text_for(values, "summary", lang)


def when_label(row, lang: str = DEFAULT_LANGUAGE) -> str:
    """When, in Mexico City time, honest about how exactly it is known, in `lang`
    ("dom 22 feb 2026, 14:00, hora de la Ciudad de México" / "Sun 22 Feb 2026, 14:00
    Mexico City time"); dates and times by Babel (dashboard.text.i18n)."""
    t = translation(lang)
    start = pd.Timestamp(row.start)
    own_day = format_datetime(start.to_pydatetime(), lang, DAY_WITH_YEAR)
    precision = row.time_precision
    if precision in ("week", "month"):  # ACLED's 2 and 3: an interval (dashboard/model/timing.py)
        # The span's own days on the record's clock (`start` gives its offset).
        first = pd.Timestamp(row.t_start).tz_convert(start.tz)
        last = (pd.Timestamp(row.t_end) - pd.Timedelta(microseconds=1)).tz_convert(start.tz)
        if precision == "month":
            month = format_datetime(first.to_pydatetime(), lang, MONTH_WITH_YEAR)
            return t.gettext("{month} (month only; day not reported)").format(month=month)
        return t.gettext("{first} to {last} (week only; day not reported)").format(
            first=format_datetime(first.to_pydatetime(), lang, DAY_WITH_YEAR),
            last=format_datetime(last.to_pydatetime(), lang, DAY_WITH_YEAR),
        )
    if precision == "day":
        return t.gettext("{day} (day only; time not reported)").format(day=own_day)
    if precision == "part_of_day":
        part = row.part_of_day
        if part in PART_OF_DAY_SPANS:
            first, last = PART_OF_DAY_SPANS[part]
            span = f"{first:%H:%M}–{'24:00' if last is None else format(last, '%H:%M')}"
            return t.gettext("{day}, {part} ({span} local time)").format(
                day=own_day, part=part_of_day_label(part, lang), span=span
            )
        return t.gettext("{day}, part of day not stated").format(day=own_day)
    local = _local(row.t_start)
    text = t.gettext("{when} Mexico City time").format(
        when=format_datetime(local.to_pydatetime(), lang, DATETIME_WITH_YEAR)
    )
    if start.utcoffset() != local.utcoffset():
        text += t.gettext(" ({time} local)").format(time=f"{start:%H:%M}")
    return text + (t.gettext(" (about; to the hour)") if precision == "hour" else "")


def counts_label(row, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "3 blockades, 1 killed" / "3 bloqueos, 1 muerto": the counts a record gives."""
    t = translation(lang)
    parts = []
    for field in ("blockades", "fatalities", "injured", "arrested"):
        value = getattr(row, field)
        if value is not None and not pd.isna(value):
            n = int(value)
            parts.append(_count_text(t, field, n, lang))
    return ", ".join(parts)


def _count_text(t, field: str, n: int, lang: str) -> str:
    number = format_number(n, lang)
    if field == "blockades":
        return t.ngettext("{n} blockade", "{n} blockades", n).format(n=number)
    if field == "fatalities":
        return t.ngettext("{n} killed", "{n} killed", n).format(n=number)
    if field == "injured":
        return t.ngettext("{n} injured", "{n} injured", n).format(n=number)
    return t.ngettext("{n} arrested", "{n} arrested", n).format(n=number)


def source_links(row, lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """(url, label) pairs: the main source with outlet and date, then the others."""
    t = translation(lang)
    outlet = outlet_label(row.source_outlet or "", lang) or t.gettext("source")
    label = f"{outlet}, {row.source_date}" if row.source_date else outlet
    pairs = [(row.source_url, label)]
    pairs += [
        (u, t.gettext("source {n}").format(n=n))
        for n, u in enumerate((row.more_source_urls or "").split(), 2)
    ]
    return pairs


def place_text(row, lang: str = DEFAULT_LANGUAGE) -> str:
    """The record's place name in `lang` (dashboard/model/placenames.py): `place_es` in Spanish
    where given, else `place`; empty when neither is."""
    return place_name(_text(getattr(row, "place", "")), _text(getattr(row, "place_es", "")), lang)


def _text(value) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None or pd.isna(value) else str(value)  # NaN, NA: empty


def place_label(row, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "place, municipality, state" in `lang`, each once (plain text, not escaped)."""
    state = BY_CODE[row.cve_ent].name if row.cve_ent in BY_CODE else row.cve_ent
    parts = [p for p in (place_text(row, lang), row.municipality, state) if p]
    return ", ".join(dict.fromkeys(parts))


def actors_text(row, lang: str = DEFAULT_LANGUAGE) -> str:
    """An ACLED record's actors as a line (plain text, not escaped): "Actors: A (with B);
    C"; "" for a record without ACLED's actor columns."""

    def side(actor: str, associated: str) -> str:
        actor, associated = _text(actor), _text(associated)
        if actor and associated:
            return (
                translation(lang)
                .gettext("{actor} (with {associated})")
                .format(actor=actor, associated=associated)
            )
        return actor or associated

    sides = [
        side(getattr(row, "actor1", ""), getattr(row, "assoc_actor_1", "")),
        side(getattr(row, "actor2", ""), getattr(row, "assoc_actor_2", "")),
    ]
    sides = [x for x in sides if x]
    if not sides:
        return ""
    return translation(lang).gettext("Actors: {actors}").format(actors="; ".join(sides))


def is_acled_record(row) -> bool:
    """Whether a record came from an ACLED file (or an export of one): it names ACLED's
    `event_id_cnty`, or its outlet is ACLED's ("Sources (per ACLED): …", acled.py)."""
    return bool(_text(getattr(row, "event_id_cnty", ""))) or _text(
        getattr(row, "source_outlet", "")
    ).startswith(SOURCE_PREFIX)


def description_text(row) -> str:
    """An ACLED record's description: ACLED's `notes` as written (plain text, not
    escaped); "" for other records (our `notes` are the editors' working notes)."""
    return _text(getattr(row, "notes", "")).strip() if is_acled_record(row) else ""


def source_text(row, lang: str = DEFAULT_LANGUAGE) -> str:
    """The source line of a record without http(s) links, as text in `lang` (plain, not
    escaped): an ACLED record's outlets, "Fuentes (según ACLED): Milenio; Reforma"; ""
    for a record with a link (the links are its source line) or without an ACLED
    outlet."""
    urls = [_text(getattr(row, "source_url", ""))]
    urls += _text(getattr(row, "more_source_urls", "")).split()
    if any(is_http_url(u.strip()) for u in urls) or not is_acled_record(row):
        return ""
    outlet = _text(getattr(row, "source_outlet", ""))
    return outlet_label(outlet, lang) if outlet.startswith(SOURCE_PREFIX) else ""


def popup_body(row, lang: str = DEFAULT_LANGUAGE) -> str:
    """Everything in a popup between the title and the sources, escaped, in `lang`; an
    ACLED record's description (`notes`) and actors after its summary, and its outlets
    (ACLED gives no links) as the last line (source_text)."""
    e = escape_text
    t = translation(lang)
    lines = [f"<i>{e(when_label(row, lang))}</i>", e(place_label(row, lang))]
    lines.append(e(summary_text(row, lang)))
    description = description_text(row)
    if description:
        lines.append(e(description))
    actors = actors_text(row, lang)
    if actors:
        lines.append(e(actors))
    counts = counts_label(row, lang)
    if counts:
        lines.append(e(counts))
    confidence = row.confidence or ""
    rated = (
        gettext_for(lang, CONFIDENCE_LABELS[confidence])
        if confidence in CONFIDENCE_LABELS
        else confidence or t.gettext("not rated")
    )
    precision = e(geo_precision_label(row.geo_precision, lang))
    location = (
        t.gettext("Location: {precision} (approximate)")
        if row.geo_precision > 1
        else t.gettext("Location: {precision}")
    ).format(precision=precision)
    lines.append(
        location + " · " + t.gettext("confidence: {confidence}").format(confidence=e(rated))
    )
    if row.disputed:
        lines.append(t.gettext("<b>Sources disagree</b> on a figure, place or time."))
    sources = source_text(row, lang)
    if sources:
        lines.append(e(sources))
    return "<br>".join(lines)


def tooltip_html(row, lang: str = DEFAULT_LANGUAGE) -> str:
    kind = event_type_label(row.event_type, lang)
    return f"{escape_text(kind)}: {escape_text(place_text(row, lang) or row.municipality)}"


DISPLAY_COLUMNS = ("tip", "body", "sources")


def with_display_text(frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Add each record's escaped tooltip, popup body and (url, label) sources, in `lang`
    ("es" or "en").

    They do not depend on the view, so the page computes them once per data version and
    language, behind its cache, instead of on every rerun.
    """
    rows = records(frame)
    return frame.assign(
        tip=[tooltip_html(r, lang) for r in rows],
        body=[popup_body(r, lang) for r in rows],
        sources=[
            [
                (escape_text(u.strip()), escape_text(label))
                for u, label in source_links(r, lang)
                if is_http_url(u)
            ]
            for r in rows
        ],
    )
