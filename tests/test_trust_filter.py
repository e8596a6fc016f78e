"""The trust filter: disputed and single-source records left out of every figure, said
with the figures and kept in the permalink (issue 24, item 6)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pandas as pd
import pytest

from dashboard.analysis.filters import ViewSpec, apply, source_count, trusted_mask
from dashboard.analysis.permalink import PageView, parse_query, to_params, to_query
from dashboard.analysis.stats import key_figures, state_counts
from dashboard.model.mexico import MEXICO_CITY
from tests.conftest import run_cli_in_process

SOURCES = [
    # (case, disputed, source_url, more_source_urls, source_outlet, sources, kept)
    ("two links", False, "https://a.mx/1", "https://b.mx/2", "A", 2, True),
    ("one link", False, "https://a.mx/1", "", "A", 1, False),
    ("disputed, 3 links", True, "https://a.mx/1", "https://b.mx/2 https://c.mx/3", "A", 3, False),
    ("ACLED, two outlets", False, "", "", "Sources (per ACLED): Milenio; El Universal", 2, True),
    ("ACLED, one outlet", False, "", "", "Sources (per ACLED): Milenio", 1, False),
    ("no source at all", False, "", "", "", 0, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "disputed", "url", "more", "outlet", "sources", "kept"),
    SOURCES,
    ids=[c[0] for c in SOURCES],
)
def test_what_the_trust_filter_keeps(case, disputed, url, more, outlet, sources, kept):
    frame = pd.DataFrame(
        {
            "disputed": [disputed],
            "source_url": [url],
            "more_source_urls": [more],
            "source_outlet": [outlet],
        }
    )
    assert source_count(frame).tolist() == [sources]
    assert trusted_mask(frame).tolist() == [kept]


WINDOW = (datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY))


def test_every_figure_counts_only_what_the_filter_keeps(bundle):
    every, trusted = ViewSpec(*WINDOW), ViewSpec(*WINDOW, trusted=True)
    all_records, kept = apply(every, bundle.incidents), apply(trusted, bundle.incidents)
    assert 0 < len(kept) < len(all_records)
    assert trusted_mask(kept).all() and not kept["disputed"].any()
    assert key_figures(kept).incidents < key_figures(all_records).incidents
    assert key_figures(kept).disputed == 0
    # The per-state comparison with the official figures counts the kept records too.
    located = state_counts(all_records, bundle.official, every, bundle.incidents)
    located_kept = state_counts(kept, bundle.official, trusted, bundle.incidents)
    jalisco = located.set_index("cve_ent").loc["14"]
    jalisco_kept = located_kept.set_index("cve_ent").loc["14"]
    assert jalisco_kept["blockades"] < jalisco["blockades"]
    assert jalisco_kept["located_at_official_possible"] < jalisco["located_at_official_possible"]
    assert jalisco_kept["official_blockades"] == jalisco["official_blockades"]


def test_the_permalink_keeps_the_trust_filter():
    page = PageView(ViewSpec(*WINDOW, trusted=True))
    assert to_params(page)["trust"] == "1"
    assert "trust" not in to_params(PageView(ViewSpec(*WINDOW)))
    link = parse_query(to_query(page), data_start=WINDOW[0], data_end=WINDOW[1])
    assert link.notices == [] and link.page_view(WINDOW).view.trusted


def test_cli_export_trusted(tmp_path):
    counts = {}
    for flag in ([], ["--trusted"]):
        out = tmp_path / f"view{len(flag)}.csv"
        result = run_cli_in_process("export", *flag, "--out", str(out))
        assert result.returncode == 0, result.stderr
        counts[bool(flag)] = list(csv.DictReader(io.StringIO(out.read_text())))
    assert 0 < len(counts[True]) < len(counts[False])
    assert {r["disputed"] for r in counts[True]} == {"False"}
    assert all(r["more_source_urls"] for r in counts[True])


def test_the_snapshots_alt_text_says_the_filter_is_on(bundle):
    from dashboard.render.snapshot import alt_text, select

    for trusted in (False, True):
        page = PageView(ViewSpec(*WINDOW, trusted=trusted), lang="es")
        text = alt_text(page, select(bundle, page))
        assert ("registros en disputa o con una sola fuente quedan fuera" in text) == trusted
