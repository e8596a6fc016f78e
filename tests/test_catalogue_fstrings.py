"""Every message the code translates reaches the catalogue: pybabel's Python extractor
(Python 3.11 tokens) does not look inside f-strings, so a gettext call written inside one
is never extracted and shows in English on the Spanish page ("Filters", "Your data" in
the sidebar were). The call goes outside the f-string, into a name or an argument."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

TRANSLATING = {"gettext", "ngettext", "pgettext", "_", "N_", "msg", "msg_n"}


def calls_inside_fstrings(source: str) -> list[tuple[int, str]]:
    """(line, name) of each translating call written inside an f-string of `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call):
                func = inner.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in TRANSLATING and inner.args and isinstance(inner.args[0], ast.Constant):
                    found.append((inner.lineno, name))
    return found


def test_the_check_finds_a_call_inside_an_fstring():
    assert calls_inside_fstrings("x = f'<p>{t.gettext(\"Filters\")}</p>'") == [(1, "gettext")]
    assert calls_inside_fstrings("label = t.gettext('Filters')\nx = f'<p>{label}</p>'") == []


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "dashboard").rglob("*.py")),
)
def test_no_message_is_written_inside_an_fstring(path):
    assert calls_inside_fstrings((ROOT / path).read_text(encoding="utf-8")) == []
