"""Data-quality findings over the incidents frame: the weak spots an analyst should see.

Every check is a pure function of the incidents frame as `dashboard/ingest/bundle.py` (or
`validate_incidents` for an uploaded file) builds it: one row per record with
`incident_id`, `event_type`, the count fields, `summary`, `notes`, `source_url`,
`more_source_urls`, `time_precision`, `part_of_day`, `t_start`/`t_end` (UTC, the
interval from `dashboard/model/timing.py`), `lat`/`lon` (degrees WGS84) and `geo_precision`.
Each returns a list of `Finding`s; none of them changes the frame.

The checks in `VALIDATION_CHECKS` are the ones `python -m dashboard validate` fails on
for the bundled data (issue 11, "checks that keep the kinds fixed"): they find kinds of
defect an independent review of the data found (CMS, staging and mirror links; counts
stated in a summary but missing from the count fields; one event recorded twice; a
part of the day named in the text but not in `part_of_day`), and, since issue 19, a
tally of other events kept in `blockades` on a record that is not a blockade.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.ingest.acled import SOURCE_PREFIX
from dashboard.model.placenames import english_words
from dashboard.model.schema import COUNT_FIELDS, NON_INCIDENT_TYPES, Report
from dashboard.text.i18n import N_, gettext_for
from dashboard.text.message import Message, msg, msg_n


@dataclass(frozen=True)
class Finding:
    """One weak spot: which check found it, in which records, in which field and value."""

    check: str  # e.g. "duplicates"
    incident_ids: tuple[str, ...]  # the records concerned (two for a duplicate pair)
    field: str  # the field that shows it, e.g. "source_url", "fatalities"
    value: str  # the offending value or phrase, as found
    detail: str  # a sentence saying what is wrong and what would fix it (English)
    # The detail as a catalogue message, for reports shown in Spanish or English.
    message: Message | None = dataclasses.field(default=None, compare=False, repr=False)

    def detail_in(self, lang: str) -> str:
        """The detail in "es" or "en"."""
        return self.detail if self.message is None else self.message.text(lang)

    def __str__(self) -> str:
        ids = ", ".join(self.incident_ids)
        return f"{self.check}: {ids}: field {self.field!r} (value {self.value!r}): {self.detail}"


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _rows(frame: pd.DataFrame, columns: Iterable[str]):
    """Named tuples of just these columns (iterating all of them is several times slower)."""
    return frame[[c for c in columns if c in frame.columns]].itertuples(index=False)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A text column, or empty strings when the frame lacks it (optional columns)."""
    if name in frame.columns:
        return frame[name].map(_text)
    return pd.Series([""] * len(frame), index=frame.index, dtype=object)


# ------------------------------------------------------------------ non-article links

# Hosts of content-management back ends, editors and staging deployments: never the
# page a reader can open. Prefixes match the first label(s), suffixes the end of the host.
CMS_HOST_PREFIXES = (
    "admin.",
    "adminqr.",
    "cms.",
    "editor.",
    "staging.",
    "stage.",
    "dev.",
    "preview.",
    "backoffice.",
    "wp-admin.",
)
STAGING_HOST_SUFFIXES = (
    ".editor80.com",  # the CMS host behind e.g. La Silla Rota
    ".azurewebsites.net",
    ".herokuapp.com",
    ".netlify.app",
    ".vercel.app",
    ".pantheonsite.io",
    ".wpengine.com",
    ".wpenginepowered.com",
    ".appspot.com",
)
# Archive and mirror sites republish an article; the link should be the outlet's own.
MIRROR_HOSTS = (
    "esrt.space",
    "archive.today",
    "archive.ph",
    "archive.is",
    "archive.li",
    "archive.vn",
    "archive.fo",
    "archive.md",
    "web.archive.org",
    "webcache.googleusercontent.com",
    "ghostarchive.org",
    "12ft.io",
    "removepaywall.com",
)
# Path segments of section, tag, search and author listings (English and Spanish CMSs).
LISTING_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "etiqueta",
        "etiquetas",
        "tema",
        "temas",
        "topic",
        "topics",
        "category",
        "categories",
        "categoria",
        "categorias",
        "categoría",
        "categorías",
        "seccion",
        "sección",
        "section",
        "search",
        "buscar",
        "busqueda",
        "búsqueda",
        "resultados",
        "author",
        "authors",
        "autor",
        "autores",
        "page",
        "pagina",
        "página",
    }
)
LISTING_QUERY_KEYS = frozenset({"s", "q", "query", "search", "buscar", "page", "paged", "tag"})
# A query key that names one article (WordPress `?p=`, `article.php?id=`).
ARTICLE_QUERY_KEYS = frozenset({"p", "id", "articleid", "article_id", "nid", "story"})
_ARTICLE_SEGMENT = re.compile(r"(?:[^-/]+-){2,}[^-/]+|\d{4,}|[A-Z0-9]{16,}")


