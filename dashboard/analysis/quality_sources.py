"""What the map rests on: records resting on one source or on social media only
(`weak_sources`), sources by outlet (`outlets`), and records whose sources disagree
(`disputed`; what `validate` finds in them is `quality_disputes.py`). Quality-view tables:
a single source is a weakness to show, not an error.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.analysis.quality_disputes import competing_values
from dashboard.analysis.quality_findings import cell_text, rows_of
from dashboard.analysis.quality_links import host
from dashboard.ingest.acled import SOURCE_PREFIX
from dashboard.text.message import msg, msg_n

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


def _is_social(url: str) -> bool:
    name = host(url)
    return any(name == h or name.endswith("." + h) for h in SOCIAL_HOSTS)


def _urls(row) -> list[str]:
    return [cell_text(row.source_url), *cell_text(row.more_source_urls).split()]


def competing_figures(notes: str) -> str:
    """The parts of a record's notes that carry figures (digits), without the standing
    caveat about coordinates: where the notes keep the sources' competing numbers."""
    parts = re.split(r"\s*\|\s*|(?<=[.;])\s+", notes)
    kept = [p.strip() for p in parts if re.search(r"\d", p) and not _CAVEAT.match(p)]
    return " · ".join(kept)


def disputed_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Records flagged `disputed`, and unflagged ones whose notes say sources disagree,
    with the figures their notes keep; `detail` in `lang` (the notes' words as written)."""
    columns = ["incident_id", "flagged", "event_type", "competing_figures", "notes", "detail"]
    rows = []
    for row in rows_of(frame, ("incident_id", "disputed", "event_type", "notes", "summary")):
        notes = cell_text(row.notes)
        flagged = bool(row.disputed)
        found = CONFLICT_WORDS.search(notes)
        hint = found.group(0) if found else competing_values(notes, cell_text(row.summary))
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
                    else msg("not flagged disputed, but the notes say {word!r}", word=hint).text(
                        lang
                    )
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
    return urls, [] if urls else named_outlets(cell_text(row.source_outlet))


def weak_sources_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Records resting on one source (one link, or for link-less imports such as ACLED's,
    one named outlet), or on social media only. `kind` is a key ("single source", "social
    media only"); `detail` says it in `lang`."""
    columns = ["incident_id", "kind", "source_outlet", "sources", "confidence", "detail"]
    rows = []
    fields = ("incident_id", "source_url", "more_source_urls", "source_outlet", "confidence")
    for row in rows_of(frame, (*fields, "notes", "summary")):
        urls, outlets = _sources_of(row)
        social = bool(urls) and all(_is_social(u) for u in urls)
        said = cell_text(row.confidence) == "low" and SOCIAL_WORDS.search(
            f"{cell_text(row.notes)} {cell_text(row.summary)}"
        )
        count = len(urls) or len(outlets)
        if social or said:
            kind = "social media only"
        elif count <= 1:
            kind = "single source"
        else:
            continue
        if urls:
            named = cell_text(row.source_outlet) or host(urls[0])
        else:
            named = ", ".join(outlets) or msg("none named").text(lang)
        rows.append(
            {
                "incident_id": row.incident_id,
                "kind": kind,
                "source_outlet": cell_text(row.source_outlet),
                "sources": count,
                "confidence": cell_text(row.confidence),
                "detail": (
                    msg("social media only ({named})", named=named)
                    if kind == "social media only"
                    else msg("single source ({named})", named=named)
                ).text(lang),
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
    for row in rows_of(frame, ("incident_id", "source_url", "more_source_urls", "source_outlet")):
        urls, outlets = _sources_of(row)
        keys = list(dict.fromkeys([host(u) for u in urls if host(u)] or outlets))
        for key in keys:
            cited.setdefault(key, set()).add(row.incident_id)
        if keys:
            main[keys[0]] = main.get(keys[0], 0) + 1
            if urls and cell_text(row.source_outlet):
                names.setdefault(keys[0], set()).add(cell_text(row.source_outlet))
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
