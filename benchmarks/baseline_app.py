"""Baseline page for benchmarks/load.py: Streamlit with only the time slider and a line of
text, so a run measures what the framework itself costs per session and per rerun."""

from datetime import datetime, timedelta

import streamlit as st

window = st.slider(
    "Time window (Mexico City time)",
    min_value=datetime(2026, 2, 21, 23),
    max_value=datetime(2026, 3, 2, 11),
    value=(datetime(2026, 2, 22), datetime(2026, 2, 24)),
    step=timedelta(hours=1),
    key="window",  # as the map page's, so benchmarks/load.py finds and moves it
)
st.write(f"{window[0]:%d %b %H:%M} to {window[1]:%d %b %H:%M}")
