"""The package version, defined once (pyproject reads it; records and reports carry it)."""
__version__ = "0.2.0"
