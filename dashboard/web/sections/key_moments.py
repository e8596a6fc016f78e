"""Key moments ("momentos clave"): the timeline of the raid and the government's
statements, each with its source; in Spanish, each headline's `headline_es`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.text.escape import escape_markdown, link
from dashboard.text.i18n import REGISTRY, translation
from dashboard.web.data import PageData


@st.cache_data(show_spinner=False)
def translated_headlines(geodata: str, version: str, suffix: str = "_es") -> dict[str, str]:
    """Key moments' headlines in the language of data-column `suffix` (i18n.REGISTRY;
    geodata/key_moments_es.csv: `at` -> `headline_es`), keyed by `at` as written; empty
    when the file is absent or unreadable."""
    path = Path(geodata) / f"key_moments{suffix}.csv"
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        return {}
    column = f"headline{suffix}"
    if not {"at", column} <= set(table.columns):
        return {}
    return dict(zip(table["at"].str.strip(), table[column].str.strip(), strict=True))


def key_moments(data: PageData, geodata: str, version: str, lang: str = "en") -> None:
    """The timeline of key moments; in another language than the source's, each
    headline's translation where it has one (matched on `at`: `headline_es` in Spanish),
    else the English headline."""
    t = translation(lang)
    suffix = REGISTRY[lang].suffix
    translated = translated_headlines(geodata, version, suffix) if suffix else {}
    st.header(t.gettext("Key moments"))
    lines = []
    for row in data.bundle.key_moments.itertuples(index=False):
        headline = row.headline
        if translated:
            at = getattr(row, "at", "")
            key = at.isoformat(timespec="minutes") if hasattr(at, "isoformat") else str(at)
            headline = translated.get(key) or translated.get(str(at).strip()) or headline
        outlet = row.source_outlet or t.gettext("source")
        lines.append(f"- {escape_markdown(headline)} ({link(row.source_url, outlet)})")
    # One list, one element: each element is a share of the first view's rendering work.
    if lines:
        st.markdown("\n".join(lines), unsafe_allow_html=True)
