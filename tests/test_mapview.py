"""The map tested as data: its layers, features and text, before it reaches Streamlit."""

from __future__ import annotations

import json
import re
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from dashboard.filters import ViewSpec, apply
from dashboard.mapview import (
    LAYER_INCIDENTS,
    LAYER_SITE,
    LAYER_STATES,
    MAX_DRAWN_POINTS,
    IncidentLayer,
    SiteLayer,
    StateLayer,
    build_map,
    incident_points,
    states_geojson,
    with_display_text,
)
from dashboard.mexico import MEXICO_CITY
from dashboard.stats import state_counts

VIEW = ViewSpec(
    datetime(2026, 2, 22, tzinfo=MEXICO_CITY), datetime(2026, 2, 24, tzinfo=MEXICO_CITY)
)
XSS = {
    "summary": "<img src=x onerror=alert(1)>",
    "place": "${alert(1)}",
    "source_outlet": "</script><script>alert(1)</script>",
    "municipality": "`",
    "more_source_urls": "javascript:alert(1)",
    "notes": "{{ config }}",
}


@pytest.fixture(scope="module")
def states_json(bundle):
    return states_geojson(bundle.states_display)


def render(bundle, states_json, frame, view=VIEW):
    selected = apply(view, frame)
    counts = state_counts(selected, bundle.official, view)
    fmap, info = build_map(selected, counts, states_json, bundle.operation_site, view)
    return fmap, info, fmap.get_root().render(), selected


def children(fmap, kind):
    return [c for c in fmap._children.values() if isinstance(c, kind)]


def test_layers_and_counts(bundle, states_json):
    fmap, info, html, selected = render(bundle, states_json, bundle.incidents)
    assert [c.layer_name for c in children(fmap, StateLayer)] == [LAYER_STATES]
    assert [c.layer_name for c in children(fmap, SiteLayer)] == [LAYER_SITE]
    (incidents,) = children(fmap, IncidentLayer)
    assert incidents.layer_name == LAYER_INCIDENTS
    drawable = selected[selected.geo_precision < 3]
    assert incidents.count == info.drawn_points == len(drawable)
    assert info.state_only_records == int((selected.geo_precision == 3).sum()) > 0
    for name in (LAYER_STATES, LAYER_SITE, LAYER_INCIDENTS):
        assert json.dumps(name) in html  # in the layer control


def test_tapalpa_site_is_on_the_map(bundle, states_json):
    fmap, _, html, _ = render(bundle, states_json, bundle.incidents)
    (site,) = children(fmap, SiteLayer)
    [(lat, lon, tooltip, popup)] = site.markers
    assert (lat, lon) == pytest.approx((19.925, -103.735), abs=0.01)
    assert "Tapalpa" in tooltip and 'rel="noopener noreferrer"' in popup


def test_state_only_records_are_never_points(bundle, states_json):
    rows, _, _ = incident_points(bundle.incidents)
    located = bundle.incidents[bundle.incidents.geo_precision < 3]
    assert len(rows) == len(located)
    coords = {(r[0], r[1]) for r in rows}
    for row in bundle.incidents[bundle.incidents.geo_precision == 3].itertuples():
        assert (round(row.lon, 4), round(row.lat, 4)) not in coords or any(
            located.lon.round(4).eq(round(row.lon, 4)) & located.lat.round(4).eq(round(row.lat, 4))
        )


def test_points_carry_precision_and_timing(bundle):
    rows, urls, labels = incident_points(bundle.incidents)
    by_id = dict(
        zip(bundle.incidents[bundle.incidents.geo_precision < 3].incident_id, rows, strict=True)
    )
    costco = by_id["jal-pv-costco"]
    assert costco[3] == 1 and costco[4] == 0  # exact site, timed to the hour
    asientos = by_id["ags-asientos"]
    assert asientos[3] == 2 and asientos[4] == 1  # town-level, day only
    assert all(u.startswith(("http://", "https://")) for u in urls)
    assert "(day only; time not reported)" in asientos[8]


def test_offline_no_cdn(bundle, states_json):
    _, _, html, _ = render(bundle, states_json, bundle.incidents)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("data:") for s in sources), [s[:60] for s in sources]
    assert "cdn" not in " ".join(s[:40] for s in sources)
    assert "L.map(" in html or "L.map (" in html


def test_bundled_map_html_fits_the_budget(bundle, states_json):
    _, _, html, _ = render(bundle, states_json, with_display_text(bundle.incidents))
    assert len(html.encode()) <= 500_000


def test_hostile_text_only_escaped(bundle, states_json):
    frame = bundle.incidents.copy()
    target = frame.index[frame.incident_id == "jal-pv-costco"][0]
    for field, value in XSS.items():
        frame.loc[target, field] = value
    other = frame.index[frame.incident_id == "ags-asientos"][0]
    frame.loc[other, "source_url"] = "javascript:alert(1)"
    _, _, html, _ = render(bundle, states_json, frame)
    for raw in (
        "<img src=x",
        "${alert",
        "</script><script>alert",
        "javascript:alert",
        "{{ config",
    ):
        assert raw not in html, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&#36;&#123;alert(1)&#125;" in html
    assert "&#96;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"""href=["']?javascript""", html, re.I)


def test_empty_selection_still_draws_states(bundle, states_json):
    view = VIEW.with_changes(event_types=frozenset())
    fmap, info, html, _ = render(bundle, states_json, bundle.incidents, view)
    assert info.drawn_points == 0
    assert children(fmap, StateLayer)


def test_large_inputs_are_grouped_not_drawn_one_by_one(bundle, states_json):
    rng = np.random.default_rng(7)
    n = MAX_DRAWN_POINTS + 1000
    base = bundle.incidents[bundle.incidents.geo_precision < 3]
    frame = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True)
    frame["incident_id"] = [f"s{i}" for i in range(n)]
    frame["lon"] += rng.normal(0, 0.2, n)
    frame["lat"] += rng.normal(0, 0.2, n)
    fmap, info, html, selected = render(bundle, states_json, frame)
    assert len(selected) > MAX_DRAWN_POINTS
    assert info.mode == "cells" and 0 < info.drawn_points < len(selected)
    (layer,) = children(fmap, IncidentLayer)
    cells = json.loads(layer.rows_json)
    assert sum(c[2] for c in cells) == len(selected)
    assert pd.Series([c[2] for c in cells]).min() >= 1
