"""The `non_article_links` check: source links that are not an article on its outlet's
public site (CMS, editor and staging hosts, archive mirrors, home, section, tag, search
and listing pages; aggregators, republishers and AMP or mobile copies of an article), and
its quality-view table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.analysis.quality_findings import Finding, arrow_column
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
# Aggregators and portals that show other outlets' articles under their own address: the
# article's own outlet is not in the link, so cite the outlet's page instead.
AGGREGATOR_HOSTS = (
    "msn.com",  # Microsoft Start / MSN: licensed copies of partners' articles
    "news.google.com",  # Google News: a redirect to the outlet's article
    "news.yahoo.com",  # Yahoo News: partners' copies
    "es-us.noticias.yahoo.com",  # Yahoo Noticias (US Spanish edition): partners' copies
    "noticias.yahoo.com",
    "flipboard.com",  # a reader's magazine of other outlets' links
    "newsbreak.com",  # republished local news
    "pressreader.com",  # scanned print editions of other papers
    "ground.news",  # a digest linking to other outlets
)
# Sites found republishing one outlet's articles: host -> the outlet's host. A copy may
# stay as a further link when the record also cites that outlet.
REPUBLISHERS = {
    "despertarmexico.com": "infobae.com",  # republishes Infobae's articles (issue 21)
}
# Shapes of an AMP or mobile copy of an article: the copy is the same article under
# another address, so the record should cite the canonical page (the shape removed).
AMP_HOST_PREFIXES = ("amp.", "m.", "mobile.")
AMP_QUERY = {"amp": "", "outputtype": "amp", "_amp": "true", "amp_js_v": ""}
AMP_SUFFIX = re.compile(r"(?:/amp/?|\.amp(?:\.html?)?)$", re.IGNORECASE)
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


def _bare_host(name: str) -> str:
    for prefix in ("www.", *AMP_HOST_PREFIXES):
        if name.startswith(prefix) and name.count(".") >= 2:
            return name[len(prefix) :]
    return name


def _within(name: str, hosts) -> str | None:
    """The entry of `hosts` that `name` is or is a subdomain of, or None."""
    return next((h for h in hosts if name == h or name.endswith("." + h)), None)


@lru_cache(maxsize=65536)
def canonical(url: str) -> str:
    """The article a link shows with any AMP or mobile shape removed: host without
    "www.", "amp.", "m." or "mobile."; path without an "amp" segment or ".amp" suffix
    and without its final "/"; query without the AMP keys (`AMP_QUERY`)."""
    parts = urlsplit(url.strip())
    name = _bare_host((parts.hostname or "").lower())
    path = AMP_SUFFIX.sub("", parts.path)
    path = "/".join(s for s in path.split("/") if s.lower() != "amp").rstrip("/")
    query = "&".join(
        f"{k}={v}"
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in AMP_QUERY
    )
    return f"{name}{path}" + (f"?{query}" if query else "")


@lru_cache(maxsize=65536)
def copy_kind(url: str) -> tuple[str, str] | None:
    """("aggregator", host), ("republisher", the original outlet's host) or ("amp", the
    canonical page, `canonical(url)`) when a link is a copy of an article shown under
    another address; None for an outlet's own page. Lists: AGGREGATOR_HOSTS,
    REPUBLISHERS, the AMP and mobile shapes (AMP_HOST_PREFIXES, an "amp" path segment,
    a ".amp" suffix, AMP_QUERY keys, Google's *.cdn.ampproject.org cache)."""
    parts = urlsplit(url.strip())
    name = (parts.hostname or "").lower()
    if not name:
        return None
    if _within(name, AGGREGATOR_HOSTS):
        return ("aggregator", name.removeprefix("www."))
    republished = _within(name, REPUBLISHERS)
    if republished:
        return ("republisher", REPUBLISHERS[republished])
    query = {k.lower(): v.lower() for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    amp_query = any(k in query and (not v or query[k] == v) for k, v in AMP_QUERY.items())
    segments = [s.lower() for s in parts.path.split("/")]
    if (
        name.startswith(AMP_HOST_PREFIXES)
        or name.endswith(".cdn.ampproject.org")
        or "amp" in segments
        or AMP_SUFFIX.search(parts.path)
        or amp_query
    ):
        return ("amp", canonical(url))
    return None


def copy_problem(url: str, main: bool, others: list[str]) -> Message | None:
    """Why a copy of an article (`copy_kind`) may not stand where it is, or None.

    An aggregator's copy never may: the outlet's own article is the source. A
    republisher's or an AMP/mobile copy may stay as a further link (`main` False) when
    the record also cites the original: a link on the original outlet's host, or the
    canonical page (`others`: the record's other links).
    """
    kind = copy_kind(url)
    if kind is None:
        return None
    what, original = kind
    if what == "aggregator":
        return msg(
            "{host} is an aggregator showing other outlets' articles; link the outlet's own "
            "article",
            host=original,
        )
    if what == "republisher":
        if not main and any(_within(host(o), (original,)) for o in others):
            return None
        return msg(
            "{host} republishes {original}'s articles; link the original article first (the "
            "copy may stay as a further link)",
            host=host(url),
            original=original,
        )
    if not main and any(canonical(o) == original and copy_kind(o) is None for o in others):
        return None
    return msg(
        "an AMP or mobile copy of an article; link the article's own page first ({page}; "
        "the copy may stay as a further link)",
        page=original,
    )


# Notes saying a copy's original could not be found or verified ("republishes Infobae
# (original not found)", "canonical address not verified"): the copy stays, said so.
COPY_KEPT = re.compile(
    r"\b(?:original|canonical)\b(?:\s+[\w'’]+){0,3}\s+not\s+(?:found|verified)\b", re.I
)


def _links(frame: pd.DataFrame, id_column: str, kept: bool) -> list[Finding]:
    """The findings of `non_article_links` (kept False), or the copies it lets stay
    because the notes say their original was not found (kept True)."""
    findings = []
    mains = arrow_column(frame, "source_url")
    mores = arrow_column(frame, "more_source_urls")
    # Only rows with a link become Python strings (an ACLED file's rows have none).
    linked = pa.array(
        pc.or_(pc.not_equal(mains, ""), pc.not_equal(mores, "")).to_numpy(zero_copy_only=False)
    )
    ids, mains, mores, notes = (
        texts.filter(linked).to_pylist()
        for texts in (
            arrow_column(frame, id_column),
            mains,
            mores,
            arrow_column(frame, "notes"),
        )
    )
    for record, main, more, note in zip(ids, mains, mores, notes, strict=True):
        links = [("source_url", u) for u in main.split()] + [
            ("more_source_urls", u) for u in more.split()
        ]
        urls = [u for _, u in links]
        said = bool(COPY_KEPT.search(note))
        for n, (field, url) in enumerate(links):
            others = urls[:n] + urls[n + 1 :]
            problem = link_problem(url)
            copy = None if problem else copy_problem(url, field == "source_url", others)
            kind = copy_kind(url)
            excused = copy is not None and said and kind is not None and kind[0] != "aggregator"
            if kept:
                reason = None
                if excused:
                    reason = msg(
                        "{reason} (kept: the notes say the original was not found)", reason=copy
                    )
            else:
                reason = problem or (None if excused else copy)
            if reason:
                findings.append(
                    Finding("non_article_links", (record,), field, url, str(reason), reason)
                )
    findings.sort(key=lambda f: f.field != "source_url")  # main links first, as before
    return findings


def non_article_links(frame: pd.DataFrame, id_column: str = "incident_id") -> list[Finding]:
    """Source links (`source_url`, `more_source_urls`) that are not article pages
    (`link_problem`), or copies of an article that do not stand after the original
    (`copy_problem`), unless the record's notes say the original was not found
    (`COPY_KEPT`; never for an aggregator's copy)."""
    return _links(frame, id_column, kept=False)


def kept_copies(frame: pd.DataFrame, id_column: str = "incident_id") -> list[Finding]:
    """The copies `non_article_links` lets stay because the notes say their original was
    not found: not errors, but listed in the quality view."""
    return _links(frame, id_column, kept=True)


@lru_cache(maxsize=65536)
def host(url: str) -> str:
    """The host of a URL without "www.", lower case ("" when there is none)."""
    name = (urlsplit(url.strip()).hostname or "").lower()
    return name.removeprefix("www.")


def links_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The `non_article_links` findings as a table: record, field, link and why (in `lang`),
    then the copies kept because their original was not found (`kept_copies`)."""
    columns = ["incident_id", "field", "url", "detail"]
    rows = [
        {
            "incident_id": f.incident_ids[0],
            "field": f.field,
            "url": f.value,
            "detail": f.detail_in(lang),
        }
        for f in non_article_links(frame) + kept_copies(frame)
    ]
    return pd.DataFrame(rows, columns=columns)
