"""Bytes to validated records: read, the ACLED mapping, validate, locate, the corrections
log, the bundled data loaded once.
"""
