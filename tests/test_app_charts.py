"""The page's charts are inline SVG drawn from the same tables the page shows."""

from __future__ import annotations

import re

from tests.test_app import table_with


def svg_charts(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("<svg")]


def test_charts_are_svg_with_one_bar_per_state_with_incidents(app):
    assert not app.get("arrow_vega_lite_chart") and not app.get("vega_lite_chart")
    states, timed, under_way = svg_charts(app)
    table = table_with(app, "official_source")
    with_incidents = table[table["incidents"] > 0]
    assert states.count("<rect") == len(with_incidents)
    for name, n in zip(with_incidents["state"], with_incidents["incidents"], strict=True):
        assert re.search(rf"<title>{re.escape(name)}: {n} incidents?</title>", states)
    for chart in (timed, under_way):  # 48 hours in the default window
        assert chart.count("<rect") == 48
        assert 'role="img"' in chart
