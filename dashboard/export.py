"""The filtered records as a CSV an analyst can open in a spreadsheet."""

from __future__ import annotations

import pandas as pd

from .mexico import BY_CODE

COLUMNS = (
    "incident_id",
    "start",
    "end",
    "time_precision",
    "part_of_day",
    "event_type",
    "state",
    "cve_ent",
    "municipality",
    "place",
    "latitude",
    "longitude",
    "geo_precision",
    "blockades",
    "fatalities",
    "injured",
    "arrested",
    "summary",
    "source_url",
    "source_outlet",
    "source_date",
    "more_source_urls",
    "confidence",
    "disputed",
    "notes",
)
# Spreadsheets run cells that start with these as formulas (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(value) -> str:
    return (
        "" if value is None or pd.isna(value) else pd.Timestamp(value).isoformat(timespec="minutes")
    )


def defuse(value: object) -> object:
    # A leading apostrophe is escaped too, so reading undoes exactly this (read.py).
    if isinstance(value, str) and value.startswith((*FORMULA_START, "'")):
        return "'" + value
    return value


def records_csv(selected: pd.DataFrame) -> str:
    frame = pd.DataFrame(
        {
            **{c: selected[c] for c in COLUMNS if c in selected.columns},
            "start": [_iso(v) for v in selected["start"]],
            "end": [_iso(v) for v in selected["end"]],
            "state": [BY_CODE[c].name for c in selected["cve_ent"]],
            "latitude": selected["lat"].round(5),
            "longitude": selected["lon"].round(5),
        }
    )
    frame = frame.reindex(columns=list(COLUMNS))
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    for column in text_columns:
        frame[column] = frame[column].map(defuse)
    return frame.to_csv(index=False, lineterminator="\n")
