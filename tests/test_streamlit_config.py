"""The server settings in .streamlit/config.toml that issue 25 depends on, read by
Streamlit itself from the project folder."""

from __future__ import annotations

import os

import pytest

from tests.conftest import ROOT


@pytest.fixture
def config():
    from streamlit import config

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        config.get_config_options(force_reparse=True)
        yield config
    finally:
        os.chdir(cwd)
        config.get_config_options(force_reparse=True)


def test_a_foreign_origin_handshake_never_looks_up_the_external_address(config, monkeypatch):
    from streamlit import net_util
    from streamlit.web.server import server_util

    def lookup():
        raise AssertionError("looked up the external address")

    monkeypatch.setattr(net_util, "get_external_ip", lookup)
    monkeypatch.setattr(net_util, "get_internal_ip", lookup)
    assert server_util.is_url_from_allowed_origins("https://evil.example")
    assert config.get_option("server.enableXsrfProtection")  # uploads still need the token


def test_no_parent_page_may_steer_the_app(config):
    assert list(config.get_option("client.allowedOrigins")) == []


def test_the_upload_limit_is_50_mb(config):
    assert config.get_option("server.maxUploadSize") == 50
