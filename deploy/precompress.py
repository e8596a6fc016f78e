"""Streamlit's hashed static assets, compressed ahead of time for Caddy's file_server.

    .venv/bin/python deploy/precompress.py DIR

copies `streamlit/static/static/` (the JavaScript, CSS and fonts whose file names carry a
content hash) of the installed Streamlit to DIR/static/ and writes next to each
compressible file its Brotli (`.br`, quality 11), Zstandard (`.zst`, level 19) and gzip
(`.gz`, level 9) forms. deploy/Caddyfile serves /static/* from DIR with
`file_server { precompressed br zstd gzip }` when TAPALPA_STATIC_DIR points there: the
bytes are smaller than Caddy's on-the-fly `encode` (which uses fast levels) and no CPU is
spent compressing about 5 MB of JavaScript and CSS per new reader's first view.
`deploy/serve` runs this at start; the systemd unit of Caddy runs it as ExecStartPre (see
deploy/README.md).

The work is done once per Streamlit version: DIR/static/.complete records the version and
a SHA-256 over the bundle's names and contents, and a DIR that already holds the same is
left as it is. Compressing the whole
bundle (23 MB in 214 compressible files) takes about 1.5 minutes on one core at these
levels, the first view's files first. Every file is written to a temporary name and
renamed, so Caddy never sends half a file: while a file has no compressed form yet it
sends the original, compressed on the fly.

Tools: Brotli from PyPI (`brotli`, the reference implementation's bindings), Zstandard
from Debian's `zstd` command (Python 3.11 has no zstd; without the command no .zst forms
are written), gzip from Python's own module.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Already compressed formats gain nothing (woff2 is Brotli inside, PNG is deflate).
COMPRESSIBLE = {".js", ".css", ".svg", ".json", ".map", ".txt", ".html", ".ttf", ".otf"}
# Below this a compressed copy saves less than a network packet.
MIN_BYTES = 1024
BROTLI_QUALITY = 11
ZSTD_LEVEL = 19
GZIP_LEVEL = 9
MARKER = ".complete"


def streamlit_static() -> tuple[Path, str]:
    """(path of the installed Streamlit's `static/static` folder, Streamlit's version)."""
    import streamlit

    return Path(streamlit.__file__).parent / "static" / "static", streamlit.__version__


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _zstd(data: bytes) -> bytes:
    return subprocess.run(  # noqa: S603
        [shutil.which("zstd") or "zstd", f"-{ZSTD_LEVEL}", "-q", "-c", "--no-progress"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout


def compress_file(path: Path) -> dict[str, int]:
    """Write path.br, path.zst and path.gz next to path (a compressed form that is not
    smaller than the original is not written, so Caddy sends the original). Returns the
    byte sizes written, by suffix, with "" for the original."""
    import brotli

    data = path.read_bytes()
    sizes = {"": len(data)}
    forms = {
        ".br": lambda: brotli.compress(data, quality=BROTLI_QUALITY),
        ".zst": lambda: _zstd(data),
        # mtime=0: the same input gives the same bytes (reproducible builds, stable ETags).
        ".gz": lambda: gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0),
    }
    if shutil.which("zstd") is None:  # Debian's zstd is missing: Brotli and gzip only
        del forms[".zst"]
    for suffix, make in forms.items():
        packed = make()
        if len(packed) < len(data):
            _write_atomic(path.with_name(path.name + suffix), packed)
            sizes[suffix] = len(packed)
    return sizes


def first_view(source: Path) -> list[str]:
    """Names (relative to source) of the assets Streamlit's index.html, next to source,
    loads before any script runs (font, entry script, module preloads, style sheet), in
    the order the page names them."""
    index = source.parent / "index.html"
    if not index.is_file():
        return []
    names = re.findall(r'(?:src|href)="\./static/([^"]+)"', index.read_text())
    return list(dict.fromkeys(names))


def _fingerprint(source: Path) -> str:
    """SHA-256 over every file's name and content under source."""
    digest = hashlib.sha256()
    for path in sorted(source.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(source)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build(out: Path, *, source: Path | None = None, version: str | None = None, jobs: int = 1):
    """Fill out/static/ with the assets under source (default: the installed Streamlit's)
    and their compressed forms. Returns a summary dict (files, bytes before and after per
    encoding, seconds, whether it was already built). Without Debian's `zstd` command only
    the Brotli and gzip forms are written. Raises ImportError when the `brotli` module is
    missing (a dependency in pyproject.toml)."""
    import brotli  # noqa: F401  (fail before copying anything)

    if source is None:
        source, version = streamlit_static()
    target = out / "static"
    stamp = {"version": version, "source": str(source), "fingerprint": _fingerprint(source)}
    marker = target / MARKER
    if marker.is_file() and json.loads(marker.read_text()) == stamp:
        return {"already_built": True, **stamp}
    started = time.monotonic()
    target.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    for leftover in target.rglob(".tmp-*"):  # from a build that was stopped midway
        leftover.unlink(missing_ok=True)
    to_compress = []
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        copy = target / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=copy.parent, prefix=".tmp-")
        os.close(fd)
        shutil.copyfile(path, tmp)
        os.replace(tmp, copy)
        if copy.suffix in COMPRESSIBLE and copy.stat().st_size >= MIN_BYTES:
            to_compress.append(copy)
    # The first view's files first: Caddy serves each as soon as its forms are written.
    early = {name: rank for rank, name in enumerate(first_view(source))}
    to_compress.sort(key=lambda p: early.get(str(p.relative_to(target)), len(early)))
    totals: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for sizes in pool.map(compress_file, to_compress):
            for suffix, size in sizes.items():
                totals[suffix] = totals.get(suffix, 0) + size
    _write_atomic(marker, json.dumps(stamp).encode())
    return {
        "already_built": False,
        **stamp,
        "compressed_files": len(to_compress),
        "bytes": {k or "original": v for k, v in totals.items()},
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, help="output folder (TAPALPA_STATIC_DIR)")
    parser.add_argument(
        "--jobs", type=int, default=1, help="files compressed at once (default 1: one core)"
    )
    args = parser.parse_args(argv)
    try:
        summary = build(args.dir, jobs=args.jobs)
    except ImportError as exc:
        print(f"precompress: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
