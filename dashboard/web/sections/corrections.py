"""Corrections and updates ("fe de erratas"): what changed in the published data, when,
why and on what source, the log itself closed until opened. Each correction's reason is
data: `reason_es` on the Spanish page, else `reason`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import streamlit as st

from dashboard.ingest.corrections import credit_line, load_corrections, log_entries
from dashboard.model import bundled_files
from dashboard.model.mexico import MEXICO_CITY
from dashboard.text.escape import escape_markdown, link
from dashboard.text.i18n import format_datetime, format_number, translation
from dashboard.web import state


@dataclass(frozen=True)
class CorrectionsLog:
    credit: str  # one sentence, in the page's language
    count: int  # entries (grouped corrections)
    markdown: str  # the entries as a Markdown list, escaped, newest first
    problems: tuple[str, ...]  # problems reading the log, as text


def log_date(value: str, lang: str) -> str:
    """A correction's date ("2026-02-25") as the page writes a date, by Babel in `lang`:
    "mié 25 feb 2026" / "Wed 25 Feb 2026"; a value that is not an ISO date as it is."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=MEXICO_CITY)
    return format_datetime(moment, lang, "EEE d MMM yyyy")


@st.cache_resource(show_spinner=False, max_entries=8)
def corrections_log(path: str, version: str, lang: str = "en") -> CorrectionsLog:
    """The corrections log of a data version in `lang`, built once per version and
    language (the same text for every reader; not rebuilt on each rerun)."""
    t = translation(lang)
    corrections, report = load_corrections(Path(path))
    entries = log_entries(corrections, lang)
    source = t.gettext("source")
    lines = [
        f"- **{escape_markdown(log_date(e.date, lang))}** · {escape_markdown(e.label)}: "
        f"{escape_markdown('; '.join(e.changes))}. {escape_markdown(e.reason)} "
        f"({link(e.source_url, source)})"
        for e in entries
    ]
    return CorrectionsLog(
        credit_line(corrections, lang),
        len(entries),
        "\n".join(lines),
        tuple(str(p) for p in report.problems),
    )


def corrections_section(
    geodata: str, version: str, lang: str = "en", about_bundled: bool = False
) -> None:
    """The credit line and data version, any problem reading the log, and the log.
    `about_bundled` (a reader's file is shown): the heading and a sentence say that all of
    it is about the map's own (bundled) data, not the file."""
    t = translation(lang)
    log = corrections_log(str(Path(geodata) / bundled_files.CORRECTIONS_FILE.name), version, lang)
    if about_bundled:
        st.subheader(t.gettext("Corrections and updates of the map's own data"))
        st.caption(
            t.gettext(
                "This section is about the Tapalpa data bundled with the map, not your file: "
                "its credit, version and corrections log."
            )
        )
    else:
        st.subheader(t.gettext("Corrections and updates"))
    st.caption(
        t.gettext(
            "{credit} Data version {version}: links made before a correction say the data "
            "has been updated."
        ).format(credit=escape_markdown(log.credit), version=escape_markdown(version))
    )
    for problem in log.problems:
        st.warning(
            t.gettext("The corrections log has a problem: {problem}").format(
                problem=escape_markdown(problem)
            )
        )
    if not log.count:
        return
    box, is_open = state.lazy_section(
        t.ngettext(
            "The log's {n} entry, newest first",
            "The log's {n} entries, newest first (the changes made to a record together are "
            "one entry)",
            log.count,
        ).format(n=format_number(log.count, lang)),  # the same for a data version
        state.LOG_OPEN,
    )
    if is_open:
        with box:
            st.markdown(log.markdown, unsafe_allow_html=True)
