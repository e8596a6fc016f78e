"""Where a view's records come from when they are not the bundled data: a user's file.

Exports of a user's file name it (file name, detected format and encoding, when it was
checked) and claim nothing of the bundled data (its licence, sources, data version,
permalink or the official Tapalpa figures): render/export.py reads a `UserFile`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


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
