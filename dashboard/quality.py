"""Data-quality findings over the incidents frame: the weak spots an analyst should see.

Every check is a pure function of the incidents frame as `dashboard/bundle.py` (or
`validate_incidents` for an uploaded file) builds it: one row per record with
`incident_id`, `event_type`, the count fields, `summary`, `notes`, `source_url`,
`more_source_urls`, `time_precision`, `part_of_day`, `t_start`/`t_end` (UTC, the
interval from `dashboard/timing.py`), `lat`/`lon` (degrees WGS84) and `geo_precision`.
Each returns a list of `Finding`s; none of them changes the frame.

The four checks in `VALIDATION_CHECKS` are the ones `python -m dashboard validate` fails
on for the bundled data (issue 11, "checks that keep the kinds fixed"): they find kinds
of defect an independent review of the data found (CMS, staging and mirror links; counts
stated in a summary but missing from the count fields; one event recorded twice; a
part of the day named in the text but not in `part_of_day`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .schema import NON_INCIDENT_TYPES, Report


@dataclass(frozen=True)
class Finding:
    """One weak spot: which check found it, in which records, in which field and value."""

    check: str  # e.g. "duplicates"
    incident_ids: tuple[str, ...]  # the records concerned (two for a duplicate pair)
    field: str  # the field that shows it, e.g. "source_url", "fatalities"
    value: str  # the offending value or phrase, as found
    detail: str  # a sentence saying what is wrong and what would fix it

    def __str__(self) -> str:
        ids = ", ".join(self.incident_ids)
        return f"{self.check}: {ids}: field {self.field!r} (value {self.value!r}): {self.detail}"


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


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


def link_problem(url: str) -> str | None:
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
        return f"{host} is a content-management, editor or staging host, not the public site"
    if host in MIRROR_HOSTS or any(host.endswith("." + m) for m in MIRROR_HOSTS):
        return f"{host} is an archive or mirror; link the article on the outlet's own site"
    segments = [s for s in parts.path.split("/") if s]
    query = {k.lower(): v for k, v in parse_qsl(parts.query)}
    if ARTICLE_QUERY_KEYS & query.keys():
        return None
    if LISTING_QUERY_KEYS & query.keys():
        keys = ", ".join(sorted(LISTING_QUERY_KEYS & query.keys()))
        return f"a search or listing page (query {keys}), not an article"
    if not segments:
        return "the outlet's home page, not an article"
    listing = [s for s in segments if s.lower() in LISTING_SEGMENTS]
    if listing:
        return f"a section, tag, search or author page (/{listing[0]}/), not an article"
    if parts.path.endswith("/") and not any(_ARTICLE_SEGMENT.search(s) for s in segments):
        return "a section or listing page (a folder path with no article slug or id)"
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
                    findings.append(Finding("non_article_links", (record,), field, url, reason))
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


def stated_counts(summary: str) -> dict[str, tuple[int, str]]:
    """Counts a summary states, per count field: {field: (count, phrase)}.

    English number words ("two", "twenty-three", "a dozen") and digits count; "a"/"an"/"one"
    count as one only with a count verb ("a Colombian man was detained"). Times (09:20),
    percentages, ages ("two-year-old") and kilometre posts are not counts.
    """
    found: dict[str, tuple[int, str]] = {}
    for field, patterns in COUNT_PATTERNS.items():
        for pattern in patterns:
            for match in pattern.finditer(summary):
                count = _count_value(match)
                if count <= 0 or _NONE_STATED.search(match.group(0)):
                    continue
                if field not in found or count > found[field][0]:
                    found[field] = (count, match.group(0).strip())
    return found


def summary_counts(frame: pd.DataFrame) -> list[Finding]:
    """Records whose summary states a count that their count fields lack.

    A field lacks a stated count when it is empty or zero; for `blockades`, whose empty
    value means "one" on a `blockade` record, a stated count above one is lacking.
    Official statements are skipped: their figures live in `notes` and in
    `official_counts.csv` by design (geodata/README.md).
    """
    findings = []
    for row in frame.itertuples(index=False):
        if row.event_type in NON_INCIDENT_TYPES:
            continue
        for field, (count, phrase) in stated_counts(_text(row.summary)).items():
            value = getattr(row, field)
            has = value is not None and not pd.isna(value) and int(value) > 0
            implied_one = field == "blockades" and row.event_type == "blockade" and count == 1
            if has or implied_one:
                continue
            findings.append(
                Finding(
                    "summary_counts",
                    (row.incident_id,),
                    field,
                    phrase,
                    f"the summary states {count} ({phrase!r}) but {field} is empty",
                )
            )
    return findings


# ------------------------------------------------------------------ duplicates

DUPLICATE_DISTANCE_M = 1000.0
# Mexico ITRF2008 / LCC (INEGI's national projection): metres across the whole country.
METRIC_CRS = "EPSG:6372"


# Optional columns marking two nearby records as distinct events (see `duplicates`).
DISTINCT_COLUMNS = ("distinct_from", "distinct_reason")


def with_raw_columns(
    frame: pd.DataFrame, records: Iterable[dict], columns: Iterable[str] = DISTINCT_COLUMNS
) -> pd.DataFrame:
    """The frame with optional text columns it lacks, taken from the file's raw rows by
    `incident_id` (the validated frame keeps only the schema's columns)."""
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return frame
    by_id = {str(r.get("incident_id") or ""): r for r in records}
    extra = {
        c: [_text(by_id.get(i, {}).get(c)).strip() for i in frame["incident_id"]] for c in missing
    }
    return frame.assign(**extra)


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


def duplicate_pairs(
    frame: pd.DataFrame, distance_m: float = DUPLICATE_DISTANCE_M
) -> list[tuple[int, int, float]]:
    """Positions (i, j, metres) of record pairs of the same event type whose places are
    within `distance_m` and whose time intervals overlap, not marked distinct.

    State-only records (`geo_precision` 3) are left out: their point is a placeholder, so
    nearness says nothing about their place.
    """
    if len(frame) < 2:
        return []
    points = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326").to_crs(
        METRIC_CRS
    )
    geoms = np.asarray(points.values)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=distance_m)
    keep = left < right
    left, right = left[keep], right[keep]
    kinds = frame["event_type"].to_numpy()
    precise = frame["geo_precision"].to_numpy() != 3
    t0 = frame["t_start"].to_numpy()
    t1 = frame["t_end"].to_numpy()
    same = (
        (kinds[left] == kinds[right])
        & precise[left]
        & precise[right]
        & (t0[left] < t1[right])
        & (t0[right] < t1[left])
    )
    left, right = left[same], right[same]
    distinct = _distinct_pairs(frame)
    ids = frame["incident_id"].to_numpy()
    pairs = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if frozenset((ids[i], ids[j])) in distinct:
            continue
        pairs.append((i, j, float(shapely.distance(geoms[i], geoms[j]))))
    return pairs


