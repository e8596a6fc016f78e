"""A static site of snapshots that any static host or CDN serves with no Python behind it.

For a news spike: a reader of an embedded static map costs the server one file request,
not a live Streamlit session. `python -m dashboard publish OUTDIR` writes

    index.html            the interactive map of the page's default view (the snapshot's
                          map, popups and play control; a small page painted before any
                          script runs, its code and data under assets/: publish_map.py)
    assets/               the map's code, stylesheet and data, named by content hash
    index.png             its PNG snapshot (title and alt text in the PNG's metadata)
    states/<abbr>.html    one page per state with incidents, over the whole data window
    states/<abbr>.png     (<abbr> is the ISO 3166-2 suffix in lower case: jal, mic, ...)
    data/incidents.csv    every bundled record (the registry's csv, render/formats.py)
    embed.html            iframe and <img> snippets (with alt text) pointing at these files
    manifest.json         every file with its SHA-256, title and alt text

The output is byte-identical for the same data: folium's random element ids are replaced
by sequential ones and nothing carries the clock; assets/ names carry their content's
hash. Every page is built from escaped text only (dashboard/text/escape.py) and loads
nothing from a CDN.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from dashboard.analysis.filters import ViewSpec, data_window, default_window
from dashboard.analysis.permalink import PageView
from dashboard.analysis.stats import incidents_only, national_figures
from dashboard.ingest.bundle import Bundle
from dashboard.model.mexico import BY_CODE
from dashboard.render.formats import EXPORT_FORMATS, ViewFiles
from dashboard.render.publish_map import map_page, stable_ids  # noqa: F401 (tests)
from dashboard.render.publish_views import figure_items, meta_tags, view_page, view_stem
from dashboard.render.snapshot import (
    PNG_SIZE,
    alt_text,
    png_bytes,
    select,
    title,
)
from dashboard.text.escape import escape_text
from dashboard.text.i18n import DEFAULT_LANGUAGE, translation

MANIFEST = "manifest.json"
# Every bundled record, in the export format the site links (render/formats.py).
RECORDS = EXPORT_FORMATS["csv"]
RECORDS_PATH = f"data/incidents{RECORDS.suffix}"
EMBED_HEIGHT = 660
STYLE_FILE = Path(__file__).resolve().parent.parent / "static" / "publish.css"


class PublishError(Exception):
    """The output folder cannot be used (not empty and not an earlier publish)."""


@dataclass(frozen=True)
class View:
    """One published view: where its files go and what it shows."""

    stem: str  # "index" or "states/jal"
    page: PageView
    label: str  # link text: "All states", "Jalisco"


@dataclass(frozen=True)
class PublishedFile:
    path: str  # relative to the output folder, "/" separated
    data: bytes
    title: str = ""
    alt: str = ""


def views(
    bundle: Bundle, states: Iterable[str] | None = None, lang: str = DEFAULT_LANGUAGE
) -> list[View]:
    """The default view, then one view per state with incidents (INEGI code order) over
    the whole data window. `states` (INEGI codes) limits the state pages; `lang` ("es" or
    "en") is the language of every page and snapshot."""
    index = View(
        "index",
        PageView(ViewSpec(*default_window(bundle.incidents)), lang=lang),
        translation(lang).gettext("All states"),
    )
    incidents = incidents_only(bundle.incidents)
    present = sorted(set(incidents["cve_ent"]))
    if states is not None:
        wanted = set(states)
        present = [code for code in present if code in wanted]
    start, end = data_window(bundle.incidents)
    return [index] + [
        View(
            f"states/{BY_CODE[code].abbrev.lower()}",
            PageView(ViewSpec(start, end, states=frozenset({code})), lang=lang),
            BY_CODE[code].name,
        )
        for code in present
    ]


def page_path(page: PageView) -> str:
    """The published page closest to a view: its state's page when it shows exactly one
    state with a page, else the index (the default view). Relative to the site's root."""
    states = page.view.states
    if states is not None and len(states) == 1:
        (code,) = states
        return f"states/{BY_CODE[code].abbrev.lower()}.html"
    return "index.html"


