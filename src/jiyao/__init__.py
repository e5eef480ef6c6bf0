"""jiyao (纪要): grounded, structured records of Chinese local-government meeting reports."""
from .api import aextract, aextract_many, extract, extract_many
from ._version import __version__
from .schema import MeetingReport

__all__ = ["__version__", "MeetingReport", "extract", "extract_many", "aextract", "aextract_many"]