def duplicates(frame: pd.DataFrame) -> list[Finding]:
    """Candidate duplicates: same event type, within 1 km, overlapping intervals."""
    findings = []
    ids = frame["incident_id"].to_numpy()
    for i, j, metres in duplicate_pairs(frame):
        kind = frame["event_type"].iloc[i]
        findings.append(
            Finding(
                "duplicates",
                (ids[i], ids[j]),
                "event_type",
                kind,
                f"two {kind} records {metres:,.0f} m apart with overlapping times; merge them "
                "into one record with all sources, or mark them distinct (distinct_from and "
                "distinct_reason)",
            )
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
    for row in unnamed.itertuples(index=False):
        for field in ("summary", "notes"):
            word = named_part_of_day(_text(getattr(row, field)))
            if word:
                findings.append(
                    Finding(
                        "unnamed_part_of_day",
                        (row.incident_id,),
                        "part_of_day",
                        "",
                        f"the {field} names the part of the day ({word!r}) but part_of_day "
                        "is empty",
                    )
                )
                break
    return findings


# ------------------------------------------------------------------ running the checks

Check = Callable[[pd.DataFrame], list[Finding]]
# The checks `python -m dashboard validate` fails on for the bundled data (issue 11).
VALIDATION_CHECKS: dict[str, Check] = {
    "non_article_links": non_article_links,
    "summary_counts": summary_counts,
    "duplicates": duplicates,
    "unnamed_part_of_day": unnamed_part_of_day,
}


def validation_findings(frame: pd.DataFrame) -> list[Finding]:
    """Every finding of the four validation checks, check by check."""
    return [f for check in VALIDATION_CHECKS.values() for f in check(frame)]


def findings_report(
    findings: Iterable[Finding],
    file: str,
    rows: dict[str, int] | None = None,
    severity: str = "error",
) -> Report:
    """Findings as validation problems (file, row of the first record, field, value)."""
    report = Report()
    rows = rows or {}
    for f in findings:
        ids = ", ".join(f.incident_ids)
        report.add(
            file,
            rows.get(f.incident_ids[0]) if f.incident_ids else None,
            f.field,
            f.value,
            f"{f.check} [{ids}]: {f.detail}",
            severity=severity,
        )
    return report
