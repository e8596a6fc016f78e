"""Records to figures: the view spec and the counting rule (filters), statistics, data
checks (quality), permalinks.
"""
