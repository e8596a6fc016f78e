"""What the page gives an editor to share a view: its address, the iframe snippet, the
address of the published static copy, and the downloads' file names.

Pure: strings from a view and an address; the page reads the address from Streamlit.
"""

from __future__ import annotations

import os
from urllib.parse import urljoin, urlsplit, urlunsplit

from dashboard.analysis.permalink import PageView
from dashboard.model.mexico import BY_CODE, MEXICO_CITY
from dashboard.render.snapshot import title as snapshot_title
from dashboard.text.escape import escape_text


def page_address(url: str | None) -> str:
    """The page's address without its query, for links and embed snippets: `url` as
    st.context.url gives it ("http://host:8501", "https://example.org/map/?a=b"), with the
    path "/" when it has none, so that a link reads "http://host:8501/?from=…"."""
    parts = urlsplit(url or "")
    if not parts.netloc:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def published_site(base: str) -> str | None:
    """Where `python -m dashboard publish` output is served (TAPALPA_PUBLISHED_URL, absolute
    or relative to this page, e.g. /published/ under deploy/serve), or None."""
    where = os.environ.get("TAPALPA_PUBLISHED_URL", "").strip()
    if not where:
        return None
    return urljoin(base, where if where.endswith("/") else where + "/")


def download_stem(prefix: str, page: PageView) -> str:
    """A download's file name without its suffix, naming the view so that two views'
    files do not share a name: "tapalpa-20260222-0600-20260223-0000", with the states'
    ISO 3166-2 abbreviations when filtered ("…-JAL-MIC"; "…-7-states" beyond four).
    Times are the window's ends in Mexico City time."""
    start, end = (t.astimezone(MEXICO_CITY) for t in (page.view.start, page.view.end))
    stem = f"{prefix}-{start:%Y%m%d-%H%M}-{end:%Y%m%d-%H%M}"
    states = page.view.states
    if states:
        codes = sorted(BY_CODE[c].abbrev for c in states)
        stem += "-" + ("-".join(codes) if len(codes) <= 4 else f"{len(codes)}-states")
    return stem


def iframe_snippet(url: str, height: int, page: PageView, lang: str = "en") -> str:
    """An iframe of `url` for an article, titled with the view's title in `lang`."""
    return (
        f'<iframe src="{escape_text(url)}" width="100%" height="{height}" style="border:0" '
        f'loading="lazy" title="{escape_text(snapshot_title(page, lang))}"></iframe>'
    )
