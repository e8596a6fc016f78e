"""Benchmark the language layer: loading a catalogue, formatting dates, a snapshot's texts.

    .venv/bin/python benchmarks/bench_i18n.py [--runs 5] [--rows 100000]

Each figure is the median of --runs runs. Baselines measured in the same run: the
standard library's `strftime` for dates and `gettext` lookups with a catalogue already
loaded. The per-row figures say what it would cost to label every incident of a large
file with Babel, and how much formatting each distinct timestamp once saves.
"""

from __future__ import annotations

import argparse
import gettext
import io
import sys
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import timed_median_ms  # noqa: E402
from dashboard.analysis.filters import ViewSpec  # noqa: E402
from dashboard.analysis.permalink import PageView  # noqa: E402
from dashboard.ingest.bundle import load_bundle  # noqa: E402
from dashboard.model.mexico import MEXICO_CITY  # noqa: E402
from dashboard.render.snapshot import alt_text, select, title, window_label  # noqa: E402
from dashboard.text import i18n  # noqa: E402

# Some figures are fractions of a millisecond: not rounded.
timed_ms = partial(timed_median_ms, digits=None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    po = i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "messages.po"
    compiled = i18n.compile_catalogue(po)

    def from_po():
        return gettext.GNUTranslations(io.BytesIO(i18n.compile_catalogue(po)))

    def from_mo():
        return gettext.GNUTranslations(io.BytesIO(compiled))

    spanish = from_mo()
    base = datetime(2026, 2, 22, tzinfo=MEXICO_CITY)
    # Reports are timed to the hour at best: 100,000 rows over ten days share <= 240 times.
    moments = [base + timedelta(hours=(n * 7919) % 240) for n in range(args.rows)]

    def each_distinct_once():
        labels = {m: i18n.format_datetime(m, "es") for m in set(moments)}
        return [labels[m] for m in moments]

    rows = [
        ("catalogue: compile the .po in memory (fresh clone)", timed_ms(from_po, args.runs)),
        ("catalogue: read the compiled .mo", timed_ms(from_mo, args.runs)),
        (
            "baseline: 1,000 gettext lookups",
            timed_ms(lambda: [spanish.gettext("Road blockade") for _ in range(1000)], args.runs),
        ),
        (
            f"baseline: strftime for {args.rows:,} timestamps",
            timed_ms(lambda: [m.strftime("%a %d %b, %H:%M") for m in moments], args.runs),
        ),
        (
            f"Babel format_datetime (es) for {args.rows:,} timestamps",
            timed_ms(lambda: [i18n.format_datetime(m, "es") for m in moments], args.runs),
        ),
        (
            f"Babel, each distinct time once ({len(set(moments))}), then a lookup per row",
            timed_ms(each_distinct_once, args.runs),
        ),
    ]
    bundle = load_bundle()
    page = PageView(ViewSpec(base, base + timedelta(days=1)))
    selection = select(bundle, page)
    for lang in ("en", "es"):
        rows.append(
            (
                f"snapshot title + window + alt text ({lang}, bundled data)",
                timed_ms(
                    lambda lang=lang: (
                        title(page, lang),
                        window_label(page, lang),
                        alt_text(page, selection, lang),
                    ),
                    args.runs,
                ),
            )
        )
    width = max(len(name) for name, _ in rows)
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:10.2f} ms")


if __name__ == "__main__":
    main()
