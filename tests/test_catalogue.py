"""The message catalogues: complete, not fuzzy, placeholders kept, in step with the code.

The Spanish catalogue is read as Babel reads it; the code's messages are extracted with
the project's own babel.cfg (so `msg()`/`msg_n()` messages count as well as `gettext`,
`ngettext` and `N_`), exactly as the README's `pybabel extract` command does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from tests.conftest import ROOT

LOCALE = ROOT / "dashboard" / "locale"
# str.format fields ({name}, {value!r}, {n:,}) and printf ones (%s, %(name)d, %%).
BRACES = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")
PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def forms(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def key(message) -> str | tuple[str, ...]:
    return message.id if isinstance(message.id, str) else tuple(message.id)


def placeholders(text: str, printf: bool = True) -> tuple[list[str], list[str]]:
    """The str.format fields and (for messages Babel flags python-format) printf ones."""
    return sorted(BRACES.findall(text)), sorted(PRINTF.findall(text)) if printf else []


@pytest.fixture(scope="module")
def spanish():
    return read(LOCALE / "es" / "LC_MESSAGES" / "messages.po")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The code's messages as `pybabel extract -F babel.cfg` finds them today."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-wrap",
            "--sort-by-file",
            "-o",
            str(out),
            str(ROOT),
        ]
    )
    return read(out)


def test_the_template_is_up_to_date_with_the_code(extracted):
    committed = {key(m) for m in read(LOCALE / "messages.pot") if m.id}
    current = {key(m) for m in extracted if m.id}
    assert current - committed == set(), "new messages: run the README's pybabel extract"
    assert committed - current == set(), "messages gone from the code: run pybabel extract"


def test_the_extraction_sees_the_report_messages(extracted):
    """babel.cfg's keywords are in force: msg() and both forms of msg_n() are found."""
    ids = {key(m) for m in extracted if m.id}
    assert "read as {name} (INEGI {cve_ent}, {iso})" in ids
    assert ("{n} error", "{n} errors") in ids


def test_every_template_message_is_in_both_catalogues():
    template = {key(m) for m in read(LOCALE / "messages.pot") if m.id}
    for lang in ("es", "en"):
        ids = {key(m) for m in read(LOCALE / lang / "LC_MESSAGES" / "messages.po") if m.id}
        assert template - ids == set(), f"run pybabel update ({lang})"


def test_every_spanish_message_has_every_form_translated(spanish):
    untranslated = [
        key(m)
        for m in spanish
        if m.id
        and (not forms(m.string) or not all(s.strip() for s in forms(m.string)))
        or (m.pluralizable and len(forms(m.string)) != spanish.num_plurals)
    ]
    assert untranslated == []


def test_no_fuzzy_entries():
    for lang in ("es", "en"):
        catalogue = read(LOCALE / lang / "LC_MESSAGES" / "messages.po")
        fuzzy = [key(m) for m in catalogue if m.id and m.fuzzy]
        assert fuzzy == [], lang
        text = (LOCALE / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        assert "#, fuzzy" not in text.split("\n\n", 1)[1], lang


def test_placeholders_are_identical_in_every_form(spanish):
    """Singular msgstr against the singular msgid, plural forms against the plural id."""
    wrong = []
    for message in spanish:
        if not message.id:
            continue
        ids = forms(message.id)
        printf = "python-format" in message.flags
        for index, text in enumerate(forms(message.string)):
            source = ids[0] if index == 0 else ids[-1]
            if placeholders(text, printf) != placeholders(source, printf):
                wrong.append((source, text))
    assert wrong == []


def test_the_english_catalogue_keeps_the_placeholders_where_it_rewords():
    for message in read(LOCALE / "en" / "LC_MESSAGES" / "messages.po"):
        if not message.id:
            continue
        ids = forms(message.id)
        printf = "python-format" in message.flags
        for index, text in enumerate(forms(message.string)):
            if text:
                source = ids[0] if index == 0 else ids[-1]
                assert placeholders(text, printf) == placeholders(source, printf), (source, text)


def test_no_python_words_in_the_messages(extracted):
    """Readers never see "None", "nan" or a hand-made plural such as "row(s)"."""
    for message in extracted:
        for text in forms(message.id):
            if not text:
                continue
            assert not re.search(r"\b(None|nan|True|False)\b", text), text
            assert not re.search(r"\w\(s\)", text.replace("http(s)", "http")), text


def test_no_obsolete_entries_linger():
    """Messages gone from the code leave the catalogues (no `#~` entries to merge)."""
    for lang in ("es", "en"):
        text = (LOCALE / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        assert "\n#~ " not in text, lang


# The usted forms of the commands the Spanish texts give; the page addresses its reader
# as tú ("Elige uno", "escribe para buscar"), so every text does (tester 10 #18).
USTED = re.compile(
    r"\b(?:use|dé|diga|corrija|escriba|agregue|explore|acerque|toque|guarde|suba|deje|"
    r"indique|vea|vuelva|elija|seleccione|revise|intente|descargue|pruebe|regístrela|usted)\b",
    re.IGNORECASE,
)


def test_the_spanish_texts_speak_to_the_reader_as_tu(spanish):
    usted = [
        text
        for message in spanish
        if message.id
        for text in forms(message.string)
        if USTED.search(BRACES.sub("", text))
    ]
    assert usted == []
