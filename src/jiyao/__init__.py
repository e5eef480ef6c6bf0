"""jiyao (纪要): grounded, structured records of Chinese local-government meeting reports."""
__all__ = ["MeetingReport", "extract", "extract_many", "aextract", "aextract_many"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """The API on first use (PEP 562): `import jiyao` and `jiyao --help` stay fast, and an offline
    run never imports openai or instructor."""
    if name in ("extract", "extract_many", "aextract", "aextract_many"):
        from . import api
        return getattr(api, name)
    if name == "MeetingReport":
        from .schema import MeetingReport
        return MeetingReport
    raise AttributeError(f"module 'jiyao' has no attribute {name!r}")
