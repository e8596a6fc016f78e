"""The page's SVG charts: data in, accessible and escaped markup out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest

from dashboard.render import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # well-formed XML, or this raises


def test_bar_chart_has_one_bar_per_row_scaled_to_the_largest():
    svg = parse(
        charts.bar_chart(
            ["Jalisco", "Michoacán", "Colima"],
            [74, 37, 0],
            label="Incidents by state",
            colour="#225ea8",
            tip=lambda s, n: f"{s}: {n}",
        )
    )
    assert svg.get("role") == "img" and svg.get("aria-label") == "Incidents by state"
    bars = svg.findall(f".//{SVG}rect")
    widths = [float(b.get("width")) for b in bars]
    assert len(bars) == 3
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.02)
    assert widths[2] == 1  # a zero keeps a hairline, so the row is not mistaken for missing
    tips = [t.text for t in svg.findall(f".//{SVG}g/{SVG}title")]
    assert tips == ["Jalisco: 74", "Michoacán: 37", "Colima: 0"]


def test_hourly_chart_marks_midnights_and_labels_the_scale():
    start = datetime(2026, 2, 21, 22)
    hours = [start + timedelta(hours=i) for i in range(30)]
    values = [i % 5 for i in range(30)]
    svg = parse(
        charts.hourly_chart(
            hours,
            values,
            label="Reports by hour",
            colour="#b34a00",
            tip=lambda h, n: f"{h:%d %H}h: {n}",
            day_label=lambda h: f"{h:%a %d}",
        )
    )
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Sun 22" in texts and "4" in texts and "0" in texts  # day mark, max, zero
    columns = svg.findall(f"{SVG}rect")
    assert len(columns) == 30
    assert columns[4].find(f"{SVG}title").text == "22 02h: 4"
    heights = [float(c.get("height")) for c in columns]
    assert heights[0] == 0 and heights[4] == max(heights)


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}} ${x} `y`"],
)
def test_data_text_is_escaped(name):
    markup = charts.bar_chart([name], [3], label=name, colour="#000", tip=lambda s, n: f"{s} {n}")
    parse(markup)
    assert "<script" not in markup and "<img" not in markup
    assert not re.search(r"\{\{|\$\{|`", markup)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        charts.bar_chart(["a"], [1, 2], label="x", colour="#000", tip=str)
    with pytest.raises(ValueError):
        charts.hourly_chart(
            [datetime(2026, 2, 22)], [], label="x", colour="#000", tip=str, day_label=str
        )
