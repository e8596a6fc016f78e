"""The static copy of an editor's own views (`publish --query …`, repeatable): per view,
a page to share and link (its title and window, key figures, the official national
figures with who gave them and their sources, the text summary, the article image, links
to the interactive map and the live page) with Open Graph and Twitter card tags, and the
files it shows:

    views/<stem>.html         the page (the stem names the window and states, share.py)
    views/<stem>.map.html     the interactive map (publish_map.py: a small page, its
                              code and data in assets/ under hashed names)
    views/<stem>.png          the article image (pngpresets "article")
    views/<stem>.social.png   the social card (pngpresets "social"): og:image

Open Graph and Twitter need absolute addresses: the tags for the image and the page's
own address are written only with the site's public address (`base_url`); without it
the page says so in the manifest's place of the CLI (publish.py refuses relative
snippets). Every data-derived string is escaped (dashboard/text/escape.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from dashboard.analysis.permalink import PageView, to_query
from dashboard.analysis.stats import key_figures, national_figures
from dashboard.ingest.bundle import Bundle
from dashboard.render.captions import above_official, official_noun
from dashboard.render.imagefiles import image_bytes
from dashboard.render.pngpresets import PRESETS
from dashboard.render.publish_map import map_page
from dashboard.render.share import download_stem
from dashboard.render.snapshot import (
    alt_text,
    credit_text,
    select,
    title,
    window_label,
)
from dashboard.text.escape import escape_text, link
from dashboard.text.i18n import LANGUAGE_NAMES, format_number, translation

STYLE_FILE = Path(__file__).resolve().parent.parent / "static" / "publish.css"


@dataclass(frozen=True)
class ViewPageFile:
    path: str  # relative to the site's root, "/" separated
    data: bytes
    title: str = ""
    alt: str = ""


def view_stem(page: PageView, prefix: str = "") -> str:
    """`prefix` + "views/" + share.download_stem of the view ("view-20260222-1800-
    20260223-0600-JAL-MIC"), with its event types' count when it filters them."""
    stem = download_stem("view", page)
    if page.view.event_types is not None:
        stem += f"-{len(page.view.event_types)}-types"
    return f"{prefix}views/{stem}"


def figure_items(page: PageView, selection, lang: str, official: dict | None = None) -> list[str]:
    """The located key figures of `selection` (snapshot.select) as escaped HTML list items in
    `lang`; with `official` (stats.national_figures), the live page's caveat wherever the
    map's count exceeds the official figure (captions.above_official: arrests 134 > 70)."""
    t = translation(lang)
    f = key_figures(selection.selected)
    n = lambda v: format_number(v, lang)  # noqa: E731
    items = [
        t.ngettext(
            "{n} incident known to be in this window",
            "{n} incidents known to be in this window",
            f.incidents,
        ).format(n=n(f.incidents)),
        t.ngettext("{n} road blockade located", "{n} road blockades located", f.blockades).format(
            n=n(f.blockades)
        ),
        t.ngettext(
            "{n} state with road blockades", "{n} states with road blockades", f.states_affected
        ).format(n=n(f.states_affected)),
        # Scoped to the counted incidents: records only possibly in the window carry
        # deaths too, and an unscoped "0 killed" was read as none at all (tester 11e #5).
        t.ngettext("{n} killed", "{n} killed", f.fatalities).format(n=n(f.fatalities))
        + " · "
        + t.ngettext(
            "{n} arrested, in those incidents", "{n} arrested, in those incidents", f.arrests
        ).format(n=n(f.arrests)),
    ]
    if f.possible:
        items.append(
            t.ngettext(
                "{n} more possibly in it (time not precise enough): not counted",
                "{n} more possibly in it (time not precise enough): not counted",
                f.possible,
            ).format(n=n(f.possible))
        )
    caveat = above_official(f, official, lang) if official else ""
    return [escape_text(item) for item in [*items, *([caveat] if caveat else [])]]


def _official_items(bundle: Bundle, page: PageView, lang: str) -> list[str]:
    t = translation(lang)
    items = []
    for name, figure in national_figures(bundle.official, page.view, lang).items():
        said = t.gettext("{who}, {when}").format(who=figure.reported_by, when=figure.when)
        disputed = " " + t.gettext("(disputed)") if figure.disputed else ""
        items.append(
            escape_text(
                f"{format_number(figure.value, lang)} {official_noun(t, name, figure.value)}"
                f"{disputed}"
            )
            + f" ({link(figure.source_url, said)})"
        )
    return items


def meta_tags(
    page_title: str,
    summary: str,
    lang: str,
    *,
    url: str = "",
    image: str = "",
    size: tuple[int, int] = PRESETS["social"].size,
    kind: str = "article",
) -> list[str]:
    """Open Graph and Twitter card tags (escaped HTML), for a page titled `page_title`
    described by `summary` in `lang`; `url` (the page's own) and `image` (its picture,
    `size` pixels) only when absolute (they need the site's public address: "" leaves
    them out); `kind`: og:type ("article" for a view, "website" for the site's root)."""
    tags = [
        ("property", "og:type", kind),
        ("property", "og:title", page_title),
        ("property", "og:description", summary),
        ("property", "og:locale", "es_MX" if lang == "es" else "en_US"),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", page_title),
        ("name", "twitter:description", summary),
    ]
    if url:
        tags.append(("property", "og:url", url))
    if image:
        width, height = size
        tags += [
            ("property", "og:image", image),
            ("property", "og:image:width", str(width)),
            ("property", "og:image:height", str(height)),
            ("property", "og:image:alt", summary),
            ("name", "twitter:image", image),
            ("name", "twitter:image:alt", summary),
        ]
    return [
        f'<meta {kind_}="{escape_text(key)}" content="{escape_text(value)}">'
        for kind_, key, value in tags
    ]


def _meta(base_url: str, stem: str, page_title: str, summary: str, lang: str) -> list[str]:
    """A view page's tags: its social card and its own address with an absolute base."""
    return meta_tags(
        page_title,
        summary,
        lang,
        url=f"{base_url}{stem}.html" if base_url else "",
        image=f"{base_url}{stem}.social.png" if base_url else "",
    )


def view_page(
    bundle: Bundle,
    page: PageView,
    stem: str,
    base_url: str,
    live_url: str,
    lang: str,
    others: Sequence[tuple[str, str]] = (),
) -> list[ViewPageFile]:
    """The view's four files (module docstring), then the assets its map page loads
    (publish_map.py; shared ones repeated: the caller keeps one of each path), in
    `lang`. `base_url`: the site's public address ("" for none: no absolute tags);
    `live_url`: the live page's public address ("" for none: no link to it);
    `others`: (language, stem) of this view's page in the site's other languages, each
    linked by its own name (and as an hreflang alternate when `base_url` is given). The
    page always links to its language's index (the site's other views)."""
    t = translation(lang)
    heads = {
        "map": t.gettext("On the map"),
        "official": t.gettext("Official national figures by the window’s end"),
        "none": t.gettext("No official figure had been given yet."),
        "summary": t.gettext("Summary"),
        "open": t.gettext("Open the interactive map of this view"),
        "live": t.gettext("Explore it on the live map, with every source"),
        "index": t.gettext("All the published views"),
    }
    up = "../" * stem.count("/")  # from this page to the site's root; its index: ../
    selection = select(bundle, page)
    national = national_figures(bundle.official, page.view, lang)
    page_title, summary = title(page, lang), alt_text(page, selection, lang)
    name = stem.rsplit("/", 1)[-1]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape_text(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape_text(page_title)}</title>",
        f'<meta name="description" content="{escape_text(summary)}">',
        *_meta(base_url, stem, page_title, summary, lang),
        *(
            f'<link rel="alternate" hreflang="{escape_text(other)}" '
            f'href="{escape_text(base_url + path)}.html">'
            for other, path in others
            if base_url
        ),
        f"<style>{STYLE_FILE.read_text(encoding='utf-8')}</style></head><body><main>",
        f"<h1>{escape_text(page_title)}</h1>",
        f'<p class="window">{escape_text(window_label(page, lang))}</p>',
        f"<h2>{escape_text(heads['map'])}</h2>",
        "<ul>"
        + "".join(f"<li>{item}</li>" for item in figure_items(page, selection, lang, national))
        + "</ul>",
    ]
    official = _official_items(bundle, page, lang)
    parts.append(f"<h2>{escape_text(heads['official'])}</h2>")
    if official:
        parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in official) + "</ul>")
    else:
        parts.append(f"<p>{escape_text(heads['none'])}</p>")
    parts += [
        f"<h2>{escape_text(heads['summary'])}</h2>",
        f"<p>{escape_text(summary)}</p>",
        f'<img src="{escape_text(name)}.png" alt="{escape_text(summary)}" width="700" '
        f'height="{PRESETS["article"].size[1] // 2}">',
        f'<p><a href="{escape_text(name)}.map.html">{escape_text(heads["open"])}</a></p>',
    ]
    if live_url:
        query = to_query(replace(page, embed=False, lang=lang), bundle.version)
        live = f"{live_url}?{query}"
        parts.append(f"<p>{link(live, heads['live'])}</p>")
    parts.append(
        f'<nav><a href="{"../index.html"}">{escape_text(heads["index"])}</a>'
        + "".join(
            f' · <a href="{escape_text(up + path)}.html" hreflang="{escape_text(other)}" '
            f'lang="{escape_text(other)}">{escape_text(LANGUAGE_NAMES[other])}</a>'
            for other, path in others
        )
        + "</nav>"
    )
    parts += [
        f'<p class="credit">{escape_text(credit_text(lang))} '
        + escape_text(t.gettext("Data version {version}.").format(version=bundle.version))
        + "</p>",
        "</main></body></html>",
        "",
    ]
    map_html, assets = map_page(
        bundle, page, f"{stem}.map", figure_items(page, selection, lang, national), lang=lang
    )
    return [
        ViewPageFile(f"{stem}.html", "\n".join(parts).encode("utf-8"), page_title, summary),
        ViewPageFile(f"{stem}.map.html", map_html.encode("utf-8"), page_title, summary),
        ViewPageFile(
            f"{stem}.png",
            image_bytes(bundle, page, "png", PRESETS["article"], lang=lang),
            "",
            summary,
        ),
        ViewPageFile(
            f"{stem}.social.png",
            image_bytes(bundle, page, "png", PRESETS["social"], lang=lang),
            "",
            summary,
        ),
        *(ViewPageFile(asset.path, asset.data) for asset in assets),
    ]
