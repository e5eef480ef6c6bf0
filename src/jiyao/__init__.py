"""jiyao (纪要): grounded, structured records of Chinese local-government meeting reports."""
from ._version import __version__
from .api import (Extractor, aextract, aextract_file, extract, extract_file, extract_files, extract_many,
                  iter_extract, iter_extract_files)
from .schema import MeetingReport

__all__ = ["__version__", "MeetingReport", "Extractor", "extract", "extract_file", "extract_many", "extract_files",
           "iter_extract", "iter_extract_files", "aextract", "aextract_file"]
