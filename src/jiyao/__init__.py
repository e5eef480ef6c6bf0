"""jiyao (纪要): grounded, structured records of Chinese local-government meeting reports."""
from ._version import __version__

_API = ("Extractor", "extract", "extract_file", "extract_many", "extract_files", "iter_extract", "iter_extract_files",
        "aextract", "aextract_file")
__all__ = ["__version__", "MeetingReport", *_API]


def __getattr__(name: str):
    """The API on first use (PEP 562): `import jiyao` and `jiyao --help` stay fast, and an offline
    run never imports openai or instructor."""
    if name in _API:
        from . import api
        return getattr(api, name)
    if name == "MeetingReport":
        from .schema import MeetingReport
        return MeetingReport
    raise AttributeError(f"module 'jiyao' has no attribute {name!r}")
