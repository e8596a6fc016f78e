"""The view's image files for publication: PNG or SVG at a preset size (render/pngpresets),
each with its title and alt text: in the PNG's text chunks (Title, Description), as the
SVG's <title> and <desc> (read by screen readers where the SVG is inlined), and as a
short text file beside them from the CLI (`alt_sidecar`).

Byte-identical for the same view and data (the SVG's ids are fixed by a hash salt).
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

import matplotlib

from dashboard.analysis.permalink import PageView
from dashboard.ingest.bundle import Bundle
from dashboard.model.origin import data_label
from dashboard.render.pngpresets import PRESETS, PngPreset
from dashboard.render.snapshot import alt_text, language, png_figure, title
from dashboard.text.escape import escape_text


def preset_named(name: str | None) -> PngPreset | None:
    """PRESETS[name]; None for None. Raises KeyError for an unknown name."""
    return None if name is None else PRESETS[name]


def image_bytes(
    bundle: Bundle,
    page: PageView,
    image_format: str = "png",
    preset: PngPreset | None = None,
    size: tuple[int, int] | None = None,
    screen: tuple[int, int] | None = None,
    lang: str | None = None,
) -> bytes:
    """The view as a PNG or SVG (`image_format`), at `preset`'s size and layout (else
    `size`, else 1600 x 1000), its title and alt text embedded. `screen`: the map's size
    on screen (snapshot.map_extent). Raises ValueError for a size out of range."""
    page = replace(page, lang=language(page, lang))
    kwargs = {"preset": preset, "screen": screen}
    if size is not None and preset is None:
        kwargs["size"] = size
    fig, selection = png_figure(bundle, page, **kwargs)
    name, described = title(page), alt_text(page, selection)
    buffer = io.BytesIO()
    if image_format == "svg":
        with matplotlib.rc_context({"svg.hashsalt": "tapalpa", "svg.fonttype": "none"}):
            fig.savefig(
                buffer,
                format="svg",
                dpi=100,
                metadata={"Title": name, "Description": described, "Date": None, "Creator": None},
            )
        return _svg_title(buffer.getvalue().decode("utf-8"), name, described).encode("utf-8")
    fig.savefig(
        buffer,
        format="png",
        dpi=100,
        metadata={
            "Title": name,
            "Description": described,
            "Source": data_label(bundle.version, bundle.origin, page.lang),
            "Software": None,
        },
    )
    return buffer.getvalue()


def _svg_title(svg: str, name: str, described: str) -> str:
    """The SVG with role="img", a <title> and a <desc> as the root's first children
    (text escaped), so a screen reader names and describes it."""
    return re.sub(
        r"(<svg\b[^>]*?)>",
        lambda m: (
            f'{m.group(1)} role="img" aria-labelledby="tapalpa-title tapalpa-desc">'
            f'<title id="tapalpa-title">{escape_text(name)}</title>'
            f'<desc id="tapalpa-desc">{escape_text(described)}</desc>'
        ),
        svg,
        count=1,
    )


def alt_sidecar(bundle: Bundle, page: PageView, lang: str | None = None) -> str:
    """The text file the CLI writes beside an image: its title, a blank line, its alt
    text, in the view's language."""
    page = replace(page, lang=language(page, lang))
    from dashboard.render.snapshot import select

    return f"{title(page)}\n\n{alt_text(page, select(bundle, page))}\n"