@lru_cache(maxsize=65536)  # the same links recur across records
def link_problem(url: str) -> Message | None:
    """Why a source link is not an article on its outlet's public site, or None.

    Kinds: a CMS/admin/editor or staging host, an archive mirror, or a listing page
    (home page, section, tag, search or author page; a folder path, ending in "/", with
    no article slug or id in it).
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if not host:
        return None  # not a URL at all: the validator reports that
    if host.startswith(CMS_HOST_PREFIXES) or host.endswith(STAGING_HOST_SUFFIXES):
        return msg(
            "{host} is a content-management, editor or staging host, not the public site",
            host=host,
        )
    if host in MIRROR_HOSTS or any(host.endswith("." + m) for m in MIRROR_HOSTS):
        return msg(
            "{host} is an archive or mirror; link the article on the outlet's own site", host=host
        )
    segments = [s for s in parts.path.split("/") if s]
    query = {k.lower(): v for k, v in parse_qsl(parts.query)}
    if ARTICLE_QUERY_KEYS & query.keys():
        return None
    if LISTING_QUERY_KEYS & query.keys():
        keys = ", ".join(sorted(LISTING_QUERY_KEYS & query.keys()))
        return msg("a search or listing page (query {keys}), not an article", keys=keys)
    if not segments:
        return msg("the outlet's home page, not an article")
    listing = [s for s in segments if s.lower() in LISTING_SEGMENTS]
    if listing:
        return msg(
            "a section, tag, search or author page (/{segment}/), not an article",
            segment=listing[0],
        )
    if parts.path.endswith("/") and not any(_ARTICLE_SEGMENT.search(s) for s in segments):
        return msg("a section or listing page (a folder path with no article slug or id)")
    return None


def non_article_links(frame: pd.DataFrame, id_column: str = "incident_id") -> list[Finding]:
    """Source links (`source_url`, `more_source_urls`) that are not article pages."""
    findings = []
    ids = _column(frame, id_column)
    for field in ("source_url", "more_source_urls"):
        for record, cell in zip(ids, _column(frame, field), strict=True):
            for url in cell.split():
                reason = link_problem(url)
                if reason:
                    findings.append(
                        Finding("non_article_links", (record,), field, url, str(reason), reason)
                    )
    return findings


# ------------------------------------------------------------------ summary counts

_UNITS = tuple(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]
)
_TENS = tuple(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)} | {
    w: 20 + 10 * i for i, w in enumerate(_TENS)
}
for _tens in _TENS:
    for _unit in _UNITS[1:10]:
        NUMBER_WORDS[f"{_tens}-{_unit}"] = NUMBER_WORDS[_tens] + NUMBER_WORDS[_unit]
NUMBER_WORDS["a dozen"] = 12

# A count: digits (not a time, percentage, kilometre post or part of a date) or words.
_WORDS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_NUM = rf"(?P<n>(?<![\d:.,])\d{{1,3}}(?:,\d{{3}})*(?![\d%:]|\.\d|-)|\b(?:{_WORDS})\b(?!-))"
_ONE = r"(?P<one>\b(?:a|an|one)\b)"
_W = r"[^\W\d_][\w'’-]*"  # a word (letters first): no commas or full stops in between
_GAP = rf"(?:(?!and\b|or\b|but\b|while\b|after\b|before\b){_W}\s+){{0,4}}"
_BE = r"(?:were|was|had\s+been|have\s+been|are|is)\s+(?:\w+ly\s+)?"
_LEAD = r"(?:at\s+least\s+|about\s+|some\s+|around\s+|nearly\s+|more\s+than\s+)?"

_KILLED = r"(?:killed|shot\s+dead|found\s+dead|executed|murdered)"
_WOUNDED = r"(?:wounded|injured|hurt|hospitali[sz]ed|taken\s+to\s+hospital)"
_ARRESTED = r"(?:arrested|detained|captured|recaptured|apprehended|caught)"


def _patterns(verb: str, active: str, nouns: str) -> list[re.Pattern]:
    return [
        re.compile(rf"{_LEAD}{_NUM}\s+{_GAP}{_BE}{verb}\b", re.IGNORECASE),
        re.compile(rf"{_ONE}\s+{_GAP}{_BE}{verb}\b", re.IGNORECASE),
        re.compile(rf"\b{active}\s+{_LEAD}(?:{_NUM}|{_ONE})\s+(?!of\s+(?:its|the|their)\b)", re.I),
        re.compile(rf"{_LEAD}{_NUM}\s+(?:{_W}\s+){{0,3}}?{nouns}\b", re.IGNORECASE),
    ]


# What a summary's count phrases mean for each count field. Sources: the verbs and nouns
# used by the bundled summaries ("two suspects were killed", "killing one attacker",
# "three troops wounded", "detained five men", "the arrest of three men", "48 arrests").
COUNT_PATTERNS: dict[str, list[re.Pattern]] = {
    "fatalities": _patterns(
        _KILLED, r"(?:killing|killed)", r"(?:died|dead|deaths|fatalities|were\s+killed)"
    ),
    "injured": _patterns(
        _WOUNDED,
        r"(?:wounding|injuring|wounded|injured)",
        r"(?:wounded|injured|injuries|were\s+hurt)",
    ),
    "arrested": [
        *_patterns(
            _ARRESTED,
            r"(?:arresting|detaining|arrested|detained|captured|recaptured|arrest\s+of)",
            r"(?:arrests|detainees|detentions|arrested|detained)",
        ),
    ],
    "blockades": [
        re.compile(
            rf"{_LEAD}{_NUM}\s+(?:(?:new|more|road|highway|separate|simultaneous|active|"
            rf"further|additional|other)\s+){{0,2}}(?:blockades|blockade\s+events|"
            rf"blockade\s+points|roadblocks|narcobloqueos|bloqueos)\b",
            re.IGNORECASE,
        )
    ],
}
_NONE_STATED = re.compile(r"\b(?:no|without|nobody|none|zero)\b", re.IGNORECASE)


def _count_value(match: re.Match) -> int:
    groups = match.groupdict()
    if groups.get("n"):
        word = re.sub(r"\s+", " ", groups["n"].lower())
        return NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word.replace(",", ""))
    return 1


# A summary without any of these stems states no count: the patterns are not run on it.
_COUNT_STEMS = re.compile(
    r"kill|dead|died|death|fatal|execut|murder|wound|injur|hurt|hospital|arrest|detain|"
    r"detent|captur|apprehend|caught|blockade|roadblock|bloqueo",
    re.IGNORECASE,
)


def stated_counts(summary: str) -> dict[str, tuple[int, str]]:
    """Counts a summary states, per count field: {field: (count, phrase)}.

    English number words ("two", "twenty-three", "a dozen") and digits count; "a"/"an"/"one"
    count as one only with a count verb ("a Colombian man was detained"). Times (09:20),
    percentages, ages ("two-year-old") and kilometre posts are not counts.
    """
    return dict(_stated_counts(summary))


@lru_cache(maxsize=4096)  # summaries repeat in imported files
def _stated_counts(summary: str) -> tuple[tuple[str, tuple[int, str]], ...]:
    found: dict[str, tuple[int, str]] = {}
    if not _COUNT_STEMS.search(summary):
        return ()
    for field, patterns in COUNT_PATTERNS.items():
        for pattern in patterns:
            for match in pattern.finditer(summary):
                count = _count_value(match)
                if count <= 0 or _NONE_STATED.search(match.group(0)):
                    continue
                if field not in found or count > found[field][0]:
                    found[field] = (count, match.group(0).strip())
    return tuple(found.items())


def summary_counts(frame: pd.DataFrame) -> list[Finding]:
    """Records whose summary states a count that their count fields lack.

    A field lacks a stated count when it is empty or zero; for `blockades`, whose empty
    value means "one" on a `blockade` record, a stated count above one is lacking.
    Official statements are skipped: their figures live in `notes` and in
    `official_counts.csv` by design (geodata/README.md).
    """
    findings = []
    for row in _rows(frame, ("incident_id", "event_type", "summary", *COUNT_FIELDS)):
        if row.event_type in NON_INCIDENT_TYPES:
            continue
        for field, (count, phrase) in stated_counts(_text(row.summary)).items():
            value = getattr(row, field)
            has = value is not None and not pd.isna(value) and int(value) > 0
            implied_one = field == "blockades" and row.event_type == "blockade" and count == 1
            if has or implied_one:
                continue
            detail = msg(
                "the summary states {count} ({phrase!r}) but {field} is empty",
                count=count,
                phrase=phrase,
                field=field,
            )
            findings.append(
                Finding("summary_counts", (row.incident_id,), field, phrase, str(detail), detail)
            )
    return findings


# ------------------------------------------------------------------ blockade tallies

# The most road blockades a record that is not a `blockade` may stand for: the one its own
# event made (a bus burned across an avenue). A larger count on it is a tally.
MAX_OTHER_TYPE_BLOCKADES = 1


def blockade_tallies(frame: pd.DataFrame) -> list[Finding]:
    """Records that are not `blockade` records but carry a `blockades` count above one.

    `blockades` counts road blockades only (issue 19). A burning, a clash or a statement
    may stand for the one blockade its event made; a count above that is a tally, and the
    tallies found in the bundled data counted every kind of event in a municipality
    (burnings and armed attacks with the blockades), which put Jalisco's located
    blockades above the Security Cabinet's figure. The fix is to move such a number to
    `notes`, saying what it counts and who gave it, or, where it really counts road
    blockades, to record them as a `blockade` record.
    """
    if "blockades" not in frame.columns:
        return []
    findings = []
    counts = pd.to_numeric(frame["blockades"], errors="coerce")
    tallies = frame[(counts > MAX_OTHER_TYPE_BLOCKADES) & (frame["event_type"] != "blockade")]
    for row in _rows(tallies, ("incident_id", "event_type", "blockades")):
        count = int(row.blockades)
        detail = msg_n(
            "a {kind} record counts {n} blockade, but the field counts road blockades only: "
            "move a tally of other events (burnings, attacks) to notes, or record the "
            "blockades as a blockade record",
            "a {kind} record counts {n} blockades, but the field counts road blockades "
            "only: move a tally of other events (burnings, attacks) to notes, or record the "
            "blockades as a blockade record",
            count,
            kind=row.event_type,
        )
        findings.append(
            Finding(
                "blockade_tallies", (row.incident_id,), "blockades", str(count), str(detail), detail
            )
        )
    return findings


# ------------------------------------------------------------------ duplicates

DUPLICATE_DISTANCE_M = 1000.0
# Mexico ITRF2008 / LCC (INEGI's national projection): metres across the whole country.
METRIC_CRS = "EPSG:6372"


# Optional columns marking two nearby records as distinct events (see `duplicates`).
DISTINCT_COLUMNS = ("distinct_from", "distinct_reason")


def _distinct_pairs(frame: pd.DataFrame) -> set[frozenset[str]]:
    """Pairs marked as distinct events: one lists the other in `distinct_from` (space-
    separated ids) and gives a non-empty `distinct_reason`."""
    pairs = set()
    for record, others, reason in zip(
        _column(frame, "incident_id"),
        _column(frame, "distinct_from"),
        _column(frame, "distinct_reason"),
        strict=True,
    ):
        if reason.strip():
            pairs.update(frozenset((record, other)) for other in others.split())
    return pairs


MAX_DUPLICATE_PAIRS = 5_000  # a file of thousands of co-located records: bounded work
_QUERY_CHUNK = 256  # points per tree query: bounds the candidate arrays of one query


def duplicate_pairs(
    frame: pd.DataFrame,
    distance_m: float = DUPLICATE_DISTANCE_M,
    limit: int = MAX_DUPLICATE_PAIRS,
) -> list[tuple[int, int, float]]:
    """Positions (i, j, metres) of record pairs of the same event type whose places are
    within `distance_m` and whose time intervals overlap, not marked distinct; at most
    `limit` pairs (the first found, by event type then position), so a hostile file of
    co-located records costs bounded time and memory.

    State-only records (`geo_precision` 3) are left out: their point is a placeholder, so
    nearness says nothing about their place.
    """
    if len(frame) < 2:
        return []
    points = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326").to_crs(
        METRIC_CRS
    )
    geoms = np.asarray(points.values)
    kinds = frame["event_type"].to_numpy(dtype=object)
    precise = frame["geo_precision"].to_numpy() != 3
    t0 = pd.DatetimeIndex(frame["t_start"]).asi8
    t1 = pd.DatetimeIndex(frame["t_end"]).asi8
    distinct = _distinct_pairs(frame)
    ids = frame["incident_id"].to_numpy(dtype=object)
    pairs: list[tuple[int, int, float]] = []
    for kind in pd.unique(kinds[precise]):  # one tree per event type: far fewer candidates
        members = np.flatnonzero(precise & (kinds == kind))
        if len(members) < 2:
            continue
        tree = shapely.STRtree(geoms[members])
        for begin in range(0, len(members), _QUERY_CHUNK):
            chunk = members[begin : begin + _QUERY_CHUNK]
            a, b = tree.query(geoms[chunk], predicate="dwithin", distance=distance_m)
            left, right = chunk[a], members[b]
            keep = (left < right) & (t0[left] < t1[right]) & (t0[right] < t1[left])
            left, right = left[keep], right[keep]
            order = np.lexsort((right, left))
            left, right = left[order], right[order]
            metres = shapely.distance(geoms[left], geoms[right])
            for i, j, d in zip(left.tolist(), right.tolist(), metres.tolist(), strict=True):
                if distinct and frozenset((ids[i], ids[j])) in distinct:
                    continue
                pairs.append((i, j, float(d)))
                if len(pairs) >= limit:
                    return pairs
    return pairs


def duplicates(frame: pd.DataFrame) -> list[Finding]:
    """Candidate duplicates: same event type, within 1 km, overlapping intervals."""
    findings = []
    ids = frame["incident_id"].to_numpy(dtype=object)
    kinds = frame["event_type"].to_numpy(dtype=object)
    for i, j, metres in duplicate_pairs(frame):
        kind = kinds[i]
        detail = msg(
            "two {kind} records {metres} m apart with overlapping times; merge them into one "
            "record with all sources, or mark them distinct (distinct_from and distinct_reason)",
            kind=kind,
            metres=f"{metres:,.0f}",
        )
        findings.append(
            Finding("duplicates", (ids[i], ids[j]), "event_type", kind, str(detail), detail)
        )
    return findings


# ------------------------------------------------------------------ unnamed part of day

# The parts of the day a text can name, English and Mexican newsroom Spanish.
PART_OF_DAY_WORDS = re.compile(
    r"\b(early\s+hours|small\s+hours|overnight|dawn|daybreak|morning|midday|noon|afternoon|"
    r"evening|night|madrugada|amanecer|mañana|mediodía|tarde|noche)\b",
    re.IGNORECASE,
)
# Phrases that name a part of the day without dating the event by it.
NOT_THE_EVENT = re.compile(
    r"\b(morning\s+(press\s+)?(conference|briefing)|night\s+curfew|mañanera|"
    r"good\s+morning|buenas\s+(tardes|noches))\b",
    re.IGNORECASE,
)


def named_part_of_day(text: str) -> str | None:
    """The first part of the day a text names (e.g. "evening", "madrugada"), or None."""
    for match in PART_OF_DAY_WORDS.finditer(NOT_THE_EVENT.sub(" ", text)):
        return match.group(1)
    return None


def unnamed_part_of_day(frame: pd.DataFrame) -> list[Finding]:
    """`part_of_day`-precision records with an empty `part_of_day` whose summary or notes
    name a part of the day: the time is known better than the record says."""
    findings = []
    unnamed = frame[
        (frame["time_precision"] == "part_of_day") & (_column(frame, "part_of_day") == "")
    ]
    for row in _rows(unnamed, ("incident_id", "summary", "notes")):
        for field in ("summary", "notes"):
            word = named_part_of_day(_text(getattr(row, field)))
            if word:
                detail = msg(
                    "the {field} names the part of the day ({word!r}) but part_of_day is empty",
                    field=field,
                    word=word,
                )
                findings.append(
                    Finding(
                        "unnamed_part_of_day",
                        (row.incident_id,),
                        "part_of_day",
                        "",
                        str(detail),
                        detail,
                    )
                )
                break
    return findings


# ------------------------------------------------------------------ Spanish text


def missing_spanish(
    frame: pd.DataFrame, id_column: str, english: str, spanish: str
) -> list[Finding]:
    """Records of the bundled data with English text in `english` but none in `spanish`
    (issue 8: every summary and key-moment headline exists in both languages).

    frame: one row per record with `id_column`, `english` and (if present) `spanish`
    columns; a frame without the `spanish` column lacks it on every record.
    """
    findings = []
    for record, text, translated in zip(
        _column(frame, id_column),
        _column(frame, english),
        _column(frame, spanish),
        strict=True,
    ):
        if text.strip() and not translated.strip():
            detail = msg(
                "the {field} has no Spanish text in {spanish}", field=english, spanish=spanish
            )
            findings.append(Finding("spanish_text", (record,), spanish, "", str(detail), detail))
    return findings


def missing_spanish_places(locations: pd.DataFrame) -> list[Finding]:
    """Places of the bundled data whose `place` is an English description
    (dashboard/model/placenames.py: "Toll booth near …", "… International Airport") with no
    Spanish form in `place_es`; a proper noun ("Tapalpa", "Col. Venecia") needs none.

    locations: one row per place with `location_id`, `place` and (if present) `place_es`.
    """
    findings = []
    for record, place, spanish in zip(
        _column(locations, "location_id"),
        _column(locations, "place"),
        _column(locations, "place_es"),
        strict=True,
    ):
        words = english_words(place)
        if words and not spanish.strip():
            detail = msg(
                "the place is an English description ({words}) and has no Spanish form in "
                "{spanish}",
                words=", ".join(words),
                spanish="place_es",
            )
            findings.append(
                Finding("spanish_place", (record,), "place_es", place, str(detail), detail)
            )
    return findings


# ------------------------------------------------------------------ running the checks

Check = Callable[[pd.DataFrame], list[Finding]]
# The checks `python -m dashboard validate` fails on for the bundled data (issue 11).
VALIDATION_CHECKS: dict[str, Check] = {
    "non_article_links": non_article_links,
    "summary_counts": summary_counts,
    "duplicates": duplicates,
    "unnamed_part_of_day": unnamed_part_of_day,
    "blockade_tallies": blockade_tallies,
}


def validation_findings(frame: pd.DataFrame) -> list[Finding]:
    """Every finding of the validation checks, check by check."""
    return [f for check in VALIDATION_CHECKS.values() for f in check(frame)]


def findings_report(
    findings: Iterable[Finding],
    file: str,
    rows: dict[str, int] | None = None,
    severity: str = "error",
    unit: str = "line",
) -> Report:
    """Findings as validation problems (file, row of the first record, field, value);
    `unit` says what `rows` count: "line" (CSV, header = line 1) or "feature" (GeoJSON)."""
    report = Report(unit=unit)
    rows = rows or {}
    for f in findings:
        ids = ", ".join(f.incident_ids)
        detail = f.detail if f.message is None else f.message
        report.add(
            file,
            rows.get(f.incident_ids[0]) if f.incident_ids else None,
            f.field,
            f.value,
            msg("{check} [{ids}]: {detail}", check=f.check, ids=ids, detail=detail),
            severity=severity,
        )
    return report


# ------------------------------------------------------------------ the quality view
# Tables an analyst sorts and downloads (page tab, `python -m dashboard quality`). Each
# starts with `incident_id` (the record to show on the map) and ends with `detail`.

SOCIAL_HOSTS = (
    "facebook.com",
    "fb.watch",
    "twitter.com",
    "x.com",
    "instagram.com",
    "tiktok.com",
    "youtube.com",
    "youtu.be",
    "t.me",
    "whatsapp.com",
    "threads.net",
)
SOCIAL_WORDS = re.compile(r"\b(social[- ]media|redes\s+sociales|viral|posted\s+online)\b", re.I)
# Words in notes that say sources disagree (a record may lack the `disputed` flag).
CONFLICT_WORDS = re.compile(
    r"\b(differ\w*|conflict\w*|contradict\w*|disagree\w*|discrepan\w*|vs\.?|versus|"
    r"another\s+outlet|other\s+outlets?|unclear|ambiguous|not\s+confirmed|denie[sd])\b",
    re.IGNORECASE,
)
_CAVEAT = re.compile(r"^\s*(coords?|coordinates)\b", re.IGNORECASE)


@lru_cache(maxsize=65536)
def host(url: str) -> str:
    """The host of a URL without "www.", lower case ("" when there is none)."""
    name = (urlsplit(url.strip()).hostname or "").lower()
    return name.removeprefix("www.")


def _is_social(url: str) -> bool:
    name = host(url)
    return any(name == h or name.endswith("." + h) for h in SOCIAL_HOSTS)


def _urls(row) -> list[str]:
    return [_text(row.source_url), *_text(row.more_source_urls).split()]


def _when(row) -> str:
    start = row.start
    text = "" if start is None or pd.isna(start) else pd.Timestamp(start).isoformat("T", "minutes")
    return f"{text} ({row.time_precision}{', ' + row.part_of_day if row.part_of_day else ''})"


def competing_figures(notes: str) -> str:
    """The parts of a record's notes that carry figures (digits), without the standing
    caveat about coordinates: where the notes keep the sources' competing numbers."""
    parts = re.split(r"\s*\|\s*|(?<=[.;])\s+", notes)
    kept = [p.strip() for p in parts if re.search(r"\d", p) and not _CAVEAT.match(p)]
    return " · ".join(kept)


