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
    assert "&#60;b&#62;Outlet&#60;/b&#62;" in html


def test_script_json_cannot_close_the_script():
    text = script_json(["</script><script>alert(1)</script>", "<!--"])
    assert "</script" not in text and "<!--" not in text
    assert json.loads(text) == ["</script><script>alert(1)</script>", "<!--"]


WJ = "\u2060"  # word joiner: invisible, breaks the patterns of parsed-text transforms


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        # inline syntax, anywhere
        ("[click](javascript:alert(1))", "&#91;click&#93;&#40;javascript:alert&#40;1&#41;&#41;"),
        ("![x](http://h/p)", "&#33;&#91;x&#93;&#40;http:\u2060//h/p&#41;"),
        ("**bold** _x_ ~~s~~", "&#42;&#42;bold&#42;&#42; &#95;x&#95; &#126;&#126;s&#126;&#126;"),
        ("<b>${x}</b>", "&#60;b&#62;&#36;&#123;x&#125;&#60;/b&#62;"),
        ("`code` a\\b", "&#96;code&#96; a&#92;b"),
        ("Michoacán: 3 | 4", "Michoacán: 3 &#124; 4"),
        ("22 Feb 20:00", "22 Feb 20:00"),
        ("\"q\" & 'x'", "&#34;q&#34; &#38; &#39;x&#39;"),
        ("$x^2$", "&#36;x^2&#36;"),
        # Streamlit's directives and shortcodes
        (":red[X]", "&#58;\u2060red&#91;X&#93;"),
        ("a :material/warning: :smile:", "a :\u2060material/warning: :\u2060smile:"),
        # GFM autolink literals: matched after references are decoded, so broken apart
        ("see https://evil.example/x", "see https:\u2060//evil.example/x"),
        ("WWW.evil.example", "WWW\u2060.evil.example"),
        ("me@evil.example", "me@\u2060evil.example"),
        # line breaks, so no line but the first starts in a value
        ("x\n# H", "x &#35; H"),
        ("T\r\n===\n\n- L", "T ===  - L"),
        ("a\u2028b\u2029c\x85d\x0be\x0cf", "a b c d e f"),
        # what a line's start makes a block
        ("# H", "&#35; H"),
        ("> q", "&#62; q"),
        ("- l", "&#45; l"),
        ("+ l", "&#43; l"),
        ("=== ", "&#61;== "),
        ("12. l", "12&#46; l"),
        ("3) l", "3&#41; l"),
        ("    code", "&#32;   code"),
        ("2026-02-22", "2026-02-22"),
        ("", ""),
        (None, ""),
    ],
)
def test_escape_markdown(raw, escaped):
    assert escape_markdown(raw) == escaped
