"""Key moments ("momentos clave"): the timeline of the raid and the government's
statements, each with its source; in Spanish, each headline's `headline_es`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.text.escape import escape_markdown, link
from dashboard.text.i18n import translation
from dashboard.web.data import PageData


@st.cache_data(show_spinner=False)
def spanish_headlines(geodata: str, version: str) -> dict[str, str]:
    """Key moments' Spanish headlines (geodata/key_moments_es.csv: `at` -> `headline_es`),
    keyed by `at` as written; empty when the file is absent or unreadable."""
    path = Path(geodata) / "key_moments_es.csv"
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        return {}
    if not {"at", "headline_es"} <= set(table.columns):
        return {}
    return dict(zip(table["at"].str.strip(), table["headline_es"].str.strip(), strict=True))


def key_moments(data: PageData, geodata: str, version: str, lang: str = "en") -> None:
    """The timeline of key moments; in Spanish, each headline's `headline_es` where it has
    one (matched on `at`), else the English headline."""
    t = translation(lang)
    spanish = spanish_headlines(geodata, version) if lang == "es" else {}
    st.header(t.gettext("Key moments"))
    for row in data.bundle.key_moments.itertuples(index=False):
        headline = row.headline
        if lang == "es":
            at = getattr(row, "at", "")
            key = at.isoformat(timespec="minutes") if hasattr(at, "isoformat") else str(at)
            headline = spanish.get(key) or spanish.get(str(at).strip()) or headline
        st.markdown(
            f"- {escape_markdown(headline)} "
            f"({link(row.source_url, row.source_outlet or t.gettext('source'))})",
            unsafe_allow_html=True,
        )
