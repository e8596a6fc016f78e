"""Text is text: a value from a link, a file or a parameter name that holds Markdown or
HTML shows as those characters in every element kind the page uses for it (warning,
expander title, Markdown, caption), never as a link, an image or emphasis."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.conftest import APP, incident_row, open_sections, to_csv

LINK = "[Official: verify here](https://evil.example)"
IMAGE = "![](http://127.0.0.1:9/pixel)"
HTML = "<img src=x onerror=alert(1)>"


def live(text: str) -> bool:
    """Whether `text`, given to Streamlit's Markdown, would make a link (GFM autolinks a
    bare address too), an image or a tag. The page's own links (escape.link: an <a href>
    of an http(s) source) are left out."""
    text = re.sub(r'<a href="https?://[^"]*"', "<a", text)
    text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")  # the charts' own SVG
    return (
        "](http" in text
        or "<img" in text
        or "**Official" in text
        or "://" in text
        or "www." in text.lower()
    )


def opened(params: dict[str, str]) -> AppTest:
    at = open_sections(AppTest.from_file(str(APP), default_timeout=60))
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_link_value_in_the_warning_is_text():
    at = opened({"zoom": LINK, "states": f"{IMAGE},{HTML}"})
    warnings = [w.value for w in at.warning]
    assert any("Official: verify here" in w or "&#91;Official" in w for w in warnings)
    assert any("pixel" in w for w in warnings)
    assert not [w for w in warnings if live(w)], warnings


def test_a_link_value_in_the_embeds_notice_is_text():
    """An embed shows a bad link's notice inside the article: the value stays text."""
    at = opened({"embed": "true", "zoom": LINK, "types": "**x** www.evil.example"})
    warnings = [w.value for w in at.warning]
    assert warnings and any("verify here" in w for w in warnings), warnings
    assert not [w for w in warnings if live(w)], warnings


def test_a_parameter_name_in_the_warning_is_text():
    at = opened({LINK: "1", f"**{HTML}**": "2"})
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and "evil.example" in warnings[0]
    assert not live(warnings[0]) and "**" not in warnings[0], warnings


def test_a_file_name_in_the_expander_title_is_text():
    at = opened({})
    content = to_csv([incident_row()])
    at.file_uploader(key="upload").set_value((f"{LINK}{HTML}.csv", content, "text/csv")).run()
    assert not at.exception
    titles = [e.label for e in at.expander if "valid row" in e.label]
    assert titles and "evil.example" in titles[0]
    assert not live(titles[0]), titles


def test_file_values_in_markdown_and_captions_are_text():
    at = opened({})
    row = incident_row(
        incident_id=f"x{LINK}",
        summary=f"**Official** {LINK} {IMAGE} {HTML}",
        source_outlet=LINK,
        notes=HTML,
    )
    at.file_uploader(key="upload").set_value(("mine.csv", to_csv([row]), "text/csv")).run()
    at.checkbox(key="use_upload").check().run()
    assert not at.exception, at.exception
    at.selectbox(key="incident_choice").set_value(row["incident_id"]).run()
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert any("evil.example" in text for text in shown)  # the values are there...
    assert not [text for text in shown if live(text)]  # ...as text