def outside_state_table(
    frame: pd.DataFrame, states: gpd.GeoDataFrame, lang: str = "en"
) -> pd.DataFrame:
    """Records whose point is not inside their declared state's polygon (full-resolution
    boundaries): where the point is instead, and how far (km) from the declared state.
    `detail` (and `point_in` off every state) in `lang`."""
    from dashboard.model.mexico import BY_CODE

    columns = ["incident_id", "declared_state", "point_in", "km_outside", "place", "detail"]
    placed = frame[frame["geo_precision"] != 3]
    if placed.empty:
        return pd.DataFrame(columns=columns)
    points = shapely.points(placed["lon"].to_numpy(), placed["lat"].to_numpy())
    codes = states["cve_ent"].tolist()
    by_code = dict(zip(codes, states.geometry.values, strict=True))
    found = np.full(len(placed), None, dtype=object)
    hit_point, hit_state = shapely.STRtree(states.geometry.values).query(points, predicate="within")
    found[hit_point] = np.asarray(codes, dtype=object)[hit_state]
    declared_codes = placed["cve_ent"].to_numpy(dtype=object)
    rows = []
    for k in np.flatnonzero(found != declared_codes).tolist():
        declared = by_code.get(declared_codes[k])
        if declared is None or (found[k] is None and declared.covers(points[k])):
            continue  # unknown code (the validator says so), or a point on the border line
        where = BY_CODE[found[k]].name if found[k] else msg("no state (coast or border)").text(lang)
        metric = gpd.GeoSeries([declared, points[k]], crs="EPSG:4326").to_crs(METRIC_CRS)
        km = round(float(metric.iloc[0].distance(metric.iloc[1])) / 1000, 1)
        declared_name = BY_CODE[declared_codes[k]].name
        record = placed.iloc[k]
        rows.append(
            {
                "incident_id": record["incident_id"],
                "declared_state": declared_name,
                "point_in": where,
                "km_outside": km,
                "place": _text(record.get("place")),
                "detail": msg(
                    "point lies in {where}, {km} km outside {declared}",
                    where=where,
                    km=km,
                    declared=declared_name,
                ).text(lang),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def duplicates_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Candidate duplicates with their evidence side by side: both records' time, place,
    summary and main source; `detail` in `lang`."""
    columns = [
        "incident_id",
        "other_id",
        "event_type",
        "metres_apart",
        "when",
        "other_when",
        "place",
        "other_place",
        "summary",
        "other_summary",
        "source",
        "other_source",
        "detail",
    ]
    rows = []
    records = list(
        _rows(
            frame,
            (
                "incident_id",
                "event_type",
                "start",
                "time_precision",
                "part_of_day",
                "place",
                "summary",
                "source_url",
            ),
        )
    )
    for i, j, metres in duplicate_pairs(frame):
        a, b = records[i], records[j]
        rows.append(
            {
                "incident_id": a.incident_id,
                "other_id": b.incident_id,
                "event_type": a.event_type,
                "metres_apart": round(metres),
                "when": _when(a),
                "other_when": _when(b),
                "place": _text(a.place),
                "other_place": _text(b.place),
                "summary": _text(a.summary),
                "other_summary": _text(b.summary),
                "source": _text(a.source_url),
                "other_source": _text(b.source_url),
                "detail": msg(
                    "same type, {metres} m apart, overlapping times", metres=round(metres)
                ).text(lang),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def disputed_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Records flagged `disputed`, and unflagged ones whose notes say sources disagree,
    with the figures their notes keep; `detail` in `lang` (the notes' words as written)."""
    columns = ["incident_id", "flagged", "event_type", "competing_figures", "notes", "detail"]
    rows = []
    for row in _rows(frame, ("incident_id", "disputed", "event_type", "notes")):
        notes = _text(row.notes)
        flagged = bool(row.disputed)
        hint = CONFLICT_WORDS.search(notes)
        if not (flagged or hint):
            continue
        figures = competing_figures(notes)
        rows.append(
            {
                "incident_id": row.incident_id,
                "flagged": flagged,
                "event_type": row.event_type,
                "competing_figures": figures,
                "notes": notes,
                "detail": (
                    msg("flagged disputed").text(lang)
                    if flagged
                    else msg(
                        "not flagged disputed, but the notes say {word!r}", word=hint.group(0)
                    ).text(lang)
                )
                + (f": {figures}" if figures else ""),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def named_outlets(outlet: str) -> list[str]:
    """The outlets a `source_outlet` cell names: ACLED imports list several after
    acled.SOURCE_PREFIX, separated by ";" (ACLED's own `source` format); ours name one."""
    text = outlet.removeprefix(SOURCE_PREFIX)
    return [name.strip() for name in text.split(";") if name.strip()]


def _sources_of(row) -> tuple[list[str], list[str]]:
    """(the record's source links, the outlets it names where it has no link)."""
    urls = [u for u in _urls(row) if u]
    return urls, [] if urls else named_outlets(_text(row.source_outlet))


def weak_sources_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Records resting on one source (one link, or for link-less imports such as ACLED's,
    one named outlet), or on social media only. `kind` is a key ("single source", "social
    media only"); `detail` says it in `lang`."""
    columns = ["incident_id", "kind", "source_outlet", "sources", "confidence", "detail"]
    rows = []
    fields = ("incident_id", "source_url", "more_source_urls", "source_outlet", "confidence")
    for row in _rows(frame, (*fields, "notes", "summary")):
        urls, outlets = _sources_of(row)
        social = bool(urls) and all(_is_social(u) for u in urls)
        said = _text(row.confidence) == "low" and SOCIAL_WORDS.search(
            f"{_text(row.notes)} {_text(row.summary)}"
        )
        count = len(urls) or len(outlets)
        if social or said:
            kind = "social media only"
        elif count <= 1:
            kind = "single source"
        else:
            continue
        if urls:
            named = _text(row.source_outlet) or host(urls[0])
        else:
            named = ", ".join(outlets) or msg("none named").text(lang)
        rows.append(
            {
                "incident_id": row.incident_id,
                "kind": kind,
                "source_outlet": _text(row.source_outlet),
                "sources": count,
                "confidence": _text(row.confidence),
                "detail": (
                    msg("social media only ({named})", named=named)
                    if kind == "social media only"
                    else msg("single source ({named})", named=named)
                ).text(lang),
            }
        )
    return pd.DataFrame(rows, columns=columns)


# Time precisions coarser than a part of the day (ACLED's week and month included).
COARSE_TIME = {
    "day": msg("time known only to the day"),
    "week": msg("time known only to the week"),
    "month": msg("time known only to the month"),
}


def imprecise_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Records known only to the day, week or month (or an unnamed part of a day), or only
    to the state; `detail` in `lang`."""
    columns = ["incident_id", "time_precision", "part_of_day", "geo_precision", "detail"]
    unnamed = (frame["time_precision"] == "part_of_day") & (_column(frame, "part_of_day") == "")
    coarse = frame["time_precision"].isin(list(COARSE_TIME)) | unnamed
    state = frame["geo_precision"] == 3
    rows = []
    for row, is_coarse, is_state in zip(
        _rows(frame, ("incident_id", "time_precision", "part_of_day", "geo_precision")),
        coarse.tolist(),
        state.tolist(),
        strict=True,
    ):
        if not (is_coarse or is_state):
            continue
        span = COARSE_TIME.get(row.time_precision, COARSE_TIME["day"])
        parts = ([span.text(lang)] if is_coarse else []) + (
            [msg("place known only to the state").text(lang)] if is_state else []
        )
        rows.append(
            {
                "incident_id": row.incident_id,
                "time_precision": row.time_precision,
                "part_of_day": _text(row.part_of_day),
                "geo_precision": int(row.geo_precision),
                "detail": "; ".join(parts),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def outlets_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Sources by outlet (the link's host; for link-less imports such as ACLED's, the
    outlet's name): records citing it, as main source, and resting on it alone;
    `share_of_map` = records citing it / records in view (percent); `detail` in `lang`."""
    columns = [
        "outlet",
        "names",
        "records",
        "main_source",
        "only_source",
        "share_of_map",
        "incident_ids",
        "detail",
    ]
    cited: dict[str, set[str]] = {}
    main: dict[str, int] = {}
    only: dict[str, int] = {}
    names: dict[str, set[str]] = {}
    for row in _rows(frame, ("incident_id", "source_url", "more_source_urls", "source_outlet")):
        urls, outlets = _sources_of(row)
        keys = list(dict.fromkeys([host(u) for u in urls if host(u)] or outlets))
        for key in keys:
            cited.setdefault(key, set()).add(row.incident_id)
        if keys:
            main[keys[0]] = main.get(keys[0], 0) + 1
            if urls and _text(row.source_outlet):
                names.setdefault(keys[0], set()).add(_text(row.source_outlet))
            if len(keys) == 1:
                only[keys[0]] = only.get(keys[0], 0) + 1
    total = max(len(frame), 1)
    rows = [
        {
            "outlet": h,
            "names": ", ".join(sorted(names.get(h, ()))),
            "records": len(ids),
            "main_source": main.get(h, 0),
            "only_source": only.get(h, 0),
            "share_of_map": round(100 * len(ids) / total, 1),
            "incident_ids": " ".join(sorted(ids)),
            "detail": msg_n(
                "cited by {n} record ({share} of the map), the only source of {only}",
                "cited by {n} records ({share} of the map), the only source of {only}",
                len(ids),
                share=f"{100 * len(ids) / total:.1f}%",
                only=only.get(h, 0),
            ).text(lang),
        }
        for h, ids in cited.items()
    ]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["records", "outlet"], ascending=[False, True]).reset_index(drop=True)


def links_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The `non_article_links` findings as a table: record, field, link and why (in `lang`)."""
    columns = ["incident_id", "field", "url", "detail"]
    rows = [
        {
            "incident_id": f.incident_ids[0],
            "field": f.field,
            "url": f.value,
            "detail": f.detail_in(lang),
        }
        for f in non_article_links(frame)
    ]
    return pd.DataFrame(rows, columns=columns)


# name -> title shown to analysts (an English message id: show it with
# i18n.gettext_for(lang, title)). Order = order on the page.
QUALITY_VIEWS: dict[str, str] = {
    "outside_state": N_("Points outside their declared state"),
    "duplicates": N_("Candidate duplicates"),
    "disputed": N_("Disputed records and competing figures"),
    "weak_sources": N_("Single-source and social-media-only records"),
    "imprecise": N_("Known only to the day (or week, month) or the state"),
    "outlets": N_("Sources by outlet"),
    "non_article_links": N_("Links that are not article pages"),
    "summary_counts": N_("Counts stated in summaries but missing"),
    "unnamed_part_of_day": N_("Part of day named in the text but not recorded"),
    "blockade_tallies": N_("Blockade counts on records that are not blockades"),
}


def _findings_table(findings: list[Finding], lang: str = "en") -> pd.DataFrame:
    rows = [
        {
            "incident_id": f.incident_ids[0],
            "field": f.field,
            "value": f.value,
            "detail": f.detail_in(lang),
        }
        for f in findings
    ]
    return pd.DataFrame(rows, columns=["incident_id", "field", "value", "detail"])


def quality_tables(
    frame: pd.DataFrame, states: gpd.GeoDataFrame | None = None, lang: str = "en"
) -> dict[str, pd.DataFrame]:
    """Every quality table for the records in `frame` (QUALITY_VIEWS order). With
    `states` (full-resolution boundaries) the outside-state table is filled. Column names
    and keys stay English; each `detail` is in `lang` ("es" or "en")."""
    frame = frame.reset_index(drop=True)
    tables = {
        "outside_state": (
            outside_state_table(frame, states, lang)
            if states is not None
            else pd.DataFrame(columns=["incident_id", "detail"])
        ),
        "duplicates": duplicates_table(frame, lang),
        "disputed": disputed_table(frame, lang),
        "weak_sources": weak_sources_table(frame, lang),
        "imprecise": imprecise_table(frame, lang),
        "outlets": outlets_table(frame, lang),
        "non_article_links": links_table(frame, lang),
        "summary_counts": _findings_table(summary_counts(frame), lang),
        "unnamed_part_of_day": _findings_table(unnamed_part_of_day(frame), lang),
        "blockade_tallies": _findings_table(blockade_tallies(frame), lang),
    }
    return {name: tables[name] for name in QUALITY_VIEWS}


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
