"""jiyao (纪要): grounded, structured records of Chinese local-government meeting reports."""
from .api import aextract, aextract_many, extract, extract_many
from .schema import MeetingReport

__all__ = ["MeetingReport", "extract", "extract_many", "aextract", "aextract_many"]
__version__ = "0.1.0"
