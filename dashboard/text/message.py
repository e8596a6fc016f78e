"""A message a person reads, kept as its catalogue id and values until it is shown.

Validation problems, quality findings and CLI lines are built once and read in either
language: a `Message` holds the English message id (with named placeholders such as
`{name}`), for plurals the plural id and the count, and the values. `text(lang)` looks
the id up in the gettext catalogue (dashboard/locale, see dashboard.text.i18n) and fills in the
values; `str()` is the English text. A value may itself be a Message (a reason inside a
finding): it is shown in the same language.

Mark messages with `msg(...)` and `msg_n(...)`: babel.cfg tells `pybabel extract` to
collect their first argument (and `msg_n`'s second, the plural).

Pure core: never imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.text.i18n import translation


class Message:
    """An English message id, its plural and count (or None), and its values.

    Immutable and hashable (values must be hashable); compares by content.
    """

    __slots__ = ("singular", "plural", "n", "values")

    def __init__(
        self,
        singular: str,
        plural: str | None = None,
        n: int | None = None,
        values: Mapping[str, object] | None = None,
    ):
        object.__setattr__(self, "singular", singular)
        object.__setattr__(self, "plural", plural)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "values", tuple(sorted((values or {}).items())))

    def __setattr__(self, name, value):
        raise AttributeError("Message is immutable")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return (_rebuild, (self.singular, self.plural, self.n, self.values))

    def __eq__(self, other):
        return isinstance(other, Message) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def _key(self):
        return (self.singular, self.plural, self.n, self.values)

    def __repr__(self) -> str:
        return f"Message({self.singular!r}, values={dict(self.values)!r})"

    def __str__(self) -> str:
        return self.text("en")

    def template(self, lang: str = "en") -> str:
        """The catalogue's text in `lang` with its placeholders still in braces."""
        t = translation(lang)
        if self.plural is None:
            return t.gettext(self.singular)
        return t.ngettext(self.singular, self.plural, int(self.n or 0))

    def text(self, lang: str = "en") -> str:
        """The message in "es" or "en" (an unknown language gets English), values filled.

        Never raises on a catalogue whose placeholders differ from the code's (the
        catalogue test catches that): the English text is used instead.
        """
        values = {k: text_in(v, lang) if isinstance(v, Message) else v for k, v in self.values}
        try:
            return self.template(lang).format(**values)
        except (KeyError, IndexError, ValueError):
            return self.template("en").format(**values)


def _rebuild(singular, plural, n, values) -> Message:
    return Message(singular, plural, n, dict(values))


def msg(message: str, /, **values: object) -> Message:
    """A catalogue message (English id with `{placeholders}`) and its values."""
    return Message(message, values=values)


def msg_n(singular: str, plural: str, n: int, /, **values: object) -> Message:
    """A message with a plural chosen by `n` (ngettext); `{n}` is available as a value."""
    return Message(singular, plural, int(n), {"n": n, **values})


def text_in(message: Message | str | None, lang: str) -> str:
    """A Message in `lang`; a plain string is shown as it is; None gives ""."""
    if message is None:
        return ""
    if isinstance(message, Message):
        return message.text(lang)
    return str(message)
