"""Checks of the count fields against what the records say: `summary_counts` (a count a
summary states that the fields lack) and `blockade_tallies` (a tally of other events kept
in `blockades` on a record that is not a blockade).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from dashboard.analysis.quality_findings import Finding, cell_text, rows_of
from dashboard.model.schema import COUNT_FIELDS, NON_INCIDENT_TYPES
from dashboard.text.message import msg, msg_n

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


# A number that names a road, a kilometre post or an exit ("Carretera 15", "Km 23",
# "Highway 200", "Autopista 150D", "No. 4") is part of a place's name, not a count.
_ROAD_NUMBER = re.compile(
    r"(?:\b(?:carretera|km|kms|kil[oó]metros?|kilometres?|kilometers?|autopista|highway|hwy|"
    r"route|ruta|federal|calle|avenida|av|boulevard|blvd|exit|salida|tramo|libramiento|"
    r"no|n[uú]m|n[uú]mero|number)\.?|#|\bn[°º])\s*$",
    re.IGNORECASE,
)


def _names_a_place(text: str, match: re.Match) -> bool:
    """Whether the match's count (digits) follows a road or kilometre-post word."""
    start = match.start("n") if match.groupdict().get("n") else -1
    return start >= 0 and text[start].isdigit() and bool(_ROAD_NUMBER.search(text[:start]))


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
    percentages, ages ("two-year-old"), kilometre posts and the numbers of roads and exits
    ("Carretera 15 blockades", "Km 23 roadblocks": `_ROAD_NUMBER`) are not counts."""
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
                if _names_a_place(summary, match):
                    continue
                if field not in found or count > found[field][0]:
                    found[field] = (count, match.group(0).strip())
    return tuple(found.items())


def _without_place(row) -> str:
    """The summary without the record's place name (a place such as "Main access road
    (4 blockades with burned vehicles)" states no count of this record)."""
    summary, place = cell_text(row.summary), cell_text(getattr(row, "place", "")).strip()
    return summary.replace(place, " ") if place else summary


def summary_counts(frame: pd.DataFrame) -> list[Finding]:
    """Records whose summary states a count that their count fields lack.

    A field lacks a stated count when it is empty or zero; for `blockades`, whose empty
    value means "one" on a `blockade` record, a stated count above one is lacking.
    Official statements are skipped: their figures live in `notes` and in
    `official_counts.csv` by design (geodata/README.md). Counts are read from the summary
    only, without the record's `place` (a place's name states no count of the record).
    """
    findings = []
    if frame.empty:
        return findings
    # Only summaries with a count stem can state a count: found in one vectorised pass
    # (Arrow's regex engine), so a country file's rows are not each visited in Python.
    summary = frame["summary"].astype("string").fillna("")
    maybe = summary.str.contains(_COUNT_STEMS.pattern, case=False, regex=True).to_numpy(bool)
    fields = ("incident_id", "event_type", "summary", "place", *COUNT_FIELDS)
    for row in rows_of(frame, fields, maybe):
        if row.event_type in NON_INCIDENT_TYPES:
            continue
        for field, (count, phrase) in stated_counts(_without_place(row)).items():
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

    `blockades` counts road blockades only. A burning, a clash or a statement
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
    for row in rows_of(tallies, ("incident_id", "event_type", "blockades")):
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
