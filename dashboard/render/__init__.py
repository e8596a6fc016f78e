"""Figures to things people see or take away: symbols, popups, list rows, charts, the map,
PNG/HTML snapshots, exports, the static site.
"""