def _page_url(base_url: str, stem: str) -> str:
    """A published page's absolute address: an index is its folder's ("…/mapa/",
    "…/mapa/en/"), any other page its .html file's."""
    if stem == "index" or stem.endswith("/index"):
        return base_url + stem.removesuffix("index")
    return f"{base_url}{stem}.html"


def _relative(from_stem: str, to_path: str) -> str:
    depth = from_stem.count("/")
    return "../" * depth + to_path


def _navigation(current: View, all_views: list[View], lang: str = DEFAULT_LANGUAGE) -> str:
    """A collapsed list of the other published views and the downloads, in `lang`."""
    t = translation(lang)
    links = [
        f'<a href="{escape_text(_relative(current.stem, v.stem + ".html"))}"'
        + (' aria-current="page"' if v.stem == current.stem else "")
        + f">{escape_text(v.label)}</a>"
        for v in all_views
    ]
    records, codes = t.gettext("All records (CSV)"), t.gettext("Embed codes")
    others, others_and_data = t.gettext("Other views"), t.gettext("Other views and the data")
    extras = (
        f'<a href="{escape_text(_relative(current.stem, RECORDS_PATH))}">'
        f"{escape_text(records)}</a> · "
        f'<a href="{escape_text(_relative(current.stem, "embed.html"))}">'
        f"{escape_text(codes)}</a>"
    )
    return (
        f'<nav class="tim-credit" aria-label="{escape_text(others)}">'
        f"<details><summary>{escape_text(others_and_data)}</summary>"
        f"<p>{' · '.join(links)}</p><p>{extras}</p></details></nav>"
    )


def _snippet(url: str, page_title: str) -> str:
    return (
        f'<iframe src="{escape_text(url)}" width="100%" height="{EMBED_HEIGHT}" '
        f'style="border:0" loading="lazy" title="{escape_text(page_title)}"></iframe>'
    )


def _image_snippet(url: str, alt: str) -> str:
    width, height = PNG_SIZE
    return (
        f'<img src="{escape_text(url)}" width="{width}" height="{height}" '
        f'style="max-width:100%;height:auto" alt="{escape_text(alt)}">'
    )


def embed_page(
    entries: list[tuple[View, str, str]],
    base_url: str,
    version: str,
    lang: str = DEFAULT_LANGUAGE,
    prefix: str = "",
) -> str:
    """embed.html: per view, a preview and the iframe and <img> snippets to copy.

    `entries` are (view, title, alt text; a view's stem may name its map page
    "….map"); `base_url` is where the folder will be served: without it there are no
    snippets, only the reason (a relative address breaks once pasted into a CMS);
    `lang` ("es" or "en"): the page's language; `prefix` the folder embed.html is in
    ("en/"), which the views' stems start with. With `base_url` its Open Graph and
    Twitter tags name its own address and the default view's PNG (index.png) as absolute
    addresses (meta_tags)."""
    t = translation(lang)
    style = STYLE_FILE.read_text(encoding="utf-8")
    heading = escape_text(t.gettext("Tapalpa incident map: embed codes"))
    intro = t.gettext(
        "Static copies of the map: they load no code from elsewhere and need no server "
        "behind them, so they carry any amount of traffic from a static host or CDN. "
        "Paste an iframe for the interactive map (popups and the ▶ replay), or the "
        "image with its alt text. Data version {version}."
    ).format(version=version)
    meta = meta_tags(
        t.gettext("Tapalpa incident map: embed codes"),
        intro,
        lang,
        url=f"{base_url}{prefix}embed.html" if base_url else "",
        image=f"{base_url}{prefix}index.png" if base_url else "",
        size=PNG_SIZE,
        kind="website",
    )
    open_map, all_records = t.gettext("Open the map"), t.gettext("All records (CSV)")
    iframe, image_alt = t.gettext("Iframe"), t.gettext("Image with alt text")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape_text(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{heading}</title>",
        f'<meta name="description" content="{escape_text(intro)}">',
        *meta,
        f"<style>{style}</style></head><body><main>",
        f"<h1>{heading}</h1>",
        f"<p>{escape_text(intro)}</p>",
    ]
    if not base_url:
        parts.append(
            '<p class="notice" role="note">'
            + t.gettext(
                "<strong>No embed codes here:</strong> this copy was published without its "
                "public address, and a relative address breaks once pasted into a CMS. "
                "Publish again with <code>--base-url https://…</code> (where this folder "
                "will be served) to get codes that work in any article."
            )
            + "</p>"
        )
    for number, (view, page_title, alt) in enumerate(entries, 1):
        local = view.stem.removeprefix(prefix)
        image = local.removesuffix(".map")
        html_url = base_url + view.stem + ".html"
        png_url = base_url + view.stem.removesuffix(".map") + ".png"
        parts += [
            f'<section aria-labelledby="v{number}"><h2 id="v{number}">'
            f"{escape_text(view.label)}</h2>",
            f"<p>{escape_text(page_title)}</p>",
            f'<p><a href="{escape_text(local)}.html">{escape_text(open_map)}</a></p>',
            f'<img src="{escape_text(image)}.png" alt="{escape_text(alt)}" '
            'width="400" height="250" loading="lazy">',
        ]
        if base_url:
            parts += [
                f'<label for="i{number}">{escape_text(iframe)}</label>',
                f'<textarea id="i{number}" readonly rows="3">'
                f"{escape_text(_snippet(html_url, page_title))}</textarea>",
                f'<label for="p{number}">{escape_text(image_alt)}</label>',
                f'<textarea id="p{number}" readonly rows="4">'
                f"{escape_text(_image_snippet(png_url, alt))}</textarea>",
            ]
        parts.append("</section>")
    records = base_url + RECORDS_PATH if base_url else _relative(prefix, RECORDS_PATH)
    parts += [
        f'<p><a href="{escape_text(records)}">{escape_text(all_records)}</a></p>',
        "</main></body></html>",
        "",
    ]
    return "\n".join(parts)


