from __future__ import annotations

import json

import pytest

from dashboard.text.escape import escape_markdown, escape_text, link, script_json


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("${alert(1)}", "&#36;&#123;alert(1)&#125;"),
        (
            "</script><script>alert(1)</script>",
            "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        ),
        ("`", "&#96;"),
        ("a\\b", "a&#92;b"),
        ("\"quoted\" & 'single'", "&quot;quoted&quot; &amp; &#x27;single&#x27;"),
        ("{{ 7*7 }}", "&#123;&#123; 7*7 &#125;&#125;"),
        ("Michoacán", "Michoacán"),
        (None, ""),
    ],
)
def test_escape_text(raw, escaped):
    assert escape_text(raw) == escaped


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "ftp://x.org/a",
        "//evil.org",
        "http://",
    ],
)
def test_only_http_links(url):
    html = link(url, "label")
    assert "<a" not in html and "href" not in html


def test_http_link_is_escaped_and_isolated():
    html = link('https://example.org/a?b=1&c="x"', "<b>Outlet</b>")
    assert html.startswith('<a href="https://example.org/a?b=1&amp;c=&quot;x&quot;"')
    assert 'rel="noopener noreferrer"' in html and 'target="_blank"' in html
    assert "&lt;b&gt;Outlet&lt;/b&gt;" in html


def test_script_json_cannot_close_the_script():
    text = script_json(["</script><script>alert(1)</script>", "<!--"])
    assert "</script" not in text and "<!--" not in text
    assert json.loads(text) == ["</script><script>alert(1)</script>", "<!--"]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("[click](javascript:alert(1))", "&#91;click&#93;&#40;javascript:alert&#40;1&#41;&#41;"),
        ("**bold** _x_", "&#42;&#42;bold&#42;&#42; &#95;x&#95;"),
        ("<b>${x}</b>", "&lt;b&gt;&#36;&#123;x&#125;&lt;/b&gt;"),
        ("Michoacán: 3 | 4", "Michoacán: 3 &#124; 4"),
        # GFM autolinks a bare address in the raw text, entities and all: never here.
        ("see https://evil.example/x", "see https&#58;//evil.example/x"),
        ("WWW.evil.example", "WWW&#46;evil.example"),
        ("me@evil.example", "me&#64;evil.example"),
    ],
)
def test_escape_markdown(raw, escaped):
    assert escape_markdown(raw) == escaped
