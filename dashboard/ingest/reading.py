"""How a delimited text file was read, in words for the report (page and CLI): its
delimiter and where it came from (Excel's `sep=` first line, or the header), its line
endings, and whether numbers were read with a decimal comma. The rules are read.py's and
shapes.py's (a `sep=` line names the delimiter and is skipped; else the header's most
frequent of comma, semicolon and tab; a semicolon or tab file's numbers take a decimal
comma); this module only states them for one file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from dashboard.ingest.read import sniff_delimiter
from dashboard.ingest.shapes import _SEP
from dashboard.text.i18n import translation

DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
TEXT_FORMATS = ("csv", "acled-csv")


@dataclass(frozen=True)
class Reading:
    """delimiter: the character read between fields; sep_line: it came from a `sep=`
    first line (skipped; the header is line 2); line_endings: "LF", "CRLF", "CR" or
    "mixed"; decimal_comma: numbers were read with a decimal comma (a ';' or tab file)."""

    delimiter: str
    sep_line: bool
    line_endings: str
    decimal_comma: bool

    def as_dict(self) -> dict:
        """JSON-ready: the fields by name (the delimiter as the character)."""
        return asdict(self)


def line_endings(data: bytes) -> str:
    """ "LF", "CRLF", "CR" or "mixed" (more than one kind) for a file's bytes in an
    ASCII-compatible encoding; "LF" for a file of one line."""
    crlf = data.count(b"\r\n")
    kinds = {
        "CRLF": crlf,
        "CR": data.count(b"\r") - crlf,
        "LF": data.count(b"\n") - crlf,
    }
    present = [k for k, n in kinds.items() if n]
    return present[0] if len(present) == 1 else ("mixed" if present else "LF")


def how_read(data: bytes, file_format: str, encoding: str, name: str = "") -> Reading | None:
    """How `data` (the file's bytes; `file_format` and `encoding` as validate detected
    them) was read, for a delimited text file (TEXT_FORMATS); None for GeoJSON, JSON and
    UTF-16 text (whose line ends are not single bytes)."""
    if file_format not in TEXT_FORMATS or encoding.replace("_", "-").startswith("utf-16"):
        return None
    found = _SEP[bytes].match(data)
    if found is not None:
        delimiter = found.group(2).decode("ascii")
    else:
        head = data[:65_536].decode(encoding or "utf-8", errors="replace").lstrip("\ufeff")
        delimiter = sniff_delimiter(head.replace("\r", "\n").split("\n", 1)[0], name)
    return Reading(delimiter, found is not None, line_endings(data), delimiter in (";", "\t"))


def reading_text(reading: Reading, lang: str = "en") -> str:
    """One sentence in `lang`: "Delimiter ';' (from the sep= line, which was skipped: the
    header is line 2); line endings CR; decimal comma in numbers." """
    t = translation(lang)
    shown = DELIMITER_NAMES.get(reading.delimiter, repr(reading.delimiter))
    if reading.delimiter == "\t":
        shown = t.gettext("tab")
    parts = [
        (
            t.gettext(
                "Delimiter {delimiter} (from the sep= line, which was skipped: the header is "
                "line 2)"
            )
            if reading.sep_line
            else t.gettext("Delimiter {delimiter} (from the header)")
        ).format(delimiter=shown),
        t.gettext("line endings {endings}").format(
            endings=t.gettext("mixed") if reading.line_endings == "mixed" else reading.line_endings
        ),
    ]
    if reading.decimal_comma:
        parts.append(t.gettext("decimal comma in numbers"))
    return "; ".join(parts) + "."