def site_files(
    bundle: Bundle,
    *,
    base_url: str = "",
    states: Iterable[str] | None = None,
    lang: str = DEFAULT_LANGUAGE,
    extra: Sequence[PageView] = (),
    live_url: str = "",
    languages: Sequence[str] | None = None,
) -> list[PublishedFile]:
    """Every file of the site, in a fixed order; nothing is written.

    `base_url` is the absolute address the folder will be served from (ending in "/"), used
    in embed.html's snippets and the view pages' Open Graph tags; `states` (INEGI codes)
    limits the state pages; `lang` ("es" or "en") is the language of the pages, PNGs,
    titles and alt text; `languages` several of them: the first at the root, each other
    under its own folder ("en/"). `extra`: the editor's own views, each a page of its own
    (publish_views.py); `live_url` the live page's public address they link to.
    Raises ValueError for a base_url that is not http(s)."""
    if base_url and not (base_url.startswith(("https://", "http://")) and base_url.endswith("/")):
        raise ValueError(f"base URL must be http(s) and end with '/': {base_url!r}")
    files: list[PublishedFile] = []
    for number, language in enumerate(languages or (lang,)):
        prefix = f"{language}/" if number else ""
        others = [(other, f"{other}/" if n else "") for n, other in enumerate(languages or (lang,))]
        others = [(other, path) for other, path in others if other != language]
        files += _language_files(
            bundle, base_url, states, language, extra, live_url, prefix, others
        )
        if not number:
            every = ViewFiles(bundle, views(bundle, states, language)[0].page, bundle.incidents)
            files.insert(-1, PublishedFile(RECORDS_PATH, RECORDS.build(every)))
    files = list({f.path: f for f in files}.values())  # a shared asset once
    manifest = {
        "data_version": bundle.version,
        "files": [
            {
                "path": f.path,
                "bytes": len(f.data),
                "sha256": hashlib.sha256(f.data).hexdigest(),
                **({"title": f.title} if f.title else {}),
                **({"alt": f.alt} if f.alt else {}),
            }
            for f in files
        ],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    files.append(PublishedFile(MANIFEST, text.encode("utf-8")))
    return files


def _language_files(
    bundle: Bundle,
    base_url: str,
    states: Iterable[str] | None,
    lang: str,
    extra: Sequence[PageView],
    live_url: str,
    prefix: str,
    others: Sequence[tuple[str, str]] = (),
) -> list[PublishedFile]:
    """One language's pages, PNGs, view pages and embed.html (the last file), under
    `prefix`; `others`: (language, prefix) of the site's other languages, whose copy of
    each view page it links to."""
    all_views = [replace(v, stem=prefix + v.stem) for v in views(bundle, states, lang)]
    files: list[PublishedFile] = []
    entries = []
    for view in all_views:
        selection = select(bundle, view.page)
        page_title, alt = title(view.page), alt_text(view.page, selection)
        # Shared links to the site's root or a state page get a card too (absolute
        # addresses only with base_url): the page's PNG, its own address.
        meta = meta_tags(
            page_title,
            alt,
            lang,
            url=_page_url(base_url, view.stem) if base_url else "",
            image=f"{base_url}{view.stem}.png" if base_url else "",
            size=PNG_SIZE,
            kind="website" if view.stem.endswith("index") else "article",
        )
        html, assets = map_page(
            bundle,
            view.page,
            view.stem,
            figure_items(
                view.page, selection, lang, national_figures(bundle.official, view.page.view, lang)
            ),
            _navigation(view, all_views, lang),
            lang,
            meta,
        )
        files.append(PublishedFile(f"{view.stem}.html", html.encode("utf-8"), page_title, alt))
        files += [PublishedFile(a.path, a.data) for a in assets]
        files.append(PublishedFile(f"{view.stem}.png", png_bytes(bundle, view.page), "", alt))
        entries.append((view, page_title, alt))
    for page in extra:
        page = replace(page, lang=lang, embed=False)
        stem = view_stem(page, prefix)
        twins = [(other, view_stem(page, path)) for other, path in others]
        made = view_page(bundle, page, stem, base_url, live_url, lang, twins)
        files += [PublishedFile(f.path, f.data, f.title, f.alt) for f in made]
        label = translation(lang).gettext("Your view: {title}").format(title=made[0].title)
        entries.append((View(stem + ".map", page, label), made[0].title, made[0].alt))
    files.append(
        PublishedFile(
            f"{prefix}embed.html",
            embed_page(entries, base_url, bundle.version, lang, prefix).encode("utf-8"),
            translation(lang).gettext("Tapalpa incident map: embed codes"),
        )
    )
    return files


def _previous_files(outdir: Path) -> list[Path]:
    """What an earlier publish wrote there; PublishError if the folder holds anything else."""
    if not outdir.exists():
        return []
    if not outdir.is_dir():
        raise PublishError(f"{outdir} exists and is not a folder")
    if not any(outdir.iterdir()):
        return []
    manifest = outdir / MANIFEST
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        paths = [outdir / entry["path"] for entry in listed]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PublishError(
            f"{outdir} is not empty and holds no {MANIFEST} from an earlier publish; "
            "choose an empty or new folder"
        ) from exc
    root = outdir.resolve()
    if any(not p.resolve().is_relative_to(root) for p in paths):
        raise PublishError(f"{manifest} lists files outside {outdir}")
    return [*paths, manifest]


def publish(
    bundle: Bundle,
    outdir: Path,
    *,
    base_url: str = "",
    states: Iterable[str] | None = None,
    lang: str = DEFAULT_LANGUAGE,
    extra: Sequence[PageView] = (),
    live_url: str = "",
    languages: Sequence[str] | None = None,
) -> list[PublishedFile]:
    """Write the site to `outdir` (created if needed) and return what was written.

    The folder must be new, empty, or an earlier publish (its manifest.json lists what to
    replace; files from that publish that are no longer produced are removed).
    Raises PublishError for any other folder, ValueError for a bad base_url, OSError when a
    file cannot be written."""
    files = site_files(
        bundle,
        base_url=base_url,
        states=states,
        lang=lang,
        extra=extra,
        live_url=live_url,
        languages=languages,
    )
    for old in _previous_files(outdir):
        old.unlink(missing_ok=True)
    for published in files:
        target = outdir / published.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(published.data)
    for folder in sorted(outdir.rglob("*"), key=lambda p: -len(p.parts)):
        if folder.is_dir() and not any(folder.iterdir()):  # left empty by an earlier run
            folder.rmdir()
    return files
