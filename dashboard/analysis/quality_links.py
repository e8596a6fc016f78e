"""The `non_article_links` check: source links that are not an article on its outlet's
public site (CMS, editor and staging hosts, archive mirrors, home, section, tag, search
and listing pages), and its quality-view table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

import pandas as pd

from dashboard.analysis.quality_findings import Finding, text_column
from dashboard.text.message import Message, msg

# Hosts of content-management back ends, editors and staging deployments: never the
# page a reader can open. Prefixes match the first label(s), suffixes the end of the host.
CMS_HOST_PREFIXES = (
    "admin.",
    "adminqr.",
    "cms.",
    "editor.",
    "staging.",
    "stage.",
    "dev.",
    "preview.",
    "backoffice.",
    "wp-admin.",
)
STAGING_HOST_SUFFIXES = (
    ".editor80.com",  # the CMS host behind e.g. La Silla Rota
    ".azurewebsites.net",
    ".herokuapp.com",
    ".netlify.app",
    ".vercel.app",
    ".pantheonsite.io",
    ".wpengine.com",
    ".wpenginepowered.com",
    ".appspot.com",
)
# Archive and mirror sites republish an article; the link should be the outlet's own.
MIRROR_HOSTS = (
    "esrt.space",
    "archive.today",
    "archive.ph",
    "archive.is",
    "archive.li",
    "archive.vn",
    "archive.fo",
    "archive.md",
    "web.archive.org",
    "webcache.googleusercontent.com",
    "ghostarchive.org",
    "12ft.io",
    "removepaywall.com",
)
# Path segments of section, tag, search and author listings (English and Spanish CMSs).
LISTING_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "etiqueta",
        "etiquetas",
        "tema",
        "temas",
        "topic",
        "topics",
        "category",
        "categories",
        "categoria",
        "categorias",
        "categoría",
        "categorías",
        "seccion",
        "sección",
        "section",
        "search",
        "buscar",
        "busqueda",
        "búsqueda",
        "resultados",
        "author",
        "authors",
        "autor",
        "autores",
        "page",
        "pagina",
        "página",
    }
)
LISTING_QUERY_KEYS = frozenset({"s", "q", "query", "search", "buscar", "page", "paged", "tag"})
# A query key that names one article (WordPress `?p=`, `article.php?id=`).
ARTICLE_QUERY_KEYS = frozenset({"p", "id", "articleid", "article_id", "nid", "story"})
_ARTICLE_SEGMENT = re.compile(r"(?:[^-/]+-){2,}[^-/]+|\d{4,}|[A-Z0-9]{16,}")


@lru_cache(maxsize=65536)  # the same links recur across records
def link_problem(url: str) -> Message | None:
    """Why a source link is not an article on its outlet's public site, or None.

    Kinds: a CMS/admin/editor or staging host, an archive mirror, or a listing page
    (home page, section, tag, search or author page; a folder path, ending in "/", with
    no article slug or id in it).
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if not host:
        return None  # not a URL at all: the validator reports that
    if host.startswith(CMS_HOST_PREFIXES) or host.endswith(STAGING_HOST_SUFFIXES):
        return msg(
            "{host} is a content-management, editor or staging host, not the public site",
            host=host,
        )
    if host in MIRROR_HOSTS or any(host.endswith("." + m) for m in MIRROR_HOSTS):
        return msg(
            "{host} is an archive or mirror; link the article on the outlet's own site", host=host
        )
    segments = [s for s in parts.path.split("/") if s]
    query = {k.lower(): v for k, v in parse_qsl(parts.query)}
    if ARTICLE_QUERY_KEYS & query.keys():
        return None
    if LISTING_QUERY_KEYS & query.keys():
        keys = ", ".join(sorted(LISTING_QUERY_KEYS & query.keys()))
        return msg("a search or listing page (query {keys}), not an article", keys=keys)
    if not segments:
        return msg("the outlet's home page, not an article")
    listing = [s for s in segments if s.lower() in LISTING_SEGMENTS]
    if listing:
        return msg(
            "a section, tag, search or author page (/{segment}/), not an article",
            segment=listing[0],
        )
    if parts.path.endswith("/") and not any(_ARTICLE_SEGMENT.search(s) for s in segments):
        return msg("a section or listing page (a folder path with no article slug or id)")
    return None


def non_article_links(frame: pd.DataFrame, id_column: str = "incident_id") -> list[Finding]:
    """Source links (`source_url`, `more_source_urls`) that are not article pages."""
    findings = []
    for field in ("source_url", "more_source_urls"):
        if field not in frame.columns:
            continue
        # Only rows with a link are visited (an ACLED file has none: 0 of its rows).
        given = frame[field].astype("string").fillna("").str.strip() != ""
        linked = frame.loc[given.to_numpy(bool), [id_column, field]]
        ids = text_column(linked, id_column)
        for record, cell in zip(ids, text_column(linked, field), strict=True):
            for url in cell.split():
                reason = link_problem(url)
                if reason:
                    findings.append(
                        Finding("non_article_links", (record,), field, url, str(reason), reason)
                    )
    return findings


@lru_cache(maxsize=65536)
def host(url: str) -> str:
    """The host of a URL without "www.", lower case ("" when there is none)."""
    name = (urlsplit(url.strip()).hostname or "").lower()
    return name.removeprefix("www.")


def links_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The `non_article_links` findings as a table: record, field, link and why (in `lang`)."""
    columns = ["incident_id", "field", "url", "detail"]
    rows = [
        {
            "incident_id": f.incident_ids[0],
            "field": f.field,
            "url": f.value,
            "detail": f.detail_in(lang),
        }
        for f in non_article_links(frame)
    ]
    return pd.DataFrame(rows, columns=columns)
