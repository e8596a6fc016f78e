"""Load, validate and join the bundled geodata once: everything a view needs."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.ingest.geodata_files import (
    validate_key_moments,
    validate_locations,
    validate_official,
    validate_states,
)
from dashboard.ingest.validate import validate_incidents
from dashboard.model import bundled_files
from dashboard.model.origin import UserFile
from dashboard.model.schema import Report
from dashboard.model.timing import not_before


@dataclass(frozen=True)
class Bundle:
    states: gpd.GeoDataFrame  # full resolution: joins and checks
    states_display: gpd.GeoDataFrame  # simplified: drawing
    locations: gpd.GeoDataFrame
    operation_site: gpd.GeoDataFrame
    incidents: pd.DataFrame  # validated records joined to places and states
    official: pd.DataFrame
    key_moments: pd.DataFrame
    report: Report
    version: str
    # None for the bundled data; a user's file when its records replace the bundled ones
    origin: UserFile | None = None

    def with_user_file(self, records: pd.DataFrame, origin: UserFile) -> Bundle:
        """The bundle with a user's checked records in place of the bundled ones: the
        official Tapalpa figures are left out (they are compared only with the bundled
        data), so is the Tapalpa operation site (the bundled event's context, not part of
        the analyst's data: no star on their map or pictures), and exports name `origin`
        instead of the bundled data's provenance."""
        return replace(
            self,
            incidents=records,
            official=self.official.iloc[0:0],
            operation_site=self.operation_site.iloc[0:0],
            origin=origin,
        )


def raid_start(incidents: pd.DataFrame, site: gpd.GeoDataFrame) -> pd.Timestamp | None:
    """The earliest moment the raid can have begun (UTC): the start of the interval of
    the record the operation site names (`incident_id`), which its time precision gives
    (the raid: "morning" of 22 Feb 2026, 06:00 Mexico City time; no source published the
    hour, and the first blockades were reported about 07:30: geodata/README.md). None
    when the site names no record of `incidents`."""
    if site.empty or "incident_id" not in site.columns:
        return None
    raid = incidents.loc[incidents["incident_id"] == site["incident_id"].iloc[0], "t_start"]
    return None if raid.empty else raid.iloc[0]


def load_bundle(geodata: Path = bundled_files.GEODATA) -> Bundle:
    """The bundled data of `geodata` (a folder with the files named in `layers`), read,
    validated and joined once. The incident records answer the raid, so none of their
    intervals starts before it (`raid_start`; timing.not_before). Problems are in
    `report`; invalid rows are left out."""
    report = Report()

    def read(filename: str) -> tuple[bytes, str]:
        path = geodata / filename
        return path.read_bytes(), f"geodata/{filename}"

    states, states_report = validate_states(*read(bundled_files.STATES_FILE.name))
    report.extend(states_report)
    display, display_report = validate_states(*read(bundled_files.STATES_DISPLAY_FILE.name))
    report.extend(display_report)
    locations, loc_report = validate_locations(*read(bundled_files.LOCATIONS_FILE.name), states)
    report.extend(loc_report)
    site = gpd.read_file(geodata / bundled_files.OPERATION_SITE_FILE.name, engine="pyogrio")
    incidents, inc_report = validate_incidents(
        *read(bundled_files.INCIDENTS_FILE.name), locations, states, bundled=True, keep_all=True
    )
    report.extend(inc_report)
    incidents = not_before(incidents, raid_start(incidents, site))
    official, off_report = validate_official(*read(bundled_files.OFFICIAL_FILE.name))
    report.extend(off_report)
    moments, moments_report = validate_key_moments(*read(bundled_files.KEY_MOMENTS_FILE.name))
    report.extend(moments_report)
    return Bundle(
        states=states.sort_values("cve_ent").reset_index(drop=True),
        states_display=display.sort_values("cve_ent").reset_index(drop=True),
        locations=locations,
        operation_site=site,
        incidents=incidents,
        official=official,
        key_moments=moments,
        report=report,
        version=bundled_files.data_version(bundled_files.data_files(geodata)),
    )
