"""What the page gives an editor to share a view: its address, the iframe snippet, the
address of the published static copy, and the downloads' file names.

Pure: strings from a view and an address; the page reads the address from Streamlit.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urljoin, urlsplit, urlunsplit

import pandas as pd

from dashboard.analysis.filters import possible_mask
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import incidents_only
from dashboard.model.mexico import BY_CODE, MEXICO_CITY
from dashboard.render.snapshot import title as snapshot_title
from dashboard.text.escape import escape_text
from dashboard.text.i18n import format_number, translation


def page_address(url: str | None) -> str:
    """The page's address without its query, for links and embed snippets: `url` as
    st.context.url gives it ("http://host:8501", "https://example.org/map/?a=b"), with the
    path "/" when it has none, so that a link reads "http://host:8501/?from=…"."""
    parts = urlsplit(url or "")
    if not parts.netloc:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


PUBLIC_URL_ENV = "TAPALPA_PUBLIC_URL"  # the live page's public address, for snippets
# Hosts an article must never point at: this machine, a private network, names that only
# resolve inside one, and staging or preview hosts.
INTERNAL_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home.arpa", ".corp")
INTERNAL_LABELS = ("localhost", "staging", "preview", "dev", "test", "internal")


def public_address(url: str | None = None) -> str:
    """The live page's public address for links and snippets: the environment variable
    TAPALPA_PUBLIC_URL ("https://mapa.example.org/tapalpa/") when set, with the path "/"
    when it has none; else the address the page is served from (`url`, page_address)."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip()
    return page_address(configured) if configured else page_address(url)


def internal_host(url: str) -> bool:
    """Whether `url`'s host is one readers of an article cannot reach or should not be
    sent to: localhost, a loopback, private, link-local or unspecified IP address, a
    name without a dot ("intranet"), a name under .local/.internal/.lan/.corp, or one
    with a label such as "staging", "preview", "dev" or "test" ("staging.example.org",
    "map-dev.example.org" is not: labels are whole)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        labels = host.split(".")
        return (
            len(labels) == 1
            or host.endswith(INTERNAL_SUFFIXES)
            or any(label in INTERNAL_LABELS for label in labels[:-1])
        )
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


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


# The message the embed posts to its host page with its height (dashboard/static/
# embed-resize.js): {"tapalpa-map-height": <CSS pixels>}.
HEIGHT_MESSAGE = "tapalpa-map-height"
# The host page's side, as Datawrapper's and Flourish's snippets do: the iframe that sent
# the message (matched by its window, so several embeds on one page each get their own)
# takes the height, bounded to 200..4000 pixels. One listener per page however many
# snippets are pasted (window.tapalpaResize).
RESIZE_SCRIPT = (
    "<script>!function(){if(window.tapalpaResize)return;window.tapalpaResize=1;"
    'window.addEventListener("message",function(e){var h=e.data&&e.data["'
    + HEIGHT_MESSAGE
    + '"];if(typeof h!=="number"||!isFinite(h))return;'
    'var f=document.getElementsByTagName("iframe");for(var i=0;i<f.length;i++)'
    "if(f[i].contentWindow===e.source)f[i].style.height=Math.max(200,Math.min(4000,"
    'Math.ceil(h)))+"px"})}();</script>'
)


def responsive_snippet(url: str, height: int, page: PageView, lang: str = "en") -> str:
    """`iframe_snippet` (its `height` the first guess, in pixels) followed by the few
    lines that let the embed set its own height (RESIZE_SCRIPT), for a CMS's HTML box."""
    return iframe_snippet(url, height, page, lang) + "\n" + RESIZE_SCRIPT


def records_in_the_csv(selected: pd.DataFrame, lang: str) -> str:
    """What the view's CSV holds, in `lang`, so its count squares with the key figures:
    `selected` (filters.apply's frame) split into incidents known to be in the window,
    incidents only possibly in it (not counted in the figures) and official statements
    (never counted as incidents, stats.incidents_only)."""
    t = translation(lang)
    incidents = incidents_only(selected)
    possible = int(possible_mask(incidents).sum())
    known, statements = len(incidents) - possible, len(selected) - len(incidents)
    return t.gettext(
        "The CSV holds every record of this view: {known} (the key figures count these), "
        "{possible} (time not precise enough) and {statements}; official statements are "
        "never counted as incidents."
    ).format(
        known=t.ngettext(
            "{n} incident known to be in the window",
            "{n} incidents known to be in the window",
            known,
        ).format(n=format_number(known, lang)),
        possible=t.ngettext("{n} only possibly in it", "{n} only possibly in it", possible).format(
            n=format_number(possible, lang)
        ),
        statements=t.ngettext(
            "{n} official statement", "{n} official statements", statements
        ).format(n=format_number(statements, lang)),
    )
