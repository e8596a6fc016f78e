"""The sentences that name the incidents counted whose time is known only to a week or
a month (ACLED's time_precision 2 and 3), apart from those known to the day or part of
the day: the key figures' notes (captions.figure_notes) and the screen-reader paragraph
(snapshot.alt_text) say each precision's own count."""

from __future__ import annotations

from dashboard.analysis.stats import KeyFigures
from dashboard.text.i18n import format_number, translation


def longer_spans(figures: KeyFigures, lang: str = "en") -> list[str]:
    """One sentence each for the incidents counted known only to a week and only to a
    month (stats.KeyFigures.week_timing, month_timing), in `lang`; none for a zero."""
    t = translation(lang)
    out = []
    if figures.week_timing:
        out.append(
            t.ngettext(
                "{n} incident counted is known only to a week, which lies wholly inside "
                "the window.",
                "{n} incidents counted are known only to a week, which lies wholly inside "
                "the window.",
                figures.week_timing,
            ).format(n=format_number(figures.week_timing, lang))
        )
    if figures.month_timing:
        out.append(
            t.ngettext(
                "{n} incident counted is known only to a month, which lies wholly inside "
                "the window.",
                "{n} incidents counted are known only to a month, which lies wholly inside "
                "the window.",
                figures.month_timing,
            ).format(n=format_number(figures.month_timing, lang))
        )
    return out
