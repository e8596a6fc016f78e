"""deploy/precompress.py: Streamlit's hashed assets with their Brotli, Zstandard and gzip
forms, for Caddy's precompressed file_server (the proxy side is in tests/test_deploy.py)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import brotli
import pytest

from tests.conftest import ROOT


def load_precompress():
    spec = importlib.util.spec_from_file_location(
        "deploy_precompress", ROOT / "deploy" / "precompress.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


precompress = load_precompress()

SCRIPT = b"function render(){return 'the same words again and again';}\n" * 200


def unzstd(data: bytes) -> bytes:
    return subprocess.run(
        ["zstd", "-d", "-q", "-c"], input=data, capture_output=True, check=True
    ).stdout


@pytest.fixture
def source(tmp_path):
    """A small stand-in for streamlit/static/static next to its index.html."""
    root = tmp_path / "streamlit-static"
    (root / "static" / "js").mkdir(parents=True)
    (root / "static" / "media").mkdir()
    (root / "index.html").write_text(
        '<script type="module" src="./static/js/late.B2.js"></script>'
        '<link rel="modulepreload" href="./static/js/index.A1.js">'
    )
    (root / "static" / "js" / "index.A1.js").write_bytes(SCRIPT)
    (root / "static" / "js" / "other.C3.js").write_bytes(SCRIPT.replace(b"words", b"terms"))
    (root / "static" / "js" / "late.B2.js").write_bytes(SCRIPT.replace(b"words", b"lines"))
    (root / "static" / "js" / "tiny.D4.js").write_bytes(b"export{};\n")
    (root / "static" / "media" / "font.E5.woff2").write_bytes(bytes(range(256)) * 20)
    return root / "static"


def test_each_compressible_asset_gets_three_forms_that_decode_to_it(source, tmp_path):
    if shutil.which("zstd") is None:
        pytest.skip("zstd not found: apt-get install zstd")
    out = tmp_path / "out"
    (out / "static" / "js").mkdir(parents=True)
    (out / "static" / "js" / ".tmp-abc123").write_bytes(b"half a file")  # a stopped build
    summary = precompress.build(out, source=source, version="test")
    assert summary["already_built"] is False
    assert not list(out.rglob(".tmp-*"))
    assert summary["compressed_files"] == 3  # the scripts; not the tiny one, not the font
    for name in ("index.A1.js", "late.B2.js", "other.C3.js"):
        original = (source / "js" / name).read_bytes()
        served = out / "static" / "js" / name
        assert served.read_bytes() == original
        assert brotli.decompress(Path(f"{served}.br").read_bytes()) == original
        assert unzstd(Path(f"{served}.zst").read_bytes()) == original
        assert gzip.decompress(Path(f"{served}.gz").read_bytes()) == original
        assert len(Path(f"{served}.br").read_bytes()) < len(original) / 10
    for plain in ("js/tiny.D4.js", "media/font.E5.woff2"):
        assert (out / "static" / plain).read_bytes() == (source / plain).read_bytes()
        assert not list((out / "static").glob(f"{plain}.*"))


@pytest.mark.parametrize(
    ("change", "rebuilt"),
    [
        (None, False),  # same files: nothing to do
        ("js/index.A1.js", True),  # same name and size, new content: built again
        ("js/new.F6.js", True),  # a new file (a newer Streamlit)
    ],
)
def test_a_second_build_is_skipped_unless_the_assets_changed(source, tmp_path, change, rebuilt):
    out = tmp_path / "out"
    precompress.build(out, source=source, version="test")
    if change is not None:
        path = source / change
        path.write_bytes(SCRIPT.replace(b"again", b"AGAIN"))
    summary = precompress.build(out, source=source, version="test")
    assert summary["already_built"] is not rebuilt
    if change is not None:
        assert (
            brotli.decompress((out / "static" / f"{change}.br").read_bytes())
            == (source / change).read_bytes()
        )


def test_the_first_view_is_compressed_first(source, monkeypatch):
    order = []
    monkeypatch.setattr(precompress, "compress_file", lambda p: order.append(p.name) or {})
    precompress.build(source.parent.parent / "out", source=source, version="test")
    assert order[0] == "late.B2.js"  # named first by index.html
    assert order[1] == "index.A1.js"
    assert precompress.first_view(source) == ["js/late.B2.js", "js/index.A1.js"]


def test_the_command_builds_the_installed_streamlits_index_script_once(
    tmp_path, monkeypatch, capsys
):
    """The real bundle's first script and index.html (not all 23 MB, to stay fast)."""
    real, version = precompress.streamlit_static()
    index = next((real / "js").glob("index.*.js"))
    small = tmp_path / "streamlit" / "static" / "static"
    (small / "js").mkdir(parents=True)
    shutil.copy(index, small / "js" / index.name)
    shutil.copy(real.parent / "index.html", small.parent / "index.html")
    monkeypatch.setattr(precompress, "streamlit_static", lambda: (small, version))
    out = tmp_path / "out"
    assert precompress.main([str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["version"] == version
    assert f"js/{index.name}" in precompress.first_view(real)
    served = out / "static" / "js" / index.name
    assert brotli.decompress(Path(f"{served}.br").read_bytes()) == index.read_bytes()
    assert summary["bytes"][".br"] < summary["bytes"]["original"] / 3
    assert precompress.main([str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["already_built"] is True
