"""Where a view's records come from when they are not the bundled data: a user's file.

Exports of a user's file name it (file name, detected format and encoding, when it was
checked) and claim nothing of the bundled data (its licence, sources, data version,
permalink or the official Tapalpa figures): render/export.py reads a `UserFile`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from dashboard.model.mexico import MEXICO_CITY
from dashboard.text.i18n import N_, format_datetime, translation

DATA_VERSION = N_("data version {version}")
DATA_VERSION_CAPITAL = N_("Data version {version}")
USER_FILE = N_("your file {name}, checked {date}")
USER_FILE_CAPITAL = N_("Your file {name}, checked {date}")


@dataclass(frozen=True)
class UserFile:
    """A user's incidents file as it was checked.

    name: the file's name as the user gave it (upload name or CLI path); format: as
    detect.detect_format says ("csv", "geojson", "acled-csv"...); encoding: as read.py
    detected it ("utf-8", "cp1252"...); checked_at: when it was validated (aware, UTC).
    """

    name: str
    format: str
    encoding: str
    checked_at: datetime

    @classmethod
    def now(cls, name: str, format: str, encoding: str) -> UserFile:
        """A file checked now."""
        return cls(name, format, encoding, datetime.now(UTC))

    def as_dict(self) -> dict[str, str]:
        """The JSON form exports carry: name, format, encoding, checked (ISO 8601, UTC)."""
        checked = self.checked_at.astimezone(UTC).isoformat(timespec="seconds")
        return {
            "name": self.name,
            "format": self.format,
            "encoding": self.encoding,
            "checked": checked.replace("+00:00", "Z"),
        }


def data_label(version: str, origin: UserFile | None, lang: str, capital: bool = False) -> str:
    """What a picture or page says its records are, in `lang`: "data version f1a7c0e0c1"
    for the bundled data (`version`: its content hash), or, for a user's file (`origin`),
    "your file acled.csv, checked 7 dic 2026" (the day it was checked, Mexico City time),
    never the bundled data's version. `capital`: the sentence-initial form."""
    t = translation(lang)
    if origin is None:
        return t.gettext(DATA_VERSION_CAPITAL if capital else DATA_VERSION).format(version=version)
    day = format_datetime(origin.checked_at.astimezone(MEXICO_CITY), lang, "d MMM y")
    return t.gettext(USER_FILE_CAPITAL if capital else USER_FILE).format(name=origin.name, date=day)
