"""File shapes that spreadsheets and GIS tools write, made plain before a file is read
(`read.py`): Excel's line ends, `sep=` line and byte-order marks; a GeoJSON `crs` member.

Pure: bytes or text in, bytes or text out (and problems to a `Report`).
"""

from __future__ import annotations

import json
import re

import numpy as np

from dashboard.model.schema import MEXICO_BOUNDS, Report
from dashboard.text.message import msg

# Excel's first line naming the delimiter ("sep=;"), after an optional byte-order mark.
_SEP_LINE = r'\A(\ufeff)?[ \t]*"?sep=([,;\t|])"?[ \t]*(?=\r\n|\r|\n)'
_SEP = {str: re.compile(_SEP_LINE, re.IGNORECASE)}
_SEP[bytes] = re.compile(
    _SEP_LINE.replace("\\ufeff", "\xef\xbb\xbf").encode("latin-1"), re.IGNORECASE
)
_LONE_CR = {str: re.compile(r"\r(?!\n)"), bytes: re.compile(rb"\r(?!\n)")}


def _lone_cr(data) -> bool:
    """Whether a carriage return is not followed by a line feed (bytes: with numpy, about
    five times faster than a regular expression on a CRLF file)."""
    if isinstance(data, str):
        return _LONE_CR[str].search(data) is not None
    codes = np.frombuffer(data, dtype=np.uint8)
    at = np.flatnonzero(codes == 0x0D)
    return bool(len(at)) and (at[-1] == len(codes) - 1 or bool((codes[at + 1] != 0x0A).any()))


def spreadsheet_lines(data):
    """(data, delimiter or None): a file's bytes (any ASCII-compatible encoding) or
    decoded text, with the line shapes spreadsheets write made plain, line numbers kept.

    - a carriage return alone (Mac Excel's "CSV (Macintosh)", or mixed line ends) ends a
      line, as a line feed does (inside a quoted value it becomes a line feed);
    - a byte-order mark at the start of a line other than the first (files joined after
      export, each with its mark) is removed; the first line's is the decoder's;
    - Excel's `sep=;` first line is emptied (the line stays, so later lines keep their
      numbers) and its delimiter returned (comma, semicolon, tab or bar).
    """
    kind = type(data)
    cr, lf = ("\r", "\n") if kind is str else (b"\r", b"\n")
    bom = "\ufeff" if kind is str else "\ufeff".encode()
    if cr in data and _lone_cr(data):  # (two replaces: much faster than a regex sub)
        data = data.replace(cr + lf, lf).replace(cr, lf)
    # (a search for one character is a memchr: fast where the longer pattern is not)
    if bom[:1] in data and lf + bom in data:
        data = data.replace(lf + bom, lf)
    found = _SEP[kind].match(data)
    if found is None:
        return data, None
    delimiter = found.group(2)
    delimiter = delimiter if kind is str else delimiter.decode("ascii")
    return (found.group(1) or data[:0]) + data[found.end() :], delimiter


def _wgs84(crs_name: str) -> tuple[bool, str] | None:
    """(whether the name is WGS84 in either axis order, its CRS's name); None when pyproj
    does not know the name."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_user_input(crs_name)
    except CRSError:
        return None
    return crs.equals(CRS.from_epsg(4326), ignore_axis_order=True), crs.name


def crs_axis_order(doc: dict, features: list, name: str, report: Report) -> bool | None:
    """Whether to swap each Point's two numbers (a `crs` naming WGS84 in latitude,
    longitude order, as EPSG:4326 officially is, whose points do fall in Mexico read that
    way), False to read them as RFC 7946's longitude, latitude; None when the file is
    refused: its `crs` member (obsolete since RFC 7946, which is WGS84 lon/lat only) names
    another reference system (UTM, Web Mercator: the coordinates are metres) or none
    that pyproj knows. pyproj decides what a name means (EPSG codes, OGC URNs, CRS84).
    A WGS84 `crs` is read with a warning naming it.
    """
    member = doc.get("crs")
    if member is None:
        return False
    crs_name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    shown = json.dumps(member, ensure_ascii=False)[:200]
    known = _wgs84(crs_name) if isinstance(crs_name, str) else None
    if known is None or not known[0]:
        reason = (
            msg(
                "the GeoJSON crs member names {crs}, not WGS84: reproject the file to WGS84 "
                "longitude/latitude (RFC 7946), e.g. ogr2ogr -t_srs EPSG:4326",
                crs=known[1],
            )
            if known is not None
            else msg(
                "the GeoJSON crs member names no coordinate reference system this reader "
                "knows: give WGS84 longitude/latitude (RFC 7946) without a crs member"
            )
        )
        report.add(name, None, "crs", shown, reason)
        return None
    west, south, east, north = MEXICO_BOUNDS
    as_given = as_swapped = 0
    for feature in features[:1000]:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        point = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if not isinstance(point, list) or len(point) < 2:
            continue
        x, y = point[0], point[1]
        if not all(isinstance(v, int | float) for v in (x, y)):
            continue
        as_given += west <= x <= east and south <= y <= north
        as_swapped += west <= y <= east and south <= x <= north
    swap = as_swapped > as_given
    report.add(
        name,
        None,
        "crs",
        shown,
        msg("the GeoJSON crs member names WGS84 in latitude, longitude order: read that way")
        if swap
        else msg("the GeoJSON crs member names WGS84: read as longitude, latitude"),
        severity="warning",
    )
    return swap
