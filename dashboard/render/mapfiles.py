"""The files the live map fetches instead of carrying: content-hashed, written once.

This is the one place that writes at run time, and it writes into the package:
dashboard/static/data/, which Streamlit serves at /app/static/data/ when
`server.enableStaticServing` is on. Streamlit serves only the `static/` folder beside the
script it runs (dashboard/app.py) and refuses symbolic links out of it, so within
`streamlit run dashboard/app.py` there is no other folder it would serve; README
("Architecture", "Files the live map fetches") says what serving them from elsewhere
takes. Every caller copes with None (the folder cannot be written, as under the systemd
unit's ProtectSystem=strict): it then sends the content inline.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
DATA = STATIC / "data"  # not in git (.gitignore)
# Relative to the streamlit-folium iframe (/component/streamlit_folium.st_folium/index.html),
# so it also works under a base URL path.
SERVED_PREFIX = "../../app/static/"


def published_file(kind: str, raw: bytes, suffix: str = "json") -> str | None:
    """Write `raw` to dashboard/static/data/<kind>-<sha256[:16]>.<suffix> unless that file
    exists, and return its URL as the map frame fetches it (under /app/static/).

    The name is the content's hash: a file never changes once written, so browsers and
    proxies may cache it for good, and versions and languages sit side by side. None when
    the folder cannot be written (the caller then sends the content inline).
    """
    name = f"{kind}-{hashlib.sha256(raw).hexdigest()[:16]}.{suffix}"
    try:
        DATA.mkdir(exist_ok=True)
        target = DATA / name
        if not target.is_file():
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(raw)
            partial.replace(target)  # atomic: a reader never sees half a file
    except OSError:
        return None
    return f"{SERVED_PREFIX}data/{name}"


def published_json(kind: str, text: str) -> str | None:
    """published_file for JSON text (UTF-8): <kind>-<hash>.json, or None."""
    return published_file(kind, text.encode("utf-8"))
