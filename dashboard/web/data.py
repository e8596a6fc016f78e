"""The page's data: what does not depend on the view, made once per process, data version
and language and shared by every session (Streamlit's resource cache)."""

from __future__ import annotations

import gc
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard.analysis.filters import data_window, default_window, file_window
from dashboard.analysis.stats import OfficialTimeline
from dashboard.ingest.bundle import Bundle, load_bundle
from dashboard.model.mexico import MEXICO_CITY
from dashboard.model.origin import UserFile
from dashboard.model.timing import spans_years
from dashboard.render.mapfiles import published_json
from dashboard.render.mappoints import PointCatalogue, point_catalogue
from dashboard.render.mapstates import drawn_states
from dashboard.render.popups import with_display_text
from dashboard.text.escape import script_json

# Popup text is only drawn in points mode: made ahead for data small enough to be drawn
# point by point, else the map builds it for what it draws.
PRECOMPUTE_TEXT_ROWS = 20_000


@dataclass(frozen=True)
class PageData:
    bundle: Bundle
    incidents: pd.DataFrame  # with escaped display text for popups
    states_json: str  # display geometry, serialised once
    states_drawn: gpd.GeoDataFrame  # mapstates.drawn_states: where a tap on the map lands
    first_hour: datetime  # slider bounds, naive Mexico City time
    last_hour: datetime
    default_window: tuple[datetime, datetime]
    # Served mode: the states geometry and every drawable record as static files the map
    # fetches once (mapfiles.published_json), so a rerun sends only the view.
    states_url: str | None = None
    catalogue: PointCatalogue | None = None
    # The official side of the per-state table, kept across reruns and sessions; None for
    # records that are not the bundled data's (nothing is then kept per view).
    timeline: OfficialTimeline | None = None
    lang: str = "en"  # of the display text in `incidents` and the catalogue
    from_file: bool = False  # the records are a reader's file (with_records)

    @property
    def spans_years(self) -> bool:
        """The slider's range is not all in the bundled event's year: dates show years."""
        return spans_years(self.first_hour, self.last_hour)

    def with_records(self, frame: pd.DataFrame, origin: UserFile) -> PageData:
        """The page data with other records (an uploaded file's valid rows, at least one,
        from the file `origin`) in place of the bundled ones: what was made from the
        bundled records is dropped, the official figures too (they are the bundled
        event's, compared with the bundled data only: Bundle.with_user_file), and the
        time range is the file's own: its slider runs from its first to its last record,
        and it opens on the whole of it (filters.file_window)."""
        first, last = (naive(t) for t in data_window(frame))
        return replace(
            self,
            incidents=frame,
            bundle=self.bundle.with_user_file(frame, origin),
            catalogue=None,
            timeline=None,
            from_file=True,
            first_hour=first,
            last_hour=last,
            default_window=tuple(naive(t) for t in file_window(frame)),
        )


def aware(local: datetime) -> datetime:
    return local.replace(tzinfo=MEXICO_CITY)


def naive(moment: datetime) -> datetime:
    return moment.astimezone(MEXICO_CITY).replace(tzinfo=None)


def map_assets_mode() -> str:
    """Leaflet plugins of ours as cacheable static files when Streamlit serves
    dashboard/static/ (server.enableStaticServing), else inlined in the map."""
    return "served" if st.get_option("server.enableStaticServing") else "inline"


@st.cache_resource(show_spinner=False)
def loaded_bundle(geodata: str, version: str) -> Bundle:
    """The validated bundle of a data version, shared by both languages' page data."""
    return load_bundle(Path(geodata))


@st.cache_resource(show_spinner=False)  # the page shows its own, in its language
def page_data(geodata: str, version: str, lang: str = "en") -> PageData:
    """Everything that does not depend on the view; `version` and `lang` key the cache
    (popup and tooltip text is in the page's language)."""
    bundle = loaded_bundle(geodata, version)
    first, last = (naive(t) for t in data_window(bundle.incidents))
    incidents = (
        with_display_text(bundle.incidents, lang)
        if len(bundle.incidents) <= PRECOMPUTE_TEXT_ROWS
        else bundle.incidents
    )
    states_drawn = drawn_states(bundle.states_display)
    states_json = script_json(states_drawn.__geo_interface__)
    served = map_assets_mode() == "served"
    data = PageData(
        bundle=bundle,
        incidents=incidents,
        states_json=states_json,
        states_drawn=states_drawn,
        states_url=published_json("states", states_json) if served else None,
        catalogue=point_catalogue(incidents, lang) if served else None,
        timeline=OfficialTimeline(bundle.official, incidents),
        lang=lang,
        first_hour=first,
        last_hour=last,
        default_window=tuple(naive(t) for t in default_window(bundle.incidents)),
    )
    # The data just loaded, and the libraries, live as long as the process. Move every
    # object alive now out of the garbage collector's reach, so each full collection
    # (Python's own; Streamlit's after every run is off: .streamlit/config.toml) walks
    # only what runs make.
    gc.freeze()
    return data
