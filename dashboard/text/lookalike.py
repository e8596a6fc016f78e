"""Characters a reader cannot see or cannot tell apart: named, with their code point.

A header `latitude` followed by U+200B ZERO WIDTH SPACE, or an id `N1` whose `N` is
Greek, looks like the plain text but is not: a column goes "missing", two records that
look the same are two. `hidden(text)` lists such characters; `plain(text)` is the text
without the invisible ones, with each look-alike letter replaced by the Latin letter it
imitates and each other space by a plain one; `described(text)` names them for a message
("U+200B ZERO WIDTH SPACE").

Invisible: Unicode format characters (category Cf: zero-width spaces and joiners, the
byte-order mark, bidirectional marks), controls other than tab and line breaks, and
spaces other than U+0020 (no-break and the typographic ones, category Zs), line and
paragraph separators and private-use characters; also combining marks (category Mn: an
accent written as a second character, "n" + U+0303, as macOS and some exports decompose
"ñ"; `plain` composes them). Look-alikes: the
Cyrillic and Greek letters that Unicode's confusables table (UTS #39, confusables.txt)
maps to a single Latin letter or digit, a small fixed list below (the letters seen in
copied headers and ids); accented Latin letters are ordinary text and never flagged.

Pure: text in, text out.
"""

from __future__ import annotations

import unicodedata

# Cyrillic and Greek letters that UTS #39 confusables.txt maps to one ASCII letter.
LOOKALIKES = {
    "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K", "\u041c": "M",
    "\u041d": "H", "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T",
    "\u0425": "X", "\u0405": "S", "\u0406": "I", "\u0408": "J",
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c",
    "\u0443": "y", "\u0445": "x", "\u0455": "s", "\u0456": "i", "\u0458": "j",
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H",
    "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O",
    "\u03a1": "P", "\u03a4": "T", "\u03a5": "Y", "\u03a7": "X",
    "\u03bf": "o", "\u03b9": "i", "\u03bd": "v",
}  # fmt: skip
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
# The same set as an RE2 character class, for a whole column at once (pyarrow):
# controls but tab and line breaks, format characters, spaces but U+0020, private use
# and combining marks (\p{Co}, \p{Mn}: RE2's syntax; Python's re has no \p) and the
# look-alike letters.
HIDDEN_CLASS = (
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\p{Cf}\p{Co}\p{Mn}\x{00a0}\x{1680}"
    r"\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
    + "".join(f"\\x{{{ord(c):04x}}}" for c in sorted(LOOKALIKES))
    + "]"
)


def is_hidden(char: str) -> bool:
    """Whether one character is invisible or a look-alike (see the module's note)."""
    if char in LOOKALIKES:
        return True
    if char.isascii():
        return not char.isprintable() and char not in _ALLOWED_CONTROLS
    category = unicodedata.category(char)
    return category in ("Cf", "Cc", "Zs", "Zl", "Zp", "Co", "Mn")


def hidden(text: str) -> list[str]:
    """The distinct invisible or look-alike characters of `text`, in order of appearance."""
    if text.isascii() and text.isprintable():
        return []
    return list(dict.fromkeys(c for c in text if is_hidden(c)))


def plain(text: str) -> str:
    """`text` in Unicode's composed form (NFC: "n" + U+0303 is "ñ"), without invisible
    characters, look-alikes replaced by their Latin letter, other spaces (no-break,
    thin...) by U+0020."""
    text = unicodedata.normalize("NFC", text)
    return "".join(LOOKALIKES.get(c, _replacement(c) if is_hidden(c) else c) for c in text)


def _replacement(char: str) -> str:
    return " " if unicodedata.category(char) == "Zs" else ""


def code_point(char: str) -> str:
    """ "U+200B ZERO WIDTH SPACE": the code point and its Unicode name (if it has one)."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def described(text: str) -> str:
    """The hidden characters of `text` named, joined by ", " ("" when there are none)."""
    return ", ".join(code_point(c) for c in hidden(text))


def visible(text: str) -> str:
    """`text` as a message shows it: each invisible or look-alike character written as its
    code point in angle brackets ("N1" + U+200B -> "N1<U+200B>"; a Greek "Ν1" ->
    "<U+039D>1"), so two values that look the same are told apart on screen; text without
    such characters is returned unchanged."""
    if not hidden(text):
        return text
    return "".join(f"<U+{ord(c):04X}>" if is_hidden(c) else c for c in text)
