"""One spelling per municipality of a reader's file, as states have one code.

A file's `municipality` (ACLED's `admin2`) is free text: "Culiacan", "Culiacán" and
"CULIACAN" would be three rows of the per-municipality table. There is no INEGI
municipality catalogue in this repository, so municipalities are matched within their
state ignoring accents and case (mexico.fold), and each group is written one way:

1. as the bundled places (geodata/locations.geojson, each from published reporting with
   its source URL) write that municipality of that state ("Acapulco de Juárez");
2. else as the file's own rows write it with the most accented letters, then the most
   rows ("Culiacán" when any row has it; "Culiacan" stays when none does: a spelling is
   never made up).

Each rewritten spelling is reported once, as a warning naming the file, the field and the
value (as `columns.Checks.states` reports a state name read as its INEGI name).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from dashboard.model.mexico import BY_CODE, fold
from dashboard.model.schema import Report
from dashboard.text.message import msg

# Up to this many changed spellings are written with one vectorised pass each; more with
# one pass over the rows.
MASKED_CHANGES = 64


def _accents(text: str) -> int:
    return sum(1 for c in text if not c.isascii())


def spellings(
    frame: pd.DataFrame, locations: gpd.GeoDataFrame
) -> dict[tuple[str, str], tuple[str, bool]]:
    """(cve_ent, municipality as written) -> (the spelling to use, whether it is the
    bundled places' one), for the spellings of `frame` (columns `cve_ent`,
    `municipality`) that change; {} when every municipality is written one way."""
    pairs = (
        frame.assign(municipality=frame["municipality"].fillna("").astype(str))
        .groupby(["cve_ent", "municipality"], sort=False, observed=True)
        .size()
    )
    groups: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for (code, name), rows in pairs.items():
        if name.strip():
            groups.setdefault((str(code), fold(name)), []).append((name, int(rows)))
    known = {
        (str(code), fold(name)): name
        for code, name in zip(locations["cve_ent"], locations["municipality"], strict=True)
        if isinstance(name, str) and name
    }
    changes = {}
    for key, written in groups.items():
        bundled = known.get(key)
        if bundled is None and len(written) == 1:
            continue
        best = bundled or max(written, key=lambda w: (_accents(w[0]), w[1]))[0]
        for name, _ in written:
            if name != best:
                changes[(key[0], name)] = (best, bundled is not None)
    return changes


def one_spelling(
    frame: pd.DataFrame,
    locations: gpd.GeoDataFrame,
    name: str,
    report: Report,
    field: str = "municipality",
) -> pd.DataFrame:
    """`frame` (checked records: `cve_ent`, `municipality`) with each municipality written
    one way within its state (`spellings`); each change is a warning in `report` for the
    file `name` under `field` (ACLED's "admin2" for an ACLED file). Rows keep their order
    and index; the frame is returned as is when nothing changes."""
    changes = spellings(frame, locations)
    if not changes:
        return frame
    municipality = frame["municipality"]
    for (code, written), (best, bundled) in changes.items():
        state = BY_CODE[code].name if code in BY_CODE else code
        reason = (
            msg(
                "read as {name}, as the map's places write this municipality of {state} "
                "(accents and case aside)",
                name=best,
                state=state,
            )
            if bundled
            else msg(
                "read as {name}, as other rows of this file write this municipality of "
                "{state} (accents and case aside)",
                name=best,
                state=state,
            )
        )
        report.add(name, None, field, written, reason, severity="warning")
    codes = frame["cve_ent"].astype(str)
    if len(changes) <= MASKED_CHANGES:  # the usual case: a few spellings, vectorised
        new = municipality.copy()
        for (code, written), (best, _) in changes.items():
            new[(codes == code) & (municipality == written)] = best
    else:
        keys = zip(codes, municipality.fillna("").astype(str), strict=True)
        written = [changes.get(k, (k[1], False))[0] for k in keys]
        new = pd.Series(written, index=frame.index, dtype=municipality.dtype)
        new = new.where(municipality.notna(), municipality)
    return frame.assign(municipality=new)
