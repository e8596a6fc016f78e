"""Tapalpa incident map: a pure data core (no Streamlit) under a thin Streamlit page."""
