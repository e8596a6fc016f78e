"""The `confidence` check: a record's `confidence` agrees with the number of distinct
outlets it cites, per the data dictionary (geodata/README.md, `incidents.csv`):
`medium` = a single outlet, `low` = social media based or contradicted, so `high` needs
at least two distinct outlets.

Outlets are counted by the hosts of `source_url` and `more_source_urls` (without "www.";
an AMP or mobile copy counts as its article's host, a republisher's copy as the outlet it
republishes, an aggregator not at all: `quality_links.copy_kind`); a record without links
(an ACLED import) counts the outlets its `source_outlet` names.
"""

from __future__ import annotations

import pandas as pd
import pyarrow.compute as pc

from dashboard.analysis.quality_findings import Finding, arrow_column, cell_text, rows_of
from dashboard.analysis.quality_links import copy_kind, host
from dashboard.analysis.quality_sources import named_outlets
from dashboard.text.message import msg_n

HIGH_OUTLETS = 2  # the fewest distinct outlets a `high` rating needs


def outlet_of(url: str) -> str:
    """The outlet a link stands for: its host without "www.", the article's host for an
    AMP or mobile copy, the original outlet's for a republisher's copy, "" for an
    aggregator's."""
    kind = copy_kind(url)
    if kind is None:
        return host(url)
    what, original = kind
    if what == "aggregator":
        return ""
    if what == "republisher":
        return original
    return original.split("/", 1)[0]


def distinct_outlets(source_url: str, more_source_urls: str, source_outlet: str = "") -> set[str]:
    """The distinct outlets a record cites (the module's docstring)."""
    urls = [u for u in [*source_url.split(), *more_source_urls.split()] if u]
    if not urls:
        return {name.lower() for name in named_outlets(source_outlet)}
    return {o for o in (outlet_of(u) for u in urls) if o}


def confidence_mismatches(frame: pd.DataFrame) -> list[Finding]:
    """Records rated `high` that cite fewer than two distinct outlets."""
    findings = []
    fields = ("incident_id", "confidence", "source_url", "more_source_urls", "source_outlet")
    high = pc.equal(arrow_column(frame, "confidence"), "high").to_numpy(zero_copy_only=False)
    for row in rows_of(frame, fields, high):  # only the records rated high
        outlets = distinct_outlets(
            cell_text(row.source_url),
            cell_text(row.more_source_urls),
            cell_text(getattr(row, "source_outlet", "")),
        )
        if len(outlets) < HIGH_OUTLETS:
            detail = msg_n(
                "rated high but cites {n} distinct outlet ({outlets}); the data dictionary "
                "gives a single outlet medium: lower the rating or cite a second outlet",
                "rated high but cites {n} distinct outlets ({outlets}); the data dictionary "
                "gives a single outlet medium: lower the rating or cite a second outlet",
                len(outlets),
                outlets=", ".join(sorted(outlets)) or "-",
            )
            findings.append(
                Finding("confidence", (row.incident_id,), "confidence", "high", str(detail), detail)
            )
    return findings
