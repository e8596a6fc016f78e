"""Record id -> line: where a record of a file is (its CSV line, GeoJSON feature or JSON
record, as `read.Table.rows` numbers them), for messages about records by id."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.read import TRIMMED


class IdLines(Mapping):
    """Record id -> its line or feature number (`rows`), the first row of each id, as a
    dict of every id would give them, without one: a country-scale file's million ids
    are not each made a Python string for the few records the data checks name. The
    first LOOKUPS lookups each search the ids in one Arrow pass; after that (or on
    iteration) the dict is built once."""

    LOOKUPS = 32

    def __init__(self, ids: pa.Array | pa.ChunkedArray, rows: np.ndarray):
        self._ids, self._rows = ids, rows
        self._dict: dict[str, int] | None = None
        self._looked = 0

    def _whole(self) -> dict[str, int]:
        if self._dict is None:
            ids = self._ids.to_pylist()
            self._dict = dict(zip(reversed(ids), reversed(self._rows.tolist()), strict=True))
        return self._dict

    def __getitem__(self, key: str) -> int:
        if self._dict is None and self._looked < self.LOOKUPS and isinstance(key, str):
            self._looked += 1
            at = pc.index(self._ids, pa.scalar(key, self._ids.type)).as_py()
            if at < 0:
                raise KeyError(key)
            return int(self._rows[at])
        return self._whole()[key]

    def __iter__(self):
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __bool__(self) -> bool:  # as the dict's: any id at all (without building it)
        return len(self._ids) > 0


def id_lines(frame: pd.DataFrame, rows: np.ndarray) -> Mapping[str, int] | None:
    """Record id -> its line (CSV, header = line 1) or feature number (`rows`, a table's
    row numbers): the first row of each id (validation refuses a repeated id), keyed by
    `incident_id`, or by `event_id_cnty` in an ACLED file, each id as text stripped of
    white space (str.strip); None when there is neither. An `IdLines` when the column
    holds pandas' Arrow-backed "str", else a dict."""
    column = next((c for c in ("incident_id", "event_id_cnty") if c in frame.columns), None)
    if column is None:
        return None
    values = frame[column]
    if isinstance(values.dtype, pd.StringDtype) and hasattr(values.array, "__arrow_array__"):
        arrow = pc.fill_null(pa.array(values.array).cast(pa.large_string()), "")
        # What str.strip() removes: every character str.isspace() calls white space.
        return IdLines(pc.utf8_trim(arrow, TRIMMED + "\u2028\u2029"), rows)
    ids = values.fillna("").astype(str).str.strip().tolist()
    return dict(zip(reversed(ids), reversed(rows.tolist()), strict=True))
