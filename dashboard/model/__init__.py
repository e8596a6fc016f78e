"""The vocabulary and its labels, the report type, Mexico's states, time and intervals,
place names, the bundled files' locations.
"""
