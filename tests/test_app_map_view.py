"""The page's view carries the reader's centre and zoom as the map writes them into the
address (quarter steps), so the link, the PNG and the HTML snapshot show what the reader
sees."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import open_sections
from tests.test_app import APP


def link_params(at: AppTest) -> dict[str, str]:
    (field,) = [x for x in at.text_input if x.label.startswith("Link to this view")]
    return {k: v[-1] for k, v in parse_qs(urlsplit(field.value).query).items()}


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = open_sections(AppTest.from_file(APP, default_timeout=90))
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        # The reader zoomed to 5.5 over Guadalajara: the map wrote it into the address.
        ({"lat": "20.3000", "lon": "-103.0000", "zoom": "5.5"}, ("20.3000", "-103.0000", "5.5")),
        ({"lat": "19.4300", "lon": "-99.1300", "zoom": "12.25"}, ("19.4300", "-99.1300", "12.25")),
        ({"lat": "20.3000", "lon": "-103.0000", "zoom": "8"}, ("20.3000", "-103.0000", "8")),
    ],
)
def test_the_readers_centre_and_zoom_reach_the_view(app, address, expected):
    for key, value in address.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    assert not [w for w in app.warning if "zoom" in w.value]  # no "Ignored ... zoom" notice
    params = link_params(app)
    assert (params.get("lat"), params.get("lon"), params.get("zoom")) == expected
    assert app.query_params["zoom"] == expected[2]  # the address keeps the reader's zoom
