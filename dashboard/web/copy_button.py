"""A copy button beside a share panel field: an `st.components.v2` component running in
the page (dashboard/static/copy-button.js) that copies a text to the clipboard. It sends
nothing back, so a copy does not rerun the page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STATIC = Path(__file__).resolve().parent.parent / "static"
CSS = """
.tapalpa-copy { font: inherit; font-size: 0.875rem; padding: 0.25rem 0.75rem;
  border: 1px solid rgba(49, 51, 63, 0.3); border-radius: 0.5rem; background: #fff;
  color: #262730; cursor: pointer; min-height: 2rem; }
.tapalpa-copy:hover { border-color: #d6204b; color: #a3153a; }
.tapalpa-copy:focus-visible { outline: 2px solid #1c5fb8; outline-offset: 2px; }
.tapalpa-copy-status { margin-left: 0.5rem; font-size: 0.875rem; color: #1e6b34; }
"""
_COPY = None


def _component():
    global _COPY
    if _COPY is None:
        _COPY = st.components.v2.component(
            "tapalpa_copy_button",
            js=(STATIC / "copy-button.js").read_text(encoding="utf-8"),
            css=CSS,
        )
    return _COPY


def copy_button(text: str, label: str, done: str, key: str) -> None:
    """A button labelled `label` that copies `text` (shown in the field above it) and
    then says `done`; `key` names it among the panel's buttons."""
    _component()(key=f"copy_{key}", data={"text": text, "label": label, "done": done})
