"""The map's grouped-by-area markers (a view of more than MAX_DRAWN_POINTS records): the
strings and numbers the map receives, and the map's own fill() run on them (Node)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pandas as pd
import pytest

from dashboard.render import mapview
from dashboard.render.mapfiles import STATIC
from dashboard.render.mappoints import grid_cells

NODE = shutil.which("node")
SCRIPT = (STATIC / "tapalpa-map.js").read_text(encoding="utf-8")


def js_function(name: str) -> str:
    """The source of the top-level `function name(...) {...}` of tapalpa-map.js (up to
    the closing brace at its own indentation)."""
    found = re.search(rf"^( *)function {name}\(.*?^\1\}}", SCRIPT, re.S | re.M)
    assert found, name
    return found.group(0)


def run_js(source: str):
    """The JSON value `source` (JavaScript) prints with console.log(JSON.stringify(..))."""
    done = subprocess.run([NODE, "-e", source], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("en", 25, "25 incidents in this area (grouped at this scale)"),
        ("en", 1, "1 incident in this area (grouped at this scale)"),
        ("es", 25, "25 incidentes en esta zona (agrupados a esta escala)"),
    ],
)
@pytest.mark.skipif(NODE is None, reason="needs node to run the map's fill()")
def test_a_grouped_marker_tooltip_carries_its_number(bundle, lang, n, expected):
    config = mapview.map_config("{}", bundle.operation_site, lang=lang)
    template = config["grouped_html_one" if n == 1 else "grouped_html"]
    assert "{n}" in template  # the number is filled in after escaping, not escaped away
    filled = run_js(
        js_function("fill") + f"console.log(JSON.stringify(fill({json.dumps(template)}, "
        f"{{n: {n}}})));"
    )
    assert filled == expected


def test_a_template_is_escaped_around_its_field():
    assert mapview.escape_template("<b>{n}</b> & {n}") == "&lt;b&gt;{n}&lt;/b&gt; &amp; {n}"


@pytest.mark.skipif(NODE is None, reason="needs node to run the map's countOf()")
def test_a_group_badge_counts_the_records_its_markers_stand_for():
    # Two grouped-area markers (cells of 25 and 3 records) and a point: 29, not 3 symbols.
    markers = [{"cell": True, "count": 25}, {"cell": True, "count": 3}, {}]
    assert (
        run_js(
            js_function("countOf") + f"console.log(JSON.stringify(countOf({json.dumps(markers)})));"
        )
        == 29
    )
    # The badge and the group's heading use it, and each cell marker carries its count.
    assert "n = countOf(children)" in SCRIPT and "n = countOf(markers)" in SCRIPT
    assert "m.count = r[2];" in SCRIPT


def test_the_map_receives_each_cell_with_its_record_count():
    frame = pd.DataFrame(
        {
            "incident_id": ["a", "b", "c", "d"],
            "lon": [-103.77, -103.771, -103.772, -99.13],
            "lat": [19.95, 19.951, 19.952, 19.43],
            "geo_precision": [1, 1, 2, 1],
            "time_precision": ["day"] * 4,
            "t_start": pd.to_datetime(["2025-06-15"] * 4, utc=True),
            "t_end": pd.to_datetime(["2025-06-16"] * 4, utc=True),
        }
    )
    assert sorted(row[2] for row in grid_cells(frame)) == [1, 3]
