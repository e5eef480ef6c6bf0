"""Seeing and using records: the span viewer, flat tables for analysis, people across articles."""
